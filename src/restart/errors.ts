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
