/**
 * examples/rotate-once-restart-everywhere: the central account's template and the StackSet template it
 * deploys to the member accounts must agree, or the rotation's update fails in the middle of the flow:
 * the StackSet passes exactly the member template's parameters, the state machine's UpdateStack names
 * every parameter of the central stack (UpdateStack refuses a call that leaves one out), and the restart
 * in the member accounts selects by the central secret and restarts again when its version id changes.
 */
import { join } from 'path';
import { REPOSITORY_ROOT } from '../../tools/local/moto';
import { Json, Template, readTemplate } from '../../tools/local/template-properties';

const FOLDER = join(REPOSITORY_ROOT, 'examples', 'rotate-once-restart-everywhere');
const central = readTemplate(join(FOLDER, 'central-account.yaml'));
const member = readTemplate(join(FOLDER, 'member-account.yaml'));

const parameterNames = (template: Template) => Object.keys(template.Parameters ?? {}).sort();
const resource = (template: Template, name: string) => template.Resources?.[name]?.Properties as Record<string, any>;

describe('the StackSet that restarts the readers of a central secret', () => {
    it('is service-managed, reaches the OUs through the delegated administrator, one account at a time', () => {
        expect(resource(central, 'RestartStackSet')).toMatchObject({
            PermissionModel: 'SERVICE_MANAGED',
            CallAs: 'DELEGATED_ADMIN',
            AutoDeployment: { Enabled: true },
            OperationPreferences: { MaxConcurrentCount: 1, FailureToleranceCount: 0 },
        });
    });

    it('passes exactly the parameters the member template declares, the version id among them', () => {
        const passed = (resource(central, 'RestartStackSet').Parameters as Array<{ ParameterKey: string; ParameterValue: Json }>).map(
            (parameter) => parameter.ParameterKey,
        );
        expect([...passed].sort()).toEqual(parameterNames(member));
        expect(resource(central, 'RestartStackSet').Parameters).toContainEqual({
            ParameterKey: 'SecretVersionId',
            ParameterValue: { Ref: 'SecretVersionId' },
        });
    });

    it('updates the central stack on rotation naming every one of its parameters, only the version id with a new value', () => {
        const definition = resource(central, 'UpdateSecretVersion').Definition as Record<string, any>;
        const update = definition.States.UpdateThisStack.Arguments as { Parameters: Array<Record<string, Json>> };
        expect(update.Parameters.map((parameter) => parameter.ParameterKey).sort()).toEqual(parameterNames(central));
        expect(update.Parameters.filter((parameter) => parameter.UsePreviousValue !== true)).toEqual([
            { ParameterKey: 'SecretVersionId', ParameterValue: '{% $states.input.versionId %}' },
        ]);
    });

    it('restarts, in each member account, the readers of the central secret whenever its version id changes', () => {
        expect(resource(member, 'RestartReadersOfCentralSecret')).toMatchObject({
            ServicesUsingSecrets: [{ Ref: 'CentralSecretArn' }],
            Triggers: { CentralSecretVersionId: { Ref: 'SecretVersionId' } },
        });
    });

    it('lets only principals of the organisation read the secret, and decrypt it only through Secrets Manager', () => {
        const [read] = resource(central, 'SharedSecretPolicy').ResourcePolicy.Statement;
        expect(read).toMatchObject({
            Action: 'secretsmanager:GetSecretValue',
            Condition: { StringEquals: { 'aws:PrincipalOrgID': { Ref: 'OrganizationId' } } },
        });
        const decrypt = resource(central, 'SecretKey').KeyPolicy.Statement.find((statement: { Sid: string }) =>
            statement.Sid.startsWith('Decrypt'),
        );
        expect(Object.keys(decrypt.Condition.StringEquals).sort()).toEqual(['aws:PrincipalOrgID', 'kms:ViaService']);
        expect(resource(central, 'SharedSecret').KmsKeyId).toEqual({ Ref: 'SecretKey' });
    });
});
