/**
 * What the deploy/ templates promise beyond cfn-lint: the execution role may do exactly what the
 * schema's handlers declare, the package bucket is readable only inside the organisation and only
 * over TLS, the StackSet is service-managed and passes register-type.yaml the parameters it needs,
 * and register-type.yaml names nothing, so it deploys to many regions of one account.
 */
import { join } from 'path';
import { REPOSITORY_ROOT } from '../../tools/local/moto';
import { Json, Template, TemplateResource, readTemplate } from '../../tools/local/template-properties';
import { readSchema } from './support';
import { AccessRequest, PSEUDO, RECORD_PATH, RenderedPolicy, SERVICE_PREFIX, decide, renderRolePolicies, wildcardMatches } from './policy';

const registerType = readTemplate(join(REPOSITORY_ROOT, 'deploy', 'register-type.yaml'));
const packageBucket = readTemplate(join(REPOSITORY_ROOT, 'deploy', 'package-bucket.yaml'));
const orgRollout = readTemplate(join(REPOSITORY_ROOT, 'deploy', 'org-rollout.yaml'));
const generatedRole = readTemplate(join(REPOSITORY_ROOT, 'resource-role.yaml'));

type Statement = {
    Effect: string;
    Action: string | string[];
    Resource?: Json;
    Principal?: Json;
    Condition?: Record<string, Record<string, Json>>;
};

const list = (value: string | string[] | undefined): string[] => (value === undefined ? [] : Array.isArray(value) ? value : [value]);
const clone = <T>(value: T): T => JSON.parse(JSON.stringify(value));

function resource(template: Template, logicalId: string): TemplateResource & { Properties: Record<string, any> } {
    const found = template.Resources?.[logicalId];
    if (!found) throw new Error(`No resource ${logicalId} in the template`);
    return found as TemplateResource & { Properties: Record<string, any> };
}

/** The union of handlers.*.permissions, sorted. */
function handlerPermissions(schema: ReturnType<typeof readSchema>): string[] {
    return [...new Set(Object.values(schema.handlers).flatMap((handler) => handler.permissions))].sort();
}

/** Parameter values that turn on every optional restriction of register-type.yaml. */
const RESTRICTED = { RestartableClusters: 'prod,payments-prod', RestartTagKey: 'restart:allowed', RestartTagValue: 'yes' };

/**
 * Every action an IAM role's inline policies allow, sorted: the same with the parameters' defaults
 * and with every restriction on (a restriction narrows resources, never the actions), else it throws.
 */
function roleActions(template: Template, logicalId: string): string[] {
    const actionsWith = (parameters: Record<string, string>) => {
        const statements = renderRolePolicies(template, logicalId, parameters)
            .flatMap((policy) => policy.PolicyDocument.Statement)
            .filter((statement) => statement.Effect === 'Allow');
        return [...new Set(statements.flatMap((statement) => list(statement.Action)))].sort();
    };
    const byDefault = actionsWith({});
    const declared = Object.keys(template.Parameters ?? {});
    const restricted = actionsWith(Object.fromEntries(Object.entries(RESTRICTED).filter(([name]) => declared.includes(name))));
    if (JSON.stringify(byDefault) !== JSON.stringify(restricted)) {
        throw new Error(`${logicalId} allows other actions when restricted: ${restricted.join(', ')} instead of ${byDefault.join(', ')}`);
    }
    return byDefault;
}

function permissionDrift(schema: ReturnType<typeof readSchema>, template: Template): { missing: string[]; extra: string[] } {
    const wanted = handlerPermissions(schema);
    const granted = roleActions(template, 'ExecutionRole');
    return { missing: wanted.filter((a) => !granted.includes(a)), extra: granted.filter((a) => !wanted.includes(a)) };
}

const WRITE_ACTIONS = ['ssm:PutParameter', 'ssm:DeleteParameter', 'ssm:DeleteParameters', 'ecs:UpdateService'];
const OTHER_ACCOUNT = '210987654321';

