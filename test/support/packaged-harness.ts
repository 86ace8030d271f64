/**
 * Runs the PACKAGED handler (build/TypeFunction/dist/handlers.js, written by `make package`) in this
 * process, so that a test controls its clock, sees its console output and reaches AWS through the
 * fault proxy in front of moto. Each `loadContainer()` is a fresh copy of the bundle, like a new
 * Lambda container; within one container invocations share module state, like a warm one.
 */
import { DeleteParameterCommand, GetParametersByPathCommand, SSMClient } from '@aws-sdk/client-ssm';
import { ECSClient } from '@aws-sdk/client-ecs';
import { randomUUID } from 'crypto';
import { existsSync } from 'fs';
import { join } from 'path';
import { performance } from 'perf_hooks';
import { clearTimeout as clearRealTimeout, setTimeout as setRealTimeout } from 'timers';
import { format } from 'util';
import { CloudFormationDriver, OperationResult } from '../../tools/local/cloudformation-driver';
import { createDemoCluster } from '../../tools/local/demo-cluster';
import { MotoServer, REPOSITORY_ROOT, startMoto } from '../../tools/local/moto';
import { FaultProxy, startFaultProxy } from './fault-proxy';

// PACKAGE_BUNDLE: the bundle of the package built for LAMBDA_RUNTIME (scripts/run-tests.sh).
export const BUNDLE = process.env.PACKAGE_BUNDLE?.trim() || join(REPOSITORY_ROOT, 'build', 'TypeFunction', 'dist', 'handlers.js');
export const ACCOUNT_ID = '123456789012';
export const REGION = 'us-east-1';
export const RECORD_PREFIX = '/CloudFormation/Org/ECS/ServiceRestart/';
/** The handler contract: Lambda stops a registry handler after 60 seconds. */
export const INVOCATION_LIMIT_MS = 60_000;
/** Distinctive values, so that a leak anywhere is found by a plain substring search. */
export const CREDENTIALS = {
    accessKeyId: 'AKIAFAULTSUITE7Q2X9Z',
    secretAccessKey: 'fault-suite-SECRET/kq7Zr2Lw9Xv4Tn8Pb',
    sessionToken: 'FaultSuiteSESSIONtoken//Qm3Vt8Ry5Lp0Wz6Hc4Jd',
};

type Entrypoint = (event: unknown, context: unknown) => Promise<any>;

export interface Invocation {
    event: Record<string, any>;
    payload?: any;
    error?: string;
    /** Real milliseconds, whatever the simulated clock says. */
    durationMs: number;
}

/**
 * The library's entrypoint ends every invocation with `await delay(1)` in
 * BaseResource.waitRunningProcesses (a fixed second for log delivery, which here goes to the
 * console and is synchronous). Inside the bundle that delay cannot be mocked as a module, so the
 * one timer it sets is recognised by its caller and fires at once; every other timer is untouched.
 */
function installSettlingDelayShortcut(): () => void {
    const original = global.setTimeout;
    const shortcut = function (this: unknown, callback: (...args: any[]) => void, ms?: number, ...args: any[]) {
        if (ms === 1000 && /\bwaitRunningProcesses\b/.test(new Error().stack ?? '')) {
            return original(callback, 0, ...args);
        }
        return original(callback, ms, ...args);
    } as typeof setTimeout;
    global.setTimeout = Object.assign(shortcut, original);
    return () => {
        global.setTimeout = original;
    };
}

/** Loads a fresh copy of the packaged bundle (a new "container"). */
export function loadContainer(): Entrypoint {
    if (!existsSync(BUNDLE)) {
        throw new Error(`${BUNDLE} is missing: build the package first with \`make package\` (cfn submit --dry-run).`);
    }
    let entrypoint: Entrypoint | undefined;
    jest.isolateModules(() => {
        // The bundle is CommonJS loaded by path, exactly as Lambda loads it.
        // eslint-disable-next-line @typescript-eslint/no-require-imports
        entrypoint = (require(BUNDLE) as { entrypoint?: Entrypoint }).entrypoint;
    });
    if (typeof entrypoint !== 'function') throw new Error(`${BUNDLE} exports no entrypoint function`);
    return entrypoint;
}

/**
 * A simulated clock: Date (only Date) is faked and advances with real time, and `advance` jumps it
 * forward, so that deadlines pass without waiting. Timers, performance and the event loop stay real.
 */
export const clock = {
    install(): void {
        jest.useFakeTimers({
            advanceTimers: true,
            doNotFake: [
                'hrtime',
                'nextTick',
                'performance',
                'queueMicrotask',
                'requestAnimationFrame',
                'cancelAnimationFrame',
                'requestIdleCallback',
                'cancelIdleCallback',
                'setImmediate',
                'clearImmediate',
                'setInterval',
                'clearInterval',
                'setTimeout',
                'clearTimeout',
            ],
        });
    },
    advance(ms: number): void {
        jest.setSystemTime(Date.now() + ms);
    },
    uninstall(): void {
        jest.useRealTimers();
    },
};

