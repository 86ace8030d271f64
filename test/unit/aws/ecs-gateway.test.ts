/** The ECS adapter's paging and batching, against aws-sdk-client-mock: every page read, no batch over ECS's limit. */
import {
    DescribeServiceDeploymentsCommand,
    DescribeServicesCommand,
    DescribeTaskDefinitionCommand,
    ECSClient,
    ListServiceDeploymentsCommand,
    ListServicesCommand,
} from '@aws-sdk/client-ecs';
import { mockClient } from 'aws-sdk-client-mock';
import { SdkEcsGateway } from '../../../src/aws/ecs-gateway';

const ecsMock = mockClient(ECSClient);
const deadline = { invocationDeadline: Number.MAX_SAFE_INTEGER, perCallMs: 10_000, now: Date.now };
const gateway = new SdkEcsGateway(new ECSClient({ region: 'us-east-1' }), new ECSClient({ region: 'us-east-1' }), deadline);

afterEach(() => {
    ecsMock.reset();
});

describe('SdkEcsGateway', () => {
    it('describes services in batches of at most 10, in order', async () => {
        // Prepare
        ecsMock.on(DescribeServicesCommand).callsFake((input: { services: string[] }) => ({
            services: input.services.map((name) => ({ serviceName: name, serviceArn: `arn:${name}`, status: 'ACTIVE' })),
        }));
        const names = Array.from({ length: 23 }, (_, i) => `s${i}`);

        // Act
        const views = await gateway.describeServices('prod', names);

        // Assess
        const batches = ecsMock.commandCalls(DescribeServicesCommand).map((call) => call.args[0].input.services);
        expect(batches.map((batch) => batch?.length)).toEqual([10, 10, 3]);
        expect(batches.flat()).toEqual(names);
        expect(views.map((view) => view.name)).toEqual(names);
    });

    it('reads every page of ListServiceDeployments for the cluster, service and time asked', async () => {
        ecsMock
            .on(ListServiceDeploymentsCommand)
            .resolvesOnce({ serviceDeployments: [{ serviceDeploymentArn: 'sd/3', createdAt: new Date(3_000) }], nextToken: 'p2' })
            .resolvesOnce({ serviceDeployments: [{ serviceDeploymentArn: 'sd/1', createdAt: new Date(1_000) }], nextToken: 'p3' })
            .resolvesOnce({ serviceDeployments: [{ serviceDeploymentArn: 'sd/2', createdAt: new Date(2_000) }] });

        const summaries = await gateway.listServiceDeployments('prod', 'arn:web', 500);

        const calls = ecsMock.commandCalls(ListServiceDeploymentsCommand).map((call) => call.args[0].input);
        expect(calls.map((input) => input.nextToken)).toEqual([undefined, 'p2', 'p3']);
        expect(calls.every((input) => input.cluster === 'prod' && input.service === 'arn:web')).toBe(true);
        expect(calls[0]?.createdAt?.after).toEqual(new Date(500));
        expect(summaries.map((summary) => summary.arn)).toEqual(['sd/1', 'sd/2', 'sd/3']);
    });

    it('describes service deployments in batches of at most 20', async () => {
        ecsMock.on(DescribeServiceDeploymentsCommand).callsFake((input: { serviceDeploymentArns: string[] }) => ({
            serviceDeployments: input.serviceDeploymentArns.map((arn) => ({ serviceDeploymentArn: arn, status: 'IN_PROGRESS' })),
        }));
        const arns = Array.from({ length: 45 }, (_, i) => `sd/${i}`);

        const views = await gateway.describeServiceDeployments(arns);

        const batches = ecsMock.commandCalls(DescribeServiceDeploymentsCommand).map((call) => call.args[0].input.serviceDeploymentArns);
        expect(batches.map((batch) => batch?.length)).toEqual([20, 20, 5]);
        expect(views.map((view) => view.arn)).toEqual(arns);
    });
});

