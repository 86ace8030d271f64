import { createHash, randomUUID } from 'crypto';

/**
 * The Id of a new resource. Derived from the request token so that a retried first step of the same
 * create finds the record it already wrote instead of restarting the services again.
 *
 * The format is an RFC 9562 UUID of version 8 (custom, here the first 122 bits of a SHA-256): the
 * version for application-defined hashes, unlike version 5, which means SHA-1 of a namespace and name.
 * Ids of existing resources (written as version-5-shaped) stay valid: the record path accepts any
 * UUID shape, and an Id is never recomputed once created.
 */
export function idForCreate(accountId: string, region: string, requestToken: string | undefined): string {
    if (!requestToken) {
        return randomUUID();
    }
    const hash = createHash('sha256').update(`${accountId}:${region}:${requestToken}`).digest('hex');
    const variant = ((parseInt(hash.charAt(16), 16) & 0x3) | 0x8).toString(16);
    return `${hash.slice(0, 8)}-${hash.slice(8, 12)}-8${hash.slice(13, 16)}-${variant}${hash.slice(17, 20)}-${hash.slice(20, 32)}`;
}

/**
 * What the record and the callback context keep of the request token: enough to recognise a retried
 * request, useless to anyone who reads them (the token authenticates the handler's callbacks).
 */
export function digestToken(token: string): string {
    return createHash('sha256').update(`Org::ECS::ServiceRestart:${token}`).digest('hex').slice(0, 32);
}
