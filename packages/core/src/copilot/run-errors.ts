// What can go wrong when a raw container task runs locally, besides its data: no way to run it
// (no engine answering, a runtime that cannot run this task), and a command that failed.
import { brand, FlyteError, type ErrorFields } from "../errors/flyte-error.js";
import { RecoverableError } from "../errors/task-errors.js";

/**
 * A raw container task cannot be run here as asked: no container engine answered (each one tried
 * is named with why it failed), an unknown runtime, or a local process asked for with no command.
 * Nothing ran; trying again changes nothing until the machine or the task does.
 */
export class ContainerRuntimeError extends FlyteError {}
brand(ContainerRuntimeError, "ContainerRuntimeError");

/**
 * A raw container task's command was stopped because this program got a signal (Ctrl-C, SIGTERM)
 * that the program handles itself and so outlives: the run is over, not failed, and is not
 * retried (a stopped pod is not a failed container).
 */
export class ContainerStoppedError extends FlyteError {
  declare readonly task: string;
  readonly signal: NodeJS.Signals;

  constructor(task: string, what: string, signal: NodeJS.Signals) {
    super({ task, subject: what, problem: `it was stopped because this program got ${signal}` });
    this.signal = signal;
  }
}
brand(ContainerStoppedError, "ContainerStoppedError");

/** How a local run's process ended when it failed. */
export interface ExitStatus {
  /** The exit code, when it exited (a container killed by a signal exits 128 + its number through `docker run`). */
  readonly exitCode: number | null;
  /** The signal that ended it, when one did. */
  readonly signal: NodeJS.Signals | null;
  /** The last lines it wrote to stderr. */
  readonly stderrTail: readonly string[];
}

/**
 * A raw container task's command ended with a non-zero exit code or was killed by a signal: the
 * task's own failure, and a recoverable one, as on Flyte, where propeller takes a primary container
 * that terminated with a non-zero code for a retryable failure that uses up the task's `retries`
 * (flyteplugins' pod_helper.go): a task with retries runs again, locally too. The message names
 * the task, what ran, the code or signal and the last lines of its stderr.
 */
export class ContainerExitError extends RecoverableError implements ExitStatus {
  declare readonly task: string;
  readonly exitCode: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stderrTail: readonly string[];

  constructor(task: string, what: string, status: ExitStatus) {
    const how = status.signal !== null ? `it was killed by signal ${status.signal}` : `it exited with code ${status.exitCode}${signalOfCode(status.exitCode)}`;
    const tail = status.stderrTail.length === 0 ? ", writing nothing to stderr" : `, and the last lines of its stderr were:\n${status.stderrTail.map((l) => `  ${l}`).join("\n")}`;
    const fields: ErrorFields = { task, subject: what, problem: `${how}${tail}` };
    super(fields);
    this.exitCode = status.exitCode;
    this.signal = status.signal;
    this.stderrTail = status.stderrTail;
  }
}
brand(ContainerExitError, "ContainerExitError");

/** ` (128 + 9: SIGKILL)` for the codes a shell or an engine gives a process a signal ended. */
function signalOfCode(code: number | null): string {
  if (code === null || code <= 128 || code > 128 + 64) return "";
  const names: Record<number, string> = { 1: "SIGHUP", 2: "SIGINT", 6: "SIGABRT", 9: "SIGKILL", 11: "SIGSEGV", 13: "SIGPIPE", 15: "SIGTERM" };
  const name = names[code - 128];
  return name === undefined ? "" : ` (128 + ${code - 128}: ${name})`;
}
