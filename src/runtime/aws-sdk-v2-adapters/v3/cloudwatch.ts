import { CloudWatchClient, PutMetricDataCommand } from '@aws-sdk/client-cloudwatch';
import { V3Service } from '../v2-client';

export const cloudWatch: V3Service = {
    createClient: (config) => new CloudWatchClient(config),
    commands: { putMetricData: PutMetricDataCommand },
};
