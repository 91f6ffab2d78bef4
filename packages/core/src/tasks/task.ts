// What a task is: its identity, interface and settings, what Flyte needs to run it (the template's
// parts), its hooks, and the one execution path every run takes, locally or in a container:
//   dispatchExecute: literals → native → the task's body → native → literals
// How values cross the boundary is conversion.ts; the policy of a local call is local-run.ts.
import type { JsonObject } from "@bufbuild/protobuf";
import { runInContext, type TaskExecutionContext } from "../context/context.js";
import { maskSecrets } from "../context/secrets.js";
import { brand } from "../errors/flyte-error.js";
import { create } from "../idl/codec.js";
import type { LiteralMap } from "../idl/gen/flyteidl/core/literals_pb.js";
import { SecurityContextSchema, type SecurityContext } from "../idl/gen/flyteidl/core/security_pb.js";
import type { Container, ExtendedResources, K8sPod, Sql } from "../idl/gen/flyteidl/core/tasks_pb.js";
import type { Interface } from "../interface/interface.js";
import type { SerializationSettings } from "../serialize/settings.js";
import { DeferredValue, PendingWork, subjectOf } from "../types/pending.js";
import type { ConversionContext } from "../types/type.js";
import { afterPending, nativeInputs, outputLiterals, pendingFailure, settleNatives } from "./conversion.js";
import { addTaskDecks, decksOn, writeLocalDeck } from "./decks.js";
import type { TaskDocumentation } from "./docs.js";
import type { VersionParameters } from "./cache.js";
import { TaskDefinitionError, userError } from "./errors.js";
import { localCall } from "./local-run.js";
import type { TaskMetadata, TaskSettings } from "./options.js";
import { overrideSettings, type TaskOverrides } from "./override.js";
import { andThen, isThenable } from "./promise.js";
import { declarationIndexForNewTask } from "./sequence.js";

export interface TaskInit {
  name: string;
  interface: Interface;
  settings: TaskSettings;
  /** Whether a call returns a Promise (an async body). @default false */
  isAsync?: boolean;
}

/** A Flyte task. Subclasses say what its body does (`executeNative`) and what Flyte needs to run it. */
export abstract class Task {
  /** Flyte's task type: `typescript-task` for function tasks, a plugin's own type otherwise. */
  abstract readonly taskType: string;
  readonly taskTypeVersion: number = 0;
  /** Where the task comes in the program's order of declarations (serialize numbers files by it). */
  readonly declarationIndex: number = declarationIndexForNewTask();
  readonly name: string;
  readonly interface: Interface;
  readonly settings: TaskSettings;
  /** Whether a call returns a Promise (an async body); so does a call of its mock. */
  readonly isAsync: boolean;

  constructor(init: TaskInit) {
    this.name = init.name;
    this.interface = init.interface;
    this.settings = init.settings;
    this.isAsync = init.isAsync ?? false;
  }

  get metadata(): TaskMetadata {
    return this.settings.metadata;
  }

  /** Flyte 2's UI name: the `shortName` option, else the member's (or function's) name. */
  get shortName(): string {
    return this.settings.flyte2.shortName ?? this.defaultShortName();
  }

  /** The short name when none is given: the last part of the task's name. */
  protected defaultShortName(): string {
    return this.name.slice(this.name.lastIndexOf(".") + 1);
  }

  /** The task an `override()` was made from (itself, for a declared task). */
  get origin(): Task {
    return this;
  }

  /**
   * A new task with some settings changed (Flyte 2's `task.override()`): the same name, interface,
   * image and docs, which cannot be overridden; the original is never changed. flyte-sdk's rules
   * apply (`resources`, `env` and `secrets` only with `reusable: "off"` on a reusable task), with
   * one difference: a value given is the value, so `retries: 0` turns retries off (flyte-sdk's
   * `retries or self.retries` keeps the old count).
   */
  override(overrides: TaskOverrides): this {
    const origin = this.origin;
    const settings = overrideSettings(
      { name: this.name, settings: this.settings, isAsync: this.isAsync, versionParameters: this.versionParameters(), inputNames: this.interface.inputs.map((v) => v.name) },
      overrides,
    );
    const copy = Object.create(Object.getPrototypeOf(this) as object) as this;
    Object.assign(copy, this);
    Object.defineProperty(copy, "settings", { value: settings, enumerable: true });
    Object.defineProperty(copy, "origin", { value: origin, enumerable: false });
    return copy;
  }

