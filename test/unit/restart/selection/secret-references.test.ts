import type { TaskDefinition } from '@aws-sdk/client-ecs';
import fc from 'fast-check';
import { AwsLocation, partitionOfRegion } from '../../../../src/restart/request/arns';
import { LOCATIONS, parameterArn, secretArn } from '../../../support/restart-fixtures';
import { InvalidInputError } from '../../../../src/restart/errors';
import {
    parseWantedSecret,
    SERVICES_USING_SECRETS_ITEM_MAX_LENGTH,
    SERVICES_USING_SECRETS_ITEM_PATTERN,
    WantedSecret,
} from '../../../../src/restart/request/wanted-secrets';
import {
    describeSecretRead,
    findSecretReads,
    matchReference,
    ReferenceMatch,
    ReferenceSource,
} from '../../../../src/restart/selection/secret-references';

const OTHER_ACCOUNT = '999900001111';
const VERSION_ID = '9d4cb84b-ad69-40c0-a0ab-cead3EXAMPLE';

/** The kind of the result, and which wanted item it names: `match db`, `pinned db`, `none`. */
function verdict(result: ReferenceMatch, wanted: WantedSecret[]): string {
    return result.kind === 'none' ? 'none' : `${result.kind} ${wanted.indexOf(result.secret)}`;
}

