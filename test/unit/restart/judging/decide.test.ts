/**
 * The pure stabilisation step: how a wave's assessments become wait, wave-complete, failed or timed-out,
 * and every delay it asks for. No timers, no network: the time is an argument.
 */
import fc from 'fast-check';
import type { ServiceAssessment } from '../../../../src/restart/judging/assess';
import {
    AWAITING_APPROVAL_POLL_SECONDS,
    DRAINING_LOOK_SECONDS,
    FIRST_LOOK_SECONDS,
    MAX_POLL_DELAY_SECONDS,
    MAX_STAGE_POLL_DELAY_SECONDS,
    MIN_POLL_DELAY_SECONDS,
    SECONDS_AWAY_LOOK_SECONDS,
    STARTING_LOOK_SECONDS,
    backoffDelaySeconds,
    decideWave,
    nextLookSeconds,
    pollDelaySeconds,
    waveDelaySeconds,
} from '../../../../src/restart/judging/decide';
import { MAX_CONTEXT_NOTES, RestartingOperation } from '../../../../src/restart/operation/progress';
import { OURS, T0, restartingOperation, trackedService } from '../../../support/restart-fixtures';

describe('decideWave', () => {
    const progress = (overrides: Partial<RestartingOperation> = {}): RestartingOperation =>
        restartingOperation({
            services: [
                trackedService(),
                trackedService({ input: 'api', name: 'api', deploymentId: 'ecs-svc/201' }),
                { input: 'worker', name: 'worker', arn: 'arn:worker', wave: 1 },
            ],
            transientFailures: 2,
            ...overrides,
        });
    const counts = { desired: 3, running: 1, pending: 2, failedTasks: 0 };
    const running: ServiceAssessment = { kind: 'in-progress', deploymentId: OURS, detail: 'IN_PROGRESS', counts };
    const done: ServiceAssessment = { kind: 'completed', deploymentId: OURS };
    const observed = (entries: Array<[string, ServiceAssessment]>) => new Map(entries);

    it('waits while a service is in progress, resetting the transient streak', () => {
        const decision = decideWave(
            progress(),
            observed([
                ['web', running],
                ['api', done],
            ]),
            T0 + 1_000,
        );
        expect(decision).toMatchObject({ kind: 'wait', delaySeconds: STARTING_LOOK_SECONDS });
        expect(decision.progress.transientFailures).toBe(0);
        expect(decision.progress.services[1]?.completed).toBe(true);
        if (decision.kind === 'wait')
            expect(decision.message).toContain('wave 1 of 2: web (deployment ecs-svc/200 IN_PROGRESS, 1/3 running');
    });

    it('looks again from what ECS reports: new tasks starting, old tasks draining, nothing old left; never past the deadline', () => {
        const allRunning = { desired: 3, running: 3, pending: 0, failedTasks: 0 };
        const draining: ServiceAssessment = { ...running, counts: allRunning, oldTasks: 2 };
        const secondsAway: ServiceAssessment = { ...running, counts: allRunning, oldTasks: 0 };
        const delay = (entries: Array<[string, ServiceAssessment]>, now = T0) =>
            (decideWave(progress(), observed(entries), now) as { delaySeconds: number }).delaySeconds;

        expect(delay([['web', running]])).toBe(STARTING_LOOK_SECONDS);
        expect(delay([['web', draining]])).toBe(DRAINING_LOOK_SECONDS);
        expect(delay([['web', secondsAway]])).toBe(SECONDS_AWAY_LOOK_SECONDS);
        // The service that may change soonest decides.
        expect(
            delay([
                ['web', running],
                ['api', secondsAway],
            ]),
        ).toBe(SECONDS_AWAY_LOOK_SECONDS);
        expect(delay([['web', running]], T0 + 60 * 60_000 - 20_000)).toBe(20);
    });

    it('completes the wave when every service of it completed', () => {
        expect(
            decideWave(
                progress(),
                observed([
                    ['web', done],
                    ['api', done],
                ]),
                T0,
            ).kind,
        ).toBe('wave-complete');
    });

    it('fails when any service failed, even if others still run', () => {
        const failed: ServiceAssessment = { kind: 'failed', deploymentId: OURS, reason: 'x' };
        const decision = decideWave(
            progress(),
            observed([
                ['web', failed],
                ['api', running],
            ]),
            T0,
        );
        expect(decision.kind).toBe('failed');
        if (decision.kind === 'failed') expect(decision.failures.map((f) => f.service.name)).toEqual(['web']);
    });

    it('times out past the deadline, naming what still runs and what was not restarted', () => {
        const decision = decideWave(
            progress(),
            observed([
                ['web', running],
                ['api', done],
            ]),
            T0 + 60 * 60_000,
        );
        expect(decision.kind).toBe('timed-out');
        if (decision.kind === 'timed-out') {
            expect(decision.message).toBe(
                'Timed out after 60 minutes (TimeoutInMinutes) waiting for: web (deployment ecs-svc/200 IN_PROGRESS, 1/3 running, 2 pending, 0 failed tasks). ' +
                    'Also restarted: api (ecs-svc/201, healthy). Not restarted: worker.',
            );
        }
    });

    it('says how many services were not looked at yet, also when every service looked at is done', () => {
        // Prepare: web was looked at and is done; api was not reached before the invocation budget ended.
        const looked = observed([['web', done]]);

        // Act
        const waiting = decideWave(progress(), looked, T0 + 1_000, 1);
        const timedOut = decideWave(progress(), looked, T0 + 60 * 60_000, 1);

        // Assess
        expect(waiting).toMatchObject({ kind: 'wait', message: 'Waiting for wave 1 of 2: 1 service not looked at yet.' });
        expect(timedOut.kind).toBe('timed-out');
        expect(timedOut.kind === 'timed-out' && timedOut.message).toMatch(
            /^Timed out after 60 minutes \(TimeoutInMinutes\) waiting for 1 service not looked at yet\. /,
        );
        const withRunning = decideWave(progress(), observed([['web', running]]), T0 + 1_000, 1);
        expect(withRunning.kind === 'wait' && withRunning.message).toMatch(
            /^Waiting for wave 1 of 2: web \(deployment .*\) \(and 1 service not looked at yet\)\.$/,
        );
    });

    it('succeeds rather than times out when the last observation at the deadline is complete', () => {
        expect(
            decideWave(
                progress(),
                observed([
                    ['web', done],
                    ['api', done],
                ]),
                T0 + 61 * 60_000,
            ).kind,
        ).toBe('wave-complete');
    });
});

