import { create } from "@bufbuild/protobuf";
import { describe, expect, it } from "vitest";
import { LiteralTypeSchema, SimpleType } from "../idl/core.js";
import { collectionLiteral, noneLiteral, primitiveLiteral, unionLiteral } from "./literals.js";
import { Bool, Float, Int, None, Str } from "./scalars.js";
import { Dict, Enum, List, Optional, Union } from "./builtins.js";
import { errorOf, roundTrip } from "./testing.js";
import type { AnyFlyteType } from "./type.js";
import { UnionType } from "./union.js";

function storedTag(literal: ReturnType<typeof Int.toLiteral>): string | undefined {
  const v = literal.value;
  return v.case === "scalar" && v.value.value.case === "union" ? v.value.value.value.type?.structure?.tag : undefined;
}

describe("Optional and Union", () => {
  it("declare their variants with flytekit's tags", () => {
    const variants = (t: AnyFlyteType) =>
      t.literalType.type.case === "unionType" ? t.literalType.type.value.variants.map((v) => v.structure?.tag) : [];
    expect(variants(Optional(Int))).toEqual(["int", "none"]);
    expect(variants(Union(Int, Str))).toEqual(["int", "str"]);
    expect(variants(Optional(List(Int)))).toEqual(["Typed List", "none"]);
    expect(variants(Optional(Dict(Int)))).toEqual(["Typed Dict", "none"]);
    expect(variants(Union(Float, Bool))).toEqual(["float", "bool"]);
  });

  it("names themselves in our notation", () => {
    expect(Optional(Int).name).toBe("Optional(Int)");
    expect(Union(Int, Str).name).toBe("Union(Int, Str)");
    expect(Union(Int, Str, None).name).toBe("Union(Int, Str, None)");
  });

  it("round-trip each variant, writing the variant's tagged type", () => {
    expect(roundTrip(Optional(Int), 5)).toBe(5);
    expect(roundTrip(Optional(Int), null)).toBeNull();
    expect(roundTrip(Union(Int, Str), "x")).toBe("x");
    expect(roundTrip(Union(Int, Str), 3)).toBe(3);
    expect(storedTag(Union(Int, Str).toLiteral("x"))).toBe("str");
    expect(storedTag(Optional(Int).toLiteral(undefined))).toBe("none");
  });

  it("take the first variant that accepts a value (JavaScript has one number type)", () => {
    expect(storedTag(Union(Int, Float).toLiteral(3))).toBe("int");
    expect(storedTag(Union(Int, Float).toLiteral(3.5))).toBe("float");
    expect(storedTag(Union(Float, Int).toLiteral(3))).toBe("float");
  });

  it("write a string as the Str variant when another variant takes it too, as flytekit 1.16.31 does", () => {
    enum Color {
      RED = "red",
      GREEN = "green",
    }
    expect(storedTag(Union(Enum(Color), Str).toLiteral("red"))).toBe("str");
    expect(storedTag(Union(Enum(Color), Str).toLiteral(Color.GREEN))).toBe("str");
    expect(storedTag(Union(Str, Enum(Color)).toLiteral("red"))).toBe("str");
    expect(storedTag(Union(Enum(Color), Int).toLiteral("red"))).toBe("DefaultEnumTransformer");
    // What comes as the enum variant (a Python enum member) still reads.
    const fromPython = Union(Enum(Color), Int).toLiteral("red");
    expect(Union(Enum(Color), Str).fromLiteral(fromPython)).toBe("red");
  });

  it("flatten nested unions and drop repeats", () => {
    const u = Union(Int, Union(Str, Float), Int) as unknown as UnionType;
    expect(u.variants.map((v) => v.name)).toEqual(["Int", "Str", "Float"]);
  });

  it("read by the stored tag, and tell same-tagged variants apart by their type", () => {
    const listOfStr = create(LiteralTypeSchema, {
      type: { case: "collectionType", value: { type: { case: "simple", value: SimpleType.STRING } } },
      structure: { tag: "Typed List" },
    });
    const lit = unionLiteral(collectionLiteral([primitiveLiteral({ case: "stringValue", value: "a" })]), listOfStr);
    expect(Union(List(Int), List(Str)).fromLiteral(lit)).toEqual(["a"]);
  });

  it("read a plain (non-union) literal with the first variant that can", () => {
    expect(Optional(Int).fromLiteral(primitiveLiteral({ case: "integer", value: 4n }))).toBe(4);
    expect(Optional(Int).fromLiteral(noneLiteral())).toBeNull();
    expect(Union(Int, Str).fromLiteral(primitiveLiteral({ case: "stringValue", value: "s" }))).toBe("s");
  });

  it("say which variants refused a value", () => {
    expect(errorOf(() => Union(Int, Str).toLiteral(true)).message).toBe(
      "value: expected Union(Int, Str), got true (boolean): no variant accepts it " +
        "(expected Int, got true (boolean); expected Str, got true (boolean))",
    );
    // With one real variant, its own error (path included) is the clearest.
    expect(errorOf(() => Optional(List(Int)).toLiteral([1, "a"])).message).toBe('[1]: expected Int, got "a" (string)');
    expect(errorOf(() => Optional(Int).toLiteral(1.5)).message).toBe("value: expected Int, got 1.5 (number)");
  });

  it("refuse a literal no variant reads", () => {
    const msg = errorOf(() => Union(Int, Bool).fromLiteral(primitiveLiteral({ case: "stringValue", value: "s" }))).message;
    expect(msg).toBe('value: expected Union(Int, Bool), got a string literal "s": no variant reads it (expected Int, got a string literal "s"; expected Bool, got a string literal "s")');
  });

  it("cannot be empty", () => {
    expect(() => Union()).toThrow("Union(): it needs at least one type");
  });
});

describe("Union's JSON form", () => {
  it("reads JSON by the first variant that reads it and accepts what it read; null is None", async () => {
    const { Datetime } = await import("./time.js");
    const u = Union(Int, Datetime, Str);
    expect(u.fromJsonValue(3)).toBe(3);
    expect((u.fromJsonValue("2024-05-01") as Date).toISOString()).toBe("2024-05-01T00:00:00.000Z");
    expect(u.fromJsonValue("hello")).toBe("hello");
    expect(Optional(Datetime).fromJsonValue(null)).toBeNull();
    expect(() => Optional(Datetime).fromJsonValue("noon")).toThrow("not an ISO 8601 date-time");
    expect(List(Optional(Datetime)).fromText('["2024-05-01", null]')).toEqual([new Date(Date.UTC(2024, 4, 1)), null]);
    expect(() => Dict(Datetime).fromText('{"a":"2024-05-01","b":"noon"}')).toThrow(/\["b"\]: expected Datetime, got "noon"/);
  });

  it("writes JSON in the form of the variant that holds the value", async () => {
    const { Duration } = await import("./time.js");
    expect(Union(Int, Duration).toJsonValue({ seconds: 2, nanos: 0 })).toBe(2);
    expect(Optional(Duration).toJsonValue(null)).toBeNull();
    expect(List(Duration).toJsonValue([{ seconds: 1, nanos: 0 }])).toEqual([1]);
    expect(Dict(Duration).toJsonValue(new Map([["a", { seconds: 3, nanos: 0 }]]))).toEqual({ a: 3 });
  });
});
