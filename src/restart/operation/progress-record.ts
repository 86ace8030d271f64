import { createHash } from 'node:crypto';
import type { RecordedServiceState, RestartRecord, OperationStatus } from '../ports';
import type { RestartSettings } from '../request/settings';
import { PreparingOperation, RestartingContext, RestartingOperation, TrackedService, currentDeploymentId, restartingOf } from './progress';

/**
 * The two directions between the operation and its record, in one place: the record is what survives an
 * invocation, every service's state included; the callback context carries only what is the same for
 * every service.
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
        services: progress.services.map(recordedStateOf),
    };
}

function recordedStateOf(service: TrackedService): RecordedServiceState {
    const state: RecordedServiceState = {};
    if (service.followedDeploymentId && service.deploymentId) state.ownDeploymentId = service.deploymentId;
    if (service.startedAt !== undefined) state.startedAt = service.startedAt;
    if (service.serviceDeploymentArn) state.serviceDeploymentArn = service.serviceDeploymentArn;
    if (service.completed) state.completed = true;
    if (service.awaitingApproval) state.awaitingApproval = service.awaitingApproval;
    return state;
}

/** Whether two operations differ in anything their records keep of their services. */
export function recordedServicesDiffer(a: RestartingOperation, b: RestartingOperation): boolean {
    return (
        a.services.length !== b.services.length ||
        a.services.some((service, i) => {
            const other = b.services[i];
            return (
                other === undefined ||
                service.arn !== other.arn ||
                currentDeploymentId(service) !== currentDeploymentId(other) ||
                service.attemptedAt !== other.attemptedAt ||
                JSON.stringify(recordedStateOf(service)) !== JSON.stringify(recordedStateOf(other))
            );
        })
    );
}

const ALPHANUMERIC = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';

/**
 * An identifier as ECS makes them, as poorly compressible: the worst case is sized with values that
 * compress no better than real ones, so that a record admitted at the start fits to the end.
 */
function worstCaseIdentifier(seed: string, length: number, alphabet = ALPHANUMERIC): string {
    const bytes = createHash('sha512').update(seed).digest();
    return Array.from({ length }, (_, i) => alphabet[(bytes[i % bytes.length] ?? 0) % alphabet.length]).join('');
}

/** A service-deployment ARN as ECS forms it from the service's ARN. */
function worstCaseServiceDeploymentArn(serviceArn: string, seed: string): string {
    return `${serviceArn.replace(':service/', ':service-deployment/')}/${worstCaseIdentifier(`${seed}/sd`, 22)}`;
}

/**
 * The record as large as this operation can make it: every service's deployment filled in, followed
 * after a supersession, its service deployment known and a hook awaiting approval. Checking this
 * before the first restart means no later write can be refused for size half-way through.
 */
export function worstCaseRecordOf(progress: RestartingOperation, properties: Record<string, unknown>): RestartRecord {
    const record = recordOf(progress, properties, 'IN_PROGRESS');
    // ECS deployment ids are "ecs-svc/" and 19 digits.
    const deployment = (i: number, which: string): string => `ecs-svc/${worstCaseIdentifier(`${i}/${which}`, 19, '0123456789')}`;
    const far = progress.deadline + 365 * 24 * 3_600_000;
    return {
        ...record,
        deploymentIds: record.deploymentIds.map((_, i) => deployment(i, 'followed')),
        operation: { ...record.operation, attemptedAt: record.operation.attemptedAt.map(() => far) },
        services: record.serviceArns.map((arn, i) => ({
            ownDeploymentId: deployment(i, 'own'),
            startedAt: far,
            serviceDeploymentArn: worstCaseServiceDeploymentArn(arn, String(i)),
            completed: true,
            awaitingApproval: { hookId: worstCaseIdentifier(`${i}/hook`, 36), since: far },
        })),
    };
}

/**
 * The operation as its record describes it, services and all: what the record does not hold (notes,
 * the service-deployments API's state) comes from `carried`, the callback context, when there is one;
 * else it is observed again.
 */
export function restartingFromRecord(
    preparing: PreparingOperation | RestartingContext,
    settings: RestartSettings,
    record: RestartRecord,
): RestartingOperation {
    const op = record.operation;
    const carried = preparing.stage === 'restarting' ? preparing : undefined;
    const restarting = restartingOf(
        { ...preparing, startedAt: op.startedAt, deadline: op.deadline },
        settings,
        { wave: op.wave, waveStartedAt: op.waveStartedAt },
        (position, wave) => {
            const current = record.deploymentIds[position] || undefined;
            const attemptedAt = op.attemptedAt[position] || undefined;
            const state = record.services?.[position];
            const service: Partial<TrackedService> = {
                arn: record.serviceArns[position] ?? '',
                deploymentId: state?.ownDeploymentId ?? current,
                // A record without per-service state dates the deployment by its wave's start, as before.
                startedAt: current ? (state?.startedAt ?? op.waveStartedAt) : undefined,
                completed: wave < op.wave || state?.completed === true,
                ...(attemptedAt && !current ? { attemptedAt } : {}),
            };
            if (state?.ownDeploymentId && current) service.followedDeploymentId = current;
            if (state?.serviceDeploymentArn) service.serviceDeploymentArn = state.serviceDeploymentArn;
            if (state?.awaitingApproval) service.awaitingApproval = state.awaitingApproval;
            return service;
        },
    );
    if (!carried) return restarting;
    return {
        ...restarting,
        transientFailures: carried.transientFailures,
        serviceDeploymentsApi: carried.serviceDeploymentsApi,
        notes: carried.notes,
        // Where the look goes on holds only for the wave it was taken in.
        ...(carried.lookFrom !== undefined && carried.wave === op.wave ? { lookFrom: carried.lookFrom } : {}),
    };
}