describe.each(LOCATIONS)('matchReference in partition $partition', (here) => {
    const elsewhere = { ...here, accountId: OTHER_ACCOUNT };
    const otherRegion = { ...here, region: `${here.region.replace(/-1$/, '')}-2` };
    const otherPartition = here.partition === 'aws' ? { ...here, partition: 'aws-cn' } : { ...here, partition: 'aws' };
    // 0: a complete secret ARN, 1: a path parameter, 2: a plain-name parameter.
    const wanted = [
        parseWantedSecret(secretArn(here, 'db-AbCdEf'), here),
        parseWantedSecret(parameterArn(here, 'app/db/password'), here),
        parseWantedSecret(parameterArn(here, 'db-password'), here),
    ];

    it.each<[string, string, ReferenceSource, string]>([
        // Secrets Manager, complete ARN and the :json-key:version-stage:version-id forms
        ['the complete ARN', secretArn(here, 'db-AbCdEf'), 'secrets', 'match 0'],
        ['a JSON key, stage and id empty', secretArn(here, 'db-AbCdEf:password::'), 'secrets', 'match 0'],
        ['all three fields empty', secretArn(here, 'db-AbCdEf:::'), 'secrets', 'match 0'],
        ['stage AWSCURRENT named', secretArn(here, 'db-AbCdEf::AWSCURRENT:'), 'secrets', 'match 0'],
        ['stage AWSPREVIOUS', secretArn(here, 'db-AbCdEf::AWSPREVIOUS:'), 'secrets', 'pinned 0'],
        ['a JSON key with stage AWSPENDING', secretArn(here, 'db-AbCdEf:password:AWSPENDING:'), 'secrets', 'pinned 0'],
        ['a version id', secretArn(here, `db-AbCdEf:::${VERSION_ID}`), 'secrets', 'pinned 0'],
        ['a version id with stage AWSCURRENT', secretArn(here, `db-AbCdEf:password:AWSCURRENT:${VERSION_ID}`), 'secrets', 'pinned 0'],
        ['a JSON key without the other two fields (refused by ECS)', secretArn(here, 'db-AbCdEf:password'), 'secrets', 'none'],
        ['five fields (refused by ECS)', secretArn(here, 'db-AbCdEf:a:b:c:d'), 'secrets', 'none'],
        // Secrets Manager, partial ARN against the wanted complete one
        ['the partial ARN', secretArn(here, 'db'), 'secrets', 'match 0'],
        ['the partial ARN with a JSON key', secretArn(here, 'db:password::'), 'secrets', 'match 0'],
        ['the partial ARN with a version id', secretArn(here, `db:::${VERSION_ID}`), 'secrets', 'pinned 0'],
        ['the same name with another suffix (a deleted secret)', secretArn(here, 'db-XyZ123'), 'secrets', 'none'],
        ['a longer name', secretArn(here, 'db2'), 'secrets', 'none'],
        // Secrets Manager elsewhere: only that exact ARN would do, and it is not wanted
        ['the complete ARN in another account', secretArn(elsewhere, 'db-AbCdEf'), 'secrets', 'none'],
        ['the partial ARN in another account', secretArn(elsewhere, 'db:password::'), 'secrets', 'none'],
        ['the complete ARN in another Region', secretArn(otherRegion, 'db-AbCdEf'), 'secrets', 'none'],
        ['the complete ARN in another partition', secretArn(otherPartition, 'db-AbCdEf'), 'secrets', 'none'],
        // A bare name in `secrets` is a parameter, never a secret
        ['the bare secret name in secrets', 'db', 'secrets', 'none'],
        // repositoryCredentials: a secret by ARN or by friendly name
        ['credentials by complete ARN', secretArn(here, 'db-AbCdEf'), 'repositoryCredentials', 'match 0'],
        ['credentials by friendly name', 'db', 'repositoryCredentials', 'match 0'],
        ['credentials by a parameter name', 'db-password', 'repositoryCredentials', 'none'],
        // Parameter Store, by ARN, name or path
        ['the path parameter ARN', parameterArn(here, 'app/db/password'), 'secrets', 'match 1'],
        ['the path', '/app/db/password', 'secrets', 'match 1'],
        ['the path without its leading slash (not a valid name)', 'app/db/password', 'secrets', 'none'],
        ['the path ARN with a double slash', parameterArn(here, '/app/db/password'), 'secrets', 'ambiguous 1'],
        ['a parent path', parameterArn(here, 'app/db'), 'secrets', 'none'],
        ['a longer path', '/app/db/password2', 'secrets', 'none'],
        ['the plain-name parameter ARN', parameterArn(here, 'db-password'), 'secrets', 'match 2'],
        ['the plain name', 'db-password', 'secrets', 'match 2'],
        ['the plain name with one leading slash (the same ARN)', '/db-password', 'secrets', 'match 2'],
        ['the plain name in a log option', 'db-password', 'secrets', 'match 2'],
        ['a version selector', 'db-password:3', 'secrets', 'pinned 2'],
        ['a version selector on the ARN', `${parameterArn(here, 'db-password')}:3`, 'secrets', 'pinned 2'],
        ['a label selector', '/app/db/password:prod', 'secrets', 'pinned 1'],
        ['the parameter ARN in another account', parameterArn(elsewhere, 'db-password'), 'secrets', 'none'],
        ['the parameter ARN in another Region', parameterArn(otherRegion, 'app/db/password'), 'secrets', 'none'],
        // A secret read through Parameter Store's Secrets Manager reference
        ['the secret through /aws/reference/secretsmanager', '/aws/reference/secretsmanager/db', 'secrets', 'match 0'],
        ['the same with stage AWSCURRENT', '/aws/reference/secretsmanager/db:AWSCURRENT', 'secrets', 'match 0'],
        ['the same with stage AWSPREVIOUS', '/aws/reference/secretsmanager/db:AWSPREVIOUS', 'secrets', 'pinned 0'],
        // Nothing a secret could be read from
        ['an S3 ARN', `arn:${here.partition}:s3:::bucket/key`, 'secrets', 'none'],
        ['a truncated ARN', `arn:${here.partition}:secretsmanager`, 'secrets', 'none'],
        ['a secret ARN without an id', secretArn(here, ''), 'secrets', 'none'],
        ['spaces', 'db password', 'secrets', 'none'],
    ])('%s: %s (%s) → %s', (_title, valueFrom, source, expected) => {
        expect(verdict(matchReference(valueFrom, wanted, here, source), wanted)).toBe(expected);
    });

    it('says why a reference is pinned, by version id before stage', () => {
        expect(matchReference(secretArn(here, `db-AbCdEf::AWSPREVIOUS:${VERSION_ID}`), wanted, here)).toEqual({
            kind: 'pinned',
            secret: wanted[0],
            reason: `it reads version id ${VERSION_ID} of the secret, which rotation does not change`,
        });
        expect(matchReference(secretArn(here, 'db-AbCdEf::AWSPREVIOUS:'), wanted, here)).toMatchObject({
            reason: 'it reads the version staged AWSPREVIOUS, not AWSCURRENT; a restart reads a new value only if that stage has moved',
        });
        expect(matchReference('db-password:3', wanted, here)).toMatchObject({ reason: expect.stringContaining('version 3') });
        expect(matchReference('/app/db/password:prod', wanted, here)).toMatchObject({ reason: expect.stringContaining('labelled prod') });
    });

    it('matches a wanted partial ARN with complete ones and with the partial one', () => {
        const partial = [parseWantedSecret(secretArn(here, 'db'), here)];
        expect(matchReference(secretArn(here, 'db-AbCdEf'), partial, here).kind).toBe('match');
        expect(matchReference(secretArn(here, 'db-XyZ123:password::'), partial, here).kind).toBe('match');
        expect(matchReference(secretArn(here, 'db'), partial, here).kind).toBe('match');
        expect(matchReference(secretArn(here, 'db-AbCdEf-XyZ123'), partial, here).kind).toBe('none');
        expect(matchReference(secretArn(elsewhere, 'db-AbCdEf'), partial, here).kind).toBe('none');
    });
});

