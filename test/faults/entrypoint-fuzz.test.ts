/**
 * Property: whatever JSON arrives (envelope, resourceProperties, callbackContext), the packaged
 * entrypoint answers, quickly, with a valid progress event: FAILED always with a known error code and
 * a message, IN_PROGRESS always with a callback context and a delay. AWS is moto behind the proxy, so
 * a well-formed request fails fast on a cluster that does not exist instead of waiting on a network.
 */
import fc from 'fast-check';
import { performance } from 'perf_hooks';
import { clearTimeout as clearRealTimeout, setTimeout as setRealTimeout } from 'timers';
import { ACCOUNT_ID, CREDENTIALS, FaultEnvironment, REGION } from '../support/packaged-harness';

/** About 12 ms a case (most cases reach moto at least once): 3,000 cases in well under a minute. */
const RUNS = 3_000;
/** A valid answer needs a few AWS calls to moto at most; longer is a hang. */
const CASE_LIMIT_MS = 3_000;
/** HandlerErrorCode of the protocol (cloudformation-cli-typescript-lib, interface.ts). */
const ERROR_CODES = new Set([
    'NotUpdatable',
    'InvalidRequest',
    'AccessDenied',
    'InvalidCredentials',
    'AlreadyExists',
    'NotFound',
    'ResourceConflict',
    'Throttling',
    'ServiceLimitExceeded',
    'NotStabilized',
    'GeneralServiceException',
    'ServiceInternalError',
    'NetworkFailure',
    'InternalFailure',
    'InvalidTypeConfiguration',
    'HandlerInternalFailure',
    'NonCompliant',
    'Unknown',
    'UnsupportedTarget',
]);

let env: FaultEnvironment;

beforeAll(async () => {
    env = await FaultEnvironment.start({ services: ['z-web'] });
}, 60_000);

afterAll(() => env?.stop(), 90_000);

const json = fc.jsonValue({ maxDepth: 3 });
const maybe = <T>(arbitrary: fc.Arbitrary<T>) => fc.option(arbitrary, { nil: undefined });
const nearlyValidProperties = fc.record(
    {
        Cluster: fc.oneof(fc.constantFrom('faults', 'missing', ''), json),
        Services: fc.oneof(fc.array(fc.oneof(fc.constantFrom('z-web', 'nope'), fc.string({ maxLength: 40 })), { maxLength: 4 }), json),
        Triggers: fc.oneof(fc.dictionary(fc.string({ maxLength: 12 }), fc.string({ maxLength: 12 }), { maxKeys: 3 }), json),
        WaitForSteadyState: fc.oneof(fc.boolean(), json),
        TimeoutInMinutes: fc.oneof(fc.integer({ min: -5, max: 2_000 }), json),
        MaxConcurrentRestarts: fc.oneof(fc.integer({ min: -1, max: 25 }), json),
        Id: fc.oneof(fc.uuid(), fc.string({ maxLength: 40 }), json),
    },
    { requiredKeys: [] },
);
const properties = fc.oneof(json, nearlyValidProperties);
const callbackContext = fc.oneof(
    fc.constant(undefined),
    json,
    fc.record(
        { progress: fc.oneof(json, fc.dictionary(fc.string({ maxLength: 16 }), json, { maxKeys: 6 })), firstStep: json },
        { requiredKeys: [] },
    ),
);
const envelope = fc.record(
    {
        action: fc.oneof(fc.constantFrom('CREATE', 'READ', 'UPDATE', 'DELETE', 'LIST'), json),
        awsAccountId: fc.oneof(fc.constant(ACCOUNT_ID), json),
        bearerToken: fc.oneof(fc.uuid(), json),
        region: fc.oneof(fc.constant(REGION), fc.string({ maxLength: 12 }), json),
        resourceType: fc.oneof(fc.constant('Org::ECS::ServiceRestart'), json),
        resourceTypeVersion: fc.oneof(fc.constant('00000001'), json),
        stackId: fc.oneof(fc.constant(`arn:aws:cloudformation:${REGION}:${ACCOUNT_ID}:stack/fuzz/1`), json),
        callbackContext,
        requestData: fc.oneof(
            json,
            fc.record(
                {
                    callerCredentials: fc.oneof(fc.constant(CREDENTIALS), json),
                    resourceProperties: properties,
                    previousResourceProperties: maybe(properties),
                    logicalResourceId: fc.oneof(fc.constant('Fuzzed'), json),
                    systemTags: json,
                    stackTags: json,
                },
                { requiredKeys: [] },
            ),
        ),
    },
    { requiredKeys: ['action', 'awsAccountId', 'region', 'requestData'] },
);

/** What is wrong with an answer, or undefined when it is a valid progress event. */
function problemWith(answer: any): string | undefined {
    if (!answer || typeof answer !== 'object') return `not an object: ${JSON.stringify(answer)}`;
    switch (answer.status) {
        case 'SUCCESS':
            return undefined;
        case 'FAILED':
            if (!ERROR_CODES.has(answer.errorCode)) return `FAILED without a known error code: ${JSON.stringify(answer.errorCode)}`;
            if (typeof answer.message !== 'string' || answer.message.length === 0) return 'FAILED without a message';
            return undefined;
        case 'IN_PROGRESS':
            if (typeof answer.callbackDelaySeconds !== 'number' || !(answer.callbackDelaySeconds >= 0))
                return 'IN_PROGRESS without a delay';
            if (!answer.callbackContext || typeof answer.callbackContext !== 'object') return 'IN_PROGRESS without a callback context';
            return undefined;
        default:
            return `unknown status ${JSON.stringify(answer.status)}`;
    }
}

async function answerWithin(event: unknown): Promise<any> {
    let timer: NodeJS.Timeout | undefined;
    try {
        return await Promise.race([
            env.invoke(event as Record<string, any>).then((answer) => answer.payload),
            new Promise((_resolve, reject) => {
                timer = setRealTimeout(() => reject(new Error(`no answer within ${CASE_LIMIT_MS} ms`)), CASE_LIMIT_MS);
            }),
        ]);
    } finally {
        clearRealTimeout(timer);
    }
}

describe('the packaged entrypoint under arbitrary JSON', () => {
    it(`answers ${RUNS} fuzzed events with valid progress events, never crashing or hanging`, async () => {
        const startedAt = performance.now();

        await fc.assert(
            fc.asyncProperty(fc.oneof({ arbitrary: envelope, weight: 4 }, { arbitrary: json, weight: 1 }), async (event) => {
                const answer = await answerWithin(event);
                const problem = problemWith(answer);
                if (problem) throw new Error(`${problem}\nanswer: ${JSON.stringify(answer).slice(0, 500)}`);
            }),
            // The first counterexample is the report: shrinking would re-run slow cases for minutes.
            { numRuns: RUNS, endOnFailure: true, interruptAfterTimeLimit: 90_000, markInterruptAsFailure: true },
        );

        expect(performance.now() - startedAt).toBeLessThan(90_000);
    }, 180_000);
});
