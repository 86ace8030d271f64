import { ECSClient } from '@aws-sdk/client-ecs';
import { SSMClient } from '@aws-sdk/client-ssm';
import { MissingCredentialsError } from '../restart/errors';
import type { EcsGateway, RestartRecordStore } from '../restart/ports';
import { SdkEcsGateway } from './ecs-gateway';
import { EcsPacer, PacingHint } from './pacing';
import { SsmRecordStore } from './restart-record-store';
// Before any client exists: see the module.
import './shared-config-files';

// One attempt may take REQUEST_TIMEOUT_MS (the SDK is told to throw, not just warn, when it passes), a
// call with its retries PER_CALL_MS; and no call outlives the invocation's deadline (see call-deadline.ts).
// The operation starts no new ECS call after its budget (INVOCATION_BUDGET_MS), so with these an
// invocation answers well inside Lambda's 60 seconds even when AWS answers late or never.
const CONNECTION_TIMEOUT_MS = 2_000;
const REQUEST_TIMEOUT_MS = 5_000;
const PER_CALL_MS = 8_000;
const MAX_ATTEMPTS = 3;
/** From the invocation's start: every AWS call has ended by then. */
export const INVOCATION_HARD_LIMIT_MS = 50_000;

export interface CallerCredentials {
    accessKeyId?: string;
    secretAccessKey?: string;
    sessionToken?: string;
}

export interface AwsGateways {
    ecs: EcsGateway;
    records: RestartRecordStore;
    /** How slowly the ECS calls should start in the next invocation of this operation (see pacing.ts). */
    pacingHint: () => PacingHint | undefined;
    /**
     * Closes the clients' connections: every invocation builds its clients from the request's own
     * credentials, and their keep-alive sockets would otherwise pile up in a warm container.
     */
    close(): void;
}

/**
 * Builds the SDK v3 clients from the credentials CloudFormation passed in the request. The endpoint
 * is the SDK's own business: AWS_ENDPOINT_URL / AWS_ENDPOINT_URL_ECS / AWS_ENDPOINT_URL_SSM redirect
 * it (the local moto server), with no option of this project's.
 */
/** How the ECS calls of this invocation are paced: its budget, its wait, and the previous invocation's hint. */
export interface PacingOptions {
    budgetEndsAt: number;
    sleep: (ms: number) => Promise<void>;
    hint?: unknown;
}

export function gatewaysFromCredentials(
    credentials: CallerCredentials | undefined,
    region: string,
    invokedAt: number,
    now: () => number = Date.now,
    pacing?: PacingOptions,
): AwsGateways {
    if (!credentials?.accessKeyId || !credentials.secretAccessKey) {
        throw new MissingCredentialsError(
            'The request carries no caller credentials: register the type with an execution role (resource-role.yaml) so CloudFormation passes them.',
        );
    }
    const identity = {
        accessKeyId: credentials.accessKeyId,
        secretAccessKey: credentials.secretAccessKey,
        sessionToken: credentials.sessionToken,
    };
    const common = {
        region,
        credentials: identity,
        maxAttempts: MAX_ATTEMPTS,
        requestHandler: { connectionTimeout: CONNECTION_TIMEOUT_MS, requestTimeout: REQUEST_TIMEOUT_MS, throwOnRequestTimeout: true },
    };
    const deadline = { invocationDeadline: invokedAt + INVOCATION_HARD_LIMIT_MS, perCallMs: PER_CALL_MS, now };
    const clients = [new ECSClient(common), new ECSClient({ ...common, maxAttempts: 1 }), new SSMClient(common)] as const;
    const pacer = new EcsPacer({
        now,
        sleep: pacing?.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms))),
        budgetEndsAt: pacing?.budgetEndsAt ?? deadline.invocationDeadline,
        hint: pacing?.hint,
    });
    return {
        ecs: new SdkEcsGateway(clients[0], clients[1], deadline, pacer),
        records: new SsmRecordStore(clients[2], deadline),
        pacingHint: () => pacer.handOn(),
        close: () => clients.forEach((client) => client.destroy()),
    };
}