describe.each(LOCATIONS)('secrets of another account and parameters of another Region, in partition $partition', (here) => {
    // ECS reads a Secrets Manager secret of another account and a Parameter Store parameter of another Region
    // by full ARN only; a bare name or path always means the task's own account and Region.
    const central = { ...here, accountId: OTHER_ACCOUNT };
    const otherRegion = { ...here, region: `${here.region.replace(/-1$/, '')}-2` };
    const centralElsewhere = { ...otherRegion, accountId: OTHER_ACCOUNT };
    // 0: a secret of the central account, 1: a path parameter of another Region, 2: a plain-name one there,
    // 3: the same path parameter in this Region.
    const wanted = [
        parseWantedSecret(secretArn(central, 'central/db-AbCdEf'), here),
        parseWantedSecret(parameterArn(otherRegion, 'app/db/password'), here),
        parseWantedSecret(parameterArn(otherRegion, 'db-password'), here),
        parseWantedSecret(parameterArn(here, 'app/db/password'), here),
    ];

    it.each<[string, string, ReferenceSource, string]>([
        ['the complete ARN of the central secret', secretArn(central, 'central/db-AbCdEf'), 'secrets', 'match 0'],
        ['its partial ARN', secretArn(central, 'central/db'), 'secrets', 'match 0'],
        ['its complete ARN with a JSON key', secretArn(central, 'central/db-AbCdEf:password::'), 'secrets', 'match 0'],
        ['its partial ARN with a JSON key', secretArn(central, 'central/db:password::'), 'secrets', 'match 0'],
        ['its ARN pinned to a version id', secretArn(central, `central/db-AbCdEf:::${VERSION_ID}`), 'secrets', 'pinned 0'],
        ['its ARN as registry credentials', secretArn(central, 'central/db-AbCdEf'), 'repositoryCredentials', 'match 0'],
        ['the same name with another suffix there', secretArn(central, 'central/db-XyZ123'), 'secrets', 'none'],
        ['the same name in this account', secretArn(here, 'central/db-AbCdEf'), 'secrets', 'none'],
        ['the same name in the central account, another Region', secretArn(centralElsewhere, 'central/db-AbCdEf'), 'secrets', 'none'],
        ['its friendly name as registry credentials (this account)', 'central/db', 'repositoryCredentials', 'none'],
        ['its name through /aws/reference/secretsmanager (this account)', '/aws/reference/secretsmanager/central/db', 'secrets', 'none'],
        ['the ARN of the parameter of the other Region', parameterArn(otherRegion, 'app/db/password'), 'secrets', 'match 1'],
        ['the same with a version', `${parameterArn(otherRegion, 'app/db/password')}:4`, 'secrets', 'pinned 1'],
        ['the plain-name parameter ARN there', parameterArn(otherRegion, 'db-password'), 'secrets', 'match 2'],
        ['the bare plain name (this Region, not wanted)', 'db-password', 'secrets', 'none'],
        ['the bare path (this Region)', '/app/db/password', 'secrets', 'match 3'],
        ['the path ARN of this Region', parameterArn(here, 'app/db/password'), 'secrets', 'match 3'],
        ['the path ARN of the other Region in another account', parameterArn(centralElsewhere, 'app/db/password'), 'secrets', 'none'],
    ])('%s: %s (%s) → %s', (_title, valueFrom, source, expected) => {
        expect(verdict(matchReference(valueFrom, wanted, here, source), wanted)).toBe(expected);
    });

    it('finds, in one task definition, exactly the reads of the wanted secrets wherever they are', () => {
        const definition = {
            family: 'web',
            revision: 3,
            containerDefinitions: [
                {
                    name: 'app',
                    secrets: [
                        { name: 'CENTRAL', valueFrom: secretArn(central, 'central/db-AbCdEf:password::') },
                        { name: 'REMOTE', valueFrom: parameterArn(otherRegion, 'db-password') },
                        { name: 'LOCAL_SAME_NAME', valueFrom: 'db-password' },
                    ],
                },
            ],
        };
        expect(findSecretReads(definition, wanted.slice(0, 3), here).map((read) => [read.field, verdict(read, wanted)])).toEqual([
            ['secrets[CENTRAL]', 'match 0'],
            ['secrets[REMOTE]', 'match 2'],
        ]);
    });
});

