/** Where a resolution that continues in another invocation keeps the names it found: the store, not the context. */
import type { ResolutionProgress } from '../../../../src/restart/selection/resolve-services';
import { loadResolution, selectionsOf, storeResolution } from '../../../../src/restart/selection/stored-resolution';
import { TransientAwsError } from '../../../../src/restart/errors';
import { MemoryRecords, RESOURCE_ID } from '../../../support/restart-fixtures';

const place = (found: string[], offset = found.length): ResolutionProgress => ({
    offset,
    servicesRead: offset,
    taskDefinitionsRead: offset,
    found,
    foundBeyondLimit: 0,
    named: [],
    readersPerSecret: [found.length],
    ambiguous: 0,
    foundListed: 0,
    notes: [],
    moreNotes: 0,
});

describe('storeResolution and loadResolution', () => {
    it('stores nothing until a name is found, then only when new names were found', async () => {
        const records = new MemoryRecords();

        const none = await storeResolution(RESOURCE_ID, place([], 100), undefined, records);
        const two = await storeResolution(RESOURCE_ID, place(['web', 'api'], 200), none, records);
        const same = await storeResolution(RESOURCE_ID, place(['web', 'api'], 300), two, records);

        expect(none).not.toHaveProperty('selection');
        expect(records.journal.filter((entry) => entry.startsWith('records.putSelection'))).toHaveLength(1);
        expect(same).toEqual({ ...two, offset: 300, servicesRead: 300, taskDefinitionsRead: 300 });
        expect(JSON.stringify(same)).not.toContain('"api"');
    });

    it('names the selection it replaces, which the next invocation removes once it has read its own', async () => {
        const records = new MemoryRecords();
        const first = await storeResolution(RESOURCE_ID, place(['web']), undefined, records);
        const second = await storeResolution(RESOURCE_ID, place(['web', 'api']), first, records);
        expect(second.replaced).toEqual(first.selection);
        expect(records.selectionCount(RESOURCE_ID)).toBe(2);

        const resumed = await loadResolution(RESOURCE_ID, second, records, () => undefined);

        expect(resumed?.found).toEqual(['web', 'api']);
        expect(resumed).not.toHaveProperty('selection');
        expect(records.selectionCount(RESOURCE_ID)).toBe(1);
        expect(selectionsOf(second)).toEqual([second.selection, first.selection]);
    });

    it('a replayed context still reads the names it names, though a later invocation stored more', async () => {
        const records = new MemoryRecords();
        const first = await storeResolution(RESOURCE_ID, place(['web']), undefined, records);
        await storeResolution(RESOURCE_ID, place(['web', 'api']), first, records);

        await expect(loadResolution(RESOURCE_ID, first, records, () => undefined)).resolves.toMatchObject({ found: ['web'], offset: 1 });
    });

    it('starts over, saying so, when the names are gone', async () => {
        const records = new MemoryRecords();
        const first = await storeResolution(RESOURCE_ID, place(['web']), undefined, records);
        records.selections.clear();
        const lines: string[] = [];

        await expect(loadResolution(RESOURCE_ID, first, records, (line) => lines.push(line))).resolves.toBeUndefined();
        expect(lines).toEqual([expect.stringMatching(/no longer stored .*reading the cluster again/)]);
    });

    it('a replaced selection that cannot be removed is logged and left to DELETE; the names are still read', async () => {
        const records = new MemoryRecords();
        const first = await storeResolution(RESOURCE_ID, place(['web']), undefined, records);
        const second = await storeResolution(RESOURCE_ID, place(['web', 'api']), first, records);
        records.failNext.set('removeSelections', [new TransientAwsError('ssm:DeleteParameters: Rate exceeded', 'Throttling')]);
        const lines: string[] = [];

        const resumed = await loadResolution(RESOURCE_ID, second, records, (line) => lines.push(line));

        expect(resumed?.found).toEqual(['web', 'api']);
        expect(lines).toEqual([expect.stringMatching(/could not be removed \(ssm:DeleteParameters: Rate exceeded\).*until DELETE/)]);
    });

    it('a store that fails fails the call: the operation keeps the context it had', async () => {
        const records = new MemoryRecords();
        records.failNext.set('putSelection', [new TransientAwsError('ssm:PutParameter: Rate exceeded', 'Throttling')]);

        await expect(storeResolution(RESOURCE_ID, place(['web']), undefined, records)).rejects.toThrow(TransientAwsError);
    });
});
