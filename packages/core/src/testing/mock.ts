// Mocks of tasks for tests (flytekit's task_mock): a mocked task still binds and converts its
// inputs and outputs with its types, but runs the mock instead of its body.
import { currentServices } from "../context/context.js";
import type { MockBody, MockRegistry } from "../context/mocks.js";
import { taskOf, type TaskLike } from "../tasks/handles.js";
import type { Task } from "../tasks/task.js";

/** What a mocked task does instead of its body: given its native inputs by name, what it returns. */
export type MockBehaviour = (inputs: Readonly<Record<string, unknown>>) => unknown;

/**
 * A stand-in for a task's body. Restore it with `restore()` (or `using`); `calls` records the
 * inputs of every call.
 */
export class TaskMock implements MockBody {
  /** The native inputs of each call, by name. */
  readonly calls: Readonly<Record<string, unknown>>[] = [];
  private behaviour: MockBehaviour = () => undefined;

  constructor(
    readonly task: Task,
    private readonly registry: MockRegistry,
  ) {}

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

  /** @internal Runs the mock for one call: a mock of an async task returns a Promise (what it throws rejects it), as the task does. */
  run(inputs: Readonly<Record<string, unknown>>): unknown {
    this.calls.push(inputs);
    if (!this.task.isAsync) return this.behaviour(inputs);
    return new Promise((resolve) => resolve(this.behaviour(inputs)));
  }

  /** Removes the mock: the task runs its own body again. */
  restore(): void {
    this.registry.remove(this.task, this);
  }

  [Symbol.dispose](): void {
    this.restore();
  }
}

/**
 * Replaces a task's body for tests (flytekit's task_mock): `mockTask(Pipelines.add).returns(3)`.
 * Inputs and outputs still go through the task's types. `restore()` (or `using`) removes it.
 */
export function mockTask(handle: TaskLike): TaskMock {
  return installMock(taskOf(handle));
}

/** Installs a mock on a task, in the mocks of the services local calls now use. */
export function installMock(task: Task): TaskMock {
  const registry = currentServices().mocks;
  const mock = new TaskMock(task, registry);
  registry.install(task, mock);
  return mock;
}

/** Removes every mock (of the services local calls now use). */
export function restoreAllMocks(): void {
  currentServices().mocks.clear();
}
