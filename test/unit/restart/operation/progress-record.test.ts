/** The two directions between the callback context and the record: what survives an invocation, and what a replay finds. */
import { assertRecordFits, encodeRecord } from '../../../../src/aws/restart-record-store';
import { newOperation, unstartedServicesOfWave, waveCountOf } from '../../../../src/restart/operation/progress';
import { mergeRecord, recordOf, restartingFromRecord, worstCaseRecordOf } from '../../../../src/restart/operation/progress-record';
import type { RestartRecord } from '../../../../src/restart/ports';
import { settingsFromProperties } from '../../../../src/restart/request/settings';
import { HERE, T0, restartingOperation, trackedService } from '../../../support/restart-fixtures';

const settings = settingsFromProperties({ Cluster: 'prod', Services: ['a', 'b', 'c'], MaxConcurrentRestarts: 2 }, HERE);
const arn = (name: string) => `arn:aws:ecs:us-east-1:123456789012:service/prod/${name}`;

/** The record of a-b-c in waves [a, b] and [c], as a later invocation wrote it: wave 2 started, c's restart attempted. */
function recordAtSecondWave(): RestartRecord {
    return {
        version: 1,
        properties: { Cluster: 'prod' },
        serviceArns: [arn('a'), arn('b'), arn('c')],
        deploymentIds: ['ecs-svc/1', 'ecs-svc/2', ''],
        restartedAt: new Date(T0).toISOString(),
        operation: {
            tokenDigest: 't',
            action: 'CREATE',
            status: 'IN_PROGRESS',
            wave: 1,
            waveStartedAt: T0 + 120_000,
            startedAt: T0,
            deadline: T0 + 60 * 60_000,
            attemptedAt: [0, 0, T0 + 121_000],
        },
    };
}

describe('recordOf', () => {
    it('keeps per service, by position, the ARN, the deployment that decides (followed over started) and the open attempt', () => {
        // Prepare
        const progress = restartingOperation({
            services: [
                trackedService({ name: 'a', arn: arn('a'), deploymentId: 'ecs-svc/1', followedDeploymentId: 'ecs-svc/9' }),
                trackedService({ name: 'b', arn: arn('b'), deploymentId: undefined, attemptedAt: T0 + 5 }),
            ],
        });

        // Act
        const record = recordOf(progress, { Cluster: 'prod' }, 'FAILED');

        // Assess
        expect(record).toMatchObject({
            serviceArns: [arn('a'), arn('b')],
            deploymentIds: ['ecs-svc/9', ''],
            restartedAt: new Date(T0).toISOString(),
            operation: { status: 'FAILED', wave: 0, startedAt: T0, deadline: progress.deadline, attemptedAt: [0, T0 + 5] },
        });
    });
});

describe('worstCaseRecordOf', () => {
    it('is judged with every deployment id filled in, so no later write is refused half-way', () => {
        // Prepare: 20 services of which none has started yet
        const started = restartingOperation({
            services: Array.from({ length: 20 }, (_, i) => ({ input: `s${i}`, name: `s${i}`, arn: arn(`s${i}`), wave: 0 })),
        });
        const properties = { Cluster: 'prod' };
        const finished = restartingOperation({
            services: started.services.map((service, i) => ({ ...service, deploymentId: `ecs-svc/${String(i).repeat(19).slice(0, 19)}` })),
        });

        // Act
        const worst = worstCaseRecordOf(started, properties);

        // Assess
        expect(worst.deploymentIds.every((id) => id.length > 0)).toBe(true);
        expect(encodeRecord(worst).length).toBeGreaterThanOrEqual(encodeRecord(recordOf(finished, properties, 'SUCCEEDED')).length);
        expect(() => assertRecordFits('id', worst)).not.toThrow();
    });
});

describe('restartingFromRecord', () => {
    it('rebuilds the operation the record describes: its times, its wave, what was started and what was attempted', () => {
        // Prepare: CloudFormation invoked the first step again, later, with a fresh preparing context.
        const preparing = newOperation({ id: 'id', action: 'CREATE', tokenDigest: 't' }, settings, T0 + 600_000);

        // Act
        const restarting = restartingFromRecord(preparing, settings, recordAtSecondWave());

        // Assess
        expect(restarting).toMatchObject({ stage: 'restarting', startedAt: T0, deadline: T0 + 60 * 60_000, wave: 1 });
        expect(waveCountOf(restarting)).toBe(2);
        expect(restarting.services).toEqual([
            { input: 'a', name: 'a', arn: arn('a'), wave: 0, deploymentId: 'ecs-svc/1', startedAt: T0 + 120_000, completed: true },
            { input: 'b', name: 'b', arn: arn('b'), wave: 0, deploymentId: 'ecs-svc/2', startedAt: T0 + 120_000, completed: true },
            {
                input: 'c',
                name: 'c',
                arn: arn('c'),
                wave: 1,
                deploymentId: undefined,
                startedAt: undefined,
                completed: false,
                attemptedAt: T0 + 121_000,
            },
        ]);
    });
});

describe('mergeRecord', () => {
    /** The context as the first invocation returned it: wave 1 attempted, nothing known to be started. */
    const olderContext = restartingOperation({
        services: [
            { input: 'a', name: 'a', arn: '', wave: 0, attemptedAt: T0 + 1 },
            { input: 'b', name: 'b', arn: arn('b'), wave: 0, attemptedAt: T0 + 1 },
            { input: 'c', name: 'c', arn: '', wave: 1 },
        ],
    });

    it('a replayed older context never restarts again what the record says was started', () => {
        // Act
        const merged = mergeRecord(olderContext, recordAtSecondWave());

        // Assess
        expect(merged).toMatchObject({ wave: 1, waveStartedAt: T0 + 120_000 });
        expect(merged.services.map((s) => [s.name, s.deploymentId, s.attemptedAt, s.completed])).toEqual([
            ['a', 'ecs-svc/1', undefined, true],
            ['b', 'ecs-svc/2', undefined, true],
            ['c', undefined, T0 + 121_000, undefined],
        ]);
        expect(merged.services.map((s) => s.arn)).toEqual([arn('a'), arn('b'), arn('c')]);
        // What is left to start is c only, and its open attempt is looked for in ECS before any new call.
        expect(unstartedServicesOfWave(merged).map((s) => s.name)).toEqual(['c']);
    });

    it('keeps what the context knows that the record does not: its own deployment and its wave when not behind', () => {
        // Prepare
        const current = restartingOperation({
            wave: 1,
            waveStartedAt: T0 + 119_000,
            services: [
                { input: 'a', name: 'a', arn: arn('a'), wave: 0, deploymentId: 'ecs-svc/1', completed: true },
                { input: 'b', name: 'b', arn: arn('b'), wave: 0, deploymentId: 'ecs-svc/2', completed: true },
                { input: 'c', name: 'c', arn: arn('c'), wave: 1, deploymentId: 'ecs-svc/3', followedDeploymentId: 'ecs-svc/4' },
            ],
        });

        // Act
        const merged = mergeRecord(current, recordAtSecondWave());

        // Assess
        expect(merged.waveStartedAt).toBe(T0 + 119_000);
        expect(merged.services[2]).toMatchObject({ deploymentId: 'ecs-svc/3', followedDeploymentId: 'ecs-svc/4' });
        expect(merged.services[2]?.attemptedAt).toBeUndefined();
    });
});
