import { InvalidInputError } from '../errors';
import { AwsLocation, ClusterRef, ServiceRef, resolveCluster, resolveService } from './arns';
import { WantedSecret, parseWantedSecret } from './wanted-secrets';

/** At most this many services restarted by one operation in all: Services plus those found by ServicesUsingSecrets. */
export const MAX_SERVICES = 1000;
/** At most this many items in Services (a template lists them one by one; the rest are found by their secrets). */
export const MAX_LISTED_SERVICES = 100;
export const MAX_SECRETS = 20;
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
    /** Services as listed, then (once resolved, see withServicesFoundBySecrets) those found by ServicesUsingSecrets. */
    services: ServiceRef[];
    /** ServicesUsingSecrets, checked; empty when not given. */
    secrets: WantedSecret[];
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
    throw new InvalidInputError(`${name} is ${JSON.stringify(scalarText(value)).slice(0, 100)}: it must be true or false.`);
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
export type PropertyValues = Readonly<Record<string, unknown>>;

/**
 * Validates the properties beyond the schema: CloudFormation is not trusted to have done it, and the
 * handlers are also invoked directly (contract tests, the local runner).
 */
export function settingsFromProperties(properties: PropertyValues | undefined | null, here: AwsLocation): RestartSettings {
    if (!properties) {
        throw new InvalidInputError(
            'The request has no resource properties: Cluster and at least one of Services and ServicesUsingSecrets are required.',
        );
    }
    const cluster = resolveCluster(properties.Cluster, here);
    const secrets = secretsProperty(properties.ServicesUsingSecrets, here);
    const services = servicesProperty(properties.Services, cluster, here, secrets.length > 0);
    const maxConcurrentRestarts = integerProperty('MaxConcurrentRestarts', properties.MaxConcurrentRestarts, 1, MAX_SERVICES);
    return {
        cluster,
        services,
        secrets,
        triggers: triggersProperty(properties.Triggers),
        waitForSteadyState: booleanProperty('WaitForSteadyState', properties.WaitForSteadyState) ?? true,
        timeoutInMinutes:
            integerProperty('TimeoutInMinutes', properties.TimeoutInMinutes, 1, MAX_TIMEOUT_MINUTES) ?? DEFAULT_TIMEOUT_MINUTES,
        // No operation restarts more than MAX_SERVICES services, so waves of MAX_SERVICES are "all at once",
        // whether the services are listed or found by their secrets.
        maxConcurrentRestarts: maxConcurrentRestarts ?? MAX_SERVICES,
        onStackRollback: onStackRollbackProperty(properties.OnStackRollback),
    };
}

function servicesProperty(value: unknown, cluster: ClusterRef, here: AwsLocation, optional: boolean): ServiceRef[] {
    if ((value === undefined || value === null) && optional) {
        return [];
    }
    if (!Array.isArray(value) || value.length === 0 || value.length > MAX_LISTED_SERVICES) {
        const got = Array.isArray(value) ? `${value.length} items` : JSON.stringify(value);
        throw new InvalidInputError(
            value === undefined || value === null
                ? `Services or ServicesUsingSecrets is required: list 1 to ${MAX_LISTED_SERVICES} service names or ARNs, or 1 to ${MAX_SECRETS} secret or parameter ARNs whose services to restart.`
                : `Services must list 1 to ${MAX_LISTED_SERVICES} service names or ARNs (got ${got})` +
                      (Array.isArray(value) && value.length > MAX_LISTED_SERVICES
                          ? `: name the others through ServicesUsingSecrets (up to ${MAX_SERVICES} services in all), or split them across several resources.`
                          : '.'),
        );
    }
    const services = value.map((item) => resolveService(item, cluster, here));
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
    return services;
}

function secretsProperty(value: unknown, here: AwsLocation): WantedSecret[] {
    if (value === undefined || value === null) {
        return [];
    }
    if (!Array.isArray(value) || value.length === 0 || value.length > MAX_SECRETS) {
        throw new InvalidInputError(
            `ServicesUsingSecrets must list 1 to ${MAX_SECRETS} secret or parameter ARNs (got ${Array.isArray(value) ? `${value.length} items` : scalarText(value).slice(0, 120)}).`,
        );
    }
    const secrets = value.map((item) => parseWantedSecret(item, here));
    const seen = new Set<string>();
    for (const secret of secrets) {
        if (seen.has(secret.arn)) {
            throw new InvalidInputError(`ServicesUsingSecrets lists ${secret.arn} twice: list each secret once.`);
        }
        seen.add(secret.arn);
    }
    return secrets;
}

/**
 * The services of one operation: those of Services in their order, then those that ServicesUsingSecrets
 * found and Services does not list. Throws when they are more than one operation restarts.
 */
export function withServicesFoundBySecrets(settings: RestartSettings, found: readonly ServiceRef[]): RestartSettings {
    const listed = new Set(settings.services.map((service) => service.name));
    const added = found.filter((service) => !listed.has(service.name));
    const services = [...settings.services, ...added];
    if (services.length > MAX_SERVICES) {
        throw tooManyServices(settings.services.length, added.length);
    }
    return { ...settings, services };
}

/**
 * The refusal of an operation that would restart more than MAX_SERVICES services, with how many came
 * from where, so that the split is plain. Thrown before any restart.
 */
export function tooManyServices(listed: number, found: number, cluster?: string): InvalidInputError {
    return new InvalidInputError(
        `Nothing was restarted: ${listed + found} services would be restarted (${listed} in Services, ` +
            `${found} more found by ServicesUsingSecrets${cluster === undefined ? '' : ` in cluster '${cluster}'`}), ` +
            `more than the ${MAX_SERVICES} one resource restarts. Split them across several resources, ` +
            'e.g. one per secret of ServicesUsingSecrets, or by listing the services of each in Services.',
    );
}

function onStackRollbackProperty(value: unknown): 'Skip' | 'Restart' {
    if (value === undefined || value === null) return 'Skip';
    if (value === 'Skip' || value === 'Restart') return value;
    throw new InvalidInputError(`OnStackRollback is ${JSON.stringify(scalarText(value)).slice(0, 100)}: it must be Skip or Restart.`);
}
