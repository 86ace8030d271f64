/** The pure stabilisation step over a table of observed states: no timers, no network. */
import type { DeploymentView, ServiceDeploymentView, ServiceView } from '../../../../src/restart/views';
import {
    ServiceAssessment,
    ServiceDeploymentEvidence,
    assessService,
    correlateServiceDeployments,
} from '../../../../src/restart/judging/assess';
import {
    DRAINING_LOOK_SECONDS,
    SECONDS_AWAY_LOOK_SECONDS,
    STARTING_LOOK_SECONDS,
    decideWave,
} from '../../../../src/restart/judging/decide';
import { RestartingOperation, TrackedService } from '../../../../src/restart/operation/progress';

const T0 = Date.UTC(2026, 10, 26, 12, 0, 0);
const OURS = 'ecs-svc/200';

function deployment(overrides: Partial<DeploymentView> = {}): DeploymentView {
    return {
        id: OURS,
        status: 'PRIMARY',
        rolloutState: 'IN_PROGRESS',
        createdAt: T0,
        desiredCount: 3,
        runningCount: 1,
        pendingCount: 2,
        failedTasks: 0,
        ...overrides,
    };
}

const OLD = deployment({
    id: 'ecs-svc/100',
    status: 'ACTIVE',
    rolloutState: 'COMPLETED',
    createdAt: T0 - 3_600_000,
    runningCount: 3,
    pendingCount: 0,
});

function service(deployments: DeploymentView[], overrides: Partial<ServiceView> = {}): ServiceView {
    return {
        arn: 'arn:aws:ecs:us-east-1:123456789012:service/prod/web',
        name: 'web',
        status: 'ACTIVE',
        deploymentController: 'ECS',
        desiredCount: 3,
        runningCount: 4,
        pendingCount: 2,
        deployments,
        events: [],
        ...overrides,
    };
}

const tracked: TrackedService = { input: 'web', name: 'web', arn: 'arn:web', wave: 0, deploymentId: OURS, startedAt: T0 };

function sd(status: string, createdAt = T0 + 100, extra: Partial<ServiceDeploymentView> = {}): ServiceDeploymentView {
    return { arn: `arn:sd/${createdAt}`, status, createdAt, ...extra };
}

function evidence(latest: ServiceDeploymentView, ours: ServiceDeploymentView = latest): ServiceDeploymentEvidence {
    return { ours, latest };
}

describe('assessService from the DescribeServices deployments array (fallback)', () => {
    it.each<[string, ServiceView | undefined, RegExp | string]>([
        ['in progress', service([deployment(), OLD]), 'in-progress'],
        ['completed', service([deployment({ rolloutState: 'COMPLETED', runningCount: 3, pendingCount: 0 })]), 'completed'],
        [
            'failed by the circuit breaker',
            service([deployment({ rolloutState: 'FAILED', rolloutStateReason: 'tasks failed to start' }), OLD]),
            'failed',
        ],
        [
            'no rollout state, old tasks still draining',
            service([deployment({ rolloutState: undefined, runningCount: 3, pendingCount: 0 }), OLD]),
            'in-progress',
        ],
        [
            'no rollout state, one deployment running = desired',
            service([deployment({ rolloutState: undefined, runningCount: 3, pendingCount: 0 })], { runningCount: 3, pendingCount: 0 }),
            'completed',
        ],
        ['service deleted', undefined, 'failed'],
        ['service draining', service([deployment()], { status: 'DRAINING' }), 'failed'],
    ])('%s', (_label, view, expected) => {
        expect(assessService(tracked, view).state).toMatch(expected);
    });

    it('reports the counts of the deployment it waits for', () => {
        const assessment = assessService(tracked, service([deployment(), OLD]));
        expect(assessment).toMatchObject({
            state: 'in-progress',
            counts: { desired: 3, running: 1, pending: 2, failedTasks: 0 },
            detail: 'IN_PROGRESS',
        });
    });

    it('gives the ECS reason of a failed rollout', () => {
        const assessment = assessService(
            tracked,
            service([deployment({ rolloutState: 'FAILED', rolloutStateReason: 'tasks failed to start' })]),
        );
        expect(assessment).toMatchObject({ state: 'failed', reason: `deployment ${OURS} FAILED: tasks failed to start` });
    });

    it('follows a newer PRIMARY deployment that superseded ours', () => {
        const newer = deployment({ id: 'ecs-svc/300', createdAt: T0 + 60_000 });
        const assessment = assessService(tracked, service([newer, deployment({ status: 'ACTIVE' })]));
        expect(assessment).toMatchObject({ state: 'in-progress', followedDeploymentId: 'ecs-svc/300', deploymentId: 'ecs-svc/300' });
        expect(assessment.note).toContain('superseded by ecs-svc/300');
    });

    it('judges a followed deployment on its own outcome', () => {
        const followed = { ...tracked, followedDeploymentId: 'ecs-svc/300' };
        const view = service([deployment({ id: 'ecs-svc/300', createdAt: T0 + 60_000, rolloutState: 'COMPLETED' })]);
        expect(assessService(followed, view)).toMatchObject({ state: 'completed', deploymentId: 'ecs-svc/300' });
    });

    it('treats a newer PRIMARY after circuit-breaker events as a rollback, not a supersession', () => {
        const rollback = deployment({ id: 'ecs-svc/301', createdAt: T0 + 90_000, rolloutState: 'IN_PROGRESS' });
        const view = service([rollback], {
            events: [{ createdAt: T0 + 80_000, message: '(service web) rolling back to deployment ecs-svc/100.' }],
        });
        expect(assessService(tracked, view)).toMatchObject({ state: 'failed', reason: expect.stringContaining('was rolled back') });
    });

    it('fails when our deployment vanished and nothing newer replaced it', () => {
        expect(assessService(tracked, service([OLD]))).toMatchObject({ state: 'failed', reason: expect.stringContaining('is gone') });
    });
});

