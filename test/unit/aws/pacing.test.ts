/**
 * The pacer of the ECS calls: half of each account-wide bucket (burst and refill), slower after
 * throttling (halved, recovering slowly), no wait past the invocation budget, and a hint that hands
 * the slowness on to the next invocation. Time is a plain counter that the pacer's sleeps move on.
 */
import type { ECSClient } from '@aws-sdk/client-ecs';
import fc from 'fast-check';
import { SdkEcsGateway } from '../../../src/aws/ecs-gateway';
import { ECS_CALL_FAMILIES, ECS_TOKEN_BUCKETS, EcsCallFamily, EcsPacer, MIN_RATE_FACTOR, pacingHintOf } from '../../../src/aws/pacing';
import { InvocationBudgetSpentError, TransientAwsError } from '../../../src/restart/errors';

const START = 1_000_000;
const FAMILIES = Object.keys(ECS_TOKEN_BUCKETS) as EcsCallFamily[];

/** A pacer on its own clock; `sent` holds the time each acquired call may go out. */
function pacedClock(options: { budgetMs?: number; hint?: unknown } = {}): { pacer: EcsPacer; clock: { now: number } } {
    const clock = { now: START };
    const pacer = new EcsPacer({
        now: () => clock.now,
        sleep: (ms) => {
            clock.now += ms;
            return Promise.resolve();
        },
        budgetEndsAt: START + (options.budgetMs ?? 35_000),
        hint: options.hint,
    });
    return { pacer, clock };
}

async function sendTimes(pacer: EcsPacer, clock: { now: number }, family: EcsCallFamily, count: number): Promise<number[]> {
    const times: number[] = [];
    for (let i = 0; i < count; i++) {
        await pacer.acquire(family, `call ${i}`);
        times.push(clock.now - START);
    }
    return times;
}

