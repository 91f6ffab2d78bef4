// A task's types from its module's manifest (TypeScript's own types, as a build or the CLI's
// analysis writes them): explicit tokens win, then the manifest, then TypeScript's metadata. The
// manifest here is written by hand and registered for this file, as the CLI registers the analysis
// of a `.ts` source before importing it.
import "reflect-metadata";
import { describe, expect, it } from "vitest";
import { fileURLToPath } from "node:url";
import { Bool, Dataset, Datetime, Dict, Directory, Enum, File, Float, ImageConfig, Int, List, Optional, Schema, SerializationSettings, Str, TypeEngine, Union, defineRecord, taskOf, templateToBinary, toTaskTemplate, type int } from "@flytekit-ts/core";
import {
  ArrowTable,
  BigIntInt,
  classFound,
  codeHash,
  literalMapOf,
  nativeInputs,
  recordType,
  registerManifest,
  symbolMetadata,
  templateToJson,
  tokenOfManifestType,
  type ManifestDiagnostic,
  type ManifestTask,
  type ManifestType,
  type TaskManifest,
} from "@flytekit-ts/core/internal";
import { field, task } from "@flytekit-ts/decorators";
import { Money, MoneyToken } from "./support/money.js";
import { conversionNow } from "../packages/core/src/types/type.js";

const MODULE = "manifest-types.test";
const FILE = fileURLToPath(import.meta.url);
/** The records' keys: this file's module, relative to its project root (test/, which has a package.json). */
const key = (name: string) => `manifest-types.test.ts#${name}`;

// A plain `number` is assignable to `int` and back: the brand is only for the analysis.
const three: int = 3;
const alsoThree: number = three;

const COLOR: ManifestType = { enum: ["red", "green"], name: "Color" };
const TAGGED: ManifestType = { record: key("Tagged") };
const MONEY: ManifestType = { record: "support/money.ts#Money" };
const POINT: ManifestType = { record: key("Point2") };
const TREE: ManifestType = { record: key("Tree") };
const VEC: ManifestType = { record: key("Vec") };

const tasks: Record<string, ManifestTask> = {
  // Standard decorators, no tokens.
  "Shapes.scale": { line: 1, inputs: { n: "Int", factor: "Float" }, outputs: [{ name: "o0", type: "Float" }] },
  "Shapes.paint": { line: 1, inputs: { color: COLOR }, outputs: [{ name: "o0", type: "Str" }] },
  "Shapes.greet": { line: 1, inputs: { name: { optional: "Str" } }, outputs: [{ name: "o0", type: "Str" }] },
  "Shapes.either": { line: 1, inputs: { v: { union: ["Int", "Str"] } }, outputs: [{ name: "o0", type: "Str" }] },
  "Shapes.rather": { line: 1, inputs: { v: { union: ["Str", "Int"] } }, outputs: [{ name: "o0", type: "Str" }] },
  "Shapes.move": { line: 1, inputs: { p: POINT, dx: "Float" }, outputs: [{ name: "o0", type: POINT }] },
  "Shapes.total": { line: 1, inputs: { tree: TREE }, outputs: [{ name: "o0", type: "Int" }] },
  "Shapes.stats": { line: 1, inputs: { xs: { list: "Int" } }, outputs: [{ name: "total", type: "Int" }, { name: "mean", type: "Float" }] },
  "Shapes.later": { line: 1, inputs: { x: "Int" }, outputs: [{ name: "o0", type: "Int" }] },
  "Shapes.nothing": { line: 1, inputs: {}, outputs: [] },
  "Shapes.prototype.bump": { line: 1, inputs: { n: "Int" }, outputs: [{ name: "o0", type: "Int" }] },
  "Shapes.double": { line: 1, inputs: { b: "BigInt" }, outputs: [{ name: "o0", type: "BigInt" }] },
  "Shapes.size": { line: 1, inputs: { m: { map: "Int" } }, outputs: [{ name: "o0", type: "Int" }] },
  "Shapes.makeMap": { line: 1, inputs: { n: "Int" }, outputs: [{ name: "o0", type: { map: "Int" } }] },
  "Shapes.maybe": { line: 1, inputs: { x: { optional: "Int", absent: true } }, outputs: [{ name: "o0", type: "Str" }] },
  "Shapes.tag": { line: 1, inputs: { t: TAGGED }, outputs: [{ name: "o0", type: TAGGED }] },
  "Shapes.norm": { line: 1, inputs: { v: { record: key("Placed") } }, outputs: [{ name: "o0", type: "Float" }] },
  "Shapes.loose": { line: 1, inputs: { l: { record: key("Loose") } }, outputs: [{ name: "o0", type: "Int" }] },
  "Shapes.pay": { line: 1, inputs: { m: MONEY }, outputs: [{ name: "o0", type: "Str" }] },
  "Same.every": {
    line: 1,
    inputs: { n: "Int", x: "Float", words: { list: "Str" }, note: { optional: "Str" }, color: COLOR, p: POINT, counts: { dict: "Int" }, v: { union: ["Int", "Str"] }, at: "Datetime" },
    outputs: [
      { name: "total", type: "Int" },
      { name: "mean", type: "Float" },
    ],
  },
  // Legacy decorators: tokens, the manifest and the metadata together.
  "Legacy.mix": { line: 1, inputs: { a: "Int", b: "Int", c: COLOR }, outputs: [{ name: "o0", type: "Str" }] },
  "Legacy.longest": { line: 1, inputs: { vs: { list: VEC } }, outputs: [{ name: "o0", type: VEC }] },
  "Legacy.count": { line: 1, inputs: { c: { record: key("Counted") } }, outputs: [{ name: "o0", type: "Int" }] },
  "NoMetadata.add": { line: 1, inputs: { x: "Int", y: "Int" }, outputs: [{ name: "o0", type: "Int" }] },
  "Legacy.undecorated": { line: 1, inputs: { p: { record: key("Plain") } }, outputs: [{ name: "o0", type: "Str" }] },
  "Legacy.plainList": { line: 1, inputs: { ps: { list: { record: key("Plain") } } }, outputs: [{ name: "o0", type: "Int" }] },
  "Legacy.keyed": { line: 1, inputs: { k: { record: key("Keyed") } }, outputs: [{ name: "o0", type: { record: key("Keyed") } }] },
  "Legacy.pay": { line: 1, inputs: { m: MONEY }, outputs: [{ name: "o0", type: "Str" }] },
  "Ordered.byManifest": { line: 1, inputs: { r: { record: key("Row") } }, outputs: [{ name: "o0", type: "Int" }] },
  // Its input is declared with a token: the analysis leaves it out.
  "Ordered.byToken": { line: 1, inputs: {}, outputs: [{ name: "o0", type: "Int" }] },
  "Job.prototype.run": { line: 1, inputs: { n: "Int" }, outputs: [{ name: "o0", type: "Int" }] },
  // Manifests that do not describe their tasks.
  "Stale.extra": { line: 1, inputs: { x: "Int", y: "Int" }, outputs: [{ name: "o0", type: "Int" }] },
  "Stale.missing": { line: 1, inputs: { x: "Int" }, outputs: [{ name: "o0", type: "Int" }] },
  "Stale.noOutputs": { line: 1, inputs: { x: "Int" } },
  "Broken.one": {
    line: 1,
    inputs: { x: "Int" },
    outputs: [],
    errors: [
      {
        code: "FTS1001",
        file: FILE,
        line: 40,
        column: 22,
        task: "Broken.one",
        subject: "input 'f'",
        typeText: "(x: number) => string",
        problem: "its type is `(x: number) => string`: a function has no Flyte type",
        fix: "pass what it computes instead",
      },
    ],
  },
  "Broken.two": {
    line: 1,
    inputs: {},
    outputs: [],
    errors: [
      { code: "FTS1001", file: FILE, line: 41, column: 3, task: "Broken.two", subject: "input 'f'", typeText: "() => void", problem: "its type is `() => void`: a function has no Flyte type", fix: "pass what it computes instead" },
      { code: "FTS1003", file: FILE, line: 41, column: 20, task: "Broken.two", subject: "output 'o0'", typeText: "any", problem: "its type is `any`, which says nothing", fix: "name the type" },
    ],
  },
  // Legacy decorators: what the analysis could not type, TypeScript's metadata may.
  "Fallback.reflected": { line: 1, inputs: { x: "Int" }, errors: [diagnostic("Fallback.reflected", "input 'at'", 50), diagnostic("Fallback.reflected", "return type", 51)] },
  "Fallback.unreflected": { line: 1, inputs: {}, outputs: [], errors: [diagnostic("Fallback.unreflected", "input 'f'", 52)] },
  "Fallback.asyncOutput": { line: 1, inputs: { x: "Int" }, errors: [diagnostic("Fallback.asyncOutput", "return type", 53)] },
  "Fallback.field": { line: 1, inputs: {}, outputs: [], errors: [diagnostic("Fallback.field", "record Job, field 'cb'", 54)] },
};