describe('waveDelaySeconds', () => {
    const progress = restartingOperation({ timeoutInMinutes: 120 });
    it.each<[string, number[], number, number]>([
        ['the service that may change soonest decides', [300, 15], T0, 15],
        ['the soonest long stage when all are in one', [300, 120], T0, 120],
        ['never past the deadline', [300], T0 + 120 * 60_000 - 40_000, 40],
        ['never shorter than the minimum', [1], T0, 5],
        ['no service to look at: as for starting tasks', [], T0, STARTING_LOOK_SECONDS],
        ['never longer than the longest stage poll', [10_000], T0, MAX_STAGE_POLL_DELAY_SECONDS],
    ])('%s', (_label, nextLooks, now, expected) => {
        expect(waveDelaySeconds(progress, nextLooks, now)).toBe(expected);
    });
});

describe('pollDelaySeconds', () => {
    it('looks first after FIRST_LOOK_SECONDS, sooner only when the deadline is nearer, never under the minimum', () => {
        const progress = restartingOperation();
        expect(pollDelaySeconds(progress, T0)).toBe(FIRST_LOOK_SECONDS);
        expect(pollDelaySeconds(progress, progress.deadline - 7_000)).toBe(7);
        expect(pollDelaySeconds(progress, progress.deadline + 60_000)).toBe(MIN_POLL_DELAY_SECONDS);
    });
});

describe('nextLookSeconds', () => {
    const running = (counts: { desired: number; running: number; pending: number }, extra: Partial<ServiceAssessment> = {}) =>
        ({ kind: 'in-progress', deploymentId: OURS, detail: 'IN_PROGRESS', counts: { ...counts, failedTasks: 0 }, ...extra }) as Extract<
            ServiceAssessment,
            { kind: 'in-progress' }
        >;
    it.each<[string, Extract<ServiceAssessment, { kind: 'in-progress' }>, number]>([
        ['tasks pending', running({ desired: 3, running: 3, pending: 1 }), STARTING_LOOK_SECONDS],
        ['fewer running than desired', running({ desired: 3, running: 2, pending: 0 }), STARTING_LOOK_SECONDS],
        ['all running, old tasks left', running({ desired: 3, running: 3, pending: 0 }, { oldTasks: 1 }), DRAINING_LOOK_SECONDS],
        ['all running, old tasks unknown', running({ desired: 3, running: 3, pending: 0 }), DRAINING_LOOK_SECONDS],
        ['all running, no old task', running({ desired: 3, running: 3, pending: 0 }, { oldTasks: 0 }), SECONDS_AWAY_LOOK_SECONDS],
        ['a 60-minute bake: five minutes', running({ desired: 3, running: 1, pending: 2 }, { bakeMinutes: 60 }), 300],
        ['a 10-minute bake: a quarter of it', running({ desired: 3, running: 3, pending: 0 }, { bakeMinutes: 10 }), 150],
        ['a 1-minute bake: at least a minute', running({ desired: 3, running: 3, pending: 0 }, { bakeMinutes: 1 }), 60],
        [
            'a pause hook awaiting approval',
            running({ desired: 3, running: 3, pending: 0 }, { awaitingApproval: { hookId: 'h', since: T0 }, bakeMinutes: 60 }),
            AWAITING_APPROVAL_POLL_SECONDS,
        ],
    ])('%s', (_label, assessment, expected) => {
        expect(nextLookSeconds(assessment)).toBe(expected);
    });
});

