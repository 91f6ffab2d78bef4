// A task's interface read from TypeScript's own types: each mapping rule and each diagnostic, on
// small projects of their own, with the pinned TypeScript 6.0.3 and with 5.9.3 (the repository's
// devDependency), which must give the same results.
import { describe, expect, it } from "vitest";
import { pinnedTypeScript, type TypeScriptApi } from "../loader/pinned-typescript.js";
import { ANALYSIS_CODES, type ModuleAnalysis } from "./analyse.js";
import type { ManifestDiagnostic, ManifestRecord, ManifestTask, ManifestType, ManifestVariable } from "./manifest.js";
import { analyseFixture, INT_IMPORT, typescript59 } from "./testing.js";

const HEADER = `import { task, eager, echo, referenceTask, field } from "@flytekit-ts/decorators";
import { FlyteFile, FlyteDirectory, StructuredDataset, TaskEnvironment, Json } from "@flytekit-ts/core";
${INT_IMPORT}
`;

const COMPILERS: [string, () => TypeScriptApi][] = [
  ["TypeScript 6.0.3 (pinned)", pinnedTypeScript],
  ["TypeScript 5.9.3", typescript59],
];

interface Options {
  compilerOptions?: Record<string, unknown>;
  ts?: TypeScriptApi;
}

/** The analysis of one module `src/m.ts` made of the header and `body`. */
function moduleOf(body: string, options: Options = {}, files: Record<string, string> = {}): ModuleAnalysis {
  return analyseFixture({ "src/m.ts": HEADER + body, ...files }, options).module("src/m.ts");
}

/** The task `T.t` of a module declaring `extra`, then `class T { @task static t(<params>): <returns> {...} }`. */
function taskOf(params: string, returns = "void", extra = "", options: Options = {}): { task: ManifestTask; module: ModuleAnalysis } {
  const body = `${extra}\nexport class T {\n  @task static t(${params}): ${returns} { return undefined as never; }\n}\n`;
  const module = moduleOf(body, options);
  return { task: module.tasks["T.t"] as ManifestTask, module };
}

function inputOf(type: string, extra = "", options: Options = {}): ManifestType | undefined {
  const { task } = taskOf(`x: ${type}`, "void", extra, options);
  expect(task.errors ?? []).toEqual([]);
  return task.inputs.x;
}

function errorsOf(params: string, returns = "void", extra = "", options: Options = {}): readonly ManifestDiagnostic[] {
  return taskOf(params, returns, extra, options).task.errors ?? [];
}

