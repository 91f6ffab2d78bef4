// How core's TaskEnvironment declares a task on a class member without depending on
// @flytekit-ts/decorators: the decorators package registers what applies a task decorator (in
// either of TypeScript's decorator modes) when it is imported, and `env.task` uses it. A
// registration shared by every copy of the package, like the task store.
import { TaskDefinitionError } from "./errors.js";

/**
 * Applies a task decorator whose arguments are `args` (legacy or standard), declaring a function
 * task with `options`; undefined when `args` are not a decorator's application.
 */
export type TaskDecoratorApplier = (decorator: string, options: object, args: readonly unknown[]) => { result: unknown } | undefined;

const KEY = Symbol.for("flytekit-ts.task-decorator-applier");
const slot = globalThis as { [KEY]?: TaskDecoratorApplier };

/** Registers what applies task decorators (the decorators package does, when imported). */
export function registerTaskDecoratorApplier(applier: TaskDecoratorApplier): void {
  slot[KEY] = applier;
}

/** The registered applier, or an error that says to import the decorators package. */
export function taskDecoratorApplier(decorator: string): TaskDecoratorApplier {
  const applier = slot[KEY];
  if (applier === undefined) {
    throw new TaskDefinitionError({
      subject: decorator,
      problem: "declaring a task on a class member takes @flytekit-ts/decorators, which is not loaded",
      fix: 'import "@flytekit-ts/decorators" before the class is declared, or use the function form: env.task(options, fn)',
    });
  }
  return applier;
}
