// The FlyteAdmin side of an eager task in its container, an entry of its own in the bundle
// (dist/bundle/admin.js, with Connect and the AdminService descriptor): loaded by import() the
// first time an eager task's body calls a task (../admin-launcher.ts), never by a plain task.
import type { ExecutionId } from "../../context/context.js";
import type { SerializationSettings } from "../../serialize/settings.js";
import { createAdminClient, type AdminClient, type RetryPolicy } from "./client.js";
import { adminConfigFromEnv, AdminConfigError } from "./config.js";
import { AdminTaskLauncher, EAGER_ROOT_ENV_NAME, type PollPolicy } from "./launcher.js";

export { AdminConfigError, adminConfigFromEnv, adminBaseUrl, type AdminConfig } from "./config.js";
export { createAdminClient, type AdminClient, type RetryPolicy } from "./client.js";
export { AdminTaskLauncher, InnerTaskError, EAGER_ROOT_ENV_NAME, EAGER_TAG_KEY, EAGER_TAG_ROOT_KEY, type PollPolicy } from "./launcher.js";
export { dnsify, executionName, executionPrefix } from "./names.js";

/** What an eager task's launcher is made from, besides the environment. */
export interface EagerLaunchSetting {
  /** The eager task's name. */
  eagerTask: string;
  /** Its execution, as Flyte set it in the pod (FLYTE_INTERNAL_EXECUTION_*); undefined when not set. */
  execution: ExecutionId | undefined;
  /** Its serialization settings, read from `_F_SS_C`; undefined when the variable is not set. */
  settings: SerializationSettings | undefined;
  /** For tests: a client of one's own, the waits. */
  client?: AdminClient;
  poll?: PollPolicy;
  retry?: RetryPolicy;
}

/**
 * The launcher of an eager task in its container, configured from the environment as flytekit's:
 * FlyteAdmin's endpoint (FLYTE_PLATFORM_URL, ... see config.ts), the serialization settings the
 * eager task was registered with (`_F_SS_C`), its execution's id, and the root eager execution
 * (`_F_EE_ROOT`). Whatever is missing is an AdminConfigError that names it.
 */
export function adminLauncherFromEnv(env: NodeJS.ProcessEnv, setting: EagerLaunchSetting): AdminTaskLauncher {
  const task = setting.eagerTask;
  const config = setting.client === undefined ? adminConfigFromEnv(env, { task }) : undefined;
  if (setting.settings === undefined) {
    throw new AdminConfigError({
      task,
      subject: "_F_SS_C",
      problem: "is not set: an eager task registers the tasks it calls with the serialization settings it was registered with, which Flyte passes in _F_SS_C",
      fix: "register the eager task with `flytekit-ts package` or `serialize` (its template carries _F_SS_C), or set it in the pod",
    });
  }
  const execution = setting.execution;
  if (execution === undefined || execution.name === "") {
    throw new AdminConfigError({
      task,
      subject: "FLYTE_INTERNAL_EXECUTION_ID",
      problem: "is not set: the executions an eager task starts are named after its own, which Flyte passes in FLYTE_INTERNAL_EXECUTION_PROJECT, _DOMAIN and _ID",
      fix: "run the eager task on Flyte, or set them as Flyte does",
    });
  }
  const root = env[EAGER_ROOT_ENV_NAME];
  return new AdminTaskLauncher({
    client: setting.client ?? createAdminClient(config!, { retry: setting.retry }),
    settings: setting.settings,
    execution,
    eagerTask: task,
    rootTag: root === undefined || root === "" ? undefined : root,
    poll: setting.poll,
  });
}
