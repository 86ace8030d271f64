/**
 * A Lambda-Invoke-compatible HTTP server for the packaged handler, so that `cfn test` and the local
 * runner need neither SAM nor Docker. It answers POST /2015-03-31/functions/{name}/invocations like
 * Lambda: the handler is loaded once (a warm container), its result is the response body, and a
 * handler that throws or outlives the function timeout is answered with X-Amz-Function-Error and a
 * FAILED progress event, so a caller never hangs and never sees a failure without an error code.
 *
 *   node build/tools/local/lambda-server.js --package org-ecs-servicerestart.zip [--port 3001]
 */
import AdmZip from 'adm-zip';
import { randomUUID } from 'crypto';
import { mkdtempSync } from 'fs';
import { IncomingMessage, Server, ServerResponse, createServer } from 'http';
import { tmpdir } from 'os';
import { join } from 'path';
import { REPOSITORY_ROOT } from './moto';

export const DEFAULT_FUNCTIONS: Readonly<Record<string, string>> = {
    TypeFunction: 'dist/handlers.entrypoint',
    TestEntrypoint: 'dist/handlers.testEntrypoint',
};
const DEFAULT_TIMEOUT_SECONDS = 60;
const INVOKE_PATH = /^\/2015-03-31\/functions\/([^/]+)\/invocations$/;

export interface LambdaServerOptions {
    /** The folder holding the handler code: the unzipped ResourceProvider.zip. */
    codeDirectory: string;
    /** Function name → handler ("file.export", relative to codeDirectory). */
    functions?: Readonly<Record<string, string>>;
    host?: string;
    port?: number;
    timeoutSeconds?: number;
    log?: (line: string) => void;
}

export interface LambdaServer {
    url: string;
    close(): Promise<void>;
}

type Handler = (event: unknown, context: unknown) => Promise<unknown>;

/** Extracts ResourceProvider.zip of a `cfn submit --dry-run` package into a new folder. */
export function unpackResourceProvider(packageZip: string, into = mkdtempSync(join(tmpdir(), 'resource-provider-'))): string {
    const inner = new AdmZip(packageZip).getEntry('ResourceProvider.zip');
    if (!inner) {
        throw new Error(`${packageZip} has no ResourceProvider.zip: build it with \`cfn submit --dry-run\` (make package).`);
    }
    new AdmZip(inner.getData()).extractAllTo(into, true);
    return into;
}

function loadHandler(codeDirectory: string, handler: string): Handler {
    const separator = handler.lastIndexOf('.');
    const modulePath = join(codeDirectory, handler.slice(0, separator));
    // Lambda loads a CommonJS handler by path at run time, and so does this server.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const exported = (require(modulePath) as Record<string, unknown>)[handler.slice(separator + 1)];
    if (typeof exported !== 'function') {
        throw new Error(`${handler} is not a function in ${codeDirectory}`);
    }
    return exported as Handler;
}

function readBody(request: IncomingMessage): Promise<string> {
    return new Promise((resolve, reject) => {
        const chunks: Buffer[] = [];
        request.on('data', (chunk: Buffer) => chunks.push(chunk));
        request.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
        request.on('error', reject);
    });
}

function send(response: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
    const text = JSON.stringify(body);
    response.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text), ...headers });
    response.end(text);
}

function serviceError(response: ServerResponse, status: number, type: string, message: string): void {
    send(response, status, { Type: 'User', message }, { 'x-amzn-ErrorType': type });
}

function functionError(response: ServerResponse, requestId: string, message: string): void {
    send(
        response,
        200,
        { status: 'FAILED', errorCode: 'InternalFailure', message, callbackDelaySeconds: 0 },
        {
            'X-Amz-Function-Error': 'Unhandled',
            'x-amzn-RequestId': requestId,
        },
    );
}

