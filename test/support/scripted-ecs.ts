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
    ServiceDeployment as SdkServiceDeployment,
    UpdateServiceCommand,
} from '@aws-sdk/client-ecs';
import type { ContainerDefinition } from '@aws-sdk/client-ecs';
import { AwsClientStub, mockClient } from 'aws-sdk-client-mock';
import { ACCOUNT_ID, REGION } from './cfn-event';
import type { EcsTokenBuckets } from './ecs-token-buckets';

/**
 * A scripted ECS double: moto cannot make a deployment progress, fail, roll back or be superseded
 * over time, nor answer the service-deployments API, so these sequences are scripted here. A test
 * starts deployments through the handler, then moves them on with complete(), fail(), rollback(),
 * supersede() between invocations, and, for the BLUE_GREEN/LINEAR/CANARY strategies, through their
 * lifecycle stages, traffic shifts and hooks with stage(), awaitApproval(), approve(), hookFails() and
 * finishRollback(). It answers the real SDK commands through aws-sdk-client-mock, so the project's own
 * gateway code runs unchanged.
 */

interface Deployment {
    id: string;
    status: 'PRIMARY' | 'ACTIVE';
    rolloutState?: 'IN_PROGRESS' | 'COMPLETED' | 'FAILED';
    rolloutStateReason?: string;
    createdAt: Date;
    desiredCount: number;
    runningCount: number;
    pendingCount: number;
    failedTasks: number;
    taskDefinition?: string;
}

/** The service-deployments API's record of one deployment, in the SDK's own shape. */
type ServiceDeployment = SdkServiceDeployment & { serviceDeploymentArn: string; status: string; createdAt: Date };

interface StoppedTask {
    taskArn: string;
    startedBy: string;
    stoppedReason: string;
    stopCode?: string;
    stoppedAt: Date;
    containers: Array<{ name: string; reason?: string; exitCode?: number }>;
}

export interface ScriptedService {
    name: string;
    status: string;
    controller: string;
    schedulingStrategy: 'REPLICA' | 'DAEMON';
    deploymentConfiguration?: DeploymentConfiguration;
    desiredCount: number;
    /** The task definition new deployments run. */
    taskDefinition?: string;
    deployments: Deployment[];
    serviceDeployments: ServiceDeployment[];
    events: Array<{ id: string; createdAt: Date; message: string }>;
    stoppedTasks: StoppedTask[];
}

export type ServiceDeploymentsApiBehaviour = 'available' | 'unknown-operation' | 'access-denied' | 'html-500';

function awsError(name: string, message: string, httpStatusCode = 400, fault: 'client' | 'server' = 'client'): Error {
    return Object.assign(new Error(message), { name, $fault: fault, $metadata: { httpStatusCode } });
}

/** The first service a request names (by name, ARN or service-deployment ARN): whose restart sent it. */
function subjectOf(input: {
    services?: string[];
    service?: string;
    serviceName?: string;
    serviceDeploymentArns?: string[];
}): string | undefined {
    const named = input.services?.[0] ?? input.service ?? input.serviceName;
    if (named) return named.split('/').pop();
    const deployment = input.serviceDeploymentArns?.[0];
    return deployment ? deployment.split('/').at(-2) : undefined;
}

export class ScriptedEcs {
    readonly cluster = 'prod';
    readonly mock: AwsClientStub<ECSClient>;
    readonly services = new Map<string, ScriptedService>();
    serviceDeploymentsApi: ServiceDeploymentsApiBehaviour = 'available';
    /** An endpoint that predates service revisions: ListServiceDeployments names no target revision. */
    listsTargetRevisions = true;
    /** Called as any command that can be scripted to fail (throwNext) is answered, with its name: e.g. to move a clock. */
    onCall: (command: string) => void = () => undefined;
    /** Called as UpdateService is answered, to observe other state at that moment. */
    onUpdateService: (service: string) => void = () => undefined;
    /** Called before every command is answered, to move the services on to the double's time (a timeline). */
    beforeAnswer: (command: string) => void = () => undefined;
    /** Errors to throw on the next calls of a command, by command name; an undefined entry lets one call through. */
    readonly failNext = new Map<string, Error[]>();
    /** ECS's account-wide throttling (ecs-token-buckets.ts): when set, a call that finds its bucket empty is throttled. */
    tokenBuckets?: EcsTokenBuckets;
    /** Services whose UpdateService IAM refuses (the execution role restricted to other clusters or tags), by name. */
    readonly updateRefused = new Set<string>();
    /** How far the double's clock runs ahead of the real one: tick() moves ECS's time forward. */
    private offsetMs = 0;
    private sequence = 0;
    private readonly lostAnswers = new Map<string, Error>();
    readonly taskDefinitions = new Map<
        string,
        { taskDefinitionArn: string; family: string; revision: number; containerDefinitions: ContainerDefinition[] }
    >();

