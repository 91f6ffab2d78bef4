import { describe, expect, it } from "vitest";
import { fromLiteral, fromLiteralMap, literalTypeOf, toLiteral, toLiteralMap } from "./engine.js";
import { TypeTransformerError } from "./errors.js";
import { literalMapOf } from "./literals.js";
import { Float, Int, Str } from "./scalars.js";
import { List, Optional } from "./builtins.js";
import { errorOf } from "./testing.js";

describe("the type engine over named values", () => {
  const types = { xs: List(Int), name: Str, scale: Optional(Float) };

  it("converts named values to a LiteralMap and back", () => {
    const map = toLiteralMap(types, { xs: [1, 2], name: "n", scale: 0.5 });
    expect(Object.keys(map.literals)).toEqual(["xs", "name", "scale"]);
    expect(fromLiteralMap(types, map)).toEqual({ xs: [1, 2], name: "n", scale: 0.5 });
    expect(fromLiteralMap(types, toLiteralMap(types, { xs: [], name: "" }))).toEqual({ xs: [], name: "", scale: null });
  });

  it("roots errors at the named input or output", () => {
    const e = errorOf(() => toLiteralMap(types, { xs: [1, 2, 3, 1.5], name: "n" }));
    expect(e).toBeInstanceOf(TypeTransformerError);
    expect(e.message).toBe("input 'xs'[3]: expected Int, got 1.5 (number)");
    expect((e as TypeTransformerError).segments).toEqual(["[3]"]);
    expect((e as TypeTransformerError).path).toBe("[3]");
    expect((e as TypeTransformerError).subject).toBe("input 'xs'");
    expect(errorOf(() => toLiteralMap(types, { xs: [], name: 1 as never }, "output")).message).toBe("output 'name': expected Str, got 1 (number)");
    expect(errorOf(() => toLiteralMap(types, { xs: [] })).message).toBe("input 'name': expected Str, got undefined");
    expect(errorOf(() => fromLiteralMap(types, literalMapOf({}))).message).toBe(
      "input 'xs': expected List(Int), got no literal: the map has no 'xs'",
    );
  });

  it("converts single values with an optional place name", () => {
    expect(fromLiteral(Int, toLiteral(Int, 5))).toBe(5);
    expect(errorOf(() => toLiteral(Int, "5" as never, 'input "x"')).message).toBe('input "x": expected Int, got "5" (string)');
    expect(literalTypeOf(Int)).toBe(Int.literalType);
  });
});