export interface DriverHooks {
    /** Changes the event before it is sent (e.g. an earlier callback context); `n` counts from 1. */
    beforeInvoke?: (event: Record<string, any>, n: number) => Record<string, any> | void | Promise<Record<string, any> | void>;
    /** Sees each answer; runs before the driver acts on it. */
    afterInvoke?: (payload: any, n: number) => void | Promise<void>;
    /** Runs while CloudFormation would wait callbackDelaySeconds (nothing waits here). */
    between?: (delaySeconds: number, n: number) => void | Promise<void>;
    maxInvocations?: number;
    credentials?: Record<string, string>;
}

export interface FaultEnvironmentOptions {
    cluster?: string;
    services?: readonly string[];
    /** moto's running task count for every service (desired is 1): 0 or 1 is "not yet" or "done". */
    runningTasks?: number;
}

/**
 * moto, the fault proxy in front of it, a cluster with services, the packaged handler pointed at the
 * proxy, a capture of everything the handler printed, and every invocation it served.
 */
export class FaultEnvironment {
    readonly invocations: Invocation[] = [];
    readonly logs: string[] = [];
    readonly ecs: ECSClient;
    readonly ssm: SSMClient;
    private readonly inFlight = new Set<Promise<unknown>>();
    private readonly restore: Array<() => void> = [];
    private container: Entrypoint;

    private constructor(
        readonly moto: MotoServer,
        readonly proxy: FaultProxy,
        readonly cluster: string,
        readonly services: readonly string[],
    ) {
        // Direct to moto: the test's own view of AWS, never faulted and never recorded.
        const direct = { region: REGION, endpoint: moto.endpoint, credentials: { accessKeyId: 'direct', secretAccessKey: 'direct' } };
        this.ecs = new ECSClient(direct);
        this.ssm = new SSMClient(direct);
        this.restore.push(installSettlingDelayShortcut());
        for (const method of ['log', 'info', 'warn', 'error', 'debug'] as const) {
            const spy = jest.spyOn(console, method).mockImplementation((...args: unknown[]) => {
                this.logs.push(format(...args));
            });
            this.restore.push(() => spy.mockRestore());
        }
        process.env.AWS_ENDPOINT_URL = proxy.url;
        this.container = loadContainer();
    }

    static async start(options: FaultEnvironmentOptions = {}): Promise<FaultEnvironment> {
        const moto = await startMoto({ runningTasks: options.runningTasks ?? 1 });
        const proxy = await startFaultProxy({ target: moto.endpoint });
        const cluster = options.cluster ?? 'faults';
        const services = options.services ?? ['web', 'worker'];
        const environment = new FaultEnvironment(moto, proxy, cluster, services);
        await createDemoCluster(environment.ecs, cluster, services);
        return environment;
    }

    /** A fresh container for the next invocations (a cold start). */
    coldStart(): void {
        this.container = loadContainer();
    }

    /**
     * One invocation of the packaged entrypoint, as Lambda makes it: the event as JSON, a context with
     * the remaining time, and no answer after 60 s (the test fails, the invocation runs on until
     * stop() ends its calls).
     */
    async invoke(event: Record<string, any>, container: Entrypoint = this.container): Promise<{ payload: any }> {
        // Through JSON, as Lambda delivers it: own "__proto__" keys stay keys, nothing is shared.
        const delivered = JSON.parse(JSON.stringify(event));
        const startedAt = performance.now();
        const context = {
            awsRequestId: randomUUID(),
            functionName: 'TypeFunction',
            functionVersion: '$LATEST',
            memoryLimitInMB: '256',
            getRemainingTimeInMillis: () => Math.max(0, INVOCATION_LIMIT_MS - (performance.now() - startedAt)),
        };
        const record: Invocation = { event: delivered, durationMs: 0 };
        this.invocations.push(record);
        const running = container(delivered, context).then(
            (payload) => {
                record.payload = JSON.parse(JSON.stringify(payload ?? null));
                record.durationMs = performance.now() - startedAt;
                return record.payload;
            },
            (err: unknown) => {
                record.error = err instanceof Error ? `${err.name}: ${err.message}` : String(err);
                record.durationMs = performance.now() - startedAt;
                throw err;
            },
        );
        this.inFlight.add(running);
        running.catch(() => undefined).finally(() => this.inFlight.delete(running));
        let timer: NodeJS.Timeout | undefined;
        const overtime = new Promise<never>((_resolve, reject) => {
            timer = setRealTimeout(() => {
                reject(
                    new Error(`The ${String(event.action)} invocation did not return within ${INVOCATION_LIMIT_MS / 1000} s of wall time.`),
                );
            }, INVOCATION_LIMIT_MS);
        });
        try {
            return { payload: await Promise.race([running, overtime]) };
        } finally {
            clearRealTimeout(timer);
        }
    }

