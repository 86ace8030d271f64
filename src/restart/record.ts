import type { ResourceModel as ResourceModelType } from '../models';
import { ResourceModel } from '../models';
import { RestartProgress, currentDeploymentId } from './progress';

/** The properties a template sets, as opposed to the read-only ones this type computes. */
export const INPUT_PROPERTY_NAMES = [
    'Cluster',
    'Services',
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

export function inputPropertiesOf(model: ResourceModelType): Record<string, unknown> {
    const serialized = model.serialize() as Record<string, unknown>;
    const properties: Record<string, unknown> = {};
    for (const name of INPUT_PROPERTY_NAMES) {
        if (serialized[name] !== undefined) {
            properties[name] = serialized[name];
        }
    }
    return properties;
}

export function recordOf(progress: RestartProgress, properties: Record<string, unknown>, status: OperationStatus): RestartRecord {
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
export function worstCaseRecordOf(progress: RestartProgress, properties: Record<string, unknown>): RestartRecord {
    const record = recordOf(progress, properties, 'IN_PROGRESS');
    return { ...record, deploymentIds: record.deploymentIds.map(() => WORST_CASE_DEPLOYMENT_ID) };
}

export function modelOf(id: string, record: RestartRecord): ResourceModelType {
    return ResourceModel.deserialize({
        ...record.properties,
        Id: id,
        RestartedAt: record.restartedAt,
        ServiceArns: record.serviceArns,
        DeploymentIds: record.deploymentIds,
    });
}
