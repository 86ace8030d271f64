import { InvocationBudgetSpentError } from '../restart/errors';

/**
 * ECS throttles each account and Region with one token bucket per family of calls, shared by every
 * caller (pipelines, the console, other tools, other resources of this type). One resource takes at
 * most half of each: its calls are paced to half the refill rate, bursting at most half the bucket,
 * and slower still after ECS throttled a call.
 */
export type EcsCallFamily = 'service-modify' | 'service-read' | 'service-deployments' | 'task-definition-read' | 'cluster-resource-read';

export interface TokenBucketLimits {
    /** Calls the bucket holds when full. */
    burst: number;
    refillPerSecond: number;
}

/** ECS's account-wide buckets (Amazon ECS API request throttling, per account and Region). */
export const ECS_TOKEN_BUCKETS: Readonly<Record<EcsCallFamily, TokenBucketLimits>> = {
    'service-modify': { burst: 50, refillPerSecond: 5 },
    'service-read': { burst: 100, refillPerSecond: 20 },
    'service-deployments': { burst: 50, refillPerSecond: 20 },
    'task-definition-read': { burst: 50, refillPerSecond: 20 },
    'cluster-resource-read': { burst: 100, refillPerSecond: 20 },
};

/** The family each ECS command the handlers send is counted in. */
export const ECS_CALL_FAMILIES = {
    UpdateService: 'service-modify',
    DescribeServices: 'service-read',
    ListServices: 'service-read',
    ListServiceDeployments: 'service-deployments',
    DescribeServiceDeployments: 'service-deployments',
    DescribeTaskDefinition: 'task-definition-read',
    ListTasks: 'cluster-resource-read',
    DescribeTasks: 'cluster-resource-read',
} as const satisfies Record<string, EcsCallFamily>;

export type EcsCommand = keyof typeof ECS_CALL_FAMILIES;

/** The share of each ECS bucket (burst and refill) that one resource may use. */
export const SHARE_OF_ECS_BUCKET = 0.5;
/** After a throttled call the family's rate is multiplied by this (multiplicative decrease)… */
const THROTTLED_RATE_FACTOR = 0.5;
/** …but never below this share of its paced rate… */
export const MIN_RATE_FACTOR = 1 / 16;
/** …and grows back by this share of the paced rate per second without throttling (additive increase). */
const RECOVERY_PER_SECOND = 0.02;

/**
 * What one invocation's pacer hands on to the next invocation of the operation (the callback context
 * carries it): per family used, its rate factor (below 1 after throttling) and the tokens left, and
 * when. The account's buckets are shared and outlive the invocation: the next one starts as slowly
 * as this one ended and bursts only what refilled meanwhile, so a resource stays within half of each
 * bucket across invocations too. Nothing else of the pacer outlives the invocation.
 */
export interface PacingHint {
    /** Epoch ms when the hint was taken. */
    at: number;
    /** [rate factor, tokens] per family, rounded; families at full rate and full bucket are left out. */
    families: Partial<Record<EcsCallFamily, [number, number]>>;
}

export interface PacerOptions {
    now: () => number;
    sleep: (ms: number) => Promise<void>;
    /** Epoch ms after which no call may start: a wait that would end later is not taken. */
    budgetEndsAt: number;
    /** What the previous invocation's pacer handed on (the callback context carries it); never trusted beyond [MIN_RATE_FACTOR, 1]. */
    hint?: unknown;
}

interface FamilyState {
    /** Tokens at `at`; negative when calls have reserved tokens not yet refilled (they wait for them). */
    tokens: number;
    at: number;
    /** The rate factor at `factorAt`; it recovers linearly from there. */
    factor: number;
    factorAt: number;
}

function bounded(value: unknown, min: number, max: number): number | undefined {
    return typeof value === 'number' && Number.isFinite(value) ? Math.min(max, Math.max(min, value)) : undefined;
}

/**
 * A hint read from a callback context, trusted only to slow down: known families only, factors within
 * [MIN_RATE_FACTOR, 1], tokens within the half bucket, a time no later than `now`; anything else is
 * left out (that family starts afresh).
 */
export function pacingHintOf(raw: unknown, now: number): PacingHint | undefined {
    if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return undefined;
    const { at, families } = raw as { at?: unknown; families?: unknown };
    const when = bounded(at, 0, now);
    if (when === undefined || typeof families !== 'object' || families === null || Array.isArray(families)) return undefined;
    const hint: PacingHint = { at: when, families: {} };
    for (const family of Object.keys(ECS_TOKEN_BUCKETS) as EcsCallFamily[]) {
        const entry = (families as Record<string, unknown>)[family];
        if (!Array.isArray(entry) || entry.length !== 2) continue;
        const factor = bounded(entry[0], MIN_RATE_FACTOR, 1);
        const tokens = bounded(entry[1], 0, ECS_TOKEN_BUCKETS[family].burst * SHARE_OF_ECS_BUCKET);
        if (factor !== undefined && tokens !== undefined) hint.families[family] = [factor, tokens];
    }
    return hint;
}

