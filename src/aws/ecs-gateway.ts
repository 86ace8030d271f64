import {
    DeploymentConfiguration,
    DescribeServiceDeploymentsCommand,
    DescribeServicesCommand,
    DescribeTaskDefinitionCommand,
    DescribeTasksCommand,
    ECSClient,
    ListServiceDeploymentsCommand,
    ListServicesCommand,
    ListTasksCommand,
    Service,
    ServiceDeployment,
    ServiceRevisionSummary,
    UpdateServiceCommand,
} from '@aws-sdk/client-ecs';
import { chunk } from '../restart/collections';
import { ServiceDeploymentsUnavailableError, TransientAwsError } from '../restart/errors';
import { DESCRIBE_SERVICES_BATCH_SIZE, EcsGateway, LIST_SERVICES_PAGE_SIZE } from '../restart/ports';
import type {
    DeploymentSettingsView,
    RevisionCountsView,
    ServiceDeploymentSummaryView,
    ServiceDeploymentView,
    ServicePage,
    ServiceView,
    StartedDeployment,
    StoppedTaskView,
    TaskDefinitionView,
} from '../restart/views';
import { isAccessDenied, mapAwsError } from './aws-errors';
import type { CallDeadline } from './call-deadline';
import { ErrorMapping, callAws } from './outbound';
import { ECS_CALL_FAMILIES, EcsCommand, EcsPacer } from './pacing';

/**
 * A call ECS throttled is sent again, paced slower, this many times in all before the throttling
 * reaches the operation (which backs off inside IN_PROGRESS): ECS answered that it refused the call,
 * so sending it again restarts nothing twice, UpdateService included.
 */
export const MAX_THROTTLED_ATTEMPTS = 3;

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

function optionalMillis(value: Date | undefined): number | undefined {
    return value ? value.getTime() : undefined;
}

/** Only the fields ECS set: the callback context and the messages carry no empty keys. */
function defined<T extends object>(value: T): T {
    return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}

function deploymentSettingsOf(configuration: DeploymentConfiguration | undefined): DeploymentSettingsView | undefined {
    if (!configuration) return undefined;
    const early = configuration.earlySuccessCriteria;
    return defined<DeploymentSettingsView>({
        strategy: configuration.strategy,
        minimumHealthyPercent: configuration.minimumHealthyPercent,
        maximumPercent: configuration.maximumPercent,
        bakeTimeInMinutes: configuration.bakeTimeInMinutes,
        linear: configuration.linearConfiguration
            ? defined({
                  stepPercent: configuration.linearConfiguration.stepPercent,
                  stepBakeTimeInMinutes: configuration.linearConfiguration.stepBakeTimeInMinutes,
              })
            : undefined,
        canary: configuration.canaryConfiguration
            ? defined({
                  canaryPercent: configuration.canaryConfiguration.canaryPercent,
                  canaryBakeTimeInMinutes: configuration.canaryConfiguration.canaryBakeTimeInMinutes,
              })
            : undefined,
        lifecycleHooks: configuration.lifecycleHooks?.map((hook) => ({
            // ECS's default target type is AWS_LAMBDA (DeploymentLifecycleHook.targetType).
            targetType: hook.targetType ?? 'AWS_LAMBDA',
            stages: hook.lifecycleStages ?? [],
        })),
        earlySuccess: early?.enable
            ? defined({ healthyPercent: early.healthyPercent, sourceCleanup: early.sourceServiceRevisionCleanup })
            : undefined,
    });
}

function revisionCountsOf(revision: ServiceRevisionSummary): RevisionCountsView {
    return defined<RevisionCountsView>({
        arn: revision.arn ?? '',
        requested: revision.requestedTaskCount ?? 0,
        running: revision.runningTaskCount ?? 0,
        pending: revision.pendingTaskCount ?? 0,
        productionTrafficWeight: revision.requestedProductionTrafficWeight,
        testTrafficWeight: revision.requestedTestTrafficWeight,
    });
}

function serviceTraitsOf(service: Service): NonNullable<StartedDeployment['service']> {
    return defined({
        schedulingStrategy: service.schedulingStrategy,
        deploymentConfiguration: deploymentSettingsOf(service.deploymentConfiguration),
        desiredCount: service.desiredCount ?? 0,
    });
}

