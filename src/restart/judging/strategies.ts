import { plural } from '../text/messages';
import type { DeploymentSettingsView, DeploymentStrategy, RevisionCountsView, ServiceDeploymentView, ServiceView } from '../views';

/**
 * What the deployment strategy of a service (DeploymentConfiguration.strategy) means for a restart: how
 * long its deployment takes at least, how its stages read, how often it is worth looking at. Pure.
 */

/** ECS's defaults where DeploymentConfiguration leaves a value out (ECS API reference, LinearConfiguration, CanaryConfiguration). */
export const DEFAULT_LINEAR_STEP_PERCENT = 10;
export const DEFAULT_LINEAR_STEP_BAKE_MINUTES = 6;
export const DEFAULT_CANARY_PERCENT = 5;
export const DEFAULT_CANARY_BAKE_MINUTES = 10;

const TRAFFIC_SHIFTING = new Set<DeploymentStrategy>(['BLUE_GREEN', 'LINEAR', 'CANARY']);

/** What the restart remembers of a service's deployment configuration, in the callback context. */
export interface ServiceTraits {
    strategy: DeploymentStrategy;
    daemon?: boolean;
    minimumHealthyPercent?: number;
    desiredCount?: number;
    /** The least time, in minutes, that the strategy's bake times alone take (see configuredBakeMinutes). */
    bakeMinutes?: number;
    pauseHooks?: number;
    lambdaHooks?: number;
    /** Early success criteria with DEFERRED clean-up: ECS reports success while old tasks still run. */
    deferredCleanup?: boolean;
}

export function strategyOf(settings: DeploymentSettingsView | undefined): DeploymentStrategy {
    const strategy = settings?.strategy;
    return strategy === 'BLUE_GREEN' || strategy === 'LINEAR' || strategy === 'CANARY' ? strategy : 'ROLLING';
}

/** BLUE_GREEN, LINEAR and CANARY: only the service-deployments API can tell how such a deployment is doing. */
export function shiftsTraffic(strategy: DeploymentStrategy): boolean {
    return TRAFFIC_SHIFTING.has(strategy);
}

/** The number of production traffic shifts of a LINEAR deployment: equal steps of stepPercent up to 100 %. */
export function linearStepCount(stepPercent: number): number {
    // Steps are multiples of 0.1 %; the epsilon keeps 100 / 20 at exactly 5.
    return Math.max(1, Math.ceil(100 / stepPercent - 1e-9));
}

/**
 * The least time the configured bake times add to a deployment, in minutes, and how it adds up:
 * BLUE_GREEN waits bakeTimeInMinutes after the production shift; LINEAR waits stepBakeTimeInMinutes
 * after every step but the last (ECS: "not applied after reaching 100 percent"), then the bake time;
 * CANARY waits canaryBakeTimeInMinutes after the canary step, then the bake time.
 */
export function configuredBakeMinutes(settings: DeploymentSettingsView | undefined): { minutes: number; explanation: string } {
    const strategy = strategyOf(settings);
    const bake = settings?.bakeTimeInMinutes ?? 0;
    switch (strategy) {
        case 'LINEAR': {
            const stepPercent = settings?.linear?.stepPercent ?? DEFAULT_LINEAR_STEP_PERCENT;
            const stepBake = settings?.linear?.stepBakeTimeInMinutes ?? DEFAULT_LINEAR_STEP_BAKE_MINUTES;
            const waits = linearStepCount(stepPercent) - 1;
            return {
                minutes: waits * stepBake + bake,
                explanation: `${waits} waits of stepBakeTimeInMinutes ${stepBake} between ${waits + 1} traffic shifts of ${formatPercent(stepPercent)}, then bakeTimeInMinutes ${bake}`,
            };
        }
        case 'CANARY': {
            const canaryBake = settings?.canary?.canaryBakeTimeInMinutes ?? DEFAULT_CANARY_BAKE_MINUTES;
            return {
                minutes: canaryBake + bake,
                explanation: `canaryBakeTimeInMinutes ${canaryBake}, then bakeTimeInMinutes ${bake}`,
            };
        }
        default:
            return { minutes: bake, explanation: `bakeTimeInMinutes ${bake}` };
    }
}

