import {
    DeleteParameterCommand,
    GetParameterCommand,
    GetParametersByPathCommand,
    ParameterTier,
    ParameterType,
    PutParameterCommand,
    SSMClient,
} from '@aws-sdk/client-ssm';
import { InvalidInputError, RecordExistsError, RecordNotFoundError, UnreadableRecordError } from '../restart/errors';
import { digestToken } from '../restart/operation/identity';
import type { ListedRecord, RestartRecordStore } from '../restart/ports';
import type { RestartRecord } from '../restart/ports';
import { parseRecord } from '../restart/operation/record';
import type { CallDeadline } from './call-deadline';
import { mapAwsError } from './aws-errors';
import { ErrorMapping, callAws } from './outbound';

export const RECORD_PATH_PREFIX = '/CloudFormation/Org/ECS/ServiceRestart/';
/** A Standard-tier parameter holds 4 KB; the record never silently moves to the paid Advanced tier. */
export const MAX_RECORD_BYTES = 4096;
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

export function assertRecordFits(id: string, record: unknown): void {
    const bytes = Buffer.byteLength(encodeRecord(record), 'utf8');
    if (bytes > MAX_RECORD_BYTES) {
        throw new InvalidInputError(
            `The restart record of ${id} would take ${bytes} bytes; an SSM Standard parameter holds ${MAX_RECORD_BYTES}. ` +
                'Use shorter Triggers values, service names instead of ARNs, or split Services over several resources.',
        );
    }
}

/** A read of a parameter that does not exist is an answer, not an error: undefined. */
async function absentAsUndefined<T>(read: () => Promise<T>): Promise<T | undefined> {
    try {
        return await read();
    } catch (err) {
        if ((err as { name?: string }).name === 'ParameterNotFound') return undefined;
        throw err;
    }
}

/** One Standard-tier String parameter per record, under a path built from the resource's Id only. */
export class SsmRecordStore implements RestartRecordStore {
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
        const response = await this.send(`ssm:GetParameter ${name} (restart record of ${id})`, (options) =>
            absentAsUndefined(() => this.ssm.send(new GetParameterCommand({ Name: name }), options)),
        );
        if (response === undefined) return undefined;
        return parseRecord(id, response.Parameter?.Value ?? '', digestToken);
    }

    assertFits(id: string, record: RestartRecord): void {
        assertRecordFits(id, record);
    }

    put(id: string, record: RestartRecord): Promise<void> {
        return this.write(id, record, true);
    }

    putNew(id: string, record: RestartRecord): Promise<void> {
        return this.write(id, record, false);
    }

    private async write(id: string, record: RestartRecord, overwrite: boolean): Promise<void> {
        const name = recordPath(id);
        assertRecordFits(id, record);
        const exists = (err: unknown, call: string): Error =>
            !overwrite && (err as { name?: string }).name === 'ParameterAlreadyExists'
                ? new RecordExistsError(`The restart record of ${id} was written meanwhile by another invocation.`)
                : mapAwsError(err, call);
        await this.send(
            `ssm:PutParameter ${name} (restart record of ${id})`,
            (options) =>
                this.ssm.send(
                    new PutParameterCommand({
                        Name: name,
                        Value: encodeRecord(record),
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

    async delete(id: string): Promise<void> {
        const name = recordPath(id);
        const notFound = (err: unknown, call: string): Error =>
            (err as { name?: string }).name === 'ParameterNotFound'
                ? new RecordNotFoundError(`Restart resource ${id} does not exist (it was deleted or never created).`)
                : mapAwsError(err, call);
        await this.send(
            `ssm:DeleteParameter ${name} (restart record of ${id})`,
            (options) => this.ssm.send(new DeleteParameterCommand({ Name: name }), options),
            notFound,
        );
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
                    records.push({ id, record: parseRecord(id, parameter.Value ?? '', digestToken) });
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
