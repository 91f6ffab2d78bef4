// A task: what it is (name, interface, metadata), how it runs (dispatchExecute), and the local
// call that puts a JavaScript call through the same path a container takes:
//   arguments → LiteralMap → [local cache] → dispatchExecute → LiteralMap → native result
// dispatchExecute: literals → native → the task's body → native → literals.
import { fromBinary, type JsonObject } from "@bufbuild/protobuf";
import { createMessage } from "../idl/create.js";
import { encodeBinary } from "../idl/binary.js";
import { LiteralMapSchema, type Literal, type LiteralMap } from "../idl/gen/flyteidl/core/literals_pb.js";
import { SecurityContextSchema, type SecurityContext } from "../idl/gen/flyteidl/core/security_pb.js";
import { type Container, type ExtendedResources, type K8sPod, type Sql } from "../idl/gen/flyteidl/core/tasks_pb.js";
import type { SerializationSettings } from "../serialize/settings.js";
import type { Interface } from "../interface/interface.js";
import { maybeCurrentContext, runInContext, TaskExecutionContext, type ExecutionEnvironment } from "../execute/context.js";
import { localCacheKey } from "../execute/cache-key.js";
import { localCacheConfig } from "../execute/local-cache.js";
import { activeMock } from "../testing/mock.js";
import { TypeTransformerError } from "../types/errors.js";
import { literalMapOf } from "../types/literals.js";
import { durationToMillis } from "../types/time.js";
import { withUploadPlanner } from "../types/uploads.js";
import { RecoverableError, TaskInputError, TaskOutputError, TaskTimeoutError, userError } from "./errors.js";
import type { TaskDocumentation } from "./docs.js";
import { declarationIndexForNewTask } from "./sequence.js";
import type { TaskMetadata, TaskSettings } from "./options.js";
import { andThen, isThenable } from "./promise.js";

/** Marks errors thrown by a task's own code (as opposed to conversion or the SDK). */
export const USER_ERROR = Symbol.for("flytekit-ts.user-error");

/** Whether an error came from a task's own code. */
export function isUserError(error: unknown): boolean {
  return typeof error === "object" && error !== null && (error as { [USER_ERROR]?: boolean })[USER_ERROR] === true;
}

/** Marks an error as the task's own (its code threw it). */
export function markUserError(error: unknown): unknown {
  if (typeof error === "object" && error !== null) {
    Object.defineProperty(error, USER_ERROR, { value: true, enumerable: false, configurable: true });
  }
  return error;
}

function describeFailure(e: TypeTransformerError): string {
  return `expects ${e.expected}, got ${e.got}${e.detail === "" ? "" : `: ${e.detail}`}`;
}

export interface TaskInit {
  name: string;
  interface: Interface;
  settings: TaskSettings;
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

  constructor(init: TaskInit) {
    this.name = init.name;
    this.interface = init.interface;
    this.settings = init.settings;
  }

