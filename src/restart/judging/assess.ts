import {
    DeploymentView,
    ServiceDeploymentSummaryView,
    ServiceDeploymentView,
    ServiceEventView,
    ServiceView,
    primaryDeploymentOf,
} from '../views';
import { TrackedService, currentDeploymentId } from '../operation/progress';
import { describeStage, shiftsTraffic, stageBakeMinutes, strategyOf, tasksOfOtherRevisions, timeoutRefusal } from './strategies';

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

/** What an assessment learned about the tracked service, for the next observation. */
interface Tracking {
    note?: string;
    followedDeploymentId?: string;
    /** The service deployment that was judged. */
    serviceDeploymentArn?: string;
}

export type ServiceAssessment =
    | ({ kind: 'completed'; deploymentId: string } & Tracking)
    | ({
          kind: 'in-progress';
          deploymentId: string;
          detail: string;
          counts: DeploymentCounts;
          /** The bake of the stage the deployment is in (a bake time, a step's bake), in minutes. */
          bakeMinutes?: number;
          /** A pause hook waiting for approval, and since when this restart has seen it wait. */
          awaitingApproval?: { hookId: string; since: number };
          /** Tasks of other revisions still running or pending. */
          oldTasks?: number;
      } & Tracking)
    | ({ kind: 'failed'; deploymentId: string; reason: string } & Tracking);

/** The service deployments (ECS service-deployments API) that concern one tracked service, described. */
export interface ServiceDeploymentEvidence {
    /** The service deployment of the deployment the restart waits for (its own, or the one it follows), once listed. */
    ours?: ServiceDeploymentView;
    /** The newest service deployment created since the restart: when it is not ours, it superseded ours. */
    latest: ServiceDeploymentView;
}

export interface AssessOptions {
    /** The observation's time: when a pause hook was first seen waiting. */
    now: number;
    /** Why the service-deployments API cannot be asked (missing or denied), when it cannot. */
    serviceDeploymentsUnavailable?: string;
}

/**
 * How far apart ECS may stamp a deployment and its service deployment and still be the same one: used
 * only where ECS names no service revision to correlate by (see correlateServiceDeployments), and to
 * widen the ListServiceDeployments window.
 */
export const SERVICE_DEPLOYMENT_MATCH_TOLERANCE_MS = 30_000;

const SERVICE_DEPLOYMENT_RUNNING = new Set(['PENDING', 'IN_PROGRESS']);
/** Still moving, but away from the new revision: reported as such while they last, then judged. */
const SERVICE_DEPLOYMENT_TURNING_BACK = new Set(['ROLLBACK_REQUESTED', 'ROLLBACK_IN_PROGRESS', 'STOP_REQUESTED']);
const SERVICE_DEPLOYMENT_FAILED = new Set(['ROLLBACK_SUCCESSFUL', 'ROLLBACK_FAILED', 'STOPPED']);
const SERVICE_DEPLOYMENT_ROLLBACK = new Set(['ROLLBACK_REQUESTED', 'ROLLBACK_IN_PROGRESS', 'ROLLBACK_SUCCESSFUL', 'ROLLBACK_FAILED']);
// ECS's own event wording when the deployment circuit breaker fails a deployment or rolls it back.
const ROLLBACK_EVENT = /rolling back|rolled back|circuit breaker|deployment failed/i;

function lastSegment(arnOrId: string): string {
    return arnOrId.split('/').pop() ?? arnOrId;
}

/**
 * The deployment id ("ecs-svc/1234…") and the service revision it deploys share their last segment:
 * ECS names the service revision "…:service-revision/CLUSTER/SERVICE/1234…". That is how a deployment
 * and its service deployment are told apart from any other, as Terraform's ECS provider does.
 */
export function deploysRevisionOf(deploymentId: string | undefined, revisionArn: string | undefined): boolean {
    return deploymentId !== undefined && revisionArn !== undefined && lastSegment(deploymentId) === lastSegment(revisionArn);
}

