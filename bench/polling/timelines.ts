/**
 * Deployment timelines for the polling-economy benchmark: how long a forced new deployment of one ECS
 * service takes, phase by phase, and how it ends. One seeded mix serves the handler and the baseline
 * pollers alike, so every poller sees the same deployments. The distributions are data (TIMELINE_MIX),
 * so that the README and bench/results.json publish exactly what was drawn from.
 */
import fc from 'fast-check';

/** One range of a distribution, drawn uniformly (whole seconds or counts), with its share of the draws. */
export interface WeightedRange {
    weight: number;
    min: number;
    max: number;
    what: string;
}

export const TIMELINE_SEED = 1010;

export const TIMELINE_MIX = {
    desiredCount: [
        { weight: 30, min: 1, max: 2, what: 'small services' },
        { weight: 50, min: 3, max: 6, what: 'typical' },
        { weight: 20, min: 8, max: 20, what: 'large' },
    ],
    taskStartSeconds: [{ weight: 1, min: 20, max: 120, what: 'placement, image pull, container start: PENDING → RUNNING' }],
    healthySeconds: [{ weight: 1, min: 10, max: 90, what: 'RUNNING → healthy (health-check grace, interval × healthy threshold)' }],
    drainSeconds: [
        { weight: 15, min: 0, max: 30, what: 'no load balancer: the old tasks stop (stopTimeout)' },
        { weight: 20, min: 10, max: 60, what: 'target group with a short deregistration delay' },
        { weight: 15, min: 90, max: 180, what: 'deregistration delay 90–180 s' },
        { weight: 40, min: 300, max: 300, what: 'deregistration delay 300 s (the target-group default)' },
        { weight: 10, min: 600, max: 900, what: 'long deregistration delay (long-lived connections)' },
    ],
    rollingBatches: [
        { weight: 70, min: 1, max: 1, what: 'maximumPercent 200: every new task at once' },
        { weight: 20, min: 2, max: 2, what: 'maximumPercent 150: two batches' },
        { weight: 10, min: 3, max: 3, what: 'tight capacity: three batches' },
    ],
    settleSeconds: [{ weight: 1, min: 0, max: 15, what: 'ECS marks the deployment COMPLETED after the last old task stopped' }],
    supersededAtPercent: [
        { weight: 90, min: 0, max: 0, what: 'not superseded' },
        {
            weight: 10,
            min: 5,
            max: 90,
            what: 'superseded by a pipeline deployment at this % of its own duration (which then runs the whole timeline again)',
        },
    ],
} satisfies Record<string, WeightedRange[]>;

/** Per restart, not per service, so that a 20-service restart is not almost always a failure. */
export const CIRCUIT_BREAKER_RESTART_WEIGHT = { fails: 10, succeeds: 90 };
/** ECS's default threshold: half the desired count, at least 3 (at most 200) failed tasks. */
const CIRCUIT_BREAKER_MIN_THRESHOLD = 3;
/** After the circuit breaker fires, the rollback deployment (the old tasks never stopped) settles in this long. */
export const ROLLBACK_SETTLE_SECONDS = 30;

export interface ServiceTimeline {
    desiredCount: number;
    taskStartSeconds: number;
    healthySeconds: number;
    drainSeconds: number;
    rollingBatches: number;
    settleSeconds: number;
    /** Seconds after the restart at which a pipeline deployment replaces ours; absent when none does. */
    supersededAtSeconds?: number;
    /** The new tasks never start: the deployment circuit breaker fails the deployment and rolls back. */
    circuitBreaker: boolean;
}

export interface RestartTimeline {
    services: ServiceTimeline[];
}

function drawn(ranges: readonly WeightedRange[]): fc.Arbitrary<number> {
    return fc.oneof(...ranges.map((range) => ({ weight: range.weight, arbitrary: fc.integer({ min: range.min, max: range.max }) })));
}

const serviceArbitrary: fc.Arbitrary<ServiceTimeline> = fc
    .record({
        desiredCount: drawn(TIMELINE_MIX.desiredCount),
        taskStartSeconds: drawn(TIMELINE_MIX.taskStartSeconds),
        healthySeconds: drawn(TIMELINE_MIX.healthySeconds),
        drainSeconds: drawn(TIMELINE_MIX.drainSeconds),
        rollingBatches: drawn(TIMELINE_MIX.rollingBatches),
        settleSeconds: drawn(TIMELINE_MIX.settleSeconds),
        supersededAtPercent: drawn(TIMELINE_MIX.supersededAtPercent),
    })
    .map(({ supersededAtPercent, ...service }) => {
        const timeline: ServiceTimeline = {
            ...service,
            rollingBatches: Math.min(service.rollingBatches, service.desiredCount),
            circuitBreaker: false,
        };
        if (supersededAtPercent > 0) {
            timeline.supersededAtSeconds = Math.max(10, Math.round((deploymentSeconds(timeline) * supersededAtPercent) / 100));
        }
        return timeline;
    });