/** The resources an Allow statement may name for SSM: the records (and their parts), the path itself for LIST, a record's parts path for DELETE. */
function ssmResourceAllowed(action: string, resourceArn: string): boolean {
    if (resourceArn === `${RECORD_PATH}/*`) return action !== 'ssm:GetParametersByPath';
    const listed = [RECORD_PATH, `${RECORD_PATH}/`, `${RECORD_PATH}/*/parts`];
    return action === 'ssm:GetParametersByPath' && listed.includes(resourceArn);
}

/** What the statements of the execution role may not say, with one set of parameters. */
function statementProblems(policies: readonly RenderedPolicy[], label: string): string[] {
    const problems: string[] = [];
    for (const statement of policies.flatMap((policy) => policy.PolicyDocument.Statement)) {
        if (statement.Effect !== 'Allow') continue;
        const name = statement.Sid ?? JSON.stringify(statement.Action);
        if (statement.NotAction !== undefined || statement.NotResource !== undefined) {
            problems.push(`${label}: the Allow ${name} uses NotAction or NotResource`);
        }
        const actions = list(statement.Action);
        const resources = list(statement.Resource);
        for (const action of actions.filter((a) => a.toLowerCase().startsWith('ssm:') || a === '*')) {
            for (const resourceArn of resources.filter((r) => !ssmResourceAllowed(action, r))) {
                problems.push(`${label}: an SSM statement reaches beyond the records' path: ${action} on ${resourceArn}`);
            }
        }
        for (const write of WRITE_ACTIONS.filter((w) => actions.some((a) => wildcardMatches(a, w, true)))) {
            if (resources.some((r) => r === '*')) problems.push(`${label}: the write action ${write} is allowed on *`);
            if (write === 'ecs:UpdateService' && resources.some((r) => !r.startsWith(SERVICE_PREFIX))) {
                problems.push(`${label}: ecs:UpdateService is allowed beyond this account and region's services: ${resources.join(', ')}`);
            }
        }
    }
    return problems;
}

type Probe = [string, AccessRequest, 'allowed' | 'refused'];
const parameterArn = (name: string, account: string = PSEUDO['AWS::AccountId']) =>
    `arn:aws:ssm:${PSEUDO['AWS::Region']}:${account}:parameter/${name.replace(/^\//, '')}`;
const update = (service: string, tags?: Record<string, string>): AccessRequest => ({
    action: 'ecs:UpdateService',
    resource: `${SERVICE_PREFIX}${service}`,
    ...(tags ? { tags } : {}),
});

