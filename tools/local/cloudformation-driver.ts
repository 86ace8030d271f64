import { randomUUID } from 'crypto';

/** One invocation of the handler function, as CloudFormation makes it. */
export type InvokeHandler = (event: Record<string, unknown>) => Promise<{ payload: any; functionError?: string }>;

export interface DriverOptions {
    invoke: InvokeHandler;
    accountId: string;
    region: string;
    credentials: () => Promise<{ accessKeyId: string; secretAccessKey: string; sessionToken?: string }>;
    stackName?: string;
    /** Prints one CloudFormation-style event line. */
    print?: (line: string) => void;
    /**
     * Waits callbackDelaySeconds between invocations; injectable so that local runs need not sleep, and
     * tests can move the world on between invocations (`invocation` is the one about to be made).
     */
    sleep?: (seconds: number, invocation: number) => Promise<void>;
    /** Upper bound on re-invocations of one operation. */
    maxInvocations?: number;
    /** What reaching maxInvocations does: throw (the default), or return the last IN_PROGRESS answer. */
    whenExhausted?: 'throw' | 'return';
}

export interface OperationResult {
    status: 'SUCCESS' | 'FAILED' | 'IN_PROGRESS';
    errorCode?: string;
    message?: string;
    resourceModel?: Record<string, any>;
    resourceModels?: Array<Record<string, any>>;
    invocations: number;
    /** Every answer of the handler, in order: the last one decided the outcome. */
    responses: any[];
}

const PAST_TENSE: Record<string, string> = { CREATE: 'CREATE', UPDATE: 'UPDATE', DELETE: 'DELETE', READ: 'READ', LIST: 'LIST' };

/**
 * Drives a registry handler through CloudFormation's callback protocol (2.0.0): one token per
 * operation, re-invoke with the returned callbackContext and resourceModel after
 * callbackDelaySeconds while the status is IN_PROGRESS, and print the stack events it would show.
 */
export class CloudFormationDriver {
    readonly stackId: string;
    private readonly print: (line: string) => void;
    private readonly sleep: (seconds: number, invocation: number) => Promise<void>;

    constructor(private readonly options: DriverOptions) {
        const stackName = options.stackName ?? 'local-demo';
        this.stackId = `arn:aws:cloudformation:${options.region}:${options.accountId}:stack/${stackName}/${randomUUID()}`;
        this.print = options.print ?? ((line) => console.log(line));
        this.sleep = options.sleep ?? ((seconds) => new Promise((resolve) => setTimeout(resolve, seconds * 1000)));
    }

    event(logicalId: string, status: string, reason = ''): void {
        const time = new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');
        this.print(`${time}  ${logicalId.padEnd(22)} ${status.padEnd(20)} ${reason}`.trimEnd());
    }

    async run(
        action: 'CREATE' | 'READ' | 'UPDATE' | 'DELETE' | 'LIST',
        logicalId: string,
        properties: Record<string, unknown>,
        previousProperties?: Record<string, unknown>,
    ): Promise<OperationResult> {
        const mutating = action === 'CREATE' || action === 'UPDATE' || action === 'DELETE';
        const verb = PAST_TENSE[action];
        const bearerToken = randomUUID();
        let resourceProperties = properties;
        let callbackContext: unknown = undefined;
        const responses: any[] = [];
        if (mutating) this.event(logicalId, `${verb}_IN_PROGRESS`);
        for (let invocation = 1; invocation <= (this.options.maxInvocations ?? 1000); invocation += 1) {
            const { payload, functionError } = await this.options.invoke({
                action,
                awsAccountId: this.options.accountId,
                bearerToken,
                region: this.options.region,
                resourceType: 'Org::ECS::ServiceRestart',
                resourceTypeVersion: '00000001',
                stackId: this.stackId,
                callbackContext,
                requestData: {
                    callerCredentials: await this.options.credentials(),
                    resourceProperties,
                    previousResourceProperties: previousProperties,
                    logicalResourceId: logicalId,
                    stackTags: {},
                    systemTags: {},
                },
            });
            responses.push(payload);
            const status = payload?.status;
            if (status === 'IN_PROGRESS') {
                if (payload.message) this.event(logicalId, `${verb}_IN_PROGRESS`, payload.message);
                callbackContext = payload.callbackContext;
                resourceProperties = payload.resourceModel ?? resourceProperties;
                await this.sleep(payload.callbackDelaySeconds ?? 0, invocation + 1);
                continue;
            }
            if (status === 'SUCCESS') {
                if (mutating) this.event(logicalId, `${verb}_COMPLETE`, payload.message ?? '');
                return {
                    status,
                    message: payload.message,
                    resourceModel: payload.resourceModel,
                    resourceModels: payload.resourceModels,
                    invocations: invocation,
                    responses,
                };
            }
            const reason = `${payload?.errorCode ?? 'NoErrorCode'}: ${payload?.message ?? JSON.stringify(payload)}${functionError ? ` (function error: ${functionError})` : ''}`;
            this.event(logicalId, `${verb}_FAILED`, reason);
            return { status: 'FAILED', errorCode: payload?.errorCode, message: payload?.message, invocations: invocation, responses };
        }
        if (this.options.whenExhausted === 'return') {
            const last = responses.at(-1);
            return {
                status: 'IN_PROGRESS',
                message: last?.message,
                resourceModel: last?.resourceModel,
                invocations: responses.length,
                responses,
            };
        }
        throw new Error(`${action} of ${logicalId} was still IN_PROGRESS after ${this.options.maxInvocations} invocations`);
    }
}
