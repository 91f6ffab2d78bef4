import type { TaskExecutionContext } from "../context/context.js";
import { Interface } from "../interface/interface.js";
import { inputsOf, outputsOf, type InputsSpec, type OutputsSpec } from "./infer.js";
import { defaultTaskSettings } from "./options.js";
import { NotRunnableLocallyError, TaskDefinitionError } from "./errors.js";
import { Task, type TaskInit } from "./task.js";

/** The identity of a task registered elsewhere. */
export interface TaskReference {
  project: string;
  domain: string;
  name: string;
  version: string;
}

/**
 * A task registered in Flyte by someone else, used by its identifier (flytekit's ReferenceTask).
 * It serializes to a reference, never a TaskTemplate; locally it cannot run until it is mocked
 * (`mockTask(ref).returns(...)`).
 */
export class ReferenceTask extends Task {
  readonly taskType = "reference";
  readonly reference: TaskReference;

  constructor(init: Omit<TaskInit, "name"> & { reference: TaskReference }) {
    for (const key of ["project", "domain", "name", "version"] as const) {
      if (typeof init.reference[key] !== "string" || init.reference[key] === "") {
        throw new TaskDefinitionError({ subject: `reference task, ${key}`, expected: "a non-empty string", got: JSON.stringify(init.reference[key]) ?? "nothing" });
      }
    }
    super({ ...init, name: init.reference.name });
    this.reference = { ...init.reference };
  }

  /** A reference declared by its interface: `ReferenceTask.of({ project, domain, name, version }, { inputs, outputs })`. */
  static of(reference: TaskReference, spec: { inputs?: InputsSpec; outputs?: OutputsSpec } = {}): ReferenceTask {
    const iface = new Interface(inputsOf(reference.name, spec.inputs ?? {}), spec.outputs === undefined ? [] : outputsOf(reference.name, spec.outputs));
    return new ReferenceTask({ reference, interface: iface, settings: defaultTaskSettings(reference.name) });
  }

  protected override get bodyIsUserCode(): boolean {
    return false;
  }

  protected executeNative(_inputs: Record<string, unknown>, _context: TaskExecutionContext): never {
    const r = this.reference;
    throw new NotRunnableLocallyError({
      task: this.name,
      problem: `Remote reference entities cannot be run locally. You must mock this out (${r.project}/${r.domain}/${r.name}@${r.version})`,
      fix: "use mockTask(...).returns(value)",
    });
  }
}