/** What the role must and must not let the handlers do, for each set of parameters. */
const PROBES: Array<[string, Record<string, string>, Probe[]]> = [
    [
        'by default',
        {},
        [
            ['write a record', { action: 'ssm:PutParameter', resource: `${RECORD_PATH}/0190-id` }, 'allowed'],
            [
                'write a part of a record',
                { action: 'ssm:PutParameter', resource: `${RECORD_PATH}/0190-id/parts/a1b2c3d4e5f6/2` },
                'allowed',
            ],
            ['delete a record', { action: 'ssm:DeleteParameter', resource: `${RECORD_PATH}/0190-id` }, 'allowed'],
            ['read a record', { action: 'ssm:GetParameter', resource: `${RECORD_PATH}/0190-id` }, 'allowed'],
            ['list the records', { action: 'ssm:GetParametersByPath', resource: `${RECORD_PATH}/` }, 'allowed'],
            ['write another parameter', { action: 'ssm:PutParameter', resource: parameterArn('/app/db-url') }, 'refused'],
            ['delete another parameter', { action: 'ssm:DeleteParameter', resource: parameterArn('/app/db-url') }, 'refused'],
            ['read another parameter', { action: 'ssm:GetParameter', resource: parameterArn('/app/db-url') }, 'refused'],
            [
                'write a parameter beside the path',
                { action: 'ssm:PutParameter', resource: parameterArn('/CloudFormation/Org/ECS/ServiceRestartX') },
                'refused',
            ],
            [
                'write a record of another account',
                { action: 'ssm:PutParameter', resource: parameterArn('/CloudFormation/Org/ECS/ServiceRestart/x', OTHER_ACCOUNT) },
                'refused',
            ],
            ['list every parameter', { action: 'ssm:GetParametersByPath', resource: parameterArn('/') }, 'refused'],
            ['list a parent path', { action: 'ssm:GetParametersByPath', resource: parameterArn('/CloudFormation/Org') }, 'refused'],
            ["list a record's parts", { action: 'ssm:GetParametersByPath', resource: `${RECORD_PATH}/0190-id/parts` }, 'allowed'],
            [
                'list what lies under a record but its parts',
                { action: 'ssm:GetParametersByPath', resource: `${RECORD_PATH}/0190-id` },
                'refused',
            ],
            ['read parts, 10 a call', { action: 'ssm:GetParameters', resource: `${RECORD_PATH}/0190-id/parts/a1b2c3d4e5f6/0` }, 'allowed'],
            [
                'remove parts, 10 a call',
                { action: 'ssm:DeleteParameters', resource: `${RECORD_PATH}/0190-id/parts/a1b2c3d4e5f6/0` },
                'allowed',
            ],
            ['read other parameters, 10 a call', { action: 'ssm:GetParameters', resource: parameterArn('/app/db-url') }, 'refused'],
            ['remove other parameters, 10 a call', { action: 'ssm:DeleteParameters', resource: parameterArn('/app/db-url') }, 'refused'],
            ['restart a service of any cluster', update('staging/web'), 'allowed'],
            ['restart a service with a short ARN', update('web'), 'allowed'],
            [
                'restart a service of another account',
                { action: 'ecs:UpdateService', resource: `arn:aws:ecs:${PSEUDO['AWS::Region']}:${OTHER_ACCOUNT}:service/prod/web` },
                'refused',
            ],
            ['delete a service', { action: 'ecs:DeleteService', resource: `${SERVICE_PREFIX}prod/web` }, 'refused'],
            ['register a task definition', { action: 'ecs:RegisterTaskDefinition', resource: '*' }, 'refused'],
        ],
    ],
    [
        'with RestartableClusters',
        { RestartableClusters: 'prod,payments-prod' },
        [
            ['restart a service of a listed cluster', update('prod/web'), 'allowed'],
            ['restart a service of the second listed cluster', update('payments-prod/api'), 'allowed'],
            ['restart a service of cluster staging', update('staging/web'), 'refused'],
            ['restart a service of a cluster whose name starts like a listed one', update('prod-eu/web'), 'refused'],
            ['restart a service with a short ARN', update('web'), 'refused'],
            ['write a record', { action: 'ssm:PutParameter', resource: `${RECORD_PATH}/0190-id` }, 'allowed'],
        ],
    ],
    [
        'with RestartTagKey and RestartTagValue',
        { RestartTagKey: 'restart:allowed', RestartTagValue: 'yes' },
        [
            ['restart a service with the tag', update('staging/web', { 'restart:allowed': 'yes' }), 'allowed'],
            ['restart a service without the tag', update('staging/web'), 'refused'],
            ['restart a service with another value', update('staging/web', { 'restart:allowed': 'no' }), 'refused'],
        ],
    ],
    [
        'with RestartTagKey only',
        { RestartTagKey: 'restart:allowed' },
        [
            ['restart a service with the tag, any value', update('staging/web', { 'restart:allowed': 'no' }), 'allowed'],
            ['restart a service without the tag', update('staging/web', { other: 'yes' }), 'refused'],
        ],
    ],
    [
        'with every restriction',
        RESTRICTED,
        [
            ['restart a tagged service of a listed cluster', update('prod/web', { 'restart:allowed': 'yes' }), 'allowed'],
            ['restart a tagged service of cluster staging', update('staging/web', { 'restart:allowed': 'yes' }), 'refused'],
            ['restart an untagged service of a listed cluster', update('prod/web'), 'refused'],
        ],
    ],
];

