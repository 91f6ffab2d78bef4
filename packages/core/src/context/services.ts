// What a running task uses from the world outside it: storage, mocks, the local cache, where its
// log lines go, the environment. A local call and a container (flytekit-ts-execute) each build
// their own; the execution path is the same, and reaches these only through the task's context.
// Which services are in force now (`currentServices`, `withServices`) is the context layer's
// (context.ts), which keeps them with the running task.
import { defaultStorage } from "../storage/router.js";
import type { Storage } from "../storage/storage.js";
import type { TaskLauncher } from "./composition.js";
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
  /**
   * What runs the tasks an eager task calls; without one they run inline, as any local call.
   * A container's comes from its environment (FlyteAdmin); a test may give its own with `withServices({ launcher })`.
   */
  readonly launcher?: TaskLauncher | undefined;
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
