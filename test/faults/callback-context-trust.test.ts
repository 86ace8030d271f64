/**
 * SPEC 4: the callback context is checked against the request and the record before use. Hostile
 * contexts are real ones returned by the handler, then altered; the handler must refuse them fast,
 * with InternalFailure naming what did not match, and change nothing. moto runs no task here, so a
 * restart never completes and every operation stays IN_PROGRESS for as long as a test needs.
 */
import { UpdateServiceCommand } from '@aws-sdk/client-ecs';
import { randomUUID } from 'crypto';
import { OperationResult } from '../../tools/local/cloudformation-driver';
import { FaultEnvironment, KEEP, alterJson, outcomeOf } from '../support/packaged-harness';

let env: FaultEnvironment;
const HOURS_3 = 3 * 60 * 60 * 1000;

beforeAll(async () => {
    env = await FaultEnvironment.start({ services: ['h-id', 'h-deadline', 'h-wave', 'h-notes', 'h-bounded'], runningTasks: 0 });
}, 60_000);

afterAll(() => env?.stop(), 90_000);

interface Tampering {
    name: string;
    service: string;
    /** Alters the context in place; returns how many values it changed. */
    alter: (context: any, id: string) => number;
    /** What the message must name. */
    names: (id: string) => RegExp;
}

const TAMPERINGS: Tampering[] = [
    {
        name: 'a resource id that differs from the request',
        service: 'h-id',
        alter: (context, id) => {
            const foreign = randomUUID();
            return alterJson(context, (_key, value) => (value === id ? foreign : KEEP));
        },
        names: () => /\bId\b|identifier|resource id/i,
    },
    {
        name: 'a deadline 3 h past TimeoutInMinutes',
        service: 'h-deadline',
        alter: (context) =>
            alterJson(context, (key, value) => (/deadline/i.test(key) && typeof value === 'number' ? value + HOURS_3 : KEEP)),
        names: () => /deadline|TimeoutInMinutes/i,
    },
    {
        name: 'wave 99',
        service: 'h-wave',
        alter: (context) => alterJson(context, (key) => (key === 'wave' ? 99 : KEEP)),
        names: () => /wave/i,
    },
    {
        name: 'a huge notes array',
        service: 'h-notes',
        alter: (context) =>
            alterJson(context, (key) =>
                key === 'notes' ? Array.from({ length: 20_000 }, (_, i) => `note ${i} ${'x'.repeat(200)}`) : KEEP,
            ),
        names: () => /notes|too large|size|bytes/i,
    },
];

/** The driver gives up after `maxInvocations`; here that ends a test that expected an earlier answer. */
async function runUntil(properties: Record<string, unknown>, hooks: Parameters<FaultEnvironment['run']>[2]): Promise<OperationResult> {
    return env
        .run('CREATE', properties, hooks)
        .catch(
            (err: Error) =>
                ({ status: 'IN_PROGRESS', message: `the altered context was accepted: ${err.message}`, invocations: 0 }) as never,
        );
}

describe('a hostile callback context', () => {
    it.each(TAMPERINGS)(
        '$name: FAILED InternalFailure naming it, nothing overwritten or deleted, fast',
        async ({ service, alter, names }) => {
            let id = '';
            let changed = 0;
            let recordsBefore: Array<{ name: string; value: string }> = [];
            let restartsBefore: Record<string, number> = {};

            const result = await runUntil(
                { Cluster: env.cluster, Services: [service] },
                {
                    maxInvocations: 2,
                    afterInvoke: (payload, n) => {
                        if (n === 1) id = payload?.resourceModel?.Id ?? '';
                    },
                    beforeInvoke: async (event, n) => {
                        if (n !== 2) return event;
                        const context = JSON.parse(JSON.stringify(event.callbackContext));
                        changed = alter(context, id);
                        recordsBefore = await env.records();
                        restartsBefore = env.proxy.updateServiceCallsReachingMoto();
                        return { ...event, callbackContext: context };
                    },
                },
            );

            expect(changed).toBeGreaterThan(0);
            expect(outcomeOf(result)).toMatch(/^FAILED InternalFailure: /);
            expect(result.message).toMatch(/context/i);
            expect(result.message).toMatch(names(id));
            expect(result.message!.length).toBeLessThan(2_048);
            expect(await env.records()).toEqual(recordsBefore);
            expect(env.proxy.updateServiceCallsReachingMoto()).toEqual(restartsBefore);
            expect(env.invocations.at(-1)!.durationMs).toBeLessThan(5_000);
            expect(await env.credentialLeaks()).toEqual([]);
        },
        60_000,
    );

    it('stays bounded in size over 30 callbacks that follow a superseding deployment', async () => {
        const sizes: number[] = [];
        let superseded = false;
        let followed: string | undefined;

        await env
            .run(
                'CREATE',
                { Cluster: env.cluster, Services: ['h-bounded'] },
                {
                    maxInvocations: 31,
                    afterInvoke: (payload) => {
                        sizes.push(JSON.stringify(payload?.callbackContext ?? {}).length);
                    },
                    between: async () => {
                        if (superseded) return;
                        superseded = true;
                        // A pipeline deploys the service meanwhile: the restart follows that deployment from now on.
                        const other = await env.ecs.send(
                            new UpdateServiceCommand({ cluster: env.cluster, service: 'h-bounded', forceNewDeployment: true }),
                        );
                        followed = other.service?.deployments?.find((deployment) => deployment.status === 'PRIMARY')?.id;
                    },
                },
            )
            .catch((err: Error) => expect(err.message).toMatch(/still IN_PROGRESS after 31 invocations/));

        expect(sizes).toHaveLength(31);
        expect(followed).toBeDefined();
        expect(env.invocations.at(-1)!.payload?.message).toContain(followed);
        expect(Math.max(...sizes)).toBeLessThan(8_192);
        expect(sizes[30]! - sizes[4]!).toBeLessThan(256);
    }, 120_000);
});
