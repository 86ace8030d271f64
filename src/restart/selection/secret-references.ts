/**
 * Which ECS task definitions read which secrets: the pure core of `ServicesUsingSecrets`.
 *
 * A container reads a secret through a `valueFrom` (in `secrets` or `logConfiguration.secretOptions`) or
 * through `repositoryCredentials.credentialsParameter`. ECS accepts several spellings of the same secret,
 * and a restart only helps a container that reads the version rotation changes; this module decides, for
 * each spelling, whether it reads one of the wanted secrets, and whether a restart would change what it reads.
 *
 * The rules, and where they come from:
 * - ECS developer guide, "Pass sensitive data to an Amazon ECS container" and its pages for Secrets Manager
 *   and Parameter Store: a Secrets Manager secret is always given by ARN in `valueFrom`, optionally followed
 *   by `:json-key:version-stage:version-id`; a Parameter Store parameter is given by ARN, or, in the task's
 *   Region, by its name. So a `valueFrom` that is not an ARN is always a parameter, never a secret.
 * - ECS container agent (asmsecret): the resource of a Secrets Manager ARN is either `secret:ID` or exactly
 *   `secret:ID:json-key:version-stage:version-id`; any other shape is refused. It passes `ID` (as an ARN) to
 *   GetSecretValue, so a partial ARN (no random suffix) works. Empty fields mean "not set".
 * - Secrets Manager API (GetSecretValue): no version stage and no version id means AWSCURRENT.
 * - Secrets Manager API (SecretId): a partial ARN whose name ends in a hyphen and six characters is taken for
 *   a complete ARN; a friendly name is the exact name, without the random suffix.
 * - ECS agent (ssmsecret): a parameter `valueFrom` goes unchanged into SSM GetParameters, which accepts a
 *   name, a path or an ARN, each optionally with a `:version` or `:label` selector.
 * - Parameter Store: a hierarchical name starts with `/`; its ARN is `parameter` followed by the name
 *   (`parameter/app/db/password`), a plain name's ARN adds the slash (`parameter/db-password`).
 * - ECS developer guide, private registry authentication: `credentialsParameter` is a Secrets Manager secret,
 *   given by ARN or, in the task's Region, by its name.
 */
import { AwsLocation } from '../request/arns';
import { LOCATED_ARN, WantedSecret, WantedSecretsManagerSecret, WantedSsmParameter, shown } from '../request/wanted-secrets';
import type { TaskDefinitionView } from '../views';

// ---------------------------------------------------------------------------------------------------
// Reading a reference as ECS does.
// ---------------------------------------------------------------------------------------------------

/**
 * Where a reference sits decides what a bare name means: in `secrets` and `secretOptions` it is a
 * Parameter Store parameter; in `repositoryCredentials` it is a Secrets Manager secret.
 */
export type ReferenceSource = 'secrets' | 'repositoryCredentials';

type ReadSecret = {
    kind: 'secretsmanager';
    location: AwsLocation;
    secretId: string;
    /** A friendly name is the exact secret name; an ARN's id may carry the random suffix. */
    spelling: 'arn' | 'name';
    versionStage?: string;
    versionId?: string;
};

type ReadParameter = {
    kind: 'ssm-parameter';
    location: AwsLocation;
    /** The name as its ARN spells it: without the leading slash of a hierarchical name. */
    arnPath: string;
    selector?: string;
    /** Set when the spelling is not one Parameter Store documents, with what it probably means. */
    irregular?: string;
};

/** A reference ECS would refuse or cannot resolve to a secret of any account here. */
type Unreadable = { kind: 'unreadable' };

type ParsedReference = ReadSecret | ReadParameter | Unreadable;