describe('EcsPacer', () => {
    it.each(FAMILIES)('lets %s burst half its bucket, then paces it to half its refill rate', async (family) => {
        const { burst, refillPerSecond } = ECS_TOKEN_BUCKETS[family];
        const { pacer, clock } = pacedClock();
        const times = await sendTimes(pacer, clock, family, burst / 2 + 10);
        expect(times.slice(0, burst / 2)).toEqual(Array(burst / 2).fill(0));
        const gaps = times.slice(burst / 2).map((time, i) => time - (times[burst / 2 - 1 + i] ?? 0));
        expect(gaps).toEqual(Array(10).fill(Math.ceil(1000 / (refillPerSecond / 2))));
    });

    it('keeps every window of calls within half a bucket plus half the refill over the window, whatever the gaps', async () => {
        await fc.assert(
            fc.asyncProperty(
                fc.constantFrom(...FAMILIES),
                fc.array(fc.integer({ min: 0, max: 400 }), { minLength: 1, maxLength: 200 }),
                async (family, gaps) => {
                    const { burst, refillPerSecond } = ECS_TOKEN_BUCKETS[family];
                    const { pacer, clock } = pacedClock({ budgetMs: 10_000_000 });
                    const times: number[] = [];
                    for (const gap of gaps) {
                        clock.now += gap;
                        await pacer.acquire(family, 'call');
                        times.push(clock.now);
                    }
                    for (let i = 0; i < times.length; i++) {
                        for (let j = i; j < times.length; j++) {
                            const windowSeconds = ((times[j] as number) - (times[i] as number)) / 1000;
                            // The +1: a call waits for a whole token, rounded up to the millisecond.
                            expect(j - i + 1).toBeLessThanOrEqual(burst / 2 + (refillPerSecond / 2) * windowSeconds + 1);
                        }
                    }
                },
            ),
            { numRuns: 60 },
        );
    });

    it('halves a family’s rate after each throttled call, down to a floor, drops its burst, and leaves the other families alone', async () => {
        const { pacer, clock } = pacedClock();
        const paced = pacer.rate('service-read');
        pacer.throttled('service-read');
        expect(pacer.rate('service-read')).toBeCloseTo(paced / 2);
        // No burst left: the very next call waits a whole token at the halved rate.
        expect(await sendTimes(pacer, clock, 'service-read', 1)).toEqual([Math.ceil(1000 / (paced / 2))]);
        for (let i = 0; i < 10; i++) pacer.throttled('service-read');
        expect(pacer.rate('service-read')).toBeCloseTo(paced * MIN_RATE_FACTOR, 1);
        expect(pacer.rate('service-modify')).toBe(ECS_TOKEN_BUCKETS['service-modify'].refillPerSecond / 2);
    });

    it('recovers slowly after throttling: linearly, by 2 % of the paced rate a second', () => {
        const { pacer, clock } = pacedClock();
        const paced = pacer.rate('service-deployments');
        pacer.throttled('service-deployments');
        clock.now += 10_000;
        expect(pacer.rate('service-deployments')).toBeCloseTo(paced * 0.7);
        clock.now += 15_000;
        expect(pacer.rate('service-deployments')).toBeCloseTo(paced);
        clock.now += 60_000;
        expect(pacer.rate('service-deployments')).toBeCloseTo(paced);
    });

    it('takes no wait that would end past the invocation budget: InvocationBudgetSpentError, and the token stays', async () => {
        const { pacer, clock } = pacedClock({ budgetMs: 5_000 });
        // service-modify: 25 at once, then one every 400 ms; the budget leaves room for 12 more.
        const times = await sendTimes(pacer, clock, 'service-modify', 25 + 12);
        expect(times.at(-1)).toBe(4_800);
        await expect(pacer.acquire('service-modify', 'ecs:UpdateService on service web')).rejects.toThrow(InvocationBudgetSpentError);
        await expect(pacer.acquire('service-modify', 'ecs:UpdateService on service web')).rejects.toThrow(
            /ecs:UpdateService on service web: ECS calls of the service-modify family are paced to 2.5 a second/,
        );
        expect(clock.now - START).toBe(4_800);
        expect(pacer.counts.get('service-modify')?.calls).toBe(37);
    });

    it('hands on each family’s slowed rate and tokens left; the next invocation starts as slowly, bursting only what refilled since', async () => {
        const ending = pacedClock();
        await sendTimes(ending.pacer, ending.clock, 'service-modify', 25);
        ending.pacer.throttled('service-modify');
        ending.pacer.throttled('service-modify');
        const hint = ending.pacer.handOn();
        expect(hint).toEqual({ at: ending.clock.now, families: { 'service-modify': [0.25, 0] } });
        expect(JSON.stringify(hint).length).toBeLessThan(60);

        // Two seconds later: the rate recovered to 0.29 × 2.5 = 0.725/s, so 1.45 tokens refilled: one call
        // at once, the next when the other 0.55 token has refilled (760 ms).
        const next = pacedClock({ hint: { ...JSON.parse(JSON.stringify(hint)), at: START - 2_000 } });
        expect(next.pacer.rate('service-modify')).toBeCloseTo(2.5 * (0.25 + 2 * 0.02));
        const [first, second] = await sendTimes(next.pacer, next.clock, 'service-modify', 2);
        expect(first).toBe(0);
        expect(second).toBeGreaterThan(700);
        expect(second).toBeLessThan(800);
        expect(next.pacer.rate('service-read')).toBe(10);
    });

    it('hands on a family that used its burst even unthrottled, and nothing when no call was made', async () => {
        const { pacer, clock } = pacedClock();
        await sendTimes(pacer, clock, 'service-read', 50);
        expect(pacer.handOn()).toEqual({ at: clock.now, families: { 'service-read': [1, 0] } });
        // Three seconds later the next invocation has 30 tokens, not the whole half bucket of 50.
        const next = pacedClock({ hint: { at: START - 3_000, families: { 'service-read': [1, 0] } } });
        const times = await sendTimes(next.pacer, next.clock, 'service-read', 31);
        expect(times.filter((time) => time === 0)).toHaveLength(30);
        expect(pacedClock().pacer.handOn()).toBeUndefined();
    });

    it('reads a hint only to slow down: unknown families and malformed values are left out, values bounded', () => {
        const now = START;
        expect(
            pacingHintOf(
                {
                    at: now - 1_000,
                    families: {
                        'service-read': [0.5, 12],
                        'service-modify': [-3, 99],
                        bogus: [0.1, 0],
                        'service-deployments': ['slow', 1],
                        'task-definition-read': [0.5],
                    },
                },
                now,
            ),
        ).toEqual({ at: now - 1_000, families: { 'service-read': [0.5, 12], 'service-modify': [MIN_RATE_FACTOR, 25] } });
        // A time in the future counts as now: it cannot buy a burst.
        expect(pacingHintOf({ at: now + 60_000, families: {} }, now)).toEqual({ at: now, families: {} });
        expect(pacingHintOf({ families: {} }, now)).toBeUndefined();
        expect(pacingHintOf('0.1', now)).toBeUndefined();
        expect(pacingHintOf([0.1], now)).toBeUndefined();
        expect(pacingHintOf(null, now)).toBeUndefined();
    });
});

