// @ts-nocheck
// This is a generated file. Modifications will be overwritten.
import { BaseModel, Dict, integer, Integer, Optional, transformValue } from '@amazon-web-services-cloudformation/cloudformation-cli-typescript-lib';
import { Exclude, Expose, Type, Transform } from 'class-transformer';

export class ResourceModel extends BaseModel {
    ['constructor']: typeof ResourceModel;

    @Exclude()
    public static readonly TYPE_NAME: string = 'Org::ECS::ServiceRestart';

    @Exclude()
    protected readonly IDENTIFIER_KEY_ID: string = '/properties/Id';

    @Expose({ name: 'Cluster' })
    @Transform(
        ({ value, obj }: { value: any; obj: any }) =>
            transformValue(String, 'cluster', value, obj, []),
        {
            toClassOnly: true,
        }
    )
    cluster?: Optional<string>;
    @Expose({ name: 'Services' })
    @Transform(
        ({ value, obj }: { value: any; obj: any }) =>
            transformValue(String, 'services', value, obj, [Array]),
        {
            toClassOnly: true,
        }
    )
    services?: Optional<Array<string>>;
    @Expose({ name: 'ServicesUsingSecrets' })
    @Transform(
        ({ value, obj }: { value: any; obj: any }) =>
            transformValue(String, 'servicesUsingSecrets', value, obj, [Array]),
        {
            toClassOnly: true,
        }
    )
    servicesUsingSecrets?: Optional<Array<string>>;
    @Expose({ name: 'Triggers' })
    @Transform(
        ({ value, obj }: { value: any; obj: any }) =>
            transformValue(String, 'triggers', value, obj, [Map]),
        {
            toClassOnly: true,
        }
    )
    triggers?: Optional<Map<string, string>>;
    @Expose({ name: 'WaitForSteadyState' })
    @Transform(
        ({ value, obj }: { value: any; obj: any }) =>
            transformValue(Boolean, 'waitForSteadyState', value, obj, []),
        {
            toClassOnly: true,
        }
    )
    waitForSteadyState?: Optional<boolean>;
    @Expose({ name: 'OnStackRollback' })
    @Transform(
        ({ value, obj }: { value: any; obj: any }) =>
            transformValue(String, 'onStackRollback', value, obj, []),
        {
            toClassOnly: true,
        }
    )
    onStackRollback?: Optional<string>;
    @Expose({ name: 'TimeoutInMinutes' })
    @Transform(
        ({ value, obj }: { value: any; obj: any }) =>
            transformValue(Integer, 'timeoutInMinutes', value, obj, []),
        {
            toClassOnly: true,
        }
    )
    timeoutInMinutes?: Optional<integer>;
    @Expose({ name: 'MaxConcurrentRestarts' })
    @Transform(
        ({ value, obj }: { value: any; obj: any }) =>
            transformValue(Integer, 'maxConcurrentRestarts', value, obj, []),
        {
            toClassOnly: true,
        }
    )
    maxConcurrentRestarts?: Optional<integer>;
    @Expose({ name: 'Id' })
    @Transform(
        ({ value, obj }: { value: any; obj: any }) =>
            transformValue(String, 'id', value, obj, []),
        {
            toClassOnly: true,
        }
    )
    id?: Optional<string>;
    @Expose({ name: 'RestartedAt' })
    @Transform(
        ({ value, obj }: { value: any; obj: any }) =>
            transformValue(String, 'restartedAt', value, obj, []),
        {
            toClassOnly: true,
        }
    )
    restartedAt?: Optional<string>;
    @Expose({ name: 'ServiceArns' })
    @Transform(
        ({ value, obj }: { value: any; obj: any }) =>
            transformValue(String, 'serviceArns', value, obj, [Array]),
        {
            toClassOnly: true,
        }
    )
    serviceArns?: Optional<Array<string>>;
    @Expose({ name: 'DeploymentIds' })
    @Transform(
        ({ value, obj }: { value: any; obj: any }) =>
            transformValue(String, 'deploymentIds', value, obj, [Array]),
        {
            toClassOnly: true,
        }
    )
    deploymentIds?: Optional<Array<string>>;

    @Exclude()
    public getPrimaryIdentifier(): Dict {
        const identifier: Dict = {};
        if (this.id != null) {
            identifier[this.IDENTIFIER_KEY_ID] = this.id;
        }

        // only return the identifier if it can be used, i.e. if all components are present
        return Object.keys(identifier).length === 1 ? identifier : null;
    }

    @Exclude()
    public getAdditionalIdentifiers(): Array<Dict> {
        const identifiers: Array<Dict> = new Array<Dict>();
        // only return the identifiers if any can be used
        return identifiers.length === 0 ? null : identifiers;
    }
}

export class TypeConfigurationModel extends BaseModel {
    ['constructor']: typeof TypeConfigurationModel;



}

