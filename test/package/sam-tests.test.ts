/**
 * Every file of sam-tests/ (the CloudFormation CLI's local test events) replayed against the
 * packaged handler's testEntrypoint under the Node of LAMBDA_RUNTIME (Node 22 by default), on moto: create, then read, update, list, delete
 * with the Id of create threaded through, and read once more after the delete.
 */
import { ECSClient } from '@aws-sdk/client-ecs';
import { existsSync, mkdtempSync, readdirSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { DEMO_CLUSTER, DEMO_SERVICES, createDemoCluster, primaryDeploymentIds } from '../../tools/local/demo-cluster';
import { LambdaProcess, PACKAGE_ZIP, invokeFunction, lambdaRuntime, startLambdaProcess } from '../../tools/local/lambda-process';
import { MotoServer, REPOSITORY_ROOT, startMoto } from '../../tools/local/moto';
import { ReplayOptions, ReplayResult, replaySamTests } from '../../tools/local/sam-tests';

const PACKAGE = PACKAGE_ZIP;
const SAM_TESTS = join(REPOSITORY_ROOT, 'sam-tests');
const CREDENTIALS = { accessKeyId: 'testing', secretAccessKey: 'testing', sessionToken: 'testing' };
const file = (name: string) => join(SAM_TESTS, `${name}.json`);

let moto: MotoServer;
let lambda: LambdaProcess;
let ecs: ECSClient;
let options: ReplayOptions;

beforeAll(async () => {
    if (!existsSync(PACKAGE)) {
        throw new Error(`${PACKAGE} is missing: build it with \`make package\` (cfn submit --dry-run)`);
    }
    moto = await startMoto({ runningTasks: 1 });
    ecs = new ECSClient({ region: 'us-east-1', endpoint: moto.endpoint, credentials: CREDENTIALS });
    await createDemoCluster(ecs);
    lambda = await startLambdaProcess({
        packageZip: PACKAGE,
        nodeBinary: lambdaRuntime().nodeBinary,
        env: { AWS_ENDPOINT_URL: moto.endpoint },
    });
    options = {
        invoke: (event) => invokeFunction(lambda.url, 'TestEntrypoint', event),
        credentials: () => Promise.resolve(CREDENTIALS),
        region: 'us-east-1',
        accountId: '123456789012',
        sleep: () => Promise.resolve(),
        print: () => undefined,
    };
}, 60_000);

afterAll(async () => {
    await lambda?.stop();
    await moto?.stop();
});

describe('sam-tests/', () => {
    it('holds exactly the five events of the CLI convention', () => {
        // Beside them, cfn-invoke/ holds the requests of `cfn invoke` (test/package/cfn-invoke.test.ts).
        const events = readdirSync(SAM_TESTS, { withFileTypes: true }).filter((entry) => entry.isFile());
        expect(events.map((entry) => entry.name).sort()).toEqual(['create.json', 'delete.json', 'list.json', 'read.json', 'update.json']);
    });

    it('replays create, read, update, list, delete and a read after the delete, threading the Id', async () => {
        const before = await primaryDeploymentIds(ecs, DEMO_CLUSTER, DEMO_SERVICES);
        const [created, read, updated, listed, deleted, gone] = (await replaySamTests(
            ['create', 'read', 'update', 'list', 'delete', 'read'].map(file),
            options,
        )) as [ReplayResult, ReplayResult, ReplayResult, ReplayResult, ReplayResult, ReplayResult];

        expect(created).toMatchObject({ action: 'CREATE', status: 'SUCCESS' });
        const id = created.resourceModel?.Id as string;
        expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
        // Two waves (MaxConcurrentRestarts 2 of 3 services): at least the start, the second wave and the end.
        expect(created.invocations).toBeGreaterThanOrEqual(3);
        const afterCreate = await primaryDeploymentIds(ecs, DEMO_CLUSTER, DEMO_SERVICES);
        for (const service of DEMO_SERVICES) expect(afterCreate[service]).not.toBe(before[service]);

        expect(read).toMatchObject({ status: 'SUCCESS', resourceModel: { Id: id, Triggers: { DbSecretVersion: 'v1' } } });

        expect(updated).toMatchObject({ status: 'SUCCESS', resourceModel: { Id: id, Triggers: { DbSecretVersion: 'v2' } } });
        expect(updated.resourceModel?.DeploymentIds).not.toEqual(created.resourceModel?.DeploymentIds);

        expect(listed.status).toBe('SUCCESS');
        expect(listed.resourceModels?.map((model) => model.Id)).toContain(id);

        expect(deleted.status).toBe('SUCCESS');
        expect(gone).toMatchObject<Partial<ReplayResult>>({ status: 'FAILED', errorCode: 'NotFound' });
        expect(gone.message).toContain(id);
    }, 120_000);

    it('refuses to replay a file that needs an Id when no create ran and no --id was given', async () => {
        await expect(replaySamTests([file('read')], options)).rejects.toThrow(
            /read\.json needs the Id of a restart resource: replay it after create\.json, or pass --id ID/,
        );
    });

    it('names the file and the valid actions when an event has an unknown action', async () => {
        const bad = join(mkdtempSync(join(tmpdir(), 'sam-tests-')), 'bad.json');
        writeFileSync(bad, JSON.stringify({ credentials: {}, action: 'PATCH', request: { desiredResourceState: {} } }));
        await expect(replaySamTests([bad], options)).rejects.toThrow(
            `${bad}: "action" is "PATCH"; it must be one of CREATE, READ, UPDATE, DELETE, LIST.`,
        );
    });
});
