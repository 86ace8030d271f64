/**
 * The restart domain's test fixtures, written once: an operation in its restarting stage, the ECS views
 * the judge reasons about, and the dependencies runRestart takes, built on the real SDK adapters over the
 * scripted ECS double and the in-memory Parameter Store (test/support/scripted-ecs.ts, in-memory-ssm.ts).
 * Each builder gives a plain, healthy default that a test overrides only where its case differs.
 */
import { createHash } from 'node:crypto';
import { ECSClient } from '@aws-sdk/client-ecs';
import { SSMClient } from '@aws-sdk/client-ssm';
import { SdkEcsGateway } from '../../src/aws/ecs-gateway';
import { EcsPacer } from '../../src/aws/pacing';
import { SsmRecordStore } from '../../src/aws/restart-record-store';
import { RecordExistsError, RecordNotFoundError, ServiceDeploymentsUnavailableError, TransientAwsError } from '../../src/restart/errors';
import { INVOCATION_BUDGET_MS, RestartRequest } from '../../src/restart/operation/operation';
import type { RestartingOperation, TrackedService } from '../../src/restart/operation/progress';
import { recordOf } from '../../src/restart/operation/progress-record';
import type {
    EcsGateway,
    OperationStatus,
    ListedRecord,
    RestartDependencies,
    RestartRecord,
    RestartRecordStore,
    StoredSelection,
} from '../../src/restart/ports';
import type { AwsLocation } from '../../src/restart/request/arns';
import { settingsFromProperties } from '../../src/restart/request/settings';
import type {
    DeploymentView,
    ServiceDeploymentSummaryView,
    ServiceDeploymentView,
    ServicePage,
    ServiceView,
    StartedDeployment,
    StoppedTaskView,
    TaskDefinitionView,
} from '../../src/restart/views';
import { ACCOUNT_ID, CREDENTIALS, REGION } from './cfn-event';

/** A fixed instant the views and the operation are dated from. */
export const T0 = Date.UTC(2026, 10, 26, 12, 0, 0);
/** The deployment a tracked service's restart started, by default. */
export const OURS = 'ecs-svc/200';
export const HERE = { partition: 'aws', region: REGION, accountId: ACCOUNT_ID };
export const RESOURCE_ID = '0d1c2b3a-0000-5000-8000-000000000000';

/** The service revision ECS names after a deployment id's number. */
export function revisionArn(id: string): string {
    return `arn:aws:ecs:${REGION}:${ACCOUNT_ID}:service-revision/prod/web/${id}`;
}

export function trackedService(overrides: Partial<TrackedService> = {}): TrackedService {
    return { input: 'web', name: 'web', arn: 'arn:web', wave: 0, deploymentId: OURS, startedAt: T0, ...overrides };
}

/** A service of the wave that UpdateService has not started yet, `arn:<name>` as FakeEcs names it. */
export function unstartedService(name: string, overrides: Partial<TrackedService> = {}): TrackedService {
    return { input: name, name, arn: `arn:${name}`, wave: 0, ...overrides };
}

/** One wave of one started service, 60 minutes to go, nothing observed yet. */
export function restartingOperation({
    timeoutInMinutes = 60,
    ...overrides
}: Partial<RestartingOperation> & { timeoutInMinutes?: number } = {}): RestartingOperation {
    const startedAt = overrides.startedAt ?? T0;
    return {
        stage: 'restarting',
        id: 'id',
        action: 'CREATE',
        tokenDigest: 't',
        startedAt,
        deadline: startedAt + timeoutInMinutes * 60_000,
        transientFailures: 0,
        waitForSteadyState: true,
        wave: 0,
        waveStartedAt: startedAt,
        services: [trackedService()],
        serviceDeploymentsApi: 'available',
        notes: [],
        ...overrides,
    };
}

/** The record of restartingOperation's services (or `overrides`'), as SSM would hold it. */
export function restartRecord(status: OperationStatus = 'SUCCEEDED', overrides: Partial<RestartingOperation> = {}): RestartRecord {
    return recordOf(restartingOperation(overrides), { Cluster: 'prod', Services: ['web'] }, status);
}

