/**
 * ServicesUsingSecrets through the library's real entrypoint: the scripted ECS double lists the cluster's
 * services page by page and answers DescribeTaskDefinition from task definitions registered here.
 */
import type { ContainerDefinition } from '@aws-sdk/client-ecs';
import { PutParameterCommand } from '@aws-sdk/client-ssm';
import { INVOCATION_BUDGET_MS, RestartOutcome, runRestart } from '../../src/restart/operation/operation';
import { ACCOUNT_ID, REGION, cfnEvent } from '../support/cfn-event';
import { HandlerResponse, useScriptedAws, driveHandler, invokeHandler } from '../support/handler-harness';
import { InMemorySsm } from '../support/in-memory-ssm';
import { StepClock, restartRequest, sdkDependencies } from '../support/restart-fixtures';
import { MAX_THROTTLED_ATTEMPTS } from '../../src/aws/ecs-gateway';
import { ScriptedEcs } from '../support/scripted-ecs';

type Response = HandlerResponse;

const DB = `arn:aws:secretsmanager:${REGION}:${ACCOUNT_ID}:secret:db-AbCdEf`;
const API_KEY = `arn:aws:ssm:${REGION}:${ACCOUNT_ID}:parameter/app/api-key`;
const OTHER = `arn:aws:secretsmanager:${REGION}:${ACCOUNT_ID}:secret:other-GhIjKl`;

let ecs: ScriptedEcs;
let ssm: InMemorySsm;
useScriptedAws((aws) => ({ ecs, ssm } = aws));

const invoke = invokeHandler;

function drive(
    action: 'CREATE' | 'UPDATE',
    properties: Record<string, unknown>,
    between: (round: number) => void = () => undefined,
    previous?: Record<string, unknown>,
): Promise<{ final: Response; rounds: Response[] }> {
    return driveHandler(action, properties, between, { previous });
}

/** A service whose one container `app` reads `secrets` (name → valueFrom), on a task definition of its own. */
function serviceReading(name: string, secrets: Record<string, string>, overrides: Parameters<ScriptedEcs['addService']>[1] = {}) {
    const container: ContainerDefinition = {
        name: 'app',
        image: 'registry.example/app:1',
        secrets: Object.entries(secrets).map(([variable, valueFrom]) => ({ name: variable, valueFrom })),
    };
    return ecs.addService(name, { taskDefinition: ecs.registerTaskDefinition(name, [container]), ...overrides });
}

const completeAll = () =>
    [...ecs.services.values()].filter((s) => s.status === 'ACTIVE').forEach((s) => ecs.primary(s.name) && ecs.complete(s.name));
const restarted = () => [...ecs.services.keys()].filter((name) => ecs.updateCalls(name) > 0).sort();

