// The local call: a JavaScript call put through the path a container takes, with the policy a
// local run adds around it:
//   arguments → LiteralMap → [local cache] → [retries, timeout] → dispatchExecute → LiteralMap → result
// Unlike flytekit, local calls apply `retries` (to a RecoverableError) and `timeout` too.
import { existsSync } from "node:fs";
import { localCacheKey } from "../context/cache-key.js";
import type { EagerRun, InnerCall } from "../context/composition.js";
import { currentServices, maybeCurrentContext, TaskExecutionContext } from "../context/context.js";
import { DiskCacheStore, type CacheWarn, type LocalCacheConfig, type LocalCacheStore } from "../context/local-cache.js";
import { TaskLogger } from "../context/logger.js";
import type { ExecutionServices } from "../context/services.js";
import { formatError } from "../errors/flyte-error.js";
import { decode, encode } from "../idl/codec.js";
import { LiteralMapSchema, type Literal, type LiteralMap } from "../idl/gen/flyteidl/core/literals_pb.js";
import { isRemotePath } from "../storage/storage.js";
import { keepTempDirsNamedIn } from "../storage/temp.js";
import { durationToMillis } from "../types/time.js";
import type { ConversionContext } from "../types/type.js";
import { afterPending, bindArguments, nativeOutputs, type Boundary } from "./conversion.js";
import { PendingWork } from "../types/pending.js";
import { EagerCallError, RecoverableError, TaskTimeoutError } from "./errors.js";
import type { TaskMetadata, TaskSettings } from "./options.js";
import { andThen, delay, isThenable } from "./promise.js";
import { backoffDelaySeconds } from "./retry.js";

/** What a local run needs of a task. */
export interface LocallyRunnable extends Boundary {
  readonly metadata: TaskMetadata;
  readonly settings: Pick<TaskSettings, "secretRequests" | "flyte2">;
  dispatchExecute(inputs: LiteralMap, context: TaskExecutionContext): LiteralMap | Promise<LiteralMap>;
}

/**
 * Calls a task locally: positional arguments then named ones, as in Python. Inputs are checked
 * and converted before anything runs; the result comes back through the type engine. Sync stays
 * sync, async returns a Promise. A task called from inside another runs inline, with its services.
 */
export function localCall(task: LocallyRunnable, positional: readonly unknown[], named: Readonly<Record<string, unknown>> | undefined): unknown {
  const outer = maybeCurrentContext();
  // Called from an eager task's body: recorded in its run, launched or run inline, always a Promise.
  if (outer?.eager !== undefined) return eagerCall(task, positional, named, outer, outer.eager);
  if (outer !== undefined && outer.mode === "local" && outer.taskName !== "") {
    outer.logger.warn(
      `called task '${task.name}' from inside task '${outer.taskName}': flytekit-ts runs it inline, as flytekit does; ` +
        "on Flyte it would run in the same container, not as a task of its own",
    );
  }
  const { services, conversion, ready } = prepareCall(task, positional, named);
  const outputs = andThen(ready, (map) => runLocally(task, map, services, outer));
  return andThen(outputs, (map) => nativeOutputs(task, map, conversion));
}

/** A call made ready to run: the services in force, its conversion context, its inputs. */
interface PreparedCall {
  readonly services: ExecutionServices;
  readonly conversion: ConversionContext;
  /** The inputs, converted now. */
  readonly inputs: LiteralMap;
  /** The same inputs once the files of a table among them are written (at once when there is none). */
  readonly ready: LiteralMap | Promise<LiteralMap>;
}

/**
 * What every local call does first, synchronously: warns about a deprecated task, takes the
 * services in force (the caller's, when a task calls another, unless it changed them), and binds
 * and converts the arguments; a table given is written to its files next (`ready`).
 */
function prepareCall(task: LocallyRunnable, positional: readonly unknown[], named: Readonly<Record<string, unknown>> | undefined): PreparedCall {
  if (task.metadata.deprecated !== "") {
    process.emitWarning(`task '${task.name}': it is deprecated: ${task.metadata.deprecated}`, {
      type: "DeprecationWarning",
      code: "FLYTEKIT_TS_DEPRECATED_TASK",
    });
  }
  const services = currentServices();
  const pending = new PendingWork();
  const conversion: ConversionContext = { storage: services.storage, pending };
  const inputs = bindArguments(task, positional, named, conversion);
  return { services, conversion, inputs, ready: afterPending(task, pending, inputs) };
}

