/**
 * Several resources restarting at once in one account: the real handler's `entrypoint` driven for each
 * through CloudFormation's callback protocol, all concurrently, against one timeline-driven ECS double
 * whose account-wide token buckets (test/support/ecs-token-buckets.ts) throttle them together, and one
 * in-memory Parameter Store, on virtual time. Each resource restarts its own services of the cluster.
 * Every wait is a (fake) timer, so the resources interleave as their callbacks and pacing waits fall
 * due, as they would in separate Lambda containers.
 */
import type { LambdaContext } from '@amazon-web-services-cloudformation/cloudformation-cli-typescript-lib';
import { ACCOUNT_ID, CREDENTIALS, REGION } from '../../test/support/cfn-event';
import { BucketFigures, EcsTokenBuckets, LoggedCall } from '../../test/support/ecs-token-buckets';
import { InMemorySsm } from '../../test/support/in-memory-ssm';
import type { EcsCallFamily } from '../../src/aws/pacing';
import type { CallbackContext } from '../../src/handlers';
import { CloudFormationDriver, OperationResult } from '../../tools/local/cloudformation-driver';
import { freshEntrypoint, quietConsole } from './handler-run';
import type { ScriptedEcs } from '../../test/support/scripted-ecs';
import { ServiceEnd, TimelineEcs, serviceName } from './timeline-ecs';
import type { ServiceTimeline } from './timelines';
import { VirtualTime } from './virtual-time';

const RECORD_PATH = '/CloudFormation/Org/ECS/ServiceRestart/';

/** The secret the services of the first resource selected by secret read (and no other service does). */
export const ROTATED_SECRET_ARN = `arn:aws:secretsmanager:${REGION}:${ACCOUNT_ID}:secret:shared/db-AbCdEf`;

/** The secret of the resource at `index`: each resource selected by secret restarts the readers of its own. */
export function rotatedSecretOf(index: number): string {
    return index === 0 ? ROTATED_SECRET_ARN : `arn:aws:secretsmanager:${REGION}:${ACCOUNT_ID}:secret:shared/db${index + 1}-AbCdEf`;
}

export interface SharedAccountResource {
    /** The timelines of the services it restarts. */
    timelines: readonly ServiceTimeline[];
    /** Selects its services by ServicesUsingSecrets (they read rotatedSecretOf(its index)) instead of naming them. */
    bySecret?: boolean;
    /** Its MaxConcurrentRestarts property; absent: all at once (the property's default). */
    maxConcurrentRestarts?: number;
}

export interface SharedAccountOptions {
    resources: readonly SharedAccountResource[];
    /** Services of the cluster that no resource restarts (each with a task definition reading no secret). */
    bystanders?: number;
    timeoutInMinutes: number;
    /** Calls per second that other callers of the account take from each bucket's refill. */
    otherCallers?: Partial<Record<EcsCallFamily, number>>;
    maxInvocations?: number;
}

export interface ResourceRun {
    status: OperationResult['status'];
    errorCode?: string;
    message?: string;
    /** Its properties as its last answer gave them (ServiceArns, DeploymentIds…). */
    model?: Record<string, unknown>;
    services: string[];
    invocations: number;
    /** From the moment ECS ended the last of its services' deployments to the handler's answer. */
    lagSeconds: number;
    /** From its first call to its answer. */
    durationSeconds: number;
    /** The largest callback context it returned, as JSON. */
    maxContextBytes: number;
    /** The size of each callback context it returned (JSON bytes, 0 for none) and its stage, answer by answer. */
    contexts: Array<{ bytes: number; stage?: string }>;
    /** The longest invocation, from the request to its answer, on the double's clock: the handler contract allows 60 s. */
    maxInvocationSeconds: number;
    /** Answers whose callback context handed a slowed rate (after throttling) on to the next invocation. */
    slowedHandOns: number;
    /** The SSM parameters of its record when it answered, and their bytes. */
    recordParameters: number;
    recordBytes: number;
    /** Its own calls (those naming one of its services) per bucket. */
    buckets: Partial<Record<EcsCallFamily, BucketFigures>>;
    /** Every answer's status and message: a test names what went wrong. */
    answers: Array<{ status: string; message?: string; errorCode?: string; callbackDelaySeconds?: number }>;
}

export interface SharedAccountRun {
    resources: ResourceRun[];
    ecsCallsByCommand: Record<string, number>;
    /** Every ECS call of the run, throttled ones included, in order. */
    calls: LoggedCall[];
    buckets: Partial<Record<EcsCallFamily, BucketFigures>>;
    throttledFraction: number;
    /** UpdateService answered per service: 1 for each restarted service, never more. */
    restartsPerService: Map<string, number>;
    /** When ECS ended each restarted service's deployment (its timeline's completion or failure). */
    ends: ServiceEnd[];
    ssmCalls: number;
}

const LAMBDA_CONTEXT = { awsRequestId: 'shared-account', getRemainingTimeInMillis: () => 60_000 } as unknown as LambdaContext;

function countByCommand(commands: readonly string[]): Record<string, number> {
    const counts: Record<string, number> = {};
    for (const command of commands) counts[command] = (counts[command] ?? 0) + 1;
    return counts;
}

/** A task definition of its own for each service: reading the rotated secret, or a secret nobody rotates. */
function taskDefinitionOf(ecs: ScriptedEcs, name: string, rotatedSecret: string | undefined): string {
    const valueFrom = rotatedSecret ?? `arn:aws:secretsmanager:${REGION}:${ACCOUNT_ID}:secret:${name}/own-AbCdEf`;
    return ecs.registerTaskDefinition(name, [{ name: 'app', image: 'app:latest', secrets: [{ name: 'SECRET', valueFrom }] }]);
}

