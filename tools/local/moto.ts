import { ChildProcess, execFileSync, spawn } from 'child_process';
import { existsSync, mkdirSync } from 'fs';
import { createServer } from 'net';
import { dirname, join } from 'path';

/** The folder holding `.rpdk-config`, found upwards from here: tools/local (ts-jest) or build/tools/local (compiled). */
function findRepositoryRoot(start: string): string {
    for (let dir = start; ; dir = dirname(dir)) {
        if (existsSync(join(dir, '.rpdk-config'))) return dir;
        if (dirname(dir) === dir) throw new Error(`No .rpdk-config above ${start}: run the tools from a clone of the project.`);
    }
}

export const REPOSITORY_ROOT = findRepositoryRoot(__dirname);
const MOTO_BINARY = join(REPOSITORY_ROOT, '.venv', 'bin', 'moto_server');
const START_TIMEOUT_MS = 30_000;

export interface LoopbackCertificate {
    certFile: string;
    keyFile: string;
}

export interface MotoOptions {
    /** moto's MOTO_ECS_SERVICE_RUNNING: how many tasks every new service reports running. */
    runningTasks?: number;
    /** Serve HTTPS with this certificate (for callers whose endpoint is pinned to https://). */
    tls?: LoopbackCertificate;
}

export interface MotoServer {
    endpoint: string;
    stop(): Promise<void>;
}

/** Stops a child process and resolves once it has exited. */
export function stopChildProcess(child: ChildProcess): Promise<void> {
    return new Promise((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
    });
}

export function freeLoopbackPort(): Promise<number> {
    return new Promise((resolve, reject) => {
        const server = createServer();
        server.once('error', reject);
        server.listen(0, '127.0.0.1', () => {
            const address = server.address();
            server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no free port'))));
        });
    });
}

/** A throw-away self-signed certificate for 127.0.0.1, made with openssl. */
export function createLoopbackCertificate(directory: string): LoopbackCertificate {
    mkdirSync(directory, { recursive: true });
    const certificate = { certFile: join(directory, 'loopback-cert.pem'), keyFile: join(directory, 'loopback-key.pem') };
    execFileSync(
        'openssl',
        [
            'req',
            '-x509',
            '-newkey',
            'rsa:2048',
            '-nodes',
            '-days',
            '2',
            '-subj',
            '/CN=127.0.0.1',
            '-addext',
            'subjectAltName=IP:127.0.0.1,DNS:localhost',
        ].concat(['-keyout', certificate.keyFile, '-out', certificate.certFile]),
        { stdio: 'pipe' },
    );
    return certificate;
}

async function waitUntilUp(endpoint: string, child: ChildProcess, output: () => string): Promise<void> {
    const deadline = Date.now() + START_TIMEOUT_MS;
    while (Date.now() < deadline) {
        if (child.exitCode !== null) {
            throw new Error(`moto_server exited with ${child.exitCode}: ${output()}`);
        }
        if (output().includes('Running on')) {
            return;
        }
        await new Promise((resolve) => setTimeout(resolve, 100));
    }
    throw new Error(`moto_server did not start on ${endpoint} within ${START_TIMEOUT_MS} ms: ${output()}`);
}

/**
 * Starts moto (ECS, SSM, STS, …) on a free loopback port. moto never moves a deployment on, so a
 * service created with `runningTasks` desired tasks has a COMPLETED rollout from the start.
 */
export async function startMoto(options: MotoOptions = {}): Promise<MotoServer> {
    const port = await freeLoopbackPort();
    const scheme = options.tls ? 'https' : 'http';
    const endpoint = `${scheme}://127.0.0.1:${port}`;
    const tlsArguments = options.tls ? ['--ssl-cert', options.tls.certFile, '--ssl-key', options.tls.keyFile] : [];
    const child = spawn(MOTO_BINARY, ['-H', '127.0.0.1', '-p', String(port), ...tlsArguments], {
        env: { ...process.env, MOTO_ECS_SERVICE_RUNNING: String(options.runningTasks ?? 1) },
        stdio: ['ignore', 'pipe', 'pipe'],
    });
    let log = '';
    const collect = (chunk: Buffer) => {
        log = (log + chunk.toString()).slice(-8000);
    };
    child.stdout?.on('data', collect);
    child.stderr?.on('data', collect);
    await waitUntilUp(endpoint, child, () => log);
    return {
        endpoint,
        stop: () => stopChildProcess(child),
    };
}
