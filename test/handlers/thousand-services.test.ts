/**
 * One resource of 1,000 services (the most one resource restarts, selected by ServicesUsingSecrets since
 * Services names at most 100) driven through the real handler against the timeline-driven ECS double,
 * with the account's token buckets modelled, on virtual time: a success in waves, a failure among
 * hundreds, deployments superseded by someone else's, and a timeout. Each restarts a service at most
 * once, answers within the invocation budget, and says what happened within 1,024 characters, counting
 * the services and saying where the full lists are.
 */
// Loaded (and compiled by ts-jest) with the suite, not inside the first test's time.
import '../../src/handlers';
import { INVOCATION_BUDGET_MS } from '../../src/restart/operation/operation';
import { MAX_SERVICES } from '../../src/restart/request/settings';
import { MAX_MESSAGE_LENGTH } from '../../src/restart/text/messages';
import { ResourceRun, SharedAccountRun, runSharedAccount } from '../../bench/polling/shared-account';
import { serviceName } from '../../bench/polling/timeline-ecs';
import type { ServiceTimeline } from '../../bench/polling/timelines';

jest.setTimeout(300_000);

/** Tasks start in 30–50 s, are healthy 20 s later, drain 0–40 s; ECS says COMPLETED 5 s later. */
function timelines(): ServiceTimeline[] {
    return Array.from({ length: MAX_SERVICES }, (_, i) => ({
        desiredCount: 1 + (i % 3),
        taskStartSeconds: 30 + ((i * 7) % 21),
        healthySeconds: 20,
        drainSeconds: ((i * 13) % 5) * 10,
        rollingBatches: 1,
        settleSeconds: 5,
        circuitBreaker: false,
    }));
}

/** The services of the double, svc-01 … svc-1000, by their position in `timelines()`. */
const NAMES = Array.from({ length: MAX_SERVICES }, (_, i) => serviceName(i));
/** ServicesUsingSecrets selects by name, so the waves are these in chunks of MaxConcurrentRestarts. */
const BY_NAME = [...NAMES].sort();
const TIMEOUT_IN_MINUTES = 120;

/** One resource selecting all 1,000 services by the secret they read, created to its answer. */
async function restartAll(
    timelinesOfServices: ServiceTimeline[],
    properties: { maxConcurrentRestarts?: number; timeoutInMinutes?: number },
) {
    const run = await runSharedAccount({
        resources: [{ timelines: timelinesOfServices, bySecret: true, maxConcurrentRestarts: properties.maxConcurrentRestarts }],
        timeoutInMinutes: properties.timeoutInMinutes ?? TIMEOUT_IN_MINUTES,
    });
    return { run, resource: run.resources[0] as ResourceRun };
}

/** The services whose UpdateService ECS answered, in the order it answered them. */
function restartOrder(run: SharedAccountRun): string[] {
    return run.calls.filter((call) => call.command === 'UpdateService' && !call.throttled).map((call) => call.subject ?? '');
}

function chunks<T>(items: readonly T[], size: number): T[][] {
    return Array.from({ length: Math.ceil(items.length / size) }, (_, i) => items.slice(i * size, (i + 1) * size));
}

/** Every service restarted at most once, and the services restarted exactly `expected`. */
function expectRestartedOnce(run: SharedAccountRun, expected: readonly string[]): void {
    const counts = [...run.restartsPerService.entries()];
    expect(counts.filter(([, count]) => count > 1)).toEqual([]);
    expect(
        counts
            .filter(([, count]) => count === 1)
            .map(([name]) => name)
            .sort(),
    ).toEqual([...expected].sort());
    // No UpdateService sent again for a service already restarted.
    expect(restartOrder(run)).toHaveLength(expected.length);
}

