// Work a conversion cannot finish synchronously. Converting values is synchronous (a literal is
// made from a value at once), but a table is data that must be written to files first, and a table
// a task takes whole must be read from its files first. So a conversion records that work here and
// the execution path, which may wait, does it: before the body runs (inputs) and before the outputs
// are written (outputs). Types without such work never see any of this.
/** Which input or output of which task a piece of work belongs to (for the error it may raise). */
export interface WorkSubject {
  readonly task: string;
  readonly input?: string;
  readonly output?: string;
}

/**
 * Jobs recorded while a task's inputs or outputs are converted, run when the caller can wait.
 * `subject` is set by the boundary around each value, so a job knows whose it is.
 */
export class PendingWork {
  private readonly jobs: { readonly run: () => Promise<void>; readonly subject: WorkSubject | undefined }[] = [];
  /** The input or output being converted now. */
  subject: WorkSubject | undefined;

  /** Records a job for the value being converted. */
  add(run: () => Promise<void>): void {
    this.jobs.push({ run, subject: this.subject });
  }

  get size(): number {
    return this.jobs.length;
  }

  /**
   * Runs the jobs one after another (each writes a table: they share the memory a table needs).
   * The first failure stops the rest; `fail` turns it into the error to throw, given whose job it was.
   */
  async settle(fail: (error: unknown, subject: WorkSubject | undefined) => unknown): Promise<void> {
    for (const job of this.jobs.splice(0)) {
      try {
        await job.run();
      } catch (e) {
        throw fail(e, job.subject);
      }
    }
  }
}

/**
 * A native value that is not ready yet: what a task declared to take whole (a Table) arrives as
 * its reading, started before the body runs. `subject` names the input once the boundary knows it.
 */
export class DeferredValue {
  /** How many have been made: a conversion that made none has none to wait for. */
  static made = 0;

  constructor(private readonly produce: (subject: WorkSubject | undefined) => Promise<unknown>) {
    DeferredValue.made++;
  }

  resolve(subject?: WorkSubject): Promise<unknown> {
    return this.produce(subject);
  }
}

/**
 * `value` with every DeferredValue in it resolved, one after another: itself, or inside arrays,
 * Maps and objects (a whole Table in a List, a Dict or a record), which are changed in place.
 */
export async function resolveDeferred(value: unknown, subject: WorkSubject | undefined, depth = 0): Promise<unknown> {
  if (value instanceof DeferredValue) return value.resolve(subject);
  if (typeof value !== "object" || value === null || depth > 256) return value;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) value[i] = await resolveDeferred(value[i], subject, depth + 1);
  } else if (value instanceof Map) {
    for (const [k, v] of value) value.set(k, await resolveDeferred(v, subject, depth + 1));
  } else if (!ArrayBuffer.isView(value) && !(value instanceof Date) && !(value instanceof Set)) {
    for (const k of Object.keys(value)) {
      const v = (value as Record<string, unknown>)[k];
      if (typeof v === "object" && v !== null) (value as Record<string, unknown>)[k] = await resolveDeferred(v, subject, depth + 1);
    }
  }
  return value;
}

/**
 * A value that reads lazily (a table handle) is told which input of which task it is, so an error
 * it raises later, inside the task's body, names them: the boundary calls `value[BIND_SUBJECT](subject)`.
 */
export const BIND_SUBJECT: unique symbol = Symbol.for("flytekit-ts.bindSubject") as never;

export function bindSubject(value: unknown, subject: WorkSubject): void {
  if (typeof value === "object" && value !== null && typeof (value as { [BIND_SUBJECT]?: unknown })[BIND_SUBJECT] === "function") {
    (value as { [BIND_SUBJECT]: (s: WorkSubject) => void })[BIND_SUBJECT](subject);
  }
}

/**
 * An error a table handle raised while the task's body read it is a conversion error of that
 * input, not the task's own: it carries the subject, and the execution path names the task and input.
 */
const SUBJECT_OF_ERROR = Symbol.for("flytekit-ts.errorSubject");

export function markSubject<E extends object>(error: E, subject: WorkSubject): E {
  Object.defineProperty(error, SUBJECT_OF_ERROR, { value: subject, enumerable: false, configurable: true });
  return error;
}

export function subjectOf(error: unknown): WorkSubject | undefined {
  return typeof error === "object" && error !== null ? (error as { [SUBJECT_OF_ERROR]?: WorkSubject })[SUBJECT_OF_ERROR] : undefined;
}

/**
 * What the task's own code threw while pending work ran it (a generator of batches the task
 * returned): the task's error, as if its body had thrown it (USER; a RecoverableError is retried).
 */
export class TaskCodeError {
  constructor(readonly thrown: unknown) {}
}

export function fromTaskCode(thrown: unknown): TaskCodeError {
  return new TaskCodeError(thrown);
}
