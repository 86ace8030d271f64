import {
    DeleteParameterCommand,
    DeleteParametersCommand,
    GetParameterCommand,
    GetParametersByPathCommand,
    GetParametersCommand,
    ParameterTier,
    ParameterType,
    PutParameterCommand,
    SSMClient,
} from '@aws-sdk/client-ssm';
import { chunk } from '../restart/collections';
import { InvalidInputError, RecordExistsError, RecordNotFoundError, TransientAwsError, UnreadableRecordError } from '../restart/errors';
import { digestToken } from '../restart/operation/identity';
import type { ListedRecord, RestartRecordStore, StoredSelection } from '../restart/ports';
import type { RestartRecord } from '../restart/ports';
import { parseRecord } from '../restart/operation/record';
import type { CallDeadline } from './call-deadline';
import { mapAwsError } from './aws-errors';
import { ErrorMapping, callAws } from './outbound';
import {
    ADMITTED_RECORD_PARTS,
    MAX_PARAMETER_BYTES,
    MAX_RECORD_BYTES,
    MAX_RECORD_PARTS,
    NAMES_PER_CALL,
    PartsHead,
    joinParts,
    newGeneration,
    partNamesOf,
    partsFor,
    isGeneration,
    isSelectionPart,
    partsPathOf,
    readHead,
    selectionPartNamesOf,
    splitIntoParts,
    storedFormOf,
} from './record-parts';

export const RECORD_PATH_PREFIX = '/CloudFormation/Org/ECS/ServiceRestart/';
const ID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** Where the record of `id` lives; the path is built from the generated id only, never from user input. */
export function recordPath(id: string): string {
    if (!ID_PATTERN.test(id)) {
        throw new RecordNotFoundError(`'${id}' is not an identifier of this resource type (a generated UUID): no such restart resource.`);
    }
    return `${RECORD_PATH_PREFIX}${id}`;
}

export function encodeRecord(record: unknown): string {
    return JSON.stringify(record);
}

/** How large `text` is, for a refusal: its JSON bytes and the Standard-tier parameters it takes. */
function sizeOf(text: string): { bytes: number; parts: number; said: string } {
    const bytes = Buffer.byteLength(text, 'utf8');
    const parts = partsFor(text);
    return { bytes, parts, said: `${bytes} bytes, ${parts + 1} Standard-tier parameters of ${MAX_PARAMETER_BYTES} bytes compressed` };
}

const SHORTEN = 'Use shorter Triggers values, service names instead of ARNs, or split the services over several resources.';

/**
 * Throws InvalidInputError when `record` (the largest the operation can make it) takes more than
 * ADMITTED_RECORD_PARTS parts: checked before the first restart, so that no later write is refused.
 */
export function assertRecordFits(id: string, record: unknown): void {
    const text = encodeRecord(record);
    const size = sizeOf(text);
    if (size.parts > ADMITTED_RECORD_PARTS || size.bytes > MAX_RECORD_BYTES) {
        throw new InvalidInputError(
            `The restart record of ${id} would take ${size.said}; a restart takes at most ${ADMITTED_RECORD_PARTS + 1} ` +
                `(a record holds ${MAX_RECORD_PARTS + 1}; the rest is kept for what the restart adds to it). ${SHORTEN}`,
        );
    }
}

const nameOf = (err: unknown): string | undefined => (err as { name?: string }).name;

/** A read of a parameter that does not exist is an answer, not an error: undefined. */
async function absentAsUndefined<T>(read: () => Promise<T>): Promise<T | undefined> {
    try {
        return await read();
    } catch (err) {
        if (nameOf(err) === 'ParameterNotFound') return undefined;
        throw err;
    }
}

/** A stored selection's parts are found and checked as a record's are: by a head, which the callback context carries. */
function headOfSelection(stored: StoredSelection): PartsHead {
    return { generation: stored.generation, count: stored.parts, bytes: stored.bytes, sha256: stored.sha256 };
}

/**
 * One Standard-tier String parameter per record under a path built from the resource's Id only, the
 * head; a record larger than one parameter is spread over parts under the head's child path
 * (record-parts.ts), which LIST's non-recursive read of the type's path does not see. A write stores
 * the new parts, then the head that names them, then removes the parts the old head named; so a reader,
 * which reads the head and then the parts it names, finds the old record or the new one, never a mix.
 */
