import { hasBudget } from '../budget';
/**
 * `ServicesUsingSecrets`: which services of the cluster to restart because their current task definition
 * reads one of the secrets. Resolved at every create and update, before the services are checked and the
 * record written, since services come and go between restarts.
 *
 * Cost: one ListServices per page of 100 services, one DescribeServices per 10 services, one
 * DescribeTaskDefinition per distinct task definition of the services' PRIMARY deployments (read once per
 * invocation; an operation that continues in another invocation may read one again). The invocation budget is
 * checked before every call; when it runs out, the place (the page and how far into it) travels in the
 * callback context, the names found so far are stored beside the record, and the next invocation carries
 * on from there, as it does after throttling.
 */
import type { AwsLocation, ServiceRef } from '../request/arns';
import { chunk } from '../collections';
import { InvalidInputError, InvocationBudgetSpentError, RestartError, asRestartError } from '../errors';
import { fitMessage, plural, truncate } from '../text/messages';
import { DESCRIBE_SERVICES_BATCH_SIZE, RestartDependencies } from '../ports';
import type { RestartRecord } from '../ports';
import type { WantedSecret } from '../request/wanted-secrets';
import { SecretRead, describeSecretRead, findSecretReads } from './secret-references';
import { MAX_SERVICES, RestartSettings, tooManyServices, withServicesFoundBySecrets } from '../request/settings';
import { ServiceView, TaskDefinitionView, primaryDeploymentOf } from '../views';

/** DescribeTaskDefinition calls in flight at once: fast enough for 500 services, gentle on ECS's rate limit. */
const PARALLEL_TASK_DEFINITION_READS = 5;
/** Services left out or skipped that are named in the message; the rest are counted. They travel in the callback context. */
const MAX_RESOLUTION_NOTES = 10;
/** Selected services named in the message with where they read the secret (the first by name); the rest are counted. */
const MAX_NAMED_SELECTED = 10;
const MAX_REASON_LENGTH = 160;
/** The selection goes first in its event, leaving some room for the deployments started (also in DeploymentIds). */
const MAX_ANNOUNCEMENT_LENGTH = 800;
/** A selected service named in the announcement, and where it reads the secret. */
export interface FoundService {
    name: string;
    /** The secret it reads, as `secret:NAME` or `parameter/PATH` (several: the first). */
    secret: string;
    /** `container app, secrets[DB_PASSWORD]`, and how many other reads there are. */
    where: string;
    /** Set when the reference may or may not be the secret: selected anyway, and why in doubt. */
    ambiguity?: string;
}

/** A service that reads a secret and is not restarted: pinned to a version, or not restartable by this type. */
export interface ResolutionNote {
    name: string;
    kind: 'pinned' | 'skipped';
    reason: string;
}

/**
 * How far resolution got. Everything but `found` is bounded whatever the size of the cluster and of the
 * selection, and travels in the callback context of the preparing stage; `found` holds one name per
 * selected service (at most MAX_SERVICES), the per-service state of the resolution, and is stored beside
 * the record between invocations (stored-resolution.ts).
 */
export interface ResolutionProgress {
    /** The ListServices token of the page being read; absent for the first page. */
    pageToken?: string;
    /** How many services of that page were judged. */
    offset: number;
    /** Services and task definitions read so far, for the messages. */
    servicesRead: number;
    taskDefinitionsRead: number;
    /** The services selected so far, by name, in the order found; at most what one resource restarts besides Services. */
    found: string[];
    /** Selected beyond what one resource restarts: counted, not named, so that the refusal gives the whole count. */
    foundBeyondLimit: number;
    /** The first MAX_NAMED_SELECTED selected services by name, with where they read the secret, for the announcement. */
    named: FoundService[];
    /** Per item of ServicesUsingSecrets (by position): how many selected services read it (first). */
    readersPerSecret: number[];
    /** Selected services whose every read is ambiguous (named ones say why; the log says it for all). */
    ambiguous: number;
    /** Services listed in Services that read a secret too: they count as found, but are restarted in their place. */
    foundListed: number;
    notes: ResolutionNote[];
    moreNotes: number;
    /** Every page was read; what is left is to restart what was found. */
    done?: true;
}

export type Resolution =
    /** The services to restart (Services, then those found) and what to say about the selection. */
    | { kind: 'resolved'; settings: RestartSettings; announcement: string }
    /** Not finished in this invocation: carry on from `progress` (budget spent, or `error` to back off from). */
    | { kind: 'unfinished'; progress: ResolutionProgress; message: string; error?: RestartError };

