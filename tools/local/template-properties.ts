/**
 * Validates the Properties of every Org::ECS::ServiceRestart resource of CloudFormation templates
 * against the type's schema (org-ecs-servicerestart.json), as CloudFormation would before calling a
 * handler. cfn-lint (1.5x) accepts the schema through --registry-schemas but then skips property
 * validation for a registry type: its property rule only looks up types listed in its own region
 * data, so an unknown property, a missing Services or TimeoutInMinutes: 0 pass it silently.
 *
 * Intrinsic functions (Ref, Fn::*, Condition) stand for values known only at deploy time: they are
 * replaced by placeholders, and a finding about a placeholder (or anything inside it) is dropped.
 * Read-only properties (Id, RestartedAt, ...) are refused, as CloudFormation refuses them.
 *
 *   node build/tools/local/template-properties.js TEMPLATE...
 */
import Ajv, { ErrorObject, ValidateFunction } from 'ajv';
import { readFileSync } from 'fs';
import { join } from 'path';
import { CollectionTag, ScalarTag, parse } from 'yaml';
import { REPOSITORY_ROOT } from './moto';

export const TYPE_NAME = 'Org::ECS::ServiceRestart';
export const SCHEMA_FILE = join(REPOSITORY_ROOT, 'org-ecs-servicerestart.json');

/** The short forms of the intrinsic functions and condition functions, as CloudFormation's YAML knows them. */
const FUNCTIONS = [
    'And',
    'Base64',
    'Cidr',
    'Equals',
    'FindInMap',
    'GetAZs',
    'If',
    'ImportValue',
    'Join',
    'Length',
    'Not',
    'Or',
    'Select',
    'Split',
    'Sub',
    'ToJsonString',
    'Transform',
];

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export interface TemplateResource {
    Type?: string;
    Properties?: Json;
    [key: string]: Json | undefined;
}
export interface Template {
    Resources?: Record<string, TemplateResource>;
    [key: string]: unknown;
}

function intrinsicTags(): Array<ScalarTag | CollectionTag> {
    const tag = (name: string, toJson: (value: Json) => Json): Array<ScalarTag | CollectionTag> => [
        { tag: `!${name}`, resolve: (value: string) => toJson(value) },
        { tag: `!${name}`, collection: 'seq', resolve: (value) => toJson(value.toJSON() as Json) },
        { tag: `!${name}`, collection: 'map', resolve: (value) => toJson(value.toJSON() as Json) },
    ];
    return [
        ...tag('Ref', (value) => ({ Ref: value })),
        ...tag('Condition', (value) => ({ Condition: value })),
        // !GetAtt Resource.Attribute is the scalar form of Fn::GetAtt [Resource, Attribute].
        ...tag('GetAtt', (value) => {
            if (typeof value !== 'string') return { 'Fn::GetAtt': value };
            const dot = value.indexOf('.');
            return { 'Fn::GetAtt': [value.slice(0, dot), value.slice(dot + 1)] };
        }),
        ...FUNCTIONS.flatMap((name) => tag(name, (value) => ({ [`Fn::${name}`]: value }))),
    ];
}

/** Parses a CloudFormation template, YAML (with short-form tags) or JSON, into its long form. */
export function parseTemplate(text: string): Template {
    // Scalars stay strings where CloudFormation reads them as strings: '2010-09-09' is not a date.
    const parsed = parse(text, { customTags: intrinsicTags(), schema: 'core', prettyErrors: true }) as unknown;
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
        throw new Error('A template must be a mapping with a Resources section.');
    }
    return parsed as Template;
}

export function readTemplate(file: string): Template {
    try {
        return parseTemplate(readFileSync(file, 'utf8'));
    } catch (err) {
        throw new Error(`Cannot read the template ${file}: ${err instanceof Error ? err.message : String(err)}`);
    }
}

function isIntrinsic(value: Json): boolean {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
    const keys = Object.keys(value);
    return keys.length === 1 && (keys[0] === 'Ref' || keys[0] === 'Condition' || (keys[0] ?? '').startsWith('Fn::'));
}

