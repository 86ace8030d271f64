/** Tables over the pure decisions for each deployment strategy: no ECS, no clock. */
import {
    assessService,
    correlateServiceDeployments,
    deploysRevisionOf,
    oldTasksStillRunning,
    refusalOf,
    serviceDeploymentReasons,
} from '../../../../src/restart/judging/assess';
import { waveDelaySeconds } from '../../../../src/restart/judging/decide';
import type { RestartingOperation, TrackedService } from '../../../../src/restart/operation/progress';
import {
    configuredBakeMinutes,
    describeDeploymentPlan,
    describeStage,
    linearStepCount,
    stagePollSeconds,
    strategyOf,
    timeoutRefusal,
    trafficStep,
    traitsOf,
} from '../../../../src/restart/judging/strategies';
import type { DeploymentSettingsView, DeploymentView, ServiceDeploymentView, ServiceView } from '../../../../src/restart/views';

const T0 = Date.UTC(2026, 10, 26, 12, 0, 0);
const REVISION = (id: string) => `arn:aws:ecs:us-east-1:123456789012:service-revision/prod/web/${id}`;
const tracked: TrackedService = { input: 'web', name: 'web', arn: 'arn:web', wave: 0, deploymentId: 'ecs-svc/200', startedAt: T0 };

function deployment(id: string, overrides: Partial<DeploymentView> = {}): DeploymentView {
    return { id, status: 'PRIMARY', createdAt: T0, desiredCount: 2, runningCount: 2, pendingCount: 0, failedTasks: 0, ...overrides };
}

function service(deploymentConfiguration: DeploymentSettingsView | undefined, deployments = [deployment('ecs-svc/200')]): ServiceView {
    return {
        arn: 'arn:web',
        name: 'web',
        status: 'ACTIVE',
        deploymentController: 'ECS',
        deploymentConfiguration,
        desiredCount: 2,
        runningCount: 2,
        pendingCount: 0,
        deployments,
        events: [],
    };
}

function sd(overrides: Partial<ServiceDeploymentView> = {}): ServiceDeploymentView {
    return { arn: 'arn:sd/ours', status: 'IN_PROGRESS', createdAt: T0 + 100, targetRevisionArn: REVISION('200'), ...overrides };
}

describe('strategyOf and configuredBakeMinutes', () => {
    it.each<[string, DeploymentSettingsView | undefined, string, number]>([
        ['no configuration', undefined, 'ROLLING', 0],
        ['no strategy (services from before strategies)', { minimumHealthyPercent: 100 }, 'ROLLING', 0],
        ['rolling with bake time', { strategy: 'ROLLING', bakeTimeInMinutes: 3 }, 'ROLLING', 3],
        ['blue/green', { strategy: 'BLUE_GREEN', bakeTimeInMinutes: 60 }, 'BLUE_GREEN', 60],
        [
            'linear 20 % steps of 2 minutes',
            { strategy: 'LINEAR', bakeTimeInMinutes: 5, linear: { stepPercent: 20, stepBakeTimeInMinutes: 2 } },
            'LINEAR',
            13,
        ],
        ['linear with ECS defaults (10 %, 6 minutes)', { strategy: 'LINEAR' }, 'LINEAR', 54],
        ['linear 33.3 % steps', { strategy: 'LINEAR', linear: { stepPercent: 33.3, stepBakeTimeInMinutes: 1 } }, 'LINEAR', 3],
        ['canary', { strategy: 'CANARY', bakeTimeInMinutes: 10, canary: { canaryPercent: 5, canaryBakeTimeInMinutes: 20 } }, 'CANARY', 30],
        ['canary with ECS defaults (10 minutes)', { strategy: 'CANARY' }, 'CANARY', 10],
        ['an unknown strategy deploys as rolling', { strategy: 'SOMETHING_NEW' }, 'ROLLING', 0],
    ])('%s', (_label, settings, strategy, minutes) => {
        expect(strategyOf(settings)).toBe(strategy);
        expect(configuredBakeMinutes(settings).minutes).toBe(minutes);
    });

    it.each([
        [20, 5],
        [10, 10],
        [33.3, 4],
        [3, 34],
        [100, 1],
    ])('a LINEAR step of %p %% takes %p shifts', (stepPercent, steps) => {
        expect(linearStepCount(stepPercent)).toBe(steps);
    });
});