/** What is wrong with the execution role: statements that reach too far, or restrictions that do not restrict. */
function executionRoleProblems(template: Template): string[] {
    const problems: string[] = [];
    for (const [label, parameters, probes] of PROBES) {
        const policies = renderRolePolicies(template, 'ExecutionRole', parameters);
        problems.push(...statementProblems(policies, label));
        for (const [what, request, expected] of probes) {
            const decision = decide(policies, request);
            if ((decision === 'allowed') !== (expected === 'allowed')) {
                problems.push(`${label}: the role would ${expected === 'allowed' ? 'not ' : ''}let the handlers ${what} (${decision})`);
            }
        }
    }
    return problems;
}

/** What is wrong with the package bucket: public access, plain HTTP, or reads outside the organisation. */
function bucketProblems(template: Template): string[] {
    const problems: string[] = [];
    const bucket = resource(template, 'PackageBucket').Properties;
    const block = bucket.PublicAccessBlockConfiguration ?? {};
    for (const setting of ['BlockPublicAcls', 'BlockPublicPolicy', 'IgnorePublicAcls', 'RestrictPublicBuckets']) {
        if (block[setting] !== true) problems.push(`${setting} is not true`);
    }
    const algorithm = bucket.BucketEncryption?.ServerSideEncryptionConfiguration?.[0]?.ServerSideEncryptionByDefault?.SSEAlgorithm;
    if (algorithm !== 'AES256') problems.push(`default encryption is ${JSON.stringify(algorithm)}, not SSE-S3 (AES256)`);

    const statements: Statement[] = resource(template, 'PackageBucketPolicy').Properties.PolicyDocument.Statement;
    const denyPlainHttp = statements.find(
        (s) =>
            s.Effect === 'Deny' &&
            s.Principal === '*' &&
            list(s.Action).includes('s3:*') &&
            s.Condition?.Bool?.['aws:SecureTransport'] === 'false' &&
            JSON.stringify(s.Resource) ===
                JSON.stringify([{ 'Fn::GetAtt': ['PackageBucket', 'Arn'] }, { 'Fn::Sub': '${PackageBucket.Arn}/*' }]),
    );
    if (!denyPlainHttp) problems.push('no statement denies s3:* on the bucket and its objects without aws:SecureTransport');
    for (const statement of statements.filter((s) => s.Effect === 'Allow')) {
        const actions = list(statement.Action);
        const writes = actions.filter((action) => !['s3:GetObject', 's3:GetObjectVersion'].includes(action));
        if (writes.length > 0) problems.push(`an Allow grants more than reading: ${writes.join(', ')}`);
        const orgId = statement.Condition?.StringEquals?.['aws:PrincipalOrgID'];
        if (JSON.stringify(orgId) !== JSON.stringify({ Ref: 'OrganizationId' })) {
            problems.push(`an Allow of ${actions.join(', ')} is not limited to aws:PrincipalOrgID = the OrganizationId parameter`);
        }
    }
    return problems;
}