const START: ResolutionProgress = {
    offset: 0,
    servicesRead: 0,
    taskDefinitionsRead: 0,
    found: [],
    foundBeyondLimit: 0,
    named: [],
    readersPerSecret: [],
    ambiguous: 0,
    foundListed: 0,
    notes: [],
    moreNotes: 0,
};

/**
 * Finds the services that read `settings.secrets`, continuing from `progress` (where an earlier
 * invocation stopped). Without ServicesUsingSecrets it returns the settings as they are, calling nothing.
 */
export async function resolveServices(
    progress: ResolutionProgress | undefined,
    settings: RestartSettings,
    deps: RestartDependencies,
): Promise<Resolution> {
    if (settings.secrets.length === 0) {
        return { kind: 'resolved', settings, announcement: '' };
    }
    const resolver = new Resolver(settings, deps, resumable(progress, settings));
    const unfinished = (message: string, error?: RestartError): Resolution => ({
        kind: 'unfinished',
        progress: resolver.progress,
        message,
        error,
    });
    try {
        if (!resolver.progress.done) {
            if (!(await resolver.run())) {
                return unfinished(resolver.progressMessage());
            }
            resolver.progress = { ...resolver.progress, done: true };
        }
    } catch (err) {
        // The place reached so far is kept: after throttling, the operation backs off and carries on from it.
        return unfinished(resolver.progressMessage(), asRestartError(err));
    } finally {
        resolver.flushLog();
    }
    // Refusals (none found, too many) come at once; the restarts, with their own calls, in budget.
    const outcome = resolver.outcome();
    return hasBudget(deps) ? outcome : unfinished(resolver.progressMessage());
}

/**
 * Where to carry on from: the place an earlier invocation reached, or the start when there is none or it
 * has another shape (written by an earlier version of the type, whose `found` held objects). Starting
 * over only reads the cluster again: nothing is restarted before resolution ends.
 */
function resumable(progress: ResolutionProgress | undefined, settings: RestartSettings): ResolutionProgress {
    if (progress === undefined) return START;
    const counts = [progress.offset, progress.servicesRead, progress.taskDefinitionsRead, progress.foundBeyondLimit, progress.ambiguous];
    const current =
        counts.every((value) => Number.isSafeInteger(value) && value >= 0) &&
        Array.isArray(progress.found) &&
        progress.found.length + settings.services.length <= MAX_SERVICES &&
        progress.found.every((name) => typeof name === 'string') &&
        Array.isArray(progress.named) &&
        Array.isArray(progress.readersPerSecret) &&
        Array.isArray(progress.notes);
    return current ? progress : START;
}

/** The services of a record written by an earlier attempt of this operation: Services, then those found. */
export function settingsOfRecord(settings: RestartSettings, record: RestartRecord): RestartSettings {
    const found = record.serviceArns.slice(settings.services.length).map((arn) => {
        const name = arn.split('/').pop() ?? arn;
        return { input: name, name };
    });
    return { ...settings, services: [...settings.services, ...found] };
}

/** The account and Region of the cluster, which a task definition's bare parameter names refer to. */
function locationOfCluster(clusterArn: string): AwsLocation {
    const [, partition = '', , region = '', accountId = ''] = clusterArn.split(':');
    return { partition, region, accountId };
}

/** `secret:db-AbCdEf`, `parameter/app/db`: enough to tell the secrets of ServicesUsingSecrets apart. */
function shortName(secret: WantedSecret): string {
    return secret.kind === 'secretsmanager' ? `secret:${secret.secretId}` : `parameter/${secret.arnPath}`;
}

function whereOf(reads: readonly SecretRead[]): string {
    const [first] = reads;
    const more = reads.length - 1;
    return first ? `container ${first.container}, ${first.field}${more > 0 ? `, and ${more} more` : ''}` : '';
}

type TaskDefinitionRead = { ok: true; view: TaskDefinitionView } | { ok: false; error: unknown };

class Resolver {
    private readonly here: AwsLocation;
    private readonly listed: Set<string>;
    /** Task definitions read in this invocation, by ARN. */
    private readonly taskDefinitions = new Map<string, TaskDefinitionRead>();

