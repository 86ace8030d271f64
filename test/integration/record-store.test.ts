/**
 * The record store against moto's Parameter Store: a record larger than one Standard-tier parameter
 * is written, read, listed, rewritten smaller and deleted through the real SDK client. moto checks
 * neither the 4,096-byte limit of a Standard value nor the hierarchy depth, so the sizes are asserted
 * here; what moto does check is the hierarchy itself: a parameter that also has children, and a
 * non-recursive GetParametersByPath that answers the heads only.
 */
import { createHash } from 'node:crypto';
import { GetParametersByPathCommand, PutParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { MAX_PARAMETER_BYTES } from '../../src/aws/record-parts';
import { RECORD_PATH_PREFIX, SsmRecordStore } from '../../src/aws/restart-record-store';
import { RecordNotFoundError } from '../../src/restart/errors';
import type { RestartRecord } from '../../src/restart/ports';
import { MotoServer, startMoto } from '../../tools/local/moto';
import { CREDENTIALS, REGION } from '../support/cfn-event';

const ID = '0d1c2b3a-0000-8000-8000-0000000000a1';
const SMALL_ID = '0d1c2b3a-0000-8000-8000-0000000000a2';
const T0 = Date.UTC(2026, 11, 3, 12, 0, 0);
const noise = (seed: string, length: number) => createHash('sha256').update(seed).digest('hex').slice(0, length);

function recordWith(services: number): RestartRecord {
    const names = Array.from({ length: services }, (_, i) => `orders-${noise(`n${i}`, 10)}-worker`);
    const arns = names.map((name) => `arn:aws:ecs:${REGION}:123456789012:service/production/${name}`);
    return {
        version: 1,
        properties: { Cluster: 'production', Services: names.slice(0, 100) },
        serviceArns: arns,
        deploymentIds: arns.map((_, i) => `ecs-svc/${BigInt(`0x${noise(`d${i}`, 15)}`).toString()}`),
        restartedAt: new Date(T0).toISOString(),
        operation: {
            tokenDigest: 'd'.repeat(64),
            action: 'CREATE',
            status: 'SUCCEEDED',
            wave: 0,
            waveStartedAt: T0,
            startedAt: T0,
            deadline: T0 + 3_600_000,
            attemptedAt: arns.map(() => 0),
        },
    };
}

let moto: MotoServer | undefined;
let ssm: SSMClient;
const store = () => new SsmRecordStore(ssm, { invocationDeadline: Number.MAX_SAFE_INTEGER, perCallMs: 10_000, now: Date.now });

/** Every parameter under the type's path, children included. */
async function everyParameter(): Promise<Map<string, string>> {
    const found = new Map<string, string>();
    let token: string | undefined;
    do {
        const page = await ssm.send(new GetParametersByPathCommand({ Path: RECORD_PATH_PREFIX, Recursive: true, NextToken: token }));
        for (const parameter of page.Parameters ?? []) found.set(parameter.Name ?? '', parameter.Value ?? '');
        token = page.NextToken;
    } while (token);
    return found;
}

beforeAll(async () => {
    moto = await startMoto();
    ssm = new SSMClient({ region: REGION, credentials: CREDENTIALS, endpoint: moto.endpoint });
}, 60_000);
afterAll(async () => {
    ssm.destroy();
    await moto?.stop();
});

describe('a record larger than one parameter, on moto', () => {
    const large = recordWith(1000);

    it('is stored as a head with its parts under <head>/parts, every value within a Standard parameter', async () => {
        await store().putNew(ID, large);
        await store().putNew(SMALL_ID, recordWith(2));

        const stored = await everyParameter();
        const ours = [...stored.keys()].filter((name) => name.includes(ID));
        expect(ours.length).toBeGreaterThan(2);
        expect(ours.filter((name) => !name.startsWith(`${RECORD_PATH_PREFIX}${ID}/parts/`))).toEqual([`${RECORD_PATH_PREFIX}${ID}`]);
        for (const name of ours) expect(Buffer.byteLength(stored.get(name) ?? '')).toBeLessThanOrEqual(MAX_PARAMETER_BYTES);
    });

    it('reads back whole, and LIST (non-recursive) sees the two heads only', async () => {
        expect(await store().get(ID)).toEqual(large);
        expect((await store().list()).map((entry) => [entry.id, entry.problem])).toEqual([
            [ID, undefined],
            [SMALL_ID, undefined],
        ]);
    });

    it('rewritten smaller, keeps no part of the larger one', async () => {
        await store().put(ID, recordWith(300));

        expect(await store().get(ID)).toEqual(recordWith(300));
        const parts = [...(await everyParameter()).keys()].filter((name) => name.startsWith(`${RECORD_PATH_PREFIX}${ID}/parts/`));
        expect(new Set(parts.map((name) => name.split('/').at(-2))).size).toBe(1);
    });

    it('DELETE leaves no parameter of it behind, parts of a write that never finished included', async () => {
        // A write cut off after its first part: a generation no head names.
        await ssm.send(
            new PutParameterCommand({
                Name: `${RECORD_PATH_PREFIX}${ID}/parts/0123456789ab/0`,
                Value: 'x',
                Type: 'String',
                Tier: 'Standard',
            }),
        );

        await store().delete(ID);

        expect([...(await everyParameter()).keys()].filter((name) => name.includes(ID))).toEqual([]);
        await expect(store().get(ID)).resolves.toBeUndefined();
        await expect(store().delete(ID)).rejects.toThrow(RecordNotFoundError);
        expect((await store().list()).map((entry) => entry.id)).toEqual([SMALL_ID]);
    });
});

describe('the names a resolution keeps beside the record, on moto', () => {
    const SELECTING_ID = '0d1c2b3a-0000-8000-8000-0000000000a3';
    const longNames = Array.from({ length: 1000 }, (_, i) => `${String(i).padStart(4, '0')}-${noise(`s${i}`, 64).repeat(4).slice(0, 250)}`);
    const underId = async () => [...(await everyParameter()).entries()].filter(([name]) => name.includes(SELECTING_ID));

    it('stores 1,000 names of 255 characters in Standard parameters that LIST does not see, and reads them back whole', async () => {
        const stored = await store().putSelection(SELECTING_ID, longNames);

        const parameters = await underId();
        expect(parameters).toHaveLength(stored.parts);
        expect(stored.parts).toBeGreaterThan(1);
        for (const [name, value] of parameters) {
            expect(name.startsWith(`${RECORD_PATH_PREFIX}${SELECTING_ID}/parts/selection/${stored.generation}/`)).toBe(true);
            expect(Buffer.byteLength(value)).toBeLessThanOrEqual(MAX_PARAMETER_BYTES);
        }
        expect(await store().getSelection(SELECTING_ID, stored)).toEqual(longNames);
        expect((await store().list()).map((entry) => entry.id)).not.toContain(SELECTING_ID);
    });

    it('answers undefined for a selection whose parts are gone or whose reference does not match them', async () => {
        const stored = await store().putSelection(SELECTING_ID, ['web', 'api']);

        await expect(store().getSelection(SELECTING_ID, { ...stored, names: 3 })).resolves.toBeUndefined();
        await expect(store().getSelection(SELECTING_ID, { ...stored, sha256: 'f'.repeat(64) })).resolves.toBeUndefined();
        await expect(store().getSelection(SELECTING_ID, { ...stored, generation: '../../other' })).resolves.toBeUndefined();
        await store().removeSelections(SELECTING_ID, [stored]);
        await expect(store().getSelection(SELECTING_ID, stored)).resolves.toBeUndefined();
    });

    it('a sweep removes every selection of the resource and nothing of its record; DELETE removes selections too', async () => {
        await store().putNew(SELECTING_ID, recordWith(1000));
        const left = await store().putSelection(SELECTING_ID, ['web']);

        await store().sweepSelections(SELECTING_ID);

        expect((await underId()).filter(([name]) => name.includes('/selection/'))).toEqual([]);
        expect(await store().get(SELECTING_ID)).toEqual(recordWith(1000));
        await store().putSelection(SELECTING_ID, ['web']);
        await store().delete(SELECTING_ID);
        expect(await underId()).toEqual([]);
        await expect(store().getSelection(SELECTING_ID, left)).resolves.toBeUndefined();
    });
});
