import { describe, expect, it } from "vitest";
import { describeValue } from "./describe.js";

describe("describeValue", () => {
  class Point {
    x = 1;
  }

  it("shows the value and its kind", () => {
    expect(describeValue("hello")).toBe('"hello" (string)');
    expect(describeValue(1.5)).toBe("1.5 (number)");
    expect(describeValue(Number.NaN)).toBe("NaN (number)");
    expect(describeValue(12n)).toBe("12n (bigint)");
    expect(describeValue(true)).toBe("true (boolean)");
    expect(describeValue(null)).toBe("null");
    expect(describeValue(undefined)).toBe("undefined");
    expect(describeValue([1, 2])).toBe("[1,2] (array)");
    expect(describeValue({ a: 1n })).toBe('{"a":"1n"} (object)');
    expect(describeValue(new Point())).toBe('{"x":1} (Point)');
    expect(describeValue(new Date(0))).toBe("1970-01-01T00:00:00.000Z (Date)");
    expect(describeValue(new Date(Number.NaN))).toBe("Invalid Date (Date)");
    expect(describeValue(new Map([["a", 1]]))).toBe("Map(1) (Map)");
    expect(describeValue(function named() {})).toBe("function named (function)");
  });

  it("shortens long values", () => {
    const s = describeValue("x".repeat(200));
    expect(s.length).toBeLessThan(80);
    expect(s.endsWith("… (string)")).toBe(true);
  });

  it("survives values JSON cannot print", () => {
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    expect(describeValue(cyclic)).toBe("[object Object] (object)");
  });
});
