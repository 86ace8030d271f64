import { HandlerErrorCode, OperationStatus } from '@amazon-web-services-cloudformation/cloudformation-cli-typescript-lib';

/**
 * Why it exists: the library's log filters (`BaseResource.entrypoint` adds one per credential value and
 * one for the bearer token, `utils.replaceAll` in
 * node_modules/@amazon-web-services-cloudformation/cloudformation-cli-typescript-lib/dist/resource.js)
 * replace every occurrence of each value in each log line: an empty value (or one that prints as '')
 * puts a marker between every character of every line. Such a request is answered here, without the
 * library.
 */

const ACTIONS = new Set(['CREATE', 'READ', 'UPDATE', 'DELETE', 'LIST']);

export const field = (value: unknown, key: string): unknown =>
    typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>)[key] : undefined;

/** What the library would mishandle in a request envelope, or undefined when nothing. */
export function envelopeProblem(event: unknown): string | undefined {
    const action = field(event, 'action');
    if (typeof action !== 'string' || !ACTIONS.has(action)) return 'the action is not one of CREATE, READ, UPDATE, DELETE, LIST';
    const token = field(event, 'bearerToken');
    if (token !== undefined && token !== null && (typeof token !== 'string' || token.length === 0)) {
        return 'the bearer token is not a non-empty string';
    }
    const requestData = field(event, 'requestData');
    if (typeof requestData !== 'object' || requestData === null || Array.isArray(requestData)) return 'requestData is not an object';
    for (const name of ['callerCredentials', 'providerCredentials']) {
        const credentials = field(requestData, name);
        if (credentials === undefined || credentials === null) continue;
        if (typeof credentials !== 'object' || Array.isArray(credentials)) return `${name} is not an object`;
        // Absent values (a session token of long-term keys) are fine; '' or anything that prints as '' is not.
        const values = ['accessKeyId', 'secretAccessKey', 'sessionToken'].map((key) => field(credentials, key));
        const printsEmpty = Object.values(credentials).some((value) => (Array.isArray(value) ? value.join('') === '' : value === ''));
        if (printsEmpty || values.some((value) => value !== undefined && value !== null && typeof value !== 'string')) {
            return `${name} holds a value that is not a non-empty string`;
        }
    }
    return undefined;
}

/** The answer to a malformed envelope, in the shape the library's entrypoint answers with. */
export function malformedRequestAnswer(problem: string): Record<string, unknown> {
    return {
        status: OperationStatus.Failed,
        errorCode: HandlerErrorCode.InvalidRequest,
        message: `Malformed request: ${problem}.`,
        callbackDelaySeconds: 0,
    };
}
