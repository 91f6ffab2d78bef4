// Errors of the task layer. Each names the task and what is wrong; the type engine's own
// TypeTransformerError stays the cause where a value did not fit.

/** A task that cannot be declared as written: an unknown option, a type that cannot be inferred. */
export class TaskDefinitionError extends TypeError {
  override name = "TaskDefinitionError";
}

/** The arguments of a call do not fit the task's inputs; nothing ran. */
export class TaskInputError extends TypeError {
  override name = "TaskInputError";
  constructor(
    message: string,
    /** The task's name. */
    readonly task: string,
    /** The input concerned, when there is one. */
    readonly input?: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** What a task returned does not fit its outputs. */
export class TaskOutputError extends TypeError {
  override name = "TaskOutputError";
  constructor(
    message: string,
    readonly task: string,
    readonly output?: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/**
 * Throw this (or a subclass) from a task to say that trying again may succeed: a task with
 * `retries` runs again, locally as on Flyte, where it is reported as a recoverable user error.
 * Any other error fails the task at once.
 */
export class RecoverableError extends Error {
  override name = "RecoverableError";
  /** Flyte's error code for recoverable user errors. */
  readonly errorCode: string = "USER:Recoverable";
}

/** A task ran past its `timeout`. Like Flyte, flytekit-ts treats it as recoverable: retries apply. */
export class TaskTimeoutError extends RecoverableError {
  override name = "TaskTimeoutError";
  constructor(
    message: string,
    readonly task: string,
    readonly timeoutMs: number,
  ) {
    super(message);
  }
}

/**
 * Throw this to say the task's outputs are to be ignored (flytekit's IgnoreOutputs, for workers of
 * a distributed job other than the one that reports): the container writes neither outputs nor an error.
 */
export class IgnoreOutputs extends Error {
  override name = "IgnoreOutputs";
}

/** A task threw something that is not an Error (a string, a number, ...): the value is kept. */
export class ThrownValueError extends Error {
  override name = "ThrownValueError";
  constructor(readonly value: unknown) {
    super(`the task threw ${describeThrown(value)}, which is not an Error`);
  }
}

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

/** A task that only Flyte can run (a reference task, a query run by a backend plugin). */
export class NotRunnableLocallyError extends Error {
  override name = "NotRunnableLocallyError";
}

/**
 * The user's error, re-thrown as its own type with the task's name in front of its message, as
 * flytekit does (`Error encountered while executing 'name':\n  boom`). The original stays the
 * `cause`; its own properties (such as `code`) are kept. Values listed in `redact` are masked.
 */
export function userError(task: string, thrown: unknown, redact: readonly string[] = []): unknown {
  // Whatever the task threw is its failure, an Error or not (flytekit wraps anything raised).
  const error = thrown instanceof Error ? thrown : new ThrownValueError(thrown);
  const secrets = redact.filter((v) => v !== "");
  const mask = (text: string) => secrets.reduce((acc, secret) => acc.split(secret).join("****"), text);
  const leaks = secrets.some((v) => error.message.includes(v) || (error.stack ?? "").includes(v));
  // A secret in the original stays out of the cause chain too: the cause is a masked copy then.
  const cause = leaks ? rebuild(error, mask(error.message), mask, error.cause) : error;
  return rebuild(error, mask(`Error encountered while executing '${task}':\n  ${error.message}`), mask, cause);
}

/** An error of the same class as `error`, with its own properties, a new message and cause. */
function rebuild(error: Error, message: string, mask: (text: string) => string, cause: unknown): Error {
  const copy = Object.create(Object.getPrototypeOf(error) as object) as Error;
  for (const key of Object.keys(error)) {
    const value = (error as unknown as Record<string, unknown>)[key];
    (copy as unknown as Record<string, unknown>)[key] = typeof value === "string" ? mask(value) : value;
  }
  Object.defineProperty(copy, "message", { value: message, writable: true, configurable: true });
  Object.defineProperty(copy, "cause", { value: cause, writable: true, configurable: true });
  const frames = (error.stack ?? "").split("\n").filter((l) => /^\s+at /.test(l));
  Object.defineProperty(copy, "stack", { value: [`${error.name}: ${message}`, ...frames.map(mask)].join("\n"), writable: true, configurable: true });
  return copy;
}
