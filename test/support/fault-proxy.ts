/**
 * An HTTP proxy on a free loopback port between the AWS SDK v3 clients and moto, which injects
 * faults into scripted calls and records every call. The handler reaches it through the SDK's own
 * AWS_ENDPOINT_URL. ECS and SSM speak AWS JSON 1.1, so a call is identified by its X-Amz-Target
 * header (`AmazonEC2ContainerServiceV20141113.UpdateService`, `AmazonSSM.PutParameter`).
 *
 * Bounded by construction: it listens on 127.0.0.1 only, accepts at most `maxConnections` sockets and
 * `maxRequests` calls, reads at most `maxBodyBytes` of a request, and every hang or delay is capped
 * (`maxHoldMs`) and ends, with a reset, at stop().
 */
import { createHash, randomUUID } from 'crypto';
import { IncomingHttpHeaders, IncomingMessage, Server, ServerResponse, createServer, request as httpRequest } from 'http';
import { Socket } from 'net';
import { performance } from 'perf_hooks';
// The real timers, even where a test fakes the global ones.
import { clearTimeout as clearRealTimeout, setTimeout as setRealTimeout } from 'timers';

export type FaultAction =
    /** Answer an AWS JSON error without forwarding (the call never reached AWS). */
    | { kind: 'error'; status: number; type: string; message?: string }
    /** Answer 400 InvalidSignatureException quoting the canonical request, security token included, as AWS does. */
    | { kind: 'invalid-signature' }
    /** Reset the connection before forwarding (the call never reached AWS). */
    | { kind: 'reset' }
    /** Forward to moto, then reset the connection instead of answering (the call reached AWS, its answer was lost). */
    | { kind: 'forward-then-reset' }
    /** Forward to moto, then never answer until `capMs` (or stop()), then reset: a timeout after the call reached AWS. */
    | { kind: 'forward-then-hang'; capMs?: number }
    /** Forward to moto at once, then hold the answer `ms` before sending it (AWS answers late). */
    | { kind: 'delay'; ms: number }
    /** Never forward and never answer until `capMs` (or stop()), then reset. */
    | { kind: 'hang'; capMs?: number }
    /** Answer with this JSON body without forwarding, after `delayMs`. */
    | { kind: 'respond'; status?: number; body: unknown; delayMs?: number };

export interface ProxyCall {
    seq: number;
    /** The X-Amz-Target prefix: `AmazonEC2ContainerServiceV20141113`, `AmazonSSM`; '' without the header. */
    service: string;
    /** The operation: `UpdateService`, `PutParameter`, …; the request path without X-Amz-Target. */
    operation: string;
    /** Real epoch milliseconds (not the test's simulated clock). */
    startedAt: number;
    endedAt?: number;
    /** Whether the request was forwarded to moto (so AWS may have acted on it). */
    reachedMoto: boolean;
    motoStatus?: number;
    outcome: 'pending' | 'answered' | 'faulted' | 'reset' | 'client-gone' | 'refused';
    fault?: FaultAction['kind'];
    /** The request body: parsed JSON, or the raw text when it is not JSON. */
    body: any;
    rawBody: string;
    headers: IncomingHttpHeaders;
}

export interface FaultRule {
    /** `UpdateService`, the whole target `AmazonSSM.PutParameter`, or every call of a service `AmazonSSM.*`. */
    operation: string;
    /** Only calls this predicate accepts count and fire (e.g. `(call) => call.body.service === 'web'`). */
    match?: (call: ProxyCall) => boolean;
    /** Fire from the nth matching call counted since the rule was added (1 = the next one). Default 1. */
    nth?: number;
    /** Fire for this many matching calls from `nth` on. Default: every one. */
    times?: number;
    action: FaultAction;
}

export interface FaultHandle {
    /** Matching calls seen since the rule was added. */
    readonly matched: number;
    /** Calls the rule fired on. */
    readonly fired: number;
    remove(): void;
}

export interface FaultProxyOptions {
    /** Where unfaulted calls go: the moto endpoint (http://127.0.0.1:port). */
    target: string;
    maxConnections?: number;
    maxRequests?: number;
    maxBodyBytes?: number;
    /** Upper bound on every hang and delay, whatever a rule asks. */
    maxHoldMs?: number;
}

