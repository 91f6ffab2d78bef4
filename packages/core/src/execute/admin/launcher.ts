// What an eager task does, in its container, with each task its body calls: what flytekit's
// Controller (core/worker_queue.py) and FlyteRemote (remote/remote.py) do for it. It registers the
// inner task with FlyteAdmin (GetTask, then CreateTask when it is not there: the TaskSpec
// `flytekit-ts package` writes, with the project, domain, version and images of the eager task's
// own serialization settings, `_F_SS_C`), starts an execution of it (CreateExecution, under a name
// made from the eager execution, the task, the call's index and its inputs, so that a retried
// attempt finds the executions the first one started: ALREADY_EXISTS is that execution), waits for
// it (GetExecution, with backoff), and reads its outputs (GetExecutionData: inline, or from the
// store at the outputs' uri). A failed execution is an InnerTaskError naming the execution and
// FlyteAdmin's error (the eager call's error around it names the inner task and the eager task).
import { Code, ConnectError } from "@connectrpc/connect";
import { createHash } from "node:crypto";
import type { InnerCall, LaunchCaller, TaskLauncher } from "../../context/composition.js";
import type { ExecutionId } from "../../context/context.js";
import { brand, FlyteError } from "../../errors/flyte-error.js";
import { create, decode } from "../../idl/codec.js";
import { ExecutionMetadata_ExecutionMode, type Execution } from "../../idl/gen/flyteidl/admin/execution_pb.js";
import { WorkflowExecution_Phase } from "../../idl/gen/flyteidl/core/execution_pb.js";
import { IdentifierSchema, ResourceType, type Identifier } from "../../idl/gen/flyteidl/core/identifier_pb.js";
import { LiteralMapSchema, type LiteralMap } from "../../idl/gen/flyteidl/core/literals_pb.js";
import { taskSpecToBinary, toTaskSpec, type TaskSpec } from "../../registration.js";
import type { SerializationSettings } from "../../serialize/settings.js";
import { toReferenceIdentifier } from "../../serialize/template.js";
import type { Storage } from "../../storage/storage.js";
import { ReferenceTask } from "../../tasks/reference-task.js";
import { delay } from "../../tasks/promise.js";
import { Task } from "../../tasks/task.js";
import type { AdminClient } from "./client.js";
import { uploadLocalInputs } from "./local-files.js";
import { executionName, executionPrefix } from "./names.js";

/** flytekit's labels and environment variable for the eager executions (core/constants.py). */
export const EAGER_TAG_KEY = "eager-exec";
export const EAGER_TAG_ROOT_KEY = "eager-root-exec";
export const EAGER_ROOT_ENV_NAME = "_F_EE_ROOT";

/**
 * An inner task's execution failed, or could not be started or followed. Its message names the
 * execution and what went wrong only (`execution '<name>': failed (FAILED): <remote error>`): the
 * eager call's error around it (EagerCallError) names the inner task and the eager task, which
 * are kept here as fields.
 */
export class InnerTaskError extends FlyteError {
  declare readonly task: string;
  /** The eager task whose body made the call. */
  readonly eagerTask!: string;
  /** The execution's name, when it was started. */
  readonly execution?: string;
  constructor(fields: { task: string; eagerTask: string; execution?: string; problem: string; fix?: string }, options?: { cause?: unknown }) {
    super({ subject: fields.execution === undefined ? undefined : `execution '${fields.execution}'`, problem: fields.problem, fix: fields.fix }, options);
    Object.defineProperty(this, "task", { value: fields.task, enumerable: false, writable: true, configurable: true });
    Object.defineProperty(this, "eagerTask", { value: fields.eagerTask, enumerable: false });
    if (fields.execution !== undefined) Object.defineProperty(this, "execution", { value: fields.execution, enumerable: false });
  }
}
brand(InnerTaskError, "InnerTaskError");

/** How the launcher waits for an execution: the first wait, its growth, its cap (ms). */
export interface PollPolicy {
  initialMs: number;
  factor: number;
  maxMs: number;
}