/** What the analysis writes for a type it cannot map. */
function diagnostic(task: string, subject: string, line: number): ManifestDiagnostic {
  return { code: "FTS1017", file: FILE, line, column: 3, task, subject, typeText: "Odd<T>", problem: "its type is `Odd<T>`, which has type parameters", fix: "declare it with a token" };
}

const manifest: TaskManifest = {
  format: 1,
  compiler: "typescript 6.0.3",
  source: "manifest-types.test.ts",
  hash: codeHash("the source text, as the CLI's analysis read it"),
  tasks,
  records: {
    [key("Point2")]: {
      name: "Point2",
      kind: "interface",
      module: "manifest-types.test.ts",
      fields: [
        { name: "x", type: "Float" },
        { name: "y", type: "Float" },
        { name: "label", type: { optional: "Str" } },
      ],
    },
    [key("Tree")]: {
      name: "Tree",
      kind: "alias",
      module: "manifest-types.test.ts",
      fields: [
        { name: "value", type: "Int" },
        { name: "children", type: { list: TREE } },
        { name: "next", type: { optional: TREE } },
      ],
    },
    [key("Vec")]: {
      name: "Vec",
      kind: "class",
      module: "manifest-types.test.ts",
      fields: [
        { name: "x", type: "Float" },
        { name: "y", type: "Float" },
      ],
    },
    [key("Plain")]: { name: "Plain", kind: "class", module: "manifest-types.test.ts", fields: [{ name: "a", type: "Int" }] },
    [key("Keyed")]: {
      name: "Keyed",
      kind: "class",
      module: "manifest-types.test.ts",
      fields: [
        { name: "by_key", property: "byKey", type: "Int" },
        { name: "note", type: { optional: "Str", absent: true } },
      ],
    },
    [key("Tagged")]: {
      name: "Tagged",
      kind: "interface",
      module: "manifest-types.test.ts",
      fields: [
        { name: "by_key", property: "byKey", type: "Int" },
        { name: "label", type: { optional: "Str", absent: true } },
        { name: "note", type: { optional: "Str" } },
        { name: "counts", type: { map: "Int" } },
      ],
    },
    [key("Placed")]: { name: "Placed", kind: "class", module: "manifest-types.test.ts", fields: [{ name: "x", type: "Float" }, { name: "y", type: "Float" }] },
    ["support/money.ts#Money"]: { name: "Money", kind: "class", module: "support/money.ts", fields: [{ name: "cents", type: "Float" }, { name: "currency", type: "Str" }] },
    [key("Row")]: { name: "Row", kind: "class", module: "manifest-types.test.ts", fields: [{ name: "n", type: "Int" }, { name: "xs", type: { list: "Int" } }] },
    [key("Loose")]: { name: "Loose", kind: "class", module: "manifest-types.test.ts", fields: [{ name: "n", type: "Int" }] },
    [key("Row2")]: { name: "Row2", kind: "class", module: "manifest-types.test.ts", fields: [{ name: "n", type: "Int" }, { name: "xs", type: { list: "Int" } }] },
    [key("Counted")]: {
      name: "Counted",
      kind: "class",
      module: "manifest-types.test.ts",
      fields: [
        { name: "n", type: "Int" },
        { name: "tags", type: { list: "Str" } },
        { name: "ratio", type: "Int" },
      ],
    },
  },
};
registerManifest(FILE, manifest);

