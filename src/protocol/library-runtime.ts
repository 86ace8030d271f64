import { BaseResource, LambdaLogPublisher, LoggerProxy } from '@amazon-web-services-cloudformation/cloudformation-cli-typescript-lib';
import { currentInvocation } from './invocation';

/**
 * The library's per-invocation runtime replaced, and its per-invocation state forgotten.
 *
 * Why it exists (`BaseResource` in
 * node_modules/@amazon-web-services-cloudformation/cloudformation-cli-typescript-lib/dist/resource.js):
 * - `initializeRuntime` prepares the provider's log delivery before the handler runs, one awaited call
 *   after the other (S3 ListObjectsV2, CreateBucket, PutObject; CloudWatch Logs DescribeLogGroups,
 *   CreateLogGroup, CreateLogStream, DescribeLogStreams), with no bound; its publishers then send every
 *   line and metric on their own (see provider-logs.ts, provider-metrics.ts). Here it only wires the
 *   invocation's buffers (provider-delivery.ts), and nothing is sent before the work.
 * - It adds the shared `platformLambdaLogger` to each invocation's LoggerProxy, and `entrypoint` then
 *   adds three redaction filters to every publisher of that proxy (`LoggerProxy.addFilter`), never
 *   removed: in a warm container the shared publisher kept the bearer token and credentials of every
 *   caller, and ran each line through the filters of every earlier invocation. Here each invocation
 *   gets its own console publisher.
 * - `waitRunningProcesses` sleeps one second (`delay(1)`) and then waits for the publishers; the
 *   buffers here take a line at once, and the exported entrypoint delivers them.
 * - The sessions, publishers and helpers of an invocation stay on the resource, a module-level
 *   singleton, until the next one replaces them; `callerSession` is not even replaced when a request
 *   carries no caller credentials, so the next caller would act with the previous one's.
 */

/** Every field of BaseResource that holds one invocation's sessions, clients, publishers or filters. */
const PER_INVOCATION_FIELDS = [
    'callerSession',
    'providerSession',
    'loggerProxy',
    'metricsPublisherProxy',
    'providerMetricsPublisher',
    'cloudWatchLogHelper',
    's3LogHelper',
    'providerEventsLogger',
] as const;

/** Clears what an invocation left on the resource (fields private in the library's types, hence Reflect). */
export function forgetInvocationState(resource: BaseResource<any, any>): void {
    for (const name of PER_INVOCATION_FIELDS) Reflect.set(resource, name, undefined);
}

/** Replaces the library's runtime set-up and wait on `resource` with the buffered ones. */
export function installBufferedRuntime(resource: BaseResource<any, any>): void {
    const initializeRuntime = (
        resourceType: string,
        providerCredentials: { accessKeyId?: string; secretAccessKey?: string; sessionToken?: string } | undefined,
        providerLogGroupName: string | undefined,
        providerLogStreamName: string,
        region: string,
    ): Promise<void> => {
        const output = currentInvocation().providerOutput;
        const logger = new LoggerProxy();
        logger.addLogPublisher(new LambdaLogPublisher(console));
        Reflect.set(resource, 'loggerProxy', logger);
        Reflect.set(resource, 'metricsPublisherProxy', output.metricsFor(resourceType));
        if (providerCredentials) {
            // The stream name the library's CloudWatchLogHelper would use: ':' is not allowed in one.
            const logStreamName = providerLogStreamName.replace(/:/g, '__');
            output.deliverTo({ credentials: providerCredentials, region, logGroupName: providerLogGroupName || undefined, logStreamName });
            if (providerLogGroupName) logger.addLogPublisher(output.lines);
        }
        return Promise.resolve();
    };
    Reflect.set(resource, 'initializeRuntime', initializeRuntime);
    Reflect.set(resource, 'waitRunningProcesses', () => Promise.resolve());
}
