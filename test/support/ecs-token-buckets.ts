/**
 * ECS's request throttling as the scripted double models it: one token bucket per family of calls for
 * the whole account and Region (every resource, every other caller), full at first, refilled
 * continuously on the double's clock (virtual time in the benchmark), a call that finds its bucket
 * empty answered with ThrottlingException and taking no token. Other callers (a pipeline, the console)
 * can be given a steady share of each refill. Every call is logged, so that tests and the benchmark can
 * measure calls per second per bucket and the fraction throttled.
 */
import { ECS_CALL_FAMILIES, ECS_TOKEN_BUCKETS, EcsCallFamily, EcsCommand } from '../../src/aws/pacing';

export interface LoggedCall {
    command: string;
    family: EcsCallFamily;
    /** The double's time, epoch ms. */
    at: number;
    throttled: boolean;
    /** The first service the request named, when it named one: attributes the call to a resource. */
    subject?: string;
}

export interface BucketFigures {
    calls: number;
    throttled: number;
    /** Most calls (answered or throttled) in any one-second window. */
    peakPerSecond: number;
    /** Calls per second over the span given (the run's, or one resource's). */
    meanPerSecond: number;
    /** Most calls per second over any window of `windowSeconds`, the window's own rate. */
    peakWindowPerSecond: number;
    refillPerSecond: number;
    burst: number;
}

export class EcsTokenBuckets {
    readonly log: LoggedCall[] = [];
    private readonly tokens = new Map<EcsCallFamily, { tokens: number; at: number }>();

    /**
     * @param now the double's clock.
     * @param otherCallers calls per second that other callers of the account take from each family's refill.
     */
    constructor(
        private readonly now: () => number,
        private readonly otherCallers: Partial<Record<EcsCallFamily, number>> = {},
    ) {}

    /** Whether ECS would answer `command` now; a throttled call takes no token. */
    take(command: string, subject?: string): boolean {
        const family = ECS_CALL_FAMILIES[command as EcsCommand] as EcsCallFamily | undefined;
        if (!family) throw new Error(`EcsTokenBuckets: ${command} belongs to no modelled bucket`);
        const { burst, refillPerSecond } = ECS_TOKEN_BUCKETS[family];
        const now = this.now();
        const bucket = this.tokens.get(family) ?? { tokens: burst, at: now };
        const refill = Math.max(0, refillPerSecond - (this.otherCallers[family] ?? 0));
        bucket.tokens = Math.min(burst, bucket.tokens + (Math.max(0, now - bucket.at) / 1000) * refill);
        bucket.at = now;
        const answered = bucket.tokens >= 1;
        if (answered) bucket.tokens -= 1;
        this.tokens.set(family, bucket);
        this.log.push({ command, family, at: now, throttled: !answered, ...(subject ? { subject } : {}) });
        return answered;
    }

    /** Calls, throttling and rates per family, of `calls` over `spanSeconds`. */
    figures(calls: readonly LoggedCall[], spanSeconds: number, windowSeconds = 10): Partial<Record<EcsCallFamily, BucketFigures>> {
        const result: Partial<Record<EcsCallFamily, BucketFigures>> = {};
        for (const family of Object.keys(ECS_TOKEN_BUCKETS) as EcsCallFamily[]) {
            const times = calls.filter((call) => call.family === family).map((call) => call.at);
            if (times.length === 0) continue;
            result[family] = {
                calls: times.length,
                throttled: calls.filter((call) => call.family === family && call.throttled).length,
                peakPerSecond: mostInWindow(times, 1_000),
                meanPerSecond: spanSeconds > 0 ? times.length / spanSeconds : times.length,
                peakWindowPerSecond: mostInWindow(times, windowSeconds * 1000) / windowSeconds,
                refillPerSecond: ECS_TOKEN_BUCKETS[family].refillPerSecond,
                burst: ECS_TOKEN_BUCKETS[family].burst,
            };
        }
        return result;
    }
}

/** The most of the (sorted) times that fall in any window [t, t + windowMs). */
export function mostInWindow(times: readonly number[], windowMs: number): number {
    let most = 0;
    let start = 0;
    for (let end = 0; end < times.length; end++) {
        while ((times[end] as number) - (times[start] as number) >= windowMs) start++;
        most = Math.max(most, end - start + 1);
    }
    return most;
}
