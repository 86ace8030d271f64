export const ACCOUNT_ID = '123456789012';
export const REGION = 'us-east-1';
export const CREDENTIALS = { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret-example', sessionToken: 'session-example' };

export interface EventOptions {
    token?: string;
    previous?: Record<string, unknown>;
    callbackContext?: Record<string, unknown>;
    credentials?: typeof CREDENTIALS | null;
    /** CloudFormation's top-level flag of an update made while rolling a stack back. */
    rollback?: boolean;
}

/** A request shaped as CloudFormation sends it to a registry handler (protocol 2.0.0). */
export function cfnEvent(action: string, properties: Record<string, unknown> | undefined, options: EventOptions = {}) {
    return {
        action,
        awsAccountId: ACCOUNT_ID,
        bearerToken: options.token ?? `token-${action}-${Math.random().toString(36).slice(2)}`,
        region: REGION,
        resourceType: 'Org::ECS::ServiceRestart',
        resourceTypeVersion: '00000001',
        stackId: `arn:aws:cloudformation:${REGION}:${ACCOUNT_ID}:stack/app/11111111-2222-3333-4444-555555555555`,
        requestData: {
            callerCredentials: options.credentials === null ? undefined : (options.credentials ?? CREDENTIALS),
            resourceProperties: properties,
            previousResourceProperties: options.previous,
            logicalResourceId: 'RestartAfterRotation',
            systemTags: {},
            stackTags: {},
        },
        callbackContext: options.callbackContext,
        ...(options.rollback === undefined ? {} : { rollback: options.rollback }),
    };
}
