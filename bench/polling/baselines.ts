/**
 * The pollers users know, simulated over the same timelines as the handler: each polls every 15 s from
 * the restart on (first poll at once) and stops at the first poll that sees its services stable (one
 * deployment, every desired task running).
 *   - batched: the AWS CLI's `aws ecs wait services-stable` (botocore waiter: DescribeServices of up to
 *     10 services per call, every 15 s; its 40-attempt limit is left out so that long deployments finish);
 *   - per service: Terraform's wait_for_steady_state (one DescribeServices per service and poll, each
 *     service's poller stopping on its own).
 * Both count the N UpdateService calls of the restart too. After a circuit-breaker failure both see the
 * rolled-back service stable and report success: the outcome is wrong, and the time is when they stop.
 */
import { RestartTimeline, restartOutcome, stableAtSeconds } from './timelines';

export const BASELINE_POLL_SECONDS = 15;
const DESCRIBE_SERVICES_BATCH = 10;

export interface PollerRun {
    status: 'SUCCESS';
    expected: 'SUCCESS' | 'FAILED';
    lagSeconds: number;
    polls: number;
    ecsCalls: number;
}

/** The first poll at or after `seconds`: polls run at 0, 15, 30… seconds after the restart. */
function firstPollAtOrAfter(seconds: number): number {
    return Math.ceil(seconds / BASELINE_POLL_SECONDS) * BASELINE_POLL_SECONDS;
}

function pollsUntil(seconds: number): number {
    return firstPollAtOrAfter(seconds) / BASELINE_POLL_SECONDS + 1;
}

export function batchedPoller(timeline: RestartTimeline): PollerRun {
    const services = timeline.services.length;
    const stableAt = Math.max(...timeline.services.map(stableAtSeconds));
    const { outcome, decidedAtSeconds } = restartOutcome(timeline);
    const polls = pollsUntil(stableAt);
    return {
        status: 'SUCCESS',
        expected: outcome,
        lagSeconds: firstPollAtOrAfter(stableAt) - decidedAtSeconds,
        polls,
        ecsCalls: services + polls * Math.ceil(services / DESCRIBE_SERVICES_BATCH),
    };
}

export function perServicePoller(timeline: RestartTimeline): PollerRun {
    const stableAt = timeline.services.map(stableAtSeconds);
    const { outcome, decidedAtSeconds } = restartOutcome(timeline);
    const polls = stableAt.map(pollsUntil);
    return {
        status: 'SUCCESS',
        expected: outcome,
        lagSeconds: Math.max(...stableAt.map(firstPollAtOrAfter)) - decidedAtSeconds,
        polls: Math.max(...polls),
        ecsCalls: timeline.services.length + polls.reduce((sum, count) => sum + count, 0),
    };
}
