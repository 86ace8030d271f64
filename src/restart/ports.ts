import type {
    ServiceDeploymentSummaryView,
    ServiceDeploymentView,
    ServicePage,
    ServiceView,
    StartedDeployment,
    StoppedTaskView,
    TaskDefinitionView,
} from './views';

/** Where a restart operation stands, as its record says. */
export type OperationStatus = 'IN_PROGRESS' | 'SUCCEEDED' | 'FAILED';

/** The durable state of one resource, stored as JSON in SSM Parameter Store. */
export interface RestartRecord {
    version: 1;
    /** The input properties exactly as the template gave them. */
    properties: Record<string, unknown>;
    serviceArns: string[];
    /** Per service, in the order of Services; '' until its restart was accepted. */
    deploymentIds: string[];
    restartedAt: string;
    operation: {
        /** A digest of the request token (never the token): a retried first step recognises its record. */
        tokenDigest: string;
        action: 'CREATE' | 'UPDATE';
        status: OperationStatus;
        wave: number;
        waveStartedAt: number;
        startedAt: number;
        deadline: number;
        /**
         * Per service, in the order of Services: when UpdateService was last called for it without a
         * known answer (0: none). Written before the call, so that an answer lost with the invocation
         * is looked for in ECS instead of restarting again.
         */
        attemptedAt: number[];
    };
    /**
     * Per service, in the order of Services: what watching its deployment found so far, so that the
     * callback context stays small at any number of services and the next invocation goes on from there.
     * Absent in records written before it existed: then it is observed again.
     */
    services?: RecordedServiceState[];
}

/** What the record keeps of one service between invocations, beyond its ARN, deployment and attempt. */
export interface RecordedServiceState {
    /** The deployment this restart started, when `deploymentIds` holds a newer one that superseded it and is followed instead. */
    ownDeploymentId?: string;
    /** ECS's createdAt of the deployment this restart started: anchors the service-deployments lookup. */
    startedAt?: number;
    /** The service deployment (service-deployments API) of the deployment followed, once ECS listed it. */
    serviceDeploymentArn?: string;
    /** Its deployment ended as this restart needs: it is not watched any more. */
    completed?: boolean;
    /** A pause hook of the deployment waiting for approval, and since when this restart has seen it wait. */
    awaitingApproval?: { hookId: string; since: number };
}

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

/** The most services one DescribeServices call takes (an ECS limit): callers group their reads by it. */
export const DESCRIBE_SERVICES_BATCH_SIZE = 10;

/** The page size asked of ListServices: its maximum. */
export const LIST_SERVICES_PAGE_SIZE = 100;

/**
 * Where a resolution that goes on in another invocation left the names of the services it found:
 * stored beside the record, so that the callback context carries this reference, not the names.
 */
export interface StoredSelection {
    /** Every write takes a fresh generation: a replayed invocation still finds the one its context names. */
    generation: string;
    /** Parameters the names take. */
    parts: number;
    /** UTF-8 bytes and SHA-256 of the names' JSON: what is read back is checked against them. */
    bytes: number;
    sha256: string;
    /** How many names it holds. */
    names: number;
}

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
    /** Stores the names a resolution found so far, under a new generation. */
    putSelection(id: string, names: readonly string[]): Promise<StoredSelection>;
    /** The names `stored` holds; undefined when they are gone or do not match it. */
    getSelection(id: string, stored: StoredSelection): Promise<string[] | undefined>;
    /** Removes the selections named (parts already gone are no error). */
    removeSelections(id: string, stored: readonly StoredSelection[]): Promise<void>;
    /** Removes every selection stored for `id`, those of invocations that never returned too. */
    sweepSelections(id: string): Promise<void>;
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
