import { MAX_RECORD_BYTES, assertRecordFits, encodeRecord, recordPath } from '../../../../src/aws/restart-record-store';
import { RestartingOperation } from '../../../../src/restart/operation/progress';
import { recordOf, worstCaseRecordOf } from '../../../../src/restart/operation/progress-record';

function progress(services: number): RestartingOperation {
    return {
        stage: 'restarting',
        id: '0d1c2b3a-0000-5000-8000-000000000000',
        action: 'CREATE',
        tokenDigest: 'token',
        startedAt: 0,
        deadline: 0,
        timeoutInMinutes: 60,
        waitForSteadyState: true,
        wave: 0,
        waveCount: 1,
        waveStartedAt: 0,
        services: Array.from({ length: services }, (_, i) => ({
            input: `s${i}`,
            name: `s${i}`,
            arn: `arn:aws:ecs:us-east-1:123456789012:service/prod/s${i}`,
            wave: 0,
        })),
        serviceDeploymentsApi: 'unknown',
        polls: 0,
        transientFailures: 0,
        notes: [],
    };
}

describe('record size', () => {
    it('is judged with every deployment id filled in, so no later write is refused half-way', () => {
        const started = progress(20);
        // Pad the properties until the empty record just fits.
        let padding = 0;
        const propertiesWith = (length: number) => ({ Cluster: 'prod', Triggers: { Pad: 'x'.repeat(length) } });
        while (Buffer.byteLength(encodeRecord(recordOf(started, propertiesWith(padding + 1), 'IN_PROGRESS'))) <= MAX_RECORD_BYTES) {
            padding += 1;
        }
        const properties = propertiesWith(padding);

        expect(() => assertRecordFits('id', recordOf(started, properties, 'IN_PROGRESS'))).not.toThrow();
        expect(() => assertRecordFits('id', worstCaseRecordOf(started, properties))).toThrow(/an SSM Standard parameter holds 4096/);
    });
});

describe('recordPath', () => {
    it('is built from a generated UUID only', () => {
        expect(recordPath('0d1c2b3a-0000-5000-8000-000000000000')).toBe(
            '/CloudFormation/Org/ECS/ServiceRestart/0d1c2b3a-0000-5000-8000-000000000000',
        );
        expect(() => recordPath('../x')).toThrow("'../x' is not an identifier of this resource type");
    });
});
