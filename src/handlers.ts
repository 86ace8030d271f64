import {
    Action,
    BaseResource,
    LoggerProxy,
    OperationStatus,
    Optional,
    ProgressEvent,
    ResourceHandlerRequest,
    SessionProxy,
    HandlerErrorCode,
    handlerEvent,
} from '@amazon-web-services-cloudformation/cloudformation-cli-typescript-lib';
import { createHash, randomUUID } from 'crypto';
import { CallerCredentials, gatewaysFromCredentials } from './aws/clients';
import { RecordNotFoundError, TransientAwsError, asRestartError } from './restart/errors';
import { ResourceModel, TypeConfigurationModel } from './models';
import { AwsLocation, partitionOfRegion } from './restart/arns';
import { backoffDelaySeconds } from './restart/decide';
import type { RestartProgress } from './restart/progress';
import { RestartRecord, inputPropertiesOf, modelOf } from './restart/record';
import { INVOCATION_BUDGET_MS, RestartOutcome, RestartRequest, resumeRestart, startRestart } from './restart/restart-operation';
import { settingsFromModel } from './restart/settings';

/** What travels between invocations of one create or update. */
export interface CallbackContext extends Record<string, unknown> {
    /** Set once the operation has started. */
    progress?: RestartProgress;
    /** Set while the first step keeps meeting throttling or transient errors before anything started. */
    firstStep?: { id: string; token: string; attempts: number; deadline: number };
}

type Event = ProgressEvent<ResourceModel, CallbackContext>;
type Request = ResourceHandlerRequest<ResourceModel>;

function locationOf(request: Request): AwsLocation {
    const region = request.region ?? '';
    return { region, accountId: request.awsAccountId ?? '', partition: partitionOfRegion(region) };
}

function credentialsOf(session: Optional<SessionProxy>): CallerCredentials | undefined {
    return (session?.configuration as { credentials?: CallerCredentials } | undefined)?.credentials;
}

/**
 * The Id of a new resource. Derived from the request token so that a retried first step of the same
 * create finds the record it already wrote instead of restarting the services again.
 */
export function idForCreate(request: Request): string {
    if (!request.clientRequestToken) {
        return randomUUID();
    }
    const hash = createHash('sha256').update(`${request.awsAccountId}:${request.region}:${request.clientRequestToken}`).digest('hex');
    const variant = ((parseInt(hash[16], 16) & 0x3) | 0x8).toString(16);
    return `${hash.slice(0, 8)}-${hash.slice(8, 12)}-5${hash.slice(13, 16)}-${variant}${hash.slice(17, 20)}-${hash.slice(20, 32)}`;
}

function idOf(request: Request): string {
    const id = request.desiredResourceState?.id ?? request.previousResourceState?.id;
    if (!id) {
        throw new RecordNotFoundError('The request names no Id: there is no restart resource to act on.');
    }
    return id;
}

function failed(err: unknown): Event {
    const error = asRestartError(err);
    return ProgressEvent.failed<Event>(HandlerErrorCode[error.errorCode], error.message);
}

function eventOf(outcome: RestartOutcome): Event {
    switch (outcome.status) {
        case 'success': {
            const event = ProgressEvent.success<Event>(outcome.model);
            event.message = outcome.message;
            return event;
        }
        case 'failed':
            return ProgressEvent.failed<Event>(HandlerErrorCode[outcome.errorCode], outcome.message);
        case 'in-progress':
            return ProgressEvent.builder<Event>()
                .status(OperationStatus.InProgress)
                .resourceModel(outcome.model)
                .callbackContext({ progress: outcome.progress })
                .callbackDelaySeconds(outcome.delaySeconds)
                .message(outcome.message)
                .build();
    }
}

