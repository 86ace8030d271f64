/**
 * The scripted ECS double (test/support/scripted-ecs.ts) moved on by deployment timelines instead of by
 * a test: before it answers any command, every restarted service is brought to the state its timeline
 * gives for the double's current time. It answers the real SDK v3 commands, so the handler's gateways
 * run unchanged.
 */
import { ScriptedEcs } from '../../test/support/scripted-ecs';
import { ServiceTimeline, completedAtSeconds, failedAtSeconds, taskCountsAt } from './timelines';

interface Restarted {
    timeline: ServiceTimeline;
    /** The double's time when UpdateService was answered. */
    restartedAt: number;
    superseded: boolean;
    finished: boolean;
}

export function serviceName(index: number): string {
    return `svc-${String(index + 1).padStart(2, '0')}`;
}

/** When ECS decided each restarted service's outcome (its last deployment's end, or its failure), the double's time. */
export interface ServiceEnd {
    name: string;
    restartedAt: number;
    endedAt: number;
}

export class TimelineEcs {
    readonly ecs = new ScriptedEcs();
    readonly names: string[];
    private readonly timelines = new Map<string, ServiceTimeline>();
    private readonly restarted = new Map<string, Restarted>();

    /**
     * @param services the services a restart may restart, named svc-01, svc-02…
     * @param cluster more of the cluster: `bystanders` services that no restart names (their tasks never
     *   change), and the task definition each service runs (by name), for a selection by secret.
     */
    constructor(
        services: readonly ServiceTimeline[],
        cluster: { bystanders?: number; taskDefinitionOf?: (ecs: ScriptedEcs, name: string) => string | undefined } = {},
    ) {
        this.names = services.map((_, index) => serviceName(index));
        services.forEach((timeline, index) => {
            const name = serviceName(index);
            this.timelines.set(name, timeline);
            this.ecs.addService(name, { desiredCount: timeline.desiredCount, taskDefinition: cluster.taskDefinitionOf?.(this.ecs, name) });
        });
        for (let index = services.length; index < services.length + (cluster.bystanders ?? 0); index++) {
            const name = serviceName(index);
            this.ecs.addService(name, { desiredCount: 1, taskDefinition: cluster.taskDefinitionOf?.(this.ecs, name) });
        }
        this.ecs.onUpdateService = (name) => {
            const timeline = this.timelines.get(name);
            if (!timeline) throw new Error(`TimelineEcs: ${name} has no timeline`);
            if (this.restarted.has(name)) throw new Error(`TimelineEcs: ${name} was restarted twice`);
            this.restarted.set(name, { timeline, restartedAt: this.ecs.now, superseded: false, finished: false });
        };
        this.ecs.beforeAnswer = () => this.advance();
    }

    /** When the first service was restarted (the double's time), or undefined before any was. */
    get restartedAt(): number | undefined {
        const times = [...this.restarted.values()].map((service) => service.restartedAt);
        return times.length > 0 ? Math.min(...times) : undefined;
    }

    /** Each restarted service, with when its timeline says ECS ended its deployment. */
    get ends(): ServiceEnd[] {
        return [...this.restarted].map(([name, service]) => ({
            name,
            restartedAt: service.restartedAt,
            endedAt: service.restartedAt + (failedAtSeconds(service.timeline) ?? (completedAtSeconds(service.timeline) as number)) * 1000,
        }));
    }

    /** How many times each service was restarted (UpdateService answered): a second one throws, so 1 or absent. */
    restarts(name: string): number {
        return this.restarted.has(name) ? 1 : 0;
    }

    private advance(): void {
        for (const [name, service] of this.restarted) {
            if (service.finished) continue;
            const elapsed = (this.ecs.now - service.restartedAt) / 1000;
            const { timeline } = service;
            const failedAt = failedAtSeconds(timeline);
            if (failedAt !== undefined) {
                if (elapsed >= failedAt) {
                    this.ecs.fail(name);
                    service.finished = true;
                }
                continue;
            }
            const supersededAt = timeline.supersededAtSeconds;
            if (supersededAt !== undefined && !service.superseded && elapsed >= supersededAt) {
                this.ecs.supersede(name, 0);
                service.superseded = true;
            }
            if (elapsed >= (completedAtSeconds(timeline) as number)) {
                this.ecs.complete(name);
                service.finished = true;
                continue;
            }
            this.setCounts(name, timeline, elapsed - (service.superseded ? (supersededAt ?? 0) : 0));
        }
    }

    private setCounts(name: string, timeline: ServiceTimeline, elapsedSeconds: number): void {
        const counts = taskCountsAt(timeline, elapsedSeconds);
        const primary = this.ecs.primary(name);
        primary.runningCount = counts.newRunning;
        primary.pendingCount = counts.newPending;
        const scripted = this.ecs.services.get(name);
        const previous = scripted?.deployments.filter((deployment) => deployment !== primary) ?? [];
        // The tasks of the deployment before the restart (and of ours, once superseded) drain together.
        previous.forEach((deployment, index) => {
            deployment.runningCount = index === previous.length - 1 ? counts.oldRunning : 0;
            deployment.pendingCount = 0;
        });
    }
}
