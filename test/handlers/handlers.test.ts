/**
 * The handlers driven through the library's real `entrypoint` with CloudFormation-shaped payloads.
 * ECS is the scripted double (test/support/scripted-ecs.ts), Parameter Store an in-memory map: both
 * answer the real SDK v3 commands, so the project's gateways run unchanged.
 */
import { invocationTimers } from '../../src/handlers';
import { MAX_THROTTLED_ATTEMPTS } from '../../src/aws/ecs-gateway';
import { DescribeServiceDeploymentsCommand, DescribeServicesCommand, ListServiceDeploymentsCommand } from '@aws-sdk/client-ecs';
import { ACCOUNT_ID, CREDENTIALS, REGION, cfnEvent } from '../support/cfn-event';
import { HandlerResponse, useScriptedAws, driveHandler, invokeHandler } from '../support/handler-harness';
import { InMemorySsm } from '../support/in-memory-ssm';
import { ScriptedEcs } from '../support/scripted-ecs';

type Response = HandlerResponse;

let ecs: ScriptedEcs;
let ssm: InMemorySsm;
const clock = useScriptedAws((aws) => ({ ecs, ssm } = aws));

const invoke = invokeHandler;

const props = (services: string[], extra: Record<string, unknown> = {}) => ({ Cluster: 'prod', Services: services, ...extra });

const drive = driveHandler;

/** The per-service state is in the record (the callback context carries none): as stored when `response` was given. */
const storedRecord = (response: Response) =>
    JSON.parse(ssm.parameters.get(`/CloudFormation/Org/ECS/ServiceRestart/${String(response.resourceModel?.Id)}`) ?? 'null') as {
        deploymentIds: string[];
        operation: { attemptedAt: number[] };
    };

/** ECS throttles one call on every attempt the gateway makes, so the throttling reaches the operation. */
const throttleEveryAttempt = (command: string) =>
    ecs.throwNext(command, ...Array.from({ length: MAX_THROTTLED_ATTEMPTS }, () => ScriptedEcs.throttling()));