    constructor() {
        this.mock = mockClient(ECSClient);
        this.install();
    }

    get now(): number {
        return Date.now() + this.offsetMs;
    }

    tick(ms = 10_000): void {
        this.offsetMs += ms;
    }

    serviceArn(name: string): string {
        return `arn:aws:ecs:${REGION}:${ACCOUNT_ID}:service/${this.cluster}/${name}`;
    }

    addService(
        name: string,
        overrides: Partial<
            Pick<
                ScriptedService,
                'status' | 'controller' | 'desiredCount' | 'schedulingStrategy' | 'deploymentConfiguration' | 'taskDefinition'
            >
        > = {},
    ): ScriptedService {
        const desiredCount = overrides.desiredCount ?? 2;
        const service: ScriptedService = {
            name,
            status: overrides.status ?? 'ACTIVE',
            controller: overrides.controller ?? 'ECS',
            schedulingStrategy: overrides.schedulingStrategy ?? 'REPLICA',
            deploymentConfiguration: overrides.deploymentConfiguration,
            desiredCount,
            taskDefinition: overrides.taskDefinition,
            deployments: [],
            serviceDeployments: [],
            events: [],
            stoppedTasks: [],
        };
        this.services.set(name, service);
        // The service's current deployment dates from an hour ago, long before any restart.
        this.offsetMs -= 3_600_000;
        this.startDeployment(service, 'COMPLETED');
        this.offsetMs += 3_600_000;
        return service;
    }

    /** Registers the next revision of `family`; its ARN. */
    registerTaskDefinition(family: string, containerDefinitions: ContainerDefinition[]): string {
        const revision = [...this.taskDefinitions.values()].filter((definition) => definition.family === family).length + 1;
        const taskDefinitionArn = `arn:aws:ecs:${REGION}:${ACCOUNT_ID}:task-definition/${family}:${revision}`;
        this.taskDefinitions.set(taskDefinitionArn, { taskDefinitionArn, family, revision, containerDefinitions });
        return taskDefinitionArn;
    }

    /** How many times the handler sent `command` (its name without "Command"). */
    calls(command: 'ListServices' | 'DescribeServices' | 'DescribeTaskDefinition' | 'UpdateService'): number {
        const commands = {
            ListServices: ListServicesCommand,
            DescribeServices: DescribeServicesCommand,
            DescribeTaskDefinition: DescribeTaskDefinitionCommand,
            UpdateService: UpdateServiceCommand,
        } as const;
        return this.mock.commandCalls(commands[command] as typeof ListServicesCommand).length;
    }

    throwNext(command: string, ...errors: Error[]): void {
        this.failNext.set(command, [...(this.failNext.get(command) ?? []), ...errors]);
    }

    static throttling(): Error {
        return awsError('ThrottlingException', 'Rate exceeded');
    }

    static accessDenied(action: string): Error {
        return awsError('AccessDeniedException', `User is not authorized to perform: ${action}`);
    }

    static serverError(): Error {
        return awsError('ServerException', 'Internal error', 500, 'server');
    }

    /** The next UpdateService of `name` takes effect in ECS, but its caller gets a timeout. */
    loseAnswerOfNextUpdate(name: string): void {
        this.lostAnswers.set(name, Object.assign(new Error('socket hang up'), { name: 'TimeoutError', $metadata: {} }));
    }

    /** The next UpdateService of `name` takes effect in ECS, but its caller gets `error` (e.g. a 5xx). */
    throwAfterUpdate(name: string, error: Error): void {
        this.lostAnswers.set(name, error);
    }

    updateCalls(name: string): number {
        return this.mock.commandCalls(UpdateServiceCommand).filter((call) => call.args[0].input.service?.toString().endsWith(name)).length;
    }