/**
 * Picks, among the service deployments listed since the restart, the one of the deployment the restart
 * waits for, and the newest. Correlation is by what ECS says: the service deployment ARN found before,
 * else the target service revision that carries the deployment id. Only when ECS names no target
 * revision at all (an endpoint that predates service revisions) is the closest createdAt within
 * SERVICE_DEPLOYMENT_MATCH_TOLERANCE_MS taken instead: the one place a time window is still used.
 */
export function correlateServiceDeployments(
    service: TrackedService,
    summaries: readonly ServiceDeploymentSummaryView[],
): { ours?: ServiceDeploymentSummaryView; latest?: ServiceDeploymentSummaryView } {
    if (summaries.length === 0 || service.startedAt === undefined) {
        return {};
    }
    const anchor = service.startedAt;
    const wanted = currentDeploymentId(service);
    let ours =
        (service.serviceDeploymentArn ? summaries.find((summary) => summary.arn === service.serviceDeploymentArn) : undefined) ??
        summaries.find((summary) => deploysRevisionOf(wanted, summary.targetRevisionArn));
    if (!ours && summaries.every((summary) => summary.targetRevisionArn === undefined)) {
        const candidates = summaries.filter((summary) => Math.abs(summary.createdAt - anchor) <= SERVICE_DEPLOYMENT_MATCH_TOLERANCE_MS);
        ours = [...candidates].sort((a, b) => Math.abs(a.createdAt - anchor) - Math.abs(b.createdAt - anchor))[0];
    }
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

/** The counts of the revision a service deployment deploys, where ECS reports them, else of its deployment. */
function targetCountsOf(latest: ServiceDeploymentView, deployment: DeploymentView | undefined, view: ServiceView): DeploymentCounts {
    const target = latest.targetRevision;
    if (!target) return countsOf(deployment, view);
    return { desired: target.requested, running: target.running, pending: target.pending, failedTasks: deployment?.failedTasks ?? 0 };
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
        return { kind: 'failed', deploymentId, reason: `service ${service.name} no longer exists in the cluster (ECS: MISSING)` };
    }
    if (view.status !== 'ACTIVE') {
        return { kind: 'failed', deploymentId, reason: `service ${service.name} became ${view.status} while its restart was running` };
    }
    return undefined;
}

/**
 * Tasks of any revision but the one deployed, running or pending, as DescribeServices reports them now:
 * by service revision where ECS lists them (currentServiceRevisions), else by deployment.
 */
export function oldTasksStillRunning(view: ServiceView, deploymentId: string, targetRevisionArn?: string): number {
    if (view.revisions && view.revisions.length > 0) {
        const target = targetRevisionArn ?? view.revisions.find((revision) => deploysRevisionOf(deploymentId, revision.arn))?.arn;
        return tasksOfOtherRevisions(view.revisions, target);
    }
    return view.deployments
        .filter((deployment) => deployment.id !== deploymentId)
        .reduce((sum, deployment) => sum + deployment.runningCount + deployment.pendingCount, 0);
}

function drainingDetail(status: string, oldTasks: number): string {
    return (
        `${status}, but ${oldTasks} task${oldTasks === 1 ? '' : 's'} of the old revision still run ` +
        '(ECS called the deployment done before removing them, e.g. early success criteria); waiting until they stop'
    );
}

function shortArn(arn: string): string {
    return arn.split(':').pop() ?? arn;
}

/** Everything ECS says about why a service deployment turned back: status reason, rollback, circuit breaker, alarms, hooks. */
export function serviceDeploymentReasons(deployment: ServiceDeploymentView): string[] {
    const reasons: string[] = [];
    if (deployment.statusReason) reasons.push(deployment.statusReason);
    if (deployment.rollbackReason && deployment.rollbackReason !== deployment.statusReason) reasons.push(deployment.rollbackReason);
    if (deployment.circuitBreakerStatus === 'TRIGGERED') {
        const threshold = deployment.circuitBreakerThreshold !== undefined ? ` (threshold ${deployment.circuitBreakerThreshold})` : '';
        reasons.push(`deployment circuit breaker triggered${threshold}`);
    }
    if (deployment.triggeredAlarms && deployment.triggeredAlarms.length > 0) {
        reasons.push(`CloudWatch alarms in ALARM: ${deployment.triggeredAlarms.join(', ')}`);
    }
    for (const hook of deployment.hooks ?? []) {
        if (hook.status === 'FAILED' || hook.status === 'TIMED_OUT') {
            const target = hook.targetArn ? ` ${shortArn(hook.targetArn)}` : '';
            reasons.push(`lifecycle hook ${hook.hookId} (${hook.targetType}${target}) ${hook.status}`);
        }
    }
    // ECS's reasons are sentences; joined with "; " they lose their full stops.
    return reasons.map((reason) => reason.replace(/\.+$/, ''));
}

