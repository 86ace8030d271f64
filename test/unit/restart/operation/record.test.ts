/** The stored record: parsed only when it has this type's shape; the properties the resource reports; the record a rollback leaves. */
import { UnreadableRecordError } from '../../../../src/restart/errors';
import {
    INPUT_PROPERTY_NAMES,
    inputPropertiesOf,
    parseRecord,
    resourcePropertiesOf,
    revertedRecordOf,
} from '../../../../src/restart/operation/record';
import { OURS, T0, restartRecord, trackedService } from '../../../support/restart-fixtures';

const digest = (token: string): string => `digest-of-${token}`;
/** The stored text of a valid record, altered by `change`. */
const stored = (change: (raw: any) => void = () => undefined): string => {
    const raw = JSON.parse(JSON.stringify(restartRecord('IN_PROGRESS')));
    change(raw);
    return JSON.stringify(raw);
};

describe('parseRecord', () => {
    it('reads back a record as it was written', () => {
        expect(parseRecord('id-1', stored(), digest)).toEqual(restartRecord('IN_PROGRESS'));
    });

    it.each<[string, string, string]>([
        ['text that is not JSON', '{"version": 1', 'is not JSON'],
        ['an array', '[]', '(not an object)'],
        ['JSON null', 'null', '(not an object)'],
        ['another version', stored((r) => (r.version = 2)), '(version 2, expected 1)'],
        ['no version', stored((r) => delete r.version), '(version missing, expected 1)'],
        ['a long version, quoted short', stored((r) => (r.version = 'v'.repeat(100))), `(version "${'v'.repeat(19)}, expected 1)`],
        ['no properties', stored((r) => delete r.properties), '(no properties)'],
        ['properties that are a list', stored((r) => (r.properties = ['Cluster'])), '(no properties)'],
        ['service ARNs that are not strings', stored((r) => (r.serviceArns = [1])), '(service ARNs and deployment ids do not match)'],
        ['fewer deployment ids than services', stored((r) => (r.deploymentIds = [])), '(service ARNs and deployment ids do not match)'],
        ['no deployment ids', stored((r) => delete r.deploymentIds), '(service ARNs and deployment ids do not match)'],
        ['a restart time that is not text', stored((r) => (r.restartedAt = 0)), '(no operation)'],
        ['no operation', stored((r) => delete r.operation), '(no operation)'],
        ['an operation that is a list', stored((r) => (r.operation = [])), '(no operation)'],
        ['an unknown action', stored((r) => (r.operation.action = 'DELETE')), '(unknown action)'],
        ['an unknown status', stored((r) => (r.operation.status = 'DONE')), '(unknown status)'],
        ['a negative wave', stored((r) => (r.operation.wave = -1)), '(bad times)'],
        ['a fractional deadline', stored((r) => (r.operation.deadline = 1.5)), '(bad times)'],
        ['a start time as text', stored((r) => (r.operation.startedAt = String(T0))), '(bad times)'],
        ['no wave start', stored((r) => delete r.operation.waveStartedAt), '(bad times)'],
        ['neither a token digest nor a token', stored((r) => delete r.operation.tokenDigest), '(no request token digest)'],
        ['per-service state that is not a list', stored((r) => (r.services = {})), '(per-service state that does not match the services)'],
        [
            'per-service state of more services than it has',
            stored((r) => r.services.push({})),
            '(per-service state that does not match the services)',
        ],
        [
            'per-service state of fewer services than it has',
            stored((r) => (r.services = [])),
            '(per-service state that does not match the services)',
        ],
        [
            'a service state that is not an object',
            stored((r) => (r.services = ['done'])),
            '(per-service state that does not match the services)',
        ],
        [
            'an own deployment that is not text',
            stored((r) => (r.services[0].ownDeploymentId = 7)),
            '(per-service state that does not match the services)',
        ],
        [
            'an own deployment that is empty',
            stored((r) => (r.services[0].ownDeploymentId = '')),
            '(per-service state that does not match the services)',
        ],
        [
            'a service deployment ARN of 2,049 characters',
            stored((r) => (r.services[0].serviceDeploymentArn = 'a'.repeat(2_049))),
            '(per-service state that does not match the services)',
        ],
        [
            'a service start that is negative',
            stored((r) => (r.services[0].startedAt = -5)),
            '(per-service state that does not match the services)',
        ],
        [
            'completed that is not true',
            stored((r) => (r.services[0].completed = 'yes')),
            '(per-service state that does not match the services)',
        ],
        [
            'an approval without a hook',
            stored((r) => (r.services[0].awaitingApproval = { since: T0 })),
            '(per-service state that does not match the services)',
        ],
        [
            'an approval with a time as text',
            stored((r) => (r.services[0].awaitingApproval = { hookId: 'h', since: 'now' })),
            '(per-service state that does not match the services)',
        ],
    ])('refuses %s, naming the record and what is wrong', (_what, text, problem) => {
        const parse = () => parseRecord('id-1', text, digest);

        expect(parse).toThrow(UnreadableRecordError);
        expect(parse).toThrow(`The restart record of id-1 `);
        expect(parse).toThrow(problem);
    });

    it('reads per-service state back whole, and a record written without it (an earlier release)', () => {
        const withState = stored((r) => {
            r.services = [
                {
                    ownDeploymentId: 'ecs-svc/1',
                    startedAt: T0,
                    serviceDeploymentArn: 'arn:sd',
                    completed: true,
                    awaitingApproval: { hookId: 'h-1', since: T0 + 5 },
                },
            ];
        });
        const withoutState = stored((r) => delete r.services);

        expect(parseRecord('id-1', withState, digest).services).toEqual([
            {
                ownDeploymentId: 'ecs-svc/1',
                startedAt: T0,
                serviceDeploymentArn: 'arn:sd',
                completed: true,
                awaitingApproval: { hookId: 'h-1', since: T0 + 5 },
            },
        ]);
        const earlier = parseRecord('id-1', withoutState, digest);
        expect(earlier.services).toBeUndefined();
        expect(earlier.serviceArns).toEqual(restartRecord('IN_PROGRESS').serviceArns);
    });

    it('digests the clear token of a record written before the digest, and keeps only the digest', () => {
        const record = parseRecord(
            'id-1',
            stored((r) => {
                delete r.operation.tokenDigest;
                r.operation.token = 'tok';
            }),
            digest,
        );

        expect(record.operation.tokenDigest).toBe('digest-of-tok');
        expect(record.operation).not.toHaveProperty('token');
    });

    it.each([
        ['absent', (r: any) => delete r.operation.attemptedAt],
        ['of another length than the services', (r: any) => (r.operation.attemptedAt = [1, 2])],
        ['not times', (r: any) => (r.operation.attemptedAt = ['now'])],
    ])('reads attempts that are %s as none made', (_what, change) => {
        expect(parseRecord('id-1', stored(change), digest).operation.attemptedAt).toEqual([0]);
    });

    it('drops fields the type does not write', () => {
        const record = parseRecord(
            'id-1',
            stored((r) => (r.extra = 'x')),
            digest,
        );

        expect(record).not.toHaveProperty('extra');
    });
});

