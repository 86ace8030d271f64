/**
 * src/models.ts, docs/ and resource-role.yaml come from `cfn generate` (plus the documented
 * class-transformer fix), the input validator from scripts/generate-input-validator.js (Ajv
 * standalone code). This regenerates them from the committed schema in a scratch copy and fails on
 * any difference, so nobody edits them by hand or forgets to regenerate.
 */
import { execFileSync } from 'child_process';
import { cpSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';

const root = join(__dirname, '..', '..');

function generatedFiles(dir: string): string[] {
    // Written documentation lives in subfolders of docs/; the files directly in it are generated.
    const docs = readdirSync(join(dir, 'docs'), { withFileTypes: true }).filter((entry) => entry.isFile());
    return [
        'src/models.ts',
        'src/input/generated/validate-resource-properties.ts',
        'resource-role.yaml',
        ...docs.map((entry) => `docs/${entry.name}`),
    ].sort();
}

describe('generated files', () => {
    let scratch: string;

    beforeAll(() => {
        scratch = mkdtempSync(join(tmpdir(), 'cfn-generate-'));
        for (const file of ['.rpdk-config', 'org-ecs-servicerestart.json']) {
            cpSync(join(root, file), join(scratch, file));
        }
        execFileSync(join(root, 'scripts', 'generate.sh'), [scratch], { stdio: 'pipe' });
    }, 60_000);

    afterAll(() => rmSync(scratch, { recursive: true, force: true }));

    it('are the same set as a fresh cfn generate writes', () => {
        expect(generatedFiles(root)).toEqual(generatedFiles(scratch));
    });

    it.each(generatedFiles(root))('%s is in sync with the schema', (file) => {
        expect(readFileSync(join(root, file), 'utf8')).toBe(readFileSync(join(scratch, file), 'utf8'));
    });
});
