import { describeDeploymentPlan } from '../judging/strategies';
import { RestartingOperation, TrackedService, currentDeploymentId } from './progress';

/** What has and has not been restarted so far: said in every failure, so no service is half-restarted silently. */
export function describeRestartState(progress: RestartingOperation, exclude: readonly TrackedService[] = []): string {
    const skip = new Set(exclude.map((service) => service.name));
    const others = progress.services.filter((service) => !skip.has(service.name));
    const started = others.filter((service) => service.deploymentId);
    const notStarted = others.filter((service) => !service.deploymentId);
    const parts: string[] = [];
    if (started.length > 0) {
        const listed = started.map(
            (service) => `${service.name} (${currentDeploymentId(service)}, ${service.completed ? 'healthy' : 'still deploying'})`,
        );
        parts.push(`Also restarted: ${listed.join(', ')}.`);
    }
    if (notStarted.length > 0) {
        parts.push(`Not restarted: ${notStarted.map((service) => service.name).join(', ')}.`);
    }
    return parts.join(' ');
}

/** What the deployments just started will do that an operator should know: strategies, approvals, possible downtime. */
export function describeDeploymentPlans(services: readonly TrackedService[]): string[] {
    return services.flatMap((service) => describeDeploymentPlan(service.name, service.traits));
}