describe('register-type.yaml', () => {
    it("execution role allows exactly the schema's handler permissions", () => {
        expect(roleActions(registerType, 'ExecutionRole')).toEqual(handlerPermissions(readSchema()));
        expect(roleActions(registerType, 'ExecutionRole')).toEqual(roleActions(generatedRole, 'ExecutionRole'));
    });

    it('would be told apart from the schema when only the schema or only the template changes', () => {
        const schema = clone(readSchema());
        schema.handlers.update!.permissions.push('ecs:TagResource');
        expect(permissionDrift(schema, registerType)).toEqual({ missing: ['ecs:TagResource'], extra: [] });

        const template = clone(registerType);
        const document = resource(template, 'ExecutionRole').Properties.Policies[0].PolicyDocument;
        // Both listings go: the records' path (LIST) and the records' parts paths (DELETE).
        document.Statement = (document.Statement as Statement[]).filter(
            (statement) => !list(statement.Action).includes('ssm:GetParametersByPath'),
        );
        expect(permissionDrift(readSchema(), template)).toEqual({ missing: ['ssm:GetParametersByPath'], extra: [] });

        const widened = clone(registerType);
        (resource(widened, 'ExecutionRole').Properties.Policies[0].PolicyDocument.Statement as Statement[]).push({
            Effect: 'Allow',
            Action: 'ecs:DeleteService',
            Resource: '*',
        });
        expect(permissionDrift(readSchema(), widened)).toEqual({ missing: [], extra: ['ecs:DeleteService'] });
    });

    it("execution role touches only the records' path and the services the parameters allow", () => {
        expect(executionRoleProblems(registerType)).toEqual([]);
    });

    const statementOf = (template: Template, sid: string): Statement & Record<string, Json> => {
        const statements = resource(template, 'ExecutionRole').Properties.Policies[0].PolicyDocument.Statement as Array<
            Statement & { Sid?: string }
        >;
        const found = statements.find((statement) => statement.Sid === sid);
        if (!found) throw new Error(`No statement ${sid}`);
        return found;
    };

    it.each([
        [
            'the records on *',
            (t: Template) => (statementOf(t, 'RestartRecords').Resource = '*'),
            /by default: an SSM statement reaches beyond the records' path: ssm:PutParameter on \*[\s\S]*the write action ssm:PutParameter is allowed on \*/,
        ],
        [
            'the records on every parameter',
            (t: Template) =>
                (statementOf(t, 'RestartRecords').Resource = {
                    'Fn::Sub': 'arn:${AWS::Partition}:ssm:${AWS::Region}:${AWS::AccountId}:parameter/*',
                }),
            /reaches beyond the records' path: ssm:DeleteParameter on arn:aws:ssm:eu-west-1:123456789012:parameter\/\*[\s\S]*write another parameter/,
        ],
        [
            'LIST on every path',
            (t: Template) =>
                (statementOf(t, 'ListRestartRecords').Resource = {
                    'Fn::Sub': 'arn:${AWS::Partition}:ssm:${AWS::Region}:${AWS::AccountId}:parameter/*',
                }),
            /reaches beyond the records' path: ssm:GetParametersByPath on \S+parameter\/\*[\s\S]*list every parameter/,
        ],
        [
            'UpdateService on *',
            (t: Template) => (statementOf(t, 'RestartServices').Resource = '*'),
            /the write action ecs:UpdateService is allowed on \*[\s\S]*restart a service of another account/,
        ],
        [
            'UpdateService in every account',
            (t: Template) => (statementOf(t, 'RestartServices').Resource = 'arn:aws:ecs:*:*:service/*'),
            /ecs:UpdateService is allowed beyond this account and region's services/,
        ],
        [
            'a write action through a wildcard',
            (t: Template) => (statementOf(t, 'ReadEcs').Action as string[]).push('ecs:Update*'),
            /the write action ecs:UpdateService is allowed on \*/,
        ],
        [
            'no cluster restriction',
            (t: Template) => resource(t, 'ExecutionRole').Properties.Policies[0].PolicyDocument.Statement.pop(),
            /with RestartableClusters: the role would let the handlers restart a service of cluster staging/,
        ],
        [
            'no tag restriction',
            (t: Template) => resource(t, 'ExecutionRole').Properties.Policies.pop(),
            /with RestartTagKey and RestartTagValue: the role would let the handlers restart a service without the tag/,
        ],
        [
            'a cluster restriction by default',
            (t: Template) => ((t.Parameters as Record<string, { Default: string }>).RestartableClusters!.Default = 'prod'),
            /by default: the role would not let the handlers restart a service of any cluster/,
        ],
    ])('would be refused with %s', (_label, mutate, expected) => {
        const template = clone(registerType);
        mutate(template);
        expect(executionRoleProblems(template).join('\n')).toMatch(expected);
    });

    it('adds no restriction by default: no Deny statement, no tag policy', () => {
        const policies = renderRolePolicies(registerType, 'ExecutionRole');
        expect(policies.map((policy) => policy.PolicyName)).toEqual(['ResourceTypePolicy']);
        expect(policies[0]!.PolicyDocument.Statement.filter((statement) => statement.Effect === 'Deny')).toEqual([]);
        for (const name of ['RestartableClusters', 'RestartTagKey', 'RestartTagValue']) {
            expect((registerType.Parameters as Record<string, { Default?: string }>)[name]?.Default).toBe('');
        }
    });

    it.each(['ExecutionRole', 'LogDeliveryRole'])('%s trusts CloudFormation only for this type in this account', (logicalId) => {
        const [trust] = resource(registerType, logicalId).Properties.AssumeRolePolicyDocument.Statement as [Statement];
        expect(trust.Principal).toEqual({ Service: 'resources.cloudformation.amazonaws.com' });
        expect(trust.Condition?.StringEquals?.['aws:SourceAccount']).toEqual({ Ref: 'AWS::AccountId' });
        expect(trust.Condition?.StringLike?.['aws:SourceArn']).toEqual({
            'Fn::Sub': 'arn:${AWS::Partition}:cloudformation:${AWS::Region}:${AWS::AccountId}:type/resource/Org-ECS-ServiceRestart/*',
        });
    });

    it('registers the package with the role and logging, and makes that version the default', () => {
        expect(resource(registerType, 'TypeVersion').Properties).toEqual({
            TypeName: 'Org::ECS::ServiceRestart',
            SchemaHandlerPackage: { Ref: 'PackageUrl' },
            ExecutionRoleArn: { 'Fn::GetAtt': ['ExecutionRole', 'Arn'] },
            LoggingConfig: { LogGroupName: { Ref: 'LogGroup' }, LogRoleArn: { 'Fn::GetAtt': ['LogDeliveryRole', 'Arn'] } },
        });
        expect(resource(registerType, 'DefaultVersion').Properties).toEqual({ TypeVersionArn: { Ref: 'TypeVersion' } });
        expect(resource(registerType, 'LogGroup').Properties.RetentionInDays).toEqual({ Ref: 'LogRetentionInDays' });
        expect(Object.keys(registerType.Parameters as object).sort()).toEqual([
            'LogKmsKeyArn',
            'LogRetentionInDays',
            'PackageUrl',
            'RestartTagKey',
            'RestartTagValue',
            'RestartableClusters',
        ]);
    });

    it('gives no resource a fixed name', () => {
        const named = Object.entries(registerType.Resources ?? {}).flatMap(([logicalId, { Properties }]) =>
            Object.keys((Properties ?? {}) as object)
                .filter((key) => key.endsWith('Name') && key !== 'TypeName' && key !== 'PolicyName')
                .map((key) => `${logicalId}.${key}`),
        );
        expect(named).toEqual([]);
    });
});

