import { Interface, type InputVariable } from "../interface/interface.js";
import { inputsOf, type InputsSpec } from "./infer.js";
import type { TaskExecutionContext } from "../context/context.js";
import { TaskDefinitionError } from "./errors.js";
import { checkOptionNames, defaultTaskSettings } from "./options.js";
import { Task } from "./task.js";

/** What an echo task takes: its name and its inputs (it has no task options: no container, no retries). */
export const ECHO_OPTION_NAMES: readonly string[] = ["name", "inputs"];

/**
 * A task Flyte's propeller runs without a container: its outputs `o0, o1, ...` are its inputs,
 * copied (flytekit's Echo; propeller's `echo` plugin must be enabled). Locally it returns its
 * inputs: the single value, or an object `{ o0, o1, ... }` for several.
 */
export class EchoTask extends Task {
  readonly taskType = "echo";

  constructor(spec: { name: string; inputs: InputsSpec | readonly InputVariable[] }) {
    if (typeof spec.name !== "string" || spec.name === "") throw new TaskDefinitionError({ subject: "EchoTask", expected: "a name", got: JSON.stringify(spec.name) ?? String(spec.name) });
    checkOptionNames(spec.name, spec, ECHO_OPTION_NAMES);
    const inputs = Array.isArray(spec.inputs) ? (spec.inputs as readonly InputVariable[]) : inputsOf(spec.name, spec.inputs as InputsSpec);
    const outputs = inputs.map((v, i) => ({ name: `o${i}`, type: v.type, description: `o${i}` }));
    super({ name: spec.name, interface: new Interface(inputs, outputs), settings: defaultTaskSettings(spec.name) });
  }

  protected override get bodyIsUserCode(): boolean {
    return false;
  }

  protected executeNative(inputs: Record<string, unknown>, _context: TaskExecutionContext): unknown {
    const values = this.interface.inputs.map((v) => inputs[v.name]);
    if (values.length === 0) return undefined;
    if (values.length === 1) return values[0];
    return Object.fromEntries(values.map((v, i) => [`o${i}`, v]));
  }
}
