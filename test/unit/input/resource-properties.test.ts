import fc from 'fast-check';
import { InvalidInputError } from '../../../src/restart/errors';
import { MAX_MESSAGE_CHARACTERS, parseResourceProperties } from '../../../src/input/resource-properties';

const minimal = { Cluster: 'prod', Services: ['web'] };

/** The InvalidInputError that parsing `raw` throws; fails the test if it returns or throws anything else. */
function refusal(raw: unknown): InvalidInputError {
    try {
        parseResourceProperties(raw);
    } catch (err) {
        expect(err).toBeInstanceOf(InvalidInputError);
        return err as InvalidInputError;
    }
    throw new Error(`accepted ${JSON.stringify(raw)?.slice(0, 200)}`);
}

describe('parseResourceProperties accepts', () => {
    it('the properties as CloudFormation sends them, every scalar a string', () => {
        // Prepare
        const raw = {
            Cluster: 'arn:aws:ecs:eu-west-1:111122223333:cluster/prod',
            Services: ['web', 'arn:aws:ecs:eu-west-1:111122223333:service/prod/api'],
            Triggers: { DbSecretVersion: 'v7' },
            WaitForSteadyState: 'false',
            TimeoutInMinutes: '15',
            MaxConcurrentRestarts: '1',
        };

        // Act
        const properties = parseResourceProperties(raw);

        // Assess
        expect(properties).toEqual({ ...raw, WaitForSteadyState: false, TimeoutInMinutes: 15, MaxConcurrentRestarts: 1 });
        expect(raw.TimeoutInMinutes).toBe('15');
    });

    it('typed scalars, "true", and the read-only properties of a previous model', () => {
        const raw = {
            ...minimal,
            WaitForSteadyState: 'true',
            TimeoutInMinutes: 600,
            MaxConcurrentRestarts: 20,
            Id: '0f8e2b4c-1d3a-5b6c-8d7e-9f0a1b2c3d4e',
            RestartedAt: '2026-01-02T03:04:05.000Z',
            ServiceArns: ['arn:aws:ecs:eu-west-1:111122223333:service/prod/web'],
            DeploymentIds: ['ecs-svc/1234567890123456789'],
        };
        expect(parseResourceProperties(raw)).toEqual({ ...raw, WaitForSteadyState: true });
    });

    it('100 services, waves of 1000 and secrets of other accounts and Regions', () => {
        const raw = {
            Cluster: 'prod',
            Services: Array.from({ length: 100 }, (_, i) => `s${i}`),
            ServicesUsingSecrets: [
                'arn:aws:secretsmanager:eu-west-1:999900001111:secret:central/db-AbCdEf',
                'arn:aws:ssm:us-east-1:111122223333:parameter/app/db',
            ],
            MaxConcurrentRestarts: 1000,
        };
        expect(parseResourceProperties(raw)).toEqual(raw);
    });

    it('ServicesUsingSecrets instead of Services, or both', () => {
        const secrets = [
            'arn:aws:secretsmanager:eu-west-1:111122223333:secret:db-AbCdEf',
            'arn:aws:ssm:eu-west-1:111122223333:parameter/app/db',
        ];
        expect(parseResourceProperties({ Cluster: 'prod', ServicesUsingSecrets: secrets })).toEqual({
            Cluster: 'prod',
            ServicesUsingSecrets: secrets,
        });
        expect(parseResourceProperties({ ...minimal, ServicesUsingSecrets: secrets })).toEqual({
            ...minimal,
            ServicesUsingSecrets: secrets,
        });
    });

    it('only the properties given: no default is filled in', () => {
        expect(Object.keys(parseResourceProperties(minimal))).toEqual(['Cluster', 'Services']);
    });

    it('trigger keys named like Object.prototype members, exactly as given', () => {
        // JSON.parse makes `__proto__` an own property, as the handler's event parser does.
        const raw = JSON.parse(
            '{"Cluster":"prod","Services":["web"],"Triggers":{"constructor":"a","__proto__":"b","toString":"c","hasOwnProperty":"d"}}',
        );

        const { Triggers } = parseResourceProperties(raw);

        expect(Triggers).toBeDefined();
        expect(Object.getPrototypeOf(Triggers)).toBeNull();
        expect(Object.entries(Triggers ?? {})).toEqual([
            ['constructor', 'a'],
            ['__proto__', 'b'],
            ['toString', 'c'],
            ['hasOwnProperty', 'd'],
        ]);
        expect(JSON.stringify(Triggers)).toBe('{"constructor":"a","__proto__":"b","toString":"c","hasOwnProperty":"d"}');
    });
});