describe('package-bucket.yaml', () => {
    it('is never public, denies plain HTTP and lets only the organisation read', () => {
        expect(bucketProblems(packageBucket)).toEqual([]);
    });

    it.each([
        [
            'a read without the organisation condition',
            (t: Template) => delete resource(t, 'PackageBucketPolicy').Properties.PolicyDocument.Statement[1].Condition,
            /not limited to aws:PrincipalOrgID/,
        ],
        [
            'a write granted to the organisation',
            (t: Template) =>
                (resource(t, 'PackageBucketPolicy').Properties.PolicyDocument.Statement[1].Action = ['s3:GetObject', 's3:PutObject']),
            /more than reading: s3:PutObject/,
        ],
        [
            'no TLS-only statement',
            (t: Template) => resource(t, 'PackageBucketPolicy').Properties.PolicyDocument.Statement.shift(),
            /denies s3:\* .* aws:SecureTransport/,
        ],
        [
            'a public-access block turned off',
            (t: Template) => (resource(t, 'PackageBucket').Properties.PublicAccessBlockConfiguration.BlockPublicPolicy = false),
            /BlockPublicPolicy is not true/,
        ],
        [
            'KMS instead of SSE-S3',
            (t: Template) =>
                (resource(
                    t,
                    'PackageBucket',
                ).Properties.BucketEncryption.ServerSideEncryptionConfiguration[0].ServerSideEncryptionByDefault.SSEAlgorithm = 'aws:kms'),
            /not SSE-S3/,
        ],
    ])('would be refused with %s', (_label, mutate, expected) => {
        const template = clone(packageBucket);
        mutate(template);
        expect(bucketProblems(template).join('\n')).toMatch(expected);
    });
});