describe('create', () => {
    it('restarts every service, waits through IN_PROGRESS with a delay, then succeeds with the full model', async () => {
        // Prepare
        ecs.addService('web');
        ecs.addService('worker');
        const before = { web: ecs.primary('web').id, worker: ecs.primary('worker').id };

        const properties = props(['web', 'worker'], { Triggers: { DbSecretVersion: 'v1' } });

        // Act
        const first = await invoke(cfnEvent('CREATE', properties, { token: 'create-token' }));

        // Assess
        expect(first.status).toBe('IN_PROGRESS');
        expect(first.callbackDelaySeconds).toBe(10);
        expect(first.message).toBe(
            `Restarted web (${ecs.primary('web').id}), worker (${ecs.primary('worker').id}); waiting for the new tasks to become healthy.`,
        );
        expect(first.resourceModel?.DeploymentIds).toEqual([ecs.primary('web').id, ecs.primary('worker').id]);
        expect(ecs.primary('web').id).not.toBe(before.web);
        expect(first.resourceModel?.Id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);

        ecs.progress('web');
        ecs.complete('worker');
        const waiting = await invoke(cfnEvent('CREATE', properties, { token: 'create-token', callbackContext: first.callbackContext }));
        expect(waiting.status).toBe('IN_PROGRESS');
        expect(waiting.callbackDelaySeconds).toBe(30);
        expect(waiting.message).toBe(
            `Waiting for web (deployment ${ecs.primary('web').id} IN_PROGRESS, 1/2 running, 1 pending, 0 failed tasks).`,
        );

        ecs.complete('web');
        const done = await invoke(cfnEvent('CREATE', properties, { token: 'create-token', callbackContext: waiting.callbackContext }));
        expect(done.status).toBe('SUCCESS');
        expect(done.resourceModel).toEqual({
            Cluster: 'prod',
            Services: ['web', 'worker'],
            Triggers: { DbSecretVersion: 'v1' },
            Id: first.resourceModel?.Id,
            RestartedAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
            ServiceArns: [ecs.serviceArn('web'), ecs.serviceArn('worker')],
            DeploymentIds: [ecs.primary('web').id, ecs.primary('worker').id],
        });
        expect(ecs.updateCalls('web')).toBe(1);
        expect(ecs.updateCalls('worker')).toBe(1);
        expect(ssm.records()[0]).toMatchObject({ operation: { status: 'SUCCEEDED' } });
    });

    it('persists the record before the first UpdateService', async () => {
        ecs.addService('web');
        const recordsAtUpdate: number[] = [];
        ecs.onUpdateService = () => recordsAtUpdate.push(ssm.parameters.size);

        await invoke(cfnEvent('CREATE', props(['web'])));

        expect(recordsAtUpdate).toEqual([1]);
    });

    it('succeeds right after UpdateService when WaitForSteadyState is "false" (string from CloudFormation)', async () => {
        ecs.addService('web');
        const response = await invoke(cfnEvent('CREATE', props(['web'], { WaitForSteadyState: 'false' })));
        expect(response.status).toBe('SUCCESS');
        expect(response.resourceModel?.WaitForSteadyState).toBe(false);
        expect(response.resourceModel?.DeploymentIds).toEqual([ecs.primary('web').id]);
        expect(ecs.primary('web').rolloutState).toBe('IN_PROGRESS');
    });

    it('restarts in waves of MaxConcurrentRestarts, each wave after the previous one is healthy', async () => {
        ['a', 'b', 'c'].forEach((name) => ecs.addService(name));
        const { final, rounds } = await drive('CREATE', props(['a', 'b', 'c'], { MaxConcurrentRestarts: '2' }), (round) => {
            if (round === 1) {
                expect(ecs.updateCalls('a')).toBe(1);
                expect(ecs.updateCalls('b')).toBe(1);
                expect(ecs.updateCalls('c')).toBe(0);
                ecs.complete('a');
                ecs.complete('b');
            } else {
                ecs.complete('c');
            }
        });
        expect(rounds[0]!.message).toContain('wave 1 of 2');
        expect(rounds[1]!.message).toContain('wave 2 of 2');
        expect(final.status).toBe('SUCCESS');
        expect(final.resourceModel?.MaxConcurrentRestarts).toBe(2);
        expect(['a', 'b', 'c'].map((name) => ecs.updateCalls(name))).toEqual([1, 1, 1]);
    });

    it('does not restart twice when CloudFormation re-invokes the first step with the same request', async () => {
        ecs.addService('web');
        const event = cfnEvent('CREATE', props(['web']), { token: 'same-token' });
        const first = await invoke(event);
        const retried = await invoke(event);
        expect(ecs.updateCalls('web')).toBe(1);
        expect(retried.status).toBe('IN_PROGRESS');
        expect(retried.resourceModel?.Id).toBe(first.resourceModel?.Id);
        expect(retried.resourceModel?.DeploymentIds?.[0]).toBe(first.resourceModel?.DeploymentIds?.[0]);
    });

    it('adopts a deployment whose UpdateService answer was lost instead of restarting again', async () => {
        ecs.addService('web');
        ecs.addService('worker');
        const event = cfnEvent('CREATE', props(['web', 'worker']), { token: 'lost-answer' });
        // ECS accepts worker's restart but the answer never arrives; CloudFormation then retries the
        // first step without the callback context.
        ecs.loseAnswerOfNextUpdate('worker');
        const first = await invoke(event);
        expect(first.status).toBe('IN_PROGRESS');
        expect(first.message).toMatch(/transient AWS error: .*TimeoutError/);

        const retried = await invoke(event);

        expect(ecs.updateCalls('web')).toBe(1);
        expect(ecs.updateCalls('worker')).toBe(1);
        expect(retried.resourceModel?.DeploymentIds).toEqual([ecs.primary('web').id, ecs.primary('worker').id]);
    });

    it('restarts the rest of a wave after a transient UpdateService failure, once per service, looking in ECS first', async () => {
        ecs.addService('web');
        ecs.addService('worker');
        ecs.throwNext('UpdateService', undefined as unknown as Error, ScriptedEcs.serverError());
        const first = await invoke(cfnEvent('CREATE', props(['web', 'worker']), { token: 't' }));
        expect(first.status).toBe('IN_PROGRESS');
        expect(first.resourceModel?.DeploymentIds?.map(Boolean)).toEqual([true, false]);
        // A 5xx says nothing about whether the restart happened: the attempt stays recorded.
        expect(storedRecord(first).operation.attemptedAt[1]).toBeGreaterThan(0);

        const next = await invoke(cfnEvent('CREATE', props(['web', 'worker']), { token: 't', callbackContext: first.callbackContext }));

        expect(next.status).toBe('IN_PROGRESS');
        expect(ecs.updateCalls('web')).toBe(1);
        expect(ecs.updateCalls('worker')).toBe(2);
        expect(next.resourceModel?.DeploymentIds?.every(Boolean)).toBe(true);
    });

    it('adopts the deployment of an attempt whose 5xx answer hid that ECS did restart the service', async () => {
        ecs.addService('web');
        ecs.throwAfterUpdate('web', ScriptedEcs.serverError());
        const first = await invoke(cfnEvent('CREATE', props(['web']), { token: 't' }));
        expect(first.status).toBe('IN_PROGRESS');

        const next = await invoke(cfnEvent('CREATE', props(['web']), { token: 't', callbackContext: first.callbackContext }));

        expect(ecs.updateCalls('web')).toBe(1);
        expect(next.resourceModel?.DeploymentIds?.[0]).toBe(ecs.primary('web').id);
    });

    it('sends a throttled UpdateService again in the same invocation, after the slowed pace: ECS refused it, so it restarts once', async () => {
        ecs.addService('web');
        ecs.throwNext('UpdateService', ScriptedEcs.throttling());

        const first = await invoke(cfnEvent('CREATE', props(['web']), { token: 't' }));

        expect(first.status).toBe('IN_PROGRESS');
        expect(ecs.updateCalls('web')).toBe(2);
        expect(first.resourceModel?.DeploymentIds?.[0]).toBe(ecs.primary('web').id);
        expect(ecs.services.get('web')?.deployments.filter((deployment) => deployment.status === 'PRIMARY')).toHaveLength(1);
        // The slowed rate travels to the next invocation.
        expect(first.callbackContext?.ecsPacing?.families?.['service-modify']?.[0]).toBeLessThan(1);
    });

    it('never adopts a deployment that it did not attempt: a refused (throttled) restart is made again', async () => {
        ecs.addService('web');
        throttleEveryAttempt('UpdateService');
        const first = await invoke(cfnEvent('CREATE', props(['web']), { token: 't' }));
        expect(storedRecord(first).operation.attemptedAt[0]).toBe(0);
        const pipeline = ecs.supersede('web');

        const next = await invoke(cfnEvent('CREATE', props(['web']), { token: 't', callbackContext: first.callbackContext }));

        expect(ecs.updateCalls('web')).toBe(MAX_THROTTLED_ATTEMPTS + 1);
        expect(next.resourceModel?.DeploymentIds?.[0]).not.toBe(pipeline.id);
        expect(next.resourceModel?.DeploymentIds?.[0]).toBe(ecs.primary('web').id);
    });
});

