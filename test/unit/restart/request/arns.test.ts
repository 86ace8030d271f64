/**
 * Property-based tests (fast-check) of the pure functions the operation relies on: whatever the input,
 * a message fits, a delay stays in bounds, waves keep every service once and in order, and ARN parsing
 * either resolves or refuses with InvalidInputError.
 */
import fc from 'fast-check';
import { resolveCluster, resolveService } from '../../../../src/restart/request/arns';
import { chunk } from '../../../../src/restart/collections';
import { MAX_POLL_DELAY_SECONDS, MIN_POLL_DELAY_SECONDS, backoffDelaySeconds } from '../../../../src/restart/judging/decide';
import { InvalidInputError } from '../../../../src/restart/errors';
import { MAX_MESSAGE_LENGTH, fitMessage, truncate } from '../../../../src/restart/text/messages';

const here = { partition: 'aws', region: 'eu-west-1', accountId: '111122223333' };
const name = fc.stringMatching(/^[A-Za-z0-9_-]{1,255}$/);

describe('fitMessage', () => {
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

describe('backoffDelaySeconds', () => {
    it('stays between the minimum and the maximum, never waits past the deadline unless the minimum forces it, and grows', () => {
        fc.assert(
            fc.property(fc.integer({ min: 0, max: 50 }), fc.integer({ min: -3_600_000, max: 36_000_000 }), (failures, untilDeadlineMs) => {
                const now = 1_800_000_000_000;
                const delay = backoffDelaySeconds(failures, now + untilDeadlineMs, now);
                expect(Number.isInteger(delay)).toBe(true);
                expect(delay).toBeGreaterThanOrEqual(MIN_POLL_DELAY_SECONDS);
                expect(delay).toBeLessThanOrEqual(MAX_POLL_DELAY_SECONDS);
                expect(delay <= Math.max(MIN_POLL_DELAY_SECONDS, Math.ceil(untilDeadlineMs / 1000))).toBe(true);
                expect(backoffDelaySeconds(failures + 1, now + untilDeadlineMs, now)).toBeGreaterThanOrEqual(delay);
            }),
        );
    });
});

describe('chunk (waves and batches)', () => {
    it('keeps every item once, in order, in groups of the size (the last may be smaller)', () => {
        fc.assert(
            fc.property(fc.array(fc.integer(), { maxLength: 60 }), fc.integer({ min: 1, max: 25 }), (items, size) => {
                const groups = chunk(items, size);
                expect(groups.flat()).toEqual(items);
                expect(groups.every((group) => group.length > 0 && group.length <= size)).toBe(true);
                expect(groups.slice(0, -1).every((group) => group.length === size)).toBe(true);
                expect(groups).toHaveLength(Math.ceil(items.length / size));
            }),
        );
    });
});

describe('ARN parsing', () => {
    it('resolves a service name, short ARN or long ARN of this place to the same name', () => {
        fc.assert(
            fc.property(name, name, (cluster, service) => {
                const clusterRef = resolveCluster(cluster, here);
                const prefix = `arn:aws:ecs:${here.region}:${here.accountId}:service`;
                for (const input of [service, `${prefix}/${service}`, `${prefix}/${cluster}/${service}`]) {
                    expect(resolveService(input, clusterRef, here)).toEqual({ input, name: service });
                }
            }),
        );
    });

    it('refuses any ARN of another account, region or partition', () => {
        fc.assert(
            fc.property(
                name,
                fc.record({
                    partition: fc.constantFrom('aws', 'aws-cn', 'aws-us-gov'),
                    region: fc.constantFrom('eu-west-1', 'us-east-1', 'cn-north-1'),
                    accountId: fc.stringMatching(/^[0-9]{12}$/),
                }),
                (service, place) => {
                    fc.pre(place.partition !== here.partition || place.region !== here.region || place.accountId !== here.accountId);
                    const arn = `arn:${place.partition}:ecs:${place.region}:${place.accountId}:service/prod/${service}`;
                    expect(() => resolveService(arn, resolveCluster('prod', here), here)).toThrow(InvalidInputError);
                },
            ),
        );
    });

    it('answers any value with a resolution or InvalidInputError, never another error', () => {
        fc.assert(
            fc.property(fc.oneof(fc.string(), fc.anything()), (value) => {
                for (const act of [() => resolveCluster(value, here), () => resolveService(value, resolveCluster('prod', here), here)]) {
                    try {
                        act();
                    } catch (err) {
                        expect(err).toBeInstanceOf(InvalidInputError);
                    }
                }
            }),
        );
    });
});
