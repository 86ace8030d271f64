import { V2ClientAdapter, V3Service } from '../v2-client';

/** `aws-sdk/clients/s3` for the library's S3 log delivery, sent by SDK v3. */
export default class S3 extends V2ClientAdapter {
    protected readonly serviceName = 'S3';

    protected async loadService(): Promise<V3Service> {
        return (await import('../v3/s3')).s3;
    }
}