function failedReason(deployment: ServiceDeploymentView): string {
    const failures = deployment.circuitBreakerFailures ? ` after ${deployment.circuitBreakerFailures} failed tasks` : '';
    const reasons = serviceDeploymentReasons(deployment);
    return `service deployment ${deployment.arn} is ${deployment.status}${failures}${reasons.length > 0 ? `: ${reasons.join('; ')}` : ''}`;
}

function turningBackDetail(deployment: ServiceDeploymentView): string {
    const doing = deployment.status === 'STOP_REQUESTED' ? 'ECS is stopping the deployment' : 'ECS is rolling the deployment back';
    const reasons = serviceDeploymentReasons(deployment);
    return `${deployment.status} (${doing}${reasons.length > 0 ? `: ${reasons.join('; ')}` : ''})`;
}

function isoMinute(epochMs: number): string {
    return `${new Date(epochMs).toISOString().slice(0, 16)}Z`;
}

/** The in-progress detail of a running service deployment: its stage, and a pause hook that waits for approval. */
function runningDetail(
    service: TrackedService,
    deployment: ServiceDeploymentView,
    view: ServiceView,
    now: number,
): { detail: string; bakeMinutes?: number; awaitingApproval?: { hookId: string; since: number } } {
    const stage = describeStage(deployment, view.deploymentConfiguration);
    const status = stage ? `${deployment.status}: ${stage}` : deployment.status;
    const paused = (deployment.hooks ?? []).find((hook) => hook.targetType === 'PAUSE' && hook.status === 'AWAITING_ACTION');
    if (paused) {
        const since = service.awaitingApproval?.hookId === paused.hookId ? service.awaitingApproval.since : now;
        const expiry = paused.expiresAt
            ? `; the hook expires at ${isoMinute(paused.expiresAt)}, then ECS will ${paused.timeoutAction === 'CONTINUE' ? 'continue' : 'roll back'}`
            : '';
        return {
            detail: `${status}, waiting for approval of hook ${paused.hookId} since ${isoMinute(since)} (ecs:ContinueServiceDeployment)${expiry}`,
            awaitingApproval: { hookId: paused.hookId, since },
        };
    }
    const lambda = (deployment.hooks ?? []).find((hook) => hook.targetType === 'AWS_LAMBDA' && hook.status === 'IN_PROGRESS');
    const hookDetail = lambda ? `, Lambda hook ${lambda.targetArn ? shortArn(lambda.targetArn) : lambda.hookId} running` : '';
    const bakeMinutes = stageBakeMinutes(deployment, view.deploymentConfiguration);
    return { detail: `${status}${hookDetail}`, ...(bakeMinutes ? { bakeMinutes } : {}) };
}

/** The deployment id of DescribeServices that deploys `revisionArn`, if ECS lists one. */
function deploymentOfRevision(view: ServiceView, revisionArn: string | undefined): DeploymentView | undefined {
    return revisionArn ? view.deployments.find((deployment) => deploysRevisionOf(deployment.id, revisionArn)) : undefined;
}

