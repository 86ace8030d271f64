/**
 * `cfn invoke resource ACTION request.json`, the CloudFormation CLI's own client, against the packaged
 * handler on moto (the environment of cli-environment.ts, seeded with the demo cluster).
 *
 *   node build/tools/local/runner.js serve [--state-dir DIR]                    (make serve)
 *       keeps moto and the Lambda-Invoke server running until Ctrl-C, so that one invocation sees
 *       what the previous one did; writes DIR/environment.json for `invoke` and DIR/env.sh for
 *       running `cfn invoke` by hand (default DIR: build/cfn-invoke).
 *   node build/tools/local/runner.js invoke ACTION REQUEST.json [--id ID] [--state-dir DIR] [-- cfn invoke options]
 *       (make invoke ACTION=… REQUEST=… [ID=…]) runs `cfn invoke` against the served environment, or
 *       against one started for this call alone when none is served. The placeholder
 *       REPLACE-WITH-ID-FROM-CREATE in the request becomes --id, or the Id the last successful CREATE
 *       of the served environment answered. Exits 0 only when the last response is SUCCESS: `cfn
 *       invoke` itself exits 0 whatever the handler answers.
 */
import { spawn } from 'child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join, resolve } from 'path';
import { CFN_BINARY, CliEnvironment, startCliEnvironment } from './cli-environment';
import { DEMO_CLUSTER, DEMO_SERVICES } from './demo-cluster';
import { PACKAGE_ZIP } from './lambda-process';
import { REPOSITORY_ROOT } from './moto';

export const ID_PLACEHOLDER = 'REPLACE-WITH-ID-FROM-CREATE';
const ACTIONS = ['CREATE', 'READ', 'UPDATE', 'DELETE', 'LIST'];
const DEFAULT_STATE_DIR = join(REPOSITORY_ROOT, 'build', 'cfn-invoke');
const PACKAGE = PACKAGE_ZIP;

/** What `serve` leaves for `invoke`: where the environment is and what the CLI process needs. */
interface ServedEnvironment {
    pid: number;
    lambdaUrl: string;
    region: string;
    motoEndpoint: string;
    cliEnv: Record<string, string>;
    /** The Id of the last successful CREATE. */
    lastId?: string;
}

/** The handler inputs and responses `cfn invoke` printed, in order. */
export interface CfnInvokeTranscript {
    inputs: Record<string, unknown>[];
    responses: { status: string; errorCode?: string; message?: string; resourceModel?: Record<string, unknown> }[];
}

function option(argv: string[], name: string): string | undefined {
    const index = argv.indexOf(`--${name}`);
    return index >= 0 ? argv[index + 1] : undefined;
}

function stateFile(stateDir: string): string {
    return join(stateDir, 'environment.json');
}

/**
 * Reads `cfn invoke`'s output: after each "=== Handler input ===" and "=== Handler response ===" an
 * object as Python's json.dumps(indent=2) prints it, ending at the first "}" at the start of a line
 * (what follows it is someone else's output).
 */
export function parseCfnInvokeOutput(stdout: string): CfnInvokeTranscript {
    const transcript: CfnInvokeTranscript = { inputs: [], responses: [] };
    const parts = stdout.split(/^=== Handler (input|response) ===$/m);
    for (let index = 1; index + 1 < parts.length; index += 2) {
        const block = parts[index + 1]!.trimStart();
        const end = /^\}$/m.exec(block);
        const json = JSON.parse(end ? block.slice(0, end.index + 1) : block);
        if (parts[index] === 'input') transcript.inputs.push(json);
        else transcript.responses.push(json);
    }
    return transcript;
}

