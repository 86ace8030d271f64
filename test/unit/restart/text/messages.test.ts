import fc from 'fast-check';
import {
    MAX_MESSAGE_LENGTH,
    NAMED_IN_MESSAGE,
    countedFew,
    describeStoppedTasks,
    fitMessage,
    namedFew,
    truncate,
} from '../../../../src/restart/text/messages';

describe('fitMessage', () => {
    it('keeps every part that fits, in order', () => {
        expect(fitMessage(['one.', '', 'two.'])).toBe('one. two.');
    });

    it('always keeps the first part, truncated when it alone is too long', () => {
        const message = fitMessage(['x'.repeat(2000), 'never shown']);
        expect(message).toHaveLength(MAX_MESSAGE_LENGTH);
        expect(message.endsWith('…')).toBe(true);
    });

    it('trims a later part to the room left and drops the rest', () => {
        const message = fitMessage(['head.', 'y'.repeat(2000), 'tail.'], 100);
        expect(message).toHaveLength(100);
        expect(message.startsWith('head. yyy')).toBe(true);
        expect(message).not.toContain('tail.');
    });
});

describe('describeStoppedTasks', () => {
    it('lists each task with its stop code, reason and container reasons', () => {
        expect(
            describeStoppedTasks([
                {
                    taskArn: 'arn:aws:ecs:r:1:task/prod/abc',
                    stopCode: 'EssentialContainerExited',
                    stoppedReason: 'Essential container in task exited',
                    containerReasons: ['app: exit code 137'],
                },
            ]),
        ).toBe('Stopped tasks: abc: EssentialContainerExited; Essential container in task exited; app: exit code 137.');
    });

    it('says nothing when no task stopped', () => {
        expect(describeStoppedTasks([])).toBe('');
    });
});

describe('truncate', () => {
    it('leaves short text alone', () => {
        expect(truncate('abc', 3)).toBe('abc');
        expect(truncate('abcd', 3)).toBe('ab…');
    });
});

describe('fitMessage on any input', () => {
    it('never exceeds the limit and always starts with the first non-empty part (or its truncation)', () => {
        fc.assert(
            fc.property(fc.array(fc.string({ maxLength: 600 }), { maxLength: 8 }), fc.integer({ min: 10, max: 2_000 }), (parts, max) => {
                const message = fitMessage(parts, max);
                expect(message.length).toBeLessThanOrEqual(max);
                const first = parts.find((part) => part.length > 0);
                if (first !== undefined) {
                    expect(message.startsWith(truncate(first, max).replace(/…$/, ''))).toBe(true);
                } else {
                    expect(message).toBe('');
                }
            }),
        );
    });

    it('keeps every part whole when they fit together', () => {
        fc.assert(
            fc.property(fc.array(fc.string({ minLength: 1, maxLength: 50 }), { maxLength: 10 }), (parts) => {
                expect(fitMessage(parts, MAX_MESSAGE_LENGTH)).toBe(parts.join(' '));
            }),
        );
    });
});

describe('namedFew and countedFew', () => {
    const names = (count: number) => Array.from({ length: count }, (_, i) => `svc-${i}`);

    it('names a few items in full', () => {
        expect(namedFew(names(NAMED_IN_MESSAGE))).toBe('svc-0, svc-1, svc-2, svc-3, svc-4');
        expect(countedFew('Not restarted', names(2))).toBe('Not restarted: svc-0, svc-1');
    });

    it('names the first few of many and counts the rest, at any size', () => {
        expect(namedFew(names(1_000), '; ')).toBe('svc-0; svc-1; svc-2; svc-3; svc-4; and 995 more');
        expect(countedFew('Not restarted', names(1_000))).toBe(
            'Not restarted 1000 services: svc-0, svc-1, svc-2, svc-3, svc-4, and 995 more',
        );
        expect(countedFew('Not restarted', names(1_000)).length).toBeLessThan(100);
    });
});
