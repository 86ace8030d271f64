/**
 * SPEC 4: records are parsed and checked (shape, version) when read; one unreadable record never
 * breaks LIST for the others; a record that disappears is NotFound, never silently recreated.
 */
import { DeleteParameterCommand, GetParameterCommand, PutParameterCommand } from '@aws-sdk/client-ssm';
import { randomUUID } from 'crypto';
import { FaultEnvironment, RECORD_PREFIX, outcomeOf } from '../support/packaged-harness';

let env: FaultEnvironment;
const UNREADABLE: Record<string, string> = {
    'not JSON': '{"version": 1, "properties": {"Cluster": "faults"',
    'a JSON array': '[]',
    'an unknown version': '{"version": 2}',
};
const unreadableIds = Object.fromEntries(Object.keys(UNREADABLE).map((label) => [label, randomUUID()]));

beforeAll(async () => {
    env = await FaultEnvironment.start({ services: ['g1-web', 'g3-web'] });
    for (const [label, value] of Object.entries(UNREADABLE)) {
        await env.ssm.send(new PutParameterCommand({ Name: `${RECORD_PREFIX}${unreadableIds[label]}`, Value: value, Type: 'String' }));
    }
}, 60_000);

afterAll(() => env?.stop(), 90_000);

describe('records that cannot be trusted', () => {
    it('LIST returns the readable records and skips the unreadable ones', async () => {
        const created = await env.run('CREATE', { Cluster: env.cluster, Services: ['g1-web'] });
        expect(outcomeOf(created)).toMatch(/^SUCCESS/);

        const listed = await env.run('LIST', {});

        expect(outcomeOf(listed)).toMatch(/^SUCCESS/);
        const ids = (listed.resourceModels ?? []).map((model) => model.Id);
        expect(ids).toContain(created.resourceModel?.Id);
        expect(ids).not.toEqual(expect.arrayContaining([expect.stringMatching(new RegExp(Object.values(unreadableIds).join('|')))]));
        expect(await env.credentialLeaks()).toEqual([]);
    }, 60_000);

    it.each(Object.keys(UNREADABLE))(
        'READ of a record holding %s fails with InternalFailure naming it, not SUCCESS',
        async (label) => {
            const id = unreadableIds[label];

            const read = await env.run('READ', { Id: id });

            expect(outcomeOf(read)).toMatch(/^FAILED InternalFailure: /);
            expect(read.message).toContain(id);
            expect(read.resourceModel).toBeUndefined();
        },
        30_000,
    );

    it('a record deleted out of band between callbacks ends the operation with NotFound and is not recreated', async () => {
        let id: string | undefined;
        let deleted = false;

        const created = await env.run(
            'CREATE',
            { Cluster: env.cluster, Services: ['g3-web'] },
            {
                afterInvoke: (payload) => {
                    id = id ?? payload?.resourceModel?.Id;
                },
                between: async () => {
                    // Once: a later callback must not find it again.
                    if (id && !deleted) {
                        deleted = true;
                        await env.ssm.send(new DeleteParameterCommand({ Name: `${RECORD_PREFIX}${id}` }));
                    }
                },
            },
        );

        expect(id).toBeDefined();
        expect(outcomeOf(created)).toMatch(/^FAILED NotFound: /);
        await expect(env.ssm.send(new GetParameterCommand({ Name: `${RECORD_PREFIX}${id}` }))).rejects.toMatchObject({
            name: 'ParameterNotFound',
        });
    }, 60_000);
});
