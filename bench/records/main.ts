/**
 * `make bench-records`: what a restart record costs in Parameter Store at 20, 100 and 1,000 services:
 * its JSON, the Standard-tier parameters and bytes it is stored in, and the SSM calls of each store
 * operation, counted on the in-memory Parameter Store through the real SsmRecordStore. Records are built
 * by the domain's own recordOf from a synthetic operation, so the figures follow the record's format.
 * Two name sets: typical (team-app-role-NNN in cluster "production") and the longest ECS allows (255
 * random characters for the cluster and each service), with random 19-digit deployment ids; the second
 * row of each adds every service's callback-context state (TrackedService as JSON) to the record.
 * Prints a table and stores it as `recordStorage` in bench/results.json.
 */
import { existsSync, readFileSync, writeFileSync } from 'fs';
import path from 'path';
import { SSMClient } from '@aws-sdk/client-ssm';
import fc from 'fast-check';
import { MAX_RECORD_BYTES } from '../../src/aws/record-parts';
import { SsmRecordStore } from '../../src/aws/restart-record-store';
import type { TrackedService } from '../../src/restart/operation/progress';
import { recordOf } from '../../src/restart/operation/progress-record';
import type { RestartRecord } from '../../src/restart/ports';
import { InMemorySsm } from '../../test/support/in-memory-ssm';
import { restartingOperation } from '../../test/support/restart-fixtures';

const RESULTS = path.join(__dirname, '..', '..', '..', '..', 'bench', 'results.json');
const ID = '0d1c2b3a-0000-8000-8000-000000000001';
const SEED = 1017;
const SIZES = [20, 100, 1000] as const;
const T0 = Date.UTC(2026, 11, 3, 12, 0, 0);
const PREFIX = 'arn:aws:ecs:us-east-1:123456789012';

const NAME_CHARACTERS = 'abcdefghijklmnopqrstuvwxyz0123456789-_'.split('');
const DIGITS = '0123456789'.split('');
const drawn = (count: number, length: number, characters: string[], seed: number): string[] =>
    fc.sample(fc.string({ unit: fc.constantFrom(...characters), minLength: length, maxLength: length }), { seed, numRuns: count });

type NameSet = 'typical' | 'longest';

function servicesOf(count: number, names: NameSet): { cluster: string; services: TrackedService[] } {
    const cluster = names === 'typical' ? 'production' : (drawn(1, 255, NAME_CHARACTERS, SEED)[0] ?? '');
    const teams = ['orders', 'payments', 'search', 'catalog', 'billing', 'identity', 'shipping', 'reviews', 'pricing', 'inventory'];
    const roles = ['api', 'worker', 'consumer', 'scheduler'];
    const serviceNames =
        names === 'typical'
            ? Array.from({ length: count }, (_, i) => `${teams[i % 10]}-${roles[Math.floor(i / 10) % 4]}-${String(i).padStart(3, '0')}`)
            : drawn(count, 255, NAME_CHARACTERS, SEED + 1);
    const deploymentIds = drawn(count, 19, DIGITS, SEED + 2);
    const revisions = drawn(count, 22, NAME_CHARACTERS, SEED + 3);
    const services = serviceNames.map((name, i) => ({
        input: name,
        name,
        arn: `${PREFIX}:service/${cluster}/${name}`,
        wave: 0,
        deploymentId: `ecs-svc/${deploymentIds[i] ?? ''}`,
        startedAt: T0 + i * 40,
        attemptedAt: T0 + i * 40,
        serviceDeploymentArn: `${PREFIX}:service-deployment/${cluster}/${name}/${revisions[i] ?? ''}`,
        traits: { strategy: 'ROLLING' as const, minimumHealthyPercent: 100, maximumPercent: 200, bakeTimeInMinutes: 0 },
    }));
    return { cluster, services: services };
}

function recordFor(count: number, names: NameSet, withState: boolean): RestartRecord {
    const { cluster, services } = servicesOf(count, names);
    const properties = {
        Cluster: cluster,
        // Services names at most 100; the rest are found by ServicesUsingSecrets.
        Services: services.slice(0, 100).map((service) => service.input),
        ServicesUsingSecrets: ['arn:aws:secretsmanager:us-east-1:210987654321:secret:shared/db-password-AbCdEf'],
        Triggers: Object.fromEntries(
            Array.from({ length: 10 }, (_, k) => [`SecretVersion${k}`, drawn(1, 256, NAME_CHARACTERS, SEED + 10 + k)[0]]),
        ),
    };
    const record = recordOf(restartingOperation({ services, startedAt: T0 }), properties, 'IN_PROGRESS');
    // Without state: the record as written before any service has started (no per-service entries).
    return withState ? record : { ...record, services: undefined };
}

