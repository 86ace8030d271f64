import { createHash, randomBytes } from 'node:crypto';
import { brotliCompressSync, brotliDecompressSync, constants as zlib } from 'node:zlib';
import { UnreadableRecordError } from '../restart/errors';

/**
 * How a record too large for one Standard-tier parameter is stored: its JSON, Brotli-compressed and
 * base64-encoded (ASCII, so a part boundary never cuts a UTF-8 character), cut into parts of at most
 * MAX_PARAMETER_BYTES under `<head>/parts/<generation>/<n>`; the head names the generation, the number
 * of parts and the SHA-256 of the whole JSON. Every write takes a fresh generation, so a reader that
 * holds an older head finds either that head's parts or none, never a mix.
 */

/** A Standard-tier parameter holds 4 KB; a record never silently moves to the paid Advanced tier. */
export const MAX_PARAMETER_BYTES = 4096;
/**
 * The most parts one record takes. Every write stores all of them, one PutParameter each, one after
 * another (Parameter Store's throughput is the account's, 40 transactions a second by default, shared
 * with every other caller), and each occupies one of the account's 10,000 Standard-tier parameters.
 */
export const MAX_RECORD_PARTS = 200;
/**
 * A restart starts only when its record, with every deployment id filled in, takes at most this many
 * parts: what a record gains later (ids that compress worse than the placeholder, state observed on
 * the way) must still fit MAX_RECORD_PARTS, and how well it compresses is known only once written.
 */
export const ADMITTED_RECORD_PARTS = MAX_RECORD_PARTS / 2;
/** The most JSON bytes a record may hold: what decompression of its parts is allowed to produce, no more. */
export const MAX_RECORD_BYTES = 16 * 1024 * 1024;
/** GetParameters and DeleteParameters take at most 10 names per call (an SSM limit). */
export const NAMES_PER_CALL = 10;
const ENCODING = 'br-base64';
const GENERATION_PATTERN = /^[0-9a-f]{12}$/;
const SHA256_PATTERN = /^[0-9a-f]{64}$/;

/** What the head of a multi-part record says: enough to find every part and check the whole. */
export interface PartsHead {
    generation: string;
    count: number;
    /** UTF-8 bytes of the record's JSON. */
    bytes: number;
    sha256: string;
}

/** The parameters one record takes: its JSON in the head alone, or a head naming its parts. */
export type StoredForm =
    { kind: 'single'; value: string } | { kind: 'parts'; head: PartsHead; headValue: string; parts: readonly string[] };

/** A head as read: a record in one parameter (the form every earlier version wrote), or the parts it names. */
export type ReadHead = { kind: 'single'; text: string } | { kind: 'parts'; head: PartsHead };

const sha256 = (text: string): string => createHash('sha256').update(text, 'utf8').digest('hex');

export function newGeneration(): string {
    return randomBytes(6).toString('hex');
}

/** The parts `text` (a record's JSON) takes: 0 when it fits the head alone. */
export function partsFor(text: string): number {
    const form = storedFormOf(text, '000000000000');
    return form.kind === 'single' ? 0 : form.parts.length;
}

/** The path under which every part of the record at `recordName` lives, and the selection a resolution keeps. */
export function partsPathOf(recordName: string): string {
    return `${recordName}/parts`;
}

export function partNamesOf(recordName: string, head: Pick<PartsHead, 'generation' | 'count'>): string[] {
    return Array.from({ length: head.count }, (_, n) => `${partsPathOf(recordName)}/${head.generation}/${n}`);
}

/**
 * Where a resolution that continues in another invocation keeps the names it found so far: beside the
 * record's own parts (same permissions, removed by the same DELETE), one generation per write.
 */
export function selectionPartNamesOf(recordName: string, head: Pick<PartsHead, 'generation' | 'count'>): string[] {
    return Array.from({ length: head.count }, (_, n) => `${partsPathOf(recordName)}/selection/${head.generation}/${n}`);
}

/** Whether `name`, listed under a record's parts path, is a part of a stored selection. */
export function isSelectionPart(recordName: string, name: string): boolean {
    return name.startsWith(`${partsPathOf(recordName)}/selection/`);
}