/** Applies standard (TC39) decorators to static methods (and instance ones, placed with the class), as TypeScript's emit does. */
function standard(cls: Function, members: Record<string, unknown>, instance: Record<string, unknown> = {}): void {
  const metadata: object = Object.create(null);
  const initializers: Function[] = [];
  const apply = (holder: Record<string, unknown>, name: string, decorator: unknown, isStatic: boolean) => {
    const context = { kind: "method", name, static: isStatic, private: false, access: { has: () => true, get: () => undefined }, metadata, addInitializer: (f: Function) => isStatic && initializers.push(f) };
    const replaced = (decorator as (value: unknown, context: object) => unknown)(holder[name], context);
    if (typeof replaced === "function") Object.defineProperty(holder, name, { value: replaced, writable: true, configurable: true });
  };
  for (const [name, d] of Object.entries(members)) apply(cls as unknown as Record<string, unknown>, name, d, true);
  for (const [name, d] of Object.entries(instance)) apply(cls.prototype as Record<string, unknown>, name, d, false);
  Object.defineProperty(cls, symbolMetadata(), { value: metadata, configurable: true, writable: true, enumerable: true });
  for (const f of initializers) f.call(cls);
}

interface Point2 {
  x: number;
  y: number;
  label?: string | null;
}
type Tree = { value: int; children: Tree[]; next?: Tree | null };
interface Tagged {
  byKey: int;
  label?: string;
  note: string | null;
  counts: Map<string, int>;
}

const seen: { move?: unknown; tag?: unknown } = {};

/** Applies standard (TC39) field decorators to a class, as TypeScript's emit does. */
function standardFields(cls: Function, fields: Record<string, unknown>): void {
  const metadata: object = Object.create(null);
  for (const [name, decorator] of Object.entries(fields)) {
    const context = { kind: "field", name, static: false, private: false, access: { has: () => true, get: () => undefined, set: () => undefined }, metadata, addInitializer: () => undefined };
    (decorator as (value: undefined, context: object) => unknown)(undefined, context);
  }
  Object.defineProperty(cls, symbolMetadata(), { value: metadata, configurable: true, writable: true, enumerable: true });
}

// A record class declared with standard decorators, with a method.
class Placed {
  x = 0;
  y = 0;
  norm(): number {
    return Math.hypot(this.x, this.y);
  }
}
standardFields(Placed, { x: field(Float), y: field(Float) });

// Its field has no token: standard decorators carry no type, its module's manifest gives one.
class Loose {
  n!: int;
}
standardFields(Loose, { n: field });

class Shapes {
  static scale(n: int, factor: number): number {
    return n * factor;
  }
  static paint(color: "red" | "green"): string {
    return `painted ${color}`;
  }
  static greet(name: string | null): string {
    return `hello, ${name ?? "nobody"}`;
  }
  static either(v: int | string): string {
    return typeof v;
  }
  static rather(v: string | int): string {
    return typeof v;
  }
  static move(p: Point2, dx: number): Point2 {
    seen.move = p;
    return { ...p, x: p.x + dx };
  }
  static total(tree: Tree): int {
    return tree.value + tree.children.reduce((s, c) => s + Shapes.total(c), 0) + (tree.next == null ? 0 : Shapes.total(tree.next));
  }
  static stats(xs: int[]): { total: int; mean: number } {
    const total = xs.reduce((a, b) => a + b, 0);
    return { total, mean: total / xs.length };
  }
  static async later(x: int): Promise<int> {
    await Promise.resolve();
    return x + 1;
  }
  static nothing(): void {}
  bump(n: int): int {
    return n + 1;
  }
  static double(b: bigint): bigint {
    return b * 2n;
  }
  static size(m: Map<string, int>): int {
    return m.size;
  }
  static makeMap(n: int): Map<string, int> {
    return new Map([["n", n]]);
  }
  static maybe(x?: int): string {
    return x === undefined ? "undefined" : String(x);
  }
  static tag(t: Tagged): Tagged {
    seen.tag = t;
    return t;
  }
  static norm(v: Placed): number {
    if (!(v instanceof Placed)) throw new Error("not a Placed");
    return v.norm();
  }
  static pay(m: Money): string {
    return `${m instanceof Money} ${m.toString()}`;
  }
  static loose(l: Loose): int {
    if (!(l instanceof Loose)) throw new Error("not a Loose");
    return l.n;
  }
}
standard(
  Shapes,
  Object.fromEntries(["scale", "paint", "greet", "either", "rather", "move", "total", "stats", "later", "nothing", "double", "size", "makeMap", "maybe", "tag", "norm", "pay", "loose"].map((m) => [m, task()])),
  { bump: task() },
);

/** What a call threw, as the user sees it. */
function thrown(f: () => unknown): string {
  try {
    f();
  } catch (e) {
    return `${(e as Error).constructor.name}: ${(e as Error).message}`;
  }
  throw new Error("it did not throw");
}

const signature = (handle: Function) => {
  const t = taskOf(handle as never);
  return { inputs: t.interface.inputs.map((v) => `${v.name}:${v.type.name}${v.optional ? "?" : ""}`), outputs: t.interface.outputs.map((v) => `${v.name}:${v.type.name}`) };
};

