import type { Task } from "../tasks/task.js";

/** What a mocked task does instead of its body: given its native inputs by name, what it returns. */
export type MockBehaviour = (inputs: Readonly<Record<string, unknown>>) => unknown;

const MOCKS = Symbol.for("flytekit-ts.mocks");
const registry: Map<Task, TaskMock> = ((globalThis as Record<symbol, unknown>)[MOCKS] as Map<Task, TaskMock> | undefined) ??
  ((globalThis as Record<symbol, unknown>)[MOCKS] = new Map<Task, TaskMock>()) as Map<Task, TaskMock>;

/**
 * A stand-in for a task's body (flytekit's `task_mock`): calls still bind and convert inputs and
 * outputs with the task's types, but run this instead of the body. Restore it with `restore()`
 * (or `using`); `calls` records the inputs of every call.
 */
export class TaskMock {
  /** The native inputs of each call, by name. */
  readonly calls: Readonly<Record<string, unknown>>[] = [];
  private behaviour: MockBehaviour = () => undefined;

  constructor(readonly task: Task) {}

  /** Every call returns `value` (checked against the task's outputs). */
  returns(value: unknown): this {
    this.behaviour = () => value;
    return this;
  }

  /** Every call throws `error`. */
  throws(error: unknown): this {
    this.behaviour = () => {
      throw error;
    };
    return this;
  }

  /** Every call runs `fn` on the inputs. */
  implementation(fn: MockBehaviour): this {
    this.behaviour = fn;
    return this;
  }

  /** @internal Runs the mock for one call. */
  run(inputs: Readonly<Record<string, unknown>>): unknown {
    this.calls.push(inputs);
    return this.behaviour(inputs);
  }

  /** Removes the mock: the task runs its own body again. */
  restore(): void {
    if (registry.get(this.task) === this) registry.delete(this.task);
  }

  [Symbol.dispose](): void {
    this.restore();
  }
}

/** Installs a mock on a task (see `mockTask` in the public API, which also takes a decorated method). */
export function installMock(task: Task): TaskMock {
  const mock = new TaskMock(task);
  registry.set(task, mock);
  return mock;
}

/** The mock in force for a task, if any. */
export function activeMock(task: Task): TaskMock | undefined {
  return registry.size === 0 ? undefined : registry.get(task);
}

/** Removes every mock. */
export function restoreAllMocks(): void {
  registry.clear();
}
