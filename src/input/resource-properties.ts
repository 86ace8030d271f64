import { InvalidInputError } from '../restart/errors';
import { SchemaError, validateResourceProperties } from './generated/validate-resource-properties';

/** The resource properties as the schema defines them, validated and typed; no default is applied. */
export interface ResourceProperties {
    Cluster: string;
    /** At least one of Services and ServicesUsingSecrets is present. */
    Services?: string[];
    ServicesUsingSecrets?: string[];
    /** A null-prototype record: keys such as `constructor` or `__proto__` are ordinary keys. */
    Triggers?: Readonly<Record<string, string>>;
    WaitForSteadyState?: boolean;
    TimeoutInMinutes?: number;
    MaxConcurrentRestarts?: number;
    OnStackRollback?: 'Skip' | 'Restart';
    // Read-only: present in a previous model or one that Read returned.
    Id?: string;
    RestartedAt?: string;
    ServiceArns?: string[];
    DeploymentIds?: string[];
}

/** CloudFormation shows at most 1,024 characters of a status message. */
export const MAX_MESSAGE_CHARACTERS = 1000;
const MAX_VALUE_CHARACTERS = 80;
const MAX_KEY_CHARACTERS = 40;
// Valid properties nest three levels (Triggers > key > value); anything far deeper is refused
// before it is walked, which also stops a cyclic object.
const MAX_DEPTH = 32;

type Path = readonly string[];
type JsonObject = { [key: string]: JsonValue };
type JsonValue = string | number | boolean | null | JsonValue[] | JsonObject;

/**
 * Validates the raw `resourceProperties` of a request (before the handler library's model
 * transform, which drops unknown properties and reshapes wrong types) against the resource
 * schema, converting the strings CloudFormation sends for integers and booleans ("15", "true").
 * Throws InvalidInputError naming every offending value (trimmed) and what would be valid.
 */