function assessFromServiceDeployments(
    service: TrackedService,
    view: ServiceView,
    evidence: ServiceDeploymentEvidence,
    options: AssessOptions,
): ServiceAssessment {
    const { ours, latest } = evidence;
    // A rollback of our own deployment decides, whatever came after it: a rollback may itself show up as a
    // newer deployment, and following it would call the restart a success.
    const superseded =
        ours !== undefined
            ? !SERVICE_DEPLOYMENT_ROLLBACK.has(ours.status) && latest.arn !== ours.arn && latest.createdAt > ours.createdAt
            : latest.createdAt > (service.startedAt ?? 0);
    const judged = superseded || !ours ? latest : ours;
    const deployment = deploymentOfRevision(view, judged.targetRevisionArn);
    const deploymentId = superseded
        ? (deployment?.id ?? primaryDeploymentOf(view)?.id ?? judged.arn)
        : (currentDeploymentId(service) ?? judged.arn);
    const followed = superseded ? deploymentId : service.followedDeploymentId;
    const tracking: Tracking = followed
        ? { followedDeploymentId: followed, note: supersededNote(service, followed), serviceDeploymentArn: judged.arn }
        : { serviceDeploymentArn: judged.arn };
    const counts = targetCountsOf(judged, deployment ?? view.deployments.find((d) => d.id === deploymentId), view);

    if (judged.status === 'SUCCESSFUL') {
        const oldTasks = oldTasksStillRunning(view, deploymentId, judged.targetRevisionArn);
        return oldTasks > 0
            ? { kind: 'in-progress', deploymentId, detail: drainingDetail('SUCCESSFUL', oldTasks), counts, ...tracking }
            : { kind: 'completed', deploymentId, ...tracking };
    }
    if (SERVICE_DEPLOYMENT_FAILED.has(judged.status)) {
        return { kind: 'failed', deploymentId, reason: failedReason(judged), ...tracking };
    }
    if (SERVICE_DEPLOYMENT_TURNING_BACK.has(judged.status)) {
        return { kind: 'in-progress', deploymentId, detail: turningBackDetail(judged), counts, ...tracking };
    }
    if (SERVICE_DEPLOYMENT_RUNNING.has(judged.status)) {
        return { kind: 'in-progress', deploymentId, counts, ...runningDetail(service, judged, view, options.now), ...tracking };
    }
    return {
        kind: 'in-progress',
        deploymentId,
        detail: `${judged.status} (not a state this type knows; still waiting)`,
        counts,
        ...tracking,
    };
}

function assessFromDeployments(service: TrackedService, view: ServiceView): ServiceAssessment {
    const targetId = currentDeploymentId(service) ?? '';
    const target = view.deployments.find((deployment) => deployment.id === targetId);
    const primary = primaryDeploymentOf(view);
    const since = target?.createdAt ?? service.startedAt ?? 0;

    if (target?.rolloutState === 'FAILED') {
        return {
            kind: 'failed',
            deploymentId: targetId,
            reason: `deployment ${targetId} FAILED: ${target.rolloutStateReason ?? 'no reason given'}`,
        };
    }
    const newerPrimary = primary !== undefined && primary.id !== targetId && primary.createdAt > since ? primary : undefined;
    if (newerPrimary || !target) {
        const [rollback] = rollbackEventsSince(view.events, since);
        if (rollback) {
            return { kind: 'failed', deploymentId: targetId, reason: `deployment ${targetId} was rolled back: ${rollback.message}` };
        }
        if (!newerPrimary) {
            return {
                kind: 'failed',
                deploymentId: targetId,
                reason: `deployment ${targetId} is gone from the service and no newer deployment replaced it`,
            };
        }
        const followed = assessFromDeployments({ ...service, followedDeploymentId: newerPrimary.id }, view);
        return { ...followed, followedDeploymentId: newerPrimary.id, note: supersededNote(service, newerPrimary.id) };
    }
    const counts = countsOf(target, view);
    if (target.rolloutState === 'COMPLETED') {
        // With early success criteria (DEFERRED clean-up) ECS completes the rollout while old tasks still run.
        const oldTasks = oldTasksStillRunning(view, targetId);
        return oldTasks > 0
            ? { kind: 'in-progress', deploymentId: targetId, detail: drainingDetail('COMPLETED', oldTasks), counts }
            : { kind: 'completed', deploymentId: targetId };
    }
    if (target.rolloutState === undefined) {
        // No rollout state (older agents, some emulators): done when it is the only deployment left
        // and runs every desired task.
        const settled =
            view.deployments.length === 1 && target.runningCount === target.desiredCount && view.runningCount === view.desiredCount;
        return settled
            ? { kind: 'completed', deploymentId: targetId }
            : { kind: 'in-progress', deploymentId: targetId, detail: 'waiting for the old tasks to drain', counts };
    }
    return { kind: 'in-progress', deploymentId: targetId, detail: target.rolloutState, counts };
}

