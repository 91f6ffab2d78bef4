// The end-to-end story's tasks (test/e2e.test.ts): a function task, a plugin task and a task with
// every option, serialized by the CLI and run by flytekit-ts-execute from their templates' args.
import type { JsonObject } from "@bufbuild/protobuf";
import { task } from "@flytekit-ts/decorators";
import { A100 } from "@flytekit-ts/core/accelerators";
import { FunctionTask, type TaskExecutionContext, TaskPlugins } from "@flytekit-ts/core/extend";
import { MountType } from "@flytekit-ts/core/internal";
import { Cache, currentContext, DeckField, duration, Int, List, PodTemplate, RecoverableError, Resources, Secret, Str } from "@flytekit-ts/core";

/** A plugin's config: `taskConfig: new Shout({ times: 2 })`. */
export class Shout {
  constructor(readonly options: { times: number }) {}
}

/** The plugin's task class: its own task type, its config in `custom`, and the config at run time. */
export class ShoutTask extends FunctionTask {
  override readonly taskType = "shout";

  override getCustom(): JsonObject {
    return { times: (this.taskConfig as Shout).options.times, style: "upper" };
  }

  /** At run time the plugin repeats what the body returned, as its config says. */
  override postExecute(_context: TaskExecutionContext, result: unknown): unknown {
    return Array.from({ length: (this.taskConfig as Shout).options.times }, () => result).join(" ");
  }
}

TaskPlugins.registerPluginTask(Shout, ShoutTask);

export class Pipelines {
  /** Adds two numbers. */
  @task({ inputs: { x: Int, y: Int }, outputs: Int })
  static add(x: number, y: number): number {
    return x + y;
  }

  @task({ inputs: { word: Str }, outputs: Str, taskConfig: new Shout({ times: 2 }) })
  static shout(word: string): string {
    return word.toUpperCase();
  }

  @task({
    inputs: { xs: List(Int), label: Str },
    outputs: { total: Int, label: Str },
    cache: new Cache({ version: "1.0", serialize: true, ignoredInputs: ["label"] }),
    retries: 2,
    interruptible: true,
    deprecated: "use Pipelines.add",
    timeout: duration({ minutes: 5 }),
    containerImage: "{{.images.gpu.fqn}}:{{.images.gpu.version}}",
    environment: { MODE: "e2e" },
    requests: new Resources({ cpu: "1", mem: "1Gi", ephemeralStorage: "2Gi" }),
    limits: new Resources({ cpu: "2", mem: "2Gi", gpu: 1 }),
    secretRequests: [new Secret({ group: "db", key: "password", mountRequirement: MountType.ENV_VAR })],
    podTemplateName: "gpu-base",
    accelerator: A100.partition_2g_10gb,
    sharedMemory: "2Gi",
    labels: { team: "data" },
    annotations: { "example.com/owner": "data" },
    docs: { short: "Sums a list.", long: "Sums a list of integers, **carefully**.", inputs: { xs: "the numbers" }, outputs: { total: "their sum" } },
    enableDeck: true,
    deckFields: [DeckField.INPUT, DeckField.OUTPUT],
  })
  static everything(xs: number[], label: string): { total: number; label: string } {
    if (xs.some((x) => x < 0)) throw new RecoverableError(`negative numbers in ${label}`);
    const password = currentContext().secrets.get("db", "password");
    return { total: xs.reduce((a, b) => a + b, 0), label: `${label} (${process.env.MODE}, secret of ${password.length} chars)` };
  }

  @task({
    inputs: { n: Int },
    outputs: Int,
    podTemplate: new PodTemplate({
      primaryContainerName: "main",
      labels: { pod: "yes" },
      podSpec: { containers: [{ name: "main", volumeMounts: [{ name: "cache", mountPath: "/cache" }] }], volumes: [{ name: "cache", emptyDir: {} }] },
    }),
  })
  static inPod(n: number): number {
    return n * n;
  }
}
