/**
 * What the CloudFormation CLI's own clients (`cfn test`, `cfn invoke`) need to run the packaged
 * handler with no SAM, no Docker and no AWS account: moto plays AWS, the Lambda-Invoke-compatible
 * server plays Lambda (under the Node of LAMBDA_RUNTIME, Node 22 by default), and a cluster with
 * services is created in moto first.
 *
 * Both clients ask STS for credentials and the account id at an endpoint they pin from botocore's
 * endpoint data (https://sts.us-east-1.amazonaws.com, rpdk/core/boto_helpers.py
 * get_service_endpoint), which neither AWS_ENDPOINT_URL nor AWS_DATA_PATH reroutes: the loader it
 * creates reads only ~/.aws/models and botocore's own copy. So the CLI is given a HOME whose
 * ~/.aws/models/endpoints.json maps STS in the region to moto, served over TLS with a throw-away
 * loopback certificate that AWS_CA_BUNDLE makes botocore trust.
 */
import { ECSClient } from '@aws-sdk/client-ecs';
import { mkdirSync, readFileSync, readdirSync, writeFileSync } from 'fs';
import { Agent } from 'https';
import { join } from 'path';
import { createDemoCluster } from './demo-cluster';
import { LambdaProcess, PACKAGE_ZIP, lambdaRuntime, startLambdaProcess } from './lambda-process';
import { MotoServer, REPOSITORY_ROOT, createLoopbackCertificate, startMoto } from './moto';

export const CLI_REGION = 'us-east-1';
export const CLI_CREDENTIALS = { accessKeyId: 'testing', secretAccessKey: 'testing', sessionToken: 'testing' };
export const CFN_BINARY = join(REPOSITORY_ROOT, '.venv', 'bin', 'cfn');

export interface CliEnvironmentOptions {
    /** A folder of its own for the certificate and the CLI's HOME; the caller removes it. */
    scratch: string;
    cluster: string;
    services: readonly string[];
    packageZip?: string;
    nodeBinary?: string;
    /** Where the handler's own log lines go; dropped by default. */
    onLog?: (chunk: string) => void;
}

export interface CliEnvironment {
    /** The Lambda-Invoke endpoint, for the CLI's --endpoint. */
    lambdaUrl: string;
    nodeVersion: string;
    motoEndpoint: string;
    region: string;
    /** The whole environment of a CLI process: HOME, credentials, region and CA bundle (plus PATH). */
    cliEnv: Record<string, string>;
    /** ECS of moto, to see what the handler did. */
    ecs: ECSClient;
    stop(): Promise<void>;
}

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

export async function startCliEnvironment(options: CliEnvironmentOptions): Promise<CliEnvironment> {
    const certificate = createLoopbackCertificate(join(options.scratch, 'tls'));
    const moto: MotoServer = await startMoto({ runningTasks: 1, tls: certificate });
    let lambda: LambdaProcess | undefined;
    try {
        const ecs = new ECSClient({
            region: CLI_REGION,
            endpoint: moto.endpoint,
            credentials: CLI_CREDENTIALS,
            requestHandler: { httpsAgent: new Agent({ ca: readFileSync(certificate.certFile) }) },
        });
        await createDemoCluster(ecs, options.cluster, options.services);
        lambda = await startLambdaProcess({
            packageZip: options.packageZip ?? PACKAGE_ZIP,
            nodeBinary: options.nodeBinary ?? lambdaRuntime().nodeBinary,
            env: { AWS_ENDPOINT_URL: moto.endpoint, NODE_EXTRA_CA_CERTS: certificate.certFile },
            onLog: options.onLog,
        });
        const home = join(options.scratch, 'home');
        homeWithLocalSts(home, CLI_REGION, moto.endpoint.replace(/^https:\/\//, ''));
        const running = lambda;
        return {
            lambdaUrl: lambda.url,
            nodeVersion: lambda.nodeVersion,
            motoEndpoint: moto.endpoint,
            region: CLI_REGION,
            cliEnv: {
                PATH: process.env.PATH ?? '',
                HOME: home,
                AWS_ACCESS_KEY_ID: CLI_CREDENTIALS.accessKeyId,
                AWS_SECRET_ACCESS_KEY: CLI_CREDENTIALS.secretAccessKey,
                AWS_SESSION_TOKEN: CLI_CREDENTIALS.sessionToken,
                AWS_DEFAULT_REGION: CLI_REGION,
                AWS_CA_BUNDLE: certificate.certFile,
            },
            ecs,
            stop: async () => {
                await running.stop();
                await moto.stop();
            },
        };
    } catch (err) {
        await lambda?.stop();
        await moto.stop();
        throw err;
    }
}
