/** The NotStabilized report: the reason first and never cut away, then the stopped tasks, the events, the rest of the restart. */
import type { WaveFailure } from '../../../../src/restart/judging/decide';
import { formatFailureReport, readStoppedTasks } from '../../../../src/restart/operation/failure-report';
import { MAX_MESSAGE_LENGTH } from '../../../../src/restart/text/messages';
import type { TrackedService } from '../../../../src/restart/operation/progress';
import { AccessDeniedError } from '../../../../src/restart/errors';
import {
    FakeEcs,
    OURS,
    StepClock,
    T0,
    fakeDependencies,
    restartingOperation,
    serviceView,
    trackedService,
} from '../../../support/restart-fixtures';

const REASON = 'ECS deployment circuit breaker: tasks failed to start';

function failure(service: TrackedService = trackedService(), reason = REASON, note?: string): WaveFailure {
    return { service, assessment: { kind: 'failed', deploymentId: service.deploymentId ?? OURS, reason, ...(note ? { note } : {}) } };
}

const api = trackedService({ name: 'api', input: 'api', arn: 'arn:api', deploymentId: 'ecs-svc/201' });

describe('readStoppedTasks', () => {
    it('reads up to three stopped tasks of each failed deployment, and logs rather than raises a failed read', async () => {
        const clock = new StepClock(T0);
        const ecs = new FakeEcs(clock);
        ecs.stoppedTasks.set('api', [{ taskArn: 'arn:task/prod/1', stopCode: 'TaskFailedToStart', containerReasons: [] }]);
        ecs.failNext.set('describeStoppedTasks', [new AccessDeniedError('not allowed: ecs:ListTasks')]);
        const log: string[] = [];

        const stopped = await readStoppedTasks([failure(), failure(api)], 'prod', {
            ...fakeDependencies(clock, ecs),
            log: (m) => log.push(m),
        });

        expect(ecs.callsOf('describeStoppedTasks')).toEqual([`web ${OURS} 3`, 'api ecs-svc/201 3']);
        expect([...stopped.keys()]).toEqual(['api']);
        expect(log).toEqual(['Could not read the stopped tasks of web: not allowed: ecs:ListTasks']);
    });
});

describe('formatFailureReport', () => {
    it('says the service and ECS’s reason, its note, the stopped-task reasons, the events since the restart, then the rest', () => {
        const progress = restartingOperation({
            services: [
                trackedService(),
                api,
                trackedService({ name: 'later', input: 'later', arn: 'arn:later', deploymentId: undefined, wave: 1 }),
            ],
        });
        const stopped = new Map([
            [
                'web',
                [
                    {
                        taskArn: 'arn:aws:ecs:eu-west-1:1:task/prod/abc',
                        stopCode: 'TaskFailedToStart',
                        stoppedReason: 'Essential container in task exited',
                        containerReasons: ['app: exit 1'],
                    },
                ],
            ],
        ]);
        const views = [
            serviceView({
                events: [
                    { createdAt: T0 + 2_000, message: '(service web) has started 2 tasks.' },
                    { createdAt: T0 - 1, message: '(service web) has reached a steady state.' },
                ],
            }),
        ];

        const report = formatFailureReport(progress, [failure(trackedService(), REASON, 'the image tag moved')], stopped, views);

        expect(report).toBe(
            `Service web did not stabilize: ${REASON}. Note: the image tag moved. ` +
                'Stopped tasks: abc: TaskFailedToStart; Essential container in task exited; app: exit 1. ' +
                'Latest events: (service web) has started 2 tasks.. ' +
                'Also restarted: api (ecs-svc/201, still deploying). Not restarted: later.',
        );
    });

    it('stays within the message limit, every failed service’s reason whole before any detail, however much else there is to say', () => {
        const services = ['a', 'b'].map((name) => trackedService({ name, input: name, arn: `arn:${name}` }));
        const many = Array.from({ length: 40 }, (_, i) => ({
            taskArn: `arn:task/prod/${i}`,
            stoppedReason: 'x'.repeat(200),
            containerReasons: [],
        }));
        const views = services.map((s) =>
            serviceView({
                name: s.name,
                arn: s.arn,
                events: Array.from({ length: 50 }, (_, i) => ({ createdAt: T0 + i, message: 'e'.repeat(300) })),
            }),
        );

        const report = formatFailureReport(
            restartingOperation({ services }),
            services.map((s) => failure(s, `${s.name} failed: ${REASON}`)),
            new Map(services.map((s) => [s.name, many])),
            views,
        );

        expect(report.length).toBeLessThanOrEqual(MAX_MESSAGE_LENGTH);
        expect(report).toMatch(
            /^2 services did not stabilize: a, b\. Service a did not stabilize: a failed: ECS deployment circuit breaker: tasks failed to start\. Service b did not stabilize: b failed: ECS deployment circuit breaker: tasks failed to start\. /,
        );
        expect(report).toContain('Stopped tasks: 0: xxx');
    });

    it('among a thousand services, names the failed ones, gives each reason whole or leaves it to the log, and always ends with the others counted', () => {
        // Prepare: three failures whose reasons (about 300 characters, as ECS words a circuit breaker) cannot all fit.
        const services = Array.from({ length: 1_000 }, (_, i) =>
            trackedService({
                name: `svc-${i}`,
                input: `svc-${i}`,
                arn: `arn:svc-${i}`,
                deploymentId: i < 500 ? `ecs-svc/${i}` : undefined,
                completed: i < 400,
                wave: i < 500 ? 0 : 1,
            }),
        );
        const failed = services.slice(400, 403);
        const long = `service deployment ${'x'.repeat(40)} is ROLLBACK_SUCCESSFUL after 3 failed tasks: ${REASON}; ${'y'.repeat(120)}`;
        const stopped = new Map(
            failed.map((s) => [s.name, [{ taskArn: 'arn:task/prod/abc', stopCode: 'TaskFailedToStart', containerReasons: [] }]]),
        );

        // Act
        const report = formatFailureReport(
            restartingOperation({ services }),
            failed.map((s) => failure(s, long)),
            stopped,
            failed.map((s) => serviceView({ name: s.name, arn: s.arn })),
        );

        // Assess
        expect(report.length).toBeLessThanOrEqual(MAX_MESSAGE_LENGTH);
        expect(
            report.startsWith(`3 services did not stabilize: svc-400, svc-401, svc-402. Service svc-400 did not stabilize: ${long}. `),
        ).toBe(true);
        // The third reason does not fit whole: it is left out, not cut.
        expect(report).toContain(`Service svc-401 did not stabilize: ${long}.`);
        expect(report).not.toContain('Service svc-402 did not stabilize');
        expect(
            report.endsWith(
                'Also restarted 497 services (400 healthy, 97 still deploying); not restarted 500 services ' +
                    "(every service and its deployment: the resource's ServiceArns and DeploymentIds (READ); each failed service with its reason: the handler log).",
            ),
        ).toBe(true);
    });

    it('cuts a reason longer than the limit itself to the limit, its start kept', () => {
        const report = formatFailureReport(restartingOperation(), [failure(trackedService(), 'r'.repeat(5_000))], new Map(), [
            serviceView(),
        ]);

        expect(report).toHaveLength(MAX_MESSAGE_LENGTH);
        expect(report.startsWith('Service web did not stabilize: rrr')).toBe(true);
        expect(report.endsWith('…')).toBe(true);
    });
});
