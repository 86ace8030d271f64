/** What a failure says was and was not restarted, and what an operator should know of the deployments started. */
import { countRestartState, describeDeploymentPlans, describeRestartState } from '../../../../src/restart/operation/describe-progress';
import { restartingOperation, trackedService } from '../../../support/restart-fixtures';

const progress = restartingOperation({
    services: [
        trackedService({ name: 'web', deploymentId: 'ecs-svc/1', completed: true }),
        trackedService({ name: 'api', deploymentId: 'ecs-svc/2', followedDeploymentId: 'ecs-svc/3' }),
        trackedService({ name: 'worker', deploymentId: undefined, wave: 1 }),
    ],
});

describe('describeRestartState', () => {
    it('counts a thousand services, names a few, says where the full list is, and stays short', () => {
        const many = restartingOperation({
            services: Array.from({ length: 1_000 }, (_, i) =>
                trackedService({
                    input: `svc-${i}`,
                    name: `svc-${i}`,
                    deploymentId: i < 600 ? `ecs-svc/${i}` : undefined,
                    completed: i < 550,
                    wave: i < 600 ? 0 : 1,
                }),
            ),
        });

        const text = describeRestartState(many);

        expect(text).toMatch(
            /^Also restarted 600 services: svc-0 \(ecs-svc\/0, healthy\), .*, and 595 more \(550 healthy, 50 still deploying\)\./,
        );
        expect(text).toContain('Not restarted 400 services: svc-600, svc-601, svc-602, svc-603, svc-604, and 395 more.');
        expect(text).toContain('ServiceArns and DeploymentIds (READ)');
        expect(text.length).toBeLessThan(500);
    });

    it('names every started service with its current deployment and health, then those not restarted', () => {
        expect(describeRestartState(progress)).toBe(
            'Also restarted: web (ecs-svc/1, healthy), api (ecs-svc/3, still deploying). Not restarted: worker.',
        );
    });

    it('leaves out the services the message already speaks of', () => {
        expect(describeRestartState(progress, [progress.services[1]!])).toBe(
            'Also restarted: web (ecs-svc/1, healthy). Not restarted: worker.',
        );
    });

    it('says nothing when nothing else is left to say', () => {
        expect(describeRestartState(restartingOperation(), [trackedService()])).toBe('');
    });
});

describe('countRestartState', () => {
    it('counts the started services by health and those not started, and says where the full lists are', () => {
        expect(countRestartState(progress)).toBe(
            'Also restarted 2 services (1 healthy, 1 still deploying); not restarted 1 service ' +
                "(every service and its deployment: the resource's ServiceArns and DeploymentIds (READ); each failed service with its reason: the handler log).",
        );
    });

    it('leaves out the services the message already speaks of, and says nothing when none is left', () => {
        expect(countRestartState(progress, [progress.services[0]!, progress.services[1]!])).toMatch(/^Not restarted 1 service \(every/);
        expect(countRestartState(restartingOperation(), [trackedService()])).toBe('');
    });
});

describe('describeDeploymentPlans', () => {
    it('says, for each service started, what its strategy will do; nothing for a plain rolling one', () => {
        const services = [
            trackedService({ name: 'plain', traits: undefined }),
            trackedService({ name: 'bg', traits: { strategy: 'BLUE_GREEN' } }),
            trackedService({ name: 'roll', traits: { strategy: 'ROLLING', desiredCount: 2 } }),
        ];
        const plans = describeDeploymentPlans(services);
        expect(plans.some((plan) => plan.startsWith('plain') || plan.startsWith('roll'))).toBe(false);
        expect(plans).toEqual(['bg deploys BLUE_GREEN: no bake time.']);
    });
});
