import type { InputsSpec } from "@flytekit-ts/core";
import { declareTask } from "./declare.js";

export interface EchoOptions {
  /** The task's name, as given (default `<module>.<Class>.<member>`). */
  name?: string;
  /** Input types where TypeScript erases them. */
  inputs?: InputsSpec;
}

/**
 * Declares an echo task on a method: its inputs are the method's parameters and its outputs
 * `o0, o1, ...` mirror them. Flyte's propeller copies inputs to outputs without a container; the
 * method's body never runs. Locally the call returns its inputs.
 */
export function echo(options: EchoOptions = {}): (target: object, key: string | symbol, descriptor: PropertyDescriptor) => PropertyDescriptor | void {
  return (target, key, descriptor) => declareTask("@echo()", "echo", options as Readonly<Record<string, unknown>>, target, key, descriptor);
}
