import { type JsonObject } from "@bufbuild/protobuf";
import { create } from "../idl/codec.js";
import { type Literal } from "../idl/gen/flyteidl/core/literals_pb.js";
import { LiteralTypeSchema, type LiteralType } from "../idl/gen/flyteidl/core/types_pb.js";
import { rethrowWithin, TypeTransformerError } from "./errors.js";
import { collectionLiteral, mapLiteral } from "./literals.js";
import type { MsgpackWriter } from "./msgpack.js";
import { resolveSpec, typeRegistry } from "./registry.js";
import { FlyteType, conversionNow, type ConversionContext, type InputOf, type NativeOf, type TypeSpec } from "./type.js";

export function keySegment(key: string): string {
  return `[${JSON.stringify(key)}]`;
}

/** Sets an own property, `__proto__` included, without touching the prototype. */
export function setOwn(target: Record<string, unknown>, key: string, value: unknown): void {
  if (key === "__proto__") Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
  else target[key] = value;
}

/** A plain object: `{...}` or `Object.create(null)`, not a class instance, array or Map. */
export function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== "object" || value === null) return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/** Flyte collection: a JS array of one element type. */
export class ListType<Out, In> extends FlyteType<Out[], readonly In[]> {
  readonly name: string;
  readonly tag = "Typed List";

  constructor(readonly element: FlyteType<Out, In>) {
    super();
    this.name = `List(${element.name})`;
  }

  protected buildLiteralType(): LiteralType {
    return create(LiteralTypeSchema, { type: { case: "collectionType", value: this.element.literalType } });
  }

  toLiteral(value: unknown, context: ConversionContext = conversionNow()): Literal {
    if (!Array.isArray(value)) throw TypeTransformerError.forValue(this.name, value);
    const n = value.length;
    const literals = new Array<Literal>(n);
    const element = this.element;
    let i = 0;
    try {
      for (; i < n; i++) literals[i] = element.toLiteral(value[i], context);
    } catch (e) {
      rethrowWithin(e, `[${i}]`);
    }
    return collectionLiteral(literals);
  }

  protected decode(literal: Literal, context: ConversionContext): Out[] {
    const v = literal.value;
    if (v.case !== "collection") throw this.cannotRead(literal);
    const literals = v.value.literals;
    const n = literals.length;
    const out = new Array<Out>(n);
    const element = this.element;
    let i = 0;
    try {
      for (; i < n; i++) out[i] = element.fromLiteral(literals[i]!, context);
    } catch (e) {
      rethrowWithin(e, `[${i}]`);
    }
    return out;
  }

  writeMsgpack(w: MsgpackWriter, value: unknown, context: ConversionContext = conversionNow()): void {
    if (!Array.isArray(value)) throw TypeTransformerError.forValue(this.name, value);
    w.arrayHeader(value.length);
    let i = 0;
    try {
      for (; i < value.length; i++) this.element.writeMsgpack(w, value[i], context);
    } catch (e) {
      rethrowWithin(e, `[${i}]`);
    }
  }

  fromMsgpack(value: unknown, context: ConversionContext = conversionNow()): Out[] {
    if (!Array.isArray(value)) throw this.cannotReadMsgpack(value);
    const out = new Array<Out>(value.length);
    let i = 0;
    try {
      for (; i < value.length; i++) out[i] = this.element.fromMsgpack(value[i], context);
    } catch (e) {
      rethrowWithin(e, `[${i}]`);
    }
    return out;
  }

  jsonSchema(): JsonObject {
    return { items: this.element.jsonSchema(), type: "array" };
  }

  override fromJsonValue(value: unknown): unknown {
    if (!Array.isArray(value)) return value;
    const out = new Array<unknown>(value.length);
    let i = 0;
    try {
      for (; i < value.length; i++) out[i] = this.element.fromJsonValue(value[i]);
    } catch (e) {
      rethrowWithin(e, `[${i}]`);
    }
    return out;
  }

  override toJsonValue(value: unknown): unknown {
    return Array.isArray(value) ? value.map((v) => this.element.toJsonValue(v)) : value;
  }
}

/**
 * Flyte map: string keys to one value type; given a plain object or a Map, gives a plain object, or
 * (made with `maps`: what a `Map<string, T>` is) a Map.
 */
export class DictType<Out, In> extends FlyteType<
  { [key: string]: Out },
  { readonly [key: string]: In } | ReadonlyMap<string, In>
