/** The fault proxy itself, driven by SDK v3 clients against moto. */
import { CreateClusterCommand, ECSClient, ListClustersCommand, UpdateServiceCommand } from '@aws-sdk/client-ecs';
import { GetParameterCommand, PutParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { performance } from 'perf_hooks';
import { MotoServer, startMoto } from '../../tools/local/moto';
import { FaultProxy, startFaultProxy } from '../support/fault-proxy';

const TOKEN = 'SelfTestSessionToken/abc123XYZ';
let moto: MotoServer;
let proxy: FaultProxy;

function clients(maxAttempts = 1, requestTimeout?: number) {
    const config = {
        region: 'us-east-1',
        endpoint: proxy.url,
        maxAttempts,
        credentials: { accessKeyId: 'AKIDSELFTEST', secretAccessKey: 'secret', sessionToken: TOKEN },
        requestHandler: requestTimeout ? { requestTimeout, throwOnRequestTimeout: true } : undefined,
    };
    return { ecs: new ECSClient(config), ssm: new SSMClient(config) };
}

function put(ssm: SSMClient, name: string) {
    return ssm.send(new PutParameterCommand({ Name: name, Value: 'v', Type: 'String', Overwrite: true }));
}

beforeAll(async () => {
    moto = await startMoto();
}, 60_000);

beforeEach(async () => {
    proxy = await startFaultProxy({ target: moto.endpoint, maxHoldMs: 10_000 });
});

afterEach(() => proxy.stop());
afterAll(() => moto?.stop());

describe('the fault proxy', () => {
    it('forwards unscripted calls to moto and records operation, body and that they reached it', async () => {
        const { ecs, ssm } = clients();
        await ecs.send(new CreateClusterCommand({ clusterName: 'proxied' }));
        await put(ssm, '/proxy/forwarded');
        expect((await ssm.send(new GetParameterCommand({ Name: '/proxy/forwarded' }))).Parameter?.Value).toBe('v');
        expect(proxy.calls.map((call) => [call.service, call.operation, call.reachedMoto, call.motoStatus])).toEqual([
            ['AmazonEC2ContainerServiceV20141113', 'CreateCluster', true, 200],
            ['AmazonSSM', 'PutParameter', true, 200],
            ['AmazonSSM', 'GetParameter', true, 200],
        ]);
        expect(proxy.calls[0]!.body).toEqual({ clusterName: 'proxied' });
    });

    it('answers the nth call of an operation with an AWS JSON error that the SDK parses, without forwarding it', async () => {
        const { ssm } = clients();
        proxy.fault({
            operation: 'AmazonSSM.PutParameter',
            nth: 2,
            times: 1,
            action: { kind: 'error', status: 400, type: 'ThrottlingException', message: 'Rate exceeded' },
        });
        await put(ssm, '/proxy/first');
        await expect(put(ssm, '/proxy/second')).rejects.toMatchObject({
            name: 'ThrottlingException',
            message: 'Rate exceeded',
            $metadata: { httpStatusCode: 400 },
        });
        await put(ssm, '/proxy/third');
        expect(proxy.callsOf('PutParameter').map((call) => [call.body.Name, call.reachedMoto])).toEqual([
            ['/proxy/first', true],
            ['/proxy/second', false],
            ['/proxy/third', true],
        ]);
    });

    it('answers 500 errors that the SDK classifies as server faults', async () => {
        const { ecs } = clients();
        proxy.fault({ operation: 'ListClusters', action: { kind: 'error', status: 500, type: 'ServiceUnavailable' } });
        await expect(ecs.send(new ListClustersCommand({}))).rejects.toMatchObject({ name: 'ServiceUnavailable', $fault: 'server' });
    });

    it('answers InvalidSignatureException quoting the canonical request with the security token of the request', async () => {
        const { ssm } = clients();
        proxy.fault({ operation: 'PutParameter', action: { kind: 'invalid-signature' } });
        const error = await put(ssm, '/proxy/signature').catch((err: Error) => err);
        expect(error).toMatchObject({ name: 'InvalidSignatureException' });
        expect((error as Error).message).toContain(`x-amz-security-token:${TOKEN}`);
        expect((error as Error).message).toContain('x-amz-target:AmazonSSM.PutParameter');
    });

    it('resets the connection before forwarding: the call never reached moto', async () => {
        const { ssm } = clients();
        proxy.fault({ operation: 'PutParameter', action: { kind: 'reset' } });
        await expect(put(ssm, '/proxy/reset')).rejects.toThrow(/ECONNRESET|EPIPE|socket hang up/);
        expect(proxy.callsOf('PutParameter').map((call) => [call.reachedMoto, call.outcome])).toEqual([[false, 'reset']]);
        await expect(ssm.send(new GetParameterCommand({ Name: '/proxy/reset' }))).rejects.toMatchObject({ name: 'ParameterNotFound' });
    });

    it('forwards and then resets: the call reached moto and its answer was lost', async () => {
        const { ssm } = clients();
        proxy.fault({ operation: 'PutParameter', times: 1, action: { kind: 'forward-then-reset' } });
        await expect(put(ssm, '/proxy/lost')).rejects.toThrow(/ECONNRESET|EPIPE|socket hang up/);
        expect(proxy.callsOf('PutParameter').map((call) => [call.reachedMoto, call.motoStatus, call.outcome])).toEqual([
            [true, 200, 'reset'],
        ]);
        expect((await ssm.send(new GetParameterCommand({ Name: '/proxy/lost' }))).Parameter?.Value).toBe('v');
    });

    it('counts SDK retries as separate calls, so a retried non-idempotent call is visible', async () => {
        const { ssm } = clients(3);
        proxy.fault({ operation: 'PutParameter', times: 1, action: { kind: 'forward-then-reset' } });
        await put(ssm, '/proxy/retried');
        expect(proxy.callsOf('PutParameter', (call) => call.reachedMoto)).toHaveLength(2);
    });

    it('delays the answer of a call that it forwarded at once', async () => {
        const { ecs } = clients();
        proxy.fault({ operation: 'ListClusters', action: { kind: 'delay', ms: 1_500 } });
        const startedAt = performance.now();
        await ecs.send(new ListClustersCommand({}));
        expect(performance.now() - startedAt).toBeGreaterThanOrEqual(1_400);
        expect(proxy.callsOf('ListClusters')[0]).toMatchObject({ reachedMoto: true, outcome: 'answered' });
    });

    it('hangs until the cap, then resets; a client timeout gives up earlier', async () => {
        const { ecs } = clients(1, 500);
        proxy.fault({ operation: 'ListClusters', action: { kind: 'hang', capMs: 2_000 } });
        const startedAt = performance.now();
        await expect(ecs.send(new ListClustersCommand({}))).rejects.toMatchObject({ name: 'TimeoutError' });
        expect(performance.now() - startedAt).toBeLessThan(1_500);
        expect(proxy.callsOf('ListClusters')[0]!.reachedMoto).toBe(false);
    });

    it('ends every hang at stop()', async () => {
        const { ecs } = clients();
        proxy.fault({ operation: 'ListClusters', action: { kind: 'forward-then-hang', capMs: 60_000 } });
        const pending = ecs.send(new ListClustersCommand({})).catch((err: Error) => err);
        await new Promise((resolve) => setTimeout(resolve, 300));
        const startedAt = performance.now();
        await proxy.stop();
        const outcome = await pending;
        expect(outcome instanceof Error ? outcome.message : 'no error').toMatch(/ECONNRESET|EPIPE|socket hang up/);
        expect(performance.now() - startedAt).toBeLessThan(2_000);
    });

    it('answers a scripted body without forwarding, and fires a rule only on calls its predicate accepts', async () => {
        const { ssm } = clients();
        proxy.fault({
            operation: 'GetParameter',
            match: (call) => call.body.Name === '/proxy/scripted',
            action: { kind: 'respond', body: { Parameter: { Name: '/proxy/scripted', Value: 'from the proxy' } } },
        });
        expect((await ssm.send(new GetParameterCommand({ Name: '/proxy/scripted' }))).Parameter?.Value).toBe('from the proxy');
        await expect(ssm.send(new GetParameterCommand({ Name: '/proxy/other' }))).rejects.toMatchObject({ name: 'ParameterNotFound' });
        expect(proxy.callsOf('GetParameter').map((call) => call.reachedMoto)).toEqual([false, true]);
    });

    it('counts UpdateService calls that reached moto per service, names and ARNs alike', async () => {
        proxy.fault({
            operation: 'UpdateService',
            match: (call) => call.body.service === 'b',
            action: { kind: 'error', status: 400, type: 'ThrottlingException' },
        });
        const { ecs } = clients();
        const update = (service: string) => ecs.send(new UpdateServiceCommand({ cluster: 'x', service, forceNewDeployment: true }));
        await update('a').catch(() => undefined);
        await update('arn:aws:ecs:us-east-1:123456789012:service/x/a').catch(() => undefined);
        await update('b').catch(() => undefined);
        expect(proxy.updateServiceCallsReachingMoto()).toEqual({ a: 2 });
    });

    it('refuses more than maxRequests calls', async () => {
        await proxy.stop();
        proxy = await startFaultProxy({ target: moto.endpoint, maxRequests: 1 });
        const { ecs } = clients();
        await ecs.send(new ListClustersCommand({}));
        await expect(ecs.send(new ListClustersCommand({}))).rejects.toMatchObject({ $metadata: { httpStatusCode: 503 } });
    });
});