describe('what the handlers say and call', () => {
    it('describes services in batches of at most 10', async () => {
        const services = Array.from({ length: 12 }, (_, i) => `svc-${i}`);
        services.forEach((name) => ecs.addService(name));
        const response = await invoke(cfnEvent('CREATE', props(services)));
        expect(response.status).toBe('IN_PROGRESS');
        const batches = ecs.mock.commandCalls(DescribeServicesCommand).map((call) => call.args[0].input.services?.length);
        expect(batches).toEqual([10, 2]);
    });

    it('lists each service deployment once, then only describes it, batched; a newer PRIMARY is listed again', async () => {
        const services = ['web', 'api', 'worker'];
        services.forEach((name) => ecs.addService(name));
        const listed = (name: string) =>
            ecs.mock.commandCalls(ListServiceDeploymentsCommand).filter((call) => call.args[0].input.service?.endsWith(`/${name}`)).length;

        const { final, rounds } = await drive('CREATE', props(services), (round) => {
            services.forEach((name) => ecs.progress(name));
            if (round === 2) ecs.supersede('api');
            if (round === 4) services.forEach((name) => ecs.complete(name));
        });

        expect(final.status).toBe('SUCCESS');
        expect(listed('web')).toBe(1);
        expect(listed('worker')).toBe(1);
        // Once to correlate, once when the pipeline's deployment became PRIMARY.
        expect(listed('api')).toBe(2);
        const described = ecs.mock.commandCalls(DescribeServiceDeploymentsCommand);
        // One batched call per look at the wave: every invocation but the first, which restarts.
        expect(described).toHaveLength(rounds.length - 1);
        expect(described.at(-1)?.args[0].input.serviceDeploymentArns).toHaveLength(3);
    });

    it('looks again within the invocation when the outcome is seconds away, and answers in that invocation', async () => {
        ecs.addService('web');
        const first = await invoke(cfnEvent('CREATE', props(['web']), { token: 't' }));
        // Every new task runs and no old one is left: ECS is about to call the deployment done.
        const primary = ecs.primary('web');
        Object.assign(primary, { runningCount: primary.desiredCount, pendingCount: 0 });
        const service = ecs.services.get('web');
        if (service) service.deployments = [primary];
        const sleeps: number[] = [];
        jest.mocked(invocationTimers.sleep).mockImplementationOnce((ms) => {
            sleeps.push(ms);
            clock.advance(ms);
            ecs.complete('web');
            return Promise.resolve();
        });

        const next = await invoke(cfnEvent('CREATE', props(['web']), { token: 't', callbackContext: first.callbackContext }));

        expect(sleeps).toEqual([5_000]);
        expect(next.status).toBe('SUCCESS');
    });

    it('never puts credentials or the bearer token in the messages it writes, even when ECS echoes them', async () => {
        // The library filters its own log lines; what this project writes is the event messages. ECS's
        // texts (an error, a deployment's reason) are quoted in them: here they carry every secret.
        const secrets = [CREDENTIALS.accessKeyId, CREDENTIALS.secretAccessKey, CREDENTIALS.sessionToken, 'bearer-token-value'];
        const echo = secrets.join(' ');
        ecs.addService('web');
        ecs.addService('api');
        ecs.throwNext(
            'UpdateService',
            Object.assign(new Error(`User ${echo} is not authorized to perform: ecs:UpdateService`), {
                name: 'AccessDeniedException',
                $fault: 'client',
                $metadata: { httpStatusCode: 400 },
            }),
        );
        const refused = await invoke(cfnEvent('CREATE', props(['web']), { token: 'bearer-token-value' }));
        const credentials = secrets.slice(0, 3);
        const { final: unstable } = await drive('CREATE', props(['api']), () =>
            ecs.fail('api', `circuit breaker: ${credentials.join(' ')}`),
        );
        expect(refused.errorCode).toBe('AccessDenied');
        expect(refused.message).toContain('is not authorized to perform: ecs:UpdateService');
        expect(unstable.errorCode).toBe('NotStabilized');
        expect(unstable.message).toContain('circuit breaker');
        for (const secret of secrets) expect(refused.message).not.toContain(secret);
        for (const secret of credentials) expect(unstable.message).not.toContain(secret);
    });
});

