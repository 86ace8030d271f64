/**
 * SPEC 3.6 and 3.10: a service is force-deployed once per restart, whatever happens to the calls
 * and invocations around it. Counted at the proxy: UpdateService calls that reached moto.
 */
import { UpdateServiceCommand } from '@aws-sdk/client-ecs';
import { randomUUID } from 'crypto';
import { FaultEnvironment, loadContainer, outcomeOf } from '../support/packaged-harness';

let env: FaultEnvironment;

beforeAll(async () => {
    env = await FaultEnvironment.start({ services: ['c1-web', 'c2-web', 'd-web', 'd-worker', 'e-web', 'f-web', 'f-worker'] });
}, 60_000);

afterAll(() => env?.stop(), 90_000);

afterEach(() => env.proxy.clearFaults());

const forService = (name: string) => (call: { body: any }) => String(call.body?.service ?? '').endsWith(name);

describe('UpdateService reached ECS but its answer was lost', () => {
    it('connection reset after forwarding: the service is force-deployed exactly once', async () => {
        env.proxy.fault({ operation: 'UpdateService', match: forService('c1-web'), times: 1, action: { kind: 'forward-then-reset' } });

        const created = await env.run('CREATE', { Cluster: env.cluster, Services: ['c1-web'] });

        expect(env.proxy.updateServiceCallsReachingMoto()['c1-web']).toBe(1);
        expect(outcomeOf(created)).toMatch(/^SUCCESS/);
        expect(await env.credentialLeaks()).toEqual([]);
    }, 120_000);

    it('no answer until the client times out: the service is force-deployed exactly once', async () => {
        env.proxy.fault({
            operation: 'UpdateService',
            match: forService('c2-web'),
            times: 1,
            action: { kind: 'forward-then-hang', capMs: 15_000 },
        });

        const created = await env.run('CREATE', { Cluster: env.cluster, Services: ['c2-web'] });

        expect(env.proxy.updateServiceCallsReachingMoto()['c2-web']).toBe(1);
        expect(outcomeOf(created)).toMatch(/^SUCCESS/);
    }, 120_000);
});

describe('an invocation lost after it started wave 2', () => {
    it('re-invoked with the previous callback context, wave 2 is not restarted twice', async () => {
        const sent: Array<Record<string, any>> = [];
        let wave2StartedBy: number | undefined;
        let replayed = false;

        const created = await env.run(
            'CREATE',
            { Cluster: env.cluster, Services: ['d-web', 'd-worker'], MaxConcurrentRestarts: 1 },
            {
                beforeInvoke: (event, n) => {
                    if (wave2StartedBy !== undefined && n === wave2StartedBy + 1 && !replayed) {
                        // CloudFormation never saw the answer of the invocation that started wave 2 and calls again as before it.
                        replayed = true;
                        event = { ...event, callbackContext: sent[wave2StartedBy]!.callbackContext };
                    }
                    sent[n] = event;
                    return event;
                },
                afterInvoke: (_payload, n) => {
                    if (wave2StartedBy === undefined && env.proxy.updateServiceCallsReachingMoto()['d-worker']) wave2StartedBy = n;
                },
            },
        );

        expect(wave2StartedBy).toBeGreaterThan(1);
        expect(replayed).toBe(true);
        expect(sent[wave2StartedBy! + 1]!.callbackContext).toEqual(sent[wave2StartedBy!]!.callbackContext);
        expect(sent[wave2StartedBy! + 1]!.callbackContext).toBeTruthy();
        expect(env.proxy.updateServiceCallsReachingMoto()).toMatchObject({ 'd-web': 1, 'd-worker': 1 });
        expect(outcomeOf(created)).toMatch(/^SUCCESS/);
    }, 120_000);
});

describe('UpdateService refused while someone else deploys the service', () => {
    it('does not adopt the other deployment: the resource restarts the service itself later', async () => {
        const refused = env.proxy.fault({
            operation: 'UpdateService',
            match: forService('e-web'),
            action: { kind: 'error', status: 400, type: 'ThrottlingException', message: 'Rate exceeded' },
        });
        let otherDeployment: string | undefined;

        const created = await env.run(
            'CREATE',
            { Cluster: env.cluster, Services: ['e-web'] },
            {
                between: async () => {
                    if (otherDeployment) return;
                    refused.remove();
                    const other = await env.ecs.send(
                        new UpdateServiceCommand({ cluster: env.cluster, service: 'e-web', forceNewDeployment: true }),
                    );
                    otherDeployment = other.service?.deployments?.find((deployment) => deployment.status === 'PRIMARY')?.id;
                },
            },
        );

        expect(refused.fired).toBeGreaterThan(0);
        expect(
            env.proxy.callsOf('UpdateService', (call) => forService('e-web')(call) && call.reachedMoto && call.motoStatus === 200),
        ).toHaveLength(1);
        expect(outcomeOf(created)).toMatch(/^SUCCESS/);
        expect(otherDeployment).toBeDefined();
        expect(created.resourceModel?.DeploymentIds).not.toContain(otherDeployment);
    }, 120_000);
});

describe('two concurrent first steps of one request', () => {
    it('same token, same properties, two containers in parallel: one restart per service', async () => {
        const token = randomUUID();
        const sameToken = (event: Record<string, any>) => ({ ...event, bearerToken: token });
        const properties = { Cluster: env.cluster, Services: ['f-web', 'f-worker'] };

        const [first, second] = await Promise.all([
            env.driver({ beforeInvoke: sameToken }, loadContainer()).run('CREATE', 'Restart', properties),
            env.driver({ beforeInvoke: sameToken }, loadContainer()).run('CREATE', 'Restart', properties),
        ]);

        expect(env.proxy.updateServiceCallsReachingMoto()).toMatchObject({ 'f-web': 1, 'f-worker': 1 });
        expect([outcomeOf(first), outcomeOf(second)]).toEqual([expect.stringMatching(/^SUCCESS/), expect.stringMatching(/^SUCCESS/)]);
        expect(second.resourceModel?.Id).toBe(first.resourceModel?.Id);
    }, 120_000);
});
