/**
 * The handlers against a real moto server on loopback, through the real SDK v3 clients, reached by
 * the SDK's own AWS_ENDPOINT_URL setting. moto cannot make a deployment progress or fail over time,
 * nor answer the service-deployments API (it returns an HTML 500, so the handlers fall back to
 * DescribeServices): those sequences are in test/handlers with the scripted ECS double.
 */
import {
    CreateServiceCommand,
    DeleteServiceCommand,
    DescribeServicesCommand,
    ECSClient,
    RegisterTaskDefinitionCommand,
} from '@aws-sdk/client-ecs';
import { GetParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { ACCOUNT_ID, CREDENTIALS, REGION, cfnEvent } from '../support/cfn-event';
import { HandlerResponse, driveHandler, invokeHandler } from '../support/handler-harness';
import { useMoto } from '../support/moto-harness';

let ecs: ECSClient;
let ssm: SSMClient;
const CLUSTER = 'integration';
const invoke = invokeHandler;

/** Like CloudFormation, through the project's one callback-protocol driver, without waiting the delays. */
async function drive(
    action: 'CREATE' | 'UPDATE',
    properties: Record<string, unknown>,
    previous?: Record<string, unknown>,
): Promise<HandlerResponse> {
    return (await driveHandler(action, properties, undefined, { previous, maxRounds: 5, whenExhausted: 'throw' })).final;
}

async function primaryDeploymentId(service: string): Promise<string | undefined> {
    const described = await ecs.send(new DescribeServicesCommand({ cluster: CLUSTER, services: [service] }));
    return described.services?.[0]?.deployments?.find((deployment) => deployment.status === 'PRIMARY')?.id;
}

async function createService(name: string, extra: Partial<ConstructorParameters<typeof CreateServiceCommand>[0]> = {}): Promise<void> {
    await ecs.send(new CreateServiceCommand({ cluster: CLUSTER, serviceName: name, taskDefinition: 'app', desiredCount: 1, ...extra }));
}

useMoto(CLUSTER, async (client) => {
    ecs = client;
    ssm = new SSMClient({ region: REGION, credentials: CREDENTIALS });
    await ecs.send(
        new RegisterTaskDefinitionCommand({
            family: 'app',
            containerDefinitions: [{ name: 'app', image: 'public.ecr.aws/nginx/nginx:1', memory: 128 }],
        }),
    );
    await createService('web');
    await createService('worker');
    await createService('bluegreen', { deploymentController: { type: 'CODE_DEPLOY' } });
    await createService('retired');
    await ecs.send(new DeleteServiceCommand({ cluster: CLUSTER, service: 'retired', force: true }));
});

describe('the resource lifecycle against moto', () => {
    const properties = {
        Cluster: CLUSTER,
        Services: ['web', `arn:aws:ecs:${REGION}:${ACCOUNT_ID}:service/${CLUSTER}/worker`],
        Triggers: { DbSecretVersion: 'v1' },
    };
    let created: HandlerResponse;
    let webBefore: string | undefined;

    it('create restarts every service for real and succeeds', async () => {
        webBefore = await primaryDeploymentId('web');
        created = await drive('CREATE', properties);
        expect(created.status).toBe('SUCCESS');
        const webAfter = await primaryDeploymentId('web');
        expect(webAfter).toBeDefined();
        expect(webAfter).not.toBe(webBefore);
        expect(created.resourceModel?.DeploymentIds).toEqual([webAfter, await primaryDeploymentId('worker')]);
        expect(created.resourceModel?.ServiceArns).toEqual([
            `arn:aws:ecs:${REGION}:${ACCOUNT_ID}:service/${CLUSTER}/web`,
            `arn:aws:ecs:${REGION}:${ACCOUNT_ID}:service/${CLUSTER}/worker`,
        ]);
    });

    it('keeps its record in SSM under the path of its Id', async () => {
        const parameter = await ssm.send(
            new GetParameterCommand({ Name: `/CloudFormation/Org/ECS/ServiceRestart/${created.resourceModel?.Id}` }),
        );
        expect(JSON.parse(parameter.Parameter?.Value ?? '{}')).toMatchObject({ properties, operation: { status: 'SUCCEEDED' } });
    });

    it('read returns the input as given plus the read-only properties', async () => {
        const read = await invoke(cfnEvent('READ', { Id: created.resourceModel?.Id }));
        expect(read.status).toBe('SUCCESS');
        expect(read.resourceModel).toEqual(created.resourceModel);
    });

    it('update with a changed trigger restarts again and keeps the Id', async () => {
        const before = await primaryDeploymentId('web');
        const desired = { ...properties, Triggers: { DbSecretVersion: 'v2' }, Id: created.resourceModel?.Id };
        const updated = await drive('UPDATE', desired, created.resourceModel);
        expect(updated.status).toBe('SUCCESS');
        expect(updated.resourceModel?.Id).toBe(created.resourceModel?.Id);
        expect(await primaryDeploymentId('web')).not.toBe(before);
        expect(updated.resourceModel?.Triggers).toEqual({ DbSecretVersion: 'v2' });
    });

    it('list contains it', async () => {
        const list = await invoke(cfnEvent('LIST', {}));
        expect(list.status).toBe('SUCCESS');
        expect(list.resourceModels?.map((model) => model.Id)).toContain(created.resourceModel?.Id);
    });

    it('delete removes it without restarting anything; then read, update and delete are NotFound', async () => {
        const before = await primaryDeploymentId('web');
        const id = created.resourceModel?.Id;
        const deleted = await invoke(cfnEvent('DELETE', { ...properties, Id: id }));
        expect(deleted.status).toBe('SUCCESS');
        expect(await primaryDeploymentId('web')).toBe(before);
        for (const action of ['READ', 'UPDATE', 'DELETE']) {
            const response = await invoke(cfnEvent(action, { ...properties, Id: id }));
            expect([action, response.status, response.errorCode]).toEqual([action, 'FAILED', 'NotFound']);
            expect(response.message).toContain(String(id));
        }
        expect(await primaryDeploymentId('web')).toBe(before);
    });
});

describe('refusals against moto restart nothing', () => {
    it.each<[string, Record<string, unknown>, RegExp]>([
        ['a missing cluster', { Cluster: 'no-such-cluster', Services: ['web'] }, /ClusterNotFoundException.*Check Cluster/],
        ['a missing service', { Cluster: CLUSTER, Services: ['web', 'ghost'] }, /service 'ghost' was not found in cluster 'integration'/],
        [
            'a CODE_DEPLOY service',
            { Cluster: CLUSTER, Services: ['web', 'bluegreen'] },
            /service 'bluegreen' uses the CODE_DEPLOY deployment controller/,
        ],
        ['an INACTIVE service', { Cluster: CLUSTER, Services: ['web', 'retired'] }, /service 'retired' is INACTIVE/],
    ])('%s', async (_label, properties, message) => {
        const before = await primaryDeploymentId('web');
        const response = await invoke(cfnEvent('CREATE', properties));
        expect(response.status).toBe('FAILED');
        expect(response.errorCode).toBe('InvalidRequest');
        expect(response.message).toMatch(message);
        expect(await primaryDeploymentId('web')).toBe(before);
    });
});
