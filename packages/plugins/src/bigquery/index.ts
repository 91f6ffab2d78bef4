// @flytekit-ts/plugins/bigquery: BigQuery queries run by Flyte's BigQuery connector.
export { BigQueryConfig, BigQueryTask, type BigQueryTaskInit } from "./task.js";
