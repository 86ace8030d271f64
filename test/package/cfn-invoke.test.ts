/**
 * The CloudFormation CLI's own client, `cfn invoke resource ACTION request.json`, against the
 * packaged handler on moto, as the README and docs/guide/testing.md tell a user to run it: `make serve`
 * (runner.js serve) in one process, then `make invoke` (runner.js invoke, which runs `.venv/bin/cfn
 * invoke`) or `cfn invoke` by hand with the env.sh that serve writes. Create → read → update →
 * delete → read, the services' deployments seen in moto's ECS.
 */
import { DescribeServicesCommand, ECSClient } from '@aws-sdk/client-ecs';
import { ChildProcess, spawn, spawnSync } from 'child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'fs';
import { Agent } from 'https';
import { tmpdir } from 'os';
import { join } from 'path';
import { CFN_BINARY, CLI_CREDENTIALS } from '../../tools/local/cli-environment';
import { ID_PLACEHOLDER, parseCfnInvokeOutput } from '../../tools/local/cfn-invoke';
import { DEMO_CLUSTER, DEMO_SERVICES, primaryDeploymentIds } from '../../tools/local/demo-cluster';
import { PACKAGE_ZIP, lambdaRuntime } from '../../tools/local/lambda-process';
import { REPOSITORY_ROOT, stopChildProcess } from '../../tools/local/moto';

const RUNNER = join(REPOSITORY_ROOT, 'build', 'tools', 'local', 'runner.js');
const REQUESTS = join(REPOSITORY_ROOT, 'sam-tests', 'cfn-invoke');
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

let scratch: string;
let stateDir: string;
let server: ChildProcess;
let served: { pid: number; motoEndpoint: string; cliEnv: Record<string, string> };
let ecs: ECSClient;

function runnerInvoke(...args: string[]) {
    const result = spawnSync(process.execPath, [RUNNER, 'invoke', ...args, '--state-dir', stateDir], {
        cwd: REPOSITORY_ROOT,
        encoding: 'utf8',
        env: process.env,
    });
    return { status: result.status, stdout: result.stdout, stderr: result.stderr, ...parseCfnInvokeOutput(result.stdout) };
}

async function waitForServe(): Promise<void> {
    const deadline = Date.now() + 60_000;
    while (!existsSync(join(stateDir, 'environment.json'))) {
        if (server.exitCode !== null) throw new Error(`runner.js serve exited with ${server.exitCode}`);
        if (Date.now() > deadline) throw new Error('runner.js serve wrote no environment.json within 60 s');
        await new Promise((resolve) => setTimeout(resolve, 200));
    }
}

beforeAll(async () => {
    if (!existsSync(PACKAGE_ZIP)) throw new Error(`${PACKAGE_ZIP} is missing: build it with \`make package\``);
    scratch = mkdtempSync(join(tmpdir(), 'cfn-invoke-test-'));
    stateDir = join(scratch, 'state');
    server = spawn(process.execPath, [RUNNER, 'serve', '--state-dir', stateDir], { cwd: REPOSITORY_ROOT, stdio: 'ignore' });
    await waitForServe();
    served = JSON.parse(readFileSync(join(stateDir, 'environment.json'), 'utf8'));
    ecs = new ECSClient({
        region: 'us-east-1',
        endpoint: served.motoEndpoint,
        credentials: CLI_CREDENTIALS,
        requestHandler: { httpsAgent: new Agent({ ca: readFileSync(served.cliEnv.AWS_CA_BUNDLE!) }) },
    });
}, 90_000);

afterAll(async () => {
    if (server) await stopChildProcess(server);
    rmSync(scratch, { recursive: true, force: true });
}, 30_000);

