// flyteidl.service: FlyteAdmin's gRPC AdminService (its descriptor, for Connect clients and
// servers), generated at build time by scripts/generate-idl.mjs into gen/ from a copy of
// service/admin.proto without its grpc-gateway options.
export * from "./gen/flyteidl/service/admin_pb.js";