  get metadata(): TaskMetadata {
    return this.settings.metadata;
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
    return createMessage(SecurityContextSchema, {
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

  /** Runs before the body, in the task's context (plugins). */
  preExecute(_context: TaskExecutionContext): void | PromiseLike<void> {}

  /** Runs after the body with its result, which it may replace (plugins). */
  postExecute(_context: TaskExecutionContext, result: unknown): unknown {
    return result;
  }

  /** Whether the body is the user's code, whose errors are reported as user errors (not for reference tasks). */
  protected get bodyIsUserCode(): boolean {
    return true;
  }

  /** The body: native inputs by name in, the native result out (one value, an object of outputs, or nothing). */
  protected abstract executeNative(inputs: Record<string, unknown>, context: TaskExecutionContext): unknown;

  // ---- local calls ------------------------------------------------------------------------

  /** Calls the task with positional arguments, as its function is written. */
  call(...args: readonly unknown[]): unknown {
    return this.localCall(args, undefined);
  }

  /** Calls the task with its inputs by name (flytekit's keyword call). */
  invoke(inputs: Readonly<Record<string, unknown>>): unknown {
    return this.localCall([], inputs);
  }

  /**
   * A local call: positional arguments then named ones, as in Python. Inputs are checked and
   * converted before anything runs; the result comes back through the type engine.
   */
  localCall(positional: readonly unknown[], named: Readonly<Record<string, unknown>> | undefined): unknown {
    const outer = maybeCurrentContext();
    if (outer !== undefined && outer.mode === "local" && outer.taskName !== "") {
      outer.logger.warn(
        `called task '${this.name}' from inside task '${outer.taskName}': flytekit-ts runs it inline, as flytekit does; ` +
          "on Flyte it would run in the same container, not as a task of its own",
      );
    }
    if (this.metadata.deprecated !== "") {
      process.emitWarning(`Task '${this.name}' is deprecated: ${this.metadata.deprecated}`, {
        type: "DeprecationWarning",
        code: "FLYTEKIT_TS_DEPRECATED_TASK",
      });
    }
    const inputs = this.bindArguments(positional, named);
    const outputs = this.runLocally(inputs);
    return andThen(outputs, (map) => this.nativeOutputs(map));
  }

  /** Binds arguments to inputs and converts them to a LiteralMap; any problem throws before the body runs. */
  bindArguments(positional: readonly unknown[], named: Readonly<Record<string, unknown>> | undefined): LiteralMap {
    const inputs = this.interface.inputs;
    const n = inputs.length;
    if (positional.length > n) {
      throw new TaskInputError(
        `Received more arguments than expected in function '${this.name}'. Expected ${n} but got ${positional.length}`,
        this.name,
      );
    }
    let values: unknown[] = positional as unknown[];
    if (named !== undefined) {
      values = [...positional];
      for (const key of Object.keys(named)) {
        const at = inputs.findIndex((v) => v.name === key);
        if (at < 0) {
          throw new TaskInputError(`Received unexpected keyword argument '${key}' in function '${this.name}'`, this.name, key);
        }
        if (at < positional.length && positional[at] !== undefined) {
          throw new TaskInputError(`Got multiple values for argument '${key}' in function '${this.name}'`, this.name, key);
        }
        values[at] = named[key];
      }
    }
    const literals: Record<string, Literal> = {};
    for (let i = 0; i < n; i++) {
      const input = inputs[i]!;
      let value = values[i];
      if (value === undefined) {
        // A default is applied where the task runs (as flytekit leaves Python's defaults to the
        // function), so it is not part of the inputs sent, nor of the cache key.
        if (input.hasDefaultValue || input.hasParameterDefault === true) continue;
        if (!input.type.acceptsNone) {
          if (input.optional) continue;
          throw new TaskInputError(
            `Failed to convert inputs of task '${this.name}': argument '${input.name}' is missing (${input.type.name} is required)`,
            this.name,
            input.name,
          );
        }
      }
      try {
        literals[input.name] = input.type.toLiteral(value);
      } catch (e) {
        if (!(e instanceof TypeTransformerError)) throw e;
        throw new TaskInputError(
          `Failed to convert inputs of task '${this.name}': argument '${input.name}'${e.path.join("")} ${describeFailure(e)}`,
          this.name,
          input.name,
          { cause: e },
        );
      }
    }
    return literalMapOf(literals);
  }

  /** The local cache, retries and timeout around dispatchExecute. */
  private runLocally(inputs: LiteralMap): LiteralMap | Promise<LiteralMap> {
    const meta = this.metadata;
    if (!meta.cache || activeMock(this) !== undefined) return this.runAttempts(inputs, 0);
    const config = localCacheConfig();
    if (!config.enabled) return this.runAttempts(inputs, 0);
    const key = localCacheKey(this.name, meta.cacheVersion, inputs, meta.cacheIgnoreInputVars);
    if (!config.overwrite) {
      const hit = this.readCached(config.store.get(key));
      if (hit !== undefined) return hit;
    }
    return andThen(this.runAttempts(inputs, 0), (outputs) => {
      config.store.set(key, encodeBinary(LiteralMapSchema, outputs));
      return outputs;
    });
  }

  /** A stored result that still fits the task's outputs, or undefined (a miss). */
  private readCached(bytes: Uint8Array | undefined): LiteralMap | undefined {
    if (bytes === undefined) return undefined;
    try {
      const map = fromBinary(LiteralMapSchema, bytes);
      this.nativeOutputs(map);
      return map;
    } catch {
      return undefined;
    }
  }

  private runAttempts(inputs: LiteralMap, attempt: number): LiteralMap | Promise<LiteralMap> {
    const retry = (e: unknown): LiteralMap | Promise<LiteralMap> => {
      if (!(e instanceof RecoverableError) || attempt >= this.metadata.retries) throw e;
      return this.runAttempts(inputs, attempt + 1);
    };
    let result: LiteralMap | Promise<LiteralMap>;
    try {
      result = this.runAttempt(inputs, attempt);
    } catch (e) {
      return retry(e);
    }
    return isThenable(result) ? result.then(undefined, retry) : result;
  }

  /** One attempt, in its own context, with the timeout enforced. */
  private runAttempt(inputs: LiteralMap, attempt: number): LiteralMap | Promise<LiteralMap> {
    const context = new TaskExecutionContext(this.name, attempt);
    const timeout = this.metadata.timeout;
    if (timeout === undefined) return this.dispatchExecute(inputs, context);
    const ms = durationToMillis(timeout);
    const started = performance.now();
    const result = this.dispatchExecute(inputs, context);
    const timedOut = () =>
      new TaskTimeoutError(`Task '${this.name}' exceeded its timeout of ${ms / 1000}s`, this.name, ms);
    if (!isThenable(result)) {
      // A synchronous body cannot be interrupted; on Flyte it would have been killed, so its result is refused.
      if (performance.now() - started > ms) throw timedOut();
      return result;
    }
    return new Promise<LiteralMap>((resolve, reject) => {
      const timer = setTimeout(() => {
        const error = timedOut();
        context.abort(error);
        reject(error);
      }, Math.max(0, ms - (performance.now() - started)));
      result.then(
        (v) => {
          clearTimeout(timer);
          resolve(v);
        },
        (e: unknown) => {
          clearTimeout(timer);
          reject(e);
        },
      );
    });
  }

  // ---- the one execution path ------------------------------------------------------------

  /**
   * Literals in, literals out: converts the inputs to native values, runs the body in the task's
   * context, and converts its result to the output LiteralMap. Local calls and containers both
   * come through here.
   */
  dispatchExecute(inputs: LiteralMap, context: TaskExecutionContext): LiteralMap | Promise<LiteralMap> {
    const native = this.nativeInputs(inputs);
    return runInContext(context, () => {
      const mock = activeMock(this);
      const toOutputs = (r: unknown) => withUploadPlanner(context.uploadPlanner, () => this.outputLiterals(r));
      if (mock === undefined && !this.bodyIsUserCode) {
        return andThen(this.executeNative(native, context), toOutputs);
      }
      const body = (): unknown => {
        try {
          const result = mock !== undefined ? mock.run(native) : this.executeNative(native, context);
          return isThenable(result) ? Promise.resolve(result).catch((e: unknown) => this.rethrowUserError(e, context)) : result;
        } catch (e) {
          return this.rethrowUserError(e, context);
        }
      };
      const afterPre = this.preExecute(context);
      const result = isThenable(afterPre) ? Promise.resolve(afterPre).then(body) : body();
      return andThen(andThen(result, (r) => this.postExecute(context, r)), toOutputs);
    });
  }

  private rethrowUserError(e: unknown, context: TaskExecutionContext): never {
    throw markUserError(userError(this.name, e, context.secretValues));
  }

  /** The native inputs of a LiteralMap, by name. */
  nativeInputs(inputs: LiteralMap): Record<string, unknown> {
    const native: Record<string, unknown> = {};
    for (const input of this.interface.inputs) {
      const literal = inputs.literals[input.name];
      if (literal === undefined) {
        if (input.hasDefaultValue) native[input.name] = input.defaultValue;
        else if (input.hasParameterDefault === true) native[input.name] = undefined;
        else if (input.type.acceptsNone) native[input.name] = null;
        else if (!input.optional) {
          throw new TaskInputError(
            `Error encountered while converting inputs of '${this.name}':\n  input '${input.name}' is missing from the inputs`,
            this.name,
            input.name,
          );
        }
        continue;
      }
      try {
        native[input.name] = input.type.fromLiteral(literal);
      } catch (e) {
        if (!(e instanceof TypeTransformerError)) throw e;
        throw new TaskInputError(
          `Error encountered while converting inputs of '${this.name}':\n  input '${input.name}'${e.path.join("")} ${describeFailure(e)}`,
          this.name,
          input.name,
          { cause: e },
        );
      }
    }
    return native;
  }

  /** The output LiteralMap of what the body returned. */
  outputLiterals(result: unknown): LiteralMap {
    const outputs = this.interface.outputs;
    if (outputs.length === 0) {
      if (result !== undefined && result !== null) {
        throw new TaskOutputError(
          `Task '${this.name}' declares no outputs but returned ${describeResult(result)}; declare outputs (or annotate the return type) or return nothing`,
          this.name,
        );
      }
      return literalMapOf({});
    }
    const literals: Record<string, Literal> = {};
    if (this.interface.returnsBareValue) {
      literals.o0 = this.outputLiteral(0, result);
      return literalMapOf(literals);
    }
    if (outputs.length === 1) {
      // One named output: the object of outputs, or (as flytekit takes it) the bare value.
      const only = outputs[0]!.name;
      const isMap = typeof result === "object" && result !== null && !Array.isArray(result) && Object.hasOwn(result, only);
      if (!isMap) {
        literals[only] = this.outputLiteral(0, result);
        return literalMapOf(literals);
      }
    }
    if (typeof result !== "object" || result === null || Array.isArray(result)) {
      throw new TaskOutputError(
        `Task '${this.name}' must return an object with its outputs ${outputs.map((o) => o.name).join(", ")}, got ${describeResult(result)}`,
        this.name,
      );
    }
    const record = result as Record<string, unknown>;
    for (const key of Object.keys(record)) {
      if (!outputs.some((o) => o.name === key)) {
        throw new TaskOutputError(
          `Task '${this.name}' returned '${key}', which is not one of its outputs (${outputs.map((o) => o.name).join(", ")})`,
          this.name,
          key,
        );
      }
    }
    for (let i = 0; i < outputs.length; i++) literals[outputs[i]!.name] = this.outputLiteral(i, record[outputs[i]!.name]);
    return literalMapOf(literals);
  }

  private outputLiteral(position: number, value: unknown): Literal {
    const output = this.interface.outputs[position]!;
    try {
      return output.type.toLiteral(value);
    } catch (e) {
      if (!(e instanceof TypeTransformerError)) throw e;
      throw new TaskOutputError(
        `Failed to convert outputs of task '${this.name}' at output '${output.name}' (position ${position}): ` +
          `${output.name}${e.path.join("")} ${describeFailure(e)}`,
        this.name,
        output.name,
        { cause: e },
      );
    }
  }

  /** What a local call returns for an output LiteralMap: nothing, the bare value, or an object of outputs. */
  nativeOutputs(outputs: LiteralMap): unknown {
    const vars = this.interface.outputs;
    if (vars.length === 0) return undefined;
    const read = (i: number) => {
      const v = vars[i]!;
      const literal = outputs.literals[v.name];
      if (literal === undefined) throw new TaskOutputError(`Task '${this.name}' produced no output '${v.name}'`, this.name, v.name);
      try {
        return v.type.fromLiteral(literal);
      } catch (e) {
        if (!(e instanceof TypeTransformerError)) throw e;
        throw new TaskOutputError(`Task '${this.name}': output '${v.name}'${e.path.join("")} ${describeFailure(e)}`, this.name, v.name, { cause: e });
      }
    };
    if (this.interface.returnsBareValue) return read(0);
    const out: Record<string, unknown> = {};
    for (let i = 0; i < vars.length; i++) out[vars[i]!.name] = read(i);
    return out;
  }

  /** Runs the task in a container's terms: the inputs LiteralMap in, the outputs LiteralMap out. */
  executeFromLiterals(inputs: LiteralMap, environment: ExecutionEnvironment, attempt = 0): LiteralMap | Promise<LiteralMap> {
    return this.dispatchExecute(inputs, new TaskExecutionContext(this.name, attempt, environment));
  }

  toString(): string {
    return `${this.constructor.name}(${this.name} ${this.interface.toString()})`;
  }
}

function describeResult(value: unknown): string {
  try {
    const text = typeof value === "string" ? JSON.stringify(value) : JSON.stringify(value, (_k, v: unknown) => (typeof v === "bigint" ? `${v}n` : v));
    return `${text ?? String(value)} (${Array.isArray(value) ? "array" : typeof value})`;
  } catch {
    return String(value);
  }
}
