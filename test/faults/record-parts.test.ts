/**
 * SPEC 4 (Scale): a record larger than one Standard-tier parameter, spread over parts, under write
 * faults of the packaged handler: a part write throttled or failing half-way, a head write that never
 * arrives (an invocation killed between parts and head), a head whose answer was lost. READ always
 * finds the old record or the new one, each service is restarted once per request, and DELETE leaves
 * no parameter behind.
 */
import { createHash } from 'node:crypto';
import { ProxyCall } from '../support/fault-proxy';
import { FaultEnvironment, outcomeOf } from '../support/packaged-harness';

const RECORD_PREFIX = '/CloudFormation/Org/ECS/ServiceRestart/';
/** Hex as unrelated as real names and versions: what compresses little. */
const hexOf = (seed: string, length: number) => {
    let hex = '';
    for (let n = 0; hex.length < length; n += 1) hex += createHash('sha256').update(`${seed}/${n}`).digest('hex');
    return hex.slice(0, length);
};
/**
 * 20 names of 232 characters and Triggers of 10 x 256, within today's limits: a record of about 16 KB
 * that compresses to two parts or more.
 */
const GROUPS = ['p', 'q', 'r', 's', 't'];
const servicesOf = (group: string) => Array.from({ length: 20 }, (_, i) => `${group}-${hexOf(`${group}${i}`, 230)}`);
const triggers = (version: string) =>
    Object.fromEntries(Array.from({ length: 10 }, (_, k) => [`Secret${k}`, `${version}-${hexOf(`${version}${k}`, 253)}`]));

let env: FaultEnvironment;

beforeAll(async () => {
    env = await FaultEnvironment.start({ services: GROUPS.flatMap(servicesOf) });
}, 120_000);

afterAll(() => env?.stop(), 90_000);

afterEach(() => env.proxy.clearFaults());

const isPart = (call: ProxyCall) => String(call.body?.Name ?? '').includes('/parts/');
const isHead = (call: ProxyCall) => String(call.body?.Name ?? '').startsWith(RECORD_PREFIX) && !isPart(call);

/** UpdateService calls that reached ECS for each service of `group`. */
function restartsOf(group: string): number[] {
    const calls = env.proxy.updateServiceCallsReachingMoto();
    return servicesOf(group).map((name) => calls[name] ?? 0);
}

async function parametersOf(id: string): Promise<string[]> {
    return (await env.records()).map((record) => record.name).filter((name) => name.includes(id));
}

async function createdIn(group: string): Promise<{ id: string; properties: Record<string, unknown> }> {
    const properties = { Cluster: env.cluster, Services: servicesOf(group), Triggers: triggers('v1') };
    const created = await env.run('CREATE', properties);
    expect(outcomeOf(created)).toMatch(/^SUCCESS/);
    const id = String(created.resourceModel?.Id);
    expect((await parametersOf(id)).length).toBeGreaterThan(2);
    return { id, properties };
}

/** The update to Triggers v2, with READs after every invocation: each finds v1 or v2 whole, never an error. */
async function updatedWithReads(id: string, properties: Record<string, unknown>) {
    const seen: string[] = [];
    const updated = await env.run(
        'UPDATE',
        { ...properties, Triggers: triggers('v2'), Id: id },
        {
            afterInvoke: async () => {
                const read = await env.run('READ', { Id: id });
                seen.push(
                    read.status === 'SUCCESS'
                        ? String((read.resourceModel?.Triggers as Record<string, string>).Secret0).slice(0, 2)
                        : outcomeOf(read),
                );
            },
        },
        { ...properties, Id: id },
    );
    return { updated, seen };
}

async function deletedWithoutTrace(id: string): Promise<void> {
    const deleted = await env.run('DELETE', { Id: id });
    expect(deleted.status).toBe('SUCCESS');
    expect(await parametersOf(id)).toEqual([]);
}

