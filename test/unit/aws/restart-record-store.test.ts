/**
 * The SSM record store: every page of LIST read, record paths built from a resource Id only, and a record
 * larger than one parameter spread over parts that readers only ever see whole.
 */
import {
    DeleteParametersCommand,
    GetParameterCommand,
    GetParametersByPathCommand,
    GetParametersCommand,
    PutParameterCommand,
    SSMClient,
    ThrottlingException,
} from '@aws-sdk/client-ssm';
import { createHash, randomBytes } from 'node:crypto';
import { AwsClientStub, mockClient } from 'aws-sdk-client-mock';
import { ADMITTED_RECORD_PARTS, MAX_PARAMETER_BYTES, MAX_RECORD_PARTS } from '../../../src/aws/record-parts';
import { SsmRecordStore, recordPath } from '../../../src/aws/restart-record-store';
import { InvalidInputError, RecordExistsError, RecordNotFoundError, TransientAwsError } from '../../../src/restart/errors';
import type { RestartRecord } from '../../../src/restart/ports';
import { InMemorySsm } from '../../support/in-memory-ssm';

const deadline = { invocationDeadline: Number.MAX_SAFE_INTEGER, perCallMs: 10_000, now: Date.now };
/** A store as one invocation has it: the client is mocked, each invocation builds its own store. */
const newStore = () => new SsmRecordStore(new SSMClient({ region: 'us-east-1' }), deadline);

