/**
 * The scale figures: one resource of 20, 100 and 1,000 services, three resources of 300 at once in one
 * account, and the resolution of a 5,000-service cluster, each on the timeline-driven ECS double with
 * ECS's account-wide token buckets modelled (bench/polling/shared-account.ts), beside what the AWS
 * CLI's 15-second poller (`aws ecs wait services-stable`, DescribeServices of 10 services a call) would
 * cost over the same services. A size above the services limit of this build (MAX_SERVICES) is
 * printed as "needs limit" rather than run.
 */
import { MAX_LISTED_SERVICES, MAX_SERVICES } from '../../src/restart/request/settings';
import { ECS_TOKEN_BUCKETS, EcsCallFamily } from '../../src/aws/pacing';
import { BASELINE_POLL_SECONDS } from './baselines';
import { SharedAccountRun, runSharedAccount } from './shared-account';
import { TIMELINE_SEED, serviceTimelines, stableAtSeconds } from './timelines';

export const SCALE_TIMEOUT_IN_MINUTES = 180;
const CLI_DESCRIBE_BATCH = 10;
/** Services of the 5,000-service cluster that read the rotated secret. */
const RESOLUTION_READERS = 10;

interface Scenario {
    name: string;
    resources: number[];
    /** Services of the cluster beyond those restarted (the resolution's cluster). */
    bystanders?: number;
    bySecret?: boolean;
}

export const SCENARIOS: Scenario[] = [
    { name: '20 services, one resource', resources: [20] },
    { name: '100 services, one resource', resources: [100] },
    { name: '1,000 services, one resource', resources: [1_000] },
    { name: '3 resources of 300 at once', resources: [300, 300, 300] },
    {
        name: `ServicesUsingSecrets over 5,000 services (${RESOLUTION_READERS} read it)`,
        resources: [RESOLUTION_READERS],
        bystanders: 5_000 - RESOLUTION_READERS,
        bySecret: true,
    },
];

export interface BucketRow {
    bucket: EcsCallFamily;
    refillPerSecond: number;
    burst: number;
    peakPerSecond: number;
    meanPerSecond: number;
    cliPeakPerSecond?: number;
    cliMeanPerSecond?: number;
}

export interface ScenarioFigures {
    scenario: string;
    ran: boolean;
    /** Why it did not run: a size over this build's services limit. */
    needs?: string;
    statuses?: string[];
    invocationsPerResource?: number[];
    ecsCalls?: number;
    ecsCallsByCommand?: Record<string, number>;
    throttledFraction?: number;
    /** Per resource: its last deployment's end (in ECS) to its SUCCESS. */
    lagSeconds?: number[];
    durationSeconds?: number[];
    recordParameters?: number[];
    recordBytes?: number[];
    maxContextBytes?: number[];
    buckets?: BucketRow[];
    cli?: { ecsCalls: number; lagSeconds: number; describeServicesPerPoll: number; polls: number };
}

function round(value: number, digits = 1): number {
    return Math.round(value * 10 ** digits) / 10 ** digits;
}

/**
 * The AWS CLI's poller over the same services, restarted at once (UpdateService n times, then a waiter
 * per 10 services, each polling every 15 s from the restart until its services are stable).
 */
function cliFigures(
    stableAt: number[],
    lastEndSeconds: number,
): NonNullable<ScenarioFigures['cli']> & { buckets: Partial<Record<EcsCallFamily, [number, number]>> } {
    const calls = Math.ceil(stableAt.length / CLI_DESCRIBE_BATCH);
    const last = Math.max(...stableAt);
    const polls = Math.ceil(last / BASELINE_POLL_SECONDS) + 1;
    const span = Math.max(BASELINE_POLL_SECONDS, (polls - 1) * BASELINE_POLL_SECONDS);
    return {
        ecsCalls: stableAt.length + polls * calls,
        lagSeconds: Math.ceil(last / BASELINE_POLL_SECONDS) * BASELINE_POLL_SECONDS - lastEndSeconds,
        describeServicesPerPoll: calls,
        polls,
        // Every waiter polls at the same moment; the restarts are sent as fast as the CLI goes.
        buckets: {
            'service-read': [calls, (polls * calls) / span],
            'service-modify': [stableAt.length, stableAt.length / span],
        },
    };
}

