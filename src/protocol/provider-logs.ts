import { LogPublisher } from '@amazon-web-services-cloudformation/cloudformation-cli-typescript-lib';

/**
 * The handler's log lines for the type's log group (the request's providerLogGroupName), kept in
 * memory while the invocation works and sent afterwards in as few PutLogEvents calls as the API takes.
 *
 * Why it exists: the library's CloudWatchLogPublisher (`log-delivery.js` in
 * node_modules/@amazon-web-services-cloudformation/cloudformation-cli-typescript-lib/dist) sends each
 * line in its own PutLogEvents call, sleeps 0.25 s before every one (`putLogEvents`), sends them one
 * after the other (its `Queue`), and `BaseResource.waitRunningProcesses` waits for all of them before
 * the entrypoint answers: 35 lines cost 9 s, and a slow or unreachable CloudWatch Logs multiplies that
 * by every line, past Lambda's 60 seconds.
 */

/** PutLogEvents limits (API reference): events per call, bytes per call, bytes counted per event. */
export const MAX_EVENTS_PER_CALL = 10_000;
export const MAX_BYTES_PER_CALL = 1_048_576;
export const EVENT_OVERHEAD_BYTES = 26;
/** The longest message one event may carry so that it still fits in a call on its own. */
export const MAX_MESSAGE_BYTES = MAX_BYTES_PER_CALL - EVENT_OVERHEAD_BYTES;

export interface LogEvent {
    message: string;
    timestamp: number;
}

/** UTF-8 pieces of at most `maxBytes` each, never splitting a character. */
export function splitMessage(message: string, maxBytes: number = MAX_MESSAGE_BYTES): string[] {
    if (Buffer.byteLength(message, 'utf8') <= maxBytes) return [message];
    const pieces: string[] = [];
    let piece = '';
    let pieceBytes = 0;
    for (const character of message) {
        const bytes = Buffer.byteLength(character, 'utf8');
        if (pieceBytes + bytes > maxBytes) {
            pieces.push(piece);
            piece = '';
            pieceBytes = 0;
        }
        piece += character;
        pieceBytes += bytes;
    }
    if (piece.length > 0) pieces.push(piece);
    return pieces;
}

/**
 * The events in PutLogEvents calls: in order, each call within the event and byte limits. (A call may
 * span at most 24 hours; one invocation spans a minute.)
 */
export function batchesOf(events: readonly LogEvent[]): LogEvent[][] {
    const batches: LogEvent[][] = [];
    let batch: LogEvent[] = [];
    let batchBytes = 0;
    for (const event of events) {
        const bytes = Buffer.byteLength(event.message, 'utf8') + EVENT_OVERHEAD_BYTES;
        if (batch.length === MAX_EVENTS_PER_CALL || (batch.length > 0 && batchBytes + bytes > MAX_BYTES_PER_CALL)) {
            batches.push(batch);
            batch = [];
            batchBytes = 0;
        }
        batch.push(event);
        batchBytes += bytes;
    }
    if (batch.length > 0) batches.push(batch);
    return batches;
}

/**
 * A publisher for the library's LoggerProxy that only keeps the lines, redacted, in order. The
 * library's own filters are not kept: each closes over the request's credentials, and `redact` already
 * removes those values and the shapes of others.
 */
export class ProviderLogBuffer extends LogPublisher {
    private readonly events: LogEvent[] = [];

    constructor(private readonly redact: (text: string) => string) {
        super();
    }

    override addFilter(): void {
        // See the class comment: redaction is `redact`'s.
    }

    protected publishMessage(message: string, eventTime?: Date): Promise<void> {
        // CloudWatch Logs refuses a call whose events are out of order: a clock step back keeps the last time.
        const last = this.events.at(-1)?.timestamp ?? 0;
        const timestamp = Math.max(last, Math.round((eventTime ?? new Date()).getTime()));
        for (const piece of splitMessage(this.redact(message))) this.events.push({ message: piece, timestamp });
        return Promise.resolve();
    }

    /** The lines kept so far, and forgets them. */
    take(): LogEvent[] {
        return this.events.splice(0);
    }
}
