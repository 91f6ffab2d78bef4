// The counterpart of flytekit's Athena plugin (flytekitplugins-athena): a query that Flyte's AWS
// backend plugin runs, as a Presto query. Task type `presto`, the statement and the database,
// workgroup and catalog in `custom` as flyteidl's PrestoQuery (`schema`, `routingGroup`); no `sql`.
import type { JsonObject } from "@bufbuild/protobuf";
import { TaskDefinitionError } from "@flytekit-ts/core";
import { DatasetType, describeValue, SchemaType, SQLTask, TaskPlugins, type SQLTaskInit } from "@flytekit-ts/core/extend";

/** Where an Athena query runs (flytekit's AthenaConfig); every field is optional. */
export class AthenaConfig {
  readonly database: string | undefined;
  readonly workgroup: string | undefined;
  readonly catalog: string | undefined;

  constructor(spec: { database?: string; workgroup?: string; catalog?: string } = {}) {
    for (const f of ["database", "workgroup", "catalog"] as const) {
      if (spec[f] !== undefined && typeof spec[f] !== "string") throw new TaskDefinitionError({ subject: `AthenaConfig, ${f}`, expected: "a string", got: describeValue(spec[f]) });
    }
    this.database = spec.database;
    this.workgroup = spec.workgroup;
    this.catalog = spec.catalog;
  }
}

/** What an AthenaTask takes: a query task's options (the config may be left out), and the table type of its results. */
export interface AthenaTaskInit extends Omit<SQLTaskInit<AthenaConfig>, "outputs" | "taskConfig"> {
  taskConfig?: AthenaConfig;
  /** The type of the output `results` (a table, by reference); no outputs when left out. */
  outputSchemaType?: DatasetType | SchemaType;
}

/** An Athena query (flytekit's AthenaTask). */
export class AthenaTask extends SQLTask<AthenaConfig> {
  readonly taskType = "presto";

  constructor(init: AthenaTaskInit) {
    const { outputSchemaType, taskConfig, ...rest } = init;
    if (taskConfig !== undefined && !(taskConfig instanceof AthenaConfig)) {
      throw new TaskDefinitionError({ task: String(init?.name), subject: "option 'taskConfig'", expected: "an AthenaConfig", got: describeValue(taskConfig) });
    }
    if (outputSchemaType !== undefined && !(outputSchemaType instanceof DatasetType) && !(outputSchemaType instanceof SchemaType)) {
      throw new TaskDefinitionError({ task: init.name, subject: "option 'outputSchemaType'", expected: "a Dataset or Schema type", got: describeValue(outputSchemaType) });
    }
    super({ ...rest, taskConfig: taskConfig ?? new AthenaConfig(), outputs: outputSchemaType === undefined ? undefined : { results: outputSchemaType } });
  }

  /** flyteidl's PrestoQuery as JSON: empty fields left out, as protobuf's JSON leaves them out. */
  override getCustom(): JsonObject {
    const c = this.taskConfig;
    const custom: JsonObject = { statement: this.queryTemplate };
    if (c.database) custom.schema = c.database;
    if (c.workgroup) custom.routingGroup = c.workgroup;
    if (c.catalog) custom.catalog = c.catalog;
    return custom;
  }
}

TaskPlugins.registerPluginTask(AthenaConfig, AthenaTask);