function restartArbitrary(services: number): fc.Arbitrary<RestartTimeline> {
    const failing = fc.oneof(
        { weight: CIRCUIT_BREAKER_RESTART_WEIGHT.succeeds, arbitrary: fc.constant(-1) },
        { weight: CIRCUIT_BREAKER_RESTART_WEIGHT.fails, arbitrary: fc.integer({ min: 0, max: services - 1 }) },
    );
    return fc
        .record({ services: fc.array(serviceArbitrary, { minLength: services, maxLength: services }), failing })
        .map((drawnRestart) => ({
            services: drawnRestart.services.map((service, index) =>
                index === drawnRestart.failing ? { ...service, circuitBreaker: true, supersededAtSeconds: undefined } : service,
            ),
        }));
}

/** `count` restarts of `services` services each, the same for the same seed (fast-check's seeded generator). */
export function restartTimelines(services: number, count: number, seed = TIMELINE_SEED): RestartTimeline[] {
    if (!Number.isInteger(services) || services < 1 || services > 20) {
        throw new Error(`services is ${String(services).slice(0, 20)}: a restart names 1 to 20 services.`);
    }
    if (!Number.isInteger(count) || count < 1) {
        throw new Error(`count is ${String(count).slice(0, 20)}: it must be a whole number of restarts, at least 1.`);
    }
    return fc.sample(restartArbitrary(services), { seed: seed + services, numRuns: count, unbiased: true });
}

// ---------------------------------------------------------------------------------------------------
// What the timeline implies, in seconds after the restart (UpdateService).
// ---------------------------------------------------------------------------------------------------

/** A rolling deployment: each batch starts, becomes healthy, then its old tasks drain and stop. */
export function deploymentSeconds(service: ServiceTimeline): number {
    return service.rollingBatches * (service.taskStartSeconds + service.healthySeconds + service.drainSeconds) + service.settleSeconds;
}

/** When ECS reports the deployment that decides the restart COMPLETED; undefined when it fails instead. */
export function completedAtSeconds(service: ServiceTimeline): number | undefined {
    if (service.circuitBreaker) return undefined;
    return (service.supersededAtSeconds ?? 0) + deploymentSeconds(service);
}

/** When ECS reports the circuit breaker's failure (rolloutState FAILED); undefined when it does not fail. */
export function failedAtSeconds(service: ServiceTimeline): number | undefined {
    if (!service.circuitBreaker) return undefined;
    const threshold = Math.max(CIRCUIT_BREAKER_MIN_THRESHOLD, Math.ceil(service.desiredCount / 2));
    const tasksPerAttempt = Math.ceil(service.desiredCount / service.rollingBatches);
    return Math.ceil(threshold / tasksPerAttempt) * service.taskStartSeconds + service.settleSeconds;
}

/**
 * When DescribeServices shows one deployment running every desired task, the "stable" test of the AWS
 * CLI's services-stable waiter and of Terraform's wait_for_steady_state: at completion, or once the
 * circuit breaker's rollback has settled.
 */
export function stableAtSeconds(service: ServiceTimeline): number {
    const failedAt = failedAtSeconds(service);
    return failedAt !== undefined ? failedAt + ROLLBACK_SETTLE_SECONDS : (completedAtSeconds(service) as number);
}

/** The moment the restart's outcome is decided in ECS: the last completion, or the first failure. */
export function restartOutcome(timeline: RestartTimeline): { outcome: 'SUCCESS' | 'FAILED'; decidedAtSeconds: number } {
    const failures = timeline.services.map(failedAtSeconds).filter((at): at is number => at !== undefined);
    if (failures.length > 0) return { outcome: 'FAILED', decidedAtSeconds: Math.min(...failures) };
    return { outcome: 'SUCCESS', decidedAtSeconds: Math.max(...timeline.services.map((service) => completedAtSeconds(service) as number)) };
}

export interface TaskCounts {
    newRunning: number;
    newPending: number;
    oldRunning: number;
}

/** The tasks of a deployment `elapsedSeconds` after it started, batch by batch (for the double's counts). */
export function taskCountsAt(service: ServiceTimeline, elapsedSeconds: number): TaskCounts {
    const desired = service.desiredCount;
    const perBatch = Math.ceil(desired / service.rollingBatches);
    const period = service.taskStartSeconds + service.healthySeconds + service.drainSeconds;
    const finishedBatches = Math.min(service.rollingBatches, Math.floor(Math.max(0, elapsedSeconds) / period));
    const replaced = Math.min(desired, finishedBatches * perBatch);
    if (finishedBatches === service.rollingBatches) {
        return { newRunning: desired, newPending: 0, oldRunning: 0 };
    }
    const current = Math.min(perBatch, desired - replaced);
    const started = elapsedSeconds - finishedBatches * period >= service.taskStartSeconds;
    return { newRunning: replaced + (started ? current : 0), newPending: started ? 0 : current, oldRunning: desired - replaced };
}

/**
 * `count` services drawn from the same mix, none failing (one circuit breaker among hundreds would end
 * every scale run at once): for the scale figures, where what is measured is the calls, not the outcome.
 */
export function serviceTimelines(count: number, seed = TIMELINE_SEED): ServiceTimeline[] {
    if (!Number.isInteger(count) || count < 1) {
        throw new Error(`count is ${String(count).slice(0, 20)}: it must be a whole number of services, at least 1.`);
    }
    return fc.sample(serviceArbitrary, { seed: seed + count, numRuns: count, unbiased: true });
}
