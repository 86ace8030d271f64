import { BaseResource } from '@amazon-web-services-cloudformation/cloudformation-cli-typescript-lib';

/**
 * Why it exists: `BaseResource.entrypoint` (node_modules/@amazon-web-services-cloudformation/
 * cloudformation-cli-typescript-lib/dist/resource.js) sets its `callerSession` only when a request
 * carries callerCredentials and otherwise keeps the one of the previous invocation in the same (warm)
 * Lambda container, so a request without credentials would act with someone else's. The field is
 * private in the library's types, hence Reflect.
 */
export function forgetCallerSession(resource: BaseResource<any, any>): void {
    Reflect.set(resource, 'callerSession', undefined);
}
