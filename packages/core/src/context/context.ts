// The context of one attempt of one task: what Flyte told it, its services, and what it makes on
// the way (a scratch directory, files planned for upload). `dispatchExecute` receives one; a local
// call and flytekit-ts-execute build it differently, and that is the only difference between them.
import { randomBytes } from "node:crypto";
import { mkdtempSync } from "node:fs";
import { basename, join } from "node:path";
import { encode } from "../idl/codec.js";
import { LiteralMapSchema, type LiteralMap } from "../idl/gen/flyteidl/core/literals_pb.js";
import { joinUri, type Storage } from "../storage/storage.js";
import { makeTempDir, namesTempDir, removeTempDir } from "../storage/temp.js";
import { currentFrame, runInFrame, type ConversionContext, type UploadPlanner } from "../types/type.js";
import { DeckSet, type Deck } from "./deck.js";
import { EagerRun, type InnerCall } from "./composition.js";
import { TaskLogger } from "./logger.js";
import { Secrets, secretsConfigFromEnv, type SecretRequest } from "./secrets.js";
import { localServices, type ExecutionServices } from "./services.js";

/** Flyte's identifier of a workflow execution. */
export interface ExecutionId {
  project: string;
  domain: string;
  name: string;
}

/** Where a task runs and what Flyte told it, as the container's environment says (empty locally). */
export interface ExecutionEnvironment {
  /** `local` for a call in this process, `container` under flytekit-ts-execute. */
  mode: "local" | "container";
  executionId?: ExecutionId;
  /** The registered task's identifier, in a container. */
  taskId?: { project: string; domain: string; name: string; version: string };
  /** Where the task may write large outputs (`--raw-output-data-prefix`). */
  rawOutputPrefix?: string;
  /** Where the task may write checkpoints, and where the previous attempt's are. */
  checkpointPath?: string;
  previousCheckpoint?: string;
  /** The workflow and launch plan the execution runs, in a container. */
  workflow?: string;
  launchPlan?: string;
}

/** What a running task can learn about its execution: `currentContext()`. */
export interface ExecutionContext {
  readonly mode: "local" | "container";
  readonly executionId: ExecutionId;
  readonly taskName: string;
  readonly taskId?: ExecutionEnvironment["taskId"];
  /** The attempt, from 0: a retried task runs with 1, 2, ... */
  readonly attempt: number;
  /** A directory of the task's own, created on first use. */
  readonly scratchDir: string;
  readonly logger: TaskLogger;
  readonly secrets: Secrets;
  /** Every URI the task reads or writes, through the store registered for its scheme. */
  readonly storage: Storage;
  /** Aborted when the task runs past its timeout, or when the task that called it inline is aborted. */
  readonly signal: AbortSignal;
  /** Where the task may write large outputs: Flyte's raw output prefix, or a local temporary directory. */
  readonly rawOutputPrefix: string;
  readonly checkpointPath?: string | undefined;
  readonly previousCheckpoint?: string | undefined;
  /**
   * The task's deck of that name (a tab of its deck.html), made on first use: `deck("Report").append(html)`.
   * Rendered when the task's decks are on (`enableDeck`), as flytekit's `Deck(name)`.
   */
  deck(name: string): Deck;
  /** In an eager task: its run, with a record of every task its body called so far. */
  readonly eager?: EagerRun | undefined;
}

/** A local file or directory to copy to the raw output prefix before the outputs are written. */
export interface PendingUpload {
  localPath: string;
  uri: string;
  isDirectory: boolean;
}