describe('timeoutRefusal', () => {
    it.each<[string, DeploymentSettingsView | undefined, number, boolean]>([
        ['rolling without bake time', undefined, 1, false],
        ['blue/green, timeout longer than the bake', { strategy: 'BLUE_GREEN', bakeTimeInMinutes: 60 }, 61, false],
        ['blue/green, timeout equal to the bake', { strategy: 'BLUE_GREEN', bakeTimeInMinutes: 60 }, 60, true],
        ['blue/green, timeout shorter than the bake', { strategy: 'BLUE_GREEN', bakeTimeInMinutes: 60 }, 59, true],
        ['canary, shorter than canary bake plus bake', { strategy: 'CANARY', bakeTimeInMinutes: 10 }, 15, true],
    ])('%s', (_label, settings, timeout, refused) => {
        expect(timeoutRefusal('web', settings, timeout) !== undefined).toBe(refused);
    });
});

describe('describeStage and trafficStep', () => {
    const linear: DeploymentSettingsView = { strategy: 'LINEAR', linear: { stepPercent: 20 } };
    const canary: DeploymentSettingsView = { strategy: 'CANARY', canary: { canaryPercent: 5 } };
    const weight = (production: number) => ({
        arn: REVISION('200'),
        requested: 2,
        running: 2,
        pending: 0,
        productionTrafficWeight: production,
    });
    it.each<[string, ServiceDeploymentView, string | undefined]>([
        ['no stage', sd(), undefined],
        ['scale-up', sd({ lifecycleStage: 'SCALE_UP' }), 'scaling up the new revision'],
        [
            'linear step 3 of 5',
            sd({ lifecycleStage: 'PRODUCTION_TRAFFIC_SHIFT', deploymentConfiguration: linear, targetRevision: weight(60) }),
            'production traffic shift 3 of 5, 60 %',
        ],
        [
            'linear before the first shift',
            sd({ lifecycleStage: 'PRODUCTION_TRAFFIC_SHIFT', deploymentConfiguration: linear, targetRevision: weight(0) }),
            'production traffic shift 1 of 5, 0 %',
        ],
        [
            'canary step',
            sd({ lifecycleStage: 'PRODUCTION_TRAFFIC_SHIFT', deploymentConfiguration: canary, targetRevision: weight(5) }),
            'production traffic shift 1 of 2, 5 %',
        ],
        [
            'canary final shift',
            sd({ lifecycleStage: 'PRODUCTION_TRAFFIC_SHIFT', deploymentConfiguration: canary, targetRevision: weight(100) }),
            'production traffic shift 2 of 2, 100 %',
        ],
        [
            'blue/green shift',
            sd({ lifecycleStage: 'PRODUCTION_TRAFFIC_SHIFT', targetRevision: weight(100) }),
            'production traffic shift, 100 %',
        ],
        [
            'bake time',
            sd({ lifecycleStage: 'BAKE_TIME', deploymentConfiguration: { strategy: 'BLUE_GREEN', bakeTimeInMinutes: 1 } }),
            'bake time (1 minute)',
        ],
        ['a stage this type does not know', sd({ lifecycleStage: 'NEW_STAGE' }), 'NEW_STAGE'],
    ])('%s', (_label, deploymentView, expected) => {
        expect(describeStage(deploymentView)).toBe(expected);
    });

    it('uses the service configuration when the service deployment carries none', () => {
        expect(trafficStep('LINEAR', undefined, 25)).toEqual({ step: 3, of: 10 });
        expect(
            describeStage(sd({ lifecycleStage: 'PRODUCTION_TRAFFIC_SHIFT', targetRevision: weight(40) }), {
                strategy: 'LINEAR',
                linear: { stepPercent: 20 },
            }),
        ).toBe('production traffic shift 2 of 5, 40 %');
    });
});

