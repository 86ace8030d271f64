/**
 * The library's own log delivery and metrics, which it runs when a request carries
 * providerCredentials and providerLogGroupName: in the package they go through the SDK v3 adapters
 * (src/runtime/aws-sdk-v2-adapters) instead of the v2 SDK. The packaged handler runs under the Node of
 * the Lambda runtime under test (LAMBDA_RUNTIME, Node 22 by default);
 * every AWS call passes a loopback proxy in front of moto, which records the calls and can fail
 * PutMetricData.
 */
import { CloudWatchClient, ListMetricsCommand } from '@aws-sdk/client-cloudwatch';
import { CloudWatchLogsClient, FilterLogEventsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import AdmZip from 'adm-zip';
import { randomUUID } from 'crypto';
import { existsSync } from 'fs';
import { IncomingMessage, Server, createServer, request as httpRequest } from 'http';
import { LambdaProcess, PACKAGE_ZIP, invokeFunction, lambdaRuntime, startLambdaProcess } from '../../tools/local/lambda-process';
import { unpackResourceProvider } from '../../tools/local/lambda-server';
import { MotoServer, startMoto } from '../../tools/local/moto';

const PACKAGE = PACKAGE_ZIP;
const REGION = 'us-east-1';
const ACCOUNT = '123456789012';
const CREDENTIALS = { accessKeyId: 'testing', secretAccessKey: 'testing', sessionToken: 'testing' };
const PROVIDER_CREDENTIALS = { accessKeyId: 'provider', secretAccessKey: 'provider', sessionToken: 'provider' };
const LOG_GROUP = 'org-ecs-servicerestart-provider-logs';
const NAMESPACE = 'AWS/CloudFormation/Org/ECS/ServiceRestart';

interface RecordedCall {
    operation: string;
    headers: IncomingMessage['headers'];
}

/** Forwards every request to moto, records the operation, and answers PutMetricData with a 500 while told to. */
class AwsProxy {
    readonly calls: RecordedCall[] = [];
    failPutMetricData = false;
    private server?: Server;

    constructor(private readonly target: URL) {}

    async start(): Promise<string> {
        this.server = createServer((incoming, outgoing) => {
            const chunks: Buffer[] = [];
            incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
            incoming.on('end', () => {
                const body = Buffer.concat(chunks);
                const operation = operationOf(incoming, body);
                this.calls.push({ operation, headers: incoming.headers });
                if (this.failPutMetricData && operation === 'PutMetricData') {
                    outgoing.writeHead(500, { 'Content-Type': 'text/plain' }).end('metrics are down');
                    return;
                }
                const forwarded = httpRequest(
                    {
                        host: this.target.hostname,
                        port: this.target.port,
                        method: incoming.method,
                        path: incoming.url,
                        headers: { ...incoming.headers, host: this.target.host },
                    },
                    (answer) => {
                        outgoing.writeHead(answer.statusCode ?? 502, answer.headers);
                        answer.pipe(outgoing);
                    },
                );
                forwarded.on('error', (err) => outgoing.writeHead(502).end(String(err)));
                forwarded.end(body);
            });
        });
        await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', () => resolve()));
        const address = this.server.address();
        return `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
    }

    operations(): string[] {
        return this.calls.map((call) => call.operation);
    }

    stop(): Promise<void> {
        return new Promise((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
    }
}

/** The AWS operation of a request: X-Amz-Target (JSON protocols), the RPC v2 path, Action= (query) or the S3 method. */
function operationOf(incoming: IncomingMessage, body: Buffer): string {
    const target = incoming.headers['x-amz-target'];
    if (typeof target === 'string') return target.split('.').pop() ?? target;
    const rpcV2 = /\/operation\/([A-Za-z]+)$/.exec(incoming.url ?? '');
    if (rpcV2?.[1]) return rpcV2[1];
    const action = /(?:^|&)Action=([A-Za-z]+)/.exec(body.toString('utf8'));
    if (action?.[1]) return action[1];
    return `S3 ${incoming.method}`;
}

function listRequest(stackId: string, withProviderLogging: boolean): Record<string, unknown> {
    return {
        action: 'LIST',
        awsAccountId: ACCOUNT,
        bearerToken: randomUUID(),
        region: REGION,
        resourceType: 'Org::ECS::ServiceRestart',
        resourceTypeVersion: '00000001',
        stackId,
        requestData: {
            callerCredentials: CREDENTIALS,
            ...(withProviderLogging ? { providerCredentials: PROVIDER_CREDENTIALS, providerLogGroupName: LOG_GROUP } : {}),
            logicalResourceId: 'Restart',
            resourceProperties: {},
            stackTags: {},
            systemTags: {},
        },
    };
}

let moto: MotoServer;
let proxy: AwsProxy;
let lambda: LambdaProcess;
let handlerOutput = '';
const direct = () => ({ region: REGION, endpoint: moto.endpoint, credentials: CREDENTIALS });

beforeAll(async () => {
    if (!existsSync(PACKAGE)) {
        throw new Error(`${PACKAGE} is missing: build it with \`make package\` (cfn submit --dry-run)`);
    }
    moto = await startMoto();
    proxy = new AwsProxy(new URL(moto.endpoint));
    const proxyUrl = await proxy.start();
    lambda = await startLambdaProcess({
        codeDirectory: unpackResourceProvider(PACKAGE),
        nodeBinary: lambdaRuntime().nodeBinary,
        env: { AWS_ENDPOINT_URL: proxyUrl },
        onLog: (chunk) => {
            handlerOutput += chunk;
        },
    });
}, 60_000);

