import { describe, expect, it } from "vitest";
import { Json } from "./json.js";
import { binaryLiteral, genericLiteral } from "./literals.js";
import { errorOf, roundTrip } from "./testing.js";

function msgpackHex(value: unknown): string {
  const v = Json.toLiteral(value).value;
  if (v.case !== "scalar" || v.value.value.case !== "binary") throw new Error("not binary");
  expect(v.value.value.value.tag).toBe("msgpack");
  return Buffer.from(v.value.value.value.value).toString("hex");
}

describe("Json (flytekit's untyped dict)", () => {
  it("declares STRUCT with the msgpack annotation", () => {
    expect(Json.literalType.type).toEqual({ case: "simple", value: 9 });
    expect(Json.literalType.annotation?.annotations).toEqual({ "cache-key-metadata": { "serialization-format": "msgpack" } });
  });

  it("round-trips JSON-like values, bigints and bytes included", () => {
    const value = { a: 1, b: [1, 2.5, "x", true, null], c: { d: null, e: {} }, big: 2n ** 62n, u: "héllo", bytes: new Uint8Array([1, 2]) };
    expect(roundTrip(Json, value)).toEqual(value);
    expect(roundTrip(Json, {})).toEqual({});
  });

  it("gives integers that fit a number as numbers", () => {
    expect(roundTrip(Json, { n: 2 ** 40, m: 5n })).toEqual({ n: 2 ** 40, m: 5 });
  });

  it("leaves out properties whose value is undefined, as JSON does", () => {
    expect(roundTrip(Json, { a: 1, b: undefined })).toEqual({ a: 1 });
    expect(msgpackHex({ a: 1, b: undefined })).toBe("81a16101");
  });

  it("writes whole numbers as integers (JavaScript cannot tell 2 from 2.0) and others as float64", () => {
    expect(msgpackHex({ x: 2, y: 2.5 })).toBe("82a17802a179cb4004000000000000");
  });

  it("reads a dict whose keys are not all strings as a Map, and writes it back as Python wrote it", () => {
    // The bytes Python's flytekit 1.16 writes for {1: "a"}, {1.5: "x", True: "b", None: "n"}, {"a": {2: [1, {3: "c"}]}}.
    const cases: [string, unknown][] = [
      ["8101a161", new Map([[1, "a"]])],
      ["83cb3ff8000000000000a178c3a162c0a16e", new Map<unknown, unknown>([[1.5, "x"], [true, "b"], [null, "n"]])],
      ["81a16181029201810" + "3a163", { a: new Map<unknown, unknown>([[2, [1, new Map([[3, "c"]])]]]) }],
      ["8201a161a131a162", new Map<unknown, unknown>([[1, "a"], ["1", "b"]])],
    ];
    for (const [hex, value] of cases) {
      const read = Json.fromLiteral(binaryLiteral(Buffer.from(hex, "hex"), "msgpack"));
      expect(read, hex).toEqual(value);
      expect(msgpackHex(read), hex).toBe(hex);
    }
    expect(roundTrip(Json, new Map([[2n ** 63n - 1n, "big"]]))).toEqual(new Map([[2n ** 63n - 1n, "big"]]));
    expect(roundTrip(Json, { m: new Map([[new Uint8Array([1]), 1]]) })).toEqual({ m: new Map([[new Uint8Array([1]), 1]]) });
  });

  it("writes a Map of string keys as it writes a plain object, as flytekit writes a dict", () => {
    expect(msgpackHex(new Map([["a", 1], ["b", 2]]))).toBe(msgpackHex({ a: 1, b: 2 }));
    expect(roundTrip(Json, new Map([["a", 1]]))).toEqual({ a: 1 });
    expect(errorOf(() => Json.toLiteral(new Map([[{}, 1]]))).message).toMatch(/^\[\[object Object\]\]: expected Json, got \{\} \(object\): a Map's keys are strings, numbers, bigints, booleans, null or bytes/);
  });

  it("keeps a __proto__ key, both ways, as an own property", () => {
    const value = JSON.parse('{"__proto__": {"polluted": 1}, "a": 2}') as Record<string, unknown>;
    expect(msgpackHex(value)).toBe("82a95f5f70726f746f5f5f81a8706f6c6c757465640" + "1a16102");
    const back = roundTrip(Json, value) as Record<string, unknown>;
    expect(Object.getPrototypeOf(back)).toBe(Object.prototype);
    expect(Object.keys(back)).toEqual(["__proto__", "a"]);
    expect(back.__proto__).toEqual({ polluted: 1 });
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it("reads the protobuf Struct form older flytekit versions write", () => {
    expect(Json.fromLiteral(genericLiteral({ a: 1, b: ["x"] }))).toEqual({ a: 1, b: ["x"] });
  });

  it("names the place of a value JSON cannot hold", () => {
    expect(errorOf(() => Json.toLiteral({ a: [1, new Date(0)] })).message).toBe(
      '["a"][1]: expected Json, got 1970-01-01T00:00:00.000Z (Date): Json holds null, booleans, numbers, bigints, strings, bytes, arrays, plain objects and Maps',
    );
    expect(errorOf(() => Json.toLiteral([1])).message).toBe("value: expected Json, got [1] (array): Json is a plain object (or a Map) at the top");
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    expect(errorOf(() => Json.toLiteral(cyclic)).message).toMatch(/nested deeper than 256 levels \(a cycle\?\)/);
    expect(errorOf(() => Json.fromLiteral(binaryLiteral(new Uint8Array([0x01]), "msgpack"))).message).toBe(
      "value: expected Json, got 1 (number): in MessagePack data",
    );
  });
});
