import { ServiceAssessment, describeCounts } from './assess';
import { describeRestartState } from '../operation/describe-progress';
import { NAMED_IN_MESSAGE, fitMessage, namedFew, plural, truncate } from '../text/messages';
import {
    MAX_CONTEXT_NOTES,
    MAX_NOTE_LENGTH,
    RestartingOperation,
    TrackedService,
    servicesOfWave,
    timeoutInMinutesOf,
    waveCountOf,
} from '../operation/progress';

/** The first look after a restart: new tasks are placed and pulled meanwhile. */
export const FIRST_LOOK_SECONDS = 10;
export const MAX_POLL_DELAY_SECONDS = 60;
export const MIN_POLL_DELAY_SECONDS = 5;
const FIRST_BACKOFF_SECONDS = 5;
/** New tasks are pending or starting: they start in 20 s to 2 minutes, then pass their health checks. */
export const STARTING_LOOK_SECONDS = 30;
/**
 * Every new task runs and old tasks are still there: they drain for as long as the target group's
 * deregistration delay, which ECS does not report, so the service may be done at any moment.
 */
export const DRAINING_LOOK_SECONDS = 20;
/** Every new task runs and no old one is left: ECS calls the deployment done within seconds. */
export const SECONDS_AWAY_LOOK_SECONDS = 5;
/** Longest re-invocation delay while a deployment sits in a long stage (bake time, a step's bake, an approval). */
export const MAX_STAGE_POLL_DELAY_SECONDS = 300;
/** The shortest look during a bake: nothing happens for minutes. */
const MIN_STAGE_POLL_DELAY_SECONDS = 60;
/** How often to look while a pause hook waits for someone to approve it: an approval should not wait long for us. */
export const AWAITING_APPROVAL_POLL_SECONDS = 120;
/**
 * A look this few seconds away is taken within the invocation (when its budget allows): it costs less
 * than a new invocation and sees the outcome sooner.
 */
export const IN_INVOCATION_LOOK_MAX_SECONDS = 5;

export interface WaveFailure {
    service: TrackedService;
    assessment: Extract<ServiceAssessment, { kind: 'failed' }>;
}

export type WaveDecision =
    | {
          kind: 'wait';
          progress: RestartingOperation;
          delaySeconds: number;
          /** The next look is seconds away: worth waiting for within this invocation when its budget allows. */
          soon: boolean;
          message: string;
      }
    | { kind: 'wave-complete'; progress: RestartingOperation }
    | { kind: 'failed'; progress: RestartingOperation; failures: WaveFailure[] }
    | { kind: 'timed-out'; progress: RestartingOperation; message: string };

function boundedByDeadline(delaySeconds: number, deadline: number, now: number, max = MAX_POLL_DELAY_SECONDS): number {
    const untilDeadline = Math.ceil((deadline - now) / 1000);
    return Math.max(MIN_POLL_DELAY_SECONDS, Math.min(delaySeconds, max, untilDeadline));
}

/** The delay before the first look at a wave just restarted. */
export function pollDelaySeconds(progress: RestartingOperation, now: number): number {
    return boundedByDeadline(FIRST_LOOK_SECONDS, progress.deadline, now);
}

/**
 * When a service still running may next change, from what ECS reports: its long stage when it is in
 * one (an approval; a bake, looked at every quarter of it, between one and five minutes), else how far
 * its tasks are.
 */
export function nextLookSeconds(assessment: Extract<ServiceAssessment, { kind: 'in-progress' }>): number {
    if (assessment.awaitingApproval) return AWAITING_APPROVAL_POLL_SECONDS;
    if (assessment.bakeMinutes) {
        return Math.min(
            MAX_STAGE_POLL_DELAY_SECONDS,
            Math.max(MIN_STAGE_POLL_DELAY_SECONDS, Math.round((assessment.bakeMinutes * 60) / 4)),
        );
    }
    const { running, desired, pending } = assessment.counts;
    if (pending > 0 || running < desired) return STARTING_LOOK_SECONDS;
    return (assessment.oldTasks ?? 1) > 0 ? DRAINING_LOOK_SECONDS : SECONDS_AWAY_LOOK_SECONDS;
}

/** The delay before the next look at a wave: the service that may change soonest decides. */
export function waveDelaySeconds(progress: RestartingOperation, nextLooks: readonly number[], now: number): number {
    const soonest = nextLooks.length > 0 ? Math.min(...nextLooks) : STARTING_LOOK_SECONDS;
    return boundedByDeadline(soonest, progress.deadline, now, MAX_STAGE_POLL_DELAY_SECONDS);
}