describe('SdkEcsGateway for ServicesUsingSecrets', () => {
    it('lists one page of 100 services of the cluster per call, from the token given', async () => {
        ecsMock.on(ListServicesCommand).resolves({ serviceArns: ['arn:a', 'arn:b'], nextToken: 'p3' });

        const page = await gateway.listServices('prod', 'p2');

        expect(ecsMock.commandCalls(ListServicesCommand).map((call) => call.args[0].input)).toEqual([
            { cluster: 'prod', maxResults: 100, nextToken: 'p2' },
        ]);
        expect(page).toEqual({ serviceArns: ['arn:a', 'arn:b'], nextToken: 'p3' });
    });

    it('reads a task definition keeping only its name and where its containers read secrets', async () => {
        ecsMock.on(DescribeTaskDefinitionCommand).resolves({
            taskDefinition: {
                taskDefinitionArn: 'arn:td/app:3',
                family: 'app',
                revision: 3,
                containerDefinitions: [
                    {
                        name: 'app',
                        image: 'registry.example/app:1',
                        environment: [{ name: 'MODE', value: 'prod' }],
                        secrets: [{ name: 'DB', valueFrom: 'arn:secret:db' }],
                        repositoryCredentials: { credentialsParameter: 'registry' },
                        logConfiguration: { logDriver: 'awsfirelens', secretOptions: [{ name: 'apiKey', valueFrom: '/log/key' }] },
                    },
                    { name: 'sidecar', image: 'registry.example/sidecar:1' },
                ],
            },
        });

        const view = await gateway.describeTaskDefinition('arn:td/app:3');

        expect(ecsMock.commandCalls(DescribeTaskDefinitionCommand).map((call) => call.args[0].input)).toEqual([
            { taskDefinition: 'arn:td/app:3' },
        ]);
        expect(view).toEqual({
            taskDefinitionArn: 'arn:td/app:3',
            family: 'app',
            revision: 3,
            containerDefinitions: [
                {
                    name: 'app',
                    secrets: [{ name: 'DB', valueFrom: 'arn:secret:db' }],
                    repositoryCredentials: { credentialsParameter: 'registry' },
                    logConfiguration: { secretOptions: [{ name: 'apiKey', valueFrom: '/log/key' }] },
                },
                { name: 'sidecar', secrets: undefined, repositoryCredentials: undefined, logConfiguration: undefined },
            ],
        });
    });
});

describe('SdkEcsGateway for ServicesUsingSecrets, on sparse answers and errors', () => {
    it('reads an empty last page and an empty task definition as nothing, never as a failure', async () => {
        ecsMock.on(ListServicesCommand).resolves({ nextToken: '' });
        ecsMock.on(DescribeTaskDefinitionCommand).resolves({});

        expect(await gateway.listServices('prod')).toEqual({ serviceArns: [], nextToken: undefined });
        expect(await gateway.describeTaskDefinition('arn:td/app:3')).toEqual({
            taskDefinitionArn: 'arn:td/app:3',
            family: undefined,
            revision: undefined,
            containerDefinitions: [],
        });
    });

    it('names the call and what it concerned when ECS refuses it', async () => {
        const error = (name: string) => Object.assign(new Error('nope'), { name, $metadata: { httpStatusCode: 400 } });
        ecsMock.on(ListServicesCommand).rejects(error('ClusterNotFoundException'));
        ecsMock.on(DescribeTaskDefinitionCommand).rejects(error('ClientException'));

        await expect(gateway.listServices('prod')).rejects.toMatchObject({
            errorCode: 'InvalidRequest',
            message: expect.stringMatching(/^ecs:ListServices in cluster prod failed: ClusterNotFoundException: nope\. Check Cluster/),
        });
        await expect(gateway.describeTaskDefinition('arn:td/app:3')).rejects.toMatchObject({
            errorCode: 'GeneralServiceException',
            message: 'ecs:DescribeTaskDefinition of arn:td/app:3 failed: ClientException: nope',
        });
    });
});
