// flytekit-ts-execute: the process Flyte starts in a task's container, implementing flytekit's
// pyflyte-execute contract (flytekit/bin/entrypoint.py). It loads the task with the resolver named
// by --resolver, reads the inputs LiteralMap, runs dispatchExecute, and writes
// <output-prefix>/outputs.pb, or <output-prefix>/error.pb with flytekit's error document. Offloaded
// literals (offload.ts) are read in the inputs and written beside outputs.pb, before it.
import { randomUUID } from "node:crypto";
import { TaskExecutionContext } from "../context/context.js";
import { attemptFromEnv, envFlag, executionEnvironmentFromEnv, oneOf } from "../context/environment.js";
import { maskSecrets, maskText } from "../context/secrets.js";
import { containerServices, type ExecutionServices } from "../context/services.js";
import { brand, DocumentError, FlyteError } from "../errors/flyte-error.js";
import { create, decode, encode } from "../idl/codec.js";
import { ContainerError_Kind, ErrorDocumentSchema, type ErrorDocument } from "../idl/gen/flyteidl/core/errors_pb.js";
import { ExecutionError_ErrorKind } from "../idl/gen/flyteidl/core/execution_pb.js";
import { LiteralMapSchema, type LiteralMap } from "../idl/gen/flyteidl/core/literals_pb.js";
import { TaskResolutionError } from "../resolvers/default-resolver.js";
import { resolverByLocation } from "../resolvers/registry.js";
// The built-in resolvers: the default one (with the registry) and the task template resolver.
import "../resolvers/template-resolver.js";
import { defaultStorage } from "../storage/router.js";
import { joinUri, StorageConfigError } from "../storage/storage.js";
import { IgnoreOutputs, isUserError, markUserError, RecoverableError, TaskInputError, TaskOutputError, userError } from "../tasks/errors.js";
import type { TaskResolver } from "../tasks/resolver.js";
import { DECK_FILE_NAME, deckTaskName, decksOn, renderTaskDeck } from "../tasks/decks.js";
import { maskHtml } from "../context/deck-html.js";
import { Task } from "../tasks/task.js";
import { containerLauncher } from "./admin-launcher.js";
import { LiteralSizeError, loadOffloadedInputs, OffloadSettingError, offloadLimits, offloadOutputs, type OffloadedFile } from "./offload.js";

/** What the entrypoint is told. */
export interface ExecuteArgs {
  inputs: string;
  outputPrefix: string;
  rawOutputDataPrefix?: string;
  checkpointPath?: string;
  prevCheckpoint?: string;
  test: boolean;
  dynamicAddlDistro?: string;
  dynamicDestDir?: string;
  resolver: string;
  loaderArgs: string[];
}

/** Bad command-line arguments (exit 2, as a usage error). */
export class UsageError extends FlyteError {}
brand(UsageError, "UsageError");

const VALUE_FLAGS: Record<string, keyof ExecuteArgs> = {
  "--inputs": "inputs",
  "--output-prefix": "outputPrefix",
  "--raw-output-data-prefix": "rawOutputDataPrefix",
  "--checkpoint-path": "checkpointPath",
  "--prev-checkpoint": "prevCheckpoint",
  "--dynamic-addl-distro": "dynamicAddlDistro",
  "--dynamic-dest-dir": "dynamicDestDir",
  "--resolver": "resolver",
};

/** Parses pyflyte-execute's options; what follows `--` goes to the resolver. */
export function parseExecuteArgs(argv: readonly string[]): ExecuteArgs {
  const out: Partial<ExecuteArgs> & { loaderArgs: string[]; test: boolean } = { loaderArgs: [], test: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === "--") {
      out.loaderArgs = argv.slice(i + 1);
      break;
    }
    if (a === "--test") {
      out.test = true;
      continue;
    }
    const [flag, inline] = a.includes("=") ? [a.slice(0, a.indexOf("=")), a.slice(a.indexOf("=") + 1)] : [a, undefined];
    const key = VALUE_FLAGS[flag];
    if (key === undefined) throw new UsageError({ subject: "flytekit-ts-execute", problem: `unknown option ${a}`, fix: `its options are ${[...Object.keys(VALUE_FLAGS), "--test"].join(", ")}` });
    const value = inline ?? argv[++i];
    if (value === undefined) throw new UsageError({ subject: `flytekit-ts-execute ${flag}`, expected: "a value", got: "nothing" });
    (out as Record<string, unknown>)[key] = value;
  }
  for (const [flag, key] of [["--inputs", "inputs"], ["--output-prefix", "outputPrefix"], ["--resolver", "resolver"]] as const) {
    if (out[key] === undefined) throw new UsageError({ subject: `flytekit-ts-execute ${flag}`, problem: "it is required" });
  }
  if (out.loaderArgs.length === 0) {
    throw new UsageError({
      subject: "flytekit-ts-execute",
      problem: "no loader arguments after --: the resolver needs them to find the task",
      fix: "e.g. -- task-module m.js task-name T.run",
    });
  }
  return normalizeTemplates(out as ExecuteArgs);
}

