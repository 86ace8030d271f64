import { describeDeploymentPlan } from '../judging/strategies';
import { MAX_MESSAGE_LENGTH, NAMED_IN_MESSAGE, countedFew, fitMessage, namedFew, plural } from '../text/messages';
import { RestartingOperation, TrackedService, currentDeploymentId } from './progress';

/** Where a summarised message's full list is. */
export const FULL_LIST_NOTE = "every service and its deployment: the resource's ServiceArns and DeploymentIds (READ)";

/**
 * What has and has not been restarted so far: said in every failure, so no service is half-restarted
 * silently. Many services are counted, a few named, and where the full list is said.
 */
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
        const healthy = started.filter((service) => service.completed).length;
        const counts = started.length > NAMED_IN_MESSAGE ? ` (${healthy} healthy, ${started.length - healthy} still deploying)` : '';
        parts.push(`${countedFew('Also restarted', listed)}${counts}.`);
    }
    if (notStarted.length > 0) {
        parts.push(
            `${countedFew(
                'Not restarted',
                notStarted.map((service) => service.name),
            )}.`,
        );
    }
    if (started.length > NAMED_IN_MESSAGE || notStarted.length > NAMED_IN_MESSAGE) {
        parts.push(`(${FULL_LIST_NOTE}.)`);
    }
    return parts.join(' ');
}

/**
 * What describeRestartState says, counted only, with where the full lists are: it ends a failure report
 * that has no room for names, so the counts are never the part left out. Empty when there are no others.
 */
export function countRestartState(progress: RestartingOperation, exclude: readonly TrackedService[] = []): string {
    const skip = new Set(exclude.map((service) => service.name));
    const others = progress.services.filter((service) => !skip.has(service.name));
    const started = others.filter((service) => service.deploymentId);
    const notStarted = others.length - started.length;
    if (others.length === 0) return '';
    const healthy = started.filter((service) => service.completed).length;
    const counts = [
        ...(started.length > 0
            ? [`Also restarted ${plural(started.length, 'service')} (${healthy} healthy, ${started.length - healthy} still deploying)`]
            : []),
        ...(notStarted > 0 ? [`not restarted ${plural(notStarted, 'service')}`] : []),
    ];
    const said = counts.join('; ');
    return `${said.charAt(0).toUpperCase()}${said.slice(1)} (${FULL_LIST_NOTE}; each failed service with its reason: the handler log).`;
}

/**
 * What a SUCCESS says of the deployments that superseded the restart's (a pipeline deployed meanwhile)
 * and that it followed: each one's note while they are few and fit; else counted, a few named, and
 * where the full list is (DeploymentIds has the deployment followed). Empty when none was superseded.
 */
export function describeFollowed(progress: RestartingOperation): string {
    const followed = progress.services.filter((service) => service.followedDeploymentId && service.deploymentId);
    if (followed.length === 0) return '';
    const noted = progress.notes.join('. ');
    if (followed.length <= NAMED_IN_MESSAGE && noted !== '' && noted.length <= MAX_MESSAGE_LENGTH) return noted;
    const named = followed.map((service) => `${service.name} (${service.deploymentId} superseded by ${service.followedDeploymentId})`);
    return fitMessage([
        `The restart followed newer deployments that superseded its own in ${plural(followed.length, 'service')} ` +
            `(for example from a pipeline; they replace every task too): ${namedFew(named, '; ')}.`,
        `(${FULL_LIST_NOTE}.)`,
    ]);
}

/** What the deployments just started will do that an operator should know: strategies, approvals, possible downtime. */
export function describeDeploymentPlans(services: readonly TrackedService[]): string[] {
    return services.flatMap((service) => describeDeploymentPlan(service.name, service.traits));
}