    /** CloudFormation's callback protocol (tools/local/cloudformation-driver.ts) over `invoke`. */
    driver(hooks: DriverHooks = {}, container?: Entrypoint): CloudFormationDriver {
        let n = 0;
        return new CloudFormationDriver({
            invoke: async (event) => {
                n += 1;
                const changed = (await hooks.beforeInvoke?.(event, n)) ?? event;
                const answer = await this.invoke(changed, container);
                await hooks.afterInvoke?.(answer.payload, n);
                return answer;
            },
            accountId: ACCOUNT_ID,
            region: REGION,
            credentials: () => Promise.resolve({ ...CREDENTIALS, ...hooks.credentials }),
            stackName: 'faults',
            print: () => undefined,
            sleep: async (seconds) => hooks.between?.(seconds, n),
            maxInvocations: hooks.maxInvocations ?? 40,
        });
    }

    run(
        action: 'CREATE' | 'READ' | 'UPDATE' | 'DELETE' | 'LIST',
        properties: Record<string, unknown>,
        hooks: DriverHooks = {},
        previous?: Record<string, unknown>,
    ): Promise<OperationResult> {
        return this.driver(hooks).run(action, 'Restart', properties, previous);
    }

    /** Every restart record in SSM now, read directly from moto. */
    async records(): Promise<Array<{ name: string; value: string }>> {
        const found: Array<{ name: string; value: string }> = [];
        let nextToken: string | undefined;
        do {
            const page = await this.ssm.send(
                new GetParametersByPathCommand({ Path: RECORD_PREFIX, Recursive: true, NextToken: nextToken }),
            );
            for (const parameter of page.Parameters ?? []) found.push({ name: parameter.Name ?? '', value: parameter.Value ?? '' });
            nextToken = page.NextToken;
        } while (nextToken);
        return found;
    }

    async deleteAllRecords(): Promise<void> {
        for (const { name } of await this.records()) await this.ssm.send(new DeleteParameterCommand({ Name: name }));
    }

    /**
     * Each credential value and bearer token the handler was given, with every place it showed up
     * again: an answer, a log line, a record written through the proxy or stored in SSM now.
     */
    async credentialLeaks(): Promise<string[]> {
        const secrets = new Set<string>();
        for (const { event } of this.invocations) {
            for (const value of Object.values(event?.requestData?.callerCredentials ?? {})) {
                if (typeof value === 'string' && value.length >= 8) secrets.add(value);
            }
            if (typeof event?.bearerToken === 'string' && event.bearerToken.length >= 8) secrets.add(event.bearerToken);
        }
        const places: Array<[string, string]> = [
            ...this.invocations.map((invocation, i): [string, string] => [
                `answer ${i + 1}`,
                JSON.stringify(invocation.payload ?? invocation.error ?? ''),
            ]),
            ...this.logs.map((line, i): [string, string] => [`log line ${i + 1}`, line]),
            ...this.proxy.callsOf('AmazonSSM.PutParameter').map((call): [string, string] => [`PutParameter #${call.seq}`, call.rawBody]),
            ...(await this.records()).map((parameter): [string, string] => [`SSM ${parameter.name}`, parameter.value]),
        ];
        const leaks: string[] = [];
        for (const secret of secrets) {
            for (const [place, text] of places) {
                if (text.includes(secret)) leaks.push(`${secret.slice(0, 6)}… in ${place}`);
            }
        }
        return leaks;
    }

    /** Longest wall time of any invocation so far, in ms. */
    slowestInvocationMs(): number {
        return Math.max(0, ...this.invocations.map((invocation) => invocation.durationMs));
    }

    async stop(): Promise<void> {
        await this.proxy.stop();
        // An invocation that outlived the limit ends quickly once the proxy refuses connections.
        let timer: NodeJS.Timeout | undefined;
        await Promise.race([
            Promise.allSettled([...this.inFlight]),
            new Promise((resolve) => {
                timer = setRealTimeout(resolve, 30_000);
            }),
        ]);
        clearRealTimeout(timer);
        await this.moto.stop();
        this.ecs.destroy();
        this.ssm.destroy();
        for (const undo of this.restore.reverse()) undo();
    }
}

/** Deep-walks a JSON value and lets `change` replace any property; returns how many it replaced. */
export function alterJson(value: any, change: (key: string, current: unknown) => unknown): number {
    let changed = 0;
    const walk = (node: any): void => {
        if (!node || typeof node !== 'object') return;
        for (const key of Object.keys(node)) {
            const next = change(key, node[key]);
            if (next !== KEEP) {
                node[key] = next;
                changed += 1;
            } else {
                walk(node[key]);
            }
        }
    };
    walk(value);
    return changed;
}
export const KEEP = Symbol('keep');

/** "STATUS ErrorCode: message", so that a failed expectation shows what the handler said. */
export function outcomeOf(result: { status?: string; errorCode?: string; message?: string }): string {
    return `${result.status ?? '<no status>'}${result.errorCode ? ` ${result.errorCode}` : ''}: ${result.message ?? ''}`;
}
