// @eager: an eager task (flytekit's @eager), whose async body calls other tasks as plain awaited
// functions, `Promise.all` running several at once. Declared as @task is, in either decorator mode.
import type { FunctionTaskOptions, InputsSpec, OutputsSpec, TaskFunction } from "@flytekit-ts/core";
import { TaskDefinitionError } from "@flytekit-ts/core";
import { eagerFunctionTask, type DeclaredTaskOptions, type OutputIn, type TaskInputs } from "@flytekit-ts/core/internal";
import { applicationOf } from "./application.js";
import { applyTaskDecorator } from "./apply.js";
import type { TaskDecorator } from "./task.js";

/**
 * Declares an eager task: an `async` method (static or not, or a class's `run`) whose body calls
 * other tasks and awaits them; `Promise.all` runs several at once, and an eager task may call
 * another. Locally each call runs inline with its own cache, retries and timeout, and is recorded in
 * the eager task's run (`currentContext().eager.calls`); on a cluster each runs as an execution of
 * its own. A call of a task from the body always returns a Promise. A failed call is re-thrown
 * naming both tasks (an `EagerCallError`, the task's error its `cause`).
 *
 * It takes `@task`'s options but a plugin's `taskConfig`; decks are always on, as flytekit's
 * `@eager` has them (`enableDeck` is ignored, `disableDeck` refused).
 *
 * `@eager` without parentheses is `@eager()`. With a function as second argument it is the function
 * form: `eager({ inputs: { x: Int }, outputs: Int }, async ({ x }) => ...)`.
 */
export function eager<const I extends InputsSpec = {}, const O extends OutputsSpec | undefined = undefined>(
  options: FunctionTaskOptions<I, O>,
  fn: (inputs: TaskInputs<I>) => PromiseLike<OutputIn<O>>,
): TaskFunction<I, O, true>;
/** `@eager(options)`. */
export function eager(options?: DeclaredTaskOptions): TaskDecorator;
/** `@eager` on a class, legacy decorators. */
export function eager(target: Function): void;
/** `@eager` on a method, legacy decorators. */
export function eager(target: object, key: string | symbol, descriptor: PropertyDescriptor): PropertyDescriptor | void;
/** `@eager` on a method, standard decorators. */
export function eager<This, Value extends (this: This, ...args: any) => any>(value: Value, context: ClassMethodDecoratorContext<This, Value>): void;
/** `@eager` on a class, standard decorators. */
export function eager<Class extends abstract new (...args: any) => any>(value: Class, context: ClassDecoratorContext<Class>): void;
export function eager(...args: unknown[]): unknown {
  const bare = applicationOf(args, true);
  if (bare !== undefined) return applyTaskDecorator("@eager", "eager", {}, bare);
  const [options = {}, fn] = args;
  if (fn !== undefined || args.length > 1) {
    return eagerFunctionTask(options as FunctionTaskOptions<InputsSpec, OutputsSpec | undefined>, fn as never);
  }
  if (typeof options !== "object" || options === null) {
    throw new TaskDefinitionError({ subject: "@eager()", expected: "options to be an object", got: String(options), fix: "write @eager() without options" });
  }
  return (...applied: unknown[]) => {
    const application = applicationOf(applied, true);
    if (application === undefined) {
      throw new TaskDefinitionError({ subject: "@eager()", problem: "it was called as a function, not applied as a decorator", fix: "write @eager() above a class or method, or eager(options, fn) for the function form" });
    }
    return applyTaskDecorator("@eager()", "eager", options as Readonly<Record<string, unknown>>, application);
  };
}
