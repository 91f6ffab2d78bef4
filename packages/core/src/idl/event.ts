// flyteidl.event, generated at build time by scripts/generate-idl.mjs into gen/.
export * from "./gen/flyteidl/event/cloudevents_pb.js";
export * from "./gen/flyteidl/event/event_pb.js";
