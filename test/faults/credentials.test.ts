/**
 * SPEC 3 (error codes): never credentials, tokens or secret values in a message, a log line or the
 * record; signature, expired or unrecognised-token errors are InvalidCredentials. SPEC 4: the record
 * stores a digest of the request token, never the token.
 */
import { ECS_TARGET } from '../support/fault-proxy';
import { CREDENTIALS, FaultEnvironment, outcomeOf } from '../support/packaged-harness';

let env: FaultEnvironment;

beforeAll(async () => {
    env = await FaultEnvironment.start({ services: ['i1-web', 'i2-web'] });
}, 60_000);

afterAll(() => env?.stop(), 90_000);

afterEach(() => env.proxy.clearFaults());

describe('credentials', () => {
    it('an InvalidSignatureException quoting the session token: FAILED InvalidCredentials, and the token appears nowhere', async () => {
        const rejected = env.proxy.fault({ operation: `${ECS_TARGET}.*`, action: { kind: 'invalid-signature' } });

        const created = await env.run('CREATE', { Cluster: env.cluster, Services: ['i1-web'] });

        expect(rejected.fired).toBeGreaterThan(0);
        expect(
            env.proxy.calls.some(
                (call) => call.fault === 'invalid-signature' && call.headers['x-amz-security-token'] === CREDENTIALS.sessionToken,
            ),
        ).toBe(true);
        expect(outcomeOf(created)).toMatch(/^FAILED InvalidCredentials: /);
        expect(await env.credentialLeaks()).toEqual([]);
    }, 60_000);

    it('the restart record never holds the bearer token in clear', async () => {
        const created = await env.run('CREATE', { Cluster: env.cluster, Services: ['i2-web'] });
        expect(outcomeOf(created)).toMatch(/^SUCCESS/);
        const bearerTokens = env.invocations.map((invocation) => String(invocation.event.bearerToken));
        const stored = [
            ...env.proxy.callsOf('AmazonSSM.PutParameter').map((call) => call.rawBody),
            ...(await env.records()).map((record) => record.value),
        ];

        const leaked = bearerTokens.filter((token) => stored.some((text) => text.includes(token)));

        expect(stored.length).toBeGreaterThan(0);
        expect(leaked).toEqual([]);
    }, 60_000);
});
