// The counterpart of flytekit's Snowflake plugin (flytekitplugins-snowflake): a query that Flyte's
// Snowflake connector runs. Task type `snowflake`, the statement in the `sql` target, the
// connection in the template's `config` (the plugin writes no `custom`).
import { TaskDefinitionError } from "@flytekit-ts/core";
import { DatasetType, describeValue, SchemaType, SQLTask, TaskPlugins, type SQLTaskInit } from "@flytekit-ts/core/extend";
import { create, Sql_Dialect, SqlSchema, type Sql } from "@flytekit-ts/core/idl";

const FIELDS = ["user", "account", "database", "schema", "warehouse"] as const;

/** The Snowflake connection a query runs on (flytekit's SnowflakeConfig); every field is required. */
export class SnowflakeConfig {
  readonly user: string;
  readonly account: string;
  readonly database: string;
  readonly schema: string;
  readonly warehouse: string;

  constructor(spec: { user: string; account: string; database: string; schema: string; warehouse: string }) {
    for (const f of FIELDS) {
      if (typeof spec?.[f] !== "string" || spec[f] === "") throw new TaskDefinitionError({ subject: `SnowflakeConfig, ${f}`, expected: "a non-empty string (it is required)", got: spec?.[f] === undefined ? "nothing" : describeValue(spec[f]) });
    }
    this.user = spec.user;
    this.account = spec.account;
    this.database = spec.database;
    this.schema = spec.schema;
    this.warehouse = spec.warehouse;
  }
}

/** What a SnowflakeTask takes: a query task's options, and the table type of its results. */
export interface SnowflakeTaskInit extends Omit<SQLTaskInit<SnowflakeConfig>, "outputs"> {
  /** The type of the output `results` (a table, by reference); no outputs when left out. */
  outputSchemaType?: DatasetType | SchemaType;
}

/** A Snowflake query (flytekit's SnowflakeTask); the connector binds its inputs as `%(name)s` parameters. */
export class SnowflakeTask extends SQLTask<SnowflakeConfig> {
  readonly taskType = "snowflake";

  constructor(init: SnowflakeTaskInit) {
    if (!(init?.taskConfig instanceof SnowflakeConfig)) {
      throw new TaskDefinitionError({ task: String(init?.name), subject: "option 'taskConfig'", expected: "a SnowflakeConfig", got: init?.taskConfig === undefined ? "nothing" : describeValue(init.taskConfig) });
    }
    const { outputSchemaType, ...rest } = init;
    if (outputSchemaType !== undefined && !(outputSchemaType instanceof DatasetType) && !(outputSchemaType instanceof SchemaType)) {
      throw new TaskDefinitionError({ task: init.name, subject: "option 'outputSchemaType'", expected: "a Dataset or Schema type", got: describeValue(init.outputSchemaType) });
    }
    super({ ...rest, outputs: outputSchemaType === undefined ? undefined : { results: outputSchemaType } });
  }

  /** The connection, as the plugin writes it: the template's config. */
  override getConfig(): Record<string, string> {
    const c = this.taskConfig;
    return { user: c.user, account: c.account, database: c.database, schema: c.schema, warehouse: c.warehouse };
  }

  override getSql(): Sql {
    // flytekit's models number the dialects from ANSI = 0, so what it puts on the wire for its "ANSI"
    // is flyteidl's UNDEFINED (0); we write what Flyte receives from flytekit.
    return create(SqlSchema, { statement: this.queryTemplate, dialect: Sql_Dialect.UNDEFINED });
  }
}

TaskPlugins.registerPluginTask(SnowflakeConfig, SnowflakeTask);
