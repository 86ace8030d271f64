/**
 * What an IAM role of a template allows once CloudFormation has resolved it: the role's inline
 * policies rendered for given parameter values (the intrinsic functions the deploy/ templates use),
 * and a small evaluator of those policies for one request. The evaluator knows only what the
 * templates need (Allow and Deny, Action, Resource and NotResource with wildcards, the string and
 * Null condition operators on aws:ResourceTag); anything else throws, so a template that starts
 * using more is noticed instead of being judged wrongly.
 */
import { Json, Template } from '../../tools/local/template-properties';

export const PSEUDO = { 'AWS::Partition': 'aws', 'AWS::Region': 'eu-west-1', 'AWS::AccountId': '123456789012' } as const;
export const RECORD_PATH = `arn:aws:ssm:${PSEUDO['AWS::Region']}:${PSEUDO['AWS::AccountId']}:parameter/CloudFormation/Org/ECS/ServiceRestart`;
export const SERVICE_PREFIX = `arn:aws:ecs:${PSEUDO['AWS::Region']}:${PSEUDO['AWS::AccountId']}:service/`;

export interface PolicyStatement {
    Sid?: string;
    Effect: 'Allow' | 'Deny';
    Action?: string | string[];
    NotAction?: string | string[];
    Resource?: string | string[];
    NotResource?: string | string[];
    Condition?: Record<string, Record<string, string | string[]>>;
}
export interface PolicyDocument {
    Version: string;
    Statement: PolicyStatement[];
}
export interface RenderedPolicy {
    PolicyName: string;
    PolicyDocument: PolicyDocument;
}

const NO_VALUE: unique symbol = Symbol('AWS::NoValue');
type Value = Json | typeof NO_VALUE | string[];

interface Context {
    parameters: Record<string, string | string[]>;
    conditions: Record<string, Json>;
}

/** Parameter values as CloudFormation sees them: the given ones over the defaults, lists split. */
function parameterValues(template: Template, given: Record<string, string>): Record<string, string | string[]> {
    const declared = (template.Parameters ?? {}) as Record<string, { Type: string; Default?: string | number }>;
    const values: Record<string, string | string[]> = {};
    for (const [name, parameter] of Object.entries(declared)) {
        const value = given[name] ?? (parameter.Default === undefined ? undefined : String(parameter.Default));
        if (value === undefined) continue;
        values[name] = parameter.Type === 'CommaDelimitedList' ? value.split(',') : value;
    }
    for (const name of Object.keys(given)) {
        if (!(name in declared)) throw new Error(`The template declares no parameter ${name}`);
    }
    return values;
}

function resolveRef(name: string, context: Context): Value {
    if (name === 'AWS::NoValue') return NO_VALUE;
    if (name in PSEUDO) return PSEUDO[name as keyof typeof PSEUDO];
    const value = context.parameters[name];
    if (value === undefined) throw new Error(`Ref ${name}: not a parameter with a value`);
    return value;
}

function condition(name: string, context: Context): boolean {
    const definition = context.conditions[name];
    if (definition === undefined) throw new Error(`No condition ${name}`);
    return Boolean(resolve(definition, context));
}

function asString(value: Value, what: string): string {
    if (typeof value !== 'string') throw new Error(`${what}: expected a string, got ${JSON.stringify(value)}`);
    return value;
}

function asList(value: Value, what: string): string[] {
    if (!Array.isArray(value) || value.some((item) => typeof item !== 'string')) {
        throw new Error(`${what}: expected a list of strings, got ${JSON.stringify(value)}`);
    }
    return value as string[];
}

function substitute(text: string, variables: Record<string, Value>, context: Context): string {
    return text.replace(/\$\{([^}!]+)\}/g, (_match, name: string) =>
        asString(name in variables ? variables[name]! : resolveRef(name, context), `Fn::Sub \${${name}}`),
    );
}

function resolve(value: Json, context: Context): Value {
    if (Array.isArray(value)) {
        return value.map((item) => resolve(item, context)).filter((item) => item !== NO_VALUE);
    }
    if (value === null || typeof value !== 'object') return value;
    const keys = Object.keys(value);
    const [key] = keys;
    if (keys.length === 1 && key !== undefined && (key === 'Ref' || key.startsWith('Fn::') || key === 'Condition')) {
        const argument = value[key] as Json;
        switch (key) {
            case 'Ref':
                return resolveRef(asString(argument, 'Ref'), context);
            case 'Condition':
                return condition(asString(argument, 'Condition'), context);
            case 'Fn::If': {
                const [name, whenTrue, whenFalse] = argument as [string, Json, Json];
                return resolve(condition(name, context) ? whenTrue : whenFalse, context);
            }
            case 'Fn::Equals': {
                const [left, right] = (argument as Json[]).map((item) => JSON.stringify(resolve(item, context)));
                return left === right;
            }
            case 'Fn::Not':
                return !resolve((argument as Json[])[0]!, context);
            case 'Fn::And':
                return (argument as Json[]).every((item) => resolve(item, context));
            case 'Fn::Or':
                return (argument as Json[]).some((item) => resolve(item, context));
            case 'Fn::Join': {
                const [separator, items] = argument as [string, Json];
                return asList(resolve(items, context), 'Fn::Join').join(separator);
            }
            case 'Fn::Split': {
                const [separator, text] = argument as [string, Json];
                return asString(resolve(text, context), 'Fn::Split').split(separator);
            }
            case 'Fn::Sub': {
                if (typeof argument === 'string') return substitute(argument, {}, context);
                const [text, map] = argument as [string, Record<string, Json>];
                const variables: Record<string, Value> = Object.fromEntries(
                    Object.entries(map).map(([name, item]) => [name, resolve(item, context)]),
                );
                return substitute(text, variables, context);
            }
            default:
                // Fn::GetAtt and the like name other resources: kept as written.
                return value;
        }
    }
    const resolved: Record<string, Json> = {};
    for (const [name, item] of Object.entries(value)) {
        const result = resolve(item, context);
        if (result !== NO_VALUE) resolved[name] = result;
    }
    return resolved;
}

