import {
    Action,
    BaseResource,
    HandlerErrorCode,
    LoggerProxy,
    OperationStatus,
    Optional,
    ProgressEvent,
    ResourceHandlerRequest,
    SessionProxy,
    handlerEvent,
} from '@amazon-web-services-cloudformation/cloudformation-cli-typescript-lib';
import { randomUUID } from 'crypto';
import { AwsGateways, CallerCredentials, gatewaysFromCredentials } from './aws/clients';
import { parseResourceProperties } from './input/resource-properties';
import { ResourceModel, TypeConfigurationModel } from './models';
import { AwsLocation, partitionOfRegion } from './restart/request/arns';
import { RecordNotFoundError, RestartError, asRestartError } from './restart/errors';
import { digestToken, idForCreate } from './restart/operation/identity';
import { INVOCATION_BUDGET_MS, RestartOutcome, runRestart } from './restart/operation/operation';
import { OperationContext, checkOperationContext } from './restart/operation/progress';
import { inputPropertiesOf, resourcePropertiesOf } from './restart/operation/record';
import { redact } from './restart/text/redaction';
import { settingsFromProperties } from './restart/request/settings';

/** What travels between invocations of one create or update: the operation's own state, or nothing yet. */
export type CallbackContext = Partial<OperationContext>;

type Event = ProgressEvent<ResourceModel, CallbackContext>;
type Request = ResourceHandlerRequest<ResourceModel>;

function locationOf(request: Request): AwsLocation {
    const region = request.region ?? '';
    return { region, accountId: request.awsAccountId ?? '', partition: partitionOfRegion(region) };
}

function credentialsOf(session: Optional<SessionProxy>): CallerCredentials | undefined {
    return (session?.configuration as { credentials?: CallerCredentials } | undefined)?.credentials;
}

/** The wait between two looks within one invocation; a test or benchmark on simulated time replaces it. */
export const invocationTimers = {
    sleep: (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms)),
};

function gatewaysOf(session: Optional<SessionProxy>, request: Request): Omit<AwsGateways, 'close'> {
    const gateways = gatewaysFromCredentials(credentialsOf(session), locationOf(request).region, invocation.startedAt);
    invocation.openGateways.push(gateways);
    return { ecs: gateways.ecs, records: gateways.records };
}

/**
 * What the exported entrypoints read from the raw event before the library transforms it: the
 * resource properties as CloudFormation sent them (the library's model transform reshapes and drops
 * values), the top-level `rollback` flag (which the library does not pass on), and the request's
 * secret values, which no message or log line may carry. Lambda runs one event at a time per container.
 */
interface RawInvocation {
    startedAt: number;
    properties?: unknown;
    stackRollback: boolean;
    secrets: string[];
    /** The models this invocation answers with, exactly (see answerModel). */
    answer?: Record<string, unknown>;
    answerList: Array<Record<string, unknown>>;
    /** Closed when the invocation answers. */
    openGateways: AwsGateways[];
}

let invocation: RawInvocation = { startedAt: Date.now(), stackRollback: false, secrets: [], answerList: [], openGateways: [] };

/** The properties without Triggers: what the library's model transform is given (see answerModel). */
function withoutTriggers(properties: unknown): unknown {
    if (typeof properties !== 'object' || properties === null || Array.isArray(properties)) return properties;
    const { Triggers: _triggers, ...rest } = properties as Record<string, unknown>;
    return rest;
}

/**
 * The library's model transform (class-transformer) drops or breaks on Triggers keys that are names
 * of Object.prototype members (`constructor`, `__proto__`, `toString`), which are valid keys. The
 * library therefore never sees Triggers: it is given the model without them, and the exported
 * entrypoints put the exact properties computed here into the answer.
 */
function answerModel(properties: Record<string, unknown>, into: 'single' | 'list' = 'single'): ResourceModel {
    if (into === 'list') invocation.answerList.push(properties);
    else invocation.answer = properties;
    return ResourceModel.deserialize(withoutTriggers(properties) as Record<string, unknown>);
}