describe('the ECS gateway, paced', () => {
    const throttling = (): Error =>
        Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException', $fault: 'client', $metadata: { httpStatusCode: 400 } });

    /** A client that throttles the first `throttles` sends, then answers; `sent` keeps each send's time. */
    function throttlingClient(throttles: number, clock: { now: number }, sent: Array<{ command: string; at: number }>): ECSClient {
        let left = throttles;
        return {
            send: (command: object) => {
                sent.push({ command: command.constructor.name.replace(/Command$/, ''), at: clock.now - START });
                if (left-- > 0) return Promise.reject(throttling());
                return Promise.resolve({
                    service: { deployments: [{ id: 'ecs-svc/9', status: 'PRIMARY', createdAt: new Date(clock.now) }] },
                    services: [],
                });
            },
        } as unknown as ECSClient;
    }

    function gateway(throttles: number): { ecs: SdkEcsGateway; sent: Array<{ command: string; at: number }>; pacer: EcsPacer } {
        const { pacer, clock } = pacedClock();
        const sent: Array<{ command: string; at: number }> = [];
        const client = throttlingClient(throttles, clock, sent);
        const deadline = { invocationDeadline: START + 50_000, perCallMs: 8_000, now: () => clock.now };
        return { ecs: new SdkEcsGateway(client, client, deadline, pacer), sent, pacer };
    }

    it('sends a throttled call again after the slowed pace: ECS refused it, so UpdateService is not sent blindly', async () => {
        const { ecs, sent, pacer } = gateway(2);
        await expect(ecs.forceNewDeployment('prod', 'web')).resolves.toMatchObject({ deploymentId: 'ecs-svc/9' });
        // 2.5/s paced; halved to 1.25/s (800 ms a token), then halved again (about 1,600 ms; it recovered a little meanwhile).
        expect(sent.map((call) => call.command)).toEqual(['UpdateService', 'UpdateService', 'UpdateService']);
        const [first, second, third] = sent.map((call) => call.at);
        expect([first, second]).toEqual([0, 800]);
        expect((third as number) - 800).toBeGreaterThan(1_500);
        expect((third as number) - 800).toBeLessThanOrEqual(1_600);
        expect(pacer.counts.get('service-modify')).toMatchObject({ calls: 3, throttled: 2 });
    });

    it('lets the throttling reach the operation after three throttled attempts of one call', async () => {
        const { ecs, sent } = gateway(5);
        const error = await ecs.describeServices('prod', ['web']).catch((err: unknown) => err);
        expect(error).toBeInstanceOf(TransientAwsError);
        expect(error).toMatchObject({ errorCode: 'Throttling', outcomeUnknown: false });
        expect(sent.map((call) => call.command)).toEqual(['DescribeServices', 'DescribeServices', 'DescribeServices']);
    });

    it('names a family for every command the gateway sends', () => {
        expect(Object.values(ECS_CALL_FAMILIES).every((family) => family in ECS_TOKEN_BUCKETS)).toBe(true);
        expect(Object.keys(ECS_CALL_FAMILIES).sort()).toEqual(
            [
                'DescribeServiceDeployments',
                'DescribeServices',
                'DescribeTaskDefinition',
                'DescribeTasks',
                'ListServiceDeployments',
                'ListServices',
                'ListTasks',
                'UpdateService',
            ].sort(),
        );
    });
});
