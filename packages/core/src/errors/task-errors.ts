// The errors of a task's declaration and of its boundary (inputs, outputs), and the user's
// recoverable error, in the one format
// (flyte-error.ts). They sit in the foundation layer so that every layer that checks a task (the
// copilot layer's data contract as well as the tasks layer) raises the same classes; tasks/errors.ts
// re-exports them.
import { brand, FlyteError, type ErrorFields } from "./flyte-error.js";

/** What a value failure (the type engine's TypeTransformerError) tells: where in the value, expected and got. */
export interface ValueFailure extends Error {
  readonly path?: string;
  readonly expected?: string;
  readonly got?: string;
  readonly problem?: string;
}

/**
 * Throw this (or a subclass) from a task to say that trying again may succeed: a task with
 * `retries` runs again, locally as on Flyte, where it is reported as a recoverable user error.
 * Any other error fails the task at once.
 */
export class RecoverableError extends FlyteError {
  /** Flyte's error code for recoverable user errors. */
  declare readonly errorCode: string;

  constructor(message: ErrorFields | string, options?: { cause?: unknown }) {
    super(message, options);
    Object.defineProperty(this, "errorCode", { value: "USER:Recoverable", enumerable: true, writable: true, configurable: true });
  }
}
brand(RecoverableError, "RecoverableError");

/** A task that cannot be declared as written: an unknown option, a type that cannot be inferred. */
export class TaskDefinitionError extends FlyteError {}
brand(TaskDefinitionError, "TaskDefinitionError");

/** What a value failure says at a task's boundary: the task, the input or output, where in it, expected and got. */
function boundaryFields(task: string, cause: ValueFailure): ErrorFields & { task: string } {
  return { task, path: cause.path, expected: cause.expected, got: cause.got, problem: cause.problem };
}

/** The arguments of a call, or the inputs a task was given, do not fit its inputs; nothing ran. */
export class TaskInputError extends FlyteError {
  declare readonly task: string;
  /** The input concerned, when there is one. */
  readonly input?: string;

  constructor(fields: ErrorFields & { task: string; input?: string }, options?: { cause?: unknown }) {
    const { input, ...rest } = fields;
    super({ ...rest, subject: input === undefined ? rest.subject : `input '${input}'` }, options);
    if (input !== undefined) Object.defineProperty(this, "input", { value: input, enumerable: false });
  }

  /** An input's value did not fit its type. */
  static ofValue(task: string, input: string, cause: ValueFailure): TaskInputError {
    return new TaskInputError({ ...boundaryFields(task, cause), input }, { cause });
  }
}
brand(TaskInputError, "TaskInputError");

/** What a task returned does not fit its outputs. */
export class TaskOutputError extends FlyteError {
  declare readonly task: string;
  /** The output concerned, when there is one. */
  readonly output?: string;

  constructor(fields: ErrorFields & { task: string; output?: string }, options?: { cause?: unknown }) {
    const { output, ...rest } = fields;
    super({ ...rest, subject: output === undefined ? rest.subject : `output '${output}'` }, options);
    if (output !== undefined) Object.defineProperty(this, "output", { value: output, enumerable: false });
  }

  /** An output's value did not fit its type. */
  static ofValue(task: string, output: string, cause: ValueFailure): TaskOutputError {
    return new TaskOutputError({ ...boundaryFields(task, cause), output }, { cause });
  }
}
brand(TaskOutputError, "TaskOutputError");
