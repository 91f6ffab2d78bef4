import { type JsonObject } from "@bufbuild/protobuf";
import { create } from "../idl/codec.js";
import { type Literal } from "../idl/gen/flyteidl/core/literals_pb.js";
import { LiteralTypeSchema, TypeStructureSchema, type LiteralType } from "../idl/gen/flyteidl/core/types_pb.js";
import { FlyteTypeError, TypeTransformerError } from "./errors.js";
import { describeLiteral, unionLiteral } from "./literals.js";
import { MsgpackWriter } from "./msgpack.js";
import { resolveSpec, typeRegistry } from "./registry.js";
import { None, Str } from "./scalars.js";
import { FlyteType, conversionNow, type AnyFlyteType, type ConversionContext, type InputOf, type NativeOf, type TypeSpec } from "./type.js";

/** A variant's LiteralType with flytekit's union tag in `structure` (which replaces any other structure). */
function tagged(variant: AnyFlyteType): LiteralType {
  return { ...variant.literalType, structure: create(TypeStructureSchema, { tag: variant.tag }) };
}

/** A LiteralType without metadata, annotation and structure: what flytekit compares to match a union tag. */
function essence(t: LiteralType | undefined): string {
  if (t === undefined) return "";
  const ty = t.type;
  switch (ty.case) {
    case "simple":
      return `simple:${ty.value}:${typeof t.metadata?.title === "string" ? t.metadata.title : ""}`;
    case "collectionType":
      return `list(${essence(ty.value)})`;
    case "mapValueType":
      return `map(${essence(ty.value)})`;
    case "unionType":
      return `union(${ty.value.variants.map(essence).join(",")})`;
    case "enumType":
      return `enum(${ty.value.values.join(",")})`;
    case "blob":
      return `blob(${ty.value.format},${ty.value.dimensionality})`;
    default:
      return String(ty.case);
  }
}

/**
 * Flyte UnionType. Writing tries the variants in declaration order and takes the first that
 * accepts the value (JavaScript has one number type, so `Union(Int, Float)` given 3 is an Int), a
 * string the `Str` variant if there is one (so `Union(Enum(Color), Str)` given "red" is a `str`);
 * reading follows the variant tag flytekit writes (`structure.tag`: `int`, `str`, `none`, ...).
 */
export class UnionType extends FlyteType<unknown> {
  readonly name: string;
  readonly tag = "Typed Union";
  private readonly taggedTypes: LiteralType[] = [];
  private readonly noneIndex: number;

  constructor(
    readonly variants: readonly AnyFlyteType[],
    /**
     * Whether none is read as `undefined` rather than `null`: an Optional written `x?: T` (a
     * parameter or a record field a value may leave out). Its LiteralType is the same.
     */
    readonly absent = false,
  ) {
    super();
    if (variants.length === 0) throw new FlyteTypeError({ subject: "Union()", problem: "it needs at least one type" });
    this.noneIndex = variants.indexOf(None);
    const others = variants.filter((v) => v !== None);
    this.name =
      this.noneIndex >= 0 && others.length === 1
        ? `Optional(${others[0]!.name})`
        : `Union(${variants.map((v) => v.name).join(", ")})`;
  }

  override get acceptsNone(): boolean {
    return this.variants.some((v) => v.acceptsNone);
  }

  private variantType(i: number): LiteralType {
    if (this.taggedTypes.length === 0) for (const v of this.variants) this.taggedTypes.push(tagged(v));
    return this.taggedTypes[i]!;
  }

  protected buildLiteralType(): LiteralType {
    return create(LiteralTypeSchema, {
      type: { case: "unionType", value: { variants: this.variants.map((_, i) => this.variantType(i)) } },
    });
  }

