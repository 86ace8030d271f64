/**
 * SPEC 5: the 60-second contract holds with the type's logging configured (every request carries
 * providerCredentials and providerLogGroupName, as deploy/register-type.yaml registers the type),
 * whatever CloudWatch Logs and CloudWatch do: each invocation answers within 55 s with the outcome the
 * work decided, each service is restarted once, and an output CloudWatch did not take is said once on
 * the Lambda log. On the normal path the lines reach the log group in order.
 */
import { CloudWatchLogsClient, FilterLogEventsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { FaultAction } from '../support/fault-proxy';
import { FaultEnvironment, REGION, outcomeOf } from '../support/packaged-harness';

const LOGS_TARGET = 'Logs_20140328';
const METRICS_TARGET = 'GraniteServiceVersion20100801';
const ANSWER_WITHIN_MS = 55_000;
const LOG_GROUP = 'org-ecs-servicerestart-fault-logs';
const PROVIDER = {
    accessKeyId: 'ASIAPROVIDERFAULTS01',
    secretAccessKey: 'provider-fault-SECRET/x8',
    sessionToken: 'ProviderFaultTOKEN//a1',
};
const SERVICES = ['p1', 'p2', 'p3', 'p4', 'p5', 'p6', 'p7'];

let env: FaultEnvironment;

beforeAll(async () => {
    env = await FaultEnvironment.start({ services: SERVICES });
}, 60_000);

afterAll(() => env?.stop(), 120_000);

afterEach(() => env.proxy.clearFaults());

/** A create of `service` with logging configured, driven to its end; the invocations it took. */
async function createWithLogging(service: string) {
    const first = env.invocations.length;
    const result = await env.run(
        'CREATE',
        { Cluster: env.cluster, Services: [service] },
        {
            beforeInvoke: (event) => {
                event.requestData.providerCredentials = PROVIDER;
                event.requestData.providerLogGroupName = LOG_GROUP;
            },
        },
    );
    return { result, invocations: env.invocations.slice(first), logs: env.logs.join('\n') };
}

const sayings = (text: string): string[] => text.match(/Provider log delivery: [^\n]*/g) ?? [];

it('delivers every line to the log group, in order, after the work', async () => {
    const logsBefore = env.logs.length;
    const { result, invocations } = await createWithLogging('p1');

    expect(outcomeOf(result)).toBe('SUCCESS: ');
    expect(env.proxy.updateServiceCallsReachingMoto().p1).toBe(1);
    // Each invocation's PutLogEvents came after its ECS work: the lines are kept, then sent.
    expect(env.proxy.callsOf('PutLogEvents').length).toBeLessThanOrEqual(invocations.length + 1);

    const logs = new CloudWatchLogsClient({
        region: REGION,
        endpoint: env.moto.endpoint,
        credentials: { accessKeyId: 'direct', secretAccessKey: 'direct' },
    });
    const { events } = await logs.send(new FilterLogEventsCommand({ logGroupName: LOG_GROUP }));
    logs.destroy();
    const delivered = (events ?? []).map((event) => event.message ?? '');
    // The same lines, in the same order, as the handler printed on the Lambda log.
    const printed = env.logs
        .slice(logsBefore)
        .map((line) => line.replace(/\n$/, ''))
        .filter((line) => /^(START|END|REPORT) RequestId|^\[CREATE\]|^Handler returned/.test(line));
    expect(delivered.filter((line) => /^(START|END|REPORT) RequestId|^\[CREATE\]|^Handler returned/.test(line))).toEqual(printed);
    expect(delivered.filter((line) => line.startsWith('START')).length).toBe(invocations.length);
    const times = (events ?? []).map((event) => event.timestamp ?? 0);
    expect(times).toEqual([...times].sort((a, b) => a - b));
    expect(sayings(env.logs.slice(logsBefore).join('\n'))).toEqual([]);
    expect(delivered.join('\n')).not.toContain(PROVIDER.secretAccessKey);
}, 120_000);

const THROTTLED: FaultAction = { kind: 'error', status: 400, type: 'ThrottlingException', message: 'Rate exceeded' };
const cases: Array<[string, string, string, FaultAction]> = [
    ['CloudWatch Logs answering after 4 s', 'p2', LOGS_TARGET, { kind: 'delay', ms: 4_000 }],
    ['CloudWatch Logs throttling every call', 'p3', LOGS_TARGET, THROTTLED],
    ['CloudWatch Logs never answering', 'p4', LOGS_TARGET, { kind: 'hang' }],
    ['CloudWatch answering after 4 s', 'p5', METRICS_TARGET, { kind: 'delay', ms: 4_000 }],
    ['CloudWatch throttling every call', 'p6', METRICS_TARGET, THROTTLED],
    ['CloudWatch never answering', 'p7', METRICS_TARGET, { kind: 'hang' }],
];

it.each(cases)(
    '%s: each invocation answers within 55 s, the outcome unchanged, the service restarted once',
    async (_name, service, target, action) => {
        const fault = env.proxy.fault({ operation: `${target}.*`, action });
        const logsBefore = env.logs.length;

        const { result, invocations } = await createWithLogging(service);

        expect(fault.fired).toBeGreaterThan(0);
        expect(outcomeOf(result)).toBe('SUCCESS: ');
        expect(env.proxy.updateServiceCallsReachingMoto()[service]).toBe(1);
        for (const invocation of invocations) expect(invocation.durationMs).toBeLessThan(ANSWER_WITHIN_MS);
        // What CloudWatch did not take is said once per invocation at most, on the Lambda log.
        const said = sayings(env.logs.slice(logsBefore).join('\n'));
        expect(said.length).toBeLessThanOrEqual(invocations.length);
        if (action.kind !== 'delay') expect(said.length).toBe(invocations.length);
        process.stdout.write(`${_name}: invocations took ${invocations.map((i) => (i.durationMs / 1000).toFixed(1)).join(', ')} s\n`);
    },
    300_000,
);
