/** The judge of one service over a table of observed states: no I/O, no clock. */
import {
    ServiceDeploymentEvidence,
    assessService,
    correlateServiceDeployments,
    deploysRevisionOf,
    oldTasksStillRunning,
    refusalOf,
    serviceDeploymentReasons,
} from '../../../../src/restart/judging/assess';
import type { DeploymentView, ServiceDeploymentView, ServiceView } from '../../../../src/restart/views';
import {
    OURS,
    T0,
    deploymentView,
    revisionArn,
    serviceDeploymentView,
    serviceView,
    trackedService,
} from '../../../support/restart-fixtures';

/** Our deployment half-way: one of three new tasks running, two pending. */
function deployment(overrides: Partial<DeploymentView> = {}): DeploymentView {
    return deploymentView({ rolloutState: 'IN_PROGRESS', desiredCount: 3, runningCount: 1, pendingCount: 2, ...overrides });
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
    return serviceView({
        arn: 'arn:aws:ecs:us-east-1:123456789012:service/prod/web',
        desiredCount: 3,
        runningCount: 4,
        pendingCount: 2,
        deployments,
        ...overrides,
    });
}

const tracked = trackedService();

function sd(status: string, createdAt = T0 + 100, extra: Partial<ServiceDeploymentView> = {}): ServiceDeploymentView {
    return { arn: `arn:sd/${createdAt}`, status, createdAt, ...extra };
}

function evidence(latest: ServiceDeploymentView, ours: ServiceDeploymentView = latest): ServiceDeploymentEvidence {
    return { ours, latest };
}

