import { V2ClientAdapter, V3Service } from '../v2-client';

/** `aws-sdk/clients/cloudwatch` for the library's metrics, sent by SDK v3. */
export default class CloudWatch extends V2ClientAdapter {
    protected readonly serviceName = 'CloudWatch';

    protected async loadService(): Promise<V3Service> {
        return (await import('../v3/cloudwatch')).cloudWatch;
    }
}