describe(`cfn invoke against the packaged handler (${lambdaRuntime().name}) on moto`, () => {
    let id: string;
    let createdDeployments: Record<string, string>;

    it('CREATE restarts every service and answers SUCCESS with the deployments it started', async () => {
        const before = await primaryDeploymentIds(ecs, DEMO_CLUSTER, DEMO_SERVICES);
        const created = runnerInvoke('CREATE', join(REQUESTS, 'create.json'));
        expect({ status: created.status, stderr: created.status === 0 ? '' : created.stderr }).toEqual({ status: 0, stderr: '' });
        // The CLI's own transcript: one handler input per invocation, re-invoked while IN_PROGRESS.
        expect(created.inputs.length).toBe(created.responses.length);
        expect(created.inputs.every((input) => input.action === 'CREATE')).toBe(true);
        expect(created.responses.slice(0, -1).every((response) => response.status === 'IN_PROGRESS')).toBe(true);
        const last = created.responses.at(-1)!;
        expect(last).toMatchObject({ status: 'SUCCESS', resourceModel: { Cluster: DEMO_CLUSTER, Triggers: { DbSecretVersion: 'v1' } } });
        id = last.resourceModel!.Id as string;
        expect(id).toMatch(UUID);

        createdDeployments = await primaryDeploymentIds(ecs, DEMO_CLUSTER, DEMO_SERVICES);
        for (const service of DEMO_SERVICES) expect(createdDeployments[service]).not.toBe(before[service]);
        expect(last.resourceModel!.DeploymentIds).toEqual(DEMO_SERVICES.map((service) => createdDeployments[service]));
    }, 240_000);

    it('READ by hand, with the env.sh that serve writes, answers the created model', () => {
        const request = join(scratch, 'read.json');
        writeFileSync(request, readFileSync(join(REQUESTS, 'read.json'), 'utf8').split(ID_PLACEHOLDER).join(id));
        const result = spawnSync(
            'bash',
            [
                '-c',
                `. "${stateDir}/env.sh" && exec "${CFN_BINARY}" invoke --endpoint "$CFN_INVOKE_ENDPOINT" --region "$CFN_INVOKE_REGION" resource READ "${request}"`,
            ],
            { cwd: REPOSITORY_ROOT, encoding: 'utf8', env: { PATH: process.env.PATH } },
        );
        expect({ status: result.status, stderr: result.status === 0 ? '' : result.stderr }).toEqual({ status: 0, stderr: '' });
        const { responses } = parseCfnInvokeOutput(result.stdout);
        expect(responses).toHaveLength(1);
        expect(responses[0]).toMatchObject({
            status: 'SUCCESS',
            resourceModel: { Id: id, Triggers: { DbSecretVersion: 'v1' }, DeploymentIds: Object.values(createdDeployments) },
        });
    }, 120_000);

    it('UPDATE with a changed trigger restarts every service again (the Id of the CREATE filled in)', async () => {
        const updated = runnerInvoke('UPDATE', join(REQUESTS, 'update.json'));
        expect(updated.status).toBe(0);
        expect(updated.stdout).toContain(`with Id ${id}`);
        expect(updated.inputs[0]).toMatchObject({ action: 'UPDATE', requestData: { resourceProperties: { Id: id } } });
        expect(updated.responses.at(-1)).toMatchObject({
            status: 'SUCCESS',
            resourceModel: { Id: id, Triggers: { DbSecretVersion: 'v2' } },
        });
        const afterUpdate = await primaryDeploymentIds(ecs, DEMO_CLUSTER, DEMO_SERVICES);
        for (const service of DEMO_SERVICES) expect(afterUpdate[service]).not.toBe(createdDeployments[service]);
        createdDeployments = afterUpdate;
    }, 240_000);

    it('DELETE answers SUCCESS and restarts nothing; a READ afterwards answers NotFound and exits non-zero', async () => {
        const described = async () =>
            (await ecs.send(new DescribeServicesCommand({ cluster: DEMO_CLUSTER, services: [...DEMO_SERVICES] }))).services?.map(
                (service) => service.deployments?.map((deployment) => deployment.id),
            );
        const deploymentsBefore = await described();
        const deleted = runnerInvoke('DELETE', join(REQUESTS, 'delete.json'));
        expect(deleted.status).toBe(0);
        expect(deleted.responses.at(-1)).toMatchObject({ status: 'SUCCESS' });
        expect(await described()).toEqual(deploymentsBefore);

        const gone = runnerInvoke('READ', join(REQUESTS, 'read.json'));
        expect(gone.status).toBe(1);
        expect(gone.responses.at(-1)).toMatchObject({ status: 'FAILED', errorCode: 'NotFound' });
        expect(gone.stdout).toContain(`READ: FAILED NotFound`);
    }, 240_000);
});

describe('runner.js invoke refuses bad input before it invokes anything', () => {
    it.each([
        [['RESTART', 'create.json'], 'ACTION must be one of CREATE, READ, UPDATE, DELETE, LIST (got "RESTART")'],
        [['CREATE', ''], 'REQUEST must name a request file, e.g. REQUEST=sam-tests/cfn-invoke/create.json'],
    ])('%j', (args, message) => {
        const result = runnerInvoke(...args);
        expect({ status: result.status, stderr: result.stderr.trim() }).toEqual({ status: 1, stderr: message });
    });

    it('names a request that lacks previousResourceState and says what cfn invoke needs', () => {
        const request = join(scratch, 'no-previous.json');
        writeFileSync(request, JSON.stringify({ desiredResourceState: { Cluster: 'demo', Services: ['web'] } }));
        const result = runnerInvoke('CREATE', request);
        expect(result.status).toBe(1);
        expect(result.stderr.trim()).toBe(
            `The request ${request} lacks previousResourceState: cfn invoke needs a JSON object with desiredResourceState and previousResourceState (null when there is none), as in sam-tests/cfn-invoke/.`,
        );
    });
});
