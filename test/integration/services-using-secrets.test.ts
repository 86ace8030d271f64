/**
 * ServicesUsingSecrets against moto: task definitions registered with every spelling ECS accepts for a
 * secret or parameter, services created from them, and exactly the right deployments change.
 *
 * What moto does here (5.2.5, moto/ecs/models.py): ListServices returns every service of the cluster in one
 * answer, without paging and including deleted (INACTIVE) ones; DescribeTaskDefinition returns the container
 * definitions as registered, `secrets`, `repositoryCredentials` and `logConfiguration.secretOptions` included;
 * an ECS-controlled service has one PRIMARY deployment naming its task definition, a CODE_DEPLOY one none
 * (its task definition is on the service). Paging is covered by the scripted double in test/handlers.
 */
import {
    ContainerDefinition,
    CreateServiceCommand,
    DeleteServiceCommand,
    ECSClient,
    RegisterTaskDefinitionCommand,
} from '@aws-sdk/client-ecs';
import { ACCOUNT_ID, REGION, cfnEvent } from '../support/cfn-event';
import { HandlerResponse, driveHandler, invokeHandler } from '../support/handler-harness';
import { changedServices, primaryDeployments, useMoto } from '../support/moto-harness';

const CLUSTER = 'secrets';
const SECRET = `arn:aws:secretsmanager:${REGION}:${ACCOUNT_ID}:secret:prod/db-AbCdEf`;
const PARAMETER = `arn:aws:ssm:${REGION}:${ACCOUNT_ID}:parameter/app/db/password`;
const OTHER_SECRET = `arn:aws:secretsmanager:${REGION}:${ACCOUNT_ID}:secret:prod/other-GhIjKl`;

/** Service name → how its task definition reads a secret, and whether the restart must replace its tasks. */
const READERS: Array<[string, Partial<ContainerDefinition>, boolean]> = [
    ['full-arn', { secrets: [{ name: 'DB', valueFrom: SECRET }] }, true],
    ['json-key', { secrets: [{ name: 'DB_USER', valueFrom: `${SECRET}:username::` }] }, true],
    ['stage-current', { secrets: [{ name: 'DB', valueFrom: `${SECRET}:password:AWSCURRENT:` }] }, true],
    ['partial-arn', { secrets: [{ name: 'DB', valueFrom: SECRET.replace('-AbCdEf', '') }] }, true],
    ['ssm-name', { secrets: [{ name: 'PASSWORD', valueFrom: '/app/db/password' }] }, true],
    ['ssm-arn', { secrets: [{ name: 'PASSWORD', valueFrom: PARAMETER }] }, true],
    ['log-router', { logConfiguration: { logDriver: 'awsfirelens', secretOptions: [{ name: 'apiKey', valueFrom: PARAMETER }] } }, true],
    ['registry-credentials', { repositoryCredentials: { credentialsParameter: SECRET } }, true],
    ['pinned-version', { secrets: [{ name: 'DB', valueFrom: `${SECRET}:::9d4cb84b-ad69-40c0-a0ab-cead3EXAMPLE` }] }, false],
    ['pinned-stage', { secrets: [{ name: 'DB', valueFrom: `${SECRET}::AWSPREVIOUS:` }] }, false],
    ['pinned-parameter', { secrets: [{ name: 'PASSWORD', valueFrom: '/app/db/password:3' }] }, false],
    ['other-secret', { secrets: [{ name: 'OTHER', valueFrom: OTHER_SECRET }] }, false],
    ['no-secrets', {}, false],
];

let ecs: ECSClient;
const invoke = invokeHandler;

async function drive(action: 'CREATE' | 'UPDATE', properties: Record<string, unknown>, previous?: Record<string, unknown>) {
    const { rounds, final } = await driveHandler(action, properties, undefined, { previous, maxRounds: 5, whenExhausted: 'throw' });
    return { first: rounds[0] as HandlerResponse, final };
}

