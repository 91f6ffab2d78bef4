// Composition: an eager task's run, the record of every task its body calls, and what launches
// those calls. A task called from inside an eager task's body goes through the local call as
// always (tasks/local-run.ts); the local call sees the caller's run (`context.eager`), records the
// call here, and hands it to the services' launcher (on a cluster: an execution of its own through
// FlyteAdmin) or, without one, runs it inline as any local call (cache, retries, timeout).
//
// This module imports nothing of context.ts or services.ts (both import it): what a launcher
// reads of its caller is written out structurally (`LaunchCaller`), and the eager task's
// TaskExecutionContext is one.
import type { LiteralMap } from "../idl/gen/flyteidl/core/literals_pb.js";
import type { Storage } from "../storage/storage.js";

/** One task called from inside an eager task's body: what went in, what came out, how it went. */
export interface InnerCall {
  /** The inner task's name. */
  task: string;
  /** Its inputs, as literals. */
  inputs: LiteralMap;
  /** Its outputs, once it succeeded. */
  outputs?: LiteralMap;
  /** What it failed with (the inner task's own error, before the eager task's name was put on it). */
  error?: unknown;
  /** How many attempts ran: 0 for a cache hit, 1 + the retries it took otherwise. */
  attempts: number;
  /** When the call was made. */
  started: Date;
  /** When it settled. */
  ended?: Date;
  /** Whether its outputs came from the (local) cache. */
  cached: boolean;
  /** The calls a nested eager task made (its own run's calls); empty for any other task. */
  calls: InnerCall[];
  /** On a cluster: the execution that ran it (the launcher's name for it). */
  execution?: string;
}

/** The run of one attempt of an eager task: the task, when it started, and the calls its body made, in the order they were made. */
export class EagerRun {
  /** The eager task's name. */
  readonly task: string;
  readonly started: Date;
  /**
   * The inner calls, in the order the body made them: a call is recorded when it is made, as soon
   * as its inputs are converted (before the files of a table among them are written, and before it settles).
   */
  readonly calls: InnerCall[];

  /** `calls`: where the calls go (a nested eager task's attempt gives its record's `calls`, a new list for each attempt). */
  constructor(task: string, calls: InnerCall[] = []) {
    this.task = task;
    this.started = new Date();
    this.calls = calls;
  }

  /** Records a call as it is made; the local call completes the record as the call goes. */
  record(task: string, inputs: LiteralMap): InnerCall {
    const call: InnerCall = { task, inputs, attempts: 0, started: new Date(), cached: false, calls: [] };
    this.calls.push(call);
    return call;
  }
}

/** What a launcher can read of the eager task that calls: its TaskExecutionContext is one. */
export interface LaunchCaller {
  /** The eager task's name. */
  readonly taskName: string;
  readonly mode: "local" | "container";
  readonly attempt: number;
  /** The eager task's execution (in a container, what Flyte set; locally `local/local/local`). */
  readonly executionId: { project: string; domain: string; name: string };
  readonly taskId?: { project: string; domain: string; name: string; version: string } | undefined;
  /** Where the eager task may write large values: the inner call's inputs that need a place. */
  readonly rawOutputPrefix: string;
  readonly storage: Storage;
  /** Aborted when the eager task runs past its timeout: a launcher should stop waiting then. */
  readonly signal: AbortSignal;
  /** The eager task's run. */
  readonly eager?: EagerRun | undefined;
  /** The services in force (the environment a launcher reads its configuration from). */
  readonly services: { readonly env: NodeJS.ProcessEnv };
}

/**
 * Runs the tasks an eager task calls somewhere else than inline (flytekit's eager Controller: on a
 * cluster, each as an execution of its own). Given with the services (`withServices({ launcher },
 * ...)`, or by the container from its environment), it is asked for every inner call.
 */
export interface TaskLauncher {
  /**
   * Runs `task` with `inputs` and returns its outputs, or rejects with what it failed with.
   * `call` is the call's record in the caller's run: a launcher may set `execution`, `attempts`
   * and `cached` on it (left at 0 attempts, the call counts as one attempt).
   */
  launch(task: { readonly name: string }, inputs: LiteralMap, caller: LaunchCaller, call?: InnerCall): Promise<LiteralMap>;
  /**
   * The eager task is being stopped (its container got SIGTERM or SIGINT): end what was started
   * for it and is still running (on a cluster, TerminateExecution for each inner execution); the
   * promise settles when that is done. Optional: a launcher that runs nothing remotely has none.
   */
  stop?(reason: unknown): Promise<void>;
}