describe('selection by secret', () => {
    it('restarts exactly the services whose task definition reads the secret, and says which container reads it', async () => {
        serviceReading('web', { DB_PASSWORD: DB });
        serviceReading('api', { DB_USER: `${DB.replace('-AbCdEf', '')}:username::` });
        serviceReading('worker', { OTHER_SECRET: OTHER });
        ecs.addService('static', { taskDefinition: ecs.registerTaskDefinition('static', [{ name: 'nginx', image: 'nginx' }]) });

        const { final, rounds } = await drive('CREATE', { Cluster: 'prod', ServicesUsingSecrets: [DB] }, completeAll);

        expect(rounds[0]?.status).toBe('IN_PROGRESS');
        expect(rounds[0]?.message).toMatch(
            /^ServicesUsingSecrets selected, reading secret:db-AbCdEf: api \(container app, secrets\[DB_USER\]\), web \(container app, secrets\[DB_PASSWORD\]\)\. \(4 services and 4 task definitions of cluster 'prod' read\.\) Restarted api \(ecs-svc\/\d+\), web \(ecs-svc\/\d+\); waiting/,
        );
        expect(final.status).toBe('SUCCESS');
        expect(restarted()).toEqual(['api', 'web']);
        // Found services come after Services (empty here), by name.
        expect(final.resourceModel?.ServiceArns).toEqual([ecs.serviceArn('api'), ecs.serviceArn('web')]);
        expect(final.resourceModel?.DeploymentIds).toEqual([ecs.primary('api').id, ecs.primary('web').id]);
        expect(final.resourceModel?.ServicesUsingSecrets).toEqual([DB]);
        expect(final.resourceModel?.Services).toBeUndefined();
    });

    it('finds the readers of a parameter by name and of a secret through logConfiguration and repositoryCredentials', async () => {
        serviceReading('by-name', { API_KEY: '/app/api-key' });
        ecs.addService('logs', {
            taskDefinition: ecs.registerTaskDefinition('logs', [
                {
                    name: 'router',
                    image: 'fluent-bit',
                    logConfiguration: { logDriver: 'awsfirelens', secretOptions: [{ name: 'key', valueFrom: API_KEY }] },
                },
            ]),
        });
        ecs.addService('private-image', {
            taskDefinition: ecs.registerTaskDefinition('private-image', [
                { name: 'app', image: 'registry.example/app', repositoryCredentials: { credentialsParameter: 'db' } },
            ]),
        });

        const { final } = await drive('CREATE', { Cluster: 'prod', ServicesUsingSecrets: [API_KEY, DB] }, completeAll);

        expect(final.status).toBe('SUCCESS');
        expect(restarted()).toEqual(['by-name', 'logs', 'private-image']);
    });

    it('restarts Services first, in their order, then the services found, each once', async () => {
        serviceReading('web', { DB_PASSWORD: DB });
        serviceReading('api', { DB_PASSWORD: DB });
        serviceReading('worker', {});

        const { final, rounds } = await drive(
            'CREATE',
            { Cluster: 'prod', Services: ['worker', 'web'], ServicesUsingSecrets: [DB], MaxConcurrentRestarts: 2 },
            completeAll,
        );

        expect(rounds[0]?.message).toContain(
            'ServicesUsingSecrets selected, reading secret:db-AbCdEf: api (container app, secrets[DB_PASSWORD]).',
        );
        expect(rounds[0]?.message).toContain('1 service of Services read them too.');
        expect(rounds[0]?.message).toContain('(wave 1 of 2)');
        expect(final.status).toBe('SUCCESS');
        expect(final.resourceModel?.ServiceArns).toEqual(['worker', 'web', 'api'].map((name) => ecs.serviceArn(name)));
        expect(['worker', 'web', 'api'].map((name) => ecs.updateCalls(name))).toEqual([1, 1, 1]);
    });

    it('leaves out a reference pinned to a version, and says so', async () => {
        serviceReading('current', { DB_PASSWORD: DB });
        serviceReading('pinned', { DB_PASSWORD: `${DB}:::9d4cb84b-ad69-40c0-a0ab-cead3EXAMPLE` });
        serviceReading('labelled', { API_KEY: `${API_KEY}:3` });

        const { final, rounds } = await drive('CREATE', { Cluster: 'prod', ServicesUsingSecrets: [DB, API_KEY] }, completeAll);

        expect(final.status).toBe('SUCCESS');
        expect(restarted()).toEqual(['current']);
        expect(rounds[0]?.message).toContain(
            'Left out, pinned to a version or label that rotation does not move: pinned (secret:db-AbCdEf), labelled (parameter/app/api-key).',
        );
    });

    it('restarts a service whose reference is ambiguous, saying why', async () => {
        // "db-AbCdEf" is also how the partial ARN of a secret named "db-AbCdEf" would look.
        const named = `arn:aws:secretsmanager:${REGION}:${ACCOUNT_ID}:secret:db-AbCdEf-XyZ123`;
        serviceReading('maybe', { DB_PASSWORD: DB });

        const { final, rounds } = await drive('CREATE', { Cluster: 'prod', ServicesUsingSecrets: [named] }, completeAll);

        expect(final.status).toBe('SUCCESS');
        expect(restarted()).toEqual(['maybe']);
        expect(rounds[0]?.message).toContain(
            `maybe is selected though its reference is ambiguous: "${DB}" ends in "-" and six letters or digits, so Secrets Manager reads it as the complete ARN`,
        );
    });

    it('skips, with a note, services found by secret that a forced new deployment cannot restart', async () => {
        serviceReading('web', { DB_PASSWORD: DB });
        serviceReading('bluegreen', { DB_PASSWORD: DB }, { controller: 'CODE_DEPLOY' });
        serviceReading('leaving', { DB_PASSWORD: DB }, { status: 'DRAINING' });

        const { final, rounds } = await drive('CREATE', { Cluster: 'prod', ServicesUsingSecrets: [DB] }, completeAll);

        expect(final.status).toBe('SUCCESS');
        expect(restarted()).toEqual(['web']);
        expect(rounds[0]?.message).toContain(
            'Skipped, as a forced new deployment replaces none of their tasks: ' +
                'bluegreen (CODE_DEPLOY, reads secret:db-AbCdEf), leaving (DRAINING, reads secret:db-AbCdEf).',
        );
    });

    it('refuses a CODE_DEPLOY service named in Services even when it reads the secret', async () => {
        serviceReading('web', { DB_PASSWORD: DB });
        serviceReading('bluegreen', { DB_PASSWORD: DB }, { controller: 'CODE_DEPLOY' });

        const response = await invoke(cfnEvent('CREATE', { Cluster: 'prod', Services: ['bluegreen'], ServicesUsingSecrets: [DB] }));

        expect(response.errorCode).toBe('InvalidRequest');
        expect(response.message).toMatch(/^No service was restarted: service 'bluegreen' uses the CODE_DEPLOY deployment controller/);
        expect(restarted()).toEqual([]);
    });
});