/**
 * One invocation's pacing of its ECS calls: a token bucket per family at half of ECS's (the paced
 * rate), whose rate halves after each throttled call and recovers slowly (AIMD). A call reserves a
 * token and waits for it; a wait that would pass the invocation budget is not taken (the work goes on
 * in the next invocation). Reservation keeps parallel calls of one family in order without a queue.
 */
export class EcsPacer {
    private readonly families = new Map<EcsCallFamily, FamilyState>();
    private readonly hint: PacingHint | undefined;
    /** Calls and throttled calls per family in this invocation: for the log and the benchmark. */
    readonly counts = new Map<EcsCallFamily, { calls: number; throttled: number; waitedMs: number }>();

    constructor(private readonly options: PacerOptions) {
        this.hint = pacingHintOf(options.hint, options.now());
    }

    /** The paced rate (calls per second) of a family at this moment. */
    rate(family: EcsCallFamily): number {
        return ECS_TOKEN_BUCKETS[family].refillPerSecond * SHARE_OF_ECS_BUCKET * this.factor(this.state(family));
    }

    /** The most tokens one family holds: half of ECS's bucket. */
    capacity(family: EcsCallFamily): number {
        return ECS_TOKEN_BUCKETS[family].burst * SHARE_OF_ECS_BUCKET;
    }

    /** Waits until a call of `family` may be sent; InvocationBudgetSpentError when that is past the budget. */
    async acquire(family: EcsCallFamily, call: string): Promise<void> {
        const state = this.state(family);
        const now = this.options.now();
        this.refill(family, state, now);
        const waitMs = state.tokens >= 1 ? 0 : Math.ceil(((1 - state.tokens) / this.rate(family)) * 1000);
        if (now + waitMs >= this.options.budgetEndsAt) {
            throw new InvocationBudgetSpentError(
                `${call}: ECS calls of the ${family} family are paced to ${round(this.rate(family))} a second, and the next one would start after this invocation's budget: continuing in the next invocation.`,
            );
        }
        state.tokens -= 1;
        const count = this.count(family);
        count.calls += 1;
        count.waitedMs += waitMs;
        if (waitMs > 0) await this.options.sleep(waitMs);
    }

    /** ECS throttled a call of `family`: halve its rate and give up what is left of the burst. */
    throttled(family: EcsCallFamily): void {
        const state = this.state(family);
        const now = this.options.now();
        this.refill(family, state, now);
        state.factor = Math.max(MIN_RATE_FACTOR, this.factor(state, now) * THROTTLED_RATE_FACTOR);
        state.factorAt = now;
        state.tokens = Math.min(state.tokens, 0);
        this.count(family).throttled += 1;
    }

    /** What the next invocation should start from: the families not at full rate and full bucket, rounded to keep it small. */
    handOn(): PacingHint | undefined {
        const now = this.options.now();
        const families: PacingHint['families'] = {};
        for (const family of Object.keys(ECS_TOKEN_BUCKETS) as EcsCallFamily[]) {
            if (!this.families.has(family) && !this.hint?.families[family]) continue;
            const state = this.state(family);
            this.refill(family, state, now);
            const factor = Math.max(MIN_RATE_FACTOR, Math.floor(this.factor(state, now) * 1000) / 1000);
            // Tokens reserved by calls still waiting count as spent: rounded down, never below 0.
            const tokens = Math.max(0, Math.floor(state.tokens * 10) / 10);
            if (factor < 1 || tokens < this.capacity(family)) families[family] = [factor, tokens];
        }
        return Object.keys(families).length > 0 ? { at: now, families } : undefined;
    }

    private state(family: EcsCallFamily): FamilyState {
        let state = this.families.get(family);
        if (!state) {
            const now = this.options.now();
            const handed = this.hint?.families[family];
            // The family's bucket as the last invocation left it, refilled (at its slowed rate) since then.
            state = handed
                ? { tokens: handed[1], at: this.hint?.at ?? now, factor: handed[0], factorAt: this.hint?.at ?? now }
                : { tokens: this.capacity(family), at: now, factor: 1, factorAt: now };
            this.families.set(family, state);
            this.refill(family, state, now);
        }
        return state;
    }

    private factor(state: FamilyState, now = this.options.now()): number {
        return Math.min(1, state.factor + (Math.max(0, now - state.factorAt) / 1000) * RECOVERY_PER_SECOND);
    }

    private refill(family: EcsCallFamily, state: FamilyState, now: number): void {
        const elapsedSeconds = Math.max(0, now - state.at) / 1000;
        state.tokens = Math.min(this.capacity(family), state.tokens + elapsedSeconds * this.rate(family));
        state.at = now;
    }

    private count(family: EcsCallFamily): { calls: number; throttled: number; waitedMs: number } {
        let count = this.counts.get(family);
        if (!count) {
            count = { calls: 0, throttled: 0, waitedMs: 0 };
            this.counts.set(family, count);
        }
        return count;
    }
}

function round(value: number): number {
    return Math.round(value * 100) / 100;
}
