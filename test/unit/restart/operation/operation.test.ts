/**
 * runRestart's stages over the port fakes: prepare writes the record before any UpdateService, a
 * replayed step resumes from the record, failures leave the record as CloudFormation expects, a stack
 * rollback never fails, transient errors back off until the deadline, and a spent budget continues.
 */
import { AwsServiceError, TransientAwsError } from '../../../../src/restart/errors';
import { RestartOutcome, RestartRequest, runRestart } from '../../../../src/restart/operation/operation';
import type { OperationContext } from '../../../../src/restart/operation/progress';
import { InMemorySsm } from '../../../support/in-memory-ssm';
import {
    FakeEcs,
    MemoryRecords,
    RESOURCE_ID,
    StepClock,
    T0,
    fakeDependencies,
    restartRecord,
    restartRequest,
    sdkDependencies,
} from '../../../support/restart-fixtures';
import { ScriptedEcs } from '../../../support/scripted-ecs';

const PROPERTIES = { Cluster: 'prod', Services: ['web'] };

let clock: StepClock;
let ecs: FakeEcs;
let records: MemoryRecords;

beforeEach(() => {
    clock = new StepClock(T0);
    ecs = new FakeEcs(clock);
    records = new MemoryRecords(ecs.journal);
    ecs.add('web');
});

const run = (request: RestartRequest, context?: OperationContext): Promise<RestartOutcome> =>
    runRestart(request, context, fakeDependencies(clock, ecs, records));

function contextOf(outcome: RestartOutcome): OperationContext {
    if (outcome.kind !== 'in-progress') throw new Error(`expected in-progress, got ${JSON.stringify(outcome)}`);
    return outcome.context;
}

const stored = () => records.records.get(RESOURCE_ID);

describe('the first step', () => {
    it('writes the record, with the attempt, before any UpdateService', async () => {
        const outcome = await run(restartRequest(PROPERTIES));

        const journal = ecs.journal;
        expect(journal.indexOf(`records.putNew ${RESOURCE_ID}`)).toBeGreaterThanOrEqual(0);
        expect(journal.indexOf(`records.putNew ${RESOURCE_ID}`)).toBeLessThan(journal.indexOf('ecs.forceNewDeployment arn:web'));
        expect(outcome).toMatchObject({ kind: 'in-progress', properties: { Id: RESOURCE_ID, DeploymentIds: ['ecs-svc/300'] } });
        expect(stored()?.operation).toMatchObject({ status: 'IN_PROGRESS', attemptedAt: [0] });
        expect(stored()?.deploymentIds).toEqual(['ecs-svc/300']);
    });

    it('resumes from the record when it is invoked again, restarting nothing twice', async () => {
        await run(restartRequest(PROPERTIES));

        const replayed = await run(restartRequest(PROPERTIES));

        expect(ecs.callsOf('forceNewDeployment')).toEqual(['arn:web']);
        expect(contextOf(replayed)).toMatchObject({ stage: 'restarting', wave: 0 });
        expect(replayed).toMatchObject({ properties: { DeploymentIds: ['ecs-svc/300'] } });
        expect(stored()?.deploymentIds).toEqual(['ecs-svc/300']);
    });

    it.each([
        ['SUCCEEDED', { kind: 'success', properties: { Id: RESOURCE_ID, DeploymentIds: ['ecs-svc/200'] } }],
        ['FAILED', { kind: 'failed', errorCode: 'NotStabilized', message: expect.stringContaining('already failed') }],
    ] as const)('answers a replayed first step of an operation whose record says %s without calling ECS', async (status, expected) => {
        records.records.set(RESOURCE_ID, restartRecord(status, { tokenDigest: 't' }));

        await expect(run(restartRequest(PROPERTIES))).resolves.toMatchObject(expected);
        expect(ecs.journal.filter((entry) => entry.startsWith('ecs.'))).toEqual([]);
    });

    it('refuses, before any write or restart, a create whose Id another request already holds', async () => {
        records.records.set(RESOURCE_ID, restartRecord('SUCCEEDED', { tokenDigest: 'another' }));

        await expect(run(restartRequest(PROPERTIES))).resolves.toMatchObject({ kind: 'failed', errorCode: 'InternalFailure' });
        expect(ecs.journal).toEqual([`records.get ${RESOURCE_ID}`]);
    });
});