describe('refusals before any restart', () => {
    it('refuses with InvalidRequest, naming the secrets and the cluster, when no service reads them', async () => {
        serviceReading('worker', { OTHER_SECRET: OTHER });
        serviceReading('pinned', { DB_PASSWORD: `${DB}::AWSPREVIOUS:` });

        const response = await invoke(cfnEvent('CREATE', { Cluster: 'prod', Services: ['worker'], ServicesUsingSecrets: [DB, API_KEY] }));

        expect(response.status).toBe('FAILED');
        expect(response.errorCode).toBe('InvalidRequest');
        expect(response.message).toContain(
            `Nothing was restarted: no service of cluster 'prod' that a forced new deployment restarts reads ${DB}, ${API_KEY} through its current task definition (2 services and 2 task definitions of cluster 'prod' read).`,
        );
        expect(response.message).toContain(
            'Left out, pinned to a version or label that rotation does not move: pinned (secret:db-AbCdEf).',
        );
        expect(ecs.calls('UpdateService')).toBe(0);
        expect(ssm.parameters.size).toBe(0);
    });

    it('refuses more services than one resource restarts, before any restart, counting them all', async () => {
        // Prepare: 100 services in Services (the most it lists) that read nothing, and 901 readers: 1001 in all.
        const shared = ecs.registerTaskDefinition('reader', [{ name: 'app', secrets: [{ name: 'DB_PASSWORD', valueFrom: DB }] }]);
        const idle = ecs.registerTaskDefinition('idle', [{ name: 'app', secrets: [{ name: 'X', valueFrom: OTHER }] }]);
        const listed = Array.from({ length: 100 }, (_, i) => `listed-${String(i).padStart(3, '0')}`);
        listed.forEach((name) => ecs.addService(name, { taskDefinition: idle }));
        for (let i = 0; i < 901; i++) ecs.addService(`reader-${String(i).padStart(3, '0')}`, { taskDefinition: shared });

        // Act
        const response = await invoke(cfnEvent('CREATE', { Cluster: 'prod', Services: listed, ServicesUsingSecrets: [DB] }));

        // Assess
        expect(response.errorCode).toBe('InvalidRequest');
        expect(response.message).toBe(
            "Nothing was restarted: 1001 services would be restarted (100 in Services, 901 more found by ServicesUsingSecrets in cluster 'prod'), " +
                'more than the 1000 one resource restarts. Split them across several resources, e.g. one per secret of ServicesUsingSecrets, ' +
                'or by listing the services of each in Services.',
        );
        expect(ecs.calls('ListServices')).toBe(11);
        expect(ecs.calls('UpdateService')).toBe(0);
        expect(ssm.parameters.size).toBe(0);
    });

    it('refuses 101 services in Services, naming the count, before any call', async () => {
        const listed = Array.from({ length: 101 }, (_, i) => `s${i}`);
        const response = await invoke(cfnEvent('CREATE', { Cluster: 'prod', Services: listed }));
        expect(response.errorCode).toBe('InvalidRequest');
        expect(response.message).toContain('it must list 1 to 100 items');
        expect(response.message).toContain('(a list of 101 items)');
        expect(ecs.calls('DescribeServices')).toBe(0);
    });

    it('fails with AccessDenied naming the call when ListServices is not allowed', async () => {
        serviceReading('web', { DB_PASSWORD: DB });
        ecs.throwNext('ListServices', ScriptedEcs.accessDenied('ecs:ListServices'));

        const response = await invoke(cfnEvent('CREATE', { Cluster: 'prod', ServicesUsingSecrets: [DB] }));

        expect(response.errorCode).toBe('AccessDenied');
        expect(response.message).toContain('ecs:ListServices in cluster prod failed: AccessDeniedException');
        expect(ecs.calls('UpdateService')).toBe(0);
    });
});