/** Flyte leaves unfilled templates in place; they mean "none", as flytekit's normalize_inputs has it. */
export function normalizeTemplates(args: ExecuteArgs): ExecuteArgs {
  const raw = args.rawOutputDataPrefix === "{{.rawOutputDataPrefix}}" ? undefined : args.rawOutputDataPrefix;
  const checkpoint = args.checkpointPath === "{{.checkpointOutputPrefix}}" ? undefined : args.checkpointPath;
  const prev = args.prevCheckpoint;
  const previous = prev === "{{.prevCheckpointPrefix}}" || prev === "" || prev === '""' ? undefined : prev;
  return { ...args, rawOutputDataPrefix: raw, checkpointPath: checkpoint, prevCheckpoint: previous };
}

function indent(text: string): string {
  return text
    .split("\n")
    .map((line) => (line.trim() === "" ? line : `    ${line}`))
    .join("\n");
}

/** flytekit's error message: "Trace:" and the stack, then "Message:" and `Type: message`. */
export function errorMessage(error: unknown): string {
  const e = error instanceof Error ? error : new Error(String(error));
  const stack = e.stack ?? `${e.name}: ${e.message}`;
  return `Trace:\n\n${indent(`${stack}\n`)}\nMessage:\n\n${indent(`${e.name}: ${e.message}`)}`;
}

/** A user error's own code: its `errorCode` (a number becomes its text), else flytekit's default. */
function userErrorCode(error: unknown): string {
  const own = (error as { errorCode?: unknown } | null)?.errorCode ?? (error as { constructor?: { errorCode?: unknown } } | null)?.constructor?.errorCode;
  if (typeof own === "string" && own !== "") return own;
  if (typeof own === "number") return String(own);
  return "USER:RuntimeError";
}

function timestampNow() {
  const ms = Date.now();
  return { seconds: BigInt(Math.floor(ms / 1000)), nanos: (ms % 1000) * 1_000_000 };
}

interface Failure {
  code: string;
  kind: ContainerError_Kind;
  origin: ExecutionError_ErrorKind;
  /** The error the message describes (for a user error, the one the task raised). */
  subject: unknown;
}

/**
 * flytekit's table: a user error (or a task that would not load) is USER, recoverable only as a
 * RecoverableError; a failed conversion of inputs or outputs is SYSTEM and not recoverable;
 * anything else (storage, the resolver, the SDK) is SYSTEM and recoverable.
 */
export function classify(error: unknown, phase: "resolver" | "load" | "run"): Failure {
  // A document that cannot be read (the inputs, the task template) reads the same on a retry, a
  // literal past the hard limit (or a limit that is not a number) is as big on the next try, and a
  // store configured wrongly is as wrong.
  if ((error instanceof DocumentError || error instanceof LiteralSizeError || error instanceof OffloadSettingError || error instanceof StorageConfigError) && !isUserError(error)) {
    return { code: "SYSTEM", kind: ContainerError_Kind.NON_RECOVERABLE, origin: ExecutionError_ErrorKind.SYSTEM, subject: error };
  }
  if (phase === "load" || (phase === "run" && isUserError(error))) {
    const original = phase === "run" ? ((error as Error).cause ?? error) : error;
    return {
      code: userErrorCode(error),
      kind: error instanceof RecoverableError || original instanceof RecoverableError ? ContainerError_Kind.RECOVERABLE : ContainerError_Kind.NON_RECOVERABLE,
      origin: ExecutionError_ErrorKind.USER,
      subject: original,
    };
  }
  if (phase === "run" && (error instanceof TaskInputError || error instanceof TaskOutputError)) {
    return { code: "SYSTEM", kind: ContainerError_Kind.NON_RECOVERABLE, origin: ExecutionError_ErrorKind.SYSTEM, subject: error };
  }
  return { code: "SYSTEM", kind: ContainerError_Kind.RECOVERABLE, origin: ExecutionError_ErrorKind.SYSTEM, subject: error };
}

