// @ts-check
const js = require('@eslint/js');
const tseslint = require('typescript-eslint');

module.exports = tseslint.config(
    // src/models.ts and src/input/generated/ are generated (scripts/generate.sh); they are checked for sync, not linted.
    { ignores: ['dist/', 'build/', 'coverage/', 'node_modules/', '.venv/', 'src/models.ts', 'src/input/generated/', 'docs/'] },
    js.configs.recommended,
    {
        files: ['**/*.ts'],
        extends: [...tseslint.configs.recommendedTypeChecked],
        languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: __dirname } },
        rules: {
            '@typescript-eslint/no-explicit-any': 'off',
            '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
            '@typescript-eslint/no-floating-promises': 'error',
        },
    },
    {
        // Tests and local tools handle the handler's JSON answers and the SDK doubles' loosely typed
        // inputs as `any` on purpose; the product code under src/ keeps every no-unsafe-* rule.
        files: ['test/**/*.ts', 'tools/**/*.ts'],
        rules: {
            '@typescript-eslint/no-unsafe-assignment': 'off',
            '@typescript-eslint/no-unsafe-member-access': 'off',
            '@typescript-eslint/no-unsafe-argument': 'off',
            '@typescript-eslint/no-unsafe-call': 'off',
            '@typescript-eslint/no-unsafe-return': 'off',
        },
    },
    {
        // The domain declares its ports (src/restart/ports.ts); the AWS adapters and the handler library
        // depend on it, never the other way round.
        files: ['src/restart/**/*.ts'],
        rules: {
            'no-restricted-imports': [
                'error',
                {
                    patterns: [
                        {
                            group: ['**/aws', '**/aws/*'],
                            message: 'src/restart/ is the domain: declare a port in ports.ts; src/aws/ implements it.',
                        },
                        { group: ['@aws-sdk/*', 'aws-sdk', 'aws-sdk/*', '@smithy/*'], message: 'Only src/aws/ talks to the AWS SDK.' },
                        {
                            group: ['@amazon-web-services-cloudformation/*', '**/models', '**/handlers', '**/input/*'],
                            message: 'The domain does not depend on the handler library or its generated models: src/handlers.ts maps.',
                        },
                        {
                            group: ['**/protocol', '**/protocol/*'],
                            message:
                                'src/protocol/ works around the handler library for src/handlers.ts; the domain does not depend on it.',
                        },
                    ],
                },
            ],
        },
    },
    {
        files: ['**/*.js'],
        extends: [tseslint.configs.disableTypeChecked],
        languageOptions: {
            sourceType: 'commonjs',
            globals: {
                require: 'readonly',
                module: 'writable',
                process: 'readonly',
                console: 'readonly',
                __dirname: 'readonly',
                Buffer: 'readonly',
            },
        },
        rules: { '@typescript-eslint/no-require-imports': 'off' },
    },
);
