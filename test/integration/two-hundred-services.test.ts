/**
 * A rotated secret in a cluster of 220 services, against moto: the 60 services whose task definitions read the
 * secret or the parameter, in every spelling ECS accepts, are each restarted exactly once (three of them also
 * named in Services), no other service but the one Services adds is touched, READ names every restarted
 * service, and the record, spread over several Standard-tier parameters at this size, leaves none behind on
 * DELETE.
 *
 * The handler reaches moto through the recording proxy of test/support/fault-proxy.ts, with no fault: moto
 * (5.2.5, moto/ecs/models.py update_service) gives a forced new deployment a new id in place of the old one,
 * so a service's deployments never show how often it was restarted, and the UpdateService calls on the wire do.
 * The ECS calls are paced as in production (half of each account-wide bucket, in real time), which is most of
 * this file's run time.
 */
import { ContainerDefinition, CreateServiceCommand, ECSClient, RegisterTaskDefinitionCommand } from '@aws-sdk/client-ecs';
import { GetParametersByPathCommand, SSMClient } from '@aws-sdk/client-ssm';
import { MAX_PARAMETER_BYTES } from '../../src/aws/record-parts';
import { RECORD_PATH_PREFIX } from '../../src/aws/restart-record-store';
import { chunk } from '../../src/restart/collections';
import { ACCOUNT_ID, CREDENTIALS, REGION, cfnEvent } from '../support/cfn-event';
import { FaultProxy, startFaultProxy } from '../support/fault-proxy';
import { HandlerResponse, driveHandler, invokeHandler } from '../support/handler-harness';
import { changedServices, primaryDeployments, useMoto } from '../support/moto-harness';

const CLUSTER = 'two-hundred';
const SERVICE_COUNT = 220;
const SECRET = `arn:aws:secretsmanager:${REGION}:${ACCOUNT_ID}:secret:prod/db-AbCdEf`;
const PARAMETER = `arn:aws:ssm:${REGION}:${ACCOUNT_ID}:parameter/app/db/password`;
const OTHER_SECRET = `arn:aws:secretsmanager:${REGION}:${ACCOUNT_ID}:secret:prod/other-GhIjKl`;
/** Services created at once while setting up: quick, and well within moto's and the loopback's means. */
const SET_UP_CONCURRENCY = 10;

/** How a task definition reads (or does not read) the rotated secret: extra settings of its `app` container, and a sidecar. */
interface ReadingForm {
    form: string;
    app?: Partial<ContainerDefinition>;
    sidecar?: Partial<ContainerDefinition>;
}

/** Each reads the current value of SECRET or PARAMETER, so a restart must replace its tasks. */
const READING: ReadingForm[] = [
    { form: 'full-arn', app: { secrets: [{ name: 'DB', valueFrom: SECRET }] } },
    { form: 'json-key', app: { secrets: [{ name: 'DB_USER', valueFrom: `${SECRET}:username::` }] } },
    { form: 'stage-current', app: { secrets: [{ name: 'DB', valueFrom: `${SECRET}:password:AWSCURRENT:` }] } },
    { form: 'partial-arn', app: { secrets: [{ name: 'DB', valueFrom: SECRET.replace('-AbCdEf', '') }] } },
    { form: 'ssm-name', app: { secrets: [{ name: 'PASSWORD', valueFrom: '/app/db/password' }] } },
    { form: 'ssm-arn', app: { secrets: [{ name: 'PASSWORD', valueFrom: PARAMETER }] } },
    {
        form: 'log-router',
        app: { logConfiguration: { logDriver: 'awsfirelens', secretOptions: [{ name: 'apiKey', valueFrom: PARAMETER }] } },
    },
    { form: 'registry-credentials', app: { repositoryCredentials: { credentialsParameter: SECRET } } },
    {
        // Both items of ServicesUsingSecrets in one task definition: still one restart.
        form: 'secret-and-parameter',
        app: {
            secrets: [
                { name: 'DB', valueFrom: SECRET },
                { name: 'PASSWORD', valueFrom: '/app/db/password' },
            ],
        },
    },
    { form: 'sidecar', sidecar: { secrets: [{ name: 'DB', valueFrom: `${SECRET}:password::` }] } },
];

