/** resolveServices against an in-memory ECS port: the decisions, the notes and where a continuation resumes. */
import { InvalidInputError } from '../../../../src/restart/errors';
import type { EcsGateway, RestartDependencies } from '../../../../src/restart/ports';
import type { RestartRecord } from '../../../../src/restart/ports';
import { Resolution, resolveServices, settingsOfRecord } from '../../../../src/restart/selection/resolve-services';
import { StoredResolution, loadResolution, storeResolution } from '../../../../src/restart/selection/stored-resolution';
import { MemoryRecords, RESOURCE_ID } from '../../../support/restart-fixtures';
import { MAX_SERVICES, settingsFromProperties } from '../../../../src/restart/request/settings';
import type { ServiceView, TaskDefinitionView } from '../../../../src/restart/views';

const here = { partition: 'aws', region: 'eu-west-1', accountId: '111122223333' };
const DB = 'arn:aws:secretsmanager:eu-west-1:111122223333:secret:db-AbCdEf';
const arnOf = (name: string) => `arn:aws:ecs:eu-west-1:111122223333:service/prod/${name}`;

interface Service {
    view: ServiceView;
    definition?: TaskDefinitionView;
}

function service(name: string, valueFroms: string[], overrides: Partial<ServiceView> = {}): Service {
    const taskDefinition = `arn:aws:ecs:eu-west-1:111122223333:task-definition/${name}:1`;
    return {
        view: {
            arn: arnOf(name),
            name,
            status: 'ACTIVE',
            deploymentController: 'ECS',
            desiredCount: 1,
            runningCount: 1,
            pendingCount: 0,
            deployments: [
                {
                    id: `ecs-svc/${name}`,
                    status: 'PRIMARY',
                    createdAt: 0,
                    desiredCount: 1,
                    runningCount: 1,
                    pendingCount: 0,
                    failedTasks: 0,
                    taskDefinition,
                },
            ],
            events: [],
            ...overrides,
        },
        definition: {
            taskDefinitionArn: taskDefinition,
            family: name,
            revision: 1,
            containerDefinitions: [{ name: 'app', secrets: valueFroms.map((valueFrom, i) => ({ name: `S${i}`, valueFrom })) }],
        },
    };
}

/** An ECS port over `services`, pages of `pageSize`; `describeGone` are listed but no longer described. */
function gateway(services: Service[], pageSize = 100, describeGone: string[] = []): EcsGateway & { calls: string[] } {
    const calls: string[] = [];
    const unused = () => Promise.reject(new Error('not used by resolution'));
    return {
        calls,
        listServices: (_cluster, token) => {
            calls.push(`ListServices ${token ?? ''}`);
            const start = Number(token ?? 0);
            const end = start + pageSize;
            return Promise.resolve({
                serviceArns: services.slice(start, end).map((s) => s.view.arn),
                nextToken: end < services.length ? String(end) : undefined,
            });
        },
        describeServices: (_cluster, arns) => {
            calls.push(`DescribeServices ${arns.length}`);
            return Promise.resolve(
                services.filter((s) => arns.includes(s.view.arn) && !describeGone.includes(s.view.name)).map((s) => s.view),
            );
        },
        describeTaskDefinition: (arn) => {
            calls.push(`DescribeTaskDefinition ${arn.split('/').pop() ?? ''}`);
            const found = services.find((s) => s.definition?.taskDefinitionArn === arn)?.definition;
            return found ? Promise.resolve(found) : Promise.reject(new Error(`no ${arn}`));
        },
        forceNewDeployment: unused,
        listServiceDeployments: unused,
        describeServiceDeployments: unused,
        describeStoppedTasks: unused,
    };
}

function deps(ecs: EcsGateway, budgetEndsAt = Number.MAX_SAFE_INTEGER): RestartDependencies & { lines: string[] } {
    const lines: string[] = [];
    return {
        ecs,
        records: {} as RestartDependencies['records'],
        now: () => 0,
        sleep: () => Promise.resolve(),
        log: (line) => lines.push(line),
        budgetEndsAt,
        lines,
    };
}

