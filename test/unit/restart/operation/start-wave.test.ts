/** Starting a wave: UpdateService is never called twice for one service, whatever was lost on the way. */
import { AwsServiceError, InvalidInputError, TransientAwsError } from '../../../../src/restart/errors';
import type { RestartingOperation, TrackedService } from '../../../../src/restart/operation/progress';
import { ADOPTION_CLOCK_SKEW_MS, IN_FLIGHT_WINDOW_MS, WaveStartOptions, startWave } from '../../../../src/restart/operation/start-wave';
import {
    FakeEcs,
    StepClock,
    T0,
    deploymentView,
    fakeDependencies,
    restartingOperation,
    unstartedService,
} from '../../../support/restart-fixtures';

let clock: StepClock;
let ecs: FakeEcs;
/** What persist was given, in order. */
let persisted: RestartingOperation[];

beforeEach(() => {
    clock = new StepClock(T0);
    ecs = new FakeEcs(clock);
    persisted = [];
});

function options(overrides: Partial<WaveStartOptions> = {}): WaveStartOptions {
    return {
        cluster: 'prod',
        describeFirst: false,
        ownAttempts: new Set(),
        finishedAttempts: new Set(),
        persist: (progress) => {
            ecs.journal.push('persist');
            persisted.push(progress);
            return Promise.resolve();
        },
        ...overrides,
    };
}

const wave = (...services: TrackedService[]): RestartingOperation => restartingOperation({ services });
const service = (progress: RestartingOperation, name: string): TrackedService | undefined => progress.services.find((s) => s.name === name);

