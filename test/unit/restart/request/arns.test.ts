/**
 * Cluster and service names and ARNs: property-based (fast-check), whatever the input, ARN parsing either
 * resolves to the name or refuses with InvalidInputError; and the partition of each region.
 */
import fc from 'fast-check';
import { partitionOfRegion, resolveCluster, resolveService } from '../../../../src/restart/request/arns';
import { InvalidInputError } from '../../../../src/restart/errors';

const here = { partition: 'aws', region: 'eu-west-1', accountId: '111122223333' };
const name = fc.stringMatching(/^[A-Za-z0-9_-]{1,255}$/);

describe('ARN parsing', () => {
    it('resolves a service name, short ARN or long ARN of this place to the same name', () => {
        fc.assert(
            fc.property(name, name, (cluster, service) => {
                const clusterRef = resolveCluster(cluster, here);
                const prefix = `arn:aws:ecs:${here.region}:${here.accountId}:service`;
                for (const input of [service, `${prefix}/${service}`, `${prefix}/${cluster}/${service}`]) {
                    expect(resolveService(input, clusterRef, here)).toEqual({ input, name: service });
                }
            }),
        );
    });

    it('refuses any ARN of another account, region or partition', () => {
        fc.assert(
            fc.property(
                name,
                fc.record({
                    partition: fc.constantFrom('aws', 'aws-cn', 'aws-us-gov'),
                    region: fc.constantFrom('eu-west-1', 'us-east-1', 'cn-north-1'),
                    accountId: fc.stringMatching(/^[0-9]{12}$/),
                }),
                (service, place) => {
                    fc.pre(place.partition !== here.partition || place.region !== here.region || place.accountId !== here.accountId);
                    const arn = `arn:${place.partition}:ecs:${place.region}:${place.accountId}:service/prod/${service}`;
                    expect(() => resolveService(arn, resolveCluster('prod', here), here)).toThrow(InvalidInputError);
                },
            ),
        );
    });

    it('answers any value with a resolution or InvalidInputError, never another error', () => {
        fc.assert(
            fc.property(fc.oneof(fc.string(), fc.anything()), (value) => {
                for (const act of [() => resolveCluster(value, here), () => resolveService(value, resolveCluster('prod', here), here)]) {
                    try {
                        act();
                    } catch (err) {
                        expect(err).toBeInstanceOf(InvalidInputError);
                    }
                }
            }),
        );
    });
});

describe('partitionOfRegion', () => {
    it.each([
        ['us-east-1', 'aws'],
        ['cn-north-1', 'aws-cn'],
        ['us-gov-west-1', 'aws-us-gov'],
        ['us-iso-east-1', 'aws-iso'],
        ['us-isob-east-1', 'aws-iso-b'],
        ['eusc-de-east-1', 'aws-eusc'],
    ])('%s is in %s', (region, partition) => {
        expect(partitionOfRegion(region)).toBe(partition);
    });
});
