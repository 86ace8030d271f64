import { MetricTypes, StandardUnit, formatDimensions } from '@amazon-web-services-cloudformation/cloudformation-cli-typescript-lib';

/**
 * The library's invocation metrics (HandlerInvocationCount, HandlerInvocationDuration,
 * HandlerException in `AWS/CloudFormation/<type>`), kept while the invocation works and sent
 * afterwards in one PutMetricData.
 *
 * Why it exists: the library's MetricsPublisherProxy (`metrics.js`) sends each metric in its own
 * PutMetricData and `BaseResource.entrypoint` awaits each one in line: the invocation count before
 * the handler runs, the duration and any exception after it. A slow or unreachable CloudWatch delayed
 * the work itself. This keeps the proxy's method names, the ones the library calls.
 */

/** PutMetricData takes up to 1,000 metrics per call; an invocation records three at most. */
export const MAX_METRICS_PER_CALL = 1_000;

export interface MetricDatum {
    MetricName: string;
    Dimensions: Array<{ Name: string; Value: string }>;
    Unit: string;
    Timestamp: Date;
    Value: number;
}

export class MetricsBuffer {
    readonly namespace: string;
    private readonly data: MetricDatum[] = [];

    constructor(private readonly resourceType: string) {
        this.namespace = `AWS/CloudFormation/${resourceType.replace(/::/g, '/')}`;
    }

    publishInvocationMetric(timestamp: Date, action: string): Promise<void> {
        return this.record(MetricTypes.HandlerInvocationCount, { DimensionKeyActionType: action }, StandardUnit.Count, 1, timestamp);
    }

    publishDurationMetric(timestamp: Date, action: string, milliseconds: number): Promise<void> {
        return this.record(
            MetricTypes.HandlerInvocationDuration,
            { DimensionKeyActionType: action },
            StandardUnit.Milliseconds,
            milliseconds,
            timestamp,
        );
    }

    publishExceptionMetric(timestamp: Date, action: string, error: Error & { errorCode?: string }): Promise<void> {
        const exceptionType = error.errorCode ?? error.constructor.name;
        return this.record(
            MetricTypes.HandlerException,
            { DimensionKeyActionType: action, DimensionKeyExceptionType: exceptionType },
            StandardUnit.Count,
            1,
            timestamp,
        );
    }

    /** The metrics kept so far in PutMetricData-sized groups, and forgets them. */
    take(): MetricDatum[][] {
        const data = this.data.splice(0);
        const calls: MetricDatum[][] = [];
        for (let start = 0; start < data.length; start += MAX_METRICS_PER_CALL) calls.push(data.slice(start, start + MAX_METRICS_PER_CALL));
        return calls;
    }

    private record(name: string, dimensions: Record<string, string>, unit: string, value: number, timestamp: Date): Promise<void> {
        // The library's dimension names, in its order (formatDimensions, metrics.js).
        const all = { ...dimensions, DimensionKeyResourceType: this.resourceType };
        this.data.push({ MetricName: name, Dimensions: formatDimensions(all), Unit: unit, Timestamp: timestamp, Value: value });
        return Promise.resolve();
    }
}
