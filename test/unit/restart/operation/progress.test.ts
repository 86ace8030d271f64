/** The operation's state between invocations: its stages, its waves, and the check of a context that comes back. */
import { InternalError } from '../../../../src/restart/errors';
import {
    ExpectedOperation,
    MAX_CONTEXT_NOTES,
    MAX_NOTE_LENGTH,
    MAX_RETURNED_ATTEMPTS,
    checkOperationContext,
    contextOf,
    currentDeploymentId,
    isLastWave,
    newOperation,
    servicesOfWave,
    startRestarting,
    unstartedServicesOfWave,
    waveCountOf,
} from '../../../../src/restart/operation/progress';
import { MAX_SERVICES, settingsFromProperties } from '../../../../src/restart/request/settings';
import { MAX_STORED_RESOLUTION_BYTES } from '../../../../src/restart/selection/stored-resolution';
import { HERE, T0, trackedService } from '../../../support/restart-fixtures';

const SECRET = `arn:aws:secretsmanager:${HERE.region}:${HERE.accountId}:secret:db-AbCdEf`;
const settings = settingsFromProperties(
    { Cluster: 'prod', Services: ['a', 'b', 'c'], MaxConcurrentRestarts: 2, TimeoutInMinutes: 30 },
    HERE,
);
const start = { id: 'id-1', action: 'CREATE' as const, tokenDigest: 'digest' };
const expected: ExpectedOperation = { ...start, settings, now: T0 };

const preparing = () => newOperation(start, settings, T0);
const planned = () => startRestarting(preparing(), settings, ['arn:a', 'arn:b', 'arn:c'], T0);
/** The callback context of a restarting operation. */
const restarting = () => contextOf(planned());
/** A context as it comes back: JSON, then altered by `change`. */
const returned = (context: object, change: (raw: any) => void = () => undefined): unknown => {
    const raw = JSON.parse(JSON.stringify(context));
    change(raw);
    return raw;
};

describe('newOperation and startRestarting', () => {
    it('fixes the deadline at the first attempt from TimeoutInMinutes', () => {
        expect(preparing()).toEqual({
            stage: 'preparing',
            ...start,
            startedAt: T0,
            deadline: T0 + 30 * 60_000,
            transientFailures: 0,
        });
    });

    it('plans waves of MaxConcurrentRestarts in the order of Services, with the ARNs by position and nothing started', () => {
        const progress = planned();
        expect(progress).toMatchObject({
            stage: 'restarting',
            wave: 0,
            waveStartedAt: T0,
            deadline: T0 + 30 * 60_000,
        });
        expect(waveCountOf(progress)).toBe(2);
        expect(progress.services.map((s) => [s.name, s.arn, s.wave])).toEqual([
            ['a', 'arn:a', 0],
            ['b', 'arn:b', 0],
            ['c', 'arn:c', 1],
        ]);
        expect(servicesOfWave(progress, 1).map((s) => s.name)).toEqual(['c']);
        expect(unstartedServicesOfWave(progress).map((s) => s.name)).toEqual(['a', 'b']);
        expect(isLastWave(progress)).toBe(false);
        expect(isLastWave({ ...progress, wave: 1 })).toBe(true);
    });
});

describe('currentDeploymentId', () => {
    it('is the followed deployment when one superseded ours, else ours', () => {
        expect(currentDeploymentId(trackedService({ deploymentId: 'ecs-svc/1' }))).toBe('ecs-svc/1');
        expect(currentDeploymentId(trackedService({ deploymentId: 'ecs-svc/1', followedDeploymentId: 'ecs-svc/2' }))).toBe('ecs-svc/2');
        expect(currentDeploymentId(trackedService({ deploymentId: undefined }))).toBeUndefined();
    });
});

/** A reference to names a resolution stored beside the record, as this type writes one. */
const SELECTION = { generation: '0123456789ab', parts: 2, bytes: 9_000, sha256: 'a'.repeat(64), names: 1000 };

/** A preparing context whose resolution names a stored selection (`field`) changed by `overrides`. */
function withStoredSelection(field: 'selection' | 'replaced', overrides: Partial<typeof SELECTION>) {
    return returned(preparing(), (raw) => (raw.resolution = { offset: 0, [field]: { ...SELECTION, ...overrides } }));
}

