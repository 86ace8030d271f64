/**
 * The part of an AWS SDK v2 client that the CloudFormation TypeScript library uses for its own log
 * delivery and metrics (SessionProxy.extendAwsClient): `new Client({ credentials, region })`, then
 * `makeRequest(operation, params)`, a 'build' listener that adds headers, and `promise()`. Each
 * request is sent by an SDK v3 client, loaded on the first request only, so an invocation that
 * carries no provider credentials never loads one.
 */

/** What the library passes to a v2 client constructor: the provider session's options. */
export interface V2ClientConfig {
    region?: string;
    credentials?: { accessKeyId?: string; secretAccessKey?: string; sessionToken?: string };
}

/** The v3 client configuration the adapters use: the request's credentials and short timeouts. */
export interface V3ClientConfig {
    region?: string;
    credentials?: { accessKeyId: string; secretAccessKey: string; sessionToken?: string };
    maxAttempts: number;
    requestHandler: { connectionTimeout: number; requestTimeout: number; throwOnRequestTimeout?: boolean };
}

type BuildArgs = { request: { headers: Record<string, string> } };
type BuildMiddleware = (next: (args: BuildArgs) => Promise<unknown>) => (args: BuildArgs) => Promise<unknown>;

/**
 * The slice of an SDK v3 command and client that the adapters need. The SDK's own types are generic
 * per command; these stay loose (`any`) where a command's input or middleware type would otherwise
 * have to be named for every operation.
 */
export interface V3Command {
    middlewareStack: { add(middleware: any, options: { step: 'build'; name: string }): void };
}
export interface V3Client {
    send(command: any, options?: { abortSignal?: AbortSignal }): Promise<unknown>;
    destroy?(): void;
}

/** One v3 service: how to build its client, and the command of each v2 operation the library calls. */
export interface V3Service {
    createClient(config: V3ClientConfig): V3Client;
    commands: Readonly<Record<string, new (input: any) => V3Command>>;
    /** Turns v2 parameters into the v3 input where the v2 client did more than pass them on. */
    prepareInput?(operation: string, params: Record<string, unknown>, config: V3ClientConfig): Record<string, unknown>;
}

// The library publishes logs and metrics on the invocation's critical path, one call after the
// other: each call is short and retried once at most, so that an unreachable CloudWatch costs the
// handler seconds, not its 60-second budget.
const CONNECTION_TIMEOUT_MS = 2_000;
const REQUEST_TIMEOUT_MS = 5_000;
const MAX_ATTEMPTS = 2;

export function v3ClientConfig(config: V2ClientConfig): V3ClientConfig {
    const { accessKeyId, secretAccessKey, sessionToken } = config.credentials ?? {};
    return {
        region: config.region,
        credentials: accessKeyId && secretAccessKey ? { accessKeyId, secretAccessKey, sessionToken } : undefined,
        maxAttempts: MAX_ATTEMPTS,
        requestHandler: { connectionTimeout: CONNECTION_TIMEOUT_MS, requestTimeout: REQUEST_TIMEOUT_MS },
    };
}

/**
 * A v3 error as the library reads a v2 one: `code` is the error name. `retryable` is always false:
 * the v3 client has already retried, and the library rethrows a retryable metric error out of its
 * entrypoint, which would turn a failed PutMetricData into a failed handler answer.
 */
export function asV2Error(err: unknown): Error & { code: string; retryable: boolean } {
    const error = err instanceof Error ? err : new Error(String(err));
    return Object.assign(error, { code: (error as { code?: string }).code ?? error.name, retryable: false });
}

/** The request object of v2's `makeRequest`: listeners of 'build' may add headers before it is sent. */
export class V2Request {
    readonly httpRequest: { headers: Record<string, string> } = { headers: {} };
    private readonly buildListeners: Array<() => void> = [];

    constructor(private readonly sendRequest: (headers: Record<string, string>) => Promise<unknown>) {}

    on(event: string, listener: () => void): this {
        if (event !== 'build') {
            throw new Error(`The v2 request event "${event.slice(0, 40)}" is not supported here: only "build" is.`);
        }
        this.buildListeners.push(listener);
        return this;
    }

    async promise(): Promise<unknown> {
        this.buildListeners.forEach((listener) => listener());
        return this.sendRequest({ ...this.httpRequest.headers });
    }
}

export abstract class V2ClientAdapter {
    private client?: Promise<{ service: V3Service; client: V3Client }>;

    constructor(private readonly config: V2ClientConfig = {}) {}

    /** The v2 client's class name, for messages. */
    protected abstract readonly serviceName: string;

    /** Loads the v3 service module; called on the first request only. */
    protected abstract loadService(): Promise<V3Service>;

    makeRequest(operation: string, params: Record<string, unknown> = {}): V2Request {
        return new V2Request((headers) => this.send(operation, params, headers));
    }

    private async send(operation: string, params: Record<string, unknown>, headers: Record<string, string>): Promise<unknown> {
        this.client ??= this.loadService().then((service) => ({ service, client: service.createClient(v3ClientConfig(this.config)) }));
        const { service, client } = await this.client;
        const Command = service.commands[operation];
        if (!Command) {
            throw new Error(
                `${this.serviceName}.${operation.slice(0, 60)} is not adapted to SDK v3: the adapters cover ${Object.keys(service.commands).join(', ')}.`,
            );
        }
        const command = new Command(service.prepareInput?.(operation, params, v3ClientConfig(this.config)) ?? params);
        if (Object.keys(headers).length > 0) {
            const addHeaders: BuildMiddleware = (next) => (args) => {
                Object.assign(args.request.headers, headers);
                return next(args);
            };
            command.middlewareStack.add(addHeaders, { step: 'build', name: 'v2BuildListenerHeaders' });
        }
        try {
            return await client.send(command);
        } catch (err) {
            throw asV2Error(err);
        }
    }
}