describe('backoffDelaySeconds', () => {
    it('doubles from 5 seconds up to the maximum', () => {
        const far = T0 + 3_600_000;
        expect([1, 2, 3, 4, 5, 6].map((failures) => backoffDelaySeconds(failures, far, T0))).toEqual([5, 10, 20, 40, 60, 60]);
    });

    it('stays between the minimum and the maximum, never waits past the deadline unless the minimum forces it, and grows', () => {
        fc.assert(
            fc.property(fc.integer({ min: 0, max: 50 }), fc.integer({ min: -3_600_000, max: 36_000_000 }), (failures, untilDeadlineMs) => {
                const now = 1_800_000_000_000;
                const delay = backoffDelaySeconds(failures, now + untilDeadlineMs, now);
                expect(Number.isInteger(delay)).toBe(true);
                expect(delay).toBeGreaterThanOrEqual(MIN_POLL_DELAY_SECONDS);
                expect(delay).toBeLessThanOrEqual(MAX_POLL_DELAY_SECONDS);
                expect(delay <= Math.max(MIN_POLL_DELAY_SECONDS, Math.ceil(untilDeadlineMs / 1000))).toBe(true);
                expect(backoffDelaySeconds(failures + 1, now + untilDeadlineMs, now)).toBeGreaterThanOrEqual(delay);
            }),
        );
    });
});

describe('decideWave notes', () => {
    it('keeps the newest MAX_CONTEXT_NOTES notes, each cut to a bounded length', () => {
        const progress = restartingOperation({ notes: Array.from({ length: MAX_CONTEXT_NOTES }, (_, i) => `old ${i}`) });
        const noted: ServiceAssessment = {
            kind: 'in-progress',
            deploymentId: OURS,
            detail: 'IN_PROGRESS',
            counts: { desired: 2, running: 1, pending: 1, failedTasks: 0 },
            note: 'x'.repeat(1_000),
        };

        const decision = decideWave(progress, new Map([['web', noted]]), T0);

        expect(decision.progress.notes).toHaveLength(MAX_CONTEXT_NOTES);
        expect(decision.progress.notes[0]).toBe('old 1');
        expect(decision.progress.notes.at(-1)?.length).toBeLessThan(1_000);
        expect(decision.progress.notes.at(-1)?.startsWith('xxx')).toBe(true);
    });
});

describe('decideWave messages at a thousand services', () => {
    const services = Array.from({ length: 1_000 }, (_, i) =>
        trackedService({ input: `svc-${i}`, name: `svc-${i}`, deploymentId: `ecs-svc/${i}` }),
    );
    const inProgress: ServiceAssessment = {
        kind: 'in-progress',
        deploymentId: OURS,
        detail: 'IN_PROGRESS',
        counts: { desired: 2, running: 1, pending: 1, failedTasks: 0 },
    };
    const assessments = (done: number) =>
        new Map<string, ServiceAssessment>(
            services.map((service, i) => [service.name, i < done ? { kind: 'completed', deploymentId: OURS } : inProgress]),
        );

    it('a wait counts what still deploys and names a few, within 1,024 characters', () => {
        const decision = decideWave(restartingOperation({ services }), assessments(990), T0);

        expect(decision.kind).toBe('wait');
        const message = (decision as { message: string }).message;
        expect(message).toMatch(/^Waiting for 10 services of 1000 still deploying: svc-990 \(deployment /);
        expect(message).toContain('; and 5 more.');
        expect(message.length).toBeLessThanOrEqual(1024);
    });

    it('a timeout counts and names what still runs, and what was restarted, within 1,024 characters', () => {
        const late = T0 + 61 * 60_000;
        const decision = decideWave(restartingOperation({ services }), assessments(400), late);

        expect(decision.kind).toBe('timed-out');
        const message = (decision as { message: string }).message;
        expect(message).toMatch(/^Timed out after 60 minutes \(TimeoutInMinutes\) waiting for 600 services: svc-400 \(deployment /);
        expect(message).toContain('Also restarted 400 services');
        expect(message.length).toBeLessThanOrEqual(1024);
    });
});
