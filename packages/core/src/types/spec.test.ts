import { describe, expect, expectTypeOf, it } from "vitest";
import { Directory, File, FlyteDirectory, FlyteFile } from "./blob.js";
import { FlyteTypeError } from "./errors.js";
import { defineRecord } from "./record.js";
import { Bool, Float, Int, None, Str } from "./scalars.js";
import { Dict, Enum, List, Optional, Union } from "./builtins.js";
import { reflectedType, typeOf } from "./spec.js";
import { Dataset, StructuredDataset } from "./structured.js";
import { Datetime, Duration, type DurationValue } from "./time.js";
import type { InputOf, NativeOf } from "./type.js";

class Point {
  x = 0;
}
defineRecord(Point, { x: Int });

enum Color {
  RED = "red",
}

describe("typeOf", () => {
  it("maps builtin constructors to their tokens", () => {
    expect(typeOf(Number)).toBe(Float);
    expect(typeOf(String)).toBe(Str);
    expect(typeOf(Boolean)).toBe(Bool);
    expect(typeOf(Date)).toBe(Datetime);
    expect(typeOf(BigInt)).toBe(Int);
    expect(typeOf(FlyteFile)).toBe(File);
    expect(typeOf(FlyteDirectory)).toBe(Directory);
    expect(typeOf(StructuredDataset)).toBe(Dataset);
  });

  it("returns tokens as they are, resolves record classes and thunks", () => {
    expect(typeOf(Int)).toBe(Int);
    expect(typeOf(Point).name).toBe("Point");
    expect(typeOf(() => Point)).toBe(typeOf(Point));
    expect(typeOf(() => List(Int)).name).toBe("List(Int)");
  });

  it("refuses constructors that erased their type, naming the fix", () => {
    expect(() => typeOf(Array as never, 'input "xs"')).toThrow(
      'input "xs": Array does not say which Flyte type it holds; write List(Int), List(Str), ...',
    );
    expect(() => typeOf(Object as never)).toThrow(
      "type: Object does not say which Flyte type it holds; write a token such as Json, Dict(Int) or Union(Int, Str), or a record class",
    );
    expect(() => typeOf(Promise as never)).toThrow(FlyteTypeError);
    expect(() => typeOf(Map as never)).toThrow(/write Dict\(Int\)/);
  });
});

describe("reflectedType", () => {
  it("infers from reflect-metadata constructors", () => {
    expect(reflectedType(Number, "p", "fix")).toBe(Float);
    expect(reflectedType(Point, "p", "fix").name).toBe("Point");
  });

  it("refuses erased types with the place, what was reflected and the fix", () => {
    expect(() => reflectedType(Array, 'Pipelines.add, parameter 0 "xs"', "inputs: { xs: List(Int) }")).toThrow(
      'Pipelines.add, parameter 0 "xs": TypeScript reflects this type as Array, which does not say what the array holds ' +
        "(arrays lose their element type at run time); declare it explicitly: inputs: { xs: List(Int) }",
    );
    for (const erased of [Object, Promise, Map]) expect(() => reflectedType(erased, "p", "fix")).toThrow(/TypeScript reflects this type as/);
  });

  it("says that missing metadata likely means a toolchain that drops it", () => {
    expect(() => reflectedType(undefined, "p", "fix")).toThrow(/tsx, esbuild and Vite 7 drop it/);
  });
});

describe("native types, as TypeScript sees them", () => {
  it("follow the tokens", () => {
    expectTypeOf<NativeOf<typeof Int>>().toEqualTypeOf<number | bigint>();
    expectTypeOf<NativeOf<typeof Float>>().toEqualTypeOf<number>();
    expectTypeOf<NativeOf<NumberConstructor>>().toEqualTypeOf<number>();
    expectTypeOf<NativeOf<typeof Point>>().toEqualTypeOf<Point>();
    expectTypeOf<NativeOf<() => typeof Point>>().toEqualTypeOf<Point>();
    expectTypeOf<NativeOf<ReturnType<typeof List<typeof Str>>>>().toEqualTypeOf<string[]>();
    expectTypeOf(List(Int).fromLiteral).returns.toEqualTypeOf<(number | bigint)[]>();
    expectTypeOf(Dict(Bool).fromLiteral).returns.toEqualTypeOf<{ [key: string]: boolean }>();
    expectTypeOf(Optional(Str).fromLiteral).returns.toEqualTypeOf<string | null>();
    expectTypeOf(Union(Int, Str).fromLiteral).returns.toEqualTypeOf<number | bigint | string>();
    expectTypeOf(Enum(Color).fromLiteral).returns.toEqualTypeOf<Color>();
    expectTypeOf(Duration.fromLiteral).returns.toEqualTypeOf<DurationValue>();
    expectTypeOf(None.fromLiteral).returns.toEqualTypeOf<null>();
    expectTypeOf<InputOf<ReturnType<typeof Dict<typeof Int>>>>().toEqualTypeOf<
      { readonly [key: string]: number | bigint } | ReadonlyMap<string, number | bigint>
    >();
  });
});
