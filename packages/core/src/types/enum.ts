import { type JsonObject } from "@bufbuild/protobuf";
import { create } from "../idl/codec.js";
import { type Literal } from "../idl/gen/flyteidl/core/literals_pb.js";
import { LiteralTypeSchema, type LiteralType } from "../idl/gen/flyteidl/core/types_pb.js";
import { FlyteTypeError, TypeTransformerError } from "./errors.js";
import { primitiveLiteral } from "./literals.js";
import type { MsgpackWriter } from "./msgpack.js";
import { typeRegistry } from "./registry.js";
import { FlyteType } from "./type.js";

/** A TypeScript string enum, or any object whose values are the allowed strings. */
export type StringEnum = { readonly [key: string]: string };

/** Flyte EnumType for a TypeScript string enum; the value travels as its string. */
export class EnumType<E extends StringEnum> extends FlyteType<E[keyof E]> {
  readonly name: string;
  readonly tag = "DefaultEnumTransformer";
  readonly values: readonly string[];
  private readonly allowed: ReadonlySet<string>;

  constructor(enumObject: E, name?: string) {
    super();
    const entries = Object.entries(enumObject);
    const bad = entries.find(([, v]) => typeof v !== "string");
    if (entries.length === 0) throw new FlyteTypeError({ subject: "Enum()", problem: "it needs an enum with at least one member" });
    if (bad !== undefined) {
      throw new FlyteTypeError({
        subject: `Enum(${name ?? "…"})`,
        problem: `Flyte enums hold strings, but member ${bad[0]} is ${String(bad[1])} (a numeric enum)`,
        fix: 'declare a string enum, e.g. enum Color { RED = "red" }',
      });
    }
    this.values = entries.map(([, v]) => v as string);
    this.allowed = new Set(this.values);
    this.name = name ?? `Enum(${this.values.map((v) => JSON.stringify(v)).join(" | ")})`;
  }

  protected buildLiteralType(): LiteralType {
    return create(LiteralTypeSchema, { type: { case: "enumType", value: { values: [...this.values] } } });
  }

  private check(value: unknown): E[keyof E] {
    if (typeof value === "string" && this.allowed.has(value)) return value as E[keyof E];
    throw TypeTransformerError.forValue(this.name, value, `not one of ${this.values.map((v) => JSON.stringify(v)).join(", ")}`);
  }

  toLiteral(value: unknown): Literal {
    return primitiveLiteral({ case: "stringValue", value: this.check(value) });
  }

  protected decode(literal: Literal): E[keyof E] {
    const v = literal.value;
    if (v.case === "scalar" && v.value.value.case === "primitive") {
      const p = v.value.value.value.value;
      if (p.case === "stringValue") {
        if (this.allowed.has(p.value)) return p.value as E[keyof E];
        throw this.cannotRead(literal, `not one of ${this.values.map((x) => JSON.stringify(x)).join(", ")}`);
      }
    }
    throw this.cannotRead(literal);
  }

  writeMsgpack(w: MsgpackWriter, value: unknown): void {
    w.str(this.check(value));
  }

  fromMsgpack(value: unknown): E[keyof E] {
    if (typeof value === "string" && this.allowed.has(value)) return value as E[keyof E];
    throw this.cannotReadMsgpack(value);
  }

  jsonSchema(): JsonObject {
    return { enum: [...this.values] };
  }

  override get textHint(): string {
    return `one of ${this.values.join("|")}`;
  }

  override fromText(text: string): E[keyof E] {
    return this.check(text);
  }
}

/** A TypeScript string enum as a Flyte EnumType: `Enum(Color)`, or `Enum(Color, "Color")` to name it in messages. */
export function Enum<E extends StringEnum>(enumObject: E, name?: string): EnumType<E> {
  return new EnumType(enumObject, name);
}

typeRegistry.register({
  name: "Enum",
  // TypeScript reflects a string enum as String.
  takes: (t, c) => (t instanceof EnumType ? c === String : undefined),
  literalTypes: ["enumType"],
  guess: (lt) => {
    const values = (lt.type.value as { values: string[] }).values;
    return Enum(Object.fromEntries(values.map((v) => [v, v])));
  },
});
