/** Tables over the pure decisions for each deployment strategy: no ECS, no clock. */
import {
    configuredBakeMinutes,
    describeDeploymentPlan,
    describeStage,
    linearStepCount,
    stageBakeMinutes,
    strategyOf,
    timeoutRefusal,
    trafficStep,
    traitsOf,
} from '../../../../src/restart/judging/strategies';
import type { DeploymentSettingsView, ServiceDeploymentView } from '../../../../src/restart/views';
import { revisionArn, serviceDeploymentView as sd } from '../../../support/restart-fixtures';

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
        arn: revisionArn('200'),
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

describe('stageBakeMinutes', () => {
    it.each<[string, ServiceDeploymentView, number | undefined]>([
        ['no long stage', sd({ lifecycleStage: 'SCALE_UP' }), undefined],
        [
            'the deployment bake time',
            sd({ lifecycleStage: 'BAKE_TIME', deploymentConfiguration: { strategy: 'BLUE_GREEN', bakeTimeInMinutes: 60 } }),
            60,
        ],
        [
            'a canary step bake, ECS default',
            sd({ lifecycleStage: 'PRODUCTION_TRAFFIC_SHIFT', deploymentConfiguration: { strategy: 'CANARY' } }),
            10,
        ],
        ['no bake configured', sd({ lifecycleStage: 'BAKE_TIME' }), undefined],
        [
            'a linear step bake',
            sd({
                lifecycleStage: 'PRODUCTION_TRAFFIC_SHIFT',
                deploymentConfiguration: { strategy: 'LINEAR', linear: { stepBakeTimeInMinutes: 8 } },
            }),
            8,
        ],
    ])('%s', (_label, deploymentView, expected) => {
        expect(stageBakeMinutes(deploymentView)).toBe(expected);
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