async function restart(
    action: 'CREATE' | 'UPDATE',
    session: Optional<SessionProxy>,
    request: Request,
    context: CallbackContext,
    logger: LoggerProxy,
): Promise<Event> {
    const invokedAt = Date.now();
    try {
        const here = locationOf(request);
        const settings = settingsFromModel(request.desiredResourceState, here);
        const firstStep = context.firstStep ?? {
            id: action === 'CREATE' ? idForCreate(request) : idOf(request),
            // Without a token (direct invocation) every first step is its own operation.
            token: request.clientRequestToken || randomUUID(),
            attempts: 0,
            deadline: invokedAt + settings.timeoutInMinutes * 60_000,
        };
        const id = context.progress?.id ?? firstStep.id;
        const gateways = gatewaysFromCredentials<RestartRecord>(credentialsOf(session), here.region);
        const restartRequest: RestartRequest = {
            action,
            id,
            token: context.progress?.token ?? firstStep.token,
            settings,
            properties: inputPropertiesOf(request.desiredResourceState as ResourceModel),
            deadline: firstStep.deadline,
        };
        const deps = {
            ...gateways,
            now: Date.now,
            log: (message: string) => logger.log(message),
            budgetEndsAt: invokedAt + INVOCATION_BUDGET_MS,
        };
        if (context.progress) {
            return eventOf(await resumeRestart(restartRequest, context.progress, deps));
        }
        try {
            return eventOf(await startRestart(restartRequest, deps));
        } catch (err) {
            const error = asRestartError(err);
            if (!(error instanceof TransientAwsError) || Date.now() >= firstStep.deadline) {
                throw error;
            }
            // Nothing was restarted yet (a restart would have produced progress): try the first step again later.
            const retry = { ...firstStep, attempts: firstStep.attempts + 1 };
            const delay = backoffDelaySeconds(retry.attempts, retry.deadline, Date.now());
            logger.log(`First step hit a transient error (${retry.attempts} in a row), retrying in ${delay} s: ${error.message}`);
            const model = new ResourceModel({ ...request.desiredResourceState, id });
            return ProgressEvent.builder<Event>()
                .status(OperationStatus.InProgress)
                .resourceModel(model)
                .callbackContext({ firstStep: retry })
                .callbackDelaySeconds(delay)
                .message(`Retrying after a transient AWS error: ${error.message}`)
                .build();
        }
    } catch (err) {
        return failed(err);
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
            const { records } = gatewaysFromCredentials<RestartRecord>(credentialsOf(session), locationOf(request).region);
            const record = await records.get(id);
            if (!record) {
                throw new RecordNotFoundError(`Restart resource ${id} does not exist (it was deleted or never created).`);
            }
            return ProgressEvent.success<Event>(modelOf(id, record));
        } catch (err) {
            return failed(err);
        }
    }

    /** Removes the record only: deleting the resource restarts nothing. */
    @handlerEvent(Action.Delete)
    public async delete(session: Optional<SessionProxy>, request: Request): Promise<Event> {
        try {
            const id = idOf(request);
            const { records } = gatewaysFromCredentials<RestartRecord>(credentialsOf(session), locationOf(request).region);
            await records.delete(id);
            return ProgressEvent.builder<Event>().status(OperationStatus.Success).build();
        } catch (err) {
            return failed(err);
        }
    }

    /** One page with every record: the library does not pass nextToken to handlers. */
    @handlerEvent(Action.List)
    public async list(session: Optional<SessionProxy>, request: Request): Promise<Event> {
        try {
            const { records } = gatewaysFromCredentials<RestartRecord>(credentialsOf(session), locationOf(request).region);
            const models = (await records.list()).map(({ id, record }) => modelOf(id, record));
            return ProgressEvent.builder<Event>().status(OperationStatus.Success).resourceModels(models).build();
        } catch (err) {
            return failed(err);
        }
    }
}

export const resource = new Resource(ResourceModel.TYPE_NAME, ResourceModel, undefined, undefined, TypeConfigurationModel);

/**
 * The library sets the caller session only when a request carries credentials and otherwise keeps
 * the one of the previous invocation in the same (warm) Lambda container, so a request without
 * credentials would act with someone else's. Each invocation starts from none.
 */
function withoutStaleSession<F extends (...args: never[]) => unknown>(invoke: F): F {
    return ((...args: Parameters<F>) => {
        Reflect.set(resource, 'callerSession', undefined);
        return invoke(...args);
    }) as F;
}

/** What Lambda invokes once the type is registered. */
export const entrypoint = withoutStaleSession(resource.entrypoint);

/** The "TestEntrypoint" payload shape of the CloudFormation CLI's local testing. */
export const testEntrypoint = withoutStaleSession(resource.testEntrypoint);
