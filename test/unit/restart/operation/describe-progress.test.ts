/** What a failure says was and was not restarted, and what an operator should know of the deployments started. */
import {
    countRestartState,
    describeDeploymentPlans,
    describeFollowed,
    describeRestartState,
} from '../../../../src/restart/operation/describe-progress';
import { MAX_MESSAGE_LENGTH } from '../../../../src/restart/text/messages';
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

describe('describeFollowed', () => {
    it('says nothing when no deployment of the restart was superseded', () => {
        expect(describeFollowed(restartingOperation())).toBe('');
    });

    it('gives the note of each superseded deployment while they are few', () => {
        const notes = ['service api: deployment ecs-svc/2 was superseded by ecs-svc/3, a newer deployment of the service'];
        expect(describeFollowed({ ...progress, notes })).toBe(notes[0]);
    });

    it('counts many, names a few with both deployments, says where the full list is, and stays within the limit', () => {
        // Prepare: 50 of 1,000 services followed a newer deployment; the context kept only the newest notes.
        const many = restartingOperation({
            services: Array.from({ length: 1_000 }, (_, i) =>
                trackedService({
                    input: `service-with-a-long-name-${i}`,
                    name: `service-with-a-long-name-${i}`,
                    deploymentId: `ecs-svc/51714413464634883${i}`,
                    ...(i % 20 === 3 ? { followedDeploymentId: `ecs-svc/62825524575745994${i}` } : {}),
                    completed: true,
                }),
            ),
            notes: Array.from({ length: 5 }, (_, i) => `service-with-a-long-name-${i}: ${'n'.repeat(390)}`),
        });

        // Act
        const text = describeFollowed(many);

        // Assess
        expect(text.length).toBeLessThanOrEqual(MAX_MESSAGE_LENGTH);
        expect(text).toMatch(
            /^The restart followed newer deployments that superseded its own in 50 services \(for example from a pipeline; they replace every task too\): service-with-a-long-name-3 \(ecs-svc\/517144134646348833 superseded by ecs-svc\/628255245757459943\); /,
        );
        expect(text).toContain('; and 45 more.');
        expect(text).toContain('ServiceArns and DeploymentIds (READ)');
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
