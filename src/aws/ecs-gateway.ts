import {
    DescribeServiceDeploymentsCommand,
    DescribeServicesCommand,
    DescribeTaskDefinitionCommand,
    DescribeTasksCommand,
    ECSClient,
    ListServiceDeploymentsCommand,
    ListServicesCommand,
    ListTasksCommand,
    UpdateServiceCommand,
} from '@aws-sdk/client-ecs';
import { chunk } from '../restart/collections';
import { ServiceDeploymentsUnavailableError } from '../restart/errors';
import { EcsGateway, LIST_SERVICES_PAGE_SIZE } from '../restart/ports';
import type {
    ServiceDeploymentSummaryView,
    ServiceDeploymentView,
    ServicePage,
    ServiceView,
    StartedDeployment,
    StoppedTaskView,
    TaskDefinitionView,
} from '../restart/views';
import { isAccessDenied, mapAwsError } from './aws-errors';

export const DESCRIBE_SERVICES_BATCH_SIZE = 10;
const DESCRIBE_SERVICE_DEPLOYMENTS_BATCH_SIZE = 20;
const DESCRIBE_TASKS_BATCH_SIZE = 100;

// Answers meaning "this endpoint has no service-deployments API" rather than "the call failed".
const UNSUPPORTED_OPERATION_NAMES = new Set([
    'UnknownOperationException',
    'UnsupportedOperation',
    'UnsupportedFeatureException',
    'InvalidAction',
    'NotImplemented',
    'NotImplementedException',
]);

function toMillis(value: Date | undefined): number {
    return value ? value.getTime() : 0;
}

/**
 * An endpoint that does not implement the service-deployments API either says so (UnknownOperation,
 * 404/501) or, like moto, answers with something that is not an AWS error document at all (an HTML
 * 500 page the SDK cannot deserialize). A real ECS 5xx is a JSON ServerException and stays transient.
 */
function serviceDeploymentsError(err: unknown, call: string): Error {
    const sdkError = (err ?? {}) as { name?: string; message?: string; $metadata?: { httpStatusCode?: number } };
    const status = sdkError.$metadata?.httpStatusCode;
    const notAnAwsAnswer = sdkError.name === 'SyntaxError' || /Deserialization error/.test(sdkError.message ?? '');
    if (
        isAccessDenied(sdkError) ||
        UNSUPPORTED_OPERATION_NAMES.has(sdkError.name ?? '') ||
        status === 404 ||
        status === 501 ||
        notAnAwsAnswer
    ) {
        return new ServiceDeploymentsUnavailableError(`${call}: ${sdkError.name ?? 'Error'}: ${sdkError.message ?? ''}`.trim());
    }
    return mapAwsError(err, call);
}

export class SdkEcsGateway implements EcsGateway {
    constructor(private readonly ecs: ECSClient) {}

    async describeServices(cluster: string, services: readonly string[]): Promise<ServiceView[]> {
        const result: ServiceView[] = [];
        for (const batch of chunk(services, DESCRIBE_SERVICES_BATCH_SIZE)) {
            let response;
            try {
                response = await this.ecs.send(new DescribeServicesCommand({ cluster, services: batch }));
            } catch (err) {
                throw mapAwsError(err, `ecs:DescribeServices in cluster ${cluster} for ${batch.join(', ')}`);
            }
            for (const service of response.services ?? []) {
                result.push({
                    arn: service.serviceArn ?? '',
                    name: service.serviceName ?? '',
                    status: service.status ?? 'UNKNOWN',
                    deploymentController: service.deploymentController?.type ?? 'ECS',
                    taskDefinition: service.taskDefinition,
                    desiredCount: service.desiredCount ?? 0,
                    runningCount: service.runningCount ?? 0,
                    pendingCount: service.pendingCount ?? 0,
                    deployments: (service.deployments ?? []).map((deployment) => ({
                        id: deployment.id ?? '',
                        status: deployment.status ?? '',
                        rolloutState: deployment.rolloutState,
                        rolloutStateReason: deployment.rolloutStateReason,
                        createdAt: toMillis(deployment.createdAt),
                        desiredCount: deployment.desiredCount ?? 0,
                        runningCount: deployment.runningCount ?? 0,
                        pendingCount: deployment.pendingCount ?? 0,
                        failedTasks: deployment.failedTasks ?? 0,
                        taskDefinition: deployment.taskDefinition,
                    })),
                    events: (service.events ?? []).map((event) => ({
                        createdAt: toMillis(event.createdAt),
                        message: event.message ?? '',
                    })),
                });
            }
        }
        return result;
    }

    async forceNewDeployment(cluster: string, service: string): Promise<StartedDeployment> {
        let response;
        try {
            response = await this.ecs.send(new UpdateServiceCommand({ cluster, service, forceNewDeployment: true }));
        } catch (err) {
            throw mapAwsError(err, `ecs:UpdateService (forceNewDeployment) on service ${service}`);
        }
        const primary = response.service?.deployments?.find((deployment) => deployment.status === 'PRIMARY');
        if (!primary?.id) {
            throw mapAwsError(
                new Error('the response names no PRIMARY deployment'),
                `ecs:UpdateService (forceNewDeployment) on service ${service}`,
            );
        }
        return { deploymentId: primary.id, createdAt: toMillis(primary.createdAt) };
    }

