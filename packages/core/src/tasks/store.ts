import { classFound } from "../metadata/awaiting-class.js";
import type { TaskDeclaration } from "./declaration.js";
import { nextDeclarationIndex, withDeclarationIndex } from "./sequence.js";
import type { Task } from "./task.js";

/** How a declaration becomes its task. */
export type TaskBuilder = (declaration: TaskDeclaration) => Task;

/** A recorded declaration and the task built from it (rebuilt after the store is cleared). */
export class TaskEntry {
  /** @internal */ task: Task | undefined;
  /** @internal */ generation = -1;
  constructor(
    readonly declaration: TaskDeclaration,
    private readonly store: TaskStore,
    /** @internal */ readonly builder: TaskBuilder,
    /** Where the declaration comes in the program's order of declarations. */
    readonly index: number = nextDeclarationIndex(),
  ) {}

  /** The task, built on first use. */
  get(): Task {
    const task = this.task;
    if (task !== undefined && this.generation === this.store.generation) return task;
    return this.store.build(this);
  }
}

function memberKey(declaration: TaskDeclaration): string {
  return declaration.style === "class" ? "" : `${declaration.style === "static" ? "static " : ""}${declaration.member}`;
}

/**
 * The one store of declared tasks, keyed by class and member. Decorators record; each task is
 * built once, on first use. `clear()` forgets every declaration and built task, so tests start
 * afresh; a decorated method still works after it, rebuilding its task when next called.
 */
export class TaskStore {
  private list: TaskEntry[] = [];
  private listed = new WeakSet<TaskEntry>();
  private readonly byHandle = new WeakMap<Function, TaskEntry | Task>();
  /** Handles of tasks whose class is not known yet (standard decorators on instance methods), with what they are. */
  private readonly awaiting = new WeakMap<Function, string>();
  /** @internal Bumped by clear(): tasks built before it are rebuilt. */
  generation = 0;

  /**
   * Records a declaration, reachable from its class and from each handle (what replaced the method);
   * `build` makes its task. `index` is its place in the order of declarations, when it was taken
   * before the declaration could be recorded (a standard decorator's, waiting for its class).
   */
  record(declaration: TaskDeclaration, handles: readonly Function[], build: TaskBuilder, index?: number): TaskEntry {
    const entry = new TaskEntry(declaration, this, build, index);
    this.index(entry);
    for (const handle of handles) this.byHandle.set(handle, entry);
    return entry;
  }

  private index(entry: TaskEntry): void {
    this.list.push(entry);
    this.listed.add(entry);
  }

  /** @internal Builds (or rebuilds) an entry's task. */
  build(entry: TaskEntry): Task {
    if (!this.listed.has(entry)) this.index(entry);
    entry.task = undefined;
    const task = withDeclarationIndex(entry.index, () => entry.builder(entry.declaration));
    entry.task = task;
    entry.generation = this.generation;
    return task;
  }

  /** Makes more functions lead to an entry's task (the function that replaced a method). */
  addHandle(entry: TaskEntry, handle: Function): void {
    this.byHandle.set(handle, entry);
    this.awaiting.delete(handle);
  }

  /**
   * Notes a handle whose task waits for its class (`what` says what it is, for messages): a standard
   * decorator on an instance method is not given its class, which is found later (see
   * metadata/awaiting-class.ts); `addHandle` ends the wait.
   */
  awaitClass(handle: Function, what: string): void {
    if (!this.byHandle.has(handle)) this.awaiting.set(handle, what);
  }

  /** What a handle whose task still waits for its class is, or undefined. */
  awaitingClass(handle: Function): string | undefined {
    return this.awaiting.get(handle);
  }

  /** Makes `handle` (a function built by the function form) lead to `task`. */
  registerHandle(handle: Function, task: Task): void {
    this.byHandle.set(handle, task);
  }

  /** The task a handle stands for: a decorated method or class, or a function-form task. */
  taskOf(handle: Function): Task | undefined {
    // A class may hold declarations that wait for it (standard decorators): finding it places them.
    if (Object.prototype.hasOwnProperty.call(handle, "prototype")) classFound(handle);
    const found = this.byHandle.get(handle);
    if (found === undefined) return undefined;
    return found instanceof TaskEntry ? found.get() : found;
  }

  /** The declarations recorded on a class, by member ("" for the class itself, "static x" for statics). */
  declarationsOf(cls: Function): ReadonlyMap<string, TaskEntry> {
    classFound(cls);
    return new Map(this.list.filter((e) => e.declaration.target === cls).map((e) => [memberKey(e.declaration), e]));
  }

  /** Every entry recorded since the last clear. */
  entries(): TaskEntry[] {
    return [...this.list];
  }

  /** Forgets every declaration and built task. */
  clear(): void {
    this.list = [];
    this.listed = new WeakSet();
    this.generation++;
  }
}

const STORE = Symbol.for("flytekit-ts.task-store");
/** The process-wide store (shared by every copy of the package that is loaded). */
export const taskStore: TaskStore = ((globalThis as Record<symbol, unknown>)[STORE] as TaskStore | undefined) ??
  ((globalThis as Record<symbol, unknown>)[STORE] = new TaskStore()) as TaskStore;