/** A PRIMARY deployment with every task running. */
export function deploymentView(overrides: Partial<DeploymentView> = {}): DeploymentView {
    return { id: OURS, status: 'PRIMARY', createdAt: T0, desiredCount: 2, runningCount: 2, pendingCount: 0, failedTasks: 0, ...overrides };
}

/** An ACTIVE ECS-controlled service `web` running one deployment. */
export function serviceView(overrides: Partial<ServiceView> = {}): ServiceView {
    return {
        arn: 'arn:web',
        name: 'web',
        status: 'ACTIVE',
        deploymentController: 'ECS',
        desiredCount: 2,
        runningCount: 2,
        pendingCount: 0,
        deployments: [deploymentView()],
        events: [],
        ...overrides,
    };
}

/** The service deployment of OURS, in progress. */
export function serviceDeploymentView(overrides: Partial<ServiceDeploymentView> = {}): ServiceDeploymentView {
    return { arn: 'arn:sd/ours', status: 'IN_PROGRESS', createdAt: T0 + 100, targetRevisionArn: revisionArn('200'), ...overrides };
}

/** The time one runRestart invocation sees: the doubles and its sleeps move it on. */
export class StepClock {
    constructor(public ms = Date.now()) {}

    readonly now = (): number => this.ms;

    advance(ms: number): void {
        this.ms += ms;
    }
}

/**
 * What one invocation of runRestart runs with: the project's SDK adapters (against whatever mock
 * ECSClient and SSMClient are installed), the clock, a budget from now, sleeps that move the clock.
 */
export function sdkDependencies(clock: StepClock, log: (message: string) => void = () => undefined): RestartDependencies {
    const deadline = { invocationDeadline: Number.MAX_SAFE_INTEGER, perCallMs: 10_000, now: clock.now };
    const config = { region: REGION, credentials: CREDENTIALS };
    const budgetEndsAt = clock.now() + INVOCATION_BUDGET_MS;
    const sleep = (ms: number) => {
        clock.advance(ms);
        return Promise.resolve();
    };
    // Paced as the handler paces it: each invocation's own pacer, on the same clock and budget.
    const pacer = new EcsPacer({ now: clock.now, sleep, budgetEndsAt });
    return {
        ecs: new SdkEcsGateway(new ECSClient(config), new ECSClient(config), deadline, pacer),
        records: new SsmRecordStore(new SSMClient(config), deadline),
        now: clock.now,
        log,
        budgetEndsAt,
        sleep,
    };
}

/** A create (or update) request of these input properties, with its settings parsed for HERE. */
export function restartRequest(properties: Record<string, unknown>, overrides: Partial<RestartRequest> = {}): RestartRequest {
    return {
        action: 'CREATE',
        id: RESOURCE_ID,
        tokenDigest: 't',
        settings: settingsFromProperties(properties, HERE),
        properties,
        ...overrides,
    };
}

/** Three places in three partitions, for what depends on the partition, region and account of the request. */
export const LOCATIONS: AwsLocation[] = [
    { partition: 'aws', region: 'eu-west-1', accountId: '111122223333' },
    { partition: 'aws-cn', region: 'cn-north-1', accountId: '444455556666' },
    { partition: 'aws-us-gov', region: 'us-gov-west-1', accountId: '777788889999' },
];

export const secretArn = (at: AwsLocation, id: string): string =>
    `arn:${at.partition}:secretsmanager:${at.region}:${at.accountId}:secret:${id}`;
export const parameterArn = (at: AwsLocation, path: string): string =>
    `arn:${at.partition}:ssm:${at.region}:${at.accountId}:parameter/${path}`;

/** Every call made of the port fakes below, in the order made: `ecs.forceNewDeployment web`, `records.put id`. */
export type Journal = string[];

/** A port's answer: the scripted error, else the value, or what computing it threw, as a rejection. */
function settle<T>(error: Error | undefined, value: () => T): Promise<T> {
    return new Promise((resolve) => {
        if (error) throw error;
        resolve(value());
    });
}

/**
 * The ECS port as a fake: services are ServiceViews kept by name, UpdateService starts a new PRIMARY
 * deployment dated by the clock, and every call is journalled. `failNext` makes the next calls of a
 * method throw, in order; `callMs` is how far each call moves the clock.
 */