export const ECS_TARGET = 'AmazonEC2ContainerServiceV20141113';
export const SSM_TARGET = 'AmazonSSM';

export interface FaultProxy {
    url: string;
    readonly calls: readonly ProxyCall[];
    fault(rule: FaultRule): FaultHandle;
    clearFaults(): void;
    /** Calls of an operation (`UpdateService` or a whole target), optionally filtered. */
    callsOf(operation: string, filter?: (call: ProxyCall) => boolean): ProxyCall[];
    /** UpdateService calls forwarded to moto, by service name (an ARN counts under its last segment). */
    updateServiceCallsReachingMoto(): Record<string, number>;
    stop(): Promise<void>;
}

const DEFAULTS = { maxConnections: 64, maxRequests: 20_000, maxBodyBytes: 1_048_576, maxHoldMs: 120_000 };

function realNow(): number {
    return performance.timeOrigin + performance.now();
}

function operationOf(request: IncomingMessage): { service: string; operation: string } {
    const target = request.headers['x-amz-target'];
    if (typeof target === 'string' && target.includes('.')) {
        const dot = target.lastIndexOf('.');
        return { service: target.slice(0, dot), operation: target.slice(dot + 1) };
    }
    return { service: '', operation: `${request.method} ${request.url}` };
}

function matchesOperation(rule: FaultRule, call: ProxyCall): boolean {
    if (rule.operation.endsWith('.*')) return `${call.service}.*` === rule.operation;
    return rule.operation.includes('.') ? `${call.service}.${call.operation}` === rule.operation : call.operation === rule.operation;
}

/** A service name from what UpdateService carries: a name or an ARN. */
export function serviceNameOf(value: unknown): string {
    return (typeof value === 'string' ? value : '').split('/').pop() ?? '';
}

/**
 * The message AWS gives with InvalidSignatureException: it quotes the canonical request it expected,
 * signed headers included, so it carries the x-amz-security-token of the request in clear.
 */
export function invalidSignatureMessage(request: IncomingMessage, body: string): string {
    const authorization = String(request.headers.authorization ?? '');
    const signedHeaders = (/SignedHeaders=([^,\s]+)/.exec(authorization)?.[1] ?? 'host;x-amz-date;x-amz-security-token;x-amz-target')
        .split(';')
        .filter((name) => name.length > 0);
    const canonicalHeaders = signedHeaders.map((name) => `${name}:${String(request.headers[name] ?? '').trim()}`).join('\n');
    const payloadHash = createHash('sha256').update(body).digest('hex');
    const canonicalRequest = [request.method, request.url ?? '/', '', canonicalHeaders, '', signedHeaders.join(';'), payloadHash].join(
        '\n',
    );
    const scope = /Credential=[^/]+\/([^,]+)/.exec(authorization)?.[1] ?? '';
    return (
        'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. ' +
        `Consult the service documentation for details.\n\nThe Canonical String for this request should have been\n'${canonicalRequest}'\n\n` +
        `The String-to-Sign should have been\n'AWS4-HMAC-SHA256\n${String(request.headers['x-amz-date'] ?? '')}\n${scope}\n` +
        `${createHash('sha256').update(canonicalRequest).digest('hex')}'\n`
    );
}

function resetSocket(socket: Socket | null | undefined): void {
    if (!socket || socket.destroyed) return;
    // An RST, as a dropped connection or a load balancer reset looks to the client.
    if (typeof socket.resetAndDestroy === 'function') socket.resetAndDestroy();
    else socket.destroy();
}

