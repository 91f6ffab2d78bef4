// The Flyte IDL as protobuf-es messages: flyteidl.core at the top level (Literal, TaskTemplate,
// ...), flyteidl.admin and flyteidl.event as namespaces (admin.TaskSpec, ...), and FlyteAdmin's gRPC
// service as `service.AdminService`. Generated from the .proto files of the pinned
// @flyteorg/flyteidl package at build time; never committed.
export * from "./core.js";
export * as admin from "./admin.js";
export * as event from "./event.js";
export * as service from "./service.js";
// How the SDK makes, encodes and decodes them: the one seam (see codec.ts).
export { create, decode, encode, toJsonText, toJsonValue } from "./codec.js";
