/**
 * scripts/release.sh (make release) prints the commands that publish a package and roll it out, for
 * the given BUCKET, OUS and REGIONS, and calls no AWS API: an `aws` on the PATH that records its calls
 * is never called.
 */
import { spawnSync } from 'child_process';
import { createHash } from 'crypto';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { REPOSITORY_ROOT } from '../../tools/local/moto';

const SCRIPT = join(REPOSITORY_ROOT, 'scripts', 'release.sh');
let scratch: string;
let packageZip: string;
let release: string;

beforeAll(() => {
    scratch = mkdtempSync(join(tmpdir(), 'release-'));
    packageZip = join(scratch, 'package.zip');
    writeFileSync(packageZip, 'not really a zip, but bytes to hash');
    const version = JSON.parse(readFileSync(join(REPOSITORY_ROOT, 'package.json'), 'utf8')).version;
    release = `${version}-${createHash('sha256').update(readFileSync(packageZip)).digest('hex').slice(0, 12)}`;
    // Records any call, so that the test can prove there was none.
    writeFileSync(join(scratch, 'aws'), `#!/bin/sh\necho "$@" >> "${join(scratch, 'aws-calls')}"\n`);
    chmodSync(join(scratch, 'aws'), 0o755);
});

afterAll(() => rmSync(scratch, { recursive: true, force: true }));

function runRelease(...args: string[]) {
    return spawnSync(SCRIPT, args, {
        encoding: 'utf8',
        env: { ...process.env, PATH: `${scratch}:${process.env.PATH}`, RELEASE_PACKAGE: packageZip },
    });
}

describe('make release', () => {
    it('prints the exact upload and rollout commands and calls no AWS API', () => {
        const result = runRelease('my-org-packages', 'ou-ab12-cdef3456,ou-ab12-ghij7890', 'eu-west-1,eu-central-1');
        expect(result.status).toBe(0);
        const lines = result.stdout.split('\n');
        const prefix = `s3://my-org-packages/org-ecs-servicerestart/${release}`;
        expect(lines).toContain(`aws s3 cp ${packageZip} ${prefix}/org-ecs-servicerestart.zip`);
        expect(lines).toContain(`aws s3 cp deploy/register-type.yaml ${prefix}/register-type.yaml`);
        expect(lines).toContain(
            'aws cloudformation deploy --stack-name org-ecs-servicerestart-rollout --template-file deploy/org-rollout.yaml ' +
                `--parameter-overrides PackageBucket=my-org-packages Release=${release} ` +
                'OrganizationalUnitIds=ou-ab12-cdef3456,ou-ab12-ghij7890 Regions=eu-west-1,eu-central-1',
        );
        expect(existsSync(join(scratch, 'aws-calls'))).toBe(false);
    });

    it.each([
        [['My_Bucket', 'ou-ab12-cdef3456', 'eu-west-1'], 'BUCKET is "My_Bucket"'],
        [['my-bucket', '', 'eu-west-1'], 'OUS is "": give the target OU ids'],
        [['my-bucket', 'ou-ab12-cdef3456', 'eu-west-1;rm'], 'REGIONS is "eu-west-1;rm"'],
    ])('refuses %j, naming the value and what is valid', (args, expected) => {
        const result = runRelease(...args);
        expect(result.status).toBe(2);
        expect(result.stderr).toContain(expected);
        expect(result.stderr).toMatch(/e\.g\. [A-Z]+=/);
        expect(result.stdout).toBe('');
    });
});
