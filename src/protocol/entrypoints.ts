import { BaseResource } from '@amazon-web-services-cloudformation/cloudformation-cli-typescript-lib';
import { forgetSigningKeys } from '../aws/signing-keys';
import { redact } from '../restart/text/redaction';
import { secretValuesOf } from './credentials';
import { envelopeProblem, field, malformedRequestAnswer } from './envelope';
import { Invocation, runInvocation } from './invocation';
import { forgetInvocationState, installBufferedRuntime } from './library-runtime';
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

/**
 * Runs the library's entrypoint within `invocation`, finishes its answer, delivers the provider's log
 * lines and metrics (bounded, see provider-delivery.ts), and leaves nothing of the invocation on the
 * resource: a warm container's next invocation may be another caller's.
 */
function answerWithin<T>(resource: BaseResource<any, any>, invocation: Invocation, libraryEntrypoint: () => Promise<T>): Promise<T> {
    // Lambda gives a container one invocation at a time; a process that runs several at once (the
    // benchmark's shared account drives several resources through one module) forgets the state only
    // when the last of them has answered, so that none loses the runtime another one is still using.
    if (invocationsRunning === 0) forgetInvocationState(resource);
    invocationsRunning += 1;
    return runInvocation(invocation, async () => {
        try {
            const answer = finishAnswer(await libraryEntrypoint(), invocation);
            await invocation.providerOutput.deliver(invocation.startedAt, (line) => console.log(redact(line, invocation.secrets)));
            return answer;
        } finally {
            invocationsRunning -= 1;
            if (invocationsRunning === 0) {
                forgetInvocationState(resource);
                forgetSigningKeys();
            }
        }
    });
}

let invocationsRunning = 0;

/**
 * What Lambda invokes (`entrypoint`) and the CloudFormation CLI's local "TestEntrypoint" payload
 * (`testEntrypoint`), around the library's own: each reads the raw event into a new Invocation before
 * the library transforms it, and finishes the library's answer.
 */
export function protocolEntrypoints(resource: BaseResource<any, any>): { entrypoint: Entrypoint; testEntrypoint: TestEntrypoint } {
    installBufferedRuntime(resource);
    const entrypoint: Entrypoint = async (event, context) => {
        const problem = envelopeProblem(event);
        if (problem) return malformedRequestAnswer(problem) as unknown as Awaited<ReturnType<Entrypoint>>;
        const requestData = field(event, 'requestData');
        const invocation = new Invocation(
            field(requestData, 'resourceProperties'),
            field(event, 'rollback') === true,
            secretValuesOf(field(requestData, 'callerCredentials'), field(requestData, 'providerCredentials'), field(event, 'bearerToken')),
        );
        return answerWithin(resource, invocation, () =>
            resource.entrypoint(eventForLibrary(event, 'requestData', ['resourceProperties', 'previousResourceProperties']), context),
        );
    };

    const testEntrypoint: TestEntrypoint = async (event, context) => {
        const invocation = new Invocation(
            field(field(event, 'request'), 'desiredResourceState'),
            false,
            secretValuesOf(field(event, 'credentials')),
        );
        return answerWithin(resource, invocation, () =>
            resource.testEntrypoint(eventForLibrary(event, 'request', ['desiredResourceState', 'previousResourceState']), context),
        );
    };

    return { entrypoint, testEntrypoint };
}
