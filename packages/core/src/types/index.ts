// The type engine: type tokens and the conversion between TypeScript values and Flyte literals.
export { Directory, File, FlyteDirectory, FlyteFile, BlobType, isRemotePath } from "./blob.js";
export { DictType, ListType } from "./collections.js";
export { EnumType, type StringEnum } from "./enum.js";
export { FlyteTypeError, TypeTransformerError } from "./errors.js";
export { fromLiteral, fromLiteralMap, literalTypeOf, toLiteral, toLiteralMap } from "./engine.js";
export type { InputsOf, NativesOf, TypeMap } from "./engine.js";
export { Json, type JsonLike, type JsonRecord } from "./json.js";
export { describeLiteral, MSGPACK_ANNOTATION } from "./literals.js";
export { MSGPACK_TAG } from "./msgpack.js";
export { defineRecord, defineRecordField, isRecordClass, recordType, RecordType } from "./record.js";
export { Bool, Float, Int, None, Str } from "./scalars.js";
export { Dataset, DatasetType, StructuredDataset } from "./structured.js";
export { Dict, Enum, List, Optional, reflectedType, resolveType, typeOf, Union } from "./spec.js";
export {
  Datetime,
  duration,
  Duration,
  durationToMillis,
  isoformatUtc,
  nanosOfSecond,
  parseIsoDatetime,
  type DurationInput,
  type DurationParts,
  type DurationValue,
} from "./time.js";
export { FlyteType, type AnyFlyteType, type Constructor, type InputOf, type NativeOf, type TypeSpec } from "./type.js";
export { UnionType } from "./union.js";
export { FlyteSchema, Schema, SchemaType } from "./schema.js";
export { guessType } from "./guess.js";
