/** The suites, each a Jest project: `--selectProjects unit|handlers|integration|package|templates`. */
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
        { ...common, displayName: 'templates', testMatch: ['<rootDir>/test/templates/**/*.test.ts'] },
    ],
};
