import { asRestartError } from '../errors';
import type { WaveFailure } from '../judging/decide';
import { countRestartState, describeRestartState } from './describe-progress';
import { MAX_MESSAGE_LENGTH, describeEvents, describeStoppedTasks, fitMessage, namedFew, plural } from '../text/messages';
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
 * The NotStabilized message, most important first: which services failed, each one's deployment and
 * ECS reason (all of them before any detail, so that no failed service goes unnamed), the stopped-task
 * reasons, the latest service events, then what else was and was not restarted. `views` are the
 * services as the observation that found the failures described them. When that is too long, the
 * message ends with the others counted and where the full lists are, and a reason that does not fit
 * whole is left to the handler log (every failed service is still named first) rather than cut.
 */
export function formatFailureReport(
    progress: RestartingOperation,
    failures: readonly WaveFailure[],
    stoppedTasks: ReadonlyMap<string, readonly StoppedTaskView[]>,
    views: readonly ServiceView[],
): string {
    const header: string[] = [];
    if (failures.length > 1) {
        const names = failures.map(({ service }) => service.name);
        header.push(`${plural(failures.length, 'service')} did not stabilize: ${namedFew(names)}.`);
    }
    // Each failed service's reason, with its note when it has one.
    const reasons = failures.map(({ service, assessment }) => [
        `Service ${service.name} did not stabilize: ${assessment.reason}.`,
        ...(assessment.note ? [`Note: ${assessment.note}.`] : []),
    ]);
    const details = [
        ...failures.map(({ service }) => describeStoppedTasks(stoppedTasks.get(service.name) ?? [])),
        ...failures.map(({ service }) =>
            describeEvents(findServiceView(views, service.name)?.events ?? [], service.startedAt ?? progress.waveStartedAt),
        ),
    ];
    const failed = failures.map((failure) => failure.service);
    const state = describeRestartState(progress, failed);
    const whole = [...header, ...reasons.flat(), ...details, state].filter((part) => part.length > 0).join(' ');
    if (whole.length <= MAX_MESSAGE_LENGTH) return whole;
    const tail = countRestartState(progress, failed);
    const room = MAX_MESSAGE_LENGTH - (tail ? tail.length + 1 : 0);
    // The first reason always (cut only when it alone is longer than the room), the others whole or not at all.
    const [first = '', ...others] = reasons.map((reason) => reason.join(' '));
    let message = fitMessage([...header, first], room);
    for (const reason of others) {
        if (message.length + 1 + reason.length <= room) message = `${message} ${reason}`;
    }
    message = fitMessage([message, ...details], room);
    return tail ? `${message} ${tail}` : message;
}