const field = (value: unknown, key: string): unknown =>
    typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>)[key] : undefined;

function secretsOf(...sources: unknown[]): string[] {
    const secrets: string[] = [];
    for (const source of sources) {
        for (const key of ['accessKeyId', 'secretAccessKey', 'sessionToken']) {
            const value = field(source, key);
            if (typeof value === 'string') secrets.push(value);
        }
    }
    return secrets;
}

function redacted(text: string): string {
    return redact(text, invocation.secrets);
}

function idOf(request: Request): string {
    const id = request.desiredResourceState?.id ?? request.previousResourceState?.id;
    if (!id) {
        throw new RecordNotFoundError('The request names no Id: there is no restart resource to act on.');
    }
    return id;
}

function failed(error: RestartError): Event {
    return ProgressEvent.failed<Event>(HandlerErrorCode[error.errorCode], error.message);
}

function eventOf(outcome: RestartOutcome): Event {
    switch (outcome.status) {
        case 'success': {
            const event = ProgressEvent.success<Event>(answerModel(outcome.properties));
            event.message = outcome.message;
            return event;
        }
        case 'failed':
            return ProgressEvent.failed<Event>(HandlerErrorCode[outcome.errorCode], outcome.message);
        case 'in-progress':
            return ProgressEvent.builder<Event>()
                .status(OperationStatus.InProgress)
                .resourceModel(answerModel(outcome.properties))
                .callbackContext(outcome.context)
                .callbackDelaySeconds(outcome.delaySeconds)
                .message(outcome.message)
                .build();
    }
}

/** Create and update: parse, run the restart operation, map its outcome to a ProgressEvent. */
async function restart(
    action: 'CREATE' | 'UPDATE',
    session: Optional<SessionProxy>,
    request: Request,
    context: CallbackContext,
    logger: LoggerProxy,
): Promise<Event> {
    const invokedAt = invocation.startedAt;
    try {
        const here = locationOf(request);
        // Checked in the raw form CloudFormation sent, against the schema file itself.
        const properties = parseResourceProperties(invocation.properties ?? request.desiredResourceState?.serialize()) as unknown as Record<
            string,
            unknown
        >;
        const settings = settingsFromProperties(properties, here);
        const token = request.clientRequestToken || undefined;
        const tokenDigest = token ? digestToken(token) : undefined;
        const given = field(context, 'stage') === undefined ? undefined : (context as unknown);
        const id =
            action === 'UPDATE'
                ? idOf(request)
                : token
                  ? idForCreate(here.accountId, here.region, token)
                  : ((field(given, 'id') as string | undefined) ?? randomUUID());
        const operation: OperationContext | undefined =
            given === undefined ? undefined : checkOperationContext(given, { id, action, tokenDigest, settings, now: Date.now() });
        const outcome = await runRestart(
            {
                action,
                id,
                // Without a token (direct invocation) every first step is its own operation.
                tokenDigest: tokenDigest ?? operation?.tokenDigest ?? digestToken(randomUUID()),
                settings,
                properties: inputPropertiesOf(properties),
                stackRollback: action === 'UPDATE' && invocation.stackRollback,
            },
            operation,
            {
                ...gatewaysOf(session, request),
                now: Date.now,
                log: (message: string) => logger.log(redacted(message)),
                budgetEndsAt: invokedAt + INVOCATION_BUDGET_MS,
                sleep: (ms: number) => invocationTimers.sleep(ms),
            },
        );
        return eventOf(outcome);
    } catch (err) {
        const error = asRestartError(err);
        if (action === 'UPDATE' && invocation.stackRollback) {
            // Not even bad input fails a stack rollback: it returns to properties that worked before.
            const event = ProgressEvent.success<Event>(request.desiredResourceState ?? new ResourceModel());
            event.message = `Stack rollback: nothing was restarted (${error.errorCode}: ${error.message}); the rollback goes on.`;
            return event;
        }
        return failed(error);
    }
}