describe('a secret name ending in "-" and six characters', () => {
    const here = LOCATIONS[0]!;

    it('reports a partial ARN of "app-secret" against secret app-secret, instead of leaving it out', () => {
        const wanted = [parseWantedSecret(secretArn(here, 'app-secret-AbCdEf'), here)];
        const result = matchReference(secretArn(here, 'app-secret:password::'), wanted, here);
        expect(result).toEqual({
            kind: 'ambiguous',
            secret: wanted[0],
            reason: expect.stringContaining(
                'reads it as the complete ARN of secret "app" (suffix secret); if it is the partial ARN of secret "app-secret"',
            ),
        });
    });

    it('keeps the ambiguity beside the pin when such a reference is pinned', () => {
        const wanted = [parseWantedSecret(secretArn(here, 'app-secret-AbCdEf'), here)];
        const result = matchReference(secretArn(here, 'app-secret::AWSPREVIOUS:'), wanted, here);
        expect(result).toMatchObject({
            kind: 'pinned',
            reason: expect.stringContaining('AWSPREVIOUS'),
            ambiguity: expect.stringContaining('app-secret'),
        });
    });

    it('reads the reference as Secrets Manager does when that reading selects it: a needless restart costs less than a missed one', () => {
        const wanted = [parseWantedSecret(secretArn(here, 'app'), here)];
        expect(matchReference(secretArn(here, 'app-secret'), wanted, here).kind).toBe('match');
    });

    it('reports a wanted ARN that may be the partial ARN of such a name, and asks for the complete one', () => {
        const wanted = [parseWantedSecret(secretArn(here, 'app-secret'), here)];
        const result = matchReference(secretArn(here, 'app-secret-XyZ123'), wanted, here);
        expect(result).toMatchObject({ kind: 'ambiguous', reason: expect.stringContaining("give the secret's complete ARN") });
        expect(matchReference(secretArn(here, 'app-secret'), wanted, here).kind).toBe('match');
        expect(matchReference(secretArn(here, 'app'), wanted, here).kind).toBe('match');
    });

    it('takes a friendly name in repositoryCredentials as the exact name', () => {
        const wanted = [parseWantedSecret(secretArn(here, 'app-secret-AbCdEf'), here)];
        expect(matchReference('app-secret', wanted, here, 'repositoryCredentials').kind).toBe('match');
        expect(matchReference('app', wanted, here, 'repositoryCredentials').kind).toBe('none');
    });

    it('prefers a certain match over an ambiguous one, whatever the order of the wanted secrets', () => {
        const ambiguousFirst = [
            parseWantedSecret(secretArn(here, 'app-secret-AbCdEf'), here),
            parseWantedSecret(secretArn(here, 'app'), here),
        ];
        const reference = secretArn(here, 'app-secret');
        expect(verdict(matchReference(reference, ambiguousFirst, here), ambiguousFirst)).toBe('match 1');
        const certainFirst = [...ambiguousFirst].reverse();
        expect(verdict(matchReference(reference, certainFirst, here), certainFirst)).toBe('match 0');
    });
});

