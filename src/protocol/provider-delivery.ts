import type { V3Client, V3ClientConfig, V3Service } from '../runtime/aws-sdk-v2-adapters/v2-client';
import { LogEvent, ProviderLogBuffer, batchesOf } from './provider-logs';
import { MetricDatum, MetricsBuffer } from './provider-metrics';

/**
 * One invocation's log lines and metrics for the type's log group and CloudWatch, delivered after the
 * work and before the answer, within a deadline; whatever CloudWatch does, the answer leaves on time
 * and carries the work's outcome.
 *
 * Why it exists: the library delivers them on the invocation's critical path (`initializeRuntime`
 * creates the log group, stream and an S3 folder before the handler runs; every line and metric is
 * one awaited call; `waitRunningProcesses` waits for all of them), with no bound at all.
 */

/**
 * How long delivery may take after the work: the operation starts no new AWS call after 35 s
 * (INVOCATION_BUDGET_MS), so work that used its whole budget still leaves these 15 s, and a first
 * delivery to a new log stream (PutLogEvents, CreateLogStream, PutLogEvents again) fits when each
 * call takes 4 s.
 */
export const DELIVERY_WINDOW_MS = 15_000;
/**
 * From the invocation's start, delivery has ended: the answer must leave within 55 s (Lambda stops the
 * handler at 60), and every other AWS call has ended at 50 s (INVOCATION_HARD_LIMIT_MS).
 */
export const DELIVERY_ENDS_BY_MS = 53_000;
// One attempt is cut after REQUEST_TIMEOUT_MS (thrown, not only warned: throwOnRequestTimeout); a
// throttled call is retried by the SDK with its back-off, all of it within the deadline.
const CONNECTION_TIMEOUT_MS = 2_000;
const REQUEST_TIMEOUT_MS = 5_000;
const MAX_ATTEMPTS = 3;

export interface ProviderCredentials {
    accessKeyId?: string;
    secretAccessKey?: string;
    sessionToken?: string;
}

export interface ProviderDestination {
    credentials: ProviderCredentials;
    region: string;
    /** Absent when the request names no log group: then only the metrics are delivered. */
    logGroupName?: string;
    logStreamName: string;
}

/** What one delivery achieved; `problem` names what stopped it, without any message AWS sent. */
export interface DeliveryReport {
    lines: { delivered: number; total: number };
    metrics: { delivered: number; total: number };
    problem?: string;
}

type Send = (command: unknown) => Promise<unknown>;
type PutLogEventsAnswer = { rejectedLogEventsInfo?: Record<string, number | undefined> } | undefined;

const errorName = (err: unknown): string =>
    typeof err === 'object' && err !== null && typeof (err as { name?: unknown }).name === 'string'
        ? (err as { name: string }).name
        : 'Error';

/**
 * PutLogEvents for each batch in order; a missing stream (or group) is created once and the batch
 * sent again. Counts what CloudWatch Logs accepted in `delivered`.
 */
async function sendLogEvents(
    logs: { send: Send; commands: V3Service['commands'] },
    group: string,
    stream: string,
    events: readonly LogEvent[],
    delivered: { count: number },
): Promise<void> {
    const { putLogEvents, createLogStream, createLogGroup } = logs.commands;
    if (!putLogEvents || !createLogStream || !createLogGroup) throw new Error('The CloudWatch Logs commands are missing.');
    const createStream = async (): Promise<void> => {
        try {
            await logs.send(new createLogStream({ logGroupName: group, logStreamName: stream }));
        } catch (err) {
            if (errorName(err) === 'ResourceAlreadyExistsException') return;
            if (errorName(err) !== 'ResourceNotFoundException') throw err;
            await logs.send(new createLogGroup({ logGroupName: group })).catch((groupErr: unknown) => {
                if (errorName(groupErr) !== 'ResourceAlreadyExistsException') throw groupErr;
            });
            await logs.send(new createLogStream({ logGroupName: group, logStreamName: stream }));
        }
    };
    for (const batch of batchesOf(events)) {
        const put = () => logs.send(new putLogEvents({ logGroupName: group, logStreamName: stream, logEvents: batch }));
        let answer: PutLogEventsAnswer;
        try {
            answer = (await put()) as PutLogEventsAnswer;
        } catch (err) {
            if (errorName(err) !== 'ResourceNotFoundException') throw err;
            await createStream();
            answer = (await put()) as PutLogEventsAnswer;
        }
        delivered.count += batch.length - rejectedCount(answer?.rejectedLogEventsInfo, batch.length);
        if (answer?.rejectedLogEventsInfo) throw new Error('RejectedLogEvents');
    }
}

/** How many events of a batch CloudWatch Logs refused as too old, too new or expired (by index). */
function rejectedCount(info: Record<string, number | undefined> | undefined, size: number): number {
    if (!info) return 0;
    const tooNewFrom = info.tooNewLogEventStartIndex ?? size;
    const tooOldUntil = Math.max(info.tooOldLogEventEndIndex ?? -1, info.expiredLogEventEndIndex ?? -1);
    return Math.min(size, tooOldUntil + 1 + (size - tooNewFrom));
}

/**
 * One invocation's provider output: the buffers the library's logger and metrics proxy write into
 * (see library-runtime.ts), and their delivery.
 */
export class ProviderOutput {
    readonly lines: ProviderLogBuffer;
    private metrics?: MetricsBuffer;
    private destination?: ProviderDestination;

    constructor(redact: (text: string) => string) {
        this.lines = new ProviderLogBuffer(redact);
    }

