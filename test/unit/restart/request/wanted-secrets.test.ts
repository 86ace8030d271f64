/** ServicesUsingSecrets items: which ARNs name a secret or parameter ECS tasks here can read, and the schema's rule for them. */
import { readFileSync } from 'fs';
import { join } from 'path';
import { InvalidInputError } from '../../../../src/restart/errors';
import {
    parseWantedSecret,
    SECRETS_MANAGER_SECRET_ARN_PATTERN,
    SERVICES_USING_SECRETS_ITEM_MAX_LENGTH,
    SERVICES_USING_SECRETS_ITEM_PATTERN,
    SSM_PARAMETER_ARN_PATTERN,
} from '../../../../src/restart/request/wanted-secrets';
import { MAX_SECRETS } from '../../../../src/restart/request/settings';
import { LOCATIONS, parameterArn, secretArn } from '../../../support/restart-fixtures';

function captureError(action: () => unknown): Error {
    try {
        action();
    } catch (error) {
        return error as Error;
    }
    throw new Error('expected an error');
}

describe('parseWantedSecret', () => {
    const here = LOCATIONS[0]!;

    it('accepts complete and partial secret ARNs and parameter ARNs, in any partition', () => {
        expect(parseWantedSecret(secretArn(here, 'prod/db-AbCdEf'), here)).toEqual({
            kind: 'secretsmanager',
            arn: secretArn(here, 'prod/db-AbCdEf'),
            partition: 'aws',
            region: 'eu-west-1',
            accountId: '111122223333',
            secretId: 'prod/db-AbCdEf',
        });
        expect(parseWantedSecret(secretArn(LOCATIONS[1]!, 'db'), LOCATIONS[1]!)).toMatchObject({ kind: 'secretsmanager', secretId: 'db' });
        expect(parseWantedSecret(parameterArn(LOCATIONS[2]!, 'app/db/password'), LOCATIONS[2]!)).toMatchObject({
            kind: 'ssm-parameter',
            arnPath: 'app/db/password',
            partition: 'aws-us-gov',
        });
    });

    it.each([
        ['a secret of another account', 'arn:aws:secretsmanager:eu-west-1:999900001111:secret:central/db-AbCdEf'],
        ['a parameter of another Region', 'arn:aws:ssm:us-east-1:111122223333:parameter/app/db/password'],
        ['a parameter of another account and Region', 'arn:aws:ssm:ap-southeast-2:999900001111:parameter/shared-key'],
    ])('accepts %s of the same partition, keeping where it is', (_title, arn) => {
        const [, partition, , region, accountId] = arn.split(':');
        expect(parseWantedSecret(arn, here)).toMatchObject({ arn, partition, region, accountId });
    });

    it.each<[string, unknown, string]>([
        ['a number', 42, 'ServicesUsingSecrets contains 42: each item must be a Secrets Manager secret ARN'],
        ['an empty string', '', 'ServicesUsingSecrets contains an empty string: each item must be'],
        ['an object', { Ref: 'DbSecret' }, 'ServicesUsingSecrets contains {"Ref":"DbSecret"}: each item must be'],
        [
            'a parameter name',
            'db-password',
            'ServicesUsingSecrets item "db-password" is not an ARN: give a Secrets Manager secret ARN (arn:PARTITION:secretsmanager:REGION:ACCOUNT:secret:NAME-XXXXXX',
        ],
        ['a parameter path', '/app/db/password', 'named so has the ARN "arn:aws:ssm:eu-west-1:111122223333:parameter/app/db/password"'],
        ['a truncated ARN', 'arn:aws:secretsmanager:eu-west-1', 'item "arn:aws:secretsmanager:eu-west-1" is not a well-formed ARN'],
        [
            'a JSON key suffix',
            'arn:aws:secretsmanager:eu-west-1:111122223333:secret:db-AbCdEf:password::',
            'names a JSON key or version of a secret (:json-key:version-stage:version-id): give the secret ARN alone',
        ],
        ['a double slash', 'arn:aws:ssm:eu-west-1:111122223333:parameter//app/db', 'has two slashes after "parameter"'],
        ['a parameter version', 'arn:aws:ssm:eu-west-1:111122223333:parameter/db:3', 'names a version or label of a parameter'],
        ['a KMS key', 'arn:aws:kms:eu-west-1:111122223333:key/abc', 'is an ARN of "kms", not of secretsmanager or ssm'],
        [
            'a space in a name',
            'arn:aws:secretsmanager:eu-west-1:111122223333:secret:my db',
            'is not a well-formed ARN of a secret or a parameter',
        ],
        [
            'another partition',
            'arn:aws-cn:ssm:cn-north-1:111122223333:parameter/db',
            'ServicesUsingSecrets item "arn:aws-cn:ssm:cn-north-1:111122223333:parameter/db" is in partition aws-cn (expected aws): ' +
                'ECS tasks read secrets and parameters of any account and Region of their own partition only, so no service of ' +
                'this resource can read it. Give an ARN of the form arn:aws:secretsmanager:… or arn:aws:ssm:….',
        ],
        [
            'another partition, same Region name shape',
            'arn:aws-us-gov:secretsmanager:eu-west-1:111122223333:secret:db-AbCdEf',
            'is in partition aws-us-gov (expected aws)',
        ],
    ])('refuses %s, naming the value and what is valid', (_title, value, message) => {
        expect(() => parseWantedSecret(value, here)).toThrow(InvalidInputError);
        expect(() => parseWantedSecret(value, here)).toThrow(message);
    });

    it('trims a long value and escapes control characters in the message', () => {
        const long = secretArn(here, 'x'.repeat(5000));
        const error = captureError(() => parseWantedSecret(long, here));
        expect(error.message).toContain(`(${long.length} characters)`);
        expect(error.message).toContain('is too long: an item must be at most 2048 characters');
        expect(error.message.length).toBeLessThan(700);
        expect(captureError(() => parseWantedSecret('line\nbreak', here)).message).toContain('"line\\nbreak"');
    });

    it('exports patterns that compile as the schema compiles them (ECMA-262, unicode)', () => {
        for (const pattern of [SECRETS_MANAGER_SECRET_ARN_PATTERN, SSM_PARAMETER_ARN_PATTERN, SERVICES_USING_SECRETS_ITEM_PATTERN]) {
            expect(() => new RegExp(pattern, 'u')).not.toThrow();
        }
        expect(new RegExp(SECRETS_MANAGER_SECRET_ARN_PATTERN).test(secretArn(LOCATIONS[1]!, 'db-AbCdEf'))).toBe(true);
        expect(new RegExp(SSM_PARAMETER_ARN_PATTERN).test(parameterArn(here, 'app/db/password'))).toBe(true);
        expect(new RegExp(SSM_PARAMETER_ARN_PATTERN).test(parameterArn(here, '/app/db/password'))).toBe(false);
    });
});

describe('the schema of ServicesUsingSecrets', () => {
    // The handler checks each item with the module's pattern; the schema, CloudFormation and the generated
    // validator with the schema's. They must be the same rule, or one of them accepts what the other refuses.
    const schema = JSON.parse(readFileSync(join(__dirname, '..', '..', '..', '..', 'org-ecs-servicerestart.json'), 'utf8'));
    const item = schema.definitions[schema.properties.ServicesUsingSecrets.items.$ref.split('/').pop()];

    it('uses the pattern and the length limit of secret-references.ts', () => {
        expect(item.pattern).toBe(SERVICES_USING_SECRETS_ITEM_PATTERN);
        expect(item.maxLength).toBe(SERVICES_USING_SECRETS_ITEM_MAX_LENGTH);
    });

    it('keeps the order, 1 to MAX_SECRETS items, and is one of the two ways to name services', () => {
        expect(schema.properties.ServicesUsingSecrets).toMatchObject({ minItems: 1, maxItems: MAX_SECRETS, insertionOrder: true });
        expect(schema.anyOf).toEqual([{ required: ['Services'] }, { required: ['ServicesUsingSecrets'] }]);
        expect(schema.required).toEqual(['Cluster']);
    });
});
