import { describe, expect, it } from "vitest";
import { defineRecord, Dict, FlyteError, FlyteFile, Float, Int, Json, List, Optional, Str, StructuredDataset, Union } from "@flytekit-ts/core";
import type { AnyFlyteType } from "@flytekit-ts/core/extend";
import { encode, LiteralSchema } from "@flytekit-ts/core/idl";
import { outputsDocument, toJsonDocument } from "./json-output.js";

describe("run --json's document", () => {
  it("writes a bigint with all its digits, where JSON.stringify throws and Number rounds", () => {
    const text = toJsonDocument({ big: 2n ** 64n + 1n, list: [-(2n ** 70n)] });
    expect(text).toContain('"big": 18446744073709551617');
    expect(text).toContain("-1180591620717411303424");
    expect(JSON.parse(text)).toEqual({ big: 18446744073709551617, list: [-1180591620717411303424] });
  });

  it("leaves a string that looks like the bigint stand-in alone", () => {
    expect(JSON.parse(toJsonDocument({ s: "bigint-0", n: 1n }))).toEqual({ s: "bigint-0", n: 1 });
  });

  it("writes NaN and the infinities as strings, Dates as ISO, files and datasets as where they are", () => {
    const doc = JSON.parse(outputsDocument([
      { name: "r", type: List(Float), value: [Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, 0.5] },
      { name: "at", type: Json, value: { at: new Date(Date.UTC(2024, 4, 1)) } },
      { name: "f", type: Json, value: { f: new FlyteFile("s3://b/k.csv"), d: new StructuredDataset("s3://b/t") } },
      { name: "n", type: Int, value: 7 },
    ])) as unknown;
    expect(doc).toEqual({ r: ["NaN", "Infinity", "-Infinity", 0.5], at: { at: "2024-05-01T00:00:00.000Z" }, f: { f: "s3://b/k.csv", d: "s3://b/t" }, n: 7 });
  });

  it("writes a Map of string keys as an object; keeps a __proto__ key", () => {
    expect(JSON.parse(toJsonDocument(new Map([["a", 1]])))).toEqual({ a: 1 });
    const parsed = JSON.parse(toJsonDocument(JSON.parse('{"__proto__": {"x": 1}}'))) as Record<string, unknown>;
    expect(Object.keys(parsed)).toEqual(["__proto__"]);
  });
});

class Reading {
  y!: number;
  label!: string;
}
const reading = defineRecord(Reading, { y: { type: Float, name: "y_val" }, label: Str });

/** The text `run --json` prints for one output, as a user copies it into that output type's flag. */
function printedFlag(type: AnyFlyteType, value: unknown): string {
  const doc = outputsDocument([{ name: "o0", type, value }]);
  return doc.slice(doc.indexOf(":") + 1, doc.lastIndexOf("}"));
}

/** A literal's bytes: two values are the same value when their literals are. */
const bytesOf = (type: AnyFlyteType, value: unknown) => Buffer.from(encode(LiteralSchema, type.toLiteral(value))).toString("hex");

describe("run --json's document read back as flags", () => {
  // A JSON flag's text (lists, dicts, records, unions, Json); a Float or Int flag alone is plain text (`--r nan`).
  it("gives every value back: NaN and the infinities, integers past 2^53 in lists, dicts and records, Json's dicts of any keys", () => {
    const cases: [AnyFlyteType, unknown][] = [
      [List(Float), [Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, 0.5, 1e300, 2 ** 60]],
      [Dict(Optional(Float)), { a: Number.NaN, b: null }],
      [Union(Float, Str), Number.NEGATIVE_INFINITY],
      [reading, Object.assign(new Reading(), { y: Number.NaN, label: "probe" })],
      [List(Int), [9007199254740993n, -9007199254740993n, 2n ** 63n - 1n, -(2n ** 63n), 7]],
      [Dict(List(Int)), { a: [2n ** 60n + 1n] }],
      [Json, { big: 2n ** 64n - 1n, small: -5, nested: { list: [1.5, "x", null, true] } }],
      [Json, new Map<unknown, unknown>([[1, "a"], [2n ** 60n + 1n, { b: [1] }], [true, null], [null, 0], [1.5, "f"]])],
      [Json, new Map([["a", 1]])],
    ];
    for (const [type, value] of cases) {
      const text = printedFlag(type, value);
      expect(bytesOf(type, type.fromText(text)), `${type.name}: ${text}`).toBe(bytesOf(type, value));
    }
  });

  it("refuses to print, naming the output and the place, what would read back as another value", () => {
    const refusal = (type: AnyFlyteType, value: unknown) => {
      try {
        outputsDocument([{ name: "o0", type, value }]);
      } catch (e) {
        expect(e).toBeInstanceOf(FlyteError);
        return (e as Error).message;
      }
      return "printed";
    };
    expect(refusal(Json, { m: new Map([[1, "a"]]) })).toBe(
      `output 'o0'["m"]: expected a value JSON holds so that it reads back, got a Map of 1 entries: JSON's keys are strings, and below the top of a Json an array of [key, value] pairs would read back as a list; run without --json to see it printed`,
    );
    expect(refusal(Json, { b: [new Uint8Array([1, 2])] })).toBe(
      `output 'o0'["b"][0]: expected a value JSON holds so that it reads back, got 2 bytes: bytes have no JSON form (Python's json refuses them too); run without --json to see it printed`,
    );
    expect(refusal(Json, new Map([[new Uint8Array([1]), 1]]))).toMatch(/^output 'o0'\[0\]\[0\]: .*got 1 bytes: bytes have no JSON form/);
    expect(refusal(List(Json), [{ x: Number.NaN }])).toMatch(/^output 'o0'\[0\]\["x"\]: expected a value JSON holds so that it reads back, got NaN: JSON has no number for it/);
    let deep: unknown = 1;
    // With the object that holds it, 256 levels: the most the MessagePack reader takes.
    for (let i = 0; i < 255; i++) deep = [deep];
    expect(refusal(Json, { deep })).toBe("printed");
    expect(refusal(Json, { deep: [deep] })).toMatch(/: it nests deeper than 256 levels, the most flytekit-ts reads; run without --json/);
  });
});