  /** What cache policies version the task by (a function task's function, its image and pod). */
  protected versionParameters(): VersionParameters {
    return { containerImage: this.settings.containerImage, podTemplate: this.settings.podTemplate, podTemplateName: this.settings.metadata.podTemplateName };
  }

  /** Whether the task is eager (`@eager`): its body composes other tasks, each launched on its own. */
  get isEager(): boolean {
    return false;
  }

  // ---- what Flyte needs to run it (see serialize/template.ts) -------------------------------

  /** The plugin-specific `custom` of the TaskTemplate; undefined (or {}) when there is none. */
  getCustom(_settings?: SerializationSettings): JsonObject | undefined {
    return undefined;
  }

  /** The TaskTemplate's `config`. */
  getConfig(_settings?: SerializationSettings): Record<string, string> {
    return {};
  }

  /** The container Flyte starts for the task; undefined for tasks Flyte runs without one. */
  getContainer(_settings: SerializationSettings): Container | undefined {
    return undefined;
  }

  /** The pod Flyte starts for the task, when it runs in a pod of its own making. */
  getK8sPod(_settings: SerializationSettings): K8sPod | undefined {
    return undefined;
  }

  /** The statement a query task sends to its backend. */
  getSql(_settings: SerializationSettings): Sql | undefined {
    return undefined;
  }

  /** GPUs and shared memory, when the task asks for them. */
  getExtendedResources(_settings: SerializationSettings): ExtendedResources | undefined {
    return undefined;
  }

  /** The secrets the task asks for, as a security context; undefined when it asks for none. */
  getSecurityContext(): SecurityContext | undefined {
    const secrets = this.settings.secretRequests;
    if (secrets.length === 0) return undefined;
    return create(SecurityContextSchema, {
      secrets: secrets.map((s) => ({
        group: s.group ?? "",
        key: s.key ?? "",
        groupVersion: s.groupVersion ?? "",
        mountRequirement: s.mountRequirement as number,
        envVar: s.envVar ?? "",
      })),
    });
  }

  /** What the registered task says about itself (flytekit's Documentation); undefined when nothing. */
  getDocumentation(): TaskDocumentation | undefined {
    return undefined;
  }

  // ---- hooks ---------------------------------------------------------------------------
  // The path runs pre → execute → post (Flyte 2's names). Their defaults run flytekit's names,
  // preExecute → executeNative → postExecute, so a plugin overrides either set; there is one path.

  /** Flyte 2's `pre`: runs before the body, in the task's context. By default, `preExecute`. */
  pre(context: TaskExecutionContext): void | PromiseLike<void> {
    return this.preExecute(context);
  }

  /** Flyte 2's `execute`: the body, native inputs by name in, the native result out. By default, `executeNative`. */
  execute(inputs: Record<string, unknown>, context: TaskExecutionContext): unknown {
    return this.executeNative(inputs, context);
  }

  /** Flyte 2's `post`: runs after the body with its result, which it may replace. By default, `postExecute`. */
  post(context: TaskExecutionContext, result: unknown): unknown {
    return this.postExecute(context, result);
  }

  /** Runs before the body, in the task's context (plugins; flytekit's name for `pre`). */
  preExecute(_context: TaskExecutionContext): void | PromiseLike<void> {}

  /** Runs after the body with its result, which it may replace (plugins; flytekit's name for `post`). */
  postExecute(_context: TaskExecutionContext, result: unknown): unknown {
    return result;
  }

  /** What the body's result means as outputs (an executor's result is read as flytekit's shim reads it). */
  protected shapeResult(result: unknown): unknown {
    return result;
  }

  /** Whether the body is the user's code, whose errors are reported as user errors (not for reference tasks). */
  protected get bodyIsUserCode(): boolean {
    return true;
  }

  /** The body: native inputs by name in, the native result out (one value, an object of outputs, or nothing). */
  protected abstract executeNative(inputs: Record<string, unknown>, context: TaskExecutionContext): unknown;

  // ---- running it ------------------------------------------------------------------------

  /** Calls the task with positional arguments, as its function is written. */
  call(...args: readonly unknown[]): unknown {
    return localCall(this, args, undefined);
  }

  /** Calls the task and always gives a Promise, even for a synchronous task (Flyte 2's `aio`). */
  async aio(...args: readonly unknown[]): Promise<unknown> {
    return localCall(this, args, undefined);
  }

