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

  it("reads the protobuf Struct form older flytekit versions write", () => {
    expect(Json.fromLiteral(genericLiteral({ a: 1, b: ["x"] }))).toEqual({ a: 1, b: ["x"] });
  });

  it("names the place of a value JSON cannot hold", () => {
    expect(errorOf(() => Json.toLiteral({ a: [1, new Date(0)] })).message).toBe(
      '["a"][1]: expected Json, got 1970-01-01T00:00:00.000Z (Date): Json holds null, booleans, numbers, bigints, strings, bytes, arrays and plain objects',
    );
    expect(errorOf(() => Json.toLiteral([1])).message).toBe("value: expected Json, got [1] (array): Json is a plain object at the top");
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    expect(errorOf(() => Json.toLiteral(cyclic)).message).toMatch(/nested deeper than 256 levels \(a cycle\?\)/);
    expect(errorOf(() => Json.fromLiteral(binaryLiteral(new Uint8Array([0x01]), "msgpack"))).message).toBe(
      "value: expected Json, got 1 (number): in MessagePack data",
    );
  });
});
