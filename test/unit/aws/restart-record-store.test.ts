/** The SSM record store: every page of LIST read, and record paths built from a resource Id only. */
import { GetParametersByPathCommand, SSMClient } from '@aws-sdk/client-ssm';
import { mockClient } from 'aws-sdk-client-mock';
import { SsmRecordStore, recordPath } from '../../../src/aws/restart-record-store';

const ssmMock = mockClient(SSMClient);
const deadline = { invocationDeadline: Number.MAX_SAFE_INTEGER, perCallMs: 10_000, now: Date.now };
const store = new SsmRecordStore(new SSMClient({ region: 'us-east-1' }), deadline);

afterEach(() => {
    ssmMock.reset();
});

describe('SsmRecordStore.list', () => {
    it('reads every page under the type path and skips parameters that are not records of this type', async () => {
        const path = '/CloudFormation/Org/ECS/ServiceRestart/';
        const id = (n: number) => `0d1c2b3a-0000-8000-8000-00000000000${n}`;
        const record = (n: number) =>
            JSON.stringify({
                version: 1,
                properties: { Cluster: `c${n}` },
                serviceArns: [],
                deploymentIds: [],
                restartedAt: '2026-11-27T00:00:00.000Z',
                operation: {
                    tokenDigest: 'd',
                    action: 'CREATE',
                    status: 'SUCCEEDED',
                    wave: 0,
                    waveStartedAt: 0,
                    startedAt: 0,
                    deadline: 0,
                },
            });
        ssmMock
            .on(GetParametersByPathCommand)
            .resolvesOnce({ Parameters: [{ Name: `${path}${id(1)}`, Value: record(1) }], NextToken: 'next' })
            .resolvesOnce({
                Parameters: [
                    { Name: `${path}not-an-id`, Value: record(9) },
                    { Name: `${path}${id(2)}`, Value: record(2) },
                ],
            });

        const records = await store.list();

        const calls = ssmMock.commandCalls(GetParametersByPathCommand).map((call) => call.args[0].input);
        expect(calls.map((input) => [input.Path, input.NextToken])).toEqual([
            [path, undefined],
            [path, 'next'],
        ]);
        expect(records.map((entry) => entry.id)).toEqual([id(1), id(2)]);
    });
});

describe('recordPath', () => {
    it('is built from a generated UUID only', () => {
        expect(recordPath('0d1c2b3a-0000-5000-8000-000000000000')).toBe(
            '/CloudFormation/Org/ECS/ServiceRestart/0d1c2b3a-0000-5000-8000-000000000000',
        );
        expect(() => recordPath('../x')).toThrow("'../x' is not an identifier of this resource type");
    });
});