/**
 * A task called from inside an eager task's body: the call is recorded in the eager task's run
 * (inputs, outputs or error, attempts, timing, cached or not, a nested eager task's calls) and
 * run by the services' launcher when there is one (on a cluster: an execution of its own), else
 * inline as any local call (cache, retries, timeout; in a child of the caller's context). It
 * returns a Promise even for a synchronous task. A failure is re-thrown naming both tasks.
 * Once the eager task's attempt is over (its timeout aborted its context), a call its body still
 * makes is not run: it rejects at once, naming both tasks.
 */
function eagerCall(
  task: LocallyRunnable,
  positional: readonly unknown[],
  named: Readonly<Record<string, unknown>> | undefined,
  caller: TaskExecutionContext,
  run: EagerRun,
): Promise<unknown> {
  if (caller.signal.aborted) return Promise.reject(new EagerCallError(task.name, run.task, caller.signal.reason, "not run"));
  let prepared: PreparedCall;
  try {
    prepared = prepareCall(task, positional, named);
  } catch (e) {
    // An input that does not convert: the inner task's own error; nothing is recorded (there are no inputs).
    return Promise.reject(e);
  }
  const { services, conversion, inputs, ready } = prepared;
  // Recorded now, in the order the body makes its calls, though a table among the inputs is still to be written.
  const call = run.record(task.name, inputs);
  const launcher = services.launcher;
  // A mocked task runs its mock, here, whatever the launcher.
  const launched = launcher !== undefined && services.mocks.find(task) === undefined;
  const failed = (e: unknown, error: unknown, ran = true): never => {
    call.ended = new Date();
    call.error = e;
    if (ran && launched && call.attempts === 0) call.attempts = 1;
    throw error;
  };
  // A launcher numbers the calls of a task as they reach it: they reach it in the order they were made.
  const bound = launched ? inTurn(run, ready) : Promise.resolve(ready);
  return bound.then(
    (map) => {
      // Stopped while a table among its inputs was written: not run.
      if (caller.signal.aborted) {
        const reason: unknown = caller.signal.reason;
        return failed(reason, new EagerCallError(task.name, run.task, reason, "not run"), false);
      }
      // What either throws, synchronously or not, is the call's failure.
      const outputs = new Promise<LiteralMap>((resolve) => resolve(launched ? launcher.launch(task, map, caller, call) : runLocally(task, map, services, caller, call)));
      return outputs.then(
        (out) => {
          call.ended = new Date();
          call.outputs = out;
          if (launched && call.attempts === 0 && !call.cached) call.attempts = 1;
          return nativeOutputs(task, out, conversion);
        },
        // The abort's own reason: the call was given up as the eager task stopped (a retry's backoff wait, a launcher's wait).
        (e: unknown) => failed(e, new EagerCallError(task.name, run.task, e, caller.signal.aborted && e === caller.signal.reason ? "stopped" : undefined)),
      );
    },
    // A table among the inputs could not be written: the inner task's input error, as one that does not convert.
    (e: unknown) => {
      call.ended = new Date();
      call.error = e;
      throw e;
    },
  );
}

/** Per eager run, the promise the next launched call waits for (see inTurn). */
const turns = new WeakMap<EagerRun, Promise<unknown>>();

/** `ready` (a launched call's inputs), given out only after those of every call the run made before it. */
function inTurn<T>(run: EagerRun, ready: T | Promise<T>): Promise<T> {
  const mine = (turns.get(run) ?? Promise.resolve()).then(() => ready);
  turns.set(
    run,
    mine.then(
      () => undefined,
      () => undefined,
    ),
  );
  return mine;
}

/**
 * The local cache, retries and timeout around dispatchExecute. The cache never costs a call its
 * result: what it cannot read is a miss, what it cannot store is not cached, and either is told
 * through the task's logger.
 */
