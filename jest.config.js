/**
 * The suites, each a Jest project: `--selectProjects unit|handlers|integration|package|faults`.
 * `faults` runs the packaged handler in-process; scripts/run-tests.sh runs it under the Node 22 binary.
 */
const common = {
    preset: 'ts-jest',
    testEnvironment: 'node',
    setupFiles: ['<rootDir>/test/support/env.ts'],
};

module.exports = {
    projects: [
        { ...common, displayName: 'unit', testMatch: ['<rootDir>/test/unit/**/*.test.ts'] },
        { ...common, displayName: 'handlers', testMatch: ['<rootDir>/test/handlers/**/*.test.ts'] },
        { ...common, displayName: 'integration', testMatch: ['<rootDir>/test/integration/**/*.test.ts'] },
        { ...common, displayName: 'package', testMatch: ['<rootDir>/test/package/**/*.test.ts'] },
        { ...common, displayName: 'faults', testMatch: ['<rootDir>/test/faults/**/*.test.ts'] },
    ],
};