/** Every answer within the invocation budget, never throttled, every event message within CloudFormation's limit. */
function expectPoliteAndReadable(run: SharedAccountRun, resource: ResourceRun): void {
    // The double answers at once, so an invocation lasts as long as its own waits: never past its budget.
    expect(resource.maxInvocationSeconds).toBeGreaterThan(0);
    expect(resource.maxInvocationSeconds).toBeLessThanOrEqual(INVOCATION_BUDGET_MS / 1000);
    expect(run.throttledFraction).toBe(0);
    const long = resource.answers.filter((answer) => (answer.message ?? '').length > MAX_MESSAGE_LENGTH);
    expect(long.map((answer) => answer.message)).toEqual([]);
}

/** `Service X did not stabilize: …` as the message gives each failed service's reason. */
function reasonsIn(message: string): string[] {
    return [...message.matchAll(/Service (svc-\d+) did not stabilize: (.*?\(threshold 3\))?/g)].map(
        ([, name, whole]) => `${name}: ${whole ? 'whole' : 'cut'}`,
    );
}

describe('1,000 services in one resource', () => {
    it('restarts them in waves of 250, each once, a wave only after the previous one is done, within every budget', async () => {
        // Prepare
        const size = 250;

        // Act
        const { run, resource } = await restartAll(timelines(), { maxConcurrentRestarts: size });

        // Assess
        expect({ status: resource.status, message: resource.message }).toEqual({ status: 'SUCCESS', message: '' });
        expectRestartedOnce(run, NAMES);
        expectPoliteAndReadable(run, resource);
        const waves = chunks(restartOrder(run), size);
        expect(waves.map((wave) => [...wave].sort())).toEqual(chunks(BY_NAME, size));
        const endOf = new Map(run.ends.map((end) => [end.name, end.endedAt]));
        const startOf = new Map(run.ends.map((end) => [end.name, end.restartedAt]));
        for (let k = 1; k < waves.length; k++) {
            const previousDone = Math.max(...(waves[k - 1] as string[]).map((name) => endOf.get(name) as number));
            const firstStart = Math.min(...(waves[k] as string[]).map((name) => startOf.get(name) as number));
            expect({ wave: k + 1, startsAfterPreviousIsDone: firstStart >= previousDone }).toEqual({
                wave: k + 1,
                startsAfterPreviousIsDone: true,
            });
        }
        // Per-service state is in the record: once restarting, what travels between invocations stays small.
        const restarting = resource.contexts.filter((context) => context.stage === 'restarting');
        expect(restarting.length).toBeGreaterThan(waves.length);
        expect(Math.max(...restarting.map((context) => context.bytes))).toBeLessThan(4_096);
        // DeploymentIds has each service's deployment, in the order of ServiceArns.
        const deploymentIds = resource.model?.DeploymentIds as string[];
        expect(deploymentIds).toHaveLength(MAX_SERVICES);
        expect(new Set(deploymentIds).size).toBe(MAX_SERVICES);
    });

    it('fails on three services of the second wave, naming them and their reason first, counting the rest; the later waves never start', async () => {
        // Prepare: the first services of the second wave cannot pull their image (the circuit breaker rolls back).
        const size = 250;
        const failing = BY_NAME.slice(size, size + 3);
        const services = timelines().map((timeline, i) =>
            failing.includes(NAMES[i] as string) ? { ...timeline, circuitBreaker: true } : timeline,
        );

        // Act
        const { run, resource } = await restartAll(services, { maxConcurrentRestarts: size });

        // Assess
        expect(resource.status).toBe('FAILED');
        expect(resource.errorCode).toBe('NotStabilized');
        const message = resource.message ?? '';
        expect(message.length).toBeLessThanOrEqual(MAX_MESSAGE_LENGTH);
        expect(message.startsWith(`3 services did not stabilize: ${failing.join(', ')}. Service ${failing[0]} did not stabilize: `)).toBe(
            true,
        );
        expect(message).toContain('ECS deployment circuit breaker: tasks failed to start');
        // A reason given is given whole; those left out are in the handler log.
        expect(reasonsIn(message).filter((reason) => reason.endsWith('cut'))).toEqual([]);
        expect(reasonsIn(message).length).toBeGreaterThanOrEqual(1);
        const [, healthy, deploying] = /Also restarted 497 services \((\d+) healthy, (\d+) still deploying\)/.exec(message) ?? [];
        expect(Number(healthy) + Number(deploying)).toBe(497);
        expect(message).toMatch(/[Nn]ot restarted 500 services/);
        expect(message).toContain('ServiceArns and DeploymentIds');
        expect(message).toContain('the handler log');
        // The first two waves were restarted, each service once; nothing of the third and fourth.
        expectRestartedOnce(run, BY_NAME.slice(0, 2 * size));
        expectPoliteAndReadable(run, resource);
    });

    it('follows the deployments that superseded 50 of its own to their success, and says so counting them', async () => {
        // Prepare: a pipeline deploys every 20th service 20 s after the restart did.
        const superseded = new Set(NAMES.filter((_, i) => i % 20 === 3));
        const services = timelines().map((timeline, i) =>
            superseded.has(NAMES[i] as string) ? { ...timeline, supersededAtSeconds: 20 } : timeline,
        );

        // Act
        const { run, resource } = await restartAll(services, { maxConcurrentRestarts: 500 });

        // Assess: a superseding deployment replaces every task too, so the restart succeeds on it.
        expect(resource.status).toBe('SUCCESS');
        expectRestartedOnce(run, NAMES);
        expectPoliteAndReadable(run, resource);
        const message = resource.message ?? '';
        expect(message.length).toBeLessThanOrEqual(MAX_MESSAGE_LENGTH);
        expect(message).toMatch(/^The restart followed newer deployments that superseded its own in 50 services /);
        expect(message).toContain('and 45 more');
        expect(message).toContain('ServiceArns and DeploymentIds');
        // DeploymentIds has the deployment that decided each named service: the one that superseded the restart's.
        const named = [...message.matchAll(/(svc-\d+) \((ecs-svc\/\d+) superseded by (ecs-svc\/\d+)\)/g)];
        expect(named).toHaveLength(5);
        const arns = resource.model?.ServiceArns as string[];
        const deploymentIds = resource.model?.DeploymentIds as string[];
        for (const [, name, ours, newer] of named) {
            expect(superseded.has(name as string)).toBe(true);
            const position = arns.findIndex((arn) => arn.endsWith(`/${name}`));
            expect({ name, deployment: deploymentIds[position] }).toEqual({ name, deployment: newer });
            expect(newer).not.toBe(ours);
        }
    });

    it('times out naming what still runs: counts the 125 services still deploying, names a few, says where the full list is', async () => {
        // Prepare: every eighth service's old tasks drain for 20 minutes; TimeoutInMinutes is 15.
        const slow = new Set(NAMES.filter((_, i) => i % 8 === 5));
        const services = timelines().map((timeline, i) => (slow.has(NAMES[i] as string) ? { ...timeline, drainSeconds: 1_200 } : timeline));

        // Act
        const { run, resource } = await restartAll(services, { timeoutInMinutes: 15 });

        // Assess
        expect(resource.status).toBe('FAILED');
        expect(resource.errorCode).toBe('NotStabilized');
        expect(resource.durationSeconds).toBeGreaterThanOrEqual(15 * 60);
        const message = resource.message ?? '';
        expect(message.length).toBeLessThanOrEqual(MAX_MESSAGE_LENGTH);
        expect(message).toMatch(/^Timed out after 15 minutes \(TimeoutInMinutes\) waiting for 125 services: /);
        const named = [...message.matchAll(/(svc-\d+) \(deployment ecs-svc\/\d+ IN_PROGRESS, /g)].map(([, name]) => name as string);
        expect(named).toHaveLength(5);
        expect(named.filter((name) => !slow.has(name))).toEqual([]);
        expect(message).toContain('and 120 more');
        expect(message).toContain('Also restarted 875 services');
        expect(message).toContain('(875 healthy, 0 still deploying)');
        expect(message).toContain('ServiceArns and DeploymentIds');
        expectRestartedOnce(run, NAMES);
        expectPoliteAndReadable(run, resource);
    });
});
