import { describe, expect, it } from "vitest";
import { binaryLiteral, primitiveLiteral, noneLiteral } from "./literals.js";
import { MsgpackWriter } from "./msgpack.js";
import { Bool, Float, Int, None, Str } from "./scalars.js";
import { TypeTransformerError } from "./errors.js";
import { errorOf, roundTrip } from "./testing.js";

describe("Int", () => {
  it("round-trips safe integers as numbers and larger ones as bigints", () => {
    for (const v of [0, 42, -7, Number.MAX_SAFE_INTEGER, Number.MIN_SAFE_INTEGER]) expect(roundTrip(Int, v)).toBe(v);
    expect(roundTrip(Int, 2n ** 53n + 1n)).toBe(2n ** 53n + 1n);
    expect(roundTrip(Int, 2n ** 63n - 1n)).toBe(2n ** 63n - 1n);
    expect(roundTrip(Int, -(2n ** 63n))).toBe(-(2n ** 63n));
    // A bigint that fits a number comes back as a number.
    expect(roundTrip(Int, 12n)).toBe(12);
  });

  it("writes the integer oneof, zero included", () => {
    expect(Int.toLiteral(0)).toStrictEqual(primitiveLiteral({ case: "integer", value: 0n }));
  });

  it("rejects what is not an int64, saying what came", () => {
    const cases: [unknown, string][] = [
      [1.5, "value: expected Int, got 1.5 (number)"],
      [Number.NaN, "value: expected Int, got NaN (number)"],
      [Number.POSITIVE_INFINITY, "value: expected Int, got Infinity (number)"],
      [2 ** 53, "value: expected Int, got 9007199254740992 (number): past Number.MAX_SAFE_INTEGER a number cannot hold every integer exactly; pass a bigint"],
      [2n ** 63n, "value: expected Int, got 9223372036854775808n (bigint): outside the int64 range"],
      ["1", 'value: expected Int, got "1" (string)'],
      [true, "value: expected Int, got true (boolean)"],
      [null, "value: expected Int, got null"],
      [undefined, "value: expected Int, got undefined"],
    ];
    for (const [value, message] of cases) {
      const e = errorOf(() => Int.toLiteral(value));
      expect(e).toBeInstanceOf(TypeTransformerError);
      expect(e.message).toBe(message);
    }
  });

  it("reads whole floats (Flyte's console sends them) but not fractions or other kinds", () => {
    expect(Int.fromLiteral(primitiveLiteral({ case: "floatValue", value: 3 }))).toBe(3);
    expect(errorOf(() => Int.fromLiteral(primitiveLiteral({ case: "floatValue", value: 3.5 }))).message).toBe(
      "value: expected Int, got a float literal 3.5",
    );
    expect(errorOf(() => Int.fromLiteral(primitiveLiteral({ case: "stringValue", value: "x" }))).message).toBe(
      'value: expected Int, got a string literal "x"',
    );
  });

  it("reads a MessagePack scalar, as flytekit passes a dataclass attribute", () => {
    const w = new MsgpackWriter();
    w.int(5);
    expect(Int.fromLiteral(binaryLiteral(w.finish(), "msgpack"))).toBe(5);
    expect(() => Int.fromLiteral(binaryLiteral(new Uint8Array([5]), "pickle"))).toThrow(/got a binary literal \(tag "pickle"\)/);
  });
});

describe("Float", () => {
  it("round-trips every double, NaN and infinities included", () => {
    for (const v of [0, 1.5, -2.25, Number.MAX_VALUE, Number.MIN_VALUE, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY]) {
      expect(roundTrip(Float, v)).toBe(v);
    }
    expect(roundTrip(Float, Number.NaN)).toBeNaN();
    expect(Object.is(roundTrip(Float, -0), -0)).toBe(true);
  });

  it("reads an integer literal as a float, as flytekit does", () => {
    expect(Float.fromLiteral(primitiveLiteral({ case: "integer", value: 3n }))).toBe(3);
  });

  it("rejects what is not a number", () => {
    expect(errorOf(() => Float.toLiteral("1.5")).message).toBe('value: expected Float, got "1.5" (string)');
    expect(errorOf(() => Float.toLiteral(1n)).message).toBe("value: expected Float, got 1n (bigint)");
    expect(errorOf(() => Float.toLiteral(null)).message).toBe("value: expected Float, got null");
  });
});

describe("Str and Bool", () => {
  it("round-trip strings, empty and non-ASCII included", () => {
    for (const v of ["", "héllo ✓ 🚀", "a\u0000b", "x".repeat(10_000)]) expect(roundTrip(Str, v)).toBe(v);
  });

  it("round-trip booleans", () => {
    expect(roundTrip(Bool, true)).toBe(true);
    expect(roundTrip(Bool, false)).toBe(false);
  });

  it("reject other kinds: a number is not a Bool, nor a Bool a string", () => {
    expect(errorOf(() => Bool.toLiteral(1)).message).toBe("value: expected Bool, got 1 (number)");
    expect(errorOf(() => Bool.toLiteral("true")).message).toBe('value: expected Bool, got "true" (string)');
    expect(errorOf(() => Str.toLiteral(1)).message).toBe("value: expected Str, got 1 (number)");
    expect(errorOf(() => Str.fromLiteral(primitiveLiteral({ case: "boolean", value: true }))).message).toBe(
      "value: expected Str, got a boolean literal true",
    );
  });
});

describe("None", () => {
  it("writes null and undefined as the none literal and reads it as null", () => {
    expect(None.toLiteral(null)).toStrictEqual(noneLiteral());
    expect(None.toLiteral(undefined)).toStrictEqual(noneLiteral());
    expect(roundTrip(None, null)).toBeNull();
  });

  it("rejects values", () => {
    expect(errorOf(() => None.toLiteral(0)).message).toBe("value: expected None, got 0 (number)");
    expect(errorOf(() => None.fromLiteral(primitiveLiteral({ case: "integer", value: 0n }))).message).toBe(
      "value: expected None, got an integer literal 0",
    );
  });
});

describe("literal types and tags", () => {
  it("are the simple types with flytekit's transformer names as tags", () => {
    expect([Int, Float, Str, Bool, None].map((t) => [t.literalType.type, t.tag])).toEqual([
      [{ case: "simple", value: 1 }, "int"],
      [{ case: "simple", value: 2 }, "float"],
      [{ case: "simple", value: 3 }, "str"],
      [{ case: "simple", value: 4 }, "bool"],
      [{ case: "simple", value: 0 }, "none"],
    ]);
  });
});
