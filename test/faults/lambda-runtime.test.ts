/**
 * The fault suites run the packaged handler in this process, so this process is the Lambda runtime
 * under test: scripts/run-tests.sh runs them under the Node binary of each runtime (LAMBDA_RUNTIME),
 * each with the bundle of the package built for it. Run under any other Node or bundle, every result
 * of the suite would be about the wrong runtime.
 */
import AdmZip from 'adm-zip';
import { readFileSync } from 'fs';
import { PACKAGE_ZIP, lambdaRuntime } from '../../tools/local/lambda-process';
import { BUNDLE } from '../support/packaged-harness';

describe('the fault suites', () => {
    it('run under the Node of the Lambda runtime under test', () => {
        const runtime = lambdaRuntime();
        expect({ runtime: runtime.name, node: process.version.split('.')[0] }).toEqual({
            runtime: runtime.name,
            node: `v${runtime.nodeMajor}`,
        });
    });

    it('load the bundled handler of the package built for that runtime', () => {
        const outer = new AdmZip(PACKAGE_ZIP);
        const config = JSON.parse(outer.getEntry('.rpdk-config')!.getData().toString('utf8'));
        const packaged = new AdmZip(outer.getEntry('ResourceProvider.zip')!.getData()).getEntry('dist/handlers.js')!.getData();
        expect({ runtime: config.runtime, bundleMatchesPackage: readFileSync(BUNDLE).equals(packaged) }).toEqual({
            runtime: lambdaRuntime().name,
            bundleMatchesPackage: true,
        });
    });
});
