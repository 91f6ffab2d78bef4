// Stand-ins for tasks' bodies (flytekit's task_mock), by task. The execution path asks its
// context's services for a task's mock; `mockTask` (in testing/) installs them here.
import { FlyteError } from "../errors/flyte-error.js";

/** What runs instead of a task's body: given its native inputs by name, what it returns. */
export interface MockBody {
  run(inputs: Readonly<Record<string, unknown>>): unknown;
}

/** Mocks by task. */
export class MockRegistry {
  private readonly mocks = new Map<object, MockBody>();

  /** The mock in force for a task, if any. */
  find(task: object): MockBody | undefined {
    if (this.mocks.size === 0) return undefined;
    // A task made by `override()` runs its original's body, and so its original's mock.
    return this.mocks.get(task) ?? this.mocks.get((task as { origin?: object }).origin ?? task);
  }

  /** Makes `mock` run instead of the task's body. */
  install(task: object, mock: MockBody): void {
    this.mocks.set(task, mock);
  }

  /** Removes the task's mock, when it is `mock` (a newer one stays). */
  remove(task: object, mock: MockBody): void {
    if (this.mocks.get(task) === mock) this.mocks.delete(task);
  }

  /** Removes every mock. */
  clear(): void {
    this.mocks.clear();
  }
}

const KEY = Symbol.for("flytekit-ts.mocks");
/** The mocks local calls use unless told otherwise (shared by every copy of the package). */
export const defaultMocks: MockRegistry = ((globalThis as Record<symbol, unknown>)[KEY] as MockRegistry | undefined) ??
  ((globalThis as Record<symbol, unknown>)[KEY] = new MockRegistry()) as MockRegistry;

/** Mocks nothing, and takes none: a container runs the real bodies. */
class NoMocks extends MockRegistry {
  override install(): void {
    throw new FlyteError({ subject: "mockTask()", problem: "a task in its container runs its own body; mocks are for local calls and tests" });
  }
}
export const NO_MOCKS: MockRegistry = new NoMocks();
Object.freeze(NO_MOCKS);
