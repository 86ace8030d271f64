import {
    EVENT_OVERHEAD_BYTES,
    MAX_BYTES_PER_CALL,
    MAX_EVENTS_PER_CALL,
    MAX_MESSAGE_BYTES,
    ProviderLogBuffer,
    batchesOf,
    splitMessage,
} from '../../../src/protocol/provider-logs';
import { MetricsBuffer } from '../../../src/protocol/provider-metrics';

const bytesOf = (batch: Array<{ message: string }>) =>
    batch.reduce((sum, event) => sum + Buffer.byteLength(event.message, 'utf8') + EVENT_OVERHEAD_BYTES, 0);

describe('batchesOf', () => {
    it('puts 10,001 short lines in two calls, in order', () => {
        const events = Array.from({ length: MAX_EVENTS_PER_CALL + 1 }, (_, i) => ({ message: `line ${i}`, timestamp: 1 }));
        const batches = batchesOf(events);
        expect(batches.map((batch) => batch.length)).toEqual([MAX_EVENTS_PER_CALL, 1]);
        expect(batches.flat()).toEqual(events);
    });

    it('keeps every call within 1 MB, counting 26 bytes per event', () => {
        const events = Array.from({ length: 7 }, (_, i) => ({ message: `${i}`.padEnd(300_000, 'x'), timestamp: i }));
        const batches = batchesOf(events);
        expect(batches.map((batch) => batch.length)).toEqual([3, 3, 1]);
        for (const batch of batches) expect(bytesOf(batch)).toBeLessThanOrEqual(MAX_BYTES_PER_CALL);
        expect(batches.flat()).toEqual(events);
    });

    it('sends nothing for no lines', () => {
        expect(batchesOf([])).toEqual([]);
    });
});

describe('splitMessage', () => {
    it('splits a line over 1 MB into pieces that each fit a call, without splitting a character', () => {
        const line = '€😀a'.repeat(200_000); // 8 bytes per repetition: 1.6 MB
        const pieces = splitMessage(line);
        expect(pieces.length).toBe(2);
        for (const piece of pieces) expect(Buffer.byteLength(piece, 'utf8')).toBeLessThanOrEqual(MAX_MESSAGE_BYTES);
        expect(pieces.join('')).toBe(line);
        expect(pieces.join('')).not.toContain('\uFFFD');
    });

    it('leaves a line that fits alone', () => {
        expect(splitMessage('short')).toEqual(['short']);
    });
});

describe('ProviderLogBuffer', () => {
    it('keeps the lines redacted and in order, with times that never go back', async () => {
        const buffer = new ProviderLogBuffer((text) => text.replace('s3cr3t', '[redacted]'));
        buffer.addFilter();
        await buffer.publishLogEvent('first s3cr3t', new Date(2_000));
        await buffer.publishLogEvent('second', new Date(1_000));
        expect(buffer.take()).toEqual([
            { message: 'first [redacted]', timestamp: 2_000 },
            { message: 'second', timestamp: 2_000 },
        ]);
        expect(buffer.take()).toEqual([]);
    });
});

describe('MetricsBuffer', () => {
    it('keeps the library metrics with its namespace and dimensions, for one PutMetricData', async () => {
        const metrics = new MetricsBuffer('Org::ECS::ServiceRestart');
        const at = new Date(5_000);
        await metrics.publishInvocationMetric(at, 'CREATE');
        await metrics.publishDurationMetric(at, 'CREATE', 42);
        await metrics.publishExceptionMetric(at, 'CREATE', Object.assign(new Error('x'), { errorCode: 'Throttling' }));
        expect(metrics.namespace).toBe('AWS/CloudFormation/Org/ECS/ServiceRestart');
        const calls = metrics.take();
        expect(calls).toHaveLength(1);
        expect(
            calls[0]!.map((datum) => [datum.MetricName, datum.Unit, datum.Value, datum.Dimensions.map((d) => `${d.Name}=${d.Value}`)]),
        ).toEqual([
            ['HandlerInvocationCount', 'Count', 1, ['DimensionKeyActionType=CREATE', 'DimensionKeyResourceType=Org::ECS::ServiceRestart']],
            [
                'HandlerInvocationDuration',
                'Milliseconds',
                42,
                ['DimensionKeyActionType=CREATE', 'DimensionKeyResourceType=Org::ECS::ServiceRestart'],
            ],
            [
                'HandlerException',
                'Count',
                1,
                [
                    'DimensionKeyActionType=CREATE',
                    'DimensionKeyExceptionType=Throttling',
                    'DimensionKeyResourceType=Org::ECS::ServiceRestart',
                ],
            ],
        ]);
        expect(metrics.take()).toEqual([]);
    });
});
