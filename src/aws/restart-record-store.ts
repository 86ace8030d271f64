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
import { CallDeadline, callOptions } from './call-deadline';
import { mapAwsError } from './aws-errors';

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

/** One Standard-tier String parameter per record, under a path built from the resource's Id only. */
export class SsmRecordStore implements RestartRecordStore {
    constructor(
        private readonly ssm: SSMClient,
        private readonly deadline: CallDeadline,
    ) {}

    async get(id: string): Promise<RestartRecord | undefined> {
        const name = recordPath(id);
        let value: string | undefined;
        try {
            const response = await this.ssm.send(new GetParameterCommand({ Name: name }), callOptions(this.deadline));
            value = response.Parameter?.Value;
        } catch (err) {
            if ((err as { name?: string }).name === 'ParameterNotFound') {
                return undefined;
            }
            throw mapAwsError(err, `ssm:GetParameter ${name} (restart record of ${id})`);
        }
        return parseRecord(id, value ?? '', digestToken);
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
        try {
            await this.ssm.send(
                new PutParameterCommand({
                    Name: name,
                    Value: encodeRecord(record),
                    Type: ParameterType.STRING,
                    Tier: ParameterTier.STANDARD,
                    Overwrite: overwrite,
                    Description: 'State of an Org::ECS::ServiceRestart resource; managed by CloudFormation',
                }),
                callOptions(this.deadline),
            );
        } catch (err) {
            if (!overwrite && (err as { name?: string }).name === 'ParameterAlreadyExists') {
                throw new RecordExistsError(`The restart record of ${id} was written meanwhile by another invocation.`);
            }
            throw mapAwsError(err, `ssm:PutParameter ${name} (restart record of ${id})`);
        }
    }

    async delete(id: string): Promise<void> {
        const name = recordPath(id);
        try {
            await this.ssm.send(new DeleteParameterCommand({ Name: name }), callOptions(this.deadline));
        } catch (err) {
            if ((err as { name?: string }).name === 'ParameterNotFound') {
                throw new RecordNotFoundError(`Restart resource ${id} does not exist (it was deleted or never created).`);
            }
            throw mapAwsError(err, `ssm:DeleteParameter ${name} (restart record of ${id})`);
        }
    }

    async list(): Promise<ListedRecord[]> {
        const records: ListedRecord[] = [];
        let nextToken: string | undefined;
        do {
            let response;
            try {
                response = await this.ssm.send(
                    new GetParametersByPathCommand({ Path: RECORD_PATH_PREFIX, Recursive: false, NextToken: nextToken }),
                    callOptions(this.deadline),
                );
            } catch (err) {
                throw mapAwsError(err, `ssm:GetParametersByPath ${RECORD_PATH_PREFIX}`);
            }
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