describe("standard decorators and no tokens: the manifest types the task", () => {
  it("an int is Int: 1.5 is refused, naming the task and the input", () => {
    expect(alsoThree).toBe(3);
    expect(signature(Shapes.scale)).toEqual({ inputs: ["n:Int", "factor:Float"], outputs: ["o0:Float"] });
    expect(Shapes.scale(3, 0.5)).toBe(1.5);
    expect(thrown(() => Shapes.scale(1.5, 2))).toBe(`TaskInputError: task '${MODULE}.Shapes.scale', input 'n': expected Int, got 1.5 (number)`);
  });

  it("a string enum is an Enum: another value is refused, naming the input and the values allowed", () => {
    expect(signature(Shapes.paint)).toEqual({ inputs: ["color:Color"], outputs: ["o0:Str"] });
    expect(Shapes.paint("red")).toBe("painted red");
    expect(thrown(() => Shapes.paint("purple" as never))).toBe(`TaskInputError: task '${MODULE}.Shapes.paint', input 'color': expected Color, got "purple" (string): not one of "red", "green"`);
  });

  it("T | null is Optional: null (or nothing) is taken", () => {
    expect(signature(Shapes.greet)).toEqual({ inputs: ["name:Optional(Str)?"], outputs: ["o0:Str"] });
    expect(Shapes.greet(null)).toBe("hello, nobody");
    expect((Shapes.greet as () => string)()).toBe("hello, nobody");
    expect(Shapes.greet("ann")).toBe("hello, ann");
  });

  it("a union keeps the order it was written in, which decides the variant a value is written as", () => {
    const either = taskOf(Shapes.either as never).interface.inputs[0]!.type;
    const rather = taskOf(Shapes.rather as never).interface.inputs[0]!.type;
    expect([either.name, rather.name]).toEqual(["Union(Int, Str)", "Union(Str, Int)"]);
    const tags = (t: typeof either) => (t.literalType.type.value as { variants: { structure?: { tag: string } }[] }).variants.map((v) => v.structure?.tag);
    expect(tags(either)).toEqual(["int", "str"]);
    expect(tags(rather)).toEqual(["str", "int"]);
    expect([Shapes.either(3), Shapes.either("3"), Shapes.rather(3)]).toEqual(["number", "string", "number"]);
    expect(thrown(() => Shapes.either(1.5))).toMatch(new RegExp(`^TaskInputError: task '${MODULE.replace(/\./g, "\\.")}\\.Shapes\\.either', input 'v': expected Union\\(Int, Str\\), got 1\\.5 \\(number\\)`));
  });

  it("an interface's record takes a plain object (or any object with its fields) and gives plain objects back", () => {
    expect(signature(Shapes.move)).toEqual({ inputs: ["p:Point2", "dx:Float"], outputs: ["o0:Point2"] });
    const moved = Shapes.move({ x: 1, y: 2 }, 3);
    expect(moved).toEqual({ x: 4, y: 2, label: null });
    expect(Object.getPrototypeOf(moved)).toBe(Object.prototype);
    // What the task was given is a plain object too, the optional field missing read as null.
    expect(seen.move).toEqual({ x: 1, y: 2, label: null });
    expect(Object.getPrototypeOf(seen.move)).toBe(Object.prototype);
    // Any object with the fields will do.
    class Located {
      x = 5;
      y = 6;
      label = "here";
    }
    expect(Shapes.move(new Located(), 1)).toEqual({ x: 6, y: 6, label: "here" });
    expect(thrown(() => Shapes.move({ x: 1, y: 2, z: 3 } as never, 1))).toBe(
      `TaskInputError: task '${MODULE}.Shapes.move', input 'p': expected Point2, got {"x":1,"y":2,"z":3} (object): it has a field "z" that Point2 does not declare (fields: x, y, label)`,
    );
    expect(thrown(() => Shapes.move({ x: 1 } as never, 1))).toBe(`TaskInputError: task '${MODULE}.Shapes.move', input 'p'.y: expected Float, got nothing: field "y" of Point2 is missing`);
  });

  it("a recursive record resolves to itself, one type for the manifest's record", () => {
    const tree: Tree = { value: 1, children: [{ value: 2, children: [] }, { value: 3, children: [{ value: 4, children: [] }] }], next: { value: 10, children: [] } };
    expect(Shapes.total(tree)).toBe(20);
    const type = taskOf(Shapes.total as never).interface.inputs[0]!.type as ReturnType<typeof recordType>;
    expect(type.fields.map((f) => `${f.name}:${f.type.name}`)).toEqual(["value:Int", "children:List(Tree)", "next:Optional(Tree)"]);
    expect((type.fields[1]!.type as unknown as { element: unknown }).element).toBe(type);
    expect(thrown(() => Shapes.total({ value: 1, children: [{ value: 1.5, children: [] }] }))).toBe(`TaskInputError: task '${MODULE}.Shapes.total', input 'tree'.children[0].value: expected Int, got 1.5 (number)`);
  });

  it("an object-literal return type is named outputs; an async method's outputs are what its promise resolves to", async () => {
    expect(signature(Shapes.stats)).toEqual({ inputs: ["xs:List(Int)"], outputs: ["total:Int", "mean:Float"] });
    expect(Shapes.stats([1, 2, 3])).toEqual({ total: 6, mean: 2 });
    expect(signature(Shapes.later)).toEqual({ inputs: ["x:Int"], outputs: ["o0:Int"] });
    await expect(Shapes.later(2)).resolves.toBe(3);
    expect(signature(Shapes.nothing)).toEqual({ inputs: [], outputs: [] });
    expect(new Shapes().bump(1)).toBe(2);
    expect(signature(Shapes.prototype.bump)).toEqual({ inputs: ["n:Int"], outputs: ["o0:Int"] });
  });

  it("a bigint is an Int whose values are always bigints: the body does bigint arithmetic, a number is taken too", () => {
    expect(signature(Shapes.double)).toEqual({ inputs: ["b:Int"], outputs: ["o0:Int"] });
    expect(Shapes.double(21n)).toBe(42n);
    expect(Shapes.double(21 as unknown as bigint)).toBe(42n);
    expect(thrown(() => Shapes.double(1.5 as unknown as bigint))).toBe(`TaskInputError: task '${MODULE}.Shapes.double', input 'b': expected Int, got 1.5 (number)`);
    // Int's literal type: the template does not change.
    expect(taskOf(Shapes.double as never).interface.inputs[0]!.type.literalType).toEqual(Int.literalType);
  });

  it("a Map<string, T> is a Dict the body gets as a Map, and a Map it returns comes back as one", () => {
    expect(signature(Shapes.size)).toEqual({ inputs: ["m:Dict(Int)"], outputs: ["o0:Int"] });
    expect(Shapes.size(new Map([["a", 1], ["b", 2]]))).toBe(2);
    expect(Shapes.size({ a: 1 } as unknown as Map<string, int>)).toBe(1);
    const made = Shapes.makeMap(7);
    expect(made).toBeInstanceOf(Map);
    expect(made.get("n")).toBe(7);
    expect(taskOf(Shapes.size as never).interface.inputs[0]!.type.literalType).toEqual(Dict(Int).literalType);
    expect(thrown(() => Shapes.size(new Map([["a", 1.5]])))).toBe(`TaskInputError: task '${MODULE}.Shapes.size', input 'm'["a"]: expected Int, got 1.5 (number)`);
  });

  it("x?: T gives undefined, not null, for nothing or none; T | null stays null", () => {
    expect(signature(Shapes.maybe)).toEqual({ inputs: ["x:Optional(Int)?"], outputs: ["o0:Str"] });
    expect((Shapes.maybe as () => string)()).toBe("undefined");
    expect(Shapes.maybe(undefined)).toBe("undefined");
    expect(Shapes.maybe(null as unknown as undefined)).toBe("undefined");
    expect(Shapes.maybe(2)).toBe("2");
    // Inputs without the value at all (a launch that leaves it out): undefined too.
    const t = taskOf(Shapes.maybe as never);
    expect(nativeInputs(t, literalMapOf({}), conversionNow())).toEqual({ x: undefined });
    expect(Object.hasOwn(nativeInputs(taskOf(Shapes.greet as never), literalMapOf({}), conversionNow()), "name")).toBe(true);
    expect(nativeInputs(taskOf(Shapes.greet as never), literalMapOf({}), conversionNow())).toEqual({ name: null });
    expect(t.interface.inputs[0]!.type.literalType).toEqual(Optional(Int).literalType);
  });

  it("an interface's field x?: T is left out when none, T | null is null; a field named otherwise in Flyte is held by its property; a Map field is a Map", () => {
    const type = taskOf(Shapes.tag as never).interface.inputs[0]!.type as ReturnType<typeof recordType>;
    expect(type.fields.map((f) => `${f.name}/${f.property}:${f.type.name}`)).toEqual(["by_key/byKey:Int", "label/label:Optional(Str)", "note/note:Optional(Str)", "counts/counts:Dict(Int)"]);
    const back = Shapes.tag({ byKey: 1, note: null, counts: new Map([["a", 1]]) });
    expect(Object.keys(back)).toEqual(["byKey", "note", "counts"]);
    expect(back).toEqual({ byKey: 1, note: null, counts: new Map([["a", 1]]) });
    expect(seen.tag).toEqual({ byKey: 1, note: null, counts: new Map([["a", 1]]) });
    expect("label" in (seen.tag as object)).toBe(false);
    expect(Shapes.tag({ byKey: 2, label: "x", note: "n", counts: new Map() })).toEqual({ byKey: 2, label: "x", note: "n", counts: new Map() });
    // In Flyte the field is by_key.
    expect(type.toJsonValue({ byKey: 1, note: null, counts: {} })).toEqual({ by_key: 1, label: null, note: null, counts: {} });
  });

  it("a record class declared with standard @field(), once met (its module loaded by the resolver, or any lookup), is the class itself: methods work, instanceof holds", () => {
    // What DefaultTaskResolver does with the classes a task's module exports, and any lookup of the class.
    classFound(Placed);
    expect(Shapes.norm(Object.assign(new Placed(), { x: 3, y: 4 }))).toBe(5);
    expect(taskOf(Shapes.norm as never).interface.inputs[0]!.type).toBe(recordType(Placed));
    // A standard @field() without a token: its module's manifest types it (without one, it fails where the class is used).
    classFound(Loose);
    expect(Shapes.loose(Object.assign(new Loose(), { n: 4 }))).toBe(4);
    expect(recordType(Loose).fields.map((f) => `${f.name}:${f.type.name}`)).toEqual(["n:Int"]);
    expect(thrown(() => Shapes.loose(Object.assign(new Loose(), { n: 1.5 })))).toBe(`TaskInputError: task '${MODULE}.Shapes.loose', input 'l'.n: expected Int, got 1.5 (number)`);
  });

  it("a class registered as a type's native (TypeEngine.register) is that type, not a record made from the manifest", () => {
    expect(signature(Shapes.pay)).toEqual({ inputs: ["m:Money"], outputs: ["o0:Str"] });
    expect(taskOf(Shapes.pay as never).interface.inputs[0]!.type).toBe(MoneyToken);
    expect(Shapes.pay(new Money(1250, "EUR"))).toBe("true 12.50 EUR");
  });
});

