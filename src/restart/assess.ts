import {
    DeploymentView,
    ServiceDeploymentSummaryView,
    ServiceDeploymentView,
    ServiceEventView,
    ServiceView,
    primaryDeploymentOf,
} from './views';
import { TrackedService, currentDeploymentId } from './progress';

/**
 * Pure stabilisation logic: from what ECS shows now, decide whether each restarted service is done,
 * still going, or failed. No I/O, no clock: everything it needs comes in as arguments.
 */

export interface DeploymentCounts {
    desired: number;
    running: number;
    pending: number;
    failedTasks: number;
}

export type ServiceAssessment =
    | { state: 'completed'; deploymentId: string; note?: string; followedDeploymentId?: string }
    | { state: 'in-progress'; deploymentId: string; detail: string; counts: DeploymentCounts; note?: string; followedDeploymentId?: string }
    | { state: 'failed'; deploymentId: string; reason: string; note?: string; followedDeploymentId?: string };

/** The service deployments (ECS service-deployments API) that concern one tracked service. */
export interface ServiceDeploymentEvidence {
    /** The one our UpdateService created, when it can be told apart. */
    ours?: ServiceDeploymentSummaryView;
    /** The newest one, described: the one whose outcome decides. */
    latest: ServiceDeploymentView;
}

/** How far apart ECS may stamp a deployment and its service deployment and still be the same one. */
export const SERVICE_DEPLOYMENT_MATCH_TOLERANCE_MS = 30_000;

const SERVICE_DEPLOYMENT_RUNNING = new Set(['PENDING', 'IN_PROGRESS']);
const SERVICE_DEPLOYMENT_ROLLBACK = new Set(['ROLLBACK_REQUESTED', 'ROLLBACK_IN_PROGRESS', 'ROLLBACK_SUCCESSFUL', 'ROLLBACK_FAILED']);
const SERVICE_DEPLOYMENT_STOPPED = new Set(['STOP_REQUESTED', 'STOPPED']);
// ECS's own event wording when the deployment circuit breaker fails a deployment or rolls it back.
const ROLLBACK_EVENT = /rolling back|rolled back|circuit breaker|deployment failed/i;

/**
 * Picks, among the service deployments created since the restart, the one the restart created (the
 * closest in time to its deployment's createdAt) and the newest. The ECS deployment id
 * ("ecs-svc/…") and the service deployment ARN share no key, so time is the correlation.
 */
export function correlateServiceDeployments(
    service: TrackedService,
    summaries: readonly ServiceDeploymentSummaryView[],
): { ours?: ServiceDeploymentSummaryView; latest?: ServiceDeploymentSummaryView } {
    if (summaries.length === 0 || service.startedAt === undefined) {
        return {};
    }
    const anchor = service.startedAt;
    const candidates = summaries.filter((summary) => Math.abs(summary.createdAt - anchor) <= SERVICE_DEPLOYMENT_MATCH_TOLERANCE_MS);
    const ours = candidates.sort((a, b) => Math.abs(a.createdAt - anchor) - Math.abs(b.createdAt - anchor))[0];
    const latest = [...summaries].sort((a, b) => b.createdAt - a.createdAt)[0];
    if (!latest || (!ours && latest.createdAt < anchor)) {
        return {};
    }
    return { ours, latest };
}

function countsOf(deployment: DeploymentView | undefined, service: ServiceView): DeploymentCounts {
    return deployment
        ? {
              desired: deployment.desiredCount,
              running: deployment.runningCount,
              pending: deployment.pendingCount,
              failedTasks: deployment.failedTasks,
          }
        : { desired: service.desiredCount, running: service.runningCount, pending: service.pendingCount, failedTasks: 0 };
}

export function describeCounts(counts: DeploymentCounts): string {
    return `${counts.running}/${counts.desired} running, ${counts.pending} pending, ${counts.failedTasks} failed tasks`;
}

function supersededNote(service: TrackedService, newer: string): string {
    return (
        `service ${service.name}: deployment ${service.deploymentId} was superseded by ${newer}, a newer deployment of ` +
        'the service (for example from a pipeline), which replaces every task too; the restart follows it instead'
    );
}

function rollbackEventsSince(events: readonly ServiceEventView[], since: number): ServiceEventView[] {
    return events.filter((event) => event.createdAt >= since && ROLLBACK_EVENT.test(event.message));
}

function inactiveServiceAssessment(service: TrackedService, view: ServiceView | undefined): ServiceAssessment | undefined {
    const deploymentId = currentDeploymentId(service) ?? '(none)';
    if (!view) {
        return { state: 'failed', deploymentId, reason: `service ${service.name} no longer exists in the cluster (ECS: MISSING)` };
    }
    if (view.status !== 'ACTIVE') {
        return { state: 'failed', deploymentId, reason: `service ${service.name} became ${view.status} while its restart was running` };
    }
    return undefined;
}