describe('parseResourceProperties refuses', () => {
    it.each<[string, unknown, string]>([
        [
            'Triggers as a list',
            { ...minimal, Triggers: ['v1'] },
            `Triggers is ["v1"] (a list of 1 item): it must be an object of key-value pairs.`,
        ],
        ['Triggers as a string', { ...minimal, Triggers: 'v1' }, `Triggers is 'v1': it must be an object of key-value pairs.`],
        ['a trigger value that is a number', { ...minimal, Triggers: { k: 1 } }, 'Triggers.k is 1: it must be a string.'],
        [
            'a trigger key with a space',
            { ...minimal, Triggers: { 'a b': 'v' } },
            "Triggers has the key 'a b': keys must match ^[A-Za-z0-9_.:/=+@-]{1,64}$",
        ],
        [
            'an unknown property',
            { ...minimal, Service: ['web'] },
            "The resource properties have the unknown property 'Service': the properties are Cluster, Services, ServicesUsingSecrets, Triggers,",
        ],
        [
            'too many services',
            { ...minimal, Services: Array.from({ length: 101 }, (_, i) => `s${i}`) },
            '(a list of 101 items): it must list 1 to 100 items.',
        ],
        ['no services', { ...minimal, Services: [] }, 'Services is [] (a list of 0 items): it must list 1 to 100 items.'],
        [
            'MaxConcurrentRestarts 1001',
            { ...minimal, MaxConcurrentRestarts: 1001 },
            'MaxConcurrentRestarts is 1001: it must be a whole number from 1 to 1000.',
        ],
        [
            'a duplicate service',
            { ...minimal, Services: ['web', 'api', 'web'] },
            "Services[0] and Services[2] are both 'web': list each item once.",
        ],
        ['TimeoutInMinutes 0', { ...minimal, TimeoutInMinutes: 0 }, 'TimeoutInMinutes is 0: it must be a whole number from 1 to 2100.'],
        [
            'TimeoutInMinutes "abc"',
            { ...minimal, TimeoutInMinutes: 'abc' },
            "TimeoutInMinutes is 'abc': it must be a whole number from 1 to 2100.",
        ],
        [
            'TimeoutInMinutes "2.5"',
            { ...minimal, TimeoutInMinutes: '2.5' },
            "TimeoutInMinutes is '2.5': it must be a whole number from 1 to 2100.",
        ],
        ['WaitForSteadyState "yes"', { ...minimal, WaitForSteadyState: 'yes' }, "WaitForSteadyState is 'yes': it must be true or false."],
        [
            'a missing Cluster',
            { Services: ['web'] },
            'Cluster is required (The short name or full ARN of the cluster that runs the services).',
        ],
        ['properties that are not an object', 'v1', "The resource properties are 'v1': they must be an object of key-value pairs."],
        [
            'no properties at all',
            undefined,
            'The request has no resource properties: Cluster and at least one of Services and ServicesUsingSecrets are required.',
        ],
        [
            'neither Services nor ServicesUsingSecrets',
            { Cluster: 'prod' },
            'Invalid resource properties: At least one of Services and ServicesUsingSecrets is required.',
        ],
        [
            'a ServicesUsingSecrets item that is an S3 ARN',
            { Cluster: 'prod', ServicesUsingSecrets: ['arn:aws:s3:::bucket'] },
            "ServicesUsingSecrets[0] is 'arn:aws:s3:::bucket': it must match ^(?:arn:[a-z][a-z0-9-]*:secretsmanager:",
        ],
        [
            'ServicesUsingSecrets empty',
            { Cluster: 'prod', ServicesUsingSecrets: [] },
            'ServicesUsingSecrets is [] (a list of 0 items): it must list 1 to 20 items.',
        ],
        [
            'a value that is not JSON',
            { ...minimal, TimeoutInMinutes: BigInt(5) },
            'TimeoutInMinutes is a bigint: resource properties are JSON values',
        ],
        [
            'a Map',
            { ...minimal, Triggers: new Map([['k', 'v']]) },
            'Triggers is an object of type Map: resource properties are JSON values',
        ],
    ])('%s', (_name, raw, expected) => {
        const error = refusal(raw);
        expect(error.message).toContain(expected);
        expect(error.errorCode).toBe('InvalidRequest');
    });

    it.each<[string, unknown, string]>([
        // Ajv's coerceTypes would turn these into valid values; CloudFormation only ever sends strings.
        ['null into false', { ...minimal, WaitForSteadyState: null }, 'WaitForSteadyState is null: it must be true or false.'],
        ['true into 1', { ...minimal, TimeoutInMinutes: true }, 'TimeoutInMinutes is true: it must be a whole number.'],
        ['1 into true', { ...minimal, WaitForSteadyState: 1 }, 'WaitForSteadyState is 1: it must be true or false.'],
        ['a number into a string', { ...minimal, Services: [123] }, 'Services[0] is 123: it must be a string.'],
        ['null into an empty string', { ...minimal, Cluster: null }, 'Cluster is null: it must be a string.'],
    ])('a conversion from anything but a string: %s', (_name, raw, expected) => {
        const error = refusal(raw);
        expect(error.message).toBe(`Invalid resource properties: ${expected}`);
    });

    it('a 100,000-character service name in a short message naming the item and its length', () => {
        const error = refusal({ ...minimal, Services: ['a'.repeat(100_000)] });

        expect(error.message.length).toBeLessThan(1024);
        expect(error.message).toContain(`Services[0] is '${'a'.repeat(79)}…' (100000 characters): it must be 1 to 1600 characters long`);
        expect(error.message).toContain('An ECS service name (1-255 letters, digits, hyphens, underscores)');
    });

    it('every problem at once, folded under the limit with a count of what is left out', () => {
        const raw = {
            Cluster: 'x'.repeat(5000),
            Services: Array.from({ length: 30 }, (_, i) => `${'b'.repeat(2000)} ${i}`),
            Triggers: Object.fromEntries(Array.from({ length: 12 }, (_, i) => [`${'k'.repeat(100)}${i}`, 'v'.repeat(300)])),
            TimeoutInMinutes: 'soon',
            Unknown: true,
        };

        const { message } = refusal(raw);

        expect(message.length).toBeLessThanOrEqual(MAX_MESSAGE_CHARACTERS);
        expect(message).toMatch(/^Invalid resource properties: Cluster is 'x{79}…' \(5000 characters\)/);
        expect(message).toMatch(/\(\d+ more not shown\)$/);
    });

    it('a __proto__ property without touching Object.prototype or the result', () => {
        const raw = JSON.parse('{"Cluster":"prod","Services":["web"],"__proto__":{"polluted":"yes"}}');

        expect(refusal(raw).message).toContain("the unknown property '__proto__'");
        expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    });

    it('a __proto__ trigger whose value is an object, leaving Object.prototype alone', () => {
        const raw = JSON.parse('{"Cluster":"prod","Services":["web"],"Triggers":{"__proto__":{"polluted":"yes"}}}');

        expect(refusal(raw).message).toContain('Triggers.__proto__ is {"polluted":"yes"} (an object with 1 key): it must be a string.');
        expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    });

    it('duplicate objects in a list as a type error, not a TypeError of the equality check', () => {
        // Ajv's own uniqueItems helper throws on these (a "valueOf" key, an object without prototype).
        const raw = JSON.parse('{"Cluster":"prod","Services":[{"valueOf":"x"},{"valueOf":"x"},{}]}');

        const { message } = refusal(raw);

        expect(message).toContain('Services[0] is {"valueOf":"x"} (an object with 1 key), Services[1] is');
        expect(message).toContain('Services[0] and Services[1] are both {"valueOf":"x"} (an object with 1 key): list each item once.');
    });

    it('a cyclic object, without overflowing the stack', () => {
        const raw: Record<string, unknown> = { ...minimal };
        raw.Triggers = raw;
        expect(refusal(raw).message).toContain('is nested more than 32 levels deep');
    });
});