    constructor(
        private readonly settings: RestartSettings,
        private readonly deps: RestartDependencies,
        public progress: ResolutionProgress,
    ) {
        this.here = locationOfCluster(settings.cluster.arn);
        this.listed = new Set(settings.services.map((service) => service.name));
    }

    private get cluster(): string {
        return this.settings.cluster.name;
    }

    /**
     * What the resolution found, one line per service read, is logged as one entry per page of services: with
     * the type's LoggingConfig the handler library delivers each entry 0.25 s after the previous one before it
     * answers, so a thousand entries would hold the answer for minutes.
     */
    private readonly logLines: string[] = [];

    private log(line: string): void {
        this.logLines.push(line);
    }

    flushLog(): void {
        if (this.logLines.length === 0) return;
        this.deps.log(this.logLines.join('\n'));
        this.logLines.length = 0;
    }

    private hasBudget(): boolean {
        return hasBudget(this.deps);
    }

    /** True once every page is read; false when the budget ran out first. */
    async run(): Promise<boolean> {
        for (;;) {
            if (!this.hasBudget()) return false;
            const page = await this.deps.ecs.listServices(this.cluster, this.progress.pageToken);
            const rest = page.serviceArns.slice(this.progress.offset);
            for (const batch of chunk(rest, DESCRIBE_SERVICES_BATCH_SIZE)) {
                if (!this.hasBudget()) return false;
                const views = await this.deps.ecs.describeServices(this.cluster, batch);
                const complete = await this.judgeBatch(batch, views);
                if (!complete) return false;
            }
            this.flushLog();
            if (!page.nextToken) return true;
            this.progress = { ...this.progress, pageToken: page.nextToken, offset: 0 };
        }
    }

    /** Judges the services of one batch in order, as far as their task definitions could be read in budget. */
    private async judgeBatch(batch: readonly string[], views: readonly ServiceView[]): Promise<boolean> {
        const viewOf = (arn: string) => views.find((view) => view.arn === arn || view.name === arn.split('/').pop());
        const wanted = batch.map((arn) => taskDefinitionOf(viewOf(arn))).filter((arn): arn is string => arn !== undefined);
        await this.readTaskDefinitions([...new Set(wanted)].filter((arn) => !this.taskDefinitions.has(arn)));
        for (const arn of batch) {
            const view = viewOf(arn);
            const taskDefinition = taskDefinitionOf(view);
            const read = taskDefinition === undefined ? undefined : this.taskDefinitions.get(taskDefinition);
            if (view && taskDefinition !== undefined) {
                if (!read) return false;
                if (!read.ok) throw read.error;
                this.judge(view, read.view);
            } else if (view) {
                this.log(`Service ${view.name}: no task definition to read (controller ${view.deploymentController}).`);
            }
            // A service that ECS no longer describes was deleted since it was listed: nothing to judge.
            this.progress = { ...this.progress, offset: this.progress.offset + 1, servicesRead: this.progress.servicesRead + 1 };
        }
        return true;
    }

    /** Reads task definitions a few at a time, starting none once the budget is spent. */
    private async readTaskDefinitions(arns: readonly string[]): Promise<void> {
        for (const group of chunk(arns, PARALLEL_TASK_DEFINITION_READS)) {
            if (!this.hasBudget()) return;
            // Settled one by one, so that a failed read is reported by the service that needs it, never unhandled.
            const results = await Promise.allSettled(group.map((arn) => this.deps.ecs.describeTaskDefinition(arn)));
            results.forEach((result, index) => {
                const arn = group[index] ?? '';
                this.taskDefinitions.set(
                    arn,
                    result.status === 'fulfilled' ? { ok: true, view: result.value } : { ok: false, error: result.reason },
                );
            });
            // A read the budget stopped before it was sent is made again in the next invocation: not counted.
            const sent = results.filter((result) => !(result.status === 'rejected' && result.reason instanceof InvocationBudgetSpentError));
            this.progress = { ...this.progress, taskDefinitionsRead: this.progress.taskDefinitionsRead + sent.length };
        }
    }

