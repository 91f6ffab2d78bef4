import { describe, expect, it } from "vitest";
import { FlyteFile, Float, Int, Json, List, StructuredDataset } from "@flytekit-ts/core";
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

  it("writes a Map as an object when its keys are strings, else as [key, value] pairs; keeps a __proto__ key", () => {
    expect(JSON.parse(toJsonDocument(new Map([["a", 1]])))).toEqual({ a: 1 });
    expect(JSON.parse(toJsonDocument(new Map<unknown, unknown>([[1, "a"], [2n, "b"]])))).toEqual([[1, "a"], [2, "b"]]);
    const parsed = JSON.parse(toJsonDocument(JSON.parse('{"__proto__": {"x": 1}}'))) as Record<string, unknown>;
    expect(Object.keys(parsed)).toEqual(["__proto__"]);
  });
});
