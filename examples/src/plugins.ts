// TaskPlugins: a plugin registers its task class for its config class; `taskConfig` picks it.
// The task class may change the task type, what Flyte gets in `custom`, and run hooks around the body.
import { Int, taskOf } from "@flytekit-ts/core";
import { FunctionTask, TaskPlugins, type TaskExecutionContext } from "@flytekit-ts/core/extend";
import { task } from "@flytekit-ts/decorators";
import type { JsonObject } from "@bufbuild/protobuf";

/** The config users write: `@task({ taskConfig: new Spark({ executors: 4 }) })`. */
export class Spark {
  constructor(readonly options: { executors: number }) {}
}

/** The task class Flyte's spark plugin expects. */
export class SparkTask extends FunctionTask {
  override readonly taskType = "spark";

  override getCustom(): JsonObject {
    return { executorInstances: (this.taskConfig as Spark).options.executors };
  }

  override preExecute(context: TaskExecutionContext): void {
    context.logger.info("starting a local spark session");
  }
}

TaskPlugins.registerPluginTask(Spark, SparkTask);

export class Jobs {
  @task({ inputs: { n: Int }, outputs: Int, taskConfig: new Spark({ executors: 4 }) })
  static count(n: number): number {
    return n * 1000;
  }
}

export async function main(): Promise<void> {
  const t = taskOf(Jobs.count);
  console.log(`${t.name}: type ${t.taskType}, custom ${JSON.stringify(t.getCustom())}, count(3) = ${Jobs.count(3)}`);
}