function errorDocument(failure: Failure, worker: string): ErrorDocument {
  return create(ErrorDocumentSchema, {
    error: {
      code: failure.code,
      message: errorMessage(failure.subject),
      kind: failure.kind,
      origin: failure.origin,
      timestamp: timestampNow(),
      worker,
    },
  });
}

/** Where an execution writes, and how it reports. */
export interface ExecuteReport {
  /** Masks the secrets the task read, in what is written after it (as everything before was). */
  mask?: (text: string) => string;
  /** What was written: "outputs", "error", or "nothing" (IgnoreOutputs, --test). */
  wrote: "outputs" | "error" | "nothing";
  task?: Task;
  error?: unknown;
}

/** What ended the task's work other than its own result: an error raised outside its call, process.exit, a promise that never settled. */
class Interrupted {
  constructor(readonly error: unknown) {}
}

/** The task called process.exit: the container would end with no document, which Flyte reads as success. */
export class TaskExitError extends FlyteError {
  constructor(readonly exitCode: number | undefined) {
    super({ problem: `the task called process.exit(${exitCode ?? ""}) instead of returning or throwing`, fix: "return the outputs, or throw to fail" });
  }
}
brand(TaskExitError, "TaskExitError");

/** The task's promise never settled, and nothing else was left to run: Node would end with exit 13 and no document. */
export class UnsettledTaskError extends FlyteError {}
brand(UnsettledTaskError, "UnsettledTaskError");

/** The watch in force in this process: the entrypoint runs one task at a time. */
let active: Watch | undefined;

/**
 * Watches the task's work as a container must, from before the resolver is imported until a
 * document is written: an error its code raises outside its own call (a throwing timer, a promise
 * nobody awaits), a call of process.exit, or a promise that can never settle would end the process
 * with no document, or with outputs for work that failed. While a phase runs (`run`) such a thing
 * fails it at once; between phases it is kept (`takeLate`) and fails the task before a document is
 * committed, or, arriving while outputs.pb is written, adds the error document after it.
 */
class Watch {
  private fail: ((e: Interrupted) => void) | undefined;
  private late: Interrupted | undefined;
  private readonly realExit = process.exit;
  private readonly onStray = (e: unknown) => this.interrupt(new Interrupted(e));
  // The event loop emptied while a phase was still pending: its promise can never settle.
  private readonly onBeforeExit = () => {
    if (this.fail === undefined) return;
    this.fail(new Interrupted(new UnsettledTaskError({ problem: "the task's promise never settled, and nothing else was left to run", fix: "resolve or reject every promise the task returns" })));
  };

  constructor() {
    if (active !== undefined) throw new UsageError({ subject: "flytekit-ts-execute", problem: "execute() is already running a task in this process; it runs one at a time" });
    active = this;
    process.on("uncaughtException", this.onStray);
    process.on("unhandledRejection", this.onStray);
    process.on("beforeExit", this.onBeforeExit);
    const watch = this;
    process.exit = function exit(code?: number | string | null): never {
      // The task fails even if its code catches what is thrown here to stop it.
      const error = new TaskExitError(code === undefined || code === null ? undefined : Number(code));
      watch.interrupt(new Interrupted(error));
      throw error;
    } as typeof process.exit;
  }

  private interrupt(what: Interrupted): void {
    if (this.fail !== undefined) this.fail(what);
    else this.late ??= what;
  }

  /** What ended work outside a phase since the last look (the first of it), and forgets it. */
  takeLate(): Interrupted | undefined {
    const late = this.late;
    this.late = undefined;
    return late;
  }