/** flytekit's Controller looks every 2 s; this starts sooner (a short task is seen sooner) and backs off to 10 s. */
export const DEFAULT_POLL: PollPolicy = { initialMs: 500, factor: 1.5, maxMs: 10_000 };

export interface AdminLauncherInit {
  client: AdminClient;
  /** The eager task's serialization settings (`_F_SS_C`): where and as what inner tasks are registered. */
  settings: SerializationSettings;
  /** The eager task's execution (the executions it starts are in its project and domain). */
  execution: ExecutionId;
  /** The eager task's name. */
  eagerTask: string;
  /** The root eager execution's name (`_F_EE_ROOT`, set for a nested eager task); default this execution's. */
  rootTag?: string;
  poll?: PollPolicy;
  /** Waits `ms`, or rejects when `signal` aborts. */
  sleep?: (ms: number, signal: AbortSignal | undefined) => Promise<void>;
}

const TERMINAL = new Set([WorkflowExecution_Phase.SUCCEEDED, WorkflowExecution_Phase.FAILED, WorkflowExecution_Phase.ABORTED, WorkflowExecution_Phase.TIMED_OUT]);

/** The launcher of one eager attempt's inner tasks through FlyteAdmin (the `TaskLauncher` of its services). */
export class AdminTaskLauncher implements TaskLauncher {
  private readonly registered = new Map<string, Promise<void>>();
  private readonly calls = new Map<string, number>();
  /** Executions CreateExecution was sent for and that were not seen to end. */
  private readonly running = new Set<string>();
  private readonly terminating = new Map<string, Promise<void>>();
  /** Why the launcher was stopped (stop()). */
  private stopping: unknown;
  private readonly prefix: string;
  private readonly tag: string;
  private readonly rootTag: string;

  constructor(private readonly init: AdminLauncherInit) {
    this.tag = init.execution.name;
    this.rootTag = init.rootTag ?? init.execution.name;
    this.prefix = executionPrefix(init.eagerTask, this.tag);
  }

