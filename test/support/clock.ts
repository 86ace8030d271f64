/**
 * A simulated clock for deadlines: Date.now() runs from the real time plus an offset that a test moves
 * forward. The handler, the scripted ECS double and the record all read Date.now(), so moving the clock
 * moves them together, and no test edits a callback context to pretend that time passed.
 */
export class SimulatedClock {
    private offsetMs = 0;
    private spy: jest.SpyInstance<number, []> | undefined;

    install(): this {
        const realNow = Date.now.bind(Date);
        this.spy = jest.spyOn(Date, 'now').mockImplementation(() => realNow() + this.offsetMs);
        return this;
    }

    advance(ms: number): void {
        this.offsetMs += ms;
    }

    restore(): void {
        this.spy?.mockRestore();
        this.offsetMs = 0;
    }
}
