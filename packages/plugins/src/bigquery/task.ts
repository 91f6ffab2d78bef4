// The counterpart of flytekit's BigQuery plugin (flytekitplugins-bigquery): a query that Flyte's
// BigQuery connector runs. Task type `bigquery_query_job_task`, the statement in the `sql` target,
// the project, location, domain and the job's query configuration in `custom`.
import type { JsonObject } from "@bufbuild/protobuf";
import { TaskDefinitionError, type SerializationSettings } from "@flytekit-ts/core";
import { DatasetType, describeValue, SQLTask, TaskPlugins, type SQLTaskInit } from "@flytekit-ts/core/extend";
import { create, Sql_Dialect, SqlSchema, type Sql } from "@flytekit-ts/core/idl";

/** Where and how BigQuery runs the query (flytekit's BigQueryConfig). */
export class BigQueryConfig {
  /** The GCP project that runs the job (flytekit's `ProjectID`). */
  readonly projectId: string;
  /** Where the job runs (`Location`), e.g. `US`, `asia-northeast1`. */
  readonly location: string | undefined;
  /**
   * The job's query configuration as BigQuery's REST API writes it (`configuration.query`):
   * `{ useLegacySql: false, priority: "BATCH", queryParameters: [...], destinationTable: {...} }`.
   * flytekit takes the same from a QueryJobConfig's `to_api_repr()["query"]`.
   */
  readonly queryJobConfig: JsonObject | undefined;

  constructor(spec: { projectId: string; location?: string; queryJobConfig?: JsonObject }) {
    if (typeof spec?.projectId !== "string" || spec.projectId === "") {
      throw new TaskDefinitionError({ subject: "BigQueryConfig, projectId", expected: "a project id (it is required)", got: spec?.projectId === undefined ? "nothing" : describeValue(spec.projectId) });
    }
    if (spec.location !== undefined && typeof spec.location !== "string") throw new TaskDefinitionError({ subject: "BigQueryConfig, location", expected: "a string", got: describeValue(spec.location) });
    if (spec.queryJobConfig !== undefined && (typeof spec.queryJobConfig !== "object" || spec.queryJobConfig === null || Array.isArray(spec.queryJobConfig))) {
      throw new TaskDefinitionError({ subject: "BigQueryConfig, queryJobConfig", expected: "the REST API's query configuration, an object", got: describeValue(spec.queryJobConfig) });
    }
    this.projectId = spec.projectId;
    this.location = spec.location;
    this.queryJobConfig = spec.queryJobConfig;
  }
}

/** What a BigQueryTask takes: a query task's options, and the table type of its results. */
export interface BigQueryTaskInit extends Omit<SQLTaskInit<BigQueryConfig>, "outputs"> {
  /** The type of the output `results` (a table, by reference); no outputs when left out. */
  outputStructuredDatasetType?: DatasetType;
}

/** A BigQuery query (flytekit's BigQueryTask); its inputs are the query's `@name` parameters. */
export class BigQueryTask extends SQLTask<BigQueryConfig> {
  readonly taskType = "bigquery_query_job_task";

  constructor(init: BigQueryTaskInit) {
    if (!(init?.taskConfig instanceof BigQueryConfig)) {
      throw new TaskDefinitionError({ task: String(init?.name), subject: "option 'taskConfig'", expected: "a BigQueryConfig", got: init?.taskConfig === undefined ? "nothing" : describeValue(init.taskConfig) });
    }
    const { outputStructuredDatasetType, ...rest } = init;
    if (outputStructuredDatasetType !== undefined && !(outputStructuredDatasetType instanceof DatasetType)) {
      throw new TaskDefinitionError({ task: init.name, subject: "option 'outputStructuredDatasetType'", expected: "a Dataset type", got: describeValue(init.outputStructuredDatasetType) });
    }
    super({ ...rest, outputs: outputStructuredDatasetType === undefined ? undefined : { results: outputStructuredDatasetType } });
  }

  /** `{ Location, ProjectID, Domain }` and the query configuration's keys, as flytekit writes them. */
  override getCustom(settings?: SerializationSettings): JsonObject {
    const c = this.taskConfig;
    return { Location: c.location ?? null, ProjectID: c.projectId, Domain: settings?.domain ?? "", ...(c.queryJobConfig ?? {}) };
  }

  override getSql(): Sql {
    // flytekit's models number the dialects from ANSI = 0, so what it puts on the wire for its "ANSI"
    // is flyteidl's UNDEFINED (0); we write what Flyte receives from flytekit.
    return create(SqlSchema, { statement: this.queryTemplate, dialect: Sql_Dialect.UNDEFINED });
  }
}

TaskPlugins.registerPluginTask(BigQueryConfig, BigQueryTask);
