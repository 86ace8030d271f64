import {
    SERVICE_DEPLOYMENT_MATCH_TOLERANCE_MS,
    ServiceAssessment,
    ServiceDeploymentEvidence,
    assessService,
    correlateServiceDeployments,
} from './assess';
import { WaveDecision, decideWave } from './decide';
import { ServiceDeploymentsUnavailableError } from './errors';
import type { RestartDependencies } from './ports';
import { RestartingOperation, ServiceDeploymentsApiState, TrackedService, servicesOfWave } from './progress';
import { ServiceView, findServiceView } from './views';

export interface WaveObservation {
    decision: WaveDecision;
    /** The services as this observation described them: a failure report quotes their events. */
    views: ServiceView[];
}

/**
 * Reads what ECS reports about the current wave and decides on it. The service-deployments API
 * (ListServiceDeployments / DescribeServiceDeployments) identifies the deployment; where it is missing
 * or denied, the judgement falls back to the deployments of DescribeServices, and the operation
 * remembers that so it does not ask again.
 */
export async function observeWave(progress: RestartingOperation, cluster: string, deps: RestartDependencies): Promise<WaveObservation> {
    const watched = servicesOfWave(progress).filter((service) => !service.completed);
    const views = await deps.ecs.describeServices(
        cluster,
        watched.map((service) => service.arn || service.input),
    );
    const { evidence, api } = await gatherServiceDeployments(watched, progress, cluster, deps);
    const assessments = new Map<string, ServiceAssessment>();
    for (const service of watched) {
        assessments.set(service.name, assessService(service, findServiceView(views, service.name), evidence.get(service.name)));
    }
    return { decision: decideWave({ ...progress, serviceDeploymentsApi: api }, assessments, deps.now()), views };
}

interface Gathered {
    evidence: Map<string, ServiceDeploymentEvidence>;
    api: ServiceDeploymentsApiState;
}

async function gatherServiceDeployments(
    watched: readonly TrackedService[],
    progress: RestartingOperation,
    cluster: string,
    deps: RestartDependencies,
): Promise<Gathered> {
    const evidence = new Map<string, ServiceDeploymentEvidence>();
    if (progress.serviceDeploymentsApi === 'unavailable') {
        return { evidence, api: 'unavailable' };
    }
    try {
        const found = new Map<string, { ours?: ServiceDeploymentEvidence['ours']; latestArn: string }>();
        for (const service of watched) {
            const since = (service.startedAt ?? progress.waveStartedAt) - SERVICE_DEPLOYMENT_MATCH_TOLERANCE_MS;
            const summaries = await deps.ecs.listServiceDeployments(cluster, service.arn, since);
            const { ours, latest } = correlateServiceDeployments(service, summaries);
            if (latest) found.set(service.name, { ours, latestArn: latest.arn });
        }
        if (found.size > 0) {
            const described = await deps.ecs.describeServiceDeployments([...found.values()].map((entry) => entry.latestArn));
            for (const [name, entry] of found) {
                const latest = described.find((view) => view.arn === entry.latestArn);
                if (latest) evidence.set(name, { ours: entry.ours, latest });
            }
        }
        return { evidence, api: 'available' };
    } catch (err) {
        if (!(err instanceof ServiceDeploymentsUnavailableError)) throw err;
        deps.log(`ECS service-deployments API unavailable (${err.message}); judging from DescribeServices deployments.`);
        return { evidence: new Map(), api: 'unavailable' };
    }
}
