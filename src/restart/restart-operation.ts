import type { EcsGateway, ServiceView } from '../aws/ecs-gateway';
import { RecordStore, assertRecordFits } from '../aws/restart-record-store';
import {
    ErrorCode,
    InternalError,
    InvalidInputError,
    NotStabilizedError,
    RecordNotFoundError,
    RestartError,
    ServiceDeploymentsUnavailableError,
    TransientAwsError,
    asRestartError,
} from './errors';
import type { ResourceModel } from '../models';
import {
    SERVICE_DEPLOYMENT_MATCH_TOLERANCE_MS,
    ServiceAssessment,
    ServiceDeploymentEvidence,
    assessService,
    correlateServiceDeployments,
} from './assess';
import { WaveDecision, WaveFailure, backoffDelaySeconds, decideWave, pollDelaySeconds, refusalOf } from './decide';
import { describeEvents, describeRestartState, describeStoppedTasks, fitMessage } from './messages';
import { RestartProgress, TrackedService, servicesOfWave } from './progress';
import { OperationStatus, RestartRecord, modelOf, recordOf, worstCaseRecordOf } from './record';
import type { ServiceRef } from './arns';
import { RestartSettings, planWaves } from './settings';

/** Work stops starting new calls after this long, so an invocation returns within Lambda's 60 s. */
export const INVOCATION_BUDGET_MS = 35_000;
/** A deployment created this soon before a wave started still counts as the wave's own (clock skew). */
const ADOPTION_CLOCK_SKEW_MS = 2_000;
const STOPPED_TASKS_IN_MESSAGE = 3;
/** Delay before continuing work that the invocation budget cut short. */
const CONTINUE_DELAY_SECONDS = 1;

export interface RestartDependencies {
    ecs: EcsGateway;
    records: RecordStore<RestartRecord>;
    now: () => number;
    log: (message: string) => void;
    /** Epoch ms after which no new AWS call is started in this invocation. */
    budgetEndsAt: number;
}

export type RestartOutcome =
    | { status: 'in-progress'; progress: RestartProgress; delaySeconds: number; message: string; model: ResourceModel }
    | { status: 'success'; model: ResourceModel; message: string }
    | { status: 'failed'; errorCode: ErrorCode; message: string };

export interface RestartRequest {
    action: 'CREATE' | 'UPDATE';
    id: string;
    token: string;
    settings: RestartSettings;
    /** Input properties as given, stored in the record. */
    properties: Record<string, unknown>;
    /** When TimeoutInMinutes runs out, if the first step already began earlier (transient retries). */
    deadline?: number;
}

class Operation {
    constructor(
        private readonly request: RestartRequest,
        private readonly deps: RestartDependencies,
    ) {}

    private get cluster(): string {
        return this.request.settings.cluster.name;
    }

    private hasBudget(): boolean {
        return this.deps.now() < this.deps.budgetEndsAt;
    }

    private async persist(progress: RestartProgress, status: OperationStatus): Promise<RestartRecord> {
        const record = recordOf(progress, this.request.properties, status);
        await this.deps.records.put(this.request.id, record);
        return record;
    }

    /** The progress of this request's services in waves; `stateOf` fills in what is known of each. */
    private planProgress(
        timing: Pick<RestartProgress, 'startedAt' | 'deadline' | 'wave' | 'waveStartedAt'>,
        stateOf: (service: ServiceRef, position: number, wave: number) => Partial<TrackedService>,
    ): RestartProgress {
        const { id, action, token, settings } = this.request;
        const waves = planWaves(settings.services, settings.maxConcurrentRestarts);
        return {
            id,
            action,
            token,
            ...timing,
            timeoutInMinutes: settings.timeoutInMinutes,
            waitForSteadyState: settings.waitForSteadyState,
            waveCount: waves.length,
            services: waves.flatMap((members, wave) =>
                members.map((service) => {
                    const position = settings.services.indexOf(service);
                    return { input: service.input, name: service.name, arn: '', wave, ...stateOf(service, position, wave) };
                }),
            ),
            serviceDeploymentsApi: 'unknown',
            polls: 0,
            transientFailures: 0,
            notes: [],
        };
    }