interface Row {
    services: number;
    names: NameSet;
    record: 'record' | 'record + per-service state';
    jsonBytes: number;
    parameters: number;
    storedBytes: number;
    largestValueBytes: number;
    callsFirstWrite: string;
    callsRewrite: string;
    callsRewriteFreshInvocation: string;
    callsRead: string;
    callsDelete: string;
    fits: boolean;
}

const COMMANDS = ['GetParameter', 'GetParameters', 'PutParameter', 'DeleteParameter', 'DeleteParameters', 'GetParametersByPath'];

function counted(ssm: InMemorySsm): string {
    const byCommand = new Map<string, number>();
    for (const call of ssm.mock.calls()) {
        const name = (call.args[0] as { constructor: { name: string } }).constructor.name.replace(/Command$/, '');
        byCommand.set(name, (byCommand.get(name) ?? 0) + 1);
    }
    ssm.mock.resetHistory();
    const parts = COMMANDS.filter((command) => byCommand.has(command)).map((command) => `${byCommand.get(command)} ${command}`);
    return `${[...byCommand.values()].reduce((a, b) => a + b, 0)} (${parts.join(', ')})`;
}

async function measure(count: number, names: NameSet, withState: boolean): Promise<Row> {
    // Pages of 10, as SSM answers GetParametersByPath.
    const ssm = new InMemorySsm(10);
    const store = () =>
        new SsmRecordStore(new SSMClient({ region: 'us-east-1' }), { invocationDeadline: Infinity, perCallMs: 10_000, now: Date.now });
    const record = recordFor(count, names, withState);
    const jsonBytes = Buffer.byteLength(JSON.stringify(record));
    const fits = jsonBytes <= MAX_RECORD_BYTES;
    const invocation = store();
    await invocation.putNew(ID, record);
    const callsFirstWrite = counted(ssm);
    const values = [...ssm.parameters.values()];
    const stored = { parameters: values.length, bytes: values.reduce((sum, value) => sum + Buffer.byteLength(value), 0) };
    const largestValueBytes = Math.max(...values.map((value) => Buffer.byteLength(value)));
    await invocation.put(ID, { ...record, operation: { ...record.operation, wave: 1 } });
    const callsRewrite = counted(ssm);
    await store().put(ID, record);
    const callsRewriteFreshInvocation = counted(ssm);
    await store().get(ID);
    const callsRead = counted(ssm);
    await store().delete(ID);
    const callsDelete = counted(ssm);
    if (ssm.parameters.size !== 0) throw new Error(`DELETE left ${ssm.parameters.size} parameters behind`);
    ssm.mock.restore();
    return {
        services: count,
        names,
        record: withState ? 'record + per-service state' : 'record',
        jsonBytes,
        parameters: stored.parameters,
        storedBytes: stored.bytes,
        largestValueBytes,
        callsFirstWrite,
        callsRewrite,
        callsRewriteFreshInvocation,
        callsRead,
        callsDelete,
        fits,
    };
}

async function main(): Promise<void> {
    const rows: Row[] = [];
    for (const names of ['typical', 'longest'] as const) {
        for (const count of SIZES) {
            for (const withState of [false, true]) rows.push(await measure(count, names, withState));
        }
    }
    console.log(`Restart record in Parameter Store (seed ${SEED}; the largest record is ${MAX_RECORD_BYTES} bytes of JSON):`);
    console.log(
        '| services | names | stored | JSON bytes | parameters | bytes stored | largest value | calls: first write | rewrite (head known) | rewrite (new invocation) | read | delete |',
    );
    console.log('| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |');
    for (const row of rows) {
        console.log(
            `| ${row.services} | ${row.names} | ${row.record}${row.fits ? '' : ' (refused: too large)'} | ${row.jsonBytes} | ${row.parameters} | ${row.storedBytes} | ${row.largestValueBytes} | ${row.callsFirstWrite} | ${row.callsRewrite} | ${row.callsRewriteFreshInvocation} | ${row.callsRead} | ${row.callsDelete} |`,
        );
    }
    const results = existsSync(RESULTS) ? (JSON.parse(readFileSync(RESULTS, 'utf8')) as Record<string, unknown>) : {};
    writeFileSync(
        RESULTS,
        JSON.stringify({ ...results, recordStorage: { seed: SEED, maxRecordBytes: MAX_RECORD_BYTES, rows } }, null, 4) + '\n',
    );
    console.log(`wrote recordStorage in ${path.relative(process.cwd(), RESULTS)}`);
}

main().catch((err: unknown) => {
    console.error(err instanceof Error ? (err.stack ?? err.message) : String(err));
    process.exit(1);
});