async function createReader(name: string, reads: Partial<ContainerDefinition>, extra: Record<string, unknown> = {}): Promise<void> {
    await ecs.send(
        new RegisterTaskDefinitionCommand({
            family: name,
            containerDefinitions: [{ name: 'app', image: 'public.ecr.aws/nginx/nginx:1', memory: 128, ...reads }],
        }),
    );
    await ecs.send(new CreateServiceCommand({ cluster: CLUSTER, serviceName: name, taskDefinition: name, desiredCount: 1, ...extra }));
}

const deployments = (names: readonly string[]) => primaryDeployments(ecs, CLUSTER, names);

useMoto(CLUSTER, async (client) => {
    ecs = client;
    for (const [name, reads] of READERS) {
        await createReader(name, reads);
    }
    await createReader('bluegreen', { secrets: [{ name: 'DB', valueFrom: SECRET }] }, { deploymentController: { type: 'CODE_DEPLOY' } });
    await createReader('retired', { secrets: [{ name: 'DB', valueFrom: SECRET }] });
    await ecs.send(new DeleteServiceCommand({ cluster: CLUSTER, service: 'retired', force: true }));
});

describe('ServicesUsingSecrets against moto', () => {
    const names = READERS.map(([name]) => name);
    const properties = { Cluster: CLUSTER, ServicesUsingSecrets: [SECRET, PARAMETER], Triggers: { Version: '1' } };
    let created: HandlerResponse;

    it('create restarts exactly the services that read the current value of the secret or the parameter', async () => {
        const before = await deployments([...names, 'bluegreen']);

        const { first, final } = await drive('CREATE', properties);
        created = final;

        expect(final.status).toBe('SUCCESS');
        const after = await deployments([...names, 'bluegreen']);
        const expected = READERS.filter(([, , restarts]) => restarts).map(([name]) => name);
        expect(changedServices(before, after)).toEqual([...expected].sort());
        expect(final.resourceModel?.ServiceArns).toEqual(
            [...expected].sort().map((name) => `arn:aws:ecs:${REGION}:${ACCOUNT_ID}:service/${CLUSTER}/${name}`),
        );
        expect(final.resourceModel?.DeploymentIds).toEqual([...expected].sort().map((name) => after[name]));
        expect(first.message).toMatch(
            /^ServicesUsingSecrets selected, reading secret:prod\/db-AbCdEf: full-arn \(container app, secrets\[DB\]\), json-key \(container app, secrets\[DB_USER\]\)/,
        );
        expect(first.message).toContain(
            'Left out, pinned to a version or label that rotation does not move: pinned-parameter (parameter/app/db/password), ' +
                'pinned-stage (secret:prod/db-AbCdEf), pinned-version (secret:prod/db-AbCdEf).',
        );
        // The event holds 1,024 characters: with eight services selected, the list of skipped ones is cut after the first
        // (moto also lists the deleted service `retired`, which ECS would not).
        expect(first.message).toContain(
            'Skipped, as a forced new deployment replaces none of their tasks: bluegreen (CODE_DEPLOY, reads secret:prod/db-AbCdEf), ret…',
        );
        expect(first.message.length).toBeLessThanOrEqual(1024);
    });

    it('update restarts a service created since, that reads the secret', async () => {
        await createReader('late', { secrets: [{ name: 'DB', valueFrom: SECRET }] });
        const before = await deployments([...names, 'late']);
        const desired = { ...properties, Triggers: { Version: '2' }, Id: created.resourceModel?.Id };

        const { final } = await drive('UPDATE', desired, created.resourceModel);

        expect(final.status).toBe('SUCCESS');
        const expected = [...READERS.filter(([, , restarts]) => restarts).map(([name]) => name), 'late'].sort();
        expect(changedServices(before, await deployments([...names, 'late']))).toEqual(expected);
    });

    it('refuses, restarting nothing, a secret no service reads', async () => {
        const before = await deployments(names);
        const unread = `arn:aws:secretsmanager:${REGION}:${ACCOUNT_ID}:secret:nobody-ReadsIt`;

        const response = await invoke(cfnEvent('CREATE', { Cluster: CLUSTER, ServicesUsingSecrets: [unread] }));

        expect(response.errorCode).toBe('InvalidRequest');
        expect(response.message).toContain(`no service of cluster '${CLUSTER}' that a forced new deployment restarts reads ${unread}`);
        expect(await deployments(names)).toEqual(before);
    });
});
