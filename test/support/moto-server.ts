import { ChildProcess, spawn } from 'child_process';
import { createServer } from 'net';
import { join } from 'path';

const MOTO_BINARY = join(__dirname, '..', '..', '.venv', 'bin', 'moto_server');
const START_TIMEOUT_MS = 30_000;

export interface MotoServer {
    endpoint: string;
    stop(): Promise<void>;
}

export function freeLoopbackPort(): Promise<number> {
    return new Promise((resolve, reject) => {
        const server = createServer();
        server.once('error', reject);
        server.listen(0, '127.0.0.1', () => {
            const address = server.address();
            server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
        });
    });
}

async function waitUntilUp(endpoint: string, child: ChildProcess, output: () => string): Promise<void> {
    const deadline = Date.now() + START_TIMEOUT_MS;
    while (Date.now() < deadline) {
        if (child.exitCode !== null) {
            throw new Error(`moto_server exited with ${child.exitCode}: ${output()}`);
        }
        try {
            const response = await fetch(`${endpoint}/moto-api/`);
            if (response.ok) return;
        } catch {
            // not listening yet
        }
        await new Promise((resolve) => setTimeout(resolve, 100));
    }
    throw new Error(`moto_server did not answer on ${endpoint} within ${START_TIMEOUT_MS} ms: ${output()}`);
}

/**
 * Starts moto (ECS, SSM, STS, …) on a free loopback port. Every new service reports
 * `runningTasks` running tasks (moto's MOTO_ECS_SERVICE_RUNNING): moto never moves a deployment on,
 * so a service created with that desired count has a COMPLETED rollout from the start.
 */
export async function startMoto(runningTasks = 1): Promise<MotoServer> {
    const port = await freeLoopbackPort();
    const endpoint = `http://127.0.0.1:${port}`;
    const child = spawn(MOTO_BINARY, ['-H', '127.0.0.1', '-p', String(port)], {
        env: { ...process.env, MOTO_ECS_SERVICE_RUNNING: String(runningTasks) },
        stdio: ['ignore', 'pipe', 'pipe'],
    });
    let log = '';
    const collect = (chunk: Buffer) => {
        log = (log + chunk.toString()).slice(-4000);
    };
    child.stdout?.on('data', collect);
    child.stderr?.on('data', collect);
    await waitUntilUp(endpoint, child, () => log);
    return {
        endpoint,
        stop: () =>
            new Promise((resolve) => {
                if (child.exitCode !== null) return resolve();
                child.once('exit', () => resolve());
                child.kill('SIGTERM');
            }),
    };
}