function assessFromServiceDeployments(service: TrackedService, view: ServiceView, evidence: ServiceDeploymentEvidence): ServiceAssessment {
    const { ours, latest } = evidence;
    const superseded = ours !== undefined ? latest.arn !== ours.arn : latest.createdAt > (service.startedAt ?? 0);
    const primary = primaryDeploymentOf(view);
    const deploymentId = superseded ? (primary?.id ?? latest.arn) : (service.deploymentId ?? latest.arn);
    const followed = superseded ? { followedDeploymentId: deploymentId, note: supersededNote(service, deploymentId) } : {};
    const reason = [latest.statusReason, latest.rollbackReason].filter(Boolean).join('; ');
    if (latest.status === 'SUCCESSFUL') {
        return { state: 'completed', deploymentId, ...followed };
    }
    if (SERVICE_DEPLOYMENT_ROLLBACK.has(latest.status)) {
        const failures = latest.circuitBreakerFailures ? ` after ${latest.circuitBreakerFailures} failed tasks` : '';
        return {
            state: 'failed',
            deploymentId,
            reason: `service deployment ${latest.arn} is ${latest.status}${failures}${reason ? `: ${reason}` : ''}`,
            ...followed,
        };
    }
    if (SERVICE_DEPLOYMENT_STOPPED.has(latest.status)) {
        return {
            state: 'failed',
            deploymentId,
            reason: `service deployment ${latest.arn} is ${latest.status}${reason ? `: ${reason}` : ''}`,
            ...followed,
        };
    }
    const counts = countsOf(primary, view);
    const detail = SERVICE_DEPLOYMENT_RUNNING.has(latest.status)
        ? latest.status
        : `${latest.status} (not a state this type knows; still waiting)`;
    return { state: 'in-progress', deploymentId, detail, counts, ...followed };
}

function assessFromDeployments(service: TrackedService, view: ServiceView): ServiceAssessment {
    const targetId = currentDeploymentId(service) ?? '';
    const target = view.deployments.find((deployment) => deployment.id === targetId);
    const primary = primaryDeploymentOf(view);
    const since = target?.createdAt ?? service.startedAt ?? 0;

    if (target?.rolloutState === 'FAILED') {
        return {
            state: 'failed',
            deploymentId: targetId,
            reason: `deployment ${targetId} FAILED: ${target.rolloutStateReason ?? 'no reason given'}`,
        };
    }
    const newerPrimary = primary !== undefined && primary.id !== targetId && primary.createdAt > since ? primary : undefined;
    if (newerPrimary || !target) {
        const [rollback] = rollbackEventsSince(view.events, since);
        if (rollback) {
            return { state: 'failed', deploymentId: targetId, reason: `deployment ${targetId} was rolled back: ${rollback.message}` };
        }
        if (!newerPrimary) {
            return {
                state: 'failed',
                deploymentId: targetId,
                reason: `deployment ${targetId} is gone from the service and no newer deployment replaced it`,
            };
        }
        const followed = assessFromDeployments({ ...service, followedDeploymentId: newerPrimary.id }, view);
        return { ...followed, followedDeploymentId: newerPrimary.id, note: supersededNote(service, newerPrimary.id) };
    }
    const counts = countsOf(target, view);
    if (target.rolloutState === 'COMPLETED') {
        return { state: 'completed', deploymentId: targetId };
    }
    if (target.rolloutState === undefined) {
        // No rollout state (older agents, some emulators): done when it is the only deployment left
        // and runs every desired task.
        const settled =
            view.deployments.length === 1 && target.runningCount === target.desiredCount && view.runningCount === view.desiredCount;
        return settled
            ? { state: 'completed', deploymentId: targetId }
            : { state: 'in-progress', deploymentId: targetId, detail: 'waiting for the old tasks to drain', counts };
    }
    return { state: 'in-progress', deploymentId: targetId, detail: target.rolloutState, counts };
}

/**
 * Decides the state of one restarted service. `evidence` is the service-deployments API's view when
 * that API is available and the deployment was found there; otherwise the decision falls back to the
 * `deployments` array of DescribeServices.
 */
export function assessService(
    service: TrackedService,
    view: ServiceView | undefined,
    evidence?: ServiceDeploymentEvidence,
): ServiceAssessment {
    const gone = inactiveServiceAssessment(service, view);
    if (gone || !view) {
        return gone as ServiceAssessment;
    }
    return evidence ? assessFromServiceDeployments(service, view, evidence) : assessFromDeployments(service, view);
}

/**
 * Why a service cannot be restarted by a forced new deployment, or undefined when it can. Checked for
 * every service before the first restart, and again for each later wave when its turn comes.
 */
export function refusalOf(
    service: { name: string; input: string },
    view: ServiceView | undefined,
    clusterName: string,
): string | undefined {
    if (!view) {
        return `service '${service.input}' was not found in cluster '${clusterName}': check the name, or remove it from Services`;
    }
    if (view.status === 'DRAINING' || view.status === 'INACTIVE') {
        return `service '${service.input}' is ${view.status} (being deleted or deleted): remove it from Services`;
    }
    if (view.deploymentController !== 'ECS') {
        return (
            `service '${service.input}' uses the ${view.deploymentController} deployment controller, whose tasks a forced new deployment ` +
            `does not replace: restart it through ${view.deploymentController === 'CODE_DEPLOY' ? 'a CodeDeploy deployment' : 'its external controller (a new task set)'}, ` +
            'or remove it from Services'
        );
    }
    return undefined;
}