describe('findSecretReads', () => {
    const here = LOCATIONS[0]!;
    const wanted = [parseWantedSecret(secretArn(here, 'db-AbCdEf'), here), parseWantedSecret(parameterArn(here, 'app/api-key'), here)];
    // Typed as DescribeTaskDefinition returns it: the module's shape must accept the SDK's.
    const taskDefinition: TaskDefinition = {
        taskDefinitionArn: 'arn:aws:ecs:eu-west-1:111122223333:task-definition/web:7',
        family: 'web',
        revision: 7,
        containerDefinitions: [
            {
                name: 'app',
                secrets: [
                    { name: 'DB_PASSWORD', valueFrom: secretArn(here, 'db-AbCdEf:password::') },
                    { name: 'DB_OLD_PASSWORD', valueFrom: secretArn(here, 'db-AbCdEf:password:AWSPREVIOUS:') },
                    { name: 'UNRELATED', valueFrom: '/app/other' },
                ],
            },
            {
                name: 'log-router',
                logConfiguration: {
                    logDriver: 'awsfirelens',
                    secretOptions: [{ name: 'apiKey', valueFrom: '/app/api-key' }],
                },
            },
            { name: 'private-image', repositoryCredentials: { credentialsParameter: 'db' } },
            { name: 'plain', image: 'nginx' },
        ],
    };

    it('returns every read of a wanted secret with container, field, secret and verdict', () => {
        const reads = findSecretReads(taskDefinition, wanted, here);
        expect(reads.map((read) => [read.container, read.field, read.kind, read.secret.arn])).toEqual([
            ['app', 'secrets[DB_PASSWORD]', 'match', wanted[0]!.arn],
            ['app', 'secrets[DB_OLD_PASSWORD]', 'pinned', wanted[0]!.arn],
            ['log-router', 'logConfiguration.secretOptions[apiKey]', 'match', wanted[1]!.arn],
            ['private-image', 'repositoryCredentials', 'match', wanted[0]!.arn],
        ]);
        expect(reads.every((read) => read.taskDefinition === 'web:7')).toBe(true);
        expect(reads[1]!.valueFrom).toBe(secretArn(here, 'db-AbCdEf:password:AWSPREVIOUS:'));
    });

    it('describes a read in one line for the message', () => {
        const [plain, pinned] = findSecretReads(taskDefinition, wanted, here);
        expect(describeSecretRead(plain!)).toBe(`container app reads ${wanted[0]!.arn} (secrets[DB_PASSWORD])`);
        expect(describeSecretRead(pinned!)).toBe(
            `container app reads ${wanted[0]!.arn} (secrets[DB_OLD_PASSWORD]), pinned: it reads the version staged AWSPREVIOUS, ` +
                'not AWSCURRENT; a restart reads a new value only if that stage has moved',
        );
    });

    it('returns nothing for a task definition without containers or without wanted secrets', () => {
        expect(findSecretReads({ family: 'empty', revision: 1 }, wanted, here)).toEqual([]);
        expect(findSecretReads(taskDefinition, [], here)).toEqual([]);
        expect(findSecretReads({ containerDefinitions: [{ secrets: [{ name: 'X' }] }] }, wanted, here)).toEqual([]);
    });

    it('names an unnamed container by its position and a task definition by its ARN when family or revision is missing', () => {
        const reads = findSecretReads(
            {
                taskDefinitionArn: 'arn:aws:ecs:eu-west-1:111122223333:task-definition/web:8',
                containerDefinitions: [{}, { secrets: [{ name: 'K', valueFrom: '/app/api-key' }] }],
            },
            wanted,
            here,
        );
        expect(reads).toMatchObject([
            { container: '#2', field: 'secrets[K]', taskDefinition: 'arn:aws:ecs:eu-west-1:111122223333:task-definition/web:8' },
        ]);
    });
});

// ---------------------------------------------------------------------------------------------------
// Properties
// ---------------------------------------------------------------------------------------------------

const REGIONS = [
    'us-east-1',
    'eu-west-1',
    'ap-southeast-2',
    'cn-north-1',
    'cn-northwest-1',
    'us-gov-west-1',
    'us-iso-east-1',
    'eusc-de-east-1',
];
const locationArb: fc.Arbitrary<AwsLocation> = fc
    .record({ region: fc.constantFrom(...REGIONS), accountId: fc.stringMatching(/^[0-9]{12}$/) })
    .map(({ region, accountId }) => ({ partition: partitionOfRegion(region), region, accountId }));
