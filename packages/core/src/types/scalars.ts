import { type JsonObject } from "@bufbuild/protobuf";
import { create } from "../idl/codec.js";
import { type Literal } from "../idl/gen/flyteidl/core/literals_pb.js";
import { LiteralTypeSchema, SimpleType, type LiteralType } from "../idl/gen/flyteidl/core/types_pb.js";
import { TypeTransformerError } from "./errors.js";
import { noneLiteral, primitiveLiteral } from "./literals.js";
import type { MsgpackWriter } from "./msgpack.js";
import { typeRegistry } from "./registry.js";
import { FlyteType } from "./type.js";

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;
const SAFE_MIN = BigInt(Number.MIN_SAFE_INTEGER);
const SAFE_MAX = BigInt(Number.MAX_SAFE_INTEGER);

export function simpleLiteralType(simple: SimpleType): LiteralType {
  return create(LiteralTypeSchema, { type: { case: "simple", value: simple } });
}

/** A bigint as the value an Int gives: a number when it is safe, else the bigint. */
export function intToNative(b: bigint): number | bigint {
  return b >= SAFE_MIN && b <= SAFE_MAX ? Number(b) : b;
}

/**
 * Flyte INTEGER (int64): a JS number when it is a safe integer, a bigint beyond; or, made with
 * `bigints`, always a bigint (what a parameter TypeScript types `bigint` is given).
 */
class IntType extends FlyteType<number | bigint> {
  readonly name = "Int";
  readonly tag = "int";

  constructor(private readonly bigints = false) {
    super();
  }

  /** A value read, as this Int gives it. */
  private native(b: bigint): number | bigint {
    return this.bigints ? b : intToNative(b);
  }

  protected buildLiteralType(): LiteralType {
    return simpleLiteralType(SimpleType.INTEGER);
  }

  /** The value as a bigint in int64 range; throws for anything else. */
  toBigInt(value: unknown): bigint {
    if (typeof value === "number") {
      if (Number.isSafeInteger(value)) return BigInt(value);
      throw TypeTransformerError.forValue(this.name, value, intRejection(value));
    }
    if (typeof value === "bigint") {
      if (value >= INT64_MIN && value <= INT64_MAX) return value;
      throw TypeTransformerError.forValue(this.name, value, "outside the int64 range");
    }
    throw TypeTransformerError.forValue(this.name, value);
  }

  toLiteral(value: unknown): Literal {
    return primitiveLiteral({ case: "integer", value: this.toBigInt(value) });
  }

  protected decode(literal: Literal): number | bigint {
    const v = literal.value;
    if (v.case === "scalar" && v.value.value.case === "primitive") {
      const p = v.value.value.value.value;
      if (p.case === "integer") return this.native(p.value);
      // Flyte's console is JavaScript and sends whole numbers as floats; flytekit reads them too.
      if (p.case === "floatValue" && Number.isInteger(p.value)) return this.native(BigInt(p.value));
    }
    throw this.cannotRead(literal);
  }

  writeMsgpack(w: MsgpackWriter, value: unknown): void {
    if (typeof value === "number" && Number.isSafeInteger(value)) w.int(value);
    else w.bigint(this.toBigInt(value));
  }

  fromMsgpack(value: unknown): number | bigint {
    if (typeof value === "number" && Number.isInteger(value)) return this.bigints ? BigInt(value) : value;
    if (typeof value === "bigint") return this.native(value);
    throw this.cannotReadMsgpack(value);
  }

  jsonSchema(): JsonObject {
    return { type: "integer" };
  }

  override get textHint(): string {
    return "integer";
  }

  override fromText(text: string): number | bigint {
    const t = text.trim();
    if (!/^[+-]?\d+$/.test(t)) throw TypeTransformerError.forValue(this.name, text);
    return this.native(BigInt(t));
  }
}

function intRejection(n: number): string {
  // 1.5, NaN and Infinity speak for themselves; an unsafe integer needs the reason.
  if (!Number.isInteger(n)) return "";
  return "past Number.MAX_SAFE_INTEGER a number cannot hold every integer exactly; pass a bigint";
}

