/**
 * The polling economy: for restarts of 1, 5 and 20 services over the seeded timeline mix, how late each
 * poller sees the outcome and what it costs in invocations and API calls, the handler beside the two
 * baseline pollers on the same timelines.
 */
import { BASELINE_POLL_SECONDS, PollerRun, batchedPoller, perServicePoller } from './baselines';
import { HandlerRun, TIMEOUT_IN_MINUTES, runHandler } from './handler-run';
import {
    CIRCUIT_BREAKER_RESTART_WEIGHT,
    ROLLBACK_SETTLE_SECONDS,
    RestartTimeline,
    TIMELINE_MIX,
    TIMELINE_SEED,
    WeightedRange,
    deploymentSeconds,
    restartTimelines,
} from './timelines';

export const SIZES = [1, 5, 20] as const;
export const RESTARTS_PER_SIZE = 60;

export interface Spread {
    median: number;
    p95: number;
}

export interface PollerFigures {
    poller: string;
    restarts: number;
    /** Restarts whose answer differed from the outcome ECS decided (a wrong success, a timeout). */
    wrongOutcomes: number;
    lagSeconds: Spread;
    invocationsPerRestart?: number;
    pollsPerRestart?: number;
    ecsCallsPerRestart: number;
    ecsCallsByCommandPerRestart?: Record<string, number>;
    ssmCallsPerRestart: number;
}

export interface SizeFigures {
    services: number;
    restarts: number;
    /** The restarts every service of which completed: lag and calls are theirs. */
    succeeding: PollerFigures[];
    /** The restarts one service of which the circuit breaker failed. */
    failing: PollerFigures[];
}

export interface PollingEconomy {
    command: string;
    seed: number;
    restartsPerSize: number;
    timeoutInMinutes: number;
    baselinePollSeconds: number;
    mix: Record<string, Array<{ share: string; range: string; what: string }>>;
    circuitBreakerRestarts: string;
    rollbackSettleSeconds: number;
    deploymentSeconds: Spread & { min: number; max: number };
    sizes: SizeFigures[];
}

/** Nearest-rank quantile. */
function quantile(values: readonly number[], q: number): number {
    const sorted = [...values].sort((a, b) => a - b);
    return sorted[Math.max(0, Math.ceil(q * sorted.length) - 1)] ?? NaN;
}

function spread(values: readonly number[]): Spread {
    return { median: round(quantile(values, 0.5)), p95: round(quantile(values, 0.95)) };
}

function mean(values: readonly number[]): number {
    return values.length === 0 ? NaN : round(values.reduce((sum, value) => sum + value, 0) / values.length);
}

function round(value: number): number {
    return Math.round(value * 10) / 10;
}

function handlerFigures(runs: readonly HandlerRun[]): PollerFigures {
    const commands = [...new Set(runs.flatMap((run) => Object.keys(run.ecsCallsByCommand)))].sort();
    return {
        poller: 'this handler',
        restarts: runs.length,
        wrongOutcomes: runs.filter((run) => run.status !== run.expected).length,
        lagSeconds: spread(runs.map((run) => run.lagSeconds)),
        invocationsPerRestart: mean(runs.map((run) => run.invocations)),
        ecsCallsPerRestart: mean(runs.map((run) => run.ecsCalls)),
        ecsCallsByCommandPerRestart: Object.fromEntries(
            commands.map((command) => [command, mean(runs.map((run) => run.ecsCallsByCommand[command] ?? 0))]),
        ),
        ssmCallsPerRestart: mean(runs.map((run) => run.ssmCalls)),
    };
}

function pollerFigures(poller: string, runs: readonly PollerRun[]): PollerFigures {
    return {
        poller,
        restarts: runs.length,
        wrongOutcomes: runs.filter((run) => run.status !== run.expected).length,
        lagSeconds: spread(runs.map((run) => run.lagSeconds)),
        pollsPerRestart: mean(runs.map((run) => run.polls)),
        ecsCallsPerRestart: mean(runs.map((run) => run.ecsCalls)),
        ssmCallsPerRestart: 0,
    };
}

