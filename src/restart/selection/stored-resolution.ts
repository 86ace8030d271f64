/**
 * A resolution of ServicesUsingSecrets that goes on in another invocation keeps its place in the
 * callback context, and the names it found beside the record (RestartRecordStore.putSelection): one
 * name per selected service, up to 1,000 names of up to 255 characters, would make the context, which
 * travels in every request, grow with the selection.
 *
 * Every write takes a fresh generation and the context names the one it goes with, so that a replayed
 * invocation (its answer lost) finds the names its own context names. A context arriving proves that the
 * one before it will not come back: the selection that context named (`replaced`) is removed then.
 */
import type { RestartRecordStore, StoredSelection } from '../ports';
import { MAX_SERVICES } from '../request/settings';
import { asRestartError } from '../errors';
import type { ResolutionProgress } from './resolve-services';

/** How far a resolution got, as the callback context carries it: its place, counters and notes, not the names. */
export interface StoredResolution extends Omit<ResolutionProgress, 'found'> {
    /** Where the names found so far are; absent while none was found. */
    selection?: StoredSelection;
    /** The selection of the context before this one, removed by the next invocation. */
    replaced?: StoredSelection;
}

/** The most parts a selection takes: 1,000 names of 255 characters take about 65. */
const MAX_SELECTION_PARTS = 100;
/** What the context's resolution may take: the place, counters, a few notes and named services, two selection references. */
export const MAX_STORED_RESOLUTION_BYTES = 24_576;

const isCount = (value: unknown, max: number): value is number =>
    typeof value === 'number' && Number.isSafeInteger(value) && value >= 0 && value <= max;

/** Whether `value` is a selection reference this type writes: the store builds parameter names from it. */
export function isStoredSelection(value: unknown): value is StoredSelection {
    if (typeof value !== 'object' || value === null) return false;
    const { generation, parts, bytes, sha256, names } = value as Record<string, unknown>;
    return (
        typeof generation === 'string' &&
        /^[0-9a-f]{12}$/.test(generation) &&
        isCount(parts, MAX_SELECTION_PARTS) &&
        parts > 0 &&
        isCount(bytes, Number.MAX_SAFE_INTEGER) &&
        typeof sha256 === 'string' &&
        /^[0-9a-f]{64}$/.test(sha256) &&
        isCount(names, MAX_SERVICES)
    );
}

/**
 * The resolution to go on from: the context's place with the names read back. Undefined (start over)
 * when the names are gone or do not match: nothing is restarted before resolution ends, so reading the
 * cluster again is the only cost.
 */
export async function loadResolution(
    id: string,
    stored: StoredResolution | undefined,
    records: RestartRecordStore,
    log: (message: string) => void,
): Promise<ResolutionProgress | undefined> {
    if (stored === undefined) return undefined;
    const { selection, replaced, ...place } = stored;
    if (replaced) {
        await removeQuietly(id, [replaced], records, log);
    }
    if (!selection) return { ...place, found: [] };
    const found = await records.getSelection(id, selection);
    if (found === undefined) {
        log(
            `Resource ${id}: the services found so far are no longer stored (generation ${selection.generation}); reading the cluster again.`,
        );
        return undefined;
    }
    return { ...place, found };
}

/**
 * What the context carries of `progress`: the names are stored first when this invocation found new
 * ones (`found` only grows), else the selection `previous` named stays.
 */
export async function storeResolution(
    id: string,
    progress: ResolutionProgress,
    previous: StoredResolution | undefined,
    records: RestartRecordStore,
): Promise<StoredResolution> {
    const { found, ...place } = progress;
    const kept = previous?.selection;
    if (found.length === (kept?.names ?? 0)) {
        return { ...place, ...(kept ? { selection: kept } : {}) };
    }
    const selection = await records.putSelection(id, found);
    return { ...place, selection, ...(kept ? { replaced: kept } : {}) };
}

/** Every selection the context names, once the record holds the services (or the operation ended without one). */
export function selectionsOf(stored: StoredResolution | undefined): StoredSelection[] {
    return [stored?.selection, stored?.replaced].filter((selection): selection is StoredSelection => selection !== undefined);
}

/**
 * Removes selections no longer needed. Left behind, they only take room under the record's parts path
 * until DELETE lists and removes them, so a failure to remove is logged, never the operation's.
 */
export async function removeQuietly(
    id: string,
    selections: readonly StoredSelection[],
    records: RestartRecordStore,
    log: (message: string) => void,
): Promise<void> {
    if (selections.length === 0) return;
    await quietly(id, () => records.removeSelections(id, selections), log);
}

/** Every selection stored for `id` goes, quietly as removeQuietly: for a create that fails before its record. */
export async function sweepQuietly(id: string, records: RestartRecordStore, log: (message: string) => void): Promise<void> {
    await quietly(id, () => records.sweepSelections(id), log);
}

async function quietly(id: string, remove: () => Promise<void>, log: (message: string) => void): Promise<void> {
    try {
        await remove();
    } catch (err) {
        log(
            `Resource ${id}: the services found so far could not be removed (${asRestartError(err).message}); ` +
                "they stay under the record's parts path until DELETE removes them.",
        );
    }
}