const UNREADABLE: Unreadable = { kind: 'unreadable' };
// Parameter Store version and label selectors follow the name after a colon; a name has no colon.
const PARAMETER_NAME_WITH_SELECTOR = /^([A-Za-z0-9_./-]+)(?::([A-Za-z0-9_.-]+))?$/;
// Parameter Store: `/aws/reference/secretsmanager/ID` reads Secrets Manager secret ID through a parameter name
// ("Referencing AWS Secrets Manager secrets from Parameter Store parameters").
const SECRETS_MANAGER_REFERENCE_PREFIX = 'aws/reference/secretsmanager/';

function parseReference(valueFrom: string, here: AwsLocation, source: ReferenceSource): ParsedReference {
    const located = LOCATED_ARN.exec(valueFrom);
    if (!located) {
        if (valueFrom.startsWith('arn:')) {
            return UNREADABLE;
        }
        if (source === 'repositoryCredentials') {
            // Private registry authentication: a bare value is the friendly name of a secret in the task's Region.
            return /^[A-Za-z0-9/_+=.@-]+$/.test(valueFrom)
                ? { kind: 'secretsmanager', location: here, secretId: valueFrom, spelling: 'name' }
                : UNREADABLE;
        }
        // ECS: a valueFrom that is not an ARN is the name of a parameter in the task's account and Region.
        return parseParameterName(valueFrom, here);
    }
    const [, partition = '', service = '', region = '', accountId = '', resource = ''] = located;
    const location = { partition, region, accountId };
    if (service === 'secretsmanager') {
        if (!resource.startsWith('secret:')) return UNREADABLE;
        const fields = resource.slice('secret:'.length).split(':');
        // ECS agent: `secret:ID` or exactly `secret:ID:json-key:version-stage:version-id`, nothing else.
        if (fields.length !== 1 && fields.length !== 4) return UNREADABLE;
        const [secretId = '', , versionStage, versionId] = fields;
        if (secretId.length === 0) return UNREADABLE;
        return {
            kind: 'secretsmanager',
            location,
            secretId,
            spelling: 'arn',
            versionStage: versionStage || undefined,
            versionId: versionId || undefined,
        };
    }
    if (service === 'ssm' && resource.startsWith('parameter/')) {
        // The ARN of /app/db is parameter/app/db: what follows "parameter" is the name with one leading slash.
        return parseParameterName(resource.slice('parameter'.length), location);
    }
    return UNREADABLE;
}

function parseParameterName(text: string, location: AwsLocation): ReadParameter | Unreadable {
    const match = PARAMETER_NAME_WITH_SELECTOR.exec(text);
    if (!match) return UNREADABLE;
    const [, name = '', selector] = match;
    // Parameter Store: a name with levels must start with a slash ("a/b" is refused as not fully qualified).
    if (name.includes('/') && !name.startsWith('/')) return UNREADABLE;
    const arnPath = name.replace(/^\/+/, '');
    if (arnPath.length === 0 || arnPath.split('/').some((level) => level.length === 0)) return UNREADABLE;
    const parameter: ReadParameter = { kind: 'ssm-parameter', location, arnPath, selector };
    if (name.startsWith('//')) {
        // "parameter/" joined to "/app/db" gives parameter//app/db, a spelling Parameter Store does not document
        // (the ARN is parameter/app/db). Whether ECS resolves it is unknown: report it rather than decide.
        parameter.irregular = `${JSON.stringify(name)} has two slashes where Parameter Store spells one ("/${arnPath}")`;
    }
    return parameter;
}

// ---------------------------------------------------------------------------------------------------
// Secrets Manager identities: the random suffix and its ambiguity.
// ---------------------------------------------------------------------------------------------------

/** A secret as a reference names it: its name, and the random suffix when the reference carries one. */
interface SecretIdentity {
    name: string;
    suffix?: string;
}

/** How Secrets Manager reads a secret id, and the other reading when the id could be either. */
interface SecretReadings {
    likely: SecretIdentity;
    alternative?: SecretIdentity;
}