  /**
   * Runs a phase (importing the resolver, loading the task, running it), then lets what it left
   * pending run before it counts as done: its promise jobs, its immediates and its timers that are
   * already due (a rejection nobody awaits, a `setTimeout(f, 0)`). A stray error, a process.exit or
   * an unsettled promise observed until then, or kept from before the phase, fails it.
   */
  run<T>(work: () => T | PromiseLike<T>): Promise<T> {
    const late = this.takeLate();
    if (late !== undefined) return Promise.reject(late);
    return new Promise<T>((resolvePromise, reject) => {
      this.fail = reject;
      Promise.resolve()
        .then(work)
        .then(async (value) => {
          await new Promise((r) => setTimeout(r, 0));
          await new Promise((r) => setImmediate(r));
          return value;
        })
        .then(resolvePromise, reject)
        .finally(() => (this.fail = undefined));
    });
  }

  /** Stops watching; what arrived after the document was written is logged, and changes nothing. */
  dispose(log: (line: string) => void): void {
    const late = this.takeLate();
    if (late !== undefined) log(`flytekit-ts-execute: an error was raised after the task's document was written, and is ignored: ${late.error instanceof Error ? late.error.stack : String(late.error)}`);
    process.off("uncaughtException", this.onStray);
    process.off("unhandledRejection", this.onStray);
    process.off("beforeExit", this.onBeforeExit);
    process.exit = this.realExit;
    if (active === this) active = undefined;
  }
}

/** What ended a phase outside its own call stack, as the task's error: its code did it. */
function interruption(e: Interrupted, task: string | undefined, secrets: readonly string[]): unknown {
  if (e.error instanceof UnsettledTaskError || e.error instanceof TaskExitError) return markUserError(e.error);
  return task === undefined ? e.error : userError(task, e.error, secrets);
}

/** The exit code after an error document: the task's own for process.exit (1 for 0), else 0 (1 with FLYTE_FAIL_ON_ERROR). */
function exitCodeAfterError(subject: unknown, env: NodeJS.ProcessEnv): number {
  if (subject instanceof TaskExitError) {
    const own = subject.exitCode;
    return own !== undefined && Number.isInteger(own) && own > 0 && own < 256 ? own : 1;
  }
  return envFlag(env.FLYTE_FAIL_ON_ERROR) ? 1 : 0;
}

/**
 * Runs a task as Flyte runs it in a container. Returns the process's exit code: 0 when outputs or
 * an error document were written (1 for an error when FLYTE_FAIL_ON_ERROR is set, the task's own
 * code, or 1, when it called process.exit), non-zero when even the error document could not be
 * written.
 */
