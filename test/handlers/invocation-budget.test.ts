/**
 * The 60-second handler contract: an invocation stops starting AWS calls once its budget is spent and
 * continues in the next one, without restarting any service twice. The clock is a fake that ECS calls
 * move forward; ECS is the scripted double behind the real SDK gateway.
 */
import { runRestart } from '../../src/restart/operation/operation';
import { InMemorySsm } from '../support/in-memory-ssm';
import { StepClock, restartRequest, sdkDependencies } from '../support/restart-fixtures';
import { ScriptedEcs } from '../support/scripted-ecs';

let ecs: ScriptedEcs;
let ssm: InMemorySsm;

beforeEach(() => {
    ecs = new ScriptedEcs();
    ssm = new InMemorySsm();
});

afterEach(() => {
    ecs.mock.restore();
    ssm.mock.restore();
});

it('stops restarting when the invocation budget is spent and finishes the wave in the next invocation', async () => {
    const services = ['a', 'b', 'c', 'd'];
    services.forEach((name) => ecs.addService(name));
    const clock = new StepClock();
    // Each UpdateService takes 15 s: the budget allows only part of the wave per invocation.
    ecs.onUpdateService = () => clock.advance(15_000);
    const request = restartRequest({ Cluster: 'prod', Services: services });

    const first = await runRestart(request, undefined, sdkDependencies(clock));

    expect(first).toMatchObject({ kind: 'in-progress', message: 'Restarting services…', delaySeconds: 1 });
    expect(services.map((name) => ecs.updateCalls(name))).toEqual([1, 1, 1, 0]);
    expect(clock.ms - (first.kind === 'in-progress' ? first.context.startedAt : 0)).toBeLessThan(60_000);

    const second = await runRestart(request, first.kind === 'in-progress' ? first.context : undefined, sdkDependencies(clock));

    expect(second.kind).toBe('in-progress');
    expect(services.map((name) => ecs.updateCalls(name))).toEqual([1, 1, 1, 1]);
});
