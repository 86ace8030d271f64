/**
 * The polling-economy benchmark's harness (bench/polling/) works: a timeline drives the real handler to
 * the outcome it decides, on virtual time, and the baseline pollers count as documented. The figures
 * themselves are the benchmark's (make bench-polling), not asserted here.
 */
// Loaded (and compiled by ts-jest) with the suite, not inside the first test's time.
import '../../src/handlers';
import { batchedPoller, perServicePoller } from '../../bench/polling/baselines';
import { runHandler } from '../../bench/polling/handler-run';
import { RestartTimeline, ServiceTimeline, restartOutcome, restartTimelines } from '../../bench/polling/timelines';

// Tasks start in 30 s, are healthy 20 s later, the old ones stop at once, ECS says COMPLETED 5 s later.
const quick: ServiceTimeline = {
    desiredCount: 2,
    taskStartSeconds: 30,
    healthySeconds: 20,
    drainSeconds: 0,
    rollingBatches: 1,
    settleSeconds: 5,
    circuitBreaker: false,
};

// A whole restart per test: on a busy machine that can take longer than Jest's default 5 s.
jest.setTimeout(60_000);

describe('polling-economy harness', () => {
    it('drives the handler on a timeline to SUCCESS after the deployment completes, counting what it cost', async () => {
        // Prepare
        const timeline: RestartTimeline = { services: [quick] };

        // Act
        const run = await runHandler(timeline);

        // Assess
        expect(restartOutcome(timeline)).toEqual({ outcome: 'SUCCESS', decidedAtSeconds: 55 });
        expect(run).toMatchObject({ status: 'SUCCESS', expected: 'SUCCESS' });
        // Seen at the first poll after 55 s: never before, and at most one longest poll delay later.
        expect(run.lagSeconds).toBeGreaterThanOrEqual(0);
        expect(run.lagSeconds).toBeLessThanOrEqual(61);
        expect(run.invocations).toBeGreaterThan(1);
        expect(run.ecsCallsByCommand).toMatchObject({ UpdateService: 1, DescribeServices: expect.any(Number) });
        expect(run.ecsCalls).toBeGreaterThan(run.invocations);
        expect(run.ssmCalls).toBeGreaterThan(0);
    });

    it('answers FAILED when the circuit breaker fails one service, and follows a superseding deployment of another', async () => {
        const superseded: ServiceTimeline = { ...quick, supersededAtSeconds: 20 };
        const failing: ServiceTimeline = { ...quick, circuitBreaker: true };

        const succeeding = await runHandler({ services: [quick, superseded] });
        const failed = await runHandler({ services: [quick, failing] });

        expect(restartOutcome({ services: [quick, superseded] }).decidedAtSeconds).toBe(75);
        expect(succeeding).toMatchObject({ status: 'SUCCESS', expected: 'SUCCESS' });
        expect(failed).toMatchObject({ status: 'FAILED', errorCode: 'NotStabilized', expected: 'FAILED' });
        expect(failed.lagSeconds).toBeGreaterThanOrEqual(0);
    });

    it('counts the baseline pollers: every 15 s from the restart on, batched by 10 or one call per service', () => {
        // Polls at 0, 15, 30, 45 and 60 s; the one at 60 s sees the deployment completed at 55 s.
        const timeline: RestartTimeline = { services: Array.from({ length: 12 }, () => quick) };

        expect(batchedPoller(timeline)).toEqual({ status: 'SUCCESS', expected: 'SUCCESS', lagSeconds: 5, polls: 5, ecsCalls: 12 + 5 * 2 });
        expect(perServicePoller(timeline)).toEqual({
            status: 'SUCCESS',
            expected: 'SUCCESS',
            lagSeconds: 5,
            polls: 5,
            ecsCalls: 12 + 5 * 12,
        });
    });

    it('draws the same timeline mix from the same seed, and another from another seed', () => {
        const first = restartTimelines(5, 10);

        expect(restartTimelines(5, 10)).toEqual(first);
        expect(restartTimelines(5, 10, 7)).not.toEqual(first);
        expect(first.every((restart) => restart.services.length === 5)).toBe(true);
        expect(() => restartTimelines(21, 10)).toThrow('services is 21: a restart names 1 to 20 services.');
    });
});
