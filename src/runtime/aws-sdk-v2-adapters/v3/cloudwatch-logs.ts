import {
    CloudWatchLogsClient,
    CreateLogGroupCommand,
    CreateLogStreamCommand,
    DescribeLogGroupsCommand,
    DescribeLogStreamsCommand,
    PutLogEventsCommand,
} from '@aws-sdk/client-cloudwatch-logs';
import { V3Service } from '../v2-client';

export const cloudWatchLogs: V3Service = {
    createClient: (config) => new CloudWatchLogsClient(config),
    commands: {
        createLogGroup: CreateLogGroupCommand,
        createLogStream: CreateLogStreamCommand,
        describeLogGroups: DescribeLogGroupsCommand,
        describeLogStreams: DescribeLogStreamsCommand,
        putLogEvents: PutLogEventsCommand,
    },
};
