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

/** A task that only Flyte can run (a reference task, a query run by a backend plugin). */
export class NotRunnableLocallyError extends Error {
  override name = "NotRunnableLocallyError";
}

/**
 * The user's error, re-thrown as its own type with the task's name in front of its message, as
 * flytekit does (`Error encountered while executing 'name':\n  boom`). The original stays the
 * `cause`; its own properties (such as `code`) are kept. Values listed in `redact` are masked.
 */
export function userError(task: string, error: unknown, redact: readonly string[] = []): unknown {
  if (!(error instanceof Error)) return error;
  const mask = (s: string) => redact.reduce((acc, secret) => (secret === "" ? acc : acc.split(secret).join("****")), s);
  const wrapped = Object.create(Object.getPrototypeOf(error) as object) as Error;
  for (const key of Object.keys(error)) {
    (wrapped as unknown as Record<string, unknown>)[key] = (error as unknown as Record<string, unknown>)[key];
  }
  const message = mask(`Error encountered while executing '${task}':\n  ${error.message}`);
  Object.defineProperty(wrapped, "message", { value: message, writable: true, configurable: true });
  Object.defineProperty(wrapped, "cause", { value: error, writable: true, configurable: true });
  const frames = (error.stack ?? "").split("\n").filter((l) => /^\s+at /.test(l));
  Object.defineProperty(wrapped, "stack", {
    value: [`${error.name}: ${message}`, ...frames.map(mask)].join("\n"),
    writable: true,
    configurable: true,
  });
  return wrapped;
}
