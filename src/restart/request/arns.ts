import { InvalidInputError } from '../errors';

/** Where this resource runs: ARNs in the input must point here. */
export interface AwsLocation {
    partition: string;
    region: string;
    accountId: string;
}

// Region prefixes of the partitions other than `aws`. The library's own partition guess maps
// GovCloud to "aws-gov" (the real partition is "aws-us-gov"), so the project computes its own.
const PARTITION_BY_REGION_PREFIX: ReadonlyArray<[string, string]> = [
    ['cn-', 'aws-cn'],
    ['us-gov-', 'aws-us-gov'],
    ['us-isob-', 'aws-iso-b'],
    ['us-isof-', 'aws-iso-f'],
    ['us-iso-', 'aws-iso'],
    ['eu-isoe-', 'aws-iso-e'],
    ['eusc-', 'aws-eusc'],
];

export function partitionOfRegion(region: string): string {
    const match = PARTITION_BY_REGION_PREFIX.find(([prefix]) => region.startsWith(prefix));
    return match ? match[1] : 'aws';
}

const NAME_PATTERN = /^[A-Za-z0-9_-]{1,255}$/;
const ARN_PATTERN = /^arn:([a-z][a-z0-9-]*):ecs:([a-z0-9-]+):([0-9]{12}):(cluster|service)\/(.+)$/;

interface ParsedArn {
    partition: string;
    region: string;
    accountId: string;
    kind: 'cluster' | 'service';
    path: string[];
}

function parseEcsArn(value: string): ParsedArn | undefined {
    const match = ARN_PATTERN.exec(value);
    if (!match) {
        return undefined;
    }
    const [, partition = '', region = '', accountId = '', kind, path = ''] = match;
    return { partition, region, accountId, kind: kind as ParsedArn['kind'], path: path.split('/') };
}

/** How an ARN's partition, region and account differ from where the handler runs, for a message; empty when they do not. */
export function locationMismatches(arn: AwsLocation, here: AwsLocation): string[] {
    const mismatches: string[] = [];
    if (arn.partition !== here.partition) mismatches.push(`partition ${arn.partition} (expected ${here.partition})`);
    if (arn.region !== here.region) mismatches.push(`region ${arn.region} (expected ${here.region})`);
    if (arn.accountId !== here.accountId) mismatches.push(`account ${arn.accountId} (expected ${here.accountId})`);
    return mismatches;
}

function assertLocal(arn: ParsedArn, value: string, property: string, here: AwsLocation): void {
    const mismatches = locationMismatches(arn, here);
    if (mismatches.length > 0) {
        throw new InvalidInputError(
            `${property} '${value}' is in ${mismatches.join(', ')}: this resource can only restart services ` +
                `of account ${here.accountId} in ${here.region}. Deploy the stack there, or use a resource in that account and region.`,
        );
    }
}

export interface ClusterRef {
    name: string;
    arn: string;
}

export function resolveCluster(value: unknown, here: AwsLocation): ClusterRef {
    if (typeof value !== 'string' || value.length === 0) {
        throw new InvalidInputError(`Cluster is required: give the cluster's short name or ARN (got ${JSON.stringify(value)}).`);
    }
    if (NAME_PATTERN.test(value)) {
        return { name: value, arn: `arn:${here.partition}:ecs:${here.region}:${here.accountId}:cluster/${value}` };
    }
    const arn = parseEcsArn(value);
    const name = arn?.kind === 'cluster' && arn.path.length === 1 ? arn.path[0] : undefined;
    if (!arn || name === undefined || !NAME_PATTERN.test(name)) {
        throw new InvalidInputError(
            `Cluster '${value}' is neither a cluster name (1-255 letters, digits, hyphens, underscores) ` +
                `nor a cluster ARN (arn:PARTITION:ecs:REGION:ACCOUNT:cluster/NAME).`,
        );
    }
    assertLocal(arn, value, 'Cluster', here);
    return { name, arn: value };
}

export interface ServiceRef {
    /** Exactly as given in Services. */
    input: string;
    name: string;
}

export function resolveService(value: unknown, cluster: ClusterRef, here: AwsLocation): ServiceRef {
    if (typeof value !== 'string' || value.length === 0) {
        throw new InvalidInputError(`Services contains ${JSON.stringify(value)}: each item must be a service name or service ARN.`);
    }
    if (NAME_PATTERN.test(value)) {
        return { input: value, name: value };
    }
    const arn = parseEcsArn(value);
    const validPath =
        arn !== undefined && arn.kind === 'service' && arn.path.length <= 2 && arn.path.every((part) => NAME_PATTERN.test(part));
    if (!arn || !validPath) {
        throw new InvalidInputError(
            `Services item '${value}' is neither a service name (1-255 letters, digits, hyphens, underscores) nor a ` +
                `service ARN (arn:PARTITION:ecs:REGION:ACCOUNT:service/CLUSTER/NAME).`,
        );
    }
    assertLocal(arn, value, 'Services item', here);
    const [clusterOfService] = arn.path;
    if (arn.path.length === 2 && clusterOfService !== cluster.name) {
        throw new InvalidInputError(
            `Services item '${value}' belongs to cluster '${clusterOfService}', not to Cluster '${cluster.name}': ` +
                `use one resource per cluster.`,
        );
    }
    return { input: value, name: arn.path.at(-1) ?? value };
}
