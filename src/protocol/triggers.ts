import { ResourceModel } from '../models';
import { field } from './envelope';

/**
 * Why it exists: the library's model transform (class-transformer 0.5.1, through `BaseModel.deserialize`
 * in node_modules/@amazon-web-services-cloudformation/cloudformation-cli-typescript-lib/dist/interface.js
 * and the generated src/models.ts) drops or breaks on Triggers keys that are names of
 * Object.prototype members (`constructor`, `__proto__`, `toString`), which are valid keys. So the
 * library never sees Triggers: it is given the event and the models without them, and the exported
 * entrypoints put the exact properties back into the answer.
 */

/** The properties without Triggers: what the library's model transform is given. */
export function withoutTriggers(properties: unknown): unknown {
    if (typeof properties !== 'object' || properties === null || Array.isArray(properties)) return properties;
    const { Triggers: _triggers, ...rest } = properties as Record<string, unknown>;
    return rest;
}

/** A copy of the event whose resource properties (under `requestKey`) the library's transform can take. */
export function eventForLibrary(event: unknown, requestKey: string, propertyKeys: readonly string[]): unknown {
    const request = field(event, requestKey);
    if (typeof request !== 'object' || request === null) return event;
    const copy: Record<string, unknown> = { ...(request as Record<string, unknown>) };
    for (const key of propertyKeys) {
        if (key in copy) copy[key] = withoutTriggers(copy[key]);
    }
    return { ...(event as Record<string, unknown>), [requestKey]: copy };
}

/** The exact models one invocation answers with, kept beside the Triggers-less ones the library serialises. */
export class AnswerModels {
    private single?: Record<string, unknown>;
    private readonly list: Array<Record<string, unknown>> = [];

    /** Keeps `properties` as the answer's resourceModel and returns the model to give the library. */
    storeAnswer(properties: Record<string, unknown>): ResourceModel {
        this.single = properties;
        return ResourceModel.deserialize(withoutTriggers(properties) as Record<string, unknown>);
    }

    /** Adds `properties` to the answer's resourceModels and returns the model to give the library. */
    storeListEntry(properties: Record<string, unknown>): ResourceModel {
        this.list.push(properties);
        return ResourceModel.deserialize(withoutTriggers(properties) as Record<string, unknown>);
    }

    /** Puts the exact models into the library's serialised answer, in place. */
    putInto(answer: Record<string, unknown>): void {
        if (this.single && typeof answer.resourceModel === 'object' && answer.resourceModel !== null) {
            answer.resourceModel = JSON.parse(JSON.stringify(this.single)) as unknown;
        }
        if (this.list.length > 0 && Array.isArray(answer.resourceModels)) {
            answer.resourceModels = JSON.parse(JSON.stringify(this.list)) as unknown;
        }
    }
}
