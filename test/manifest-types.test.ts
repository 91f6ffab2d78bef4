// A task's types from its module's manifest (TypeScript's own types, as a build or the CLI's
// analysis writes them): explicit tokens win, then the manifest, then TypeScript's metadata. The
// manifest here is written by hand and registered for this file, as the CLI registers the analysis
// of a `.ts` source before importing it.
import "reflect-metadata";
import { describe, expect, it } from "vitest";
import { fileURLToPath } from "node:url";
import { Bool, Dataset, Datetime, Dict, Directory, Enum, File, Float, ImageConfig, Int, List, Optional, SerializationSettings, Str, Union, defineRecord, taskOf, templateToBinary, toTaskTemplate, type int } from "@flytekit-ts/core";
import { codeHash, recordType, registerManifest, symbolMetadata, templateToJson, tokenOfManifestType, type ManifestTask, type ManifestType, type TaskManifest } from "@flytekit-ts/core/internal";
import { field, task } from "@flytekit-ts/decorators";

const MODULE = "manifest-types.test";
const FILE = fileURLToPath(import.meta.url);
/** The records' keys: this file's module, relative to its project root (test/, which has a package.json). */
const key = (name: string) => `manifest-types.test.ts#${name}`;

// A plain `number` is assignable to `int` and back: the brand is only for the analysis.
const three: int = 3;
const alsoThree: number = three;

const COLOR: ManifestType = { enum: ["red", "green"], name: "Color" };
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
};

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

const seen: { move?: unknown } = {};

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
}
standard(
  Shapes,
  Object.fromEntries(["scale", "paint", "greet", "either", "rather", "move", "total", "stats", "later", "nothing"].map((m) => [m, task()])),
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
    return `${p.constructor.name} ${p instanceof Plain} ${p.a}`;
  }
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

  it("a class @field() does not declare is a record made from the manifest, named as the class (not the class itself)", () => {
    expect(Legacy.undecorated(Object.assign(new Plain(), { a: 2 }))).toBe("Plain false 2");
    expect(Legacy.undecorated({ a: 3 } as Plain)).toBe("Plain false 3");
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

class Broken {
  @task()
  static one(x: number): void {
    void x;
  }

  @task()
  static two(): void {}
}

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

  it("what the analysis could not type is the task's error: the first diagnostic's subject, problem, place and fix, then the others", () => {
    expect(thrown(() => taskOf(Broken.one))).toBe(
      `TaskDefinitionError: task '${MODULE}.Broken.one', input 'f': its type is \`(x: number) => string\`: a function has no Flyte type (test/manifest-types.test.ts:40:22, FTS1001); pass what it computes instead`,
    );
    expect(thrown(() => taskOf(Broken.two))).toBe(
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
    const scalars = { Int, Float, Str, Bool, Datetime, File, Directory, Dataset } as const;
    for (const [name, token] of Object.entries(scalars)) expect(of(name as ManifestType), name).toBe(token);
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