export async function execute(args: ExecuteArgs, env: NodeJS.ProcessEnv = process.env, log: (line: string) => void = (l) => console.error(l)): Promise<{ code: number; report: ExecuteReport }> {
  const distributed = oneOf(env, "FLYTE_INTERNAL_DIST_ERROR_STRATEGY", "_F_DES") !== undefined;
  const worker = distributed ? (oneOf(env, "FLYTE_INTERNAL_WORKER_NAME", "_F_WN") ?? "") : "";
  const errorFile = distributed ? `error-${randomUUID().replace(/-/g, "")}.pb` : "error.pb";
  // An eager task's inner tasks run on the cluster, through FlyteAdmin (loaded on first use).
  const services: ExecutionServices = Object.freeze({ ...containerServices(env), launcher: containerLauncher(env) });
  const storage = services.storage;

  // Every line the entrypoint writes has the secrets the task read masked.
  let secretsRead: () => readonly string[] = () => [];
  const mask = (text: string) => maskText(text, secretsRead());
  const say = (line: string) => log(mask(line));
  const watch = new Watch();
  let task: Task | undefined;
  // The task's context, once made; its decks are written after the document (flytekit's _output_deck).
  let taskContext: TaskExecutionContext | undefined;
  let deckDue = false;

  /** Writes the error document of a failure; the code to exit with. */
  const writeError = async (failure: Failure, caught: unknown): Promise<{ code: number; report: ExecuteReport }> => {
    const doc = errorDocument(failure, worker);
    doc.error!.message = mask(doc.error!.message);
    say(`!! Begin ${failure.origin === ExecutionError_ErrorKind.USER ? "User" : "System"} Error Captured by Flyte !!`);
    say(doc.error!.message);
    say("!! End Error Captured by Flyte !!");
    try {
      await storage.write(joinUri(args.outputPrefix, errorFile), encode(ErrorDocumentSchema, doc));
    } catch (e) {
      say(`flytekit-ts-execute: could not write the error document to ${args.outputPrefix}: ${e instanceof Error ? e.message : String(e)}`);
      return { code: 2, report: { wrote: "nothing", task, error: caught, mask } };
    }
    return { code: exitCodeAfterError(failure.subject, env), report: { wrote: "error", task, error: caught, mask } };
  };

  try {
    let failure: Failure | undefined;
    let outputs: { outputs: LiteralMap; files: OffloadedFile[] } | undefined;
    let caught: unknown;
    let resolver: TaskResolver | undefined;
    try {
      resolver = await watch.run(() => resolverByLocation(args.resolver));
    } catch (e) {
      caught = e instanceof Interrupted ? interruption(e, undefined, []) : e;
      failure = classify(caught, "resolver");
    }
    if (args.test && resolver !== undefined) {
      // flytekit's dry run: the resolver loads, nothing runs, nothing is written.
      log(`flytekit-ts-execute --test: resolver ${args.resolver} loaded; not running ${args.loaderArgs.join(" ")}`);
      return { code: 0, report: { wrote: "nothing" } };
    }
    if (resolver !== undefined) {
      try {
        task = await watch.run(async () => {
          const loaded = await resolver.loadTask(args.loaderArgs, { storage });
          if (!(loaded instanceof Task)) {
            throw new TaskResolutionError({ subject: `resolver ${args.resolver}`, expected: "a task from loadTask()", got: String((loaded as { name?: unknown } | undefined)?.name ?? loaded) });
          }
          return loaded;
        });
      } catch (e) {
        caught = e instanceof Interrupted ? interruption(e, undefined, []) : e;
        failure = classify(caught, "load");
      }
    }
    if (task !== undefined) {
      const running = task;
      deckDue = decksOn(running);
      try {
        const limits = offloadLimits(env, running.settings.maxInlineIoBytes);
        const inputsBytes = await storage.read(args.inputs);
        // Offloaded inputs are read in place of their offloaded_metadata literals, before the task sees them.
        const inputs = await loadOffloadedInputs(decode(LiteralMapSchema, inputsBytes, `inputs ${args.inputs}`), { task: running.name, storage, limits, inputsSize: inputsBytes.length });
        const environment = executionEnvironmentFromEnv(env, {
          rawOutputPrefix: args.rawOutputDataPrefix,
          checkpointPath: args.checkpointPath,
          previousCheckpoint: args.prevCheckpoint,
        });
        const context = new TaskExecutionContext({
          taskName: running.name,
          attempt: attemptFromEnv(env),
          environment,
          services,
          secretRequests: running.settings.secretRequests,
        });
        secretsRead = () => context.secretValues;
        taskContext = context;
        // While an eager task runs, SIGTERM/SIGINT (Flyte stopping the pod) stop the inner executions it started.
        const stopper = running.isEager ? stopOnSignals(running.name, context, services, env, say) : undefined;
        try {
          outputs = await watch
            .run(async () => {
              const literals = await running.dispatchExecute(inputs, context);
              for (const upload of context.pendingUploads) await storage.upload(upload.localPath, upload.uri);
              const outputTypes = new Map(running.interface.outputs.map((o) => [o.name, o.type.literalType]));
              return offloadOutputs(literals, { task: running.name, outputTypes, limits, outputPrefix: args.outputPrefix });
            })
            .catch((e: unknown) => {
              if (e instanceof Interrupted) throw interruption(e, running.name, context.secretValues);
              // Storage fails after the task's work, with the secrets it read masked too.
              throw maskSecrets(e, context.secretValues);
            });
        } finally {
          await stopper?.dispose();
        }
      } catch (e) {
        caught = e;
        if (isUserError(e) && e instanceof IgnoreOutputs) {
          say(`task ${running.name} raised IgnoreOutputs: no outputs are written (${e.message})`);
          return { code: 0, report: { wrote: "nothing", task, error: e, mask } };
        }
        failure = classify(e, "run");
      }
    }

    // Something the task started may have failed since its work was done: then it has failed.
    const lateFailure = (): Failure | undefined => {
      const late = watch.takeLate();
      if (late === undefined) return undefined;
      caught = interruption(late, task?.name, secretsRead());
      return classify(caught, task === undefined ? "load" : "run");
    };
    if (failure === undefined && outputs !== undefined) failure = lateFailure();
    if (failure === undefined && outputs !== undefined) {
      try {
        // Offloaded outputs first: outputs.pb never points at data that was not written.
        for (const file of outputs.files) await storage.write(file.uri, file.bytes);
        await storage.write(joinUri(args.outputPrefix, "outputs.pb"), encode(LiteralMapSchema, outputs.outputs));
      } catch (e) {
        caught = e;
        failure = classify(e, "resolver");
      }
      if (failure === undefined) {
        // A failure while outputs.pb was written: the error document goes beside it, and Flyte
        // reads the error document first.
        const during = lateFailure();
        if (during === undefined) return { code: 0, report: { wrote: "outputs", task, mask } };
        failure = during;
      }
    }
    return await writeError(failure ?? lateFailure()!, caught);
  } finally {
    // As flytekit: once the task loaded, its deck goes beside the document, whether it succeeded
    // or failed; one write of the whole page (a store's put, or a file renamed into place).
    if (deckDue && task !== undefined) await writeDeck(task, taskContext, args.outputPrefix, storage, services, say);
    watch.dispose(say);
  }
}