function resolved(resolution: Resolution): Extract<Resolution, { kind: 'resolved' }> {
    if (resolution.kind !== 'resolved') throw new Error(`not resolved: ${resolution.message}`);
    return resolution;
}

describe('resolveServices', () => {
    it('calls nothing and changes nothing without ServicesUsingSecrets', async () => {
        const ecs = gateway([service('web', [DB])]);
        const settings = settingsFromProperties({ Cluster: 'prod', Services: ['web'] }, here);
        expect(await resolveServices(undefined, settings, deps(ecs))).toEqual({ kind: 'resolved', settings, announcement: '' });
        expect(ecs.calls).toEqual([]);
    });

    it('selects on a current read even when another container reads a pinned version, and counts the other reads', async () => {
        const ecs = gateway([service('web', [`${DB}:::9d4cb84b-ad69-40c0-a0ab-cead3EXAMPLE`, DB, `${DB}:password::`])]);
        const settings = settingsFromProperties({ Cluster: 'prod', ServicesUsingSecrets: [DB] }, here);
        const { announcement, settings: union } = resolved(await resolveServices(undefined, settings, deps(ecs)));
        // By name, as settingsOfRecord gives them back from a record: the same services whichever invocation plans them.
        expect(union.services).toEqual([{ input: 'web', name: 'web' }]);
        expect(announcement).toBe(
            "ServicesUsingSecrets selected, reading secret:db-AbCdEf: web (container app, secrets[S1], and 1 more). (1 service and 1 task definition of cluster 'prod' read.)",
        );
    });

    it('reads a shared task definition once, skips services gone since listed and those without a task definition', async () => {
        const shared = service('a', [DB]);
        const b = { ...service('b', []), view: { ...service('b', []).view, deployments: shared.view.deployments } };
        const external = service('ext', [], { deploymentController: 'EXTERNAL', deployments: [] });
        const ecs = gateway([shared, b, external, service('gone', [DB])], 100, ['gone']);
        const d = deps(ecs);
        const settings = settingsFromProperties({ Cluster: 'prod', ServicesUsingSecrets: [DB] }, here);

        const { settings: union } = resolved(await resolveServices(undefined, settings, d));

        expect(union.services.map((s) => s.name)).toEqual(['a', 'b']);
        expect(ecs.calls.filter((call) => call.startsWith('DescribeTaskDefinition'))).toEqual(['DescribeTaskDefinition a:1']);
        expect(d.lines.join('\n').split('\n')).toContain('Service ext: no task definition to read (controller EXTERNAL).');
    });

    it('names ten left-out services and counts the rest', async () => {
        const pinned = Array.from({ length: 12 }, (_, i) => service(`p${String(i).padStart(2, '0')}`, [`${DB}::AWSPREVIOUS:`]));
        const ecs = gateway([...pinned, service('web', [DB]), service('ext', [DB], { deploymentController: 'EXTERNAL' })]);
        const settings = settingsFromProperties({ Cluster: 'prod', ServicesUsingSecrets: [DB] }, here);

        const { announcement } = resolved(await resolveServices(undefined, settings, deps(ecs)));

        expect(announcement).toContain('p09 (secret:db-AbCdEf).');
        expect(announcement).not.toContain('p10');
        expect(announcement).toContain("3 more left out or skipped (see the handler's log).");
    });

    it('stops when the budget is spent and resumes from the same place, reading nothing twice', async () => {
        const services = Array.from({ length: 25 }, (_, i) => service(`s${String(i).padStart(2, '0')}`, i === 24 ? [DB] : []));
        const ecs = gateway(services, 10);
        const settings = settingsFromProperties({ Cluster: 'prod', ServicesUsingSecrets: [DB] }, here);
        let spent = 0;
        const limited = { ...deps(ecs), now: () => spent };
        const originalList = ecs.listServices.bind(ecs);
        ecs.listServices = (cluster, token) => {
            spent += 1;
            return originalList(cluster, token);
        };

        // Each ListServices spends one unit: the third page is listed, and then the budget is spent.
        const first = await resolveServices(undefined, settings, { ...limited, budgetEndsAt: 3 });
        expect(first.kind).toBe('unfinished');
        const place = first.kind === 'unfinished' ? first.progress : undefined;
        expect(place).toMatchObject({ pageToken: '20', offset: 0, servicesRead: 20 });
        expect(first.kind === 'unfinished' ? first.message : '').toBe(
            "Finding the services that read ServicesUsingSecrets: 20 services and 20 task definitions of cluster 'prod' read so far, 0 selected; continuing.",
        );

        const second = resolved(await resolveServices(place, settings, { ...limited, budgetEndsAt: 100 }));

        expect(second.settings.services.map((s) => s.name)).toEqual(['s24']);
        expect(ecs.calls.filter((call) => call.startsWith('DescribeTaskDefinition'))).toHaveLength(25);
        // The third page is listed again by the invocation that reads it.
        expect(ecs.calls.filter((call) => call.startsWith('ListServices'))).toEqual([
            'ListServices ',
            'ListServices 10',
            'ListServices 20',
            'ListServices 20',
        ]);
    });

    it('starts over from a place of another shape, as an earlier version wrote it, restarting nothing twice', async () => {
        const ecs = gateway([service('a', [DB]), service('b', [])]);
        const settings = settingsFromProperties({ Cluster: 'prod', ServicesUsingSecrets: [DB] }, here);
        const earlier = {
            offset: 1,
            servicesRead: 1,
            taskDefinitionsRead: 1,
            found: [{ name: 'a', arn: arnOf('a') }],
            foundListed: 0,
            notes: [],
            moreNotes: 0,
        };

        const { settings: union } = resolved(await resolveServices(earlier as never, settings, deps(ecs)));

        expect(union.services).toEqual([{ input: 'a', name: 'a' }]);
        expect(ecs.calls.filter((call) => call.startsWith('DescribeTaskDefinition'))).toHaveLength(2);
    });

    it('refuses a service of Services that reads nothing and no other reader, naming the secret', async () => {
        const ecs = gateway([service('web', [])]);
        const settings = settingsFromProperties({ Cluster: 'prod', Services: ['web'], ServicesUsingSecrets: [DB] }, here);
        await expect(resolveServices(undefined, settings, deps(ecs))).rejects.toThrow(InvalidInputError);
        await expect(resolveServices(undefined, settings, deps(ecs))).rejects.toThrow(`reads ${DB} through its current task definition`);
    });

    it('settles for Services when only services of Services read the secret', async () => {
        const ecs = gateway([service('web', [DB])]);
        const settings = settingsFromProperties({ Cluster: 'prod', Services: ['web'], ServicesUsingSecrets: [DB] }, here);
        const { settings: union, announcement } = resolved(await resolveServices(undefined, settings, deps(ecs)));
        expect(union.services.map((s) => s.name)).toEqual(['web']);
        expect(announcement).toBe(
            "ServicesUsingSecrets selected no service beyond Services. 1 service of Services read them too. (1 service and 1 task definition of cluster 'prod' read.)",
        );
    });

    it('reports a failed task definition read as the error to back off from or fail with, keeping the place', async () => {
        const broken = { ...service('broken', []), definition: undefined };
        const ecs = gateway([service('a', []), broken]);
        const settings = settingsFromProperties({ Cluster: 'prod', ServicesUsingSecrets: [DB] }, here);
        const resolution = await resolveServices(undefined, settings, deps(ecs));
        expect(resolution).toMatchObject({ kind: 'unfinished', error: { message: expect.stringContaining('no arn:') } });
        expect(resolution.kind === 'unfinished' ? resolution.progress.offset : -1).toBe(1);
    });
});

