/**
 * What the restart reasons about, as ECS reports it. The ECS adapter fills these in; times are epoch
 * milliseconds so that they can travel in the callback context as JSON.
 */

export interface DeploymentView {
    id: string;
    /** PRIMARY, ACTIVE or INACTIVE. */
    status: string;
    rolloutState?: string;
    rolloutStateReason?: string;
    createdAt: number;
    desiredCount: number;
    runningCount: number;
    pendingCount: number;
    failedTasks: number;
    /** The task definition ARN this deployment runs. */
    taskDefinition?: string;
}

export interface ServiceEventView {
    createdAt: number;
    message: string;
}

export interface ServiceView {
    arn: string;
    name: string;
    /** ACTIVE, DRAINING or INACTIVE. */
    status: string;
    /** ECS, CODE_DEPLOY or EXTERNAL. */
    deploymentController: string;
    /** REPLICA or DAEMON; absent means REPLICA. */
    schedulingStrategy?: string;
    /** The service's deployment configuration as DescribeServices reports it. */
    deploymentConfiguration?: DeploymentSettingsView;
    desiredCount: number;
    runningCount: number;
    pendingCount: number;
    deployments: DeploymentView[];
    /** The service revisions that have tasks (currentServiceRevisions), when ECS reports them. */
    revisions?: RevisionCountsView[];
    /** The service's task definition ARN (for CODE_DEPLOY and EXTERNAL services, which have task sets, not deployments). */
    taskDefinition?: string;
    /** Newest first, as ECS returns them. */
    events: ServiceEventView[];
}

/** The deployment strategies of the ECS deployment controller (DeploymentConfiguration.strategy). */
export type DeploymentStrategy = 'ROLLING' | 'BLUE_GREEN' | 'LINEAR' | 'CANARY';

export interface LifecycleHookSettingsView {
    /** AWS_LAMBDA or PAUSE. */
    targetType: string;
    stages: string[];
}

/** What of DeploymentConfiguration decides how a deployment proceeds and how long it takes. */
export interface DeploymentSettingsView {
    /** Absent on services created before ECS had strategies: those deploy ROLLING. */
    strategy?: string;
    minimumHealthyPercent?: number;
    maximumPercent?: number;
    bakeTimeInMinutes?: number;
    linear?: { stepPercent?: number; stepBakeTimeInMinutes?: number };
    canary?: { canaryPercent?: number; canaryBakeTimeInMinutes?: number };
    lifecycleHooks?: LifecycleHookSettingsView[];
    /** Early success criteria (rolling only): ECS may call a deployment successful before old tasks are gone. */
    earlySuccess?: { healthyPercent?: number; sourceCleanup?: string };
}

/** Task counts of one service revision (ServiceRevisionSummary, ServiceCurrentRevisionSummary). */
export interface RevisionCountsView {
    arn: string;
    requested: number;
    running: number;
    pending: number;
    /** Snapshot of the production traffic share, 0-100, where ECS reports one. */
    productionTrafficWeight?: number;
    testTrafficWeight?: number;
}

export interface ServiceDeploymentSummaryView {
    arn: string;
    status: string;
    createdAt: number;
    /** The service revision this service deployment deploys: the identity that ties it to a deployment id. */
    targetRevisionArn?: string;
}

/** One lifecycle hook of a service deployment (lifecycleHookDetails). */
export interface LifecycleHookView {
    hookId: string;
    /** AWS_LAMBDA or PAUSE. */
    targetType: string;
    targetArn?: string;
    /** AWAITING_ACTION, IN_PROGRESS, SUCCEEDED, FAILED or TIMED_OUT. */
    status: string;
    expiresAt?: number;
    /** CONTINUE or ROLLBACK. */
    timeoutAction?: string;
}

export interface ServiceDeploymentView extends ServiceDeploymentSummaryView {
    statusReason?: string;
    /** RECONCILE_SERVICE, PRE_SCALE_UP, SCALE_UP, …, BAKE_TIME, CLEAN_UP. */
    lifecycleStage?: string;
    updatedAt?: number;
    targetRevision?: RevisionCountsView;
    sourceRevisions?: RevisionCountsView[];
    hooks?: LifecycleHookView[];
    /** The deployment configuration this service deployment runs with. */
    deploymentConfiguration?: DeploymentSettingsView;
    rollbackReason?: string;
    circuitBreakerStatus?: string;
    circuitBreakerFailures?: number;
    circuitBreakerThreshold?: number;
    alarmStatus?: string;
    triggeredAlarms?: string[];
}

export interface StoppedTaskView {
    taskArn: string;
    stoppedReason?: string;
    stopCode?: string;
    containerReasons: string[];
}

export interface StartedDeployment {
    deploymentId: string;
    createdAt: number;
    /** The service as UpdateService answered, for what the first event says about the deployment to come. */
    service?: Pick<ServiceView, 'schedulingStrategy' | 'deploymentConfiguration' | 'desiredCount'>;
}

/** The deployment ECS is rolling out to (the newest one): every service has at most one. */
export function primaryDeploymentOf(view: ServiceView | undefined): DeploymentView | undefined {
    return view?.deployments.find((deployment) => deployment.status === 'PRIMARY');
}

export function findServiceView(views: readonly ServiceView[], name: string): ServiceView | undefined {
    return views.find((view) => view.name === name);
}

/** One page of a cluster's service ARNs; `nextToken` is absent on the last page. */
export interface ServicePage {
    serviceArns: string[];
    nextToken?: string;
}

interface NamedReference {
    name?: string;
    valueFrom?: string;
}

/** The part of an ECS task definition a restart reads: its name and where its containers read secrets. DescribeTaskDefinition's answer fits it. */
export interface TaskDefinitionView {
    taskDefinitionArn?: string;
    family?: string;
    revision?: number;
    containerDefinitions?: ReadonlyArray<{
        name?: string;
        secrets?: readonly NamedReference[];
        repositoryCredentials?: { credentialsParameter?: string };
        logConfiguration?: { secretOptions?: readonly NamedReference[] };
    }>;
}
