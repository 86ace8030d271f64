/**
 * `make bench-scale`: prints the scale tables and stores them as `scale` in bench/results.json (the
 * other figures there stay as they are). `--output FILE` writes the section to FILE alone instead (how
 * scripts/bench.js takes it).
 */
import { existsSync, readFileSync, writeFileSync } from 'fs';
import path from 'path';
import { parseArgs } from 'util';
import { formatScaleTables, scaleFigures } from './scale';

const RESULTS = path.join(__dirname, '..', '..', '..', '..', 'bench', 'results.json');

async function main(): Promise<void> {
    const { values } = parseArgs({ options: { output: { type: 'string' } } });
    const started = process.hrtime.bigint();
    const figures = await scaleFigures((line) => console.error(`scale: ${line}`));
    console.log(
        `Scale (virtual time, seed ${figures.seed}, ECS token buckets modelled, services limit of this build ${figures.servicesLimit}):`,
    );
    formatScaleTables(figures).forEach((line) => console.log(line));
    console.log(`(${Number((process.hrtime.bigint() - started) / 1_000_000n)} ms of real time)`);
    if (values.output) {
        writeFileSync(values.output, JSON.stringify(figures, null, 4) + '\n');
        return;
    }
    const results = existsSync(RESULTS) ? (JSON.parse(readFileSync(RESULTS, 'utf8')) as Record<string, unknown>) : {};
    writeFileSync(RESULTS, JSON.stringify({ ...results, scale: figures }, null, 4) + '\n');
    console.log(`wrote scale in ${path.relative(process.cwd(), RESULTS)}`);
}

main().catch((err: unknown) => {
    console.error(err instanceof Error ? (err.stack ?? err.message) : String(err));
    process.exit(1);
});