describe('resolveServices at the limits of one resource', () => {
    const PARAMETER = 'arn:aws:ssm:eu-west-1:111122223333:parameter/app/api-key';
    /** `size` services named `svc-0000`…; `readers` of them (every size/readers-th) read DB, one in ten of those the parameter too. */
    function cluster(size: number, readers: number, nameOf = (i: number) => `svc-${String(i).padStart(4, '0')}`): Service[] {
        const every = Math.floor(size / readers);
        return Array.from({ length: size }, (_, i) => {
            const reads = i % every === 0 && i / every < readers ? (i % (10 * every) === 0 ? [PARAMETER, DB] : [DB]) : [];
            return service(nameOf(i), reads);
        });
    }

    /** Invocation after invocation, each ECS call moving the clock by `callMs`, until resolved or refused. */
    async function resolveAcrossInvocations(services: Service[], properties: Record<string, unknown>, callMs: number, budgetMs = 35_000) {
        const ecs = gateway(services);
        let now = 0;
        let lateCalls = 0;
        let budgetEndsAt = 0;
        const clocked: EcsGateway = {
            ...ecs,
            listServices: (...args) => tick(() => ecs.listServices(...args)),
            describeServices: (...args) => tick(() => ecs.describeServices(...args)),
            describeTaskDefinition: (...args) => tick(() => ecs.describeTaskDefinition(...args)),
        };
        // A call starts at `now` and ends callMs later: the parallel task definition reads of a group start together.
        async function tick<T>(call: () => Promise<T>): Promise<T> {
            if (now >= budgetEndsAt) lateCalls += 1;
            const result = await call();
            now += callMs;
            return result;
        }
        const settings = settingsFromProperties({ Cluster: 'prod', ...properties }, here);
        const contextBytes: number[] = [];
        const logEntries: string[] = [];
        // As the operation carries a resolution on: the names found beside the record, the rest in the context.
        const records = new MemoryRecords();
        let stored: StoredResolution | undefined;
        for (let invocation = 1; invocation <= 100; invocation++) {
            budgetEndsAt = now + budgetMs;
            const log = (entry: string) => logEntries.push(entry);
            const progress = await loadResolution(RESOURCE_ID, stored, records, log);
            const resolution = await resolveServices(progress, settings, { ...deps(clocked), now: () => now, budgetEndsAt, log });
            if (resolution.kind === 'resolved') {
                return { resolution, invocations: invocation, calls: ecs.calls, lateCalls, contextBytes, logEntries, records };
            }
            stored = JSON.parse(JSON.stringify(await storeResolution(RESOURCE_ID, resolution.progress, stored, records)));
            // What the operation's callback context carries between invocations, as JSON.
            contextBytes.push(JSON.stringify(stored).length);
            expect(resolution.error).toBeUndefined();
        }
        throw new Error('not resolved in 100 invocations');
    }

    const count = (calls: string[], command: string) => calls.filter((call) => call.startsWith(command)).length;

    it('selects 1000 services of a 5000-service cluster across invocations, never calling past the budget', async () => {
        const { resolution, invocations, calls, lateCalls, contextBytes, logEntries } = await resolveAcrossInvocations(
            cluster(5000, 1000),
            { ServicesUsingSecrets: [DB, PARAMETER] },
            20,
        );

        const { settings, announcement } = resolved(resolution);
        expect(settings.services).toHaveLength(MAX_SERVICES);
        expect(settings.services[0]).toEqual({ input: 'svc-0000', name: 'svc-0000' });
        expect(lateCalls).toBe(0);
        // 35 s of calls at 20 ms each: 1750 calls an invocation for 50 pages, 500 batches and 5000 task definitions.
        expect(invocations).toBe(4);
        expect(count(calls, 'ListServices')).toBe(50 + invocations - 1);
        expect(count(calls, 'DescribeServices')).toBeLessThanOrEqual(500 + invocations - 1);
        expect(count(calls, 'DescribeTaskDefinition')).toBe(5000);
        // Every read is logged, one entry per page of 100 services (or fewer, where an invocation stopped):
        // the library delivers each entry 0.25 s after the previous one before the answer leaves.
        expect(
            logEntries
                .join('\n')
                .split('\n')
                .filter((line) => line.includes('reads arn:')),
        ).toHaveLength(1100);
        expect(logEntries.length).toBeLessThanOrEqual(50 + invocations);
        expect(announcement.length).toBeLessThanOrEqual(800);
        const named = ['0005', '0010', '0015', '0020', '0025', '0030', '0035', '0040', '0045'];
        expect(announcement).toBe(
            'ServicesUsingSecrets selected 1000 services (900 reading secret:db-AbCdEf, 100 reading parameter/app/api-key); ' +
                'the first 10 by name: reading parameter/app/api-key: svc-0000 (container app, secrets[S0], and 1 more); ' +
                `reading secret:db-AbCdEf: ${named.map((n) => `svc-${n} (container app, secrets[S0])`).join(', ')}. ` +
                "The others are in ServiceArns and, with where each reads its secret, in the handler's log. " +
                "(5000 services and 5000 task definitions of cluster 'prod' read.)",
        );
        // The context grows neither with the cluster nor with the selection: the names are stored beside the record.
        expect(contextBytes).toHaveLength(invocations - 1);
        expect(Math.max(...contextBytes)).toBeLessThan(2_000);
    });

    it('keeps the context small with 1000 selected services of 255-character names, each restarted by its whole name', async () => {
        const nameOf = (i: number) => `${String(i).padStart(4, '0')}-${'n'.repeat(250)}`;
        const { resolution, invocations, contextBytes, records } = await resolveAcrossInvocations(
            cluster(3000, 1000, nameOf),
            { ServicesUsingSecrets: [DB, PARAMETER] },
            20,
            10_000,
        );

        const { settings } = resolved(resolution);
        expect(invocations).toBeGreaterThanOrEqual(3);
        expect(settings.services.map((s) => s.name)).toEqual(Array.from({ length: 1000 }, (_, i) => nameOf(3 * i)));
        expect(Math.max(...contextBytes)).toBeLessThan(4_000);
        // One selection per invocation that found names; each invocation removes the one its context replaced.
        expect(records.selectionCount(RESOURCE_ID)).toBe(1);
    });

    it('names fewer services, each whole, rather than cut where the others are, when names are long', async () => {
        // Prepare: 30 readers with names of 36 characters, as real services are named; ten of them would pass 800 characters.
        const ecs = gateway(
            Array.from({ length: 30 }, (_, i) => service(`orders-fulfilment-warehouse-sync-${String(i).padStart(3, '0')}`, [DB])),
        );
        const settings = settingsFromProperties({ Cluster: 'prod', ServicesUsingSecrets: [DB] }, here);

        // Act
        const { announcement } = resolved(await resolveServices(undefined, settings, deps(ecs)));

        // Assess
        expect(announcement.length).toBeLessThanOrEqual(800);
        expect(announcement).toContain("The others are in ServiceArns and, with where each reads its secret, in the handler's log.");
        // What follows may be trimmed to fit (fitMessage); the names before it never are.
        expect(announcement.split(' The others are')[0]).not.toContain('…');
        const shown = Number(/the first (\d+) by name/.exec(announcement)?.[1]);
        expect(shown).toBeGreaterThanOrEqual(5);
        expect(shown).toBeLessThan(10);
        expect(announcement.match(/orders-fulfilment-warehouse-sync-\d{3} \(container app, secrets\[S0\]\)/g)).toHaveLength(shown);
        expect(announcement).toContain(
            'ServicesUsingSecrets selected 30 services (30 reading secret:db-AbCdEf); the first ' +
                `${shown} by name: reading secret:db-AbCdEf: orders-fulfilment-warehouse-sync-000 (container app, secrets[S0]), `,
        );
    });

    it('names no service when the counts per secret leave no room for one, and still says where they all are', async () => {
        // Prepare: three secrets with long names, each read by some of 12 services with long names.
        const secrets = ['a', 'b', 'c'].map((letter) => DB.replace('db-AbCdEf', `${letter.repeat(150)}-AbCdEf`));
        const ecs = gateway(Array.from({ length: 12 }, (_, i) => service(`${'x'.repeat(200)}-${i}`, [secrets[i % 3] ?? ''])));
        const settings = settingsFromProperties({ Cluster: 'prod', ServicesUsingSecrets: secrets }, here);

        // Act
        const { announcement } = resolved(await resolveServices(undefined, settings, deps(ecs)));

        // Assess
        expect(announcement.length).toBeLessThanOrEqual(800);
        expect(announcement).toMatch(
            /^ServicesUsingSecrets selected 12 services \(4 reading secret:a+-A…, 4 reading secret:b+-A…, 4 reading secret:c+-A…\)\. They are in ServiceArns and, with where each reads its secret, in the handler's log\./,
        );
        expect(announcement).not.toContain('x'.repeat(200));
    });

    it('carries the names of 1000 selected services in about 12 KB when the budget ends right after the last read', async () => {
        const services = cluster(5000, 1000);
        const ecs = gateway(services);
        let now = 0;
        let reads = 0;
        const lastRead: EcsGateway = {
            ...ecs,
            describeTaskDefinition: async (arn) => {
                const view = await ecs.describeTaskDefinition(arn);
                if (++reads === services.length) now = 1;
                return view;
            },
        };
        const settings = settingsFromProperties({ Cluster: 'prod', ServicesUsingSecrets: [DB, PARAMETER] }, here);

        const resolution = await resolveServices(undefined, settings, { ...deps(lastRead), now: () => now, budgetEndsAt: 1 });

        if (resolution.kind !== 'unfinished') throw new Error('expected the budget to end first');
        expect(resolution.progress).toMatchObject({ done: true, foundBeyondLimit: 0 });
        expect(resolution.progress.found).toHaveLength(1000);
        const bytes = JSON.stringify(resolution.progress).length;
        expect(bytes).toBeGreaterThan(1000 * ('svc-0000'.length + 3));
        expect(bytes).toBeLessThan(1000 * ('svc-0000'.length + 3) + 2_500);
    });

    it('refuses 1001 selected services, counting them to the end of the cluster, before any restart', async () => {
        const act = resolveAcrossInvocations(cluster(5000, 1001), { ServicesUsingSecrets: [DB] }, 0, Number.MAX_SAFE_INTEGER);
        const refusal = await act.then(
            () => undefined,
            (error: unknown) => error,
        );
        expect(refusal).toBeInstanceOf(InvalidInputError);
        expect((refusal as Error).message).toBe(
            "Nothing was restarted: 1001 services would be restarted (0 in Services, 1001 more found by ServicesUsingSecrets in cluster 'prod'), " +
                'more than the 1000 one resource restarts. Split them across several resources, e.g. one per secret of ServicesUsingSecrets, ' +
                'or by listing the services of each in Services.',
        );
    });

    it('counts the services of Services against the limit: 100 listed and 901 found are one too many', async () => {
        // Every other service reads the secret: the odd ones, listed, do not.
        const services = cluster(2000, 1000);
        const listed = services
            .filter((_, i) => i % 2 === 1)
            .slice(0, 100)
            .map((s) => s.view.name);
        const act = resolveAcrossInvocations(services, { Services: listed, ServicesUsingSecrets: [DB] }, 0, Number.MAX_SAFE_INTEGER);
        await expect(act).rejects.toThrow(
            "1100 services would be restarted (100 in Services, 1000 more found by ServicesUsingSecrets in cluster 'prod'), more than the 1000",
        );
        const fewer = cluster(2000, 900);
        const { resolution } = await resolveAcrossInvocations(
            fewer,
            { Services: listed, ServicesUsingSecrets: [DB] },
            0,
            Number.MAX_SAFE_INTEGER,
        );
        expect(resolved(resolution).settings.services).toHaveLength(1000);
    });
});

describe('settingsOfRecord', () => {
    it('puts the services found by an earlier attempt after those of Services, as the record holds them', () => {
        const settings = settingsFromProperties({ Cluster: 'prod', Services: ['web'], ServicesUsingSecrets: [DB] }, here);
        const record = { serviceArns: [arnOf('web'), arnOf('api'), arnOf('worker')] } as RestartRecord;
        expect(settingsOfRecord(settings, record).services).toEqual([
            { input: 'web', name: 'web' },
            { input: 'api', name: 'api' },
            { input: 'worker', name: 'worker' },
        ]);
    });
});
