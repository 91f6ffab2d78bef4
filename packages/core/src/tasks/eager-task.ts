// An eager task (flytekit's @eager, EagerAsyncPythonFunctionTask): an async function task whose
// body calls other tasks as plain awaited functions. Each call is recorded in the attempt's run
// (`context.eager`) and launched by the services' launcher (on a cluster, an execution of its own
// through FlyteAdmin) or, locally without one, run inline with its cache, retries and timeout
// (local-run.ts). Serialized as flytekit serializes one: `metadata.is_eager`, decks on, and the
// serialization settings in the container's `_F_SS_C` (serialize/serialized-context.ts).
import type { TaskExecutionContext } from "../context/context.js";
import type { LiteralMap } from "../idl/gen/flyteidl/core/literals_pb.js";
import type { Container } from "../idl/gen/flyteidl/core/tasks_pb.js";
import { withSerializedContext } from "../serialize/serialized-context.js";
import type { SerializationSettings } from "../serialize/settings.js";
import { brand } from "../errors/flyte-error.js";
import { FunctionTask } from "./function-task.js";

/** A function task whose async body composes other tasks (see `@eager`). */
export class EagerTask extends FunctionTask {
  /** Always true: what tells an eager task from any other. */
  override get isEager(): boolean {
    return true;
  }

  /** Runs the body with a run of its own in its context, where the calls it makes are recorded. */
  override dispatchExecute(inputs: LiteralMap, context: TaskExecutionContext): LiteralMap | Promise<LiteralMap> {
    context.startEager();
    return super.dispatchExecute(inputs, context);
  }

  /** As flytekit's translator: the settings travel in the container's environment, `_F_SS_C`, after the settings' own env and before the task's. */
  protected override buildContainer(settings: SerializationSettings): Container {
    return super.buildContainer(withSerializedContext(settings));
  }
}
brand(EagerTask, "EagerTask", { setName: false });
