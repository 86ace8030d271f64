import { chunk } from '../collections';
import { InternalError } from '../errors';
import { MAX_STORED_RESOLUTION_BYTES, StoredResolution, isStoredSelection } from '../selection/stored-resolution';
import { MAX_SERVICES, RestartSettings } from '../request/settings';
import type { ServiceTraits } from '../judging/strategies';

/**
 * The state of one create or update operation, carried between invocations in the callback context.
 * Plain JSON: times are epoch milliseconds. It is the only callback-context type: a discriminated
 * union on `stage`. It holds nothing per service, so it stays small at any number of services: what is
 * known of each service is in the record, which every restarting invocation reads first.
 */
export type OperationContext = PreparingOperation | RestartingContext;
/** What every stage carries: one deadline and one back-off counter for the whole operation. */
interface OperationBase {
    id: string;
    action: 'CREATE' | 'UPDATE';
    /** A digest of the CloudFormation request token of the operation: a retried first step carries the same. */
    tokenDigest: string;
    startedAt: number;
    /** startedAt + TimeoutInMinutes: fixed at the first attempt, never moved. */
    deadline: number;
    /** Throttling or transient errors in a row; reset by any step that succeeds. */
    transientFailures: number;
}

/** Before the services were checked and the record written: nothing was restarted yet. */
export interface PreparingOperation extends OperationBase {
    stage: 'preparing';
    /** How far finding the services of ServicesUsingSecrets got, when it takes more than one invocation. */
    resolution?: StoredResolution;
}

/**
 * The record is written; services are restarted wave by wave and watched. This is the operation as one
 * invocation works on it: its services come from the record, the rest from the callback context.
 */
export interface RestartingOperation extends OperationBase {
    stage: 'restarting';
    waitForSteadyState: boolean;
    wave: number;
    waveStartedAt: number;
    services: TrackedService[];
    serviceDeploymentsApi: ServiceDeploymentsApiState;
    notes: string[];
    /**
     * Where the next look at the wave starts, as a position in `services`: a look that the invocation
     * budget cut short goes on from the first service it did not reach, so every service is looked at.
     */
    lookFrom?: number;
}

/** What a restarting operation carries to its next invocation: everything but its services. */
export interface RestartingContext extends Omit<RestartingOperation, 'services'> {
    /**
     * When the UpdateService attempts still open in the record were recorded, of the invocations that
     * returned since: those calls are over, so no other invocation can still be inside one of them.
     */
    returnedAttempts: number[];
}

export interface TrackedService {
    /** As given in Services. */
    input: string;
    name: string;
    arn: string;
    wave: number;
    /** The deployment this restart started; unset until UpdateService was accepted. */
    deploymentId?: string;
    /** ECS's createdAt of that deployment: anchors the service-deployments lookup. */
    startedAt?: number;
    /** A newer deployment that superseded ours and that the restart now follows instead. */
    followedDeploymentId?: string;
    completed?: boolean;
    /**
     * When UpdateService was called for it and no answer is known (it may have gone through): the next
     * attempt looks in ECS for a deployment created since then before calling again.
     */
    attemptedAt?: number;
    /** The service deployment (service-deployments API) of the current deployment, once ECS listed it. */
    serviceDeploymentArn?: string;
    /**
     * The service's deployment configuration, as UpdateService answered: for the event that reports the
     * start. Known only to the invocation that started it (the record does not keep it).
     */
    traits?: ServiceTraits;
    /** A pause hook of the current deployment waiting for approval, and since when this restart has seen it wait. */
    awaitingApproval?: { hookId: string; since: number };
}

export type ServiceDeploymentsApiState = 'unknown' | 'available' | 'unavailable';

export function servicesOfWave(progress: RestartingOperation, wave = progress.wave): TrackedService[] {
    return progress.services.filter((service) => service.wave === wave);
}

export function unstartedServicesOfWave(progress: RestartingOperation): TrackedService[] {
    return servicesOfWave(progress).filter((service) => !service.deploymentId);
}

/** The deployment that decides the outcome for a service: the one followed, else the one started. */
export function currentDeploymentId(service: TrackedService): string | undefined {
    return service.followedDeploymentId ?? service.deploymentId;
}

/** The most open attempts times a context carries: one per invocation that left attempts open, a few at most. */
export const MAX_RETURNED_ATTEMPTS = 20;