  /** Runs `task` on the cluster with `inputs`; its outputs. `call`, the eager run's record of it, is told the execution's name. */
  async launch(task: { readonly name: string }, given: LiteralMap, caller?: Pick<LaunchCaller, "storage" | "signal"> & { readonly rawOutputPrefix?: string }, call?: InnerCall): Promise<LiteralMap> {
    const eagerTask = this.init.eagerTask;
    if (!(task instanceof Task)) {
      throw new InnerTaskError({ task: task.name, eagerTask, problem: "is not a task this SDK can register (no Task)", fix: "call tasks made by @task, task(), or a reference task" });
    }
    // The call's index is taken now, in the order the body makes its calls, before anything is awaited.
    const index = this.calls.get(task.name) ?? 0;
    this.calls.set(task.name, index + 1);
    // Named by the inputs as given (a local file's path, not the random place it is uploaded to), so a retried attempt finds it.
    const name = executionName(this.prefix, this.tag, task.name, index, given);
    const fail = (problem: string, cause?: unknown, started = true) => new InnerTaskError({ task: task.name, eagerTask, execution: started ? name : undefined, problem }, { cause });
    const signal = caller?.signal;

    let id: Identifier;
    try {
      id = await this.register(task);
    } catch (e) {
      throw e instanceof InnerTaskError ? e : fail(`could not be registered with FlyteAdmin: ${describe(e)}`, e, false);
    }
    const { project, domain } = this.init.execution;
    let inputs: LiteralMap;
    try {
      inputs = caller?.storage === undefined ? given : await uploadLocalInputs(given, caller.storage, caller.rawOutputPrefix);
    } catch (e) {
      throw fail(`its inputs' local files could not be uploaded: ${describe(e)}`, e, false);
    }
    if (this.stopping !== undefined || signal?.aborted) throw fail("was not started: the eager task is stopping", this.stopping ?? signal?.reason, false);
    // From the moment CreateExecution is sent the execution may exist: it is followed until it is
    // seen to end, and terminated if the eager task stops first (its signal aborts, or stop()).
    this.running.add(name);
    try {
      try {
        await this.init.client.createExecution(
          {
            project,
            domain,
            name,
            spec: {
              launchPlan: id,
              metadata: { mode: ExecutionMetadata_ExecutionMode.MANUAL, principal: "placeholder", nesting: 0 },
              notificationOverrides: { case: "notifications", value: {} },
              labels: { values: { [EAGER_TAG_KEY]: this.tag, [EAGER_TAG_ROOT_KEY]: this.rootTag } },
              annotations: {},
              authRole: {},
              envs: { values: [{ key: EAGER_ROOT_ENV_NAME, value: this.rootTag }] },
            },
            inputs,
          },
          { signal },
        );
      } catch (e) {
        // A retried attempt of the eager task: the execution its first attempt started goes on.
        if (ConnectError.from(e).code !== Code.AlreadyExists) {
          if (!signal?.aborted) this.running.delete(name);
          throw fail(`could not be started: ${describe(e)}`, e);
        }
      }

      if (call !== undefined) call.execution = name;
      const execution = await this.wait(name, signal, fail);
      this.running.delete(name);
      const closure = execution.closure;
      if (closure?.phase !== WorkflowExecution_Phase.SUCCEEDED) {
        const phase = WorkflowExecution_Phase[closure?.phase ?? WorkflowExecution_Phase.UNDEFINED];
        const result = closure?.outputResult;
        const remote =
          result?.case === "error"
            ? `${result.value.code}: ${result.value.message}`
            : result?.case === "abortMetadata"
              ? `aborted by ${result.value.principal || "someone"}: ${result.value.cause}`
              : result?.case === "abortCause"
                ? `aborted: ${result.value}`
                : "FlyteAdmin gave no error";
        throw fail(`failed (${phase}): ${remote}`, result?.case === "error" ? result.value : undefined);
      }
      return await this.outputs(name, caller?.storage, signal, fail);
    } catch (e) {
      // The eager task stopped (its signal aborted) while this call was under way, whichever
      // request was in flight: the execution is stopped too, as flytekit's Controller does on a signal.
      if (signal?.aborted || (this.stopping !== undefined && (this.running.has(name) || this.terminating.has(name)))) {
        await this.terminate(name);
        throw fail("was terminated: the eager task stopped waiting for it", signal?.aborted ? signal.reason : this.stopping);
      }
      throw e;
    }
  }

  /**
   * Terminates every execution this launcher started and has not seen end (the eager task is
   * stopping: its container got SIGTERM or SIGINT); resolves when FlyteAdmin has answered each
   * TerminateExecution (a refusal, e.g. of an execution that ended meanwhile, is ignored). Calls
   * still waiting then fail; no new execution is started.
   */
  stop(reason: unknown): Promise<void> {
    this.stopping ??= reason ?? new Error("stopped");
    return Promise.all([...this.running].map((name) => this.terminate(name))).then(() => undefined);
  }

  /** The executions started and not seen to end. */
  get unfinished(): readonly string[] {
    return [...this.running];
  }

  /** Sends TerminateExecution for `name`, once. */
  private terminate(name: string): Promise<void> {
    let done = this.terminating.get(name);
    if (done === undefined) {
      const { project, domain } = this.init.execution;
      done = this.init.client
        .terminateExecution({ id: { project, domain, name }, cause: `eager task '${this.init.eagerTask}' stopped` })
        .then(
          () => undefined,
          () => undefined,
        )
        .finally(() => this.running.delete(name));
      this.terminating.set(name, done);
    }
    return done;
  }