/** The judgement at T0 + 90 s unless the case gives its own time. */
const assessAt = (
    service: Parameters<typeof assessService>[0],
    view: Parameters<typeof assessService>[1],
    evidence?: Parameters<typeof assessService>[2],
    options: Partial<Parameters<typeof assessService>[3]> = {},
) => assessService(service, view, evidence, { now: T0 + 90_000, ...options });

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
        expect(assessAt(tracked, view).kind).toMatch(expected);
    });

    it('reports the counts of the deployment it waits for', () => {
        const assessment = assessAt(tracked, service([deployment(), OLD]));
        expect(assessment).toMatchObject({
            kind: 'in-progress',
            counts: { desired: 3, running: 1, pending: 2, failedTasks: 0 },
            detail: 'IN_PROGRESS',
        });
    });

    it('gives the ECS reason of a failed rollout', () => {
        const assessment = assessAt(
            tracked,
            service([deployment({ rolloutState: 'FAILED', rolloutStateReason: 'tasks failed to start' })]),
        );
        expect(assessment).toMatchObject({ kind: 'failed', reason: `deployment ${OURS} FAILED: tasks failed to start` });
    });

    it('follows a newer PRIMARY deployment that superseded ours', () => {
        const newer = deployment({ id: 'ecs-svc/300', createdAt: T0 + 60_000 });
        const assessment = assessAt(tracked, service([newer, deployment({ status: 'ACTIVE' })]));
        expect(assessment).toMatchObject({ kind: 'in-progress', followedDeploymentId: 'ecs-svc/300', deploymentId: 'ecs-svc/300' });
        expect(assessment.note).toContain('superseded by ecs-svc/300');
    });

    it('judges a followed deployment on its own outcome', () => {
        const followed = { ...tracked, followedDeploymentId: 'ecs-svc/300' };
        const view = service([deployment({ id: 'ecs-svc/300', createdAt: T0 + 60_000, rolloutState: 'COMPLETED' })]);
        expect(assessAt(followed, view)).toMatchObject({ kind: 'completed', deploymentId: 'ecs-svc/300' });
    });

    it('treats a newer PRIMARY after circuit-breaker events as a rollback, not a supersession', () => {
        const rollback = deployment({ id: 'ecs-svc/301', createdAt: T0 + 90_000, rolloutState: 'IN_PROGRESS' });
        const view = service([rollback], {
            events: [{ createdAt: T0 + 80_000, message: '(service web) rolling back to deployment ecs-svc/100.' }],
        });
        expect(assessAt(tracked, view)).toMatchObject({ kind: 'failed', reason: expect.stringContaining('was rolled back') });
    });

    it('fails when our deployment vanished and nothing newer replaced it', () => {
        expect(assessAt(tracked, service([OLD]))).toMatchObject({ kind: 'failed', reason: expect.stringContaining('is gone') });
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
        expect(assessAt(tracked, observed, evidence(sd(status))).kind).toBe(expected);
    });

    it('says why a rolled-back deployment failed, with the circuit-breaker count', () => {
        const latest = sd('ROLLBACK_SUCCESSFUL', T0 + 100, {
            statusReason: 'tasks failed to start',
            rollbackReason: 'circuit breaker',
            circuitBreakerFailures: 4,
        });
        expect(assessAt(tracked, view, evidence(latest))).toMatchObject({
            kind: 'failed',
            reason: `service deployment ${latest.arn} is ROLLBACK_SUCCESSFUL after 4 failed tasks: tasks failed to start; circuit breaker`,
        });
    });

    it('follows the newest service deployment when a newer one superseded ours', () => {
        const ours = sd('STOPPED', T0 + 100);
        const newer = sd('IN_PROGRESS', T0 + 120_000);
        const primary = deployment({ id: 'ecs-svc/300', createdAt: T0 + 120_000 });
        const assessment = assessAt(tracked, service([primary, deployment({ status: 'ACTIVE' })]), evidence(newer, ours));
        expect(assessment).toMatchObject({ kind: 'in-progress', followedDeploymentId: 'ecs-svc/300' });
        expect(assessment.note).toContain('superseded by ecs-svc/300');
    });

    it('keeps waiting on a status it does not know, saying so', () => {
        expect(assessAt(tracked, view, evidence(sd('SOMETHING_NEW')))).toMatchObject({
            kind: 'in-progress',
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

describe('correlation by service revision', () => {
    it('ties a deployment id to the service revision with its number', () => {
        expect(deploysRevisionOf('ecs-svc/7402948516209758523', revisionArn('7402948516209758523'))).toBe(true);
        expect(deploysRevisionOf('ecs-svc/740294851620975852', revisionArn('7402948516209758523'))).toBe(false);
        expect(deploysRevisionOf(undefined, revisionArn('1'))).toBe(false);
    });

    it('finds ours by revision even when another service deployment is closer in time', () => {
        const summaries = [
            { arn: 'arn:sd/other', status: 'STOPPED', createdAt: T0, targetRevisionArn: revisionArn('199') },
            { arn: 'arn:sd/ours', status: 'IN_PROGRESS', createdAt: T0 + 20_000, targetRevisionArn: revisionArn('200') },
        ];
        expect(correlateServiceDeployments(tracked, summaries)).toEqual({ ours: summaries[1], latest: summaries[1] });
    });

    it('uses no time window when ECS names revisions but not ours yet', () => {
        const summaries = [{ arn: 'arn:sd/other', status: 'STOPPED', createdAt: T0 - 1_000, targetRevisionArn: revisionArn('199') }];
        expect(correlateServiceDeployments(tracked, summaries)).toEqual({});
    });

    it('keeps the service deployment found on an earlier look', () => {
        const summaries = [{ arn: 'arn:sd/ours', status: 'IN_PROGRESS', createdAt: T0 + 500 }];
        expect(correlateServiceDeployments({ ...tracked, serviceDeploymentArn: 'arn:sd/ours' }, summaries).ours).toBe(summaries[0]);
    });
});

describe('assessService for BLUE_GREEN, LINEAR and CANARY', () => {
    const blueGreen = serviceView({ deploymentConfiguration: { strategy: 'BLUE_GREEN', bakeTimeInMinutes: 5 } });

    it('fails, naming the permissions, when the service-deployments API is unavailable', () => {
        const assessment = assessAt(tracked, blueGreen, undefined, { serviceDeploymentsUnavailable: 'AccessDeniedException' });
        expect(assessment).toMatchObject({ kind: 'failed', reason: expect.stringContaining('grant ecs:ListServiceDeployments') });
    });

    it('waits, without judging from DescribeServices, while ECS has not listed the service deployment', () => {
        expect(assessAt(tracked, blueGreen)).toMatchObject({
            kind: 'in-progress',
            detail: 'BLUE_GREEN deployment not yet listed by ecs:ListServiceDeployments',
        });
    });

    it('never follows a newer deployment once its own rolled back', () => {
        const ours = serviceDeploymentView({ status: 'ROLLBACK_SUCCESSFUL', statusReason: 'hook failed' });
        const newer = serviceDeploymentView({
            arn: 'arn:sd/newer',
            status: 'SUCCESSFUL',
            createdAt: T0 + 60_000,
            targetRevisionArn: revisionArn('100'),
        });
        const assessment = assessAt(tracked, blueGreen, { ours, latest: newer });
        expect(assessment).toMatchObject({ kind: 'failed', reason: 'service deployment arn:sd/ours is ROLLBACK_SUCCESSFUL: hook failed' });
    });

    it('keeps "since" of a pause hook it has seen waiting before, and takes now for a new one', () => {
        const waiting = serviceDeploymentView({ hooks: [{ hookId: 'h1', targetType: 'PAUSE', status: 'AWAITING_ACTION' }] });
        const seen = { ...tracked, awaitingApproval: { hookId: 'h1', since: T0 + 5_000 } };
        expect(assessAt(seen, blueGreen, { ours: waiting, latest: waiting }, { now: T0 + 90_000 })).toMatchObject({
            awaitingApproval: { hookId: 'h1', since: T0 + 5_000 },
        });
        expect(assessAt(tracked, blueGreen, { ours: waiting, latest: waiting }, { now: T0 + 90_000 })).toMatchObject({
            awaitingApproval: { hookId: 'h1', since: T0 + 90_000 },
        });
    });
});

describe('oldTasksStillRunning', () => {
    it('counts the other revisions where ECS lists revisions, else the other deployments', () => {
        const view = serviceView({
            deployments: [deploymentView(), deploymentView({ id: 'ecs-svc/100', status: 'ACTIVE', runningCount: 1, pendingCount: 1 })],
        });
        expect(oldTasksStillRunning(view, 'ecs-svc/200')).toBe(2);
        const withRevisions = {
            ...view,
            revisions: [
                { arn: revisionArn('200'), requested: 2, running: 2, pending: 0 },
                { arn: revisionArn('100'), requested: 0, running: 0, pending: 0 },
            ],
        };
        expect(oldTasksStillRunning(withRevisions, 'ecs-svc/200')).toBe(0);
    });
});

describe('serviceDeploymentReasons', () => {
    it('says everything ECS said, without repeating the status reason', () => {
        expect(
            serviceDeploymentReasons(
                serviceDeploymentView({
                    statusReason: 'rolled back',
                    rollbackReason: 'rolled back',
                    circuitBreakerStatus: 'TRIGGERED',
                    circuitBreakerThreshold: 5,
                    triggeredAlarms: ['a', 'b'],
                    hooks: [
                        {
                            hookId: 'h1',
                            targetType: 'AWS_LAMBDA',
                            targetArn: 'arn:aws:lambda:us-east-1:1:function:check',
                            status: 'FAILED',
                        },
                        { hookId: 'h2', targetType: 'PAUSE', status: 'SUCCEEDED' },
                    ],
                }),
            ),
        ).toEqual([
            'rolled back',
            'deployment circuit breaker triggered (threshold 5)',
            'CloudWatch alarms in ALARM: a, b',
            'lifecycle hook h1 (AWS_LAMBDA check) FAILED',
        ]);
    });
});

describe('refusalOf with the strategy checks', () => {
    const blueGreen = serviceView({ deploymentConfiguration: { strategy: 'BLUE_GREEN', bakeTimeInMinutes: 30 } });
    it.each<[string, ServiceView, Parameters<typeof refusalOf>[3], RegExp | undefined]>([
        ['blue/green, API available, timeout long enough', blueGreen, { timeoutInMinutes: 60 }, undefined],
        [
            'blue/green, API denied',
            blueGreen,
            { timeoutInMinutes: 60, serviceDeploymentsUnavailable: 'AccessDenied' },
            /deploys BLUE_GREEN.*unavailable \(AccessDenied\)/,
        ],
        ['blue/green, timeout too short', blueGreen, { timeoutInMinutes: 20 }, /bake times alone take 30 minutes/],
        [
            'rolling, API denied: the DescribeServices fallback remains',
            serviceView(),
            { serviceDeploymentsUnavailable: 'AccessDenied' },
            undefined,
        ],
    ])('%s', (_label, view, checks, expected) => {
        const refusal = refusalOf({ name: 'web', input: 'web' }, view, 'prod', checks);
        if (expected) expect(refusal).toMatch(expected);
        else expect(refusal).toBeUndefined();
    });
});
