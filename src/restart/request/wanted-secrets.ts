/**
 * The property `ServicesUsingSecrets`: the patterns the schema shares, and the parser of each item.
 * Which task definitions read these secrets is the selection stage's business (selection/secret-references.ts).
 */
import type { AwsLocation } from './arns';
import { InvalidInputError } from '../errors';

const PARTITION = '[a-z][a-z0-9-]*';
const REGION = '[a-z0-9-]+';
const ACCOUNT = '[0-9]{12}';
// Secrets Manager names: ASCII letters, digits and /_+=.@- , at most 512 characters, plus "-" and the
// 6-character random suffix in a complete ARN.
const SECRET_ID = '[A-Za-z0-9/_+=.@-]{1,519}';
// Parameter Store names: letters, digits and _.- in each level, levels joined by single slashes.
const PARAMETER_LEVEL = '[A-Za-z0-9_.-]+';
const SECRET_ARN_BODY = `arn:${PARTITION}:secretsmanager:${REGION}:${ACCOUNT}:secret:${SECRET_ID}`;
const PARAMETER_ARN_BODY = `arn:${PARTITION}:ssm:${REGION}:${ACCOUNT}:parameter/${PARAMETER_LEVEL}(?:/${PARAMETER_LEVEL})*`;

/** A Secrets Manager secret ARN, complete (`secret:NAME-XXXXXX`) or partial (`secret:NAME`). */
export const SECRETS_MANAGER_SECRET_ARN_PATTERN = `^${SECRET_ARN_BODY}$`;
/** A Parameter Store parameter ARN: `parameter/NAME` or `parameter/PATH/TO/NAME`, one slash each. */
export const SSM_PARAMETER_ARN_PATTERN = `^${PARAMETER_ARN_BODY}$`;
/** The `pattern` of each item of `ServicesUsingSecrets` in the schema. */
export const SERVICES_USING_SECRETS_ITEM_PATTERN = `^(?:${SECRET_ARN_BODY}|${PARAMETER_ARN_BODY})$`;
/** The `maxLength` of each item of `ServicesUsingSecrets` in the schema: the API limit of a parameter name, ample for any secret ARN. */
export const SERVICES_USING_SECRETS_ITEM_MAX_LENGTH = 2048;

const ITEM_PATTERN = new RegExp(SERVICES_USING_SECRETS_ITEM_PATTERN);
/** Any ARN, split into partition, service, region, account and resource. */
export const LOCATED_ARN = /^arn:([^:]*):([^:]*):([^:]*):([^:]*):(.*)$/s;

interface Located {
    /** The ARN exactly as given in ServicesUsingSecrets. */
    arn: string;
    partition: string;
    region: string;
    accountId: string;
}

export interface WantedSecretsManagerSecret extends Located {
    kind: 'secretsmanager';
    /** What follows `secret:` in the ARN: `NAME-XXXXXX` (complete) or `NAME` (partial). */
    secretId: string;
}

export interface WantedSsmParameter extends Located {
    kind: 'ssm-parameter';
    /** What follows `parameter/` in the ARN: `db-password`, or `app/db/password` for `/app/db/password`. */
    arnPath: string;
}

/** One item of `ServicesUsingSecrets`, checked. */
export type WantedSecret = WantedSecretsManagerSecret | WantedSsmParameter;

const SHOWN_CHARACTERS = 120;

/** The value for a message: quoted, control characters escaped, cut to a readable length. */
export function shown(value: string): string {
    if (value.length <= SHOWN_CHARACTERS) {
        return JSON.stringify(value);
    }
    return `${JSON.stringify(value.slice(0, SHOWN_CHARACTERS))}… (${value.length} characters)`;
}

const VALID_ITEM =
    'a Secrets Manager secret ARN (arn:PARTITION:secretsmanager:REGION:ACCOUNT:secret:NAME-XXXXXX, or without the ' +
    '-XXXXXX suffix) or an SSM parameter ARN (arn:PARTITION:ssm:REGION:ACCOUNT:parameter/NAME or parameter/PATH/TO/NAME)';