describe.each(COMPILERS)("the mapping rules, with %s", (_, compiler) => {
  const ts = compiler();
  const input = (type: string, extra = "", options: Options = {}) => inputOf(type, extra, { ts, ...options });
  const outputs = (returns: string, extra = "") => {
    const { task } = taskOf("", returns, extra, { ts });
    expect(task.errors ?? []).toEqual([]);
    return task.outputs;
  };

  it("reads the scalars: number is Float, int Int, string Str, boolean Bool, Date Datetime, bigint BigInt (an Int the body gets as a bigint)", () => {
    const { task } = taskOf("a: number, b: int, c: string, d: boolean, e: Date, f: bigint", "void", "", { ts });
    expect(task.inputs).toEqual({ a: "Float", b: "Int", c: "Str", d: "Bool", e: "Datetime", f: "BigInt" });
    expect(outputs("bigint[]")).toEqual([{ name: "o0", type: { list: "BigInt" } }]);
    expect(Object.keys(task.inputs)).toEqual(["a", "b", "c", "d", "e", "f"]);
  });

  it("recognises int by its brand, through lists, dicts, aliases and fields, not by the alias's name", () => {
    expect(input("int[]")).toEqual({ list: "Int" });
    expect(input("Record<string, int>")).toEqual({ dict: "Int" });
    expect(input("Count", "type Count = int;")).toEqual("Int");
    expect(input("Box", "interface Box { n: int; }")).toEqual({ record: "src/m.ts#Box" });
    // A local alias named int that is a plain number is a Float: the name means nothing.
    const local = analyseFixture({ "src/m.ts": 'import { task } from "@flytekit-ts/decorators";\ntype int = number;\nexport class T { @task static t(x: int, y: int[]): void {} }' }, { ts }).module("src/m.ts");
    expect(local.tasks["T.t"]?.inputs).toEqual({ x: "Float", y: { list: "Float" } });
  });

  it("reads a record's int field as Int", () => {
    const module = moduleOf("export interface Box { n: int; f: number; }\nexport class T { @task static t(b: Box): void {} }", { ts });
    expect(module.records["src/m.ts#Box"]?.fields).toEqual([
      { name: "n", type: "Int" },
      { name: "f", type: "Float" },
    ]);
  });

  it("reads T[], Array<T>, ReadonlyArray<T> and readonly T[] as lists", () => {
    const { task } = taskOf("a: string[], b: Array<int>, c: ReadonlyArray<boolean>, d: readonly number[], e: string[][]", "void", "", { ts });
    expect(task.inputs).toEqual({ a: { list: "Str" }, b: { list: "Int" }, c: { list: "Bool" }, d: { list: "Float" }, e: { list: { list: "Str" } } });
  });

  it("reads Record<string, T> and string index signatures as dicts, Map<string, T> and ReadonlyMap as dicts whose values are Maps", () => {
    const { task } = taskOf("a: Record<string, number>, b: Map<string, int[]>, c: { [key: string]: boolean }, d: ReadonlyMap<string, string>, e: Bag, f: Map<string, Map<string, int>>", "void", "interface Bag { [k: string]: Date }", { ts });
    expect(task.inputs).toEqual({ a: { dict: "Float" }, b: { map: { list: "Int" } }, c: { dict: "Bool" }, d: { map: "Str" }, e: { dict: "Datetime" }, f: { map: { map: "Int" } } });
    expect(outputs("Promise<Map<string, boolean>>")).toEqual([{ name: "o0", type: { map: "Bool" } }]);
  });

  it("reads T | null, T | undefined, optional parameters and = null defaults as optional; x?: T as one whose none is absent", () => {
    const { task } = taskOf("a: string | null, b: int | undefined, c: Date | null | undefined, d?: number, e: string | null = null, f: number = 1, g: boolean = true", "void", "", { ts });
    expect(task.inputs).toEqual({
      a: { optional: "Str" },
      b: { optional: "Int" },
      c: { optional: "Datetime" },
      // Written x?: T, the body tells none by `=== undefined`: none arrives as undefined, not null.
      d: { optional: "Float", absent: true },
      e: { optional: "Str" },
      // A default other than null is the function's own: the input is required.
      f: "Float",
      g: "Bool",
    });
  });

  it("reads x?: T as absent unless null is one of its values: x?: T | null is a plain optional", () => {
    const { task } = taskOf("a?: int, b?: int | undefined, c?: string | null, d?: Maybe, e?: U", "void", "type Maybe = Date | null;\ntype U = int | string;", { ts });
    expect(task.inputs).toEqual({
      a: { optional: "Int", absent: true },
      b: { optional: "Int", absent: true },
      c: { optional: "Str" },
      d: { optional: "Datetime" },
      e: { optional: { union: ["Int", "Str"] }, absent: true },
    });
    const module = moduleOf("export interface R { a?: string; b?: number | null; c: Date | undefined }\nexport class T { @task static t(r: R): { n?: int; m?: int | null } { return {}; } }", { ts });
    expect(module.records["src/m.ts#R"]?.fields).toEqual([
      { name: "a", type: { optional: "Str", absent: true } },
      { name: "b", type: { optional: "Float" } },
      { name: "c", type: { optional: "Datetime" } },
    ]);
    expect(module.tasks["T.t"]?.outputs).toEqual([
      { name: "n", type: { optional: "Int", absent: true } },
      { name: "m", type: { optional: "Int" } },
    ]);
  });

  it("reads optional from the annotation's syntax without strictNullChecks, where the checker drops null", () => {
    const loose = { ts, compilerOptions: { strict: false } };
    const { task } = taskOf("a: string | null, b: int | undefined, c?: number, d: Maybe, e: number = null, f: int | string | null, g: number = 0, h?: Maybe", "void", "type Maybe = Date | null;", loose);
    expect(task.inputs).toEqual({
      a: { optional: "Str" },
      b: { optional: "Int" },
      c: { optional: "Float", absent: true },
      d: { optional: "Datetime" },
      e: { optional: "Float" },
      f: { optional: { union: ["Int", "Str"] } },
      g: "Float",
      h: { optional: "Datetime" },
    });
    const module = moduleOf("export interface R { a: string | null; b?: number; }\nexport class T { @task static t(r: R): void {} }", loose);
    expect(module.records["src/m.ts#R"]?.fields).toEqual([
      { name: "a", type: { optional: "Str" } },
      { name: "b", type: { optional: "Float", absent: true } },
    ]);
  });

  it("keeps a union's members in the order written, not the checker's", () => {
    expect(input("int | string")).toEqual({ union: ["Int", "Str"] });
    expect(input("string | int")).toEqual({ union: ["Str", "Int"] });
    expect(input("Date | number | string")).toEqual({ union: ["Datetime", "Float", "Str"] });
    // Through an alias, to the order of its declaration.
    expect(input("U", "type U = boolean | int | string[];")).toEqual({ union: ["Bool", "Int", { list: "Str" }] });
    // Nested unions are flattened; boolean stays one Bool, also written as true | false.
    expect(input("(int | boolean) | Date")).toEqual({ union: ["Int", "Bool", "Datetime"] });
    expect(input("string | true | false")).toEqual({ union: ["Str", "Bool"] });
    expect(input("boolean | null")).toEqual({ optional: "Bool" });
    expect(input("Array<int | string>")).toEqual({ list: { union: ["Int", "Str"] } });
  });

  it("keeps the written order through a generic alias, its parameters replaced by the arguments written", () => {
    const aliases = "type Maybe<T> = T | null;\ntype Either<A, B> = A | B;\ntype Opt<T = string> = undefined | T;\ntype Listed<T> = T[] | boolean;";
    expect(input("Maybe<int | string>", aliases)).toEqual({ optional: { union: ["Int", "Str"] } });
    expect(input("Maybe<string | int>", aliases)).toEqual({ optional: { union: ["Str", "Int"] } });
    expect(input("Either<int, string>", aliases)).toEqual({ union: ["Int", "Str"] });
    expect(input("Either<string, int>", aliases)).toEqual({ union: ["Str", "Int"] });
    expect(input("Either<Maybe<Date>, int>", aliases)).toEqual({ optional: { union: ["Datetime", "Int"] } });
    expect(input("Opt", aliases)).toEqual({ optional: "Str" });
    expect(input('Maybe<"b" | "a">', aliases)).toEqual({ optional: { enum: ["b", "a"], name: "b|a" } });
    // A member that holds a parameter (T[]) cannot be written out: the checker's union is read.
    expect(input("Listed<int>", aliases)).toEqual({ union: expect.arrayContaining([{ list: "Int" }, "Bool"]) });
    // Without strictNullChecks the null is found in the alias's declaration.
    const loose = { ts, compilerOptions: { strict: false } };
    expect(inputOf("Maybe<int | string>", aliases, loose)).toEqual({ optional: { union: ["Int", "Str"] } });
    expect(inputOf("Maybe<Date>", aliases, loose)).toEqual({ optional: "Datetime" });
  });

  it("reads a union with null as an optional union", () => {
    expect(input("int | string | null")).toEqual({ optional: { union: ["Int", "Str"] } });
    expect(input("null | int | string")).toEqual({ optional: { union: ["Int", "Str"] } });
    expect(input("U | null", "type U = string | int;")).toEqual({ optional: { union: ["Str", "Int"] } });
  });

  it("reads a union of records as a union", () => {
    const module = moduleOf("interface A { a: int }\ninterface B { b: string }\nexport class T { @task static t(x: B | A): void {} }", { ts });
    expect(module.tasks["T.t"]?.inputs.x).toEqual({ union: [{ record: "src/m.ts#B" }, { record: "src/m.ts#A" }] });
    expect(Object.keys(module.records).sort()).toEqual(["src/m.ts#A", "src/m.ts#B"]);
  });

  it("reads string enums and unions of string literals as enums, in declaration and written order", () => {
    expect(input("Color", 'enum Color { Red = "red", Green = "green", Blue = "blue" }')).toEqual({ enum: ["red", "green", "blue"], name: "Color" });
    expect(input("Color | null", 'enum Color { Red = "red", Green = "green" }')).toEqual({ optional: { enum: ["red", "green"], name: "Color" } });
    expect(input("Mode", 'type Mode = "slow" | "fast";')).toEqual({ enum: ["slow", "fast"], name: "Mode" });
    expect(input('"b" | "a"')).toEqual({ enum: ["b", "a"], name: "b|a" });
    expect(input('"b" | "a" | undefined')).toEqual({ optional: { enum: ["b", "a"], name: "b|a" } });
    expect(input("Mode | null", 'type Mode = "slow" | "fast";')).toEqual({ optional: { enum: ["slow", "fast"], name: "Mode" } });
    expect(input("Single", 'const enum Single { Only = "only" }')).toEqual({ enum: ["only"], name: "Single" });
  });

  it("reads a string enum with string literals as one enum of all their values; an enum's values once each", () => {
    const enums = 'enum Color { Red = "red", Green = "green" }\nenum Shade { Dark = "dark" }\ntype Paint = Color | "other";';
    expect(input('Color | "other"', enums)).toEqual({ enum: ["red", "green", "other"], name: "red|green|other" });
    expect(input('"other" | Color | null', enums)).toEqual({ optional: { enum: ["other", "red", "green"], name: "other|red|green" } });
    expect(input("Paint", enums)).toEqual({ enum: ["red", "green", "other"], name: "Paint" });
    expect(input('Color | "red"', enums)).toEqual({ enum: ["red", "green"], name: "red|green" });
    expect(input('int | Color | "other"', enums)).toEqual({ union: ["Int", { enum: ["red", "green", "other"], name: "red|green|other" }] });
    // Two enums without literals stay two.
    expect(input("Color | Shade", enums)).toEqual({ union: [{ enum: ["red", "green"], name: "Color" }, { enum: ["dark"], name: "Shade" }] });
    // Read from the checker (no annotation), the same.
    const { task } = taskOf('x = "other" as Color | "other"', "void", enums, { ts });
    expect(task.inputs.x).toEqual({ enum: expect.arrayContaining(["red", "green", "other"]), name: expect.any(String) });
    expect((task.inputs.x as { readonly enum: readonly string[] }).enum).toHaveLength(3);
    expect(input("Dup", 'enum Dup { A = "a", B = "a", C = "c" }')).toEqual({ enum: ["a", "c"], name: "Dup" });
  });

  it("reads classes, interfaces and aliases of object types as records, fields in declaration order", () => {
    const module = moduleOf(
      `export class Point { x: number = 0; y!: int; label?: string; get norm(): number { return 0; } move(): void {} }
export interface Line { from: Point; to: Point; name: string | null; }
export type Box = { corner: Point; size: number[] };
export class T { @task static t(p: Point, l: Line, b: Box): void {} }`,
      { ts },
    );
    expect(module.tasks["T.t"]?.inputs).toEqual({ p: { record: "src/m.ts#Point" }, l: { record: "src/m.ts#Line" }, b: { record: "src/m.ts#Box" } });
    expect(module.records).toEqual({
      "src/m.ts#Point": { name: "Point", kind: "class", module: "src/m.ts", fields: [{ name: "x", type: "Float" }, { name: "y", type: "Int" }, { name: "label", type: { optional: "Str", absent: true } }] },
      "src/m.ts#Line": { name: "Line", kind: "interface", module: "src/m.ts", fields: [{ name: "from", type: { record: "src/m.ts#Point" } }, { name: "to", type: { record: "src/m.ts#Point" } }, { name: "name", type: { optional: "Str" } }] },
      "src/m.ts#Box": { name: "Box", kind: "alias", module: "src/m.ts", fields: [{ name: "corner", type: { record: "src/m.ts#Point" } }, { name: "size", type: { list: "Float" } }] },
    } satisfies Record<string, ManifestRecord>);
  });

  it("puts a base class's and extended interfaces' fields first", () => {
    const module = moduleOf(
      `class Base { id: string = ""; }
class Mid extends Base { count: int = 0; }
export class Leaf extends Mid { done = false; constructor(public readonly note: string = "") { super(); } }
interface Named { name: string }
interface Dated { at: Date }
export interface Event extends Named, Dated { kind: "a" | "b" }
export class T { @task static t(l: Leaf, e: Event): void {} }`,
      { ts },
    );
    expect(module.records["src/m.ts#Leaf"]?.fields.map((f) => f.name)).toEqual(["id", "count", "done", "note"]);
    expect(module.records["src/m.ts#Leaf"]?.fields[2]).toEqual({ name: "done", type: "Bool" });
    expect(module.records["src/m.ts#Event"]?.fields).toEqual([
      { name: "name", type: "Str" },
      { name: "at", type: "Datetime" },
      { name: "kind", type: { enum: ["a", "b"], name: "a|b" } },
    ]);
  });

  it("keys nested and recursive records, so that each is kept once", () => {
    const module = moduleOf(
      `export interface Tree { value: int; children: Tree[]; }
export interface A { b?: B; }
export interface B { a: A | null; }
export class T { @task static t(t: Tree, a: A): Tree { return t; } }`,
      { ts },
    );
    expect(module.records["src/m.ts#Tree"]?.fields).toEqual([
      { name: "value", type: "Int" },
      { name: "children", type: { list: { record: "src/m.ts#Tree" } } },
    ]);
    expect(module.records["src/m.ts#A"]?.fields).toEqual([{ name: "b", type: { optional: { record: "src/m.ts#B" }, absent: true } }]);
    expect(module.records["src/m.ts#B"]?.fields).toEqual([{ name: "a", type: { optional: { record: "src/m.ts#A" } } }]);
    expect(module.tasks["T.t"]?.outputs).toEqual([{ name: "o0", type: { record: "src/m.ts#Tree" } }]);
  });

  it("keys records by the module that declares them, relative to its project root, and keeps every record a module's tasks reach", () => {
    const fixture = analyseFixture(
      {
        "src/geo/point.ts": "export interface Point { x: number; y: number }\nexport namespace Shapes { export interface Square { side: number } }\n",
        "src/a.ts": `${HEADER}import type { Point, Shapes } from "./geo/point.js";\nexport class A { @task static a(p: Point, s: Shapes.Square): void {} }`,
        "src/b.ts": `${HEADER}import type { Point } from "./geo/point.js";\nexport interface Wrap { p: Point }\nexport class B { @task static b(w: Wrap): void {} }`,
      },
      { ts },
    );
    expect(fixture.analyses.map((a) => a.file.slice(fixture.dir.length)).sort()).toEqual(["/src/a.ts", "/src/b.ts"]);
    expect(Object.keys(fixture.module("src/a.ts").records).sort()).toEqual(["src/geo/point.ts#Point", "src/geo/point.ts#Shapes.Square"]);
    expect(Object.keys(fixture.module("src/b.ts").records).sort()).toEqual(["src/b.ts#Wrap", "src/geo/point.ts#Point"]);
    expect(fixture.module("src/b.ts").records["src/geo/point.ts#Point"]).toEqual({ name: "Point", kind: "interface", module: "src/geo/point.ts", fields: [{ name: "x", type: "Float" }, { name: "y", type: "Float" }] });
  });

  it("reads a record declared in a .d.ts file from its declarations", () => {
    const fixture = analyseFixture(
      {
        "src/types.d.ts": "export interface Reading { sensor: string; value: number; at?: Date }\nexport declare class Sample { id: string; values: number[]; }\n",
        "src/m.ts": `${HEADER}import type { Reading, Sample } from "./types.js";\nexport class T { @task static t(r: Reading, s: Sample): void {} }`,
      },
      { ts },
    );
    const module = fixture.module("src/m.ts");
    expect(module.tasks["T.t"]?.errors).toBeUndefined();
    expect(module.records["src/types.d.ts#Reading"]?.fields).toEqual([
      { name: "sensor", type: "Str" },
      { name: "value", type: "Float" },
      { name: "at", type: { optional: "Datetime", absent: true } },
    ]);
    expect(module.records["src/types.d.ts#Sample"]).toMatchObject({ kind: "class", fields: [{ name: "id", type: "Str" }, { name: "values", type: { list: "Float" } }] });
  });

  it("unwraps Promise<T> and async methods' results", () => {
    expect(outputs("Promise<int>")).toEqual([{ name: "o0", type: "Int" }]);
    const module = moduleOf("export class T { @task static async t(): Promise<string[]> { return []; }\n @task static async u() { return 1; } }", { ts });
    expect(module.tasks["T.t"]?.outputs).toEqual([{ name: "o0", type: { list: "Str" } }]);
    expect(module.tasks["T.u"]?.outputs).toEqual([{ name: "o0", type: "Float" }]);
  });

  it("reads void, undefined and Promise<void> returns as no outputs", () => {
    expect(outputs("void")).toEqual([]);
    expect(outputs("undefined")).toEqual([]);
    expect(outputs("Promise<void>")).toEqual([]);
    const module = moduleOf("export class T { @task static async t() {}\n @task static u() {} }", { ts });
    expect(module.tasks["T.t"]?.outputs).toEqual([]);
    expect(module.tasks["T.u"]?.outputs).toEqual([]);
  });

  it("reads an object literal written as the return type as named outputs, in order", () => {
    expect(outputs("{ total: number; mean: int; note?: string }")).toEqual([
      { name: "total", type: "Float" },
      { name: "mean", type: "Int" },
      { name: "note", type: { optional: "Str", absent: true } },
    ] satisfies ManifestVariable[]);
    expect(outputs("Promise<{ b: string; a: boolean }>")).toEqual([
      { name: "b", type: "Str" },
      { name: "a", type: "Bool" },
    ]);
    // A named type is one output, a record.
    expect(outputs("Out", "type Out = { total: number };")).toEqual([{ name: "o0", type: { record: "src/m.ts#Out" } }]);
    expect(outputs("string | null")).toEqual([{ name: "o0", type: { optional: "Str" } }]);
    // An index signature written in place is a dict, one output.
    expect(outputs("{ [k: string]: int }")).toEqual([{ name: "o0", type: { dict: "Int" } }]);
  });

  it("reads core's FlyteFile, FlyteDirectory and StructuredDataset, also through aliases and re-exports", () => {
    const module = moduleOf(
      `import { FlyteFile as MyFile } from "./reexport.js";
import * as Files from "./reexport.js";
type Table = StructuredDataset;
export class T { @task static t(f: FlyteFile, d: FlyteDirectory, s: StructuredDataset, g: MyFile, h: Files.FlyteFile, i: Table[]): FlyteFile { return f; } }`,
      { ts },
      { "src/reexport.ts": 'export { FlyteFile } from "@flytekit-ts/core";\n' },
    );
    const task = module.tasks["T.t"] as ManifestTask;
    expect(task.inputs).toEqual({ f: "File", d: "Directory", s: "Dataset", g: "File", h: "File", i: { list: "Dataset" } });
    expect(task.outputs).toEqual([{ name: "o0", type: "File" }]);
  });

  it("reads core's FlyteSchema as Schema, and apache-arrow's Table (with any type arguments) as Table", () => {
    const fixture = analyseFixture(
      {
        "src/m.ts": `${HEADER}import { FlyteSchema } from "@flytekit-ts/core";
import { Table, type Int32 } from "apache-arrow";
export class T {
  @task static t(s: FlyteSchema, orders: Table, typed: Table<{ n: Int32 }>, many: Table[]): Promise<Table> { return undefined as never; }
  @task static u(): FlyteSchema | null { return null; }
}`,
      },
      { ts, links: ["apache-arrow"] },
    );
    const module = fixture.module("src/m.ts");
    expect(module.diagnostics).toEqual([]);
    expect(module.tasks["T.t"]).toMatchObject({ inputs: { s: "Schema", orders: "Table", typed: "Table", many: { list: "Table" } }, outputs: [{ name: "o0", type: "Table" }] });
    expect(module.tasks["T.u"]?.outputs).toEqual([{ name: "o0", type: { optional: "Schema" } }]);
  });

  it("does not take a class named Table from elsewhere for apache-arrow's", () => {
    expect(input("Table", "class Table { rows: int = 0; }")).toEqual({ record: "src/m.ts#Table" });
  });

  it("does not take a class of the same name from another package for core's", () => {
    const module = moduleOf("class FlyteFile { path: string = ''; }\nexport class T { @task static t(f: FlyteFile): void {} }", { ts });
    expect(module.tasks["T.t"]?.inputs.f).toEqual({ record: "src/m.ts#FlyteFile" });
  });
});

