import { TaskDefinitionError } from "./errors.js";
import { taskStore } from "./store.js";
import { Task } from "./task.js";

/** A task with its calls typed from the method it was declared on. */
export interface TypedTask<Args extends readonly unknown[], Result, Named extends Readonly<Record<string, unknown>> = Readonly<Record<string, unknown>>> extends Task {
  /** Calls the task positionally, as its method is written. */
  call(...args: Args): Result;
  /** Calls the task with its inputs by name (checked when called). */
  invoke(inputs: Named): Result;
}

/** Something that stands for a task: a decorated method or class, a function-form task, or the task. */
export type TaskLike = Task | Function | { readonly task: Task };

/** The task behind a handle, or undefined. */
export function findTask(handle: unknown): Task | undefined {
  if (handle instanceof Task) return handle;
  if (typeof handle === "function") {
    const found = taskStore.taskOf(handle);
    if (found !== undefined) return found;
    const own = (handle as { task?: unknown }).task;
    if (own instanceof Task) return own;
  }
  return undefined;
}

/**
 * The task behind a decorated method or class, or a function-form task: `taskOf(Pipelines.add)`.
 * Its `call` is typed as the method; `invoke` takes the inputs by name (typed by `Named` when given).
 */
export function taskOf<Named extends Readonly<Record<string, unknown>> = Readonly<Record<string, unknown>>, F extends (...args: never[]) => unknown = (...args: never[]) => unknown>(
  handle: F,
): TypedTask<Parameters<F>, ReturnType<F>, Named>;
export function taskOf(handle: TaskLike): Task;
export function taskOf(handle: TaskLike): Task {
  const task = findTask(handle);
  if (task === undefined) {
    const awaiting = typeof handle === "function" ? taskStore.awaitingClass(handle) : undefined;
    if (awaiting !== undefined) {
      throw new TaskDefinitionError({
        subject: `taskOf(), ${awaiting}`,
        problem:
          "its class is not known yet: a standard (TC39) decorator on an instance method is not given its class, and flytekit-ts learns it when the class is " +
          "first used (an instance made or called, a static task of the class declared, the CLI or the container finding it in the module's exports)",
        fix: "make an instance of the class first, or declare the task as a static method",
      });
    }
    const what = typeof handle === "function" ? (handle.name || "(anonymous function)") : String(handle);
    throw new TaskDefinitionError({ subject: "taskOf()", expected: "a task", got: what, fix: "declare it with @task() or build it with task({ ... }, fn)" });
  }
  return task;
}
