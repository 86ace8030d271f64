import { InvalidInputError } from './errors';
import { AwsLocation, ClusterRef, ServiceRef, resolveCluster, resolveService } from './arns';

export const MAX_SERVICES = 20;
export const MAX_TRIGGERS = 10;
export const MAX_TRIGGER_KEY_LENGTH = 64;
export const MAX_TRIGGER_VALUE_LENGTH = 256;
export const DEFAULT_TIMEOUT_MINUTES = 60;
/** The handlers may run 2,160 minutes (the registry maximum); an hour of that is left for the last invocations. */
export const MAX_TIMEOUT_MINUTES = 2100;
const TRIGGER_KEY_PATTERN = /^[A-Za-z0-9_.:/=+@-]{1,64}$/;

/** A validated, typed restart request with the schema defaults applied. */
export interface RestartSettings {
    cluster: ClusterRef;
    services: ServiceRef[];
    triggers: Record<string, string>;
    waitForSteadyState: boolean;
    timeoutInMinutes: number;
    maxConcurrentRestarts: number;
    /** What an update made by a stack rollback does; neither fails the rollback. */
    onStackRollback: 'Skip' | 'Restart';
}

/** A value as the template wrote it, for an error message. */
function scalarText(value: unknown): string {
    if (typeof value === 'string') return value;
    if (typeof value === 'number' || typeof value === 'bigint' || typeof value === 'boolean') return `${value}`;
    return JSON.stringify(value) ?? typeof value;
}

/** Integers arrive as number, bigint (the library's Integer) or, from some callers, numeric strings. */
function integerProperty(name: string, value: unknown, min: number, max: number): number | undefined {
    if (value === undefined || value === null) {
        return undefined;
    }
    const asNumber = typeof value === 'bigint' ? Number(value) : typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
    if (typeof asNumber !== 'number' || !Number.isInteger(asNumber) || asNumber < min || asNumber > max) {
        throw new InvalidInputError(`${name} is ${JSON.stringify(scalarText(value))}: it must be a whole number from ${min} to ${max}.`);
    }
    return asNumber;
}

function booleanProperty(name: string, value: unknown): boolean | undefined {
    if (value === undefined || value === null) {
        return undefined;
    }
    if (typeof value === 'boolean') {
        return value;
    }
    if (typeof value === 'string' && /^(true|false)$/i.test(value)) {
        return value.toLowerCase() === 'true';
    }
    throw new InvalidInputError(`WaitForSteadyState is ${JSON.stringify(value)}: it must be true or false.`);
}

function triggersProperty(value: unknown): Record<string, string> {
    if (value === undefined || value === null) {
        return {};
    }
    if (typeof value !== 'object' || Array.isArray(value)) {
        throw new InvalidInputError(`Triggers must be a map of strings to strings (got ${JSON.stringify(value)}).`);
    }
    const entries: Array<[string, unknown]> = Object.entries(value);
    if (entries.length > MAX_TRIGGERS) {
        throw new InvalidInputError(`Triggers has ${entries.length} keys: at most ${MAX_TRIGGERS} are allowed.`);
    }
    // Keys such as `__proto__` or `constructor` are valid trigger keys: no prototype to collide with.
    const triggers = Object.create(null) as Record<string, string>;
    for (const [key, raw] of entries) {
        if (!TRIGGER_KEY_PATTERN.test(key)) {
            throw new InvalidInputError(
                `Triggers key '${key}' is not valid: keys are 1-${MAX_TRIGGER_KEY_LENGTH} characters of letters, digits and _.:/=+@-.`,
            );
        }
        if (typeof raw !== 'string' || raw.length > MAX_TRIGGER_VALUE_LENGTH) {
            throw new InvalidInputError(`Triggers value of '${key}' must be a string of at most ${MAX_TRIGGER_VALUE_LENGTH} characters.`);
        }
        triggers[key] = raw;
    }
    return triggers;
}

/** The resource properties as the template gives them, named as in the schema. */
export type ResourceProperties = Readonly<Record<string, unknown>>;

/**
 * Validates the properties beyond the schema: CloudFormation is not trusted to have done it, and the
 * handlers are also invoked directly (contract tests, the local runner).
 */
export function settingsFromProperties(properties: ResourceProperties | undefined | null, here: AwsLocation): RestartSettings {
    if (!properties) {
        throw new InvalidInputError('The request has no resource properties: Cluster and Services are required.');
    }
    const cluster = resolveCluster(properties.Cluster, here);
    const rawServices: unknown = properties.Services;
    if (!Array.isArray(rawServices) || rawServices.length === 0 || rawServices.length > MAX_SERVICES) {
        throw new InvalidInputError(
            `Services must list 1 to ${MAX_SERVICES} service names or ARNs (got ${Array.isArray(rawServices) ? `${rawServices.length} items` : JSON.stringify(rawServices)}).`,
        );
    }
    const services = rawServices.map((value) => resolveService(value, cluster, here));
    const seen = new Map<string, string>();
    for (const service of services) {
        const earlier = seen.get(service.name);
        if (earlier !== undefined) {
            throw new InvalidInputError(
                `Services lists service '${service.name}' twice ('${earlier}' and '${service.input}'): list each service once.`,
            );
        }
        seen.set(service.name, service.input);
    }
    const maxConcurrentRestarts = integerProperty('MaxConcurrentRestarts', properties.MaxConcurrentRestarts, 1, MAX_SERVICES);
    return {
        cluster,
        services,
        triggers: triggersProperty(properties.Triggers),
        waitForSteadyState: booleanProperty('WaitForSteadyState', properties.WaitForSteadyState) ?? true,
        timeoutInMinutes:
            integerProperty('TimeoutInMinutes', properties.TimeoutInMinutes, 1, MAX_TIMEOUT_MINUTES) ?? DEFAULT_TIMEOUT_MINUTES,
        maxConcurrentRestarts: maxConcurrentRestarts ?? services.length,
        onStackRollback: onStackRollbackProperty(properties.OnStackRollback),
    };
}

function onStackRollbackProperty(value: unknown): 'Skip' | 'Restart' {
    if (value === undefined || value === null) return 'Skip';
    if (value === 'Skip' || value === 'Restart') return value;
    throw new InvalidInputError(`OnStackRollback is ${JSON.stringify(scalarText(value)).slice(0, 100)}: it must be Skip or Restart.`);
}