describe.each(COMPILERS)("the diagnostics, with %s", (_, compiler) => {
  const ts = compiler();
  const errors = (params: string, returns = "void", extra = "", options: Options = {}) => errorsOf(params, returns, extra, { ts, ...options });
  const codeOf = (type: string, extra = "") => errors(`x: ${type}`, "void", extra).map((e) => e.code);

  it("FTS1001: a function type, where it is written", () => {
    const [error] = errors("a: number,\n    f: (x: number) => string");
    expect(error).toMatchObject({
      code: ANALYSIS_CODES.function,
      line: 7,
      column: 8,
      task: "m.T.t",
      subject: "input 'f'",
      typeText: "(x: number) => string",
      problem: "its type is `(x: number) => string`: a function is not data a task can take or give",
      fix: "pass data instead: the values the function would compute, or a string that names which function to use",
    } satisfies Partial<ManifestDiagnostic>);
    expect(codeOf("typeof Date")).toEqual(["FTS1001"]);
    expect(codeOf("Callback", "interface Callback { (x: number): void }")).toEqual(["FTS1001"]);
  });

  it("FTS1002: a generic type parameter", () => {
    const module = moduleOf("export class T { @task static t<X>(x: X): X { return x; } }", { ts });
    expect(module.tasks["T.t"]?.errors?.map((e) => [e.code, e.subject])).toEqual([
      ["FTS1002", "input 'x'"],
      ["FTS1002", "output 'o0'"],
    ]);
  });

  it("FTS1003, FTS1004, FTS1005: any, unknown and never", () => {
    expect(codeOf("any")).toEqual(["FTS1003"]);
    expect(codeOf("unknown")).toEqual(["FTS1004"]);
    expect(codeOf("never")).toEqual(["FTS1005"]);
    expect(errors("", "any")[0]).toMatchObject({ code: "FTS1003", subject: "output 'o0'", fix: "declare the outputs with a token: @task({ outputs: Json })" });
  });

  it("FTS1006: object and {}", () => {
    expect(codeOf("object")).toEqual(["FTS1006"]);
    expect(codeOf("{}")).toEqual(["FTS1006"]);
  });

  it("FTS1007: an object type without a name, as an input or an inferred result", () => {
    const [error] = errors("p: { x: number; y: number }");
    expect(error).toMatchObject({ code: "FTS1007", typeText: "{ x: number; y: number }", fix: "name the record: interface X { ... }" });
    const module = moduleOf("export class T { @task static t() { return { a: 1 }; } }", { ts });
    expect(module.tasks["T.t"]?.errors?.[0]).toMatchObject({ code: "FTS1007", subject: "output 'o0'" });
    expect(module.tasks["T.t"]?.errors?.[0]?.fix).toContain("write the return type");
  });

  it("FTS1008: a tuple", () => {
    expect(codeOf("[number, string]")).toEqual(["FTS1008"]);
    expect(codeOf("readonly [int, int]")).toEqual(["FTS1008"]);
  });

  it("FTS1009: a symbol", () => {
    expect(codeOf("symbol")).toEqual(["FTS1009"]);
  });

  it("FTS1010: a numeric or mixed enum", () => {
    const [error] = errors("x: Level", "void", "enum Level { Low, High }");
    expect(error).toMatchObject({ code: "FTS1010", typeText: "Level" });
    expect(error?.problem).toContain("enum Level has members that are not strings (Low = 0, High = 1)");
    expect(codeOf("Mixed", 'enum Mixed { A = "a", B = 2 }')).toEqual(["FTS1010"]);
  });

  it("FTS1011: number, boolean and template literal types, and number-literal unions", () => {
    expect(errors("x: 1 | 2 | 3")).toMatchObject([
      { code: "FTS1011", typeText: "1 | 2 | 3", problem: "its type is `1 | 2 | 3`: a union of number literals is not a Flyte type", fix: "use int for a whole number, number for any, or a string enum for a choice" },
    ]);
    expect(errors("x: Small | null", "void", "type Small = 1 | 2;")).toMatchObject([{ code: "FTS1011", typeText: "Small" }]);
    expect(codeOf("42")).toEqual(["FTS1011"]);
    expect(codeOf("true")).toEqual(["FTS1011"]);
    expect(codeOf("`id-${string}`")).toEqual(["FTS1011"]);
  });

  it("FTS1012: utility and mapped types that are not records", () => {
    const extra = "interface P { x: number; y: number }";
    expect(codeOf("Partial<P>", extra)).toEqual(["FTS1012"]);
    expect(codeOf("Pick<P, 'x'>", extra)).toEqual(["FTS1012"]);
    expect(codeOf("Record<'a' | 'b', number>", extra)).toEqual(["FTS1012"]);
    expect(codeOf("{ [K in keyof P]: string }", extra)).toEqual(["FTS1012"]);
  });

  it("FTS1013: a Map with keys that are not strings", () => {
    const [error] = errors("m: Map<number, string>");
    expect(error).toMatchObject({ code: "FTS1013", typeText: "number", column: 25 });
  });

  it("FTS1014: an index signature with number keys", () => {
    expect(codeOf("{ [i: number]: string }")).toEqual(["FTS1014"]);
    expect(codeOf("Record<number, string>")).toEqual(["FTS1014"]);
  });

  it("FTS1015, FTS1016: a rest parameter and a destructured parameter", () => {
    expect(errors("...xs: number[]")[0]).toMatchObject({ code: "FTS1015", subject: "input 'xs'", typeText: "...xs: number[]" });
    expect(errors("{ a, b }: { a: number; b: number }")[0]).toMatchObject({ code: "FTS1016", subject: "parameter 1" });
  });

  it("FTS1017: a generic record", () => {
    expect(codeOf("Box<number>", "interface Box<V> { value: V }")).toEqual(["FTS1017"]);
    expect(codeOf("Pair<string>", "type Pair<V> = { a: V; b: V };")).toEqual(["FTS1017"]);
  });

  it("FTS1018: an intersection other than int's brand", () => {
    expect(codeOf("A & B", "interface A { a: number }\ninterface B { b: number }")).toEqual(["FTS1018"]);
    expect(errors("x: number & { tag: 'x' }")).toMatchObject([{ code: "FTS1018", fix: "use number itself (or int, from @flytekit-ts/core, for a whole number): a tag on it is not kept" }]);
    expect(errors("x: A & B", "void", "interface A { a: number }\ninterface B { b: number }")[0]?.fix).toBe("name the record: interface X extends A, B { }");
  });

  it("FTS1019: a library's type with no Flyte type", () => {
    expect(codeOf("Set<string>")).toEqual(["FTS1019"]);
    expect(codeOf("RegExp")).toEqual(["FTS1019"]);
    expect(errors("x: Error")[0]).toMatchObject({ problem: "its type is `Error`: Error is not a type a task can take or give", fix: "take data instead: a string, a number, an array or a record of what the task needs" });
    expect(errors("tags: Set<string>")[0]).toMatchObject({ problem: "its type is `Set<string>`: a Set is not a Flyte type", fix: "take an array of its values: tags: string[]" });
  });

  it("FTS1019: a Promise as an input, with the fix to take the value", () => {
    expect(errors("n: Promise<int>")).toMatchObject([
      { code: "FTS1019", subject: "input 'n'", problem: "its type is `Promise<int>`: a Promise is not data: a task takes the value it resolves to", fix: "take the value: n: int" },
    ]);
    expect(errors("xs: PromiseLike<string[]>")[0]?.fix).toBe("take the value: xs: string[]");
  });

  it("FTS1019: a dependency's class, or one of core's other than its files and datasets; a dependency's interface is a record", () => {
    const files = {
      "node_modules/dep/package.json": JSON.stringify({ name: "dep", types: "index.d.ts" }),
      "node_modules/dep/index.d.ts": "export declare class Client { url: string; }\nexport interface Reading { value: number }\n",
    };
    const fixture = analyseFixture(
      { ...files, "src/m.ts": `${HEADER}import type { Client, Reading } from "dep";\nexport class T { @task static t(c: Client, r: Reading, e: TaskEnvironment): void {} }` },
      { ts, roots: ["src/m.ts"] },
    );
    const module = fixture.module("src/m.ts");
    expect(module.tasks["T.t"]?.inputs).toEqual({ r: { record: "index.d.ts#Reading" } });
    expect(module.tasks["T.t"]?.errors?.map((e) => [e.code, e.subject, e.problem])).toEqual([
      ["FTS1019", "input 'c'", "its type is `Client`: Client is a class of a dependency, not a record of this project"],
      ["FTS1019", "input 'e'", "its type is `TaskEnvironment`: TaskEnvironment is not a type a task can take or give"],
    ]);
    // A dependency's generic class is its class first (FTS1019), not a generic record (FTS1017).
    const generic = analyseFixture(
      {
        "node_modules/dep/package.json": JSON.stringify({ name: "dep", types: "index.d.ts" }),
        "node_modules/dep/index.d.ts": "export declare class Pool<T = string> { items: T[]; }\n",
        "src/m.ts": `${HEADER}import type { Pool } from "dep";\nexport class T { @task static t(p: Pool, q: Pool<number>): void {} }`,
      },
      { ts, roots: ["src/m.ts"] },
    ).module("src/m.ts");
    expect(generic.tasks["T.t"]?.errors?.map((e) => e.code)).toEqual(["FTS1019", "FTS1019"]);
  });

  it("FTS1020: null, undefined or void as a whole type", () => {
    expect(codeOf("null")).toEqual(["FTS1020"]);
    expect(codeOf("undefined")).toEqual(["FTS1020"]);
  });

  it("FTS1021: a parameter with neither a type nor a default", () => {
    const module = moduleOf("export class T { @task static t(x): void {} }", { ts, compilerOptions: { strict: false } });
    expect(module.tasks["T.t"]?.errors?.[0]).toMatchObject({ code: "FTS1021", subject: "input 'x'", fix: "give it a type: x: number" });
  });

  it("FTS1022: a class declared as a task without a run method", () => {
    const module = moduleOf("@task export class Job { go(): void {} }", { ts });
    expect(module.tasks["Job.prototype.run"]?.errors?.[0]).toMatchObject({ code: "FTS1022", task: "m.Job" });
  });

  it("FTS1023: an object type with both properties and an index signature", () => {
    expect(codeOf("Bag", "interface Bag { n: number; [k: string]: number }")).toEqual(["FTS1023"]);
  });

  it("FTS1024: a type the compiler could not resolve", () => {
    expect(codeOf("Missing")).toEqual(["FTS1024"]);
  });

  it("FTS1027: two classes of one name in a module declaring the same task, and two records of one name in a module", () => {
    const module = moduleOf(
      `export namespace A {
  export class P { @task static f(x: int): int { return x; } }
}
export namespace B {
  export class P { @task static f(x: string): string { return x; } }
}
export class Q { @task static ok(x: int): void {} }`,
      { ts },
    );
    expect(module.tasks["Q.ok"]).toEqual({ line: 10, inputs: { x: "Int" }, outputs: [] });
    expect(module.diagnostics).toEqual([
      expect.objectContaining({
        code: "FTS1027",
        line: 8,
        column: 33,
        task: "m.P.f",
        subject: "its class",
        problem: "two classes named P declare the task P.f in this module (lines 5 and 8), and the run time tells a module's tasks apart only by their class's name and member",
        fix: "rename one of the classes",
      }),
    ]);
    // The shared entry is refused: neither task takes the other's types.
    expect(module.tasks["P.f"]?.errors).toEqual(module.diagnostics);
    const records = moduleOf(
      `export function one() {
  interface R { a: int }
  class P1 { @task static f(r: R): void {} }
  return P1;
}
export function two() {
  interface R { b: string }
  class P2 { @task static g(r: R): void {} }
  return P2;
}`,
      { ts },
    );
    expect(records.tasks["P1.f"]).toEqual({ line: 6, inputs: { r: { record: "src/m.ts#R" } }, outputs: [] });
    expect(records.records["src/m.ts#R"]?.fields).toEqual([{ name: "a", type: "Int" }]);
    expect(records.tasks["P2.g"]?.errors).toMatchObject([
      {
        code: "FTS1027",
        line: 11,
        subject: "input 'r'",
        problem: "its type is `R`: R is declared twice in src/m.ts (lines 5 and 10), and a record is known by its module and name, which both share",
      },
    ]);
  });

  it("names a record's field that has no Flyte type, where the field is declared", () => {
    const fixture = analyseFixture(
      {
        "src/geo.ts": "export interface Point {\n  x: number;\n  next: () => Point;\n}\n",
        "src/m.ts": `${HEADER}import type { Point } from "./geo.js";\nexport class T { @task static t(p: Point): void {} }`,
      },
      { ts },
    );
    const module = fixture.module("src/m.ts");
    expect(module.tasks["T.t"]?.inputs).toEqual({ p: { record: "src/geo.ts#Point" } });
    expect(module.tasks["T.t"]?.errors).toEqual([
      {
        code: "FTS1001",
        file: `${fixture.dir}/src/geo.ts`,
        line: 3,
        column: 9,
        task: "m.T.t",
        subject: "record Point, field 'next'",
        typeText: "() => Point",
        problem: "its type is `() => Point`: a function is not data a task can take or give",
        fix: "pass data instead: the values the function would compute, or a string that names which function to use",
      },
    ]);
    expect(module.diagnostics).toEqual(module.tasks["T.t"]?.errors);
  });

  it("reports a record's problem once in its module, and on every task that reaches it", () => {
    const module = moduleOf("export interface Job { cb: () => void }\nexport class T {\n  @task static a(j: Job): void {}\n  @task static b(j: Job): void {}\n  @task static c(j: Job[]): void {}\n}", { ts });
    for (const key of ["T.a", "T.b", "T.c"]) expect(module.tasks[key]?.errors?.map((e) => [e.code, e.line, e.subject])).toEqual([["FTS1001", 4, "record Job, field 'cb'"]]);
    expect(module.diagnostics.map((d) => [d.code, d.line, d.task])).toEqual([["FTS1001", 4, "m.T.a"]]);
  });

  it("points at the offending part of a type and says what holds it", () => {
    const [error] = errors("xs: Array<Record<string, () => void>>");
    expect(error).toMatchObject({ code: "FTS1001", typeText: "() => void", problem: "its type `Array<Record<string, () => void>>` holds `() => void`: a function is not data a task can take or give" });
  });

  it("keeps the problems of one task on that task: the others are typed", () => {
    const module = moduleOf("export class T {\n  @task static good(x: int): int { return x; }\n  @task static bad(x: any): void {}\n}", { ts });
    expect(module.tasks["T.good"]).toEqual({ line: 5, inputs: { x: "Int" }, outputs: [{ name: "o0", type: "Int" }] });
    expect(module.tasks["T.bad"]?.errors?.map((e) => e.code)).toEqual(["FTS1003"]);
    expect(module.diagnostics.map((d) => d.task)).toEqual(["m.T.bad"]);
  });

  it("reports nothing for a class field declared with a token (legacy decorators), and nothing for inputs declared with tokens", () => {
    const module = moduleOf(
      `export class Rec { @field(Json) payload: any; n: int = 0; }
export class T {
  @task({ inputs: { f: Json } }) static t(f: () => void, r: Rec): void {}
  @task({ outputs: Json }) static u(): any { return 1; }
}`,
      { ts, compilerOptions: { experimentalDecorators: true } },
      {},
    );
    expect(module.tasks["T.t"]).toEqual({ line: 6, inputs: { r: { record: "src/m.ts#Rec" } }, outputs: [] });
    expect(module.records["src/m.ts#Rec"]?.fields).toEqual([{ name: "n", type: "Int" }]);
    expect(module.tasks["T.u"]).toEqual({ line: 7, inputs: {} });
  });

  const ROW = `import { Int, List } from "@flytekit-ts/core";
const loose = { name: "loose_name" };
const exact = { name: "exact_name" } as const;
export class Row {
  @field({ name: "by_key" }) byKey!: int;
  @field({ name: "by_val", type: Int }) byVal!: int;
  @field(List(Int)) xs!: number[];
  @field(Json) meta!: unknown;
  @field() plain!: string;
  @field(loose) viaVariable!: string;
  @field(exact) viaConst!: string;
}
export class T { @task static t(r: Row): void {} }`;

  it("names a record class's field as @field({ name }) says, and leaves a field's type to its token, with legacy decorators", () => {
    const module = moduleOf(ROW, { ts, compilerOptions: { experimentalDecorators: true } });
    expect(module.diagnostics).toEqual([]);
    expect(module.records["src/m.ts#Row"]?.fields).toEqual([
      { name: "by_key", type: "Int", property: "byKey" },
      // The token wins at run time; the analysed type is written where it maps.
      { name: "by_val", type: "Int", property: "byVal" },
      { name: "xs", type: { list: "Float" } },
      { name: "plain", type: "Str" },
      { name: "viaVariable", type: "Str" },
      { name: "exact_name", type: "Str", property: "viaConst" },
    ] satisfies ManifestVariable[]);
  });

  it("FTS1026: a record class's @field(token), or a name not a literal, with standard decorators (the manifest cannot carry it)", () => {
    const module = moduleOf(ROW, { ts });
    expect(module.records["src/m.ts#Row"]?.fields).toEqual([
      { name: "by_key", type: "Int", property: "byKey" },
      { name: "plain", type: "Str" },
      { name: "exact_name", type: "Str", property: "viaConst" },
    ] satisfies ManifestVariable[]);
    expect(module.tasks["T.t"]?.errors?.map((e) => [e.code, e.subject, e.line, e.column])).toEqual([
      ["FTS1026", "record Row, field 'byVal'", 9, 3],
      ["FTS1026", "record Row, field 'xs'", 10, 3],
      ["FTS1026", "record Row, field 'meta'", 11, 3],
      ["FTS1026", "record Row, field 'viaVariable'", 13, 3],
    ]);
    expect(module.tasks["T.t"]?.errors?.[1]).toMatchObject({
      typeText: "@field(List(Int))",
      problem: "`@field(List(Int))` declares the field's type with a token, and with standard decorators (no experimentalDecorators) the run time sees a record class's fields only through the manifest, which cannot hold it",
      fix: "type the field in TypeScript instead of the token (e.g. xs!: int[], int from @flytekit-ts/core) and drop the token, or make Row an interface",
    });
    expect(module.tasks["T.t"]?.errors?.[3]?.fix).toBe('write the name as a string literal: @field({ name: "viaVariable" })');
  });
});

