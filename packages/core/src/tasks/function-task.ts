import type { TaskExecutionContext } from "../execute/context.js";
import { Task, type TaskInit } from "./task.js";

/** How a function task's body is called. */
export type FunctionBody =
  /** A plain function given its inputs as one object (the function form). */
  | { style: "named"; fn: (inputs: Record<string, unknown>) => unknown }
  /** A static method or function called with positional arguments (`this` is `self`). */
  | { style: "positional"; fn: Function; self?: unknown }
  /** An instance method: a new instance of `cls`, made without arguments, for every call (locally and in a container alike). */
  | { style: "instance"; fn: Function; cls: new () => unknown };

/** Where a task is declared, for resolvers: the file, and the path to it from the module's exports. */
export interface TaskLocation {
  /** The file that declared the task (its runtime JavaScript, or TypeScript source under a test runner). */
  file?: string;
  /** The path from the module's exports to the task: `Pipelines.add`, `Add`, `add`. */
  attributePath?: string;
}

export interface FunctionTaskInit extends TaskInit {
  body: FunctionBody;
  /** Whether the body returns a promise (the call then does too). */
  isAsync: boolean;
  location?: TaskLocation;
}

/**
 * A task whose body is a TypeScript function (flytekit's PythonFunctionTask). Flyte runs it in
 * a container of type `typescript-task` through `flytekit-ts-execute`. Plugins subclass it and
 * register with TaskPlugins.
 */
export class FunctionTask extends Task {
  /** Whether this task class can run async bodies; a plugin that cannot says `false`. */
  static supportsAsync = true;

  readonly taskType: string = "typescript-task";
  readonly body: FunctionBody;
  readonly isAsync: boolean;
  readonly location: TaskLocation;

  constructor(init: FunctionTaskInit) {
    super(init);
    this.body = init.body;
    this.isAsync = init.isAsync;
    this.location = init.location ?? {};
  }

  /** The plugin's config, when the task was declared with `taskConfig`. */
  get taskConfig(): object | undefined {
    return this.settings.taskConfig;
  }

  protected executeNative(inputs: Record<string, unknown>, _context: TaskExecutionContext): unknown {
    const body = this.body;
    if (body.style === "named") return body.fn(inputs);
    const vars = this.interface.inputs;
    const args = new Array<unknown>(vars.length);
    for (let i = 0; i < vars.length; i++) args[i] = inputs[vars[i]!.name];
    if (body.style === "instance") return body.fn.apply(new body.cls(), args);
    return body.fn.apply(body.self, args);
  }
}
