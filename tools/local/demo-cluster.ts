import {
    CreateClusterCommand,
    CreateServiceCommand,
    DescribeServicesCommand,
    ECSClient,
    RegisterTaskDefinitionCommand,
} from '@aws-sdk/client-ecs';

export const DEMO_CLUSTER = 'demo';
export const DEMO_SERVICES = ['web', 'worker', 'api'] as const;

/** Creates a cluster with services in the ECS the client points at (the local moto server). */
export async function createDemoCluster(
    ecs: ECSClient,
    cluster = DEMO_CLUSTER,
    services: readonly string[] = DEMO_SERVICES,
): Promise<void> {
    await ecs.send(new CreateClusterCommand({ clusterName: cluster }));
    await ecs.send(
        new RegisterTaskDefinitionCommand({
            family: 'demo-app',
            containerDefinitions: [{ name: 'app', image: 'public.ecr.aws/nginx/nginx:1', memory: 128, essential: true }],
        }),
    );
    for (const serviceName of services) {
        await ecs.send(new CreateServiceCommand({ cluster, serviceName, taskDefinition: 'demo-app', desiredCount: 1 }));
    }
}

/** The id of each service's PRIMARY deployment, to show what a restart changed. */
export async function primaryDeploymentIds(ecs: ECSClient, cluster: string, services: readonly string[]): Promise<Record<string, string>> {
    const described = await ecs.send(new DescribeServicesCommand({ cluster, services: [...services] }));
    return Object.fromEntries(
        (described.services ?? []).map((service) => [
            service.serviceName ?? '',
            service.deployments?.find((d) => d.status === 'PRIMARY')?.id ?? '',
        ]),
    );
}