function runLocally(
  task: LocallyRunnable,
  inputs: LiteralMap,
  services: ExecutionServices,
  caller: TaskExecutionContext | undefined,
  call?: InnerCall,
): LiteralMap | Promise<LiteralMap> {
  const meta = task.metadata;
  if (!meta.cache || services.mocks.find(task) !== undefined || services.localCache === undefined) return runAttempts(task, inputs, services, caller, 0, call);
  const warn: CacheWarn = (message) => new TaskLogger(task.name, services.logSink, undefined, services.env).warn(message);
  let cache: LocalCacheConfig;
  try {
    cache = services.localCache.configFor(services.env);
  } catch (e) {
    warn(cacheProblem("cannot be set up, so the result is not cached", e));
    return runAttempts(task, inputs, services, caller, 0, call);
  }
  if (!cache.enabled) return runAttempts(task, inputs, services, caller, 0, call);
  const key = localCacheKey(task.name, meta.cacheVersion, inputs, meta.cacheIgnoreInputVars);
  const store = cache.store;
  if (!cache.overwrite) {
    const hit = readCached(task, lookUp(store, key, warn), services);
    if (hit !== undefined) {
      // As flytekit logs "Cache hit" at a level not shown by default (FLYTEKIT_TS_LOG_LEVEL=debug shows it).
      const dir = store instanceof DiskCacheStore ? store.dir : undefined;
      new TaskLogger(task.name, services.logSink, undefined, services.env).debug(`cache hit (version ${meta.cacheVersion})${dir === undefined ? "" : `, from ${dir}`}`);
      cache.onHit?.({ task: task.name, version: meta.cacheVersion, dir });
      if (call !== undefined) call.cached = true;
      return hit;
    }
  }
  return andThen(runAttempts(task, inputs, services, caller, 0, call), (outputs) => {
    try {
      const bytes = encode(LiteralMapSchema, outputs);
      // A File the result names in a temporary directory must outlive this process: the cache
      // hands the result out again.
      keepTempDirsNamedIn(bytes);
      store.set(key, bytes, warn);
    } catch (e) {
      // A store of the user's that throws after all: the result is still the call's.
      warn(cacheProblem("cannot store the result, so it is not cached", e));
    }
    return outputs;
  });
}

/** The stored bytes of `key`, or undefined: a store that throws is a miss too. */
function lookUp(store: LocalCacheStore, key: string, warn: CacheWarn): Uint8Array | undefined {
  try {
    return store.get(key, warn);
  } catch (e) {
    warn(cacheProblem("cannot read a result, so it is a miss", e));
    return undefined;
  }
}

function cacheProblem(problem: string, e: unknown): string {
  return formatError({ subject: "local cache", problem: `${problem}: ${e instanceof Error ? e.message : String(e)}` });
}