function shellQuote(value: string): string {
    return `'${value.replace(/'/g, `'\\''`)}'`;
}

function isRunning(pid: number): boolean {
    try {
        process.kill(pid, 0);
        return true;
    } catch {
        return false;
    }
}

function readServed(stateDir: string): ServedEnvironment | undefined {
    if (!existsSync(stateFile(stateDir))) return undefined;
    const served = JSON.parse(readFileSync(stateFile(stateDir), 'utf8')) as ServedEnvironment;
    return isRunning(served.pid) ? served : undefined;
}

export async function serve(argv: string[]): Promise<boolean> {
    const stateDir = resolve(option(argv, 'state-dir') ?? DEFAULT_STATE_DIR);
    if (!existsSync(PACKAGE)) throw new Error(`${PACKAGE} is missing: build it with \`make package\``);
    const scratch = mkdtempSync(join(tmpdir(), 'cfn-invoke-'));
    const environment = await startCliEnvironment({
        scratch,
        cluster: DEMO_CLUSTER,
        services: DEMO_SERVICES,
        onLog: process.env.SHOW_HANDLER_LOGS ? (chunk) => process.stderr.write(chunk) : undefined,
    });
    mkdirSync(stateDir, { recursive: true });
    const served: ServedEnvironment = {
        pid: process.pid,
        lambdaUrl: environment.lambdaUrl,
        region: environment.region,
        motoEndpoint: environment.motoEndpoint,
        cliEnv: environment.cliEnv,
    };
    // A subshell that sources env.sh has the CLI's HOME and credentials; the caller's shell keeps its own.
    const envScript = Object.entries({
        ...environment.cliEnv,
        CFN_INVOKE_ENDPOINT: environment.lambdaUrl,
        CFN_INVOKE_REGION: environment.region,
    })
        .filter(([name]) => name !== 'PATH')
        .map(([name, value]) => `export ${name}=${shellQuote(value)}\n`)
        .join('');
    writeFileSync(join(stateDir, 'env.sh'), envScript);
    writeFileSync(stateFile(stateDir), JSON.stringify(served, null, 2));
    const relativeState = stateDir.startsWith(`${REPOSITORY_ROOT}/`) ? stateDir.slice(REPOSITORY_ROOT.length + 1) : stateDir;
    console.log(
        [
            `Serving the packaged handler on ${environment.lambdaUrl} (Node ${environment.nodeVersion}); AWS is moto on ${environment.motoEndpoint}`,
            `with cluster ${DEMO_CLUSTER} and services ${DEMO_SERVICES.join(', ')}. Until Ctrl-C, in another shell:`,
            `  make invoke ACTION=CREATE REQUEST=sam-tests/cfn-invoke/create.json`,
            `  (. ${relativeState}/env.sh && .venv/bin/cfn invoke --endpoint "$CFN_INVOKE_ENDPOINT" --region "$CFN_INVOKE_REGION" resource CREATE sam-tests/cfn-invoke/create.json)`,
        ].join('\n'),
    );
    await new Promise<void>((done) => {
        process.once('SIGINT', done);
        process.once('SIGTERM', done);
    });
    await environment.stop();
    rmSync(stateFile(stateDir), { force: true });
    rmSync(join(stateDir, 'env.sh'), { force: true });
    rmSync(scratch, { recursive: true, force: true });
    return true;
}

/** The request file as `cfn invoke` will read it: checked, with the Id placeholder replaced. */
function prepareRequest(file: string, id: string | undefined, scratch: string): string {
    let text: string;
    try {
        text = readFileSync(file, 'utf8');
    } catch (err) {
        throw new Error(`Cannot read the request ${file}: ${err instanceof Error ? err.message : String(err)}`);
    }
    let request: unknown;
    try {
        request = JSON.parse(text);
    } catch (err) {
        throw new Error(`The request ${file} is not JSON: ${err instanceof Error ? err.message : String(err)}`);
    }
    // cfn invoke reads both keys unguarded and fails with a bare KeyError when one is missing.
    const keys = request && typeof request === 'object' && !Array.isArray(request) ? Object.keys(request) : [];
    const missing = ['desiredResourceState', 'previousResourceState'].filter((key) => !keys.includes(key));
    if (missing.length > 0) {
        throw new Error(
            `The request ${file} lacks ${missing.join(' and ')}: cfn invoke needs a JSON object with desiredResourceState and previousResourceState (null when there is none), as in sam-tests/cfn-invoke/.`,
        );
    }
    if (!text.includes(ID_PLACEHOLDER)) return file;
    if (!id) {
        throw new Error(
            `The request ${file} holds ${ID_PLACEHOLDER}: pass ID=<the Id a CREATE answered> (--id), or run the CREATE first against \`make serve\`.`,
        );
    }
    const prepared = join(scratch, 'request.json');
    writeFileSync(prepared, text.split(ID_PLACEHOLDER).join(id));
    console.log(`Request ${file} with Id ${id}`);
    return prepared;
}