afterAll(async () => {
    await lambda?.stop();
    await proxy?.stop();
    await moto?.stop();
});

beforeEach(() => {
    proxy.calls.length = 0;
    proxy.failPutMetricData = false;
});

describe('the package', () => {
    it('holds a deflated ResourceProvider.zip under 0.5 MB whose handler has no v2 SDK in it', () => {
        const entry = new AdmZip(PACKAGE).getEntry('ResourceProvider.zip')!;
        const inner = new AdmZip(entry.getData());
        expect(entry.header.compressedSize).toBeLessThan(512 * 1024);
        expect(inner.getEntries().map((file) => [file.entryName, file.header.method])).toContainEqual(['dist/handlers.js', 8]);
        const handler = inner.getEntry('dist/handlers.js')!.getData().toString('utf8');
        // What every v2 client carries: its service model loader and the v2 configuration class.
        expect(handler).not.toMatch(/apiLoader|AWS\.Config\b/);
    });
});

describe(`the packaged handler with provider logging under Node ${lambdaRuntime().nodeMajor}`, () => {
    it(`runs on Node ${lambdaRuntime().nodeMajor}`, () => {
        expect(lambda.nodeVersion).toMatch(new RegExp(`^v${lambdaRuntime().nodeMajor}\\.`));
    });

    it('makes no log, metric or S3 call for a request without provider credentials', async () => {
        const { payload } = await invokeFunction(lambda.url, 'TypeFunction', listRequest(`stack-${randomUUID()}`, false));
        expect(payload.status).toBe('SUCCESS');
        expect(
            proxy.operations().filter((operation) => !/^(DescribeParameters|GetParameters?|GetParametersByPath)$/.test(operation)),
        ).toEqual([]);
    }, 60_000);

    it('delivers its log lines to CloudWatch Logs and S3 and its metrics to CloudWatch', async () => {
        const stackId = `arn:aws:cloudformation:${REGION}:${ACCOUNT}:stack/provider-logging/${randomUUID()}`;
        const { payload } = await invokeFunction(lambda.url, 'TypeFunction', listRequest(stackId, true));
        expect(payload.status).toBe('SUCCESS');

        const putLogEvents = proxy.calls.filter((call) => call.operation === 'PutLogEvents');
        expect(putLogEvents.length).toBeGreaterThan(0);
        // The header the library adds through the v2 'build' event reaches the v3 request.
        expect(putLogEvents[0]?.headers['x-amzn-logs-format']).toBe('json/emf');

        const logs = new CloudWatchLogsClient(direct());
        const { events } = await logs.send(
            new FilterLogEventsCommand({ logGroupName: LOG_GROUP, logStreamNames: [`${stackId}/Restart`.replace(/:/g, '__')] }),
        );
        const messages = (events ?? []).map((event) => event.message ?? '');
        expect(messages).toEqual(expect.arrayContaining([expect.stringContaining('[LIST] invoking handler'), 'Handler returned SUCCESS']));
        // The library redacts the credentials before publishing.
        expect(messages.join('\n')).not.toContain(PROVIDER_CREDENTIALS.secretAccessKey);

        const s3 = new S3Client({ ...direct(), forcePathStyle: true });
        const objects = await s3.send(new ListObjectsV2Command({ Bucket: `${LOG_GROUP}-${ACCOUNT}` }));
        expect((objects.Contents ?? []).length).toBeGreaterThan(1);

        const cloudWatch = new CloudWatchClient(direct());
        const { Metrics } = await cloudWatch.send(new ListMetricsCommand({ Namespace: NAMESPACE }));
        const listMetrics = (Metrics ?? []).filter((metric) =>
            metric.Dimensions?.some((dimension) => dimension.Name === 'DimensionKeyActionType' && dimension.Value === 'LIST'),
        );
        expect(listMetrics.map((metric) => metric.MetricName)).toEqual(
            expect.arrayContaining(['HandlerInvocationCount', 'HandlerInvocationDuration']),
        );
    }, 60_000);

    it('answers SUCCESS when CloudWatch fails every PutMetricData with a 500', async () => {
        proxy.failPutMetricData = true;
        const stackId = `arn:aws:cloudformation:${REGION}:${ACCOUNT}:stack/failing-metrics/${randomUUID()}`;
        const { payload, functionError } = await invokeFunction(lambda.url, 'TypeFunction', listRequest(stackId, true));
        expect(functionError).toBeUndefined();
        expect(payload).toMatchObject({ status: 'SUCCESS', resourceModels: expect.any(Array) });
        expect(proxy.operations().filter((operation) => operation === 'PutMetricData').length).toBeGreaterThanOrEqual(2);
        expect(handlerOutput).toContain('An error occurred while publishing metrics');
    }, 60_000);
});
