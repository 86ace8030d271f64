/**
 * The 60-second handler contract: an invocation stops starting AWS calls once its budget is spent and
 * continues in the next one, without restarting any service twice. The clock is a fake that ECS calls
 * move forward; ECS is the scripted double behind the real SDK gateway.
 */
import { ECSClient } from '@aws-sdk/client-ecs';
import { SSMClient } from '@aws-sdk/client-ssm';
import { SdkEcsGateway } from '../../src/aws/ecs-gateway';
import { SsmRecordStore } from '../../src/aws/restart-record-store';
import { INVOCATION_BUDGET_MS, runRestart } from '../../src/restart/operation/operation';
import type { RestartDependencies } from '../../src/restart/ports';
import { settingsFromProperties } from '../../src/restart/request/settings';
import { InMemorySsm } from '../support/in-memory-ssm';
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
    let clock = Date.now();
    // Each UpdateService takes 15 s: the budget allows only part of the wave per invocation.
    ecs.onUpdateService = () => {
        clock += 15_000;
    };
    const deadline = { invocationDeadline: Number.MAX_SAFE_INTEGER, perCallMs: 10_000, now: () => clock };
    const invocation = (): RestartDependencies => ({
        ecs: new SdkEcsGateway(new ECSClient({ region: 'us-east-1' }), new ECSClient({ region: 'us-east-1' }), deadline),
        records: new SsmRecordStore(new SSMClient({ region: 'us-east-1' }), deadline),
        now: () => clock,
        log: () => undefined,
        budgetEndsAt: clock + INVOCATION_BUDGET_MS,
        sleep: (ms: number) => {
            clock += ms;
            return Promise.resolve();
        },
    });
    const here = { partition: 'aws', region: 'us-east-1', accountId: '123456789012' };
    const settings = settingsFromProperties({ Cluster: 'prod', Services: services }, here);
    const request = { action: 'CREATE' as const, id: '0d1c2b3a-0000-5000-8000-000000000000', tokenDigest: 't', settings, properties: {} };

    const first = await runRestart(request, undefined, invocation());

    expect(first).toMatchObject({ status: 'in-progress', message: 'Restarting services…', delaySeconds: 1 });
    expect(services.map((name) => ecs.updateCalls(name))).toEqual([1, 1, 1, 0]);
    expect(clock - (first.status === 'in-progress' ? first.context.startedAt : 0)).toBeLessThan(60_000);

    const second = await runRestart(request, first.status === 'in-progress' ? first.context : undefined, invocation());

    expect(second.status).toBe('in-progress');
    expect(services.map((name) => ecs.updateCalls(name))).toEqual([1, 1, 1, 1]);
});