export class SsmRecordStore implements RestartRecordStore {
    /**
     * The parts each record's head named when this invocation last read or wrote it (null: none): what
     * the next write replaces, without reading the head again.
     */
    private readonly heads = new Map<string, PartsHead | null>();
    /** Parts a write replaced but could not remove (throttled): the next write of this invocation tries again, DELETE lists them anyway. */
    private readonly leftovers = new Map<string, string[]>();

    constructor(
        private readonly ssm: SSMClient,
        private readonly deadline: CallDeadline,
    ) {}

    /** Every SSM command passes through here: the invocation's deadline and the error mapping, once. */
    private send<T>(call: string, send: (options: { abortSignal: AbortSignal }) => Promise<T>, mapError?: ErrorMapping): Promise<T> {
        return callAws(this.deadline, call, send, mapError);
    }

    async get(id: string): Promise<RestartRecord | undefined> {
        const name = recordPath(id);
        return this.readRecord(id, name, await this.readHeadValue(id, name));
    }

    private async readHeadValue(id: string, name: string): Promise<string | undefined> {
        const response = await this.send(`ssm:GetParameter ${name} (restart record of ${id})`, (options) =>
            absentAsUndefined(() => this.ssm.send(new GetParameterCommand({ Name: name }), options)),
        );
        return response === undefined ? undefined : (response.Parameter?.Value ?? '');
    }

    /**
     * The record a head stands for, its parts read and checked. A part missing means a newer write
     * removed it after this head was read (or a DELETE runs): the head is read again, once.
     */
    private async readRecord(id: string, name: string, headValue: string | undefined): Promise<RestartRecord | undefined> {
        let value = headValue;
        for (let reread = false; ; reread = true) {
            if (value === undefined) {
                this.heads.set(id, null);
                return undefined;
            }
            const head = readHead(id, value);
            if (head.kind === 'single') {
                const record = parseRecord(id, head.text, digestToken);
                this.heads.set(id, null);
                return record;
            }
            const parts = await this.readParts(id, partNamesOf(name, head.head));
            if (parts !== undefined) {
                const record = parseRecord(id, joinParts(id, head.head, parts), digestToken);
                this.heads.set(id, head.head);
                return record;
            }
            if (reread) {
                // The head read again names parts a third write already replaced: seen later, it reads whole.
                throw new TransientAwsError(
                    `The restart record of ${id} was rewritten twice while it was read; reading it again later`,
                    'ServiceInternalError',
                );
            }
            const again = await this.readHeadValue(id, name);
            if (again === value) {
                throw new UnreadableRecordError(
                    `The restart record of ${id} is unreadable (its head names parts of generation ${head.head.generation} that do not exist).`,
                );
            }
            value = again;
        }
    }

    /** The values of `names`, in order, 10 a call; undefined when one of them does not exist. */
    private async readParts(id: string, names: readonly string[]): Promise<string[] | undefined> {
        const values = new Map<string, string>();
        for (const batch of chunk(names, NAMES_PER_CALL)) {
            const response = await this.send(
                `ssm:GetParameters ${batch[0]} … (${batch.length} parts of the restart record of ${id})`,
                (options) => this.ssm.send(new GetParametersCommand({ Names: batch }), options),
            );
            if ((response.InvalidParameters ?? []).length > 0) return undefined;
            for (const parameter of response.Parameters ?? []) {
                if (parameter.Name !== undefined) values.set(parameter.Name, parameter.Value ?? '');
            }
        }
        const ordered = names.map((name) => values.get(name));
        return ordered.every((value): value is string => value !== undefined) ? ordered : undefined;
    }

    assertFits(id: string, record: RestartRecord): void {
        assertRecordFits(id, record);
    }

    async putSelection(id: string, names: readonly string[]): Promise<StoredSelection> {
        const name = recordPath(id);
        const { head, parts } = splitIntoParts(JSON.stringify(names), newGeneration());
        const partNames = selectionPartNamesOf(name, head);
        for (const [n, value] of parts.entries()) {
            // Overwrite: the names are this write's own, and an SDK retry of a part whose answer was lost must not fail.
            await this.putParameter(id, partNames[n] ?? '', value, true);
        }
        return { generation: head.generation, parts: head.count, bytes: head.bytes, sha256: head.sha256, names: names.length };
    }