// The random suffix Secrets Manager appends: a hyphen and six letters or digits.
const COMPLETE_SECRET_ID = /^(.+)-([A-Za-z0-9]{6})$/;

function secretReadings(secretId: string, spelling: 'arn' | 'name'): SecretReadings {
    // SecretId rule: a friendly name is exactly the name (with the suffix it is not found).
    if (spelling === 'name') {
        return { likely: { name: secretId } };
    }
    const complete = COMPLETE_SECRET_ID.exec(secretId);
    if (!complete) {
        return { likely: { name: secretId } };
    }
    // SecretId rule: an id ending in "-" and six characters is taken for a complete ARN. Yet a secret may be
    // named so ("app-secret"), and its partial ARN then looks complete: keep that reading as the alternative.
    return { likely: { name: complete[1] ?? secretId, suffix: complete[2] ?? '' }, alternative: { name: secretId } };
}

/**
 * Two identities are the same secret when the names agree and no two suffixes differ: a partial ARN
 * reaches whichever secret of that name exists, a complete one only the secret created with that suffix
 * (a secret deleted and created again under the same name gets a new suffix).
 */
function sameSecret(a: SecretIdentity, b: SecretIdentity): boolean {
    return a.name === b.name && (a.suffix === undefined || b.suffix === undefined || a.suffix === b.suffix);
}

function showIdentity(identity: SecretIdentity): string {
    return identity.suffix === undefined ? `secret "${identity.name}"` : `secret "${identity.name}" (suffix ${identity.suffix})`;
}

type Verdict = { kind: 'certain' } | { kind: 'ambiguous'; reason: string } | { kind: 'different' };

const DIFFERENT: Verdict = { kind: 'different' };
const CERTAIN: Verdict = { kind: 'certain' };

function sameLocation(a: AwsLocation, b: AwsLocation): boolean {
    return a.partition === b.partition && a.region === b.region && a.accountId === b.accountId;
}

/**
 * Secrets Manager reads an id that ends in "-" and six characters as a complete ARN, which is therefore how
 * this module reads both the reference and the wanted ARN. The other reading (a partial ARN of a secret whose
 * name ends so, e.g. "app-secret") is only consulted when the first says "different", and then gives
 * `ambiguous`, never a silent `none`: the two mistakes do not cost the same. Restarting a service that did not
 * need it costs one deployment; leaving out one that did leaves its tasks on a value that rotation is about to
 * invalidate. So a match under the likely reading is a match, and a match only under the other is reported.
 */
function judgeSecret(reference: ReadSecret, valueFrom: string, wanted: WantedSecretsManagerSecret): Verdict {
    // A complete ARN of another account (or Region) is another secret, even with the same name.
    if (!sameLocation(reference.location, wanted)) return DIFFERENT;
    // The same ARN spelling reaches the same secret, however Secrets Manager reads it.
    if (reference.spelling === 'arn' && reference.secretId === wanted.secretId) return CERTAIN;
    const read = secretReadings(reference.secretId, reference.spelling);
    const meant = secretReadings(wanted.secretId, 'arn');
    if (sameSecret(read.likely, meant.likely)) return CERTAIN;
    if (read.alternative && sameSecret(read.alternative, meant.likely)) {
        return {
            kind: 'ambiguous',
            reason:
                `${shown(valueFrom)} ends in "-" and six letters or digits, so Secrets Manager reads it as the complete ARN of ` +
                `${showIdentity(read.likely)}; if it is the partial ARN of ${showIdentity(read.alternative)}, it reads ${wanted.arn}`,
        };
    }
    if (meant.alternative && sameSecret(read.likely, meant.alternative)) {
        return {
            kind: 'ambiguous',
            reason:
                `ServicesUsingSecrets item ${wanted.arn} ends in "-" and six letters or digits: as the complete ARN of ` +
                `${showIdentity(meant.likely)} it is not what ${shown(valueFrom)} reads, as the partial ARN of ` +
                `${showIdentity(meant.alternative)} it is; give the secret's complete ARN`,
        };
    }
    return DIFFERENT;
}

