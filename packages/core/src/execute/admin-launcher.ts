// The launcher a container gives its tasks' services: the inner tasks an eager task's body calls
// run on the cluster through FlyteAdmin. The FlyteAdmin side (admin/: Connect, the AdminService
// descriptor, the configuration) is loaded by import() on the first call, so a task that is not
// eager, or an eager task that calls nothing, never loads it; what its configuration lacks is
// said then, by the call that needed it.
import type { InnerCall, LaunchCaller, TaskLauncher } from "../context/composition.js";
import { executionEnvironmentFromEnv } from "../context/environment.js";
import type { LiteralMap } from "../idl/gen/flyteidl/core/literals_pb.js";
import { serializationSettingsFromContext } from "../serialize/serialized-context.js";

/** A launcher configured from the container's environment on first use (see admin/index.ts). */
export function containerLauncher(env: NodeJS.ProcessEnv): TaskLauncher {
  let made: Promise<TaskLauncher> | undefined;
  return {
    async launch(task: { readonly name: string }, inputs: LiteralMap, caller: LaunchCaller, call?: InnerCall): Promise<LiteralMap> {
      made ??= import("./admin/index.js").then((admin) =>
        admin.adminLauncherFromEnv(env, {
          eagerTask: caller.taskName,
          execution: executionEnvironmentFromEnv(env).executionId,
          settings: serializationSettingsFromContext(env),
        }),
      );
      return (await made).launch(task, inputs, caller, call);
    },
    async stop(reason: unknown): Promise<void> {
      // Nothing was launched when the FlyteAdmin side was never loaded (or could not be configured).
      const launcher = await made?.catch(() => undefined);
      await launcher?.stop?.(reason);
    },
  };
}
