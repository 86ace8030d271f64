import {
    SERVICE_DEPLOYMENT_MATCH_TOLERANCE_MS,
    ServiceAssessment,
    ServiceDeploymentEvidence,
    assessService,
    correlateServiceDeployments,
} from '../judging/assess';
import { WaveDecision, decideWave } from '../judging/decide';
import { chunk } from '../collections';
import { InvocationBudgetSpentError, ServiceDeploymentsUnavailableError } from '../errors';
import type { RestartDependencies } from '../ports';
import { RestartingOperation, ServiceDeploymentsApiState, TrackedService, currentDeploymentId } from './progress';
import { shiftsTraffic, strategyOf } from '../judging/strategies';
import { ServiceView, findServiceView, primaryDeploymentOf } from '../views';

export interface WaveObservation {
    decision: WaveDecision;
    /** The services as this observation described them: a failure report quotes their events. */
    views: ServiceView[];
    /** Whether every service still watched was looked at: else the next look goes on from `progress.lookFrom`. */
    complete: boolean;
}

/**
 * Services looked at together: one or two DescribeServices calls (10 services each), their listings,
 * and one DescribeServiceDeployments call for their service deployments (20 a call) when each has one.
 * What a group found is kept even when the invocation budget ends before the next group.
 */
export const LOOK_GROUP_SIZE = 20;

/**
 * Reads what ECS reports about the current wave and decides on it. The service-deployments API
 * (ListServiceDeployments / DescribeServiceDeployments) identifies the deployment; where it is missing
 * or denied, the judgement falls back to the deployments of DescribeServices, and the operation
 * remembers that so it does not ask again. Services are looked at group by group, from where the last
 * look stopped; when the invocation budget ends first, the groups looked at are decided on, and the
 * next look starts at the first service not reached.
 */
export async function observeWave(progress: RestartingOperation, cluster: string, deps: RestartDependencies): Promise<WaveObservation> {
    const watched = inLookOrder(progress);
    const assessments = new Map<string, ServiceAssessment>();
    const views: ServiceView[] = [];
    let api = progress.serviceDeploymentsApi;
    let unavailableReason: string | undefined;
    let reached = 0;
    try {
        for (const group of chunk(watched, LOOK_GROUP_SIZE)) {
            const groupViews = await deps.ecs.describeServices(
                cluster,
                group.map((service) => service.arn || service.input),
            );
            const gathered = await gatherServiceDeployments(group, groupViews, { ...progress, serviceDeploymentsApi: api }, cluster, deps);
            api = gathered.api;
            unavailableReason ??= gathered.unavailableReason;
            const now = deps.now();
            for (const service of group) {
                assessments.set(
                    service.name,
                    assessService(service, findServiceView(groupViews, service.name), gathered.evidence.get(service.name), {
                        now,
                        serviceDeploymentsUnavailable: api === 'unavailable' ? (unavailableReason ?? UNAVAILABLE_EARLIER) : undefined,
                    }),
                );
            }
            views.push(...groupViews);
            reached += group.length;
        }
    } catch (err) {
        // Nothing looked at: the step is simply continued in the next invocation.
        if (!(err instanceof InvocationBudgetSpentError) || reached === 0) throw err;
        deps.log(
            `Looked at ${reached} of ${watched.length} services before the invocation budget ended; the next look goes on from there.`,
        );
    }
    const next = watched[reached];
    const { lookFrom: _previous, ...rest } = progress;
    const looked = { ...rest, serviceDeploymentsApi: api, ...(next ? { lookFrom: progress.services.indexOf(next) } : {}) };
    return {
        decision: decideWave(looked, assessments, deps.now(), watched.length - reached),
        views,
        complete: next === undefined,
    };
}

/** The services of the wave still watched, from where the last look stopped, round to where it started. */
function inLookOrder(progress: RestartingOperation): TrackedService[] {
    const from = progress.lookFrom ?? 0;
    const watched = progress.services
        .map((service, position) => ({ service, position }))
        .filter(({ service }) => service.wave === progress.wave && !service.completed);
    return [...watched.filter(({ position }) => position >= from), ...watched.filter(({ position }) => position < from)].map(
        ({ service }) => service,
    );
}

const UNAVAILABLE_EARLIER = 'it was missing or denied earlier in this operation';

interface Gathered {
    evidence: Map<string, ServiceDeploymentEvidence>;
    api: ServiceDeploymentsApiState;
    unavailableReason?: string;
}

/**
 * Whether the service deployment found before still tells this service's story: ECS's PRIMARY deployment
 * is still the one followed. A newer PRIMARY (a pipeline deployment, a rollback) means the service
 * deployments must be listed again to see what superseded it.
 */
function knownServiceDeploymentHolds(
    service: TrackedService,
    view: ServiceView | undefined,
): service is TrackedService & { serviceDeploymentArn: string } {
    if (!service.serviceDeploymentArn || !view) return false;
    const primary = primaryDeploymentOf(view);
    return primary !== undefined && primary.id === currentDeploymentId(service);
}

/**
 * Each service deployment is correlated once (ListServiceDeployments) and from then on only described:
 * the known ARNs of the wave and the newly listed ones go to DescribeServiceDeployments together, in its
 * batches. A service is listed again only when DescribeServices shows a PRIMARY deployment other than
 * the one followed.
 */