describe('assessService from the service-deployments API', () => {
    const view = service([deployment(), OLD]);
    const drained = service([deployment({ runningCount: 3, pendingCount: 0 })]);
    // Only SUCCESSFUL completes, and only once no task of another revision runs; rollbacks and stops
    // fail once they are over and are reported as such while they last.
    it.each<[string, ServiceView, string]>([
        ['PENDING', view, 'in-progress'],
        ['IN_PROGRESS', view, 'in-progress'],
        ['SUCCESSFUL', drained, 'completed'],
        ['SUCCESSFUL', view, 'in-progress'],
        ['STOPPED', view, 'failed'],
        ['STOP_REQUESTED', view, 'in-progress'],
        ['ROLLBACK_REQUESTED', view, 'in-progress'],
        ['ROLLBACK_IN_PROGRESS', view, 'in-progress'],
        ['ROLLBACK_SUCCESSFUL', view, 'failed'],
        ['ROLLBACK_FAILED', view, 'failed'],
    ])('%s with %#', (status, observed, expected) => {
        expect(assessService(tracked, observed, evidence(sd(status))).state).toBe(expected);
    });

    it('says why a rolled-back deployment failed, with the circuit-breaker count', () => {
        const latest = sd('ROLLBACK_SUCCESSFUL', T0 + 100, {
            statusReason: 'tasks failed to start',
            rollbackReason: 'circuit breaker',
            circuitBreakerFailures: 4,
        });
        expect(assessService(tracked, view, evidence(latest))).toMatchObject({
            state: 'failed',
            reason: `service deployment ${latest.arn} is ROLLBACK_SUCCESSFUL after 4 failed tasks: tasks failed to start; circuit breaker`,
        });
    });

    it('follows the newest service deployment when a newer one superseded ours', () => {
        const ours = sd('STOPPED', T0 + 100);
        const newer = sd('IN_PROGRESS', T0 + 120_000);
        const primary = deployment({ id: 'ecs-svc/300', createdAt: T0 + 120_000 });
        const assessment = assessService(tracked, service([primary, deployment({ status: 'ACTIVE' })]), evidence(newer, ours));
        expect(assessment).toMatchObject({ state: 'in-progress', followedDeploymentId: 'ecs-svc/300' });
        expect(assessment.note).toContain('superseded by ecs-svc/300');
    });

    it('keeps waiting on a status it does not know, saying so', () => {
        expect(assessService(tracked, view, evidence(sd('SOMETHING_NEW')))).toMatchObject({
            state: 'in-progress',
            detail: expect.stringContaining('still waiting'),
        });
    });
});

describe('correlateServiceDeployments', () => {
    it('matches ours by time and reports the newest', () => {
        const summaries = [
            { arn: 'old', status: 'SUCCESSFUL', createdAt: T0 - 3_600_000 },
            { arn: 'ours', status: 'STOPPED', createdAt: T0 + 200 },
            { arn: 'newer', status: 'IN_PROGRESS', createdAt: T0 + 300_000 },
        ];
        expect(correlateServiceDeployments(tracked, summaries)).toEqual({ ours: summaries[1], latest: summaries[2] });
    });

    it('finds nothing while ECS has not listed the new service deployment yet', () => {
        expect(correlateServiceDeployments(tracked, [{ arn: 'old', status: 'SUCCESSFUL', createdAt: T0 - 3_600_000 }])).toEqual({});
    });
});

describe('decideWave', () => {
    function progress(overrides: Partial<RestartingOperation> = {}): RestartingOperation {
        return {
            stage: 'restarting',
            id: 'id',
            action: 'CREATE',
            tokenDigest: 't',
            startedAt: T0,
            deadline: T0 + 60 * 60_000,
            timeoutInMinutes: 60,
            waitForSteadyState: true,
            wave: 0,
            waveCount: 2,
            waveStartedAt: T0,
            services: [
                { ...tracked, name: 'web' },
                { ...tracked, name: 'api', deploymentId: 'ecs-svc/201' },
                { input: 'worker', name: 'worker', arn: 'arn:worker', wave: 1 },
            ],
            serviceDeploymentsApi: 'available',
            polls: 0,
            transientFailures: 2,
            notes: [],
            ...overrides,
        };
    }
    const counts = { desired: 3, running: 1, pending: 2, failedTasks: 0 };
    const running: ServiceAssessment = { state: 'in-progress', deploymentId: OURS, detail: 'IN_PROGRESS', counts };
    const done: ServiceAssessment = { state: 'completed', deploymentId: OURS };
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
            (decideWave(progress({ polls: 9 }), observed(entries), now) as { delaySeconds: number }).delaySeconds;

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
        const failed: ServiceAssessment = { state: 'failed', deploymentId: OURS, reason: 'x' };
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
