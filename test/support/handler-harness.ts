/**
 * The handlers as CloudFormation drives them, in-process: the library's real `entrypoint`, and the
 * project's one callback-protocol driver (tools/local/cloudformation-driver.ts) for whole operations.
 */
import * as libraryUtils from '@amazon-web-services-cloudformation/cloudformation-cli-typescript-lib/dist/utils';
import { entrypoint, invocationTimers } from '../../src/handlers';
import type { OperationContext, RestartingOperation } from '../../src/restart/operation/progress';
import { CloudFormationDriver } from '../../tools/local/cloudformation-driver';
import { ACCOUNT_ID, CREDENTIALS, REGION, cfnEvent } from './cfn-event';
import { SimulatedClock } from './clock';
import { InMemorySsm } from './in-memory-ssm';
import { ScriptedEcs } from './scripted-ecs';

export interface HandlerResponse {
    status: string;
    errorCode?: string;
    message: string;
    /** Either stage of the operation's context; the fields of the restarting stage when it is that one. */
    callbackContext?: Partial<Omit<RestartingOperation, 'stage'>> & { stage?: OperationContext['stage'] } & Record<string, any>;
    callbackDelaySeconds: number;
    resourceModel?: Record<string, any>;
    resourceModels?: Array<Record<string, any>>;
}

export async function invokeHandler(event: ReturnType<typeof cfnEvent>): Promise<HandlerResponse> {
    return (await entrypoint(event, { getRemainingTimeInMillis: () => 60_000 })) as unknown as HandlerResponse;
}

export interface DriveOptions {
    previous?: Record<string, unknown>;
    /** Re-invocations at most; past them the last IN_PROGRESS answer is returned. */
    maxRounds?: number;
    /** Moved on by each callbackDelaySeconds, as the time CloudFormation waits. */
    clock?: SimulatedClock;
    /** Past maxRounds: return the last IN_PROGRESS answer (the default), or throw. */
    whenExhausted?: 'return' | 'throw';
}

/**
 * Drives one operation to its end; `between(round)` scripts ECS before each re-invocation (round 1 is
 * the first re-invocation).
 */
export async function driveHandler(
    action: 'CREATE' | 'UPDATE',
    properties: Record<string, unknown>,
    between: (round: number) => void = () => undefined,
    options: DriveOptions = {},
): Promise<{ final: HandlerResponse; rounds: HandlerResponse[] }> {
    const driver = new CloudFormationDriver({
        invoke: async (event) => ({ payload: await invokeHandler(event as ReturnType<typeof cfnEvent>) }),
        accountId: ACCOUNT_ID,
        region: REGION,
        credentials: () => Promise.resolve(CREDENTIALS),
        print: () => undefined,
        sleep: (seconds, invocation) => {
            options.clock?.advance(seconds * 1000);
            between(invocation - 1);
            return Promise.resolve();
        },
        maxInvocations: (options.maxRounds ?? 10) + 1,
        whenExhausted: options.whenExhausted ?? 'return',
    });
    const { responses } = await driver.run(action, 'RestartAfterRotation', properties, options.previous);
    return { final: responses.at(-1) as HandlerResponse, rounds: responses as HandlerResponse[] };
}

export interface ScriptedAws {
    ecs: ScriptedEcs;
    ssm: InMemorySsm;
}

/**
 * The set-up every handler test file shares: a scripted ECS and an in-memory Parameter Store made anew
 * for each test (handed to `onEach`), and a simulated clock on which the library's one-second drain
 * is skipped (no log publisher exists without provider credentials) and a wait between two looks
 * within one invocation passes.
 */
export function useScriptedAws(onEach: (aws: ScriptedAws) => void): SimulatedClock {
    const clock = new SimulatedClock();
    let current: ScriptedAws | undefined;
    beforeAll(() => {
        jest.spyOn(libraryUtils, 'delay').mockResolvedValue(undefined);
        jest.spyOn(invocationTimers, 'sleep').mockImplementation((ms) => {
            clock.advance(ms);
            return Promise.resolve();
        });
    });
    beforeEach(() => {
        clock.install();
        current = { ecs: new ScriptedEcs(), ssm: new InMemorySsm() };
        onEach(current);
    });
    afterEach(() => {
        current?.ecs.mock.restore();
        current?.ssm.mock.restore();
        clock.restore();
    });
    return clock;
}
