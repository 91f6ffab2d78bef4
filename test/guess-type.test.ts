// Types guessed from LiteralTypes alone (what a task known only by its template has): for every
// LiteralType Python flytekit wrote in the golden vectors, the guessed token declares the same
// LiteralType, reads flytekit's literal, and writes it back as the same literal.
import { equals, fromBinary, toBinary, toJson } from "@bufbuild/protobuf";
import { LiteralSchema, LiteralTypeSchema, SimpleType } from "@flytekit-ts/core/idl";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { guessType } from "@flytekit-ts/core/internal";
import { Int, Schema, Str } from "@flytekit-ts/core";

const dirs = ["golden/literals", "golden/literals_extra"].map((d) => join(import.meta.dirname, d));
const cases = dirs.flatMap((dir) =>
  readdirSync(dir)
    .filter((f) => f.endsWith(".type.pb"))
    .map((f) => ({ dir, name: f.replace(/\.type\.pb$/, "") })),
);

describe("guessType", () => {
  it("has golden types to check", () => {
    expect(cases.length).toBeGreaterThan(15);
  });

  for (const { dir, name } of cases) {
    it(`${name}: the same LiteralType, and flytekit's literal read and written back unchanged`, () => {
      const lt = fromBinary(LiteralTypeSchema, readFileSync(join(dir, `${name}.type.pb`)));
      const type = guessType(lt, name);
      // The token declares the LiteralType it was made from...
      expect(type.literalType).toBe(lt);
      // ...and the type guessed behind it would declare the same by itself (fields, defaults, variants, formats).
      const guessed = Object.getPrototypeOf(type) as typeof type;
      if (!equals(LiteralTypeSchema, guessed.literalType, lt)) expect(toJson(LiteralTypeSchema, guessed.literalType)).toEqual(toJson(LiteralTypeSchema, lt));
      const literalFile = join(dir, `${name}.literal.pb`);
      if (!existsSync(literalFile)) return;
      const literal = fromBinary(LiteralSchema, readFileSync(literalFile));
      const value = type.fromLiteral(literal);
      // By bytes: NaN is not equal to itself.
      expect(Buffer.from(toBinary(LiteralSchema, type.toLiteral(value))).equals(Buffer.from(toBinary(LiteralSchema, literal)))).toBe(true);
    });
  }

  it("gives records a class named after the schema, with their fields", () => {
    const lt = fromBinary(LiteralTypeSchema, readFileSync(join(dirs[0]!, "dataclass_point.type.pb")));
    const literal = fromBinary(LiteralSchema, readFileSync(join(dirs[0]!, "dataclass_point.literal.pb")));
    const value = guessType(lt).fromLiteral(literal) as object;
    expect(value.constructor.name).toBe("Point");
    expect({ ...value }).toEqual({ x: 1, y: 2.5 });
  });

  it("reads a schema type, and names what it cannot read", () => {
    const schema = Schema.withColumns({ id: Int, name: Str });
    expect(Object.getPrototypeOf(guessType(schema.literalType)).name).toBe("Schema(id: Int, name: Str)");
    expect(() => guessType(fromBinary(LiteralTypeSchema, new Uint8Array()), "input 'x'")).toThrow("input 'x': flytekit-ts cannot read a missing LiteralType");
    const binary = { $typeName: "flyteidl.core.LiteralType", type: { case: "simple", value: SimpleType.BINARY } } as never;
    expect(() => guessType(binary, "output 'o'")).toThrow("output 'o': flytekit-ts cannot read the simple type BINARY");
  });
});