describe('refusals before any restart', () => {
    it.each([
        ['missing', () => undefined, /service 'ghost' was not found in cluster 'prod'/],
        ['DRAINING', () => ecs.addService('ghost', { status: 'DRAINING' }), /service 'ghost' is DRAINING/],
        ['INACTIVE', () => ecs.addService('ghost', { status: 'INACTIVE' }), /service 'ghost' is INACTIVE/],
        [
            'CODE_DEPLOY',
            () => ecs.addService('ghost', { controller: 'CODE_DEPLOY' }),
            /CODE_DEPLOY deployment controller.*CodeDeploy deployment/,
        ],
        ['EXTERNAL', () => ecs.addService('ghost', { controller: 'EXTERNAL' }), /EXTERNAL deployment controller/],
    ])('refuses a %s service with InvalidRequest and restarts none', async (_label, prepare, message) => {
        ecs.addService('web');
        prepare();
        const response = await invoke(cfnEvent('CREATE', props(['web', 'ghost'])));
        expect(response.status).toBe('FAILED');
        expect(response.errorCode).toBe('InvalidRequest');
        expect(response.message).toMatch(/^No service was restarted: /);
        expect(response.message).toMatch(message);
        expect(ecs.updateCalls('web')).toBe(0);
        expect(ssm.parameters.size).toBe(0);
    });

    it('refuses a service ARN of another account without calling ECS', async () => {
        const foreign = `arn:aws:ecs:${REGION}:999999999999:service/prod/web`;
        const response = await invoke(cfnEvent('CREATE', props([foreign])));
        expect(response.errorCode).toBe('InvalidRequest');
        expect(response.message).toContain(`'${foreign}' is in account 999999999999 (expected ${ACCOUNT_ID})`);
        expect(ecs.mock.calls()).toHaveLength(0);
    });

    it('refuses a missing cluster with InvalidRequest', async () => {
        const response = await invoke(cfnEvent('CREATE', { Cluster: 'nope', Services: ['web'] }));
        expect(response.errorCode).toBe('InvalidRequest');
        expect(response.message).toMatch(/ClusterNotFoundException.*Check Cluster/);
    });

    it('refuses a TimeoutInMinutes below the range, given as a string like CloudFormation does, naming the value and the range', async () => {
        const response = await invoke(cfnEvent('CREATE', props(['web'], { TimeoutInMinutes: '0' })));
        expect(response.errorCode).toBe('InvalidRequest');
        expect(response.message).toBe("Invalid resource properties: TimeoutInMinutes is '0': it must be a whole number from 1 to 2100.");
    });

    it('keeps a record larger than one Standard parameter in several, restarting each service once; READ returns it whole, DELETE leaves nothing', async () => {
        // Prepare: 20 long names and Triggers of 10 x 256 characters, beyond 4,096 bytes
        const services = Array.from({ length: 20 }, (_, i) => `service-with-a-rather-long-name-number-${String(i).padStart(2, '0')}`);
        services.forEach((name) => ecs.addService(name));
        const triggers = Object.fromEntries(Array.from({ length: 10 }, (_, i) => [`Key${i}`, `${i}`.repeat(256)]));

        // Act
        const { final } = await drive('CREATE', props(services, { Triggers: triggers }), () =>
            services.forEach((name) => ecs.complete(name)),
        );
        const id = String(final.resourceModel?.Id);
        const stored = [...ssm.parameters.entries()].filter(([name]) => name.includes(id));
        const read = await invoke(cfnEvent('READ', { Id: id }));
        const deleted = await invoke(cfnEvent('DELETE', { Id: id }));

        // Assess
        expect(final.status).toBe('SUCCESS');
        expect(services.map((name) => ecs.updateCalls(name))).toEqual(services.map(() => 1));
        expect(stored.length).toBeGreaterThan(1);
        for (const [, value] of stored) expect(Buffer.byteLength(value)).toBeLessThanOrEqual(4096);
        expect(read.resourceModel).toMatchObject({
            Id: id,
            Triggers: triggers,
            Services: services,
            ServiceArns: final.resourceModel?.ServiceArns,
        });
        expect(deleted.status).toBe('SUCCESS');
        expect(ssm.parameters.size).toBe(0);
    });

    it('fails with InvalidCredentials when the request has no caller credentials', async () => {
        const response = await invoke(cfnEvent('CREATE', props(['web']), { credentials: null }));
        expect(response.errorCode).toBe('InvalidCredentials');
    });
});

