/**
 * Every ECS deployment kind, end to end through the library's entrypoint: the scripted ECS double
 * moves each service deployment through its lifecycle stages, traffic shifts, hooks and statuses
 * between invocations, and the simulated clock moves by each callbackDelaySeconds the handler asks for.
 */
import type { DeploymentConfiguration } from '@aws-sdk/client-ecs';
import { cfnEvent } from '../support/cfn-event';
import { HandlerResponse, useScriptedAws, driveHandler, invokeHandler } from '../support/handler-harness';
import { InMemorySsm } from '../support/in-memory-ssm';
import { ScriptedEcs } from '../support/scripted-ecs';

type Response = HandlerResponse;

let ecs: ScriptedEcs;
let ssm: InMemorySsm;
const clock = useScriptedAws((aws) => ({ ecs, ssm } = aws));

const invoke = invokeHandler;

/**
 * Creates the resource, then for each step waits the delay the handler asked for (the simulated clock),
 * lets the step move ECS on, and invokes again, as CloudFormation would, through the project's one
 * driver. Stops at the first answer that is not IN_PROGRESS.
 */
async function run(properties: Record<string, unknown>, steps: Array<() => void>): Promise<Response[]> {
    const { rounds } = await driveHandler('CREATE', properties, (round) => steps[round - 1]?.(), { clock, maxRounds: steps.length });
    return rounds;
}

const props = (extra: Record<string, unknown> = {}) => ({ Cluster: 'prod', Services: ['web'], ...extra });
const messages = (responses: Response[]) => responses.map((response) => response.message);
const final = (responses: Response[]) => responses.at(-1) as Response;
const COUNTS = '2/2 running, 0 pending, 0 failed tasks';

function serviceWith(deploymentConfiguration: DeploymentConfiguration): void {
    ecs.addService('web', { deploymentConfiguration });
}

