import { UnreadableRecordError } from '../errors';
import type { RecordedServiceState, RestartRecord } from '../ports';

/** The properties a template sets, as opposed to the read-only ones this type computes. */
export const INPUT_PROPERTY_NAMES = [
    'Cluster',
    'Services',
    'ServicesUsingSecrets',
    'Triggers',
    'WaitForSteadyState',
    'TimeoutInMinutes',
    'MaxConcurrentRestarts',
    'OnStackRollback',
] as const;

/** The input properties among `properties` (which may also hold the read-only ones), as given. */
export function inputPropertiesOf(properties: Readonly<Record<string, unknown>>): Record<string, unknown> {
    const input: Record<string, unknown> = {};
    for (const name of INPUT_PROPERTY_NAMES) {
        if (properties[name] !== undefined) {
            input[name] = properties[name];
        }
    }
    return input;
}

/** Every property of the resource, input and read-only, named as in the schema. */
export function resourcePropertiesOf(id: string, record: RestartRecord): Record<string, unknown> {
    return {
        ...record.properties,
        Id: id,
        RestartedAt: record.restartedAt,
        ServiceArns: record.serviceArns,
        DeploymentIds: record.deploymentIds,
    };
}

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);
const isStringArray = (value: unknown): value is string[] => Array.isArray(value) && value.every((item) => typeof item === 'string');
const isTime = (value: unknown): value is number => typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;

/**
 * A stored record, checked for shape and version before anything trusts it: a parameter edited or
 * written by hand under the type's path must not read as a resource with an empty model. Records
 * written before the token digest keep working: their clear token is digested here and never written
 * back.
 */
export function parseRecord(id: string, text: string, digest: (token: string) => string): RestartRecord {
    let raw: unknown;
    try {
        raw = JSON.parse(text);
    } catch {
        throw new UnreadableRecordError(`The restart record of ${id} is not JSON: it was not written by this type.`);
    }
    const problem = (what: string): never => {
        throw new UnreadableRecordError(
            `The restart record of ${id} is unreadable (${what}): it was not written by this version of the type.`,
        );
    };
    if (!isObject(raw)) return problem('not an object');
    if (raw.version !== 1) return problem(`version ${JSON.stringify(raw.version)?.slice(0, 20) ?? 'missing'}, expected 1`);
    const { properties, serviceArns, deploymentIds, restartedAt, operation } = raw;
    if (!isObject(properties)) return problem('no properties');
    if (!isStringArray(serviceArns) || !isStringArray(deploymentIds) || serviceArns.length !== deploymentIds.length) {
        return problem('service ARNs and deployment ids do not match');
    }
    if (typeof restartedAt !== 'string' || !isObject(operation)) return problem('no operation');
    const { action, status, wave, waveStartedAt, startedAt, deadline } = operation;
    if (action !== 'CREATE' && action !== 'UPDATE') return problem('unknown action');
    if (status !== 'IN_PROGRESS' && status !== 'SUCCEEDED' && status !== 'FAILED') return problem('unknown status');
    if (!isTime(wave) || !isTime(waveStartedAt) || !isTime(startedAt) || !isTime(deadline)) return problem('bad times');
    const tokenDigest =
        typeof operation.tokenDigest === 'string'
            ? operation.tokenDigest
            : typeof operation.token === 'string'
              ? digest(operation.token)
              : undefined;
    if (tokenDigest === undefined) return problem('no request token digest');
    const attempted = operation.attemptedAt;
    const attemptedAt =
        Array.isArray(attempted) && attempted.length === serviceArns.length && attempted.every(isTime)
            ? attempted
            : serviceArns.map(() => 0);
    const services = raw.services === undefined ? undefined : serviceStatesOf(raw.services, serviceArns.length);
    if (services === null) return problem('per-service state that does not match the services');
    return {
        version: 1,
        properties,
        serviceArns,
        deploymentIds,
        restartedAt,
        operation: { tokenDigest, action, status, wave, waveStartedAt, startedAt, deadline, attemptedAt },
        ...(services ? { services } : {}),
    };
}

/** Longer than any deployment id or service-deployment ARN ECS gives (ARNs hold names of up to 255 characters). */
const MAX_STATE_STRING_LENGTH = 2_048;
const isStateString = (value: unknown): value is string =>
    typeof value === 'string' && value.length > 0 && value.length <= MAX_STATE_STRING_LENGTH;

/** The per-service state, one entry per service, each field of its type; null when any entry is not. */
function serviceStatesOf(raw: unknown, count: number): RecordedServiceState[] | null {
    if (!Array.isArray(raw) || raw.length !== count) return null;
    const states: RecordedServiceState[] = [];
    for (const entry of raw as unknown[]) {
        if (!isObject(entry)) return null;
        const { ownDeploymentId, startedAt, serviceDeploymentArn, completed, awaitingApproval } = entry;
        const state: RecordedServiceState = {};
        if (ownDeploymentId !== undefined) {
            if (!isStateString(ownDeploymentId)) return null;
            state.ownDeploymentId = ownDeploymentId;
        }
        if (startedAt !== undefined) {
            if (!isTime(startedAt)) return null;
            state.startedAt = startedAt;
        }
        if (serviceDeploymentArn !== undefined) {
            if (!isStateString(serviceDeploymentArn)) return null;
            state.serviceDeploymentArn = serviceDeploymentArn;
        }
        if (completed !== undefined) {
            if (completed !== true) return null;
            state.completed = true;
        }
        if (awaitingApproval !== undefined) {
            if (!isObject(awaitingApproval) || !isStateString(awaitingApproval.hookId) || !isTime(awaitingApproval.since)) return null;
            state.awaitingApproval = { hookId: awaitingApproval.hookId, since: awaitingApproval.since };
        }
        states.push(state);
    }
    return states;
}

/**
 * The record after a stack rollback that restarted nothing: the previous properties, marked SUCCEEDED,
 * with what is known of the services (the ARNs and deployments of the last restart when they line up).
 */
export function revertedRecordOf(
    existing: RestartRecord | undefined,
    properties: Record<string, unknown>,
    serviceCount: number,
    tokenDigest: string,
    now: number,
): RestartRecord {
    const fits = existing !== undefined && existing.serviceArns.length === serviceCount;
    return {
        version: 1,
        properties,
        serviceArns: fits ? existing.serviceArns : Array.from({ length: serviceCount }, () => ''),
        deploymentIds: fits ? existing.deploymentIds : Array.from({ length: serviceCount }, () => ''),
        restartedAt: existing?.restartedAt ?? new Date(now).toISOString(),
        operation: {
            tokenDigest,
            action: 'UPDATE',
            status: 'SUCCEEDED',
            wave: 0,
            waveStartedAt: now,
            startedAt: now,
            deadline: now,
            attemptedAt: Array.from({ length: serviceCount }, () => 0),
        },
    };
}
