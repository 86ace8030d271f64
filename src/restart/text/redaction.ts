/**
 * Every message and log line that leaves the handler goes through `redact`: AWS error messages quote
 * requests (a signature error quotes the canonical request, x-amz-security-token included), and
 * nothing guarantees that an SDK or the library never echoes a credential. Redaction is by the
 * request's own secret values (exact) and by the shapes AWS credentials take.
 */

export const REDACTED = '[redacted]';
/** Shorter values could match ordinary words: they are not secrets worth a false positive. */
const MIN_SECRET_LENGTH = 8;

const CREDENTIAL_PATTERNS: readonly RegExp[] = [
    // Access key ids: long-term (AKIA) and temporary (ASIA) ones, and their other documented prefixes.
    /\b(?:AKIA|ASIA|AROA|AIDA|ANPA|ANVA|AGPA|APKA)[A-Z0-9]{12,}\b/g,
    // Headers and query parameters of a signed request, as a canonical request or an error quotes them.
    /(x-amz-security-token|X-Amz-Security-Token|x-amz-signature|X-Amz-Signature|X-Amz-Credential)([=:]\s*)[^\s&,;"']+/g,
    /(Signature=)[0-9a-f]{64}/g,
    /(Credential=)[^\s,]+/g,
    // Authorization headers and bearer tokens.
    /(Authorization:?\s*)(?:Bearer\s+)?[^\n]+/gi,
    // Session tokens are long base64 strings (several hundred characters).
    /[A-Za-z0-9+/]{200,}={0,2}/g,
];

export function redact(text: string, secrets: readonly (string | undefined)[] = []): string {
    let result = text;
    for (const secret of secrets) {
        if (secret && secret.length >= MIN_SECRET_LENGTH) {
            result = result.split(secret).join(REDACTED);
        }
    }
    for (const pattern of CREDENTIAL_PATTERNS) {
        result = result.replace(pattern, (match: string, prefix?: string, separator?: string) =>
            typeof prefix === 'string' && match.startsWith(prefix)
                ? `${prefix}${typeof separator === 'string' && match.startsWith(prefix + separator) ? separator : ''}${REDACTED}`
                : REDACTED,
        );
    }
    return result;
}
