// @flytekit-ts/plugins: each plugin in a folder of its own, registered with TaskPlugins by its
// config class; import one by its subpath (`@flytekit-ts/plugins/sqlite`) or all from here.
export * from "./sqlite/index.js";
export * from "./pod/index.js";
export * from "./bigquery/index.js";
export * from "./snowflake/index.js";
export * from "./athena/index.js";
