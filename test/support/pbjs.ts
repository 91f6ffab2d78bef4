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

/** A google.protobuf.Value as the JSON it holds. */
function structValue(v: PbjsMessage): unknown {
  if (Object.hasOwn(v, "nullValue")) return null;
  if (Object.hasOwn(v, "numberValue")) return v.numberValue;
  if (Object.hasOwn(v, "stringValue")) return v.stringValue;
  if (Object.hasOwn(v, "boolValue")) return v.boolValue;
  if (Object.hasOwn(v, "structValue")) return structJson(v.structValue as PbjsMessage);
  if (Object.hasOwn(v, "listValue")) return ((v.listValue as PbjsMessage).values as PbjsMessage[]).map(structValue);
  return undefined;
}

function structJson(s: PbjsMessage): Record<string, unknown> {
  return Object.fromEntries(Object.entries((s.fields ?? {}) as Record<string, PbjsMessage>).map(([k, v]) => [k, structValue(v)]));
}

/**
 * What protobufjs decoded, as plain data: only the fields that were on the wire (protobufjs keeps
 * defaults on the prototype), int64 as decimal text, bytes as hex, Structs as the JSON they hold,
 * empty repeated and map fields left out. A present sub-message with nothing set is `{}`.
 */
export function plain(message: unknown): unknown {
  if (message === null || typeof message !== "object") return message;
  if (message instanceof Uint8Array) return Buffer.from(message).toString("hex");
  if (Array.isArray(message)) return message.map(plain);
  const m = message as PbjsMessage;
  if (typeof m.low === "number" && typeof m.high === "number" && typeof m.unsigned === "boolean") return m.toString() as string;
  if (m.constructor?.name === "Struct") return structJson(m);
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(m)) {
    const value = m[key] as unknown;
    if (Array.isArray(value) && value.length === 0) continue;
    if (value !== null && typeof value === "object" && !(value instanceof Uint8Array) && Object.getPrototypeOf(value) === Object.prototype && Object.keys(value).length === 0) continue;
    out[key] = plain(value);
  }
  return out;
}
