/**
 * SPEC 3 and 3.1: input is validated in its raw form against the schema file itself, before the
 * library's model transform; bad input is InvalidRequest with a message naming the offending value
 * (trimmed) and restarts nothing. Trigger keys that happen to be Object.prototype names are keys.
 */
import { FaultEnvironment, outcomeOf } from '../support/packaged-harness';

let env: FaultEnvironment;
const MESSAGE_LIMIT = 2_048;

beforeAll(async () => {
    env = await FaultEnvironment.start({ services: ['j-list', 'j-string', 'j-unknown', 'j-long', 'j-proto'] });
}, 60_000);

afterAll(() => env?.stop(), 90_000);

const LONG_NAME = 's'.repeat(100_000);
const REFUSED: Array<[string, Record<string, unknown>, RegExp]> = [
    ['Triggers given as a list', { Services: ['j-list'], Triggers: ['v1'] }, /Triggers/],
    ['Triggers given as a string', { Services: ['j-string'], Triggers: 'v1' }, /Triggers/],
    ['an unknown property', { Services: ['j-unknown'], Bogus: 'yes' }, /Bogus/],
    ['a 100,000-character service name', { Services: [LONG_NAME] }, /s{16}/],
];

describe('input refused before anything happens', () => {
    it.each(REFUSED)(
        '%s: InvalidRequest with the value trimmed, nothing restarted',
        async (_label, properties, names) => {
            const firstCall = env.proxy.calls.length;
            const recordsBefore = await env.records();

            const created = await env.run('CREATE', { Cluster: env.cluster, ...properties });

            expect(outcomeOf(created).slice(0, 300)).toMatch(/^FAILED InvalidRequest: /);
            expect(created.message).toMatch(names);
            expect(created.message!.length).toBeLessThan(MESSAGE_LIMIT);
            expect(env.proxy.calls.slice(firstCall).filter((call) => call.operation === 'UpdateService')).toEqual([]);
            expect(await env.records()).toEqual(recordsBefore);
            expect(await env.credentialLeaks()).toEqual([]);
        },
        60_000,
    );
});

describe('Triggers keys named like Object.prototype members', () => {
    it('constructor, __proto__ and toString are accepted and stored exactly', async () => {
        // Built from JSON, as CloudFormation delivers it: "__proto__" is an own key here, not a prototype.
        const triggers = JSON.parse('{"constructor": "c1", "__proto__": "p1", "toString": "t1"}');
        const expected = '{"__proto__":"p1","constructor":"c1","toString":"t1"}';
        const sorted = (value: Record<string, unknown> | undefined) =>
            JSON.stringify(
                Object.fromEntries(
                    Object.keys(value ?? {})
                        .sort()
                        .map((key) => [key, Object.getOwnPropertyDescriptor(value, key)?.value]),
                ),
            );

        const created = await env.run('CREATE', { Cluster: env.cluster, Services: ['j-proto'], Triggers: triggers });

        expect(outcomeOf(created)).toMatch(/^SUCCESS/);
        const read = await env.run('READ', { Id: created.resourceModel?.Id });
        expect(outcomeOf(read)).toMatch(/^SUCCESS/);
        expect(sorted(read.resourceModel?.Triggers)).toBe(expected);
        const stored = (await env.records()).find((record) => record.name.endsWith(String(created.resourceModel?.Id)));
        expect(stored?.value).toContain('"__proto__":"p1"');
        expect(stored?.value).toContain('"constructor":"c1"');
        expect(stored?.value).toContain('"toString":"t1"');
    }, 60_000);
});
