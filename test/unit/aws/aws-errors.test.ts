import { HandlerErrorCode } from '@amazon-web-services-cloudformation/cloudformation-cli-typescript-lib';
import { mapAwsError } from '../../../src/aws/aws-errors';
import { asRestartError } from '../../../src/restart/errors';

const sdkError = (name: string, httpStatusCode = 400, extra: Record<string, unknown> = {}) =>
    Object.assign(new Error(`${name} happened`), { name, $metadata: { httpStatusCode }, ...extra });

describe('mapAwsError', () => {
    it.each<[string, Error, HandlerErrorCode]>([
        ['ECS throttling', sdkError('ThrottlingException'), HandlerErrorCode.Throttling],
        ['EC2-style throttling', sdkError('RequestLimitExceeded'), HandlerErrorCode.Throttling],
        ['a 429', sdkError('Whatever', 429), HandlerErrorCode.Throttling],
        ['access denied', sdkError('AccessDeniedException'), HandlerErrorCode.AccessDenied],
        ['expired token', sdkError('ExpiredTokenException'), HandlerErrorCode.InvalidCredentials],
        ['a signature AWS does not accept', sdkError('InvalidSignatureException'), HandlerErrorCode.InvalidCredentials],
        ['a 5xx', sdkError('ServerException', 500, { $fault: 'server' }), HandlerErrorCode.ServiceInternalError],
        ['a dropped connection', Object.assign(new Error('reset'), { code: 'ECONNRESET' }), HandlerErrorCode.NetworkFailure],
        ['an SDK timeout', sdkError('TimeoutError', 0), HandlerErrorCode.NetworkFailure],
        ['a missing cluster', sdkError('ClusterNotFoundException'), HandlerErrorCode.InvalidRequest],
        ['an inactive service', sdkError('ServiceNotActiveException'), HandlerErrorCode.InvalidRequest],
        ['a missing parameter', sdkError('ParameterNotFound'), HandlerErrorCode.NotFound],
        ['an invalid parameter', sdkError('InvalidParameterException'), HandlerErrorCode.InvalidRequest],
        ['any other client error', sdkError('ClientException'), HandlerErrorCode.GeneralServiceException],
    ])('maps %s', (_label, error, code) => {
        expect(mapAwsError(error, 'ecs:UpdateService on service web').errorCode).toBe(code);
    });

    it('names the call and the service in the message', () => {
        expect(mapAwsError(sdkError('AccessDeniedException'), 'ecs:UpdateService on service web').message).toBe(
            'ecs:UpdateService on service web failed: AccessDeniedException: AccessDeniedException happened. ' +
                'Grant the permission to the role that CloudFormation uses for this resource type.',
        );
    });

    it('turns anything unexpected into InternalFailure with its message', () => {
        const error = asRestartError(new TypeError('x is undefined'));
        expect(error.errorCode).toBe(HandlerErrorCode.InternalFailure);
        expect(error.message).toBe('Unexpected error: TypeError: x is undefined');
    });
});
