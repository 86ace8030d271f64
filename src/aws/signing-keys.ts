import { clearCredentialCache } from '@smithy/signature-v4';

/**
 * Why it exists: every SDK v3 client signs with @smithy/signature-v4 (5.7.5,
 * dist-cjs/index.js `getSigningKey`), which keeps the signing keys of the last 50 credentials in a
 * module-level cache whose keys hold the session token in clear. A signing key signs any request of
 * its day, region and service, so in a warm container the callers of earlier invocations stayed
 * usable, and their tokens readable, after their invocation. Cleared when each invocation ends; one
 * invocation signs with its own credentials only, so it loses nothing it needs.
 */
export function forgetSigningKeys(): void {
    clearCredentialCache();
}
