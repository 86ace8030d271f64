/**
 * SPEC 3.7 and 4: a throttled or failing write of the restart record is a transient error like any
 * other: it backs off inside IN_PROGRESS and never restarts a service twice; a create that does fail
 * leaves no record behind and says which services it already restarted.
 */
import { ProxyCall } from '../support/fault-proxy';
import { FaultEnvironment, INVOCATION_LIMIT_MS, clock, outcomeOf } from '../support/packaged-harness';

const SERVICES = ['a1-web', 'a1-worker', 'a2-web', 'a2-worker', 'a3-web', 'a3-worker', 'a4-web', 'a4-worker'];
let env: FaultEnvironment;

/** The write that records the operation as done. */
const finalRecordWrite = (call: ProxyCall) => typeof call.body?.Value === 'string' && call.body.Value.includes('SUCCEEDED');

beforeAll(async () => {
    clock.install();
    env = await FaultEnvironment.start({ services: SERVICES });
}, 60_000);

afterAll(async () => {
    await env?.stop();
    clock.uninstall();
}, 90_000);

afterEach(() => env.proxy.clearFaults());

describe('a failed write of the final SUCCEEDED record', () => {
    it('throttled (every SDK attempt of one write): create still ends SUCCESS and restarts each service once', async () => {
        const fault = env.proxy.fault({
            operation: 'AmazonSSM.PutParameter',
            match: finalRecordWrite,
            times: 3,
            action: { kind: 'error', status: 400, type: 'ThrottlingException', message: 'Rate exceeded' },
        });

        const created = await env.run('CREATE', { Cluster: env.cluster, Services: ['a1-web', 'a1-worker'] });

        expect(fault.fired).toBeGreaterThan(0);
        expect(outcomeOf(created)).toMatch(/^SUCCESS/);
        expect(env.proxy.updateServiceCallsReachingMoto()).toMatchObject({ 'a1-web': 1, 'a1-worker': 1 });
        expect(env.slowestInvocationMs()).toBeLessThan(INVOCATION_LIMIT_MS);
        expect(await env.credentialLeaks()).toEqual([]);
    }, 120_000);

    it('answered 500 (every SDK attempt of one write): create still ends SUCCESS and restarts each service once', async () => {
        const fault = env.proxy.fault({
            operation: 'AmazonSSM.PutParameter',
            match: finalRecordWrite,
            times: 3,
            action: { kind: 'error', status: 500, type: 'InternalServerError', message: 'An internal error occurred' },
        });

        const created = await env.run('CREATE', { Cluster: env.cluster, Services: ['a2-web', 'a2-worker'] });

        expect(fault.fired).toBeGreaterThan(0);
        expect(outcomeOf(created)).toMatch(/^SUCCESS/);
        expect(env.proxy.updateServiceCallsReachingMoto()).toMatchObject({ 'a2-web': 1, 'a2-worker': 1 });
        expect(await env.credentialLeaks()).toEqual([]);
    }, 120_000);

    it('throttled during an update: the update ends SUCCESS and restarts each service once more, not twice', async () => {
        const properties = { Cluster: env.cluster, Services: ['a3-web', 'a3-worker'], Triggers: { Secret: 'v1' } };
        const created = await env.run('CREATE', properties);
        expect(created.status).toBe('SUCCESS');
        const fault = env.proxy.fault({
            operation: 'AmazonSSM.PutParameter',
            match: finalRecordWrite,
            times: 3,
            action: { kind: 'error', status: 400, type: 'ThrottlingException', message: 'Rate exceeded' },
        });

        const updated = await env.run(
            'UPDATE',
            { ...properties, Triggers: { Secret: 'v2' }, Id: created.resourceModel?.Id },
            {},
            { ...properties, Id: created.resourceModel?.Id },
        );

        expect(fault.fired).toBeGreaterThan(0);
        expect(outcomeOf(updated)).toMatch(/^SUCCESS/);
        expect(updated.resourceModel).toMatchObject({ Id: created.resourceModel?.Id, Triggers: { Secret: 'v2' } });
        expect(env.proxy.updateServiceCallsReachingMoto()).toMatchObject({ 'a3-web': 2, 'a3-worker': 2 });
        expect(await env.credentialLeaks()).toEqual([]);
    }, 120_000);

    it('throttled until TimeoutInMinutes passes: the create fails naming the services it restarted, and LIST never shows it', async () => {
        env.proxy.fault({
            operation: 'AmazonSSM.PutParameter',
            match: finalRecordWrite,
            action: { kind: 'error', status: 400, type: 'ThrottlingException', message: 'Rate exceeded' },
        });
        let id: string | undefined;

        const created = await env.run(
            'CREATE',
            { Cluster: env.cluster, Services: ['a4-web', 'a4-worker'], TimeoutInMinutes: 1 },
            {
                afterInvoke: (payload) => {
                    id = id ?? payload?.resourceModel?.Id;
                },
                // CloudFormation waits; here the clock jumps, two minutes at a time once the final write was refused.
                between: () => {
                    if (env.proxy.callsOf('PutParameter', finalRecordWrite).length > 0) clock.advance(120_000);
                },
            },
        );

        expect(outcomeOf(created)).toMatch(/^FAILED Throttling: /);
        expect(created.message).toMatch(/a4-web/);
        expect(created.message).toMatch(/a4-worker/);
        expect(created.message!.length).toBeLessThan(2_048);
        expect(env.proxy.updateServiceCallsReachingMoto()).toMatchObject({ 'a4-web': 1, 'a4-worker': 1 });
        env.proxy.clearFaults();
        const listed = await env.run('LIST', {});
        expect(listed.status).toBe('SUCCESS');
        expect(id).toBeDefined();
        expect((listed.resourceModels ?? []).map((model) => model.Id)).not.toContain(id);
        expect((await env.records()).map((record) => record.name)).not.toContain(`/CloudFormation/Org/ECS/ServiceRestart/${id}`);
        expect(await env.credentialLeaks()).toEqual([]);
    }, 120_000);
});
