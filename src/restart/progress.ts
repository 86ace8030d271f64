import { chunk } from './collections';
import type { RestartRecord } from './record';
import type { ResolutionProgress } from './resolve-services';
import type { RestartSettings } from './settings';

/**
 * The state of one create or update operation, carried between invocations in the callback context.
 * Plain JSON: times are epoch milliseconds. It is the only callback-context type: a discriminated
 * union on `stage`.
 */
export type OperationContext = PreparingOperation | RestartingOperation;

/** What every stage carries: one deadline and one back-off counter for the whole operation. */
interface OperationBase {
    id: string;
    action: 'CREATE' | 'UPDATE';
    /** The CloudFormation clientRequestToken of the operation: a retried first step carries the same. */
    token: string;
    startedAt: number;
    /** startedAt + TimeoutInMinutes: fixed at the first attempt, never moved. */
    deadline: number;
    timeoutInMinutes: number;
    /** Throttling or transient errors in a row; reset by any step that succeeds. */
    transientFailures: number;
}

/** Before the services were checked and the record written: nothing was restarted yet. */
export interface PreparingOperation extends OperationBase {
    stage: 'preparing';
    /** How far finding the services of ServicesUsingSecrets got, when it takes more than one invocation. */
    resolution?: ResolutionProgress;
}

/** The record is written; services are restarted wave by wave and watched. */
export interface RestartingOperation extends OperationBase {
    stage: 'restarting';
    waitForSteadyState: boolean;
    wave: number;
    waveCount: number;
    waveStartedAt: number;
    services: TrackedService[];
    serviceDeploymentsApi: ServiceDeploymentsApiState;
    polls: number;
    notes: string[];
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

export function isLastWave(progress: RestartingOperation): boolean {
    return progress.wave === progress.waveCount - 1;
}

/** The first attempt of an operation: the deadline starts counting now. */
export function newOperation(
    start: Pick<OperationBase, 'id' | 'action' | 'token'>,
    settings: Pick<RestartSettings, 'timeoutInMinutes'>,
    now: number,
): PreparingOperation {
    return {
        stage: 'preparing',
        ...start,
        startedAt: now,
        deadline: now + settings.timeoutInMinutes * 60_000,
        timeoutInMinutes: settings.timeoutInMinutes,
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

/**
 * The operation as its record describes it, for a first step that CloudFormation invoked again after the
 * record was written: what the record does not hold (followed deployments, notes) is observed again.
 */
export function restartingFromRecord(preparing: PreparingOperation, settings: RestartSettings, record: RestartRecord): RestartingOperation {
    const op = record.operation;
    return restartingOf(
        { ...preparing, startedAt: op.startedAt, deadline: op.deadline },
        settings,
        { wave: op.wave, waveStartedAt: op.waveStartedAt },
        (position, wave) => {
            const deploymentId = record.deploymentIds[position] || undefined;
            return {
                arn: record.serviceArns[position] ?? '',
                deploymentId,
                startedAt: deploymentId ? op.waveStartedAt : undefined,
                completed: wave < op.wave,
            };
        },
    );
}

function restartingOf(
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
        token: base.token,
        startedAt: base.startedAt,
        deadline: base.deadline,
        timeoutInMinutes: base.timeoutInMinutes,
        transientFailures: 0,
        stage: 'restarting',
        waitForSteadyState: settings.waitForSteadyState,
        ...position,
        waveCount: waves.length,
        services: waves.flatMap((members, wave) =>
            members.map((service) => ({ input: service.input, name: service.name, arn: '', wave, ...stateOf(index++, wave) })),
        ),
        serviceDeploymentsApi: 'unknown',
        polls: 0,
        notes: [],
    };
}