    /** First invocation of an operation (no callback context). */
    async start(): Promise<RestartOutcome> {
        const { action, id, token, settings } = this.request;
        const existing = await this.deps.records.get(id);
        if (action === 'UPDATE' && !existing) {
            throw new RecordNotFoundError(`Restart resource ${id} does not exist (it was deleted or never created): nothing to update.`);
        }
        if (existing && existing.operation.token === token) {
            // CloudFormation retried the first step of this very operation: carry on where it got to.
            return this.resumeFromRecord(existing);
        }
        if (action === 'CREATE' && existing) {
            throw new InternalError(`Restart resource ${id} already exists for another request; refusing to overwrite it.`);
        }

        const described = await this.deps.ecs.describeServices(
            this.cluster,
            settings.services.map((service) => service.input),
        );
        const views = settings.services.map((service) => findView(described.services, service.name));
        const refusals = settings.services.map((service, i) => refusalOf(service, views[i], this.cluster)).filter((r): r is string => !!r);
        if (refusals.length > 0) {
            throw new InvalidInputError(fitMessage([`No service was restarted: ${refusals.join('; ')}.`]));
        }
        const now = this.deps.now();
        const progress = this.planProgress(
            { startedAt: now, deadline: this.request.deadline ?? now + settings.timeoutInMinutes * 60_000, wave: 0, waveStartedAt: now },
            (_service, position) => ({
                arn: views[position]?.arn ?? '',
            }),
        );
        // The record exists before the first side effect, so a lost invocation never loses a restart.
        assertRecordFits(id, worstCaseRecordOf(progress, this.request.properties));
        await this.persist(progress, 'IN_PROGRESS');
        return this.advance(progress, false);
    }

    /** A re-invocation with the callback context of an earlier one. */
    async resume(progress: RestartProgress): Promise<RestartOutcome> {
        return this.advance(progress, true);
    }

    private async resumeFromRecord(record: RestartRecord): Promise<RestartOutcome> {
        if (record.operation.status === 'SUCCEEDED') {
            return { status: 'success', model: modelOf(this.request.id, record), message: '' };
        }
        if (record.operation.status === 'FAILED') {
            throw new NotStabilizedError(
                `The restart of ${this.request.id} by this request already failed; change a property (e.g. a Triggers value) to restart again.`,
            );
        }
        const op = record.operation;
        const progress = this.planProgress(op, (_service, position, wave) => {
            const deploymentId = record.deploymentIds[position] || undefined;
            return {
                arn: record.serviceArns[position] ?? '',
                deploymentId,
                startedAt: deploymentId ? op.waveStartedAt : undefined,
                completed: wave < op.wave,
            };
        });
        this.deps.log(`Resuming ${this.request.id} from its record (wave ${op.wave + 1}): the first step was invoked again.`);
        return this.advance(progress, true);
    }

    /**
     * Drives the operation as far as this invocation's budget allows: start the current wave,
     * observe it, move to the next wave, finish. Transient failures back off inside IN_PROGRESS.
     */
    private async advance(initial: RestartProgress, resuming: boolean): Promise<RestartOutcome> {
        let progress = initial;
        let adopt = resuming;
        try {
            for (;;) {
                let startedNow = false;
                if (servicesOfWave(progress).some((service) => !service.deploymentId)) {
                    const started = await this.startWave(progress, adopt);
                    progress = started.progress;
                    if (started.error) throw started.error;
                    if (servicesOfWave(progress).some((service) => !service.deploymentId)) {
                        return this.inProgress(progress, CONTINUE_DELAY_SECONDS, 'Restarting services…');
                    }
                    startedNow = true;
                }
                adopt = true;
                const lastWave = progress.wave === progress.waveCount - 1;
                if (lastWave && !progress.waitForSteadyState) {
                    return this.succeed(progress, 'New deployments were started; not waiting for them (WaitForSteadyState is false).');
                }
                if (startedNow) {
                    // Report the deployments just started as a stack event; new tasks take longer than
                    // one invocation to start, so the first look comes after the first poll delay.
                    const delaySeconds = pollDelaySeconds(progress, this.deps.now());
                    return this.inProgress({ ...progress, polls: progress.polls + 1 }, delaySeconds, startedMessage(progress));
                }
                if (!this.hasBudget()) {
                    return this.inProgress(progress, CONTINUE_DELAY_SECONDS, 'Waiting for the new deployments…');
                }
                const { decision, views } = await this.observeWave(progress);
                progress = decision.progress;
                switch (decision.kind) {
                    case 'wait':
                        return this.inProgress(progress, decision.delaySeconds, decision.message);
                    case 'failed':
                        return this.fail(progress, new NotStabilizedError(await this.failureMessage(progress, decision.failures, views)));
                    case 'timed-out':
                        return this.fail(progress, new NotStabilizedError(decision.message));
                    case 'wave-complete':
                        if (lastWave) {
                            return this.succeed(progress, progress.notes.join('. '));
                        }
                        progress = { ...progress, wave: progress.wave + 1, waveStartedAt: this.deps.now(), polls: 0 };
                        adopt = false;
                        await this.persist(progress, 'IN_PROGRESS');
                }
            }
        } catch (err) {
            const error = asRestartError(err);
            if (error instanceof TransientAwsError) {
                return this.backOff(progress, error);
            }
            return this.fail(progress, error);
        }
    }

