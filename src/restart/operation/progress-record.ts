import type { RestartRecord, OperationStatus } from '../ports';
import type { RestartSettings } from '../request/settings';
import { PreparingOperation, RestartingOperation, TrackedService, currentDeploymentId, restartingOf } from './progress';

/**
 * The two directions between the callback context and the record, in one place: the record is what
 * survives an invocation, the context what one invocation carries to the next.
 */

export function recordOf(progress: RestartingOperation, properties: Record<string, unknown>, status: OperationStatus): RestartRecord {
    return {
        version: 1,
        properties,
        serviceArns: progress.services.map((service) => service.arn),
        deploymentIds: progress.services.map((service) => currentDeploymentId(service) ?? ''),
        restartedAt: new Date(progress.startedAt).toISOString(),
        operation: {
            tokenDigest: progress.tokenDigest,
            action: progress.action,
            status,
            wave: progress.wave,
            waveStartedAt: progress.waveStartedAt,
            startedAt: progress.startedAt,
            deadline: progress.deadline,
            attemptedAt: progress.services.map((service) => service.attemptedAt ?? 0),
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
            const attemptedAt = op.attemptedAt[position] || undefined;
            return {
                arn: record.serviceArns[position] ?? '',
                deploymentId,
                startedAt: deploymentId ? op.waveStartedAt : undefined,
                completed: wave < op.wave,
                ...(attemptedAt && !deploymentId ? { attemptedAt } : {}),
            };
        },
    );
}

/**
 * The context brought up to what the record says was started: the record is written before and after
 * every UpdateService, so an older context (a replayed invocation) never restarts a service again.
 */
export function mergeRecord(context: RestartingOperation, record: RestartRecord): RestartingOperation {
    const op = record.operation;
    const ahead = op.wave > context.wave;
    const positions = context.services.map((service) => service.input);
    return {
        ...context,
        ...(ahead ? { wave: op.wave, waveStartedAt: op.waveStartedAt } : {}),
        services: context.services.map((service) => {
            const position = positions.indexOf(service.input);
            const deploymentId = record.deploymentIds[position] || undefined;
            const attemptedAt = record.operation.attemptedAt[position] || undefined;
            const merged: TrackedService = { ...service, arn: service.arn || (record.serviceArns[position] ?? '') };
            if (ahead && service.wave < op.wave) merged.completed = true;
            if (deploymentId && !service.deploymentId) {
                merged.deploymentId = deploymentId;
                merged.attemptedAt = undefined;
            } else if (attemptedAt && !service.deploymentId && !service.attemptedAt) {
                merged.attemptedAt = attemptedAt;
            }
            return merged;
        }),
    };
}
