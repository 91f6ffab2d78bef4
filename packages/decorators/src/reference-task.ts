import { TaskDefinitionError, type InputsSpec, type OutputsSpec, type TaskReference } from "@flytekit-ts/core";
import { applicationOf, methodApplication, type MethodDecorator } from "./application.js";
import { applyTaskDecorator } from "./apply.js";

export interface ReferenceTaskOptions extends TaskReference {
  inputs?: InputsSpec;
  outputs?: OutputsSpec;
}

/**
 * Declares a reference to a task registered in Flyte, with the interface of the decorated
 * method (its body never runs). It serializes to its identifier as given; a local call fails
 * until it is mocked: `mockTask(Ref.join).returns("...")`. With standard decorators, name every
 * input in `inputs` and the outputs in `outputs` (none when left out).
 */
export function referenceTask(options: ReferenceTaskOptions): MethodDecorator {
  if (applicationOf([...arguments], false) !== undefined || typeof options !== "object" || options === null) {
    throw new TaskDefinitionError({
      subject: "@referenceTask",
      problem: "it needs the reference: the registered task's project, domain, name and version",
      fix: '@referenceTask({ project: "flytesnacks", domain: "development", name: "my.task", version: "v1" })',
    });
  }
  return ((...applied: unknown[]) =>
    applyTaskDecorator("@referenceTask()", "reference", options as unknown as Readonly<Record<string, unknown>>, methodApplication("@referenceTask()", applied))) as MethodDecorator;
}