describe('a multi-part record under write faults', () => {
    it('a part write throttled half-way through the first write (every SDK attempt): the create backs off, restarts each service once', async () => {
        const fault = env.proxy.fault({
            operation: 'AmazonSSM.PutParameter',
            match: isPart,
            nth: 2,
            times: 3,
            action: { kind: 'error', status: 400, type: 'ThrottlingException', message: 'Rate exceeded' },
        });

        const { id } = await createdIn('p');

        expect(fault.fired).toBe(3);
        expect(restartsOf('p')).toEqual(servicesOf('p').map(() => 1));
        const read = await env.run('READ', { Id: id });
        expect(read.resourceModel).toMatchObject({ Services: servicesOf('p'), Triggers: triggers('v1') });
        await deletedWithoutTrace(id);
    }, 180_000);

    it('a part write failing with 500 half-way through an update: READ sees v1 or v2 whole, never a mix; each service restarted once more', async () => {
        const { id, properties } = await createdIn('q');
        const fault = env.proxy.fault({
            operation: 'AmazonSSM.PutParameter',
            match: isPart,
            nth: 2,
            times: 3,
            action: { kind: 'error', status: 500, type: 'InternalServerError', message: 'An internal error occurred' },
        });

        const { updated, seen } = await updatedWithReads(id, properties);

        expect(fault.fired).toBe(3);
        expect(outcomeOf(updated)).toMatch(/^SUCCESS/);
        expect(seen.length).toBeGreaterThan(1);
        expect(seen.every((version) => version === 'v1' || version === 'v2')).toBe(true);
        expect(seen.at(-1)).toBe('v2');
        expect(restartsOf('q')).toEqual(servicesOf('q').map(() => 2));
        await deletedWithoutTrace(id);
    }, 180_000);

    it('the head never written after its parts (the invocation lost between them): READ keeps the old record; the update restarts once more', async () => {
        const { id, properties } = await createdIn('r');
        // Every SDK attempt of the next head write is cut before it reaches SSM.
        const fault = env.proxy.fault({ operation: 'AmazonSSM.PutParameter', match: isHead, times: 3, action: { kind: 'reset' } });

        const { updated, seen } = await updatedWithReads(id, properties);

        expect(fault.fired).toBe(3);
        expect(seen[0]).toBe('v1');
        expect(seen.every((version) => version === 'v1' || version === 'v2')).toBe(true);
        expect(outcomeOf(updated)).toMatch(/^SUCCESS/);
        expect(restartsOf('r')).toEqual(servicesOf('r').map(() => 2));
        // The parts of the write that never got its head are removed with the rest.
        await deletedWithoutTrace(id);
    }, 180_000);

    it("a create's head that reached SSM but whose answers were all lost: the next invocation follows the record, nothing restarted twice", async () => {
        const fault = env.proxy.fault({
            operation: 'AmazonSSM.PutParameter',
            match: isHead,
            times: 3,
            action: { kind: 'forward-then-reset' },
        });

        const { id } = await createdIn('s');

        expect(fault.fired).toBe(3);
        expect(restartsOf('s')).toEqual(servicesOf('s').map(() => 1));
        await deletedWithoutTrace(id);
    }, 180_000);

    it("a create's head whose first answer was lost: the SDK's next attempt finds its own head, nothing restarted twice", async () => {
        const fault = env.proxy.fault({
            operation: 'AmazonSSM.PutParameter',
            match: isHead,
            times: 1,
            action: { kind: 'forward-then-reset' },
        });

        const { id } = await createdIn('t');

        expect(fault.fired).toBe(1);
        expect(restartsOf('t')).toEqual(servicesOf('t').map(() => 1));
        const read = await env.run('READ', { Id: id });
        expect(read.resourceModel).toMatchObject({ Services: servicesOf('t') });

        // DELETE throttled after the head went: the next DELETE still removes every part.
        env.proxy.fault({
            operation: 'AmazonSSM.DeleteParameters',
            times: 3,
            action: { kind: 'error', status: 400, type: 'ThrottlingException', message: 'Rate exceeded' },
        });
        const throttled = await env.run('DELETE', { Id: id });
        env.proxy.clearFaults();
        const again = await env.run('DELETE', { Id: id });

        expect(outcomeOf(throttled)).toMatch(/^FAILED Throttling/);
        expect(outcomeOf(again)).toMatch(/^(SUCCESS|FAILED NotFound)/);
        expect(await parametersOf(id)).toEqual([]);
        expect(await env.credentialLeaks()).toEqual([]);
    }, 180_000);
});
