// @flytekit-ts/plugins/athena: Athena (Presto) queries run by Flyte's AWS backend plugin.
export { AthenaConfig, AthenaTask, type AthenaTaskInit } from "./task.js";