    private judge(view: ServiceView, taskDefinition: TaskDefinitionView): void {
        const reads = findSecretReads(taskDefinition, this.settings.secrets, this.here);
        if (reads.length === 0) return;
        for (const read of reads) {
            this.log(`Service ${view.name}, task definition ${read.taskDefinition}: ${describeSecretRead(read)}.`);
        }
        const current = reads.filter((read) => read.kind !== 'pinned');
        const [first] = current;
        if (!first) {
            const pinned = reads.find((read) => read.kind === 'pinned');
            // The whole reason is in the log line above; the event names the secret.
            this.note({ name: view.name, kind: 'pinned', reason: pinned ? shortName(pinned.secret) : '' });
            return;
        }
        if (this.listed.has(view.name)) {
            // Restarted in its place in Services, under the refusal rules of Services.
            this.progress = { ...this.progress, foundListed: this.progress.foundListed + 1 };
            return;
        }
        const skipped = skipReason(view);
        if (skipped) {
            this.note({ name: view.name, kind: 'skipped', reason: `${skipped}, reads ${shortName(first.secret)}` });
            return;
        }
        const { found } = this.progress;
        if (this.settings.services.length + found.length >= MAX_SERVICES) {
            // Counted to the end of the cluster, so that the refusal says how many there are to split.
            this.progress = { ...this.progress, foundBeyondLimit: this.progress.foundBeyondLimit + 1 };
            return;
        }
        const ambiguous = current.every((read) => read.kind === 'ambiguous') ? first : undefined;
        const service: FoundService = {
            name: view.name,
            secret: truncate(shortName(first.secret), MAX_REASON_LENGTH),
            where: truncate(whereOf(current), MAX_REASON_LENGTH),
            ...(ambiguous?.kind === 'ambiguous' ? { ambiguity: truncate(ambiguous.reason, 2 * MAX_REASON_LENGTH) } : {}),
        };
        const secretIndex = this.settings.secrets.indexOf(first.secret);
        const readersPerSecret = this.settings.secrets.map(
            (_, index) => (this.progress.readersPerSecret[index] ?? 0) + (index === secretIndex ? 1 : 0),
        );
        const named = [...this.progress.named, service].sort((a, b) => a.name.localeCompare(b.name)).slice(0, MAX_NAMED_SELECTED);
        this.progress = {
            ...this.progress,
            found: [...found, view.name],
            named,
            readersPerSecret,
            ambiguous: this.progress.ambiguous + (ambiguous ? 1 : 0),
        };
    }

    private note(note: ResolutionNote): void {
        const { notes, moreNotes } = this.progress;
        this.progress =
            notes.length < MAX_RESOLUTION_NOTES
                ? { ...this.progress, notes: [...notes, { ...note, reason: truncate(note.reason, MAX_REASON_LENGTH) }] }
                : { ...this.progress, moreNotes: moreNotes + 1 };
    }

    /** The services left out and skipped, in the order of importance, for a message. */
    private notesParts(): string[] {
        const { notes, moreNotes } = this.progress;
        const listed = (kind: ResolutionNote['kind']) =>
            notes
                .filter((note) => note.kind === kind)
                .map((note) => `${note.name} (${note.reason})`)
                .join(', ');
        const pinned = listed('pinned');
        const skipped = listed('skipped');
        return [
            pinned ? `Left out, pinned to a version or label that rotation does not move: ${pinned}.` : '',
            skipped ? `Skipped, as a forced new deployment replaces none of their tasks: ${skipped}.` : '',
            moreNotes > 0 ? `${moreNotes} more left out or skipped (see the handler's log).` : '',
        ];
    }

    private readSoFar(): string {
        const { servicesRead, taskDefinitionsRead } = this.progress;
        return `${plural(servicesRead, 'service')} and ${plural(taskDefinitionsRead, 'task definition')} of cluster '${this.cluster}' read`;
    }

    progressMessage(): string {
        const selected = this.selectedCount();
        const names = this.progress.named.map((service) => service.name);
        const more = selected - names.length;
        return (
            `Finding the services that read ServicesUsingSecrets: ${this.readSoFar()} so far, ` +
            `${selected} selected${names.length > 0 ? ` (${names.join(', ')}${more > 0 ? ` and ${more} more` : ''})` : ''}; ` +
            `${this.progress.done ? 'restarting them next' : 'continuing'}.`
        );
    }

    /** Every service selected so far, those beyond the limit included. */
    private selectedCount(): number {
        return this.progress.found.length + this.progress.foundBeyondLimit;
    }

