#!/usr/bin/env node
// Bundles the compiled handler (dist/handlers.js, from tsc, which keeps the decorator metadata that
// esbuild alone would drop) into one file that needs no node_modules: build/<function>/dist/handlers.js.
'use strict';
const esbuild = require('esbuild');
const path = require('path');

const root = path.join(__dirname, '..');
const outfile = process.argv[2] || path.join(root, 'build', 'TypeFunction', 'dist', 'handlers.js');

/**
 * The library requires `aws-sdk/clients/all` (every v2 client, ~10 MB bundled, slower to start than no
 * bundle) only so that SessionProxy.client('Name') can look a client up by name. The handlers never do:
 * they use SDK v3, and the library's own log and metric publishers import their three v2 clients
 * directly. The bundle gets a stand-in that fails loudly if a lookup by name ever happens.
 */
const v2ClientsByName = {
    name: 'v2-clients-by-name',
    setup(build) {
        build.onResolve({ filter: /^aws-sdk\/clients\/all$/ }, () => ({ path: 'aws-sdk/clients/all', namespace: 'v2-clients-by-name' }));
        build.onLoad({ filter: /.*/, namespace: 'v2-clients-by-name' }, () => ({
            loader: 'js',
            contents: `module.exports = new Proxy({}, { get(_target, name) {
                if (typeof name !== 'string' || name === '__esModule' || name === 'default') return undefined;
                throw new Error('The v2 AWS SDK client "' + name + '" is not in this bundle: use an SDK v3 client.');
            } });`,
        }));
    },
};

esbuild
    .build({
        entryPoints: [path.join(root, 'dist', 'handlers.js')],
        outfile,
        bundle: true,
        platform: 'node',
        target: 'node22',
        format: 'cjs',
        minify: true,
        // class-transformer and the library compare constructor names (e.g. 'String', 'Integer').
        keepNames: true,
        legalComments: 'external',
        metafile: true,
        logLevel: 'warning',
        plugins: [v2ClientsByName],
    })
    .then((result) => {
        const bytes = Object.values(result.metafile.outputs).reduce((sum, output) => sum + output.bytes, 0);
        if (process.env.BUNDLE_REPORT) {
            const inputs = Object.entries(result.metafile.inputs)
                .map(([file, input]) => [
                    file
                        .replace(/^.*node_modules\//, '')
                        .split('/')
                        .slice(0, 2)
                        .join('/'),
                    input.bytes,
                ])
                .reduce((sizes, [group, size]) => sizes.set(group, (sizes.get(group) || 0) + size), new Map());
            console.log(
                [...inputs]
                    .sort((a, b) => b[1] - a[1])
                    .slice(0, 15)
                    .map(([group, size]) => `${(size / 1024).toFixed(0).padStart(6)} KiB  ${group}`)
                    .join('\n'),
            );
        }
        console.log(`bundled ${path.relative(root, outfile)} (${(bytes / 1024).toFixed(0)} KiB)`);
    })
    .catch(() => process.exit(1));