describe('stagePollSeconds and waveDelaySeconds', () => {
    it.each<[string, ServiceDeploymentView, number | undefined]>([
        ['no long stage', sd({ lifecycleStage: 'SCALE_UP' }), undefined],
        [
            'a 60-minute bake: five minutes',
            sd({ lifecycleStage: 'BAKE_TIME', deploymentConfiguration: { strategy: 'BLUE_GREEN', bakeTimeInMinutes: 60 } }),
            300,
        ],
        [
            'a 10-minute bake: a quarter of it',
            sd({ lifecycleStage: 'BAKE_TIME', deploymentConfiguration: { strategy: 'BLUE_GREEN', bakeTimeInMinutes: 10 } }),
            150,
        ],
        [
            'a 1-minute bake: at least a minute',
            sd({ lifecycleStage: 'BAKE_TIME', deploymentConfiguration: { strategy: 'BLUE_GREEN', bakeTimeInMinutes: 1 } }),
            60,
        ],
        ['no bake configured', sd({ lifecycleStage: 'BAKE_TIME' }), undefined],
        [
            'a linear step bake',
            sd({
                lifecycleStage: 'PRODUCTION_TRAFFIC_SHIFT',
                deploymentConfiguration: { strategy: 'LINEAR', linear: { stepBakeTimeInMinutes: 8 } },
            }),
            120,
        ],
    ])('%s', (_label, deploymentView, expected) => {
        expect(stagePollSeconds(deploymentView)).toBe(expected);
    });

    const progress = (polls: number): RestartingOperation => ({
        stage: 'restarting',
        id: 'id',
        action: 'CREATE',
        tokenDigest: 't',
        startedAt: T0,
        deadline: T0 + 120 * 60_000,
        timeoutInMinutes: 120,
        transientFailures: 0,
        waitForSteadyState: true,
        wave: 0,
        waveCount: 1,
        waveStartedAt: T0,
        services: [tracked],
        serviceDeploymentsApi: 'available',
        polls,
        notes: [],
    });
    it.each<[string, number[], number, number]>([
        ['the service that may change soonest decides', [300, 15], T0, 15],
        ['the soonest long stage when all are in one', [300, 120], T0, 120],
        ['never past the deadline', [300], T0 + 120 * 60_000 - 40_000, 40],
        ['never shorter than the minimum', [1], T0, 5],
    ])('%s', (_label, nextLooks, now, expected) => {
        expect(waveDelaySeconds(progress(2), nextLooks, now)).toBe(expected);
    });
});

describe('correlation by service revision', () => {
    it('ties a deployment id to the service revision with its number', () => {
        expect(deploysRevisionOf('ecs-svc/7402948516209758523', REVISION('7402948516209758523'))).toBe(true);
        expect(deploysRevisionOf('ecs-svc/740294851620975852', REVISION('7402948516209758523'))).toBe(false);
        expect(deploysRevisionOf(undefined, REVISION('1'))).toBe(false);
    });

    it('finds ours by revision even when another service deployment is closer in time', () => {
        const summaries = [
            { arn: 'arn:sd/other', status: 'STOPPED', createdAt: T0, targetRevisionArn: REVISION('199') },
            { arn: 'arn:sd/ours', status: 'IN_PROGRESS', createdAt: T0 + 20_000, targetRevisionArn: REVISION('200') },
        ];
        expect(correlateServiceDeployments(tracked, summaries)).toEqual({ ours: summaries[1], latest: summaries[1] });
    });

    it('uses no time window when ECS names revisions but not ours yet', () => {
        const summaries = [{ arn: 'arn:sd/other', status: 'STOPPED', createdAt: T0 - 1_000, targetRevisionArn: REVISION('199') }];
        expect(correlateServiceDeployments(tracked, summaries)).toEqual({});
    });

    it('keeps the service deployment found on an earlier look', () => {
        const summaries = [{ arn: 'arn:sd/ours', status: 'IN_PROGRESS', createdAt: T0 + 500 }];
        expect(correlateServiceDeployments({ ...tracked, serviceDeploymentArn: 'arn:sd/ours' }, summaries).ours).toBe(summaries[0]);
    });
});