export class FakeEcs implements EcsGateway {
    readonly views = new Map<string, ServiceView>();
    /** The service deployments ListServiceDeployments finds, by service ARN. */
    readonly serviceDeployments = new Map<string, ServiceDeploymentSummaryView[]>();
    /** What DescribeServiceDeployments answers, by service deployment ARN. */
    readonly describedDeployments = new Map<string, ServiceDeploymentView>();
    readonly stoppedTasks = new Map<string, StoppedTaskView[]>();
    /** What the next calls of a method throw, in order; undefined lets that call through. */
    readonly failNext = new Map<keyof EcsGateway, Array<Error | undefined>>();
    /** When set, the service-deployments API is denied with this message. */
    serviceDeploymentsDenied?: string;
    /** Services whose next UpdateService starts the deployment but loses the answer. */
    readonly answerLost = new Set<string>();
    callMs = 0;
    private deploymentNumber = 300;

    constructor(
        private readonly clock: StepClock,
        readonly journal: Journal = [],
    ) {}

    /** Adds a service as serviceView builds it, `arn:<name>`. */
    add(name: string, overrides: Partial<ServiceView> = {}): ServiceView {
        const view = serviceView({ name, arn: `arn:${name}`, ...overrides });
        this.views.set(name, view);
        return view;
    }

    /** The journalled calls of one method, with their first argument after the cluster. */
    callsOf(method: keyof EcsGateway): string[] {
        const prefix = `ecs.${method} `;
        return this.journal.filter((entry) => entry.startsWith(prefix)).map((entry) => entry.slice(prefix.length));
    }

    /** Journals the call and answers it as the SDK adapter does: a failure is a rejected promise. */
    private answer<T>(method: keyof EcsGateway, detail: string, value: () => T): Promise<T> {
        this.journal.push(`ecs.${method} ${detail}`);
        this.clock.advance(this.callMs);
        return settle(this.failNext.get(method)?.shift(), value);
    }

    private find(service: string): ServiceView | undefined {
        return [...this.views.values()].find((view) => view.name === service || view.arn === service);
    }

    private guardServiceDeployments(): void {
        if (this.serviceDeploymentsDenied) throw new ServiceDeploymentsUnavailableError(this.serviceDeploymentsDenied);
    }

    describeServices(_cluster: string, services: readonly string[]): Promise<ServiceView[]> {
        return this.answer('describeServices', services.join(','), () => services.flatMap((service) => this.find(service) ?? []));
    }

    forceNewDeployment(_cluster: string, service: string): Promise<StartedDeployment> {
        return this.answer('forceNewDeployment', service, () => {
            const view = this.find(service);
            if (!view) throw new Error(`FakeEcs: no service ${service}`);
            const deployment = deploymentView({ id: `ecs-svc/${this.deploymentNumber++}`, createdAt: this.clock.now(), runningCount: 0 });
            view.deployments = [deployment, ...view.deployments.map((d) => ({ ...d, status: 'ACTIVE' }))];
            if (this.answerLost.delete(view.name)) {
                throw new TransientAwsError('The connection was reset.', 'NetworkFailure', true);
            }
            return { deploymentId: deployment.id, createdAt: deployment.createdAt };
        });
    }

    listServiceDeployments(_cluster: string, service: string, _createdAfter: number): Promise<ServiceDeploymentSummaryView[]> {
        return this.answer('listServiceDeployments', service, () => {
            this.guardServiceDeployments();
            return this.serviceDeployments.get(service) ?? [];
        });
    }

    describeServiceDeployments(arns: readonly string[]): Promise<ServiceDeploymentView[]> {
        return this.answer('describeServiceDeployments', arns.join(','), () => {
            this.guardServiceDeployments();
            return arns.flatMap((arn) => this.describedDeployments.get(arn) ?? []);
        });
    }

    describeStoppedTasks(_cluster: string, serviceName: string, deploymentId: string, limit: number): Promise<StoppedTaskView[]> {
        return this.answer(
            'describeStoppedTasks',
            `${serviceName} ${deploymentId} ${limit}`,
            () => this.stoppedTasks.get(serviceName) ?? [],
        );
    }

