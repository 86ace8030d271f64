import { randomUUID } from 'crypto';
import { RecordNotFoundError } from '../errors';
import type { RestartRecord } from '../ports';
import type { AwsLocation } from '../request/arns';
import type { RestartSettings } from '../request/settings';
import { digestToken, idForCreate } from './identity';
import { OperationContext, checkOperationContext } from './progress';

/**
 * Which resource and which operation a request acts on: rules of the type, not of the handler
 * protocol, so they live with the operation and the shell only passes the request's fields in.
 */

/** The Id a read, update or delete acts on; a request that names none has no resource to act on. */
export function requireResourceId(desiredId: string | null | undefined, previousId: string | null | undefined): string {
    const id = desiredId || previousId;
    if (!id) {
        throw new RecordNotFoundError('The request names no Id: there is no restart resource to act on.');
    }
    return id;
}

export interface RestartRequestFields {
    action: 'CREATE' | 'UPDATE';
    desiredId?: string | null;
    previousId?: string | null;
    /** CloudFormation's clientRequestToken; absent on direct invocations. */
    requestToken?: string;
    /** The callback context as it came back, unchecked; undefined on the first invocation. */
    context: unknown;
    here: AwsLocation;
    settings: RestartSettings;
    now: number;
}

export interface IdentifiedRestart {
    id: string;
    tokenDigest: string;
    /** The checked callback context, when this is not the first invocation. */
    operation?: OperationContext;
}

/**
 * The Id, the token digest and the checked context of a create or update. A create's Id comes from
 * the request token, so a retried first step finds the record it wrote; without a token (a direct
 * invocation) it is the context's, or new. Without a token every first step is its own operation.
 */
export function identifyRestart(fields: RestartRequestFields): IdentifiedRestart {
    const { action, here, settings, now } = fields;
    const token = fields.requestToken || undefined;
    const requestDigest = token ? digestToken(token) : undefined;
    const given = isStagedContext(fields.context) ? fields.context : undefined;
    let id: string;
    if (action === 'UPDATE') {
        id = requireResourceId(fields.desiredId, fields.previousId);
    } else if (token) {
        id = idForCreate(here.accountId, here.region, token);
    } else {
        const contextId = (given as { id?: unknown } | undefined)?.id;
        id = typeof contextId === 'string' ? contextId : randomUUID();
    }
    const operation =
        given === undefined ? undefined : checkOperationContext(given, { id, action, tokenDigest: requestDigest, settings, now });
    return { id, tokenDigest: requestDigest ?? operation?.tokenDigest ?? digestToken(randomUUID()), operation };
}

/** A context the operation wrote has a stage; CloudFormation's empty first context has none. */
function isStagedContext(context: unknown): boolean {
    return (
        typeof context === 'object' && context !== null && !Array.isArray(context) && (context as { stage?: unknown }).stage !== undefined
    );
}

/** A create still running, or one that failed and could not remove its record, is no resource yet: LIST leaves it out. */
export function isListedResource(record: RestartRecord): boolean {
    return !(record.operation.action === 'CREATE' && record.operation.status !== 'SUCCEEDED');
}
