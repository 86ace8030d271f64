/** The Id of a new resource and the digest of a request token. */
import { digestToken, idForCreate } from '../../../../src/restart/operation/identity';

const UUID_V8 = /^[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const ANY_UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

describe('idForCreate', () => {
    it('is a version-8 UUID (RFC 9562 variant) derived from the request token', () => {
        expect(idForCreate('123456789012', 'us-east-1', 'token-1')).toMatch(UUID_V8);
    });

    it('is the same for a retried first step of the same create', () => {
        expect(idForCreate('123456789012', 'us-east-1', 'token-1')).toBe(idForCreate('123456789012', 'us-east-1', 'token-1'));
    });

    it.each([
        ['another account', ['210987654321', 'us-east-1', 'token-1']],
        ['another region', ['123456789012', 'eu-west-1', 'token-1']],
        ['another token', ['123456789012', 'us-east-1', 'token-2']],
    ] as const)('differs for %s', (_label, [account, region, token]) => {
        expect(idForCreate(account, region, token)).not.toBe(idForCreate('123456789012', 'us-east-1', 'token-1'));
    });

    it('is a fresh random UUID for each request without a token', () => {
        const first = idForCreate('123456789012', 'us-east-1', undefined);
        const second = idForCreate('123456789012', 'us-east-1', '');
        expect(first).toMatch(ANY_UUID);
        expect(second).toMatch(ANY_UUID);
        expect(first).not.toBe(second);
    });
});

describe('digestToken', () => {
    const token = 'eyJhbGciOiJIUzI1NiJ9.bearer-token-value.c2lnbmF0dXJl';

    it('is 32 hexadecimal characters, the same for the same token and different for another', () => {
        expect(digestToken(token)).toMatch(/^[0-9a-f]{32}$/);
        expect(digestToken(token)).toBe(digestToken(token));
        expect(digestToken(token)).not.toBe(digestToken(`${token}x`));
    });

    it('never contains the token nor any part of it', () => {
        const digest = digestToken(token);
        expect(digest).not.toContain(token);
        for (const part of token.split('.')) expect(digest).not.toContain(part);
        // Short tokens too: the digest is no encoding of its input.
        expect(digestToken('abc')).not.toContain('abc');
    });
});
