import { ECSClient } from '@aws-sdk/client-ecs';
import { SSMClient } from '@aws-sdk/client-ssm';
import { MissingCredentialsError } from '../restart/errors';
import type { EcsGateway, RestartRecordStore } from '../restart/ports';
import { SdkEcsGateway } from './ecs-gateway';
import { SsmRecordStore } from './restart-record-store';

// Each attempt is short and retried at most twice so that a whole invocation, even when ECS hangs,
// stays inside the 60-second handler contract (see INVOCATION_BUDGET_MS in the restart operation).
const CONNECTION_TIMEOUT_MS = 2_000;
const REQUEST_TIMEOUT_MS = 5_000;
const MAX_ATTEMPTS = 3;

export interface CallerCredentials {
    accessKeyId?: string;
    secretAccessKey?: string;
    sessionToken?: string;
}

export interface AwsGateways {
    ecs: EcsGateway;
    records: RestartRecordStore;
}

/**
 * Builds the SDK v3 clients from the credentials CloudFormation passed in the request. The endpoint
 * is the SDK's own business: AWS_ENDPOINT_URL / AWS_ENDPOINT_URL_ECS / AWS_ENDPOINT_URL_SSM redirect
 * it (the local moto server), with no option of this project's.
 */
export function gatewaysFromCredentials(credentials: CallerCredentials | undefined, region: string): AwsGateways {
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
        requestHandler: { connectionTimeout: CONNECTION_TIMEOUT_MS, requestTimeout: REQUEST_TIMEOUT_MS },
    };
    return {
        ecs: new SdkEcsGateway(new ECSClient(common)),
        records: new SsmRecordStore(new SSMClient(common)),
    };
}
