/** Which resource and which operation a request acts on. */
import { InternalError, RecordNotFoundError } from '../../../../src/restart/errors';
import { digestToken, idForCreate } from '../../../../src/restart/operation/identity';
import { newOperation } from '../../../../src/restart/operation/progress';
import {
    RestartRequestFields,
    identifyRestart,
    isListedResource,
    requireResourceId,
} from '../../../../src/restart/operation/resource-request';
import type { OperationStatus } from '../../../../src/restart/ports';
import { settingsFromProperties } from '../../../../src/restart/request/settings';
import { HERE, T0, restartRecord } from '../../../support/restart-fixtures';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const settings = settingsFromProperties({ Cluster: 'prod', Services: ['web'] }, HERE);
const fields = (overrides: Partial<RestartRequestFields> = {}): RestartRequestFields => ({
    action: 'CREATE',
    requestToken: 'token-1',
    context: undefined,
    here: HERE,
    settings,
    now: T0,
    ...overrides,
});

describe('requireResourceId', () => {
    it('takes the desired Id, else the previous one', () => {
        expect(requireResourceId('id-new', 'id-old')).toBe('id-new');
        expect(requireResourceId(undefined, 'id-old')).toBe('id-old');
        expect(requireResourceId('', 'id-old')).toBe('id-old');
    });

    it.each([
        [undefined, undefined],
        [null, null],
        ['', ''],
    ])('refuses a request that names no Id (%p, %p)', (desired, previous) => {
        expect(() => requireResourceId(desired, previous)).toThrow(RecordNotFoundError);
        expect(() => requireResourceId(desired, previous)).toThrow('The request names no Id');
    });
});

describe('identifyRestart', () => {
    it('derives a create’s Id from the request token, so a retried first step finds the same resource', () => {
        const first = identifyRestart(fields());

        expect(first).toEqual({
            id: idForCreate(HERE.accountId, HERE.region, 'token-1'),
            tokenDigest: digestToken('token-1'),
            operation: undefined,
        });
        expect(identifyRestart(fields())).toEqual(first);
        expect(identifyRestart(fields({ requestToken: 'token-2' })).id).not.toBe(first.id);
    });

    it('acts on the Id an update names, and refuses an update that names none', () => {
        expect(identifyRestart(fields({ action: 'UPDATE', desiredId: 'id-9', previousId: 'id-8' })).id).toBe('id-9');
        expect(() => identifyRestart(fields({ action: 'UPDATE' }))).toThrow(RecordNotFoundError);
    });

    it('takes CloudFormation’s empty first context for no context', () => {
        expect(identifyRestart(fields({ context: {} })).operation).toBeUndefined();
    });

    it('checks a context that comes back against the request, and returns it checked', () => {
        const context = newOperation(
            { id: identifyRestart(fields()).id, action: 'CREATE', tokenDigest: digestToken('token-1') },
            settings,
            T0,
        );

        expect(identifyRestart(fields({ context: JSON.parse(JSON.stringify(context)) })).operation).toEqual(context);
        expect(() => identifyRestart(fields({ context: { ...context, tokenDigest: digestToken('token-2') } }))).toThrow(InternalError);
    });

    it('without a token, keeps the Id and digest of the context it is given', () => {
        const context = newOperation({ id: 'id-direct', action: 'CREATE', tokenDigest: 'd-direct' }, settings, T0);

        expect(identifyRestart(fields({ requestToken: undefined, context }))).toEqual({
            id: 'id-direct',
            tokenDigest: 'd-direct',
            operation: context,
        });
    });

    it('without a token or a context, makes every first step its own operation', () => {
        const a = identifyRestart(fields({ requestToken: '' }));
        const b = identifyRestart(fields({ requestToken: undefined }));

        expect(a.id).toMatch(UUID);
        expect(b.id).toMatch(UUID);
        expect(a.id).not.toBe(b.id);
        expect(a.tokenDigest).not.toBe(b.tokenDigest);
    });
});

describe('isListedResource', () => {
    it.each<['CREATE' | 'UPDATE', OperationStatus, boolean]>([
        ['CREATE', 'SUCCEEDED', true],
        ['CREATE', 'IN_PROGRESS', false],
        ['CREATE', 'FAILED', false],
        ['UPDATE', 'SUCCEEDED', true],
        ['UPDATE', 'IN_PROGRESS', true],
        ['UPDATE', 'FAILED', true],
    ])('lists a %s that is %s: %p', (action, status, listed) => {
        expect(isListedResource(restartRecord(status, { action }))).toBe(listed);
    });
});
