/**
 * The provider's output delivered after the work: as few calls as the limits allow, a new stream
 * created once, a deadline that holds whatever CloudWatch does, and one line on the Lambda log for
 * what was not delivered. CloudWatch Logs and CloudWatch are a scripted HTTP server on loopback.
 */
import { IncomingMessage, Server, ServerResponse, createServer } from 'http';
import { DELIVERY_ENDS_BY_MS, ProviderOutput } from '../../../src/protocol/provider-delivery';
import { INVOCATION_HARD_LIMIT_MS } from '../../../src/aws/clients';

type Reply = (call: { operation: string; body: any }, response: ServerResponse) => void;

let server: Server;
let reply: Reply;
const calls: Array<{ operation: string; body: any }> = [];
const held: ServerResponse[] = [];

const json = (response: ServerResponse, status: number, body: unknown, type?: string) => {
    response.writeHead(status, { 'Content-Type': 'application/x-amz-json-1.1', ...(type ? { 'x-amzn-ErrorType': type } : {}) });
    response.end(JSON.stringify(body));
};
const accept: Reply = (_call, response) => json(response, 200, {});

beforeAll(async () => {
    server = createServer((request: IncomingMessage, response) => {
        const chunks: Buffer[] = [];
        request.on('data', (chunk: Buffer) => chunks.push(chunk));
        request.on('end', () => {
            const call = {
                operation:
                    String(request.headers['x-amz-target'] ?? '')
                        .split('.')
                        .pop() ?? '',
                body: JSON.parse(Buffer.concat(chunks).toString() || '{}'),
            };
            calls.push(call);
            reply(call, response);
        });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
    const address = server.address();
    process.env.AWS_ENDPOINT_URL = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
});

afterAll(async () => {
    delete process.env.AWS_ENDPOINT_URL;
    for (const response of held) response.destroy();
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
});

beforeEach(() => {
    calls.length = 0;
    reply = accept;
});

const destination = {
    credentials: { accessKeyId: 'AKIDPROVIDER', secretAccessKey: 'provider-secret', sessionToken: 'provider-token' },
    region: 'us-east-1',
    logGroupName: 'group',
    logStreamName: 'stream',
};

async function outputWith(lines: number): Promise<ProviderOutput> {
    const output = new ProviderOutput((text) => text);
    output.deliverTo(destination);
    for (let i = 0; i < lines; i += 1) await output.lines.publishLogEvent(`line ${i}`, new Date(1_000 + i));
    await output.metricsFor('Org::ECS::ServiceRestart').publishInvocationMetric(new Date(), 'CREATE');
    return output;
}

it('leaves delivery time after the last AWS call of the work and before the 55-second answer', () => {
    expect(DELIVERY_ENDS_BY_MS).toBeGreaterThan(INVOCATION_HARD_LIMIT_MS);
    expect(DELIVERY_ENDS_BY_MS).toBeLessThanOrEqual(55_000 - 2_000);
});

it('creates a missing stream once and sends 10,001 lines in two calls, in order, and the metrics in one', async () => {
    let streamExists = false;
    reply = (call, response) => {
        if (call.operation === 'PutLogEvents' && !streamExists)
            return json(response, 400, { __type: 'ResourceNotFoundException', message: 'no stream' }, 'ResourceNotFoundException');
        if (call.operation === 'CreateLogStream') streamExists = true;
        accept(call, response);
    };
    const said: string[] = [];
    const report = await (await outputWith(10_001)).deliver(Date.now(), (line) => said.push(line));

    expect(calls.filter((call) => call.operation !== 'PutMetricData').map((call) => call.operation)).toEqual([
        'PutLogEvents',
        'CreateLogStream',
        'PutLogEvents',
        'PutLogEvents',
    ]);
    const sent = calls
        .filter((call) => call.operation === 'PutLogEvents')
        .slice(1)
        .flatMap((call) => call.body.logEvents.map((event: any) => event.message));
    expect(sent).toEqual(Array.from({ length: 10_001 }, (_, i) => `line ${i}`));
    expect(calls.filter((call) => call.operation === 'PutMetricData')).toHaveLength(1);
    expect(report).toMatchObject({ lines: { delivered: 10_001, total: 10_001 }, metrics: { delivered: 1, total: 1 } });
    expect(said).toEqual([]);
});

it('ends at the deadline when CloudWatch Logs never answers, and says so once', async () => {
    reply = (call, response) => (call.operation === 'PutLogEvents' ? void held.push(response) : accept(call, response));
    const said: string[] = [];
    // The invocation started so long ago that only 400 ms are left before DELIVERY_ENDS_BY_MS.
    const startedAt = Date.now() - DELIVERY_ENDS_BY_MS + 400;
    const before = Date.now();
    const report = await (await outputWith(3)).deliver(startedAt, (line) => said.push(line));

    expect(Date.now() - before).toBeLessThan(1_500);
    expect(report).toMatchObject({ lines: { delivered: 0, total: 3 }, metrics: { delivered: 1, total: 1 } });
    expect(said).toEqual([
        expect.stringMatching(
            /^Provider log delivery: 3 of 3 log lines for log group group, stream stream not delivered \(not finished within 0\.4 s/,
        ),
    ]);
});

it('counts the lines CloudWatch Logs refused as too old, and says so', async () => {
    reply = (call, response) =>
        call.operation === 'PutLogEvents'
            ? json(response, 200, { rejectedLogEventsInfo: { tooOldLogEventEndIndex: 0 } })
            : accept(call, response);
    const said: string[] = [];
    const report = await (await outputWith(3)).deliver(Date.now(), (line) => said.push(line));

    expect(report?.lines).toEqual({ delivered: 2, total: 3 });
    expect(said).toEqual([expect.stringContaining('1 of 3 log lines')]);
});

it('sends nothing without provider credentials', async () => {
    const output = new ProviderOutput((text) => text);
    await output.lines.publishLogEvent('line', new Date());
    await output.metricsFor('Org::ECS::ServiceRestart').publishInvocationMetric(new Date(), 'READ');
    expect(await output.deliver(Date.now(), () => undefined)).toBeUndefined();
    expect(calls).toEqual([]);
});
