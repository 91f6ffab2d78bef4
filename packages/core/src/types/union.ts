import { type JsonObject } from "@bufbuild/protobuf";
import { createMessage } from "../idl/create.js";
import { type Literal } from "../idl/gen/flyteidl/core/literals_pb.js";
import { LiteralTypeSchema, TypeStructureSchema, type LiteralType } from "../idl/gen/flyteidl/core/types_pb.js";
import { FlyteTypeError, TypeTransformerError } from "./errors.js";
import { describeLiteral, unionLiteral } from "./literals.js";
import { MsgpackWriter } from "./msgpack.js";
import { None } from "./scalars.js";
import { FlyteType, type AnyFlyteType } from "./type.js";

/** A variant's LiteralType with flytekit's union tag in `structure` (which replaces any other structure). */
function tagged(variant: AnyFlyteType): LiteralType {
  return { ...variant.literalType, structure: createMessage(TypeStructureSchema, { tag: variant.tag }) };
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
 * accepts the value (JavaScript has one number type, so `Union(Int, Float)` given 3 is an Int);
 * reading follows the variant tag flytekit writes (`structure.tag`: `int`, `str`, `none`, ...).
 */
export class UnionType extends FlyteType<unknown> {
  readonly name: string;
  readonly tag = "Typed Union";
  private readonly taggedTypes: LiteralType[] = [];
  private readonly noneIndex: number;

  constructor(readonly variants: readonly AnyFlyteType[]) {
    super();
    if (variants.length === 0) throw new FlyteTypeError("Union() needs at least one type");
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
    return createMessage(LiteralTypeSchema, {
      type: { case: "unionType", value: { variants: this.variants.map((_, i) => this.variantType(i)) } },
    });
  }

  /** Runs `attempt` on each variant in order; returns the first result, or throws one error naming them all. */
  private firstAccepting<R>(value: unknown, attempt: (variant: AnyFlyteType, index: number) => R): R {
    if ((value === null || value === undefined) && this.noneIndex >= 0) {
      return attempt(this.variants[this.noneIndex]!, this.noneIndex);
    }
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
    throw TypeTransformerError.forValue(this.name, value, `no variant accepts it (${failures.map((f) => f.message).join("; ")})`);
  }

  toLiteral(value: unknown): Literal {
    return this.firstAccepting(value, (variant, i) => unionLiteral(variant.toLiteral(value), this.variantType(i)));
  }

  override fromLiteral(literal: Literal): unknown {
    return this.decode(literal);
  }

  protected decode(literal: Literal): unknown {
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
      return this.readWith(candidates, inner, literal);
    }
    // A plain literal (from an older flytekit, or a non-union upstream output): the first variant that reads it.
    return this.readWith(this.variants, literal, literal);
  }

  private readWith(candidates: readonly AnyFlyteType[], inner: Literal, outer: Literal): unknown {
    const failures: string[] = [];
    for (const c of candidates) {
      try {
        return c.fromLiteral(inner);
      } catch (e) {
        if (!(e instanceof TypeTransformerError)) throw e;
        failures.push(`${c.name}: ${e.message}`);
      }
    }
    throw new TypeTransformerError(this.name, describeLiteral(outer), `no variant reads it (${failures.join("; ")})`);
  }

  writeMsgpack(w: MsgpackWriter, value: unknown): void {
    // A failed attempt may have written part of the value, so each attempt writes on its own.
    const bytes = this.firstAccepting(value, (variant) => {
      const attempt = new MsgpackWriter(32);
      variant.writeMsgpack(attempt, value);
      return attempt.finish();
    });
    w.raw(bytes);
  }

  fromMsgpack(value: unknown): unknown {
    return this.firstAccepting(value, (variant) => variant.fromMsgpack(value));
  }

  jsonSchema(): JsonObject {
    return { anyOf: this.variants.map((v) => v.jsonSchema()) };
  }
}
