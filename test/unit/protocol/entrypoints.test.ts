/**
 * Every answer leaves through the exported entrypoints: whatever the library or a handler put in its
 * message, no credential value of the request and no bearer token is in what goes back.
 */
import type { BaseResource } from '@amazon-web-services-cloudformation/cloudformation-cli-typescript-lib';
import { protocolEntrypoints } from '../../../src/protocol/entrypoints';

const CALLER = { accessKeyId: 'AKIDCALLER', secretAccessKey: 'caller-secret', sessionToken: 'caller-session' };
const PROVIDER = { accessKeyId: 'AKIDPROVIDER', secretAccessKey: 'provider-secret', sessionToken: 'provider-session' };
const BEARER = 'bearer-token-value';
const ALL = [...Object.values(CALLER), ...Object.values(PROVIDER), BEARER];

/** A library resource whose answers quote every secret value it was given (as an AWS error text may). */
function echoingResource(): BaseResource<any, any> {
    const answer = () => Promise.resolve({ status: 'FAILED', errorCode: 'AccessDenied', message: `denied for ${ALL.join(' / ')}` });
    return { entrypoint: answer, testEntrypoint: answer } as unknown as BaseResource<any, any>;
}

const lambdaEvent = (requestData: Record<string, unknown>, bearerToken?: string) => ({
    action: 'CREATE',
    ...(bearerToken ? { bearerToken } : {}),
    requestData: { resourceProperties: { Cluster: 'prod', Services: ['web'] }, ...requestData },
});

describe('protocolEntrypoints', () => {
    const context = { getRemainingTimeInMillis: () => 60_000 } as never;

    it.each([
        ['caller credentials', { callerCredentials: CALLER }, undefined, Object.values(CALLER)],
        ['provider credentials', { providerCredentials: PROVIDER, providerLogGroupName: 'g' }, undefined, Object.values(PROVIDER)],
        ['bearer token', {}, BEARER, [BEARER]],
    ])('entrypoint: the answer carries none of the %s', async (_label, requestData, bearer, secrets) => {
        const { entrypoint } = protocolEntrypoints(echoingResource());

        const answer = (await entrypoint(lambdaEvent(requestData, bearer), context)) as unknown as { message: string };

        expect(answer.message).toMatch(/^denied for /);
        for (const secret of secrets) expect(answer.message).not.toContain(secret);
    });

    it('testEntrypoint: the answer carries none of the credentials of the CLI payload', async () => {
        const { testEntrypoint } = protocolEntrypoints(echoingResource());
        const payload = { credentials: CALLER, action: 'CREATE', request: { desiredResourceState: { Cluster: 'prod' } } };

        const answer = (await testEntrypoint(payload, context)) as unknown as { message: string };

        expect(answer.message).toMatch(/^denied for /);
        for (const secret of Object.values(CALLER)) expect(answer.message).not.toContain(secret);
    });

    it('keeps no secret of an earlier invocation: the next one redacts with its own only', async () => {
        const { entrypoint } = protocolEntrypoints(echoingResource());
        await entrypoint(lambdaEvent({ callerCredentials: CALLER }), context);

        const answer = (await entrypoint(
            lambdaEvent({ callerCredentials: { accessKeyId: 'AKIDNEXT', secretAccessKey: 'next' } }),
            context,
        )) as unknown as {
            message: string;
        };

        expect(answer.message).toContain(CALLER.secretAccessKey);
    });

    it('answers a malformed envelope itself, naming the problem, without calling the library', async () => {
        const resource = echoingResource();
        const called = jest.spyOn(resource, 'entrypoint');
        const { entrypoint } = protocolEntrypoints(resource);

        const answer = await entrypoint({ action: 'EXPLODE', requestData: {} }, context);

        expect(answer).toMatchObject({
            status: 'FAILED',
            errorCode: 'InvalidRequest',
            message: expect.stringContaining('the action is not one of'),
        });
        expect(called).not.toHaveBeenCalled();
    });
});
