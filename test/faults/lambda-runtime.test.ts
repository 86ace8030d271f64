/**
 * The fault suites run the packaged handler in this process, so this process is the Lambda runtime
 * under test: scripts/run-tests.sh runs them under the Node binary of each runtime (LAMBDA_RUNTIME).
 * Run under any other Node, every result of the suite would be about the wrong runtime.
 */
import { lambdaRuntime } from '../../tools/local/lambda-process';

describe('the fault suites', () => {
    it('run under the Node of the Lambda runtime under test', () => {
        const runtime = lambdaRuntime();
        expect({ runtime: runtime.name, node: process.version.split('.')[0] }).toEqual({
            runtime: runtime.name,
            node: `v${runtime.nodeMajor}`,
        });
    });
});
