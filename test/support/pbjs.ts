// The protobufjs build of the Flyte IDL that @flyteorg/flyteidl ships (gen/pb-js): a decoder
// independent of ours, written by Flyte's own tooling. Tests use it to prove our bytes are what
// Flyte reads. Test-only: nothing outside tests imports this file.
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);

/** A protobufjs message class from the generated static module. */
export interface PbjsType {
  encode(message: unknown): { finish(): Uint8Array };
  decode(bytes: Uint8Array): PbjsMessage;
  create(properties?: unknown): PbjsMessage;
  verify(message: unknown): string | null;
}
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type PbjsMessage = Record<string, any>;

interface PbjsRoot {
  flyteidl: {
    core: Record<string, PbjsType & Record<string, unknown>>;
    admin: Record<string, PbjsType & Record<string, unknown>>;
  };
  google: { protobuf: Record<string, PbjsType> };
}

// int64 fields need long.js: without it protobufjs reads them as numbers and rounds past 2^53.
const protobuf = require("protobufjs/minimal") as { util: { Long: unknown }; configure(): void };
const long = require("long") as { default?: unknown };
protobuf.util.Long = long.default ?? long;
protobuf.configure();

/** The protobufjs root: `pbjs.flyteidl.core.TaskTemplate`. */
export const pbjs: PbjsRoot = require("@flyteorg/flyteidl/gen/pb-js/flyteidl.js") as PbjsRoot;
