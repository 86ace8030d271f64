import { join } from 'path';
import { LambdaServer, startLambdaServer } from '../../tools/local/lambda-server';
import { invokeFunction } from '../../tools/local/lambda-process';

const codeDirectory = join(__dirname, '..', 'fixtures', 'lambda-code');
let server: LambdaServer;

beforeAll(async () => {
    server = await startLambdaServer({
        codeDirectory,
        functions: { TypeFunction: 'handlers.entrypoint', Throws: 'handlers.throws', Hangs: 'handlers.hangs' },
        timeoutSeconds: 1,
        log: () => undefined,
    });
});

afterAll(() => server.close());

describe('the Lambda-Invoke-compatible server', () => {
    it('returns the handler result as the payload', async () => {
        const { payload, functionError } = await invokeFunction(server.url, 'TypeFunction', { action: 'READ' });
        expect(functionError).toBeUndefined();
        expect(payload).toEqual({ status: 'SUCCESS', echoed: { action: 'READ' }, callbackDelaySeconds: 0 });
    });

    it('answers a thrown error with X-Amz-Function-Error and a FAILED progress event', async () => {
        const { payload, functionError } = await invokeFunction(server.url, 'Throws', {});
        expect(functionError).toBe('Unhandled');
        expect(payload).toMatchObject({
            status: 'FAILED',
            errorCode: 'InternalFailure',
            message: expect.stringContaining('TypeError: boom'),
        });
    });

    it('answers a handler that outlives the timeout instead of hanging', async () => {
        const { payload, functionError } = await invokeFunction(server.url, 'Hangs', {});
        expect(functionError).toBe('Unhandled');
        expect(payload.message).toContain('Task timed out after 1.00 seconds');
    });

    it('answers an unknown function with 404 ResourceNotFoundException', async () => {
        const response = await fetch(`${server.url}/2015-03-31/functions/Nope/invocations`, { method: 'POST', body: '{}' });
        expect(response.status).toBe(404);
        expect(response.headers.get('x-amzn-errortype')).toBe('ResourceNotFoundException');
    });

    it('answers a body that is not JSON with 400 InvalidRequestContentException', async () => {
        const response = await fetch(`${server.url}/2015-03-31/functions/TypeFunction/invocations`, { method: 'POST', body: '{nope' });
        expect(response.status).toBe(400);
        expect(response.headers.get('x-amzn-errortype')).toBe('InvalidRequestContentException');
    });
});