/** How long a stopped eager task's launcher may take to terminate its inner executions (ms); FLYTEKIT_TS_STOP_GRACE_MS overrides it. */
export const STOP_GRACE_MS = 5_000;

/** The eager task was stopped by a signal (Flyte stopping its pod): the reason its context aborts with. */
export class TaskStoppedError extends FlyteError {}
brand(TaskStoppedError, "TaskStoppedError");

/**
 * While an eager task runs: on SIGTERM or SIGINT, abort its context (its inner calls fail, nothing
 * new is launched) and have the launcher terminate every inner execution it started and has not
 * seen end, for at most the grace; then the handlers are removed and the signal is raised again,
 * so that the process ends as it would have on it, with no document (flytekit's Controller
 * handler terminates the same executions, then exits 1 with no document). `dispose()` removes the
 * handlers; when a signal came, it first waits for that stop (the process ends there).
 */
function stopOnSignals(taskName: string, context: TaskExecutionContext, services: ExecutionServices, env: NodeJS.ProcessEnv, say: (line: string) => void): { dispose(): Promise<void> } {
  const signals = ["SIGTERM", "SIGINT"] as const;
  const asked = Number(env.FLYTEKIT_TS_STOP_GRACE_MS);
  const graceMs = Number.isFinite(asked) && asked >= 0 ? asked : STOP_GRACE_MS;
  let stopping: Promise<void> | undefined;
  const remove = () => {
    for (const signal of signals) process.off(signal, handler);
  };
  function handler(signal: NodeJS.Signals): void {
    if (stopping !== undefined) {
      say(`flytekit-ts-execute: ${signal} received again; still terminating the inner executions of eager task ${taskName}`);
      return;
    }
    say(`flytekit-ts-execute: ${signal} received: stopping eager task ${taskName} and terminating the inner executions it started (for at most ${graceMs} ms)`);
    const reason = new TaskStoppedError({ task: taskName, problem: `it was stopped by ${signal}` });
    context.abort(reason);
    let timer: NodeJS.Timeout | undefined;
    const grace = new Promise<void>((resolvePromise) => (timer = setTimeout(resolvePromise, graceMs)));
    const terminated = Promise.resolve()
      .then(() => services.launcher?.stop?.(reason))
      .catch((e: unknown) => say(`flytekit-ts-execute: the inner executions could not all be terminated: ${e instanceof Error ? e.message : String(e)}`));
    stopping = Promise.race([terminated, grace]).then(() => {
      clearTimeout(timer);
      remove();
      say(`flytekit-ts-execute: eager task ${taskName} stopped by ${signal}`);
      process.kill(process.pid, signal);
    });
  }
  for (const signal of signals) process.on(signal, handler);
  return {
    async dispose() {
      if (stopping !== undefined) await stopping;
      remove();
    },
  };
}

