/**
 * The package that `cfn submit --dry-run` builds (make package, run first by make test): unzip it,
 * serve its ResourceProvider.zip with the Lambda-Invoke server, and drive it through create, read,
 * list and delete against moto, under the Node binary of the Lambda runtime under test (LAMBDA_RUNTIME:
 * Node 22 for nodejs22.x by default, Node 24 for nodejs24.x) and under this machine's Node.
 */
import { ECSClient } from '@aws-sdk/client-ecs';
import AdmZip from 'adm-zip';
import { existsSync } from 'fs';
import { CloudFormationDriver } from '../../tools/local/cloudformation-driver';
import { createDemoCluster, primaryDeploymentIds } from '../../tools/local/demo-cluster';
import { LambdaProcess, PACKAGE_ZIP, invokeFunction, lambdaRuntime, startLambdaProcess } from '../../tools/local/lambda-process';
import { unpackResourceProvider } from '../../tools/local/lambda-server';
import { MotoServer, startMoto } from '../../tools/local/moto';

const PACKAGE = PACKAGE_ZIP;
// The package is built for the runtime under test (scripts/run-tests.sh: make package RUNTIME=…).
const RUNTIME = lambdaRuntime();
const CREDENTIALS = { accessKeyId: 'testing', secretAccessKey: 'testing', sessionToken: 'testing' };
let moto: MotoServer;
let ecs: ECSClient;
let codeDirectory: string;

beforeAll(async () => {
    if (!existsSync(PACKAGE)) {
        throw new Error(`${PACKAGE} is missing: build it with \`make package\` (cfn submit --dry-run)`);
    }
    codeDirectory = unpackResourceProvider(PACKAGE);
    moto = await startMoto({ runningTasks: 1 });
    ecs = new ECSClient({ region: 'us-east-1', endpoint: moto.endpoint, credentials: CREDENTIALS });
    await createDemoCluster(ecs, 'packaged', ['web']);
}, 60_000);

afterAll(() => moto?.stop());

describe('the package', () => {
    it('holds the registry files and a ResourceProvider.zip of one bundled handler, no node_modules', () => {
        const outer = new AdmZip(PACKAGE).getEntries().map((entry) => entry.entryName);
        expect(outer).toEqual(expect.arrayContaining(['ResourceProvider.zip', 'schema.json', '.rpdk-config']));
        const inner = new AdmZip(new AdmZip(PACKAGE).getEntry('ResourceProvider.zip')!.getData())
            .getEntries()
            .map((entry) => entry.entryName);
        expect(inner).toContain('dist/handlers.js');
        expect(inner.filter((name) => name.includes('node_modules'))).toEqual([]);
    });

    it(`declares the ${RUNTIME.name} runtime in the .rpdk-config it carries`, () => {
        const config = JSON.parse(new AdmZip(PACKAGE).getEntry('.rpdk-config')!.getData().toString('utf8'));
        expect(config.runtime).toBe(RUNTIME.name);
        expect(config.entrypoint).toBe('dist/handlers.entrypoint');
    });
});

describe.each([
    [`Node ${RUNTIME.nodeMajor} (${RUNTIME.name})`, RUNTIME.nodeBinary, new RegExp(`^v${RUNTIME.nodeMajor}\\.`)],
    ["this machine's Node", process.execPath, new RegExp(`^${process.version.replace(/\./g, '\\.')}$`)],
])('the packaged handler under %s', (_label, nodeBinary, expectedVersion) => {
    let lambda: LambdaProcess;

    beforeAll(async () => {
        lambda = await startLambdaProcess({ codeDirectory, nodeBinary, env: { AWS_ENDPOINT_URL: moto.endpoint } });
    }, 30_000);

    afterAll(() => lambda?.stop());

    it('runs on the expected Node', () => {
        expect(lambda.nodeVersion).toMatch(expectedVersion);
    });

    it('creates (restarting for real), reads, lists and deletes through the callback protocol', async () => {
        const driver = new CloudFormationDriver({
            invoke: (event) => invokeFunction(lambda.url, 'TypeFunction', event),
            accountId: '123456789012',
            region: 'us-east-1',
            credentials: () => Promise.resolve(CREDENTIALS),
            print: () => undefined,
            sleep: () => Promise.resolve(),
        });
        const before = await primaryDeploymentIds(ecs, 'packaged', ['web']);
        const created = await driver.run('CREATE', 'Restart', { Cluster: 'packaged', Services: ['web'] });
        expect(created.status).toBe('SUCCESS');
        expect(created.invocations).toBe(2);
        const after = await primaryDeploymentIds(ecs, 'packaged', ['web']);
        expect(after.web).not.toBe(before.web);
        expect(created.resourceModel?.DeploymentIds).toEqual([after.web]);

        const id = created.resourceModel?.Id;
        expect((await driver.run('READ', 'Restart', { Id: id })).resourceModel).toEqual(created.resourceModel);
        expect((await driver.run('LIST', 'Restart', {})).resourceModels?.map((model) => model.Id)).toContain(id);
        expect((await driver.run('DELETE', 'Restart', { Id: id })).status).toBe('SUCCESS');
        expect((await driver.run('READ', 'Restart', { Id: id })).errorCode).toBe('NotFound');
    }, 60_000);
});