    outcome(): Resolution {
        const { found, foundListed, foundBeyondLimit } = this.progress;
        const secrets = this.settings.secrets.map((secret) => secret.arn).join(', ');
        if (found.length === 0 && foundListed === 0) {
            throw new InvalidInputError(
                fitMessage([
                    `Nothing was restarted: no service of cluster '${this.cluster}' that a forced new deployment restarts reads ` +
                        `${secrets} through its current task definition (${this.readSoFar()}).`,
                    ...this.notesParts(),
                    'Check ServicesUsingSecrets, or name the services in Services.',
                ]),
            );
        }
        if (foundBeyondLimit > 0) {
            throw tooManyServices(this.settings.services.length, this.selectedCount(), this.cluster);
        }
        // By name: ListServices promises no order, and the waves and ServiceArns should not change with it.
        const byName = [...found].sort((a, b) => a.localeCompare(b));
        const refs: ServiceRef[] = byName.map((name) => ({ input: name, name }));
        const settings = withServicesFoundBySecrets(this.settings, refs);
        const announcement = fitMessage(
            [
                this.selectedText(),
                ...this.notesParts(),
                foundListed > 0 ? `${foundListed} service${foundListed === 1 ? '' : 's'} of Services read them too.` : '',
                `(${this.readSoFar()}.)`,
            ],
            MAX_ANNOUNCEMENT_LENGTH,
        );
        return { kind: 'resolved', settings, announcement };
    }

    /**
     * `ServicesUsingSecrets selected, reading secret:db-AbCdEf: api (container app, secrets[DB]), web (…); reading …`,
     * every selected service named; beyond MAX_NAMED_SELECTED, the count per secret, the first by name (as many, whole, as
     * MAX_ANNOUNCEMENT_LENGTH leaves room for) and where the others are.
     */
    private selectedText(): string {
        const { named, found, readersPerSecret } = this.progress;
        if (found.length === 0) {
            return 'ServicesUsingSecrets selected no service beyond Services.';
        }
        const groupsOf = (shown: readonly FoundService[]) =>
            [...new Set(shown.map((service) => service.secret))].map((secret) => {
                const readers = shown.filter((service) => service.secret === secret);
                return `reading ${secret}: ${readers.map((service) => `${service.name} (${service.where})`).join(', ')}`;
            });
        const ambiguities = named
            .filter((service) => service.ambiguity)
            .map((service) => `${service.name} is selected though its reference is ambiguous: ${service.ambiguity ?? ''}.`);
        const unnamedAmbiguous = this.progress.ambiguous - ambiguities.length;
        const ambiguityParts = [
            ...ambiguities,
            unnamedAmbiguous > 0
                ? `${plural(unnamedAmbiguous, 'more service')} selected on an ambiguous reference (see the handler's log).`
                : '',
        ].filter((part) => part.length > 0);
        if (found.length <= named.length) {
            return [`ServicesUsingSecrets selected, ${groupsOf(named).join('; ')}.`, ...ambiguityParts].join(' ');
        }
        const perSecret = this.settings.secrets
            .map((secret, index) => ({ secret: shortName(secret), readers: readersPerSecret[index] ?? 0 }))
            .filter((entry) => entry.readers > 0)
            .map((entry) => `${entry.readers} reading ${truncate(entry.secret, MAX_REASON_LENGTH)}`);
        const counted = `ServicesUsingSecrets selected ${found.length} services (${perSecret.join(', ')})`;
        const whereTheOthersAre = "in ServiceArns and, with where each reads its secret, in the handler's log.";
        const sentence = (shown: readonly FoundService[]) =>
            shown.length === 0
                ? `${counted}. They are ${whereTheOthersAre}`
                : `${counted}; the first ${shown.length} by name: ${groupsOf(shown).join('; ')}. The others are ${whereTheOthersAre}`;
        // Long names leave room for fewer: names go whole, never at the cost of saying where the others are.
        let shown = named;
        while (shown.length > 0 && sentence(shown).length > MAX_ANNOUNCEMENT_LENGTH) shown = shown.slice(0, -1);
        return [sentence(shown), ...ambiguityParts].join(' ');
    }
}

/** The task definition a restart would start again: that of the PRIMARY deployment, else the service's own. */
function taskDefinitionOf(view: ServiceView | undefined): string | undefined {
    if (!view) return undefined;
    return primaryDeploymentOf(view)?.taskDefinition ?? view.taskDefinition;
}

/** Why a service found by its secret is not restarted (the refusal rules of Services): its status or controller. */
function skipReason(view: ServiceView): string | undefined {
    if (view.status !== 'ACTIVE') return view.status;
    if (view.deploymentController !== 'ECS') return view.deploymentController;
    return undefined;
}