    async getSelection(id: string, stored: StoredSelection): Promise<string[] | undefined> {
        // The generation comes from the callback context: it names parameters only when it is one this store makes.
        if (!isGeneration(stored.generation)) return undefined;
        const head = headOfSelection(stored);
        const values = await this.readParts(id, selectionPartNamesOf(recordPath(id), head));
        if (values === undefined) return undefined;
        try {
            const names: unknown = JSON.parse(joinParts(id, head, values));
            const whole = (value: unknown): value is string[] =>
                Array.isArray(value) && value.length === stored.names && value.every((item) => typeof item === 'string');
            return whole(names) ? names : undefined;
        } catch (err) {
            if (err instanceof UnreadableRecordError) return undefined;
            throw err;
        }
    }

    async removeSelections(id: string, stored: readonly StoredSelection[]): Promise<void> {
        const name = recordPath(id);
        await this.removeParts(
            id,
            stored
                .filter((selection) => isGeneration(selection.generation))
                .flatMap((selection) => selectionPartNamesOf(name, headOfSelection(selection))),
        );
    }

    async sweepSelections(id: string): Promise<void> {
        const name = recordPath(id);
        await this.removeParts(
            id,
            (await this.listParts(id, name)).filter((part) => isSelectionPart(name, part)),
        );
    }

    put(id: string, record: RestartRecord): Promise<void> {
        return this.write(id, record, true);
    }

    putNew(id: string, record: RestartRecord): Promise<void> {
        return this.write(id, record, false);
    }

    private async write(id: string, record: RestartRecord, overwrite: boolean): Promise<void> {
        const name = recordPath(id);
        const text = encodeRecord(record);
        const form = storedFormOf(text, newGeneration());
        if ((form.kind === 'parts' && form.parts.length > MAX_RECORD_PARTS) || Buffer.byteLength(text, 'utf8') > MAX_RECORD_BYTES) {
            throw new InvalidInputError(
                `The restart record of ${id} would take ${sizeOf(text).said}; a record holds at most ${MAX_RECORD_PARTS + 1}. ${SHORTEN}`,
            );
        }
        // A create-only write replaces nothing: when a head exists, the write fails.
        const replaced = overwrite ? await this.knownHead(id, name) : null;
        if (form.kind === 'parts') {
            const names = partNamesOf(name, form.head);
            for (const [n, value] of form.parts.entries()) {
                // Overwrite: the names are this write's own, and an SDK retry of a part whose answer was lost must not fail.
                await this.putParameter(id, names[n] ?? '', value, true);
            }
        }
        this.heads.delete(id);
        try {
            await this.putParameter(id, name, form.kind === 'parts' ? form.headValue : form.value, overwrite);
        } catch (err) {
            if (form.kind === 'parts' && err instanceof RecordExistsError) {
                // The SDK re-sends a head whose answer was lost; the head it then finds may be this write's own.
                if (await this.headNames(id, name, form.head.generation)) {
                    this.heads.set(id, form.head);
                    return;
                }
                await this.removeParts(id, partNamesOf(name, form.head));
            }
            throw err;
        }
        this.heads.set(id, form.kind === 'parts' ? form.head : null);
        const stale = [...(this.leftovers.get(id) ?? []), ...(replaced ? partNamesOf(name, replaced) : [])];
        this.leftovers.delete(id);
        try {
            await this.removeParts(id, stale);
        } catch (err) {
            // The new record is whole; parts no head names only take room until a later write or DELETE removes them.
            if (!(err instanceof TransientAwsError)) throw err;
            this.leftovers.set(id, stale);
        }
    }

    /** The parts the head names now (null: none): as this invocation last saw it, or read. */
    private async knownHead(id: string, name: string): Promise<PartsHead | null> {
        const known = this.heads.get(id);
        if (known !== undefined) return known;
        const value = await this.readHeadValue(id, name);
        if (value === undefined) return null;
        try {
            const head = readHead(id, value);
            return head.kind === 'parts' ? head.head : null;
        } catch (err) {
            // A head naming its parts wrongly is replaced; what it named is found by DELETE's listing.
            if (err instanceof UnreadableRecordError) return null;
            throw err;
        }
    }

    private async headNames(id: string, name: string, generation: string): Promise<boolean> {
        const value = await this.readHeadValue(id, name);
        if (value === undefined) return false;
        const head = readHead(id, value);
        return head.kind === 'parts' && head.head.generation === generation;
    }