async function gatherServiceDeployments(
    watched: readonly TrackedService[],
    views: readonly ServiceView[],
    progress: RestartingOperation,
    cluster: string,
    deps: RestartDependencies,
): Promise<Gathered> {
    const evidence = new Map<string, ServiceDeploymentEvidence>();
    if (progress.serviceDeploymentsApi === 'unavailable') {
        return { evidence, api: 'unavailable' };
    }
    try {
        const found = new Map<string, { ours?: string; latest: string }>();
        const relist: TrackedService[] = [];
        for (const service of watched) {
            if (knownServiceDeploymentHolds(service, findServiceView(views, service.name))) {
                found.set(service.name, { ours: service.serviceDeploymentArn, latest: service.serviceDeploymentArn });
            } else {
                relist.push(service);
            }
        }
        const listed = async (service: TrackedService) => {
            const since = (service.startedAt ?? progress.waveStartedAt) - SERVICE_DEPLOYMENT_MATCH_TOLERANCE_MS;
            return correlateServiceDeployments(service, await deps.ecs.listServiceDeployments(cluster, service.arn, since));
        };
        for (const service of relist) {
            const { ours, latest } = await listed(service);
            if (latest) found.set(service.name, { ours: ours?.arn, latest: latest.arn });
        }
        if (found.size > 0) {
            const arnsOf = (entries: Iterable<{ ours?: string; latest: string }>) =>
                new Set([...entries].flatMap((entry) => (entry.ours ? [entry.ours, entry.latest] : [entry.latest])));
            const described = await deps.ecs.describeServiceDeployments([...arnsOf(found.values())]);
            // ECS stops a service deployment when a newer one starts. Ours found STOPPED with nothing newer
            // known may have been replaced after DescribeServices or ListServiceDeployments answered (the
            // calls are paced apart): it is listed again before it is judged, so that a supersession is
            // followed rather than taken for a failure.
            const stoppedKnown = watched.filter((service) => {
                const entry = found.get(service.name);
                return (
                    entry?.ours !== undefined &&
                    entry.latest === entry.ours &&
                    described.find((view) => view.arn === entry.ours)?.status === 'STOPPED'
                );
            });
            for (const service of stoppedKnown) {
                const { ours, latest } = await listed(service);
                if (latest) found.set(service.name, { ours: ours?.arn ?? service.serviceDeploymentArn, latest: latest.arn });
            }
            const describedArns = new Set(described.map((view) => view.arn));
            const newly = [...arnsOf(stoppedKnown.flatMap((service) => found.get(service.name) ?? []))].filter(
                (arn) => !describedArns.has(arn),
            );
            if (newly.length > 0) described.push(...(await deps.ecs.describeServiceDeployments(newly)));
            for (const [name, entry] of found) {
                const latest = described.find((view) => view.arn === entry.latest);
                const ours = entry.ours ? described.find((view) => view.arn === entry.ours) : undefined;
                if (latest) evidence.set(name, { ours, latest });
            }
        }
        return { evidence, api: 'available' };
    } catch (err) {
        if (!(err instanceof ServiceDeploymentsUnavailableError)) throw err;
        deps.log(`ECS service-deployments API unavailable (${err.message}); judging rolling services from DescribeServices deployments.`);
        return { evidence: new Map(), api: 'unavailable', unavailableReason: err.message };
    }
}

export interface ServiceDeploymentsApiProbe {
    state: ServiceDeploymentsApiState;
    /** What ECS answered when the API was missing or denied. */
    reason?: string;
}

/**
 * Asks the service-deployments API once before the first restart, when a service deploys BLUE_GREEN,
 * LINEAR or CANARY: such a deployment cannot be judged without that API, so a missing or denied API
 * must refuse the restart rather than be found out after it. Lists the service's service deployments
 * and describes the newest, so that both permissions are exercised. Rolling services need no probe:
 * they keep the DescribeServices fallback.
 */
export async function probeServiceDeploymentsApi(
    cluster: string,
    views: readonly ServiceView[],
    deps: RestartDependencies,
): Promise<ServiceDeploymentsApiProbe> {
    const shifting = views.find((view) => view.status === 'ACTIVE' && shiftsTraffic(strategyOf(view.deploymentConfiguration)));
    if (!shifting) {
        return { state: 'unknown' };
    }
    try {
        const since = (primaryDeploymentOf(shifting)?.createdAt ?? deps.now()) - SERVICE_DEPLOYMENT_MATCH_TOLERANCE_MS;
        const newest = (await deps.ecs.listServiceDeployments(cluster, shifting.arn, since)).at(-1);
        if (newest) {
            await deps.ecs.describeServiceDeployments([newest.arn]);
        }
        return { state: 'available' };
    } catch (err) {
        if (!(err instanceof ServiceDeploymentsUnavailableError)) throw err;
        return { state: 'unavailable', reason: err.message };
    }
}

/** The checks refusalOf makes besides the service itself, for an operation in this state. */
export function refusalChecks(
    timeoutInMinutes: number,
    api: ServiceDeploymentsApiProbe,
): { timeoutInMinutes: number; serviceDeploymentsUnavailable?: string } {
    return api.state === 'unavailable'
        ? { timeoutInMinutes, serviceDeploymentsUnavailable: api.reason ?? UNAVAILABLE_EARLIER }
        : { timeoutInMinutes };
}