describe('parseResourceProperties on arbitrary input', () => {
    const prototypeKeys = fc.constantFrom('__proto__', 'constructor', 'toString', 'hasOwnProperty', 'valueOf');
    const key = fc.oneof(fc.string(), prototypeKeys, fc.constantFrom('Cluster', 'Services', 'Triggers', 'TimeoutInMinutes'));
    const json = fc.jsonValue({ maxDepth: 4 });
    const nearlyValid = fc.record(
        {
            Cluster: fc.oneof(fc.constant('prod'), fc.string({ maxLength: 300 }), json),
            Services: fc.oneof(fc.array(fc.oneof(fc.constant('web'), fc.string(), json), { maxLength: 25 }), json),
            Triggers: fc.oneof(fc.dictionary(key, fc.oneof(fc.string(), json), { maxKeys: 12 }), json),
            WaitForSteadyState: fc.oneof(fc.constantFrom('true', 'false', 'TRUE', true, 0), json),
            TimeoutInMinutes: fc.oneof(fc.constantFrom('15', '0', '601', ' 7 ', '1e2', 15), json),
            MaxConcurrentRestarts: json,
        },
        { requiredKeys: [] },
    );

    it('returns properties or throws InvalidInputError with a message under 1,024 characters, and nothing else', () => {
        const prototypeBefore = Object.getOwnPropertyNames(Object.prototype).sort();
        fc.assert(
            fc.property(fc.oneof(json, nearlyValid, fc.dictionary(key, json)), (raw) => {
                // Through JSON text, as the handler receives it: `__proto__` keys become own properties.
                const parsed: unknown = JSON.parse(JSON.stringify(raw) ?? 'null');
                try {
                    const properties = parseResourceProperties(parsed);
                    expect(typeof properties.Cluster).toBe('string');
                    expect(Array.isArray(properties.Services)).toBe(true);
                } catch (err) {
                    if (!(err instanceof InvalidInputError)) {
                        throw err;
                    }
                    expect(err.message.length).toBeLessThan(1024);
                }
            }),
            { numRuns: 2000 },
        );
        expect(Object.getOwnPropertyNames(Object.prototype).sort()).toEqual(prototypeBefore);
    });

    it('returns every valid input as given, its string scalars typed', () => {
        const name = fc.stringMatching(/^[A-Za-z0-9_-]{1,40}$/);
        const valid = fc.record(
            {
                Cluster: name,
                Services: fc.uniqueArray(name, { minLength: 1, maxLength: 20 }),
                Triggers: fc.dictionary(fc.stringMatching(/^[A-Za-z0-9_.:/=+@-]{1,64}$/), fc.string({ maxLength: 256 }), { maxKeys: 10 }),
                WaitForSteadyState: fc.boolean(),
                TimeoutInMinutes: fc.integer({ min: 1, max: 600 }),
                MaxConcurrentRestarts: fc.integer({ min: 1, max: 20 }),
            },
            { requiredKeys: ['Cluster', 'Services'] },
        );
        fc.assert(
            fc.property(valid, fc.boolean(), (properties, asStrings) => {
                const scalars = ['WaitForSteadyState', 'TimeoutInMinutes', 'MaxConcurrentRestarts'] as const;
                const raw: Record<string, unknown> = { ...properties };
                for (const scalar of scalars) {
                    if (asStrings && raw[scalar] !== undefined) raw[scalar] = JSON.stringify(raw[scalar]);
                }
                expect(parseResourceProperties(JSON.parse(JSON.stringify(raw)))).toEqual(properties);
            }),
            { numRuns: 500 },
        );
    });
});