describe('SsmRecordStore.list', () => {
    let ssmMock: AwsClientStub<SSMClient>;
    const store = newStore();
    beforeEach(() => {
        ssmMock = mockClient(SSMClient);
    });
    afterEach(() => {
        ssmMock.restore();
    });

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

const ID = '0d1c2b3a-0000-8000-8000-000000000001';
const OTHER_ID = '0d1c2b3a-0000-8000-8000-000000000002';
const HEAD = `/CloudFormation/Org/ECS/ServiceRestart/${ID}`;
const T0 = Date.UTC(2026, 11, 3, 12, 0, 0);

/** Digits and letters as unrelated as ECS's: what the names and deployment ids of real services compress to. */
const noise = (seed: string, length: number) => createHash('sha256').update(seed).digest('hex').slice(0, length);
const digits = (seed: string) =>
    BigInt(`0x${noise(seed, 16)}`)
        .toString()
        .padStart(19, '0')
        .slice(0, 19);

/** The record of a restart of `services` services with long names, ARNs and deployment ids, as the operation writes it. */
function recordWith(services: number, status: 'IN_PROGRESS' | 'SUCCEEDED' = 'IN_PROGRESS'): RestartRecord {
    const names = Array.from({ length: services }, (_, i) => `payments-${noise(`name${i}`, 12)}-worker`);
    const arns = names.map((name) => `arn:aws:ecs:us-east-1:123456789012:service/production-cluster/${name}`);
    return {
        version: 1,
        properties: {
            Cluster: 'production-cluster',
            Services: names,
            Triggers: Object.fromEntries(Array.from({ length: 10 }, (_, k) => [`Secret${k}`, `${k}`.repeat(256)])),
        },
        serviceArns: arns,
        deploymentIds: arns.map((_, i) => `ecs-svc/${digits(`deployment${i}`)}`),
        restartedAt: new Date(T0).toISOString(),
        operation: {
            tokenDigest: 'd'.repeat(64),
            action: 'CREATE',
            status,
            wave: 0,
            waveStartedAt: T0,
            startedAt: T0,
            deadline: T0 + 3_600_000,
            attemptedAt: arns.map((_, i) => T0 + i),
        },
    };
}

describe('SsmRecordStore, a record larger than one parameter', () => {
    let ssm: InMemorySsm;
    beforeEach(() => {
        ssm = new InMemorySsm();
    });
    afterEach(() => {
        ssm.mock.restore();
    });

    /** The names of this record's parameters: the head and the parts under its child path. */
    const storedNames = (id = ID) => [...ssm.parameters.keys()].filter((name) => name.includes(id)).sort();
    const partNames = () => storedNames().filter((name) => name.startsWith(`${HEAD}/parts/`));
    const calls = () => ({
        GetParameter: ssm.mock.commandCalls(GetParameterCommand).length,
        GetParameters: ssm.mock.commandCalls(GetParametersCommand).length,
        PutParameter: ssm.mock.commandCalls(PutParameterCommand).length,
        DeleteParameters: ssm.mock.commandCalls(DeleteParametersCommand).length,
    });

    it('reads back whole: the head keeps the record name, the parts live under <name>/parts/<generation>/<n>', async () => {
        // Prepare
        const record = recordWith(40);

        // Act
        await newStore().putNew(ID, record);

        // Assess
        expect(Buffer.byteLength(JSON.stringify(record))).toBeGreaterThan(2 * MAX_PARAMETER_BYTES);
        expect(partNames().length).toBeGreaterThan(0);
        for (const name of partNames()) expect(name).toMatch(new RegExp(`^${HEAD}/parts/[0-9a-f]{12}/\\d+$`));
        for (const name of storedNames())
            expect(Buffer.byteLength(ssm.parameters.get(name) ?? '')).toBeLessThanOrEqual(MAX_PARAMETER_BYTES);
        expect(await newStore().get(ID)).toEqual(record);
    });

    it('LIST sees the head only, and reads the record whole', async () => {
        // Prepare
        await newStore().putNew(ID, recordWith(40, 'SUCCEEDED'));
        await newStore().putNew(OTHER_ID, recordWith(1, 'SUCCEEDED'));

        // Act
        const listed = await newStore().list();

        // Assess
        expect(listed).toEqual([
            { id: ID, record: recordWith(40, 'SUCCEEDED') },
            { id: OTHER_ID, record: recordWith(1, 'SUCCEEDED') },
        ]);
    });

    it('a rewrite replaces the parts: a smaller record leaves fewer, one that fits a parameter none', async () => {
        // Prepare
        const store = newStore();
        await store.putNew(ID, recordWith(200));
        const first = partNames();

        // Act, Assess: fewer parts of a new generation, none of the old left
        await store.put(ID, recordWith(40));
        const second = partNames();
        expect(second.length).toBeLessThan(first.length);
        expect(second.filter((name) => first.includes(name))).toEqual([]);
        expect(await newStore().get(ID)).toEqual(recordWith(40));

        // Act, Assess: back in one parameter, no part left
        await newStore().put(ID, recordWith(1));
        expect(storedNames()).toEqual([HEAD]);
        expect(await newStore().get(ID)).toEqual(recordWith(1));
    });

    it('batches its calls: a read is one GetParameter and one GetParameters per 10 parts; a write one PutParameter per parameter', async () => {
        // Prepare
        const store = newStore();
        await store.putNew(ID, recordWith(2000));
        const parts = partNames().length;
        ssm.mock.resetHistory();

        // Act, Assess: the read
        await store.get(ID);
        expect(parts).toBeGreaterThan(10);
        expect(calls()).toEqual({ GetParameter: 1, GetParameters: Math.ceil(parts / 10), PutParameter: 0, DeleteParameters: 0 });

        // Act, Assess: a rewrite after the read knows the head it replaces; the old parts go 10 a call
        ssm.mock.resetHistory();
        await store.put(ID, recordWith(2000, 'SUCCEEDED'));
        expect(calls()).toEqual({ GetParameter: 0, GetParameters: 0, PutParameter: parts + 1, DeleteParameters: Math.ceil(parts / 10) });

        // Act, Assess: a write in a fresh invocation reads the head first
        ssm.mock.resetHistory();
        await newStore().put(ID, recordWith(2000));
        expect(calls()).toMatchObject({ GetParameter: 1, PutParameter: parts + 1, DeleteParameters: Math.ceil(parts / 10) });
    });

    it('a reader that read the head before a rewrite removed its parts reads the head again and gets the new record whole', async () => {
        // Prepare: the rewrite lands between the reader's head and parts reads
        await newStore().putNew(ID, recordWith(100));
        const newer = recordWith(120, 'SUCCEEDED');
        let rewritten = false;
        ssm.mock.on(GetParametersCommand).callsFake(async (input: { Names: string[] }) => {
            if (!rewritten) {
                rewritten = true;
                await newStore().put(ID, newer);
            }
            const found = input.Names.filter((name) => ssm.parameters.has(name));
            return {
                Parameters: found.map((name) => ({ Name: name, Value: ssm.parameters.get(name) })),
                InvalidParameters: input.Names.filter((name) => !ssm.parameters.has(name)),
            };
        });

        // Act
        const read = await newStore().get(ID);

        // Assess
        expect(read).toEqual(newer);
        expect(ssm.mock.commandCalls(GetParameterCommand).length).toBeGreaterThanOrEqual(2);
    });

    it('a write cut off between its parts and its head leaves the old record readable; DELETE removes its parts too', async () => {
        // Prepare
        await newStore().putNew(ID, recordWith(100));
        ssm.mock.on(PutParameterCommand, { Name: HEAD }).rejects(Object.assign(new Error('socket hang up'), { name: 'TimeoutError' }));

        // Act
        await expect(newStore().put(ID, recordWith(300, 'SUCCEEDED'))).rejects.toThrow(TransientAwsError);
        ssm.install();

        // Assess
        expect(await newStore().get(ID)).toEqual(recordWith(100));
        const before = partNames().length;
        await newStore().delete(ID);
        expect(before).toBeGreaterThan(0);
        expect(storedNames()).toEqual([]);
    });

    it('DELETE of a record whose head is gone removes the parts left behind and answers NotFound', async () => {
        // Prepare: a DELETE cut off after the head
        await newStore().putNew(ID, recordWith(100));
        ssm.parameters.delete(HEAD);

        // Act, Assess
        await expect(newStore().delete(ID)).rejects.toThrow(RecordNotFoundError);
        expect(storedNames()).toEqual([]);
    });

    it('a create-only write over an existing record fails and removes the parts it wrote', async () => {
        // Prepare
        await newStore().putNew(ID, recordWith(100));
        const existing = storedNames();

        // Act, Assess
        await expect(newStore().putNew(ID, recordWith(300))).rejects.toThrow(RecordExistsError);
        expect(storedNames()).toEqual(existing);
        expect(await newStore().get(ID)).toEqual(recordWith(100));
    });

    it('a create-only head whose first answer was lost, then refused as existing, is recognised as its own', async () => {
        // Prepare: the head lands, the answer is lost, the SDK's second attempt finds it
        ssm.mock.on(PutParameterCommand, { Name: HEAD }).callsFakeOnce((input: { Name: string; Value: string }) => {
            ssm.parameters.set(input.Name, input.Value);
            throw Object.assign(new Error(`The parameter ${input.Name} already exists.`), { name: 'ParameterAlreadyExists' });
        });

        // Act
        await newStore().putNew(ID, recordWith(100));

        // Assess
        expect(await newStore().get(ID)).toEqual(recordWith(100));
    });

    it('old parts whose removal is throttled do not fail the write; the next write removes them', async () => {
        // Prepare
        const store = newStore();
        await store.putNew(ID, recordWith(100));
        const first = partNames();
        ssm.mock
            .on(DeleteParametersCommand)
            .rejectsOnce(new ThrottlingException({ message: 'Rate exceeded', Message: 'Rate exceeded', $metadata: {} }));

        // Act
        await store.put(ID, recordWith(100, 'SUCCEEDED'));
        const afterThrottle = partNames();
        ssm.install();
        await store.put(ID, recordWith(1));

        // Assess
        expect(afterThrottle.filter((name) => first.includes(name))).toEqual(first);
        expect(storedNames()).toEqual([HEAD]);
    });

    it('one record with a part missing is unreadable: READ says so, LIST skips it and lists the others', async () => {
        // Prepare
        await newStore().putNew(ID, recordWith(100, 'SUCCEEDED'));
        await newStore().putNew(OTHER_ID, recordWith(100, 'SUCCEEDED'));
        ssm.parameters.delete(partNames()[0] ?? '');

        // Act
        const listed = await newStore().list();

        // Assess
        await expect(newStore().get(ID)).rejects.toThrow(/names parts of generation [0-9a-f]{12} that do not exist/);
        expect(listed.map((entry) => [entry.id, entry.problem === undefined])).toEqual([
            [ID, false],
            [OTHER_ID, true],
        ]);
    });

    it('a record in one parameter, as the previous version wrote it, still reads', async () => {
        // Prepare
        ssm.parameters.set(HEAD, JSON.stringify(recordWith(3)));

        // Act, Assess
        expect(await newStore().get(ID)).toEqual(recordWith(3));
    });

    it('a restart of 1,000 services is admitted; a record taking more than half the parts a record holds is refused before anything is written', () => {
        // Prepare: random characters compress little; about 150 parts
        const store = newStore();
        const incompressible = { ...recordWith(1), properties: { Cluster: 'p', Pad: randomBytes(450_000).toString('base64') } };

        // Act, Assess
        expect(() => store.assertFits(ID, recordWith(1000))).not.toThrow();
        expect(() => store.assertFits(ID, incompressible)).toThrow(InvalidInputError);
        expect(() => store.assertFits(ID, incompressible)).toThrow(
            new RegExp(
                `would take \\d+ bytes, \\d+ Standard-tier parameters of 4096 bytes compressed; a restart takes at most ${ADMITTED_RECORD_PARTS + 1}`,
            ),
        );
        expect(ssm.parameters.size).toBe(0);
    });

    it('a write beyond the parts a record holds is refused, and the record stays as it was', async () => {
        // Prepare
        await newStore().putNew(ID, recordWith(10));
        const before = new Map(ssm.parameters);
        const beyond = { ...recordWith(1), properties: { Cluster: 'p', Pad: randomBytes(700_000).toString('base64') } };

        // Act, Assess
        await expect(newStore().put(ID, beyond)).rejects.toThrow(new RegExp(`a record holds at most ${MAX_RECORD_PARTS + 1}`));
        expect(ssm.parameters).toEqual(before);
    });
});
