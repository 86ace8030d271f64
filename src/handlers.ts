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
import { AwsGateways, CallerCredentials, gatewaysFromCredentials } from './aws/clients';
import type { PacingHint } from './aws/pacing';
import { parseResourceProperties } from './input/resource-properties';
import { ResourceModel, TypeConfigurationModel } from './models';
import { protocolEntrypoints } from './protocol/entrypoints';
import { currentInvocation } from './protocol/invocation';
import { AwsLocation, partitionOfRegion } from './restart/request/arns';
import { RecordNotFoundError, RestartError, asRestartError } from './restart/errors';
import { INVOCATION_BUDGET_MS, RestartOutcome, runRestart, stackRollbackMessage } from './restart/operation/operation';
import type { OperationContext } from './restart/operation/progress';
import { identifyRestart, isListedResource, requireResourceId } from './restart/operation/resource-request';
import { inputPropertiesOf, resourcePropertiesOf } from './restart/operation/record';
import { redact } from './restart/text/redaction';
import { settingsFromProperties } from './restart/request/settings';

/**
 * What travels between invocations of one create or update: the operation's own state, or nothing
 * yet, and beside it how slowly the ECS calls should start (the adapters' pacing hint, which the
 * domain never reads).
 */
export type CallbackContext = Partial<OperationContext> & { ecsPacing?: PacingHint };

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

function gatewaysOf(session: Optional<SessionProxy>, request: Request, pacingHint?: unknown): Omit<AwsGateways, 'close'> {
    const invocation = currentInvocation();
    const gateways = gatewaysFromCredentials(credentialsOf(session), locationOf(request).region, invocation.startedAt, Date.now, {
        budgetEndsAt: invocation.startedAt + INVOCATION_BUDGET_MS,
        sleep: (ms) => invocationTimers.sleep(ms),
        hint: pacingHint,
    });
    invocation.closeWhenAnswered(() => gateways.close());
    return { ecs: gateways.ecs, records: gateways.records, pacingHint: gateways.pacingHint };
}

/** The Id a read or delete acts on (see requireResourceId). */
function idOf(request: Request): string {
    return requireResourceId(request.desiredResourceState?.id, request.previousResourceState?.id);
}

function redacted(text: string): string {
    return redact(text, currentInvocation().secrets);
}

function failed(error: RestartError): Event {
    return ProgressEvent.failed<Event>(HandlerErrorCode[error.errorCode], error.message);
}

function eventOf(outcome: RestartOutcome, pacingHint: () => PacingHint | undefined = () => undefined): Event {
    switch (outcome.kind) {
        case 'success': {
            const event = ProgressEvent.success<Event>(currentInvocation().answers.storeAnswer(outcome.properties));
            event.message = outcome.message;
            return event;
        }
        case 'failed':
            return ProgressEvent.failed<Event>(HandlerErrorCode[outcome.errorCode], outcome.message);
        case 'in-progress':
            return ProgressEvent.builder<Event>()
                .status(OperationStatus.InProgress)
                .resourceModel(currentInvocation().answers.storeAnswer(outcome.properties))
                .callbackContext(withPacingHint(outcome.context, pacingHint()))
                .callbackDelaySeconds(outcome.delaySeconds)
                .message(outcome.message)
                .build();
    }
}

/** The hint travels only after ECS calls were made: the context stays as it was otherwise. */
function withPacingHint(context: OperationContext, hint: PacingHint | undefined): CallbackContext {
    return hint ? { ...context, ecsPacing: hint } : context;
}

/** Create and update: parse, run the restart operation, map its outcome to a ProgressEvent. */
async function restart(
    action: 'CREATE' | 'UPDATE',
    session: Optional<SessionProxy>,
    request: Request,
    context: CallbackContext,
    logger: LoggerProxy,
): Promise<Event> {
    const invocation = currentInvocation();
    const stackRollback = action === 'UPDATE' && invocation.stackRollback;
    try {
        const here = locationOf(request);
        // Checked in the raw form CloudFormation sent, against the schema file itself.
        const properties = parseResourceProperties(
            invocation.rawProperties ?? request.desiredResourceState?.serialize(),
        ) as unknown as Record<string, unknown>;
        const settings = settingsFromProperties(properties, here);
        const { id, tokenDigest, operation } = identifyRestart({
            action,
            desiredId: request.desiredResourceState?.id,
            previousId: request.previousResourceState?.id,
            requestToken: request.clientRequestToken,
            context,
            here,
            settings,
            now: Date.now(),
        });
        const { pacingHint, ...gateways } = gatewaysOf(session, request, context.ecsPacing);
        const outcome = await runRestart(
            {
                action,
                id,
                tokenDigest,
                settings,
                properties: inputPropertiesOf(properties),
                stackRollback,
            },
            operation,
            {
                ...gateways,
                now: Date.now,
                log: (message: string) => logger.log(redacted(message)),
                budgetEndsAt: invocation.startedAt + INVOCATION_BUDGET_MS,
                sleep: (ms: number) => invocationTimers.sleep(ms),
            },
        );
        return eventOf(outcome, pacingHint);
    } catch (err) {
        const error = asRestartError(err);
        if (!stackRollback) return failed(error);
        // The properties could not even be read: the model goes back as CloudFormation sent it.
        const event = ProgressEvent.success<Event>(request.desiredResourceState ?? new ResourceModel());
        event.message = stackRollbackMessage(error);
        return event;
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
            return ProgressEvent.success<Event>(currentInvocation().answers.storeAnswer(resourcePropertiesOf(id, record)));
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
                } else if (isListedResource(entry.record)) {
                    models.push(currentInvocation().answers.storeListEntry(resourcePropertiesOf(entry.id, entry.record)));
                }
            }
            return ProgressEvent.builder<Event>().status(OperationStatus.Success).resourceModels(models).build();
        } catch (err) {
            return failed(asRestartError(err));
        }
    }
}

export const resource = new Resource(ResourceModel.TYPE_NAME, ResourceModel, undefined, undefined, TypeConfigurationModel);

const entrypoints = protocolEntrypoints(resource);

/** What Lambda invokes once the type is registered. */
export const entrypoint: typeof resource.entrypoint = entrypoints.entrypoint;

/** The "TestEntrypoint" payload shape of the CloudFormation CLI's local testing. */
export const testEntrypoint: typeof resource.testEntrypoint = entrypoints.testEntrypoint;
