import { InvalidInputError } from '../../../../src/restart/errors';
import { parseResourceProperties } from '../../../../src/input/resource-properties';
import { chunk } from '../../../../src/restart/collections';
import {
    MAX_LISTED_SERVICES,
    MAX_SERVICES,
    settingsFromProperties,
    withServicesFoundBySecrets,
} from '../../../../src/restart/request/settings';

const here = { partition: 'aws', region: 'eu-west-1', accountId: '111122223333' };
const props = (properties: Record<string, unknown>) => ({ Cluster: 'prod', Services: ['web'], ...properties });

describe('coercion of CloudFormation string values into the typed model', () => {
    it('turns the strings CloudFormation sends into typed settings, on the path the handler takes (raw parser, then settings)', () => {
        // CloudFormation passes template scalars as strings; the handler parses the raw properties first.
        const raw = props({ WaitForSteadyState: 'false', TimeoutInMinutes: '15', MaxConcurrentRestarts: '1', Triggers: { V: 'v7' } });

        const settings = settingsFromProperties(parseResourceProperties(raw) as unknown as Record<string, unknown>, here);

        expect(settings).toMatchObject({
            waitForSteadyState: false,
            timeoutInMinutes: 15,
            maxConcurrentRestarts: 1,
            triggers: { V: 'v7' },
        });
        expect(settings.services.map((service) => service.name)).toEqual(['web']);
    });

    it('applies the defaults: wait, 60 minutes, all services in one wave', () => {
        const settings = settingsFromProperties(props({ Services: ['a', 'b', 'c'] }), here);
        expect(settings).toMatchObject({ waitForSteadyState: true, timeoutInMinutes: 60, triggers: {}, secrets: [] });
        expect(chunk(settings.services, settings.maxConcurrentRestarts)).toHaveLength(1);
    });

    it('coerces string-typed scalars given without the generated model', () => {
        const settings = settingsFromProperties(props({ WaitForSteadyState: 'FALSE', TimeoutInMinutes: '15' }), here);
        expect(settings).toMatchObject({ waitForSteadyState: false, timeoutInMinutes: 15 });
    });

    it('refuses a boolean that is not one, naming the value', () => {
        expect(() => settingsFromProperties(props({ WaitForSteadyState: 'yes' }), here)).toThrow(
            'WaitForSteadyState is "yes": it must be true or false.',
        );
    });

    it('refuses a TimeoutInMinutes that is not a number, naming the value', () => {
        expect(() => settingsFromProperties(props({ TimeoutInMinutes: 'soon' }), here)).toThrow(
            'TimeoutInMinutes is "soon": it must be a whole number from 1 to 2100.',
        );
    });
});

