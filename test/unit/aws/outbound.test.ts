/**
 * Every AWS call the adapters make carries the invocation's hard deadline (an abort signal) and maps
 * its failure to a domain error naming the call: each gateway method is called once against a client
 * that records what `send` was given.
 */
import { randomBytes } from 'node:crypto';
import type { ECSClient } from '@aws-sdk/client-ecs';
import type { SSMClient } from '@aws-sdk/client-ssm';
import { SdkEcsGateway } from '../../../src/aws/ecs-gateway';
import { partNamesOf, storedFormOf } from '../../../src/aws/record-parts';
import { SsmRecordStore, recordPath } from '../../../src/aws/restart-record-store';
import { callAws } from '../../../src/aws/outbound';
import { AccessDeniedError } from '../../../src/restart/errors';
import type { RestartRecord } from '../../../src/restart/ports';

interface SentCommand {
    command: string;
    abortSignal: unknown;
}

/** A client whose `send` records each command with its options and answers from `answers` (or throws). */
function recordingClient(answers: Record<string, unknown>, sent: SentCommand[]): unknown {
    return {
        send: (command: object, options?: { abortSignal?: unknown }) => {
            const name = command.constructor.name.replace(/Command$/, '');
            sent.push({ command: name, abortSignal: options?.abortSignal });
            const answer = answers[name];
            return answer instanceof Error ? Promise.reject(answer) : Promise.resolve(answer ?? {});
        },
    };
}

/** Each command named with whether it had an abort signal, so a failure names the command that escaped. */
function expectEachCarriesAnAbortSignal(sent: readonly SentCommand[]): void {
    expect(sent.map((call) => ({ command: call.command, signal: call.abortSignal instanceof AbortSignal }))).toEqual(
        sent.map((call) => ({ command: call.command, signal: true })),
    );
}

const deadline = { invocationDeadline: Date.now() + 50_000, perCallMs: 8_000, now: Date.now };

const RECORD: RestartRecord = {
    version: 1,
    properties: { Cluster: 'prod', Services: ['web'] },
    serviceArns: ['arn:aws:ecs:us-east-1:123456789012:service/prod/web'],
    deploymentIds: ['ecs-svc/1'],
    restartedAt: '2026-12-01T00:00:00.000Z',
    operation: {
        tokenDigest: 'digest',
        action: 'CREATE',
        status: 'SUCCEEDED',
        wave: 0,
        waveStartedAt: 1,
        startedAt: 1,
        deadline: 2,
        attemptedAt: [0],
    },
};
const ID = '0f0e0d0c-0b0a-8909-8807-060504030201';

describe('every ECS command of the gateway', () => {
    it('is sent with an abort signal: none escapes the invocation deadline', async () => {
        // Prepare
        const sent: SentCommand[] = [];
        const client = recordingClient(
            {
                UpdateService: { service: { deployments: [{ status: 'PRIMARY', id: 'ecs-svc/1', createdAt: new Date(1) }] } },
                ListTasks: { taskArns: ['arn:aws:ecs:us-east-1:123456789012:task/prod/1'] },
            },
            sent,
        ) as ECSClient;
        const gateway = new SdkEcsGateway(client, client, deadline);

        // Act
        await gateway.describeServices('prod', ['web']);
        await gateway.forceNewDeployment('prod', 'web');
        await gateway.listServiceDeployments('prod', 'web', 0);
        await gateway.describeServiceDeployments(['arn:aws:ecs:us-east-1:123456789012:service-deployment/prod/web/1']);
        await gateway.describeStoppedTasks('prod', 'web', 'ecs-svc/1', 3);
        await gateway.listServices('prod');
        await gateway.describeTaskDefinition('web:1');

        // Assess
        expect(sent.map((call) => call.command)).toEqual([
            'DescribeServices',
            'UpdateService',
            'ListServiceDeployments',
            'DescribeServiceDeployments',
            'ListTasks',
            'DescribeTasks',
            'ListServices',
            'DescribeTaskDefinition',
        ]);
        expectEachCarriesAnAbortSignal(sent);
    });
});

describe('every SSM command of the record store', () => {
    it('is sent with an abort signal: none escapes the invocation deadline', async () => {
        // Prepare: a record in parts (head and parts read back as written), replaced by one in a single parameter
        const sent: SentCommand[] = [];
        const large = { ...RECORD, properties: { ...RECORD.properties, Pad: randomBytes(6000).toString('hex') } };
        const form = storedFormOf(JSON.stringify(large), 'a1b2c3d4e5f6');
        if (form.kind !== 'parts') throw new Error('the large record fits one parameter');
        const names = partNamesOf(recordPath(ID), form.head);
        const client = recordingClient(
            {
                GetParameter: { Parameter: { Value: form.headValue } },
                GetParameters: { Parameters: names.map((name, n) => ({ Name: name, Value: form.parts[n] })) },
            },
            sent,
        ) as SSMClient;
        const store = new SsmRecordStore(client, deadline);

        // Act
        await store.get(ID);
        await store.put(ID, RECORD);
        await store.putNew(ID, large);
        await store.delete(ID);
        await store.list();

        // Assess
        expect(sent.map((call) => call.command)).toEqual([
            'GetParameter',
            'GetParameters',
            'PutParameter',
            'DeleteParameters',
            ...form.parts.map(() => 'PutParameter'),
            'PutParameter',
            'DeleteParameter',
            'GetParametersByPath',
            'GetParametersByPath',
        ]);
        expectEachCarriesAnAbortSignal(sent);
    });
});

describe('callAws', () => {
    it('aborts at the earlier of the per-call limit and the invocation deadline', async () => {
        // Prepare: 30 ms left in the invocation, 10 s allowed per call.
        const now = Date.now();
        const nearlyOver = { invocationDeadline: now + 30, perCallMs: 10_000, now: () => now };
        const hang = (options: { abortSignal: AbortSignal }) =>
            new Promise<never>((_, reject) => options.abortSignal.addEventListener('abort', () => reject(new Error('aborted'))));

        // Act
        const started = Date.now();
        const error = await callAws(nearlyOver, 'ecs:ListServices in cluster prod', hang).catch((err: Error) => err);

        // Assess
        expect(Date.now() - started).toBeLessThan(5_000);
        expect(error.message).toContain('ecs:ListServices in cluster prod');
    });

    it('maps a failure to the domain error naming the call', async () => {
        // Prepare
        const denied = Object.assign(new Error('User is not authorized to perform ecs:ListServices'), { name: 'AccessDeniedException' });

        // Act
        const error = await callAws(deadline, 'ecs:ListServices in cluster prod', () => Promise.reject(denied)).catch((err: Error) => err);

        // Assess
        expect(error).toBeInstanceOf(AccessDeniedError);
        expect(error.message).toContain('ecs:ListServices in cluster prod');
    });
});
