import { describe, expect, it } from "vitest";
import { collectionLiteral, mapLiteral, primitiveLiteral } from "./literals.js";
import { Float, Int, Str } from "./scalars.js";
import { Dict, List, Optional } from "./builtins.js";
import { errorOf, overTheWire, roundTrip } from "./testing.js";

describe("List", () => {
  it("round-trips arrays, empty and nested", () => {
    expect(roundTrip(List(Int), [])).toEqual([]);
    expect(roundTrip(List(Int), [1, 2, 3])).toEqual([1, 2, 3]);
    expect(roundTrip(List(List(Str)), [["a"], [], ["b", "c"]])).toEqual([["a"], [], ["b", "c"]]);
    expect(roundTrip(List(Float), [1.5, Number.NaN])).toEqual([1.5, Number.NaN]);
  });

  it("declares a collection of the element type", () => {
    expect(List(Int).literalType.type).toMatchObject({ case: "collectionType", value: { type: { case: "simple", value: 1 } } });
    expect(List(List(Str)).name).toBe("List(List(Str))");
    expect(List(Int).tag).toBe("Typed List");
  });

  it("names the element that does not fit, however deep", () => {
    expect(errorOf(() => List(Int).toLiteral([1, 2, 3, 1.5])).message).toBe("[3]: expected Int, got 1.5 (number)");
    expect(errorOf(() => List(List(Int)).toLiteral([[1], [2, "x"]])).message).toBe('[1][1]: expected Int, got "x" (string)');
    expect(errorOf(() => List(Int).toLiteral("123")).message).toBe('value: expected List(Int), got "123" (string)');
    expect(errorOf(() => List(Int).toLiteral(new Set([1]))).message).toBe("value: expected List(Int), got {} (Set)");
  });

  it("names the literal that does not fit when reading", () => {
    const lit = collectionLiteral([primitiveLiteral({ case: "integer", value: 1n }), primitiveLiteral({ case: "stringValue", value: "x" })]);
    expect(errorOf(() => List(Int).fromLiteral(lit)).message).toBe('[1]: expected Int, got a string literal "x"');
    expect(errorOf(() => List(Int).fromLiteral(primitiveLiteral({ case: "integer", value: 1n }))).message).toBe(
      "value: expected List(Int), got an integer literal 1",
    );
  });
});

describe("Dict", () => {
  it("round-trips plain objects and Maps, giving plain objects", () => {
    expect(roundTrip(Dict(Int), {})).toEqual({});
    expect(roundTrip(Dict(Int), { a: 1, b: 2 })).toEqual({ a: 1, b: 2 });
    expect(roundTrip(Dict(Int), new Map([["a", 1]]))).toEqual({ a: 1 });
    expect(roundTrip(Dict(List(Float)), { z: [1.5], a: [] })).toEqual({ z: [1.5], a: [] });
    expect(roundTrip(Dict(Str), { "héllo ✓": "🚀" })).toEqual({ "héllo ✓": "🚀" });
  });

  it("keeps a key named __proto__ as data, never as a prototype", () => {
    const input = JSON.parse('{"__proto__": 1, "a": 2}') as Record<string, number>;
    const out = roundTrip(Dict(Int), input) as Record<string, number>;
    expect(Object.getPrototypeOf(out)).toBe(Object.prototype);
    expect(Object.keys(out)).toEqual(["__proto__", "a"]);
    expect(Object.getOwnPropertyDescriptor(out, "__proto__")?.value).toBe(1);
  });

  it("names the key whose value does not fit", () => {
    expect(errorOf(() => Dict(Int).toLiteral({ a: 1, b: "2" })).message).toBe('["b"]: expected Int, got "2" (string)');
    expect(errorOf(() => Dict(Int).toLiteral(new Map([[1, 1]]))).message).toBe(
      "value: expected Dict(Int), got Map(1) (Map): its key 1 is not a string",
    );
    expect(errorOf(() => Dict(Int).toLiteral([1])).message).toBe("value: expected Dict(Int), got [1] (array)");
    const bad = mapLiteral({ k: primitiveLiteral({ case: "boolean", value: true }) });
    expect(errorOf(() => Dict(Int).fromLiteral(bad)).message).toBe('["k"]: expected Int, got a boolean literal true');
  });

  it("nests with Optional and List: Optional(List(Dict(Int)))", () => {
    const t = Optional(List(Dict(Int)));
    expect(roundTrip(t, [{ a: 1 }, {}])).toEqual([{ a: 1 }, {}]);
    expect(roundTrip(t, null)).toBeNull();
    expect(roundTrip(t, undefined)).toBeNull();
    expect(errorOf(() => t.toLiteral([{ a: 1 }, { b: 2.5 }])).message).toBe('[1]["b"]: expected Int, got 2.5 (number)');
    expect(overTheWire(t.toLiteral([])).value.case).toBe("scalar");
  });
});