  /**
   * Runs `attempt` on each variant in order; returns the first result, or throws one error naming
   * them all. A string goes to the `Str` variant first, where there is one: flytekit (1.16.31)
   * writes a bare `str` that several variants accept (an enum's value, a file's path) as `str`.
   * Text a user typed (a flag's JSON) is read the other way, `Str` last, as pyflyte's union flag
   * tries its types: "2024-05-01" is a Datetime where the union has one. A record's MessagePack is
   * read in the declared order, as mashumaro reads a dataclass's union field.
   */
  private firstAccepting<R>(value: unknown, attempt: (variant: AnyFlyteType, index: number) => R, order: "str first" | "str last" | "declared" = "str first"): R {
    if ((value === null || value === undefined) && this.noneIndex >= 0) {
      return attempt(this.variants[this.noneIndex]!, this.noneIndex);
    }
    const strIndex = typeof value === "string" && order !== "declared" ? this.variants.indexOf(Str) : -1;
    if (order === "str last" && strIndex >= 0) {
      const others = this.variants.filter((v, i) => i !== strIndex && i !== this.noneIndex);
      for (const variant of others) {
        try {
          return attempt(variant, this.variants.indexOf(variant));
        } catch (e) {
          if (!(e instanceof TypeTransformerError)) throw e;
        }
      }
    }
    if (order === "str first" && strIndex >= 0) return attempt(Str, strIndex);
    const failures: TypeTransformerError[] = [];
    for (let i = 0; i < this.variants.length; i++) {
      if (i === this.noneIndex) continue;
      try {
        return attempt(this.variants[i]!, i);
      } catch (e) {
        if (!(e instanceof TypeTransformerError)) throw e;
        failures.push(e);
      }
    }
    // With one real variant (an Optional), its own error says exactly what is wrong, path included.
    if (failures.length === 1) throw failures[0]!;
    throw TypeTransformerError.forValue(this.name, value, `no variant accepts it (${failures.map((f) => f.inner).join("; ")})`);
  }

  /** The one variant besides None, for an Optional; undefined for other unions. */
  get optionalOf(): AnyFlyteType | undefined {
    const some = this.variants.filter((v) => v !== None);
    return this.noneIndex >= 0 && some.length === 1 ? some[0] : undefined;
  }

  toLiteral(value: unknown, context: ConversionContext = conversionNow()): Literal {
    return this.firstAccepting(value, (variant, i) => unionLiteral(variant.toLiteral(value, context), this.variantType(i)));
  }

  override fromLiteral(literal: Literal, context: ConversionContext = conversionNow()): unknown {
    return this.decode(literal, context);
  }

  protected decode(literal: Literal, context: ConversionContext): unknown {
    const v = literal.value;
    if (v.case === "scalar" && v.value.value.case === "union") {
      const union = v.value.value.value;
      const inner = union.value;
      if (inner === undefined) throw this.cannotRead(literal, "the union literal holds no value");
      const tag = union.type?.structure?.tag ?? "";
      let candidates = this.variants.filter((variant) => variant.tag === tag);
      if (candidates.length > 1) {
        const stored = essence(union.type);
        const exact = candidates.filter((c) => essence(c.literalType) === stored);
        if (exact.length > 0) candidates = exact;
      }
      if (candidates.length === 0) candidates = [...this.variants];
      return this.readWith(candidates, inner, literal, context);
    }
    // A plain literal (from an older flytekit, or a non-union upstream output): the first variant that reads it.
    return this.readWith(this.variants, literal, literal, context);
  }

  private readWith(candidates: readonly AnyFlyteType[], inner: Literal, outer: Literal, context: ConversionContext): unknown {
    const failures: string[] = [];
    for (const c of candidates) {
      try {
        return this.noneOut(c, c.fromLiteral(inner, context));
      } catch (e) {
        if (!(e instanceof TypeTransformerError)) throw e;
        failures.push(e.inner);
      }
    }
    throw new TypeTransformerError(this.name, describeLiteral(outer), `no variant reads it (${failures.join("; ")})`);
  }

  writeMsgpack(w: MsgpackWriter, value: unknown, context: ConversionContext = conversionNow()): void {
    // A failed attempt may have written part of the value, so each attempt writes on its own.
    const bytes = this.firstAccepting(value, (variant) => {
      const attempt = new MsgpackWriter(32);
      variant.writeMsgpack(attempt, value, context);
      return attempt.finish();
    });
    w.raw(bytes);
  }

