import { RestartingOperation, currentDeploymentId } from './progress';

/** The properties a template sets, as opposed to the read-only ones this type computes. */
export const INPUT_PROPERTY_NAMES = [
    'Cluster',
    'Services',
    'ServicesUsingSecrets',
    'Triggers',
    'WaitForSteadyState',
    'TimeoutInMinutes',
    'MaxConcurrentRestarts',
] as const;

export type OperationStatus = 'IN_PROGRESS' | 'SUCCEEDED' | 'FAILED';

/** The durable state of one resource, stored as JSON in SSM Parameter Store. */
export interface RestartRecord {
    version: 1;
    /** The input properties exactly as the template gave them. */
    properties: Record<string, unknown>;
    serviceArns: string[];
    /** Per service, in the order of Services; '' until its restart was accepted. */
    deploymentIds: string[];
    restartedAt: string;
    operation: {
        token: string;
        action: 'CREATE' | 'UPDATE';
        status: OperationStatus;
        wave: number;
        waveStartedAt: number;
        startedAt: number;
        deadline: number;
    };
}

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

export function recordOf(progress: RestartingOperation, properties: Record<string, unknown>, status: OperationStatus): RestartRecord {
    return {
        version: 1,
        properties,
        serviceArns: progress.services.map((service) => service.arn),
        deploymentIds: progress.services.map((service) => currentDeploymentId(service) ?? ''),
        restartedAt: new Date(progress.startedAt).toISOString(),
        operation: {
            token: progress.token,
            action: progress.action,
            status,
            wave: progress.wave,
            waveStartedAt: progress.waveStartedAt,
            startedAt: progress.startedAt,
            deadline: progress.deadline,
        },
    };
}

/** Longer than any ECS deployment id ("ecs-svc/" and about 19 digits), to size a record before it is filled. */
const WORST_CASE_DEPLOYMENT_ID = `ecs-svc/${'0'.repeat(32)}`;

/**
 * The record as large as this operation can make it: every deployment id filled in. Checking this
 * before the first restart means no later write can be refused for size half-way through.
 */
export function worstCaseRecordOf(progress: RestartingOperation, properties: Record<string, unknown>): RestartRecord {
    const record = recordOf(progress, properties, 'IN_PROGRESS');
    return { ...record, deploymentIds: record.deploymentIds.map(() => WORST_CASE_DEPLOYMENT_ID) };
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