describe('resolution at every create and update', () => {
    it('restarts, on update, a service that started reading the secret after the create', async () => {
        serviceReading('web', { DB_PASSWORD: DB });
        serviceReading('newcomer', {});
        const properties = { Cluster: 'prod', ServicesUsingSecrets: [DB], Triggers: { Version: '1' } };
        const { final: created } = await drive('CREATE', properties, completeAll);
        expect(restarted()).toEqual(['web']);

        // Another stack deploys a new revision of newcomer that reads the secret, and a brand-new service.
        const newcomer = ecs.services.get('newcomer');
        if (newcomer)
            newcomer.taskDefinition = ecs.registerTaskDefinition('newcomer', [{ name: 'app', secrets: [{ name: 'DB', valueFrom: DB }] }]);
        ecs.supersede('newcomer');
        ecs.complete('newcomer');
        serviceReading('added', { DB_PASSWORD: DB });
        const desired = { ...properties, Triggers: { Version: '2' }, Id: created.resourceModel?.Id };

        const { final } = await drive('UPDATE', desired, completeAll, created.resourceModel);

        expect(final.status).toBe('SUCCESS');
        expect(['web', 'newcomer', 'added'].map((name) => ecs.updateCalls(name))).toEqual([2, 1, 1]);
        expect(final.resourceModel?.ServiceArns).toEqual(['added', 'newcomer', 'web'].map((name) => ecs.serviceArn(name)));
    });

    it('resumes a first step invoked again after its record was written, with the services found', async () => {
        serviceReading('web', { DB_PASSWORD: DB });
        serviceReading('api', { DB_PASSWORD: DB });
        const event = cfnEvent('CREATE', { Cluster: 'prod', ServicesUsingSecrets: [DB] }, { token: 'same' });
        const first = await invoke(event);

        const retried = await invoke(event);

        expect(retried.status).toBe('IN_PROGRESS');
        expect(retried.resourceModel?.ServiceArns?.map((arn: string) => arn.split('/').pop())).toEqual(['api', 'web']);
        expect(retried.resourceModel?.DeploymentIds).toEqual(first.resourceModel?.DeploymentIds);
        expect(['api', 'web'].map((name) => ecs.updateCalls(name))).toEqual([1, 1]);
    });
});

