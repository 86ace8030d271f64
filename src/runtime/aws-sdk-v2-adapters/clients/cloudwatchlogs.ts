import { V2ClientAdapter, V3Service } from '../v2-client';

/** `aws-sdk/clients/cloudwatchlogs` for the library's CloudWatch Logs delivery, sent by SDK v3. */
export default class CloudWatchLogs extends V2ClientAdapter {
    protected readonly serviceName = 'CloudWatchLogs';

    protected async loadService(): Promise<V3Service> {
        return (await import('../v3/cloudwatch-logs')).cloudWatchLogs;
    }
}
