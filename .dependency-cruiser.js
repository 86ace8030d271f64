/**
 * Import rules for what ships (src/). Unlike eslint-plugin-import's no-cycle, dependency-cruiser follows
 * type-only imports too: a circle of type imports still leaves a reader no order to read the files in.
 * `make lint` and `make test` run it (npm run depcruise).
 */
module.exports = {
    forbidden: [
        {
            name: 'no-circular',
            severity: 'error',
            comment: 'No import cycle in src/, type-only imports included.',
            from: { path: '^src/' },
            to: { circular: true },
        },
        {
            name: 'domain-stays-pure',
            severity: 'error',
            comment:
                'src/restart/ is the domain: it declares its ports; src/aws/, src/protocol/ and the handlers depend on it, never the other way round.',
            from: { path: '^src/restart/' },
            to: {
                path: '^src/(aws|protocol|input|handlers|models)|^node_modules/(@aws-sdk|@smithy|aws-sdk|@amazon-web-services-cloudformation)',
            },
        },
        {
            name: 'stages-root-is-shared',
            severity: 'error',
            comment:
                'The ports, views, errors and collections at the root of the domain are what every stage shares: they import no stage.',
            from: { path: '^src/restart/[^/]+[.]ts$' },
            to: { path: '^src/restart/[^/]+/' },
        },
        {
            name: 'text-is-leaf',
            severity: 'error',
            comment: 'Text (fitting, redaction) words nothing of its own: it imports only the root of the domain.',
            from: { path: '^src/restart/text/' },
            to: { path: '^src/restart/(request|selection|judging|operation)/' },
        },
    ],
    options: {
        doNotFollow: { path: 'node_modules' },
        tsPreCompilationDeps: true,
        tsConfig: { fileName: 'tsconfig.json' },
        exclude: { path: '^src/input/generated/' },
    },
};
