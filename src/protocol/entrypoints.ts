import { BaseResource } from '@amazon-web-services-cloudformation/cloudformation-cli-typescript-lib';
import { redact } from '../restart/text/redaction';
import { forgetCallerSession } from './caller-session';
import { secretValuesOf } from './credentials';
import { envelopeProblem, field, malformedRequestAnswer } from './envelope';
import { Invocation, runInvocation } from './invocation';
import { eventForLibrary } from './triggers';

type Entrypoint = BaseResource<any, any>['entrypoint'];
type TestEntrypoint = BaseResource<any, any>['testEntrypoint'];

/**
 * The answer as this handler computed it: the exact models (triggers.ts), and the message through
 * redaction. Every answer leaves through here (the library's own FAILED events too), so this is the one
 * place it is done.
 */
function finishAnswer<T>(answer: T, invocation: Invocation): T {
    if (typeof answer !== 'object' || answer === null) return answer;
    const fields = answer as Record<string, unknown>;
    if (typeof fields.message === 'string') fields.message = redact(fields.message, invocation.secrets);
    invocation.answers.putInto(fields);
    return answer;
}

/** Runs the library's entrypoint within `invocation` and finishes its answer. */
function answerWithin<T>(invocation: Invocation, libraryEntrypoint: () => Promise<T>): Promise<T> {
    return runInvocation(invocation, async () => finishAnswer(await libraryEntrypoint(), invocation));
}

/**
 * What Lambda invokes (`entrypoint`) and the CloudFormation CLI's local "TestEntrypoint" payload
 * (`testEntrypoint`), around the library's own: each reads the raw event into a new Invocation before
 * the library transforms it, and finishes the library's answer.
 */
export function protocolEntrypoints(resource: BaseResource<any, any>): { entrypoint: Entrypoint; testEntrypoint: TestEntrypoint } {
    const entrypoint: Entrypoint = async (event, context) => {
        const problem = envelopeProblem(event);
        if (problem) return malformedRequestAnswer(problem) as unknown as Awaited<ReturnType<Entrypoint>>;
        const requestData = field(event, 'requestData');
        forgetCallerSession(resource);
        const invocation = new Invocation(
            field(requestData, 'resourceProperties'),
            field(event, 'rollback') === true,
            secretValuesOf(field(requestData, 'callerCredentials'), field(requestData, 'providerCredentials'), field(event, 'bearerToken')),
        );
        return answerWithin(invocation, () =>
            resource.entrypoint(eventForLibrary(event, 'requestData', ['resourceProperties', 'previousResourceProperties']), context),
        );
    };

    const testEntrypoint: TestEntrypoint = async (event, context) => {
        forgetCallerSession(resource);
        const invocation = new Invocation(
            field(field(event, 'request'), 'desiredResourceState'),
            false,
            secretValuesOf(field(event, 'credentials')),
        );
        return answerWithin(invocation, () =>
            resource.testEntrypoint(eventForLibrary(event, 'request', ['desiredResourceState', 'previousResourceState']), context),
        );
    };

    return { entrypoint, testEntrypoint };
}