describe('stabilisation sequences', () => {
    it('fails with NotStabilized, the ECS reason, the stopped-task reason and the events when the circuit breaker rolls back', async () => {
        ecs.addService('web');
        ecs.addService('worker');
        const { final } = await drive('CREATE', props(['web', 'worker']), () => {
            ecs.complete('worker');
            ecs.fail('web');
        });
        expect(final.status).toBe('FAILED');
        expect(final.errorCode).toBe('NotStabilized');
        expect(final.message).toMatch(
            /^Service web did not stabilize: service deployment arn:\S+ is ROLLBACK_SUCCESSFUL after 3 failed tasks/,
        );
        expect(final.message).toContain('circuit breaker');
        expect(final.message).toContain('Stopped tasks: 0123456789abcdef: TaskFailedToStart; CannotPullContainerError');
        expect(final.message).toContain('deployment failed: tasks failed to start');
        expect(final.message).toMatch(/Also restarted: worker \(ecs-svc\/\d+, healthy\)/);
        expect(final.message.length).toBeLessThanOrEqual(1024);
        expect(ssm.parameters.size).toBe(0);
    });

    it('fails on rolloutState FAILED through the DescribeServices fallback when the service-deployments API is denied', async () => {
        ecs.addService('web');
        ecs.serviceDeploymentsApi = 'access-denied';
        const { final } = await drive('CREATE', props(['web']), () => ecs.fail('web', 'tasks failed to start: essential container exited'));
        expect(final.errorCode).toBe('NotStabilized');
        expect(final.message).toMatch(/deployment ecs-svc\/\d+ FAILED: tasks failed to start: essential container exited/);
    });

    it('detects a rollback whose failed deployment already drained, from the service events', async () => {
        ecs.addService('web');
        ecs.serviceDeploymentsApi = 'unknown-operation';
        const { final } = await drive('CREATE', props(['web']), () => ecs.rollbackAndDrain('web'));
        expect(final.errorCode).toBe('NotStabilized');
        expect(final.message).toMatch(/was rolled back: \(service web\) rolling back to deployment/);
    });

    it.each(['available', 'html-500'] as const)(
        'follows a newer deployment that superseded the restart (service-deployments API %s)',
        async (api) => {
            ecs.addService('web');
            ecs.serviceDeploymentsApi = api;
            let newer = '';
            const { final, rounds } = await drive('CREATE', props(['web']), (round) => {
                if (round === 1) newer = ecs.supersede('web').id;
                if (round === 2) ecs.complete('web');
            });
            expect(rounds[1]!.status).toBe('IN_PROGRESS');
            expect(rounds[1]!.message).toContain(`was superseded by ${newer}`);
            expect(final.status).toBe('SUCCESS');
            expect(final.message).toContain('the restart follows it instead');
            expect(final.resourceModel?.DeploymentIds).toEqual([newer]);
            expect(ecs.updateCalls('web')).toBe(1);
        },
    );

    it('fails on a superseding deployment that fails, saying it was superseded', async () => {
        ecs.addService('web');
        const { final } = await drive('CREATE', props(['web']), (round) => {
            if (round === 1) ecs.supersede('web');
            if (round === 2) ecs.fail('web');
        });
        expect(final.errorCode).toBe('NotStabilized');
        expect(final.message).toContain('was superseded by');
    });

    it('fails with NotStabilized naming what still runs and its counts once TimeoutInMinutes has passed', async () => {
        ecs.addService('web');
        const first = await invoke(cfnEvent('CREATE', props(['web'], { TimeoutInMinutes: 5 }), { token: 't' }));
        ecs.progress('web');
        clock.advance(5 * 60_000);
        const response = await invoke(
            cfnEvent('CREATE', props(['web'], { TimeoutInMinutes: 5 }), { token: 't', callbackContext: first.callbackContext }),
        );
        expect(response.errorCode).toBe('NotStabilized');
        expect(response.message).toMatch(
            /^Timed out after 5 minutes \(TimeoutInMinutes\) waiting for: web \(deployment ecs-svc\/\d+ IN_PROGRESS, 1\/2 running, 1 pending, 0 failed tasks\)\./,
        );
    });

    it('backs off inside IN_PROGRESS on throttling, then carries on', async () => {
        ecs.addService('web');
        const first = await invoke(cfnEvent('CREATE', props(['web']), { token: 't' }));
        throttleEveryAttempt('DescribeServices');
        const throttled = await invoke(cfnEvent('CREATE', props(['web']), { token: 't', callbackContext: first.callbackContext }));
        expect(throttled.status).toBe('IN_PROGRESS');
        expect(throttled.message).toMatch(/^Retrying after a transient AWS error: .*ThrottlingException/);
        expect(throttled.callbackDelaySeconds).toBe(5);
        expect(throttled.callbackContext?.transientFailures).toBe(1);

        ecs.complete('web');
        const done = await invoke(cfnEvent('CREATE', props(['web']), { token: 't', callbackContext: throttled.callbackContext }));
        expect(done.status).toBe('SUCCESS');
        expect(ecs.updateCalls('web')).toBe(1);
    });

    it('doubles the back-off while throttling lasts and fails with Throttling once the deadline passed', async () => {
        ecs.addService('web');
        const first = await invoke(cfnEvent('CREATE', props(['web']), { token: 't' }));
        const throttleAll = () => throttleEveryAttempt('DescribeServices');
        throttleAll();
        const once = await invoke(cfnEvent('CREATE', props(['web']), { token: 't', callbackContext: first.callbackContext }));
        throttleAll();
        const twice = await invoke(cfnEvent('CREATE', props(['web']), { token: 't', callbackContext: once.callbackContext }));
        expect([once.callbackDelaySeconds, twice.callbackDelaySeconds]).toEqual([5, 10]);

        throttleAll();
        clock.advance(60 * 60_000);
        const failed = await invoke(cfnEvent('CREATE', props(['web']), { token: 't', callbackContext: twice.callbackContext }));
        expect(failed.errorCode).toBe('Throttling');
        expect(failed.message).toContain('Gave up when TimeoutInMinutes ran out');
        expect(failed.message.match(/Also restarted: web/g)).toHaveLength(1);
    });

    it('backs off when the first step itself is throttled, restarting nothing until it goes through', async () => {
        ecs.addService('web');
        throttleEveryAttempt('DescribeServices');
        const throttled = await invoke(cfnEvent('CREATE', props(['web']), { token: 't' }));
        expect(throttled.status).toBe('IN_PROGRESS');
        expect(throttled.callbackContext).toMatchObject({ stage: 'preparing', transientFailures: 1 });
        expect(ecs.updateCalls('web')).toBe(0);

        const next = await invoke(cfnEvent('CREATE', props(['web']), { token: 't', callbackContext: throttled.callbackContext }));
        expect(next.status).toBe('IN_PROGRESS');
        expect(next.resourceModel?.Id).toBe(throttled.resourceModel?.Id);
        expect(next.callbackContext?.deadline).toBe(throttled.callbackContext?.deadline);
        expect(ecs.updateCalls('web')).toBe(1);
    });

    it('reports AccessDenied naming UpdateService and the service when the role may not restart the first one, restarting none', async () => {
        ecs.addService('web');
        ecs.addService('worker');
        ecs.updateRefused.add('web');
        const response = await invoke(cfnEvent('CREATE', props(['web', 'worker'])));
        expect(response.status).toBe('FAILED');
        expect(response.errorCode).toBe('AccessDenied');
        expect(response.message).toMatch(
            /^ecs:UpdateService \(forceNewDeployment\) on service \S*web failed: AccessDeniedException: .*not authorized to perform: ecs:UpdateService on resource: \S+:service\/prod\/web/,
        );
        expect(response.message).toContain('Grant the permission to the role that CloudFormation uses for this resource type.');
        expect(response.message).not.toMatch(/Also restarted/);
        expect(ecs.updateCalls('worker')).toBe(0);
        expect(ecs.services.get('web')?.deployments).toHaveLength(1);
        expect(ecs.services.get('worker')?.deployments).toHaveLength(1);
        // A failed create leaves no record behind.
        expect(ssm.records()).toEqual([]);
    });

    it('says which services were restarted when the role refuses one in the middle of a wave', async () => {
        ecs.addService('web');
        ecs.addService('worker');
        ecs.updateRefused.add('worker');
        const response = await invoke(cfnEvent('CREATE', props(['web', 'worker'])));
        expect(response.errorCode).toBe('AccessDenied');
        expect(response.message).toMatch(/ecs:UpdateService \(forceNewDeployment\) on service \S*worker failed: AccessDeniedException/);
        expect(response.message).toMatch(/Also restarted: web \(ecs-svc\/\d+, still deploying\)\. Not restarted: worker\./);
        expect(ecs.updateCalls('web')).toBe(1);
    });

    it('reports AccessDenied on UpdateService and says which services were already restarted', async () => {
        ecs.addService('web');
        ecs.addService('worker');
        ecs.throwNext('UpdateService', undefined as unknown as Error, ScriptedEcs.accessDenied('ecs:UpdateService'));
        const response = await invoke(cfnEvent('CREATE', props(['web', 'worker'])));
        expect(response.errorCode).toBe('AccessDenied');
        expect(response.message).toMatch(/ecs:UpdateService \(forceNewDeployment\) on service \S+worker failed: AccessDeniedException/);
        expect(response.message).toMatch(/Also restarted: web \(ecs-svc\/\d+, still deploying\)\. Not restarted: worker\./);
    });
});

