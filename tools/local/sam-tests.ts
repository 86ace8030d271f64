/**
 * Replays the CloudFormation CLI's local test events (sam-tests/*.json, the payload that
 * `sam local invoke TestEntrypoint --event FILE` passes to the library's `testEntrypoint`) against the
 * packaged handler, with no SAM and no Docker.
 *
 * Like `cfn invoke`, an event is invoked again while the handler answers IN_PROGRESS, with the
 * returned callbackContext and the returned model as the new desired state. Unlike a bare
 * `sam local invoke`, the replay:
 * - fills in the credentials (the committed files hold empty ones), the region and the account of
 *   the target it runs against, since those decide where the handler's calls really go;
 * - gives every replayed file a fresh clientRequestToken, as CloudFormation does per operation, so
 *   that replaying create.json twice creates two resources instead of resuming the first;
 * - threads the Id: once a file's answer carried an Id (create), it replaces the Id of every later
 *   file's desired and previous state; `initialId` does the same for a run without create.
 */
import { randomUUID } from 'crypto';
import { readFileSync } from 'fs';
import { basename } from 'path';

/** In the committed files, the place of an Id that only a create can produce. */
export const ID_PLACEHOLDER = 'REPLACE-WITH-ID-FROM-CREATE';
const ACTIONS = ['CREATE', 'READ', 'UPDATE', 'DELETE', 'LIST'] as const;
const DEFAULT_MAX_INVOCATIONS = 1000;

export type Credentials = { accessKeyId: string; secretAccessKey: string; sessionToken?: string };
type State = Record<string, unknown>;

/** The `TestEvent` that the library's `testEntrypoint` deserializes. */
export interface SamTestEvent {
    credentials: Credentials;
    action: (typeof ACTIONS)[number];
    region?: string;
    request: {
        clientRequestToken?: string;
        awsAccountId?: string;
        region?: string;
        desiredResourceState: State;
        previousResourceState?: State | null;
        logicalResourceIdentifier?: string | null;
    };
    callbackContext?: unknown;
}

export interface ReplayOptions {
    /** Invokes the TestEntrypoint function once. */
    invoke: (event: SamTestEvent) => Promise<{ payload: any; functionError?: string }>;
    credentials: () => Promise<Credentials>;
    region: string;
    accountId: string;
    /** Waits callbackDelaySeconds; injectable so that local runs need not sleep. */
    sleep?: (seconds: number) => Promise<void>;
    print?: (line: string) => void;
    initialId?: string;
    maxInvocations?: number;
}

export interface ReplayResult {
    file: string;
    action: string;
    status: 'SUCCESS' | 'FAILED';
    errorCode?: string;
    message?: string;
    resourceModel?: State;
    resourceModels?: State[];
    invocations: number;
}

function isObject(value: unknown): value is Record<string, unknown> {
    return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Reads and checks one event file, naming the file and the field that is wrong. */
export function readSamTestEvent(file: string): SamTestEvent {
    let parsed: unknown;
    try {
        parsed = JSON.parse(readFileSync(file, 'utf8'));
    } catch (err) {
        throw new Error(`Cannot read the test event ${file}: ${err instanceof Error ? err.message : String(err)}`);
    }
    if (!isObject(parsed)) {
        throw new Error(`${file} must hold a JSON object (a TestEntrypoint event), not ${JSON.stringify(parsed)?.slice(0, 80)}.`);
    }
    if (!ACTIONS.includes(parsed.action as SamTestEvent['action'])) {
        throw new Error(`${file}: "action" is ${JSON.stringify(parsed.action)}; it must be one of ${ACTIONS.join(', ')}.`);
    }
    if (!isObject(parsed.request) || !isObject(parsed.request.desiredResourceState)) {
        throw new Error(`${file}: "request.desiredResourceState" must be an object of resource properties.`);
    }
    if (!isObject(parsed.credentials)) {
        throw new Error(`${file}: "credentials" must be an object (empty strings are filled in by the replay).`);
    }
    return parsed as unknown as SamTestEvent;
}

function withId(state: State | null | undefined, id: string | undefined): State | null | undefined {
    return state && id && 'Id' in state ? { ...state, Id: id } : state;
}

function unresolvedId(event: SamTestEvent): boolean {
    return [event.request.desiredResourceState, event.request.previousResourceState].some((state) => state?.Id === ID_PLACEHOLDER);
}

/** Replays the files in order; stops at the first file whose Id cannot be resolved. */
export async function replaySamTests(files: readonly string[], options: ReplayOptions): Promise<ReplayResult[]> {
    const print = options.print ?? ((line: string) => console.log(line));
    const sleep = options.sleep ?? ((seconds: number) => new Promise<void>((resolve) => setTimeout(resolve, seconds * 1000)));
    const results: ReplayResult[] = [];
    let id = options.initialId;
    for (const file of files) {
        const original = readSamTestEvent(file);
        const filled: SamTestEvent = {
            ...original,
            region: options.region,
            request: {
                ...original.request,
                clientRequestToken: randomUUID(),
                awsAccountId: options.accountId,
                region: options.region,
                desiredResourceState: withId(original.request.desiredResourceState, id) as State,
                previousResourceState: withId(original.request.previousResourceState, id),
            },
        };
        if (unresolvedId(filled)) {
            throw new Error(`${file} needs the Id of a restart resource: replay it after create.json, or pass --id ID.`);
        }
        const result = await replayOne(file, filled, options, sleep);
        results.push(result);
        print(
            `${basename(file).padEnd(12)} ${result.action.padEnd(7)} ${result.status.padEnd(8)} ${result.invocations} invocation(s)` +
                `${result.errorCode ? `  ${result.errorCode}: ${result.message}` : ''}`,
        );
        id = (result.resourceModel?.Id as string | undefined) ?? id;
    }
    return results;
}

async function replayOne(
    file: string,
    event: SamTestEvent,
    options: ReplayOptions,
    sleep: (seconds: number) => Promise<void>,
): Promise<ReplayResult> {
    let current = event;
    const max = options.maxInvocations ?? DEFAULT_MAX_INVOCATIONS;
    for (let invocation = 1; invocation <= max; invocation += 1) {
        const credentials = await options.credentials();
        const { payload, functionError } = await options.invoke({ ...current, credentials });
        if (payload?.status === 'IN_PROGRESS') {
            current = {
                ...current,
                callbackContext: payload.callbackContext,
                request: { ...current.request, desiredResourceState: payload.resourceModel ?? current.request.desiredResourceState },
            };
            await sleep(payload.callbackDelaySeconds ?? 0);
            continue;
        }
        const base = { file, action: event.action, invocations: invocation };
        if (payload?.status === 'SUCCESS') {
            return { ...base, status: 'SUCCESS', resourceModel: payload.resourceModel, resourceModels: payload.resourceModels };
        }
        const detail = functionError ? ` (function error: ${functionError})` : '';
        return {
            ...base,
            status: 'FAILED',
            errorCode: payload?.errorCode ?? 'NoErrorCode',
            message: `${payload?.message ?? JSON.stringify(payload)}${detail}`,
        };
    }
    throw new Error(`${file}: ${event.action} was still IN_PROGRESS after ${max} invocations.`);
}

/** The arguments that are neither an option (--name) nor an option's value. */
export function positionalArguments(args: readonly string[]): string[] {
    const positional: string[] = [];
    for (let index = 0; index < args.length; index += 1) {
        const arg = args[index] ?? '';
        if (arg.startsWith('--')) {
            index += 1;
        } else {
            positional.push(arg);
        }
    }
    return positional;
}