describe('BLUE_GREEN', () => {
    it('waits through scale-up, test traffic, production traffic, a 60-minute bake and clean-up, polling slowly while it bakes', async () => {
        serviceWith({ strategy: 'BLUE_GREEN', bakeTimeInMinutes: 60 });

        const responses = await run(props({ TimeoutInMinutes: 120 }), [
            () => ecs.stage('web', 'SCALE_UP'),
            () => ecs.stage('web', 'TEST_TRAFFIC_SHIFT', { test: 100 }),
            () => ecs.stage('web', 'POST_TEST_TRAFFIC_SHIFT'),
            () => ecs.stage('web', 'PRODUCTION_TRAFFIC_SHIFT', { production: 100 }),
            () => ecs.stage('web', 'BAKE_TIME'),
            () => undefined,
            () => ecs.stage('web', 'CLEAN_UP'),
            () => ecs.complete('web'),
        ]);

        expect(messages(responses)).toEqual([
            'Restarted web (ecs-svc/1002); waiting for the new tasks to become healthy. web deploys BLUE_GREEN: bake times of at least 60 minutes.',
            `Waiting for web (deployment ecs-svc/1002 IN_PROGRESS: scaling up the new revision, ${COUNTS}).`,
            `Waiting for web (deployment ecs-svc/1002 IN_PROGRESS: test traffic shift, 100 %, ${COUNTS}).`,
            `Waiting for web (deployment ecs-svc/1002 IN_PROGRESS: after the test traffic shift, ${COUNTS}).`,
            `Waiting for web (deployment ecs-svc/1002 IN_PROGRESS: production traffic shift, 100 %, ${COUNTS}).`,
            `Waiting for web (deployment ecs-svc/1002 IN_PROGRESS: bake time (60 minutes), ${COUNTS}).`,
            `Waiting for web (deployment ecs-svc/1002 IN_PROGRESS: bake time (60 minutes), ${COUNTS}).`,
            `Waiting for web (deployment ecs-svc/1002 IN_PROGRESS: cleaning up the old revision, ${COUNTS}).`,
            '',
        ]);
        expect(final(responses).status).toBe('SUCCESS');
        // A 60-minute bake is looked at every five minutes, not every few seconds.
        expect(responses.map((response) => response.callbackDelaySeconds)).toEqual([10, 20, 20, 20, 20, 300, 300, 20, 0]);
        expect(ecs.updateCalls('web')).toBe(1);
    });

    it('refuses, before any restart, a TimeoutInMinutes that the bake time alone exceeds', async () => {
        serviceWith({ strategy: 'BLUE_GREEN', bakeTimeInMinutes: 60 });
        const response = await invoke(cfnEvent('CREATE', props({ TimeoutInMinutes: 45 })));
        expect(response.errorCode).toBe('InvalidRequest');
        expect(response.message).toBe(
            "No service was restarted: service 'web' deploys BLUE_GREEN and its bake times alone take 60 minutes (bakeTimeInMinutes 60), " +
                'but TimeoutInMinutes is 45: set TimeoutInMinutes above 60, with room for scale-up, hooks and clean-up.',
        );
        expect(ecs.updateCalls('web')).toBe(0);
        expect(ssm.parameters.size).toBe(0);
    });

    it.each(['access-denied', 'unknown-operation', 'html-500'] as const)(
        'is refused before any restart when the service-deployments API is %s, naming the permissions',
        async (api) => {
            ecs.addService('api');
            serviceWith({ strategy: 'BLUE_GREEN', bakeTimeInMinutes: 5 });
            ecs.serviceDeploymentsApi = api;
            const response = await invoke(cfnEvent('CREATE', { Cluster: 'prod', Services: ['api', 'web'] }));
            expect(response.errorCode).toBe('InvalidRequest');
            expect(response.message).toMatch(
                /^No service was restarted: service 'web' deploys BLUE_GREEN, whose stages, hooks and rollbacks only the ECS service-deployments API reports, and that API is unavailable \(ecs:ListServiceDeployments on service \S+web: \w+/,
            );
            expect(response.message).toContain('grant ecs:ListServiceDeployments and ecs:DescribeServiceDeployments');
            expect(ecs.updateCalls('api') + ecs.updateCalls('web')).toBe(0);
        },
    );

    it('finds its service deployment by time only when ECS names no service revision', async () => {
        serviceWith({ strategy: 'BLUE_GREEN', bakeTimeInMinutes: 5 });
        ecs.listsTargetRevisions = false;
        const responses = await run(props(), [() => ecs.stage('web', 'SCALE_UP'), () => ecs.complete('web')]);
        expect(responses[1]?.message).toContain('IN_PROGRESS: scaling up the new revision');
        expect(final(responses).status).toBe('SUCCESS');
    });

    it('fails on CloudWatch alarms that rolled the deployment back, naming them', async () => {
        serviceWith({ strategy: 'BLUE_GREEN', bakeTimeInMinutes: 5 });
        const responses = await run(props(), [
            () => ecs.stage('web', 'BAKE_TIME'),
            () =>
                Object.assign(ecs.latestServiceDeployment('web'), {
                    status: 'ROLLBACK_SUCCESSFUL',
                    statusReason: 'Service deployment rolled back because a CloudWatch alarm went into ALARM.',
                    alarms: { status: 'TRIGGERED', alarmNames: ['web-5xx', 'web-latency'], triggeredAlarmNames: ['web-5xx'] },
                }),
        ]);
        expect(final(responses).errorCode).toBe('NotStabilized');
        expect(final(responses).message).toMatch(
            /^Service web did not stabilize: service deployment \S+ is ROLLBACK_SUCCESSFUL: Service deployment rolled back because a CloudWatch alarm went into ALARM; CloudWatch alarms in ALARM: web-5xx\./,
        );
    });
});

describe('LINEAR', () => {
    it('names each of 5 production traffic shifts, then the bake time', async () => {
        serviceWith({ strategy: 'LINEAR', linearConfiguration: { stepPercent: 20, stepBakeTimeInMinutes: 2 }, bakeTimeInMinutes: 5 });

        const responses = await run(props(), [
            () => ecs.stage('web', 'SCALE_UP'),
            ...[20, 40, 60, 80, 100].map((weight) => () => ecs.stage('web', 'PRODUCTION_TRAFFIC_SHIFT', { production: weight })),
            () => ecs.stage('web', 'BAKE_TIME'),
            () => ecs.complete('web'),
        ]);

        expect(messages(responses)).toEqual([
            'Restarted web (ecs-svc/1002); waiting for the new tasks to become healthy. web deploys LINEAR: bake times of at least 13 minutes.',
            `Waiting for web (deployment ecs-svc/1002 IN_PROGRESS: scaling up the new revision, ${COUNTS}).`,
            `Waiting for web (deployment ecs-svc/1002 IN_PROGRESS: production traffic shift 1 of 5, 20 %, ${COUNTS}).`,
            `Waiting for web (deployment ecs-svc/1002 IN_PROGRESS: production traffic shift 2 of 5, 40 %, ${COUNTS}).`,
            `Waiting for web (deployment ecs-svc/1002 IN_PROGRESS: production traffic shift 3 of 5, 60 %, ${COUNTS}).`,
            `Waiting for web (deployment ecs-svc/1002 IN_PROGRESS: production traffic shift 4 of 5, 80 %, ${COUNTS}).`,
            `Waiting for web (deployment ecs-svc/1002 IN_PROGRESS: production traffic shift 5 of 5, 100 %, ${COUNTS}).`,
            `Waiting for web (deployment ecs-svc/1002 IN_PROGRESS: bake time (5 minutes), ${COUNTS}).`,
            '',
        ]);
        expect(final(responses).status).toBe('SUCCESS');
    });

    it('refuses a TimeoutInMinutes shorter than its step bakes and bake time, explaining the sum', async () => {
        serviceWith({ strategy: 'LINEAR', linearConfiguration: { stepPercent: 25, stepBakeTimeInMinutes: 10 }, bakeTimeInMinutes: 15 });
        const response = await invoke(cfnEvent('CREATE', props({ TimeoutInMinutes: 30 })));
        expect(response.errorCode).toBe('InvalidRequest');
        expect(response.message).toContain(
            'its bake times alone take 45 minutes (3 waits of stepBakeTimeInMinutes 10 between 4 traffic shifts of 25 %, then bakeTimeInMinutes 15), but TimeoutInMinutes is 30',
        );
        expect(ecs.updateCalls('web')).toBe(0);
    });
});

describe('CANARY', () => {
    it('names the canary shift and the final shift, polling slowly through the canary bake', async () => {
        serviceWith({ strategy: 'CANARY', canaryConfiguration: { canaryPercent: 10, canaryBakeTimeInMinutes: 20 }, bakeTimeInMinutes: 10 });

        const responses = await run(props({ TimeoutInMinutes: 90 }), [
            () => ecs.stage('web', 'SCALE_UP'),
            () => ecs.stage('web', 'PRODUCTION_TRAFFIC_SHIFT', { production: 10 }),
            () => ecs.stage('web', 'PRODUCTION_TRAFFIC_SHIFT', { production: 100 }),
            () => ecs.stage('web', 'BAKE_TIME'),
            () => ecs.complete('web'),
        ]);

        expect(messages(responses)).toEqual([
            'Restarted web (ecs-svc/1002); waiting for the new tasks to become healthy. web deploys CANARY: bake times of at least 30 minutes.',
            `Waiting for web (deployment ecs-svc/1002 IN_PROGRESS: scaling up the new revision, ${COUNTS}).`,
            `Waiting for web (deployment ecs-svc/1002 IN_PROGRESS: production traffic shift 1 of 2, 10 %, ${COUNTS}).`,
            `Waiting for web (deployment ecs-svc/1002 IN_PROGRESS: production traffic shift 2 of 2, 100 %, ${COUNTS}).`,
            `Waiting for web (deployment ecs-svc/1002 IN_PROGRESS: bake time (10 minutes), ${COUNTS}).`,
            '',
        ]);
        expect(responses.map((response) => response.callbackDelaySeconds)).toEqual([10, 20, 300, 20, 150, 0]);
        expect(final(responses).status).toBe('SUCCESS');
    });
});

describe('lifecycle hooks', () => {
    const withPauseHook: DeploymentConfiguration = {
        strategy: 'BLUE_GREEN',
        bakeTimeInMinutes: 5,
        lifecycleHooks: [{ targetType: 'PAUSE', lifecycleStages: ['POST_TEST_TRAFFIC_SHIFT'] }],
    };

    it('says plainly that a pause hook waits for approval, and since when, then carries on once it is approved', async () => {
        serviceWith(withPauseHook);

        const responses = await run(props(), [
            () => ecs.stage('web', 'TEST_TRAFFIC_SHIFT', { test: 100 }),
            () => {
                ecs.stage('web', 'POST_TEST_TRAFFIC_SHIFT');
                ecs.awaitApproval('web', 'pause-1');
            },
            () => undefined,
            () => {
                ecs.approve('web', 'pause-1');
                ecs.stage('web', 'PRODUCTION_TRAFFIC_SHIFT', { production: 100 });
            },
            () => ecs.complete('web'),
        ]);

        expect(responses[0]?.message).toBe(
            'Restarted web (ecs-svc/1002); waiting for the new tasks to become healthy. web deploys BLUE_GREEN: bake times of at least ' +
                '5 minutes, 1 pause hook waiting for approval (ecs:ContinueServiceDeployment).',
        );
        const waiting =
            /^Waiting for web \(deployment ecs-svc\/1002 IN_PROGRESS: after the test traffic shift, waiting for approval of hook pause-1 since (\S+) \(ecs:ContinueServiceDeployment\); the hook expires at \S+, then ECS will roll back, 2\/2 running, 0 pending, 0 failed tasks\)\.$/;
        const [first, second] = [responses[2]?.message ?? '', responses[3]?.message ?? ''];
        expect(first).toMatch(waiting);
        expect(second).toMatch(waiting);
        // The same hook, still waiting: "since" stays when it was first seen waiting.
        expect(second.match(waiting)?.[1]).toBe(first.match(waiting)?.[1]);
        expect([responses[2]?.callbackDelaySeconds, responses[3]?.callbackDelaySeconds]).toEqual([120, 120]);
        expect(responses[4]?.message).toContain('production traffic shift, 100 %');
        expect(final(responses).status).toBe('SUCCESS');
    });

    it('keeps waiting for an approval until TimeoutInMinutes, then fails naming the hook', async () => {
        serviceWith(withPauseHook);
        const responses = await run(props({ TimeoutInMinutes: 30 }), [
            () => {
                ecs.stage('web', 'POST_TEST_TRAFFIC_SHIFT');
                ecs.awaitApproval('web', 'pause-1');
            },
            () => clock.advance(30 * 60_000),
        ]);
        expect(responses[1]?.status).toBe('IN_PROGRESS');
        expect(final(responses).errorCode).toBe('NotStabilized');
        expect(final(responses).message).toMatch(
            /^Timed out after 30 minutes \(TimeoutInMinutes\) waiting for: web \(deployment ecs-svc\/1002 IN_PROGRESS: after the test traffic shift, waiting for approval of hook pause-1 since /,
        );
    });

    it('fails when ECS rolls back a pause hook that nobody approved before it expired', async () => {
        serviceWith(withPauseHook);
        const responses = await run(props(), [
            () => {
                ecs.stage('web', 'POST_TEST_TRAFFIC_SHIFT');
                ecs.awaitApproval('web', 'pause-1', 60_000);
            },
            () => ecs.hookFails('web', 'pause-1', 'TIMED_OUT'),
            () => ecs.finishRollback('web'),
        ]);
        expect(responses[2]?.message).toMatch(
            /ROLLBACK_IN_PROGRESS \(ECS is rolling the deployment back: .*lifecycle hook pause-1 \(PAUSE\) TIMED_OUT\)/,
        );
        expect(final(responses).errorCode).toBe('NotStabilized');
        expect(final(responses).message).toContain(
            'is ROLLBACK_SUCCESSFUL: Service deployment rolled back because lifecycle hook pause-1 timed out; Lifecycle hook failure; lifecycle hook pause-1 (PAUSE) TIMED_OUT.',
        );
    });

    it('reports a failed Lambda hook while ECS rolls back, then fails with NotStabilized and the reason', async () => {
        serviceWith({
            strategy: 'BLUE_GREEN',
            bakeTimeInMinutes: 5,
            lifecycleHooks: [
                {
                    targetType: 'AWS_LAMBDA',
                    hookTargetArn: 'arn:aws:lambda:us-east-1:123456789012:function:smoke-test',
                    lifecycleStages: ['POST_SCALE_UP'],
                },
            ],
        });

        const responses = await run(props(), [
            () => {
                ecs.stage('web', 'POST_SCALE_UP');
                ecs.runLambdaHook('web', 'hook-1', 'smoke-test');
            },
            () => ecs.hookFails('web', 'hook-1'),
            () => undefined,
            () => ecs.finishRollback('web'),
        ]);

        const rollingBack =
            'ROLLBACK_IN_PROGRESS (ECS is rolling the deployment back: Service deployment rolled back because lifecycle hook hook-1 failed; ' +
            'Lifecycle hook failure; lifecycle hook hook-1 (AWS_LAMBDA smoke-test) FAILED)';
        expect(messages(responses).slice(0, 4)).toEqual([
            'Restarted web (ecs-svc/1002); waiting for the new tasks to become healthy. web deploys BLUE_GREEN: bake times of at least 5 minutes, 1 Lambda hook.',
            `Waiting for web (deployment ecs-svc/1002 IN_PROGRESS: after scale-up, Lambda hook smoke-test running, ${COUNTS}).`,
            `Waiting for web (deployment ecs-svc/1002 ${rollingBack}, ${COUNTS}).`,
            `Waiting for web (deployment ecs-svc/1002 ${rollingBack}, ${COUNTS}).`,
        ]);
        expect(final(responses).status).toBe('FAILED');
        expect(final(responses).errorCode).toBe('NotStabilized');
        expect(final(responses).message).toMatch(
            /^Service web did not stabilize: service deployment \S+\/sd2 is ROLLBACK_SUCCESSFUL: Service deployment rolled back because lifecycle hook hook-1 failed; Lifecycle hook failure; lifecycle hook hook-1 \(AWS_LAMBDA smoke-test\) FAILED\./,
        );
    });
});

describe('rolling', () => {
    it.each(['available', 'access-denied'] as const)(
        'with early success criteria, waits until the old tasks are gone although ECS reports success (service-deployments API %s)',
        async (api) => {
            ecs.addService('web', {
                deploymentConfiguration: {
                    strategy: 'ROLLING',
                    minimumHealthyPercent: 100,
                    maximumPercent: 200,
                    earlySuccessCriteria: { enable: true, healthyPercent: 100, sourceServiceRevisionCleanup: 'DEFERRED' },
                },
            });
            ecs.serviceDeploymentsApi = api;

            const responses = await run(props(), [() => ecs.succeedEarly('web'), () => undefined, () => ecs.drainOld('web')]);

            const status = api === 'available' ? 'SUCCESSFUL' : 'COMPLETED';
            const draining =
                `Waiting for web (deployment ecs-svc/1002 ${status}, but 2 tasks of the old revision still run (ECS called the deployment ` +
                `done before removing them, e.g. early success criteria); waiting until they stop, ${COUNTS}).`;
            expect(messages(responses)).toEqual([
                'Restarted web (ecs-svc/1002); waiting for the new tasks to become healthy.',
                draining,
                draining,
                '',
            ]);
            expect(final(responses).status).toBe('SUCCESS');
        },
    );

    it('reports STOP_REQUESTED while it lasts, then fails on STOPPED with the reason', async () => {
        ecs.addService('web');
        const responses = await run(props(), [
            () => ecs.stop('web', 'STOP_REQUESTED'),
            () => ecs.stop('web', 'STOPPED', 'Service deployment stopped by a user.'),
        ]);
        expect(responses[1]?.message).toMatch(/STOP_REQUESTED \(ECS is stopping the deployment: Service deployment stopped by a user\)/);
        expect(final(responses).errorCode).toBe('NotStabilized');
        expect(final(responses).message).toMatch(/is STOPPED: Service deployment stopped by a user\./);
    });

    it('reports a circuit-breaker rollback while it runs, then fails once it is over', async () => {
        ecs.addService('web');
        const responses = await run(props(), [() => ecs.fail('web', undefined, 'in-progress'), () => ecs.finishRollback('web')]);
        expect(responses[1]?.message).toMatch(
            /ROLLBACK_IN_PROGRESS \(ECS is rolling the deployment back: .*deployment circuit breaker triggered \(threshold 3\)\)/,
        );
        expect(final(responses).message).toMatch(
            /^Service web did not stabilize: service deployment \S+ is ROLLBACK_SUCCESSFUL after 3 failed tasks/,
        );
    });

    it('states in the first event that minimumHealthyPercent 0 lets ECS stop every task at once', async () => {
        ecs.addService('web', { desiredCount: 4, deploymentConfiguration: { minimumHealthyPercent: 0, maximumPercent: 100 } });
        const first = await invoke(cfnEvent('CREATE', props()));
        expect(first.message).toBe(
            'Restarted web (ecs-svc/1002); waiting for the new tasks to become healthy. Downtime possible: ' +
                "web's deployment configuration (minimumHealthyPercent 0) lets ECS stop all 4 tasks at once, before the new ones run.",
        );
    });
});

describe('DAEMON services', () => {
    it('restarts a DAEMON service, says first that it may stop every task at once, and succeeds when the new tasks run', async () => {
        ecs.addService('agent', {
            schedulingStrategy: 'DAEMON',
            desiredCount: 3,
            deploymentConfiguration: { minimumHealthyPercent: 0, maximumPercent: 100 },
        });
        const properties = { Cluster: 'prod', Services: ['agent'] };

        const responses = await run(properties, [() => ecs.progress('agent'), () => ecs.complete('agent')]);

        expect(messages(responses)).toEqual([
            'Restarted agent (ecs-svc/1002); waiting for the new tasks to become healthy. Downtime possible: agent is a DAEMON service and its ' +
                'deployment configuration (minimumHealthyPercent 0) lets ECS stop the task on every container instance at once, before the new ones run.',
            'Waiting for agent (deployment ecs-svc/1002 IN_PROGRESS, 2/3 running, 1 pending, 0 failed tasks).',
            '',
        ]);
        expect(final(responses).status).toBe('SUCCESS');
        expect(ecs.updateCalls('agent')).toBe(1);
    });

    it('says a DAEMON service replaces its task on each instance when it keeps some running', async () => {
        ecs.addService('agent', { schedulingStrategy: 'DAEMON', desiredCount: 3, deploymentConfiguration: { minimumHealthyPercent: 50 } });
        const first = await invoke(cfnEvent('CREATE', { Cluster: 'prod', Services: ['agent'] }));
        expect(first.message).toContain('agent is a DAEMON service: ECS replaces its task on each container instance.');
    });
});
