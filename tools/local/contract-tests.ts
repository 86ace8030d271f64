/**
 * Runs the CloudFormation CLI's own contract tests (`cfn test`) against the packaged handler, with no
 * SAM and no Docker: moto plays AWS, the Lambda-Invoke-compatible server plays Lambda (under the Node of
 * LAMBDA_RUNTIME, Node 22 by default),
 * and the inputs/ files describe a cluster and services created in moto first.
 *
 * `cfn test` asks STS for the account id at an endpoint it pins from botocore's endpoint data
 * (https://sts.us-east-1.amazonaws.com), which AWS_ENDPOINT_URL does not reroute. botocore reads
 * that data from ~/.aws/models before its own copy, so the test gives `cfn test` a HOME whose
 * endpoint data maps STS in the test region to moto, served over TLS with a throw-away loopback
 * certificate that AWS_CA_BUNDLE makes botocore trust.
 *
 *   node build/tools/local/contract-tests.js [--report FILE.xml] [-- extra pytest arguments]
 */
import { ECSClient } from '@aws-sdk/client-ecs';
import { spawnSync } from 'child_process';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'fs';
import { Agent } from 'https';
import { tmpdir } from 'os';
import { join } from 'path';
import { createDemoCluster } from './demo-cluster';
import { lambdaRuntime, startLambdaProcess } from './lambda-process';
import { REPOSITORY_ROOT, createLoopbackCertificate, startMoto } from './moto';

const REGION = 'us-east-1';
const LOCAL_CREDENTIALS = { accessKeyId: 'testing', secretAccessKey: 'testing', sessionToken: 'testing' };

function botocoreEndpointsFile(): string {
    const sitePackages = join(REPOSITORY_ROOT, '.venv', 'lib');
    const python = readdirSync(sitePackages).find((name) => name.startsWith('python'));
    if (!python) throw new Error(`No Python in ${sitePackages}: run make setup`);
    return join(sitePackages, python, 'site-packages', 'botocore', 'data', 'endpoints.json');
}

/** A HOME whose ~/.aws/models/endpoints.json sends STS of `region` to `stsHost` (host:port). */
function homeWithLocalSts(home: string, region: string, stsHost: string): void {
    const endpoints = JSON.parse(readFileSync(botocoreEndpointsFile(), 'utf8'));
    const aws = endpoints.partitions.find((partition: { partition: string }) => partition.partition === 'aws');
    aws.services.sts.endpoints[region] = { hostname: stsHost };
    const models = join(home, '.aws', 'models');
    mkdirSync(models, { recursive: true });
    writeFileSync(join(models, 'endpoints.json'), JSON.stringify(endpoints));
}

function inputsOf(): { cluster: string; services: string[] } {
    const create = JSON.parse(readFileSync(join(REPOSITORY_ROOT, 'inputs', 'inputs_1_create.json'), 'utf8'));
    const update = JSON.parse(readFileSync(join(REPOSITORY_ROOT, 'inputs', 'inputs_1_update.json'), 'utf8'));
    return { cluster: create.Cluster, services: [...new Set<string>([...create.Services, ...update.Services])] };
}

export async function runContractTests(reportFile: string, pytestArguments: string[]): Promise<number> {
    const scratch = mkdtempSync(join(tmpdir(), 'contract-tests-'));
    const certificate = createLoopbackCertificate(join(scratch, 'tls'));
    const moto = await startMoto({ runningTasks: 1, tls: certificate });
    let lambda;
    try {
        const ecs = new ECSClient({
            region: REGION,
            endpoint: moto.endpoint,
            credentials: LOCAL_CREDENTIALS,
            requestHandler: { httpsAgent: new Agent({ ca: readFileSync(certificate.certFile) }) },
        });
        const { cluster, services } = inputsOf();
        await createDemoCluster(ecs, cluster, services);

        lambda = await startLambdaProcess({
            packageZip: join(REPOSITORY_ROOT, 'org-ecs-servicerestart.zip'),
            nodeBinary: lambdaRuntime().nodeBinary,
            env: { AWS_ENDPOINT_URL: moto.endpoint, NODE_EXTRA_CA_CERTS: certificate.certFile },
        });
        console.log(`Contract tests: handler on ${lambda.url} (Node ${lambda.nodeVersion}), AWS on ${moto.endpoint}`);

        const home = join(scratch, 'home');
        homeWithLocalSts(home, REGION, moto.endpoint.replace(/^https:\/\//, ''));
        // The CLI reads .rpdk-config, the schema and inputs/ from the working directory.
        const result = spawnSync(
            join(REPOSITORY_ROOT, '.venv', 'bin', 'cfn'),
            ['test', '--endpoint', lambda.url, '--region', REGION, '--', `--junitxml=${reportFile}`, '-rfEs', ...pytestArguments],
            {
                cwd: REPOSITORY_ROOT,
                stdio: 'inherit',
                env: {
                    PATH: process.env.PATH,
                    HOME: home,
                    AWS_ACCESS_KEY_ID: LOCAL_CREDENTIALS.accessKeyId,
                    AWS_SECRET_ACCESS_KEY: LOCAL_CREDENTIALS.secretAccessKey,
                    AWS_SESSION_TOKEN: LOCAL_CREDENTIALS.sessionToken,
                    AWS_DEFAULT_REGION: REGION,
                    AWS_CA_BUNDLE: certificate.certFile,
                },
            },
        );
        return result.status ?? 1;
    } finally {
        await lambda?.stop();
        await moto.stop();
        rmSync(scratch, { recursive: true, force: true });
    }
}

if (require.main === module) {
    const reportIndex = process.argv.indexOf('--report');
    const report = (reportIndex >= 0 ? process.argv[reportIndex + 1] : undefined) ?? join(REPOSITORY_ROOT, 'build', 'contract-tests.xml');
    const separator = process.argv.indexOf('--');
    mkdirSync(join(report, '..'), { recursive: true });
    runContractTests(report, separator >= 0 ? process.argv.slice(separator + 1) : [])
        .then((status) => process.exit(status))
        .catch((err) => {
            console.error(err instanceof Error ? err.stack : String(err));
            process.exit(1);
        });
}
