/**
 * Several resources restarting at once in one account, against ECS's account-wide token buckets
 * modelled in the scripted double (test/support/ecs-token-buckets.ts), on virtual time: every resource
 * succeeds, none fails for throttling, each service is restarted exactly once, and each resource keeps
 * every family within half of its bucket. The resources name as many services as a resource
 * can name in Services (MAX_LISTED_SERVICES).
 */
// Loaded (and compiled by ts-jest) with the suite, not inside the first test's time.
import '../../src/handlers';
import { ECS_TOKEN_BUCKETS, EcsCallFamily, SHARE_OF_ECS_BUCKET } from '../../src/aws/pacing';
import { MAX_LISTED_SERVICES } from '../../src/restart/request/settings';
import { SharedAccountRun, runSharedAccount } from '../../bench/polling/shared-account';
import type { ServiceTimeline } from '../../bench/polling/timelines';
import { LoggedCall, mostInWindow } from '../support/ecs-token-buckets';

jest.setTimeout(300_000);

/** Tasks start in 30–50 s, are healthy 20 s later, drain 0–40 s; ECS says COMPLETED 5 s later. */
function timelines(count: number, salt: number): ServiceTimeline[] {
    return Array.from({ length: count }, (_, i) => ({
        desiredCount: 1 + ((i + salt) % 3),
        taskStartSeconds: 30 + ((i * 7 + salt) % 21),
        healthySeconds: 20,
        drainSeconds: ((i * 13 + salt) % 5) * 10,
        rollingBatches: 1,
        settleSeconds: 5,
        circuitBreaker: false,
    }));
}

const TIMEOUT_IN_MINUTES = 60;

/** What went wrong, when a resource did not succeed: its answers, last ones first. */
function answersOf(run: SharedAccountRun): string {
    return run.resources
        .filter((resource) => resource.status !== 'SUCCESS')
        .map((resource) =>
            resource.answers
                .slice(-3)
                .map((answer) => `${answer.status} ${answer.errorCode ?? ''} ${answer.message ?? ''}`)
                .join('\n'),
        )
        .join('\n---\n');
}

/**
 * Token-bucket conformance of one resource's calls of a family: in any window of W seconds, at most
 * half the bucket plus half the refill over W (one more for the rounding of a wait to the millisecond).
 */
function windowsOverHalfABucket(calls: readonly LoggedCall[], family: EcsCallFamily): string[] {
    const { burst, refillPerSecond } = ECS_TOKEN_BUCKETS[family];
    const times = calls.filter((call) => call.family === family).map((call) => call.at);
    const over: string[] = [];
    for (const seconds of [1, 5, 10, 30, 60]) {
        const most = mostInWindow(times, seconds * 1000);
        const allowed = burst * SHARE_OF_ECS_BUCKET + refillPerSecond * SHARE_OF_ECS_BUCKET * seconds + 1;
        if (most > allowed) over.push(`${family}: ${most} calls in ${seconds} s (at most ${allowed})`);
    }
    return over;
}

function expectEachServiceRestartedOnce(run: SharedAccountRun): void {
    const counts = [...run.restartsPerService.values()];
    expect(counts.filter((count) => count !== 1)).toEqual([]);
    expect(run.ecsCallsByCommand.UpdateService).toBeGreaterThanOrEqual(counts.length);
}

describe('several resources at once in one account, under ECS token buckets', () => {
    it('all succeed, each service restarted once, each resource within half of every bucket', async () => {
        // Prepare: three resources of the largest size, restarting at the same moment.
        const resources = [0, 1, 2].map((salt) => ({ timelines: timelines(MAX_LISTED_SERVICES, salt) }));

        // Act
        const run = await runSharedAccount({ resources, timeoutInMinutes: TIMEOUT_IN_MINUTES });

        // Assess
        expect(answersOf(run)).toBe('');
        expect(run.resources.map((resource) => resource.status)).toEqual(['SUCCESS', 'SUCCESS', 'SUCCESS']);
        expectEachServiceRestartedOnce(run);
        for (const resource of run.resources) {
            const own = new Set(resource.services);
            const calls = run.calls.filter((call) => call.subject !== undefined && own.has(call.subject));
            const families = Object.keys(ECS_TOKEN_BUCKETS) as EcsCallFamily[];
            expect(families.flatMap((family) => windowsOverHalfABucket(calls, family))).toEqual([]);
            // Its mean over its run is within half the refill rate too.
            for (const [family, figures] of Object.entries(resource.buckets)) {
                expect({ family, mean: figures.meanPerSecond <= figures.refillPerSecond * SHARE_OF_ECS_BUCKET }).toEqual({
                    family,
                    mean: true,
                });
            }
            expect(resource.lagSeconds).toBeGreaterThanOrEqual(0);
        }
    });

    it('throttled by a busy account (other callers take most of every refill), all still succeed, each service restarted once', async () => {
        // Prepare: a pipeline and the console take 90 % of each bucket's refill; the resources share the rest.
        const otherCallers = Object.fromEntries(
            Object.entries(ECS_TOKEN_BUCKETS).map(([family, bucket]) => [family, bucket.refillPerSecond * 0.9]),
        );
        const resources = [0, 1, 2].map((salt) => ({ timelines: timelines(MAX_LISTED_SERVICES, salt + 3) }));

        // Act
        const run = await runSharedAccount({ resources, timeoutInMinutes: TIMEOUT_IN_MINUTES, otherCallers });

        // Assess: ECS did throttle them, and none failed for it or restarted a service twice.
        expect(run.throttledFraction).toBeGreaterThan(0);
        expect(answersOf(run)).toBe('');
        expect(run.resources.map((resource) => resource.status)).toEqual(['SUCCESS', 'SUCCESS', 'SUCCESS']);
        expectEachServiceRestartedOnce(run);
        // The slowed rates travelled to the next invocation: some answer carried the pacing hint.
        expect(run.resources.some((resource) => resource.slowedHandOns > 0)).toBe(true);
    });

    it('reads a cluster of 1,000 services for ServicesUsingSecrets within half of every bucket, across invocations', async () => {
        // Prepare: five services read the rotated secret; the other 995 read a secret of their own.
        const readers = timelines(5, 7);

        // Act
        const run = await runSharedAccount({
            resources: [{ timelines: readers, bySecret: true }],
            bystanders: 1_000 - readers.length,
            timeoutInMinutes: TIMEOUT_IN_MINUTES,
        });

        // Assess: every service described, every task definition read once, paced; the five restarted once each.
        expect(answersOf(run)).toBe('');
        expect(run.resources[0]?.status).toBe('SUCCESS');
        expect(run.ecsCallsByCommand).toMatchObject({ DescribeTaskDefinition: 1_000, UpdateService: 5 });
        // Ten pages, and a page again where an invocation stopped inside it.
        expect(run.ecsCallsByCommand.ListServices).toBeGreaterThanOrEqual(10);
        expect(run.ecsCallsByCommand.ListServices).toBeLessThanOrEqual(10 + (run.resources[0]?.invocations ?? 0));
        expect(run.ecsCallsByCommand.DescribeServices).toBeGreaterThanOrEqual(100);
        const families = Object.keys(ECS_TOKEN_BUCKETS) as EcsCallFamily[];
        expect(families.flatMap((family) => windowsOverHalfABucket(run.calls, family))).toEqual([]);
        expect(run.throttledFraction).toBe(0);
        // 1,000 task definitions at 10 a second take longer than one invocation's budget.
        expect(run.resources[0]?.invocations).toBeGreaterThan(4);
        expect([...run.restartsPerService.values()].filter((count) => count === 1)).toHaveLength(5);
    });
});