export function traitsOf(service: Pick<ServiceView, 'schedulingStrategy' | 'deploymentConfiguration' | 'desiredCount'>): ServiceTraits {
    const settings = service.deploymentConfiguration;
    const hooks = settings?.lifecycleHooks ?? [];
    const bakeMinutes = configuredBakeMinutes(settings).minutes;
    const pauseHooks = hooks.filter((hook) => hook.targetType === 'PAUSE').length;
    const traits: ServiceTraits = { strategy: strategyOf(settings), desiredCount: service.desiredCount };
    if (service.schedulingStrategy === 'DAEMON') traits.daemon = true;
    if (settings?.minimumHealthyPercent !== undefined) traits.minimumHealthyPercent = settings.minimumHealthyPercent;
    if (bakeMinutes > 0) traits.bakeMinutes = bakeMinutes;
    if (pauseHooks > 0) traits.pauseHooks = pauseHooks;
    if (hooks.length > pauseHooks) traits.lambdaHooks = hooks.length - pauseHooks;
    if (settings?.earlySuccess?.sourceCleanup === 'DEFERRED') traits.deferredCleanup = true;
    return traits;
}

/**
 * What a service's deployment will do that an operator should know before it starts: the strategy and
 * its bake times, hooks that wait for approval, and a configuration that lets ECS stop every task at
 * once. Empty for a plain rolling service.
 */
export function describeDeploymentPlan(name: string, traits: ServiceTraits | undefined): string[] {
    if (!traits) return [];
    const notes: string[] = [];
    if (shiftsTraffic(traits.strategy)) {
        const parts = [traits.bakeMinutes ? `bake times of at least ${plural(traits.bakeMinutes, 'minute')}` : 'no bake time'];
        if (traits.pauseHooks)
            parts.push(`${plural(traits.pauseHooks, 'pause hook')} waiting for approval (ecs:ContinueServiceDeployment)`);
        if (traits.lambdaHooks) parts.push(plural(traits.lambdaHooks, 'Lambda hook'));
        notes.push(`${name} deploys ${traits.strategy}: ${parts.join(', ')}.`);
    } else if (traits.pauseHooks) {
        notes.push(`${name} has ${plural(traits.pauseHooks, 'pause hook')} waiting for approval (ecs:ContinueServiceDeployment).`);
    }
    // minimumHealthyPercent only bounds a rolling replacement; BLUE_GREEN/LINEAR/CANARY start the new revision beside the old.
    if (traits.strategy === 'ROLLING' && traits.minimumHealthyPercent === 0) {
        const tasks = traits.daemon
            ? 'the task on every container instance'
            : traits.desiredCount !== undefined
              ? `all ${plural(traits.desiredCount, 'task')}`
              : 'all its tasks';
        notes.push(
            `Downtime possible: ${traits.daemon ? `${name} is a DAEMON service and its` : `${name}'s`} deployment configuration ` +
                `(minimumHealthyPercent 0) lets ECS stop ${tasks} at once, before the new ones run.`,
        );
    } else if (traits.daemon) {
        notes.push(`${name} is a DAEMON service: ECS replaces its task on each container instance.`);
    }
    return notes;
}

/** Why TimeoutInMinutes cannot cover this service's deployment, or undefined when it can. */
export function timeoutRefusal(input: string, settings: DeploymentSettingsView | undefined, timeoutInMinutes: number): string | undefined {
    const { minutes, explanation } = configuredBakeMinutes(settings);
    if (minutes === 0 || timeoutInMinutes > minutes) {
        return undefined;
    }
    return (
        `service '${input}' deploys ${strategyOf(settings)} and its bake times alone take ${plural(minutes, 'minute')} (${explanation}), ` +
        `but TimeoutInMinutes is ${timeoutInMinutes}: set TimeoutInMinutes above ${minutes}, with room for scale-up, hooks and clean-up`
    );
}

export function formatPercent(value: number): string {
    return `${Math.round(value * 10) / 10} %`;
}

