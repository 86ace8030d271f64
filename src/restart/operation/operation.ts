import { hasBudget, withBudget } from '../budget';
import { backoffDelaySeconds, pollDelaySeconds } from '../judging/decide';
import {
    ErrorCode,
    InternalError,
    InvalidInputError,
    InvocationBudgetSpentError,
    RecordExistsError,
    NotStabilizedError,
    RecordNotFoundError,
    RestartError,
    TransientAwsError,
    asRestartError,
} from '../errors';
import { formatFailureReport, readStoppedTasks } from './failure-report';
import { describeDeploymentPlans, describeFollowed, describeRestartState } from './describe-progress';
import { NAMED_IN_MESSAGE, fitMessage, namedFew, plural } from '../text/messages';
import { observeWave, probeServiceDeploymentsApi, refusalChecks } from './observe';
import type { EcsGateway, OperationStatus, RestartDependencies, RestartRecord } from '../ports';
import { refusalOf } from '../judging/assess';
import {
    OperationContext,
    PreparingOperation,
    RestartingContext,
    RestartingOperation,
    contextOf,
    isLastWave,
    newOperation,
    servicesOfWave,
    startRestarting,
    unstartedServicesOfWave,
    waveCountOf,
} from './progress';
import { recordOf, recordedServicesDiffer, restartingFromRecord, worstCaseRecordOf } from './progress-record';
import { resourcePropertiesOf, revertedRecordOf } from './record';
import { resolveServices, settingsOfRecord } from '../selection/resolve-services';
import { loadResolution, removeQuietly, selectionsOf, storeResolution, sweepQuietly } from '../selection/stored-resolution';
import type { RestartSettings } from '../request/settings';
import { IN_FLIGHT_WINDOW_MS, startWave } from './start-wave';
import { findServiceView } from '../views';

/** Work stops starting new calls after this long, so an invocation returns within Lambda's 60 s. */
export const INVOCATION_BUDGET_MS = 35_000;
/** Delay before continuing work that the invocation budget cut short. */
const CONTINUE_DELAY_SECONDS = 1;

export interface RestartRequest {
    action: 'CREATE' | 'UPDATE';
    id: string;
    /** A digest of the request token (identity.ts digestToken). */
    tokenDigest: string;
    settings: RestartSettings;
    /** Input properties as given, stored in the record. */
    properties: Record<string, unknown>;
    /** An update that CloudFormation makes while rolling the stack back: it must never fail. */
    stackRollback?: boolean;
}

/** What the handler reports; `properties` are every property of the resource, named as in the schema. */
export type RestartOutcome =
    | { kind: 'in-progress'; context: OperationContext; delaySeconds: number; message: string; properties: Record<string, unknown> }
    | { kind: 'success'; properties: Record<string, unknown>; message: string }
    | { kind: 'failed'; errorCode: ErrorCode; message: string };

/**
 * A stack rollback returns to properties that worked before, so nothing fails it, not even input
 * that could not be read: this is what it says instead of failing.
 */
export function stackRollbackMessage(error: RestartError): string {
    return `Stack rollback: nothing was restarted (${error.errorCode}: ${error.message}); the rollback goes on.`;
}

/**
 * Runs one create or update for as long as this invocation allows: the first invocation passes no
 * context, each later one the context the previous returned.
 */
export function runRestart(
    request: RestartRequest,
    context: OperationContext | undefined,
    deps: RestartDependencies,
): Promise<RestartOutcome> {
    const operation = new Operation(request, context ?? newOperation(request, request.settings, deps.now()), deps);
    if (request.stackRollback && request.settings.onStackRollback === 'Skip') {
        return operation.settleRollback(
            'Stack rollback: the services were not restarted again (OnStackRollback is Skip); the resource holds the previous properties.',
        );
    }
    return operation.run();
}

