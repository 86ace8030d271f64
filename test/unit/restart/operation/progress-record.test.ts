/** The two directions between the callback context and the record: what survives an invocation, and what a replay finds. */
import { brotliCompressSync } from 'node:zlib';
import { assertRecordFits, encodeRecord } from '../../../../src/aws/restart-record-store';
import { contextOf, newOperation, unstartedServicesOfWave, waveCountOf } from '../../../../src/restart/operation/progress';
import {
    recordOf,
    recordedServicesDiffer,
    restartingFromRecord,
    worstCaseRecordOf,
} from '../../../../src/restart/operation/progress-record';
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
        // …and as they end: each followed a newer deployment, its service deployment known, a hook awaiting approval.
        const finished = restartingOperation({
            services: started.services.map((service, i) => ({
                ...service,
                deploymentId: `ecs-svc/${String(7_000_000_000_000_000_000 + i * 7_919_000_000_000)}`,
                followedDeploymentId: `ecs-svc/${String(8_000_000_000_000_000_000 + i * 104_729_000_000)}`,
                startedAt: T0 + i * 1_017,
                serviceDeploymentArn: `${arn(`s${i}`).replace(':service/', ':service-deployment/')}/Xq${i}Zr8bTnEwK2mYc4LpJd`,
                completed: true,
                awaitingApproval: { hookId: `0f1e2d3c-${i}-4b5a-9687-a1b2c3d4e5f6`, since: T0 + i },
            })),
        });

        // Act
        const worst = worstCaseRecordOf(started, properties);

        // Assess
        expect(worst.deploymentIds.every((id) => id.length > 0)).toBe(true);
        expect(worst.services?.every((state) => state.serviceDeploymentArn && state.ownDeploymentId && state.awaitingApproval)).toBe(true);
        expect(encodeRecord(worst).length).toBeGreaterThanOrEqual(encodeRecord(recordOf(finished, properties, 'SUCCEEDED')).length);
        // Compressed too (what the parts hold): the worst case compresses no better than the real one.
        expect(brotliCompressSync(encodeRecord(worst)).length).toBeGreaterThanOrEqual(
            brotliCompressSync(encodeRecord(recordOf(finished, properties, 'SUCCEEDED'))).length,
        );
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

describe('the per-service state in the record', () => {
    const watched = restartingOperation({
        wave: 1,
        waveStartedAt: T0 + 119_000,
        notes: ['a note'],
        lookFrom: 2,
        services: [
            { input: 'a', name: 'a', arn: arn('a'), wave: 0, deploymentId: 'ecs-svc/1', startedAt: T0 + 1_000, completed: true },
            { input: 'b', name: 'b', arn: arn('b'), wave: 0, deploymentId: 'ecs-svc/2', startedAt: T0 + 2_000, completed: true },
            {
                input: 'c',
                name: 'c',
                arn: arn('c'),
                wave: 1,
                deploymentId: 'ecs-svc/3',
                followedDeploymentId: 'ecs-svc/4',
                startedAt: T0 + 120_000,
                serviceDeploymentArn: 'arn:aws:ecs:us-east-1:123456789012:service-deployment/prod/c/abc',
                awaitingApproval: { hookId: 'hook-1', since: T0 + 130_000 },
            },
        ],
    });

    it('reads back as it was written: followed deployments, service deployments, what is done, approvals waited for', () => {
        // Act
        const record = recordOf(watched, { Cluster: 'prod' }, 'IN_PROGRESS');
        const read = restartingFromRecord(contextOf(watched), settings, JSON.parse(JSON.stringify(record)) as RestartRecord);

        // Assess
        expect(record.deploymentIds).toEqual(['ecs-svc/1', 'ecs-svc/2', 'ecs-svc/4']);
        expect(read.services).toEqual(watched.services.map((service) => ({ completed: false, ...service })));
        // What the context carries for the whole operation comes from it.
        expect(read).toMatchObject({ notes: ['a note'], lookFrom: 2, serviceDeploymentsApi: 'available' });
        expect(recordedServicesDiffer(watched, read)).toBe(false);
    });

    it('a replayed older context never restarts again what the record says was started, and its look restarts with the wave', () => {
        // Prepare: the context as the first invocation returned it, in wave 1, looking from c.
        const older = contextOf(restartingOperation({ lookFrom: 1, services: [trackedService()] }));

        // Act
        const read = restartingFromRecord(older, settings, recordAtSecondWave());

        // Assess
        expect(read).toMatchObject({ wave: 1, waveStartedAt: T0 + 120_000 });
        expect(read.lookFrom).toBeUndefined();
        expect(read.services.map((s) => [s.name, s.deploymentId, s.attemptedAt, s.completed])).toEqual([
            ['a', 'ecs-svc/1', undefined, true],
            ['b', 'ecs-svc/2', undefined, true],
            ['c', undefined, T0 + 121_000, false],
        ]);
        // What is left to start is c only, and its open attempt is looked for in ECS before any new call.
        expect(unstartedServicesOfWave(read).map((s) => s.name)).toEqual(['c']);
    });

    it('says when a look changed what the record keeps, and only then', () => {
        const listed = { ...watched, services: watched.services.map((s, i) => (i === 2 ? { ...s, serviceDeploymentArn: 'other' } : s)) };
        const done = { ...watched, services: watched.services.map((s, i) => (i === 2 ? { ...s, completed: true } : s)) };
        const noted = { ...watched, notes: ['another note'], lookFrom: 0 };

        expect(recordedServicesDiffer(watched, listed)).toBe(true);
        expect(recordedServicesDiffer(watched, done)).toBe(true);
        expect(recordedServicesDiffer(watched, noted)).toBe(false);
    });
});
