import { mapAwsError } from './aws-errors';
import { CallDeadline, callOptions } from './call-deadline';

/** Turns what an SDK call threw into a domain error naming the call. */
export type ErrorMapping = (err: unknown, call: string) => Error;

/**
 * The one way the adapters call AWS: every command gets the invocation's hard deadline (an abort
 * signal) and has its failure mapped to a domain error naming the call, so neither can be forgotten
 * on one copy. `send` receives the options to hand to `client.send`.
 */
export async function callAws<T>(
    deadline: CallDeadline,
    call: string,
    send: (options: { abortSignal: AbortSignal }) => Promise<T>,
    mapError: ErrorMapping = mapAwsError,
): Promise<T> {
    try {
        return await send(callOptions(deadline));
    } catch (err) {
        throw mapError(err, call);
    }
}
