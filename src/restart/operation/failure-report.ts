import { asRestartError } from '../errors';
import type { WaveFailure } from '../judging/decide';
import { describeRestartState } from './describe-progress';
import { describeEvents, describeStoppedTasks, fitMessage, namedFew, plural } from '../text/messages';
import type { RestartDependencies } from '../ports';
import type { RestartingOperation } from './progress';
import { ServiceView, StoppedTaskView, findServiceView } from '../views';

const STOPPED_TASKS_PER_SERVICE = 3;
/** The failed services whose stopped tasks are read and quoted: the message has room for a few only. */
const FAILURES_QUOTED = 3;

/**
 * The stopped tasks of each failed service's deployment, by service name. A failure report is worth
 * sending without them, so a failed read is logged, not raised.
 */
export async function readStoppedTasks(
    failures: readonly WaveFailure[],
    cluster: string,
    deps: RestartDependencies,
): Promise<Map<string, StoppedTaskView[]>> {
    const stopped = new Map<string, StoppedTaskView[]>();
    for (const { service, assessment } of failures.slice(0, FAILURES_QUOTED)) {
        try {
            stopped.set(
                service.name,
                await deps.ecs.describeStoppedTasks(cluster, service.name, assessment.deploymentId, STOPPED_TASKS_PER_SERVICE),
            );
        } catch (err) {
            deps.log(`Could not read the stopped tasks of ${service.name}: ${asRestartError(err).message}`);
        }
    }
    return stopped;
}

/**
 * The NotStabilized message, most important first: which service and deployment failed and the ECS
 * reason, the stopped-task reasons, the latest service events, then what else was and was not
 * restarted. `views` are the services as the observation that found the failures described them.
 */
export function formatFailureReport(
    progress: RestartingOperation,
    failures: readonly WaveFailure[],
    stoppedTasks: ReadonlyMap<string, readonly StoppedTaskView[]>,
    views: readonly ServiceView[],
): string {
    const parts: string[] = [];
    if (failures.length > 1) {
        const names = failures.map(({ service }) => service.name);
        parts.push(`${plural(failures.length, 'service')} did not stabilize: ${namedFew(names)}.`);
    }
    for (const { service, assessment } of failures) {
        parts.push(`Service ${service.name} did not stabilize: ${assessment.reason}.`);
        if (assessment.note) parts.push(`Note: ${assessment.note}.`);
        parts.push(describeStoppedTasks(stoppedTasks.get(service.name) ?? []));
    }
    for (const { service } of failures) {
        parts.push(describeEvents(findServiceView(views, service.name)?.events ?? [], service.startedAt ?? progress.waveStartedAt));
    }
    parts.push(
        describeRestartState(
            progress,
            failures.map((failure) => failure.service),
        ),
    );
    return fitMessage(parts);
}