export async function startLambdaServer(options: LambdaServerOptions): Promise<LambdaServer> {
    const functions = options.functions ?? DEFAULT_FUNCTIONS;
    const timeoutMs = (options.timeoutSeconds ?? DEFAULT_TIMEOUT_SECONDS) * 1000;
    const log = options.log ?? ((line: string) => process.stderr.write(`${line}\n`));
    const handlers = new Map<string, Handler>();

    const invoke = async (name: string, event: unknown, requestId: string): Promise<unknown> => {
        let handler = handlers.get(name);
        if (!handler) {
            const handlerName = functions[name];
            if (!handlerName) throw new Error(`No function ${name}`);
            handler = loadHandler(options.codeDirectory, handlerName);
            handlers.set(name, handler);
        }
        const startedAt = Date.now();
        const context = {
            awsRequestId: requestId,
            functionName: name,
            functionVersion: '$LATEST',
            memoryLimitInMB: '256',
            invokedFunctionArn: `arn:aws:lambda:local:000000000000:function:${name}`,
            getRemainingTimeInMillis: () => Math.max(0, timeoutMs - (Date.now() - startedAt)),
        };
        let timer: NodeJS.Timeout | undefined;
        const timedOut = new Promise<never>((_resolve, reject) => {
            timer = setTimeout(() => reject(new Error(`Task timed out after ${(timeoutMs / 1000).toFixed(2)} seconds`)), timeoutMs);
        });
        try {
            return await Promise.race([handler(event, context), timedOut]);
        } finally {
            clearTimeout(timer);
        }
    };

    const server: Server = createServer((request, response) => {
        const match = INVOKE_PATH.exec(request.url?.split('?')[0] ?? '');
        if (request.method !== 'POST' || !match) {
            return serviceError(response, 404, 'UnknownOperationException', `No Lambda API at ${request.method} ${request.url}`);
        }
        const name = decodeURIComponent(match[1] ?? '');
        if (!functions[name]) {
            return serviceError(
                response,
                404,
                'ResourceNotFoundException',
                `Function not found: ${name} (serving ${Object.keys(functions).join(', ')})`,
            );
        }
        const requestId = randomUUID();
        readBody(request)
            .then(async (body) => {
                let event: unknown;
                try {
                    event = body.length > 0 ? JSON.parse(body) : {};
                } catch {
                    return serviceError(response, 400, 'InvalidRequestContentException', 'Could not parse request body into json');
                }
                try {
                    const result = await invoke(name, event, requestId);
                    send(response, 200, result ?? null, { 'x-amzn-RequestId': requestId, 'X-Amz-Executed-Version': '$LATEST' });
                } catch (err) {
                    const message = err instanceof Error ? `${err.name}: ${err.message}` : String(err);
                    log(`${name} ${requestId} failed: ${message}`);
                    functionError(response, requestId, `The handler failed without a progress event: ${message}`);
                }
            })
            .catch((err) => functionError(response, requestId, String(err)));
    });

    await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => resolve());
    });
    const address = server.address();
    const port = typeof address === 'object' && address ? address.port : options.port;
    return {
        url: `http://${options.host ?? '127.0.0.1'}:${port}`,
        close: () => new Promise((resolve) => server.close(() => resolve())),
    };
}

function argument(name: string): string | undefined {
    const index = process.argv.indexOf(`--${name}`);
    return index >= 0 ? process.argv[index + 1] : undefined;
}

if (require.main === module) {
    const packageZip = argument('package') ?? join(REPOSITORY_ROOT, 'org-ecs-servicerestart.zip');
    const codeDirectory = argument('code-dir') ?? unpackResourceProvider(packageZip);
    startLambdaServer({
        codeDirectory,
        port: Number(argument('port') ?? 3001),
        timeoutSeconds: Number(argument('timeout') ?? DEFAULT_TIMEOUT_SECONDS),
    })
        .then((server) => {
            // The first line on stdout is the address and the Node version: callers that asked for port 0 read it from there.
            process.stdout.write(`${server.url} ${process.version}\n`);
            process.stderr.write(`Lambda-Invoke server for ${codeDirectory} on ${server.url} (Node ${process.version})\n`);
            const stop = (): void => void server.close().then(() => process.exit(0));
            process.on('SIGTERM', stop);
            process.on('SIGINT', stop);
        })
        .catch((err) => {
            process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
            process.exit(1);
        });
}
