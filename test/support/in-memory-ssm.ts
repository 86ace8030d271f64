import {
    DeleteParameterCommand,
    DeleteParametersCommand,
    GetParameterCommand,
    GetParametersByPathCommand,
    GetParametersCommand,
    ParameterAlreadyExists,
    ParameterNotFound,
    PutParameterCommand,
    SSMClient,
} from '@aws-sdk/client-ssm';
import { AwsClientStub, mockClient } from 'aws-sdk-client-mock';

/** The limits of Parameter Store the record store must respect (moto checks neither). */
const STANDARD_TIER_MAX_VALUE_BYTES = 4096;
const NAMES_PER_CALL = 10;

/** Parameter Store reduced to what the record store uses, behind aws-sdk-client-mock. */
export class InMemorySsm {
    readonly parameters = new Map<string, string>();
    readonly mock: AwsClientStub<SSMClient>;

    /** GetParametersByPath answers `pageSize` parameters a page: 1 by default, to prove the store follows NextToken; SSM answers 10. */
    constructor(private readonly pageSize = 1) {
        this.mock = mockClient(SSMClient);
        this.install();
    }

    install(): void {
        const notFound = (name: string) => new ParameterNotFound({ message: `Parameter ${name} not found.`, $metadata: {} });
        const tooMany = (names: readonly string[]) => {
            if (names.length > NAMES_PER_CALL) throw new Error(`ValidationException: ${names.length} names, at most ${NAMES_PER_CALL}`);
        };
        this.mock.on(PutParameterCommand).callsFake((input) => {
            if (Buffer.byteLength(input.Value, 'utf8') > STANDARD_TIER_MAX_VALUE_BYTES || input.Tier !== 'Standard') {
                throw new Error(`ValidationException: a Standard-tier value holds ${STANDARD_TIER_MAX_VALUE_BYTES} bytes (${input.Name})`);
            }
            if (!input.Overwrite && this.parameters.has(input.Name)) {
                throw new ParameterAlreadyExists({ message: `The parameter ${input.Name} already exists.`, $metadata: {} });
            }
            this.parameters.set(input.Name, input.Value);
            return { Version: 1, Tier: input.Tier };
        });
        this.mock.on(GetParameterCommand).callsFake((input) => {
            const value = this.parameters.get(input.Name);
            if (value === undefined) throw notFound(input.Name);
            return { Parameter: { Name: input.Name, Value: value, Type: 'String' } };
        });
        this.mock.on(GetParametersCommand).callsFake((input: { Names: string[] }) => {
            tooMany(input.Names);
            const found = input.Names.filter((name) => this.parameters.has(name));
            return {
                Parameters: found.map((name) => ({ Name: name, Value: this.parameters.get(name), Type: 'String' })),
                InvalidParameters: input.Names.filter((name) => !this.parameters.has(name)),
            };
        });
        this.mock.on(DeleteParameterCommand).callsFake((input) => {
            if (!this.parameters.delete(input.Name)) throw notFound(input.Name);
            return {};
        });
        this.mock.on(DeleteParametersCommand).callsFake((input: { Names: string[] }) => {
            tooMany(input.Names);
            const deleted = input.Names.filter((name) => this.parameters.delete(name));
            return { DeletedParameters: deleted, InvalidParameters: input.Names.filter((name) => !deleted.includes(name)) };
        });
        this.mock.on(GetParametersByPathCommand).callsFake((input) => {
            const path = input.Path.endsWith('/') ? input.Path : `${input.Path}/`;
            const names = [...this.parameters.keys()]
                .filter((name) => name.startsWith(path) && (input.Recursive || !name.slice(path.length).includes('/')))
                .sort();
            const start = input.NextToken ? Number(input.NextToken) : 0;
            const page = names.slice(start, start + this.pageSize);
            return {
                Parameters: page.map((name) => ({ Name: name, Value: this.parameters.get(name), Type: 'String' })),
                NextToken: start + this.pageSize < names.length ? String(start + this.pageSize) : undefined,
            };
        });
    }

    /** The records' heads: the parameters directly under the type's path, as LIST sees them. */
    heads(): Array<[string, string]> {
        return [...this.parameters.entries()].filter(([name]) => !name.includes('/parts/'));
    }

    records(): Array<Record<string, unknown>> {
        return this.heads().map(([, value]) => JSON.parse(value));
    }
}
