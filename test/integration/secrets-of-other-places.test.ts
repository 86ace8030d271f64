/**
 * ServicesUsingSecrets naming a Parameter Store parameter of another Region and a Secrets Manager secret of
 * another account (a central security account), against moto: ECS reads those by full ARN only, so exactly
 * the services whose task definitions name them by full ARN are restarted, and not those reading a parameter
 * or secret of the same name in this account and Region by a bare name, a path or a local ARN.
 *
 * moto (5.2.5) registers task definitions with any valueFrom, as ECS does (ECS checks a reference only when a
 * task starts), and never reads the secrets: neither does the handler, which only reads task definitions.
 */
import { ContainerDefinition, CreateServiceCommand, ECSClient, RegisterTaskDefinitionCommand } from '@aws-sdk/client-ecs';
import { ACCOUNT_ID, REGION, cfnEvent } from '../support/cfn-event';
import { driveHandler, invokeHandler } from '../support/handler-harness';
import { changedServices, primaryDeployments, useMoto } from '../support/moto-harness';

const CLUSTER = 'shared-secrets';
const OTHER_REGION = 'eu-west-1';
const CENTRAL_ACCOUNT = '999900001111';
/** A parameter of this account in another Region, and the parameter of the same name here. */
const REMOTE_PARAMETER = `arn:aws:ssm:${OTHER_REGION}:${ACCOUNT_ID}:parameter/app/db/password`;
const LOCAL_PARAMETER = `arn:aws:ssm:${REGION}:${ACCOUNT_ID}:parameter/app/db/password`;
/** A secret of the central security account, and a secret of the same name in this account. */
const CENTRAL_SECRET = `arn:aws:secretsmanager:${REGION}:${CENTRAL_ACCOUNT}:secret:central/db-AbCdEf`;
const LOCAL_SECRET = `arn:aws:secretsmanager:${REGION}:${ACCOUNT_ID}:secret:central/db-AbCdEf`;

/** Service name → how its task definition reads a secret, and whether the restart must replace its tasks. */
const READERS: Array<[string, Partial<ContainerDefinition>, boolean]> = [
    ['remote-parameter-arn', { secrets: [{ name: 'DB', valueFrom: REMOTE_PARAMETER }] }, true],
    [
        'remote-parameter-log-router',
        { logConfiguration: { logDriver: 'awsfirelens', secretOptions: [{ name: 'apiKey', valueFrom: REMOTE_PARAMETER }] } },
        true,
    ],
    ['local-parameter-path', { secrets: [{ name: 'DB', valueFrom: '/app/db/password' }] }, false],
    ['local-parameter-arn', { secrets: [{ name: 'DB', valueFrom: LOCAL_PARAMETER }] }, false],
    ['central-secret-arn', { secrets: [{ name: 'DB', valueFrom: CENTRAL_SECRET }] }, true],
    ['central-secret-json-key', { secrets: [{ name: 'DB_USER', valueFrom: `${CENTRAL_SECRET}:username::` }] }, true],
    ['central-secret-partial-arn', { secrets: [{ name: 'DB', valueFrom: CENTRAL_SECRET.replace('-AbCdEf', '') }] }, true],
    ['central-registry-credentials', { repositoryCredentials: { credentialsParameter: CENTRAL_SECRET } }, true],
    ['central-secret-pinned', { secrets: [{ name: 'DB', valueFrom: `${CENTRAL_SECRET}:::9d4cb84b-ad69-40c0-a0ab-cead3EXAMPLE` }] }, false],
    ['local-secret-same-name', { secrets: [{ name: 'DB', valueFrom: LOCAL_SECRET }] }, false],
    ['local-registry-friendly-name', { repositoryCredentials: { credentialsParameter: 'central/db' } }, false],
];
const NAMES = READERS.map(([name]) => name);
const RESTARTED = READERS.filter(([, , restarts]) => restarts)
    .map(([name]) => name)
    .sort();

let ecs: ECSClient;

const deployments = () => primaryDeployments(ecs, CLUSTER, NAMES);

useMoto(CLUSTER, async (client) => {
    ecs = client;
    for (const [name, reads] of READERS) {
        await ecs.send(
            new RegisterTaskDefinitionCommand({
                family: name,
                containerDefinitions: [{ name: 'app', image: 'public.ecr.aws/nginx/nginx:1', memory: 128, ...reads }],
            }),
        );
        await ecs.send(new CreateServiceCommand({ cluster: CLUSTER, serviceName: name, taskDefinition: name, desiredCount: 1 }));
    }
});

describe('ServicesUsingSecrets of another Region and another account, against moto', () => {
    it('restarts exactly the services that read them by full ARN, not those reading a namesake here', async () => {
        // Prepare
        const before = await deployments();

        // Act
        const { rounds, final } = await driveHandler(
            'CREATE',
            { Cluster: CLUSTER, ServicesUsingSecrets: [REMOTE_PARAMETER, CENTRAL_SECRET] },
            undefined,
            { maxRounds: 5, whenExhausted: 'throw' },
        );

        // Assess
        expect(final.status).toBe('SUCCESS');
        const after = await deployments();
        expect(changedServices(before, after)).toEqual(RESTARTED);
        expect(final.resourceModel?.ServiceArns).toEqual(
            RESTARTED.map((name) => `arn:aws:ecs:${REGION}:${ACCOUNT_ID}:service/${CLUSTER}/${name}`),
        );
        expect(final.resourceModel?.ServicesUsingSecrets).toEqual([REMOTE_PARAMETER, CENTRAL_SECRET]);
        const first = rounds[0]?.message ?? '';
        expect(first).toContain('reading secret:central/db-AbCdEf: central-registry-credentials (container app, repositoryCredentials)');
        expect(first).toContain('reading parameter/app/db/password: remote-parameter-arn (container app, secrets[DB])');
        expect(first).toContain(
            'Left out, pinned to a version or label that rotation does not move: central-secret-pinned (secret:central/db-AbCdEf).',
        );
    });

    it('refuses a secret of another partition, naming it, and restarts nothing', async () => {
        const before = await deployments();
        const foreign = CENTRAL_SECRET.replace('arn:aws:', 'arn:aws-cn:').replace(REGION, 'cn-north-1');

        const response = await invokeHandler(cfnEvent('CREATE', { Cluster: CLUSTER, ServicesUsingSecrets: [foreign] }));

        expect(response.errorCode).toBe('InvalidRequest');
        expect(response.message).toContain(`ServicesUsingSecrets item "${foreign}" is in partition aws-cn (expected aws)`);
        expect(await deployments()).toEqual(before);
    });

    it('keeps Services in this account: a service ARN of the central account is refused', async () => {
        const before = await deployments();
        const foreign = `arn:aws:ecs:${REGION}:${CENTRAL_ACCOUNT}:service/${CLUSTER}/central-secret-arn`;

        const response = await invokeHandler(
            cfnEvent('CREATE', { Cluster: CLUSTER, Services: [foreign], ServicesUsingSecrets: [CENTRAL_SECRET] }),
        );

        expect(response.errorCode).toBe('InvalidRequest');
        expect(response.message).toContain(`'${foreign}' is in account ${CENTRAL_ACCOUNT} (expected ${ACCOUNT_ID})`);
        expect(await deployments()).toEqual(before);
    });
});
