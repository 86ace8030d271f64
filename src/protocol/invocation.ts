import { AsyncLocalStorage } from 'async_hooks';
import { redact } from '../restart/text/redaction';
import { ProviderOutput } from './provider-delivery';
import { AnswerModels } from './triggers';

/**
 * What one invocation reads from its raw event before the handler library transforms it, and what it
 * must undo when it answers.
 *
 * Why it exists: the library (`BaseResource.entrypoint` in
 * node_modules/@amazon-web-services-cloudformation/cloudformation-cli-typescript-lib/dist/resource.js)
 * calls a handler with (session, request, callbackContext, logger) only: the raw resource properties
 * (its model transform reshapes and drops values), the top-level `rollback` flag and the request's
 * secret values never reach it. The exported entrypoints hand them over through an AsyncLocalStorage,
 * one store per invocation, so that nothing of one caller is left in module state for the next one a
 * warm Lambda container serves.
 */
export class Invocation {
    readonly startedAt: number;
    /** The models this invocation answers with, exactly as computed (see triggers.ts). */
    readonly answers = new AnswerModels();
    /** The log lines and metrics for the type's log group and CloudWatch, delivered after the work. */
    readonly providerOutput: ProviderOutput;
    private readonly closers: Array<() => void> = [];

    constructor(
        /** resourceProperties (or the test payload's desiredResourceState) as CloudFormation sent them. */
        readonly rawProperties: unknown,
        /** The request's top-level `rollback` flag: this update is made by a stack rollback. */
        readonly stackRollback: boolean,
        /** Credential values and the bearer token: no message or log line may carry them. */
        readonly secrets: readonly string[],
        now: () => number = Date.now,
    ) {
        this.startedAt = now();
        this.providerOutput = new ProviderOutput((text) => redact(text, this.secrets));
    }

    /** Runs `close` when the invocation has answered (the SDK clients built from its credentials). */
    closeWhenAnswered(close: () => void): void {
        this.closers.push(close);
    }

    end(): void {
        for (const close of this.closers.splice(0)) close();
    }
}

/**
 * The store is a holder, emptied when the invocation ends: a handle created during an invocation (a
 * pipe written to for the first time, a pooled socket, a timer) keeps the store of its creation for
 * as long as it lives, and with it everything the invocation held, its caller's secrets included.
 */
const current = new AsyncLocalStorage<{ invocation?: Invocation }>();

/** Runs one invocation's work with `invocation` as the one `currentInvocation()` returns, then ends it. */
export async function runInvocation<T>(invocation: Invocation, work: () => Promise<T>): Promise<T> {
    const holder: { invocation?: Invocation } = { invocation };
    try {
        return await current.run(holder, work);
    } finally {
        holder.invocation = undefined;
        invocation.end();
    }
}

/** The invocation a handler runs in; handlers are only ever called through the exported entrypoints. */
export function currentInvocation(): Invocation {
    const invocation = current.getStore()?.invocation;
    if (!invocation) throw new Error('A handler ran outside the exported entrypoints: there is no invocation to read.');
    return invocation;
}
