/**
 * `aws-sdk/clients/all`: the library requires every v2 client only so that SessionProxy.client('Name')
 * can look one up by name. No handler does (they use SDK v3); a lookup fails loudly instead of
 * shipping every v2 client.
 */
const clientsByName: Record<string, never> = new Proxy(
    {},
    {
        get(_target, name) {
            if (typeof name !== 'string' || name === '__esModule' || name === 'default' || name === 'then') return undefined;
            throw new Error(`The v2 AWS SDK client "${name.slice(0, 60)}" is not in this package: use an SDK v3 client.`);
        },
    },
);

export default clientsByName;
