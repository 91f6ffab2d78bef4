// What a running task uses from the world outside it: storage, mocks, the local cache, where its
// log lines go, the environment. A local call and a container (flytekit-ts-execute) each build
// their own; the execution path is the same, and reaches these only through the task's context.
import { AsyncLocalStorage } from "node:async_hooks";
import { defaultStorage } from "../storage/router.js";
import type { Storage } from "../storage/storage.js";
import { LocalCache } from "./local-cache.js";
import { consoleSink, type LogSink } from "./logger.js";
import { defaultMocks, NO_MOCKS, type MockRegistry } from "./mocks.js";

/** The services of an execution. */
export interface ExecutionServices {
  /** Every URI a task reads or writes: by scheme, through the stores registered with registerStorage. */
  readonly storage: Storage;
  /** Stand-ins for tasks' bodies (`mockTask`); a container has none. */
  readonly mocks: MockRegistry;
  /** Where local calls keep results of tasks with `cache`; a container has none (Flyte caches there). */
  readonly localCache: LocalCache | undefined;
  /** Where task log lines go: the console unless told otherwise. */
  readonly logSink: LogSink;
  /** The environment secrets and settings are read from. */
  readonly env: NodeJS.ProcessEnv;
}

let local: ExecutionServices | undefined;

/** The services of local calls: the registered stores, `mockTask`'s mocks, the local cache, the console. */
export function localServices(): ExecutionServices {
  return (local ??= Object.freeze({
    storage: defaultStorage,
    mocks: defaultMocks,
    localCache: new LocalCache(),
    logSink: consoleSink,
    // The process's environment as it is when read (a test may replace process.env).
    get env() {
      return process.env;
    },
  }));
}

/** The services of a task in its container: the registered stores, no mocks and no local cache. */
export function containerServices(env: NodeJS.ProcessEnv = process.env): ExecutionServices {
  return Object.freeze({ storage: defaultStorage, mocks: NO_MOCKS, localCache: undefined, logSink: consoleSink, env });
}

const scoped = new AsyncLocalStorage<ExecutionServices>();

/** The services local calls made now use: the innermost `withServices`, else the local ones. */
export function currentServices(): ExecutionServices {
  return scoped.getStore() ?? localServices();
}

/**
 * Runs `fn` with services changed for every local call it makes, synchronously or not (flytekit's
 * `FlyteContextManager.with_context`): `withServices({ logSink }, () => ...)` collects log lines,
 * `withServices({ localCache: new LocalCache({ dir }) }, ...)` keeps cached results in `dir`.
 */
export function withServices<T>(changes: Partial<ExecutionServices>, fn: () => T): T {
  return scoped.run(Object.freeze({ ...currentServices(), ...changes }), fn);
}