const STAGE_LABELS: Record<string, string> = {
    RECONCILE_SERVICE: 'reconciling the service',
    PRE_SCALE_UP: 'before scale-up',
    SCALE_UP: 'scaling up the new revision',
    POST_SCALE_UP: 'after scale-up',
    TEST_TRAFFIC_SHIFT: 'test traffic shift',
    POST_TEST_TRAFFIC_SHIFT: 'after the test traffic shift',
    PRE_PRODUCTION_TRAFFIC_SHIFT: 'before the production traffic shift',
    PRODUCTION_TRAFFIC_SHIFT: 'production traffic shift',
    POST_PRODUCTION_TRAFFIC_SHIFT: 'after the production traffic shift',
    BAKE_TIME: 'bake time',
    CLEAN_UP: 'cleaning up the old revision',
};

/** Which production traffic shift a LINEAR or CANARY deployment is at, from the traffic weight ECS reports. */
export function trafficStep(
    strategy: DeploymentStrategy,
    settings: DeploymentSettingsView | undefined,
    weight: number,
): { step: number; of: number } | undefined {
    if (strategy === 'LINEAR') {
        const stepPercent = settings?.linear?.stepPercent ?? DEFAULT_LINEAR_STEP_PERCENT;
        const of = linearStepCount(stepPercent);
        return { step: Math.min(of, Math.max(1, Math.ceil(weight / stepPercent - 1e-9))), of };
    }
    if (strategy === 'CANARY') {
        return { step: weight >= 100 ? 2 : 1, of: 2 };
    }
    return undefined;
}

/** The lifecycle stage of a service deployment in words, with the traffic step for LINEAR and CANARY. */
export function describeStage(deployment: ServiceDeploymentView, fallbackSettings?: DeploymentSettingsView): string | undefined {
    const stage = deployment.lifecycleStage;
    if (!stage) return undefined;
    const settings = deployment.deploymentConfiguration ?? fallbackSettings;
    const strategy = strategyOf(settings);
    const label = STAGE_LABELS[stage] ?? stage;
    const target = deployment.targetRevision;
    if (stage === 'PRODUCTION_TRAFFIC_SHIFT' && target?.productionTrafficWeight !== undefined) {
        const weight = target.productionTrafficWeight;
        const step = trafficStep(strategy, settings, weight);
        return step ? `${label} ${step.step} of ${step.of}, ${formatPercent(weight)}` : `${label}, ${formatPercent(weight)}`;
    }
    if (stage === 'TEST_TRAFFIC_SHIFT' && target?.testTrafficWeight !== undefined) {
        return `${label}, ${formatPercent(target.testTrafficWeight)}`;
    }
    if (stage === 'BAKE_TIME' && settings?.bakeTimeInMinutes !== undefined) {
        return `${label} (${plural(settings.bakeTimeInMinutes, 'minute')})`;
    }
    return label;
}

/**
 * The bake of the stage a deployment is in (the deployment's bake time, or a LINEAR/CANARY step's
 * bake after a shift short of 100 %), in minutes; undefined outside a bake or with none configured.
 */
export function stageBakeMinutes(deployment: ServiceDeploymentView, fallbackSettings?: DeploymentSettingsView): number | undefined {
    const settings = deployment.deploymentConfiguration ?? fallbackSettings;
    const strategy = strategyOf(settings);
    // A step's bake follows every shift but the one that reaches 100 %.
    const stepBakes =
        deployment.lifecycleStage === 'PRODUCTION_TRAFFIC_SHIFT' && (deployment.targetRevision?.productionTrafficWeight ?? 0) < 100;
    let bakeMinutes: number | undefined;
    if (deployment.lifecycleStage === 'BAKE_TIME') {
        bakeMinutes = settings?.bakeTimeInMinutes;
    } else if (stepBakes && strategy === 'LINEAR') {
        bakeMinutes = settings?.linear?.stepBakeTimeInMinutes ?? DEFAULT_LINEAR_STEP_BAKE_MINUTES;
    } else if (stepBakes && strategy === 'CANARY') {
        bakeMinutes = settings?.canary?.canaryBakeTimeInMinutes ?? DEFAULT_CANARY_BAKE_MINUTES;
    }
    return bakeMinutes || undefined;
}

/** The running and pending tasks of revisions other than `targetRevisionArn`. */
export function tasksOfOtherRevisions(revisions: readonly RevisionCountsView[], targetRevisionArn: string | undefined): number {
    return revisions.filter((revision) => revision.arn !== targetRevisionArn).reduce((sum, r) => sum + r.running + r.pending, 0);
}