class Vec {
  @field() x!: number;
  @field() y!: number;
  norm(): number {
    return Math.hypot(this.x, this.y);
  }
}

// A class no decorator declares: nothing knows it but its name.
class Plain {
  a = 0;
  twice(): number {
    return this.a * 2;
  }
}

class Counted {
  @field() n!: number;
  @field() tags!: string[];
  @field(Float) ratio!: number;
}

enum Color {
  Red = "red",
  Green = "green",
}

// No decorator declares it; the manifest names its field byKey "by_key" in Flyte.
class Keyed {
  byKey = 0;
  note?: string;
}

class Legacy {
  // A token for a, the manifest for b (TypeScript's metadata says Number, a Float) and c (String).
  @task({ inputs: { a: Float } })
  static mix(a: number, b: int, c: Color): string {
    return `${a} ${b} ${c}`;
  }

  @task()
  static longest(vs: Vec[]): Vec {
    if (!vs.every((v) => v instanceof Vec)) throw new Error("not Vecs");
    return vs.reduce((a, b) => (b.norm() > a.norm() ? b : a));
  }

  @task()
  static count(c: Counted): int {
    return c.n + c.tags.length;
  }

  @task()
  static undecorated(p: Plain): string {
    return `${p.constructor.name} ${p instanceof Plain} ${p.twice()}`;
  }

