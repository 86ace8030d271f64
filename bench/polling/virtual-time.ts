/**
 * Virtual time for the polling-economy benchmark: Date and the timers are @sinonjs/fake-timers' fakes,
 * so a 30-minute deployment runs in milliseconds. Between invocations the clock moves by the
 * callbackDelaySeconds the handler asked for; during one, any timer the handler (or its library) sets
 * fires as soon as the process has nothing else to do, and the clock moves to its due time: a wait
 * inside an invocation costs virtual seconds, not real ones.
 */
import FakeTimers, { Clock } from '@sinonjs/fake-timers';

/** A fixed start, so that every run of the benchmark sees the same times. */
export const VIRTUAL_EPOCH = Date.parse('2025-01-06T09:00:00.000Z');

export class VirtualTime {
    private readonly clock: Clock;

    constructor() {
        this.clock = FakeTimers.install({
            now: VIRTUAL_EPOCH,
            toFake: [
                'Date',
                'performance',
                'hrtime',
                'setTimeout',
                'clearTimeout',
                'setInterval',
                'clearInterval',
                'setImmediate',
                'clearImmediate',
            ],
        });
        // Whenever the process has nothing else to do, the clock jumps to the next timer and fires it.
        this.clock.setTickMode({ mode: 'nextAsync' });
    }

    get now(): number {
        return this.clock.now;
    }

    /** CloudFormation waits callbackDelaySeconds before the next invocation. */
    async wait(seconds: number): Promise<void> {
        await this.clock.tickAsync(seconds * 1000);
    }

    uninstall(): void {
        this.clock.uninstall();
    }
}
