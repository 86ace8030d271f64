/** Observing a wave: only reads, each service deployment listed once and then only described, a fallback when that API is denied. */
import { DescribeServicesCommand } from '@aws-sdk/client-ecs';
import { AccessDeniedError, InvocationBudgetSpentError } from '../../../../src/restart/errors';
import { LOOK_GROUP_SIZE, observeWave, probeServiceDeploymentsApi, refusalChecks } from '../../../../src/restart/operation/observe';
import type { RestartingOperation } from '../../../../src/restart/operation/progress';
import {
    FakeEcs,
    MemoryRecords,
    StepClock,
    T0,
    deploymentView,
    fakeDependencies,
    restartingOperation,
    revisionArn,
    sdkDependencies,
    serviceDeploymentView,
    serviceView,
    trackedService,
} from '../../../support/restart-fixtures';
import { ScriptedEcs } from '../../../support/scripted-ecs';

const DENIED = 'User is not authorized to perform: ecs:ListServiceDeployments';

let clock: StepClock;
let ecs: FakeEcs;

beforeEach(() => {
    clock = new StepClock(T0 + 30_000);
    ecs = new FakeEcs(clock);
    ecs.add('web', { arn: 'arn:web' });
    ecs.serviceDeployments.set('arn:web', [
        { arn: 'arn:sd/ours', status: 'IN_PROGRESS', createdAt: T0 + 100, targetRevisionArn: revisionArn('200') },
    ]);
    ecs.describedDeployments.set('arn:sd/ours', serviceDeploymentView());
});

/** The deps of one invocation whose record store journals into the same list as ECS. */
const deps = () => fakeDependencies(clock, ecs, new MemoryRecords(ecs.journal));