    /** The metrics of this invocation of `resourceType`, kept until delivery. */
    metricsFor(resourceType: string): MetricsBuffer {
        this.metrics = new MetricsBuffer(resourceType);
        return this.metrics;
    }

    /** Where this invocation's output goes: the request's provider credentials and log group. */
    deliverTo(destination: ProviderDestination): void {
        this.destination = destination;
    }

    /**
     * Sends what was kept, in at most DELIVERY_WINDOW_MS and never past DELIVERY_ENDS_BY_MS from
     * `startedAt`. Never throws; says once on the Lambda log (`say`) when something was not delivered.
     */
    async deliver(startedAt: number, say: (line: string) => void, now: () => number = Date.now): Promise<DeliveryReport | undefined> {
        const destination = this.destination;
        this.destination = undefined;
        const events = this.lines.take();
        const metrics = this.metrics;
        this.metrics = undefined;
        const metricCalls = metrics?.take() ?? [];
        if (!destination?.credentials.accessKeyId || !destination.credentials.secretAccessKey) return undefined;
        const lines = destination.logGroupName ? events : [];
        const totalMetrics = metricCalls.reduce((sum, call) => sum + call.length, 0);
        if (lines.length === 0 && totalMetrics === 0) return undefined;

        const started = now();
        const deadline = Math.min(started + DELIVERY_WINDOW_MS, startedAt + DELIVERY_ENDS_BY_MS);
        const abort = new AbortController();
        const clients: V3Client[] = [];
        const deliveredLines = { count: 0 };
        const deliveredMetrics = { count: 0 };
        const problems: string[] = [];
        const config = clientConfig(destination);
        const sendWith =
            (client: V3Client): Send =>
            (command) =>
                client.send(command, { abortSignal: abort.signal });
        const client = async (load: () => Promise<V3Service>) => {
            const service = await load();
            const created = service.createClient(config);
            clients.push(created);
            return { send: sendWith(created), commands: service.commands };
        };

        const logsDone =
            lines.length === 0
                ? Promise.resolve()
                : client(async () => (await import('../runtime/aws-sdk-v2-adapters/v3/cloudwatch-logs')).cloudWatchLogs)
                      .then((logs) => sendLogEvents(logs, destination.logGroupName!, destination.logStreamName, lines, deliveredLines))
                      .catch((err: unknown) => void problems.push(`CloudWatch Logs: ${errorName(err)}`));
        const metricsDone =
            totalMetrics === 0
                ? Promise.resolve()
                : client(async () => (await import('../runtime/aws-sdk-v2-adapters/v3/cloudwatch')).cloudWatch)
                      .then((cloudWatch) => sendMetrics(cloudWatch, metrics!.namespace, metricCalls, deliveredMetrics))
                      .catch((err: unknown) => void problems.push(`CloudWatch: ${errorName(err)}`));

        let timer: NodeJS.Timeout | undefined;
        const timedOut = new Promise<'timeout'>((resolve) => {
            timer = setTimeout(() => resolve('timeout'), Math.max(0, deadline - now()));
        });
        const outcome = await Promise.race([Promise.all([logsDone, metricsDone]), timedOut]);
        clearTimeout(timer);
        abort.abort();
        for (const created of clients) created.destroy?.();

        const report: DeliveryReport = {
            lines: { delivered: deliveredLines.count, total: lines.length },
            metrics: { delivered: deliveredMetrics.count, total: totalMetrics },
        };
        if (outcome === 'timeout') problems.unshift(`not finished within ${Math.round((deadline - started) / 100) / 10} s`);
        if (report.lines.delivered < report.lines.total || report.metrics.delivered < report.metrics.total) {
            report.problem = problems.join('; ') || 'unknown';
            say(undeliveredLine(report, destination));
        }
        return report;
    }
}

async function sendMetrics(
    cloudWatch: { send: Send; commands: V3Service['commands'] },
    namespace: string,
    calls: readonly MetricDatum[][],
    delivered: { count: number },
): Promise<void> {
    const { putMetricData } = cloudWatch.commands;
    if (!putMetricData) throw new Error('The CloudWatch command is missing.');
    for (const data of calls) {
        await cloudWatch.send(new putMetricData({ Namespace: namespace, MetricData: data }));
        delivered.count += data.length;
    }
}

function clientConfig(destination: ProviderDestination): V3ClientConfig {
    const { accessKeyId, secretAccessKey, sessionToken } = destination.credentials;
    return {
        region: destination.region,
        credentials: { accessKeyId: accessKeyId!, secretAccessKey: secretAccessKey!, sessionToken },
        maxAttempts: MAX_ATTEMPTS,
        requestHandler: { connectionTimeout: CONNECTION_TIMEOUT_MS, requestTimeout: REQUEST_TIMEOUT_MS, throwOnRequestTimeout: true },
    };
}

/** The one Lambda-log line of an invocation whose output CloudWatch did not take. */
export function undeliveredLine(report: DeliveryReport, destination: ProviderDestination): string {
    const parts: string[] = [];
    if (report.lines.delivered < report.lines.total) {
        parts.push(
            `${report.lines.total - report.lines.delivered} of ${report.lines.total} log lines for log group ${destination.logGroupName ?? ''}, stream ${destination.logStreamName}`,
        );
    }
    if (report.metrics.delivered < report.metrics.total) {
        parts.push(`${report.metrics.total - report.metrics.delivered} of ${report.metrics.total} metrics`);
    }
    return `Provider log delivery: ${parts.join(' and ')} not delivered (${report.problem ?? 'unknown'}); the answer does not depend on them.`;
}