    primary(name: string): Deployment {
        const deployment = this.get(name).deployments.find((d) => d.status === 'PRIMARY');
        if (!deployment) throw new Error(`${name} has no primary deployment`);
        return deployment;
    }

    /** The service revision a deployment deploys: ECS names it with the deployment id's number. */
    revisionArn(name: string, deploymentId: string): string {
        return `arn:aws:ecs:${REGION}:${ACCOUNT_ID}:service-revision/${this.cluster}/${name}/${deploymentId.split('/').pop() ?? ''}`;
    }

    /** The newest service deployment of a service, to script it further. */
    latestServiceDeployment(name: string): ServiceDeployment {
        const latest = this.get(name).serviceDeployments.at(-1);
        if (!latest) throw new Error(`service ${name} has no service deployment`);
        return latest;
    }

    private get(name: string): ScriptedService {
        const service = this.services.get(name.split('/').pop() as string);
        if (!service) throw new Error(`no scripted service ${name}`);
        return service;
    }

    private startDeployment(service: ScriptedService, rolloutState: Deployment['rolloutState']): Deployment {
        this.sequence += 1;
        const createdAt = new Date(this.now);
        for (const deployment of service.deployments) deployment.status = 'ACTIVE';
        const deployment: Deployment = {
            id: `ecs-svc/${1000 + this.sequence}`,
            status: 'PRIMARY',
            rolloutState,
            createdAt,
            desiredCount: service.desiredCount,
            runningCount: rolloutState === 'COMPLETED' ? service.desiredCount : 0,
            pendingCount: rolloutState === 'COMPLETED' ? 0 : service.desiredCount,
            failedTasks: 0,
            taskDefinition: service.taskDefinition,
        };
        service.deployments.unshift(deployment);
        if (rolloutState === 'COMPLETED') {
            service.deployments = [deployment];
        }
        for (const previous of service.serviceDeployments) {
            if (previous.status === 'IN_PROGRESS' || previous.status === 'PENDING') {
                Object.assign(previous, { status: 'STOPPED', statusReason: 'ECS stopped the deployment: a newer deployment started.' });
            }
        }
        const sources = service.deployments.filter((d) => d !== deployment);
        service.serviceDeployments.push({
            serviceDeploymentArn: `arn:aws:ecs:${REGION}:${ACCOUNT_ID}:service-deployment/${this.cluster}/${service.name}/sd${this.sequence}`,
            status: rolloutState === 'COMPLETED' ? 'SUCCESSFUL' : 'IN_PROGRESS',
            // ECS stamps the service deployment a moment after the deployment.
            createdAt: new Date(this.now + 150),
            targetServiceRevision: { arn: this.revisionArn(service.name, deployment.id), requestedTaskCount: service.desiredCount },
            sourceServiceRevisions: sources.map((source) => ({
                arn: this.revisionArn(service.name, source.id),
                requestedTaskCount: source.desiredCount,
                runningTaskCount: source.runningCount,
                pendingTaskCount: source.pendingCount,
            })),
            deploymentConfiguration: service.deploymentConfiguration,
        });
        return deployment;
    }

    /** The service deployment as DescribeServiceDeployments returns it: task counts as they are now. */
    private describedServiceDeployment(sd: ServiceDeployment): ServiceDeployment {
        const service = [...this.services.values()].find((candidate) => candidate.serviceDeployments.includes(sd));
        const countsOf = (arn: string | undefined) => {
            const deployment = service?.deployments.find((d) => arn !== undefined && this.revisionArn(service.name, d.id) === arn);
            return deployment ? { runningTaskCount: deployment.runningCount, pendingTaskCount: deployment.pendingCount } : {};
        };
        return {
            ...sd,
            targetServiceRevision: sd.targetServiceRevision && { ...sd.targetServiceRevision, ...countsOf(sd.targetServiceRevision.arn) },
            sourceServiceRevisions: sd.sourceServiceRevisions?.map((source) => ({ ...source, ...countsOf(source.arn) })),
        };
    }

    private event(service: ScriptedService, message: string): void {
        service.events.unshift({
            id: `e${service.events.length}`,
            createdAt: new Date(this.now),
            message: `(service ${service.name}) ${message}`,
        });
    }

