// The declarations of golden-plugins/*.py (what Python flytekit 1.16.24 serialized), written in
// TypeScript the way a flytekit-ts user writes them. Names are given so that they are flytekit's.
import type { JsonObject } from "@bufbuild/protobuf";
import type { TaskTemplate } from "@flytekit-ts/core/idl";
import { task } from "@flytekit-ts/decorators";
import { AthenaConfig, AthenaTask } from "@flytekit-ts/plugins/athena";
import { BigQueryConfig, BigQueryTask } from "@flytekit-ts/plugins/bigquery";
import { Pod } from "@flytekit-ts/plugins/pod";
import { SnowflakeConfig, SnowflakeTask } from "@flytekit-ts/plugins/snowflake";
import { SQLite3Config, SQLite3Task } from "@flytekit-ts/plugins/sqlite";
import { CustomizedContainerTask, SQLTask } from "@flytekit-ts/core/extend";
import { Dataset, Datetime, type ExecutionContext, Int, Resources, Schema, Secret, ShimTaskExecutor, Str } from "@flytekit-ts/core";

export class EchoExecutor extends ShimTaskExecutor {
  static override location = "support/plugin-goldens.ts#EchoExecutor";
  executeFromModel(template: TaskTemplate, inputs: Readonly<Record<string, unknown>>, _context: ExecutionContext): unknown {
    return `${String((template.custom as JsonObject).greeting)}, ${String(inputs.who)}`;
  }
}

export class EchoTask extends CustomizedContainerTask<{ greeting: string }> {
  constructor(name: string, greeting: string, options: Partial<ConstructorParameters<typeof CustomizedContainerTask<{ greeting: string }>>[0]> = {}) {
    super({ name, taskConfig: { greeting }, containerImage: "docker.io/custom-executor:1.2.3", executorType: EchoExecutor, taskType: "echo-task", inputs: { who: Str }, outputs: Str, ...options });
  }

  override getCustom(): JsonObject {
    return { greeting: this.taskConfig.greeting, n: 3, ratio: 0.5, flag: true, nothing: null, list: [1, "two", { three: 3 }], nested: { b: "x", a: [true, null] } };
  }
}

const echoOptions = {
  requests: new Resources({ cpu: "1", mem: "1Gi" }),
  limits: new Resources({ cpu: "2", mem: "2Gi", gpu: "1", ephemeralStorage: "10Gi" }),
  secretRequests: [new Secret({ group: "g", key: "k" })],
  retries: 3,
  timeout: 60,
  cache: true,
  cacheVersion: "1.0",
  interruptible: true,
};

export const echo = new EchoTask("customized_container.echo", "hello", echoOptions);
export const echoModel = new EchoTask("customized_container_model.echo_model", "hello", echoOptions);

export class NoopExecutor extends ShimTaskExecutor {
  static override location = "support/plugin-goldens.ts#NoopExecutor";
  executeFromModel(): unknown {
    return null;
  }
}

export class EnvTask extends CustomizedContainerTask<null> {
  override getCustom(): JsonObject {
    return {};
  }
}

export const envTask = new EnvTask({
  name: "customized_container_env.env_task",
  taskConfig: null,
  containerImage: "{{.images.default.fqn}}:{{.images.default.version}}",
  executorType: NoopExecutor,
  environment: { TASK_ENV: "t", FOO: "overridden-by-task" },
  inputs: { a: Int },
});

export const sqlMin = new SQLite3Task({
  name: "sqlite3_minimal.sql_min",
  queryTemplate: "select * from tracks",
  taskConfig: new SQLite3Config({ uri: "https://example.org/chinook.zip", compressed: true }),
  outputSchemaType: Schema,
});

export const sqlFull = new SQLite3Task({
  name: "sqlite3_full.sql_full",
  queryTemplate: `
        select TrackId, Name
        from tracks
        where Name like '{{ .inputs.pattern }}'
        limit {{.inputs.limit}}
    `,
  inputs: { limit: Int, pattern: Str },
  outputSchemaType: Schema.withColumns({ TrackId: Int, Name: Str }),
  taskConfig: new SQLite3Config({ uri: "s3://bucket/chinook.db" }),
  containerImage: "docker.io/my-sqlite-image:v9",
  requests: new Resources({ cpu: "500m" }),
  limits: new Resources({ mem: "1Gi" }),
  secretRequests: [new Secret({ group: "db", key: "password" })],
  retries: 2,
  timeout: 300,
});

export const sqlTt = new SQLite3Task({
  name: "sqlite3_task_template.sql_tt",
  queryTemplate: "select TrackId, Name from tracks limit {{.inputs.limit}}",
  inputs: { limit: Int },
  taskConfig: new SQLite3Config({ uri: "https://example.org/chinook.zip", compressed: true }),
  outputSchemaType: Schema,
});

/** flytekit's bare SQLTask: task type `sql_task`, the query in no field at all. */
export class PlainSQLTask extends SQLTask<undefined> {
  readonly taskType = "sql_task";
}

