/**
 * One restart of the real handler on one timeline: the library's `entrypoint` (src/handlers.ts) driven
 * through CloudFormation's callback protocol by the project's driver, against the timeline-driven ECS
 * double and in-memory Parameter Store, on virtual time. Only the public entrypoint is used, so the
 * figures follow whatever schedule and observation the handler implements.
 */
import type { LambdaContext } from '@amazon-web-services-cloudformation/cloudformation-cli-typescript-lib';
import path from 'path';
import type * as Handlers from '../../src/handlers';
import { CloudFormationDriver } from '../../tools/local/cloudformation-driver';
import { ACCOUNT_ID, CREDENTIALS, REGION } from '../../test/support/cfn-event';
import { InMemorySsm } from '../../test/support/in-memory-ssm';
import { TimelineEcs } from './timeline-ecs';
import { RestartTimeline, restartOutcome } from './timelines';
import { VirtualTime } from './virtual-time';

/** Long enough for the slowest timeline of the mix (three batches, a long drain, superseded late). */
export const TIMEOUT_IN_MINUTES = 180;

export interface HandlerRun {
    status: 'SUCCESS' | 'FAILED';
    errorCode?: string;
    /** The outcome the timeline decides (SUCCESS, or FAILED by the circuit breaker). */
    expected: 'SUCCESS' | 'FAILED';
    /** From the moment ECS decided the outcome (last completion, first failure) to the handler's answer. */
    lagSeconds: number;
    invocations: number;
    ecsCalls: number;
    ecsCallsByCommand: Record<string, number>;
    ssmCalls: number;
}

const LAMBDA_CONTEXT = { awsRequestId: 'polling-economy', getRemainingTimeInMillis: () => 60_000 } as unknown as LambdaContext;

function callsByCommand(calls: ReadonlyArray<{ args: readonly unknown[] }>): Record<string, number> {
    const counts: Record<string, number> = {};
    for (const call of calls) {
        const name = (call.args[0] as object).constructor.name.replace(/Command$/, '');
        counts[name] = (counts[name] ?? 0) + 1;
    }
    return counts;
}

const SOURCE_DIR = path.join(__dirname, '..', '..', 'src') + path.sep;
const LIBRARY_DIR = `${path.sep}@amazon-web-services-cloudformation${path.sep}`;

/**
 * The handler as a fresh Lambda container loads it. The library adds log filters to its module-level
 * logger on every invocation and never drops them, so in one long-lived process each log line would
 * cost more with every invocation before it (quadratic in the benchmark). Under Jest, whose module
 * registry is its own, this is the module already loaded.
 */
export function freshEntrypoint(): typeof Handlers.entrypoint {
    for (const file of Object.keys(require.cache)) {
        if (file.startsWith(SOURCE_DIR) || file.includes(LIBRARY_DIR)) delete require.cache[file];
    }
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    return (require('../../src/handlers') as typeof Handlers).entrypoint;
}

/** The handler's own log lines (and the library's) are not part of the benchmark's output. */
export function quietConsole(): () => void {
    const saved = { log: console.log, info: console.info, debug: console.debug };
    console.log = console.info = console.debug = () => undefined;
    return () => Object.assign(console, saved);
}

export async function runHandler(timeline: RestartTimeline): Promise<HandlerRun> {
    const time = new VirtualTime();
    const restoreConsole = quietConsole();
    const world = new TimelineEcs(timeline.services);
    const ssm = new InMemorySsm();
    const entrypoint = freshEntrypoint();
    try {
        const driver = new CloudFormationDriver({
            invoke: async (event) => ({ payload: await entrypoint(event, LAMBDA_CONTEXT) }),
            accountId: ACCOUNT_ID,
            region: REGION,
            credentials: () => Promise.resolve(CREDENTIALS),
            print: () => undefined,
            sleep: (seconds) => time.wait(seconds),
        });
        const result = await driver.run('CREATE', 'Restart', {
            Cluster: world.ecs.cluster,
            Services: world.names,
            TimeoutInMinutes: TIMEOUT_IN_MINUTES,
        });
        const restartedAt = world.restartedAt;
        if (restartedAt === undefined) {
            throw new Error(`The handler restarted no service: ${result.status} ${result.errorCode ?? ''} ${result.message ?? ''}`);
        }
        const { outcome, decidedAtSeconds } = restartOutcome(timeline);
        const ecsCallsByCommand = callsByCommand(world.ecs.mock.calls());
        return {
            // The driver throws rather than answer IN_PROGRESS here: it is not told to return on exhaustion.
            status: result.status as 'SUCCESS' | 'FAILED',
            errorCode: result.errorCode,
            expected: outcome,
            lagSeconds: (time.now - restartedAt) / 1000 - decidedAtSeconds,
            invocations: result.invocations,
            ecsCalls: Object.values(ecsCallsByCommand).reduce((sum, count) => sum + count, 0),
            ecsCallsByCommand,
            ssmCalls: ssm.mock.calls().length,
        };
    } finally {
        world.ecs.mock.restore();
        ssm.mock.restore();
        restoreConsole();
        time.uninstall();
    }
}