export async function runSharedAccount(options: SharedAccountOptions): Promise<SharedAccountRun> {
    const time = new VirtualTime();
    const restoreConsole = quietConsole();
    /** Service name → the rotated secret it reads. */
    const readers = new Map<string, string>();
    let offset = 0;
    const plans = options.resources.map((resource, index) => {
        const services = Array.from({ length: resource.timelines.length }, (_, i) => serviceName(offset + i));
        offset += resource.timelines.length;
        if (resource.bySecret) services.forEach((name) => readers.set(name, rotatedSecretOf(index)));
        return { ...resource, services };
    });
    const world = new TimelineEcs(
        options.resources.flatMap((resource) => resource.timelines),
        { bystanders: options.bystanders, taskDefinitionOf: (ecs, name) => taskDefinitionOf(ecs, name, readers.get(name)) },
    );
    const buckets = new EcsTokenBuckets(() => world.ecs.now, options.otherCallers);
    world.ecs.tokenBuckets = buckets;
    const ssm = new InMemorySsm();
    // One module instance for every resource: its state is per invocation (AsyncLocalStorage), as in
    // separate containers; loaded afresh so that no earlier run's log filters slow this one.
    const entrypoint = freshEntrypoint();
    try {
        const runs = await Promise.all(
            plans.map(async ({ services, bySecret, maxConcurrentRestarts }, index) => {
                const contexts: ResourceRun['contexts'] = [];
                let slowedHandOns = 0;
                let maxInvocationMs = 0;
                const driver = new CloudFormationDriver({
                    invoke: async (event) => {
                        const invokedAt = time.now;
                        const payload = (await entrypoint(event, LAMBDA_CONTEXT)) as { callbackContext?: CallbackContext };
                        maxInvocationMs = Math.max(maxInvocationMs, time.now - invokedAt);
                        const context = payload.callbackContext;
                        contexts.push({ bytes: context ? JSON.stringify(context).length : 0, stage: context?.stage });
                        const handed = Object.values(payload.callbackContext?.ecsPacing?.families ?? {});
                        if (handed.some(([factor]) => factor < 1)) slowedHandOns += 1;
                        return { payload };
                    },
                    accountId: ACCOUNT_ID,
                    region: REGION,
                    credentials: () => Promise.resolve(CREDENTIALS),
                    print: () => undefined,
                    stackName: `stack-${index + 1}`,
                    // A timer, not a jump of the clock: the other resources run meanwhile.
                    sleep: (seconds) => new Promise((resolve) => setTimeout(resolve, seconds * 1000)),
                    maxInvocations: options.maxInvocations ?? 5_000,
                    whenExhausted: 'return',
                });
                const startedAt = time.now;
                const result = await driver.run('CREATE', `Restart${index + 1}`, {
                    Cluster: world.ecs.cluster,
                    ...(bySecret ? { ServicesUsingSecrets: [rotatedSecretOf(index)] } : { Services: services }),
                    TimeoutInMinutes: options.timeoutInMinutes,
                    ...(maxConcurrentRestarts === undefined ? {} : { MaxConcurrentRestarts: maxConcurrentRestarts }),
                });
                const answeredAt = time.now;
                const id = String(result.resourceModel?.Id ?? '');
                const parameters = [...ssm.parameters].filter(([name]) => id !== '' && name.startsWith(RECORD_PATH + id));
                const ends = world.ends.filter((end) => services.includes(end.name));
                const lastEnd = ends.length > 0 ? Math.max(...ends.map((end) => end.endedAt)) : answeredAt;
                const run: ResourceRun = {
                    status: result.status,
                    errorCode: result.errorCode,
                    message: result.message,
                    model: result.resourceModel,
                    services,
                    invocations: result.invocations,
                    lagSeconds: (answeredAt - lastEnd) / 1000,
                    durationSeconds: (answeredAt - startedAt) / 1000,
                    maxContextBytes: Math.max(0, ...contexts.map((context) => context.bytes)),
                    contexts,
                    maxInvocationSeconds: maxInvocationMs / 1000,
                    slowedHandOns,
                    recordParameters: parameters.length,
                    recordBytes: parameters.reduce((sum, [, value]) => sum + Buffer.byteLength(value), 0),
                    buckets: {},
                    answers: (result.responses as ResourceRun['answers']).map(({ status, message, errorCode, callbackDelaySeconds }) => ({
                        status,
                        message,
                        errorCode,
                        callbackDelaySeconds,
                    })),
                };
                return run;
            }),
        );
        for (const run of runs) {
            const own = new Set(run.services);
            run.buckets = buckets.figures(
                buckets.log.filter((call) => call.subject !== undefined && own.has(call.subject)),
                run.durationSeconds,
            );
        }
        const spanSeconds = Math.max(0, ...runs.map((run) => run.durationSeconds));
        const throttled = buckets.log.filter((call) => call.throttled).length;
        return {
            resources: runs,
            ecsCallsByCommand: countByCommand(buckets.log.map((call) => call.command)),
            calls: buckets.log,
            buckets: buckets.figures(buckets.log, spanSeconds),
            throttledFraction: buckets.log.length > 0 ? throttled / buckets.log.length : 0,
            restartsPerService: new Map(world.names.map((name) => [name, world.restarts(name)])),
            ends: world.ends,
            ssmCalls: ssm.mock.calls().length,
        };
    } finally {
        world.ecs.mock.restore();
        ssm.mock.restore();
        restoreConsole();
        time.uninstall();
    }
}
