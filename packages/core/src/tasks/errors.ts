// Errors of the task layer, in the one format (see errors/flyte-error.ts): each names the task and
// what is wrong; the type engine's TypeTransformerError stays the cause where a value did not fit.
import { brand, FlyteError, formatError, type ErrorFields } from "../errors/flyte-error.js";
import { maskSecrets } from "../context/secrets.js";
import { TypeTransformerError } from "../types/errors.js";

// The errors of a task's declaration and boundary live in the foundation layer, so that the
// layers between (copilot) raise them too; they are this module's as before.
export { RecoverableError, TaskDefinitionError, TaskInputError, TaskOutputError } from "../errors/task-errors.js";
import { RecoverableError } from "../errors/task-errors.js";


/** A task ran past its `timeout`. Like Flyte, flytekit-ts treats it as recoverable: retries apply. */
export class TaskTimeoutError extends RecoverableError {
  declare readonly task: string;
  /** The timeout, in milliseconds. */
  readonly timeoutMs: number;

  constructor(task: string, timeoutMs: number) {
    super({ task, problem: `it exceeded its timeout of ${timeoutMs / 1000}s` });
    this.timeoutMs = timeoutMs;
  }
}
brand(TaskTimeoutError, "TaskTimeoutError");

/**
 * Throw this to say the task's outputs are to be ignored (flytekit's IgnoreOutputs, for workers of
 * a distributed job other than the one that reports): the container writes neither outputs nor an error.
 */
export class IgnoreOutputs extends FlyteError {}
brand(IgnoreOutputs, "IgnoreOutputs");

/** A task threw something that is not an Error (a string, a number, ...): the value is kept. */
export class ThrownValueError extends FlyteError {
  readonly value: unknown;

  constructor(value: unknown) {
    super({ problem: `the task threw ${describeThrown(value)}, which is not an Error` });
    Object.defineProperty(this, "value", { value, enumerable: false });
  }
}
brand(ThrownValueError, "ThrownValueError");

function describeThrown(value: unknown): string {
  if (typeof value === "string") return `the string ${JSON.stringify(value.length > 200 ? `${value.slice(0, 200)}…` : value)}`;
  if (value === null || value === undefined) return String(value);
  if (typeof value === "object") {
    try {
      return `an object ${JSON.stringify(value)?.slice(0, 200) ?? String(value)}`;
    } catch {
      return "an object";
    }
  }
  return `the ${typeof value} ${String(value)}`;
}

/**
 * A task an eager task called failed (after its own retries), or was not run because the eager
 * task's attempt was over: the message names both tasks, the inner task's error (or the abort's
 * reason) is the `cause`. Not recoverable: the inner task had its retries.
 */
export class EagerCallError extends FlyteError {
  /**
   * The code a container reports when the eager task fails with it: flytekit's
   * (`USER:NonRecoverableSystemError`, what its run_with_backend raises for a failed inner execution).
   */
  static readonly errorCode = "USER:NonRecoverableSystemError";
  declare readonly task: string;
  /** The eager task whose body made the call. */
  readonly eagerTask: string;

  /**
   * `stopped`: the eager task's attempt was over (aborted, by its timeout) before the call ran
   * (`"not run"`) or while it waited (for a retry, for a launched execution: `"stopped"`); `cause` is the abort's reason.
   */
  constructor(task: string, eagerTask: string, cause: unknown, stopped?: "not run" | "stopped") {
    const what = causeText(cause, eagerTask);
    const problem = stopped === undefined ? `it failed: ${what}` : `${stopped === "not run" ? "it was not run" : "it was given up"}: the eager task was stopped: ${what}`;
    super({ task, subject: `called from eager task '${eagerTask}'`, problem }, { cause });
    this.eagerTask = eagerTask;
  }
}
brand(EagerCallError, "EagerCallError");

/** What an inner call's error says; the eager task, named already, is not named again (a FlyteError about it, as a launcher's). */
function causeText(cause: unknown, eagerTask: string): string {
  if (cause instanceof FlyteError && cause.task === eagerTask) {
    return formatError({ subject: cause.subject, path: cause.path, expected: cause.expected, got: cause.got, problem: cause.problem, fix: cause.fix });
  }
  return cause instanceof Error ? cause.message : String(cause);
}

/** A task that only Flyte can run (a reference task, a query run by a backend plugin). */
export class NotRunnableLocallyError extends FlyteError {}
brand(NotRunnableLocallyError, "NotRunnableLocallyError");

/** Marks errors thrown by a task's own code (as opposed to conversion or the SDK). */
const USER_ERROR = Symbol.for("flytekit-ts.user-error");

/** Whether an error came from a task's own code. */
export function isUserError(error: unknown): boolean {
  return typeof error === "object" && error !== null && (error as { [USER_ERROR]?: boolean })[USER_ERROR] === true;
}

/** Marks an error as the task's own, as it is (an error the SDK raises about the task's code). */
export function markUserError<E>(error: E): E {
  if (typeof error === "object" && error !== null) Object.defineProperty(error, USER_ERROR, { value: true, enumerable: false, configurable: true });
  return error;
}

/**
 * The user's error, re-thrown as its own type with the task's name in front of its message, as
 * flytekit does (`Error encountered while executing 'name':\n  boom`), and marked as the task's
 * own. The original stays the `cause`; its own properties (such as `code`) are kept. Values listed
 * in `redact` (the secrets the task read) are masked everywhere in it, its cause chain included.
 */
export function userError(task: string, thrown: unknown, redact: readonly string[] = []): Error {
  // Whatever the task threw is its failure, an Error or not (flytekit wraps anything raised).
  const error = thrown instanceof Error ? thrown : new ThrownValueError(thrown);
  const copy = rebuild(error, `Error encountered while executing '${task}':\n  ${error.message}`, error);
  return markUserError(maskSecrets(copy, redact));
}

/**
 * An error of the same class as `error`, with its own properties (a FlyteError's fields, which are
 * not enumerable, included), a new message and cause.
 */
function rebuild(error: Error, message: string, cause: unknown): Error {
  const copy = Object.create(Object.getPrototypeOf(error) as object) as Error;
  for (const key of Reflect.ownKeys(error)) {
    if (key === "message" || key === "stack" || key === "cause") continue;
    Object.defineProperty(copy, key, Object.getOwnPropertyDescriptor(error, key)!);
  }
  Object.defineProperty(copy, "message", { value: message, writable: true, configurable: true });
  Object.defineProperty(copy, "cause", { value: cause, writable: true, configurable: true });
  const frames = (error.stack ?? "").split("\n").filter((l) => /^\s+at /.test(l));
  Object.defineProperty(copy, "stack", { value: [`${error.name}: ${message}`, ...frames].join("\n"), writable: true, configurable: true });
  return copy;
}

export { TypeTransformerError };