describe("which declarations are tasks", () => {
  it("methods, static or not, and classes decorated by @task, @eager, @echo, @referenceTask, with or without options", () => {
    const module = moduleOf(`export class Steps {
  @task static a(x: int): int { return x; }
  @task() b(x: int): int { return x; }
  @eager({ retries: 1 }) static async c(x: string): Promise<string> { return x; }
  @echo() static d(x: int, y: string): void {}
  @referenceTask({ project: "p", domain: "d", name: "n", version: "v" }) static e(x: Date): Date { return x; }
  plain(x: int): int { return x; }
}
@task({ cache: true })
export class Job { run(x: int): string { return ""; } helper(): void {} }
@task
export class Inherits extends Job {}
`);
    expect(Object.keys(module.tasks)).toEqual(["Steps.a", "Steps.prototype.b", "Steps.c", "Steps.d", "Steps.e", "Job.prototype.run", "Inherits.prototype.run"]);
    expect(module.tasks["Steps.d"]).toEqual({ line: 8, inputs: { x: "Int", y: "Str" } });
    expect(module.tasks["Job.prototype.run"]).toEqual({ line: 13, inputs: { x: "Int" }, outputs: [{ name: "o0", type: "Str" }] });
    expect(module.tasks["Inherits.prototype.run"]).toEqual({ line: 15, inputs: { x: "Int" }, outputs: [{ name: "o0", type: "Str" }] });
  });

  it("follows the decorator through import aliases, namespace imports and re-exports", () => {
    const module = moduleOf(
      `import { task as declareTask } from "@flytekit-ts/decorators";
import * as flyte from "@flytekit-ts/decorators";
import { again } from "./again.js";
export class S {
  @declareTask static a(x: int): void {}
  @flyte.task() static b(x: int): void {}
  @again static c(x: int): void {}
}`,
      {},
      { "src/again.ts": 'export { task as again } from "@flytekit-ts/decorators";\n' },
    );
    expect(Object.keys(module.tasks)).toEqual(["S.a", "S.b", "S.c"]);
  });

  it("reads the tokens of options held in a variable, spread, or typed so that it cannot say which inputs they declare", () => {
    const module = moduleOf(`import type { DeclaredTaskOptions } from "@flytekit-ts/core";
const common = { inputs: { f: Json } };
const withOutputs = { outputs: Json };
const typed: DeclaredTaskOptions = { inputs: { f: Json } };
const named = { name: "custom.named" } as const;
export class S {
  @task(common) static a(f: unknown, x: int): void {}
  @task({ ...common, retries: 2 }) static b(f: unknown, x: int): void {}
  @task({ inputs: { ...common.inputs } }) static c(f: unknown, x: int): void {}
  @task(withOutputs) static d(x: int): any { return 1; }
  @task({ ...withOutputs, cache: true }) static e(): unknown { return 1; }
  @task(typed) static f(f: unknown, x: int): any { return 1; }
  @task(typed) static g(x: int): Promise<int[]> { return Promise.resolve([]); }
  @task(named) static h(x: any): void {}
}`);
    expect(module.diagnostics.map((d) => [d.code, d.task, d.subject])).toEqual([["FTS1003", "custom.named", "input 'x'"]]);
    delete (module.tasks as Record<string, unknown>)["S.h"];
    expect(module.tasks).toEqual({
      "S.a": { line: 10, inputs: { x: "Int" }, outputs: [] },
      "S.b": { line: 11, inputs: { x: "Int" }, outputs: [] },
      "S.c": { line: 12, inputs: { x: "Int" }, outputs: [] },
      // outputs declared: left out, whatever the return type says.
      "S.d": { line: 13, inputs: { x: "Int" } },
      "S.e": { line: 14, inputs: {} },
      // DeclaredTaskOptions may declare any input and the outputs: what can be typed is, the rest left to its tokens, quietly.
      "S.f": { line: 15, inputs: { x: "Int" } },
      "S.g": { line: 16, inputs: { x: "Int" }, outputs: [{ name: "o0", type: { list: "Int" } }] },
    });
  });

  it("follows a decorator held in a const, here or in another module, called or made by a call (not a let, which may change)", () => {
    const module = moduleOf(
      `import { myTask, retried, tokened } from "./helpers.js";
const local = myTask;
const again = (retried);
let changing = task;
export class S {
  @myTask() static a(x: int): int { return x; }
  @retried static b(x: int): int { return x; }
  @local static c(x: int): void {}
  @again static d(x: int): void {}
  @tokened static e(f: unknown, x: int): void {}
  @changing static f(x: int): void {}
}`,
      {},
      {
        "src/helpers.ts": `import { task } from "@flytekit-ts/decorators";
import { Json } from "@flytekit-ts/core";
export const myTask = task;
export const retried = task({ retries: 2 });
export const tokened = myTask({ inputs: { f: Json } });
`,
      },
    );
    expect(module.diagnostics).toEqual([]);
    expect(module.tasks).toEqual({
      "S.a": { line: 9, inputs: { x: "Int" }, outputs: [{ name: "o0", type: "Int" }] },
      "S.b": { line: 10, inputs: { x: "Int" }, outputs: [{ name: "o0", type: "Int" }] },
      "S.c": { line: 11, inputs: { x: "Int" }, outputs: [] },
      "S.d": { line: 12, inputs: { x: "Int" }, outputs: [] },
      "S.e": { line: 13, inputs: { x: "Int" }, outputs: [] },
    });
  });

  it("names a decorator held in a const after ours in fixes", () => {
    const module = moduleOf("const retried = task({ retries: 2 });\nexport class S { @retried static a(x: any): void {} }");
    expect(module.diagnostics[0]?.fix).toBe("declare it with a token: @task({ inputs: { x: Json } })");
  });

  it("recognises the decorators whether their package resolves to its dist (types) or its src (the flytekit-ts-source condition)", () => {
    const source = `export class Row { @field({ name: "by_key" }) byKey!: int; }
const retried = task({ retries: 2 });
export class S {
  @task static a(x: int, r: Row): int { return x; }
  @retried static b(x: Map<string, bigint>): void {}
  @echo() static c(x: string): void {}
}`;
    const fromDist = analyseFixture({ "src/m.ts": HEADER + source });
    const fromSource = analyseFixture({ "src/m.ts": HEADER + source }, { compilerOptions: { customConditions: ["flytekit-ts-source"] } });
    const decorators = (fixture: typeof fromDist) => fixture.program.getSourceFiles().map((f) => f.fileName).filter((f) => f.includes("packages/decorators/"));
    expect(decorators(fromDist).some((f) => f.endsWith("packages/decorators/dist/index.d.ts"))).toBe(true);
    expect(decorators(fromSource).some((f) => f.endsWith("packages/decorators/src/index.ts"))).toBe(true);
    expect(fromSource.analyses.map((a) => a.file)).toEqual([`${fromSource.dir}/src/m.ts`]);
    const strip = (fixture: typeof fromDist) => JSON.parse(JSON.stringify(fixture.module("src/m.ts")).replaceAll(fixture.dir, "<dir>")) as unknown;
    expect(strip(fromSource)).toEqual(strip(fromDist));
    expect(Object.keys(fromDist.module("src/m.ts").tasks)).toEqual(["S.a", "S.b", "S.c"]);
    expect(fromDist.module("src/m.ts").records["src/m.ts#Row"]?.fields).toEqual([{ name: "by_key", type: "Int", property: "byKey" }]);
    // Reading core's and the decorators' whole src is slow on a loaded machine.
  }, 120_000);

  it("does not take a decorator of the same name from elsewhere for ours", () => {
    const fixture = analyseFixture({
      "src/m.ts": `function task(..._: unknown[]): any { return () => undefined; }
export class S { @task static a(x: number): void {} }`,
    });
    expect(fixture.analyses).toEqual([]);
  });

  it("takes @env.task of core's TaskEnvironment, named after the environment", () => {
    const module = moduleOf(`const env = new TaskEnvironment({ name: "etl" });
const envs = { main: env };
export class S {
  @env.task static a(x: int): int { return x; }
  @envs.main.task({ retries: 2, inputs: { x: Json } }) static b(x: any, y: string): void {}
  @env.task static c(x: any): void {}
}`);
    expect(module.diagnostics.map((d) => d.task)).toEqual(["etl.S.c"]);
    delete (module.tasks as Record<string, unknown>)["S.c"];
    expect(module.tasks).toEqual({
      "S.a": { line: 7, inputs: { x: "Int" }, outputs: [{ name: "o0", type: "Int" }] },
      "S.b": { line: 8, inputs: { y: "Str" }, outputs: [] },
    });
  });

  it("analyses a task's types in both decorator modes", () => {
    const source = "export class S { @task static a(x: int, y: string[]): Promise<{ n: int }> { return Promise.resolve({ n: 1 }); } }";
    const standard = moduleOf(source);
    const legacy = moduleOf(source, { compilerOptions: { experimentalDecorators: true, emitDecoratorMetadata: true } });
    expect(standard.tasks).toEqual(legacy.tasks);
    expect(legacy.tasks["S.a"]).toEqual({ line: 4, inputs: { x: "Int", y: { list: "Str" } }, outputs: [{ name: "n", type: "Int" }] });
  });

  it("names a task by its decorator's name option in diagnostics", () => {
    const module = moduleOf('export class S { @task({ name: "custom.add" }) static a(x: any): void {} }');
    expect(module.diagnostics[0]?.task).toBe("custom.add");
  });

  it("skips files without tasks, declaration files and files under node_modules", () => {
    const fixture = analyseFixture({
      "src/none.ts": "export const x = 1;\n",
      "src/m.ts": `${HEADER}import "./none.js";\nexport class S { @task static a(): void {} }`,
      "vendor/node_modules/dep/tasks.ts": `${HEADER}export class Dep { @task static a(x: int): void {} }`,
    });
    expect(fixture.program.getSourceFile(`${fixture.dir}/vendor/node_modules/dep/tasks.ts`)).toBeDefined();
    expect(fixture.analyses.map((a) => a.file)).toEqual([`${fixture.dir}/src/m.ts`]);
  });

  it("names the class of a class expression after its variable", () => {
    const module = moduleOf("export const Steps = class { @task static a(x: int): void {} };");
    expect(Object.keys(module.tasks)).toEqual(["Steps.a"]);
  });

  it("type-checks its fixtures: what it reads compiles", () => {
    const fixture = analyseFixture({
      "src/m.ts": `${HEADER}
export interface Point { x: number; y: int; next?: Point }
enum Color { Red = "red" }
export class S {
  @task static a(x: int, p: Point, c: Color, u: int | string | null, f: FlyteFile, m: Map<string, int[]>): Promise<{ n: int; p: Point }> { return Promise.resolve({ n: x, p }); }
  @task() b(d: Date, r: Record<string, boolean>, o?: string): void {}
}`,
    });
    const diagnostics = fixture.program.getSemanticDiagnostics(fixture.program.getSourceFile(`${fixture.dir}/src/m.ts`));
    expect(diagnostics.map((d) => pinnedTypeScript().flattenDiagnosticMessageText(d.messageText, "\n"))).toEqual([]);
    expect(fixture.diagnostics).toEqual([]);
  });
});

