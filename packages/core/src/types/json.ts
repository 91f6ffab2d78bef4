import { type JsonObject } from "@bufbuild/protobuf";
import { create } from "../idl/codec.js";
import { type Literal } from "../idl/gen/flyteidl/core/literals_pb.js";
import { LiteralTypeSchema, SimpleType, type LiteralType } from "../idl/gen/flyteidl/core/types_pb.js";
import { isPlainObject, keySegment, setOwn } from "./collections.js";
import { rethrowWithin, TypeTransformerError } from "./errors.js";
import { MSGPACK_ANNOTATION } from "./literals.js";
import { decodeMsgpack, MAX_NESTING, MSGPACK_TAG, MsgpackWriter } from "./msgpack.js";
import { intToNative } from "./scalars.js";
import { typeRegistry } from "./registry.js";
import { MsgpackStructType, type FlyteType } from "./type.js";

/**
 * A value Json holds: what JSON holds, plus bigints for integers past 2^53, bytes, and `Map`s for
 * Python dicts whose keys are not all strings.
 */
export type JsonLike = null | boolean | number | bigint | string | Uint8Array | JsonLike[] | { [key: string]: JsonLike } | JsonMap;
/** A free-form object: flytekit's untyped `dict` with string keys. */
export type JsonRecord = { [key: string]: JsonLike };
/** The key of a Python dict that is not a string: `{1: "a"}`, `{None: 0}`, `{b"k": 1}`. */
export type JsonKey = string | number | bigint | boolean | null | Uint8Array;
/** A Python dict whose keys are not all strings, its keys as Python wrote them (int, float, bool, None, bytes). */
export type JsonMap = Map<JsonKey, JsonLike>;

const MAX_DEPTH = MAX_NESTING;
const WHAT = "Json";
const HOLDS = "Json holds null, booleans, numbers, bigints, strings, bytes, arrays, plain objects and Maps";

/** A Map's key as Python's msgpack writes a dict key of its type. */
function writeKey(w: MsgpackWriter, key: unknown): void {
  if (typeof key === "string") w.str(key);
  else if (typeof key === "number") {
    if (Number.isSafeInteger(key)) w.int(key);
    else w.float64(key);
  } else if (typeof key === "bigint" && key >= -(2n ** 63n) && key < 2n ** 64n) w.bigint(key);
  else if (typeof key === "boolean") w.bool(key);
  else if (key === null) w.nil();
  else if (key instanceof Uint8Array) w.bin(key);
  else throw TypeTransformerError.forValue(WHAT, key, "a Map's keys are strings, numbers, bigints, booleans, null or bytes, as a Python dict's");
}

function keyName(key: unknown): string {
  return typeof key === "string" ? keySegment(key) : `[${typeof key === "bigint" ? `${key}n` : key instanceof Uint8Array ? "bytes" : String(key)}]`;
}

function writeUntyped(w: MsgpackWriter, value: unknown, depth: number): void {
  // Arrays and objects nest at most MAX_DEPTH levels, the most that is read back.
  if (depth >= MAX_DEPTH && typeof value === "object" && value !== null && !(value instanceof Uint8Array)) {
    throw TypeTransformerError.forValue(WHAT, value, `nested deeper than ${MAX_DEPTH} levels (a cycle?)`);
  }
  switch (typeof value) {
    case "boolean":
      w.bool(value);
      return;
    case "number":
      // JavaScript cannot tell 2 from 2.0: whole numbers are written as integers. Declare a record
      // with a Float field where Python must read a float.
      if (Number.isSafeInteger(value)) w.int(value);
      else w.float64(value);
      return;
    case "bigint":
      if (value < -(2n ** 63n) || value >= 2n ** 64n) throw TypeTransformerError.forValue(WHAT, value, "outside the 64-bit range MessagePack holds");
      w.bigint(value);
      return;
    case "string":
      w.str(value);
      return;
    case "undefined":
      w.nil();
      return;
    case "object":
      break;
    default:
      throw TypeTransformerError.forValue(WHAT, value, HOLDS);
  }
  if (value === null) {
    w.nil();
  } else if (Array.isArray(value)) {
    w.arrayHeader(value.length);
    let i = 0;
    try {
      for (; i < value.length; i++) writeUntyped(w, value[i], depth + 1);
    } catch (e) {
      rethrowWithin(e, `[${i}]`);
    }
  } else if (value instanceof Uint8Array) {
    w.bin(value);
  } else if (value instanceof Map) {
    // Keys of their own types (a Map of string keys is written as a plain object is).
    const entries = [...(value as Map<unknown, unknown>).entries()].filter(([, v]) => v !== undefined);
    w.mapHeader(entries.length);
    for (const [key, v] of entries) {
      try {
        writeKey(w, key);
        writeUntyped(w, v, depth + 1);
      } catch (e) {
        rethrowWithin(e, keyName(key));
      }
    }
  } else if (isPlainObject(value)) {
    // As JSON.stringify does, a property whose value is undefined is left out.
    const keys = Object.keys(value).filter((k) => value[k] !== undefined);
    w.mapHeader(keys.length);
    for (const key of keys) {
      w.str(key);
      try {
        writeUntyped(w, value[key], depth + 1);
      } catch (e) {
        rethrowWithin(e, keySegment(key));
      }
    }
  } else {
    throw TypeTransformerError.forValue(WHAT, value, HOLDS);
  }
}

