/**
 * The provider's log lines and metrics, delivered when a request carries providerCredentials and
 * providerLogGroupName: kept during the invocation and sent after the work (src/protocol/
 * provider-delivery.ts), with SDK v3 clients. The packaged handler runs under the Node of the Lambda
 * runtime under test (LAMBDA_RUNTIME, Node 22 by default);
 * every AWS call passes a loopback proxy in front of moto, which records the calls and can fail
 * PutMetricData.
 */
import { CloudWatchClient, ListMetricsCommand } from '@aws-sdk/client-cloudwatch';
import { CloudWatchLogsClient, FilterLogEventsCommand } from '@aws-sdk/client-cloudwatch-logs';
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

    it('delivers its log lines after the work, in order, in one PutLogEvents call, and its metrics in one PutMetricData', async () => {
        const stackId = `arn:aws:cloudformation:${REGION}:${ACCOUNT}:stack/provider-logging/${randomUUID()}`;
        const { payload } = await invokeFunction(lambda.url, 'TypeFunction', listRequest(stackId, true));
        expect(payload.status).toBe('SUCCESS');

        // The first PutLogEvents finds neither group nor stream (moto starts empty), which are created once.
        const operations = proxy.operations();
        expect(operations.filter((operation) => /Log(Events|Stream|Group)/.test(operation))).toEqual([
            'PutLogEvents',
            'CreateLogStream',
            'CreateLogGroup',
            'CreateLogStream',
            'PutLogEvents',
        ]);
        expect(operations.filter((operation) => operation === 'PutMetricData')).toHaveLength(1);
        expect(operations.filter((operation) => operation.startsWith('S3 '))).toEqual([]);

        const logs = new CloudWatchLogsClient(direct());
        const streamName = `${stackId}/Restart`.replace(/:/g, '__');
        const { events } = await logs.send(new FilterLogEventsCommand({ logGroupName: LOG_GROUP, logStreamNames: [streamName] }));
        const messages = (events ?? []).map((event) => event.message ?? '');
        expect(messages.map((message) => message.replace(/RequestId: \S+.*/, 'RequestId'))).toEqual([
            'START RequestId',
            '[LIST] invoking handler...',
            '[LIST] handler invoked',
            'Handler returned SUCCESS',
            'END RequestId',
            'REPORT RequestId',
        ]);
        expect(messages.join('\n')).not.toContain(PROVIDER_CREDENTIALS.secretAccessKey);

        // A second invocation of the same resource writes to the existing stream: one call.
        proxy.calls.length = 0;
        await invokeFunction(lambda.url, 'TypeFunction', listRequest(stackId, true));
        expect(proxy.operations().filter((operation) => /Log/.test(operation))).toEqual(['PutLogEvents']);

        const cloudWatch = new CloudWatchClient(direct());
        const { Metrics } = await cloudWatch.send(new ListMetricsCommand({ Namespace: NAMESPACE }));
        const listMetrics = (Metrics ?? []).filter((metric) =>
            metric.Dimensions?.some((dimension) => dimension.Name === 'DimensionKeyActionType' && dimension.Value === 'LIST'),
        );
        expect(listMetrics.map((metric) => metric.MetricName)).toEqual(
            expect.arrayContaining(['HandlerInvocationCount', 'HandlerInvocationDuration']),
        );
    }, 60_000);

    it('answers SUCCESS when CloudWatch fails every PutMetricData with a 500, and says so once on the Lambda log', async () => {
        proxy.failPutMetricData = true;
        const before = handlerOutput.length;
        const stackId = `arn:aws:cloudformation:${REGION}:${ACCOUNT}:stack/failing-metrics/${randomUUID()}`;
        const { payload, functionError } = await invokeFunction(lambda.url, 'TypeFunction', listRequest(stackId, true));
        expect(functionError).toBeUndefined();
        expect(payload).toMatchObject({ status: 'SUCCESS', resourceModels: expect.any(Array) });
        expect(proxy.operations().filter((operation) => operation === 'PutMetricData').length).toBeGreaterThanOrEqual(1);
        const said = handlerOutput.slice(before).match(/Provider log delivery: .*/g) ?? [];
        expect(said).toEqual([expect.stringContaining('2 of 2 metrics not delivered')]);
    }, 60_000);
});
