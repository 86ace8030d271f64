/**
 * The CloudFormation handler error codes this type reports. Their spelling is the protocol's
 * (HandlerErrorCode of the handler library); the domain names them without depending on the library.
 */
export type ErrorCode =
    | 'InvalidRequest'
    | 'NotFound'
    | 'AccessDenied'
    | 'InvalidCredentials'
    | 'NotStabilized'
    | 'Throttling'
    | 'ServiceInternalError'
    | 'NetworkFailure'
    | 'GeneralServiceException'
    | 'InternalFailure';

/**
 * Every failure the handlers report is one of these. Each carries the CloudFormation error code it
 * maps to, so no FAILED event can leave without one.
 */
export abstract class RestartError extends Error {
    abstract readonly errorCode: ErrorCode;

    constructor(message: string) {
        super(message);
        this.name = new.target.name;
    }
}

/** The input is wrong in a way the caller must fix; nothing was changed. */
export class InvalidInputError extends RestartError {
    readonly errorCode = 'InvalidRequest' as const;
}

/** The restart record does not exist (never created, or deleted). */
export class RecordNotFoundError extends RestartError {
    readonly errorCode = 'NotFound' as const;
}

export class AccessDeniedError extends RestartError {
    readonly errorCode = 'AccessDenied' as const;
}

export class MissingCredentialsError extends RestartError {
    readonly errorCode = 'InvalidCredentials' as const;
}

/** AWS refused the caller credentials (expired, or a signature it does not accept). */
export class InvalidCredentialsError extends RestartError {
    readonly errorCode = 'InvalidCredentials' as const;
}

/** The new deployments did not become healthy, failed, or ran out of time. */
export class NotStabilizedError extends RestartError {
    readonly errorCode = 'NotStabilized' as const;
}

/**
 * A failure that may go away by itself (throttling, a 5xx, a dropped connection). The operation
 * backs off inside IN_PROGRESS and reports it with its own code only once the deadline has passed.
 */
export class TransientAwsError extends RestartError {
    constructor(
        message: string,
        readonly errorCode: 'Throttling' | 'ServiceInternalError' | 'NetworkFailure',
        /**
         * True when the call may have reached AWS and done its work although no answer came back (a
         * dropped connection, a timeout, a 5xx); false when AWS answered that it refused it (throttling).
         */
        readonly outcomeUnknown = false,
    ) {
        super(message);
    }
}

/** ECS refused an operation for a reason that retrying will not fix. */
export class AwsServiceError extends RestartError {
    readonly errorCode = 'GeneralServiceException' as const;
}

/** The ECS service-deployments API is missing (older endpoint, emulator) or not allowed. */
export class ServiceDeploymentsUnavailableError extends RestartError {
    readonly errorCode = 'InternalFailure' as const;
}

/** A create-only write found a record already there (a concurrent first step of the same request). */
export class RecordExistsError extends RestartError {
    readonly errorCode = 'InternalFailure' as const;
}

/** A stored record that this type did not write, or that was edited: never trusted. */
export class UnreadableRecordError extends RestartError {
    readonly errorCode = 'InternalFailure' as const;
}

/**
 * This invocation has used its time: the work goes on in the next one. Not a failure: the operation
 * answers IN_PROGRESS with a short delay.
 */
export class InvocationBudgetSpentError extends RestartError {
    readonly errorCode = 'InternalFailure' as const;
}

export class InternalError extends RestartError {
    readonly errorCode = 'InternalFailure' as const;
}

export function asRestartError(err: unknown): RestartError {
    if (err instanceof RestartError) {
        return err;
    }
    const detail = err instanceof Error ? `${err.name}: ${err.message}` : String(err);
    return new InternalError(`Unexpected error: ${detail}`);
}