    listServices(_cluster: string, nextToken?: string): Promise<ServicePage> {
        return this.answer('listServices', nextToken ?? '', () => ({ serviceArns: [...this.views.values()].map((view) => view.arn) }));
    }

    describeTaskDefinition(taskDefinition: string): Promise<TaskDefinitionView> {
        return this.answer('describeTaskDefinition', taskDefinition, () => ({
            taskDefinitionArn: taskDefinition,
            containerDefinitions: [],
        }));
    }
}

/** The record store port in memory, journalled like FakeEcs; `failNext` makes the next calls of a method throw. */
export class MemoryRecords implements RestartRecordStore {
    readonly records = new Map<string, RestartRecord>();
    /** What the next calls of a method throw, in order; undefined lets that call through. */
    readonly failNext = new Map<keyof RestartRecordStore, Array<Error | undefined>>();

    constructor(readonly journal: Journal = []) {}

    private answer<T>(method: keyof RestartRecordStore, id: string, value: () => T): Promise<T> {
        this.journal.push(`records.${method} ${id}`);
        return settle(this.failNext.get(method)?.shift(), value);
    }

    get(id: string): Promise<RestartRecord | undefined> {
        return this.answer('get', id, () => structuredClone(this.records.get(id)));
    }

    put(id: string, record: RestartRecord): Promise<void> {
        return this.answer('put', id, () => void this.records.set(id, structuredClone(record)));
    }

    putNew(id: string, record: RestartRecord): Promise<void> {
        return this.answer('putNew', id, () => {
            if (this.records.has(id)) throw new RecordExistsError(`A record of ${id} exists.`);
            this.records.set(id, structuredClone(record));
        });
    }

    delete(id: string): Promise<void> {
        return this.answer('delete', id, () => {
            if (!this.records.delete(id)) throw new RecordNotFoundError(`No record of ${id}.`);
        });
    }

    list(): Promise<ListedRecord[]> {
        return this.answer('list', '', () => [...this.records].map(([id, record]) => ({ id, record: structuredClone(record) })));
    }

    assertFits(id: string): void {
        this.journal.push(`records.assertFits ${id}`);
    }

    /** The names each resource's resolutions stored, by generation. */
    readonly selections = new Map<string, Map<string, string[]>>();
    private generations = 0;

    putSelection(id: string, names: readonly string[]): Promise<StoredSelection> {
        return this.answer('putSelection', id, () => {
            const generation = (++this.generations).toString(16).padStart(12, '0');
            const stored = this.selections.get(id) ?? new Map<string, string[]>();
            stored.set(generation, [...names]);
            this.selections.set(id, stored);
            const text = JSON.stringify(names);
            const sha256 = createHash('sha256').update(text).digest('hex');
            return { generation, parts: 1, bytes: Buffer.byteLength(text), sha256, names: names.length };
        });
    }

    getSelection(id: string, stored: StoredSelection): Promise<string[] | undefined> {
        return this.answer('getSelection', id, () => {
            const names = this.selections.get(id)?.get(stored.generation);
            const text = JSON.stringify(names ?? null);
            return names && createHash('sha256').update(text).digest('hex') === stored.sha256 ? [...names] : undefined;
        });
    }

    removeSelections(id: string, stored: readonly StoredSelection[]): Promise<void> {
        return this.answer('removeSelections', id, () => {
            stored.forEach((selection) => this.selections.get(id)?.delete(selection.generation));
        });
    }

    sweepSelections(id: string): Promise<void> {
        return this.answer('sweepSelections', id, () => void this.selections.delete(id));
    }

    /** How many selections are stored for `id`. */
    selectionCount(id: string): number {
        return this.selections.get(id)?.size ?? 0;
    }
}

/** One invocation over the port fakes: the budget from now, sleeps that move the clock. */
export function fakeDependencies(
    clock: StepClock,
    ecs: EcsGateway,
    records: RestartRecordStore = new MemoryRecords(),
): RestartDependencies {
    return {
        ecs,
        records,
        now: clock.now,
        log: () => undefined,
        budgetEndsAt: clock.now() + INVOCATION_BUDGET_MS,
        sleep: (ms: number) => {
            clock.advance(ms);
            return Promise.resolve();
        },
    };
}