describe('read, update, list, delete', () => {
    async function created(): Promise<Response> {
        ecs.addService('web');
        const { final } = await drive('CREATE', props(['web'], { Triggers: { V: '1' }, TimeoutInMinutes: '15' }), () =>
            ecs.complete('web'),
        );
        expect(final.status).toBe('SUCCESS');
        return final;
    }

    it('read returns the input exactly as given plus the read-only properties', async () => {
        const resource = await created();
        const read = await invoke(cfnEvent('READ', { Id: resource.resourceModel?.Id }));
        expect(read.status).toBe('SUCCESS');
        expect(read.resourceModel).toEqual(resource.resourceModel);
        expect(read.resourceModel?.TimeoutInMinutes).toBe(15);
    });

    it('update keeps the Id and restarts the services of the new model', async () => {
        const resource = await created();
        ecs.addService('api');
        const previous = resource.resourceModel;
        const desired = { ...props(['web', 'api'], { Triggers: { V: '2' } }), Id: previous?.Id };
        const { final } = await drive('UPDATE', desired, () => ['web', 'api'].forEach((name) => ecs.complete(name)), { previous });
        expect(final.status).toBe('SUCCESS');
        expect(final.resourceModel?.Id).toBe(previous?.Id);
        expect(final.resourceModel?.Triggers).toEqual({ V: '2' });
        expect(ecs.updateCalls('web')).toBe(2);
        expect(ecs.updateCalls('api')).toBe(1);
        expect(final.resourceModel?.DeploymentIds).toEqual([ecs.primary('web').id, ecs.primary('api').id]);
    });

    it('list returns every record, across pages', async () => {
        const one = await created();
        const two = await invoke(cfnEvent('CREATE', props(['web'], { WaitForSteadyState: false })));
        const list = await invoke(cfnEvent('LIST', {}));
        expect(list.status).toBe('SUCCESS');
        expect(list.resourceModels?.map((model) => model.Id).sort()).toEqual([one.resourceModel?.Id, two.resourceModel?.Id].sort());
    });

    it('delete removes the record and restarts nothing; afterwards read, update and delete return NotFound', async () => {
        const resource = await created();
        const id = resource.resourceModel?.Id;
        const updatesBefore = ecs.updateCalls('web');

        const deleted = await invoke(cfnEvent('DELETE', { ...props(['web']), Id: id }));
        expect(deleted.status).toBe('SUCCESS');
        expect(ecs.updateCalls('web')).toBe(updatesBefore);
        expect(ssm.parameters.size).toBe(0);

        for (const action of ['READ', 'UPDATE', 'DELETE']) {
            const response = await invoke(cfnEvent(action, { ...props(['web']), Id: id }));
            expect({ action, status: response.status, errorCode: response.errorCode }).toEqual({
                action,
                status: 'FAILED',
                errorCode: 'NotFound',
            });
            expect(response.message).toContain(id);
        }
        expect(ecs.updateCalls('web')).toBe(updatesBefore);
    });

    it('read of an Id that is not a generated UUID is NotFound, never a path built from input', async () => {
        const read = await invoke(cfnEvent('READ', { Id: '../../other/param' }));
        expect(read.errorCode).toBe('NotFound');
        expect(ssm.mock.calls()).toHaveLength(0);
    });
});

