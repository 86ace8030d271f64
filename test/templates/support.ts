/** What the template tests share: the templates that ship, cfn-lint from .venv, and the schema. */
import { spawnSync } from 'child_process';
import { copyFileSync, mkdtempSync, readFileSync, readdirSync } from 'fs';
import { tmpdir } from 'os';
import { join, relative } from 'path';
import { REPOSITORY_ROOT } from '../../tools/local/moto';
import { SCHEMA_FILE } from '../../tools/local/template-properties';

const CFN_LINT = join(REPOSITORY_ROOT, '.venv', 'bin', 'cfn-lint');

/** Every template under deploy/ and examples/, relative to the repository root. */
export function shippedTemplates(): string[] {
    const walk = (dir: string): string[] =>
        readdirSync(join(REPOSITORY_ROOT, dir), { withFileTypes: true }).flatMap((entry) =>
            entry.isDirectory() ? walk(join(dir, entry.name)) : /\.(ya?ml|json)$/.test(entry.name) ? [join(dir, entry.name)] : [],
        );
    return ['deploy', 'examples'].flatMap(walk).sort();
}

export interface LintMatch {
    Rule: { Id: string };
    Level: string;
    Message: string;
    Filename: string;
    Location: { Start: { LineNumber: number } };
}

/** A folder holding only the type's schema, for cfn-lint's --registry-schemas (it reads every .json there). */
export function registrySchemasFolder(): string {
    const folder = mkdtempSync(join(tmpdir(), 'registry-schemas-'));
    copyFileSync(SCHEMA_FILE, join(folder, 'org-ecs-servicerestart.json'));
    return folder;
}

/** Runs cfn-lint over the files with its default rules (errors and warnings) and returns its findings. */
export function cfnLint(files: readonly string[], extraArguments: readonly string[] = []): LintMatch[] {
    const result = spawnSync(CFN_LINT, ['--format', 'json', ...extraArguments, '--', ...files], { cwd: REPOSITORY_ROOT, encoding: 'utf8' });
    if (result.error || (result.stdout.trim() === '' && result.status !== 0)) {
        throw new Error(`cfn-lint did not run (${result.error?.message ?? `exit ${result.status}`}): ${result.stderr}`);
    }
    return JSON.parse(result.stdout || '[]') as LintMatch[];
}

export function formatMatches(matches: readonly LintMatch[]): string[] {
    return matches.map(
        (match) => `${relative(REPOSITORY_ROOT, match.Filename)}:${match.Location.Start.LineNumber} ${match.Rule.Id} ${match.Message}`,
    );
}

export function readSchema(): { handlers: Record<string, { permissions: string[] }>; [key: string]: unknown } {
    return JSON.parse(readFileSync(SCHEMA_FILE, 'utf8'));
}