    /** Calls UpdateService for every service of the wave not yet restarted; never twice for one service. */
    private async startWave(initial: RestartProgress, adopt: boolean): Promise<{ progress: RestartProgress; error?: RestartError }> {
        let progress = initial;
        const pending = servicesOfWave(progress).filter((service) => !service.deploymentId);
        const update = (name: string, change: Partial<TrackedService>): void => {
            progress = { ...progress, services: progress.services.map((s) => (s.name === name ? { ...s, ...change } : s)) };
        };
        let error: RestartError | undefined;
        try {
            const fresh = progress.wave === 0 && !adopt;
            if (!fresh) {
                const described = await this.deps.ecs.describeServices(
                    this.cluster,
                    pending.map((service) => service.arn || service.input),
                );
                const refusals: string[] = [];
                for (const service of pending) {
                    const view = findView(described.services, service.name);
                    const refusal = refusalOf(service, view, this.cluster);
                    if (refusal) {
                        refusals.push(refusal);
                        continue;
                    }
                    const primary = view?.deployments.find((deployment) => deployment.status === 'PRIMARY');
                    if (adopt && primary && primary.createdAt >= progress.waveStartedAt - ADOPTION_CLOCK_SKEW_MS) {
                        // UpdateService went through in an invocation whose answer was lost: adopt, don't restart twice.
                        update(service.name, { deploymentId: primary.id, startedAt: primary.createdAt, arn: view?.arn ?? service.arn });
                        this.deps.log(`Service ${service.name}: adopting deployment ${primary.id}, started since this wave began.`);
                    } else if (view) {
                        update(service.name, { arn: view.arn });
                    }
                }
                if (refusals.length > 0) {
                    throw new InvalidInputError(refusals.join('; '));
                }
            }
            for (const service of servicesOfWave(progress).filter((s) => !s.deploymentId)) {
                if (!this.hasBudget()) break;
                const started = await this.deps.ecs.forceNewDeployment(this.cluster, service.arn || service.input);
                update(service.name, { deploymentId: started.deploymentId, startedAt: started.createdAt });
                this.deps.log(`Service ${service.name}: forced new deployment ${started.deploymentId}.`);
            }
        } catch (err) {
            error = asRestartError(err);
        }
        if (progress !== initial) {
            try {
                await this.persist(progress, 'IN_PROGRESS');
            } catch (err) {
                error = error ?? asRestartError(err);
            }
        }
        return { progress, error };
    }

    private async observeWave(progress: RestartProgress): Promise<{ decision: WaveDecision; views: ServiceView[] }> {
        const watched = servicesOfWave(progress).filter((service) => !service.completed);
        const described = await this.deps.ecs.describeServices(
            this.cluster,
            watched.map((service) => service.arn || service.input),
        );
        let api = progress.serviceDeploymentsApi;
        const latestByService = new Map<string, { ours?: ServiceDeploymentEvidence['ours']; latestArn: string }>();
        if (api !== 'unavailable') {
            try {
                for (const service of watched) {
                    const since = (service.startedAt ?? progress.waveStartedAt) - SERVICE_DEPLOYMENT_MATCH_TOLERANCE_MS;
                    const summaries = await this.deps.ecs.listServiceDeployments(this.cluster, service.arn, since);
                    const { ours, latest } = correlateServiceDeployments(service, summaries);
                    if (latest) latestByService.set(service.name, { ours, latestArn: latest.arn });
                }
                api = 'available';
            } catch (err) {
                if (!(err instanceof ServiceDeploymentsUnavailableError)) throw err;
                api = 'unavailable';
                latestByService.clear();
                this.deps.log(`ECS service-deployments API unavailable (${err.message}); judging from DescribeServices deployments.`);
            }
        }
        const evidence = new Map<string, ServiceDeploymentEvidence>();
        if (latestByService.size > 0) {
            const latestArns = [...latestByService.values()].map((entry) => entry.latestArn);
            try {
                const views = await this.deps.ecs.describeServiceDeployments(latestArns);
                for (const [name, entry] of latestByService) {
                    const latest = views.find((view) => view.arn === entry.latestArn);
                    if (latest) evidence.set(name, { ours: entry.ours, latest });
                }
            } catch (err) {
                if (!(err instanceof ServiceDeploymentsUnavailableError)) throw err;
                api = 'unavailable';
                evidence.clear();
            }
        }
        const assessments = new Map<string, ServiceAssessment>();
        for (const service of watched) {
            assessments.set(service.name, assessService(service, findView(described.services, service.name), evidence.get(service.name)));
        }
        return {
            decision: decideWave({ ...progress, serviceDeploymentsApi: api }, assessments, this.deps.now()),
            views: described.services,
        };
    }

