import { functionTask, TaskDefinitionError, type FunctionTaskOptions, type InputsSpec, type OutputsSpec, type TaskFunction } from "@flytekit-ts/core";
import type { DeclaredTaskOptions, OutputIn, TaskInputs } from "@flytekit-ts/core/internal";
import { declareTask } from "./declare.js";

/** A decorator for a class (whose `run` method is the task) or for a static or instance method. */
export interface TaskDecorator {
  (target: Function): void;
  (target: object, key: string | symbol, descriptor: PropertyDescriptor): PropertyDescriptor | void;
}

/**
 * Declares a task.
 *
 * On a method, static or not, the method becomes the task and stays callable as written:
 * `Pipelines.add(1, 2)` converts its arguments to Flyte literals, runs the method through the
 * same path a Flyte container takes, and gives back its result. Types come from TypeScript's
 * metadata; name what TypeScript erases: `@task({ inputs: { xs: List(Int) }, outputs: Int })`.
 *
 * On a class, its `run` method is the task (an instance is made for every call).
 *
 * With a function as second argument it is the function form, typed by its tokens and needing no
 * metadata: `task({ inputs: { x: Int }, outputs: Int }, ({ x }) => ...)`.
 */
export function task<const I extends InputsSpec = {}, const O extends OutputsSpec | undefined = undefined, R = OutputIn<O>>(
  options: FunctionTaskOptions<I, O>,
  fn: (inputs: TaskInputs<I>) => R & (OutputIn<O> | PromiseLike<OutputIn<O>>),
): TaskFunction<I, O, R extends PromiseLike<unknown> ? true : false>;
export function task(options?: DeclaredTaskOptions): TaskDecorator;
export function task(options: DeclaredTaskOptions = {}, fn?: Function): unknown {
  if (fn !== undefined) return functionTask(options as FunctionTaskOptions<InputsSpec, OutputsSpec | undefined>, fn as never);
  if (typeof options !== "object" || options === null) {
    throw new TaskDefinitionError({ subject: "@task()", expected: "options to be an object", got: String(options), fix: "write @task() without options" });
  }
  return (target: object, key?: string | symbol, descriptor?: PropertyDescriptor) =>
    declareTask("@task()", "function", options as Readonly<Record<string, unknown>>, target, key, descriptor);
}