  /**
   * Runs the task's function itself, as it is written (Flyte 2's `forward`): no conversion of
   * values to literals and back, no cache, no retries, no timeout, no mock. Only a task with a
   * function of its own has one.
   */
  forward(..._args: readonly unknown[]): unknown {
    throw new TaskDefinitionError({ task: this.name, subject: "forward()", problem: `a ${this.constructor.name} has no function of its own to run`, fix: "call the task instead" });
  }

  /** Calls the task with its inputs by name (flytekit's keyword call). */
  invoke(inputs: Readonly<Record<string, unknown>>): unknown {
    return localCall(this, [], inputs);
  }

  /** A local call: positional arguments, then named ones (see local-run.ts). */
  localCall(positional: readonly unknown[], named: Readonly<Record<string, unknown>> | undefined): unknown {
    return localCall(this, positional, named);
  }

  /**
   * The one execution path. Literals in, literals out: converts the inputs to native values, runs
   * the body (or its mock) in the task's context, and converts its result to the outputs
   * LiteralMap. Local calls and containers both come through here; only their contexts differ.
   */
  dispatchExecute(inputs: LiteralMap, context: TaskExecutionContext): LiteralMap | Promise<LiteralMap> {
    // Whatever fails here leaves with the secrets the task read masked: the user's error, an
    // output that did not convert (its value in the message), and their causes and properties.
    try {
      const outputs = this.dispatch(inputs, context);
      return isThenable(outputs) ? outputs.then(undefined, (e: unknown) => throwMasked(e, context)) : outputs;
    } catch (e) {
      return throwMasked(e, context);
    }
  }

  private dispatch(inputs: LiteralMap, context: TaskExecutionContext): LiteralMap | Promise<LiteralMap> {
    // A Table the task takes whole is read before the body runs (nothing else waits here).
    const made = DeferredValue.made;
    const convert = () => settleNatives(this, nativeInputs(this, inputs, context), "input", made);
    // With decks on, the parts of the run are timed for the Timeline panel.
    const native = decksOn(this) ? context.decks.time("Translate inputs to native values", convert) : convert();
    return andThen(native, (n) => this.run(n, context));
  }

  private run(native: Record<string, unknown>, context: TaskExecutionContext): LiteralMap | Promise<LiteralMap> {
    return runInContext(context, () => {
      const mock = context.services.mocks.find(this);
      // A table returned is written to its files before the outputs exist.
      const toOutputs = (r: unknown) => {
        const pending = new PendingWork();
        const conversion: ConversionContext = { storage: context.storage, uploads: context.uploads, tempDir: (prefix) => context.tempDir(prefix), pending };
        return afterPending(this, pending, outputLiterals(this, this.shapeResult(r), conversion));
      };
      if (mock === undefined && !this.bodyIsUserCode) {
        return andThen(this.execute(native, context), toOutputs);
      }
      const body = (): unknown => {
        try {
          const result = mock !== undefined ? mock.run(native) : this.execute(native, context);
          return isThenable(result) ? Promise.resolve(result).catch((e: unknown) => this.rethrowUserError(e)) : result;
        } catch (e) {
          return this.rethrowUserError(e);
        }
      };
      const afterPre = this.pre(context);
      const run = () => (isThenable(afterPre) ? Promise.resolve(afterPre).then(body) : body());
      if (!decksOn(this)) return andThen(andThen(run(), (r) => this.post(context, r)), toOutputs);
      // flytekit's _write_decks: after the outputs are literals, the SDK's panels; a local run writes the page.
      const decks = context.decks;
      const result = andThen(decks.time("Execute user level code", run), (r) => this.post(context, r));
      return andThen(result, (r) =>
        andThen(decks.time("Translate outputs to literals", () => toOutputs(r)), (outputs) => {
          addTaskDecks(this, context, native, r);
          if (context.mode === "local") writeLocalDeck(this, context);
          return outputs;
        }),
      );
    });
  }

  // Secrets are masked once, as the error leaves dispatchExecute.
  private rethrowUserError(e: unknown): never {
    // A table input that does not read as declared, found while the body read it, is the input's
    // conversion error (SYSTEM, not retried), as it would have been had the task taken it whole.
    const subject = subjectOf(e);
    if (subject !== undefined) throw pendingFailure(this, e, subject);
    throw userError(this.name, e);
  }

  toString(): string {
    return `${this.constructor.name}(${this.name} ${this.interface.toString()})`;
  }
}
brand(Task, "Task", { setName: false });

function throwMasked(e: unknown, context: TaskExecutionContext): never {
  throw maskSecrets(e, context.secretValues);
}
