import type { ServiceEventView, StoppedTaskView } from '../views';

/** CloudFormation shows a status reason of about this length; longer messages are trimmed here, by priority. */
export const MAX_MESSAGE_LENGTH = 1024;
const MAX_EVENTS_IN_MESSAGE = 3;
const ELLIPSIS = '…';

/** `1 task`, `3 tasks`: the count with its noun, plural when it is not one. */
export function plural(count: number, noun: string): string {
    return `${count} ${noun}${count === 1 ? '' : 's'}`;
}

/** How many services a message names when it speaks of many: the rest are counted, never cut half-way. */
export const NAMED_IN_MESSAGE = 5;

/**
 * The first `shown` items, then how many more: a list that stays short at a thousand services. Where
 * the whole list is kept is for the caller to say once.
 */
export function namedFew(items: readonly string[], separator = ', ', shown = NAMED_IN_MESSAGE): string {
    if (items.length <= shown) return items.join(separator);
    return `${items.slice(0, shown).join(separator)}${separator}and ${items.length - shown} more`;
}

/** `label: a, b` for a few services; `label 12 services: a, b, c, d, e and 7 more` for many. */
export function countedFew(label: string, items: readonly string[], separator = ', '): string {
    return items.length > NAMED_IN_MESSAGE
        ? `${label} ${plural(items.length, 'service')}: ${namedFew(items, separator)}`
        : `${label}: ${items.join(separator)}`;
}

export function truncate(text: string, max: number): string {
    return text.length <= max ? text : `${text.slice(0, Math.max(0, max - ELLIPSIS.length))}${ELLIPSIS}`;
}

/**
 * Joins message parts in priority order: the first part always appears (truncated if it must be),
 * later parts only while they fit.
 */
export function fitMessage(parts: readonly string[], max = MAX_MESSAGE_LENGTH): string {
    let message = '';
    for (const part of parts.filter((p) => p.length > 0)) {
        const candidate = message ? `${message} ${part}` : part;
        if (candidate.length <= max) {
            message = candidate;
        } else if (!message) {
            return truncate(part, max);
        } else {
            const room = max - message.length - 1;
            if (room > 40) {
                message = `${message} ${truncate(part, room)}`;
            }
            break;
        }
    }
    return message;
}

function shortTaskId(taskArn: string): string {
    return taskArn.split('/').pop() ?? taskArn;
}

export function describeStoppedTasks(tasks: readonly StoppedTaskView[]): string {
    if (tasks.length === 0) {
        return '';
    }
    const lines = tasks.map((task) => {
        const reasons = [task.stopCode, task.stoppedReason, ...task.containerReasons].filter(Boolean);
        return `${shortTaskId(task.taskArn)}: ${reasons.join('; ') || 'no reason given'}`;
    });
    return `Stopped tasks: ${lines.join(' | ')}.`;
}

export function describeEvents(events: readonly ServiceEventView[], since: number): string {
    const recent = events.filter((event) => event.createdAt >= since).slice(0, MAX_EVENTS_IN_MESSAGE);
    return recent.length === 0 ? '' : `Latest events: ${recent.map((event) => event.message).join(' | ')}.`;
}