describe('startWave', () => {
    it('records the attempts before the first UpdateService, then the deployments each call started', async () => {
        ecs.add('a');
        ecs.add('b');

        const started = await startWave(wave(unstartedService('a'), unstartedService('b')), options(), fakeDependencies(clock, ecs));

        expect(ecs.journal).toEqual(['persist', 'ecs.forceNewDeployment arn:a', 'ecs.forceNewDeployment arn:b']);
        expect(persisted[0]?.services.map((s) => [s.name, s.attemptedAt, s.deploymentId])).toEqual([
            ['a', T0, undefined],
            ['b', T0, undefined],
        ]);
        expect(started.error).toBeUndefined();
        expect(started.progress.services.map((s) => [s.name, s.deploymentId, s.startedAt, s.attemptedAt])).toEqual([
            ['a', 'ecs-svc/300', T0, undefined],
            ['b', 'ecs-svc/301', T0, undefined],
        ]);
    });

    it('calls nothing for a wave whose services all have a deployment', async () => {
        ecs.add('a');
        const first = await startWave(wave(unstartedService('a')), options(), fakeDependencies(clock, ecs));

        const again = await startWave(first.progress, options({ describeFirst: true }), fakeDependencies(clock, ecs));

        expect(ecs.callsOf('forceNewDeployment')).toEqual(['arn:a']);
        expect(again.progress).toBe(first.progress);
    });

    it.each([
        ['after the attempt', 500],
        ['just before it, within the clock skew', -ADOPTION_CLOCK_SKEW_MS],
    ])('adopts the PRIMARY deployment created %s as the answer of a recorded attempt', async (_when, offset) => {
        ecs.add('a', { deployments: [deploymentView({ id: 'ecs-svc/250', createdAt: T0 + offset })] });
        clock.advance(60_000);

        const started = await startWave(wave(unstartedService('a', { attemptedAt: T0 })), options(), fakeDependencies(clock, ecs));

        expect(ecs.callsOf('forceNewDeployment')).toEqual([]);
        expect(service(started.progress, 'a')).toMatchObject({
            deploymentId: 'ecs-svc/250',
            startedAt: T0 + offset,
            attemptedAt: undefined,
        });
    });

    it('adopts, in the next invocation, the deployment of a call whose answer was lost, instead of calling again', async () => {
        ecs.add('a');
        ecs.answerLost.add('a');
        const lost = await startWave(wave(unstartedService('a')), options(), fakeDependencies(clock, ecs));
        expect(lost.error).toBeInstanceOf(TransientAwsError);
        expect([service(lost.progress, 'a')?.attemptedAt, service(lost.progress, 'a')?.deploymentId]).toEqual([T0, undefined]);
        clock.advance(30_000);

        // The next invocation: its own attempts are none, and the callback context carried this one.
        const next = await startWave(
            lost.progress,
            options({ describeFirst: true, finishedAttempts: new Set(['a']) }),
            fakeDependencies(clock, ecs),
        );

        expect(ecs.callsOf('forceNewDeployment')).toEqual(['arn:a']);
        expect(service(next.progress, 'a')).toMatchObject({ deploymentId: 'ecs-svc/300', attemptedAt: undefined });
    });

    it('never adopts a deployment it did not record an attempt for: that one is someone else’s', async () => {
        ecs.add('a', { deployments: [deploymentView({ id: 'ecs-svc/pipeline', createdAt: T0 })] });

        const started = await startWave(wave(unstartedService('a')), options({ describeFirst: true }), fakeDependencies(clock, ecs));

        expect(ecs.callsOf('forceNewDeployment')).toEqual(['arn:a']);
        expect(service(started.progress, 'a')?.deploymentId).toBe('ecs-svc/300');
    });

    it('does not adopt a deployment older than the recorded attempt', async () => {
        ecs.add('a', { deployments: [deploymentView({ id: 'ecs-svc/old', createdAt: T0 - ADOPTION_CLOCK_SKEW_MS - 1 })] });
        clock.advance(IN_FLIGHT_WINDOW_MS);

        const started = await startWave(wave(unstartedService('a', { attemptedAt: T0 })), options(), fakeDependencies(clock, ecs));

        expect(ecs.callsOf('forceNewDeployment')).toEqual(['arn:a']);
        expect(service(started.progress, 'a')?.deploymentId).toBe('ecs-svc/300');
    });

    it('waits, without calling, while another invocation may still be inside its UpdateService', async () => {
        ecs.add('a', { deployments: [deploymentView({ id: 'ecs-svc/old', createdAt: T0 - 60_000 })] });
        ecs.add('b');
        clock.advance(IN_FLIGHT_WINDOW_MS - 1);
        const progress = wave(unstartedService('a', { attemptedAt: T0 }), unstartedService('b'));

        const started = await startWave(progress, options(), fakeDependencies(clock, ecs));

        expect(started.waitingForOthers).toEqual(['a']);
        expect(ecs.callsOf('forceNewDeployment')).toEqual(['arn:b']);
        expect([service(started.progress, 'a')?.attemptedAt, service(started.progress, 'a')?.deploymentId]).toEqual([T0, undefined]);
    });

    it.each([
        ['once the in-flight window has passed', IN_FLIGHT_WINDOW_MS, new Set<string>()],
        ['at once when the invocation that made the attempt has returned', 0, new Set(['a'])],
    ])('calls again for an attempt that did not go through %s', async (_when, elapsed, finishedAttempts) => {
        ecs.add('a', { deployments: [deploymentView({ id: 'ecs-svc/old', createdAt: T0 - 60_000 })] });
        clock.advance(elapsed);

        const started = await startWave(
            wave(unstartedService('a', { attemptedAt: T0 })),
            options({ finishedAttempts }),
            fakeDependencies(clock, ecs),
        );

        expect(started.waitingForOthers).toEqual([]);
        expect(ecs.callsOf('forceNewDeployment')).toEqual(['arn:a']);
        // The new attempt is recorded at its own time before the call.
        expect(persisted.map((p) => service(p, 'a')?.attemptedAt)).toEqual([T0 + elapsed]);
    });

    it('stops calling when the budget is spent mid-wave, every attempt recorded and the rest left unstarted', async () => {
        ['a', 'b', 'c'].forEach((name) => ecs.add(name));
        ecs.callMs = 20_000;
        const deps = { ...fakeDependencies(clock, ecs), budgetEndsAt: T0 + 35_000 };

        const started = await startWave(wave(unstartedService('a'), unstartedService('b'), unstartedService('c')), options(), deps);

        expect(ecs.callsOf('forceNewDeployment')).toEqual(['arn:a', 'arn:b']);
        expect(started.error).toBeUndefined();
        expect(started.progress.services.map((s) => [s.name, s.deploymentId])).toEqual([
            ['a', 'ecs-svc/300'],
            ['b', 'ecs-svc/301'],
            ['c', undefined],
        ]);
        expect(service(started.progress, 'c')?.attemptedAt).toBe(T0);
    });

    it('refuses a wave with a service ECS does not know, naming it, before recording or calling anything', async () => {
        ecs.add('a');

        const started = await startWave(
            wave(unstartedService('a'), unstartedService('gone', { arn: '' })),
            options({ describeFirst: true }),
            fakeDependencies(clock, ecs),
        );

        expect(started.error).toBeInstanceOf(InvalidInputError);
        expect(started.error?.message).toContain("service 'gone' was not found in cluster 'prod'");
        expect(ecs.journal).toEqual(['ecs.describeServices arn:a,gone']);
    });

    it('forgets the attempt when ECS refused the call, and keeps it when the answer may have been lost', async () => {
        ecs.add('a');
        ecs.add('b');
        ecs.failNext.set('forceNewDeployment', [new AwsServiceError('The service is being deleted.')]);
        const own = options();

        const refused = await startWave(wave(unstartedService('a')), own, fakeDependencies(clock, ecs));

        expect(refused.error).toBeInstanceOf(AwsServiceError);
        expect(service(refused.progress, 'a')?.attemptedAt).toBeUndefined();
        expect(own.ownAttempts.has('a')).toBe(false);

        ecs.answerLost.add('b');
        const lost = await startWave(wave(unstartedService('b')), own, fakeDependencies(clock, ecs));

        expect(lost.error).toMatchObject({ outcomeUnknown: true });
        expect(service(lost.progress, 'b')?.attemptedAt).toBe(T0);
        expect(own.ownAttempts.has('b')).toBe(true);
    });
});
