// The projects `npm run bench analysis` measures, written into a temporary directory: task modules
// typed only by TypeScript (no tokens, standard decorators), with a tsconfig as a user's and a
// node_modules that resolves @flytekit-ts/* to this repository's packages.
import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const REPO_ROOT = fileURLToPath(new URL("../../", import.meta.url));

/** The compiler options of every generated project: strict, standard decorators, as `tsc --init` gives (but ES2022, which Node 20 runs). */
export const PROJECT_OPTIONS = {
  target: "ES2022",
  module: "NodeNext",
  moduleResolution: "NodeNext",
  strict: true,
  skipLibCheck: true,
  types: ["node"],
  rootDir: "src",
  outDir: "dist",
} as const;

export interface GeneratedProject {
  dir: string;
  /** Absolute paths of the source files, in order. */
  files: string[];
  tasks: number;
}

/** A method of a task class, typed only by TypeScript; `kind` picks one of ten shapes. */
function taskMethod(name: string, kind: number, own: string, other: string): string {
  switch (kind % 10) {
    case 0:
      return `  @task()\n  static ${name}(a: int, b: int): int {\n    return a + b;\n  }\n`;
    case 1:
      return `  @task()\n  static ${name}(x: number, label: string): number {\n    return x * label.length;\n  }\n`;
    case 2:
      return `  @task()\n  static ${name}(color: Color, shape: Shape): string {\n    return \`\${color}-\${shape}\`;\n  }\n`;
    case 3:
      return `  @task()\n  static ${name}(maybe: int | null, note?: string): boolean {\n    return maybe !== null && note !== undefined;\n  }\n`;
    case 4:
      return `  @task()\n  static ${name}(value: int | string, fallback: string | undefined): string {\n    return String(value) + (fallback ?? "");\n  }\n`;
    case 5:
      return `  @task()\n  static ${name}(xs: int[], names: readonly string[]): int {\n    return xs.length + names.length;\n  }\n`;
    case 6:
      return `  @task()\n  static ${name}(weights: Record<string, number>, counts: Map<string, int>): Record<string, number> {\n    return { ...weights, n: counts.size };\n  }\n`;
    case 7:
      return `  @task()\n  static ${name}(p: Point, l: Labelled, r: ${own}): Point {\n    return { x: p.x + l.x, y: p.y + r.score, label: l.label };\n  }\n`;
    case 8:
      return (
        `  @task()\n  static async ${name}(box: Box, tree: Tree, prev: ${other}): Promise<{ area: int; depth: int }> {\n` +
        `    await Promise.resolve(prev);\n    return { area: box.width * box.height, depth: tree.children.length };\n  }\n`
      );
    default:
      return (
        `  @task()\n  static async ${name}(when: Date, flag: boolean, points: Point[], r: ${own}): Promise<{ count: int; first: Point | null; tag: Color }> {\n` +
        `    await Promise.resolve(when);\n    return { count: flag ? points.length : 0, first: points[0] ?? null, tag: r.color };\n  }\n`
      );
  }
}

/** The shared types: an enum, a literal union, interface records (one inherited, one recursive) and a class record. */
const SHARED_TYPES = `export enum Color {
  Red = "red",
  Green = "green",
  Blue = "blue",
}

export type Shape = "circle" | "square" | "triangle";

export interface Point {
  x: number;
  y: number;
  label: string | null;
}

export interface Labelled extends Point {
  tags: string[];
}

export interface Tree {
  value: int;
  children: Tree[];
}

export class Box {
  width: int = 0;
  height: int = 0;
  corner: Point = { x: 0, y: 0, label: null };
  colors: Color[] = [];
}
`;

/** A record of one module: an interface or a class, with fields of shared types. */
function moduleRecord(name: string, asClass: boolean): string {
  return asClass
    ? `export class ${name} {\n  id: int = 0;\n  score: number = 0;\n  color: Color = Color.Red;\n  at: Point | null = null;\n  names: Record<string, string> = {};\n}\n`
    : `export interface ${name} {\n  id: int;\n  score: number;\n  color: Color;\n  at: Point | null;\n  names: Record<string, string>;\n}\n`;
}

const IMPORTS = `import type { int } from "@flytekit-ts/core";\nimport { task } from "@flytekit-ts/decorators";\n`;

function newProject(label: string): string {
  const dir = mkdtempSync(join(tmpdir(), `flytekit-ts-bench-${label}-`));
  mkdirSync(join(dir, "src"));
  writeFileSync(join(dir, "package.json"), JSON.stringify({ name: `bench-${label}`, private: true, type: "module" }, null, 2));
  writeFileSync(join(dir, "tsconfig.json"), JSON.stringify({ compilerOptions: PROJECT_OPTIONS, include: ["src"] }, null, 2));
  symlinkSync(join(REPO_ROOT, "node_modules"), join(dir, "node_modules"), "dir");
  return dir;
}

/** One module that declares `count` tasks (ten shapes in turn) and the types they use. */
export function singleModuleProject(count = 50): GeneratedProject {
  const dir = newProject("module");
  const methods = Array.from({ length: count }, (_, i) => taskMethod(`t${String(i).padStart(2, "0")}`, i, "Scored", "Scored")).join("\n");
  const source = `${IMPORTS}\n${SHARED_TYPES}\n${moduleRecord("Scored", false)}\nexport class Pipelines {\n${methods}}\n`;
  const file = join(dir, "src", "pipelines.ts");
  writeFileSync(file, source);
  return { dir, files: [file], tasks: count };
}

/**
 * `files` modules of `perFile` tasks each. The first also declares the shared types; every module
 * declares a record of its own (interfaces and classes in turn) and imports the shared types and
 * the record of the module before it, which one of its tasks takes.
 */
export function manyModuleProject(files = 200, perFile = 5): GeneratedProject {
  const dir = newProject("project");
  const paths: string[] = [];
  for (let k = 0; k < files; k++) {
    const id = String(k).padStart(3, "0");
    const own = `Rec${id}`;
    const other = k === 0 ? own : `Rec${String(k - 1).padStart(3, "0")}`;
    const imports =
      k === 0
        ? IMPORTS
        : `${IMPORTS}import { Box, Color, type Labelled, type Point, type Shape, type Tree } from "./m000.js";\nimport ${k % 2 === 1 ? "type " : ""}{ ${other} } from "./m${String(k - 1).padStart(3, "0")}.js";\n`;
    const methods = Array.from({ length: perFile }, (_, i) => taskMethod(`t${i}`, k * perFile + i, own, other)).join("\n");
    const source = `${imports}\n${k === 0 ? `${SHARED_TYPES}\n` : ""}${moduleRecord(own, k % 2 === 1)}\nexport class M${id} {\n${methods}}\n`;
    const file = join(dir, "src", `m${id}.ts`);
    writeFileSync(file, source);
    paths.push(file);
  }
  return { dir, files: paths, tasks: files * perFile };
}
