import { functionTask, TaskDefinitionError, type FunctionTaskOptions, type InputsSpec, type OutputsSpec, type TaskFunction } from "@flytekit-ts/core";
import type { DeclaredTaskOptions, OutputIn, TaskInputs } from "@flytekit-ts/core/internal";
import { applicationOf } from "./application.js";
import { applyTaskDecorator } from "./apply.js";

/**
 * A decorator for a class (whose `run` method is the task) or for a static or instance method, in
 * either of TypeScript's decorator modes: legacy (`experimentalDecorators`) or standard (TC39).
 */
export interface TaskDecorator {
  /** Legacy, on a class. */
  (target: Function): void;
  /** Legacy, on a method. */
  (target: object, key: string | symbol, descriptor: PropertyDescriptor): PropertyDescriptor | void;
  /** Standard, on a method. */
  <This, Value extends (this: This, ...args: any) => any>(value: Value, context: ClassMethodDecoratorContext<This, Value>): void;
  /** Standard, on a class. */
  <Class extends abstract new (...args: any) => any>(value: Class, context: ClassDecoratorContext<Class>): void;
}

/**
 * Declares a task.
 *
 * On a method, static or not, the method becomes the task and stays callable as written:
 * `Pipelines.add(1, 2)` converts its arguments to Flyte literals, runs the method through the
 * same path a Flyte container takes, and gives back its result. With legacy decorators
 * (`experimentalDecorators` and `emitDecoratorMetadata`) types come from TypeScript's metadata;
 * name what TypeScript erases: `@task({ inputs: { xs: List(Int) }, outputs: Int })`. Standard
 * decorators carry no metadata: every input is named in `inputs`, and `outputs` says what the
 * method returns (none when left out).
 *
 * On a class, its `run` method is the task (an instance is made for every call).
 *
 * `@task` without parentheses is `@task()`.
 *
 * With a function as second argument it is the function form, typed by its tokens and needing no
 * metadata: `task({ inputs: { x: Int }, outputs: Int }, ({ x }) => ...)`.
 */
export function task<const I extends InputsSpec = {}, const O extends OutputsSpec | undefined = undefined, R = OutputIn<O>>(
  options: FunctionTaskOptions<I, O>,
  fn: (inputs: TaskInputs<I>) => R & (OutputIn<O> | PromiseLike<OutputIn<O>>),
): TaskFunction<I, O, R extends PromiseLike<unknown> ? true : false>;
/** `@task(options)`. */
export function task(options?: DeclaredTaskOptions): TaskDecorator;
/** `@task` on a class, legacy decorators. */
export function task(target: Function): void;
/** `@task` on a method, legacy decorators. */
export function task(target: object, key: string | symbol, descriptor: PropertyDescriptor): PropertyDescriptor | void;
/** `@task` on a method, standard decorators. */
export function task<This, Value extends (this: This, ...args: any) => any>(value: Value, context: ClassMethodDecoratorContext<This, Value>): void;
/** `@task` on a class, standard decorators. */
export function task<Class extends abstract new (...args: any) => any>(value: Class, context: ClassDecoratorContext<Class>): void;
export function task(...args: unknown[]): unknown {
  const bare = applicationOf(args, true);
  if (bare !== undefined) return applyTaskDecorator("@task", "function", {}, bare);
  const [options = {}, fn] = args;
  if (fn !== undefined || args.length > 1) {
    return functionTask(options as FunctionTaskOptions<InputsSpec, OutputsSpec | undefined>, fn as never);
  }
  if (typeof options !== "object" || options === null) {
    throw new TaskDefinitionError({ subject: "@task()", expected: "options to be an object", got: String(options), fix: "write @task() without options" });
  }
  return (...applied: unknown[]) => {
    const application = applicationOf(applied, true);
    if (application === undefined) {
      throw new TaskDefinitionError({ subject: "@task()", problem: "it was called as a function, not applied as a decorator", fix: "write @task() above a class or method, or task(options, fn) for the function form" });
    }
    return applyTaskDecorator("@task()", "function", options as Readonly<Record<string, unknown>>, application);
  };
}