/** The strings JSON writes for the numbers it has no literal for. */
const NON_FINITE: Readonly<Record<string, number>> = { NaN: Number.NaN, Infinity: Number.POSITIVE_INFINITY, "-Infinity": Number.NEGATIVE_INFINITY };

/** Flyte FLOAT (double). NaN and ±Infinity round-trip. */
class FloatType extends FlyteType<number> {
  readonly name = "Float";
  readonly tag = "float";

  protected buildLiteralType(): LiteralType {
    return simpleLiteralType(SimpleType.FLOAT);
  }

  toLiteral(value: unknown): Literal {
    if (typeof value !== "number") throw TypeTransformerError.forValue(this.name, value);
    return primitiveLiteral({ case: "floatValue", value });
  }

  protected decode(literal: Literal): number {
    const v = literal.value;
    if (v.case === "scalar" && v.value.value.case === "primitive") {
      const p = v.value.value.value.value;
      if (p.case === "floatValue") return p.value;
      if (p.case === "integer") return Number(p.value);
    }
    throw this.cannotRead(literal);
  }

  writeMsgpack(w: MsgpackWriter, value: unknown): void {
    if (typeof value !== "number") throw TypeTransformerError.forValue(this.name, value);
    w.float64(value);
  }

  fromMsgpack(value: unknown): number {
    if (typeof value === "number") return value;
    if (typeof value === "bigint") return Number(value);
    throw this.cannotReadMsgpack(value);
  }

  jsonSchema(): JsonObject {
    return { type: "number" };
  }

  override get textHint(): string {
    return "number";
  }

  /**
   * Inside JSON a Float is a number (an integer past 2^53 too, which comes as a bigint); `"NaN"`,
   * `"Infinity"` and `"-Infinity"`, which JSON has no number for, are the strings `run --json` writes.
   */
  override fromJsonValue(value: unknown): unknown {
    if (typeof value === "bigint") return Number(value);
    if (typeof value === "string" && Object.hasOwn(NON_FINITE, value)) return NON_FINITE[value];
    return value;
  }

  /** The JSON form: a number, or for NaN and the infinities a string `fromJsonValue` reads back. */
  override toJsonValue(value: unknown): unknown {
    return typeof value === "number" && !Number.isFinite(value) ? String(value) : value;
  }

  override fromText(text: string): number {
    const n = Number(text);
    if (text.trim() === "" || (Number.isNaN(n) && text.trim().toLowerCase() !== "nan")) throw TypeTransformerError.forValue(this.name, text);
    return n;
  }
}

/** Flyte STRING. */
class StrType extends FlyteType<string> {
  readonly name = "Str";
  readonly tag = "str";

  protected buildLiteralType(): LiteralType {
    return simpleLiteralType(SimpleType.STRING);
  }

  toLiteral(value: unknown): Literal {
    if (typeof value !== "string") throw TypeTransformerError.forValue(this.name, value);
    return primitiveLiteral({ case: "stringValue", value });
  }

  protected decode(literal: Literal): string {
    const v = literal.value;
    if (v.case === "scalar" && v.value.value.case === "primitive") {
      const p = v.value.value.value.value;
      if (p.case === "stringValue") return p.value;
    }
    throw this.cannotRead(literal);
  }

  writeMsgpack(w: MsgpackWriter, value: unknown): void {
    if (typeof value !== "string") throw TypeTransformerError.forValue(this.name, value);
    w.str(value);
  }

  fromMsgpack(value: unknown): string {
    if (typeof value === "string") return value;
    throw this.cannotReadMsgpack(value);
  }

  jsonSchema(): JsonObject {
    return { type: "string" };
  }

  override get textHint(): string {
    return "text";
  }

  override fromText(text: string): string {
    return text;
  }
}

/** Flyte BOOLEAN. Numbers are not booleans. */
class BoolType extends FlyteType<boolean> {
  readonly name = "Bool";
  readonly tag = "bool";

  protected buildLiteralType(): LiteralType {
    return simpleLiteralType(SimpleType.BOOLEAN);
  }

