/**
 * `make bench-polling`: prints the polling-economy table and stores it as `pollingEconomy` in
 * bench/results.json (the other figures there stay as they are). `--output FILE` writes the section
 * to FILE alone instead (how scripts/bench.js takes it); `--restarts N` changes the number of restarts
 * per size (default 60).
 */
import { existsSync, readFileSync, writeFileSync } from 'fs';
import path from 'path';
import { parseArgs } from 'util';
import { RESTARTS_PER_SIZE, formatTable, pollingEconomy } from './economy';

const RESULTS = path.join(__dirname, '..', '..', '..', '..', 'bench', 'results.json');

async function main(): Promise<void> {
    const { values } = parseArgs({ options: { restarts: { type: 'string' }, output: { type: 'string' } } });
    const restarts = values.restarts === undefined ? RESTARTS_PER_SIZE : Number(values.restarts);
    if (!Number.isInteger(restarts) || restarts < 1) {
        throw new Error(`--restarts is "${String(values.restarts).slice(0, 20)}": it must be a whole number of restarts, at least 1.`);
    }
    const started = process.hrtime.bigint();
    const economy = await pollingEconomy({ restarts, progress: (line) => console.error(`polling economy: ${line}`) });
    console.log(
        `Polling economy (virtual time, seed ${economy.seed}, ${economy.restartsPerSize} restarts per size; lag = outcome decided in ECS → answer):`,
    );
    formatTable(economy).forEach((line) => console.log(line));
    console.log(`(${Number((process.hrtime.bigint() - started) / 1_000_000n)} ms of real time)`);
    if (values.output) {
        writeFileSync(values.output, JSON.stringify(economy, null, 4) + '\n');
        return;
    }
    const results = existsSync(RESULTS) ? (JSON.parse(readFileSync(RESULTS, 'utf8')) as Record<string, unknown>) : {};
    writeFileSync(RESULTS, JSON.stringify({ ...results, pollingEconomy: economy }, null, 4) + '\n');
    console.log(`wrote pollingEconomy in ${path.relative(process.cwd(), RESULTS)}`);
}

main().catch((err: unknown) => {
    console.error(err instanceof Error ? (err.stack ?? err.message) : String(err));
    process.exit(1);
});