function runCfnInvoke(
    lambdaUrl: string,
    region: string,
    cliEnv: Record<string, string>,
    args: string[],
): Promise<{ status: number; stdout: string }> {
    return new Promise((done, fail) => {
        const child = spawn(CFN_BINARY, ['invoke', '--endpoint', lambdaUrl, '--region', region, 'resource', ...args], {
            cwd: REPOSITORY_ROOT,
            env: cliEnv,
            stdio: ['ignore', 'pipe', 'inherit'],
        });
        let stdout = '';
        child.stdout.on('data', (chunk: Buffer) => {
            stdout += chunk.toString();
            process.stdout.write(chunk);
        });
        child.once('error', fail);
        child.once('exit', (code) => done({ status: code ?? 1, stdout }));
    });
}

export async function invoke(argv: string[]): Promise<boolean> {
    const separator = argv.indexOf('--');
    const own = separator >= 0 ? argv.slice(0, separator) : argv;
    const extra = separator >= 0 ? argv.slice(separator + 1) : [];
    const [actionArgument = '', requestFile = ''] = own.filter((arg, index) => !arg.startsWith('--') && !own[index - 1]?.startsWith('--'));
    const action = actionArgument.trim().toUpperCase();
    if (!ACTIONS.includes(action)) {
        throw new Error(`ACTION must be one of ${ACTIONS.join(', ')} (got ${JSON.stringify(actionArgument.trim())})`);
    }
    if (!requestFile.trim()) {
        throw new Error('REQUEST must name a request file, e.g. REQUEST=sam-tests/cfn-invoke/create.json');
    }
    const stateDir = resolve(option(own, 'state-dir') ?? DEFAULT_STATE_DIR);
    const scratch = mkdtempSync(join(tmpdir(), 'cfn-invoke-'));
    let ownEnvironment: CliEnvironment | undefined;
    try {
        const served = readServed(stateDir);
        const request = prepareRequest(resolve(requestFile.trim()), option(own, 'id') ?? served?.lastId, scratch);
        let target: Pick<ServedEnvironment, 'lambdaUrl' | 'region' | 'cliEnv'>;
        if (served) {
            target = served;
        } else {
            if (!existsSync(PACKAGE)) throw new Error(`${PACKAGE} is missing: build it with \`make package\``);
            console.log(`No \`make serve\` running: moto and the handler start for this call alone, and end with it.`);
            ownEnvironment = await startCliEnvironment({ scratch, cluster: DEMO_CLUSTER, services: DEMO_SERVICES });
            target = ownEnvironment;
        }
        const { status, stdout } = await runCfnInvoke(target.lambdaUrl, target.region, target.cliEnv, [action, request, ...extra]);
        const last = parseCfnInvokeOutput(stdout).responses.at(-1);
        if (status !== 0 || !last) {
            console.error(`cfn invoke exited with ${status}${last ? '' : ' and printed no handler response'}`);
            return false;
        }
        const id = last.resourceModel?.Id;
        if (served && action === 'CREATE' && last.status === 'SUCCESS' && typeof id === 'string') {
            writeFileSync(stateFile(stateDir), JSON.stringify({ ...served, lastId: id }, null, 2));
        }
        console.log(`${action}: ${last.status}${last.errorCode ? ` ${last.errorCode}: ${last.message}` : ''}`);
        return last.status === 'SUCCESS';
    } finally {
        await ownEnvironment?.stop();
        rmSync(scratch, { recursive: true, force: true });
    }
}
