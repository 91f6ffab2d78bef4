import "reflect-metadata";
import { describe, expect, it } from "vitest";
import { field } from "./field.js";
import { recordType, typeOf } from "@flytekit-ts/core/internal";
import { Bool, Datetime, File, Float, FlyteFile, Int, List, Str } from "@flytekit-ts/core";

class Point {
  @field(Int) x!: number | bigint;
  @field() y!: number;
}

class Sample {
  @field() name!: string;
  @field() ok!: boolean;
  @field() when!: Date;
  @field() ratio!: number;
  @field() origin!: Point;
  @field() file!: FlyteFile;
  @field(List(Int)) counts: (number | bigint)[] = [];
}

describe("@field", () => {
  it("infers field types from TypeScript's metadata and keeps declaration order", () => {
    const t = recordType(Sample);
    expect(t.fields.map((f) => [f.name, f.type])).toEqual([
      ["name", Str],
      ["ok", Bool],
      ["when", Datetime],
      ["ratio", Float],
      ["origin", typeOf(Point)],
      ["file", File],
      ["counts", t.fields[6]!.type],
    ]);
    expect(t.fields[6]!.type.name).toBe("List(Int)");
  });

  it("makes the class a record that round-trips to an instance", () => {
    const p = Object.assign(new Point(), { x: 1, y: 2.5 });
    const back = typeOf(Point).fromLiteral(typeOf(Point).toLiteral(p));
    expect(back).toBeInstanceOf(Point);
    expect(back).toEqual(p);
  });

  it("names a field otherwise in Flyte with { name }, its type reflected or given", () => {
    class Keyed {
      @field({ name: "by_key" }) byKey!: string;
      @field({ name: "count_all", type: Int }) countAll = 0;
      @field() plain!: boolean;
    }
    const t = recordType(Keyed);
    expect(t.fields.map((f) => [f.name, f.property, f.type])).toEqual([
      ["by_key", "byKey", Str],
      ["count_all", "countAll", Int],
      ["plain", "plain", Bool],
    ]);
    expect(Object.keys((t.jsonSchema() as { properties: object }).properties)).toEqual(["by_key", "count_all", "plain"]);
    const back = t.fromLiteral(t.toLiteral(Object.assign(new Keyed(), { byKey: "k", countAll: 2, plain: true })));
    expect(back).toEqual(Object.assign(new Keyed(), { byKey: "k", countAll: 2, plain: true }));
  });

  it("refuses erased types with the class, field and fix where the class is used (a manifest may type them first)", () => {
    class Bad {
      @field() xs: number[] = [];
    }
    const message =
      "record class Bad, field 'xs': TypeScript reflects this type as Array, which does not say what the array holds " +
      "(arrays lose their element type at run time); declare it explicitly: @field(List(Int)) (the token for what the array holds); " +
      "or build with `flytekit-ts build` (types from TypeScript)";
    expect(() => recordType(Bad)).toThrow(message);
    // Every use fails alike.
    expect(() => typeOf(Bad)).toThrow(message);
    class BadMap {
      @field() m = new Map<string, number>();
    }
    expect(() => recordType(BadMap)).toThrow(/reflects this type as Object.*annotate the field/);
    class BadUnion {
      @field() u!: string | number;
    }
    expect(() => recordType(BadUnion)).toThrow(/^record class BadUnion, field 'u': TypeScript reflects this type as Object/);
  });

  it("refuses static and symbol-named fields", () => {
    const sym = Symbol("s");
    expect(() => field()(Point.prototype, sym)).toThrow("@field() on Point.Symbol(s): record fields need string names");
    expect(() => field()(Point, "count")).toThrow("@field() on static Point.count: record fields are instance fields");
  });

  it("says when there is no metadata at all (a toolchain that drops it)", () => {
    class NoMeta {}
    field()(NoMeta.prototype, "x");
    expect(() => recordType(NoMeta)).toThrow(/^record class NoMeta, field 'x': no type metadata .*\(tsx, esbuild and Vite 7 drop it.*; or build with `flytekit-ts build`/);
  });
});