describe('inputPropertiesOf and resourcePropertiesOf', () => {
    it('keeps only the input properties that are set', () => {
        expect(inputPropertiesOf({ Cluster: 'prod', Services: ['web'], Id: 'id-1', DeploymentIds: [OURS], Triggers: undefined })).toEqual({
            Cluster: 'prod',
            Services: ['web'],
        });
        expect(INPUT_PROPERTY_NAMES).not.toContain('Id');
    });

    it('reports the input properties with the read-only ones of the record', () => {
        expect(resourcePropertiesOf('id-1', restartRecord())).toEqual({
            Cluster: 'prod',
            Services: ['web'],
            Id: 'id-1',
            RestartedAt: new Date(T0).toISOString(),
            ServiceArns: ['arn:web'],
            DeploymentIds: [OURS],
        });
    });
});

describe('revertedRecordOf', () => {
    const previous = { Cluster: 'prod', Services: ['web'], Triggers: { v: '1' } };

    it('keeps the ARNs, deployments and restart time of the last restart when its services line up', () => {
        const reverted = revertedRecordOf(restartRecord(), previous, 1, 'd2', T0 + 60_000);

        expect(reverted).toMatchObject({
            properties: previous,
            serviceArns: ['arn:web'],
            deploymentIds: [OURS],
            restartedAt: new Date(T0).toISOString(),
            operation: { tokenDigest: 'd2', action: 'UPDATE', status: 'SUCCEEDED', attemptedAt: [0] },
        });
    });

    it('leaves the services blank when they do not line up, and dates a record it had none of from now', () => {
        const two = restartRecord('SUCCEEDED', { services: [trackedService(), trackedService({ name: 'api', arn: 'arn:api' })] });

        expect(revertedRecordOf(two, previous, 1, 'd2', T0)).toMatchObject({ serviceArns: [''], deploymentIds: [''] });
        expect(revertedRecordOf(undefined, previous, 2, 'd2', T0 + 1)).toMatchObject({
            serviceArns: ['', ''],
            deploymentIds: ['', ''],
            restartedAt: new Date(T0 + 1).toISOString(),
            operation: { status: 'SUCCEEDED', attemptedAt: [0, 0] },
        });
    });
});
