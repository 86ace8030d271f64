import { CreateBucketCommand, ListObjectsV2Command, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { V3Service } from '../v2-client';

export const s3: V3Service = {
    createClient: (config) => new S3Client(config),
    commands: { createBucket: CreateBucketCommand, listObjectsV2: ListObjectsV2Command, putObject: PutObjectCommand },
    // v2's createBucket adds the client's region as LocationConstraint outside us-east-1; v3 does not,
    // and S3 refuses such a bucket without it.
    prepareInput: (operation, params, config) =>
        operation === 'createBucket' && !params.CreateBucketConfiguration && config.region && config.region !== 'us-east-1'
            ? { ...params, CreateBucketConfiguration: { LocationConstraint: config.region } }
            : params,
};
