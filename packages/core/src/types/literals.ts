// Literal messages built as plain protobuf-es objects, in exactly the shape `create()` gives
// (a test holds the two equal), without its per-call walk over the descriptor: the type engine
// builds one of these per value, so this is the hot path of every task call.
import type { JsonObject } from "@bufbuild/protobuf";
import type { Duration as PbDuration, Timestamp } from "@bufbuild/protobuf/wkt";
import { type Binary, type Blob, type Literal, type LiteralCollection, type LiteralMap, type Primitive, type Scalar, type Union } from "../idl/gen/flyteidl/core/literals_pb.js";
import { BlobType_BlobDimensionality, type LiteralType } from "../idl/gen/flyteidl/core/types_pb.js";

/** The annotation flytekit puts on every MessagePack-encoded STRUCT type (dataclasses, untyped dicts). */
export const MSGPACK_ANNOTATION: JsonObject = { "cache-key-metadata": { "serialization-format": "msgpack" } };

export function literalOf(value: Literal["value"]): Literal {
  return { $typeName: "flyteidl.core.Literal", value, hash: "", metadata: {} };
}

export function scalarLiteral(value: Scalar["value"]): Literal {
  return literalOf({ case: "scalar", value: { $typeName: "flyteidl.core.Scalar", value } });
}

export function primitiveLiteral(value: Primitive["value"]): Literal {
  return scalarLiteral({ case: "primitive", value: { $typeName: "flyteidl.core.Primitive", value } });
}

export function noneLiteral(): Literal {
  return scalarLiteral({ case: "noneType", value: { $typeName: "flyteidl.core.Void" } });
}

export function collectionLiteral(literals: Literal[]): Literal {
  const collection: LiteralCollection = { $typeName: "flyteidl.core.LiteralCollection", literals };
  return literalOf({ case: "collection", value: collection });
}

export function literalMapOf(literals: { [key: string]: Literal }): LiteralMap {
  return { $typeName: "flyteidl.core.LiteralMap", literals };
}

export function mapLiteral(literals: { [key: string]: Literal }): Literal {
  return literalOf({ case: "map", value: literalMapOf(literals) });
}

export function unionLiteral(value: Literal, type: LiteralType): Literal {
  const union: Union = { $typeName: "flyteidl.core.Union", value, type };
  return scalarLiteral({ case: "union", value: union });
}

export function binaryLiteral(value: Uint8Array, tag: string): Literal {
  const binary: Binary = { $typeName: "flyteidl.core.Binary", value, tag };
  return scalarLiteral({ case: "binary", value: binary });
}

export function blobLiteral(uri: string, format: string, dimensionality: BlobType_BlobDimensionality): Literal {
  const blob: Blob = {
    $typeName: "flyteidl.core.Blob",
    metadata: {
      $typeName: "flyteidl.core.BlobMetadata",
      type: { $typeName: "flyteidl.core.BlobType", format, dimensionality },
    },
    uri,
  };
  return scalarLiteral({ case: "blob", value: blob });
}

export function genericLiteral(value: JsonObject): Literal {
  return scalarLiteral({ case: "generic", value });
}

export function timestampOf(seconds: bigint, nanos: number): Timestamp {
  return { $typeName: "google.protobuf.Timestamp", seconds, nanos };
}

export function pbDurationOf(seconds: bigint, nanos: number): PbDuration {
  return { $typeName: "google.protobuf.Duration", seconds, nanos };
}

/** Describes a literal for an error message: `a string literal "abc"`, `a collection literal of 3`. */
export function describeLiteral(literal: Literal | undefined): string {
  if (literal === undefined) return "no literal";
  const v = literal.value;
  switch (v.case) {
    case "collection":
      return `a collection literal of ${v.value.literals.length}`;
    case "map":
      return `a map literal of ${Object.keys(v.value.literals).length}`;
    case "offloadedMetadata":
      return `an offloaded literal at ${JSON.stringify(v.value.uri)}`;
    case undefined:
      return "an empty literal";
    case "scalar":
      break;
  }
  const s = v.value.value;
  switch (s.case) {
    case "primitive": {
      const p = s.value.value;
      switch (p.case) {
        case "integer":
          return `an integer literal ${p.value}`;
        case "floatValue":
          return `a float literal ${p.value}`;
        case "stringValue":
          return `a string literal ${JSON.stringify(p.value.length > 40 ? `${p.value.slice(0, 39)}…` : p.value)}`;
        case "boolean":
          return `a boolean literal ${p.value}`;
        case "datetime":
          return "a datetime literal";
        case "duration":
          return "a duration literal";
        default:
          return "an empty primitive literal";
      }
    }
    case "blob":
      return `a blob literal ${JSON.stringify(s.value.uri)}`;
    case "binary":
      return `a binary literal (tag ${JSON.stringify(s.value.tag)})`;
    case "noneType":
      return "a none literal";
    case "union":
      return `a union literal (tag ${JSON.stringify(s.value.type?.structure?.tag ?? "")})`;
    case "generic":
      return "a generic (Struct) literal";
    case "structuredDataset":
      return `a structured dataset literal ${JSON.stringify(s.value.uri)}`;
    case "schema":
      return "a schema literal";
    case "error":
      return "an error literal";
    default:
      return "an empty scalar literal";
  }
}