    /** Half of the new tasks are running. */
    progress(name: string): void {
        const deployment = this.primary(name);
        deployment.runningCount = Math.ceil(deployment.desiredCount / 2);
        deployment.pendingCount = deployment.desiredCount - deployment.runningCount;
    }

    complete(name: string): void {
        const service = this.get(name);
        const deployment = this.primary(name);
        Object.assign(deployment, { rolloutState: 'COMPLETED', runningCount: deployment.desiredCount, pendingCount: 0 });
        service.deployments = [deployment];
        this.latestServiceDeployment(name).status = 'SUCCESSFUL';
        this.event(service, 'has reached a steady state.');
    }

    /**
     * The circuit breaker fails the deployment: tasks could not pull their image. ECS rolls back; by
     * the next look the rollback is over (ROLLBACK_SUCCESSFUL) unless `rollback` is 'in-progress'.
     */
    fail(name: string, reason = 'ECS deployment circuit breaker: tasks failed to start.', rollback: 'in-progress' | 'done' = 'done'): void {
        const service = this.get(name);
        const deployment = this.primary(name);
        Object.assign(deployment, { rolloutState: 'FAILED', rolloutStateReason: reason, failedTasks: 3, runningCount: 0 });
        Object.assign(this.latestServiceDeployment(name), {
            status: rollback === 'done' ? 'ROLLBACK_SUCCESSFUL' : 'ROLLBACK_IN_PROGRESS',
            statusReason: reason,
            rollback: { reason: 'Service deployment rolled back because the circuit breaker threshold was exceeded.' },
            deploymentCircuitBreaker: { failureCount: 3, status: 'TRIGGERED', threshold: 3 },
        });
        service.stoppedTasks.push({
            taskArn: `arn:aws:ecs:${REGION}:${ACCOUNT_ID}:task/${this.cluster}/0123456789abcdef`,
            startedBy: deployment.id,
            stopCode: 'TaskFailedToStart',
            stoppedReason:
                'CannotPullContainerError: pull image manifest has been retried 5 time(s): registry.example/app:missing: not found',
            stoppedAt: new Date(this.now),
            containers: [{ name: 'app', reason: 'CannotPullContainerError' }],
        });
        this.event(service, `deployment ${deployment.id} deployment failed: tasks failed to start.`);
    }

    /** The circuit breaker rolled back, and the failed deployment has already drained away. */
    rollbackAndDrain(name: string): void {
        const service = this.get(name);
        this.fail(name);
        this.event(service, `rolling back to deployment ${service.deployments[1]?.id ?? 'previous'}.`);
        this.tick(1_000);
        const rollback = this.startDeployment(service, 'COMPLETED');
        service.deployments = [rollback];
        service.serviceDeployments.pop();
        Object.assign(this.latestServiceDeployment(name), { status: 'ROLLBACK_SUCCESSFUL' });
    }

    /**
     * A BLUE_GREEN/LINEAR/CANARY deployment reaches a lifecycle stage. The new revision's tasks run from
     * SCALE_UP on; traffic weights are those ECS would report for the stage.
     */
    stage(name: string, lifecycleStage: string, weights: { production?: number; test?: number } = {}): void {
        const deployment = this.primary(name);
        const sd = this.latestServiceDeployment(name);
        if (lifecycleStage !== 'RECONCILE_SERVICE' && lifecycleStage !== 'PRE_SCALE_UP') {
            Object.assign(deployment, { runningCount: deployment.desiredCount, pendingCount: 0 });
        }
        sd.lifecycleStage = lifecycleStage as SdkServiceDeployment['lifecycleStage'];
        sd.updatedAt = new Date(this.now);
        sd.targetServiceRevision = {
            ...sd.targetServiceRevision,
            requestedProductionTrafficWeight: weights.production ?? sd.targetServiceRevision?.requestedProductionTrafficWeight,
            requestedTestTrafficWeight: weights.test ?? sd.targetServiceRevision?.requestedTestTrafficWeight,
        };
    }

    /** A pause hook of the current stage waits for ecs:ContinueServiceDeployment. */
    awaitApproval(name: string, hookId: string, expiresInMs = 24 * 3_600_000): void {
        const sd = this.latestServiceDeployment(name);
        sd.lifecycleHookDetails = [
            ...(sd.lifecycleHookDetails ?? []).filter((hook) => hook.hookId !== hookId),
            {
                hookId,
                targetType: 'PAUSE',
                status: 'AWAITING_ACTION',
                expiresAt: new Date(this.now + expiresInMs),
                timeoutAction: 'ROLLBACK',
            },
        ];
    }

