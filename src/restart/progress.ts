/**
 * The state of one create or update operation, carried between invocations in the callback
 * context. Plain JSON: times are epoch milliseconds.
 */
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

export interface RestartProgress {
    id: string;
    action: 'CREATE' | 'UPDATE';
    /** The CloudFormation clientRequestToken of the operation: a retried first step carries the same. */
    token: string;
    startedAt: number;
    deadline: number;
    timeoutInMinutes: number;
    waitForSteadyState: boolean;
    wave: number;
    waveCount: number;
    waveStartedAt: number;
    services: TrackedService[];
    serviceDeploymentsApi: ServiceDeploymentsApiState;
    polls: number;
    transientFailures: number;
    notes: string[];
}

export function servicesOfWave(progress: RestartProgress, wave = progress.wave): TrackedService[] {
    return progress.services.filter((service) => service.wave === wave);
}

/** The deployment that decides the outcome for a service: the one followed, else the one started. */
export function currentDeploymentId(service: TrackedService): string | undefined {
    return service.followedDeploymentId ?? service.deploymentId;
}