export async function startFaultProxy(options: FaultProxyOptions): Promise<FaultProxy> {
    const limits = { ...DEFAULTS, ...options };
    const target = new URL(options.target);
    if (target.hostname !== '127.0.0.1' && target.hostname !== 'localhost') {
        throw new Error(`The fault proxy forwards to loopback only, not ${options.target}`);
    }
    const calls: ProxyCall[] = [];
    const rules: Array<{ rule: FaultRule; matched: number; fired: number; removed: boolean }> = [];
    const holds = new Map<NodeJS.Timeout, () => void>();
    const sockets = new Set<Socket>();
    let stopping = false;

    /** Waits `ms` (capped), or until stop(); resolves true when the wait ran its course. */
    const hold = (ms: number): Promise<boolean> =>
        new Promise((resolve) => {
            const timer = setRealTimeout(
                () => {
                    holds.delete(timer);
                    resolve(!stopping);
                },
                Math.max(0, Math.min(ms, limits.maxHoldMs)),
            );
            holds.set(timer, () => {
                clearRealTimeout(timer);
                holds.delete(timer);
                resolve(false);
            });
        });

    const ruleFor = (call: ProxyCall): FaultAction | undefined => {
        let action: FaultAction | undefined;
        for (const entry of rules) {
            if (entry.removed || !matchesOperation(entry.rule, call) || (entry.rule.match && !entry.rule.match(call))) continue;
            entry.matched += 1;
            const from = entry.rule.nth ?? 1;
            const to = entry.rule.times === undefined ? Infinity : from + entry.rule.times - 1;
            if (!action && entry.matched >= from && entry.matched <= to) {
                entry.fired += 1;
                action = entry.rule.action;
            }
        }
        return action;
    };

    const forward = (
        request: IncomingMessage,
        body: Buffer,
    ): Promise<{ status: number; headers: IncomingHttpHeaders; body: Buffer } | undefined> =>
        new Promise((resolve) => {
            const headers = { ...request.headers, host: target.host, 'content-length': String(body.length) };
            delete headers.connection;
            const upstream = httpRequest(
                { host: target.hostname, port: target.port, method: request.method, path: request.url, headers, agent: false },
                (answer) => {
                    const chunks: Buffer[] = [];
                    answer.on('data', (chunk: Buffer) => chunks.push(chunk));
                    answer.on('end', () =>
                        resolve({ status: answer.statusCode ?? 502, headers: answer.headers, body: Buffer.concat(chunks) }),
                    );
                    answer.on('error', () => resolve(undefined));
                },
            );
            upstream.setTimeout(limits.maxHoldMs, () => upstream.destroy());
            upstream.on('error', () => resolve(undefined));
            upstream.end(body);
        });

    const sendJson = (response: ServerResponse, status: number, payload: unknown, type?: string): void => {
        const text = JSON.stringify(payload);
        response.writeHead(status, {
            'Content-Type': 'application/x-amz-json-1.1',
            'Content-Length': Buffer.byteLength(text),
            'x-amzn-RequestId': randomUUID(),
            ...(type ? { 'x-amzn-ErrorType': type } : {}),
        });
        response.end(text);
    };

    const relay = (response: ServerResponse, answer: { status: number; headers: IncomingHttpHeaders; body: Buffer }): void => {
        const headers = { ...answer.headers, 'content-length': String(answer.body.length) };
        delete headers['transfer-encoding'];
        delete headers.connection;
        response.writeHead(answer.status, headers);
        response.end(answer.body);
    };

    const handle = async (request: IncomingMessage, response: ServerResponse, call: ProxyCall, body: Buffer): Promise<void> => {
        const action = ruleFor(call);
        call.fault = action?.kind;
        const forwardAndRecord = async () => {
            call.reachedMoto = true;
            const answer = await forward(request, body);
            call.motoStatus = answer?.status;
            return answer;
        };
        switch (action?.kind) {
            case undefined: {
                const answer = await forwardAndRecord();
                if (!answer) {
                    call.outcome = 'reset';
                    return resetSocket(request.socket);
                }
                call.outcome = 'answered';
                return relay(response, answer);
            }
            case 'error':
                call.outcome = 'faulted';
                return sendJson(
                    response,
                    action.status,
                    { __type: action.type, message: action.message ?? `${action.type} (injected)` },
                    action.type,
                );
            case 'invalid-signature':
                call.outcome = 'faulted';
                return sendJson(
                    response,
                    400,
                    { __type: 'InvalidSignatureException', message: invalidSignatureMessage(request, call.rawBody) },
                    'InvalidSignatureException',
                );
            case 'reset':
                call.outcome = 'reset';
                return resetSocket(request.socket);
            case 'forward-then-reset':
                await forwardAndRecord();
                call.outcome = 'reset';
                return resetSocket(request.socket);
            case 'forward-then-hang':
                await forwardAndRecord();
                await hold(action.capMs ?? limits.maxHoldMs);
                call.outcome = 'reset';
                return resetSocket(request.socket);
            case 'hang':
                await hold(action.capMs ?? limits.maxHoldMs);
                call.outcome = 'reset';
                return resetSocket(request.socket);
            case 'delay': {
                const answer = await forwardAndRecord();
                const ranItsCourse = await hold(action.ms);
                if (!answer || !ranItsCourse) {
                    call.outcome = 'reset';
                    return resetSocket(request.socket);
                }
                call.outcome = 'answered';
                return relay(response, answer);
            }
            case 'respond': {
                if (!(await hold(action.delayMs ?? 0))) {
                    call.outcome = 'reset';
                    return resetSocket(request.socket);
                }
                call.outcome = 'faulted';
                return sendJson(response, action.status ?? 200, action.body);
            }
        }
    };

    const server: Server = createServer((request, response) => {
        const { service, operation } = operationOf(request);
        const call: ProxyCall = {
            seq: calls.length + 1,
            service,
            operation,
            startedAt: realNow(),
            reachedMoto: false,
            outcome: 'pending',
            body: undefined,
            rawBody: '',
            headers: request.headers,
        };
        if (calls.length >= limits.maxRequests || stopping) {
            call.outcome = 'refused';
            call.endedAt = realNow();
            calls.push(call);
            return sendJson(
                response,
                503,
                { __type: 'ServiceUnavailable', message: 'The fault proxy request limit was reached.' },
                'ServiceUnavailable',
            );
        }
        calls.push(call);
        const chunks: Buffer[] = [];
        let size = 0;
        request.on('data', (chunk: Buffer) => {
            size += chunk.length;
            if (size > limits.maxBodyBytes) {
                call.outcome = 'refused';
                return resetSocket(request.socket);
            }
            chunks.push(chunk);
        });
        request.on('end', () => {
            if (call.outcome === 'refused') return;
            const body = Buffer.concat(chunks);
            call.rawBody = body.toString('utf8');
            try {
                call.body = JSON.parse(call.rawBody);
            } catch {
                call.body = call.rawBody;
            }
            handle(request, response, call, body)
                .catch(() => resetSocket(request.socket))
                .finally(() => {
                    call.endedAt = realNow();
                });
        });
        response.on('close', () => {
            if (call.outcome === 'pending') call.outcome = 'client-gone';
        });
    });
    server.maxConnections = limits.maxConnections;
    server.on('connection', (socket: Socket) => {
        sockets.add(socket);
        socket.on('close', () => sockets.delete(socket));
    });
    await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen(0, '127.0.0.1', () => resolve());
    });
    const address = server.address();
    if (typeof address !== 'object' || !address) throw new Error('The fault proxy has no address');

    const callsOf = (operation: string, filter?: (call: ProxyCall) => boolean): ProxyCall[] =>
        calls.filter((call) => matchesOperation({ operation, action: { kind: 'reset' } }, call) && (!filter || filter(call)));

    return {
        url: `http://127.0.0.1:${address.port}`,
        calls,
        fault(rule: FaultRule): FaultHandle {
            const entry = { rule, matched: 0, fired: 0, removed: false };
            rules.push(entry);
            return {
                get matched() {
                    return entry.matched;
                },
                get fired() {
                    return entry.fired;
                },
                remove: () => {
                    entry.removed = true;
                },
            };
        },
        clearFaults() {
            for (const entry of rules) entry.removed = true;
        },
        callsOf,
        updateServiceCallsReachingMoto() {
            const counts: Record<string, number> = {};
            for (const call of callsOf('UpdateService', (c) => c.reachedMoto)) {
                const name = serviceNameOf(call.body?.service);
                counts[name] = (counts[name] ?? 0) + 1;
            }
            return counts;
        },
        async stop() {
            stopping = true;
            for (const release of [...holds.values()]) release();
            await new Promise<void>((resolve) => {
                server.close(() => resolve());
                for (const socket of sockets) resetSocket(socket);
            });
        },
    };
}
