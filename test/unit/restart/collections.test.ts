import fc from 'fast-check';
import { chunk } from '../../../src/restart/collections';

describe('chunk (waves and API batches)', () => {
    it('keeps the order and splits into groups of the given size', () => {
        expect(chunk(['a', 'b', 'c', 'd', 'e'], 2)).toEqual([['a', 'b'], ['c', 'd'], ['e']]);
        expect(chunk(['a', 'b'], 20)).toEqual([['a', 'b']]);
        expect(chunk([], 3)).toEqual([]);
    });

    it('refuses a size that would loop forever or drop items', () => {
        expect(() => chunk(['a'], 0)).toThrow(RangeError);
        expect(() => chunk(['a'], 1.5)).toThrow(RangeError);
    });
});

describe('chunk on any input', () => {
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