    /** `views` are the services as the observation that found the failures described them. */
    private async failureMessage(progress: RestartProgress, failures: WaveFailure[], views: readonly ServiceView[]): Promise<string> {
        const parts: string[] = [];
        for (const { service, assessment } of failures) {
            parts.push(`Service ${service.name} did not stabilize: ${assessment.reason}.`);
            if (assessment.note) parts.push(`Note: ${assessment.note}.`);
            try {
                const tasks = await this.deps.ecs.describeStoppedTasks(
                    this.cluster,
                    service.name,
                    assessment.deploymentId,
                    STOPPED_TASKS_IN_MESSAGE,
                );
                parts.push(describeStoppedTasks(tasks));
            } catch (err) {
                this.deps.log(`Could not read the stopped tasks of ${service.name}: ${asRestartError(err).message}`);
            }
        }
        for (const { service } of failures) {
            parts.push(describeEvents(findView(views, service.name)?.events ?? [], service.startedAt ?? progress.waveStartedAt));
        }
        parts.push(
            describeRestartState(
                progress,
                failures.map((failure) => failure.service),
            ),
        );
        return fitMessage(parts);
    }

    private inProgress(progress: RestartProgress, delaySeconds: number, message: string): RestartOutcome {
        const record = recordOf(progress, this.request.properties, 'IN_PROGRESS');
        return { status: 'in-progress', progress, delaySeconds, message, model: modelOf(this.request.id, record) };
    }

    private backOff(initial: RestartProgress, error: TransientAwsError): Promise<RestartOutcome> | RestartOutcome {
        const progress = { ...initial, transientFailures: initial.transientFailures + 1 };
        const now = this.deps.now();
        if (now >= progress.deadline) {
            return this.fail(
                progress,
                // fail() appends what was and was not restarted.
                new TransientAwsError(`Gave up when TimeoutInMinutes ran out: ${error.message}.`, error.errorCode),
            );
        }
        this.deps.log(`Backing off after a transient failure (${progress.transientFailures} in a row): ${error.message}`);
        return this.inProgress(
            progress,
            backoffDelaySeconds(progress.transientFailures, progress.deadline, now),
            `Retrying after a transient AWS error: ${error.message}`,
        );
    }

    private async succeed(progress: RestartProgress, message: string): Promise<RestartOutcome> {
        const record = await this.persist(progress, 'SUCCEEDED');
        return { status: 'success', model: modelOf(this.request.id, record), message };
    }

    private async fail(progress: RestartProgress, error: RestartError): Promise<RestartOutcome> {
        // Failures found while waiting already say what was restarted; any other failure after the
        // first restart gets it appended, so no service is left half-restarted without saying so.
        const anyStarted = progress.services.some((service) => service.deploymentId);
        const message =
            anyStarted && !(error instanceof NotStabilizedError)
                ? fitMessage([error.message, describeRestartState(progress)])
                : error.message;
        try {
            if (this.request.action === 'CREATE') {
                // CloudFormation treats a failed create as never created: leave no record behind.
                await this.deps.records.delete(this.request.id).catch((err) => {
                    if (!(err instanceof RecordNotFoundError)) throw err;
                });
            } else {
                await this.persist(progress, 'FAILED');
            }
        } catch (err) {
            this.deps.log(`Could not update the record of ${this.request.id} after the failure: ${asRestartError(err).message}`);
        }
        return { status: 'failed', errorCode: error.errorCode, message };
    }
}

function startedMessage(progress: RestartProgress): string {
    const wave = progress.waveCount > 1 ? ` (wave ${progress.wave + 1} of ${progress.waveCount})` : '';
    const started = servicesOfWave(progress).map((service) => `${service.name} (${service.deploymentId})`);
    return fitMessage([`Restarted ${started.join(', ')}${wave}; waiting for the new tasks to become healthy.`]);
}

function findView(views: readonly ServiceView[], name: string): ServiceView | undefined {
    return views.find((view) => view.name === name);
}

export function startRestart(request: RestartRequest, deps: RestartDependencies): Promise<RestartOutcome> {
    return new Operation(request, deps).start();
}

export function resumeRestart(request: RestartRequest, progress: RestartProgress, deps: RestartDependencies): Promise<RestartOutcome> {
    return new Operation(request, deps).resume(progress);
}
