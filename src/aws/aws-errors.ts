import {
    AccessDeniedError,
    AwsServiceError,
    InvalidCredentialsError,
    InvalidInputError,
    RecordNotFoundError,
    RestartError,
    TransientAwsError,
} from '../restart/errors';

/** The fields of an AWS SDK v3 error this mapping reads; SDK errors are plain objects at run time. */
interface SdkErrorShape {
    name?: string;
    message?: string;
    code?: string;
    $fault?: 'client' | 'server';
    $metadata?: { httpStatusCode?: number };
}

const THROTTLING_NAMES = new Set([
    'ThrottlingException',
    'Throttling',
    'TooManyRequestsException',
    'RequestLimitExceeded',
    'ThrottledException',
    'RequestThrottled',
    'RequestThrottledException',
    'SlowDown',
    'PriorRequestNotComplete',
]);

const ACCESS_DENIED_NAMES = new Set(['AccessDeniedException', 'AccessDenied', 'UnauthorizedOperation']);

// AWS refused the request's credentials themselves (not a missing permission): the caller's session
// expired, or the request was signed with something AWS does not know.
const CREDENTIALS_REJECTED_NAMES = new Set([
    'InvalidSignatureException',
    'SignatureDoesNotMatch',
    'IncompleteSignature',
    'IncompleteSignatureException',
    'MissingAuthenticationToken',
    'MissingAuthenticationTokenException',
    'UnrecognizedClientException',
    'InvalidClientTokenId',
    'ExpiredTokenException',
    'ExpiredToken',
    'RequestExpired',
]);

const NETWORK_ERROR_CODES = new Set(['ECONNRESET', 'ECONNREFUSED', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EAI_AGAIN']);

export function isThrottling(err: SdkErrorShape): boolean {
    return THROTTLING_NAMES.has(err.name ?? '') || err.$metadata?.httpStatusCode === 429;
}

export function isCredentialsRejected(err: SdkErrorShape): boolean {
    return CREDENTIALS_REJECTED_NAMES.has(err.name ?? '');
}

export function isAccessDenied(err: SdkErrorShape): boolean {
    return !isCredentialsRejected(err) && (ACCESS_DENIED_NAMES.has(err.name ?? '') || err.$metadata?.httpStatusCode === 403);
}

// Without an HTTP answer, the SDK wraps what the socket reported: "AWS SDK error wrapper for
// TimeoutError: read ECONNRESET", with no code of its own.
const NETWORK_MESSAGE = /AWS SDK error wrapper for|ECONNRESET|ECONNREFUSED|ETIMEDOUT|EPIPE|socket hang up/;

function isNetworkFailure(err: SdkErrorShape): boolean {
    return (
        NETWORK_ERROR_CODES.has(err.code ?? '') ||
        err.name === 'TimeoutError' ||
        err.name === 'RequestTimeout' ||
        err.name === 'AbortError' ||
        (err.$metadata?.httpStatusCode === undefined && NETWORK_MESSAGE.test(err.message ?? ''))
    );
}

/**
 * Translates an AWS SDK error into the domain error the handlers report. `call` names the API call
 * and what it concerned (e.g. "ecs:UpdateService on service web"), so every message says which
 * service it is about.
 */
export function mapAwsError(err: unknown, call: string): RestartError {
    if (err instanceof RestartError) {
        return err;
    }
    const sdkError = (typeof err === 'object' && err !== null ? err : {}) as SdkErrorShape;
    const name = sdkError.name ?? 'Error';
    const detail = `${call} failed: ${name}: ${sdkError.message ?? String(err)}`;
    if (isCredentialsRejected(sdkError)) {
        // AWS quotes the canonical request (with the session token) in signature errors: say only what happened.
        return new InvalidCredentialsError(
            `${call} failed: ${name}: AWS did not accept the caller credentials that CloudFormation passed (expired or invalid).`,
        );
    }
    if (isThrottling(sdkError)) {
        return new TransientAwsError(detail, 'Throttling');
    }
    if (isAccessDenied(sdkError)) {
        return new AccessDeniedError(`${detail}. Grant the permission to the role that CloudFormation uses for this resource type.`);
    }
    if (isNetworkFailure(sdkError)) {
        // No answer came back: the request may have reached AWS and done its work.
        return new TransientAwsError(detail, 'NetworkFailure', true);
    }
    const status = sdkError.$metadata?.httpStatusCode ?? 0;
    if (sdkError.$fault === 'server' || status >= 500) {
        // A 5xx says nothing certain about whether the work was done.
        return new TransientAwsError(detail, 'ServiceInternalError', true);
    }
    if (name === 'ParameterNotFound') {
        return new RecordNotFoundError(detail);
    }
    if (name === 'ClusterNotFoundException') {
        return new InvalidInputError(`${detail}. Check Cluster: it must name an existing cluster of this account and region.`);
    }
    if (name === 'ServiceNotFoundException' || name === 'ServiceNotActiveException') {
        return new InvalidInputError(`${detail}. Check Services: each must be an ACTIVE service of Cluster.`);
    }
    if (name === 'InvalidParameterException' || name === 'ValidationException') {
        return new InvalidInputError(detail);
    }
    return new AwsServiceError(detail);
}
