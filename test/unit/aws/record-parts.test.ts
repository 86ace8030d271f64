/** Splitting a record over Standard-tier parameters and joining it back: any size round-trips, no part exceeds 4,096 bytes. */
import { randomBytes } from 'node:crypto';
import fc from 'fast-check';
import {
    MAX_PARAMETER_BYTES,
    MAX_RECORD_BYTES,
    MAX_RECORD_PARTS,
    PartsHead,
    StoredForm,
    joinParts,
    partsFor,
    partNamesOf,
    readHead,
    storedFormOf,
} from '../../../src/aws/record-parts';
import { UnreadableRecordError } from '../../../src/restart/errors';

const NAME = '/CloudFormation/Org/ECS/ServiceRestart/0d1c2b3a-0000-8000-8000-000000000001';
const bytes = (text: string) => Buffer.byteLength(text, 'utf8');

/** The text a stored form gives back, read the way the store reads it: the head, then the parts it names. */
function readBack(form: StoredForm): string {
    if (form.kind === 'single') {
        const head = readHead('id', form.value);
        if (head.kind !== 'single') throw new Error('a single record read as a parts head');
        return head.text;
    }
    const head = readHead('id', form.headValue);
    if (head.kind !== 'parts') throw new Error('a parts head read as a record');
    return joinParts('id', head.head, form.parts);
}

function partsOf(text: string): { head: PartsHead; headValue: string; parts: readonly string[] } {
    const form = storedFormOf(text, 'a1b2c3d4e5f6');
    if (form.kind !== 'parts') throw new Error(`${bytes(text)} bytes fit one parameter`);
    return form;
}

/** JSON-looking text of any size, any Unicode (multi-byte characters around the part boundaries included). */
const recordText = fc
    .tuple(
        fc.string({ unit: 'grapheme', maxLength: 40 }),
        fc.integer({ min: 0, max: 3000 }),
        fc.string({ unit: 'binary', maxLength: 3000 }),
    )
    .map(([name, copies, noise]) =>
        JSON.stringify({ version: 1, services: Array.from({ length: copies }, (_, i) => `${name}-${i}`), noise }),
    );

describe('storedFormOf and joinParts', () => {
    it('round-trip a record of any size, every parameter at most 4,096 bytes', () => {
        fc.assert(
            fc.property(recordText, (text) => {
                const form = storedFormOf(text, 'a1b2c3d4e5f6');
                const values = form.kind === 'single' ? [form.value] : [form.headValue, ...form.parts];

                expect(readBack(form)).toBe(text);
                expect(partsFor(text)).toBe(form.kind === 'single' ? 0 : form.parts.length);
                for (const value of values) expect(bytes(value)).toBeLessThanOrEqual(MAX_PARAMETER_BYTES);
                expect(form.kind).toBe(bytes(text) <= MAX_PARAMETER_BYTES ? 'single' : 'parts');
            }),
            { numRuns: 60 },
        );
    });

    it('keep a record that fits one parameter as it is, in the form earlier versions wrote and read', () => {
        const text = JSON.stringify({ version: 1, properties: { Cluster: 'prod' } });

        expect(storedFormOf(text, 'a1b2c3d4e5f6')).toEqual({ kind: 'single', value: text });
    });

    it('name the parts under the head, one level per generation, in order', () => {
        expect(partNamesOf(NAME, { generation: 'a1b2c3d4e5f6', count: 2 })).toEqual([
            `${NAME}/parts/a1b2c3d4e5f6/0`,
            `${NAME}/parts/a1b2c3d4e5f6/1`,
        ]);
    });
});

describe('joinParts refuses parts that are not the ones the head names', () => {
    const changedAt = (value: string, at: number) => `${value.slice(0, at)}${value[at] === 'A' ? 'B' : 'A'}${value.slice(at + 1)}`;
    const text = JSON.stringify({ version: 1, noise: randomBytes(9000).toString('hex') });
    const { head, parts } = partsOf(text);

    it.each([
        ['a part missing', parts.slice(1)],
        ['two parts swapped', [parts[1] ?? '', parts[0] ?? '', ...parts.slice(2)]],
        [
            'a part of another write',
            [partsOf(JSON.stringify({ version: 1, noise: randomBytes(9000).toString('hex') })).parts[0] ?? '', ...parts.slice(1)],
        ],
        ['a character changed', [changedAt(parts[0] ?? '', 100), ...parts.slice(1)]],
    ])('%s', (_, altered) => {
        expect(() => joinParts('0d1c', head, altered)).toThrow(UnreadableRecordError);
    });

    it('a head announcing fewer bytes than the parts hold: decompression stops there', () => {
        expect(() => joinParts('0d1c', { ...head, bytes: 100 }, parts)).toThrow(/its parts do not match its head/);
    });
});

describe('readHead', () => {
    const head = (fields: Record<string, unknown>) =>
        JSON.stringify({
            recordParts: { generation: 'a1b2c3d4e5f6', count: 2, bytes: 5000, sha256: 'a'.repeat(64), encoding: 'br-base64', ...fields },
        });

    it('leaves anything that is not a parts head to the record parser, as it is', () => {
        expect(readHead('id', '{"version":1}')).toEqual({ kind: 'single', text: '{"version":1}' });
        expect(readHead('id', 'not json')).toEqual({ kind: 'single', text: 'not json' });
    });

    it('reads a head this type wrote', () => {
        expect(readHead('id', head({}))).toEqual({
            kind: 'parts',
            head: { generation: 'a1b2c3d4e5f6', count: 2, bytes: 5000, sha256: 'a'.repeat(64) },
        });
    });

    it.each([
        ['a generation that is a path', { generation: '../../../app/db' }, /generation/],
        ['no parts', { count: 0 }, new RegExp(`part count, expected 1 to ${MAX_RECORD_PARTS}`)],
        ['more parts than a record takes', { count: MAX_RECORD_PARTS + 1 }, /part count/],
        ['a size beyond the largest record', { bytes: MAX_RECORD_BYTES + 1 }, new RegExp(`size, expected at most ${MAX_RECORD_BYTES}`)],
        ['an encoding of another version', { encoding: 'zstd' }, /encoding "zstd", expected br-base64/],
        ['no digest', { sha256: undefined }, /digest/],
    ])('refuses %s', (_, fields, message) => {
        expect(() => readHead('0d1c', head(fields))).toThrow(UnreadableRecordError);
        expect(() => readHead('0d1c', head(fields))).toThrow(message);
    });
});