const secretNameArb = fc.stringMatching(/^[A-Za-z0-9/_+=.@-]{1,40}$/);
const randomSuffixArb = fc.stringMatching(/^[A-Za-z0-9]{6}$/);
const versionFieldsArb = fc.record({
    jsonKey: fc.stringMatching(/^[A-Za-z0-9_.-]{0,12}$/),
    versionStage: fc.oneof(fc.constantFrom('', 'AWSCURRENT', 'AWSPREVIOUS', 'AWSPENDING'), fc.stringMatching(/^[A-Za-z0-9_-]{1,12}$/)),
    versionId: fc.oneof(fc.constant(''), fc.uuid()),
});
const parameterPathArb = fc
    .array(fc.stringMatching(/^[A-Za-z0-9_.-]{1,12}$/), { minLength: 1, maxLength: 5 })
    .map((levels) => levels.join('/'));

/** Any reference ECS accepts for a secret or parameter of `at`, with the wanted ARN it reads. */
const referenceArb = (at: AwsLocation) =>
    fc.oneof(
        fc
            .record({ name: secretNameArb, suffix: randomSuffixArb, fields: fc.option(versionFieldsArb) })
            .map(({ name, suffix, fields }) => ({
                valueFrom:
                    secretArn(at, `${name}-${suffix}`) + (fields ? `:${fields.jsonKey}:${fields.versionStage}:${fields.versionId}` : ''),
                reads: (where: AwsLocation) => secretArn(where, `${name}-${suffix}`),
                at,
            })),
        fc
            .record({ path: parameterPathArb, selector: fc.option(fc.stringMatching(/^[A-Za-z0-9_.-]{1,8}$/)) })
            .map(({ path, selector }) => ({
                valueFrom: parameterArn(at, path) + (selector ? `:${selector}` : ''),
                reads: (where: AwsLocation) => parameterArn(where, path),
                at,
            })),
    );

