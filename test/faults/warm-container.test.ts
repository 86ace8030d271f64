/**
 * SPEC 5 (the real Lambda runtime): one warm container serves hundreds of invocations of rotating
 * callers, with the type's logging configured (providerCredentials + providerLogGroupName), and
 * nothing of one caller is used for or kept after another; an invocation costs the same at the end as
 * at the start.
 *
 * ONE Node process of the runtime under test (22 or 24) (test/support/warm-container-child.js, --expose-gc) loads the packaged bundle
 * once and serves every invocation; every AWS call it makes passes the fault proxy in front of moto,
 * which sees each request's access key. The heap snapshots are of that process only, so nothing the
 * test itself holds can be mistaken for a leak.
 */
import { ECSClient } from '@aws-sdk/client-ecs';
import { ChildProcess, fork } from 'child_process';
import { randomBytes, randomUUID } from 'crypto';
import { readFileSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { createDemoCluster } from '../../tools/local/demo-cluster';
import { lambdaRuntime } from '../../tools/local/lambda-process';
import { MotoServer, REPOSITORY_ROOT, startMoto } from '../../tools/local/moto';
import { FaultProxy, ProxyCall, startFaultProxy } from '../support/fault-proxy';
import { ACCOUNT_ID, BUNDLE, REGION } from '../support/packaged-harness';

const INVOCATIONS = 300;
const FIRST_MEASURE = 50;
const CREATE_EVERY = 30;
const LOG_GROUP = 'org-ecs-servicerestart-warm-logs';
const CLUSTER = 'warm';
const SERVICE = 'warm-web';

interface Caller {
    accessKeyId: string;
    secretAccessKey: string;
    sessionToken: string;
}

/** A caller of its own: distinctive values that a substring search finds anywhere. */
function newCaller(role: 'CALLER' | 'PROVIDER', n: number): Caller {
    const tag = `${role === 'CALLER' ? 'C' : 'P'}${String(n).padStart(4, '0')}`;
    return {
        accessKeyId: `ASIA${tag}${randomBytes(6).toString('hex').toUpperCase()}`.slice(0, 20),
        secretAccessKey: `warm-secret-${tag}-${randomBytes(12).toString('hex')}`,
        sessionToken: `WarmSessionToken${tag}${randomBytes(24).toString('base64url')}`,
    };
}

interface Served {
    n: number;
    action: string;
    caller: Caller;
    provider: Caller;
    bearerToken: string;
    payload: any;
    calls: ProxyCall[];
}

class WarmContainer {
    private pending?: { resolve: (reply: any) => void; reject: (err: Error) => void };
    output = '';

    private constructor(private readonly child: ChildProcess) {
        child.on('message', (reply: any) => {
            const pending = this.pending;
            this.pending = undefined;
            if (reply.kind === 'error') pending?.reject(new Error(reply.error));
            else pending?.resolve(reply);
        });
        child.stdout?.on('data', (chunk: Buffer) => (this.output = (this.output + chunk.toString()).slice(-200_000)));
        child.stderr?.on('data', (chunk: Buffer) => (this.output = (this.output + chunk.toString()).slice(-200_000)));
    }

    static async start(endpoint: string): Promise<WarmContainer> {
        const child = fork(join(REPOSITORY_ROOT, 'test', 'support', 'warm-container-child.js'), [BUNDLE], {
            execPath: lambdaRuntime().nodeBinary,
            execArgv: ['--expose-gc'],
            env: { ...process.env, AWS_ENDPOINT_URL: endpoint, AWS_SDK_JS_SUPPRESS_MAINTENANCE_MODE_MESSAGE: '1' },
            stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
        });
        const container = new WarmContainer(child);
        await new Promise<void>((resolve, reject) => {
            child.stdout?.once('data', () => resolve());
            child.once('exit', (code) => reject(new Error(`The container exited with ${code}: ${container.output}`)));
        });
        return container;
    }

    ask(message: Record<string, unknown>): Promise<any> {
        return new Promise((resolve, reject) => {
            this.pending = { resolve, reject };
            this.child.send(message);
        });
    }

    stop(): void {
        this.child.kill('SIGKILL');
    }
}

/** The access key id a SigV4-signed request was signed with. */
const accessKeyOf = (call: ProxyCall): string => /Credential=([^/]+)\//.exec(String(call.headers.authorization ?? ''))?.[1] ?? '<unsigned>';
const isProviderCall = (call: ProxyCall): boolean => /^(Logs_20140328|GraniteServiceVersion20100801)$/.test(call.service);

interface HeapCounts {
    /** Objects with an `applyFilter` property: the library's redaction filters, each closing over a secret. */
    filters: number;
    /** Objects with a `secretAccessKey` property: credentials. */
    credentials: number;
    /** Objects with a `logFilters` property: the library's log publishers. */
    publishers: number;
    /** Objects with a `middlewareStack` and a `config` property: SDK v3 clients. */
    clients: number;
    nodes: number;
}

/** Counts objects by the property names they carry (the bundle's class names are minified). */
function heapCounts(snapshot: any): HeapCounts {
    const meta = snapshot.snapshot.meta;
    const nodeFields: string[] = meta.node_fields;
    const edgeFields: string[] = meta.edge_fields;
    const edgeTypes: string[] = meta.edge_types[0];
    const nodes: number[] = snapshot.nodes;
    const edges: number[] = snapshot.edges;
    const strings: string[] = snapshot.strings;
    const edgeCountAt = nodeFields.indexOf('edge_count');
    const counts: HeapCounts = { filters: 0, credentials: 0, publishers: 0, clients: 0, nodes: nodes.length / nodeFields.length };
    let edge = 0;
    for (let node = 0; node < nodes.length; node += nodeFields.length) {
        const names = new Set<string>();
        const count = nodes[node + edgeCountAt]!;
        for (let i = 0; i < count; i += 1, edge += edgeFields.length) {
            if (edgeTypes[edges[edge]!] === 'property') names.add(strings[edges[edge + 1]!]!);
        }
        if (names.has('applyFilter')) counts.filters += 1;
        if (names.has('secretAccessKey')) counts.credentials += 1;
        if (names.has('logFilters')) counts.publishers += 1;
        if (names.has('middlewareStack') && names.has('config')) counts.clients += 1;
    }
    return counts;
}

let moto: MotoServer;
let proxy: FaultProxy;
let container: WarmContainer;
const snapshots: string[] = [];

beforeAll(async () => {
    moto = await startMoto({ runningTasks: 1 });
    proxy = await startFaultProxy({ target: moto.endpoint });
    const ecs = new ECSClient({
        region: REGION,
        endpoint: moto.endpoint,
        credentials: { accessKeyId: 'direct', secretAccessKey: 'direct' },
    });
    await createDemoCluster(ecs, CLUSTER, [SERVICE]);
    ecs.destroy();
    container = await WarmContainer.start(proxy.url);
}, 60_000);

afterAll(async () => {
    container?.stop();
    await proxy?.stop();
    await moto?.stop();
    if (!process.env.KEEP_SNAPSHOTS) for (const file of snapshots) rmSync(file, { force: true });
});

function eventFor(n: number, action: string, caller: Caller, provider: Caller, bearerToken: string, id?: string): Record<string, unknown> {
    const stackId = `arn:aws:cloudformation:${REGION}:${ACCOUNT_ID}:stack/warm-${n}/${randomUUID()}`;
    const properties = action === 'CREATE' ? { Cluster: CLUSTER, Services: [SERVICE] } : action === 'READ' ? { Id: id } : {};
    return {
        action,
        awsAccountId: ACCOUNT_ID,
        bearerToken,
        region: REGION,
        resourceType: 'Org::ECS::ServiceRestart',
        resourceTypeVersion: '00000001',
        stackId,
        requestData: {
            callerCredentials: caller,
            providerCredentials: provider,
            providerLogGroupName: LOG_GROUP,
            logicalResourceId: 'Restart',
            resourceProperties: properties,
            stackTags: {},
            systemTags: {},
        },
    };
}

async function snapshot(name: string): Promise<{ counts: HeapCounts; text: string }> {
    const file = join(tmpdir(), `warm-container-${process.pid}-${name}.heapsnapshot`);
    snapshots.push(file);
    await container.ask({ kind: 'snapshot', file });
    const text = readFileSync(file, 'utf8');
    return { counts: heapCounts(JSON.parse(text)), text };
}

it(`serves ${INVOCATIONS} invocations of rotating callers in one Node process and forgets each caller`, async () => {
    const served: Served[] = [];
    const measured: Record<number, { heapUsed: number; activeHandles: number; counts: HeapCounts }> = {};
    let resourceId: string | undefined;

    for (let n = 1; n <= INVOCATIONS; n += 1) {
        const action = n % CREATE_EVERY === 1 ? 'CREATE' : resourceId && n % 2 === 0 ? 'READ' : 'LIST';
        const caller = newCaller('CALLER', n);
        const provider = newCaller('PROVIDER', n);
        const bearerToken = `warm-bearer-${n}-${randomUUID()}`;
        const firstCall = proxy.calls.length;
        const { payload } = await container.ask({ kind: 'invoke', event: eventFor(n, action, caller, provider, bearerToken, resourceId) });
        if (action === 'CREATE') resourceId ??= payload?.resourceModel?.Id;
        served.push({ n, action, caller, provider, bearerToken, payload, calls: proxy.calls.slice(firstCall) });
        if (n === FIRST_MEASURE || n === INVOCATIONS) {
            const { heapUsed, activeHandles } = await container.ask({ kind: 'measure' });
            measured[n] = { heapUsed, activeHandles, counts: (await snapshot(`at-${n}`)).counts };
        }
    }

    // Every answer is the right one for its action.
    for (const { n, action, payload } of served) {
        const expected = action === 'CREATE' ? 'IN_PROGRESS' : 'SUCCESS';
        expect(`${n} ${action} ${payload?.status} ${payload?.message ?? ''}`).toBe(`${n} ${action} ${expected} ${payload?.message ?? ''}`);
    }
    expect(resourceId).toEqual(expect.any(String));

    // Each AWS request carries its own invocation's key: the caller's for ECS and SSM, the provider's for
    // CloudWatch Logs and CloudWatch; no call of an invocation comes after its answer.
    const wrongKeys = served.flatMap(({ n, caller, provider, calls }) =>
        calls
            .filter((call) => accessKeyOf(call) !== (isProviderCall(call) ? provider : caller).accessKeyId)
            .map((call) => `${n}: ${call.service}.${call.operation} signed by ${accessKeyOf(call)}`),
    );
    expect(wrongKeys).toEqual([]);
    // Each invocation delivered its lines and metrics (the caller's calls are not all that reached AWS).
    for (const { n, calls } of served) {
        expect(`${n}: ${calls.filter(isProviderCall).length > 0}`).toBe(`${n}: true`);
    }

    // The cost of the last invocations is the cost of the first: the same calls per action, and the
    // same objects alive after a collection (filters, credentials, publishers, clients, sockets).
    // (A LIST reads more pages as CREATEs add records, so only a READ's calls are compared whole.)
    const costs = (from: number, to: number) =>
        new Set(
            served
                .filter((s) => s.n >= from && s.n <= to && s.action !== 'CREATE')
                .map(
                    (s) =>
                        `${s.action}: ${(s.action === 'READ' ? s.calls : s.calls.filter(isProviderCall)).map((c) => c.operation).join(' ')}`,
                ),
        );
    expect(costs(INVOCATIONS - 49, INVOCATIONS)).toEqual(costs(2, 51));
    const early = measured[FIRST_MEASURE]!;
    const late = measured[INVOCATIONS]!;
    process.stdout.write(`warm container: at ${FIRST_MEASURE} ${JSON.stringify(early)}; at ${INVOCATIONS} ${JSON.stringify(late)}\n`);
    expect({ ...late.counts, nodes: 0 }).toEqual({ ...early.counts, nodes: 0 });
    expect(late.activeHandles).toBeLessThanOrEqual(early.activeHandles);
    // Heap flat: 250 more invocations may not add more than 10 % (or 2 MiB) to what is alive.
    expect(late.heapUsed).toBeLessThan(Math.max(early.heapUsed * 1.1, early.heapUsed + 2 * 1024 * 1024));
    expect(late.counts.nodes).toBeLessThan(early.counts.nodes * 1.05);

    // Nothing of an earlier caller is left in the process: no secret key, session token or bearer token.
    const { text } = await snapshot('final');
    const leftOver = served.flatMap(({ n, caller, provider, bearerToken }) =>
        [caller.secretAccessKey, caller.sessionToken, provider.secretAccessKey, provider.sessionToken, bearerToken]
            .filter((secret) => text.includes(secret))
            .map((secret) => `${n}: ${secret.slice(0, 24)}…`),
    );
    expect(leftOver).toEqual([]);
}, 240_000);
