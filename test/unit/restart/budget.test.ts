/** The invocation budget: no call, and no wait, starts past it. */
import { hasBudget, withBudget } from '../../../src/restart/budget';
import { InvocationBudgetSpentError } from '../../../src/restart/errors';
import type { EcsGateway } from '../../../src/restart/ports';
import { FakeEcs, StepClock, T0, fakeDependencies } from '../../support/restart-fixtures';

describe('hasBudget', () => {
    const deps = { now: () => T0, budgetEndsAt: T0 + 1_000 };

    it('allows a call before the budget ends and none from the moment it ends', () => {
        expect(hasBudget(deps)).toBe(true);
        expect(hasBudget({ ...deps, now: () => T0 + 999 })).toBe(true);
        expect(hasBudget({ ...deps, now: () => T0 + 1_000 })).toBe(false);
        expect(hasBudget({ ...deps, now: () => T0 + 5_000 })).toBe(false);
    });

    it('allows a wait only when it ends before the budget does', () => {
        expect(hasBudget(deps, 999)).toBe(true);
        expect(hasBudget(deps, 1_000)).toBe(false);
    });
});

describe('withBudget', () => {
    const calls: Array<[keyof EcsGateway, (ecs: EcsGateway) => Promise<unknown>]> = [
        ['describeServices', (ecs) => ecs.describeServices('prod', ['web'])],
        ['forceNewDeployment', (ecs) => ecs.forceNewDeployment('prod', 'web')],
        ['listServiceDeployments', (ecs) => ecs.listServiceDeployments('prod', 'arn:web', T0)],
        ['describeServiceDeployments', (ecs) => ecs.describeServiceDeployments(['arn:sd/ours'])],
        ['describeStoppedTasks', (ecs) => ecs.describeStoppedTasks('prod', 'web', 'ecs-svc/200', 3)],
        ['listServices', (ecs) => ecs.listServices('prod')],
        ['describeTaskDefinition', (ecs) => ecs.describeTaskDefinition('arn:td')],
    ];

    it.each(calls)(
        'passes %s through while the budget lasts and refuses it, without calling ECS, once it is spent',
        async (method, call) => {
            const clock = new StepClock(T0);
            const fake = new FakeEcs(clock);
            fake.add('web');
            const deps = fakeDependencies(clock, fake);
            const ecs = withBudget(deps);

            await call(ecs);
            expect(fake.callsOf(method)).toHaveLength(1);

            clock.ms = deps.budgetEndsAt;
            // The refusal is thrown as the call is made; callers await it inside an async step.
            await expect(async () => call(ecs)).rejects.toThrow(InvocationBudgetSpentError);
            expect(fake.callsOf(method)).toHaveLength(1);
        },
    );

    it('lets a call started inside the budget finish and refuses the next one', async () => {
        const clock = new StepClock(T0);
        const fake = new FakeEcs(clock);
        fake.add('a');
        fake.add('b');
        const deps = { ...fakeDependencies(clock, fake), budgetEndsAt: T0 + 10_000 };
        // Each call takes longer than the whole budget.
        fake.callMs = 15_000;
        const ecs = withBudget(deps);

        await expect(ecs.forceNewDeployment('prod', 'a')).resolves.toMatchObject({ deploymentId: expect.any(String) });
        await expect(async () => ecs.forceNewDeployment('prod', 'b')).rejects.toThrow('The invocation budget is spent');
        expect(fake.callsOf('forceNewDeployment')).toEqual(['a']);
    });
});
