// The Flyte IDL (flyteidl.core), generated at build time by scripts/generate-idl.mjs into gen/.
export * from "./gen/flyteidl/core/artifact_id_pb.js";
export * from "./gen/flyteidl/core/catalog_pb.js";
export * from "./gen/flyteidl/core/compiler_pb.js";
export * from "./gen/flyteidl/core/condition_pb.js";
export * from "./gen/flyteidl/core/dynamic_job_pb.js";
export * from "./gen/flyteidl/core/errors_pb.js";
export * from "./gen/flyteidl/core/execution_envs_pb.js";
export * from "./gen/flyteidl/core/execution_pb.js";
export * from "./gen/flyteidl/core/identifier_pb.js";
export * from "./gen/flyteidl/core/interface_pb.js";
export * from "./gen/flyteidl/core/literals_pb.js";
export * from "./gen/flyteidl/core/metrics_pb.js";
export * from "./gen/flyteidl/core/security_pb.js";
export * from "./gen/flyteidl/core/tasks_pb.js";
export * from "./gen/flyteidl/core/types_pb.js";
export * from "./gen/flyteidl/core/workflow_closure_pb.js";
export * from "./gen/flyteidl/core/workflow_pb.js";
