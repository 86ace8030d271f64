/**
 * The set-up the moto integration files share: one moto server on loopback for the file, reached by the
 * SDK's own AWS_ENDPOINT_URL setting, and the library's one-second drain skipped (no log publisher exists
 * without provider credentials). The handlers are invoked and driven through test/support/handler-harness.ts.
 */
import * as libraryUtils from '@amazon-web-services-cloudformation/cloudformation-cli-typescript-lib/dist/utils';
import { CreateClusterCommand, DescribeServicesCommand, ECSClient } from '@aws-sdk/client-ecs';
import { MotoServer, startMoto } from '../../tools/local/moto';
import { CREDENTIALS, REGION } from './cfn-event';

/** Starts moto before the file's tests with `cluster` created, then `setUp(ecs)`; stops it after them. */
export function useMoto(cluster: string, setUp: (ecs: ECSClient) => Promise<void>): void {
    let moto: MotoServer | undefined;
    beforeAll(async () => {
        jest.spyOn(libraryUtils, 'delay').mockResolvedValue(undefined);
        moto = await startMoto({ runningTasks: 1 });
        process.env.AWS_ENDPOINT_URL = moto.endpoint;
        const ecs = new ECSClient({ region: REGION, credentials: CREDENTIALS });
        await ecs.send(new CreateClusterCommand({ clusterName: cluster }));
        await setUp(ecs);
    }, 60_000);
    afterAll(async () => {
        delete process.env.AWS_ENDPOINT_URL;
        await moto?.stop();
    });
}

/** The PRIMARY deployment id of each named service of `cluster`, by name (DescribeServices takes 10 at a time). */
export async function primaryDeployments(
    ecs: ECSClient,
    cluster: string,
    names: readonly string[],
): Promise<Record<string, string | undefined>> {
    const primaries: Record<string, string | undefined> = {};
    for (let i = 0; i < names.length; i += 10) {
        const described = await ecs.send(new DescribeServicesCommand({ cluster, services: names.slice(i, i + 10) }));
        for (const service of described.services ?? []) {
            primaries[service.serviceName ?? ''] = service.deployments?.find((deployment) => deployment.status === 'PRIMARY')?.id;
        }
    }
    return primaries;
}

/** The services whose PRIMARY deployment differs between two readings of primaryDeployments, sorted. */
export function changedServices(before: Record<string, string | undefined>, after: Record<string, string | undefined>): string[] {
    return Object.keys(before)
        .filter((name) => before[name] !== after[name])
        .sort();
}
