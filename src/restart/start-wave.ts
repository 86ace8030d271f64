import { refusalOf } from './assess';
import { refusalChecks } from './observe';
import { InvalidInputError, RestartError, asRestartError } from './errors';
import type { RestartDependencies } from './ports';
import { RestartingOperation, TrackedService, unstartedServicesOfWave } from './progress';
import { traitsOf } from './strategies';
import { findServiceView, primaryDeploymentOf } from './views';

/** A deployment created this soon before a wave started still counts as the wave's own (clock skew). */
export const ADOPTION_CLOCK_SKEW_MS = 2_000;

export interface WaveStartOptions {
    cluster: string;
    /**
     * Whether an earlier invocation may already have started services of this wave and lost the answer.
     * Then a PRIMARY deployment created since the wave began is adopted instead of restarting again.
     */
    mayAdopt: boolean;
    /**
     * Whether the services must be described (and refused if need be) first: false only right after the
     * first step checked every service in this very invocation.
     */
    describeFirst: boolean;
}

export interface WaveStart {
    /** The operation with every restart accepted (or adopted) so far recorded: persist it even on error. */
    progress: RestartingOperation;
    error?: RestartError;
}

/**
 * Calls UpdateService(forceNewDeployment) for every service of the current wave that has no deployment
 * yet, never twice for one service, and stops starting calls when the invocation budget runs out.
 */
export async function startWave(initial: RestartingOperation, options: WaveStartOptions, deps: RestartDependencies): Promise<WaveStart> {
    let progress = initial;
    const record = (name: string, change: Partial<TrackedService>): void => {
        progress = { ...progress, services: progress.services.map((s) => (s.name === name ? { ...s, ...change } : s)) };
    };
    try {
        if (options.describeFirst) {
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
                    refusalChecks(progress.timeoutInMinutes, { state: progress.serviceDeploymentsApi }),
                );
                if (refusal || !view) {
                    refusals.push(refusal ?? service.name);
                    continue;
                }
                const primary = primaryDeploymentOf(view);
                if (options.mayAdopt && primary && primary.createdAt >= progress.waveStartedAt - ADOPTION_CLOCK_SKEW_MS) {
                    // UpdateService went through in an invocation whose answer was lost: adopt, don't restart twice.
                    record(service.name, { deploymentId: primary.id, startedAt: primary.createdAt, arn: view.arn });
                    deps.log(`Service ${service.name}: adopting deployment ${primary.id}, started since this wave began.`);
                } else {
                    record(service.name, { arn: view.arn });
                }
            }
            if (refusals.length > 0) {
                throw new InvalidInputError(refusals.join('; '));
            }
        }
        for (const service of unstartedServicesOfWave(progress)) {
            if (deps.now() >= deps.budgetEndsAt) break;
            const started = await deps.ecs.forceNewDeployment(options.cluster, service.arn || service.input);
            record(service.name, {
                deploymentId: started.deploymentId,
                startedAt: started.createdAt,
                ...(started.service ? { traits: traitsOf(started.service) } : {}),
            });
            deps.log(`Service ${service.name}: forced new deployment ${started.deploymentId}.`);
        }
        return { progress };
    } catch (err) {
        return { progress, error: asRestartError(err) };
    }
}