function serviceDeploymentViewOf(deployment: ServiceDeployment): ServiceDeploymentView {
    return defined<ServiceDeploymentView>({
        arn: deployment.serviceDeploymentArn ?? '',
        status: deployment.status ?? 'UNKNOWN',
        createdAt: toMillis(deployment.createdAt),
        updatedAt: optionalMillis(deployment.updatedAt),
        statusReason: deployment.statusReason,
        lifecycleStage: deployment.lifecycleStage,
        targetRevisionArn: deployment.targetServiceRevision?.arn,
        targetRevision: deployment.targetServiceRevision ? revisionCountsOf(deployment.targetServiceRevision) : undefined,
        sourceRevisions: deployment.sourceServiceRevisions?.map(revisionCountsOf),
        hooks: deployment.lifecycleHookDetails?.map((hook) =>
            defined({
                hookId: hook.hookId ?? '(unnamed)',
                targetType: hook.targetType ?? 'AWS_LAMBDA',
                targetArn: hook.targetArn,
                status: hook.status ?? 'UNKNOWN',
                expiresAt: optionalMillis(hook.expiresAt),
                timeoutAction: hook.timeoutAction,
            }),
        ),
        deploymentConfiguration: deploymentSettingsOf(deployment.deploymentConfiguration),
        rollbackReason: deployment.rollback?.reason,
        circuitBreakerStatus: deployment.deploymentCircuitBreaker?.status,
        circuitBreakerFailures: deployment.deploymentCircuitBreaker?.failureCount,
        circuitBreakerThreshold: deployment.deploymentCircuitBreaker?.threshold,
        alarmStatus: deployment.alarms?.status,
        triggeredAlarms: deployment.alarms?.triggeredAlarmNames?.length ? deployment.alarms.triggeredAlarmNames : undefined,
    });
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
    /**
     * @param ecs reads, retried by the SDK.
     * @param ecsOnce UpdateService: never re-sent by the SDK, since a lost answer may hide a restart that
     *   happened; the operation resolves an unknown outcome by looking at ECS instead.
     */
    constructor(
        private readonly ecs: ECSClient,
        private readonly ecsOnce: ECSClient,
        private readonly deadline: CallDeadline,
        private readonly pacer: EcsPacer = new EcsPacer({
            now: deadline.now,
            sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
            budgetEndsAt: deadline.invocationDeadline,
        }),
    ) {}

    /**
     * Every ECS command passes through here: paced by its family's bucket, then the invocation's
     * deadline and the error mapping, once. A throttled call slows its family down and is sent again.
     */
    private async send<T>(
        command: EcsCommand,
        call: string,
        send: (options: { abortSignal: AbortSignal }) => Promise<T>,
        mapError?: ErrorMapping,
    ): Promise<T> {
        const family = ECS_CALL_FAMILIES[command];
        for (let attempt = 1; ; attempt++) {
            await this.pacer.acquire(family, call);
            try {
                return await callAws(this.deadline, call, send, mapError);
            } catch (err) {
                if (!(err instanceof TransientAwsError && err.errorCode === 'Throttling') || attempt >= MAX_THROTTLED_ATTEMPTS) throw err;
                this.pacer.throttled(family);
            }
        }
    }

    async describeServices(cluster: string, services: readonly string[]): Promise<ServiceView[]> {
        const result: ServiceView[] = [];
        for (const batch of chunk(services, DESCRIBE_SERVICES_BATCH_SIZE)) {
            const response = await this.send(
                'DescribeServices',
                `ecs:DescribeServices in cluster ${cluster} for ${batch.join(', ')}`,
                (options) => this.ecs.send(new DescribeServicesCommand({ cluster, services: batch }), options),
            );
            for (const service of response.services ?? []) {
                result.push({
                    arn: service.serviceArn ?? '',
                    name: service.serviceName ?? '',
                    status: service.status ?? 'UNKNOWN',
                    deploymentController: service.deploymentController?.type ?? 'ECS',
                    ...serviceTraitsOf(service),
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
                    ...(service.currentServiceRevisions ? { revisions: service.currentServiceRevisions.map(revisionCountsOf) } : {}),
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
        const response = await this.send('UpdateService', `ecs:UpdateService (forceNewDeployment) on service ${service}`, (options) =>
            this.ecsOnce.send(new UpdateServiceCommand({ cluster, service, forceNewDeployment: true }), options),
        );
        const primary = response.service?.deployments?.find((deployment) => deployment.status === 'PRIMARY');
        if (!primary?.id) {
            throw mapAwsError(
                new Error('the response names no PRIMARY deployment'),
                `ecs:UpdateService (forceNewDeployment) on service ${service}`,
            );
        }
        return {
            deploymentId: primary.id,
            createdAt: toMillis(primary.createdAt),
            ...(response.service ? { service: serviceTraitsOf(response.service) } : {}),
        };
    }

    async listServiceDeployments(cluster: string, service: string, createdAfter: number): Promise<ServiceDeploymentSummaryView[]> {
        const summaries: ServiceDeploymentSummaryView[] = [];
        let nextToken: string | undefined;
        do {
            const response = await this.send(
                'ListServiceDeployments',
                `ecs:ListServiceDeployments on service ${service}`,
                (options) =>
                    this.ecs.send(
                        new ListServiceDeploymentsCommand({ cluster, service, createdAt: { after: new Date(createdAfter) }, nextToken }),
                        options,
                    ),
                serviceDeploymentsError,
            );
            for (const summary of response.serviceDeployments ?? []) {
                summaries.push(
                    defined<ServiceDeploymentSummaryView>({
                        arn: summary.serviceDeploymentArn ?? '',
                        status: summary.status ?? 'UNKNOWN',
                        createdAt: toMillis(summary.createdAt),
                        targetRevisionArn: summary.targetServiceRevisionArn,
                    }),
                );
            }
            nextToken = response.nextToken;
        } while (nextToken);
        return summaries.sort((a, b) => a.createdAt - b.createdAt);
    }

    async describeServiceDeployments(arns: readonly string[]): Promise<ServiceDeploymentView[]> {
        const views: ServiceDeploymentView[] = [];
        for (const batch of chunk(arns, DESCRIBE_SERVICE_DEPLOYMENTS_BATCH_SIZE)) {
            const response = await this.send(
                'DescribeServiceDeployments',
                `ecs:DescribeServiceDeployments for ${batch.join(', ')}`,
                (options) => this.ecs.send(new DescribeServiceDeploymentsCommand({ serviceDeploymentArns: batch }), options),
                serviceDeploymentsError,
            );
            views.push(...(response.serviceDeployments ?? []).map(serviceDeploymentViewOf));
        }
        return views;
    }

    async describeStoppedTasks(cluster: string, serviceName: string, deploymentId: string, limit: number): Promise<StoppedTaskView[]> {
        const listed = await this.send('ListTasks', `ecs:ListTasks (stopped tasks) on service ${serviceName}`, (options) =>
            this.ecs.send(
                new ListTasksCommand({ cluster, serviceName, desiredStatus: 'STOPPED', maxResults: DESCRIBE_TASKS_BATCH_SIZE }),
                options,
            ),
        );
        const taskArns = listed.taskArns ?? [];
        if (taskArns.length === 0) {
            return [];
        }
        const described = await this.send('DescribeTasks', `ecs:DescribeTasks (stopped tasks) on service ${serviceName}`, (options) =>
            this.ecs.send(new DescribeTasksCommand({ cluster, tasks: taskArns }), options),
        );
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
                        [container.name, container.reason, container.exitCode !== undefined ? `exit code ${container.exitCode}` : undefined]
                            .filter(Boolean)
                            .join(': '),
                    ),
            }));
    }

    async listServices(cluster: string, nextToken?: string): Promise<ServicePage> {
        const response = await this.send('ListServices', `ecs:ListServices in cluster ${cluster}`, (options) =>
            this.ecs.send(new ListServicesCommand({ cluster, maxResults: LIST_SERVICES_PAGE_SIZE, nextToken }), options),
        );
        return { serviceArns: response.serviceArns ?? [], nextToken: response.nextToken || undefined };
    }

    async describeTaskDefinition(taskDefinition: string): Promise<TaskDefinitionView> {
        const response = await this.send('DescribeTaskDefinition', `ecs:DescribeTaskDefinition of ${taskDefinition}`, (options) =>
            this.ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition }), options),
        );
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
