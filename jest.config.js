/**
 * The suites, each a Jest project: `--selectProjects unit|handlers|integration|package|templates|faults`.
 * `faults` runs the packaged handler in-process; scripts/run-tests.sh runs it under the Node 22 and the Node 24
 * binary (LAMBDA_RUNTIME), each with the bundle of the package built for that runtime.
 */
const common = {
    preset: 'ts-jest',
    testEnvironment: 'node',
    setupFiles: ['<rootDir>/test/support/env.ts'],
    // What ships, less what is generated (checked for sync with the schema instead).
    collectCoverageFrom: ['<rootDir>/src/**/*.ts', '!<rootDir>/src/models.ts', '!<rootDir>/src/input/generated/**'],
};

module.exports = {
    projects: [
        { ...common, displayName: 'unit', testMatch: ['<rootDir>/test/unit/**/*.test.ts'] },
        { ...common, displayName: 'handlers', testMatch: ['<rootDir>/test/handlers/**/*.test.ts'] },
        { ...common, displayName: 'integration', testMatch: ['<rootDir>/test/integration/**/*.test.ts'] },
        { ...common, displayName: 'package', testMatch: ['<rootDir>/test/package/**/*.test.ts'] },
        { ...common, displayName: 'templates', testMatch: ['<rootDir>/test/templates/**/*.test.ts'] },
        { ...common, displayName: 'faults', testMatch: ['<rootDir>/test/faults/**/*.test.ts'] },
    ],
    // Enforced by `make test` over the fast suites (unit + handlers): `npm run coverage`.
    coverageThreshold: { global: { statements: 90, branches: 78, functions: 90, lines: 90 } },
    coverageReporters: ['text-summary'],
};