describe('cost of a resolution', () => {
    /** `count` services, one in `readEvery` reading the secret, on `families` task definitions shared round-robin. */
    function cluster(count: number, readEvery: number, families = count): void {
        const definitions = Array.from({ length: families }, (_, i) =>
            ecs.registerTaskDefinition(`family-${i}`, [
                { name: 'app', secrets: i % readEvery === 0 ? [{ name: 'DB', valueFrom: DB }] : [{ name: 'X', valueFrom: OTHER }] },
            ]),
        );
        for (let i = 0; i < count; i++) {
            ecs.addService(`svc-${String(i).padStart(3, '0')}`, { taskDefinition: definitions[i % families] });
        }
    }

    /** Runs one create through runRestart, invocation after invocation, with a clock that each ECS call moves by `callMs`. */
    async function create(callMs: number): Promise<{ outcomes: RestartOutcome[]; resolutionCalls: Record<string, number> }> {
        const clock = new StepClock();
        const counts = { ListServices: 0, DescribeServices: 0, DescribeTaskDefinition: 0 };
        let restarting = false;
        ecs.onCall = (command) => {
            clock.advance(callMs);
            if (command === 'UpdateService') restarting = true;
            if (!restarting && command in counts) counts[command as keyof typeof counts] += 1;
        };
        const request = restartRequest({ Cluster: 'prod', ServicesUsingSecrets: [DB] }, { id: '0d1c2b3a-0000-5000-8000-000000000001' });
        const outcomes: RestartOutcome[] = [];
        let context;
        for (let invocation = 0; invocation < 10; invocation++) {
            const started = clock.ms;
            const outcome = await runRestart(request, context, sdkDependencies(clock));
            outcomes.push(outcome);
            // Every invocation stays within the 60-second contract even at this call latency.
            expect(clock.ms - started).toBeLessThan(INVOCATION_BUDGET_MS + 5 * callMs);
            if (outcome.kind !== 'in-progress' || outcome.context.stage === 'restarting') break;
            context = outcome.context;
        }
        // The resolution's own DescribeServices: the services it found are described once more before their restart.
        return { outcomes, resolutionCalls: { ...counts, DescribeServices: counts.DescribeServices - 1 } };
    }

    it('20 services: 1 ListServices, 2 DescribeServices, 20 DescribeTaskDefinition, in one invocation', async () => {
        cluster(20, 4);
        const { outcomes, resolutionCalls } = await create(50);
        expect(outcomes).toHaveLength(1);
        expect(resolutionCalls).toEqual({ ListServices: 1, DescribeServices: 2, DescribeTaskDefinition: 20 });
        expect(restarted()).toEqual(['svc-000', 'svc-004', 'svc-008', 'svc-012', 'svc-016']);
    });

    it('500 services: 5 pages, 50 batches, one read per distinct task definition, paced over two invocations', async () => {
        cluster(500, 100);
        const { outcomes, resolutionCalls } = await create(10);
        // 500 task definitions at 10 a second (half of ECS's refill) take longer than one invocation's budget.
        expect(outcomes).toHaveLength(2);
        // The continuation lists its page again and may describe one batch again.
        expect(resolutionCalls).toMatchObject({ ListServices: 6, DescribeTaskDefinition: 500 });
        expect(resolutionCalls.DescribeServices).toBeLessThanOrEqual(51);
        expect(outcomes[1]?.kind === 'in-progress' && outcomes[1].message).toContain('(500 services and 500 task definitions');
        expect(restarted()).toEqual(['svc-000', 'svc-100', 'svc-200', 'svc-300', 'svc-400']);
    });

    it('500 services on 50 shared task definitions read each of them once', async () => {
        cluster(500, 50, 50);
        const { resolutionCalls } = await create(10);
        expect(resolutionCalls).toEqual({ ListServices: 5, DescribeServices: 50, DescribeTaskDefinition: 50 });
        expect(restarted()).toHaveLength(10);
    });

    it('500 services at 100 ms a call continue across invocations without losing their place', async () => {
        cluster(500, 100);
        const { outcomes, resolutionCalls } = await create(100);
        const messages = outcomes.map((outcome) => (outcome.kind === 'in-progress' ? outcome.message : outcome.kind));
        expect(outcomes.length).toBeGreaterThan(1);
        expect(messages[0]).toMatch(
            /^Finding the services that read ServicesUsingSecrets: \d+ services and \d+ task definitions of cluster 'prod' read so far, \d selected/,
        );
        expect(messages.at(-1)).toMatch(
            /^ServicesUsingSecrets selected, reading secret:db-AbCdEf: svc-000 \(container app, secrets\[DB\]\), svc-100 .*\(500 services and 500 task definitions of cluster 'prod' read\.\)/,
        );
        expect(restarted()).toEqual(['svc-000', 'svc-100', 'svc-200', 'svc-300', 'svc-400']);
        // Each continuation lists its page again and may describe one batch again; no task definition is read twice.
        expect(resolutionCalls.DescribeTaskDefinition).toBe(500);
        expect(resolutionCalls.ListServices).toBe(5 + outcomes.length - 1);
        expect(resolutionCalls.DescribeServices).toBeLessThanOrEqual(50 + outcomes.length - 1);
        // The place travels in the context: small, whatever the size of the cluster.
        for (const outcome of outcomes.slice(0, -1)) {
            expect(JSON.stringify(outcome.kind === 'in-progress' ? outcome.context : {}).length).toBeLessThan(1500);
        }
    });

    it('keeps its place through throttling: the next invocation backs off and carries on', async () => {
        cluster(40, 10);
        ecs.throwNext(
            'DescribeTaskDefinition',
            ...Array.from({ length: 12 }, () => undefined as unknown as Error),
            // Reads 13 to 15 of the group of five, each on every attempt the gateway makes.
            ...Array.from({ length: 3 * MAX_THROTTLED_ATTEMPTS }, () => ScriptedEcs.throttling()),
        );
        const first = await invoke(cfnEvent('CREATE', { Cluster: 'prod', ServicesUsingSecrets: [DB] }, { token: 't' }));
        expect(first.status).toBe('IN_PROGRESS');
        expect(first.message).toMatch(/^Retrying after a transient AWS error: .*ThrottlingException/);
        // The reads run five at a time: the 13th failed, so the 12 services before it were judged.
        expect(first.callbackContext).toMatchObject({ stage: 'preparing', resolution: { offset: 12, servicesRead: 12 } });
        // The names found are kept beside the record, the context naming them: not in the context.
        const selection = first.callbackContext?.resolution?.selection;
        expect(selection).toMatchObject({ parts: 1, names: 2 });
        expect(first.callbackContext?.resolution).not.toHaveProperty('found');
        const kept = [...ssm.parameters.keys()].filter((name) => name.includes('/parts/selection/'));
        expect(kept).toEqual([
            `/CloudFormation/Org/ECS/ServiceRestart/${first.callbackContext?.id}/parts/selection/${selection?.generation}/0`,
        ]);

        const next = await invoke(
            cfnEvent('CREATE', { Cluster: 'prod', ServicesUsingSecrets: [DB] }, { token: 't', callbackContext: first.callbackContext }),
        );

        expect(next.status).toBe('IN_PROGRESS');
        expect(next.message).toMatch(/^ServicesUsingSecrets selected, reading secret:db-AbCdEf: svc-000 /);
        expect(restarted()).toEqual(['svc-000', 'svc-010', 'svc-020', 'svc-030']);
        expect(ecs.calls('ListServices')).toBe(2);
        // The record holds the services now; the names kept for the resolution are gone.
        expect([...ssm.parameters.keys()].filter((name) => name.includes('/selection/'))).toEqual([]);
    });

    /**
     * Throttles DescribeTaskDefinition after `ok` more reads, on every attempt the gateway makes for a
     * group of five parallel reads; what the invocation did not take is dropped once it returns.
     */
    const throttledInvoke = (ok: number, event: ReturnType<typeof cfnEvent>) => {
        ecs.throwNext(
            'DescribeTaskDefinition',
            ...Array.from({ length: ok }, () => undefined as unknown as Error),
            ...Array.from({ length: 5 * MAX_THROTTLED_ATTEMPTS }, () => ScriptedEcs.throttling()),
        );
        return invoke(event).finally(() => ecs.failNext.delete('DescribeTaskDefinition'));
    };
    const kept = () => [...ssm.parameters.keys()].filter((name) => name.includes('/parts/selection/'));
    const secretReaders = { Cluster: 'prod', ServicesUsingSecrets: [DB] };

    it('a continuation replayed after its answer was lost finds the names its own context names; DELETE leaves nothing', async () => {
        cluster(40, 10);
        const first = await throttledInvoke(12, cfnEvent('CREATE', secretReaders, { token: 't' }));
        const lost = await throttledInvoke(10, cfnEvent('CREATE', secretReaders, { token: 't', callbackContext: first.callbackContext }));
        expect(lost.callbackContext?.resolution).toMatchObject({ offset: 22, selection: { names: 3 } });
        expect(kept()).toHaveLength(2);

        // CloudFormation never saw `lost`: it invokes again with the first context.
        const replayed = await invoke(cfnEvent('CREATE', secretReaders, { token: 't', callbackContext: first.callbackContext }));

        expect(replayed.status).toBe('IN_PROGRESS');
        expect(replayed.message).toMatch(/^ServicesUsingSecrets selected, reading secret:db-AbCdEf: svc-000 /);
        expect(restarted()).toEqual(['svc-000', 'svc-010', 'svc-020', 'svc-030']);
        expect(['svc-000', 'svc-010', 'svc-020', 'svc-030'].map((name) => ecs.updateCalls(name))).toEqual([1, 1, 1, 1]);
        // The lost invocation's names stay until DELETE: no context names them.
        expect(kept()).toHaveLength(1);
        const id = String(replayed.resourceModel?.Id);
        expect((await invoke(cfnEvent('DELETE', { Id: id }))).status).toBe('SUCCESS');
        expect([...ssm.parameters.keys()].filter((name) => name.includes(id))).toEqual([]);
    });

    it("a create refused after names were kept removes every kept selection, a lost answer's too", async () => {
        cluster(40, 10);
        const first = await throttledInvoke(12, cfnEvent('CREATE', secretReaders, { token: 't' }));
        await throttledInvoke(10, cfnEvent('CREATE', secretReaders, { token: 't', callbackContext: first.callbackContext }));
        expect(kept()).toHaveLength(2);
        // A service found in the first invocation is being deleted by the time the restarts would start.
        ecs.services.get('svc-010')!.status = 'DRAINING';

        const refused = await invoke(cfnEvent('CREATE', secretReaders, { token: 't', callbackContext: first.callbackContext }));

        expect(refused.status).toBe('FAILED');
        expect(refused.errorCode).toBe('InvalidRequest');
        expect(refused.message).toMatch(/svc-010/);
        expect(restarted()).toEqual([]);
        expect([...ssm.parameters.keys()]).toEqual([]);
    });

    it('a continuation whose names cannot be stored backs off from where its context was, and finds them next time', async () => {
        cluster(40, 10);
        const first = await throttledInvoke(12, cfnEvent('CREATE', secretReaders, { token: 't' }));
        // Parameter Store throttles every write of the next invocation, the SDK's retries included.
        ssm.mock
            .on(PutParameterCommand)
            .rejects(Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException', $fault: 'client' }));

        const refusedWrite = await throttledInvoke(
            10,
            cfnEvent('CREATE', secretReaders, { token: 't', callbackContext: first.callbackContext }),
        );

        expect(refusedWrite.status).toBe('IN_PROGRESS');
        expect(refusedWrite.message).toMatch(/^Retrying after a transient AWS error: .*PutParameter/);
        // The place it reached is not kept without its names: the context still names the first invocation's.
        expect(refusedWrite.callbackContext?.resolution).toEqual(first.callbackContext?.resolution);
        ssm.install();
        const next = await invoke(cfnEvent('CREATE', secretReaders, { token: 't', callbackContext: refusedWrite.callbackContext }));
        expect(next.status).toBe('IN_PROGRESS');
        expect(restarted()).toEqual(['svc-000', 'svc-010', 'svc-020', 'svc-030']);
    });

    it('a context naming names that are gone starts the resolution over, restarting each service once', async () => {
        cluster(40, 10);
        const first = await throttledInvoke(12, cfnEvent('CREATE', secretReaders, { token: 't' }));
        const readBefore = ecs.calls('DescribeTaskDefinition');
        kept().forEach((name) => ssm.parameters.delete(name));

        const next = await invoke(cfnEvent('CREATE', secretReaders, { token: 't', callbackContext: first.callbackContext }));

        expect(next.status).toBe('IN_PROGRESS');
        expect(restarted()).toEqual(['svc-000', 'svc-010', 'svc-020', 'svc-030']);
        // The first page is read again, from its first service.
        expect(ecs.calls('ListServices')).toBe(2);
        expect(ecs.calls('DescribeTaskDefinition') - readBefore).toBe(40);
    });
});