async function runScenario(scenario: Scenario): Promise<ScenarioFigures> {
    const largest = Math.max(...scenario.resources);
    if (largest > MAX_SERVICES) {
        return { scenario: scenario.name, ran: false, needs: `needs limit ≥ ${largest} (this build: ${MAX_SERVICES})` };
    }
    const timelines = serviceTimelines(
        scenario.resources.reduce((sum, count) => sum + count, 0),
        TIMELINE_SEED,
    );
    let offset = 0;
    const resources = scenario.resources.map((count) => {
        const own = timelines.slice(offset, offset + count);
        offset += count;
        // Services names at most MAX_LISTED_SERVICES: a larger resource selects its services by the secret they read.
        return { timelines: own, bySecret: scenario.bySecret === true || count > MAX_LISTED_SERVICES };
    });
    const run: SharedAccountRun = await runSharedAccount({
        resources,
        bystanders: scenario.bystanders,
        timeoutInMinutes: SCALE_TIMEOUT_IN_MINUTES,
    });
    // The CLI restarts the same services at once and waits for the last; its lag is to that one's end.
    const stableAt = timelines.map(stableAtSeconds);
    const cli = cliFigures(stableAt, Math.max(...stableAt));
    const buckets: BucketRow[] = (Object.keys(ECS_TOKEN_BUCKETS) as EcsCallFamily[]).flatMap((bucket) => {
        const figures = run.buckets[bucket];
        if (!figures) return [];
        const cliBucket = cli.buckets[bucket];
        return [
            {
                bucket,
                refillPerSecond: figures.refillPerSecond,
                burst: figures.burst,
                peakPerSecond: figures.peakPerSecond,
                meanPerSecond: round(figures.meanPerSecond, 2),
                ...(cliBucket ? { cliPeakPerSecond: cliBucket[0], cliMeanPerSecond: round(cliBucket[1], 2) } : {}),
            },
        ];
    });
    const { buckets: _cliBuckets, ...cliTotals } = cli;
    return {
        scenario: scenario.name,
        ran: true,
        statuses: run.resources.map((resource) => `${resource.status}${resource.errorCode ? ` ${resource.errorCode}` : ''}`),
        invocationsPerResource: run.resources.map((resource) => resource.invocations),
        ecsCalls: run.calls.length,
        ecsCallsByCommand: run.ecsCallsByCommand,
        throttledFraction: round(run.throttledFraction, 4),
        lagSeconds: run.resources.map((resource) => round(resource.lagSeconds)),
        durationSeconds: run.resources.map((resource) => round(resource.durationSeconds)),
        recordParameters: run.resources.map((resource) => resource.recordParameters),
        recordBytes: run.resources.map((resource) => resource.recordBytes),
        maxContextBytes: run.resources.map((resource) => resource.maxContextBytes),
        buckets,
        ...(scenario.bySecret ? {} : { cli: cliTotals }),
    };
}

export interface ScaleFigures {
    command: string;
    seed: number;
    servicesLimit: number;
    timeoutInMinutes: number;
    scenarios: ScenarioFigures[];
}

export async function scaleFigures(progress: (line: string) => void = () => undefined): Promise<ScaleFigures> {
    const scenarios: ScenarioFigures[] = [];
    for (const scenario of SCENARIOS) {
        progress(scenario.name);
        scenarios.push(await runScenario(scenario));
    }
    return {
        command: 'make bench-scale',
        seed: TIMELINE_SEED,
        servicesLimit: MAX_SERVICES,
        timeoutInMinutes: SCALE_TIMEOUT_IN_MINUTES,
        scenarios,
    };
}

function spread(values: readonly number[] | undefined): string {
    if (!values || values.length === 0) return '–';
    const min = Math.min(...values);
    const max = Math.max(...values);
    return min === max ? String(min) : `${min}–${max}`;
}

function outcomes(statuses: readonly string[] | undefined): string {
    const counts = new Map<string, number>();
    for (const status of statuses ?? []) counts.set(status, (counts.get(status) ?? 0) + 1);
    return [...counts].map(([status, count]) => (count > 1 ? `${count} × ${status}` : status)).join(', ');
}

function commands(byCommand: Record<string, number> | undefined): string {
    return Object.entries(byCommand ?? {})
        .sort(([, a], [, b]) => b - a)
        .map(([command, count]) => `${command} ${count}`)
        .join(', ');
}

/** Two markdown tables: per scenario, and per bucket. */
export function formatScaleTables(figures: ScaleFigures): string[] {
    const lines = [
        '| scenario | poller | outcome | invocations per resource | ECS calls | by command | throttled | lag s (last deployment end → answer) | SSM parameters / bytes per record | callback context bytes (max) |',
        '| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |',
    ];
    for (const row of figures.scenarios) {
        if (!row.ran) {
            lines.push(`| ${row.scenario} | this handler | ${row.needs ?? ''} | – | – | – | – | – | – | – |`);
            continue;
        }
        lines.push(
            `| ${row.scenario} | this handler | ${outcomes(row.statuses)} | ${spread(row.invocationsPerResource)} | ${row.ecsCalls} | ${commands(row.ecsCallsByCommand)} | ${round((row.throttledFraction ?? 0) * 100, 2)} % | ${spread(row.lagSeconds)} | ${spread(row.recordParameters)} / ${spread(row.recordBytes)} | ${spread(row.maxContextBytes)} |`,
        );
        if (row.cli) {
            lines.push(
                `| ${row.scenario} | 15-s CLI poller | success (any outcome) | – | ${row.cli.ecsCalls} | UpdateService, DescribeServices ${row.cli.describeServicesPerPoll} a poll × ${row.cli.polls} polls | – | ${row.cli.lagSeconds} | 0 | – |`,
            );
        }
    }
    lines.push('');
    lines.push('| scenario | bucket | refill/s (burst) | handler peak/s | handler mean/s | 15-s CLI poller peak/s | CLI mean/s |');
    lines.push('| --- | --- | --- | --- | --- | --- | --- |');
    for (const row of figures.scenarios) {
        if (!row.ran) {
            lines.push(`| ${row.scenario} | – | – | ${row.needs ?? ''} | – | – | – |`);
            continue;
        }
        for (const bucket of row.buckets ?? []) {
            lines.push(
                `| ${row.scenario} | ${bucket.bucket} | ${bucket.refillPerSecond} (${bucket.burst}) | ${bucket.peakPerSecond} | ${bucket.meanPerSecond} | ${bucket.cliPeakPerSecond ?? '–'} | ${bucket.cliMeanPerSecond ?? '–'} |`,
            );
        }
    }
    return lines;
}