    approve(name: string, hookId: string): void {
        const hook = this.latestServiceDeployment(name).lifecycleHookDetails?.find((candidate) => candidate.hookId === hookId);
        if (!hook) throw new Error(`no hook ${hookId}`);
        hook.status = 'SUCCEEDED';
    }

    /** A Lambda hook of the current stage runs. */
    runLambdaHook(name: string, hookId: string, functionName: string): void {
        const sd = this.latestServiceDeployment(name);
        sd.lifecycleHookDetails = [
            ...(sd.lifecycleHookDetails ?? []),
            {
                hookId,
                targetType: 'AWS_LAMBDA',
                targetArn: `arn:aws:lambda:${REGION}:${ACCOUNT_ID}:function:${functionName}`,
                status: 'IN_PROGRESS',
            },
        ];
    }

    /** A hook fails (or a pause hook expires): ECS starts rolling the deployment back. */
    hookFails(name: string, hookId: string, status: 'FAILED' | 'TIMED_OUT' = 'FAILED'): void {
        const sd = this.latestServiceDeployment(name);
        const hook = sd.lifecycleHookDetails?.find((candidate) => candidate.hookId === hookId);
        if (!hook) throw new Error(`no hook ${hookId}`);
        hook.status = status;
        Object.assign(sd, {
            status: 'ROLLBACK_IN_PROGRESS',
            statusReason: `Service deployment rolled back because lifecycle hook ${hookId} ${status === 'FAILED' ? 'failed' : 'timed out'}.`,
            rollback: { reason: 'Lifecycle hook failure.', startedAt: new Date(this.now) },
        });
    }

    /** The rollback is over: the old revision serves again and the new one is gone. */
    finishRollback(name: string): void {
        const service = this.get(name);
        const sd = this.latestServiceDeployment(name);
        sd.status = 'ROLLBACK_SUCCESSFUL';
        service.deployments = service.deployments.filter((deployment) => deployment.status !== 'PRIMARY');
        const previous = service.deployments[0];
        if (previous) previous.status = 'PRIMARY';
    }

    /** ECS asked to stop the deployment (StopServiceDeployment), or has stopped it. */
    stop(name: string, status: 'STOP_REQUESTED' | 'STOPPED', reason = 'Service deployment stopped by a user.'): void {
        Object.assign(this.latestServiceDeployment(name), { status, statusReason: reason });
    }

    /**
     * ECS calls the deployment SUCCESSFUL while the old tasks still run, as early success criteria with
     * DEFERRED clean-up do; drainOld() removes them.
     */
    succeedEarly(name: string): void {
        const deployment = this.primary(name);
        Object.assign(deployment, { rolloutState: 'COMPLETED', runningCount: deployment.desiredCount, pendingCount: 0 });
        this.latestServiceDeployment(name).status = 'SUCCESSFUL';
    }

    drainOld(name: string): void {
        const service = this.get(name);
        service.deployments = [this.primary(name)];
    }

    /**
     * A pipeline changes the service meanwhile: a newer deployment replaces ours, `afterMs` later by the
     * double's clock (0 when the caller has moved the clock on itself).
     */
    supersede(name: string, afterMs = 5_000): Deployment {
        this.tick(afterMs);
        return this.startDeployment(this.get(name), 'IN_PROGRESS');
    }

    private take(command: string, input: object): void {
        if (this.tokenBuckets && !this.tokenBuckets.take(command, subjectOf(input))) throw ScriptedEcs.throttling();
        this.beforeAnswer(command);
        this.onCall(command);
        const queue = this.failNext.get(command);
        const error = queue?.shift();
        if (error) throw error;
    }

    private serviceDeploymentsGuard(action: string): void {
        switch (this.serviceDeploymentsApi) {
            case 'unknown-operation':
                throw awsError('UnknownOperationException', 'Unknown operation');
            case 'access-denied':
                throw ScriptedEcs.accessDenied(`ecs:${action}`);
            case 'html-500':
                throw Object.assign(
                    new SyntaxError('Unexpected token \'<\', "<!doctype "... is not valid JSON\n  Deserialization error: ...'),
                    {
                        $metadata: { httpStatusCode: 500 },
                    },
                );
            default:
        }
    }

