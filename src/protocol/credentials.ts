import { field } from './envelope';

/**
 * The request's secret values: every credential value of the given credential objects, and the given
 * strings themselves (the bearer token). The library redacts only its own log lines, with filters built
 * from the sessions it made; messages this handler writes into answers and log lines are redacted with
 * these, gathered from the raw event before the library sees it.
 */
export function secretValuesOf(...sources: unknown[]): string[] {
    const secrets: string[] = [];
    for (const source of sources) {
        if (typeof source === 'string') {
            secrets.push(source);
            continue;
        }
        for (const key of ['accessKeyId', 'secretAccessKey', 'sessionToken']) {
            const value = field(source, key);
            if (typeof value === 'string') secrets.push(value);
        }
    }
    return secrets;
}
