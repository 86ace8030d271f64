#!/usr/bin/env node
// Bundles the compiled handler into one file that needs no node_modules: build/<function>/dist/handlers.js.
// Input is tsc's ES-module output of src/ (scripts/build-package.sh: tsc keeps the decorator metadata
// that esbuild alone would drop, and ES modules let esbuild drop the SDK commands no handler sends).
// Usage: node scripts/bundle.js <compiled handlers.js> <outfile>    (BUNDLE_REPORT=1 prints the biggest inputs)
'use strict';
const esbuild = require('esbuild');
const path = require('path');

const root = path.join(__dirname, '..');
const [entry, outfile] = process.argv.slice(2);
if (!entry || !outfile) {
    console.error('usage: node scripts/bundle.js <compiled handlers.js> <outfile>');
    process.exit(2);
}
const compiledRoot = path.dirname(path.resolve(entry));
// The syntax level follows the Lambda runtime the package declares (nodejs22.x → node22).
const runtime = JSON.parse(require('fs').readFileSync(path.join(root, '.rpdk-config'), 'utf8')).runtime;
const nodeMajor = /^nodejs(\d+)\.x$/.exec(runtime);
if (!nodeMajor) {
    console.error(`.rpdk-config runtime must be a Lambda Node.js runtime such as nodejs22.x (got ${JSON.stringify(runtime)})`);
    process.exit(2);
}

/**
 * The library requires the v2 AWS SDK (end of support) for its own log delivery and metrics:
 * aws-sdk/clients/cloudwatchlogs, cloudwatch, s3 and all. `aws-sdk` resolves to the adapters in
 * src/runtime/aws-sdk-v2-adapters, whose `clients/` folder mirrors those paths and sends with SDK v3;
 * any other v2 path fails the build instead of bundling v2 code.
 */
const v2Adapters = './' + path.relative(root, path.join(compiledRoot, 'runtime', 'aws-sdk-v2-adapters'));

/**
 * Modules replaced by what this runtime already has:
 * - string.prototype.replaceall (the library's shim, with ~40 KiB of es-abstract) → the native
 *   String.prototype.replaceAll of Node 22, the same algorithm.
 * - @aws-sdk/credential-provider-node (the default credential chain and its nested STS/SSO clients,
 *   evaluated at load by every v3 client) → a stand-in that throws: every client in this package is
 *   given the request's credentials, and a client without them fails loudly instead of reading the
 *   Lambda role.
 */
const replacements = {
    'string.prototype.replaceall': `module.exports = (string, search, replacement) => String.prototype.replaceAll.call(string, search, replacement);`,
    '@aws-sdk/credential-provider-node': `exports.defaultProvider = () => async () => {
        throw new Error('The default AWS credential chain is not in this package: pass the request credentials to the client.');
    };`,
};
const replaceWithNative = {
    name: 'replace-with-native',
    setup(build) {
        const filter = new RegExp(`^(${Object.keys(replacements).join('|').replace(/[.]/g, '\\.')})$`);
        build.onResolve({ filter }, (args) => ({ path: args.path, namespace: 'replace-with-native' }));
        build.onLoad({ filter: /.*/, namespace: 'replace-with-native' }, (args) => ({ loader: 'js', contents: replacements[args.path] }));
    },
};

function groupOf(file) {
    const inPackage = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(file);
    return inPackage ? inPackage[1] : path.relative(root, file).split('/').slice(0, 3).join('/');
}

esbuild
    .build({
        entryPoints: [entry],
        outfile,
        absWorkingDir: root,
        bundle: true,
        platform: 'node',
        target: `node${nodeMajor[1]}`,
        format: 'cjs',
        // The SDK's HTTP handler loads node:http with import(); in a CommonJS bundle that is a require
        // in all but name. Lowered to require, the bundle also loads where dynamic import is not
        // available (a vm context without --experimental-vm-modules, as the fault suite runs it).
        supported: { 'dynamic-import': false },
        // ES-module builds first: esbuild drops what nothing imports (the SDK clients' unused commands
        // and schemas) only from ES modules.
        mainFields: ['module', 'main'],
        minify: true,
        // Names carry meaning at run time: the library maps an exception class to its error code by
        // constructor.name (exceptions.js), recognises property types by class name (recast.js) and
        // reports an error's constructor.name as a metric dimension. esbuild keeps names for all or none.
        keepNames: true,
        legalComments: 'external',
        alias: { 'aws-sdk': v2Adapters },
        metafile: true,
        logLevel: 'warning',
        plugins: [replaceWithNative],
    })
    .then((result) => {
        const inputs = Object.values(result.metafile.outputs).flatMap((output) => Object.entries(output.inputs));
        const v2 = inputs.map(([file]) => file).filter((file) => /node_modules\/aws-sdk\//.test(file));
        if (v2.length > 0) {
            throw new Error(`The v2 AWS SDK reached the bundle: ${v2.slice(0, 3).join(', ')}`);
        }
        const bytes = Object.values(result.metafile.outputs).reduce((sum, output) => sum + output.bytes, 0);
        if (process.env.BUNDLE_REPORT) {
            const groups = new Map();
            inputs.forEach(([file, input]) => groups.set(groupOf(file), (groups.get(groupOf(file)) || 0) + input.bytesInOutput));
            console.log(
                [...groups]
                    .sort((a, b) => b[1] - a[1])
                    .slice(0, 20)
                    .map(([group, size]) => `${(size / 1024).toFixed(0).padStart(6)} KiB  ${group}`)
                    .join('\n'),
            );
        }
        console.log(`bundled ${path.relative(root, outfile)} (${(bytes / 1024).toFixed(0)} KiB)`);
    })
    .catch((err) => {
        if (err && err.message && !err.errors) console.error(err.message);
        process.exit(1);
    });