/** Exponential back-off after throttling or a transient failure: 5, 10, 20, 40, 60, 60… seconds. */
export function backoffDelaySeconds(failuresInARow: number, deadline: number, now: number): number {
    const exponent = Math.max(0, failuresInARow - 1);
    return boundedByDeadline(FIRST_BACKOFF_SECONDS * 2 ** exponent, deadline, now);
}

/** `: a (…); b (…)`, or ` 12 services: a (…); … and 7 more` once they are many. */
function waitingFor(waiting: readonly string[]): string {
    return waiting.length > NAMED_IN_MESSAGE
        ? ` ${plural(waiting.length, 'service')}: ${namedFew(waiting, '; ')}`
        : `: ${waiting.join('; ')}`;
}

/**
 * Folds the assessments of the current wave into the progress and decides what comes next. Pure:
 * the caller supplies the observation and the time. `unlooked` services of the wave were not looked at
 * this time (the invocation budget ended first): they keep what was known of them.
 */
export function decideWave(
    progress: RestartingOperation,
    assessments: ReadonlyMap<string, ServiceAssessment>,
    now: number,
    unlooked = 0,
): WaveDecision {
    const notes = new Set(progress.notes);
    const failures: WaveFailure[] = [];
    const waiting: string[] = [];
    const nextLooks: number[] = [];
    const services = progress.services.map((service) => {
        const assessment = service.wave === progress.wave && !service.completed ? assessments.get(service.name) : undefined;
        if (!assessment) {
            return service;
        }
        const updated: TrackedService = {
            ...service,
            followedDeploymentId: assessment.followedDeploymentId ?? service.followedDeploymentId,
            serviceDeploymentArn: assessment.serviceDeploymentArn ?? service.serviceDeploymentArn,
            awaitingApproval: assessment.kind === 'in-progress' ? assessment.awaitingApproval : undefined,
            completed: assessment.kind === 'completed',
        };
        if (!updated.serviceDeploymentArn) delete updated.serviceDeploymentArn;
        if (!updated.awaitingApproval) delete updated.awaitingApproval;
        if (assessment.note) notes.add(truncate(assessment.note, MAX_NOTE_LENGTH));
        if (assessment.kind === 'failed') failures.push({ service: updated, assessment });
        if (assessment.kind === 'in-progress') {
            nextLooks.push(nextLookSeconds(assessment));
            waiting.push(
                `${service.name} (deployment ${assessment.deploymentId} ${assessment.detail}, ${describeCounts(assessment.counts)})`,
            );
        }
        return updated;
    });
    // The context travels with every callback: keep its notes few and short, the newest ones.
    const next: RestartingOperation = {
        ...progress,
        services,
        notes: [...notes].slice(-MAX_CONTEXT_NOTES),
        transientFailures: 0,
    };

    if (failures.length > 0) {
        return { kind: 'failed', progress: next, failures };
    }
    if (servicesOfWave(next).every((service) => service.completed)) {
        return { kind: 'wave-complete', progress: next };
    }
    // Services the budget did not reach: counted after those looked at, or alone when all of those are done.
    const notLookedYet = `${plural(unlooked, 'service')} not looked at yet`;
    const notLooked = unlooked > 0 && waiting.length > 0 ? ` (and ${notLookedYet})` : '';
    if (now >= progress.deadline) {
        const stillRunning = servicesOfWave(next).filter((service) => !service.completed);
        const message = fitMessage([
            `Timed out after ${timeoutInMinutesOf(progress)} minutes (TimeoutInMinutes) waiting for${waiting.length === 0 && unlooked > 0 ? ` ${notLookedYet}` : waitingFor(waiting)}${notLooked}.`,
            describeRestartState(next, stillRunning),
            ...next.notes.map((note) => `Note: ${note}.`),
        ]);
        return { kind: 'timed-out', progress: next, message };
    }
    const waves = waveCountOf(progress);
    const waveLabel = waves > 1 ? `wave ${progress.wave + 1} of ${waves}: ` : '';
    const delaySeconds = waveDelaySeconds(progress, nextLooks, now);
    return {
        kind: 'wait',
        progress: next,
        delaySeconds,
        soon: delaySeconds <= IN_INVOCATION_LOOK_MAX_SECONDS,
        message: fitMessage([
            waiting.length > NAMED_IN_MESSAGE
                ? `Waiting for ${waveLabel}${plural(waiting.length, 'service')} of ${servicesOfWave(next).length} still deploying${notLooked}: ${namedFew(waiting, '; ')}.`
                : `Waiting for ${waveLabel}${waiting.length === 0 && unlooked > 0 ? notLookedYet : waiting.join('; ')}${notLooked}.`,
            ...next.notes.map((note) => `Note: ${note}.`),
        ]),
    };
}