/** A copy of `value` with every intrinsic function replaced by a unique placeholder, and where those were. */
export function withPlaceholders(value: Json, pointer = ''): { value: Json; placeholders: string[] } {
    if (isIntrinsic(value)) {
        return { value: `{{intrinsic ${pointer}}}`, placeholders: [pointer] };
    }
    const placeholders: string[] = [];
    const child = (item: Json, key: string) => {
        const replaced = withPlaceholders(item, `${pointer}/${key.replace(/~/g, '~0').replace(/\//g, '~1')}`);
        placeholders.push(...replaced.placeholders);
        return replaced.value;
    };
    if (Array.isArray(value)) {
        return { value: value.map((item, index) => child(item, String(index))), placeholders };
    }
    if (typeof value === 'object' && value !== null) {
        return { value: Object.fromEntries(Object.entries(value).map(([key, item]) => [key, child(item, key)])), placeholders };
    }
    return { value, placeholders };
}

/** The schema of what a template may write: the type's properties without the read-only ones. */
export function writablePropertiesSchema(resourceSchema: Record<string, any>): Record<string, unknown> {
    const readOnly = new Set<string>(
        (resourceSchema.readOnlyProperties ?? []).map((pointer: string) => pointer.replace('/properties/', '')),
    );
    return {
        type: 'object',
        definitions: resourceSchema.definitions,
        properties: Object.fromEntries(Object.entries(resourceSchema.properties).filter(([name]) => !readOnly.has(name))),
        required: resourceSchema.required,
        // "At least one of Services and ServicesUsingSecrets".
        ...(resourceSchema.anyOf ? { anyOf: resourceSchema.anyOf } : {}),
        additionalProperties: false,
    };
}

export function propertiesValidator(schemaFile = SCHEMA_FILE): ValidateFunction {
    const resourceSchema = JSON.parse(readFileSync(schemaFile, 'utf8'));
    // strict: a keyword Ajv does not know fails loudly instead of being ignored; insertionOrder is the
    // registry's own annotation and constrains nothing.
    // strictRequired cannot see the root's properties from the branches of its anyOf (ajv issue #1571), so
    // it is off; scripts/generate-input-validator.js checks those names against the properties instead.
    const ajv = new Ajv({ allErrors: true, strict: true, strictRequired: false });
    ajv.addVocabulary(['insertionOrder']);
    return ajv.compile(writablePropertiesSchema(resourceSchema));
}

function describe(error: ErrorObject): string {
    const unknown = (error.params as { additionalProperty?: string }).additionalProperty;
    return `${error.instancePath} ${error.message}${unknown ? `: ${unknown} is not a property of ${TYPE_NAME}` : ''}`;
}

/** Findings for one resource's Properties, each a JSON pointer and a message: "/TimeoutInMinutes must be >= 1". */
export function validateProperties(properties: Json | undefined, validate: ValidateFunction): string[] {
    const { value, placeholders } = withPlaceholders(properties ?? {});
    if (placeholders.includes('')) return [];
    validate(value);
    const aboutPlaceholder = (path: string) => placeholders.some((pointer) => path === pointer || path.startsWith(`${pointer}/`));
    return (validate.errors ?? []).filter((error) => !aboutPlaceholder(error.instancePath)).map(describe);
}

/** Findings for every Org::ECS::ServiceRestart resource of a template, each prefixed with its logical id. */
export function validateTemplate(template: Template, validate: ValidateFunction): { resources: string[]; findings: string[] } {
    const resources = Object.entries(template.Resources ?? {}).filter(([, resource]) => resource?.Type === TYPE_NAME);
    return {
        resources: resources.map(([logicalId]) => logicalId),
        findings: resources.flatMap(([logicalId, resource]) =>
            validateProperties(resource.Properties, validate).map((finding) => `${logicalId}.Properties${finding}`),
        ),
    };
}

if (require.main === module) {
    const files = process.argv.slice(2);
    if (files.length === 0) {
        console.error('Usage: node build/tools/local/template-properties.js TEMPLATE...');
        process.exit(2);
    }
    const validate = propertiesValidator();
    let failed = false;
    for (const file of files) {
        try {
            const { resources, findings } = validateTemplate(readTemplate(file), validate);
            findings.forEach((finding) => console.log(`${file}: ${finding}`));
            failed ||= findings.length > 0;
            console.log(`${file}: ${resources.length} ${TYPE_NAME} resource(s), ${findings.length} finding(s)`);
        } catch (err) {
            console.error(err instanceof Error ? err.message : String(err));
            failed = true;
        }
    }
    process.exit(failed ? 1 : 0);
}