describe('observeWave', () => {
    it('lists a service deployment once, then only describes it, and never writes anything', async () => {
        const first = await observeWave(restartingOperation(), 'prod', deps());

        expect(ecs.journal).toEqual([
            'ecs.describeServices arn:web',
            'ecs.listServiceDeployments arn:web',
            'ecs.describeServiceDeployments arn:sd/ours',
        ]);
        expect(first.decision.kind).toBe('wait');
        expect(first.decision.progress.services[0]?.serviceDeploymentArn).toBe('arn:sd/ours');
        expect(first.views.map((view) => view.name)).toEqual(['web']);

        ecs.journal.length = 0;
        await observeWave(first.decision.progress, 'prod', deps());

        expect(ecs.journal).toEqual(['ecs.describeServices arn:web', 'ecs.describeServiceDeployments arn:sd/ours']);
    });

    it('lists again when ECS shows a PRIMARY deployment other than the one followed', async () => {
        const known = restartingOperation({ services: [trackedService({ serviceDeploymentArn: 'arn:sd/ours' })] });
        ecs.views.set('web', serviceView({ deployments: [deploymentView({ id: 'ecs-svc/pipeline', createdAt: T0 + 5_000 })] }));

        await observeWave(known, 'prod', deps());

        expect(ecs.callsOf('listServiceDeployments')).toEqual(['arn:web']);
    });

    it('lists again before judging a known service deployment STOPPED: a deployment started after DescribeServices answered is followed, not failed', async () => {
        // Prepare: DescribeServices still shows our deployment PRIMARY; by the time the service deployment is
        // described, a pipeline's deployment has replaced it and ECS has stopped ours.
        const known = restartingOperation({ services: [trackedService({ serviceDeploymentArn: 'arn:sd/ours' })] });
        ecs.describedDeployments.set(
            'arn:sd/ours',
            serviceDeploymentView({ status: 'STOPPED', statusReason: 'a newer deployment started' }),
        );
        ecs.serviceDeployments.set('arn:web', [
            { arn: 'arn:sd/ours', status: 'STOPPED', createdAt: T0 + 100, targetRevisionArn: revisionArn('200') },
            { arn: 'arn:sd/pipeline', status: 'IN_PROGRESS', createdAt: T0 + 20_000, targetRevisionArn: revisionArn('201') },
        ]);
        ecs.describedDeployments.set(
            'arn:sd/pipeline',
            serviceDeploymentView({ arn: 'arn:sd/pipeline', createdAt: T0 + 20_000, targetRevisionArn: revisionArn('201') }),
        );

        // Act
        const observed = await observeWave(known, 'prod', deps());

        // Assess
        expect(ecs.callsOf('listServiceDeployments')).toEqual(['arn:web']);
        expect(observed.decision.kind).toBe('wait');
        expect(observed.decision.progress.services[0]?.serviceDeploymentArn).toBe('arn:sd/pipeline');
        expect(observed.decision.progress.notes.join(' ')).toMatch(/superseded/);
    });

    it('lists again when the service deployment just listed is found STOPPED: the newer one started between the two calls', async () => {
        // Prepare: the first listing finds only ours; ECS then starts a pipeline deployment and stops ours.
        const unknown = restartingOperation({ services: [trackedService()] });
        ecs.serviceDeployments.set('arn:web', [
            { arn: 'arn:sd/ours', status: 'IN_PROGRESS', createdAt: T0 + 100, targetRevisionArn: revisionArn('200') },
        ]);
        const list = ecs.listServiceDeployments.bind(ecs);
        const listing = jest.spyOn(ecs, 'listServiceDeployments').mockImplementation(async (...args) => {
            const answer = await list(...args);
            ecs.describedDeployments.set(
                'arn:sd/ours',
                serviceDeploymentView({ status: 'STOPPED', statusReason: 'a newer deployment started' }),
            );
            ecs.serviceDeployments.set('arn:web', [
                { arn: 'arn:sd/ours', status: 'STOPPED', createdAt: T0 + 100, targetRevisionArn: revisionArn('200') },
                { arn: 'arn:sd/pipeline', status: 'IN_PROGRESS', createdAt: T0 + 20_000, targetRevisionArn: revisionArn('201') },
            ]);
            return answer;
        });
        ecs.describedDeployments.set(
            'arn:sd/pipeline',
            serviceDeploymentView({ arn: 'arn:sd/pipeline', createdAt: T0 + 20_000, targetRevisionArn: revisionArn('201') }),
        );

        // Act
        const observed = await observeWave(unknown, 'prod', deps());

        // Assess
        expect(listing).toHaveBeenCalledTimes(2);
        expect(observed.decision.kind).toBe('wait');
        expect(observed.decision.progress.services[0]?.serviceDeploymentArn).toBe('arn:sd/pipeline');
    });

    it('fails a known service deployment STOPPED when listing again finds nothing newer', async () => {
        const known = restartingOperation({ services: [trackedService({ serviceDeploymentArn: 'arn:sd/ours' })] });
        const stopped = serviceDeploymentView({ status: 'STOPPED', statusReason: 'Service deployment stopped by a user.' });
        ecs.describedDeployments.set('arn:sd/ours', stopped);
        ecs.serviceDeployments.set('arn:web', [
            { arn: 'arn:sd/ours', status: 'STOPPED', createdAt: T0 + 100, targetRevisionArn: revisionArn('200') },
        ]);

        const observed = await observeWave(known, 'prod', deps());

        expect(ecs.callsOf('listServiceDeployments')).toEqual(['arn:web']);
        expect(observed.decision.kind).toBe('failed');
    });

    it('reads only the services of the current wave that have not completed', async () => {
        ecs.add('done');
        ecs.add('later');
        const progress = restartingOperation({
            services: [
                trackedService({ name: 'done', input: 'done', arn: 'arn:done', completed: true }),
                trackedService(),
                trackedService({ name: 'later', input: 'later', arn: 'arn:later', wave: 1 }),
            ],
        });

        await observeWave(progress, 'prod', deps());

        expect(ecs.callsOf('describeServices')).toEqual(['arn:web']);
        expect(ecs.callsOf('listServiceDeployments')).toEqual(['arn:web']);
    });

    it('falls back to the DescribeServices deployments when the API is denied, and does not ask it again', async () => {
        ecs.serviceDeploymentsDenied = DENIED;
        const log: string[] = [];

        const first = await observeWave(restartingOperation(), 'prod', { ...deps(), log: (message) => log.push(message) });

        expect(first.decision.progress.serviceDeploymentsApi).toBe('unavailable');
        // The default deployment runs every task: the fallback judges it complete.
        expect(first.decision.kind).toBe('wave-complete');
        expect(log.join('\n')).toContain(DENIED);

        ecs.journal.length = 0;
        await observeWave({ ...first.decision.progress, services: [trackedService()] }, 'prod', deps());

        expect(ecs.journal).toEqual(['ecs.describeServices arn:web']);
    });

    it('lets any other failure of the service-deployments API through', async () => {
        ecs.failNext.set('listServiceDeployments', [new AccessDeniedError('denied by an SCP')]);

        await expect(observeWave(restartingOperation(), 'prod', deps())).rejects.toThrow(AccessDeniedError);
    });

    it('leaves DescribeServices’ limit of 10 services a call to the ECS adapter: 12 services, two calls', async () => {
        const scripted = new ScriptedEcs();
        try {
            const names = Array.from({ length: 12 }, (_, i) => `s${i}`);
            names.forEach((name) => scripted.addService(name));
            const progress: RestartingOperation = restartingOperation({
                services: names.map((name) =>
                    trackedService({ name, input: name, arn: scripted.serviceArn(name), deploymentId: scripted.primary(name).id }),
                ),
            });

            await observeWave(progress, scripted.cluster, sdkDependencies(new StepClock()));

            const batches = scripted.mock.commandCalls(DescribeServicesCommand).map((call) => call.args[0].input.services?.length);
            expect(batches).toEqual([10, 2]);
        } finally {
            scripted.mock.restore();
        }
    });
});

