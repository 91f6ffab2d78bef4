// TypeScript's own types, end to end: a project without a single token is analysed (analyseProgram)
// and emitted from one program, a manifest is written beside each emitted module (as
// `flytekit-ts build` writes it), and the compiled tasks run in Node with the types TypeScript
// knows, with standard decorators and with legacy ones.
import { codeHash, MANIFEST_FORMAT, manifestPathOf, type TaskManifest } from "@flytekit-ts/core/internal";
import { readFileSync, writeFileSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { describe, expect, it } from "vitest";
import { analyseProgram } from "../packages/core/src/analysis/analyse.js";
import { FIXTURE_OPTIONS, fixtureProgram, fixtureProject } from "../packages/core/src/analysis/testing.js";
import { pinnedTypeScript } from "../packages/core/src/loader/pinned-typescript.js";
import { cleanEnv, runProcess } from "./support/execute.js";

const SLOW = 300_000;

const PIPELINES = `
import type { int } from "@flytekit-ts/core";
import { task } from "@flytekit-ts/decorators";

export enum Color {
  Red = "red",
  Green = "green",
}

export interface Point {
  x: number;
  y: number;
  label?: string;
}

export type Tree = { value: int; children: Tree[] };

export class Pipelines {
  @task()
  static add(x: int, y: int): int {
    return x + y;
  }

  @task()
  static paint(color: Color): string {
    return "painted " + color;
  }

  @task()
  static greet(name: string | null = null): string {
    return "hello, " + (name ?? "nobody");
  }

  @task()
  static either(v: int | string): string {
    return typeof v;
  }

  @task()
  static move(p: Point, dx: number): Point {
    return { ...p, x: p.x + dx };
  }

  @task()
  static total(tree: Tree): int {
    return tree.value + tree.children.reduce((s, c) => s + Pipelines.total(c), 0);
  }

  @task()
  static async stats(xs: int[]): Promise<{ total: int; mean: number }> {
    const total = xs.reduce((a, b) => a + b, 0);
    return { total, mean: total / xs.length };
  }
}
`;

// Legacy decorators only: a record class with methods, which @field() declares without tokens.
const VECTORS = `
import type { int } from "@flytekit-ts/core";
import { field, task } from "@flytekit-ts/decorators";

export class Vec {
  @field() x!: number;
  @field() y!: number;
  norm(): number {
    return Math.hypot(this.x, this.y);
  }
}

// A class no decorator declares, with a method: TypeScript reflects it for the parameter.
export class Money {
  cents: int = 0;
  currency: string = "EUR";
  show(): string {
    return this.currency + " " + (this.cents / 100).toFixed(2);
  }
}

export class Vectors {
  @task()
  static longest(vs: Vec[]): Vec {
    if (!vs.every((v) => v instanceof Vec)) throw new Error("not Vecs");
    return vs.reduce((a, b) => (b.norm() > a.norm() ? b : a));
  }

  @task()
  static label(m: Money): string {
    return (m instanceof Money) + " " + m.show();
  }
}
`;

// Standard decorators: a record class @field() declares (its types from TypeScript: a manifest
// cannot hold a token, FTS1026), with a method.
const STANDARD_VECTORS = `
import { type int } from "@flytekit-ts/core";
import { field, task } from "@flytekit-ts/decorators";

export class Vec {
  @field() x!: number;
  @field() y!: number;
  norm(): number {
    return Math.hypot(this.x, this.y);
  }
}

// A class no decorator declares, with a method: the module exports it.
export class Money {
  cents: int = 0;
  currency: string = "EUR";
  show(): string {
    return this.currency + " " + (this.cents / 100).toFixed(2);
  }
}

export class Vectors {
  @task()
  static longest(vs: Vec[]): Vec {
    if (!vs.every((v) => v instanceof Vec)) throw new Error("not Vecs");
    return vs.reduce((a, b) => (b.norm() > a.norm() ? b : a));
  }

  @task()
  static label(m: Money): string {
    return (m instanceof Money) + " " + m.show();
  }
}
`;

const REPORT = (legacy: boolean) => `
import { taskOf } from "@flytekit-ts/core";
import { defaultTaskResolver } from "@flytekit-ts/core/internal";
import { Color, Pipelines } from "./pipelines.js";
import { Money, Vec, Vectors } from "./vectors.js";

// As the container finds a task: its module loaded by the resolver, which meets the classes it exports.
await defaultTaskResolver.loadTask(["task-module", "dist/vectors.js", "task-name", "Vectors.longest"]);

const report: Record<string, unknown> = {};
const calls: Record<string, () => unknown> = {
  add: () => Pipelines.add(1, 2),
  addHalf: () => Pipelines.add(1.5, 2),
  paint: () => Pipelines.paint(Color.Green),
  purple: () => Pipelines.paint("purple" as Color),
  greet: () => Pipelines.greet(),
  either: () => [Pipelines.either(3), Pipelines.either("3")],
  move: () => Pipelines.move({ x: 1, y: 2 }, 3),
  total: () => Pipelines.total({ value: 1, children: [{ value: 2, children: [{ value: 3, children: [] }] }] }),
  stats: () => Pipelines.stats([1, 2, 3]),
  interfaces: () =>
    Object.fromEntries(
      [Pipelines.add, Pipelines.paint, Pipelines.greet, Pipelines.either, Pipelines.move, Pipelines.total, Pipelines.stats].map((h) => {
        const t = taskOf(h as never);
        return [t.name, [...t.interface.inputs, ...t.interface.outputs].map((v) => v.name + ":" + v.type.name)];
      }),
    ),
  longest: () => { const v = Vectors.longest([Object.assign(new Vec(), { x: 1, y: 1 }), Object.assign(new Vec(), { x: 3, y: 4 })]); return [v instanceof Vec, v.norm()]; },
  label: () => Vectors.label(Object.assign(new Money(), { cents: 1234 })),
};
for (const [key, call] of Object.entries(calls)) {
  try {
    report[key] = await call();
  } catch (e) {
    report[key] = { error: e instanceof Error ? e.name + ": " + e.message : String(e) };
  }
}
console.log(JSON.stringify(report));
`;

/** Analyses and emits the project (sources in src/, code in dist/), writes each module's manifest, runs dist/report.js. */
async function buildAndRun(legacy: boolean, sourceMap = true): Promise<{ report: Record<string, unknown>; manifests: Record<string, TaskManifest> }> {
  const files: Record<string, string> = { "src/pipelines.ts": PIPELINES, "src/report.ts": REPORT(legacy), "src/vectors.ts": legacy ? VECTORS : STANDARD_VECTORS };
  const dir = fixtureProject(files, legacy ? "analysed-legacy" : "analysed-standard");
  const ts = pinnedTypeScript();
  const options = {
    ...FIXTURE_OPTIONS,
    types: ["node"],
    sourceMap,
    rootDir: join(dir, "src"),
    outDir: join(dir, "dist"),
    ...(legacy ? { experimentalDecorators: true, emitDecoratorMetadata: true } : {}),
  };
  const program = fixtureProgram(dir, Object.keys(files), options, ts);
  const problems = ts.getPreEmitDiagnostics(program).map((d) => ts.flattenDiagnosticMessageText(d.messageText, "\n"));
  expect(problems).toEqual([]);
  const analyses = analyseProgram(ts, program);
  expect(analyses.flatMap((a) => a.diagnostics)).toEqual([]);
  expect(program.emit().emitSkipped).toBe(false);
  const manifests: Record<string, TaskManifest> = {};
  for (const a of analyses) {
    const emitted = join(dir, "dist", relative(join(dir, "src"), a.file).replace(/\.ts$/, ".js"));
    const manifest: TaskManifest = {
      format: MANIFEST_FORMAT,
      compiler: `typescript ${ts.version}`,
      source: relative(dirname(emitted), a.file).split("\\").join("/"),
      hash: codeHash(readFileSync(emitted)),
      tasks: a.tasks,
      records: a.records,
    };
    writeFileSync(manifestPathOf(emitted), JSON.stringify(manifest));
    manifests[relative(dir, emitted)] = manifest;
  }
  const r = await runProcess(process.execPath, [join(dir, "dist/report.js")], { cwd: dir, env: cleanEnv() });
  expect(r.code, r.stderr).toBe(0);
  return { report: JSON.parse(r.stdout.trim().split("\n").at(-1)!) as Record<string, unknown>, manifests };
}

const EXPECTED = {
  add: 3,
  addHalf: { error: "TaskInputError: task 'pipelines.Pipelines.add', input 'x': expected Int, got 1.5 (number)" },
  paint: "painted green",
  purple: { error: `TaskInputError: task 'pipelines.Pipelines.paint', input 'color': expected Color, got "purple" (string): not one of "red", "green"` },
  greet: "hello, nobody",
  either: ["number", "string"],
  move: { x: 4, y: 2 },
  total: 6,
  stats: { total: 6, mean: 2 },
  interfaces: {
    "pipelines.Pipelines.add": ["x:Int", "y:Int", "o0:Int"],
    "pipelines.Pipelines.paint": ["color:Color", "o0:Str"],
    "pipelines.Pipelines.greet": ["name:Optional(Str)", "o0:Str"],
    "pipelines.Pipelines.either": ["v:Union(Int, Str)", "o0:Str"],
    "pipelines.Pipelines.move": ["p:Point", "dx:Float", "o0:Point"],
    "pipelines.Pipelines.total": ["tree:Tree", "o0:Int"],
    "pipelines.Pipelines.stats": ["xs:List(Int)", "total:Int", "mean:Float"],
  },
};

describe("a project analysed and emitted from one program, its manifests beside the code", () => {
  it("with standard decorators: no tokens, TypeScript's types", async () => {
    const { report, manifests } = await buildAndRun(false);
    expect(Object.keys(manifests)).toEqual(["dist/pipelines.js", "dist/vectors.js"]);
    expect(manifests["dist/pipelines.js"]!.source).toBe("../src/pipelines.ts");
    // The record class @field() declares, and a class nothing declares, are the classes themselves
    // (met when the resolver loaded the module that exports them): methods work.
    expect(report).toEqual({ ...EXPECTED, longest: [true, 5], label: "true EUR 12.34" });
  }, SLOW);

  it("with legacy decorators: the manifest wins over the metadata, and a record class keeps its class", async () => {
    const { report } = await buildAndRun(true);
    // A class no decorator declares is the class TypeScript reflects: its method works.
    expect(report).toEqual({ ...EXPECTED, longest: [true, 5], label: "true EUR 12.34" });
  }, SLOW);

  it("without source maps, a record class's module is found through the manifest's own module (dist/vectors.js is src/vectors.ts)", async () => {
    const { report } = await buildAndRun(true, false);
    expect(report.longest).toEqual([true, 5]);
    // Without a source map, the module's name is the compiled file's.
    expect(report.add).toBe(3);
    expect(report.addHalf).toEqual({ error: "TaskInputError: task 'dist.pipelines.Pipelines.add', input 'x': expected Int, got 1.5 (number)" });
  }, SLOW);
});