    async listServiceDeployments(cluster: string, service: string, createdAfter: number): Promise<ServiceDeploymentSummaryView[]> {
        const summaries: ServiceDeploymentSummaryView[] = [];
        let nextToken: string | undefined;
        do {
            let response;
            try {
                response = await this.ecs.send(
                    new ListServiceDeploymentsCommand({
                        cluster,
                        service,
                        createdAt: { after: new Date(createdAfter) },
                        nextToken,
                    }),
                );
            } catch (err) {
                throw serviceDeploymentsError(err, `ecs:ListServiceDeployments on service ${service}`);
            }
            for (const summary of response.serviceDeployments ?? []) {
                summaries.push({
                    arn: summary.serviceDeploymentArn ?? '',
                    status: summary.status ?? 'UNKNOWN',
                    createdAt: toMillis(summary.createdAt),
                });
            }
            nextToken = response.nextToken;
        } while (nextToken);
        return summaries.sort((a, b) => a.createdAt - b.createdAt);
    }

    async describeServiceDeployments(arns: readonly string[]): Promise<ServiceDeploymentView[]> {
        const views: ServiceDeploymentView[] = [];
        for (const batch of chunk(arns, DESCRIBE_SERVICE_DEPLOYMENTS_BATCH_SIZE)) {
            let response;
            try {
                response = await this.ecs.send(new DescribeServiceDeploymentsCommand({ serviceDeploymentArns: batch }));
            } catch (err) {
                throw serviceDeploymentsError(err, `ecs:DescribeServiceDeployments for ${batch.join(', ')}`);
            }
            for (const deployment of response.serviceDeployments ?? []) {
                views.push({
                    arn: deployment.serviceDeploymentArn ?? '',
                    status: deployment.status ?? 'UNKNOWN',
                    createdAt: toMillis(deployment.createdAt),
                    statusReason: deployment.statusReason,
                    rollbackReason: deployment.rollback?.reason,
                    circuitBreakerFailures: deployment.deploymentCircuitBreaker?.failureCount,
                });
            }
        }
        return views;
    }

    async describeStoppedTasks(cluster: string, serviceName: string, deploymentId: string, limit: number): Promise<StoppedTaskView[]> {
        const call = `ecs:ListTasks/DescribeTasks (stopped tasks) on service ${serviceName}`;
        try {
            const listed = await this.ecs.send(
                new ListTasksCommand({ cluster, serviceName, desiredStatus: 'STOPPED', maxResults: DESCRIBE_TASKS_BATCH_SIZE }),
            );
            const taskArns = listed.taskArns ?? [];
            if (taskArns.length === 0) {
                return [];
            }
            const described = await this.ecs.send(new DescribeTasksCommand({ cluster, tasks: taskArns }));
            return (described.tasks ?? [])
                .filter((task) => task.startedBy === deploymentId)
                .sort((a, b) => toMillis(b.stoppedAt) - toMillis(a.stoppedAt))
                .slice(0, limit)
                .map((task) => ({
                    taskArn: task.taskArn ?? '',
                    stoppedReason: task.stoppedReason,
                    stopCode: task.stopCode,
                    containerReasons: (task.containers ?? [])
                        .filter((container) => container.reason || (container.exitCode !== undefined && container.exitCode !== 0))
                        .map((container) =>
                            [
                                container.name,
                                container.reason,
                                container.exitCode !== undefined ? `exit code ${container.exitCode}` : undefined,
                            ]
                                .filter(Boolean)
                                .join(': '),
                        ),
                }));
        } catch (err) {
            throw mapAwsError(err, call);
        }
    }

    async listServices(cluster: string, nextToken?: string): Promise<ServicePage> {
        let response;
        try {
            response = await this.ecs.send(new ListServicesCommand({ cluster, maxResults: LIST_SERVICES_PAGE_SIZE, nextToken }));
        } catch (err) {
            throw mapAwsError(err, `ecs:ListServices in cluster ${cluster}`);
        }
        return { serviceArns: response.serviceArns ?? [], nextToken: response.nextToken || undefined };
    }

    async describeTaskDefinition(taskDefinition: string): Promise<TaskDefinitionView> {
        let response;
        try {
            response = await this.ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition }));
        } catch (err) {
            throw mapAwsError(err, `ecs:DescribeTaskDefinition of ${taskDefinition}`);
        }
        const definition = response.taskDefinition;
        // Only the references are kept: a task definition may be large (environment, volumes), and the
        // restart reads nothing else of it.
        return {
            taskDefinitionArn: definition?.taskDefinitionArn ?? taskDefinition,
            family: definition?.family,
            revision: definition?.revision,
            containerDefinitions: (definition?.containerDefinitions ?? []).map((container) => ({
                name: container.name,
                secrets: container.secrets?.map((secret) => ({ name: secret.name, valueFrom: secret.valueFrom })),
                repositoryCredentials: container.repositoryCredentials && {
                    credentialsParameter: container.repositoryCredentials.credentialsParameter,
                },
                logConfiguration: container.logConfiguration && {
                    secretOptions: container.logConfiguration.secretOptions?.map((option) => ({
                        name: option.name,
                        valueFrom: option.valueFrom,
                    })),
                },
            })),
        };
    }
}