  @task()
  static plainList(ps: Plain[]): int {
    return ps.reduce((sum, p) => sum + p.twice(), 0);
  }

  @task()
  static keyed(k: Keyed): Keyed {
    if (!(k instanceof Keyed)) throw new Error("not a Keyed");
    return Object.assign(new Keyed(), { byKey: k.byKey + 1 });
  }

  @task()
  static pay(m: Money): string {
    return `${m instanceof Money} ${m.toString()}`;
  }
}

// A legacy record class whose fields the metadata types as Float (n: int) or erases (xs: int[]).
class Row {
  @field() n!: int;
  @field() xs!: int[];
}

class Ordered {
  @task({ inputs: { r: Row } })
  static byToken(r: Row): int {
    return r.n + r.xs.length;
  }

  @task()
  static byManifest(r: Row): int {
    return r.n;
  }
}

class Fallback {
  @task()
  static reflected(x: int, at: Date): number {
    return x + at.getUTCFullYear();
  }

  @task()
  static unreflected(f: (x: number) => string): void {
    void f;
  }

  @task()
  static async asyncOutput(x: int): Promise<number> {
    return x;
  }

  @task()
  static field(): void {}
}

// Not in the manifest: TypeScript's metadata types it.
class Unlisted {
  @task()
  static half(x: number): number {
    return x / 2;
  }
}

@task()
class Job {
  run(n: int): int {
    return n * 10;
  }
}