class Resource extends BaseResource<ResourceModel> {
    @handlerEvent(Action.Create)
    public async create(session: Optional<SessionProxy>, request: Request, context: CallbackContext, logger: LoggerProxy): Promise<Event> {
        return restart('CREATE', session, request, context, logger);
    }

    @handlerEvent(Action.Update)
    public async update(session: Optional<SessionProxy>, request: Request, context: CallbackContext, logger: LoggerProxy): Promise<Event> {
        return restart('UPDATE', session, request, context, logger);
    }

    @handlerEvent(Action.Read)
    public async read(session: Optional<SessionProxy>, request: Request): Promise<Event> {
        try {
            const id = idOf(request);
            const record = await gatewaysOf(session, request).records.get(id);
            if (!record) {
                throw new RecordNotFoundError(`Restart resource ${id} does not exist (it was deleted or never created).`);
            }
            return ProgressEvent.success<Event>(answerModel(resourcePropertiesOf(id, record)));
        } catch (err) {
            return failed(asRestartError(err));
        }
    }

    /** Removes the record only: deleting the resource restarts nothing. */
    @handlerEvent(Action.Delete)
    public async delete(session: Optional<SessionProxy>, request: Request): Promise<Event> {
        try {
            await gatewaysOf(session, request).records.delete(idOf(request));
            return ProgressEvent.builder<Event>().status(OperationStatus.Success).build();
        } catch (err) {
            return failed(asRestartError(err));
        }
    }

    /** One page with every record: the library does not pass nextToken to handlers. */
    @handlerEvent(Action.List)
    public async list(session: Optional<SessionProxy>, request: Request, _context: CallbackContext, logger: LoggerProxy): Promise<Event> {
        try {
            const models: ResourceModel[] = [];
            for (const entry of await gatewaysOf(session, request).records.list()) {
                if (entry.record === undefined) {
                    // One unreadable parameter under the type's path never hides the other resources.
                    logger.log(redacted(`List skips ${entry.id}: ${entry.problem}`));
                } else if (entry.record.operation.action === 'CREATE' && entry.record.operation.status !== 'SUCCEEDED') {
                    // A create still running, or one that failed and could not remove its record, is no resource yet.
                    continue;
                } else {
                    models.push(answerModel(resourcePropertiesOf(entry.id, entry.record), 'list'));
                }
            }
            return ProgressEvent.builder<Event>().status(OperationStatus.Success).resourceModels(models).build();
        } catch (err) {
            return failed(asRestartError(err));
        }
    }
}

export const resource = new Resource(ResourceModel.TYPE_NAME, ResourceModel, undefined, undefined, TypeConfigurationModel);

/**
 * The library sets the caller session only when a request carries credentials and otherwise keeps
 * the one of the previous invocation in the same (warm) Lambda container, so a request without
 * credentials would act with someone else's. Each invocation starts from none.
 */
function forgetCallerSession(): void {
    Reflect.set(resource, 'callerSession', undefined);
}

/** Reads what the raw event holds for this invocation, before the library sees it. */
function beginInvocation(properties: unknown, stackRollback: unknown, ...secretSources: unknown[]): void {
    forgetCallerSession();
    invocation = {
        startedAt: Date.now(),
        properties,
        stackRollback: stackRollback === true,
        secrets: secretsOf(...secretSources).concat(secretSources.filter((value): value is string => typeof value === 'string')),
        answerList: [],
        openGateways: [],
    };
}

function closeGateways(): void {
    invocation.openGateways.forEach((gateways) => gateways.close());
    invocation.openGateways = [];
}

/**
 * The answer as this handler computed it: exact models, and the message through redaction. Every
 * answer leaves through here (the library's own FAILED events too), so this is the one place it is done.
 */
function finishAnswer<T>(answer: T): T {
    if (typeof answer !== 'object' || answer === null) return answer;
    const fields = answer as Record<string, unknown>;
    if (typeof fields.message === 'string') fields.message = redacted(fields.message);
    if (invocation.answer && typeof fields.resourceModel === 'object' && fields.resourceModel !== null) {
        fields.resourceModel = JSON.parse(JSON.stringify(invocation.answer)) as unknown;
    }
    if (invocation.answerList.length > 0 && Array.isArray(fields.resourceModels)) {
        fields.resourceModels = JSON.parse(JSON.stringify(invocation.answerList)) as unknown;
    }
    return answer;
}

