// The golden tasks (golden/tasks/manifest.json, module golden_tasks), declared in TypeScript the
// way a flytekit-ts user would. Names are given explicitly so they equal flytekit's.
import { SQLite3Config, SQLite3Task } from "@flytekit-ts/plugins/sqlite";
import { eager, referenceTask, task } from "@flytekit-ts/decorators";
import { MountType } from "@flytekit-ts/core/internal";
import { EchoTask, Float, Int, List, Optional, PodTemplate, Resources, Schema, Secret, Str } from "@flytekit-ts/core";

export class GoldenTasks {
  @task({ name: "golden_tasks.add", inputs: { x: Int, y: Int }, outputs: Int })
  static add(x: number, y: number): number {
    return x + y;
  }

  @task({ name: "golden_tasks.add_retries_cache", inputs: { x: Int, y: Int }, outputs: Int, retries: 3, timeout: { seconds: 60 }, cache: true, cacheVersion: "v1" })
  static addRetriesCache(x: number, y: number): number {
    return x + y;
  }

  @task({
    name: "golden_tasks.add_requests_limits",
    inputs: { x: Int, y: Int },
    outputs: Int,
    requests: new Resources({ cpu: "1", ephemeralStorage: "500Mi" }),
    limits: new Resources({ cpu: "2", mem: "400M", ephemeralStorage: "501Mi" }),
  })
  static addRequestsLimits(x: number, y: number): number {
    return x + y;
  }

  @task({
    name: "golden_tasks.add_secrets",
    inputs: { x: Int, y: Int },
    outputs: Int,
    secretRequests: [new Secret({ group: "g", key: "k" }), new Secret({ group: "g2", key: "k2", mountRequirement: MountType.ENV_VAR })],
  })
  static addSecrets(x: number, y: number): number {
    return x + y;
  }

  @task({
    name: "golden_tasks.add_pod_template",
    inputs: { x: Int, y: Int },
    outputs: Int,
    podTemplate: new PodTemplate({ primaryContainerName: "primary", labels: { l: "v" }, annotations: { a: "b" }, podSpec: { containers: [] } }),
    podTemplateName: "A",
  })
  static addPodTemplate(x: number, y: number): number {
    return x + y;
  }

  @task({ name: "golden_tasks.stats", inputs: { xs: List(Int) }, outputs: { total: Int, mean: Float } })
  static stats(xs: number[]): { total: number; mean: number } {
    const total = xs.reduce((a, b) => a + b, 0);
    return { total, mean: total / Math.max(xs.length, 1) };
  }

  @eager({ name: "golden_tasks.eager_wf", inputs: { x: Int }, outputs: Int })
  static async eagerWf(x: number): Promise<number> {
    return x;
  }

  @referenceTask({
    project: "flytesnacks",
    domain: "development",
    name: "recipes.aaa.simple.join_strings",
    version: "553018f39e519bdb2597b652639c30ce16b99c79",
    inputs: { a: List(Str) },
  })
  static ref(a: string[]): string {
    return a.join("");
  }
}

export const echo = new EchoTask({ name: "echo", inputs: { a: Optional(Float) } });

/** flytekit's SQLite3Task with no output type writes a Schema: declared here as such. */
export const goldenSqlite = new SQLite3Task({
  name: "golden_tasks.sql",
  queryTemplate: "select * from tracks limit {{.inputs.limit}}",
  inputs: { limit: Int },
  taskConfig: new SQLite3Config({ uri: "https://example.org/chinook.zip", compressed: true }),
  outputSchemaType: Schema,
});
