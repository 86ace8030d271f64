/** Credentials never leave the handler: by the request's own values and by the shapes AWS credentials take. */
import { REDACTED, redact } from '../../../../src/restart/text/redaction';

describe('redact', () => {
    const session = 'IQoJb3JpZ2luX2VjEXAMPLEtokenVALUE';

    it.each([
        [
            'the request secret values',
            `denied for ${session} and AKID-VALUE-1234`,
            [session, 'AKID-VALUE-1234'],
            `denied for ${REDACTED} and ${REDACTED}`,
        ],
        ['an access key id', 'key ASIAY34FZKBOKMUTVV7A in use', [], `key ${REDACTED} in use`],
        [
            'a quoted security token header',
            'x-amz-security-token:FwoGZXIvYXdzEJr//abc host:ecs',
            [],
            `x-amz-security-token:${REDACTED} host:ecs`,
        ],
        ['a signature', 'Signature=' + 'a'.repeat(64), [], `Signature=${REDACTED}`],
        ['a session-token-sized base64 string', `token ${'A'.repeat(300)} end`, [], `token ${REDACTED} end`],
    ])('removes %s', (_label, text, secrets, expected) => {
        expect(redact(text, secrets)).toBe(expected);
    });

    it('leaves ordinary text, short values and ECS names alone', () => {
        const text = 'Service web did not stabilize: deployment ecs-svc/1234567890 FAILED (CannotPullContainerError).';
        expect(redact(text, ['', 'web', undefined])).toBe(text);
    });
});