class Operation {
    /** The wave whose services the first step described and checked in this very invocation. */
    private checkedWave: number | undefined;
    /** Services whose recorded UpdateService attempt this invocation made. */
    private readonly ownAttempts = new Set<string>();
    /** Services whose open attempt an invocation made that has returned since (the callback context says when). */
    private finishedAttempts: ReadonlySet<string> = new Set();
    private readonly ecs: EcsGateway;
    /** Which services ServicesUsingSecrets selected and why: said once, in the next event. */
    private selection = '';
    /** The operation as it begins in this invocation (services and all) or as the record has it now. */
    private context: PreparingOperation | RestartingOperation | RestartingContext;

    constructor(
        private readonly request: RestartRequest,
        context: OperationContext,
        private readonly deps: RestartDependencies,
    ) {
        this.context = context;
        this.ecs = withBudget(deps);
    }

    private get cluster(): string {
        return this.request.settings.cluster.name;
    }

    /**
     * The dependencies with the budget checked before every ECS call. Service resolution alone keeps the
     * caller's: it checks the budget before each group of parallel reads, so no group is cut half-way.
     */
    private get stepDeps(): RestartDependencies {
        return { ...this.deps, ecs: this.ecs };
    }

    async run(): Promise<RestartOutcome> {
        try {
            const context = this.context;
            const finished =
                context.stage === 'preparing'
                    ? await this.prepare(context)
                    : await this.reconcile(isRestarting(context) ? contextOf(context) : context);
            if (finished) return finished;
            for (;;) {
                const outcome = await this.step(this.restarting());
                if (outcome) return outcome;
            }
        } catch (err) {
            const error = asRestartError(err);
            if (error instanceof InvocationBudgetSpentError) {
                return this.inProgress(this.context, CONTINUE_DELAY_SECONDS, 'Continuing in the next invocation…');
            }
            return error instanceof TransientAwsError ? this.backOff(error) : this.fail(error);
        }
    }

    private restarting(): RestartingOperation {
        if (!isRestarting(this.context)) {
            throw new InternalError(`Restart resource ${this.request.id}: the operation has not written its record yet.`);
        }
        return this.context;
    }

