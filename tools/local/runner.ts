/**
 * The local runner: drives the packaged handler (the ResourceProvider.zip that `cfn submit` uploads)
 * through CloudFormation's callback protocol, printing CloudFormation-style events.
 *
 *   node build/tools/local/runner.js demo
 *       embedded moto: create a demo cluster and services, then create → read → update (a changed
 *       trigger restarts again) → list → delete → read, with the deployment ids it started.
 *   node build/tools/local/runner.js run --action CREATE --properties props.json [--previous prev.json]
 *       one action from a properties file: against the embedded moto (seeded with the demo cluster),
 *       an --endpoint you run, or --target aws (a real account, default AWS credential chain).
 *
 *   node build/tools/local/runner.js sam-tests [FILE...] [--id ID]
 *       replays the CLI's local test events (default: sam-tests/ create, read, update, list, delete)
 *       against the packaged handler's testEntrypoint, with the Id of create threaded through.
 *
 *   node build/tools/local/runner.js serve | invoke ACTION REQUEST.json [--id ID]
 *       the CloudFormation CLI's own `cfn invoke` against the packaged handler on moto (cfn-invoke.ts).
 *
 * Options: --package FILE (default org-ecs-servicerestart.zip), --node BINARY (default Node 22),
 * --region REGION, --logical-id NAME, --endpoint URL, --target moto|aws.
 */
import { ECSClient } from '@aws-sdk/client-ecs';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { defaultProvider } from '@aws-sdk/credential-provider-node';
import { readFileSync } from 'fs';
import { join } from 'path';
import { CloudFormationDriver } from './cloudformation-driver';
import { invoke as cfnInvoke, serve as serveForCfnInvoke } from './cfn-invoke';
import { DEMO_CLUSTER, DEMO_SERVICES, createDemoCluster, primaryDeploymentIds } from './demo-cluster';
import { LambdaProcess, defaultNodeBinary, invokeFunction, startLambdaProcess } from './lambda-process';
import { MotoServer, REPOSITORY_ROOT, startMoto } from './moto';
import { ReplayOptions, positionalArguments, replaySamTests } from './sam-tests';

const LOCAL_CREDENTIALS = { accessKeyId: 'local', secretAccessKey: 'local', sessionToken: 'local' };
const ACTIONS = ['CREATE', 'READ', 'UPDATE', 'DELETE', 'LIST'] as const;
type ActionName = (typeof ACTIONS)[number];

interface Environment {
    driver: CloudFormationDriver;
    ecs: ECSClient;
    /** The same target for the sam-tests replay, through the TestEntrypoint function. */
    replay: Omit<ReplayOptions, 'print' | 'initialId'>;
    stop(): Promise<void>;
}

function option(name: string): string | undefined {
    const index = process.argv.indexOf(`--${name}`);
    return index >= 0 ? process.argv[index + 1] : undefined;
}

function readJson(file: string): Record<string, unknown> {
    try {
        return JSON.parse(readFileSync(file, 'utf8'));
    } catch (err) {
        throw new Error(`Cannot read properties from ${file}: ${err instanceof Error ? err.message : String(err)}`);
    }
}

async function startEnvironment(target: 'moto' | 'aws', endpoint: string | undefined, seed: boolean): Promise<Environment> {
    let moto: MotoServer | undefined;
    let lambda: LambdaProcess | undefined;
    try {
        const region = option('region') ?? process.env.AWS_REGION ?? process.env.AWS_DEFAULT_REGION ?? 'us-east-1';
        let endpointUrl = endpoint;
        if (target === 'moto' && !endpointUrl) {
            moto = await startMoto({ runningTasks: 1 });
            endpointUrl = moto.endpoint;
        }
        const credentials = target === 'aws' ? defaultProvider() : () => Promise.resolve(LOCAL_CREDENTIALS);
        const clientConfig = { region, credentials, ...(endpointUrl ? { endpoint: endpointUrl } : {}) };
        const ecs = new ECSClient(clientConfig);
        const identity = await new STSClient(clientConfig).send(new GetCallerIdentityCommand({}));
        if (seed) {
            await createDemoCluster(ecs);
        }
        const nodeBinary = option('node') ?? defaultNodeBinary();
        lambda = await startLambdaProcess({
            packageZip: option('package') ?? join(REPOSITORY_ROOT, 'org-ecs-servicerestart.zip'),
            nodeBinary,
            env: endpointUrl ? { AWS_ENDPOINT_URL: endpointUrl } : {},
            onLog: process.env.SHOW_HANDLER_LOGS ? (chunk) => process.stderr.write(chunk) : undefined,
        });
        console.log(
            `Packaged handler served by ${lambda.url} under Node ${lambda.nodeVersion}; AWS: ${endpointUrl ?? `account ${identity.Account} in ${region}`}`,
        );
        const running = lambda;
        const callerCredentials = async () => {
            const resolved = await credentials();
            return { accessKeyId: resolved.accessKeyId, secretAccessKey: resolved.secretAccessKey, sessionToken: resolved.sessionToken };
        };
        // moto never moves on while it waits, so local runs wait at most a second between calls.
        const sleep =
            target === 'moto'
                ? (seconds: number) => new Promise<void>((resolve) => setTimeout(resolve, Math.min(seconds, 1) * 1000))
                : undefined;
        const accountId = identity.Account ?? '';
        const driver = new CloudFormationDriver({
            invoke: (event) => invokeFunction(running.url, 'TypeFunction', event),
            accountId,
            region,
            credentials: callerCredentials,
            sleep,
        });
        return {
            driver,
            ecs,
            replay: {
                invoke: (event) => invokeFunction(running.url, 'TestEntrypoint', event),
                credentials: callerCredentials,
                region,
                accountId,
                sleep,
            },
            stop: async () => {
                await lambda?.stop();
                await moto?.stop();
            },
        };
    } catch (err) {
        await lambda?.stop();
        await moto?.stop();
        throw err;
    }
}