  fromMsgpack(value: unknown, context: ConversionContext = conversionNow()): unknown {
    return this.firstAccepting(value, (variant) => this.noneOut(variant, variant.fromMsgpack(value, context)), "declared");
  }

  /** What a variant read, none as this union gives it (`undefined` where it is `absent`). */
  private noneOut(variant: AnyFlyteType, read: unknown): unknown {
    return this.absent && variant === None ? undefined : read;
  }

  /** What a task is given for none: `undefined` for an Optional written `x?: T`, else `null`. */
  get noneValue(): null | undefined {
    return this.absent ? undefined : null;
  }

  jsonSchema(): JsonObject {
    return { anyOf: this.variants.map((v) => v.jsonSchema()) };
  }

  /** An Optional is written as its value (leave the flag out for none); other unions as JSON. */
  override get textHint(): string {
    const inner = this.optionalOf;
    return inner === undefined ? super.textHint : `${inner.textHint}; leave it out for none`;
  }

  override fromText(text: string): unknown {
    const inner = this.optionalOf;
    return inner === undefined ? super.fromText(text) : inner.fromText(text);
  }

  /** The JSON form of the variant that holds the value (the one `toLiteral` picks). */
  override toJsonValue(value: unknown): unknown {
    if (value === null || value === undefined) return null;
    return this.firstAccepting(value, (variant) => {
      variant.toLiteral(value);
      return variant.toJsonValue(value);
    });
  }

  /** JSON's null is None; anything else is the first variant that reads it and accepts what it read. */
  override fromJsonValue(value: unknown): unknown {
    if (value === null) return value;
    return this.firstAccepting(value, (variant) => {
      const native = variant.fromJsonValue(value);
      variant.toLiteral(native);
      return native;
    }, "str last");
  }
}

/** One of several types; the first that accepts a value is used to write it. Nested unions flatten. */
export function Union<const S extends readonly TypeSpec[]>(...variants: S): FlyteType<NativeOf<S[number]>, InputOf<S[number]>> {
  const flat: AnyFlyteType[] = [];
  for (const v of variants) {
    const t = resolveSpec(v, "Union()");
    for (const inner of t instanceof UnionType ? t.variants : [t]) if (!flat.includes(inner)) flat.push(inner);
  }
  return new UnionType(flat) as unknown as FlyteType<NativeOf<S[number]>, InputOf<S[number]>>;
}

/** A value or none: `Optional(Int)` is `Union(Int, None)`, written with flytekit's tags. */
export function Optional<S extends TypeSpec>(type: S): FlyteType<NativeOf<S> | null, InputOf<S> | null | undefined> {
  return Union(type, None) as unknown as FlyteType<NativeOf<S> | null, InputOf<S> | null | undefined>;
}

/**
 * An Optional whose none is `undefined`, not `null`: a parameter `x?: T` (given nothing, or none) and
 * a record field `x?: T` (left out of a plain object). The same LiteralType as `Optional(type)`.
 */
export function OptionalAbsent(type: TypeSpec): AnyFlyteType {
  const optional = Optional(type) as unknown as UnionType;
  return new UnionType(optional.variants, true);
}

/** What a task is given for none of this type: `undefined` for an Optional written `x?: T`, else `null`. */
export function noneValueOf(type: AnyFlyteType): null | undefined {
  return type instanceof UnionType ? type.noneValue : null;
}

typeRegistry.register({
  name: "Union",
  // A union holds what one of its variants holds.
  takes: (t, c, takes) => {
    if (!(t instanceof UnionType)) return undefined;
    const answers = t.variants.map((v) => takes(v, c));
    return answers.includes(true) ? true : answers.includes(undefined) ? undefined : false;
  },
  literalTypes: ["unionType"],
  guess: (lt, nested, where) => Union(...(lt.type.value as { variants: LiteralType[] }).variants.map((v, i) => nested(v, `${where}|${i}`))) as AnyFlyteType,
});