    /**
     * The first step: find a record this request already wrote (CloudFormation retried the step), or
     * check every service and write the record, with the first wave's attempts, before any side effect.
     */
    private async prepare(preparing: PreparingOperation): Promise<RestartOutcome | undefined> {
        const { action, id, tokenDigest } = this.request;
        const existing = await this.deps.records.get(id);
        if (action === 'UPDATE' && !existing) {
            throw new RecordNotFoundError(`Restart resource ${id} does not exist (it was deleted or never created): nothing to update.`);
        }
        if (existing && existing.operation.tokenDigest === tokenDigest) {
            // The invocation that wrote the record may have ended before it removed what the resolution kept.
            await removeQuietly(id, selectionsOf(preparing.resolution), this.deps.records, this.deps.log);
            return this.resumeFromRecord(preparing, existing);
        }
        if (action === 'CREATE' && existing) {
            throw new InternalError(`Restart resource ${id} already exists for another request; refusing to overwrite it.`);
        }
        const resumed = await loadResolution(id, preparing.resolution, this.deps.records, this.deps.log);
        const resolution = await resolveServices(resumed, this.request.settings, this.deps);
        if (resolution.kind === 'unfinished') {
            // Stored before the context names it; a store that fails leaves the context where it was.
            const stored = await storeResolution(id, resolution.progress, preparing.resolution, this.deps.records);
            const unfinished: PreparingOperation = { ...preparing, resolution: stored };
            this.context = unfinished;
            if (resolution.error) throw resolution.error;
            return this.inProgress(unfinished, CONTINUE_DELAY_SECONDS, resolution.message);
        }
        const { settings } = resolution;
        this.selection = resolution.announcement;
        const views = await this.ecs.describeServices(
            this.cluster,
            settings.services.map((service) => service.input),
        );
        const api = await probeServiceDeploymentsApi(this.cluster, views, this.stepDeps);
        const refusals = settings.services
            .map((service) =>
                refusalOf(service, findServiceView(views, service.name), this.cluster, refusalChecks(settings.timeoutInMinutes, api)),
            )
            .filter((refusal): refusal is string => refusal !== undefined);
        if (refusals.length > 0) {
            // Many refusals are counted and a few quoted; the handler log has each of them.
            refusals.forEach((refusal) => this.deps.log(`Refused: ${refusal}.`));
            const refused = refusals.length > NAMED_IN_MESSAGE ? `${plural(refusals.length, 'service')} refused: ` : '';
            throw new InvalidInputError(fitMessage([`No service was restarted: ${refused}${namedFew(refusals, '; ')}.`]));
        }
        const now = this.deps.now();
        const arns = settings.services.map((service) => findServiceView(views, service.name)?.arn ?? '');
        const planned = { ...startRestarting(preparing, settings, arns, now), serviceDeploymentsApi: api.state };
        // The first write already records the first wave's attempts: a concurrent first step of the same
        // request that finds this record waits for them instead of restarting the same services.
        const restarting: RestartingOperation = {
            ...planned,
            services: planned.services.map((service) => (service.wave === 0 ? { ...service, attemptedAt: now } : service)),
        };
        // Sized with every deployment id filled in, so that no later write is refused half-way through.
        this.deps.records.assertFits(id, worstCaseRecordOf(restarting, this.request.properties));
        const record = recordOf(restarting, this.request.properties, 'IN_PROGRESS');
        try {
            // A create claims its Id with a create-only write; an update owns its existing record.
            await (action === 'CREATE' ? this.deps.records.putNew(id, record) : this.deps.records.put(id, record));
        } catch (err) {
            if (!(err instanceof RecordExistsError)) throw err;
            const winner = await this.deps.records.get(id);
            if (!winner || winner.operation.tokenDigest !== tokenDigest) {
                throw new InternalError(`Restart resource ${id} was created meanwhile by another request; refusing to overwrite it.`);
            }
            this.deps.log(`Resource ${id}: another invocation of this request wrote the record first; following it.`);
            return this.resumeFromRecord(preparing, winner);
        }
        // The record holds the services now: the names the resolution kept beside it are no longer needed.
        await removeQuietly(id, selectionsOf(preparing.resolution), this.deps.records, this.deps.log);
        servicesOfWave(restarting, 0).forEach((service) => this.ownAttempts.add(service.name));
        this.context = restarting;
        this.checkedWave = restarting.wave;
        return undefined;
    }

    private resumeFromRecord(preparing: PreparingOperation | RestartingContext, record: RestartRecord): RestartOutcome | undefined {
        const finished = this.finishedOutcome(record);
        if (finished) return finished;
        this.deps.log(`Resuming ${this.request.id} from its record (wave ${record.operation.wave + 1}): the first step was invoked again.`);
        this.context = restartingFromRecord(preparing, settingsOfRecord(this.request.settings, record), record);
        return undefined;
    }

    /** The answer for an operation that its record says is over: a replayed step restarts nothing. */
    private finishedOutcome(record: RestartRecord): RestartOutcome | undefined {
        const { id } = this.request;
        if (record.operation.status === 'SUCCEEDED') {
            return { kind: 'success', properties: resourcePropertiesOf(id, record), message: '' };
        }
        if (record.operation.status === 'FAILED') {
            throw new NotStabilizedError(
                `The restart of ${id} by this request already failed; change a property (e.g. a Triggers value) to restart again.`,
            );
        }
        return undefined;
    }

