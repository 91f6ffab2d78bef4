import { describe, expect, it } from "vitest";
import { JsonSyntaxError, parseJsonText } from "./json-text.js";

describe("parseJsonText (a flag's JSON)", () => {
  it("keeps every digit of an integer past 2^53, where JSON.parse rounds it", () => {
    expect(JSON.parse("[9007199254740993]")).toEqual([9007199254740992]);
    expect(parseJsonText("[9007199254740993, -9007199254740993, 9223372036854775807]")).toEqual([9007199254740993n, -9007199254740993n, 2n ** 63n - 1n]);
    expect(parseJsonText('{"n": 18446744073709551617}')).toEqual({ n: 2n ** 64n + 1n });
    // Safe integers stay numbers; a fraction or an exponent makes a float, as in Python's json.
    expect(parseJsonText("[9007199254740991, 1e20, 9007199254740993.0, -0]")).toEqual([9007199254740991, 1e20, 9007199254740993.0, -0]);
    expect(Object.is((parseJsonText("[-0]") as number[])[0], -0)).toBe(true);
  });

  it("reads everything else as JSON.parse does", () => {
    const texts = [
      "0",
      " 12.5e-3 ",
      '"plain"',
      '"esc \\" \\\\ \\/ \\b \\f \\n \\r \\t \\u00e9 \\ud83d\\ude80 \\ud800"',
      "true",
      "false",
      "null",
      "[]",
      "{}",
      '\n\t{ "a" : [ 1 , { "b" : null } ] , "c" : "d" }\r\n',
      '{"a": 1, "a": 2, "b": 3}',
      '[[[[["deep"]]]]]',
      '{"é🚀": ["€"]}',
    ];
    for (const text of texts) expect(parseJsonText(text), text).toEqual(JSON.parse(text));
    const repeated = parseJsonText('{"a": 1, "b": 2, "a": 3}') as object;
    expect(Object.entries(repeated)).toEqual(Object.entries(JSON.parse('{"a": 1, "b": 2, "a": 3}') as object));
    const proto = parseJsonText('{"__proto__": {"x": 1}}') as object;
    expect(Object.getPrototypeOf(proto)).toBe(Object.prototype);
    expect(Object.keys(proto)).toEqual(["__proto__"]);
  });

  it("refuses what JSON.parse refuses, saying where", () => {
    const bad = ["", " ", "[1,", "[1,]", "{,}", '{"a" 1}', '{"a": 1,}', "{a: 1}", "01", "1.", ".5", "+1", "-", "1e", "NaN", "Infinity", "tru", "nul", '"open', '"a\\x"', '"tab\there"', "[1] 2", "'single'", "[1 2]", '{"a": 1 "b": 2}', "\u00a01"];
    for (const text of bad) {
      expect(() => JSON.parse(text), text).toThrow(SyntaxError);
      expect(() => parseJsonText(text), text).toThrow(JsonSyntaxError);
    }
    expect(() => parseJsonText("[1,")).toThrow(/^unexpected end of JSON input$/);
    expect(() => parseJsonText("{a: 1}")).toThrow(/^unexpected "a" at position 1$/);
    expect(() => parseJsonText('"a\\x"')).toThrow(/^unexpected "x" at position 3$/);
  });

  it("refuses a text nested deeper than 256 levels rather than overflowing the stack", () => {
    expect(parseJsonText("[".repeat(256) + "]".repeat(256))).toBeInstanceOf(Array);
    expect(() => parseJsonText("[".repeat(257) + "]".repeat(257))).toThrow(/nests deeper than 256 levels/);
    expect(() => parseJsonText("[".repeat(100_000))).toThrow(JsonSyntaxError);
  });
});