describe("TypeScript 5.9.3 and 6.0.3", () => {
  it("give the same analysis of every rule and every diagnostic", () => {
    const files = {
      "src/records.ts": `${INT_IMPORT}
import { field } from "@flytekit-ts/decorators";
import { Json } from "@flytekit-ts/core";
export class Row { @field({ name: "by_key" }) byKey!: int; @field(Json) meta!: unknown; note?: string }
export interface Point { x: number; y: int; next?: Point | null }
export class Base { id: string = ""; }
export class Job extends Base { points: Point[] = []; at!: Date; tags?: Record<string, string>; get size(): number { return 0; } }
export type Box = { corner: Point; kind: "a" | "b" };
export interface Bad { f: () => void; t: [number, string] }
`,
      "src/m.ts": `${HEADER}import type { Point, Job, Box, Bad, Row } from "./records.js";
import { Table } from "apache-arrow";
enum Color { Red = "red", Green = "green", Again = "red" }
enum Level { Low, High }
type U = boolean | int | string;
type Maybe<T> = T | null;
const retried = task({ retries: 2 });
const common = { inputs: { f: Json } };
export namespace NA { export class D { @task static f(x: int): void {} } }
export namespace NB { export class D { @task static f(x: string): void {} } }
export class S {
  @task static newer(a: Map<string, int>, b: bigint, c?: string, d?: string | null, e: Maybe<int | string> = null, f?: Color | "other", t?: Table): Promise<Table> { return undefined as never; }
  @retried static viaConst(x: int, r: Row): void {}
  @task(common) static viaVariable(f: unknown, x: int): void {}
  @task static scalars(a: number, b: int, c: string, d: boolean, e: Date, f: bigint): void {}
  @task static containers(a: int[], b: ReadonlyArray<string>, c: Record<string, int>, d: Map<string, Date>, e: { [k: string]: boolean }): void {}
  @task static optionals(a: string | null, b?: int, c: number | undefined, d: Date | null = null, e: number = 1): void {}
  @task static unions(a: int | string, b: U, c: U | null, d: Color, e: "x" | "y", f: Point | Box): void {}
  @task static async records(p: Point, j: Job, b: Box): Promise<{ total: number; p: Point }> { return { total: 1, p }; }
  @task static files(f: FlyteFile, d: FlyteDirectory, s: StructuredDataset): FlyteFile { return f; }
  @task static bad(f: (x: number) => string, a: any, u: unknown, o: object, t: [int], l: Level, n: 1 | 2, p: Partial<Point>, m: Map<number, string>, i: { [k: number]: string }, ...rest: number[]): void {}
  @task static badRecord(b: Bad): Set<string> { return new Set(); }
  @task() method<X>(x: X, { y }: { y: number }, z: symbol): X { return x; }
}
`,
    };
    const results = COMPILERS.map(([, compiler]) => {
      const fixture = analyseFixture(files, { ts: compiler(), links: ["apache-arrow"] });
      return JSON.parse(JSON.stringify(fixture.analyses).replaceAll(fixture.dir, "<dir>")) as unknown;
    });
    expect(results[1]).toEqual(results[0]);
    const [analysis] = results[0] as ModuleAnalysis[];
    expect(Object.keys(analysis?.tasks ?? {})).toHaveLength(13);
    const codes = new Set(analysis?.diagnostics.map((d) => d.code));
    expect(codes.size).toBeGreaterThanOrEqual(16);
    expect([...codes]).toEqual(expect.arrayContaining(["FTS1026", "FTS1027"]));
    expect(analysis?.tasks["S.newer"]).toEqual({
      line: 15,
      inputs: {
        a: { map: "Int" },
        b: "BigInt",
        c: { optional: "Str", absent: true },
        d: { optional: "Str" },
        e: { optional: { union: ["Int", "Str"] } },
        f: { optional: { enum: ["red", "green", "other"], name: "red|green|other" }, absent: true },
        t: { optional: "Table", absent: true },
      },
      outputs: [{ name: "o0", type: "Table" }],
    });
    // Two programs, each reading apache-arrow's declarations, on a loaded machine.
  }, 120_000);
});