/** Writes `<outputPrefix>/deck.html`; a deck that cannot be written is logged, as flytekit logs it, and changes nothing else. */
async function writeDeck(task: Task, context: TaskExecutionContext | undefined, outputPrefix: string, storage: ExecutionServices["storage"], services: ExecutionServices, say: (line: string) => void): Promise<void> {
  const uri = joinUri(outputPrefix, DECK_FILE_NAME);
  try {
    const ctx = context ?? new TaskExecutionContext({ taskName: task.name, environment: { mode: "container" }, services });
    const html = maskHtml(renderTaskDeck(task, ctx), ctx.secretValues);
    await storage.write(uri, new TextEncoder().encode(html));
    say(`${deckTaskName(task)} task creates flyte deck html to ${uri}`);
  } catch (e) {
    say(`Failed to write flyte deck html with error ${e instanceof Error ? e.message : String(e)}.`);
  }
}

/** The command: parses argv, runs, and returns the exit code. */
export async function executeMain(argv: readonly string[], env: NodeJS.ProcessEnv = process.env): Promise<number> {
  let args: ExecuteArgs;
  try {
    args = parseExecuteArgs(argv);
  } catch (e) {
    if (e instanceof UsageError) {
      console.error(e.message);
      return 2;
    }
    throw e;
  }
  // Stack traces in error documents point at the user's sources (source maps of compiled or loaded TypeScript).
  process.setSourceMapsEnabled(true);
  // TypeScript modules among what is to be imported: a task module, an executor (`x.ts#Executor`), a resolver.
  if ([...args.loaderArgs, args.resolver].some((a) => /\.[cm]?tsx?(#[^#]*)?$/.test(a))) {
    // Once the loader's hooks are registered, every module Node loads passes through their thread,
    // and a cloud store's SDK is most of what this process loads: load the stores of the inputs and
    // outputs first. A store that fails to load here fails again where it is used, in its phase.
    await Promise.all([args.inputs, args.outputPrefix].map((uri) => defaultStorage.resolve(uri).catch(() => undefined)));
    const { registerTypeScriptLoader } = await import("../loader/register.js");
    registerTypeScriptLoader();
  }
  const { code, report } = await execute(args, env);
  const mask = report.mask ?? ((text: string) => text);
  await windDown(code, graceFromEnv(env), (line) => console.error(mask(line)));
  return code;
}

/** How long what a task left running may still run after its document is written (FLYTEKIT_TS_EXIT_GRACE_MS, default 1,000 ms). */
function graceFromEnv(env: NodeJS.ProcessEnv): number {
  const raw = env.FLYTEKIT_TS_EXIT_GRACE_MS;
  const ms = raw === undefined || raw === "" ? 1000 : Number(raw);
  return Number.isFinite(ms) && ms >= 0 ? ms : 1000;
}

/**
 * After the document is written, what the task left running (a timer it started, a socket) runs
 * on until the event loop is empty or for at most `graceMs`, so that an error it raises is logged
 * rather than lost with the process. Nothing it does then changes the document or the exit code.
 */
export async function windDown(code: number, graceMs: number, log: (line: string) => void = (l) => console.error(l)): Promise<void> {
  if (graceMs <= 0) return;
  const onStray = (e: unknown) => log(`flytekit-ts-execute: an error was raised after the task's document was written, and is ignored: ${e instanceof Error ? e.stack : String(e)}`);
  const realExit = process.exit;
  process.on("uncaughtException", onStray);
  process.on("unhandledRejection", onStray);
  process.exit = function exit(asked?: number | string | null): never {
    log(`flytekit-ts-execute: the task called process.exit(${asked ?? ""}) after its document was written; the process ends with ${code}`);
    return realExit.call(process, code);
  } as typeof process.exit;
  let onEmpty: (() => void) | undefined;
  try {
    await new Promise<void>((done) => {
      const timer = setTimeout(done, graceMs);
      // The grace itself keeps nothing alive: with nothing else left, the loop empties at once.
      timer.unref();
      onEmpty = () => {
        clearTimeout(timer);
        done();
      };
      process.once("beforeExit", onEmpty);
      // One turn of the loop, so that Node comes round to beforeExit again even when everything
      // since it last emptied (writing the document) ran without it.
      setImmediate(() => {});
    });
  } finally {
    if (onEmpty !== undefined) process.off("beforeExit", onEmpty);
    process.off("uncaughtException", onStray);
    process.off("unhandledRejection", onStray);
    process.exit = realExit;
  }
}
