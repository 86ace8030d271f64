/**
 * SPEC 3.5 and 3.10: every invocation returns within the 60-second handler contract, whatever ECS
 * does; every SDK call has a hard timeout and the invocation budget is checked before every call.
 *
 * What the SDK does by itself (@smithy/node-http-handler 4.14.2, dist-cjs/index.js): `requestTimeout`
 * only logs "[WARN] a request has exceeded the configured … requestTimeout" unless the handler is
 * built with `throwOnRequestTimeout: true` (setRequestTimeout); the socket inactivity timeout that
 * does end a call defaults, for the ECS and SSM clients, to 900,000 ms (getDefaultSocketTimeout in
 * their runtime config). So a `requestTimeout` alone lets one hung call outlive the invocation.
 */
import { ECS_TARGET } from '../support/fault-proxy';
import { ACCOUNT_ID, FaultEnvironment, INVOCATION_LIMIT_MS, REGION } from '../support/packaged-harness';

const MANY = Array.from({ length: 20 }, (_, i) => `b3-svc-${String(i + 1).padStart(2, '0')}`);
let env: FaultEnvironment;

beforeAll(async () => {
    env = await FaultEnvironment.start({ services: ['b1-web', 'b2-web', ...MANY] });
}, 60_000);

afterAll(() => env?.stop(), 120_000);

afterEach(() => env.proxy.clearFaults());

/**
 * Drives the operation for at most `invocations` invocations. Running out of invocations is the
 * expected end while ECS stays slow; any other error (an invocation over 60 s) is the test's failure.
 */
async function driveFor(properties: Record<string, unknown>, invocations: number): Promise<void> {
    await env.run('CREATE', properties, { maxInvocations: invocations }).catch((err: Error) => {
        if (!/still IN_PROGRESS after/.test(err.message)) throw err;
    });
}

describe('an ECS endpoint that is slow or silent', () => {
    it('answers every call 70 s late: each invocation still returns within 60 s', async () => {
        env.proxy.fault({ operation: `${ECS_TARGET}.*`, action: { kind: 'delay', ms: 70_000 } });

        await driveFor({ Cluster: env.cluster, Services: ['b1-web'] }, 2);

        expect(env.slowestInvocationMs()).toBeLessThan(INVOCATION_LIMIT_MS);
    }, 150_000);

    it('never answers: each invocation still returns within 60 s', async () => {
        env.proxy.fault({ operation: `${ECS_TARGET}.*`, action: { kind: 'hang' } });

        await driveFor({ Cluster: env.cluster, Services: ['b2-web'] }, 2);

        expect(env.slowestInvocationMs()).toBeLessThan(INVOCATION_LIMIT_MS);
    }, 150_000);

    it('answers ListServiceDeployments after 3 s for each of 20 services: each invocation still returns within 60 s', async () => {
        const slow = env.proxy.fault({
            operation: 'ListServiceDeployments',
            action: { kind: 'respond', body: { serviceDeployments: [] }, delayMs: 3_000 },
        });

        await driveFor({ Cluster: env.cluster, Services: MANY }, 3);

        expect(slow.fired).toBeGreaterThan(0);
        expect(env.slowestInvocationMs()).toBeLessThan(INVOCATION_LIMIT_MS);
        expect(await env.credentialLeaks()).toEqual([]);
    }, 200_000);

    // The calls of a ServicesUsingSecrets resolution go through the same deadline as every other call.
    const secret = (): string => `arn:aws:secretsmanager:${REGION}:${ACCOUNT_ID}:secret:fault-db-AbCdEf`;

    it.each(['ListServices', 'DescribeTaskDefinition'])(
        'never answers %s while finding the services that read a secret: each invocation still returns within 60 s',
        async (operation) => {
            const silent = env.proxy.fault({ operation, action: { kind: 'hang' } });

            await driveFor({ Cluster: env.cluster, ServicesUsingSecrets: [secret()] }, 2);

            expect(silent.fired).toBeGreaterThan(0);
            expect(env.slowestInvocationMs()).toBeLessThan(INVOCATION_LIMIT_MS);
        },
        150_000,
    );
});
