/**
 * `make package RUNTIME=nodejs24.x` (scripts/package.sh): a package whose .rpdk-config declares the
 * runtime, with the project's template.yml, role and generated docs as `cfn generate` writes them for
 * it, built from a scratch copy so that the checked-in files stay as they are; a runtime Lambda does
 * not offer for this package is refused by name.
 */
import AdmZip from 'adm-zip';
import { spawnSync } from 'child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { REPOSITORY_ROOT } from '../../tools/local/moto';

const SCRIPT = join(REPOSITORY_ROOT, 'scripts', 'package.sh');
const RUNTIME_FILES = ['.rpdk-config', 'template.yml', 'resource-role.yaml'];
let out: string;
let checkedIn: Record<string, string>;
let build: ReturnType<typeof spawnSync>;

function readProjectFiles(dir: string): Record<string, string> {
    const docs = readdirSync(join(dir, 'docs'), { withFileTypes: true })
        .filter((entry) => entry.isFile())
        .map((entry) => `docs/${entry.name}`);
    return Object.fromEntries([...RUNTIME_FILES, ...docs].map((file) => [file, readFileSync(join(dir, file), 'utf8')]));
}

function packageEntry(zip: string, name: string): Buffer {
    const entry = new AdmZip(zip).getEntry(name);
    if (!entry) throw new Error(`${zip} has no ${name}`);
    return entry.getData();
}

beforeAll(() => {
    out = mkdtempSync(join(tmpdir(), 'package-runtime-'));
    checkedIn = readProjectFiles(REPOSITORY_ROOT);
    build = spawnSync(SCRIPT, ['nodejs24.x'], { encoding: 'utf8', env: { ...process.env, PACKAGE_OUT_DIR: out } });
}, 180_000);

afterAll(() => rmSync(out, { recursive: true, force: true }));

describe('make package RUNTIME=nodejs24.x', () => {
    it('builds the package', () => {
        expect({ status: build.status, stderr: build.status === 0 ? '' : build.stderr }).toEqual({ status: 0, stderr: '' });
    });

    it('declares nodejs24.x in the .rpdk-config the package carries, with the rest of the configuration unchanged', () => {
        const packaged = JSON.parse(packageEntry(join(out, 'org-ecs-servicerestart.zip'), '.rpdk-config').toString('utf8'));
        expect(packaged).toEqual({ ...JSON.parse(checkedIn['.rpdk-config']!), runtime: 'nodejs24.x' });
    });

    it('bundles the handler for Node 24 in its ResourceProvider.zip', () => {
        const inner = new AdmZip(packageEntry(join(out, 'org-ecs-servicerestart.zip'), 'ResourceProvider.zip'));
        expect(inner.getEntry('dist/handlers.js')?.getData().length).toBeGreaterThan(10_000);
    });

    it('keeps a template.yml whose every function runs on nodejs24.x', () => {
        const template = readFileSync(join(out, 'build', 'nodejs24.x', 'template.yml'), 'utf8');
        expect(template.match(/Runtime: \S+/g)).toEqual(['Runtime: nodejs24.x', 'Runtime: nodejs24.x']);
        expect(template).toBe(checkedIn['template.yml']!.replace(/Runtime: nodejs22\.x/g, 'Runtime: nodejs24.x'));
    });

    it('has the role and generated docs of the default build: cfn generate writes the runtime into neither', () => {
        const kept = readProjectFiles(join(out, 'build', 'nodejs24.x'));
        for (const file of Object.keys(kept).filter((name) => name === 'resource-role.yaml' || name.startsWith('docs/'))) {
            expect({ file, text: kept[file] }).toEqual({ file, text: checkedIn[file] });
        }
        expect(Object.keys(kept).filter((name) => name.startsWith('docs/'))).toEqual(
            Object.keys(checkedIn).filter((name) => name.startsWith('docs/')),
        );
    });

    it('leaves the checked-in configuration, template, role and docs as they were', () => {
        expect(readProjectFiles(REPOSITORY_ROOT)).toEqual(checkedIn);
    });
});

describe('make package RUNTIME=<not offered>', () => {
    it.each(['nodejs20.x', ' python3.12 '])('refuses %j by name and lists the runtimes it builds for', (runtime) => {
        const result = spawnSync(SCRIPT, [runtime], { encoding: 'utf8', env: { ...process.env, PACKAGE_OUT_DIR: out } });
        expect(result.status).toBe(2);
        expect(result.stderr.trim()).toBe(`RUNTIME must be one of nodejs22.x nodejs24.x (got "${runtime.trim()}")`);
    });
});