async function sizeFigures(services: number, timelines: readonly RestartTimeline[]): Promise<SizeFigures> {
    const handler: HandlerRun[] = [];
    for (const timeline of timelines) {
        handler.push(await runHandler(timeline));
    }
    const batched = timelines.map(batchedPoller);
    const perService = timelines.map(perServicePoller);
    const split = (expected: 'SUCCESS' | 'FAILED'): PollerFigures[] => [
        handlerFigures(handler.filter((run) => run.expected === expected)),
        pollerFigures(
            `batched ${BASELINE_POLL_SECONDS}-s poller (AWS CLI)`,
            batched.filter((run) => run.expected === expected),
        ),
        pollerFigures(
            `per-service ${BASELINE_POLL_SECONDS}-s poller (Terraform)`,
            perService.filter((run) => run.expected === expected),
        ),
    ];
    return { services, restarts: timelines.length, succeeding: split('SUCCESS'), failing: split('FAILED') };
}

function describeRanges(ranges: readonly WeightedRange[]): Array<{ share: string; range: string; what: string }> {
    const total = ranges.reduce((sum, range) => sum + range.weight, 0);
    return ranges.map((range) => ({
        share: `${Math.round((100 * range.weight) / total)} %`,
        range: range.min === range.max ? `${range.min}` : `${range.min}–${range.max}`,
        what: range.what,
    }));
}

export async function pollingEconomy(
    options: { restarts?: number; seed?: number; sizes?: readonly number[]; progress?: (line: string) => void } = {},
): Promise<PollingEconomy> {
    const restarts = options.restarts ?? RESTARTS_PER_SIZE;
    const seed = options.seed ?? TIMELINE_SEED;
    const sizes: SizeFigures[] = [];
    const durations: number[] = [];
    for (const services of options.sizes ?? SIZES) {
        const timelines = restartTimelines(services, restarts, seed);
        durations.push(...timelines.flatMap((timeline) => timeline.services.map(deploymentSeconds)));
        const started = process.hrtime.bigint();
        sizes.push(await sizeFigures(services, timelines));
        options.progress?.(`${services} services: ${restarts} restarts in ${Number((process.hrtime.bigint() - started) / 1_000_000n)} ms`);
    }
    const { fails, succeeds } = CIRCUIT_BREAKER_RESTART_WEIGHT;
    return {
        command: 'make bench-polling',
        seed,
        restartsPerSize: restarts,
        timeoutInMinutes: TIMEOUT_IN_MINUTES,
        baselinePollSeconds: BASELINE_POLL_SECONDS,
        mix: Object.fromEntries(Object.entries(TIMELINE_MIX).map(([name, ranges]) => [name, describeRanges(ranges)])),
        circuitBreakerRestarts: `${Math.round((100 * fails) / (fails + succeeds))} % of restarts: one service's new tasks never start`,
        rollbackSettleSeconds: ROLLBACK_SETTLE_SECONDS,
        deploymentSeconds: { ...spread(durations), min: Math.min(...durations), max: Math.max(...durations) },
        sizes,
    };
}

/** The table: one row per poller and size, succeeding restarts first, then failing ones. */
export function formatTable(economy: PollingEconomy): string[] {
    const header = [
        'services',
        'restarts',
        'poller',
        'median lag s',
        'p95 lag s',
        'invocations',
        'ECS calls',
        'SSM calls',
        'wrong outcome',
    ];
    const rows: string[][] = [];
    for (const [label, pick] of [
        ['ok', (size: SizeFigures) => size.succeeding],
        ['failed', (size: SizeFigures) => size.failing],
    ] as const) {
        for (const size of economy.sizes) {
            for (const figures of pick(size)) {
                if (figures.restarts === 0) continue;
                rows.push([
                    String(size.services),
                    `${figures.restarts} ${label}`,
                    figures.poller,
                    String(figures.lagSeconds.median),
                    String(figures.lagSeconds.p95),
                    figures.invocationsPerRestart === undefined ? '–' : String(figures.invocationsPerRestart),
                    String(figures.ecsCallsPerRestart),
                    String(figures.ssmCallsPerRestart),
                    String(figures.wrongOutcomes),
                ]);
            }
        }
    }
    const widths = header.map((title, i) => Math.max(title.length, ...rows.map((row) => (row[i] ?? '').length)));
    const line = (row: readonly string[]) => '| ' + row.map((cell, i) => cell.padEnd(widths[i] ?? 0)).join(' | ') + ' |';
    return [line(header), '|' + widths.map((width) => '-'.repeat(width + 2)).join('|') + '|', ...rows.map(line)];
}
