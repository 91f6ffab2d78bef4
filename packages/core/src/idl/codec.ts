// The one seam between flytekit-ts and its protobuf runtime: every message the SDK makes, encodes or
// decodes goes through here, and protobuf-es does the work.
//
// One exception, kept because `npm run bench` shows a target missed without it: a TaskTemplate (and
// the TaskSpec that holds one) is encoded by code compiled for its message type (binary.ts, byte for
// byte protobuf-es's output, checked on random messages of every type). Serializing a task takes
// about twice as long with protobuf-es's toBinary, past the 20 µs target; see DESIGN.md for the
// figures. Everything else (literals, error documents) gains nothing measurable from it.
import { create as createWith, fromBinary, toBinary, toJson, toJsonString, type DescMessage, type JsonValue, type Message, type MessageInitShape, type MessageShape } from "@bufbuild/protobuf";
import { DocumentError } from "../errors/flyte-error.js";
import { encodeBinary } from "./binary.js";

/** The message types encoded by compiled code (see above). */
const COMPILED: ReadonlySet<string> = new Set(["flyteidl.core.TaskTemplate", "flyteidl.admin.TaskSpec"]);

/** A message of a type, from its init shape (a message of that type is returned as it is). */
export function create<Desc extends DescMessage>(schema: Desc, init?: MessageInitShape<Desc>): MessageShape<Desc> {
  return createWith(schema, init);
}

/** A message's bytes, as Flyte reads them. */
export function encode(schema: DescMessage, message: Message): Uint8Array {
  return COMPILED.has(schema.typeName) ? encodeBinary(schema, message) : toBinary(schema, message);
}

/** A message from its bytes; bytes that do not decode are a DocumentError naming `what` (the file, the field). */
export function decode<Desc extends DescMessage>(schema: Desc, bytes: Uint8Array, what?: string): MessageShape<Desc> {
  try {
    return fromBinary(schema, bytes);
  } catch (e) {
    // Damaged bytes, or messages nested past protobuf-es's recursion limit (100, as protobuf's own).
    throw new DocumentError(
      { subject: what ?? schema.typeName, expected: `a ${schema.typeName}`, got: `${bytes.length} bytes that do not decode as one`, problem: e instanceof Error ? e.message : String(e) },
      { cause: e },
    );
  }
}

/** A message as protobuf JSON, for reading. */
export function toJsonValue(schema: DescMessage, message: Message): JsonValue {
  return toJson(schema, message);
}

/** A message as protobuf JSON text, indented by `prettySpaces` (0 for one line). */
export function toJsonText(schema: DescMessage, message: Message, prettySpaces = 0): string {
  return toJsonString(schema, message, { prettySpaces });
}