async function demo(): Promise<boolean> {
    const environment = await startEnvironment('moto', undefined, true);
    const { driver, ecs } = environment;
    const logicalId = 'RestartAfterRotation';
    const properties = {
        Cluster: DEMO_CLUSTER,
        Services: [...DEMO_SERVICES],
        MaxConcurrentRestarts: 2,
        Triggers: { DbSecretVersion: 'v1' },
    };
    const show = async (label: string) => {
        const ids = await primaryDeploymentIds(ecs, DEMO_CLUSTER, DEMO_SERVICES);
        console.log(
            `  ${label}: ${Object.entries(ids)
                .map(([name, id]) => `${name}=${id}`)
                .join('  ')}`,
        );
    };
    try {
        console.log(`\nStack ${driver.stackId}`);
        await show('deployments before');
        const created = await driver.run('CREATE', logicalId, properties);
        if (created.status !== 'SUCCESS') return false;
        console.log(`  Id=${created.resourceModel?.Id}  DeploymentIds=${created.resourceModel?.DeploymentIds.join(', ')}`);
        await show('deployments after create');

        const read = await driver.run('READ', logicalId, { Id: created.resourceModel?.Id });
        console.log(`  read: ${JSON.stringify(read.resourceModel)}`);

        const desired = { ...properties, Triggers: { DbSecretVersion: 'v2' }, Id: created.resourceModel?.Id };
        const updated = await driver.run('UPDATE', logicalId, desired, created.resourceModel);
        if (updated.status !== 'SUCCESS') return false;
        console.log(`  DeploymentIds=${updated.resourceModel?.DeploymentIds.join(', ')}`);
        await show('deployments after update (second restart)');

        const listed = await driver.run('LIST', logicalId, {});
        console.log(`  list: ${listed.resourceModels?.map((model) => model.Id).join(', ')}`);

        const deleted = await driver.run('DELETE', logicalId, { Id: created.resourceModel?.Id });
        await show('deployments after delete (unchanged: delete restarts nothing)');
        const gone = await driver.run('READ', logicalId, { Id: created.resourceModel?.Id });
        console.log(`  read after delete: ${gone.status} ${gone.errorCode}: ${gone.message}`);
        return deleted.status === 'SUCCESS' && gone.errorCode === 'NotFound';
    } finally {
        await environment.stop();
    }
}

async function single(): Promise<boolean> {
    const action = (option('action') ?? '').toUpperCase() as ActionName;
    if (!ACTIONS.includes(action)) {
        throw new Error(`--action must be one of ${ACTIONS.join(', ')} (got ${JSON.stringify(option('action'))})`);
    }
    const target = option('target') === 'aws' ? 'aws' : 'moto';
    const endpoint = option('endpoint');
    const propertiesFile = option('properties');
    if (!propertiesFile && action !== 'LIST') {
        throw new Error('--properties FILE is required: a JSON object of the resource properties (with Id for read, update, delete).');
    }
    const properties = propertiesFile ? readJson(propertiesFile) : {};
    const previous = option('previous') ? readJson(option('previous') as string) : undefined;
    const environment = await startEnvironment(target, endpoint, target === 'moto' && !endpoint);
    try {
        const result = await environment.driver.run(action, option('logical-id') ?? 'Restart', properties, previous);
        console.log(
            JSON.stringify(
                result.resourceModel ?? result.resourceModels ?? { errorCode: result.errorCode, message: result.message },
                null,
                2,
            ),
        );
        return result.status === 'SUCCESS';
    } finally {
        await environment.stop();
    }
}

async function samTests(): Promise<boolean> {
    const files = positionalArguments(process.argv.slice(3));
    const target = option('target') === 'aws' ? 'aws' : 'moto';
    const endpoint = option('endpoint');
    const environment = await startEnvironment(target, endpoint, target === 'moto' && !endpoint);
    try {
        const defaults = ['create', 'read', 'update', 'list', 'delete'].map((name) => join(REPOSITORY_ROOT, 'sam-tests', `${name}.json`));
        const results = await replaySamTests(files.length > 0 ? files : defaults, { ...environment.replay, initialId: option('id') });
        return results.every((result) => result.status === 'SUCCESS');
    } finally {
        await environment.stop();
    }
}

const MODES: Record<string, () => Promise<boolean>> = {
    demo,
    run: single,
    'sam-tests': samTests,
    serve: () => serveForCfnInvoke(process.argv.slice(3)),
    invoke: () => cfnInvoke(process.argv.slice(3)),
};

if (require.main === module) {
    const mode = process.argv[2] ?? 'demo';
    (MODES[mode] ?? (() => Promise.reject(new Error(`Unknown command ${JSON.stringify(mode)}: use ${Object.keys(MODES).join(', ')}.`))))()
        .then((ok) => process.exit(ok ? 0 : 1))
        .catch((err) => {
            console.error(err instanceof Error ? err.message : String(err));
            process.exit(1);
        });
}
