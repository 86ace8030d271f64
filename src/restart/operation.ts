import { backoffDelaySeconds, pollDelaySeconds } from './decide';
import {
    ErrorCode,
    InternalError,
    InvalidInputError,
    NotStabilizedError,
    RecordNotFoundError,
    RestartError,
    TransientAwsError,
    asRestartError,
} from './errors';
import { formatFailureReport, readStoppedTasks } from './failure-report';
import { describeRestartState, fitMessage } from './messages';
import { observeWave } from './observe';
import type { RestartDependencies } from './ports';
import { refusalOf } from './assess';
import {
    OperationContext,
    PreparingOperation,
    RestartingOperation,
    isLastWave,
    newOperation,
    restartingFromRecord,
    servicesOfWave,
    startRestarting,
    unstartedServicesOfWave,
} from './progress';
import { OperationStatus, RestartRecord, recordOf, resourcePropertiesOf, worstCaseRecordOf } from './record';
import { resolveServices, settingsOfRecord } from './resolve-services';
import type { RestartSettings } from './settings';
import { startWave } from './start-wave';
import { findServiceView } from './views';

/** Work stops starting new calls after this long, so an invocation returns within Lambda's 60 s. */
export const INVOCATION_BUDGET_MS = 35_000;
/** Delay before continuing work that the invocation budget cut short. */
const CONTINUE_DELAY_SECONDS = 1;

export interface RestartRequest {
    action: 'CREATE' | 'UPDATE';
    id: string;
    token: string;
    settings: RestartSettings;
    /** Input properties as given, stored in the record. */
    properties: Record<string, unknown>;
}

/** What the handler reports; `properties` are every property of the resource, named as in the schema. */
export type RestartOutcome =
    | { status: 'in-progress'; context: OperationContext; delaySeconds: number; message: string; properties: Record<string, unknown> }
    | { status: 'success'; properties: Record<string, unknown>; message: string }
    | { status: 'failed'; errorCode: ErrorCode; message: string };

/**
 * Runs one create or update for as long as this invocation allows: the first invocation passes no
 * context, each later one the context the previous returned.
 */
export function runRestart(
    request: RestartRequest,
    context: OperationContext | undefined,
    deps: RestartDependencies,
): Promise<RestartOutcome> {
    return new Operation(request, context ?? newOperation(request, request.settings, deps.now()), deps).run();
}

class Operation {
    /** An earlier invocation may have started services of the current wave and lost the answer. */
    private mayAdopt = true;
    /** The services of the current wave still need describing (and refusing) before their restart. */
    private describeFirst = true;
    /** Which services ServicesUsingSecrets selected and why: said once, in the next event. */
    private selection = '';

    constructor(
        private readonly request: RestartRequest,
        private context: OperationContext,
        private readonly deps: RestartDependencies,
    ) {}

    private get cluster(): string {
        return this.request.settings.cluster.name;
    }

    async run(): Promise<RestartOutcome> {
        try {
            if (this.context.stage === 'preparing') {
                const finished = await this.prepare(this.context);
                if (finished) return finished;
            }
            for (;;) {
                const outcome = await this.step(this.restarting());
                if (outcome) return outcome;
            }
        } catch (err) {
            const error = asRestartError(err);
            return error instanceof TransientAwsError ? this.backOff(error) : this.fail(error);
        }
    }

    private restarting(): RestartingOperation {
        if (this.context.stage !== 'restarting') {
            throw new InternalError(`Restart resource ${this.request.id}: the operation has not written its record yet.`);
        }
        return this.context;
    }

    /**
     * The first step: find a record this request already wrote (CloudFormation retried the step), or
     * check every service and write the record before the first side effect.
     */
    private async prepare(preparing: PreparingOperation): Promise<RestartOutcome | undefined> {
        const { action, id, token } = this.request;
        const existing = await this.deps.records.get(id);
        if (action === 'UPDATE' && !existing) {
            throw new RecordNotFoundError(`Restart resource ${id} does not exist (it was deleted or never created): nothing to update.`);
        }
        if (existing && existing.operation.token === token) {
            return this.resumeFromRecord(preparing, existing);
        }
        if (action === 'CREATE' && existing) {
            throw new InternalError(`Restart resource ${id} already exists for another request; refusing to overwrite it.`);
        }
        const resolution = await resolveServices(preparing, this.request.settings, this.deps);
        if (resolution.kind === 'unfinished') {
            this.context = resolution.preparing;
            if (resolution.error) throw resolution.error;
            return this.inProgress(resolution.preparing, CONTINUE_DELAY_SECONDS, resolution.message);
        }
        const { settings } = resolution;
        this.selection = resolution.announcement;
        const views = await this.deps.ecs.describeServices(
            this.cluster,
            settings.services.map((service) => service.input),
        );
        const refusals = settings.services
            .map((service) => refusalOf(service, findServiceView(views, service.name), this.cluster))
            .filter((refusal): refusal is string => refusal !== undefined);
        if (refusals.length > 0) {
            throw new InvalidInputError(fitMessage([`No service was restarted: ${refusals.join('; ')}.`]));
        }
        const arns = settings.services.map((service) => findServiceView(views, service.name)?.arn ?? '');
        const restarting = startRestarting(preparing, settings, arns, this.deps.now());
        // Sized with every deployment id filled in, so that no later write is refused half-way through.
        this.deps.records.assertFits(id, worstCaseRecordOf(restarting, this.request.properties));
        // The record exists before the first side effect, so a lost invocation never loses a restart.
        await this.persist(restarting, 'IN_PROGRESS');
        this.context = restarting;
        this.mayAdopt = false;
        this.describeFirst = false;
        return undefined;
    }

