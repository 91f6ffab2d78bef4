import type { InputsSpec, OutputsSpec, TaskReference } from "@flytekit-ts/core";
import { declareTask } from "./declare.js";

export interface ReferenceTaskOptions extends TaskReference {
  inputs?: InputsSpec;
  outputs?: OutputsSpec;
}

/**
 * Declares a reference to a task registered in Flyte, with the interface of the decorated
 * method (its body never runs). It serializes to its identifier as given; a local call fails
 * until it is mocked: `mockTask(Ref.join).returns("...")`.
 */
export function referenceTask(
  options: ReferenceTaskOptions,
): (target: object, key: string | symbol, descriptor: PropertyDescriptor) => PropertyDescriptor | void {
  return (target, key, descriptor) =>
    declareTask("@referenceTask()", "reference", options as unknown as Readonly<Record<string, unknown>>, target, key, descriptor);
}