/**
 * Checks one item of `ServicesUsingSecrets`. The schema carries the same pattern; the handler does not
 * trust CloudFormation to have applied it.
 */
export function parseWantedSecret(value: unknown, here: AwsLocation): WantedSecret {
    if (typeof value !== 'string' || value.length === 0) {
        throw new InvalidInputError(`ServicesUsingSecrets contains ${describeNonString(value)}: each item must be ${VALID_ITEM}.`);
    }
    const item = `ServicesUsingSecrets item ${shown(value)}`;
    if (value.length > SERVICES_USING_SECRETS_ITEM_MAX_LENGTH) {
        throw new InvalidInputError(
            `${item} is too long: an item must be at most ${SERVICES_USING_SECRETS_ITEM_MAX_LENGTH} characters, ${VALID_ITEM}.`,
        );
    }
    const located = LOCATED_ARN.exec(value);
    if (!located) {
        throw new InvalidInputError(`${item} ${whyNotAnArn(value, here)}`);
    }
    const [, partition = '', service = '', region = '', accountId = '', resource = ''] = located;
    if (!ITEM_PATTERN.test(value)) {
        throw new InvalidInputError(`${item} ${whyNotAnItem(service, resource)}: give ${VALID_ITEM}.`);
    }
    // ECS reads a secret of another account and a parameter of another Region by full ARN, never across
    // partitions: only the partition must be the handler's (Services and Cluster stay in this account and Region).
    if (partition !== here.partition) {
        throw new InvalidInputError(
            `${item} is in partition ${partition} (expected ${here.partition}): ECS tasks read secrets and parameters ` +
                `of any account and Region of their own partition only, so no service of this resource can read it. ` +
                `Give an ARN of the form arn:${here.partition}:secretsmanager:… or arn:${here.partition}:ssm:….`,
        );
    }
    const base = { arn: value, partition, region, accountId };
    return service === 'secretsmanager'
        ? { ...base, kind: 'secretsmanager', secretId: resource.slice('secret:'.length) }
        : { ...base, kind: 'ssm-parameter', arnPath: resource.slice('parameter/'.length) };
}

function whyNotAnArn(value: string, here: AwsLocation): string {
    if (value.startsWith('arn:')) {
        return `is not a well-formed ARN: give ${VALID_ITEM}.`;
    }
    if (!/^[A-Za-z0-9_./-]+$/.test(value)) {
        return `is not an ARN: give ${VALID_ITEM}.`;
    }
    const prefix = `arn:${here.partition}:ssm:${here.region}:${here.accountId}:parameter/`;
    return (
        `is not an ARN: give ${VALID_ITEM}. A parameter of this account and Region named so has the ARN ` +
        `${shown(prefix + value.replace(/^\/+/, ''))}; a secret, the ARN its console page shows.`
    );
}

function describeNonString(value: unknown): string {
    if (value === '') return 'an empty string';
    if (value === undefined) return 'nothing';
    try {
        const text = JSON.stringify(value) ?? typeof value;
        return text.length > SHOWN_CHARACTERS ? `${text.slice(0, SHOWN_CHARACTERS)}…` : text;
    } catch {
        return `a ${typeof value}`;
    }
}

/** The most useful reason an ARN-shaped value is not an item, for the message. */
function whyNotAnItem(service: string, resource: string): string {
    if (service === 'secretsmanager' && /^secret:[^:]*:/.test(resource)) {
        return (
            'names a JSON key or version of a secret (:json-key:version-stage:version-id): give the secret ARN alone; ' +
            'services reading any key or version of it are found'
        );
    }
    if (service === 'ssm' && resource.startsWith('parameter//')) {
        return 'has two slashes after "parameter": the ARN of parameter /app/db is arn:...:parameter/app/db';
    }
    if (service === 'ssm' && /^parameter\/[^:]*:/.test(resource)) {
        return 'names a version or label of a parameter: give the parameter ARN alone';
    }
    if (service !== 'secretsmanager' && service !== 'ssm') {
        return `is an ARN of ${shown(service)}, not of secretsmanager or ssm`;
    }
    return 'is not a well-formed ARN of a secret or a parameter';
}