export function isGeneration(value: unknown): value is string {
    return typeof value === 'string' && GENERATION_PATTERN.test(value);
}

function compress(text: string): Buffer {
    // Quality 5 compresses a 1,000-service record in milliseconds; the large window lets the service
    // names of `Services` be found again in the ARNs and the per-service state further on.
    return brotliCompressSync(Buffer.from(text, 'utf8'), {
        params: {
            [zlib.BROTLI_PARAM_MODE]: zlib.BROTLI_MODE_TEXT,
            [zlib.BROTLI_PARAM_QUALITY]: 5,
            [zlib.BROTLI_PARAM_LGWIN]: 22,
        },
    });
}

/** `text` compressed and cut into parts, and the head that finds and checks them (generation `generation`). */
export function splitIntoParts(text: string, generation: string): { head: PartsHead; parts: string[] } {
    const encoded = compress(text).toString('base64');
    const parts: string[] = [];
    for (let start = 0; start < encoded.length; start += MAX_PARAMETER_BYTES) {
        parts.push(encoded.slice(start, start + MAX_PARAMETER_BYTES));
    }
    return { head: { generation, count: parts.length, bytes: Buffer.byteLength(text, 'utf8'), sha256: sha256(text) }, parts };
}

/** The parameters that store `text` (a record's JSON), new parts under `generation`. */
export function storedFormOf(text: string, generation: string): StoredForm {
    if (Buffer.byteLength(text, 'utf8') <= MAX_PARAMETER_BYTES) {
        return { kind: 'single', value: text };
    }
    const { head, parts } = splitIntoParts(text, generation);
    return { kind: 'parts', head, headValue: JSON.stringify({ recordParts: { ...head, encoding: ENCODING } }), parts };
}

const isCount = (value: unknown, max: number): value is number =>
    typeof value === 'number' && Number.isSafeInteger(value) && value >= 1 && value <= max;

/** What a head parameter holds. Anything that is not a parts head is left to the record parser as it is. */
export function readHead(id: string, value: string): ReadHead {
    let raw: unknown;
    try {
        raw = JSON.parse(value);
    } catch {
        return { kind: 'single', text: value };
    }
    if (typeof raw !== 'object' || raw === null || !('recordParts' in raw)) {
        return { kind: 'single', text: value };
    }
    const parts = raw.recordParts;
    const bad = (what: string): never => {
        throw new UnreadableRecordError(`The restart record of ${id} names its parts wrongly (${what}): it was not written by this type.`);
    };
    if (typeof parts !== 'object' || parts === null) return bad('no description');
    const { generation, count, bytes, sha256: digest, encoding } = parts as Record<string, unknown>;
    if (encoding !== ENCODING) return bad(`encoding ${JSON.stringify(encoding)?.slice(0, 20) ?? 'missing'}, expected ${ENCODING}`);
    if (!isGeneration(generation)) return bad('generation');
    if (!isCount(count, MAX_RECORD_PARTS)) return bad(`part count, expected 1 to ${MAX_RECORD_PARTS}`);
    if (!isCount(bytes, MAX_RECORD_BYTES)) return bad(`size, expected at most ${MAX_RECORD_BYTES} bytes`);
    if (typeof digest !== 'string' || !SHA256_PATTERN.test(digest)) return bad('digest');
    return { kind: 'parts', head: { generation, count, bytes, sha256: digest } };
}

/** The record's JSON from its parts, in order; checked against the head's size and digest. */
export function joinParts(id: string, head: PartsHead, parts: readonly string[]): string {
    const unreadable = (what: string): never => {
        throw new UnreadableRecordError(`The restart record of ${id} is unreadable (${what}): its parts do not match its head.`);
    };
    if (parts.length !== head.count) return unreadable(`${parts.length} parts, the head names ${head.count}`);
    let text: string;
    try {
        text = brotliDecompressSync(Buffer.from(parts.join(''), 'base64'), { maxOutputLength: head.bytes }).toString('utf8');
    } catch {
        return unreadable('not compressed data of the announced size');
    }
    if (Buffer.byteLength(text, 'utf8') !== head.bytes || sha256(text) !== head.sha256) return unreadable('digest mismatch');
    return text;
}