describe('a callback context checked against its record', () => {
    it.each([
        ['a wave past the last one', 1],
        ['a wave two ahead of the record', 2],
    ])('refuses %s with InternalFailure naming the wave, writing and restarting nothing', async (_what, ahead) => {
        // Prepare: three services, one a wave; the record is at wave 0.
        ['web2', 'web3'].forEach((name) => ecs.add(name));
        const properties = ahead === 1 ? PROPERTIES : { Cluster: 'prod', Services: ['web', 'web2', 'web3'], MaxConcurrentRestarts: 1 };
        const first = contextOf(await run(restartRequest(properties)));
        const recordBefore = JSON.stringify(stored());
        ecs.journal.length = 0;
        const lastWave = ahead === 1 ? 0 : 2;
        const wave = ahead === 1 ? lastWave + 1 : 2;

        // Act
        const outcome = await run(restartRequest(properties), { ...first, wave } as OperationContext);

        // Assess
        expect(outcome).toMatchObject({
            kind: 'failed',
            errorCode: 'InternalFailure',
            message: expect.stringMatching(/callback context.*wave/),
        });
        expect(JSON.stringify(stored())).toBe(recordBefore);
        expect(ecs.journal.filter((entry) => !entry.startsWith('records.get'))).toEqual([]);
    });
});

describe('a failure', () => {
    it('of a create deletes its record: CloudFormation holds a failed create as never made', async () => {
        ecs.failNext.set('forceNewDeployment', [new AwsServiceError('The service is being deleted.')]);

        const outcome = await run(restartRequest(PROPERTIES));

        expect(outcome).toEqual({ kind: 'failed', errorCode: 'GeneralServiceException', message: 'The service is being deleted.' });
        expect(ecs.journal.at(-1)).toBe(`records.delete ${RESOURCE_ID}`);
        expect(stored()).toBeUndefined();
    });

    it('of an update stores FAILED, and says what was and was not restarted', async () => {
        records.records.set(RESOURCE_ID, restartRecord('SUCCEEDED', { tokenDigest: 'earlier' }));
        ecs.add('api');
        ecs.failNext.set('forceNewDeployment', [undefined, new AwsServiceError('The service is being deleted.')]);
        const request = restartRequest({ ...PROPERTIES, Services: ['web', 'api'] }, { action: 'UPDATE' });

        const outcome = await run(request);

        expect(outcome).toEqual({
            kind: 'failed',
            errorCode: 'GeneralServiceException',
            message: 'The service is being deleted. Also restarted: web (ecs-svc/300, still deploying). Not restarted: api.',
        });
        expect(stored()?.operation.status).toBe('FAILED');
        expect(stored()?.deploymentIds).toEqual(['ecs-svc/300', '']);
    });

    it('of a stack rollback is a success that says what did not complete, even when the record cannot be written', async () => {
        records.records.set(RESOURCE_ID, restartRecord('SUCCEEDED', { tokenDigest: 'earlier' }));
        ecs.failNext.set('forceNewDeployment', [new AwsServiceError('The service is being deleted.')]);
        // The operation's writes (its record, then the refused attempt forgotten) go through; the rollback's own fails.
        records.failNext.set('put', [undefined, undefined, new AwsServiceError('SSM is down.')]);
        const log: string[] = [];
        const request = restartRequest({ ...PROPERTIES, OnStackRollback: 'Restart' }, { action: 'UPDATE', stackRollback: true });

        const outcome = await runRestart(request, undefined, { ...fakeDependencies(clock, ecs, records), log: (m) => log.push(m) });

        expect(outcome).toMatchObject({ kind: 'success', properties: { Id: RESOURCE_ID } });
        expect(outcome.message).toContain(
            'Stack rollback: restarting with the previous properties did not complete (GeneralServiceException: The service is being deleted.)',
        );
        expect(log.join('\n')).toContain('could not update the record: SSM is down.');
        expect(ecs.journal.filter((entry) => entry === `records.put ${RESOURCE_ID}`)).toHaveLength(3);
    });

    it('of a stack rollback whose input is refused, and whose record write fails, is still a success', async () => {
        records.records.set(RESOURCE_ID, restartRecord('SUCCEEDED', { tokenDigest: 'earlier' }));
        records.failNext.set('put', [new AwsServiceError('SSM is down.')]);
        const log: string[] = [];
        const request = restartRequest(
            { ...PROPERTIES, Services: ['gone'], OnStackRollback: 'Restart' },
            { action: 'UPDATE', stackRollback: true },
        );

        const outcome = await runRestart(request, undefined, { ...fakeDependencies(clock, ecs, records), log: (m) => log.push(m) });

        expect(outcome).toMatchObject({ kind: 'success' });
        expect(outcome.message).toContain("service 'gone' was not found in cluster 'prod'");
        expect(log.join('\n')).toContain('could not update the record: SSM is down.');
        expect(ecs.callsOf('forceNewDeployment')).toEqual([]);
    });
});