/** The inline policies of an IAM role of the template, as CloudFormation would create them with these parameters. */
export function renderRolePolicies(template: Template, logicalId: string, parameters: Record<string, string> = {}): RenderedPolicy[] {
    const role = template.Resources?.[logicalId];
    if (!role) throw new Error(`No resource ${logicalId} in the template`);
    const context: Context = {
        parameters: parameterValues(template, parameters),
        conditions: (template.Conditions ?? {}) as Record<string, Json>,
    };
    const properties = resolve(role.Properties ?? {}, context) as {
        Policies?: Array<{ PolicyName: string; PolicyDocument: Json }>;
    };
    return (properties.Policies ?? []).map((policy) => ({
        PolicyName: policy.PolicyName,
        // A policy document may be given as a JSON string (when a condition key comes from a parameter).
        PolicyDocument: (typeof policy.PolicyDocument === 'string'
            ? JSON.parse(policy.PolicyDocument)
            : policy.PolicyDocument) as PolicyDocument,
    }));
}

export const list = (value: string | string[] | undefined): string[] => (value === undefined ? [] : Array.isArray(value) ? value : [value]);

/** IAM's wildcard match: * is any run of characters (/ included), ? any one character. */
export function wildcardMatches(pattern: string, value: string, ignoreCase = false): boolean {
    const regex = pattern
        .split('')
        .map((c) => (c === '*' ? '.*' : c === '?' ? '.' : c.replace(/[.+^${}()|[\]\\]/g, '\\$&')))
        .join('');
    return new RegExp(`^${regex}$`, ignoreCase ? 'i' : '').test(value);
}

export interface AccessRequest {
    action: string;
    resource: string;
    /** The tags of the resource, for aws:ResourceTag/KEY. */
    tags?: Record<string, string>;
}

function contextValue(key: string, request: AccessRequest): string | undefined {
    const tag = /^aws:ResourceTag\/(.+)$/.exec(key);
    if (!tag) throw new Error(`The evaluator knows no condition key ${key}`);
    return request.tags?.[tag[1]!];
}

function conditionsHold(statement: PolicyStatement, request: AccessRequest): boolean {
    return Object.entries(statement.Condition ?? {}).every(([operator, keys]) =>
        Object.entries(keys).every(([key, expected]) => {
            const actual = contextValue(key, request);
            const values = list(expected);
            switch (operator) {
                case 'StringEquals':
                    return actual !== undefined && values.includes(actual);
                case 'StringNotEquals':
                    // A negated operator holds when the key is missing from the request.
                    return actual === undefined || !values.includes(actual);
                case 'StringLike':
                    return actual !== undefined && values.some((pattern) => wildcardMatches(pattern, actual));
                case 'Null':
                    return values.includes(actual === undefined ? 'true' : 'false');
                default:
                    throw new Error(`The evaluator knows no condition operator ${operator}`);
            }
        }),
    );
}

function applies(statement: PolicyStatement, request: AccessRequest): boolean {
    const actionMatches =
        statement.NotAction !== undefined
            ? !list(statement.NotAction).some((pattern) => wildcardMatches(pattern, request.action, true))
            : list(statement.Action).some((pattern) => wildcardMatches(pattern, request.action, true));
    const resourceMatches =
        statement.NotResource !== undefined
            ? !list(statement.NotResource).some((pattern) => wildcardMatches(pattern, request.resource))
            : list(statement.Resource).some((pattern) => wildcardMatches(pattern, request.resource));
    return actionMatches && resourceMatches && conditionsHold(statement, request);
}

/** IAM's decision for one request over identity policies: an explicit Deny wins, then any Allow, else denied. */
export function decide(policies: readonly RenderedPolicy[], request: AccessRequest): 'allowed' | 'denied' | 'not allowed' {
    const statements = policies.flatMap((policy) => policy.PolicyDocument.Statement);
    if (statements.some((statement) => statement.Effect === 'Deny' && applies(statement, request))) return 'denied';
    return statements.some((statement) => statement.Effect === 'Allow' && applies(statement, request)) ? 'allowed' : 'not allowed';
}