function judgeParameter(reference: ReadParameter, wanted: WantedSsmParameter): Verdict {
    if (!sameLocation(reference.location, wanted) || reference.arnPath !== wanted.arnPath) return DIFFERENT;
    if (reference.irregular) {
        return { kind: 'ambiguous', reason: `${reference.irregular}: if ECS resolves it, it reads ${wanted.arn}` };
    }
    return CERTAIN;
}

/** What rotation does not change: the reason a restart would read the same value again. */
function pinOf(reference: ReadSecret | ReadParameter): string | undefined {
    if (reference.kind === 'secretsmanager') {
        // GetSecretValue: a version id wins over (and must agree with) a stage; neither means AWSCURRENT.
        if (reference.versionId !== undefined) {
            return `it reads version id ${reference.versionId} of the secret, which rotation does not change`;
        }
        if (reference.versionStage !== undefined && reference.versionStage !== 'AWSCURRENT') {
            return (
                `it reads the version staged ${reference.versionStage}, not AWSCURRENT; ` +
                `a restart reads a new value only if that stage has moved`
            );
        }
        return undefined;
    }
    if (reference.selector === undefined) {
        return undefined;
    }
    if (reference.arnPath.startsWith(SECRETS_MANAGER_REFERENCE_PREFIX) && reference.selector === 'AWSCURRENT') {
        return undefined;
    }
    if (/^[0-9]+$/.test(reference.selector)) {
        return `it reads version ${reference.selector} of the parameter, which a new value does not change`;
    }
    return `it reads the version labelled ${reference.selector}, not the latest; a restart reads a new value only if the label has moved`;
}

/**
 * A parameter name under /aws/reference/secretsmanager/ reads a secret of the same account and Region.
 * Its id is a friendly name; a selector there is a version stage or id, kept as the parameter's selector.
 */
function asSecretThroughParameter(reference: ReadParameter): ReadSecret | undefined {
    if (!reference.arnPath.startsWith(SECRETS_MANAGER_REFERENCE_PREFIX)) return undefined;
    const secretId = reference.arnPath.slice(SECRETS_MANAGER_REFERENCE_PREFIX.length);
    return secretId.length === 0 ? undefined : { kind: 'secretsmanager', location: reference.location, secretId, spelling: 'name' };
}

// ---------------------------------------------------------------------------------------------------
// The verdict for one reference.
// ---------------------------------------------------------------------------------------------------

/**
 * - `match`: it reads the secret's current value; a restart makes it read the new one.
 * - `pinned`: it reads the secret, but a version rotation does not change; the caller leaves it out and says so.
 * - `ambiguous`: it may read the secret; the spelling does not settle it (reason says why), so the caller must
 *   decide and say so rather than guess silently.
 */
export type ReferenceMatch =
    | { kind: 'match'; secret: WantedSecret }
    | { kind: 'pinned'; secret: WantedSecret; reason: string; ambiguity?: string }
    | { kind: 'ambiguous'; secret: WantedSecret; reason: string }
    | { kind: 'none' };

const NONE: ReferenceMatch = { kind: 'none' };

/**
 * Decides whether one reference of a container definition reads one of the wanted secrets. `here` is the
 * account and Region of the task definition, which bare names refer to.
 */
