import type { RestartRecord } from './record';
import type {
    ServiceDeploymentSummaryView,
    ServiceDeploymentView,
    ServicePage,
    ServiceView,
    StartedDeployment,
    StoppedTaskView,
    TaskDefinitionView,
} from './views';

/**
 * What the restart needs from the outside world. The domain declares these; src/aws/ implements them
 * with the AWS SDK, and the tests with doubles. Every method throws domain errors (errors.ts), never
 * SDK errors.
 */

/** The ECS calls a restart makes. */
export interface EcsGateway {
    /** Services that ECS does not know are simply absent from the answer. */
    describeServices(cluster: string, services: readonly string[]): Promise<ServiceView[]>;
    /** UpdateService with forceNewDeployment; the deployment it started. */
    forceNewDeployment(cluster: string, service: string): Promise<StartedDeployment>;
    /** Throws ServiceDeploymentsUnavailableError when the API is missing or denied. */
    listServiceDeployments(cluster: string, service: string, createdAfter: number): Promise<ServiceDeploymentSummaryView[]>;
    /** Throws ServiceDeploymentsUnavailableError when the API is missing or denied. */
    describeServiceDeployments(arns: readonly string[]): Promise<ServiceDeploymentView[]>;
    describeStoppedTasks(cluster: string, serviceName: string, deploymentId: string, limit: number): Promise<StoppedTaskView[]>;
    /** One ListServices call: a page of at most LIST_SERVICES_PAGE_SIZE service ARNs, from `nextToken` on. */
    listServices(cluster: string, nextToken?: string): Promise<ServicePage>;
    /** One DescribeTaskDefinition call, by ARN. */
    describeTaskDefinition(taskDefinition: string): Promise<TaskDefinitionView>;
}

/** A record as LIST finds it: readable, or the reason it is not (one bad record never hides the others). */
export type ListedRecord = { id: string; record: RestartRecord; problem?: undefined } | { id: string; record?: undefined; problem: string };

/** The page size asked of ListServices: its maximum. */
export const LIST_SERVICES_PAGE_SIZE = 100;

/** The durable restart records, one per resource. */
export interface RestartRecordStore {
    /** Throws UnreadableRecordError when what is stored is not a record of this type. */
    get(id: string): Promise<RestartRecord | undefined>;
    /** Throws InvalidInputError when the record does not fit the store; see assertFits. */
    put(id: string, record: RestartRecord): Promise<void>;
    /** A write that succeeds only if no record exists yet; else RecordExistsError. */
    putNew(id: string, record: RestartRecord): Promise<void>;
    /** Throws RecordNotFoundError when there is nothing to delete. */
    delete(id: string): Promise<void>;
    list(): Promise<ListedRecord[]>;
    /** Throws InvalidInputError when the store could not hold this record: checked before any side effect. */
    assertFits(id: string, record: RestartRecord): void;
}

/** What an operation runs with in one invocation. */
export interface RestartDependencies {
    ecs: EcsGateway;
    records: RestartRecordStore;
    now: () => number;
    log: (message: string) => void;
    /** Epoch ms after which no new AWS call is started in this invocation. */
    budgetEndsAt: number;
    /** Waits within the invocation before another look, when the outcome is seconds away. */
    sleep: (ms: number) => Promise<void>;
}
