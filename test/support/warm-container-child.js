/**
 * One warm Lambda container for test/faults/warm-container.test.ts: a Node process (started with
 * --expose-gc) that loads the packaged bundle once and serves every invocation its parent sends over
 * IPC, as Lambda's runtime does. It keeps nothing of an event after answering it.
 */
'use strict';
const v8 = require('v8');
const { randomUUID } = require('crypto');

const bundle = process.argv[2];
const { entrypoint } = require(bundle);

process.on('message', (message) => {
    void serve(message).then(
        (reply) => process.send(reply),
        (err) => process.send({ kind: 'error', error: String(err && err.stack ? err.stack : err) }),
    );
});

async function serve(message) {
    if (message.kind === 'invoke') {
        const context = {
            awsRequestId: randomUUID(),
            functionName: 'TypeFunction',
            functionVersion: '$LATEST',
            memoryLimitInMB: '256',
            getRemainingTimeInMillis: () => 60_000,
        };
        const payload = await entrypoint(message.event, context);
        return { kind: 'answer', payload: JSON.parse(JSON.stringify(payload)) };
    }
    if (message.kind === 'measure') {
        // Twice: the first collection may leave what finalizers release for the second.
        global.gc();
        global.gc();
        return { kind: 'measured', heapUsed: process.memoryUsage().heapUsed, activeHandles: process._getActiveHandles().length };
    }
    if (message.kind === 'snapshot') {
        global.gc();
        return { kind: 'snapshot', file: v8.writeHeapSnapshot(message.file) };
    }
    throw new Error(`Unknown message kind ${String(message.kind)}`);
}

console.log('ready');
