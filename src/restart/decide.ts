import { ServiceAssessment, describeCounts } from './assess';
import { describeRestartState, fitMessage, truncate } from './messages';
import { MAX_NOTES, MAX_NOTE_LENGTH, RestartingOperation, TrackedService, servicesOfWave } from './progress';
import { MAX_STAGE_POLL_DELAY_SECONDS } from './strategies';

/** Re-invocation delays: short at first (small services settle in seconds), then once a minute. */
export const POLL_DELAYS_SECONDS = [10, 15, 20, 30, 45, 60] as const;
export const MAX_POLL_DELAY_SECONDS = 60;
export const MIN_POLL_DELAY_SECONDS = 5;
const FIRST_BACKOFF_SECONDS = 5;

export interface WaveFailure {
    service: TrackedService;
    assessment: Extract<ServiceAssessment, { state: 'failed' }>;
}

export type WaveDecision =
    | { kind: 'wait'; progress: RestartingOperation; delaySeconds: number; message: string }
    | { kind: 'wave-complete'; progress: RestartingOperation }
    | { kind: 'failed'; progress: RestartingOperation; failures: WaveFailure[] }
    | { kind: 'timed-out'; progress: RestartingOperation; message: string };

function boundedByDeadline(delaySeconds: number, deadline: number, now: number, max = MAX_POLL_DELAY_SECONDS): number {
    const untilDeadline = Math.ceil((deadline - now) / 1000);
    return Math.max(MIN_POLL_DELAY_SECONDS, Math.min(delaySeconds, max, untilDeadline));
}

export function pollDelaySeconds(progress: RestartingOperation, now: number): number {
    const delay = POLL_DELAYS_SECONDS[Math.min(progress.polls, POLL_DELAYS_SECONDS.length - 1)] ?? MAX_POLL_DELAY_SECONDS;
    return boundedByDeadline(delay, progress.deadline, now);
}

/**
 * The delay before the next look at a wave: the ordinary schedule, unless every service still running
 * sits in a long stage (a bake, a step's bake, an approval), where looks every few seconds learn nothing.
 * The service that may change soonest decides.
 */
export function waveDelaySeconds(progress: RestartingOperation, stageHints: ReadonlyArray<number | undefined>, now: number): number {
    const scheduled = POLL_DELAYS_SECONDS[Math.min(progress.polls, POLL_DELAYS_SECONDS.length - 1)] ?? MAX_POLL_DELAY_SECONDS;
    if (stageHints.length === 0 || stageHints.some((hint) => hint === undefined)) {
        return pollDelaySeconds(progress, now);
    }
    const soonest = Math.min(...(stageHints as number[]));
    return boundedByDeadline(Math.max(scheduled, soonest), progress.deadline, now, MAX_STAGE_POLL_DELAY_SECONDS);
}

/** Exponential back-off after throttling or a transient failure: 5, 10, 20, 40, 60, 60… seconds. */
export function backoffDelaySeconds(failuresInARow: number, deadline: number, now: number): number {
    const exponent = Math.max(0, failuresInARow - 1);
    return boundedByDeadline(FIRST_BACKOFF_SECONDS * 2 ** exponent, deadline, now);
}

/**
 * Folds the assessments of the current wave into the progress and decides what comes next. Pure:
 * the caller supplies the observation and the time.
 */
export function decideWave(progress: RestartingOperation, assessments: ReadonlyMap<string, ServiceAssessment>, now: number): WaveDecision {
    const notes = new Set(progress.notes);
    const failures: WaveFailure[] = [];
    const waiting: string[] = [];
    const stageHints: Array<number | undefined> = [];
    const services = progress.services.map((service) => {
        const assessment = service.wave === progress.wave && !service.completed ? assessments.get(service.name) : undefined;
        if (!assessment) {
            return service;
        }
        const updated: TrackedService = {
            ...service,
            followedDeploymentId: assessment.followedDeploymentId ?? service.followedDeploymentId,
            serviceDeploymentArn: assessment.serviceDeploymentArn ?? service.serviceDeploymentArn,
            awaitingApproval: assessment.state === 'in-progress' ? assessment.awaitingApproval : undefined,
            completed: assessment.state === 'completed',
        };
        if (!updated.serviceDeploymentArn) delete updated.serviceDeploymentArn;
        if (!updated.awaitingApproval) delete updated.awaitingApproval;
        if (assessment.note) notes.add(truncate(assessment.note, MAX_NOTE_LENGTH));
        if (assessment.state === 'failed') failures.push({ service: updated, assessment });
        if (assessment.state === 'in-progress') {
            stageHints.push(assessment.pollSeconds);
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
        notes: [...notes].slice(-MAX_NOTES),
        polls: progress.polls + 1,
        transientFailures: 0,
    };

    if (failures.length > 0) {
        return { kind: 'failed', progress: next, failures };
    }
    if (servicesOfWave(next).every((service) => service.completed)) {
        return { kind: 'wave-complete', progress: next };
    }
    if (now >= progress.deadline) {
        const stillRunning = servicesOfWave(next).filter((service) => !service.completed);
        const message = fitMessage([
            `Timed out after ${progress.timeoutInMinutes} minutes (TimeoutInMinutes) waiting for: ${waiting.join('; ')}.`,
            describeRestartState(next, stillRunning),
            ...next.notes.map((note) => `Note: ${note}.`),
        ]);
        return { kind: 'timed-out', progress: next, message };
    }
    const waveLabel = progress.waveCount > 1 ? `wave ${progress.wave + 1} of ${progress.waveCount}: ` : '';
    return {
        kind: 'wait',
        progress: next,
        delaySeconds: waveDelaySeconds(progress, stageHints, now),
        message: fitMessage([`Waiting for ${waveLabel}${waiting.join('; ')}.`, ...next.notes.map((note) => `Note: ${note}.`)]),
    };
}
