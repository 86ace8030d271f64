/**
 * Runs the CloudFormation CLI's own contract tests (`cfn test`) against the packaged handler, in the
 * environment of cli-environment.ts (moto for AWS, the Lambda-Invoke server for Lambda, under the Node
 * of LAMBDA_RUNTIME), with the inputs/ files describing a cluster and services created in moto first.
 *
 *   node build/tools/local/contract-tests.js [--report FILE.xml] [-- extra pytest arguments]
 */
import { spawnSync } from 'child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { CFN_BINARY, startCliEnvironment } from './cli-environment';
import { REPOSITORY_ROOT } from './moto';

function inputsOf(): { cluster: string; services: string[] } {
    const create = JSON.parse(readFileSync(join(REPOSITORY_ROOT, 'inputs', 'inputs_1_create.json'), 'utf8'));
    const update = JSON.parse(readFileSync(join(REPOSITORY_ROOT, 'inputs', 'inputs_1_update.json'), 'utf8'));
    return { cluster: create.Cluster, services: [...new Set<string>([...create.Services, ...update.Services])] };
}

export async function runContractTests(reportFile: string, pytestArguments: string[]): Promise<number> {
    const scratch = mkdtempSync(join(tmpdir(), 'contract-tests-'));
    let environment;
    try {
        environment = await startCliEnvironment({ scratch, ...inputsOf() });
        console.log(
            `Contract tests: handler on ${environment.lambdaUrl} (Node ${environment.nodeVersion}), AWS on ${environment.motoEndpoint}`,
        );
        // The CLI reads .rpdk-config, the schema and inputs/ from the working directory.
        const result = spawnSync(
            CFN_BINARY,
            [
                'test',
                '--endpoint',
                environment.lambdaUrl,
                '--region',
                environment.region,
                '--',
                `--junitxml=${reportFile}`,
                '-rfEs',
                ...pytestArguments,
            ],
            { cwd: REPOSITORY_ROOT, stdio: 'inherit', env: environment.cliEnv },
        );
        return result.status ?? 1;
    } finally {
        await environment?.stop();
        rmSync(scratch, { recursive: true, force: true });
    }
}

if (require.main === module) {
    const reportIndex = process.argv.indexOf('--report');
    const report = (reportIndex >= 0 ? process.argv[reportIndex + 1] : undefined) ?? join(REPOSITORY_ROOT, 'build', 'contract-tests.xml');
    const separator = process.argv.indexOf('--');
    mkdirSync(join(report, '..'), { recursive: true });
    runContractTests(report, separator >= 0 ? process.argv.slice(separator + 1) : [])
        .then((status) => process.exit(status))
        .catch((err) => {
            console.error(err instanceof Error ? err.stack : String(err));
            process.exit(1);
        });
}