> {
  readonly name: string;
  readonly tag = "Typed Dict";

  constructor(
    readonly value: FlyteType<Out, In>,
    /** Whether values read are Maps rather than plain objects. Its LiteralType is the same. */
    readonly maps = false,
  ) {
    super();
    this.name = `Dict(${value.name})`;
  }

  /** The same dict, its values read as `Map`s: what a parameter typed `Map<string, T>` is given. */
  asMap(): DictType<Out, In> {
    return this.maps ? this : new DictType(this.value, true);
  }

  /** What is read, as this dict gives it. */
  private out(read: { [key: string]: Out }): { [key: string]: Out } {
    return (this.maps ? new Map(Object.entries(read)) : read) as { [key: string]: Out };
  }

  protected buildLiteralType(): LiteralType {
    return create(LiteralTypeSchema, { type: { case: "mapValueType", value: this.value.literalType } });
  }

  /** The entries of a Map with string keys or of a plain object; anything else is an error. */
  private entries(value: unknown): [string, unknown][] {
    if (value instanceof Map) {
      for (const key of value.keys()) {
        if (typeof key !== "string") {
          throw TypeTransformerError.forValue(this.name, value, `its key ${String(key)} is not a string`);
        }
      }
      return [...(value as Map<string, unknown>).entries()];
    }
    if (isPlainObject(value)) return Object.entries(value);
    throw TypeTransformerError.forValue(this.name, value);
  }

  toLiteral(value: unknown, context: ConversionContext = conversionNow()): Literal {
    const literals: { [key: string]: Literal } = {};
    const valueType = this.value;
    for (const [key, v] of this.entries(value)) {
      let lit: Literal;
      try {
        lit = valueType.toLiteral(v, context);
      } catch (e) {
        rethrowWithin(e, keySegment(key));
      }
      setOwn(literals, key, lit);
    }
    return mapLiteral(literals);
  }

  protected decode(literal: Literal, context: ConversionContext): { [key: string]: Out } {
    const v = literal.value;
    if (v.case !== "map") throw this.cannotRead(literal);
    const out: { [key: string]: Out } = {};
    const valueType = this.value;
    const literals = v.value.literals;
    for (const key of Object.keys(literals)) {
      let native: Out;
      try {
        native = valueType.fromLiteral(literals[key]!, context);
      } catch (e) {
        rethrowWithin(e, keySegment(key));
      }
      setOwn(out, key, native);
    }
    return this.out(out);
  }

  writeMsgpack(w: MsgpackWriter, value: unknown, context: ConversionContext = conversionNow()): void {
    const entries = this.entries(value);
    w.mapHeader(entries.length);
    for (const [key, v] of entries) {
      w.str(key);
      try {
        this.value.writeMsgpack(w, v, context);
      } catch (e) {
        rethrowWithin(e, keySegment(key));
      }
    }
  }

  fromMsgpack(value: unknown, context: ConversionContext = conversionNow()): { [key: string]: Out } {
    // A dataclass field `Dict[int, T]` has integer keys: a Dict's keys are strings, so "1".
    if (value instanceof Map && [...value.keys()].every((k) => typeof k === "number" || typeof k === "bigint" || typeof k === "string")) {
      value = Object.fromEntries([...(value as Map<unknown, unknown>)].map(([k, v]) => [String(k), v]));
    }
    if (!isPlainObject(value)) throw this.cannotReadMsgpack(value);
    const out: { [key: string]: Out } = {};
    for (const key of Object.keys(value)) {
      let native: Out;
      try {
        native = this.value.fromMsgpack(value[key], context);
      } catch (e) {
        rethrowWithin(e, keySegment(key));
      }
      setOwn(out, key, native);
    }
    return this.out(out);
  }

  jsonSchema(): JsonObject {
    return { additionalProperties: this.value.jsonSchema(), type: "object", propertyNames: { type: "string" } };
  }

  override fromJsonValue(value: unknown): unknown {
    if (!isPlainObject(value)) return value;
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value)) {
      try {
        setOwn(out, key, this.value.fromJsonValue(value[key]));
      } catch (e) {
        rethrowWithin(e, keySegment(key));
      }
    }
    return out;
  }

  override toJsonValue(value: unknown): unknown {
    if (!isPlainObject(value) && !(value instanceof Map)) return value;
    const out: Record<string, unknown> = {};
    for (const [key, v] of this.entries(value)) setOwn(out, key, this.value.toJsonValue(v));
    return out;
  }
}


/** A list of one element type: `List(Int)` is `number[]`. */
export function List<S extends TypeSpec>(element: S): ListType<NativeOf<S>, InputOf<S>> {
  return new ListType(resolveSpec(element, "List()")) as ListType<NativeOf<S>, InputOf<S>>;
}

/** A map from string keys to one value type; given a plain object or a Map, gives a plain object. */
export function Dict<S extends TypeSpec>(value: S): DictType<NativeOf<S>, InputOf<S>> {
  return new DictType(resolveSpec(value, "Dict()")) as DictType<NativeOf<S>, InputOf<S>>;
}

typeRegistry.register({
  name: "List",
  takes: (t, c) => (t instanceof ListType ? c === Array : undefined),
  literalTypes: ["collectionType"],
  guess: (lt, nested, where) => new ListType(nested(lt.type.value as LiteralType, `${where}[]`)),
});
typeRegistry.register({
  name: "Dict",
  // A plain object (what TypeScript reflects as Object, taken by every token) or a Map.
  takes: (t, c) => (t instanceof DictType ? c === Map : undefined),
  literalTypes: ["mapValueType"],
  guess: (lt, nested, where) => new DictType(nested(lt.type.value as LiteralType, `${where}{}`)),
});