/** Each reads a pinned version, another secret or nothing: left alone unless named in Services. */
const NOT_READING: ReadingForm[] = [
    { form: 'pinned-version', app: { secrets: [{ name: 'DB', valueFrom: `${SECRET}:::9d4cb84b-ad69-40c0-a0ab-cead3EXAMPLE` }] } },
    { form: 'pinned-stage', app: { secrets: [{ name: 'DB', valueFrom: `${SECRET}::AWSPREVIOUS:` }] } },
    { form: 'pinned-parameter', app: { secrets: [{ name: 'PASSWORD', valueFrom: '/app/db/password:3' }] } },
    { form: 'other-secret', app: { secrets: [{ name: 'OTHER', valueFrom: OTHER_SECRET }] } },
    { form: 'no-secrets' },
];

interface PlannedService extends ReadingForm {
    name: string;
    reads: boolean;
}

/**
 * 220 services, 60 of them readers (6 of each reading form), spread over the cluster rather than in one run, so
 * that every page and batch the handler reads holds some of each.
 */
const SERVICES: PlannedService[] = (() => {
    let readers = 0;
    let others = 0;
    return Array.from({ length: SERVICE_COUNT }, (_, i) => {
        const reads = i % 11 < 3;
        const form = (reads ? READING[readers++ % READING.length] : NOT_READING[others++ % NOT_READING.length]) as ReadingForm;
        return { ...form, name: `svc-${String(i).padStart(3, '0')}-${form.form}`, reads };
    });
})();
const NAMES = SERVICES.map((service) => service.name);
const READERS = SERVICES.filter((service) => service.reads).map((service) => service.name);

/** Three readers (one by ARN), which must not be restarted a second time as found by their secret, and one non-reader. */
const readerNamed = (form: string) => SERVICES.find((service) => service.reads && service.form === form)?.name ?? '';
const otherNamed = SERVICES.find((service) => service.form === 'no-secrets')?.name ?? '';
const serviceArn = (name: string) => `arn:aws:ecs:${REGION}:${ACCOUNT_ID}:service/${CLUSTER}/${name}`;
const NAMED_IN_SERVICES = [readerNamed('full-arn'), readerNamed('log-router'), readerNamed('sidecar'), otherNamed];
const SERVICES_PROPERTY = [NAMED_IN_SERVICES[0], serviceArn(NAMED_IN_SERVICES[1] ?? ''), NAMED_IN_SERVICES[2], NAMED_IN_SERVICES[3]];
/** What the restart touches, in the order of ServiceArns: Services as given, then those found, by name. */
const RESTARTED = [...NAMED_IN_SERVICES, ...READERS.filter((name) => !NAMED_IN_SERVICES.includes(name)).sort()];

let ecs: ECSClient;
let ssm: SSMClient;
let proxy: FaultProxy | undefined;

async function createService(service: PlannedService): Promise<void> {
    const containers: ContainerDefinition[] = [{ name: 'app', image: 'public.ecr.aws/nginx/nginx:1', memory: 128, ...service.app }];
    if (service.sidecar)
        containers.push({ name: 'sidecar', image: 'public.ecr.aws/docker/library/busybox:1', memory: 64, ...service.sidecar });
    await ecs.send(new RegisterTaskDefinitionCommand({ family: service.name, containerDefinitions: containers }));
    await ecs.send(
        new CreateServiceCommand({ cluster: CLUSTER, serviceName: service.name, taskDefinition: service.name, desiredCount: 1 }),
    );
}

/** Every parameter under the type's path, the parts under each head's child path included: name → value. */
async function parametersOfTheType(): Promise<Map<string, string>> {
    const found = new Map<string, string>();
    let token: string | undefined;
    do {
        const page = await ssm.send(new GetParametersByPathCommand({ Path: RECORD_PATH_PREFIX, Recursive: true, NextToken: token }));
        for (const parameter of page.Parameters ?? []) found.set(parameter.Name ?? '', parameter.Value ?? '');
        token = page.NextToken;
    } while (token);
    return found;
}

useMoto(CLUSTER, async (client) => {
    ecs = client;
    const moto = process.env.AWS_ENDPOINT_URL ?? '';
    ssm = new SSMClient({ region: REGION, credentials: CREDENTIALS, endpoint: moto });
    for (const group of chunk(SERVICES, SET_UP_CONCURRENCY)) {
        await Promise.all(group.map(createService));
    }
    // From here on the handler's calls pass the proxy; this file's own clients keep talking to moto directly.
    proxy = await startFaultProxy({ target: moto });
    process.env.AWS_ENDPOINT_URL = proxy.url;
});
afterAll(async () => {
    ssm?.destroy();
    await proxy?.stop();
});

