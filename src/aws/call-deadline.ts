/**
 * Every AWS call of an invocation ends by a hard deadline, whatever the network does: the SDK's own
 * request timeout only warns unless told to throw, covers one attempt, and knows nothing of the
 * 60-second handler contract. Each call gets an abort signal that fires at the earlier of its own
 * limit and the invocation's deadline.
 */
export interface CallDeadline {
    /** Epoch ms after which no AWS call of this invocation may still be running. */
    invocationDeadline: number;
    /** The longest one call (all its attempts) may take. */
    perCallMs: number;
    now: () => number;
}

/** The options to pass as the second argument of `client.send`. */
export function callOptions(deadline: CallDeadline): { abortSignal: AbortSignal } {
    const remaining = deadline.invocationDeadline - deadline.now();
    return { abortSignal: AbortSignal.timeout(Math.max(1, Math.min(deadline.perCallMs, remaining))) };
}
