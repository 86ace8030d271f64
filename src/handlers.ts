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
import { CallerCredentials, gatewaysFromCredentials } from './aws/clients';
import { ResourceModel, TypeConfigurationModel } from './models';
import { AwsLocation, partitionOfRegion } from './restart/arns';
import { RecordNotFoundError, RestartError, asRestartError } from './restart/errors';
import { idForCreate } from './restart/identity';
import { INVOCATION_BUDGET_MS, RestartOutcome, runRestart } from './restart/operation';
import type { OperationContext } from './restart/progress';
import { inputPropertiesOf, resourcePropertiesOf } from './restart/record';
import { settingsFromProperties } from './restart/settings';

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

function gatewaysOf(session: Optional<SessionProxy>, request: Request) {
    return gatewaysFromCredentials(credentialsOf(session), locationOf(request).region);
}

/** The properties as the template named them (the generated model's serialized form). */
function propertiesOf(model: ResourceModel | undefined | null): Record<string, unknown> | undefined {
    return model ? (model.serialize() as Record<string, unknown>) : undefined;
}

function idOf(request: Request): string {
    const id = request.desiredResourceState?.id ?? request.previousResourceState?.id;
    if (!id) {
        throw new RecordNotFoundError('The request names no Id: there is no restart resource to act on.');
    }
    return id;
}

function contextOf(context: CallbackContext): OperationContext | undefined {
    return context.stage === 'preparing' || context.stage === 'restarting' ? (context as OperationContext) : undefined;
}

function failed(error: RestartError): Event {
    return ProgressEvent.failed<Event>(HandlerErrorCode[error.errorCode], error.message);
}

function eventOf(outcome: RestartOutcome): Event {
    switch (outcome.status) {
        case 'success': {
            const event = ProgressEvent.success<Event>(ResourceModel.deserialize(outcome.properties));
            event.message = outcome.message;
            return event;
        }
        case 'failed':
            return ProgressEvent.failed<Event>(HandlerErrorCode[outcome.errorCode], outcome.message);
        case 'in-progress':
            return ProgressEvent.builder<Event>()
                .status(OperationStatus.InProgress)
                .resourceModel(ResourceModel.deserialize(outcome.properties))
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
    const invokedAt = Date.now();
    try {
        const here = locationOf(request);
        const properties = propertiesOf(request.desiredResourceState);
        const settings = settingsFromProperties(properties, here);
        const operation = contextOf(context);
        const outcome = await runRestart(
            {
                action,
                id:
                    operation?.id ??
                    (action === 'CREATE' ? idForCreate(here.accountId, here.region, request.clientRequestToken) : idOf(request)),
                // Without a token (direct invocation) every first step is its own operation.
                token: operation?.token ?? (request.clientRequestToken || randomUUID()),
                settings,
                properties: inputPropertiesOf(properties ?? {}),
            },
            operation,
            {
                ...gatewaysOf(session, request),
                now: Date.now,
                log: (message: string) => logger.log(message),
                budgetEndsAt: invokedAt + INVOCATION_BUDGET_MS,
            },
        );
        return eventOf(outcome);
    } catch (err) {
        return failed(asRestartError(err));
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
            return ProgressEvent.success<Event>(ResourceModel.deserialize(resourcePropertiesOf(id, record)));
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
    public async list(session: Optional<SessionProxy>, request: Request): Promise<Event> {
        try {
            const records = await gatewaysOf(session, request).records.list();
            const models = records.map(({ id, record }) => ResourceModel.deserialize(resourcePropertiesOf(id, record)));
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

/** What Lambda invokes once the type is registered. */
export const entrypoint: typeof resource.entrypoint = (event, context) => {
    forgetCallerSession();
    return resource.entrypoint(event, context);
};

/** The "TestEntrypoint" payload shape of the CloudFormation CLI's local testing. */
export const testEntrypoint: typeof resource.testEntrypoint = (event, context) => {
    forgetCallerSession();
    return resource.testEntrypoint(event, context);
};