    private async putParameter(id: string, name: string, value: string, overwrite: boolean): Promise<void> {
        const exists = (err: unknown, call: string): Error =>
            !overwrite && nameOf(err) === 'ParameterAlreadyExists'
                ? new RecordExistsError(`The restart record of ${id} was written meanwhile by another invocation.`)
                : mapAwsError(err, call);
        await this.send(
            `ssm:PutParameter ${name} (restart record of ${id})`,
            (options) =>
                this.ssm.send(
                    new PutParameterCommand({
                        Name: name,
                        Value: value,
                        Type: ParameterType.STRING,
                        Tier: ParameterTier.STANDARD,
                        Overwrite: overwrite,
                        Description: 'State of an Org::ECS::ServiceRestart resource; managed by CloudFormation',
                    }),
                    options,
                ),
            exists,
        );
    }

    /** DeleteParameters, 10 names a call; names that no longer exist are no error. */
    private async removeParts(id: string, names: readonly string[]): Promise<void> {
        for (const batch of chunk(names, NAMES_PER_CALL)) {
            await this.send(`ssm:DeleteParameters ${batch[0]} … (${batch.length} parts of the restart record of ${id})`, (options) =>
                this.ssm.send(new DeleteParametersCommand({ Names: batch }), options),
            );
        }
    }

    /** Every parameter under the record's parts path: those its head names and those of writes that never finished. */
    private async listParts(id: string, name: string): Promise<string[]> {
        const path = partsPathOf(name);
        const names: string[] = [];
        let nextToken: string | undefined;
        do {
            const token = nextToken;
            const response = await this.send(`ssm:GetParametersByPath ${path} (parts of the restart record of ${id})`, (options) =>
                this.ssm.send(
                    new GetParametersByPathCommand({ Path: path, Recursive: true, MaxResults: NAMES_PER_CALL, NextToken: token }),
                    options,
                ),
            );
            names.push(...(response.Parameters ?? []).flatMap((parameter) => (parameter.Name === undefined ? [] : [parameter.Name])));
            nextToken = response.NextToken;
        } while (nextToken);
        return names;
    }

    /**
     * The head first, so that a reader finds the whole record or none; then every part under the
     * record's path, named or left by a write that never finished. A record whose head is already gone
     * (a DELETE cut short) still has its parts removed, and answers NotFound.
     */
    async delete(id: string): Promise<void> {
        const name = recordPath(id);
        const notFound = (err: unknown, call: string): Error =>
            nameOf(err) === 'ParameterNotFound'
                ? new RecordNotFoundError(`Restart resource ${id} does not exist (it was deleted or never created).`)
                : mapAwsError(err, call);
        let missing: RecordNotFoundError | undefined;
        try {
            await this.send(
                `ssm:DeleteParameter ${name} (restart record of ${id})`,
                (options) => this.ssm.send(new DeleteParameterCommand({ Name: name }), options),
                notFound,
            );
        } catch (err) {
            if (!(err instanceof RecordNotFoundError)) throw err;
            missing = err;
        }
        this.heads.set(id, null);
        this.leftovers.delete(id);
        await this.removeParts(id, await this.listParts(id, name));
        if (missing) throw missing;
    }

    async list(): Promise<ListedRecord[]> {
        const records: ListedRecord[] = [];
        let nextToken: string | undefined;
        do {
            const token = nextToken;
            const response = await this.send(`ssm:GetParametersByPath ${RECORD_PATH_PREFIX}`, (options) =>
                this.ssm.send(new GetParametersByPathCommand({ Path: RECORD_PATH_PREFIX, Recursive: false, NextToken: token }), options),
            );
            for (const parameter of response.Parameters ?? []) {
                const id = (parameter.Name ?? '').slice(RECORD_PATH_PREFIX.length);
                if (!ID_PATTERN.test(id)) {
                    continue;
                }
                try {
                    const record = await this.readRecord(id, parameter.Name ?? '', parameter.Value ?? '');
                    // Deleted between the listing and the read of its parts.
                    if (record !== undefined) records.push({ id, record });
                } catch (err) {
                    if (!(err instanceof UnreadableRecordError)) throw err;
                    records.push({ id, problem: err.message });
                }
            }
            nextToken = response.NextToken;
        } while (nextToken);
        return records;
    }
}