describe('validation beyond the schema', () => {
    it.each<[string, Record<string, unknown>, string]>([
        ['timeout over 2100', { TimeoutInMinutes: 2101 }, 'TimeoutInMinutes is "2101": it must be a whole number from 1 to 2100.'],
        ['fractional timeout', { TimeoutInMinutes: 2.5 }, 'TimeoutInMinutes is "2.5"'],
        ['waves of 0', { MaxConcurrentRestarts: 0 }, 'MaxConcurrentRestarts is "0": it must be a whole number from 1 to 1000.'],
        ['waves of 1001', { MaxConcurrentRestarts: 1001 }, 'MaxConcurrentRestarts is "1001": it must be a whole number from 1 to 1000.'],
        ['no services', { Services: [] }, 'Services must list 1 to 100 service names or ARNs (got 0 items).'],
        [
            '101 services',
            { Services: Array.from({ length: 101 }, (_, i) => `s${i}`) },
            'Services must list 1 to 100 service names or ARNs (got 101 items): name the others through ServicesUsingSecrets ' +
                '(up to 1000 services in all), or split them across several resources.',
        ],
        ['a missing cluster', { Cluster: '' }, 'Cluster is required'],
        ['a cluster with a space', { Cluster: 'my cluster' }, "Cluster 'my cluster' is neither a cluster name"],
        ['a service path', { Services: ['a/b'] }, "Services item 'a/b' is neither a service name"],
        [
            'the same service twice',
            { Services: ['web', 'arn:aws:ecs:eu-west-1:111122223333:service/prod/web'] },
            "lists service 'web' twice",
        ],
        [
            'a service of another cluster',
            { Services: ['arn:aws:ecs:eu-west-1:111122223333:service/other/web'] },
            "belongs to cluster 'other', not to Cluster 'prod'",
        ],
        [
            'a service of another region',
            { Services: ['arn:aws:ecs:us-east-1:111122223333:service/prod/web'] },
            'region us-east-1 (expected eu-west-1)',
        ],
        [
            'a cluster of another partition',
            { Cluster: 'arn:aws-cn:ecs:eu-west-1:111122223333:cluster/prod' },
            'partition aws-cn (expected aws)',
        ],
        [
            '11 triggers',
            { Triggers: Object.fromEntries(Array.from({ length: 11 }, (_, i) => [`k${i}`, 'v'])) },
            'Triggers has 11 keys: at most 10',
        ],
        ['a long trigger key', { Triggers: { ['k'.repeat(65)]: 'v' } }, 'is not valid: keys are 1-64 characters'],
        ['a long trigger value', { Triggers: { k: 'v'.repeat(257) } }, "Triggers value of 'k' must be a string of at most 256 characters."],
    ])('refuses %s with a message naming it', (_label, properties, message) => {
        const act = () => settingsFromProperties(props(properties), here);
        expect(act).toThrow(InvalidInputError);
        expect(act).toThrow(message);
    });

    it('accepts ARNs of this account, region and partition, in the short and long formats', () => {
        const settings = settingsFromProperties(
            props({
                Cluster: 'arn:aws:ecs:eu-west-1:111122223333:cluster/prod',
                Services: ['arn:aws:ecs:eu-west-1:111122223333:service/prod/web', 'arn:aws:ecs:eu-west-1:111122223333:service/worker'],
            }),
            here,
        );
        expect(settings.cluster).toEqual({ name: 'prod', arn: 'arn:aws:ecs:eu-west-1:111122223333:cluster/prod' });
        expect(settings.services.map((service) => service.name)).toEqual(['web', 'worker']);
    });

    it('accepts 100 services in Services and waves of up to 1000', () => {
        const names = Array.from({ length: MAX_LISTED_SERVICES }, (_, i) => `s${i}`);
        expect(settingsFromProperties(props({ Services: names }), here).services.map((service) => service.name)).toEqual(names);
        expect(settingsFromProperties(props({ MaxConcurrentRestarts: MAX_SERVICES }), here).maxConcurrentRestarts).toBe(MAX_SERVICES);
        expect(MAX_LISTED_SERVICES).toBe(100);
        expect(MAX_SERVICES).toBe(1000);
    });

    it('refuses Triggers that are not a map', () => {
        expect(() => settingsFromProperties(props({ Triggers: ['v1'] }), here)).toThrow(
            'Triggers must be a map of strings to strings (got ["v1"]).',
        );
    });

    it('refuses properties that are missing altogether', () => {
        expect(() => settingsFromProperties(undefined, here)).toThrow(
            'Cluster and at least one of Services and ServicesUsingSecrets are required',
        );
    });
});