describe('org-rollout.yaml', () => {
    const stackSet = resource(orgRollout, 'RegisterTypeStackSet').Properties;

    it('is a service-managed StackSet with auto-deployment, one region at a time in the given order', () => {
        expect(stackSet.PermissionModel).toBe('SERVICE_MANAGED');
        expect(stackSet.AutoDeployment.Enabled).toBe(true);
        expect(stackSet.Capabilities).toEqual(['CAPABILITY_IAM']);
        expect(stackSet.OperationPreferences).toMatchObject({ RegionConcurrencyType: 'SEQUENTIAL', RegionOrder: { Ref: 'Regions' } });
        expect(stackSet.OperationPreferences.FailureTolerancePercentage).toBeLessThan(
            stackSet.OperationPreferences.MaxConcurrentPercentage,
        );
        expect(stackSet.StackInstancesGroup).toEqual([
            { DeploymentTargets: { OrganizationalUnitIds: { Ref: 'OrganizationalUnitIds' } }, Regions: { Ref: 'Regions' } },
        ]);
    });

    it('passes register-type.yaml every parameter it requires, and none it does not declare', () => {
        const declared = registerType.Parameters as Record<string, { Default?: unknown }>;
        const passed = (stackSet.Parameters as Array<{ ParameterKey: string }>).map((parameter) => parameter.ParameterKey);
        const required = Object.keys(declared).filter((name) => declared[name]?.Default === undefined);
        expect(passed.filter((name) => !(name in declared))).toEqual([]);
        expect(required.filter((name) => !passed.includes(name))).toEqual([]);
    });

    it('passes the restrictions on to every account, declared as register-type.yaml declares them', () => {
        const passed = Object.fromEntries(
            (stackSet.Parameters as Array<{ ParameterKey: string; ParameterValue: Json }>).map((p) => [p.ParameterKey, p.ParameterValue]),
        );
        expect(passed.RestartableClusters).toEqual({ 'Fn::Join': [',', { Ref: 'RestartableClusters' }] });
        expect(passed.RestartTagKey).toEqual({ Ref: 'RestartTagKey' });
        expect(passed.RestartTagValue).toEqual({ Ref: 'RestartTagValue' });
        const own = orgRollout.Parameters as Record<string, Record<string, Json>>;
        const target = registerType.Parameters as Record<string, Record<string, Json>>;
        for (const name of ['RestartableClusters', 'RestartTagKey', 'RestartTagValue']) {
            const { Description: _own, ...declared } = own[name] ?? {};
            const { Description: _target, ...expected } = target[name] ?? {};
            expect([name, declared]).toEqual([name, expected]);
        }
        // Instances get no other values: an override per account or region would escape the rollout's choice.
        expect(stackSet.StackInstancesGroup.every((group: Record<string, unknown>) => group.ParameterOverrides === undefined)).toBe(true);
    });

    it('takes the template and the package from the same release prefix of the bucket', () => {
        const packageUrl = (stackSet.Parameters as Array<{ ParameterKey: string; ParameterValue: Json }>).find(
            (p) => p.ParameterKey === 'PackageUrl',
        );
        expect(stackSet.TemplateURL).toEqual({
            'Fn::Sub': 'https://${PackageBucket}.s3.${AWS::Region}.${AWS::URLSuffix}/org-ecs-servicerestart/${Release}/register-type.yaml',
        });
        expect(packageUrl?.ParameterValue).toEqual({
            'Fn::Sub': 's3://${PackageBucket}/org-ecs-servicerestart/${Release}/org-ecs-servicerestart.zip',
        });
    });
});