export const sqlBase = new PlainSQLTask({
  name: "my-query",
  queryTemplate: "SELECT * FROM hive.city.fact_airport_sessions WHERE ds = '{{ .Inputs.ds }}' LIMIT 10",
  inputs: { ds: Datetime },
  outputs: { results: Schema },
  taskConfig: undefined,
  retries: 2,
});

export class PodTasks {
  @task({
    name: "pod_basic.simple_pod_task",
    inputs: { i: Int },
    outputs: Int,
    taskConfig: new Pod({
      podSpec: {
        restartPolicy: "OnFailure",
        containers: [
          {
            name: "a container",
            command: ["fee", "fi", "fo", "fum"],
            args: ["ignored"],
            image: "ignored:image",
            env: [{ name: "AN_ENV_VAR", value: "42" }],
            volumeMounts: [{ name: "volume mount", mountPath: "some/where" }],
            resources: { limits: { cpu: "99" } },
          },
          { name: "another container", image: "busybox" },
        ],
      },
      primaryContainerName: "a container",
      labels: { label: "foo" },
      annotations: { anno: "bar" },
    }),
    requests: new Resources({ cpu: "10", mem: "1Gi" }),
    limits: new Resources({ gpu: "2", ephemeralStorage: "1Gi" }),
    environment: { FOO: "bar" },
  })
  static simplePodTask(i: number): number {
    return i + 1;
  }

  @task({
    name: "pod_undefined_primary.undefined_primary",
    inputs: { s: Str },
    outputs: Str,
    taskConfig: new Pod({
      podSpec: {
        containers: [{ name: "sidecar", image: "redis:7", ports: null }],
        nodeSelector: { node_group: "memory" },
        tolerations: [{ key: "k", operator: "Equal", value: "v", effect: "NoSchedule" }],
      },
      primaryContainerName: "an undefined container",
    }),
  })
  static undefinedPrimary(s: string): string {
    return s;
  }

  @task({ name: "pod_default_primary.default_primary", outputs: {}, taskConfig: new Pod({ podSpec: { containers: [] } }) })
  static defaultPrimary(): void {
    console.log("hello world");
  }
}

export const bqFull = new BigQueryTask({
  name: "bigquery_full.bq_full",
  inputs: { version: Int },
  queryTemplate: "SELECT * FROM `bigquery-public-data.crypto_dogecoin.transactions` WHERE @version = 1 LIMIT 10",
  taskConfig: new BigQueryConfig({
    projectId: "flyte-project",
    location: "Asia",
    // The REST API's query configuration (what flytekit takes from QueryJobConfig.to_api_repr()["query"]).
    queryJobConfig: {
      allowLargeResults: true,
      useLegacySql: false,
      useQueryCache: false,
      maximumBytesBilled: "1000000",
      priority: "BATCH",
      defaultDataset: { projectId: "myproj", datasetId: "mydataset" },
      destinationTable: { projectId: "myproj", datasetId: "mydataset", tableId: "mytable" },
      writeDisposition: "WRITE_TRUNCATE",
      queryParameters: [{ name: "version", parameterType: { type: "INT64" }, parameterValue: { value: "1" } }],
      parameterMode: "NAMED",
    },
  }),
  outputStructuredDatasetType: Dataset,
});

export const bqMin = new BigQueryTask({
  name: "bigquery_minimal.bq_min",
  queryTemplate: `
        SELECT 1
    `,
  taskConfig: new BigQueryConfig({ projectId: "flyte-project" }),
});

export const sfFull = new SnowflakeTask({
  name: "snowflake_full.sf_full",
  inputs: { ds: Str },
  taskConfig: new SnowflakeConfig({ account: "snowflake", user: "my_user", warehouse: "my_warehouse", schema: "my_schema", database: "my_database" }),
  queryTemplate: `
            insert overwrite directory '{{ .rawOutputDataPrefix }}' stored as parquet
            select *
            from my_table
            where ds = '{{ .Inputs.ds }}'
        `,
  outputSchemaType: Dataset,
});

export const sfSchema = new SnowflakeTask({
  name: "snowflake_flyteschema.sf_schema",
  taskConfig: new SnowflakeConfig({ account: "TEST-ACCOUNT", user: "FLYTE", database: "FLYTE", schema: "PUBLIC", warehouse: "COMPUTE_WH" }),
  queryTemplate: "select 1\n",
  outputSchemaType: Schema,
});

export const athenaFull = new AthenaTask({
  name: "athena_full.athena_full",
  inputs: { ds: Str },
  taskConfig: new AthenaConfig({ database: "mnist", catalog: "my_catalog", workgroup: "my_wg" }),
  queryTemplate: `
        insert overwrite directory '{{ .rawOutputDataPrefix }}' stored as parquet
        select *
        from blah
        where ds = '{{ .Inputs.ds }}'
    `,
  outputSchemaType: Schema,
});

export const athenaMin = new AthenaTask({ name: "athena_minimal.athena_min", queryTemplate: "select 1" });
