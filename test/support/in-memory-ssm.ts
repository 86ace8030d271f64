import {
    DeleteParameterCommand,
    GetParameterCommand,
    GetParametersByPathCommand,
    ParameterNotFound,
    PutParameterCommand,
    SSMClient,
} from '@aws-sdk/client-ssm';
import { AwsClientStub, mockClient } from 'aws-sdk-client-mock';

/** Parameter Store reduced to what the record store uses, behind aws-sdk-client-mock. */
export class InMemorySsm {
    readonly parameters = new Map<string, string>();
    readonly mock: AwsClientStub<SSMClient>;

    constructor() {
        this.mock = mockClient(SSMClient);
        this.install();
    }

    install(): void {
        const notFound = (name: string) => new ParameterNotFound({ message: `Parameter ${name} not found.`, $metadata: {} });
        this.mock.on(PutParameterCommand).callsFake((input) => {
            this.parameters.set(input.Name, input.Value);
            return { Version: 1, Tier: input.Tier };
        });
        this.mock.on(GetParameterCommand).callsFake((input) => {
            const value = this.parameters.get(input.Name);
            if (value === undefined) throw notFound(input.Name);
            return { Parameter: { Name: input.Name, Value: value, Type: 'String' } };
        });
        this.mock.on(DeleteParameterCommand).callsFake((input) => {
            if (!this.parameters.delete(input.Name)) throw notFound(input.Name);
            return {};
        });
        this.mock.on(GetParametersByPathCommand).callsFake((input) => {
            // Pages of one, to prove the store follows NextToken.
            const names = [...this.parameters.keys()].filter((name) => name.startsWith(input.Path)).sort();
            const start = input.NextToken ? Number(input.NextToken) : 0;
            const page = names.slice(start, start + 1);
            return {
                Parameters: page.map((name) => ({ Name: name, Value: this.parameters.get(name), Type: 'String' })),
                NextToken: start + 1 < names.length ? String(start + 1) : undefined,
            };
        });
    }

    records(): Array<Record<string, unknown>> {
        return [...this.parameters.values()].map((value) => JSON.parse(value));
    }
}
