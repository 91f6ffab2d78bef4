import { describe, expect, it } from "vitest";
import { AthenaConfig, AthenaTask } from "./index.js";
import { TaskPlugins } from "@flytekit-ts/core/extend";
import { Dataset, ImageConfig, mockTask, SerializationSettings, toTaskTemplate } from "@flytekit-ts/core";

const settings = new SerializationSettings({ project: "p", domain: "d", version: "v", imageConfig: ImageConfig.auto("img:1") });

describe("the Athena plugin", () => {
  it("is registered by its config class", () => {
    expect(TaskPlugins.pluginFor(AthenaConfig)).toBe(AthenaTask);
  });

  it("writes a Presto query in custom, empty fields left out, and no sql target", () => {
    const full = toTaskTemplate(new AthenaTask({ name: "a", queryTemplate: "select 1", taskConfig: new AthenaConfig({ database: "db", workgroup: "wg" }) }), settings);
    expect(full.type).toBe("presto");
    expect(full.custom).toEqual({ statement: "select 1", schema: "db", routingGroup: "wg" });
    expect(full.target.case).toBeUndefined();
  });

  it("cannot run without Athena, and a mock stands in for it in tests", () => {
    const athena = new AthenaTask({ name: "ath", queryTemplate: "select 1", outputSchemaType: Dataset });
    expect(() => athena.invoke({})).toThrow(/^task 'ath': it is a presto query that Flyte runs with its backend plugin; it cannot run here; in tests, mock it/);
    const mock = mockTask(athena).returns({ results: "s3://bucket/out" });
    try {
      expect(athena.invoke({})).toEqual({ results: expect.objectContaining({ uri: "s3://bucket/out" }) });
    } finally {
      mock.restore();
    }
  });

  it("refuses configs that cannot be right", () => {
    expect(() => new AthenaConfig({ database: 1 as never })).toThrow("AthenaConfig, database: expected a string, got 1 (number)");
  });
});
