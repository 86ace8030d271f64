import type { TaskDefinitionSecrets } from './secret-references';

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
    desiredCount: number;
    runningCount: number;
    pendingCount: number;
    deployments: DeploymentView[];
    /** The service's task definition ARN (for CODE_DEPLOY and EXTERNAL services, which have task sets, not deployments). */
    taskDefinition?: string;
    /** Newest first, as ECS returns them. */
    events: ServiceEventView[];
}

export interface ServiceDeploymentSummaryView {
    arn: string;
    status: string;
    createdAt: number;
}

export interface ServiceDeploymentView extends ServiceDeploymentSummaryView {
    statusReason?: string;
    rollbackReason?: string;
    circuitBreakerFailures?: number;
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

/** The part of a task definition a restart reads: its name and where its containers read secrets. */
export type TaskDefinitionView = TaskDefinitionSecrets;
