// @flytekit-ts/plugins/snowflake: Snowflake queries run by Flyte's Snowflake connector.
export { SnowflakeConfig, SnowflakeTask, type SnowflakeTaskInit } from "./task.js";
