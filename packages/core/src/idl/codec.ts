// The one seam between flytekit-ts and its protobuf runtime: every message the SDK makes, encodes or
// decodes goes through here. protobuf-es does the work; see DESIGN.md for where, and why, a
// message type is encoded by code compiled for it instead.
import {
  fromBinary,
  toJson,
  type DescMessage,
  type JsonValue,
  type Message,
  type MessageInitShape,
  type MessageShape,
} from "@bufbuild/protobuf";
import { createMessage } from "./create.js";
import { encodeBinary } from "./binary.js";

/** A message of a type, from its init shape (a message of that type is returned as it is). */
export function create<Desc extends DescMessage>(schema: Desc, init?: MessageInitShape<Desc>): MessageShape<Desc> {
  return createMessage(schema, init);
}

/** A message's bytes, as Flyte reads them. */
export function encode(schema: DescMessage, message: Message): Uint8Array {
  return encodeBinary(schema, message);
}

/** A message from its bytes. */
export function decode<Desc extends DescMessage>(schema: Desc, bytes: Uint8Array): MessageShape<Desc> {
  return fromBinary(schema, bytes);
}

/** A message as protobuf JSON, for reading. */
export function toJsonValue(schema: DescMessage, message: Message): JsonValue {
  return toJson(schema, message);
}