/**
 * A BLUE_GREEN, LINEAR or CANARY deployment without its service deployment: DescribeServices cannot
 * tell its stage, hooks or rollbacks, so it is not judged from there.
 */
function assessWithoutServiceDeployment(service: TrackedService, view: ServiceView, options: AssessOptions): ServiceAssessment {
    const deploymentId = currentDeploymentId(service) ?? '(none)';
    const strategy = strategyOf(view.deploymentConfiguration);
    if (options.serviceDeploymentsUnavailable !== undefined) {
        return {
            kind: 'failed',
            deploymentId,
            reason:
                `service ${service.name} deploys ${strategy}, which only the ECS service-deployments API can judge, and that API is ` +
                `unavailable (${options.serviceDeploymentsUnavailable}): grant ecs:ListServiceDeployments and ` +
                'ecs:DescribeServiceDeployments to the role that CloudFormation uses for this resource type, and check the deployment in the ECS console',
        };
    }
    const target = view.deployments.find((deployment) => deployment.id === deploymentId);
    return {
        kind: 'in-progress',
        deploymentId,
        detail: `${strategy} deployment not yet listed by ecs:ListServiceDeployments`,
        counts: countsOf(target, view),
    };
}

/**
 * Decides the state of one restarted service. `evidence` is the service-deployments API's view when
 * that API is available and ECS listed the deployment there; without it a rolling service is judged
 * from the `deployments` array of DescribeServices, and a BLUE_GREEN/LINEAR/CANARY one is not judged.
 */
export function assessService(
    service: TrackedService,
    view: ServiceView | undefined,
    evidence: ServiceDeploymentEvidence | undefined,
    options: AssessOptions,
): ServiceAssessment {
    const gone = inactiveServiceAssessment(service, view);
    if (gone || !view) {
        return gone as ServiceAssessment;
    }
    const assessment = evidence
        ? assessFromServiceDeployments(service, view, evidence, options)
        : shiftsTraffic(strategyOf(view.deploymentConfiguration))
          ? assessWithoutServiceDeployment(service, view, options)
          : assessFromDeployments(service, view);
    return assessment.kind === 'in-progress'
        ? { ...assessment, oldTasks: oldTasksStillRunning(view, assessment.deploymentId) }
        : assessment;
}

/** What the refusals check besides the service itself. */
export interface RefusalChecks {
    /** TimeoutInMinutes: a deployment whose bake times alone take longer cannot finish in time. */
    timeoutInMinutes?: number;
    /**
     * Why the service-deployments API cannot be asked, when it cannot: a BLUE_GREEN/LINEAR/CANARY
     * deployment cannot be judged without it.
     */
    serviceDeploymentsUnavailable?: string;
}

/**
 * Why a service cannot be restarted by a forced new deployment, or undefined when it can. Checked for
 * every service before the first restart, and again for each later wave when its turn comes.
 */
export function refusalOf(
    service: { name: string; input: string },
    view: ServiceView | undefined,
    clusterName: string,
    checks: RefusalChecks = {},
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
    const strategy = strategyOf(view.deploymentConfiguration);
    if (shiftsTraffic(strategy) && checks.serviceDeploymentsUnavailable !== undefined) {
        return (
            `service '${service.input}' deploys ${strategy}, whose stages, hooks and rollbacks only the ECS service-deployments API ` +
            `reports, and that API is unavailable (${checks.serviceDeploymentsUnavailable}): grant ecs:ListServiceDeployments and ` +
            'ecs:DescribeServiceDeployments to the role that CloudFormation uses for this resource type'
        );
    }
    if (checks.timeoutInMinutes !== undefined) {
        return timeoutRefusal(service.input, view.deploymentConfiguration, checks.timeoutInMinutes);
    }
    return undefined;
}