    /**
     * The double answers only requests that real ECS would answer the way the restart needs: a call that
     * would do something else there (no forceNewDeployment, another cluster, running instead of stopped
     * tasks) fails here, so a test notices when the gateway stops asking for the right thing.
     */
    private assertCluster(command: string, cluster: string | undefined): void {
        if (cluster !== this.cluster && !String(cluster).endsWith(`cluster/${this.cluster}`)) {
            throw awsError('ClusterNotFoundException', `${command}: cluster ${String(cluster)} not found.`);
        }
    }

    private install(): void {
        this.mock.on(DescribeServicesCommand).callsFake((input) => {
            this.take('DescribeServices', input);
            this.assertCluster('DescribeServices', input.cluster);
            if ((input.services ?? []).length > 10) {
                throw awsError('InvalidParameterException', 'services can have at most 10 items.');
            }
            const services = [];
            const failures = [];
            for (const requested of input.services ?? []) {
                const service = this.services.get(requested.split('/').pop() as string);
                if (!service) {
                    failures.push({ arn: requested.startsWith('arn:') ? requested : this.serviceArn(requested), reason: 'MISSING' });
                    continue;
                }
                services.push({
                    serviceArn: this.serviceArn(service.name),
                    serviceName: service.name,
                    clusterArn: `arn:aws:ecs:${REGION}:${ACCOUNT_ID}:cluster/${this.cluster}`,
                    status: service.status,
                    deploymentController: { type: service.controller as 'ECS' },
                    schedulingStrategy: service.schedulingStrategy,
                    deploymentConfiguration: service.deploymentConfiguration,
                    taskDefinition: service.taskDefinition,
                    desiredCount: service.desiredCount,
                    runningCount: service.deployments.reduce((sum, d) => sum + d.runningCount, 0),
                    pendingCount: service.deployments.reduce((sum, d) => sum + d.pendingCount, 0),
                    deployments: service.deployments.map((d) => ({ ...d })),
                    currentServiceRevisions: service.deployments.map((d) => ({
                        arn: this.revisionArn(service.name, d.id),
                        requestedTaskCount: d.desiredCount,
                        runningTaskCount: d.runningCount,
                        pendingTaskCount: d.pendingCount,
                    })),
                    events: service.events.map((e) => ({ ...e })),
                });
            }
            return { services, failures };
        });
        this.mock.on(ListServicesCommand).callsFake((input) => {
            this.take('ListServices', input);
            this.assertCluster('ListServices', input.cluster);
            // Filters would list only some services; ECS pages 10 services by default, 100 at most.
            const { cluster: _cluster, maxResults, nextToken, ...filters } = input;
            if (Object.keys(filters).length > 0 || maxResults === undefined) {
                throw new Error(`ScriptedEcs: ListServices must ask for whole pages of every service (got ${JSON.stringify(input)})`);
            }
            if (maxResults < 1 || maxResults > 100) {
                throw awsError('InvalidParameterException', 'maxResults must be between 1 and 100.');
            }
            const start = nextToken === undefined ? 0 : Number(/^page-(\d+)$/.exec(nextToken)?.[1] ?? NaN);
            if (!Number.isInteger(start)) throw awsError('InvalidParameterException', 'Invalid nextToken.');
            // ECS lists ACTIVE and DRAINING services; INACTIVE ones only through DescribeServices.
            const listed = [...this.services.values()].filter((service) => service.status !== 'INACTIVE');
            const end = start + maxResults;
            return {
                serviceArns: listed.slice(start, end).map((service) => this.serviceArn(service.name)),
                nextToken: end < listed.length ? `page-${end}` : undefined,
            };
        });
        this.mock.on(DescribeTaskDefinitionCommand).callsFake((input) => {
            this.take('DescribeTaskDefinition', input);
            const { taskDefinition, ...others } = input;
            if (Object.keys(others).length > 0) {
                throw new Error(`ScriptedEcs: DescribeTaskDefinition asks for nothing but the definition (got ${JSON.stringify(input)})`);
            }
            const definition = this.taskDefinitions.get(String(taskDefinition));
            if (!definition) throw awsError('ClientException', 'Unable to describe task definition.');
            return { taskDefinition: structuredClone(definition) };
        });
        this.mock.on(UpdateServiceCommand).callsFake((input) => {
            this.take('UpdateService', input);
            this.assertCluster('UpdateService', input.cluster);
            // A restart changes nothing but the tasks: any other field would edit the service.
            const { cluster: _cluster, service: _service, forceNewDeployment, ...changes } = input;
            if (forceNewDeployment !== true || Object.keys(changes).length > 0) {
                throw new Error(
                    `ScriptedEcs: UpdateService must force a new deployment and change nothing else (got ${JSON.stringify(input)})`,
                );
            }
            const service = this.get(String(input.service));
            if (this.updateRefused.has(service.name)) {
                throw awsError(
                    'AccessDeniedException',
                    `User: arn:aws:sts::${ACCOUNT_ID}:assumed-role/ExecutionRole/session is not authorized to perform: ` +
                        `ecs:UpdateService on resource: ${this.serviceArn(service.name)} with an explicit deny in an identity-based policy`,
                );
            }
            if (service.status !== 'ACTIVE') throw awsError('ServiceNotActiveException', 'Service was not ACTIVE.');
            this.onUpdateService(service.name);
            const deployment = this.startDeployment(service, 'IN_PROGRESS');
            const lost = this.lostAnswers.get(service.name);
            if (lost) {
                this.lostAnswers.delete(service.name);
                throw lost;
            }
            return {
                service: {
                    serviceName: service.name,
                    schedulingStrategy: service.schedulingStrategy,
                    deploymentConfiguration: service.deploymentConfiguration,
                    desiredCount: service.desiredCount,
                    deployments: [{ ...deployment }],
                },
            };
        });
        this.mock.on(ListServiceDeploymentsCommand).callsFake((input) => {
            this.take('ListServiceDeployments', input);
            this.serviceDeploymentsGuard('ListServiceDeployments');
            this.assertCluster('ListServiceDeployments', input.cluster);
            const after = input.createdAt?.after?.getTime() ?? 0;
            return {
                serviceDeployments: this.get(String(input.service))
                    .serviceDeployments.filter((sd) => sd.createdAt.getTime() >= after)
                    .map((sd) => ({
                        serviceDeploymentArn: sd.serviceDeploymentArn,
                        status: sd.status,
                        createdAt: sd.createdAt,
                        targetServiceRevisionArn: this.listsTargetRevisions ? sd.targetServiceRevision?.arn : undefined,
                    })),
            };
        });
        this.mock.on(DescribeServiceDeploymentsCommand).callsFake((input) => {
            this.take('DescribeServiceDeployments', input);
            this.serviceDeploymentsGuard('DescribeServiceDeployments');
            if ((input.serviceDeploymentArns ?? []).length > 20) {
                throw awsError('InvalidParameterException', 'serviceDeploymentArns can have at most 20 items.');
            }
            const all = [...this.services.values()].flatMap((service) => service.serviceDeployments);
            return {
                serviceDeployments: all
                    .filter((sd) => input.serviceDeploymentArns?.includes(sd.serviceDeploymentArn))
                    .map((sd) => this.describedServiceDeployment(sd)),
            };
        });
        this.mock.on(ListTasksCommand).callsFake((input) => {
            this.take('ListTasks', input);
            this.assertCluster('ListTasks', input.cluster);
            // ECS lists RUNNING tasks unless asked otherwise: the double runs none, so only a request for
            // STOPPED ones finds the tasks a failure report must quote.
            const stopped = input.desiredStatus === 'STOPPED' ? this.get(String(input.serviceName)).stoppedTasks : [];
            return {
                taskArns: stopped
                    .filter((task) => input.startedBy === undefined || task.startedBy === input.startedBy)
                    .map((task) => task.taskArn),
            };
        });
        this.mock.on(DescribeTasksCommand).callsFake((input) => {
            this.take('DescribeTasks', input);
            this.assertCluster('DescribeTasks', input.cluster);
            if ((input.tasks ?? []).length > 100) {
                throw awsError('InvalidParameterException', 'tasks can have at most 100 items.');
            }
            return {
                tasks: [...this.services.values()]
                    .flatMap((service) => service.stoppedTasks)
                    .filter((task) => input.tasks?.includes(task.taskArn))
                    .map((task) => ({ ...task })),
            };
        });
    }
}
