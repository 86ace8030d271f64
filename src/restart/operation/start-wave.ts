import { hasBudget } from '../budget';
import { refusalOf } from '../judging/assess';
import { refusalChecks } from './observe';
import { InvalidInputError, RestartError, TransientAwsError, asRestartError } from '../errors';
import type { RestartDependencies } from '../ports';
import { RestartingOperation, TrackedService, timeoutInMinutesOf, unstartedServicesOfWave } from './progress';
import { traitsOf } from '../judging/strategies';
import { findServiceView, primaryDeploymentOf } from '../views';

/** A deployment created this soon before UpdateService was called still counts as its answer (clock skew). */
export const ADOPTION_CLOCK_SKEW_MS = 2_000;
/**
 * How long another invocation may still be inside its UpdateService call after it recorded the attempt:
 * longer than one call may take (every call is aborted after 8 s) plus clock skew between containers.
 */
export const IN_FLIGHT_WINDOW_MS = 15_000;

export interface WaveStartOptions {
    cluster: string;
    /**
     * Whether the services must be described (and refused if need be) first: false only right after the
     * first step checked every service in this very invocation.
     */
    describeFirst: boolean;
    /** Services whose recorded attempt this invocation made itself (not someone else's unknown outcome). */
    ownAttempts: Set<string>;
    /**
     * Services whose recorded attempt an earlier invocation made and then returned (the callback context
     * carries it): that call is over, so no other invocation can still be inside it.
     */
    finishedAttempts: ReadonlySet<string>;
    /** Writes the operation's record: called with the attempts recorded, before any UpdateService. */
    persist: (progress: RestartingOperation) => Promise<void>;
}

export interface WaveStart {
    /** The operation with every restart accepted (or adopted) so far recorded: persist it even on error. */
    progress: RestartingOperation;
    error?: RestartError;
    /** Services left for later: another invocation may still be calling UpdateService for them. */
    waitingForOthers: string[];
}

/**
 * Calls UpdateService(forceNewDeployment) for every service of the current wave that has no deployment
 * yet, never twice for one service:
 * - the attempt is recorded before the call, so a call whose answer is lost (the invocation killed, the
 *   connection dropped) is found again;
 * - a recorded attempt of unknown outcome is resolved by looking at ECS: a PRIMARY deployment created
 *   since the attempt is its answer and is adopted; none means the call did not go through;
 * - a deployment found without a recorded attempt is never adopted: it is someone else's (a pipeline).
 */
export async function startWave(initial: RestartingOperation, options: WaveStartOptions, deps: RestartDependencies): Promise<WaveStart> {
    let progress = initial;
    const waitingForOthers: string[] = [];
    const record = (name: string, change: Partial<TrackedService>): void => {
        progress = { ...progress, services: progress.services.map((s) => (s.name === name ? { ...s, ...change } : s)) };
    };
    try {
        const foreignAttempts = unstartedServicesOfWave(progress).filter(
            (service) => service.attemptedAt !== undefined && !options.ownAttempts.has(service.name),
        );
        if (options.describeFirst || foreignAttempts.length > 0) {
            const pending = unstartedServicesOfWave(progress);
            const views = await deps.ecs.describeServices(
                options.cluster,
                pending.map((service) => service.arn || service.input),
            );
            const refusals: string[] = [];
            for (const service of pending) {
                const view = findServiceView(views, service.name);
                const refusal = refusalOf(
                    service,
                    view,
                    options.cluster,
                    refusalChecks(timeoutInMinutesOf(progress), { state: progress.serviceDeploymentsApi }),
                );
                if (refusal !== undefined || view === undefined) {
                    refusals.push(refusal ?? service.name);
                    continue;
                }
                record(service.name, { arn: view.arn });
                if (service.attemptedAt === undefined || options.ownAttempts.has(service.name)) continue;
                const primary = primaryDeploymentOf(view);
                if (primary && primary.createdAt >= service.attemptedAt - ADOPTION_CLOCK_SKEW_MS) {
                    // The recorded call went through but its answer was lost: that deployment is this restart's.
                    record(service.name, { deploymentId: primary.id, startedAt: primary.createdAt, attemptedAt: undefined });
                    deps.log(
                        `Service ${service.name}: adopting deployment ${primary.id}, started by an earlier attempt whose answer was lost.`,
                    );
                } else if (!options.finishedAttempts.has(service.name) && deps.now() - service.attemptedAt < IN_FLIGHT_WINDOW_MS) {
                    waitingForOthers.push(service.name);
                } else {
                    record(service.name, { attemptedAt: undefined });
                }
            }
            if (refusals.length > 0) {
                throw new InvalidInputError(refusals.join('; '));
            }
        }
        const toStart = unstartedServicesOfWave(progress).filter((service) => !waitingForOthers.includes(service.name));
        const unrecorded = toStart.filter((service) => service.attemptedAt === undefined);
        if (unrecorded.length > 0) {
            const now = deps.now();
            for (const service of unrecorded) {
                record(service.name, { attemptedAt: now });
                options.ownAttempts.add(service.name);
            }
            await options.persist(progress);
        }
        for (const service of toStart) {
            if (!hasBudget(deps)) break;
            try {
                const started = await deps.ecs.forceNewDeployment(options.cluster, service.arn || service.input);
                record(service.name, {
                    deploymentId: started.deploymentId,
                    startedAt: started.createdAt,
                    attemptedAt: undefined,
                    ...(started.service ? { traits: traitsOf(started.service) } : {}),
                });
                deps.log(`Service ${service.name}: forced new deployment ${started.deploymentId}.`);
            } catch (err) {
                const error = asRestartError(err);
                if (!(error instanceof TransientAwsError && error.outcomeUnknown)) {
                    // ECS answered and refused: nothing was started, so nothing is to be looked for later.
                    record(service.name, { attemptedAt: undefined });
                    options.ownAttempts.delete(service.name);
                }
                throw error;
            }
        }
        return { progress, waitingForOthers };
    } catch (err) {
        return { progress, error: asRestartError(err), waitingForOthers };
    }
}