describe('properties', () => {
    it('any complete ARN with any JSON key, stage and version id matches its secret, pinned iff a version id or a stage other than AWSCURRENT', () => {
        fc.assert(
            fc.property(locationArb, secretNameArb, randomSuffixArb, fc.option(versionFieldsArb), (here, name, suffix, fields) => {
                const wanted = [parseWantedSecret(secretArn(here, `${name}-${suffix}`), here)];
                const reference =
                    secretArn(here, `${name}-${suffix}`) + (fields ? `:${fields.jsonKey}:${fields.versionStage}:${fields.versionId}` : '');
                const pinned =
                    fields !== null && (fields.versionId !== '' || (fields.versionStage !== '' && fields.versionStage !== 'AWSCURRENT'));
                const result = matchReference(reference, wanted, here);
                expect(result.kind).toBe(pinned ? 'pinned' : 'match');
                expect(result.kind !== 'none' && result.secret).toBe(wanted[0]);
            }),
        );
    });

    it('the partial ARN of any secret whose name does not end like a suffix matches its complete ARN, both ways', () => {
        const plainName = secretNameArb.filter((name) => !/-[A-Za-z0-9]{6}$/.test(name));
        fc.assert(
            fc.property(locationArb, plainName, randomSuffixArb, (here, name, suffix) => {
                const complete = secretArn(here, `${name}-${suffix}`);
                const partial = secretArn(here, name);
                expect(matchReference(partial, [parseWantedSecret(complete, here)], here).kind).toBe('match');
                expect(matchReference(complete, [parseWantedSecret(partial, here)], here).kind).toBe('match');
            }),
        );
    });

    it('a parameter matches by ARN and by name, and any selector pins it', () => {
        fc.assert(
            fc.property(locationArb, parameterPathArb, fc.option(fc.stringMatching(/^[A-Za-z0-9_.-]{1,8}$/)), (here, path, selector) => {
                const wanted = [parseWantedSecret(parameterArn(here, path), here)];
                const name = path.includes('/') ? `/${path}` : path;
                const suffix = selector === null ? '' : `:${selector}`;
                const expected = selector === null ? 'match' : 'pinned';
                expect(matchReference(parameterArn(here, path) + suffix, wanted, here).kind).toBe(expected);
                expect(matchReference(name + suffix, wanted, here).kind).toBe(expected);
            }),
        );
    });

    it('a reference to another account never matches, whatever its form', () => {
        const differentAccounts = fc
            .tuple(locationArb, fc.stringMatching(/^[0-9]{12}$/))
            .filter(([here, other]) => here.accountId !== other)
            .chain(([here, other]) => fc.tuple(fc.constant(here), referenceArb({ ...here, accountId: other })));
        fc.assert(
            fc.property(differentAccounts, ([here, reference]) => {
                const wanted = [parseWantedSecret(reference.reads(here), here)];
                expect(matchReference(reference.valueFrom, wanted, here)).toEqual({ kind: 'none' });
            }),
        );
    });

    it('a full ARN of any account and Region of the partition reads the wanted ARN of that place', () => {
        const elsewhere = locationArb.chain((here) =>
            fc.tuple(
                fc.constant(here),
                fc
                    .record({ region: fc.constantFrom(...REGIONS), accountId: fc.stringMatching(/^[0-9]{12}$/) })
                    .filter(({ region }) => partitionOfRegion(region) === here.partition)
                    .chain((at) => referenceArb({ ...at, partition: here.partition })),
            ),
        );
        fc.assert(
            fc.property(elsewhere, ([here, reference]) => {
                const wanted = [parseWantedSecret(reference.reads(reference.at), here)];
                expect(matchReference(reference.valueFrom, wanted, here).kind).toMatch(/^(match|pinned)$/);
            }),
        );
    });

    it('a bare parameter name or path never reads a parameter of another account or Region', () => {
        const elsewhere = fc
            .tuple(locationArb, parameterPathArb, fc.stringMatching(/^[0-9]{12}$/), fc.constantFrom(...REGIONS))
            .filter(([here, , accountId, region]) => accountId !== here.accountId || region !== here.region);
        fc.assert(
            fc.property(elsewhere, ([here, path, accountId, region]) => {
                const wanted = [parseWantedSecret(parameterArn({ partition: here.partition, region, accountId }, path), here)];
                expect(matchReference(`/${path}`, wanted, here)).toEqual({ kind: 'none' });
                if (!path.includes('/')) expect(matchReference(path, wanted, here)).toEqual({ kind: 'none' });
            }),
        );
    });

    it('parse accepts exactly what the schema pattern and length accept in this partition, and throws nothing but InvalidInputError', () => {
        const here = LOCATIONS[0]!;
        const pattern = new RegExp(SERVICES_USING_SECRETS_ITEM_PATTERN);
        const candidates = fc.oneof(
            fc.string(),
            fc.string({ unit: 'binary' }),
            referenceArb(here).map((reference) => reference.valueFrom),
            locationArb.chain((at) => referenceArb(at)).map((reference) => reference.reads(reference.at)),
            fc
                .tuple(
                    fc.constantFrom(
                        'arn:aws:secretsmanager:eu-west-1:111122223333:secret:',
                        'arn:aws:ssm:eu-west-1:111122223333:parameter/',
                    ),
                    fc.string(),
                )
                .map(([prefix, rest]) => prefix + rest),
            fc
                .tuple(fc.constantFrom('arn:', 'arn:aws:', 'arn:aws-cn:ssm:', 'arn:aws:secretsmanager:eu-west-1:'), fc.string())
                .map(([prefix, rest]) => prefix + rest),
        );
        fc.assert(
            fc.property(candidates, (value) => {
                let accepted = true;
                try {
                    parseWantedSecret(value, here);
                } catch (error) {
                    expect(error).toBeInstanceOf(InvalidInputError);
                    accepted = false;
                }
                // Any account and Region of the handler's partition: ECS reads them by full ARN.
                const samePartition = value.startsWith('arn:aws:');
                expect(accepted).toBe(pattern.test(value) && value.length <= SERVICES_USING_SECRETS_ITEM_MAX_LENGTH && samePartition);
            }),
            { numRuns: 1000 },
        );
    });

    it('parse throws only InvalidInputError on any value at all', () => {
        fc.assert(
            fc.property(fc.anything(), (value) => {
                expect(() => parseWantedSecret(value, LOCATIONS[0]!)).toThrow(InvalidInputError);
            }),
            { examples: [[undefined], [null], [[]], [Symbol('x')], [BigInt(1)]] },
        );
    });

    it('matchReference is total: any string gives one of the four results', () => {
        const here = LOCATIONS[0]!;
        const wanted = [parseWantedSecret(secretArn(here, 'db-AbCdEf'), here), parseWantedSecret(parameterArn(here, 'db'), here)];
        fc.assert(
            fc.property(
                fc.string({ unit: 'binary' }),
                fc.constantFrom<ReferenceSource>('secrets', 'repositoryCredentials'),
                (value, source) => {
                    expect(['match', 'pinned', 'ambiguous', 'none']).toContain(matchReference(value, wanted, here, source).kind);
                },
            ),
        );
    });
});