  toLiteral(value: unknown): Literal {
    if (typeof value !== "boolean") throw TypeTransformerError.forValue(this.name, value);
    return primitiveLiteral({ case: "boolean", value });
  }

  protected decode(literal: Literal): boolean {
    const v = literal.value;
    if (v.case === "scalar" && v.value.value.case === "primitive") {
      const p = v.value.value.value.value;
      if (p.case === "boolean") return p.value;
    }
    throw this.cannotRead(literal);
  }

  writeMsgpack(w: MsgpackWriter, value: unknown): void {
    if (typeof value !== "boolean") throw TypeTransformerError.forValue(this.name, value);
    w.bool(value);
  }

  fromMsgpack(value: unknown): boolean {
    if (typeof value === "boolean") return value;
    throw this.cannotReadMsgpack(value);
  }

  jsonSchema(): JsonObject {
    return { type: "boolean" };
  }

  override get textHint(): string {
    return "true|false";
  }

  override fromText(text: string): boolean {
    const t = text.trim().toLowerCase();
    if (["true", "1", "yes", "y"].includes(t)) return true;
    if (["false", "0", "no", "n"].includes(t)) return false;
    throw TypeTransformerError.forValue(this.name, text);
  }
}

/** Flyte NONE: the absence of a value, `null` (and `undefined` on the way in). */
class NoneType extends FlyteType<null, null | undefined | void> {
  readonly name = "None";
  readonly tag = "none";

  protected buildLiteralType(): LiteralType {
    return simpleLiteralType(SimpleType.NONE);
  }

  override get acceptsNone(): boolean {
    return true;
  }

  toLiteral(value: unknown): Literal {
    if (value !== null && value !== undefined) throw TypeTransformerError.forValue(this.name, value);
    return noneLiteral();
  }

  protected decode(literal: Literal): null {
    const v = literal.value;
    if (v.case === "scalar" && v.value.value.case === "noneType") return null;
    throw this.cannotRead(literal);
  }

  writeMsgpack(w: MsgpackWriter, value: unknown): void {
    if (value !== null && value !== undefined) throw TypeTransformerError.forValue(this.name, value);
    w.nil();
  }

  fromMsgpack(value: unknown): null {
    if (value === null || value === undefined) return null;
    throw this.cannotReadMsgpack(value);
  }

  jsonSchema(): JsonObject {
    return { type: "null" };
  }
}

/** Flyte INTEGER: a number when safe, a bigint beyond 2^53; 1.5, NaN and Infinity are rejected. */
export const Int: FlyteType<number | bigint> & { toBigInt(value: unknown): bigint } = new IntType();
/**
 * Flyte INTEGER read as a `bigint` always (a small number too): what a manifest's "BigInt" is, for
 * a parameter or output TypeScript types `bigint`. It takes a number or a bigint, and its
 * LiteralType is Int's. No constructor infers it: Int stays the type of `BigInt` in the metadata.
 */
export const BigIntInt: FlyteType<bigint, number | bigint> & { toBigInt(value: unknown): bigint } = new IntType(true) as never;
/** Flyte FLOAT: any number, NaN and ±Infinity included. */
export const Float: FlyteType<number> = new FloatType();
/** Flyte STRING. */
export const Str: FlyteType<string> = new StrType();
/** Flyte BOOLEAN. */
export const Bool: FlyteType<boolean> = new BoolType();
/** Flyte NONE: `null`; a task without outputs returns it. */
export const None: FlyteType<null, null | undefined | void> = new NoneType();

typeRegistry.register({ name: "Int", token: Int, natives: [BigInt], takes: [Number], literalTypes: ["simple:INTEGER"], guess: () => Int });
typeRegistry.register({ name: "Float", token: Float, natives: [Number], literalTypes: ["simple:FLOAT"], guess: () => Float });
typeRegistry.register({ name: "Str", token: Str, natives: [String], literalTypes: ["simple:STRING"], guess: () => Str });
typeRegistry.register({ name: "Bool", token: Bool, natives: [Boolean], literalTypes: ["simple:BOOLEAN"], guess: () => Bool });
typeRegistry.register({ name: "None", token: None, literalTypes: ["simple:NONE"], guess: () => None });
