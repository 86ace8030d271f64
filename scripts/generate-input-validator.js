#!/usr/bin/env node
// Compiles the resource schema into a standalone validator module (Ajv standalone code), so the
// handler validates the raw resourceProperties against the schema file itself without compiling the
// schema at cold start and without shipping Ajv's compiler: the module needs only two small Ajv
// runtime helper (string length in code points).
// Usage: scripts/generate-input-validator.js SCHEMA_FILE OUTPUT_FILE
'use strict';
const fs = require('fs');
const path = require('path');
const Ajv = require('ajv').default;
const standaloneCode = require('ajv/dist/standalone').default;
const ajvVersion = require('ajv/package.json').version;

const [schemaFile, outputFile] = process.argv.slice(2);
if (!schemaFile || !outputFile) {
    console.error('usage: generate-input-validator.js SCHEMA_FILE OUTPUT_FILE');
    process.exit(2);
}

/**
 * The keywords the CloudFormation resource-provider meta-schema adds to draft-07
 * (provider.definition.schema.v1.json and the property subset of base.definition.schema.v1.json).
 * They describe the resource to CloudFormation and constrain no value, so they are registered as
 * annotation-only keywords rather than stripped: the schema is compiled exactly as committed, a
 * stripper would have to tell a keyword from a property of the same name (a property may be
 * called "handlers"), and strict mode stays on to catch a misspelt validation keyword.
 */
const CLOUDFORMATION_KEYWORDS = [
    // Resource level.
    'typeName',
    'sourceUrl',
    'documentationUrl',
    'taggable',
    'tagging',
    'replacementStrategy',
    'handlers',
    'remote',
    'readOnlyProperties',
    'writeOnlyProperties',
    'createOnlyProperties',
    'conditionalCreateOnlyProperties',
    'deprecatedProperties',
    'nonPublicProperties',
    'nonPublicDefinitions',
    'primaryIdentifier',
    'additionalIdentifiers',
    'resourceLink',
    'propertyTransform',
    'typeConfiguration',
    // Property level.
    'insertionOrder',
    'arrayType',
    'relationshipRef',
];

const schema = JSON.parse(fs.readFileSync(schemaFile, 'utf8'));

// What strictRequired would have checked: every name the root requires, directly or in a branch of
// its anyOf/oneOf/allOf, is one of its properties (a misspelt name would make the property mandatory).
const requiredNames = [schema, ...['anyOf', 'oneOf', 'allOf'].flatMap((keyword) => schema[keyword] ?? [])].flatMap(
    (part) => part.required ?? [],
);
const undefinedNames = requiredNames.filter((name) => !Object.prototype.hasOwnProperty.call(schema.properties ?? {}, name));
if (undefinedNames.length > 0) {
    console.error(`${schemaFile}: required names that are not properties: ${undefinedNames.join(', ')}`);
    process.exit(1);
}

// The default export is Ajv's draft-07 class: the draft the CloudFormation meta-schema declares
// ($schema http://json-schema.org/draft-07/schema#), whose definitions/$ref the resource schema uses.
const ajv = new Ajv({
    strict: true,
    // strictRequired does not see properties defined next to an anyOf whose branches are only
    // `required` (ajv issues #1571 and #1767, a documented limitation in 8.20.0: it looks in the branch
    // and in definedProperties, which the root's `properties` has not filled yet when anyOf compiles).
    // The schema's "at least one of Services and ServicesUsingSecrets" is exactly that shape, so the
    // check is done below instead, for the root's required names.
    strictRequired: false,
    // Every problem is reported in one message, not one per attempt.
    allErrors: true,
    // CloudFormation passes every scalar as a string ("15", "true"). `true` converts between scalar
    // types only; "array" would also wrap a scalar into a list and unwrap a one-item list.
    coerceTypes: true,
    // A key of the data is only a property if it is its own, never one found on a prototype.
    ownProperties: true,
    // The error message is worded from the failing subschema (its pattern, limits, description).
    verbose: true,
    // The messages are written by the caller; Ajv's English ones would only add code.
    messages: false,
    code: { source: true, esm: true, lines: true },
});
ajv.addVocabulary(CLOUDFORMATION_KEYWORDS);
// Resource schemas leave the root untyped (CloudFormation always sends an object), which strict mode
// refuses for the root's properties/required; the one keyword added here states that implied type.
const validate = ajv.compile({ ...schema, type: 'object' });

const header = [
    '// @ts-nocheck',
    `// This is a generated file: scripts/generate-input-validator.js (Ajv ${ajvVersion} standalone code) writes it`,
    `// from ${path.basename(schemaFile)} when \`make generate\` runs. Do not edit it; change the schema and regenerate.`,
].join('\n');

// Typed entry point for the TypeScript caller; the file is @ts-nocheck, so these types are what is checked.
const typedExport = `
/** An error of the validator: Ajv's ErrorObject with verbose fields (schema, parentSchema, data). */
export interface SchemaError {
    keyword: string;
    instancePath: string;
    schemaPath: string;
    params: Record<string, unknown>;
    schema?: unknown;
    parentSchema?: Record<string, unknown>;
    data?: unknown;
}

/** Validates resource properties against the schema; coerces string scalars in place. */
export const validateResourceProperties = validate as ((data: unknown) => boolean) & { errors?: SchemaError[] | null };
`;

/**
 * Ajv's uniqueItems (and enum/const) compare with fast-deep-equal, which calls valueOf/toString
 * without checking that they are functions: a JSON object with a "valueOf" key, or an object without
 * a prototype, makes it throw a TypeError instead of reporting an error (ajv issue #2624, open for
 * Ajv 8.20.0; fast-deep-equal issue #111). Node's own deep equality compares own properties only.
 */
const AJV_EQUAL = 'require("ajv/dist/runtime/equal").default';
const SAFE_EQUAL = 'require("util").isDeepStrictEqual';
const code = standaloneCode(ajv, validate).split(AJV_EQUAL).join(SAFE_EQUAL);
if (code.includes('runtime/equal')) {
    console.error(`${outputFile}: Ajv now refers to its equality helper differently; review the fast-deep-equal replacement`);
    process.exit(1);
}

fs.mkdirSync(path.dirname(outputFile), { recursive: true });
fs.writeFileSync(outputFile, `${header}\n${code}\n${typedExport}`);
console.log(`${outputFile}: validator of ${schemaFile} written`);
