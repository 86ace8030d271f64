import { s3 } from '../../../../src/runtime/aws-sdk-v2-adapters/v3/s3';
import { V3Service } from '../../../../src/runtime/aws-sdk-v2-adapters/v2-client';

const V3_LOGS_MODULE = '../../../../src/runtime/aws-sdk-v2-adapters/v3/cloudwatch-logs';

/** A v3 service double: records the commands sent and the headers their build middleware adds. */
function fakeLogsService(answer: (input: Record<string, unknown>) => Promise<unknown>) {
    const sent: Array<{ name: string; input: Record<string, unknown>; headers: Record<string, string> }> = [];
    const command = (name: string) =>
        class {
            readonly middleware: Array<(next: (args: any) => Promise<unknown>) => (args: any) => Promise<unknown>> = [];
            readonly middlewareStack = { add: (middleware: any) => this.middleware.push(middleware) };
            constructor(readonly input: Record<string, unknown>) {}
            readonly name = name;
        };
    const service: V3Service = {
        createClient: () => ({
            send: async (cmd: any) => {
                const request = { headers: {} as Record<string, string> };
                const run = cmd.middleware.reduceRight(
                    (next: any, middleware: any) => middleware(next),
                    () => Promise.resolve(undefined),
                );
                await run({ request });
                sent.push({ name: cmd.name, input: cmd.input, headers: request.headers });
                return answer(cmd.input);
            },
        }),
        commands: { putLogEvents: command('PutLogEvents'), describeLogStreams: command('DescribeLogStreams') },
    };
    return { service, sent };
}

describe('the v2 client adapters', () => {
    afterEach(() => jest.resetModules());

    it('loads the v3 client on the first request only, and sends the headers a build listener adds', async () => {
        // Prepare
        let loaded = 0;
        const fake = fakeLogsService(() => Promise.resolve({ nextSequenceToken: '49' }));
        jest.doMock(V3_LOGS_MODULE, () => {
            loaded += 1;
            return { cloudWatchLogs: fake.service };
        });
        const { default: CloudWatchLogs } = await import('../../../../src/runtime/aws-sdk-v2-adapters/clients/cloudwatchlogs');

        // Act
        const client = new CloudWatchLogs({ region: 'us-east-1', credentials: { accessKeyId: 'a', secretAccessKey: 'b' } });
        const request = client.makeRequest('putLogEvents', { logGroupName: 'g', logStreamName: 's', logEvents: [] });
        request.on('build', () => {
            request.httpRequest.headers['X-Amzn-Logs-Format'] = 'json/emf';
        });
        const loadedBeforeSending = loaded;
        const answer = await request.promise();

        // Assess
        expect(loadedBeforeSending).toBe(0);
        expect(loaded).toBe(1);
        expect(answer).toEqual({ nextSequenceToken: '49' });
        expect(fake.sent).toEqual([
            {
                name: 'PutLogEvents',
                input: { logGroupName: 'g', logStreamName: 's', logEvents: [] },
                headers: { 'X-Amzn-Logs-Format': 'json/emf' },
            },
        ]);
    });

    it('rejects with the error name as code and never as retryable', async () => {
        const throttled = Object.assign(new Error('slow down'), { name: 'ThrottlingException', $retryable: { throttling: true } });
        const fake = fakeLogsService(async () => Promise.reject(throttled));
        jest.doMock(V3_LOGS_MODULE, () => ({ cloudWatchLogs: fake.service }));
        const { default: CloudWatchLogs } = await import('../../../../src/runtime/aws-sdk-v2-adapters/clients/cloudwatchlogs');

        const failure = new CloudWatchLogs().makeRequest('describeLogStreams', { logGroupName: 'g' }).promise();

        await expect(failure).rejects.toMatchObject({ name: 'ThrottlingException', code: 'ThrottlingException', retryable: false });
    });

    it('names an operation it does not adapt and the ones it does', async () => {
        const fake = fakeLogsService(() => Promise.resolve({}));
        jest.doMock(V3_LOGS_MODULE, () => ({ cloudWatchLogs: fake.service }));
        const { default: CloudWatchLogs } = await import('../../../../src/runtime/aws-sdk-v2-adapters/clients/cloudwatchlogs');

        const failure = new CloudWatchLogs().makeRequest('deleteLogGroup', {}).promise();

        await expect(failure).rejects.toThrow(
            'CloudWatchLogs.deleteLogGroup is not adapted to SDK v3: the adapters cover putLogEvents, describeLogStreams.',
        );
    });

    it('fails a v2 client lookup by name with the name', async () => {
        const { default: clientsByName } = await import('../../../../src/runtime/aws-sdk-v2-adapters/clients/all');
        expect(() => (clientsByName as Record<string, unknown>).DynamoDB).toThrow(
            'The v2 AWS SDK client "DynamoDB" is not in this package: use an SDK v3 client.',
        );
    });

    it.each([
        ['eu-west-1', { Bucket: 'b', CreateBucketConfiguration: { LocationConstraint: 'eu-west-1' } }],
        ['us-east-1', { Bucket: 'b' }],
    ])('creates an S3 bucket in %s as v2 did', (region, expected) => {
        const config = { region, maxAttempts: 2, requestHandler: { connectionTimeout: 1, requestTimeout: 1 } };
        expect(s3.prepareInput?.('createBucket', { Bucket: 'b' }, config)).toEqual(expected);
    });
});