/** What makes an attempt's context. */
export interface TaskExecutionContextInit {
  taskName: string;
  /** From 0. */
  attempt?: number;
  /** What Flyte told the task; a local call's by default. */
  environment?: ExecutionEnvironment;
  /** The services; those in force now by default (see currentServices). */
  services?: ExecutionServices;
  /**
   * Whether local files the outputs name are planned for upload under the raw output prefix (a task
   * in its container). A task called inline from inside another does not upload: its outputs come
   * back to the caller as values. Default: in a container with a raw output prefix.
   */
  uploadOutputs?: boolean;
  /** The secrets the task requests (its `secretRequests`), so that a secret not found is met with the right fix. */
  secretRequests?: readonly SecretRequest[];
  /** When the attempt runs a task an eager task called: that call's record (a nested eager task records its own calls in it). */
  innerCall?: InnerCall;
  /** The context of the task that called this one inline: when it is aborted, so is this one. */
  parent?: TaskExecutionContext;
}

/** The context of one attempt of one task. Everything costly is made on first use. */
export class TaskExecutionContext implements ExecutionContext, ConversionContext {
  readonly taskName: string;
  readonly attempt: number;
  readonly mode: "local" | "container";
  readonly services: ExecutionServices;
  /** Files the outputs refer to by local path, planned for upload (in a container). */
  readonly pendingUploads: PendingUpload[] = [];
  /** In a container with a raw output prefix, where local files the outputs name are copied. */
  readonly uploads: UploadPlanner | undefined;
  private readonly environment: ExecutionEnvironment;
  private readonly secretRequests: readonly SecretRequest[];
  /** Made on first use: most attempts never read their signal. */
  private controllerValue: AbortController | undefined;
  /** The caller's context, whose abort this one follows (see `signal`). */
  private readonly parent: TaskExecutionContext | undefined;
  /** Stops following the parent's abort (removes the listener on its signal). */
  private unfollow: (() => void) | undefined;
  private released = false;
  private secretsValue: Secrets | undefined;
  private loggerValue: TaskLogger | undefined;
  private scratch: string | undefined;
  private id: ExecutionId | undefined;
  private localRaw: string | undefined;
  private deckSet: DeckSet | undefined;
  private eagerRun: EagerRun | undefined;
  /** When this attempt runs a task an eager task called, that call's record in the eager task's run. */
  readonly innerCall: InnerCall | undefined;

  constructor(init: TaskExecutionContextInit) {
    this.taskName = init.taskName;
    this.attempt = init.attempt ?? 0;
    this.environment = init.environment ?? { mode: "local" };
    this.services = init.services ?? currentServices();
    this.mode = this.environment.mode;
    this.secretRequests = init.secretRequests ?? [];
    this.innerCall = init.innerCall;
    this.parent = init.parent;
    this.id = this.environment.executionId;
    const raw = this.environment.rawOutputPrefix;
    const upload = init.uploadOutputs ?? (this.mode === "container" && raw !== undefined);
    this.uploads = upload && raw !== undefined ? { plan: (path, isDirectory, options) => this.plan(raw, path, isDirectory, options?.contentsOnly === true) } : undefined;
  }

  /**
   * The context of a task called inline from inside this one's: what Flyte told this task (its
   * mode, ids, prefixes) and the given services, its own attempt, and no uploads of its own.
   * It is aborted when this one is (an eager task past its timeout stops the calls it made).
   */
  child(taskName: string, attempt: number, services: ExecutionServices, secretRequests: readonly SecretRequest[] = [], innerCall?: InnerCall): TaskExecutionContext {
    // In a container the caller's secrets are what is mounted; locally either task's request counts.
    const requested = [...this.secretRequests, ...secretRequests];
    return new TaskExecutionContext({ taskName, attempt, environment: this.environment, services, uploadOutputs: false, secretRequests: requested, innerCall, parent: this });
  }

  /**
   * The run of an eager task's attempt: the calls its body makes are recorded there. Undefined
   * for any other task (and for a task an eager task calls, unless it is eager itself).
   */
  get eager(): EagerRun | undefined {
    return this.eagerRun;
  }