export function parseResourceProperties(raw: unknown): ResourceProperties {
    if (raw === undefined || raw === null) {
        throw new InvalidInputError(
            'The request has no resource properties: Cluster and at least one of Services and ServicesUsingSecrets are required.',
        );
    }
    // The validator converts scalars in place; the copy keeps the caller's event as it came, and its
    // objects have no prototype, so a key such as `__proto__` is only ever an own property.
    const data = copyJson(raw, [], 0);
    if (validateResourceProperties(data)) {
        const problems = nonStringConversions(raw, data, []);
        if (problems.length === 0) {
            return propertiesOf(data as JsonObject);
        }
        throw new InvalidInputError(messageOf(problems));
    }
    const conversions = nonStringConversions(raw, data, []);
    const converted = new Set(conversions.map((problem) => problem.path.join('\u0000')));
    // An error about a value that was wrongly converted describes the converted value: the type error says it better.
    const schemaProblems = (validateResourceProperties.errors ?? [])
        // A branch of an anyOf failing says less than the anyOf itself, which is reported as one sentence.
        .filter((error) => !/\/anyOf\/\d+\//.test(error.schemaPath))
        .map((error) => problemOf(error, raw))
        .filter((problem) => !(problem.kind === 'value' && converted.has(problem.path.join('\u0000'))));
    throw new InvalidInputError(messageOf([...conversions, ...schemaProblems]));
}

/** Every property the schema let through (it refuses unknown ones): no second list to keep in step with it. */
function propertiesOf(data: JsonObject): ResourceProperties {
    const properties = Object.create(null) as Record<string, unknown>;
    for (const name of Object.keys(data)) {
        properties[name] = data[name];
    }
    return properties as unknown as ResourceProperties;
}

/** A copy made of JSON values only, with null-prototype objects; anything else is refused. */
function copyJson(value: unknown, path: Path, depth: number): JsonValue {
    if (depth > MAX_DEPTH) {
        throw new InvalidInputError(
            `${describePath(path)} is nested more than ${MAX_DEPTH} levels deep: resource properties are at most three levels deep.`,
        );
    }
    switch (typeof value) {
        case 'string':
        case 'boolean':
            return value;
        case 'number':
            if (Number.isFinite(value)) {
                return value;
            }
            break;
        case 'object': {
            if (value === null) {
                return null;
            }
            if (Array.isArray(value)) {
                const items: JsonValue[] = [];
                for (let index = 0; index < value.length; index++) {
                    items.push(copyJson(value[index], [...path, String(index)], depth + 1));
                }
                return items;
            }
            // A plain object: its prototype is null or an Object.prototype (of any realm), not a class's.
            const prototype: unknown = Object.getPrototypeOf(value);
            if (prototype !== null && Object.getPrototypeOf(prototype) !== null) {
                break;
            }
            const copy = Object.create(null) as JsonObject;
            for (const key of Object.keys(value)) {
                const item = (value as Record<string, unknown>)[key];
                // As in JSON, a property whose value is undefined is absent.
                if (item !== undefined) {
                    copy[key] = copyJson(item, [...path, key], depth + 1);
                }
            }
            return copy;
        }
    }
    throw new InvalidInputError(
        `${describePath(path)} is ${kindOf(value)}: resource properties are JSON values (strings, numbers, true/false, null, lists and objects).`,
    );
}

function kindOf(value: unknown): string {
    if (typeof value === 'number') return String(value);
    if (typeof value === 'object' && value !== null) return `an object of type ${value.constructor?.name ?? 'unknown'}`;
    return typeof value === 'undefined' ? 'undefined' : `a ${typeof value}`;
}

/** One thing wrong with the input, in words. */
type Problem =
    /** The value at `path` breaks the rule `requirement` ("be a whole number from 1 to 600"). */
    | { kind: 'value'; path: Path; value: unknown; requirement: string }
    /** A sentence of its own (a missing or unknown property, a duplicate). */
    | { kind: 'statement'; path: Path; text: string };

/**
 * Ajv's scalar coercion (`coerceTypes: true`) also turns numbers and booleans into strings, null into
 * "", 0 or false, and true into 1. CloudFormation sends strings, so only a string may have been
 * converted: any other conversion is reported as the type error it is.
 */
function nonStringConversions(original: unknown, converted: unknown, path: Path): Problem[] {
    if (Array.isArray(original) && Array.isArray(converted)) {
        return original.flatMap((item, index) => nonStringConversions(item, converted[index], [...path, String(index)]));
    }
    if (isObject(original) && isObject(converted)) {
        return Object.keys(original).flatMap((key) => nonStringConversions(original[key], converted[key], [...path, key]));
    }
    if (original === converted || typeof original === 'string' || original === undefined) {
        return [];
    }
    return [{ kind: 'value', path, value: original, requirement: `be ${typeInWords(jsonTypeOf(converted))}` }];
}

function isObject(value: unknown): value is Record<string, unknown> {
    return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function jsonTypeOf(value: unknown): string {
    if (value === null) return 'null';
    if (Array.isArray(value)) return 'array';
    if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number';
    return typeof value;
}

function typeInWords(type: unknown): string {
    const words: Record<string, string> = {
        string: 'a string',
        integer: 'a whole number',
        number: 'a number',
        boolean: 'true or false',
        array: 'a list',
        object: 'an object of key-value pairs',
        null: 'null',
    };
    const types = Array.isArray(type) ? type : [type];
    return types.map((name) => words[String(name)] ?? String(name)).join(' or ');
}

function problemOf(error: SchemaError, raw: unknown): Problem {
    const path = pathOf(error.instancePath);
    const schema = error.parentSchema ?? {};
    const value = valueAt(raw, path);
    const requirement = (text: string): Problem => ({ kind: 'value', path, value, requirement: text });
    switch (error.keyword) {
        case 'type': {
            const range =
                typeof schema.minimum === 'number' || typeof schema.maximum === 'number'
                    ? ` ${rangeInWords(schema.minimum, schema.maximum, 'from')}`
                    : '';
            return requirement(`be ${typeInWords(error.params.type)}${range}`);
        }
        case 'pattern':
            return requirement(`match ${String(error.params.pattern)}${inParentheses(schema.description)}`);
        case 'minLength':
        case 'maxLength':
            return requirement(`be ${rangeInWords(schema.minLength, schema.maxLength)} characters long`);
        case 'minimum':
        case 'maximum':
            return requirement(
                `be ${schema.type === 'integer' ? 'a whole number' : 'a number'} ${rangeInWords(schema.minimum, schema.maximum, 'from')}`,
            );
        case 'minItems':
        case 'maxItems':
            return requirement(`list ${rangeInWords(schema.minItems, schema.maxItems)} items`);
        case 'maxProperties':
        case 'minProperties':
            return requirement(`have ${rangeInWords(schema.minProperties, schema.maxProperties)} keys`);
        case 'required': {
            const name = String(error.params.missingProperty);
            const property = isObject(schema.properties) ? schema.properties[name] : undefined;
            const description = isObject(property) ? inParentheses(property.description) : '';
            return { kind: 'statement', path, text: `${describePath([...path, name])} is required${description}.` };
        }
        case 'additionalProperties':
            return { kind: 'statement', path, text: unknownKeyInWords(path, String(error.params.additionalProperty), schema) };
        case 'uniqueItems': {
            // Ajv reports the later item as i and the earlier one as j.
            const [first, second] = [Number(error.params.j), Number(error.params.i)];
            return {
                kind: 'statement',
                path,
                text: `${describePath([...path, String(first)])} and ${describePath([...path, String(second)])} are both ${describeValue(valueAt(raw, [...path, String(first)]))}: list each item once.`,
            };
        }
        case 'anyOf': {
            const alternatives = requiredAlternatives(error.schema);
            if (alternatives) {
                const names = alternatives.map((name) => describePath([...path, name]));
                const listed = `${names.slice(0, -1).join(', ')} and ${names[names.length - 1] ?? ''}`;
                return { kind: 'statement', path, text: `At least one of ${listed} is required.` };
            }
            return requirement(`satisfy the schema rule anyOf`);
        }
        default:
            return requirement(`satisfy the schema rule ${error.keyword} ${trim(JSON.stringify(error.params), MAX_VALUE_CHARACTERS)}`);
    }
}

/** The names of an anyOf whose every branch requires exactly one property, e.g. Services or ServicesUsingSecrets. */
function requiredAlternatives(branches: unknown): string[] | undefined {
    if (!Array.isArray(branches) || branches.length < 2) return undefined;
    const names = branches.map((branch) =>
        isObject(branch) && Object.keys(branch).length === 1 && Array.isArray(branch.required) && branch.required.length === 1
            ? String(branch.required[0])
            : undefined,
    );
    return names.every((name): name is string => name !== undefined) ? names : undefined;
}

/** A schema description as an aside: ` (An ECS service name …)`, or nothing. */
function inParentheses(description: unknown): string {
    return typeof description === 'string' && description !== '' ? ` (${description.replace(/\.$/, '')})` : '';
}

function rangeInWords(min: unknown, max: unknown, from = ''): string {
    if (typeof min === 'number' && typeof max === 'number') return `${from ? `${from} ` : ''}${min} to ${max}`.trimStart();
    if (typeof max === 'number') return `at most ${max}`;
    return `at least ${String(min)}`;
}

function unknownKeyInWords(path: Path, key: string, schema: Record<string, unknown>): string {
    const shown = `'${trim(escape(key), MAX_KEY_CHARACTERS)}'`;
    if (isObject(schema.patternProperties)) {
        const patterns = Object.keys(schema.patternProperties).join(' or ');
        return `${describePath(path)} has the key ${shown}: keys must match ${patterns}${inParentheses(schema.description)}.`;
    }
    const readOnly = new Set(
        (Array.isArray(schema.readOnlyProperties) ? schema.readOnlyProperties : []).map((pointer) =>
            String(pointer).replace('/properties/', ''),
        ),
    );
    const names = Object.keys(isObject(schema.properties) ? schema.properties : {});
    const inputs = names.filter((name) => !readOnly.has(name));
    const where = path.length === 0 ? 'The resource properties have' : `${describePath(path)} has`;
    return `${where} the unknown property ${shown}: the properties are ${inputs.join(', ')}${readOnly.size > 0 ? ` and the read-only ${[...readOnly].join(', ')}` : ''}.`;
}

/** An Ajv instancePath (a JSON pointer) as its keys. */
function pathOf(instancePath: string): string[] {
    return instancePath === ''
        ? []
        : instancePath
              .slice(1)
              .split('/')
              .map((part) => part.replace(/~1/g, '/').replace(/~0/g, '~'));
}

function valueAt(root: unknown, path: Path): unknown {
    let value = root;
    for (const key of path) {
        if (typeof value !== 'object' || value === null || !Object.prototype.hasOwnProperty.call(value, key)) {
            return undefined;
        }
        value = (value as Record<string, unknown>)[key];
    }
    return value;
}

/** `Services[0]`, `Triggers.constructor`, `Triggers['a b']`. */
function describePath(path: Path): string {
    if (path.length === 0) {
        return 'The resource properties';
    }
    return path
        .map((key, index) => {
            if (/^(0|[1-9][0-9]*)$/.test(key)) return `[${key}]`;
            if (/^[A-Za-z_][A-Za-z0-9_]*$/.test(key) && key.length <= MAX_KEY_CHARACTERS) return index === 0 ? key : `.${key}`;
            return `['${trim(escape(key), MAX_KEY_CHARACTERS)}']`;
        })
        .join('');
}

/** `'aaaa…' (100000 characters)`, `["v1"] (a list of 1 item)`, `15`. */
function describeValue(value: unknown): string {
    if (typeof value === 'string') {
        const escaped = escape(value);
        const shown = trim(escaped, MAX_VALUE_CHARACTERS);
        return shown === escaped ? `'${shown}'` : `'${shown}' (${codePointLength(value)} characters)`;
    }
    const json = trim(JSON.stringify(value) ?? String(value), MAX_VALUE_CHARACTERS);
    if (Array.isArray(value)) {
        return `${json} (a list of ${value.length} item${value.length === 1 ? '' : 's'})`;
    }
    if (isObject(value)) {
        const count = Object.keys(value).length;
        return `${json} (an object with ${count} key${count === 1 ? '' : 's'})`;
    }
    return json;
}

/** Control characters and quotes made visible, as JSON would write them (without the quotes). */
function escape(text: string): string {
    return JSON.stringify(text.length > 4 * MAX_VALUE_CHARACTERS ? text.slice(0, 4 * MAX_VALUE_CHARACTERS) : text)
        .slice(1, -1)
        .replace(/'/g, "\\'");
}

/** At most `max` UTF-16 units, ending in an ellipsis when cut, never splitting a surrogate pair. */
function trim(text: string, max: number): string {
    if (text.length <= max) {
        return text;
    }
    let end = max - 1;
    const last = text.charCodeAt(end - 1);
    if (last >= 0xd800 && last <= 0xdbff) {
        end--;
    }
    return `${text.slice(0, end)}…`;
}

function codePointLength(text: string): number {
    let length = 0;
    for (let index = 0; index < text.length; index++) {
        const code = text.charCodeAt(index);
        // A high surrogate followed by a low one is one character.
        if (code >= 0xd800 && code <= 0xdbff && index + 1 < text.length && (text.charCodeAt(index + 1) & 0xfc00) === 0xdc00) {
            index++;
        }
        length++;
    }
    return length;
}

/** Values that break the same rules, e.g. several Services items that match no name or ARN. */
interface ValueGroup {
    requirements: string;
    values: Array<{ path: Path; value: unknown }>;
}

/** Every problem in one message under CloudFormation's limit: each value once, each rule once. */
function messageOf(problems: Problem[]): string {
    const requirementsByPath = new Map<string, { path: Path; value: unknown; requirements: string[] }>();
    for (const problem of problems) {
        if (problem.kind === 'value') {
            const key = problem.path.join('\u0000');
            const entry = requirementsByPath.get(key) ?? { path: problem.path, value: problem.value, requirements: [] };
            if (!entry.requirements.includes(problem.requirement)) entry.requirements.push(problem.requirement);
            requirementsByPath.set(key, entry);
        }
    }
    const groups = new Map<string, ValueGroup>();
    for (const { path, value, requirements } of requirementsByPath.values()) {
        const key = requirements.join(', and ');
        const group = groups.get(key) ?? { requirements: key, values: [] };
        group.values.push({ path, value });
        groups.set(key, group);
    }
    const statements = problems.flatMap((problem) => (problem.kind === 'statement' ? [problem.text] : []));
    return foldMessages([...[...groups.values()].map(sentenceOf), ...statements]);
}

const MAX_VALUES_PER_SENTENCE = 3;

function sentenceOf({ requirements, values }: ValueGroup): string {
    const subjects = values
        .slice(0, MAX_VALUES_PER_SENTENCE)
        .map(({ path, value }) =>
            path.length === 0 ? `The resource properties are ${describeValue(value)}` : `${describePath(path)} is ${describeValue(value)}`,
        );
    const more = values.length - subjects.length;
    const [only] = values;
    if (values.length === 1 && only) {
        return `${subjects[0]}: ${only.path.length === 0 ? 'they' : 'it'} must ${requirements}.`;
    }
    const listed =
        more > 0 ? `${subjects.join(', ')} and ${more} more` : `${subjects.slice(0, -1).join(', ')} and ${subjects[subjects.length - 1]}`;
    return `${listed}: each must ${requirements}.`;
}

function foldMessages(texts: string[]): string {
    const notShown = (count: number) => (count > 0 ? ` (${count} more not shown)` : '');
    let message = 'Invalid resource properties: ';
    for (let index = 0; index < texts.length; index++) {
        const next = (index === 0 ? '' : ' ') + texts[index];
        const rest = texts.length - index - 1;
        if (message.length + next.length + notShown(rest).length <= MAX_MESSAGE_CHARACTERS) {
            message += next;
        } else if (index === 0) {
            return trim(message + next, MAX_MESSAGE_CHARACTERS - notShown(rest).length) + notShown(rest);
        } else {
            // The previous step kept room for this suffix.
            return message + notShown(rest + 1);
        }
    }
    return message;
}