it('skips a stack rollback when OnStackRollback is Skip: no ECS call, the record back to the previous properties', async () => {
    records.records.set(RESOURCE_ID, restartRecord('SUCCEEDED', { tokenDigest: 'earlier' }));
    const previous = { ...PROPERTIES, OnStackRollback: 'Skip' };

    const outcome = await run(restartRequest(previous, { action: 'UPDATE', stackRollback: true }));

    expect(outcome).toMatchObject({ kind: 'success', message: expect.stringContaining('OnStackRollback is Skip') });
    expect(ecs.journal.filter((entry) => entry.startsWith('ecs.'))).toEqual([]);
    expect(stored()).toMatchObject({ properties: previous, operation: { status: 'SUCCEEDED', tokenDigest: 't' } });
});

it('backs off a throttled call with growing delays until TimeoutInMinutes, then fails with Throttling', async () => {
    const request = restartRequest({ ...PROPERTIES, TimeoutInMinutes: 2 });
    const delays: number[] = [];
    let context: OperationContext | undefined;
    let outcome: RestartOutcome | undefined;
    for (let invocation = 0; invocation < 20 && outcome?.kind !== 'failed'; invocation++) {
        ecs.failNext.set('describeServices', [new TransientAwsError('Rate exceeded', 'Throttling')]);
        outcome = await runRestart(request, context, fakeDependencies(clock, ecs, records));
        if (outcome.kind === 'in-progress') {
            expect(outcome.message).toBe('Retrying after a transient AWS error: Rate exceeded');
            delays.push(outcome.delaySeconds);
            context = outcome.context;
            clock.advance(outcome.delaySeconds * 1000);
        }
    }

    expect(outcome).toMatchObject({
        kind: 'failed',
        errorCode: 'Throttling',
        message: 'Gave up when TimeoutInMinutes ran out: Rate exceeded.',
    });
    expect(delays.slice(0, 4)).toEqual([5, 10, 20, 40]);
    expect(delays.reduce((sum, delay) => sum + delay, 0)).toBeGreaterThanOrEqual(120);
    expect(ecs.callsOf('forceNewDeployment')).toEqual([]);
    expect(stored()).toBeUndefined();
});

describe('the invocation budget', () => {
    it('spent mid-step answers IN_PROGRESS to continue, with no call started past it', async () => {
        const first = await run(restartRequest(PROPERTIES));
        ecs.journal.length = 0;
        // The first read of the next invocation takes longer than its whole budget.
        ecs.callMs = 40_000;

        const next = await run(restartRequest(PROPERTIES), contextOf(first));

        expect(next).toMatchObject({ kind: 'in-progress', delaySeconds: 1, message: 'Continuing in the next invocation…' });
        expect(contextOf(next)).toMatchObject({ stage: 'restarting', wave: 0 });
        expect(next).toMatchObject({ properties: { DeploymentIds: ['ecs-svc/300'] } });
        expect(ecs.journal).toEqual([`records.get ${RESOURCE_ID}`, 'ecs.describeServices arn:web']);
    });

    it('stops restarting when it is spent and finishes the wave in the next invocation', async () => {
        const scripted = new ScriptedEcs();
        const ssm = new InMemorySsm();
        try {
            const services = ['a', 'b', 'c', 'd'];
            services.forEach((name) => scripted.addService(name));
            const sdkClock = new StepClock();
            // Each UpdateService takes 15 s: the budget allows only part of the wave per invocation.
            scripted.onUpdateService = () => sdkClock.advance(15_000);
            const request = restartRequest({ Cluster: 'prod', Services: services });

            const first = await runRestart(request, undefined, sdkDependencies(sdkClock));

            expect(first).toMatchObject({ kind: 'in-progress', message: 'Restarting services…', delaySeconds: 1 });
            expect(services.map((name) => scripted.updateCalls(name))).toEqual([1, 1, 1, 0]);
            expect(sdkClock.ms - contextOf(first).startedAt).toBeLessThan(60_000);

            const second = await runRestart(request, contextOf(first), sdkDependencies(sdkClock));

            expect(second.kind).toBe('in-progress');
            expect(services.map((name) => scripted.updateCalls(name))).toEqual([1, 1, 1, 1]);
        } finally {
            scripted.mock.restore();
            ssm.mock.restore();
        }
    });
});