    /**
     * A callback context may be older than the record (a replayed invocation, or one whose answer was
     * lost after it started a wave): the record says what was started, and it wins.
     */
    private async reconcile(context: RestartingContext): Promise<RestartOutcome | undefined> {
        const { id } = this.request;
        const record = await this.deps.records.get(id);
        if (!record) {
            throw new RecordNotFoundError(
                `Restart resource ${id} was deleted while its ${context.action.toLowerCase()} was running (its record is gone): nothing more was restarted.`,
            );
        }
        if (record.operation.tokenDigest !== context.tokenDigest) {
            throw new InternalError(`The record of ${id} belongs to another operation than this callback context: this one stops here.`);
        }
        const finished = this.finishedOutcome(record);
        if (finished) return finished;
        const restarting = restartingFromRecord(context, settingsOfRecord(this.request.settings, record), record);
        // A context is returned only after the record of its wave was written, or once a wave's record
        // write failed: it is never more than one wave ahead of its record, nor past the last wave.
        const waves = waveCountOf(restarting);
        if (context.wave >= waves || context.wave > record.operation.wave + 1) {
            throw new InternalError(
                `The callback context does not match this request (wave ${context.wave + 1}, where the record of ${id} is at wave ${record.operation.wave + 1} of ${waves}); nothing was done.`,
            );
        }
        const returned = new Set(context.returnedAttempts);
        this.finishedAttempts = new Set(
            restarting.services
                .filter((service) => service.attemptedAt !== undefined && returned.has(service.attemptedAt))
                .map((service) => service.name),
        );
        this.context = restarting;
        return undefined;
    }

    /** One step of the current wave: start what is not started, else observe. Undefined: carry on in this invocation. */
    private async step(progress: RestartingOperation): Promise<RestartOutcome | undefined> {
        if (unstartedServicesOfWave(progress).length > 0) {
            return this.startCurrentWave(progress);
        }
        if (!hasBudget(this.deps)) {
            return this.inProgress(progress, CONTINUE_DELAY_SECONDS, 'Waiting for the new deployments…');
        }
        return this.observeCurrentWave(progress);
    }

    private async startCurrentWave(progress: RestartingOperation): Promise<RestartOutcome> {
        const started = await startWave(
            progress,
            {
                cluster: this.cluster,
                describeFirst: this.checkedWave !== progress.wave,
                ownAttempts: this.ownAttempts,
                finishedAttempts: this.finishedAttempts,
                persist: async (recorded) => {
                    await this.persist(recorded, 'IN_PROGRESS');
                },
            },
            this.stepDeps,
        );
        this.context = started.progress;
        let persistError: RestartError | undefined;
        if (started.progress !== progress) {
            persistError = await this.persist(started.progress, 'IN_PROGRESS').then(
                () => undefined,
                (err: unknown) => asRestartError(err),
            );
        }
        const error = started.error ?? persistError;
        if (error) throw error;
        const current = started.progress;
        if (started.waitingForOthers.length > 0) {
            return this.inProgress(
                current,
                Math.ceil(IN_FLIGHT_WINDOW_MS / 1000),
                `Waiting to see whether an earlier UpdateService of ${started.waitingForOthers.join(', ')} went through, so as not to restart twice.`,
            );
        }
        if (unstartedServicesOfWave(current).length > 0) {
            return this.inProgress(current, CONTINUE_DELAY_SECONDS, 'Restarting services…');
        }
        if (isLastWave(current) && !current.waitForSteadyState) {
            return this.succeed(current, 'New deployments were started; not waiting for them (WaitForSteadyState is false).');
        }
        // Report the deployments just started as a stack event; new tasks take longer than one invocation
        // to start, so the first look comes after FIRST_LOOK_SECONDS.
        return this.inProgress(current, pollDelaySeconds(current, this.deps.now()), startedMessage(current));
    }

