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

/** Every action an IAM role's inline policies allow, sorted. */
function roleActions(template: Template, logicalId: string): string[] {
    const policies: Array<{ PolicyDocument: { Statement: Statement[] } }> = resource(template, logicalId).Properties.Policies ?? [];
    const statements = policies.flatMap((policy) => policy.PolicyDocument.Statement).filter((statement) => statement.Effect === 'Allow');
    return [...new Set(statements.flatMap((statement) => list(statement.Action)))].sort();
}

function permissionDrift(schema: ReturnType<typeof readSchema>, template: Template): { missing: string[]; extra: string[] } {
    const wanted = handlerPermissions(schema);
    const granted = roleActions(template, 'ExecutionRole');
    return { missing: wanted.filter((a) => !granted.includes(a)), extra: granted.filter((a) => !wanted.includes(a)) };
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
        const statement = resource(template, 'ExecutionRole').Properties.Policies[0].PolicyDocument.Statement[0];
        statement.Action = statement.Action.filter((action: string) => action !== 'ssm:GetParametersByPath');
        expect(permissionDrift(readSchema(), template)).toEqual({ missing: ['ssm:GetParametersByPath'], extra: [] });
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
        expect(Object.keys(registerType.Parameters as object).sort()).toEqual(['LogKmsKeyArn', 'LogRetentionInDays', 'PackageUrl']);
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