describe('checkOperationContext', () => {
    it('accepts the contexts this operation returned, in either stage', () => {
        expect(checkOperationContext(returned(preparing()), expected)).toEqual(preparing());
        expect(checkOperationContext(returned(restarting()), expected)).toEqual(restarting());
    });

    it('accepts any token digest when the request carries no token, and a preparing stage with its resolution', () => {
        const resolution = { offset: 12, servicesRead: 12, selection: SELECTION, replaced: { ...SELECTION, names: 900 } };
        expect(
            checkOperationContext(
                returned(preparing(), (raw) => (raw.resolution = resolution)),
                { ...expected, tokenDigest: undefined },
            ),
        ).toMatchObject({ stage: 'preparing', resolution });
    });

    it('carries nothing per service: as small at 1,000 services as at 3, the open attempts by when they were made', () => {
        const withSecrets = settingsFromProperties({ Cluster: 'prod', ServicesUsingSecrets: [SECRET] }, HERE);
        const many = { ...withSecrets, services: Array.from({ length: MAX_SERVICES }, (_, i) => ({ input: `s${i}`, name: `s${i}` })) };
        const operation = startRestarting(newOperation(start, withSecrets, T0), many, [], T0);
        const attempted = { ...operation, services: operation.services.map((s, i) => (i < 3 ? { ...s, attemptedAt: T0 + i } : s)) };

        const context = contextOf(attempted);

        expect(context).not.toHaveProperty('services');
        expect(context.returnedAttempts).toEqual([T0, T0 + 1, T0 + 2]);
        expect(JSON.stringify(context).length).toBeLessThan(600);
        expect(checkOperationContext(returned(context), { ...expected, settings: withSecrets })).toEqual(context);
    });

    it('takes a context of the earlier form, which carried its services, by its open attempts (the rest is in the record)', () => {
        const earlier = startRestarting(preparing(), settings, ['arn:a', 'arn:b', 'arn:c'], T0);
        const legacy = { ...earlier, services: earlier.services.map((s, i) => (i === 1 ? { ...s, attemptedAt: T0 + 5 } : s)) };

        const checked = checkOperationContext(returned(legacy), expected);

        expect(checked).toMatchObject({ stage: 'restarting', returnedAttempts: [T0 + 5] });
        expect(checked).not.toHaveProperty('services');
    });

    it.each<[string, () => unknown, string]>([
        ['not an object', () => ['restarting'], 'not an object'],
        ['null', () => null, 'not an object'],
        ['an unknown stage', () => returned(restarting(), (raw) => (raw.stage = 'done')), 'unknown stage'],
        ['another resource', () => returned(restarting(), (raw) => (raw.id = 'id-2')), 'resource Id id-2 instead of id-1'],
        ['another action', () => returned(restarting(), (raw) => (raw.action = 'UPDATE')), 'another action'],
        ['another request token', () => returned(restarting(), (raw) => (raw.tokenDigest = 'other')), 'another request token'],
        ['no token digest', () => returned(preparing(), (raw) => delete raw.tokenDigest), 'another request token'],
        ['a negative start', () => returned(restarting(), (raw) => (raw.startedAt = -1)), 'malformed times'],
        ['a fractional failure count', () => returned(preparing(), (raw) => (raw.transientFailures = 0.5)), 'malformed times'],
        [
            'a moved deadline',
            () => returned(restarting(), (raw) => (raw.deadline += 3_600_000)),
            'a deadline that TimeoutInMinutes does not give',
        ],
        [
            'the deadline of another TimeoutInMinutes',
            () => returned(restarting(), (raw) => (raw.deadline = raw.startedAt + 3_600_000)),
            'a deadline that TimeoutInMinutes does not give',
        ],
        [
            'a start in the future',
            () => returned(restarting(), (raw) => ((raw.startedAt += 10 * 60_000), (raw.deadline += 10 * 60_000))),
            'a start in the future',
        ],
        [
            'a resolution that is not an object',
            () => returned(preparing(), (raw) => (raw.resolution = 'x')),
            'a service resolution out of bounds',
        ],
        [
            'a resolution larger than its place, counters and notes take (the names are stored beside the record)',
            () => returned(preparing(), (raw) => (raw.resolution = { found: ['x'.repeat(MAX_STORED_RESOLUTION_BYTES)] })),
            'a service resolution out of bounds',
        ],
        [
            'a stored selection whose generation would name other parameters',
            () => withStoredSelection('selection', { generation: '../../x' }),
            'a stored selection this type does not write',
        ],
        [
            'a replaced selection of more parts than any selection takes',
            () => withStoredSelection('replaced', { parts: 5_000 }),
            'a stored selection this type does not write',
        ],
        ['a wave past any plan', () => returned(restarting(), (raw) => (raw.wave = MAX_SERVICES)), 'waves that the properties do not plan'],
        ['a look past any service', () => returned(restarting(), (raw) => (raw.lookFrom = MAX_SERVICES)), 'a look out of bounds'],
        ['a fractional look', () => returned(restarting(), (raw) => (raw.lookFrom = 1.5)), 'a look out of bounds'],
        [
            'an unknown service-deployments API state',
            () => returned(restarting(), (raw) => (raw.serviceDeploymentsApi = 'maybe')),
            'an unknown service-deployments API state',
        ],
        ['no returned attempts', () => returned(restarting(), (raw) => (raw.returnedAttempts = 'x')), 'attempts out of bounds'],
        [
            'too many returned attempts',
            () => returned(restarting(), (raw) => (raw.returnedAttempts = Array.from({ length: MAX_RETURNED_ATTEMPTS + 1 }, (_, i) => i))),
            'attempts out of bounds',
        ],
        [
            'a returned attempt that is no time',
            () => returned(restarting(), (raw) => (raw.returnedAttempts = [-1])),
            'attempts out of bounds',
        ],
        ['no wave start', () => returned(restarting(), (raw) => delete raw.waveStartedAt), 'waves that the properties do not plan'],
        ['no notes', () => returned(restarting(), (raw) => (raw.notes = 'x')), 'notes out of bounds'],
        [
            'too many notes',
            () => returned(restarting(), (raw) => (raw.notes = Array.from({ length: MAX_CONTEXT_NOTES + 1 }, () => 'n'))),
            'notes out of bounds',
        ],
        ['a note too long', () => returned(restarting(), (raw) => (raw.notes = ['x'.repeat(MAX_NOTE_LENGTH + 1)])), 'notes out of bounds'],
        ['a note that is not text', () => returned(restarting(), (raw) => (raw.notes = [{}])), 'notes out of bounds'],
        [
            'another WaitForSteadyState',
            () => returned(restarting(), (raw) => (raw.waitForSteadyState = false)),
            'another WaitForSteadyState',
        ],
    ])('refuses %s, naming it, with InternalError', (_label, raw, what) => {
        const act = () => checkOperationContext(raw(), expected);
        expect(act).toThrow(InternalError);
        expect(act).toThrow(`The callback context does not match this request (${what}); nothing was done.`);
    });
});