describe('observeWave when the invocation budget ends mid-wave', () => {
    const names = Array.from({ length: 45 }, (_, i) => `svc-${String(i).padStart(2, '0')}`);
    const progress = () =>
        restartingOperation({ services: names.map((name) => trackedService({ name, input: name, arn: `arn:${name}` })) });

    beforeEach(() => {
        for (const name of names) {
            ecs.add(name);
            ecs.serviceDeployments.set(`arn:${name}`, [
                { arn: `arn:sd/${name}`, status: 'IN_PROGRESS', createdAt: T0 + 100, targetRevisionArn: revisionArn('200') },
            ]);
            ecs.describedDeployments.set(`arn:sd/${name}`, serviceDeploymentView({ arn: `arn:sd/${name}` }));
        }
    });

    it('keeps what the groups looked at found, says how many were not looked at, and goes on from the first of them', async () => {
        // Prepare: the adapter refuses the second group's DescribeServices, as it does once the budget is spent.
        ecs.failNext.set('describeServices', [undefined, new InvocationBudgetSpentError('The invocation budget is spent.')]);

        // Act
        const first = await observeWave(progress(), 'prod', deps());

        // Assess: the first group is kept, the look is incomplete and resumes at the 21st service.
        expect(first.complete).toBe(false);
        expect(first.decision.kind).toBe('wait');
        expect(first.decision.progress.lookFrom).toBe(LOOK_GROUP_SIZE);
        const found = first.decision.progress.services.map((service) => service.serviceDeploymentArn);
        expect(found.slice(0, LOOK_GROUP_SIZE)).toEqual(names.slice(0, LOOK_GROUP_SIZE).map((name) => `arn:sd/${name}`));
        expect(found.slice(LOOK_GROUP_SIZE).filter((arn) => arn !== undefined)).toEqual([]);
        expect(first.decision.kind === 'wait' && first.decision.message).toMatch(/25 services not looked at yet/);

        // Act: the next invocation looks again.
        ecs.journal.length = 0;
        const second = await observeWave(first.decision.progress, 'prod', deps());

        // Assess: it starts at the 21st service, lists only the services not listed before, and reaches them all.
        expect(second.complete).toBe(true);
        expect(second.decision.progress.lookFrom).toBeUndefined();
        expect(ecs.callsOf('describeServices')[0]?.split(',')[0]).toBe(`arn:${names[LOOK_GROUP_SIZE]}`);
        expect(ecs.callsOf('listServiceDeployments')).toEqual(names.slice(LOOK_GROUP_SIZE).map((name) => `arn:${name}`));
        expect(new Set(ecs.callsOf('describeServices').flatMap((call) => call.split(',')))).toEqual(
            new Set(names.map((name) => `arn:${name}`)),
        );
    });

    it('lets a spent budget through when no group was looked at: the step continues in the next invocation', async () => {
        ecs.failNext.set('describeServices', [new InvocationBudgetSpentError('The invocation budget is spent.')]);

        await expect(observeWave(progress(), 'prod', deps())).rejects.toThrow(InvocationBudgetSpentError);
    });
});

describe('probeServiceDeploymentsApi', () => {
    const blueGreen = () => [serviceView({ deploymentConfiguration: { strategy: 'BLUE_GREEN' } })];

    it('asks nothing when every service deploys rolling: those keep the DescribeServices fallback', async () => {
        await expect(probeServiceDeploymentsApi('prod', [serviceView()], deps())).resolves.toEqual({ state: 'unknown' });
        expect(ecs.journal).toEqual([]);
    });

    it('lists the service deployments of a traffic-shifting service and describes the newest', async () => {
        ecs.serviceDeployments.set('arn:web', [
            { arn: 'arn:sd/old', status: 'SUCCESSFUL', createdAt: T0 - 1_000 },
            { arn: 'arn:sd/ours', status: 'IN_PROGRESS', createdAt: T0 + 100 },
        ]);

        await expect(probeServiceDeploymentsApi('prod', blueGreen(), deps())).resolves.toEqual({ state: 'available' });
        expect(ecs.journal).toEqual(['ecs.listServiceDeployments arn:web', 'ecs.describeServiceDeployments arn:sd/ours']);
    });

    it('says the API is unavailable, with ECS’s reason, when it is denied', async () => {
        ecs.serviceDeploymentsDenied = DENIED;

        await expect(probeServiceDeploymentsApi('prod', blueGreen(), deps())).resolves.toEqual({ state: 'unavailable', reason: DENIED });
    });

    it('lets any other failure through', async () => {
        ecs.failNext.set('listServiceDeployments', [new AccessDeniedError('denied by an SCP')]);

        await expect(probeServiceDeploymentsApi('prod', blueGreen(), deps())).rejects.toThrow('denied by an SCP');
    });
});

describe('refusalChecks', () => {
    it('adds why the service-deployments API is unavailable only when it is', () => {
        expect(refusalChecks(30, { state: 'available' })).toEqual({ timeoutInMinutes: 30 });
        expect(refusalChecks(30, { state: 'unknown' })).toEqual({ timeoutInMinutes: 30 });
        expect(refusalChecks(30, { state: 'unavailable', reason: DENIED })).toEqual({
            timeoutInMinutes: 30,
            serviceDeploymentsUnavailable: DENIED,
        });
        expect(refusalChecks(30, { state: 'unavailable' }).serviceDeploymentsUnavailable).toMatch(/missing or denied earlier/);
    });
});