describe('paths that resume from the record or fail late', () => {
    const recordOf = (id: string) => JSON.parse(ssm.parameters.get(`/CloudFormation/Org/ECS/ServiceRestart/${id}`) ?? 'null');

    it('answers a first step invoked again after the operation SUCCEEDED with the stored model, restarting nothing', async () => {
        ecs.addService('web');
        const event = cfnEvent('CREATE', props(['web']), { token: 'done-token' });
        const first = await invoke(event);
        ecs.complete('web');
        const done = await invoke({ ...event, callbackContext: first.callbackContext });
        expect(done.status).toBe('SUCCESS');

        const replayed = await invoke(event);

        expect(replayed.status).toBe('SUCCESS');
        expect(replayed.resourceModel).toEqual(done.resourceModel);
        expect(ecs.updateCalls('web')).toBe(1);
    });

    it('answers a first step invoked again after the operation FAILED with NotStabilized, restarting nothing', async () => {
        const resource = await (async () => {
            ecs.addService('web');
            const { final } = await drive('CREATE', props(['web']), () => ecs.complete('web'));
            return final;
        })();
        const desired = { ...props(['web'], { Triggers: { V: '2' } }), Id: resource.resourceModel?.Id };
        const event = cfnEvent('UPDATE', desired, { token: 'failing-update', previous: resource.resourceModel });
        const first = await invoke(event);
        ecs.fail('web');
        const failed = await invoke({ ...event, callbackContext: first.callbackContext });
        expect(failed.errorCode).toBe('NotStabilized');

        const replayed = await invoke(event);

        expect(replayed.status).toBe('FAILED');
        expect(replayed.errorCode).toBe('NotStabilized');
        expect(replayed.message).toContain('already failed');
        expect(ecs.updateCalls('web')).toBe(2);
    });

    it('stores FAILED in the record when an UPDATE fails, keeping the resource readable', async () => {
        ecs.addService('web');
        const { final: resource } = await drive('CREATE', props(['web']), () => ecs.complete('web'));
        const id = String(resource.resourceModel?.Id);
        const desired = { ...props(['web'], { Triggers: { V: '2' } }), Id: id };

        const { final } = await drive('UPDATE', desired, () => ecs.fail('web'), { previous: resource.resourceModel });

        expect(final.errorCode).toBe('NotStabilized');
        expect(recordOf(id)).toMatchObject({ operation: { action: 'UPDATE', status: 'FAILED' }, properties: { Triggers: { V: '2' } } });
        const read = await invoke(cfnEvent('READ', { Id: id }));
        expect(read.status).toBe('SUCCESS');
    });

    it('refuses a later-wave service deleted before its turn, saying which services were restarted', async () => {
        ['a', 'b'].forEach((name) => ecs.addService(name));
        const { final } = await drive('CREATE', props(['a', 'b'], { MaxConcurrentRestarts: 1 }), (round) => {
            if (round === 1) {
                ecs.complete('a');
                ecs.services.delete('b');
            }
        });

        expect(final.status).toBe('FAILED');
        expect(final.errorCode).toBe('InvalidRequest');
        expect(final.message).toContain("service 'b' was not found in cluster 'prod'");
        expect(final.message).toMatch(/Also restarted: a \(ecs-svc\/\d+, healthy\)\. Not restarted: b\./);
        expect(ecs.updateCalls('a')).toBe(1);
        expect(ecs.updateCalls('b')).toBe(0);
        expect(ssm.parameters.size).toBe(0);
    });
});