/** MessagePack's decoded form as Json: integers that fit a number become numbers (keys too). */
function normalise(value: unknown): JsonLike {
  if (typeof value === "bigint") return intToNative(value);
  if (Array.isArray(value)) return value.map(normalise);
  if (value instanceof Map) {
    const out: JsonMap = new Map();
    for (const [key, v] of value as Map<JsonKey, unknown>) out.set(typeof key === "bigint" ? intToNative(key) : key, normalise(v));
    return out;
  }
  if (isPlainObject(value)) {
    const out: JsonRecord = {};
    for (const key of Object.keys(value)) setOwn(out, key, normalise(value[key]));
    return out;
  }
  return value as JsonLike;
}

/**
 * Free-form objects, encoded as flytekit encodes an untyped `dict`: LiteralType STRUCT with the
 * MessagePack annotation, the value a MessagePack binary scalar.
 */
class JsonType extends MsgpackStructType<JsonRecord | JsonMap> {
  readonly name = WHAT;
  readonly tag = "Typed Dict";

  protected buildLiteralType(): LiteralType {
    return create(LiteralTypeSchema, {
      type: { case: "simple", value: SimpleType.STRUCT },
      annotation: { annotations: MSGPACK_ANNOTATION },
    });
  }

  writeMsgpack(w: MsgpackWriter, value: unknown): void {
    if (!isPlainObject(value) && !(value instanceof Map)) throw TypeTransformerError.forValue(WHAT, value, "Json is a plain object (or a Map) at the top");
    writeUntyped(w, value, 0);
  }

  protected decode(literal: Literal): JsonRecord | JsonMap {
    const v = literal.value;
    if (v.case === "scalar") {
      const s = v.value.value;
      if (s.case === "binary" && s.value.tag === MSGPACK_TAG) return this.fromMsgpack(decodeMsgpack(s.value.value, WHAT));
      if (s.case === "generic") return this.fromMsgpack(s.value);
    }
    throw this.cannotRead(literal);
  }

  fromMsgpack(value: unknown): JsonRecord | JsonMap {
    if (!isPlainObject(value) && !(value instanceof Map)) throw this.cannotReadMsgpack(value);
    return normalise(value) as JsonRecord | JsonMap;
  }

  jsonSchema(): JsonObject {
    return { type: "object" };
  }

  /**
   * A dict whose keys are not all strings (a Map) is, at the top, an array of `[key, value]` pairs,
   * which `fromJsonValue` reads back as such a Map; the rest is JSON as it is. (Below the top an
   * array is an array: there a Map with such keys has no JSON form, and `run --json` says so.)
   */
  override toJsonValue(value: unknown): unknown {
    if (!(value instanceof Map) || [...(value as Map<unknown, unknown>).keys()].every((k) => typeof k === "string")) return value;
    return [...(value as Map<unknown, unknown>).entries()];
  }

  /** An array of `[key, value]` pairs at the top is a dict with those keys (Json is an object at the top); the rest is as it is. */
  override fromJsonValue(value: unknown): unknown {
    if (!Array.isArray(value) || value.length === 0 || !value.every((e) => Array.isArray(e) && e.length === 2 && isJsonKey(e[0]))) return value;
    return new Map(value as [JsonKey, unknown][]);
  }
}

/** What JSON may hold as a dict's key that is not a string: a number, a bigint, a boolean, null. */
function isJsonKey(key: unknown): boolean {
  return key === null || ["string", "number", "bigint", "boolean"].includes(typeof key);
}

/**
 * A free-form object (flytekit's untyped `dict`): JSON-like values, as MessagePack. A dict whose
 * keys are not all strings is a `Map` (at the top too), so its keys come back as they went.
 */
export const Json: FlyteType<JsonRecord | JsonMap> = new JsonType();

typeRegistry.register({ name: "Json", token: Json, takes: [Map], literalTypes: ["simple:STRUCT"], guess: () => Json });