describe('ServicesUsingSecrets', () => {
    const secret = 'arn:aws:secretsmanager:eu-west-1:111122223333:secret:db-AbCdEf';
    const parameter = 'arn:aws:ssm:eu-west-1:111122223333:parameter/app/db/password';
    const only = (properties: Record<string, unknown>) => ({ Cluster: 'prod', ...properties });

    it('replaces Services, which is then empty', () => {
        const settings = settingsFromProperties(only({ ServicesUsingSecrets: [secret, parameter] }), here);
        expect(settings.services).toEqual([]);
        expect(settings.secrets.map((wanted) => [wanted.kind, wanted.arn])).toEqual([
            ['secretsmanager', secret],
            ['ssm-parameter', parameter],
        ]);
    });

    it.each<[string, Record<string, unknown>, string]>([
        ['neither property', {}, 'Services or ServicesUsingSecrets is required'],
        ['an empty list', { ServicesUsingSecrets: [] }, 'ServicesUsingSecrets must list 1 to 20 secret or parameter ARNs (got 0 items).'],
        [
            'a secret of another partition',
            { ServicesUsingSecrets: [secret.replace('arn:aws:', 'arn:aws-cn:')] },
            'is in partition aws-cn (expected aws)',
        ],
        ['a string instead of a list', { ServicesUsingSecrets: secret }, `(got ${secret})`],
        ['21 secrets', { ServicesUsingSecrets: Array.from({ length: 21 }, (_, i) => `${secret}${i}`) }, '(got 21 items)'],
        ['the same secret twice', { ServicesUsingSecrets: [secret, secret] }, `lists ${secret} twice`],
        ['a bare parameter name', { ServicesUsingSecrets: ['/app/db/password'] }, 'is not an ARN'],
        ['Services empty beside it', { ServicesUsingSecrets: [secret], Services: [] }, 'Services must list 1 to 100'],
    ])('refuses %s, naming it', (_label, properties, message) => {
        const act = () => settingsFromProperties(only(properties), here);
        expect(act).toThrow(InvalidInputError);
        expect(act).toThrow(message);
    });

    it('takes secrets of other accounts and parameters of other Regions, keeping Services and Cluster here', () => {
        const central = 'arn:aws:secretsmanager:eu-west-1:999900001111:secret:central/db-AbCdEf';
        const elsewhere = 'arn:aws:ssm:us-east-1:111122223333:parameter/app/db/password';
        const settings = settingsFromProperties(only({ ServicesUsingSecrets: [central, elsewhere] }), here);
        expect(settings.secrets.map((wanted) => [wanted.accountId, wanted.region])).toEqual([
            ['999900001111', 'eu-west-1'],
            ['111122223333', 'us-east-1'],
        ]);
        expect(() =>
            settingsFromProperties(
                only({ ServicesUsingSecrets: [central], Services: ['arn:aws:ecs:eu-west-1:999900001111:service/prod/web'] }),
                here,
            ),
        ).toThrow('is in account 999900001111 (expected 111122223333): this resource can only restart services of account 111122223333');
        expect(() =>
            settingsFromProperties({ Cluster: 'arn:aws:ecs:us-east-1:111122223333:cluster/prod', ServicesUsingSecrets: [elsewhere] }, here),
        ).toThrow('region us-east-1 (expected eu-west-1)');
    });

    it('puts the services found after those of Services, each once', () => {
        const settings = settingsFromProperties(props({ Services: ['web', 'api'], ServicesUsingSecrets: [secret] }), here);
        const found = ['worker', 'web', 'batch'].map((name) => ({ input: name, name }));
        expect(withServicesFoundBySecrets(settings, found).services.map((service) => service.name)).toEqual([
            'web',
            'api',
            'worker',
            'batch',
        ]);
    });

    it(`refuses more than ${MAX_SERVICES} services in all, saying how many came from where`, () => {
        const settings = settingsFromProperties(props({ Services: ['a', 'b'], ServicesUsingSecrets: [secret] }), here);
        const found = Array.from({ length: MAX_SERVICES - 1 }, (_, i) => ({ input: `s${i}`, name: `s${i}` }));
        expect(() => withServicesFoundBySecrets(settings, found)).toThrow(
            'Nothing was restarted: 1001 services would be restarted (2 in Services, 999 more found by ServicesUsingSecrets), ' +
                'more than the 1000 one resource restarts. Split them across several resources, e.g. one per secret of ' +
                'ServicesUsingSecrets, or by listing the services of each in Services.',
        );
        expect(withServicesFoundBySecrets(settings, found.slice(1)).services).toHaveLength(MAX_SERVICES);
    });
});