describe('a stack rollback never fails because of this type', () => {
    /** CREATE with Triggers v1, then an UPDATE to v2 whose deployment fails: the stack then rolls back to v1. */
    async function failedUpdate(extra: Record<string, unknown> = {}): Promise<{ id: string; v1: Record<string, unknown> }> {
        ecs.addService('web');
        const { final: created } = await drive('CREATE', props(['web'], { Triggers: { V: '1' }, ...extra }), () => ecs.complete('web'));
        expect(created.status).toBe('SUCCESS');
        const id = String(created.resourceModel?.Id);
        const v2 = { ...props(['web'], { Triggers: { V: '2' }, ...extra }), Id: id };
        const { final: updated } = await drive('UPDATE', v2, () => ecs.fail('web'), { previous: created.resourceModel });
        expect(updated.errorCode).toBe('NotStabilized');
        return { id, v1: { ...props(['web'], { Triggers: { V: '1' }, ...extra }), Id: id } };
    }

    it('OnStackRollback Skip (the default): restarts nothing, records the previous properties, succeeds at once', async () => {
        const { id, v1 } = await failedUpdate();
        const restartsBefore = ecs.updateCalls('web');

        const rolledBack = await invoke(cfnEvent('UPDATE', v1, { token: 'rollback-token', rollback: true }));

        expect(rolledBack.status).toBe('SUCCESS');
        expect(rolledBack.message).toContain('OnStackRollback is Skip');
        expect(ecs.updateCalls('web')).toBe(restartsBefore);
        const read = await invoke(cfnEvent('READ', { Id: id }));
        expect(read.resourceModel?.Triggers).toEqual({ V: '1' });
    });

    it('OnStackRollback Restart: restarts again and, when that fails too, still succeeds saying why', async () => {
        const { v1 } = await failedUpdate({ OnStackRollback: 'Restart' });
        const restartsBefore = ecs.updateCalls('web');

        const first = await invoke(cfnEvent('UPDATE', v1, { token: 'rollback-token', rollback: true }));
        expect(first.status).toBe('IN_PROGRESS');
        ecs.fail('web');
        const last = await invoke(
            cfnEvent('UPDATE', v1, { token: 'rollback-token', rollback: true, callbackContext: first.callbackContext }),
        );

        expect(ecs.updateCalls('web')).toBe(restartsBefore + 1);
        expect(last.status).toBe('SUCCESS');
        expect(last.message).toMatch(/^Stack rollback: restarting with the previous properties did not complete \(NotStabilized: /);
    });

    it('an update that is not a rollback still fails as before', async () => {
        const { v1 } = await failedUpdate();
        const { final } = await drive('UPDATE', v1, () => ecs.fail('web'));
        expect(final.errorCode).toBe('NotStabilized');
    });
});

describe('malformed request envelopes', () => {
    it.each([
        ['an empty bearer token', { bearerToken: '' }],
        ['a bearer token that is a list', { bearerToken: [null] }],
        ['an unknown action', { action: 'RESTART' }],
        ['an empty credential value', { requestData: { callerCredentials: { ...CREDENTIALS, sessionToken: '' } } }],
    ])('answers %s with InvalidRequest, restarting nothing', async (_label, change) => {
        ecs.addService('web');
        const event = cfnEvent('CREATE', props(['web']));
        const malformed = {
            ...event,
            ...change,
            requestData: { ...event.requestData, ...(change as { requestData?: object }).requestData },
        };
        const response = await invoke(malformed as ReturnType<typeof cfnEvent>);
        expect(response.status).toBe('FAILED');
        expect(response.errorCode).toBe('InvalidRequest');
        expect(response.message).toMatch(/^Malformed request: /);
        expect(ecs.updateCalls('web')).toBe(0);
    });
});