/** What this operation hands on to its next invocation: no per-service state (that is in the record). */
export function contextOf(progress: RestartingOperation): RestartingContext {
    const { services, ...rest } = progress;
    const open = services.filter((service) => !service.deploymentId && service.attemptedAt !== undefined);
    const returnedAttempts = [...new Set(open.map((service) => service.attemptedAt as number))].sort((a, b) => a - b);
    return { ...rest, returnedAttempts: returnedAttempts.slice(-MAX_RETURNED_ATTEMPTS) };
}

/** The waves were planned from MaxConcurrentRestarts at the start: the last service is in the last one. */
export function waveCountOf(progress: RestartingOperation): number {
    return (progress.services.at(-1)?.wave ?? 0) + 1;
}

export function isLastWave(progress: RestartingOperation): boolean {
    return progress.wave === waveCountOf(progress) - 1;
}

/** The TimeoutInMinutes the deadline was set from. */
export function timeoutInMinutesOf(operation: Pick<OperationBase, 'startedAt' | 'deadline'>): number {
    return (operation.deadline - operation.startedAt) / 60_000;
}

/** The first attempt of an operation: the deadline starts counting now. */
export function newOperation(
    start: Pick<OperationBase, 'id' | 'action' | 'tokenDigest'>,
    settings: Pick<RestartSettings, 'timeoutInMinutes'>,
    now: number,
): PreparingOperation {
    return {
        stage: 'preparing',
        ...start,
        startedAt: now,
        deadline: now + settings.timeoutInMinutes * 60_000,
        transientFailures: 0,
    };
}

/** The services of `settings` in waves of MaxConcurrentRestarts, none restarted yet; `arns` by position. */
export function startRestarting(
    preparing: PreparingOperation,
    settings: RestartSettings,
    arns: readonly string[],
    now: number,
): RestartingOperation {
    return restartingOf(preparing, settings, { wave: 0, waveStartedAt: now }, (position) => ({ arn: arns[position] ?? '' }));
}

export function restartingOf(
    base: OperationBase,
    settings: RestartSettings,
    position: Pick<RestartingOperation, 'wave' | 'waveStartedAt'>,
    stateOf: (position: number, wave: number) => Partial<TrackedService>,
): RestartingOperation {
    const waves = chunk(settings.services, settings.maxConcurrentRestarts);
    let index = 0;
    return {
        id: base.id,
        action: base.action,
        tokenDigest: base.tokenDigest,
        startedAt: base.startedAt,
        deadline: base.deadline,
        transientFailures: 0,
        stage: 'restarting',
        waitForSteadyState: settings.waitForSteadyState,
        ...position,
        services: waves.flatMap((members, wave) =>
            members.map((service) => ({ input: service.input, name: service.name, arn: '', wave, ...stateOf(index++, wave) })),
        ),
        serviceDeploymentsApi: 'unknown',
        notes: [],
    };
}

/** What a callback context must agree with: the request it comes back with. */
export interface ExpectedOperation {
    id: string;
    action: 'CREATE' | 'UPDATE';
    /** Undefined when the request carries no token (direct invocations): then it is not compared. */
    tokenDigest?: string;
    settings: RestartSettings;
    now: number;
}

/** A context may say it started at most this far in the future (clocks of different containers). */
const CONTEXT_CLOCK_SKEW_MS = 5 * 60_000;
/** The notes a restarting context carries (it travels with every callback): the newest few. */
export const MAX_CONTEXT_NOTES = 5;
export const MAX_NOTE_LENGTH = 400;

/**
 * The callback context comes back from CloudFormation; still, it is checked against the request before
 * anything acts on it (defence in depth, and cheap): the same resource, operation and properties, a
 * deadline that TimeoutInMinutes allows, waves and services that the properties plan, bounded notes.
 * Throws InternalError naming what did not match.
 */