  /**
   * Starts the eager run of this attempt (an eager task does, as it runs), once. A nested eager
   * task records its calls in its own record in its caller's run (`innerCall.calls`), so the
   * caller's record shows them; a retried one shows its last attempt's: each attempt has a list of
   * its own, so what an earlier attempt's body still does lands in that attempt's list, not in this one.
   */
  startEager(): EagerRun {
    if (this.eagerRun !== undefined) return this.eagerRun;
    const calls: InnerCall[] = [];
    if (this.innerCall !== undefined) this.innerCall.calls = calls;
    return (this.eagerRun = new EagerRun(this.taskName, calls));
  }


  /** The decks of this attempt and its timeline, made on first use (see deck.ts). */
  get decks(): DeckSet {
    return (this.deckSet ??= new DeckSet());
  }

  deck(name: string): Deck {
    return this.decks.deck(name);
  }

  get storage(): Storage {
    return this.services.storage;
  }

  /** In a container, what Flyte set; locally flytekit's `local/local/local`. */
  get executionId(): ExecutionId {
    return (this.id ??= { project: "local", domain: "local", name: "local" });
  }

  /** In a container, the registered task's id; locally flytekit's `local` four times. */
  get taskId(): ExecutionEnvironment["taskId"] {
    return this.environment.taskId ?? (this.mode === "local" ? { project: "local", domain: "local", name: "local", version: "local" } : undefined);
  }

  /** Where large outputs go: Flyte's raw output prefix, or locally a temporary directory made on first use. */
  get rawOutputPrefix(): string {
    if (this.environment.rawOutputPrefix !== undefined) return this.environment.rawOutputPrefix;
    return (this.localRaw ??= makeTempDir("raw"));
  }

  get checkpointPath(): string | undefined {
    return this.environment.checkpointPath;
  }

  get previousCheckpoint(): string | undefined {
    return this.environment.previousCheckpoint;
  }

  get secrets(): Secrets {
    const env = this.services.env;
    const reader = { task: this.taskName === "" ? undefined : this.taskName, requested: this.secretRequests };
    return (this.secretsValue ??= new Secrets(secretsConfigFromEnv(env), this.mode === "local", env, reader));
  }

  get logger(): TaskLogger {
    return (this.loggerValue ??= new TaskLogger(this.taskName, this.services.logSink, (t) => this.mask(t), this.services.env));
  }

  get scratchDir(): string {
    return (this.scratch ??= makeTempDir(this.taskName || "context"));
  }

  /** A new directory inside the scratch directory (for a download), removed with it. */
  tempDir(prefix: string): string {
    return mkdtempSync(join(this.scratchDir, `${prefix}-`));
  }

  /**
   * The attempt is over: removes the directories it made (its scratch directory, its local raw
   * output prefix), except one that a value in `outputs` still points into (a File the task
   * returned), which stays until the process exits.
   */
  release(outputs?: LiteralMap): void {
    // Over: it no longer listens to its caller's signal (a long-lived caller gathers no listeners).
    this.released = true;
    this.unfollow?.();
    this.unfollow = undefined;
    const made = [this.scratch, this.localRaw].filter((d): d is string => d !== undefined);
    if (made.length === 0) return;
    // A uri in the outputs (a blob's, or a path inside a record's MessagePack) is written as it is.
    const bytes = outputs === undefined ? undefined : Buffer.from(encode(LiteralMapSchema, outputs));
    for (const dir of made) {
      if (bytes !== undefined && namesTempDir(bytes, dir)) continue;
      removeTempDir(dir);
    }
    this.scratch = undefined;
    this.localRaw = undefined;
  }

  /** Aborted when the task runs past its timeout, or when the task that called it inline is aborted. */
  get signal(): AbortSignal {
    return this.controller.signal;
  }

  /** Aborts the task's signal (on timeout), and so the signals of the tasks it called inline. */
  abort(reason: unknown): void {
    this.controller.abort(reason);
    this.unfollow?.();
    this.unfollow = undefined;
  }