/** A copy of the event whose resource properties the library's transform can take (see answerModel). */
function forLibrary(event: unknown, requestKey: string, propertyKeys: readonly string[]): unknown {
    const request = field(event, requestKey);
    if (typeof request !== 'object' || request === null) return event;
    const copy: Record<string, unknown> = { ...(request as Record<string, unknown>) };
    for (const key of propertyKeys) {
        if (key in copy) copy[key] = withoutTriggers(copy[key]);
    }
    return { ...(event as Record<string, unknown>), [requestKey]: copy };
}

const ACTIONS = new Set(['CREATE', 'READ', 'UPDATE', 'DELETE', 'LIST']);

/**
 * What the library would mishandle in a request envelope. Its log filter replaces every credential
 * value and the bearer token in each log line: an empty one (or one that turns into '') puts a marker
 * between every character of every line. Such a request is answered here, without the library.
 */
function envelopeProblem(event: unknown): string | undefined {
    const action = field(event, 'action');
    if (typeof action !== 'string' || !ACTIONS.has(action)) return 'the action is not one of CREATE, READ, UPDATE, DELETE, LIST';
    const token = field(event, 'bearerToken');
    if (token !== undefined && token !== null && (typeof token !== 'string' || token.length === 0)) {
        return 'the bearer token is not a non-empty string';
    }
    const requestData = field(event, 'requestData');
    if (typeof requestData !== 'object' || requestData === null || Array.isArray(requestData)) return 'requestData is not an object';
    for (const name of ['callerCredentials', 'providerCredentials']) {
        const credentials = field(requestData, name);
        if (credentials === undefined || credentials === null) continue;
        if (typeof credentials !== 'object' || Array.isArray(credentials)) return `${name} is not an object`;
        // Absent values (a session token of long-term keys) are fine; '' or anything that prints as '' is not.
        const values = ['accessKeyId', 'secretAccessKey', 'sessionToken'].map((key) => field(credentials, key));
        const printsEmpty = Object.values(credentials).some((value) => (Array.isArray(value) ? value.join('') === '' : value === ''));
        if (printsEmpty || values.some((value) => value !== undefined && value !== null && typeof value !== 'string')) {
            return `${name} holds a value that is not a non-empty string`;
        }
    }
    return undefined;
}

/** What Lambda invokes once the type is registered. */
export const entrypoint: typeof resource.entrypoint = async (event, context) => {
    const problem = envelopeProblem(event);
    if (problem) {
        return {
            status: OperationStatus.Failed,
            errorCode: HandlerErrorCode.InvalidRequest,
            message: `Malformed request: ${problem}.`,
            callbackDelaySeconds: 0,
        } as unknown as Awaited<ReturnType<typeof resource.entrypoint>>;
    }
    const requestData = field(event, 'requestData');
    beginInvocation(
        field(requestData, 'resourceProperties'),
        field(event, 'rollback'),
        field(requestData, 'callerCredentials'),
        field(requestData, 'providerCredentials'),
        field(event, 'bearerToken'),
    );
    try {
        return finishAnswer(
            await resource.entrypoint(forLibrary(event, 'requestData', ['resourceProperties', 'previousResourceProperties']), context),
        );
    } finally {
        closeGateways();
    }
};

/** The "TestEntrypoint" payload shape of the CloudFormation CLI's local testing. */
export const testEntrypoint: typeof resource.testEntrypoint = async (event, context) => {
    beginInvocation(field(field(event, 'request'), 'desiredResourceState'), false, field(event, 'credentials'));
    try {
        return finishAnswer(
            await resource.testEntrypoint(forLibrary(event, 'request', ['desiredResourceState', 'previousResourceState']), context),
        );
    } finally {
        closeGateways();
    }
};