    private resumeFromRecord(preparing: PreparingOperation, record: RestartRecord): RestartOutcome | undefined {
        const { id } = this.request;
        if (record.operation.status === 'SUCCEEDED') {
            return { status: 'success', properties: resourcePropertiesOf(id, record), message: '' };
        }
        if (record.operation.status === 'FAILED') {
            throw new NotStabilizedError(
                `The restart of ${id} by this request already failed; change a property (e.g. a Triggers value) to restart again.`,
            );
        }
        this.deps.log(`Resuming ${id} from its record (wave ${record.operation.wave + 1}): the first step was invoked again.`);
        this.context = restartingFromRecord(preparing, settingsOfRecord(this.request.settings, record), record);
        return undefined;
    }

    /** One step of the current wave: start what is not started, else observe. Undefined: carry on in this invocation. */
    private async step(progress: RestartingOperation): Promise<RestartOutcome | undefined> {
        if (unstartedServicesOfWave(progress).length > 0) {
            return this.startCurrentWave(progress);
        }
        if (!this.hasBudget()) {
            return this.inProgress(progress, CONTINUE_DELAY_SECONDS, 'Waiting for the new deployments…');
        }
        return this.observeCurrentWave(progress);
    }

    private async startCurrentWave(progress: RestartingOperation): Promise<RestartOutcome> {
        const started = await startWave(
            progress,
            { cluster: this.cluster, mayAdopt: this.mayAdopt, describeFirst: this.describeFirst },
            this.deps,
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
        if (unstartedServicesOfWave(current).length > 0) {
            return this.inProgress(current, CONTINUE_DELAY_SECONDS, 'Restarting services…');
        }
        this.mayAdopt = true;
        this.describeFirst = true;
        if (isLastWave(current) && !current.waitForSteadyState) {
            return this.succeed(current, 'New deployments were started; not waiting for them (WaitForSteadyState is false).');
        }
        // Report the deployments just started as a stack event; new tasks take longer than one invocation
        // to start, so the first look comes after the first poll delay.
        return this.inProgress(
            { ...current, polls: current.polls + 1 },
            pollDelaySeconds(current, this.deps.now()),
            startedMessage(current),
        );
    }

    private async observeCurrentWave(progress: RestartingOperation): Promise<RestartOutcome | undefined> {
        const { decision, views } = await observeWave(progress, this.cluster, this.deps);
        this.context = decision.progress;
        switch (decision.kind) {
            case 'wait':
                return this.inProgress(decision.progress, decision.delaySeconds, decision.message);
            case 'timed-out':
                return this.fail(new NotStabilizedError(decision.message));
            case 'failed': {
                const stoppedTasks = await readStoppedTasks(decision.failures, this.cluster, this.deps);
                return this.fail(new NotStabilizedError(formatFailureReport(decision.progress, decision.failures, stoppedTasks, views)));
            }
            case 'wave-complete': {
                if (isLastWave(decision.progress)) {
                    return this.succeed(decision.progress, decision.progress.notes.join('. '));
                }
                const next = { ...decision.progress, wave: decision.progress.wave + 1, waveStartedAt: this.deps.now(), polls: 0 };
                this.context = next;
                this.mayAdopt = false;
                this.describeFirst = true;
                await this.persist(next, 'IN_PROGRESS');
                return undefined;
            }
        }
    }

    private hasBudget(): boolean {
        return this.deps.now() < this.deps.budgetEndsAt;
    }

    private async persist(progress: RestartingOperation, status: OperationStatus): Promise<RestartRecord> {
        const record = recordOf(progress, this.request.properties, status);
        await this.deps.records.put(this.request.id, record);
        return record;
    }

    /** Every property the resource has so far: the record's view once restarting, the input before. */
    private propertiesOf(context: OperationContext): Record<string, unknown> {
        return context.stage === 'restarting'
            ? resourcePropertiesOf(this.request.id, recordOf(context, this.request.properties, 'IN_PROGRESS'))
            : { ...this.request.properties, Id: this.request.id };
    }

    private inProgress(context: OperationContext, delaySeconds: number, message: string): RestartOutcome {
        return {
            status: 'in-progress',
            context,
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
        return { status: 'success', properties: resourcePropertiesOf(this.request.id, record), message: this.withSelection(message) };
    }

    private async fail(error: RestartError): Promise<RestartOutcome> {
        const context = this.context;
        if (context.stage === 'preparing') {
            // Nothing was restarted and this request wrote no record.
            return { status: 'failed', errorCode: error.errorCode, message: error.message };
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
        return { status: 'failed', errorCode: error.errorCode, message };
    }
}

function startedMessage(progress: RestartingOperation): string {
    const wave = progress.waveCount > 1 ? ` (wave ${progress.wave + 1} of ${progress.waveCount})` : '';
    const started = servicesOfWave(progress).map((service) => `${service.name} (${service.deploymentId})`);
    return fitMessage([`Restarted ${started.join(', ')}${wave}; waiting for the new tasks to become healthy.`]);
}