export function matchReference(
    valueFrom: string,
    wanted: readonly WantedSecret[],
    here: AwsLocation,
    source: ReferenceSource = 'secrets',
): ReferenceMatch {
    const reference = parseReference(valueFrom, here, source);
    if (reference.kind === 'unreadable') {
        return NONE;
    }
    const throughParameter = reference.kind === 'ssm-parameter' ? asSecretThroughParameter(reference) : undefined;
    let firstAmbiguous: { secret: WantedSecret; reason: string } | undefined;
    for (const secret of wanted) {
        let verdict: Verdict = DIFFERENT;
        if (secret.kind === 'secretsmanager' && reference.kind === 'secretsmanager') {
            verdict = judgeSecret(reference, valueFrom, secret);
        } else if (secret.kind === 'secretsmanager' && throughParameter) {
            verdict = judgeSecret(throughParameter, valueFrom, secret);
        } else if (secret.kind === 'ssm-parameter' && reference.kind === 'ssm-parameter') {
            verdict = judgeParameter(reference, secret);
        }
        if (verdict.kind === 'certain') {
            const pin = pinOf(reference);
            return pin === undefined ? { kind: 'match', secret } : { kind: 'pinned', secret, reason: pin };
        }
        if (verdict.kind === 'ambiguous' && firstAmbiguous === undefined) {
            firstAmbiguous = { secret, reason: verdict.reason };
        }
    }
    if (firstAmbiguous === undefined) {
        return NONE;
    }
    // A pinned reference is left out whichever secret it reads; its ambiguity is kept for the message.
    const pin = pinOf(reference);
    return pin === undefined
        ? { kind: 'ambiguous', ...firstAmbiguous }
        : { kind: 'pinned', secret: firstAmbiguous.secret, reason: pin, ambiguity: firstAmbiguous.reason };
}

// ---------------------------------------------------------------------------------------------------
// A task definition.
// ---------------------------------------------------------------------------------------------------

export type SecretRead = Exclude<ReferenceMatch, { kind: 'none' }> & {
    /** `family:revision`, or the ARN when those are missing. */
    taskDefinition: string;
    container: string;
    /** Where the container reads it: `secrets[DB_PASSWORD]`, `logConfiguration.secretOptions[apiKey]`, `repositoryCredentials`. */
    field: string;
    valueFrom: string;
};

/** Every read of a wanted secret in a task definition, in container and field order. */
export function findSecretReads(taskDefinition: TaskDefinitionView, wanted: readonly WantedSecret[], here: AwsLocation): SecretRead[] {
    const label =
        taskDefinition.family !== undefined && taskDefinition.revision !== undefined
            ? `${taskDefinition.family}:${taskDefinition.revision}`
            : (taskDefinition.taskDefinitionArn ?? taskDefinition.family ?? 'task definition');
    const reads: SecretRead[] = [];
    (taskDefinition.containerDefinitions ?? []).forEach((container, index) => {
        const containerName = container.name ?? `#${index + 1}`;
        const consider = (valueFrom: string | undefined, field: string, source: ReferenceSource) => {
            if (typeof valueFrom !== 'string' || valueFrom.length === 0) return;
            const result = matchReference(valueFrom, wanted, here, source);
            if (result.kind !== 'none') {
                reads.push({ ...result, taskDefinition: label, container: containerName, field, valueFrom });
            }
        };
        for (const secret of container.secrets ?? []) {
            consider(secret.valueFrom, `secrets[${secret.name ?? ''}]`, 'secrets');
        }
        for (const option of container.logConfiguration?.secretOptions ?? []) {
            consider(option.valueFrom, `logConfiguration.secretOptions[${option.name ?? ''}]`, 'secrets');
        }
        consider(container.repositoryCredentials?.credentialsParameter, 'repositoryCredentials', 'repositoryCredentials');
    });
    return reads;
}

/** One line for a message: `container app reads arn:…:secret:db (secrets[DB_PASSWORD])`, with why when not plain. */
export function describeSecretRead(read: SecretRead): string {
    const line = `container ${read.container} reads ${read.secret.arn} (${read.field})`;
    switch (read.kind) {
        case 'match':
            return line;
        case 'pinned':
            return `${line}, pinned: ${read.reason}${read.ambiguity ? `; besides, ${read.ambiguity}` : ''}`;
        case 'ambiguous':
            return `${line}, perhaps: ${read.reason}`;
    }
}