describe('a secret read by 60 of 220 services, against moto', () => {
    const properties = {
        Cluster: CLUSTER,
        Services: SERVICES_PROPERTY,
        ServicesUsingSecrets: [SECRET, PARAMETER],
        Triggers: { DbSecretVersion: 'v2' },
    };
    let created: HandlerResponse;
    let after: Record<string, string | undefined>;

    it('create restarts each reader, and the services named in Services, exactly once', async () => {
        // Prepare
        expect([READERS.length, RESTARTED.length]).toEqual([60, 61]);
        const before = await primaryDeployments(ecs, CLUSTER, NAMES);

        // Act
        const { rounds, final } = await driveHandler('CREATE', properties, undefined, { maxRounds: 20, whenExhausted: 'throw' });
        created = final;

        // Assess
        expect([final.status, final.errorCode]).toEqual(['SUCCESS', undefined]);
        after = await primaryDeployments(ecs, CLUSTER, NAMES);
        expect(changedServices(before, after)).toEqual([...RESTARTED].sort());
        // One UpdateService per restarted service reached moto: a second restart of any of them would show here.
        expect(proxy?.updateServiceCallsReachingMoto()).toEqual(Object.fromEntries([...RESTARTED].sort().map((name) => [name, 1])));
        expect(final.resourceModel?.ServiceArns).toEqual(RESTARTED.map(serviceArn));
        expect(final.resourceModel?.DeploymentIds).toEqual(RESTARTED.map((name) => after[name]));
        const selection = rounds.map((round) => round.message).find((message) => message.startsWith('ServicesUsingSecrets selected')) ?? '';
        // The three readers named in Services are restarted in their place there, not counted again among those found.
        expect(selection).toMatch(
            /^ServicesUsingSecrets selected 57 services \(40 reading secret:prod\/db-AbCdEf, 17 reading parameter\/app\/db\/password\)/,
        );
        // A few of them by name, then where all of them are: the names never push that out.
        expect(selection).toContain("The others are in ServiceArns and, with where each reads its secret, in the handler's log.");
        for (const round of rounds) expect(round.message.length).toBeLessThanOrEqual(1024);
    }, 170_000);

    it('read returns every restarted service with the deployment it started', async () => {
        // Act
        const read = await invokeHandler(cfnEvent('READ', { Id: created.resourceModel?.Id }));

        // Assess
        expect(read.status).toBe('SUCCESS');
        expect(read.resourceModel).toEqual(created.resourceModel);
        expect(read.resourceModel?.ServiceArns).toEqual(RESTARTED.map(serviceArn));
        expect(read.resourceModel?.DeploymentIds).toEqual(RESTARTED.map((name) => after[name]));
    });

    it('keeps a record of this size as a head naming its parts under <head>/parts, each a Standard-tier value', async () => {
        // Act
        const stored = await parametersOfTheType();

        // Assess
        const head = `${RECORD_PATH_PREFIX}${created.resourceModel?.Id}`;
        const { recordParts } = JSON.parse(stored.get(head) ?? '{}') as { recordParts?: { generation: string; count: number } };
        expect(recordParts?.count).toBeGreaterThanOrEqual(1);
        const parts = Array.from({ length: recordParts?.count ?? 0 }, (_, n) => `${head}/parts/${recordParts?.generation}/${n}`);
        // Nothing else under the type's path: no part of an earlier write of the record left over.
        expect([...stored.keys()].sort()).toEqual([head, ...parts].sort());
        // moto takes values of any size (record-store.test.ts): the Standard tier's limit is checked here.
        for (const value of stored.values()) expect(Buffer.byteLength(value)).toBeLessThanOrEqual(MAX_PARAMETER_BYTES);
    });

    it('delete leaves no parameter behind and restarts nothing; the resource is then NotFound', async () => {
        // Prepare
        const updateServiceCalls = proxy?.callsOf('UpdateService').length;

        // Act
        const deleted = await invokeHandler(cfnEvent('DELETE', { ...properties, Id: created.resourceModel?.Id }));

        // Assess
        expect(deleted.status).toBe('SUCCESS');
        expect([...(await parametersOfTheType()).keys()]).toEqual([]);
        expect(proxy?.callsOf('UpdateService')).toHaveLength(updateServiceCalls ?? -1);
        const read = await invokeHandler(cfnEvent('READ', { Id: created.resourceModel?.Id }));
        expect([read.status, read.errorCode]).toEqual(['FAILED', 'NotFound']);
    });
});