    private async observeCurrentWave(progress: RestartingOperation): Promise<RestartOutcome | undefined> {
        const { decision, views, complete } = await observeWave(progress, this.cluster, this.stepDeps);
        this.context = decision.progress;
        switch (decision.kind) {
            case 'wait': {
                // What the look found of each service (a service deployment listed, a deployment done) is
                // kept in the record, so the next invocation neither lists nor watches it again.
                if (recordedServicesDiffer(progress, decision.progress)) {
                    await this.persist(decision.progress, 'IN_PROGRESS');
                }
                if (!complete) {
                    return this.inProgress(decision.progress, CONTINUE_DELAY_SECONDS, decision.message);
                }
                const delayMs = decision.delaySeconds * 1000;
                // The sleep ends inside the budget, which the next look checks again before each call.
                if (decision.soon && hasBudget(this.deps, delayMs)) {
                    await this.deps.sleep(delayMs);
                    return undefined;
                }
                return this.inProgress(decision.progress, decision.delaySeconds, decision.message);
            }
            case 'timed-out':
                return this.fail(new NotStabilizedError(decision.message));
            case 'failed': {
                // The message quotes the first failures; the handler log keeps every one with its reason.
                for (const { service, assessment } of decision.failures) {
                    this.deps.log(`Service ${service.name} did not stabilize: ${assessment.reason}.`);
                }
                const stoppedTasks = await readStoppedTasks(decision.failures, this.cluster, this.stepDeps);
                return this.fail(new NotStabilizedError(formatFailureReport(decision.progress, decision.failures, stoppedTasks, views)));
            }
            case 'wave-complete': {
                if (isLastWave(decision.progress)) {
                    return this.succeed(decision.progress, describeFollowed(decision.progress));
                }
                const next = { ...decision.progress, wave: decision.progress.wave + 1, waveStartedAt: this.deps.now() };
                this.context = next;
                await this.persist(next, 'IN_PROGRESS');
                return undefined;
            }
        }
    }

    private async persist(progress: RestartingOperation, status: OperationStatus): Promise<RestartRecord> {
        const record = recordOf(progress, this.request.properties, status);
        await this.deps.records.put(this.request.id, record);
        return record;
    }

    /** Every property the resource has so far: the record's view once restarting, the input before. */
    private propertiesOf(context: PreparingOperation | RestartingOperation | RestartingContext): Record<string, unknown> {
        return isRestarting(context)
            ? resourcePropertiesOf(this.request.id, recordOf(context, this.request.properties, 'IN_PROGRESS'))
            : { ...this.request.properties, Id: this.request.id };
    }

    private inProgress(
        context: PreparingOperation | RestartingOperation | RestartingContext,
        delaySeconds: number,
        message: string,
    ): RestartOutcome {
        return {
            kind: 'in-progress',
            context: isRestarting(context) ? contextOf(context) : context,
            delaySeconds,
            message: this.withSelection(message),
            properties: this.propertiesOf(context),
        };
    }

    /** The message, after the selection of ServicesUsingSecrets the first time after it was made. */
    private withSelection(message: string): string {
        const selection = this.selection;
        this.selection = '';
        return selection ? fitMessage([selection, message]) : message;
    }

    /** Throttling and transient errors wait inside IN_PROGRESS, whatever the stage, until the deadline. */
    private backOff(error: TransientAwsError): Promise<RestartOutcome> | RestartOutcome {
        const context = { ...this.context, transientFailures: this.context.transientFailures + 1 };
        this.context = context;
        const now = this.deps.now();
        if (now >= context.deadline) {
            // fail() appends what was and was not restarted.
            return this.fail(new TransientAwsError(`Gave up when TimeoutInMinutes ran out: ${error.message}.`, error.errorCode));
        }
        this.deps.log(`Backing off after a transient failure (${context.transientFailures} in a row): ${error.message}`);
        return this.inProgress(
            context,
            backoffDelaySeconds(context.transientFailures, context.deadline, now),
            `Retrying after a transient AWS error: ${error.message}`,
        );
    }

    private async succeed(progress: RestartingOperation, message: string): Promise<RestartOutcome> {
        const record = await this.persist(progress, 'SUCCEEDED');
        return { kind: 'success', properties: resourcePropertiesOf(this.request.id, record), message: this.withSelection(message) };
    }

