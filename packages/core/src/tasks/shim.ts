// flytekit's second execution pattern (flytekit/core/shim_task.py): a task whose container runs no
// function of the user's, only an executor that reads everything it needs from the serialized
// TaskTemplate. Plugin authors subclass ShimTaskExecutor; CustomizedContainerTask declares such
// tasks; in the container, TaskTemplateResolver loads them as ExecutableTemplateShimTask.
import type { ExecutionContext, TaskExecutionContext } from "../context/context.js";
import type { TaskTemplate } from "../idl/gen/flyteidl/core/tasks_pb.js";
import type { TypedInterface } from "../idl/gen/flyteidl/core/interface_pb.js";
import { Interface, type InputVariable, type OutputVariable } from "../interface/interface.js";
import type { LiteralType } from "../idl/gen/flyteidl/core/types_pb.js";
import { FlyteTypeError } from "../types/errors.js";
import { guessType } from "../types/guess.js";
import { DocumentError } from "../errors/flyte-error.js";
import { TaskDefinitionError, TaskOutputError } from "./errors.js";
import { defaultTaskSettings } from "./options.js";
import { Task, type TaskInit } from "./task.js";

/**
 * The business logic of a template-based task. It sees only the TaskTemplate (its `custom` field
 * above all) and the native inputs; what was not serialized into the template is not there.
 */
export abstract class ShimTaskExecutor {
  /**
   * Where a container imports this executor from, `<module>#<export>`: a package specifier
   * (`@flytekit-ts/plugins/sqlite#SQLite3TaskExecutor`) or a path from the package root. Set it
   * as a static property, or decorate the class with `@taskExecutor()`. Not inherited.
   */
  static location?: string;

  /** Runs the task: the template, and the inputs by name. Returns the outputs as a task body would. */
  abstract executeFromModel(taskTemplate: TaskTemplate, inputs: Readonly<Record<string, unknown>>, context: ExecutionContext): unknown;
}

/** An executor class, made without arguments. */
export type ShimTaskExecutorClass = (new () => ShimTaskExecutor) & { readonly name: string; readonly location?: string };

/**
 * The interface of a task known only by its template. Lossy, as in flytekit: the template keeps
 * Flyte's types, not TypeScript's, so a record input arrives as an instance of a class made from its
 * schema (its fields, not its methods), an enum as its string, and defaults are unknown (every input
 * is required unless its type accepts none).
 */
export function interfaceFromTemplate(typed: TypedInterface | undefined, task: string): Interface {
  // A type the template does not have, or that nothing reads, is the template's problem: reading it
  // again reads the same thing (a DocumentError, which the container reports as not recoverable).
  const guess = (lt: LiteralType | undefined, subject: string) => {
    try {
      return guessType(lt, subject);
    } catch (e) {
      if (e instanceof FlyteTypeError) throw new DocumentError({ ...e.fields, task: task === "" ? undefined : task }, { cause: e });
      throw e;
    }
  };
  const inputs: InputVariable[] = Object.entries(typed?.inputs?.variables ?? {}).map(([name, v]) => {
    const type = guess(v.type, `input '${name}'`);
    return { name, type, optional: type.acceptsNone, hasDefaultValue: false, description: v.description };
  });
  const outputs: OutputVariable[] = Object.entries(typed?.outputs?.variables ?? {}).map(([name, v]) => ({
    name,
    type: guess(v.type, `output '${name}'`),
    description: v.description,
  }));
  return new Interface(inputs, outputs);
}

/**
 * An executor's result as outputs, as flytekit's shim reads it: with one output the whole value is
 * that output (even an object with a key of the output's name); with several, a sequence holds them
 * in order (an object by name works too).
 */
export function executorOutputs(task: Task, result: unknown): unknown {
  const outputs = task.interface.outputs;
  if (outputs.length === 1) return task.interface.returnsBareValue ? result : { [outputs[0]!.name]: result };
  if (outputs.length > 1 && Array.isArray(result)) {
    if (result.length !== outputs.length) {
      throw new TaskOutputError({ task: task.name, expected: `${outputs.length} values, one for each output (${outputs.map((o) => o.name).join(", ")})`, got: `${result.length}` });
    }
    return Object.fromEntries(outputs.map((o, i) => [o.name, result[i]]));
  }
  return result;
}

export function checkExecutor(executorType: unknown, where: { task?: string; subject?: string }): ShimTaskExecutorClass {
  if (typeof executorType !== "function" || !(executorType.prototype instanceof ShimTaskExecutor)) {
    throw new TaskDefinitionError({
      ...where,
      expected: "an executor: a class that extends ShimTaskExecutor",
      got: String((executorType as { name?: string } | undefined)?.name ?? executorType),
    });
  }
  return executorType as ShimTaskExecutorClass;
}

/**
 * A task whose body is an executor run from a template: the executor is made once, gets the
 * template and the inputs, and its result becomes the outputs as flytekit's shim reads it.
 */
export abstract class ExecutorTask extends Task {
  readonly executorType: ShimTaskExecutorClass;
  readonly executor: ShimTaskExecutor;

  constructor(init: TaskInit, executorType: ShimTaskExecutorClass) {
    super(init);
    this.executorType = checkExecutor(executorType, { task: init.name });
    this.executor = new this.executorType();
  }

  /** The template the executor reads. */
  abstract get taskTemplate(): TaskTemplate;

  /** As in flytekit, the executor is the plugin's code: what it throws is reported as it is. */
  protected override get bodyIsUserCode(): boolean {
    return false;
  }

  protected executeNative(inputs: Record<string, unknown>, context: TaskExecutionContext): unknown {
    return this.executor.executeFromModel(this.taskTemplate, inputs, context);
  }

  protected override shapeResult(result: unknown): unknown {
    return executorOutputs(this, result);
  }
}

/**
 * A task run from its template alone (flytekit's ExecutableTemplateShimTask): its name, type and
 * interface come from the template, and its body is the executor's `executeFromModel`.
 */
export class ExecutableTemplateShimTask extends ExecutorTask {
  readonly taskType: string;
  private readonly template: TaskTemplate;

  constructor(taskTemplate: TaskTemplate, executorType: ShimTaskExecutorClass) {
    const name = taskTemplate.id?.name ?? "";
    super({ name, interface: interfaceFromTemplate(taskTemplate.interface, name), settings: defaultTaskSettings(name) }, executorType);
    this.taskType = taskTemplate.type;
    this.template = taskTemplate;
  }

  get taskTemplate(): TaskTemplate {
    return this.template;
  }
}
