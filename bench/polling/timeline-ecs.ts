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

export class TimelineEcs {
    readonly ecs = new ScriptedEcs();
    readonly names: string[];
    private readonly timelines = new Map<string, ServiceTimeline>();
    private readonly restarted = new Map<string, Restarted>();

    constructor(services: readonly ServiceTimeline[]) {
        this.names = services.map((_, index) => serviceName(index));
        services.forEach((timeline, index) => {
            const name = serviceName(index);
            this.timelines.set(name, timeline);
            this.ecs.addService(name, { desiredCount: timeline.desiredCount });
        });
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