  /**
   * The abort controller, made on first use. A child follows its parent's signal: aborted at once if
   * the parent already is, else by a listener on the parent's signal, removed when the child is
   * aborted or released (so a caller that lives long, making many calls, keeps no listener per call).
   */
  private get controller(): AbortController {
    if (this.controllerValue !== undefined) return this.controllerValue;
    const controller = (this.controllerValue = new AbortController());
    const parent = this.parent?.signal;
    if (parent === undefined) return controller;
    if (parent.aborted) controller.abort(parent.reason);
    else if (!this.released) {
      const follow = () => {
        this.unfollow = undefined;
        controller.abort(parent.reason);
      };
      parent.addEventListener("abort", follow, { once: true });
      this.unfollow = () => parent.removeEventListener("abort", follow);
    }
    return controller;
  }

  private plan(prefix: string, localPath: string, isDirectory: boolean, contentsOnly: boolean): string {
    const known = this.pendingUploads.find((u) => u.localPath === localPath);
    if (known !== undefined) return known.uri;
    const folder = joinUri(prefix, randomBytes(16).toString("hex"));
    const uri = contentsOnly && isDirectory ? folder : joinUri(folder, basename(localPath));
    this.pendingUploads.push({ localPath, uri, isDirectory });
    return uri;
  }

  /** Masks the secrets read during this attempt. */
  mask(text: string): string {
    return this.secretsValue === undefined ? text : this.secretsValue.mask(text);
  }

  /** The secret values read during this attempt. */
  get secretValues(): readonly string[] {
    return this.secretsValue?.values ?? [];
  }
}


/**
 * What runs now: the running task's context (none in a script or a test), the services in force,
 * and the conversion context. The execution path runs a task's body in its frame; `withServices`
 * runs a function in a frame with other services.
 */
interface Frame {
  readonly context: TaskExecutionContext | undefined;
  readonly services: ExecutionServices;
  readonly conversion: ConversionContext;
}

function frameNow(): Frame | undefined {
  return currentFrame() as Frame | undefined;
}

/** Outside any task, one local context of no task per set of services. */
const outside = new WeakMap<ExecutionServices, TaskExecutionContext>();

/** Runs `fn` with `context` as the current task context (sync or async): the task's body runs so. */
export function runInContext<T>(context: TaskExecutionContext, fn: () => T): T {
  return runInFrame<Frame, T>({ context, services: context.services, conversion: context }, fn);
}

/** The services in force now: the innermost `withServices`, else the running task's, else local calls'. */
export function currentServices(): ExecutionServices {
  return frameNow()?.services ?? localServices();
}

/**
 * Runs `fn` with services changed for every local call it makes, synchronously or not (flytekit's
 * `FlyteContextManager.with_context`): `withServices({ logSink }, () => ...)` collects log lines,
 * `withServices({ localCache: new LocalCache({ dir }) }, ...)` keeps cached results in `dir`. What is
 * not given stays as it is; a task called inside keeps the services of its caller.
 */
export function withServices<T>(changes: Partial<ExecutionServices>, fn: () => T): T {
  const outer = frameNow();
  const services = Object.freeze({ ...currentServices(), ...changes });
  return runInFrame<Frame, T>({ context: outer?.context, services, conversion: outer?.context ?? { storage: services.storage } }, fn);
}

/**
 * The context of the running task: its execution id, name, attempt, scratch directory, logger,
 * secrets, storage and abort signal. Outside a task (a script, a test) it is a local context of no
 * task, as flytekit's `current_context()` is.
 */
export function currentContext(): ExecutionContext {
  const inside = frameNow()?.context;
  if (inside !== undefined) return inside;
  const services = currentServices();
  let context = outside.get(services);
  if (context === undefined) {
    context = new TaskExecutionContext({ taskName: "", services });
    outside.set(services, context);
  }
  return context;
}

/** The running task's context, or undefined outside a task. */
export function maybeCurrentContext(): TaskExecutionContext | undefined {
  return frameNow()?.context;
}
