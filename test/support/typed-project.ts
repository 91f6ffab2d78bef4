// A user's project whose tasks carry no tokens: their interfaces come from their TypeScript types,
// through the manifests `flytekit-ts build` writes (or the CLI's in-process analysis of sources).
// Written into a folder of its own under TMPDIR, with node_modules linked to the repository's (where
// @flytekit-ts/* are the workspace packages' dist), as test/support/compile.ts lays out its projects.
// Test-only.
import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { CLI_BIN, cleanEnv, REPO_ROOT, runProcess, type ProcessResult } from "./execute.js";

/** tsc's options for the project: standard decorators (what `tsc --init` gives), ES2022, NodeNext. */
export const PROJECT_OPTIONS = {
  target: "ES2022",
  module: "NodeNext",
  moduleResolution: "NodeNext",
  strict: true,
  skipLibCheck: true,
  sourceMap: true,
  types: ["node"],
  lib: ["ES2023", "ESNext.Disposable"],
  rootDir: "src",
  outDir: "dist",
} as const;

/** The tasks, typed by TypeScript alone: int, a string enum, Optional, a union, an interface record, named outputs, async. */
export const TYPED_PIPELINES = `import type { int } from "@flytekit-ts/core";
import { task } from "@flytekit-ts/decorators";

export enum Color {
  Red = "red",
  Green = "green",
}

export interface Point {
  x: number;
  y: number;
  label: string | null;
}

export class Pipelines {
  @task()
  static add(x: int, y: int): int {
    return x + y;
  }

  @task()
  static paint(color: Color, times: int | null = null): string {
    return \`\${color} x\${times ?? 1}\`;
  }

  @task()
  static pick(value: int | string): string {
    return typeof value === "number" ? \`int \${value}\` : \`str \${value}\`;
  }

  @task()
  static async measure(points: Point[], scale: number): Promise<{ total: number; count: int }> {
    await Promise.resolve();
    return { total: points.reduce((s, p) => s + Math.hypot(p.x, p.y), 0) * scale, count: points.length };
  }
}
`;

/** The same tasks with every type named by its token, as they are declared without the analysis. */
export const TOKEN_PIPELINES = `import { Enum, Float, Int, List, Optional, Str, Union } from "@flytekit-ts/core";
import { field, task } from "@flytekit-ts/decorators";

export enum Color {
  Red = "red",
  Green = "green",
}

export class Point {
  @field(Float) x!: number;
  @field(Float) y!: number;
  @field(Optional(Str)) label!: string | null;
}

export class Pipelines {
  @task({ inputs: { x: Int, y: Int }, outputs: Int })
  static add(x: number, y: number): number {
    return x + y;
  }

  @task({ inputs: { color: Enum(Color), times: Optional(Int) }, outputs: Str })
  static paint(color: Color, times: number | null = null): string {
    return \`\${color} x\${times ?? 1}\`;
  }

  @task({ inputs: { value: Union(Int, Str) }, outputs: Str })
  static pick(value: number | string): string {
    return typeof value === "number" ? \`int \${value}\` : \`str \${value}\`;
  }

  @task({ inputs: { points: List(Point), scale: Float }, outputs: { total: Float, count: Int } })
  static async measure(points: Point[], scale: number): Promise<{ total: number; count: number }> {
    await Promise.resolve();
    return { total: points.reduce((s, p) => s + Math.hypot(p.x, p.y), 0) * scale, count: points.length };
  }
}
`;

/** A module that calls the tasks locally, as a user's own code does, and prints what came back as JSON. */
export const LOCAL_CALLS = `import { Color, Pipelines } from "./pipelines.js";

const out: Record<string, unknown> = {};
const attempt = async (name: string, call: () => unknown) => {
  try {
    out[name] = await call();
  } catch (e) {
    out[name] = { error: e instanceof Error ? \`\${e.name}: \${e.message}\` : String(e) };
  }
};
await attempt("add", () => Pipelines.add(1, 2));
await attempt("paint", () => Pipelines.paint(Color.Green));
await attempt("pick", () => Pipelines.pick("a"));
await attempt("measure", () => Pipelines.measure([{ x: 3, y: 4, label: null }], 2));
await attempt("badAdd", () => Pipelines.add(1.5, 2));
console.log(JSON.stringify(out));
`;

/** Writes a project: its files (paths relative to it), package.json and node_modules unless given. */
export function writeProject(files: Readonly<Record<string, string>>, label = "typed"): string {
  const dir = mkdtempSync(join(tmpdir(), `flytekit-ts-build-${label}-`));
  writeFiles(dir, { "package.json": JSON.stringify({ name: `${label}-project`, private: true, type: "module" }), ...files });
  symlinkSync(join(REPO_ROOT, "node_modules"), join(dir, "node_modules"), "dir");
  return dir;
}

/** Writes files under a folder. */
export function writeFiles(dir: string, files: Readonly<Record<string, string>>): void {
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
}

/** The tsconfig.json text of PROJECT_OPTIONS with more options. */
export function tsconfig(more: Readonly<Record<string, unknown>> = {}, rest: Readonly<Record<string, unknown>> = { include: ["src"] }): string {
  return JSON.stringify({ compilerOptions: { ...PROJECT_OPTIONS, ...more }, ...rest }, null, 2);
}

/** The typed project: src/pipelines.ts and src/local.ts. */
export function typedProject(label = "typed"): string {
  return writeProject({ "tsconfig.json": tsconfig(), "src/pipelines.ts": TYPED_PIPELINES, "src/local.ts": LOCAL_CALLS }, label);
}

/** Runs the flytekit-ts command in a folder. */
export function cliIn(dir: string, args: readonly string[], env: NodeJS.ProcessEnv = {}): Promise<ProcessResult> {
  return runProcess(process.execPath, [CLI_BIN, ...args], { cwd: dir, env: { ...cleanEnv(), FLYTEKIT_TS_CACHE_DIR: "off", ...env } });
}