describe("legacy decorators: explicit tokens, then the manifest, then TypeScript's metadata", () => {
  it("a token wins over the manifest, which wins over the metadata (int is Int, a string enum an Enum)", () => {
    expect(signature(Legacy.mix)).toEqual({ inputs: ["a:Float", "b:Int", "c:Color"], outputs: ["o0:Str"] });
    expect(Legacy.mix(1.5, 2, Color.Green)).toBe("1.5 2 green");
    expect(thrown(() => Legacy.mix(1, 2, "blue" as Color))).toBe(`TaskInputError: task '${MODULE}.Legacy.mix', input 'c': expected Color, got "blue" (string): not one of "red", "green"`);
  });

  it("a legacy decorator without TypeScript's metadata (a toolchain that drops it, as esbuild) is typed by the manifest", () => {
    class NoMetadata {
      static add(x: int, y: int): int {
        return x + y;
      }
      static sub(x: int, y: int): int {
        return x - y;
      }
    }
    // Applied as esbuild applies a legacy decorator: no design:paramtypes.
    for (const name of ["add", "sub"] as const) {
      const descriptor = Object.getOwnPropertyDescriptor(NoMetadata, name)!;
      Object.defineProperty(NoMetadata, name, (task() as unknown as (t: object, k: string, d: PropertyDescriptor) => PropertyDescriptor)(NoMetadata, name, descriptor));
    }
    expect(signature(NoMetadata.add)).toEqual({ inputs: ["x:Int", "y:Int"], outputs: ["o0:Int"] });
    expect(NoMetadata.add(1, 2)).toBe(3);
    // Not in the manifest: what there was before, with a build as one more fix.
    expect(thrown(() => taskOf(NoMetadata.sub))).toMatch(/^TaskDefinitionError: task '[^']*NoMetadata\.sub': TypeScript emitted no type metadata for it .*; or declare every input and output explicitly; or build with `flytekit-ts build` \(types from TypeScript\)$/);
  });

  it("a task the manifest does not list is typed by the metadata", () => {
    expect(signature(Unlisted.half)).toEqual({ inputs: ["x:Float"], outputs: ["o0:Float"] });
  });

  it("a class declared as a task is found by its run method", () => {
    expect(signature(Job)).toEqual({ inputs: ["n:Int"], outputs: ["o0:Int"] });
    expect(new Job().run(4)).toBe(40);
  });

  it("a record class with methods stays its class: the reflected one, and the one @field() noted for its module", () => {
    const a = Object.assign(new Vec(), { x: 3, y: 4 });
    const b = Object.assign(new Vec(), { x: 1, y: 1 });
    const longest = Legacy.longest([b, a]);
    expect(longest).toBeInstanceOf(Vec);
    expect(longest.norm()).toBe(5);
    expect(signature(Legacy.longest)).toEqual({ inputs: ["vs:List(Vec)"], outputs: ["o0:Vec"] });
    expect(taskOf(Legacy.longest).interface.outputs[0]!.type).toBe(recordType(Vec));
  });

  it("a class @field() does not declare is the class TypeScript reflects, its fields the manifest's: methods work, instanceof holds", () => {
    expect(Legacy.undecorated(Object.assign(new Plain(), { a: 2 }))).toBe("Plain true 4");
    expect(Legacy.undecorated({ a: 3 } as Plain)).toBe("Plain true 6");
    expect(recordType(Plain).fields.map((f) => `${f.name}:${f.type.name}`)).toEqual(["a:Int"]);
    expect(taskOf(Legacy.undecorated).interface.inputs[0]!.type).toBe(recordType(Plain));
    // Met again inside a list (no metadata there), it is the same class.
    expect(Legacy.plainList([Object.assign(new Plain(), { a: 1 }), Object.assign(new Plain(), { a: 2 })])).toBe(6);
  });

  it("the manifest's field named otherwise in Flyte is held by its TypeScript property", () => {
    const back = Legacy.keyed(Object.assign(new Keyed(), { byKey: 3 }));
    expect(back).toBeInstanceOf(Keyed);
    expect(back.byKey).toBe(4);
    const type = recordType(Keyed);
    expect(type.fields.map((f) => `${f.name}/${f.property}:${f.type.name}`)).toEqual(["by_key/byKey:Int", "note/note:Optional(Str)"]);
    expect(type.toJsonValue(back)).toEqual({ by_key: 4, note: null });
  });

  it("a class registered as a type's native (TypeEngine.register) is that type, the reflected class, not the manifest's record", () => {
    expect(signature(Legacy.pay)).toEqual({ inputs: ["m:Money"], outputs: ["o0:Str"] });
    expect(taskOf(Legacy.pay).interface.inputs[0]!.type).toBe(MoneyToken);
    expect(Legacy.pay(new Money(5, "USD"))).toBe("true 0.05 USD");
  });

  it("a record class's fields the metadata typed take the manifest's types whichever task is built first: one declared with a token", () => {
    expect(signature(Ordered.byToken)).toEqual({ inputs: ["r:Row"], outputs: ["o0:Int"] });
    expect(recordType(Row).fields.map((f) => `${f.name}:${f.type.name}`)).toEqual(["n:Int", "xs:List(Int)"]);
    expect(Ordered.byToken(Object.assign(new Row(), { n: 1, xs: [1, 2] }))).toBe(3);
    expect(thrown(() => Ordered.byToken(Object.assign(new Row(), { n: 1.5, xs: [] })))).toBe(`TaskInputError: task '${MODULE}.Ordered.byToken', input 'r'.n: expected Int, got 1.5 (number)`);
    expect(taskOf(Ordered.byManifest).interface.inputs[0]!.type).toBe(recordType(Row));
  });

  it("a record class first used as a type, no task built, takes its fields' types from its own module's manifest", () => {
    // Declared now, after this module's manifest was first read.
    class Row2 {
      @field() n!: int;
      @field() xs!: int[];
    }
    expect(recordType(Row2).fields.map((f) => `${f.name}:${f.type.name}`)).toEqual(["n:Int", "xs:List(Int)"]);
    expect(() => TypeEngine.toLiteral(Row2, Object.assign(new Row2(), { n: 2.5, xs: [3] }))).toThrow("expected Int, got 2.5");
  });

  it("what the analysis could not type of an input or the outputs, TypeScript's metadata types, as without a manifest", () => {
    expect(signature(Fallback.reflected)).toEqual({ inputs: ["x:Int", "at:Datetime"], outputs: ["o0:Float"] });
    expect(Fallback.reflected(1, new Date("2020-01-01T00:00:00Z"))).toBe(2021);
  });

  it("where the metadata cannot type it either, the analysis's diagnostic; a record field's diagnostic refuses the task", () => {
    expect(thrown(() => taskOf(Fallback.unreflected))).toBe(
      `TaskDefinitionError: task '${MODULE}.Fallback.unreflected', input 'f': its type is \`Odd<T>\`, which has type parameters (test/manifest-types.test.ts:52:3, FTS1017); declare it with a token`,
    );
    expect(thrown(() => taskOf(Fallback.asyncOutput))).toBe(
      `TaskDefinitionError: task '${MODULE}.Fallback.asyncOutput', return type: its type is \`Odd<T>\`, which has type parameters (test/manifest-types.test.ts:53:3, FTS1017); declare it with a token`,
    );
    expect(thrown(() => taskOf(Fallback.field))).toBe(
      `TaskDefinitionError: task '${MODULE}.Fallback.field', record Job, field 'cb': its type is \`Odd<T>\`, which has type parameters (test/manifest-types.test.ts:54:3, FTS1017); declare it with a token`,
    );
  });

  it("the manifest types the fields @field() left to the metadata; a field's token stays", () => {
    expect(Legacy.count(Object.assign(new Counted(), { n: 2, tags: ["a", "b"], ratio: 0.5 }))).toBe(4);
    expect(recordType(Counted).fields.map((f) => `${f.name}:${f.type.name}`)).toEqual(["n:Int", "tags:List(Str)", "ratio:Float"]);
  });
});

class Stale {
  @task()
  static extra(x: number): number {
    return x;
  }

  @task()
  static missing(x: number, y: number): number {
    return x + y;
  }

  @task()
  static noOutputs(x: number): number {
    return x;
  }
}

// Standard decorators: no metadata to fall back to.
class Broken {
  static one(x: number): void {
    void x;
  }

  static two(): void {}
}
standard(Broken, { one: task(), two: task() });

describe("a manifest that does not describe its tasks", () => {
  const analysis = "the analysis of test/manifest-types.test.ts";
  it("a parameter it types that the function does not have, or one it leaves out, or no outputs: stale, rebuild", () => {
    expect(thrown(() => taskOf(Stale.extra))).toBe(
      `TaskDefinitionError: task '${MODULE}.Stale.extra', input 'y': ${analysis} types it, but it is not a parameter (parameters: x): the manifest is stale; rebuild with \`flytekit-ts build\``,
    );
    expect(thrown(() => taskOf(Stale.missing))).toBe(
      `TaskDefinitionError: task '${MODULE}.Stale.missing', input 'y': ${analysis} has no type for it, though it is a parameter without a token: the manifest is stale; rebuild with \`flytekit-ts build\``,
    );
    expect(thrown(() => taskOf(Stale.noOutputs))).toBe(
      `TaskDefinitionError: task '${MODULE}.Stale.noOutputs', outputs: ${analysis} has no outputs for it, though the task declares none: the manifest is stale; rebuild with \`flytekit-ts build\``,
    );
  });

  it("what the analysis could not type is the task's error (standard decorators): the first diagnostic's subject, problem, place and fix, then the others", () => {
    expect(thrown(() => taskOf(Broken.one as never))).toBe(
      `TaskDefinitionError: task '${MODULE}.Broken.one', input 'f': its type is \`(x: number) => string\`: a function has no Flyte type (test/manifest-types.test.ts:40:22, FTS1001); pass what it computes instead`,
    );
    expect(thrown(() => taskOf(Broken.two as never))).toBe(
      `TaskDefinitionError: task '${MODULE}.Broken.two', input 'f': its type is \`() => void\`: a function has no Flyte type (test/manifest-types.test.ts:41:3, FTS1001); pass what it computes instead. ` +
        "And 1 more: output 'o0': its type is `any`, which says nothing (test/manifest-types.test.ts:41:20, FTS1003); name the type",
    );
  });
});