/** Whether every local file or directory a literal map's blobs name is still there. */
function localFilesExist(map: LiteralMap): boolean {
  const pending: Literal[] = Object.values(map.literals);
  while (pending.length > 0) {
    const literal = pending.pop()!;
    const v = literal.value;
    if (v.case === "collection") pending.push(...v.value.literals);
    else if (v.case === "map") pending.push(...Object.values(v.value.literals));
    else if (v.case === "scalar") {
      const scalar = v.value.value;
      if (scalar.case === "union" && scalar.value.value !== undefined) pending.push(scalar.value.value);
      else if (scalar.case === "blob" && !isRemotePath(scalar.value.uri) && !existsSync(scalar.value.uri.replace(/^file:\/\//, ""))) return false;
      // So are a table's files.
      else if ((scalar.case === "structuredDataset" || scalar.case === "schema") && !isRemotePath(scalar.value.uri) && !existsSync(scalar.value.uri.replace(/^file:\/\//, ""))) return false;
    }
  }
  return true;
}

/** A stored result that still fits the task's outputs, or undefined (a miss). */
function readCached(task: LocallyRunnable, bytes: Uint8Array | undefined, services: ExecutionServices): LiteralMap | undefined {
  if (bytes === undefined) return undefined;
  try {
    const map = decode(LiteralMapSchema, bytes);
    // Decoded to check it still fits, not read: a Table output is read when the hit is returned.
    nativeOutputs(task, map, { storage: services.storage }, { readTables: false });
    // A result that names a local file no longer there (a temporary directory cleaned since) is a miss.
    if (!localFilesExist(map)) return undefined;
    return map;
  } catch {
    return undefined;
  }
}

function runAttempts(
  task: LocallyRunnable,
  inputs: LiteralMap,
  services: ExecutionServices,
  caller: TaskExecutionContext | undefined,
  attempt: number,
  call?: InnerCall,
): LiteralMap | Promise<LiteralMap> {
  const retry = (e: unknown, sync: boolean): LiteralMap | Promise<LiteralMap> => {
    if (!(e instanceof RecoverableError) || attempt >= task.metadata.retries) throw e;
    // The caller's attempt is over (an eager task past its timeout): no more attempts, its reason is the call's.
    const signal = caller?.signal;
    const again = () => {
      if (signal?.aborted) throw signal.reason;
      return runAttempts(task, inputs, services, caller, attempt + 1, call);
    };
    if (signal?.aborted) return again();
    // A backoff (Flyte 2's RetryStrategy) waits min(base * factor^n, cap) before retry n + 1, as
    // flyte-sdk's local controller does: with a timer for an async task, blocking for a sync one.
    const seconds = backoffDelaySeconds(task.settings.flyte2.backoff, attempt);
    if (seconds <= 0) return again();
    new TaskLogger(task.name, services.logSink, undefined, services.env).info(`attempt ${attempt + 1} failed with a recoverable error; retry ${attempt + 1} of ${task.metadata.retries} in ${seconds}s`);
    const ms = seconds * 1000;
    // An eager task's inner call always returns a Promise: it waits on a timer, not blocking its siblings.
    if (sync && call === undefined) {
      sleepBlocking(ms);
      return again();
    }
    return delay(ms, signal).then(again);
  };
  let result: LiteralMap | Promise<LiteralMap>;
  try {
    if (call !== undefined) call.attempts = attempt + 1;
    result = runAttempt(task, inputs, services, caller, attempt, call);
  } catch (e) {
    return retry(e, true);
  }
  return isThenable(result) ? result.then(undefined, (e: unknown) => retry(e, false)) : result;
}

/** Blocks the thread for `ms` (a sync task's retry backoff: its call stays synchronous). */
function sleepBlocking(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

/**
 * One attempt, in its own context, with the timeout enforced. Called from inside another task, the
 * attempt's context keeps what Flyte told the caller (in a container: its ids, its mode).
 */
function runAttempt(
  task: LocallyRunnable,
  inputs: LiteralMap,
  services: ExecutionServices,
  caller: TaskExecutionContext | undefined,
  attempt: number,
  call?: InnerCall,
): LiteralMap | Promise<LiteralMap> {
  const secretRequests = task.settings.secretRequests;
  const context =
    caller === undefined ? new TaskExecutionContext({ taskName: task.name, attempt, services, secretRequests }) : caller.child(task.name, attempt, services, secretRequests, call);
  const timeout = task.metadata.timeout;
  const ms = timeout === undefined ? undefined : durationToMillis(timeout);
  const started = performance.now();
  // When the body is done, the directories the attempt made go, except one a returned File lives
  // in; a body that ran past its timeout is done only when it settles, not when the call gives up.
  let body: LiteralMap | Promise<LiteralMap>;
  try {
    body = task.dispatchExecute(inputs, context);
  } catch (e) {
    context.release();
    throw e;
  }
  if (!isThenable(body)) {
    context.release(body);
    // A synchronous body cannot be interrupted; on Flyte it would have been killed, so its result is refused.
    if (ms !== undefined && performance.now() - started > ms) throw new TaskTimeoutError(task.name, ms);
    return body;
  }
  const settled = body.then(
    (outputs) => {
      context.release(outputs);
      return outputs;
    },
    (e: unknown) => {
      context.release();
      throw e;
    },
  );
  if (ms === undefined) return settled;
  return new Promise<LiteralMap>((resolve, reject) => {
    const timer = setTimeout(() => {
      const error = new TaskTimeoutError(task.name, ms);
      context.abort(error);
      reject(error);
    }, Math.max(0, ms - (performance.now() - started)));
    settled.then(
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