describe('assessService for BLUE_GREEN, LINEAR and CANARY', () => {
    const blueGreen = service({ strategy: 'BLUE_GREEN', bakeTimeInMinutes: 5 });

    it('fails, naming the permissions, when the service-deployments API is unavailable', () => {
        const assessment = assessService(tracked, blueGreen, undefined, { serviceDeploymentsUnavailable: 'AccessDeniedException' });
        expect(assessment).toMatchObject({ state: 'failed', reason: expect.stringContaining('grant ecs:ListServiceDeployments') });
    });

    it('waits, without judging from DescribeServices, while ECS has not listed the service deployment', () => {
        expect(assessService(tracked, blueGreen)).toMatchObject({
            state: 'in-progress',
            detail: 'BLUE_GREEN deployment not yet listed by ecs:ListServiceDeployments',
        });
    });

    it('never follows a newer deployment once its own rolled back', () => {
        const ours = sd({ status: 'ROLLBACK_SUCCESSFUL', statusReason: 'hook failed' });
        const newer = sd({ arn: 'arn:sd/newer', status: 'SUCCESSFUL', createdAt: T0 + 60_000, targetRevisionArn: REVISION('100') });
        const assessment = assessService(tracked, blueGreen, { ours, latest: newer });
        expect(assessment).toMatchObject({ state: 'failed', reason: 'service deployment arn:sd/ours is ROLLBACK_SUCCESSFUL: hook failed' });
    });

    it('keeps "since" of a pause hook it has seen waiting before, and takes now for a new one', () => {
        const waiting = sd({ hooks: [{ hookId: 'h1', targetType: 'PAUSE', status: 'AWAITING_ACTION' }] });
        const seen = { ...tracked, awaitingApproval: { hookId: 'h1', since: T0 + 5_000 } };
        expect(assessService(seen, blueGreen, { ours: waiting, latest: waiting }, { now: T0 + 90_000 })).toMatchObject({
            awaitingApproval: { hookId: 'h1', since: T0 + 5_000 },
            pollSeconds: 120,
        });
        expect(assessService(tracked, blueGreen, { ours: waiting, latest: waiting }, { now: T0 + 90_000 })).toMatchObject({
            awaitingApproval: { hookId: 'h1', since: T0 + 90_000 },
        });
    });
});

describe('oldTasksStillRunning', () => {
    it('counts the other revisions where ECS lists revisions, else the other deployments', () => {
        const view = service(undefined, [
            deployment('ecs-svc/200'),
            deployment('ecs-svc/100', { status: 'ACTIVE', runningCount: 1, pendingCount: 1 }),
        ]);
        expect(oldTasksStillRunning(view, 'ecs-svc/200')).toBe(2);
        const withRevisions = {
            ...view,
            revisions: [
                { arn: REVISION('200'), requested: 2, running: 2, pending: 0 },
                { arn: REVISION('100'), requested: 0, running: 0, pending: 0 },
            ],
        };
        expect(oldTasksStillRunning(withRevisions, 'ecs-svc/200')).toBe(0);
    });
});

describe('serviceDeploymentReasons', () => {
    it('says everything ECS said, without repeating the status reason', () => {
        expect(
            serviceDeploymentReasons(
                sd({
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
    const blueGreen = service({ strategy: 'BLUE_GREEN', bakeTimeInMinutes: 30 });
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
            service(undefined),
            { serviceDeploymentsUnavailable: 'AccessDenied' },
            undefined,
        ],
    ])('%s', (_label, view, checks, expected) => {
        const refusal = refusalOf({ name: 'web', input: 'web' }, view, 'prod', checks);
        if (expected) expect(refusal).toMatch(expected);
        else expect(refusal).toBeUndefined();
    });
});

describe('describeDeploymentPlan', () => {
    it.each<[string, Parameters<typeof traitsOf>[0], string[]]>([
        ['plain rolling', { desiredCount: 2, deploymentConfiguration: { minimumHealthyPercent: 100 } }, []],
        [
            'rolling with minimumHealthyPercent 0',
            { desiredCount: 1, deploymentConfiguration: { minimumHealthyPercent: 0 } },
            [
                "Downtime possible: web's deployment configuration (minimumHealthyPercent 0) lets ECS stop all 1 task at once, before the new ones run.",
            ],
        ],
        [
            'blue/green ignores minimumHealthyPercent 0',
            { desiredCount: 2, deploymentConfiguration: { strategy: 'BLUE_GREEN', minimumHealthyPercent: 0 } },
            ['web deploys BLUE_GREEN: no bake time.'],
        ],
        [
            'rolling with a pause hook',
            { desiredCount: 2, deploymentConfiguration: { lifecycleHooks: [{ targetType: 'PAUSE', stages: ['POST_SCALE_UP'] }] } },
            ['web has 1 pause hook waiting for approval (ecs:ContinueServiceDeployment).'],
        ],
        [
            'DAEMON keeping tasks',
            { desiredCount: 3, schedulingStrategy: 'DAEMON', deploymentConfiguration: { minimumHealthyPercent: 50 } },
            ['web is a DAEMON service: ECS replaces its task on each container instance.'],
        ],
    ])('%s', (_label, observed, expected) => {
        expect(describeDeploymentPlan('web', traitsOf(observed))).toEqual(expected);
    });
});