describe("templates", () => {
  it("a task typed by the manifest serializes to the same bytes as the task declared with tokens", () => {
    // Two classes of one name (the template names the class its container loads), one typed by the manifest, one by tokens.
    const byManifest = (() => {
      class Same {
        static every(n: int, x: number, words: string[], note: string | null, color: Color, p: Point2, counts: Record<string, int>, v: int | string, at: Date): { total: int; mean: number } {
          return { total: n + words.length + Object.keys(counts).length + (note === null ? 0 : 1) + color.length + p.x + String(v).length + at.getTime(), mean: x };
        }
      }
      standard(Same, { every: task({ name: "same.every" }) });
      return Same;
    })();
    const byTokens = (() => {
      class Point2 {}
      defineRecord(Point2, { x: Float, y: Float, label: Optional(Str) } as never);
      const inputs = { n: Int, x: Float, words: List(Str), note: Optional(Str), color: Enum(Color), p: Point2, counts: Dict(Int), v: Union(Int, Str), at: Date };
      class Same {
        static every(n: number, x: number, words: string[], note: string | null, color: Color, p: Point2, counts: Record<string, number>, v: number | string, at: Date): unknown {
          return [n, x, words, note, color, p, counts, v, at];
        }
      }
      standard(Same, { every: task({ name: "same.every", inputs, outputs: { total: Int, mean: Float } }) });
      return Same;
    })();

    const settings = new SerializationSettings({ project: "p", domain: "d", version: "v1", imageConfig: ImageConfig.auto("ghcr.io/acme/app:v1") });
    const fromManifest = taskOf(byManifest.every as never);
    const fromTokens = taskOf(byTokens.every as never);
    expect(fromManifest.interface.inputs.map((v) => v.type.name)).toEqual(["Int", "Float", "List(Str)", "Optional(Str)", "Color", "Point2", "Dict(Int)", "Union(Int, Str)", "Datetime"]);
    expect(templateToJson(toTaskTemplate(fromManifest, settings))).toEqual(templateToJson(toTaskTemplate(fromTokens, settings)));
    expect(Buffer.from(templateToBinary(toTaskTemplate(fromManifest, settings))).equals(Buffer.from(templateToBinary(toTaskTemplate(fromTokens, settings))))).toBe(true);
  });
});

describe("tokenOfManifestType", () => {
  const where = "input 'x'";
  const of = (type: ManifestType, m: TaskManifest = manifest) => tokenOfManifestType(type, m, where);

  it("maps each scalar the manifest names to its token", () => {
    const scalars = { Int, Float, Str, Bool, Datetime, File, Directory, Dataset, BigInt: BigIntInt, Table: ArrowTable, Schema } as const;
    for (const [name, token] of Object.entries(scalars)) expect(of(name as ManifestType), name).toBe(token);
    // A whole table (apache-arrow's Table), as the metadata's Table is.
    expect(of("Table").name).toBe("Table");
  });

  it("a Map's dict gives Maps, an optional written x?: T gives undefined for none, each with the LiteralType of its plain kind", () => {
    const map = of({ map: { list: "Int" } });
    expect(map.literalType).toEqual(Dict(List(Int)).literalType);
    expect(map.fromLiteral(map.toLiteral({ a: [1] }))).toEqual(new Map([["a", [1]]]));
    const absent = of({ optional: "Str", absent: true });
    expect(absent.name).toBe("Optional(Str)");
    expect(absent.literalType).toEqual(Optional(Str).literalType);
    expect(absent.fromLiteral(absent.toLiteral(null))).toBeUndefined();
    expect(absent.fromLiteral(absent.toLiteral("s"))).toBe("s");
    const present = of({ optional: "Str" });
    expect(present.fromLiteral(present.toLiteral(undefined))).toBeNull();
  });

  it("lists, dicts, optionals, unions in their order, enums named as the manifest names them", () => {
    expect(of({ list: { dict: { optional: "Int" } } }).name).toBe("List(Dict(Optional(Int)))");
    expect(of({ union: ["Str", "Int", "Bool"] }).name).toBe("Union(Str, Int, Bool)");
    const color = of({ enum: ["b", "a"], name: "Shade" });
    expect(color.name).toBe("Shade");
    expect(color.literalType.type).toEqual({ case: "enumType", value: expect.objectContaining({ values: ["b", "a"] }) });
  });

  it("one record type per manifest record: the same for the same key, another for another manifest", () => {
    expect(of(POINT)).toBe(of(POINT));
    const other = { ...manifest };
    expect(of(POINT, other)).not.toBe(of(POINT));
    expect(of(POINT, other).literalType).toEqual(of(POINT).literalType);
  });

  it("refuses a record the manifest does not describe", () => {
    expect(() => of({ record: "elsewhere.ts#Gone" })).toThrow(`input 'x': the manifest names the record "elsewhere.ts#Gone", which it does not describe; rebuild with \`flytekit-ts build\``);
  });
});
