import { describe, expect, it } from "vitest";
import { BigQueryConfig, BigQueryTask } from "./index.js";
import { TaskPlugins } from "@flytekit-ts/core/extend";
import { Dataset, ImageConfig, NotRunnableLocallyError, SerializationSettings, Str, toTaskTemplate } from "@flytekit-ts/core";

const settings = new SerializationSettings({ project: "p", domain: "dom", version: "v", imageConfig: ImageConfig.auto("img:1") });

describe("the BigQuery plugin", () => {
  it("is registered by its config class", () => {
    expect(TaskPlugins.pluginFor(BigQueryConfig)).toBe(BigQueryTask);
  });

  it("cannot run without BigQuery: a local call says so and how to mock it", () => {
    const bq = new BigQueryTask({ name: "bq", queryTemplate: "select @x", inputs: { x: Str }, taskConfig: new BigQueryConfig({ projectId: "p" }), outputStructuredDatasetType: Dataset });
    expect(() => bq.invoke({ x: "1" })).toThrow(NotRunnableLocallyError);
    expect(() => bq.invoke({ x: "1" })).toThrow("task 'bq': it is a bigquery_query_job_task query that Flyte runs with its backend plugin; it cannot run here; in tests, mock it: mockTask(task).returns(...)");
  });

  it("writes its custom with the settings' domain, and its query configuration", () => {
    const bq = new BigQueryTask({ name: "bq", queryTemplate: "select 1", taskConfig: new BigQueryConfig({ projectId: "Flyte", location: "Asia", queryJobConfig: { allowLargeResults: true } }) });
    expect(toTaskTemplate(bq, settings).custom).toEqual({ Domain: "dom", ProjectID: "Flyte", Location: "Asia", allowLargeResults: true });
    expect(toTaskTemplate(bq, settings).target.case).toBe("sql");
  });

  it("refuses configs that cannot be right", () => {
    expect(() => new BigQueryConfig({ projectId: "" })).toThrow('BigQueryConfig, projectId: expected a project id (it is required), got "" (string)');
    expect(() => new BigQueryConfig({ projectId: "p", queryJobConfig: [] as never })).toThrow("BigQueryConfig, queryJobConfig: expected the REST API's query configuration, an object, got [] (array)");
    expect(() => new BigQueryTask({ name: "x", queryTemplate: "select 1", taskConfig: { projectId: "p" } as never })).toThrow(
      "task 'x', option 'taskConfig': expected a BigQueryConfig, got {\"projectId\":\"p\"} (object)",
    );
  });
});
