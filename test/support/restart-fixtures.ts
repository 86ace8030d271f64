/**
 * The restart domain's test fixtures, written once: an operation in its restarting stage, the ECS views
 * the judge reasons about, and the dependencies runRestart takes, built on the real SDK adapters over the
 * scripted ECS double and the in-memory Parameter Store (test/support/scripted-ecs.ts, in-memory-ssm.ts).
 * Each builder gives a plain, healthy default that a test overrides only where its case differs.
 */
import { ECSClient } from '@aws-sdk/client-ecs';
import { SSMClient } from '@aws-sdk/client-ssm';
import { SdkEcsGateway } from '../../src/aws/ecs-gateway';
import { EcsPacer } from '../../src/aws/pacing';
import { SsmRecordStore } from '../../src/aws/restart-record-store';
import { INVOCATION_BUDGET_MS, RestartRequest } from '../../src/restart/operation/operation';
import type { RestartingOperation, TrackedService } from '../../src/restart/operation/progress';
import type { RestartDependencies } from '../../src/restart/ports';
import type { AwsLocation } from '../../src/restart/request/arns';
import { settingsFromProperties } from '../../src/restart/request/settings';
import type { DeploymentView, ServiceDeploymentView, ServiceView } from '../../src/restart/views';
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

/** One wave of one started service, 60 minutes to go, nothing observed yet. */
export function restartingOperation(overrides: Partial<RestartingOperation> = {}): RestartingOperation {
    const timeoutInMinutes = overrides.timeoutInMinutes ?? 60;
    const startedAt = overrides.startedAt ?? T0;
    return {
        stage: 'restarting',
        id: 'id',
        action: 'CREATE',
        tokenDigest: 't',
        startedAt,
        deadline: startedAt + timeoutInMinutes * 60_000,
        timeoutInMinutes,
        transientFailures: 0,
        waitForSteadyState: true,
        wave: 0,
        waveCount: 1,
        waveStartedAt: startedAt,
        services: [trackedService()],
        serviceDeploymentsApi: 'available',
        polls: 0,
        notes: [],
        ...overrides,
    };
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