  /**
   * Registers a task once per launcher (GetTask, then CreateTask when FlyteAdmin has none); its
   * identifier. An override() copy has its original's name but other settings (retries, timeout,
   * cache, resources, pod): it is registered under a version of its own,
   * `<settings.version>-<10 hex of the sha256 of its TaskSpec>`, the same in every attempt and
   * every process, so that its settings apply and its original's registration is not refused.
   */
  private register(task: Task): Promise<Identifier> {
    if (task instanceof ReferenceTask) return Promise.resolve(toReferenceIdentifier(task));
    const settings = this.init.settings;
    let spec: TaskSpec | undefined;
    let version = settings.version;
    if (task.origin !== task) {
      spec = toTaskSpec(task, settings);
      version = `${settings.version}-${createHash("sha256").update(taskSpecToBinary(spec)).digest("hex").slice(0, 10)}`;
      if (spec.template?.id !== undefined) spec.template.id.version = version;
    }
    const id = create(IdentifierSchema, { resourceType: ResourceType.TASK, project: settings.project, domain: settings.domain, name: task.name, version });
    const key = `${task.name}\0${version}`;
    let done = this.registered.get(key);
    if (done === undefined) {
      done = (async () => {
        try {
          await this.init.client.getTask({ id });
          return;
        } catch (e) {
          if (ConnectError.from(e).code !== Code.NotFound) throw e;
        }
        try {
          await this.init.client.createTask({ id, spec: spec ?? toTaskSpec(task, settings) });
        } catch (e) {
          // Registered meanwhile (another attempt, another eager task): the same structure is fine.
          if (ConnectError.from(e).code !== Code.AlreadyExists) throw e;
        }
      })();
      // A failure is not kept: the next call of the task tries again.
      done.catch(() => this.registered.delete(key));
      this.registered.set(key, done);
    }
    return done.then(() => id);
  }

  /** Follows the execution until it ends. */
  private async wait(name: string, signal: AbortSignal | undefined, fail: (problem: string, cause?: unknown) => InnerTaskError): Promise<Execution> {
    const { project, domain } = this.init.execution;
    const poll = this.init.poll ?? DEFAULT_POLL;
    const sleep = this.init.sleep ?? delay;
    let wait = poll.initialMs;
    for (;;) {
      let execution: Execution;
      try {
        execution = await this.init.client.getExecution({ id: { project, domain, name } }, { signal });
      } catch (e) {
        throw fail(`could not be followed: ${describe(e)}`, e);
      }
      if (TERMINAL.has(execution.closure?.phase ?? WorkflowExecution_Phase.UNDEFINED)) return execution;
      // Rejects when the signal aborts (launch() then terminates the execution); stop() ends the wait too.
      if (this.stopping !== undefined) throw this.stopping;
      await sleep(wait, signal);
      wait = Math.min(wait * poll.factor, poll.maxMs);
    }
  }

  /** The outputs of a succeeded execution: inline, or read from the store. */
  private async outputs(name: string, storage: Storage | undefined, signal: AbortSignal | undefined, fail: (problem: string, cause?: unknown) => InnerTaskError): Promise<LiteralMap> {
    const { project, domain } = this.init.execution;
    let data;
    try {
      data = await this.init.client.getExecutionData({ id: { project, domain, name } }, { signal });
    } catch (e) {
      throw fail(`succeeded, but its outputs could not be read from FlyteAdmin: ${describe(e)}`, e);
    }
    if (data.fullOutputs !== undefined && Object.keys(data.fullOutputs.literals).length > 0) return data.fullOutputs;
    const url = data.outputs?.url ?? "";
    if (url === "" || (data.outputs?.bytes ?? 0n) === 0n) return data.fullOutputs ?? create(LiteralMapSchema);
    if (storage === undefined) throw fail(`succeeded, but its outputs are at ${url} and no storage was given to read them`);
    try {
      return decode(LiteralMapSchema, await storage.read(url), `outputs of execution '${name}' at ${url}`);
    } catch (e) {
      throw fail(`succeeded, but its outputs could not be read from ${url}: ${describe(e)}`, e);
    }
  }
}

function describe(e: unknown): string {
  if (e instanceof ConnectError) return `${Code[e.code] ?? e.code}: ${e.rawMessage}`;
  return e instanceof Error ? e.message : String(e);
}
