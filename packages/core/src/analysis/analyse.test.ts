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

  it("reads the scalars: number is Float, int Int, string Str, boolean Bool, Date Datetime, bigint Int", () => {
    const { task } = taskOf("a: number, b: int, c: string, d: boolean, e: Date, f: bigint", "void", "", { ts });
    expect(task.inputs).toEqual({ a: "Float", b: "Int", c: "Str", d: "Bool", e: "Datetime", f: "Int" });
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

  it("reads Record<string, T>, Map<string, T> and string index signatures as dicts", () => {
    const { task } = taskOf("a: Record<string, number>, b: Map<string, int[]>, c: { [key: string]: boolean }, d: ReadonlyMap<string, string>, e: Bag", "void", "interface Bag { [k: string]: Date }", { ts });
    expect(task.inputs).toEqual({ a: { dict: "Float" }, b: { dict: { list: "Int" } }, c: { dict: "Bool" }, d: { dict: "Str" }, e: { dict: "Datetime" } });
  });

  it("reads T | null, T | undefined, optional parameters and = null defaults as optional", () => {
    const { task } = taskOf("a: string | null, b: int | undefined, c: Date | null | undefined, d?: number, e: string | null = null, f: number = 1, g: boolean = true", "void", "", { ts });
    expect(task.inputs).toEqual({
      a: { optional: "Str" },
      b: { optional: "Int" },
      c: { optional: "Datetime" },
      d: { optional: "Float" },
      e: { optional: "Str" },
      // A default other than null is the function's own: the input is required.
      f: "Float",
      g: "Bool",
    });
  });

  it("reads optional from the annotation's syntax without strictNullChecks, where the checker drops null", () => {
    const loose = { ts, compilerOptions: { strict: false } };
    const { task } = taskOf("a: string | null, b: int | undefined, c?: number, d: Maybe, e: number = null, f: int | string | null, g: number = 0", "void", "type Maybe = Date | null;", loose);
    expect(task.inputs).toEqual({
      a: { optional: "Str" },
      b: { optional: "Int" },
      c: { optional: "Float" },
      d: { optional: "Datetime" },
      e: { optional: "Float" },
      f: { optional: { union: ["Int", "Str"] } },
      g: "Float",
    });
    const module = moduleOf("export interface R { a: string | null; b?: number; }\nexport class T { @task static t(r: R): void {} }", loose);
    expect(module.records["src/m.ts#R"]?.fields).toEqual([
      { name: "a", type: { optional: "Str" } },
      { name: "b", type: { optional: "Float" } },
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
      "src/m.ts#Point": { name: "Point", kind: "class", module: "src/m.ts", fields: [{ name: "x", type: "Float" }, { name: "y", type: "Int" }, { name: "label", type: { optional: "Str" } }] },
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
    expect(module.records["src/m.ts#A"]?.fields).toEqual([{ name: "b", type: { optional: { record: "src/m.ts#B" } } }]);
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
      { name: "at", type: { optional: "Datetime" } },
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
      { name: "note", type: { optional: "Str" } },
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
      fix: "declare it with a token: @task({ inputs: { f: Json } })",
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
    expect(codeOf("number & { tag: 'x' }")).toEqual(["FTS1018"]);
  });

  it("FTS1019: a library's type with no Flyte type", () => {
    expect(codeOf("Set<string>")).toEqual(["FTS1019"]);
    expect(codeOf("RegExp")).toEqual(["FTS1019"]);
    expect(codeOf("Promise<number>")).toEqual(["FTS1019"]);
    expect(errors("x: Error")[0]?.problem).toContain("Error is not a type a task can take or give");
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
        fix: "give the field a type Flyte knows, or make Point a class and declare the field's type with a token: @field(Json)",
      },
    ]);
    expect(module.diagnostics).toEqual(module.tasks["T.t"]?.errors);
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

  it("reports nothing for a class field declared with a token, and nothing for inputs declared with tokens", () => {
    const module = moduleOf(
      `export class Rec { @field(Json) payload: any; n: int = 0; }
export class T {
  @task({ inputs: { f: Json } }) static t(f: () => void, r: Rec): void {}
  @task({ outputs: Json }) static u(): any { return 1; }
}`,
      { ts },
      {},
    );
    expect(module.tasks["T.t"]).toEqual({ line: 6, inputs: { r: { record: "src/m.ts#Rec" } }, outputs: [] });
    expect(module.records["src/m.ts#Rec"]?.fields).toEqual([{ name: "n", type: "Int" }]);
    expect(module.tasks["T.u"]).toEqual({ line: 7, inputs: {} });
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
export interface Point { x: number; y: int; next?: Point | null }
export class Base { id: string = ""; }
export class Job extends Base { points: Point[] = []; at!: Date; tags?: Record<string, string>; get size(): number { return 0; } }
export type Box = { corner: Point; kind: "a" | "b" };
export interface Bad { f: () => void; t: [number, string] }
`,
      "src/m.ts": `${HEADER}import type { Point, Job, Box, Bad } from "./records.js";
enum Color { Red = "red", Green = "green" }
enum Level { Low, High }
type U = boolean | int | string;
export class S {
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
      const fixture = analyseFixture(files, { ts: compiler() });
      return JSON.parse(JSON.stringify(fixture.analyses).replaceAll(fixture.dir, "<dir>")) as unknown;
    });
    expect(results[1]).toEqual(results[0]);
    const [analysis] = results[0] as ModuleAnalysis[];
    expect(Object.keys(analysis?.tasks ?? {})).toHaveLength(9);
    expect(new Set(analysis?.diagnostics.map((d) => d.code)).size).toBeGreaterThanOrEqual(14);
  });
});