    /**
     * A stack rollback ends in success whatever happened: the record is set to the previous properties
     * (best effort: a failed write is logged) and the message says what was and was not done.
     */
    async settleRollback(message: string): Promise<RestartOutcome> {
        const { id, properties, tokenDigest, settings } = this.request;
        let record: RestartRecord;
        if (isRestarting(this.context)) {
            record = recordOf(this.context, properties, 'SUCCEEDED');
        } else {
            const existing = await this.deps.records.get(id).catch((err: unknown) => {
                this.deps.log(`Stack rollback of ${id}: could not read the record: ${asRestartError(err).message}`);
                return undefined;
            });
            record = revertedRecordOf(existing, properties, settings.services.length, tokenDigest, this.deps.now());
        }
        await this.deps.records.put(id, record).catch((err: unknown) => {
            this.deps.log(`Stack rollback of ${id}: could not update the record: ${asRestartError(err).message}`);
        });
        return { kind: 'success', properties: resourcePropertiesOf(id, record), message: fitMessage([message]) };
    }

    /**
     * What a resolution kept beside the record, once the operation fails before writing it. A failed
     * create has no DELETE to come: every selection under its Id goes, those of invocations that never
     * returned too (only selections live there, as the create wrote no record). An update's record and
     * DELETE stay, so the selections its context names are enough.
     */
    private async removeSelections(preparing: PreparingOperation): Promise<void> {
        const { action, id, settings } = this.request;
        if (settings.secrets.length === 0) return;
        if (action === 'UPDATE') {
            await removeQuietly(id, selectionsOf(preparing.resolution), this.deps.records, this.deps.log);
            return;
        }
        await sweepQuietly(id, this.deps.records, this.deps.log);
    }

    private async fail(error: RestartError): Promise<RestartOutcome> {
        const context = this.context;
        if (this.request.stackRollback) {
            const started = isRestarting(context) ? describeRestartState(context) : '';
            return this.settleRollback(
                fitMessage([
                    `Stack rollback: restarting with the previous properties did not complete (${error.errorCode}: ${error.message}); ` +
                        'the rollback goes on, since OnStackRollback: Restart never fails it.',
                    started,
                ]),
            );
        }
        if (context.stage === 'preparing') {
            // Nothing was restarted and this request wrote no record.
            await this.removeSelections(context);
            return { kind: 'failed', errorCode: error.errorCode, message: error.message };
        }
        if (!isRestarting(context)) {
            // The record could not be read back (gone, unreadable, another operation's): what it says
            // stays as it is, and nothing more was restarted in this invocation.
            return { kind: 'failed', errorCode: error.errorCode, message: error.message };
        }
        // Failures found while waiting already say what was restarted; any other failure after the
        // first restart gets it appended, so no service is left half-restarted without saying so.
        const anyStarted = context.services.some((service) => service.deploymentId);
        const message =
            anyStarted && !(error instanceof NotStabilizedError)
                ? fitMessage([error.message, describeRestartState(context)])
                : error.message;
        try {
            if (this.request.action === 'CREATE') {
                // CloudFormation treats a failed create as never created: leave no record behind.
                await this.deps.records.delete(this.request.id).catch((err) => {
                    if (!(err instanceof RecordNotFoundError)) throw err;
                });
            } else {
                await this.persist(context, 'FAILED');
            }
        } catch (err) {
            this.deps.log(`Could not update the record of ${this.request.id} after the failure: ${asRestartError(err).message}`);
        }
        return { kind: 'failed', errorCode: error.errorCode, message };
    }
}

/** The operation with its services, as read from the record in this invocation (not only its callback context). */
function isRestarting(context: PreparingOperation | RestartingOperation | RestartingContext): context is RestartingOperation {
    return context.stage === 'restarting' && 'services' in context;
}

function startedMessage(progress: RestartingOperation): string {
    const waves = waveCountOf(progress);
    const wave = waves > 1 ? ` (wave ${progress.wave + 1} of ${waves})` : '';
    const started = servicesOfWave(progress).map((service) => `${service.name} (${service.deploymentId})`);
    const what =
        started.length > NAMED_IN_MESSAGE
            ? `${plural(started.length, 'service')}${wave}: ${namedFew(started)}`
            : `${started.join(', ')}${wave}`;
    return fitMessage([
        `Restarted ${what}; waiting for the new tasks to become healthy.`,
        ...describeDeploymentPlans(servicesOfWave(progress)),
    ]);
}
