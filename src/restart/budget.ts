import { InvocationBudgetSpentError } from './errors';
import type { EcsGateway, RestartDependencies } from './ports';

/**
 * The invocation budget, in one place: after `budgetEndsAt` no new AWS call starts, so that the
 * invocation answers within Lambda's 60 seconds; unfinished work continues in the next invocation.
 */

/** Whether a call (or a wait of `forMs`) may still start in this invocation. */
export function hasBudget(deps: Pick<RestartDependencies, 'now' | 'budgetEndsAt'>, forMs = 0): boolean {
    return deps.now() + forMs < deps.budgetEndsAt;
}

/** The ECS port with the budget checked before every call: past it, InvocationBudgetSpentError. */
export function withBudget(deps: RestartDependencies): EcsGateway {
    const check = (): void => {
        if (!hasBudget(deps)) {
            throw new InvocationBudgetSpentError('The invocation budget is spent: continuing in the next invocation.');
        }
    };
    const ecs = deps.ecs;
    return {
        describeServices: (...args) => (check(), ecs.describeServices(...args)),
        forceNewDeployment: (...args) => (check(), ecs.forceNewDeployment(...args)),
        listServiceDeployments: (...args) => (check(), ecs.listServiceDeployments(...args)),
        describeServiceDeployments: (...args) => (check(), ecs.describeServiceDeployments(...args)),
        describeStoppedTasks: (...args) => (check(), ecs.describeStoppedTasks(...args)),
        listServices: (...args) => (check(), ecs.listServices(...args)),
        describeTaskDefinition: (...args) => (check(), ecs.describeTaskDefinition(...args)),
    };
}
