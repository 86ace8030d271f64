/**
 * Every template under deploy/ and examples/ passes cfn-lint (errors and warnings), and every
 * Org::ECS::ServiceRestart resource in them is valid against the type's schema. cfn-lint alone is not
 * enough for the latter: cfn-lint 1.58 looks schemas up for property rules only among the types of its
 * region data (get_resource_schemas_by_regions), where a registry type never is, so with
 * --registry-schemas it still says nothing of an unknown property or a missing Services.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { REPOSITORY_ROOT } from '../../tools/local/moto';
import {
    parseTemplate,
    propertiesValidator,
    readTemplate,
    validateProperties,
    validateTemplate,
} from '../../tools/local/template-properties';
import { cfnLint, formatMatches, registrySchemasFolder, shippedTemplates } from './support';

const templates = shippedTemplates();
const validate = propertiesValidator();
let registrySchemas: string;
let scratch: string;

beforeAll(() => {
    registrySchemas = registrySchemasFolder();
    scratch = mkdtempSync(join(tmpdir(), 'templates-'));
});

afterAll(() => {
    rmSync(registrySchemas, { recursive: true, force: true });
    rmSync(scratch, { recursive: true, force: true });
});

function scratchTemplate(name: string, text: string): string {
    const file = join(scratch, name);
    writeFileSync(file, text);
    return file;
}

const BROKEN_RESTART = `
AWSTemplateFormatVersion: '2010-09-09'
Resources:
    Restart:
        Type: Org::ECS::ServiceRestart
        Properties:
            Cluster: demo
            Bogus: 1
            TimeoutInMinutes: 0
`;

describe('cfn-lint', () => {
    it('finds nothing in any shipped template', () => {
        expect(templates.length).toBeGreaterThanOrEqual(9);
        expect(formatMatches(cfnLint(templates, ['--registry-schemas', registrySchemas]))).toEqual([]);
    }, 120_000);

    it('does check the properties of AWS types (so the run above is not vacuous)', () => {
        const broken = scratchTemplate(
            'bucket.yaml',
            'Resources:\n    Bucket:\n        Type: AWS::S3::Bucket\n        Properties:\n            Versioning: true\n',
        );
        expect(cfnLint([broken]).map((match) => match.Rule.Id)).toContain('E3002');
    }, 60_000);

    it.each(templates)('%s explains in a comment every check it tells cfn-lint to ignore', (file) => {
        const text = readFileSync(join(REPOSITORY_ROOT, file), 'utf8');
        const ignored = [...text.matchAll(/ignore_checks:\s*\[?([^\]\n]*)/g)].flatMap((match) =>
            (match[1] ?? '').split(/[\s,]+/).filter(Boolean),
        );
        const explained = (rule: string) => text.split('\n').some((line) => line.trimStart().startsWith('#') && line.includes(rule));
        expect(ignored.filter((rule) => !explained(rule))).toEqual([]);
    });
});

describe('Org::ECS::ServiceRestart properties against the schema', () => {
    it.each(templates)('%s', (file) => {
        expect(validateTemplate(readTemplate(join(REPOSITORY_ROOT, file)), validate).findings).toEqual([]);
    });

    it('covers every example that declares the type', () => {
        const declaring = templates.filter(
            (file) => validateTemplate(readTemplate(join(REPOSITORY_ROOT, file)), validate).resources.length > 0,
        );
        expect(declaring).toEqual(
            expect.arrayContaining([
                'examples/failing-deployment.yaml',
                'examples/migration/2-side-by-side.yaml',
                'examples/migration/3-after.yaml',
                'examples/rotate-once-restart-everywhere/member-account.yaml',
                'examples/secret-rotation-pipeline.yaml',
                'examples/services-using-secret.yaml',
                'examples/waves.yaml',
            ]),
        );
    });

    it('refuses an unknown property, a missing Services and TimeoutInMinutes 0', () => {
        expect(validateTemplate(parseTemplate(BROKEN_RESTART), validate).findings).toEqual([
            "Restart.Properties must have required property 'Services'",
            "Restart.Properties must have required property 'ServicesUsingSecrets'",
            'Restart.Properties must match a schema in anyOf',
            'Restart.Properties must NOT have additional properties: Bogus is not a property of Org::ECS::ServiceRestart',
            'Restart.Properties/TimeoutInMinutes must be >= 1',
        ]);
    });

    it.each([
        ['a read-only property', { Cluster: 'c', Services: ['s'], Id: '00000000-0000-4000-8000-000000000000' }, /Id is not a property/],
        [
            'more than 100 services',
            { Cluster: 'c', Services: Array.from({ length: 101 }, (_, i) => `s${i}`) },
            /\/Services must NOT have more than 100 items/,
        ],
        ['a service listed twice', { Cluster: 'c', Services: ['web', 'web'] }, /\/Services must NOT have duplicate items/],
        [
            'a Triggers value that is not a string',
            { Cluster: 'c', Services: ['s'], Triggers: { Version: 3 } },
            /\/Triggers\/Version must be string/,
        ],
        ['an invalid cluster name', { Cluster: 'my cluster', Services: ['s'] }, /\/Cluster must match pattern/],
        [
            'a secret given by its name',
            { Cluster: 'c', ServicesUsingSecrets: ['db-password'] },
            /\/ServicesUsingSecrets\/0 must match pattern/,
        ],
        [
            'MaxConcurrentRestarts 1001',
            { Cluster: 'c', Services: ['s'], MaxConcurrentRestarts: 1001 },
            /\/MaxConcurrentRestarts must be <= 1000/,
        ],
    ])('refuses %s', (_label, properties, expected) => {
        expect(validateProperties(properties, validate).join('\n')).toMatch(expected);
    });

    it('treats intrinsic functions as values known at deploy time, and still checks what is literal', () => {
        const template = parseTemplate(`
Resources:
    Restart:
        Type: Org::ECS::ServiceRestart
        Properties:
            Cluster: !Ref ClusterName
            Services: !Split [',', !Ref ServiceNames]
            TimeoutInMinutes: !If [Long, 600, 30]
            Triggers:
                Version: !GetAtt Secret.VersionId
                Pipeline: !Sub '\${AWS::StackName}'
            MaxConcurrentRestarts: 0
`);
        expect(validateTemplate(template, validate).findings).toEqual(['Restart.Properties/MaxConcurrentRestarts must be >= 1']);
    });
});
