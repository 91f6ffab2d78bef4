import { describe, expect, it } from "vitest";
import { SnowflakeConfig, SnowflakeTask } from "./index.js";
import { TaskPlugins } from "@flytekit-ts/core/extend";
import { ImageConfig, SerializationSettings, toTaskTemplate } from "@flytekit-ts/core";

const settings = new SerializationSettings({ project: "p", domain: "d", version: "v", imageConfig: ImageConfig.auto("img:1") });
const config = () => new SnowflakeConfig({ user: "u", account: "a", database: "d", schema: "s", warehouse: "w" });

describe("the Snowflake plugin", () => {
  it("is registered by its config class", () => {
    expect(TaskPlugins.pluginFor(SnowflakeConfig)).toBe(SnowflakeTask);
  });

  it("puts the connection in the template's config and the statement in sql, its whitespace collapsed", () => {
    const template = toTaskTemplate(new SnowflakeTask({ name: "sf", queryTemplate: "select 1 from\t\n         custom where column = 1", taskConfig: config() }), settings);
    expect(template.config).toEqual({ user: "u", account: "a", database: "d", schema: "s", warehouse: "w" });
    expect(template.target.case === "sql" && template.target.value.statement).toBe("select 1 from custom where column = 1");
    expect(template.custom).toBeUndefined();
  });

  it("cannot run without Snowflake", () => {
    expect(() => new SnowflakeTask({ name: "sf", queryTemplate: "select 1", taskConfig: config() }).invoke({})).toThrow(/^task 'sf': it is a snowflake query that Flyte runs/);
  });

  it("refuses configs that cannot be right", () => {
    expect(() => new SnowflakeConfig({ user: "u", account: "", database: "d", schema: "s", warehouse: "w" })).toThrow(
      'SnowflakeConfig, account: expected a non-empty string (it is required), got "" (string)',
    );
    expect(() => new SnowflakeTask({ name: "x", queryTemplate: "select 1", taskConfig: { user: "u" } as never })).toThrow(
      "task 'x', option 'taskConfig': expected a SnowflakeConfig, got {\"user\":\"u\"} (object)",
    );
  });
});