export function checkOperationContext(raw: unknown, expected: ExpectedOperation): OperationContext {
    const mismatch = (what: string): never => {
        throw new InternalError(`The callback context does not match this request (${what}); nothing was done.`);
    };
    if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return mismatch('not an object');
    const stage: unknown = (raw as { stage?: unknown }).stage;
    if (stage !== 'preparing' && stage !== 'restarting') return mismatch('unknown stage');
    const context = raw as Partial<Omit<RestartingOperation, 'stage'>>;
    if (context.id !== expected.id) return mismatch(`resource Id ${String(context.id).slice(0, 40)} instead of ${expected.id}`);
    if (context.action !== expected.action) return mismatch('another action');
    if (typeof context.tokenDigest !== 'string' || (expected.tokenDigest !== undefined && context.tokenDigest !== expected.tokenDigest)) {
        return mismatch('another request token');
    }
    const { startedAt, deadline, transientFailures } = context;
    if (!isCount(startedAt) || !isCount(deadline) || !isCount(transientFailures)) return mismatch('malformed times');
    if (deadline !== startedAt + expected.settings.timeoutInMinutes * 60_000) {
        return mismatch('a deadline that TimeoutInMinutes does not give');
    }
    if (startedAt > expected.now + CONTEXT_CLOCK_SKEW_MS) return mismatch('a start in the future');
    // What both stages carry, as checked above.
    const checked = { id: context.id, action: context.action, tokenDigest: context.tokenDigest, startedAt, deadline, transientFailures };
    if (stage === 'preparing') {
        const resolution = (raw as { resolution?: unknown }).resolution;
        if (
            resolution !== undefined &&
            (typeof resolution !== 'object' || resolution === null || JSON.stringify(resolution).length > MAX_STORED_RESOLUTION_BYTES)
        ) {
            return mismatch('a service resolution out of bounds');
        }
        const { selection, replaced } = (resolution ?? {}) as { selection?: unknown; replaced?: unknown };
        if ((selection !== undefined && !isStoredSelection(selection)) || (replaced !== undefined && !isStoredSelection(replaced))) {
            return mismatch('a stored selection this type does not write');
        }
        return {
            stage: 'preparing',
            ...checked,
            ...(resolution === undefined ? {} : { resolution: resolution as PreparingOperation['resolution'] }),
        };
    }
    const { wave, notes, waveStartedAt, lookFrom, serviceDeploymentsApi } = context;
    // The services themselves are in the record: reconcile checks the wave against it.
    if (!isCount(wave) || wave >= MAX_SERVICES || !isCount(waveStartedAt)) {
        return mismatch('waves that the properties do not plan');
    }
    if (lookFrom !== undefined && (!isCount(lookFrom) || lookFrom >= MAX_SERVICES)) return mismatch('a look out of bounds');
    if (serviceDeploymentsApi !== 'unknown' && serviceDeploymentsApi !== 'available' && serviceDeploymentsApi !== 'unavailable') {
        return mismatch('an unknown service-deployments API state');
    }
    if (
        !Array.isArray(notes) ||
        notes.length > MAX_CONTEXT_NOTES ||
        notes.some((note) => typeof note !== 'string' || note.length > MAX_NOTE_LENGTH)
    ) {
        return mismatch('notes out of bounds');
    }
    if (context.waitForSteadyState !== expected.settings.waitForSteadyState) return mismatch('another WaitForSteadyState');
    const returnedAttempts = returnedAttemptsOf(raw);
    if (!returnedAttempts) return mismatch('attempts out of bounds');
    return {
        stage: 'restarting',
        ...checked,
        waitForSteadyState: context.waitForSteadyState,
        wave,
        waveStartedAt,
        serviceDeploymentsApi,
        notes,
        returnedAttempts,
        ...(lookFrom === undefined ? {} : { lookFrom }),
    };
}

/**
 * The returned attempts a context names. A context of an earlier version carries its services instead:
 * their open attempts are the returned ones (that invocation returned them), and the rest of what they
 * say is in the record too.
 */
function returnedAttemptsOf(raw: { returnedAttempts?: unknown; services?: unknown }): number[] | undefined {
    if (raw.returnedAttempts === undefined && Array.isArray(raw.services) && raw.services.length <= MAX_SERVICES) {
        const times = (raw.services as unknown[])
            .map((service) =>
                typeof service === 'object' && service !== null ? (service as { attemptedAt?: unknown }).attemptedAt : undefined,
            )
            .filter(isCount);
        return [...new Set(times)].slice(-MAX_RETURNED_ATTEMPTS);
    }
    const { returnedAttempts } = raw;
    if (!Array.isArray(returnedAttempts) || returnedAttempts.length > MAX_RETURNED_ATTEMPTS || !returnedAttempts.every(isCount)) {
        return undefined;
    }
    return returnedAttempts;
}

function isCount(value: unknown): value is number {
    return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;
}
