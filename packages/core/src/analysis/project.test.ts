// The in-process analysis of a project's sources: its tsconfig.json (or tsc's defaults), one program
// for the files asked and what they import, reused when a file was edited; path aliases, project
// references; diagnostics printed as tsc prints its own.
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { readTsconfig } from "../loader/compiler-options.js";
import { pinnedTypeScript } from "../loader/pinned-typescript.js";
import { analyseProgram } from "./analyse.js";
import type { ManifestDiagnostic } from "./manifest.js";
import { formatDiagnostic, SourceAnalysis } from "./project.js";
import { FIXTURE_OPTIONS, fixtureCache, fixtureProject, INT_IMPORT } from "./testing.js";

const HEADER = `import { task } from "@flytekit-ts/decorators";\n${INT_IMPORT}\n`;
const TSCONFIG = JSON.stringify({ compilerOptions: FIXTURE_OPTIONS, include: ["src"] });

describe("SourceAnalysis", () => {
  it("reads the files' tsconfig.json and analyses the files they import that declare tasks", () => {
    const dir = fixtureProject({
      "tsconfig.json": TSCONFIG,
      "src/main.ts": `${HEADER}import { Steps } from "./steps.js";\nexport class Main { @task static main(x: int): int { return Steps.double(x); } }\n`,
      "src/steps.ts": `${HEADER}export class Steps { @task static double(x: int): int { return x * 2; } }\n`,
      "src/unrelated.ts": `${HEADER}export class Other { @task static other(x: int): void {} }\n`,
    });
    const analyses = new SourceAnalysis({ cache: fixtureCache() }).analyse([join(dir, "src/main.ts")]);
    expect([...analyses.keys()].sort()).toEqual([join(dir, "src/main.ts"), join(dir, "src/steps.ts")]);
    expect(analyses.get(join(dir, "src/steps.ts"))?.tasks).toEqual({ "Steps.double": { line: 3, inputs: { x: "Int" }, outputs: [{ name: "o0", type: "Int" }] } });
  });

  it("takes the tsconfig's settings: without strictNullChecks, `| null` is read from the syntax", () => {
    const dir = fixtureProject({
      "tsconfig.json": JSON.stringify({ compilerOptions: { ...FIXTURE_OPTIONS, strict: false } }),
      "src/m.ts": `${HEADER}export class S { @task static a(x: string | null, y?: int): void {} }\n`,
    });
    const analysis = new SourceAnalysis({ cache: fixtureCache() }).analyse([join(dir, "src/m.ts")]).get(join(dir, "src/m.ts"));
    expect(analysis?.tasks["S.a"]?.inputs).toEqual({ x: { optional: "Str" }, y: { optional: "Int", absent: true } });
  });

  it("uses tsc's defaults without a tsconfig.json", () => {
    const dir = fixtureProject({ "src/m.ts": `${HEADER}export class S { @task static a(x: int, y: Date[]): string { return ""; } }\n` });
    const analysis = new SourceAnalysis({ cache: fixtureCache() }).analyse([join(dir, "src/m.ts")]).get(join(dir, "src/m.ts"));
    expect(analysis?.tasks["S.a"]).toEqual({ line: 3, inputs: { x: "Int", y: { list: "Datetime" } }, outputs: [{ name: "o0", type: "Str" }] });
  });

  it("reuses its program when a file was edited: the other files' source files are the same, the edit is seen", () => {
    const dir = fixtureProject({
      "tsconfig.json": TSCONFIG,
      "src/main.ts": `${HEADER}import type { Point } from "./point.js";\nexport class Main { @task static main(p: Point): int { return 1; } }\n`,
      "src/point.ts": "export interface Point { x: number; y: number }\n",
    });
    const analysis = new SourceAnalysis({ cache: fixtureCache() });
    const main = join(dir, "src/main.ts");
    const first = analysis.analyse([main]).get(main);
    expect(first?.records["src/point.ts#Point"]?.fields.map((f) => f.name)).toEqual(["x", "y"]);
    const before = analysis.programFor(join(dir, "tsconfig.json"), [main]);

    writeFileSync(join(dir, "src/point.ts"), "export interface Point { x: number; y: number; z: int }\nimport type { int } from './int.js';\n");
    writeFileSync(join(dir, "src/int.ts"), INT_IMPORT.replace("import type", "export type"));
    const second = analysis.analyse([main]).get(main);
    expect(second?.records["src/point.ts#Point"]?.fields).toEqual([
      { name: "x", type: "Float" },
      { name: "y", type: "Float" },
      { name: "z", type: "Int" },
    ]);
    const after = analysis.programFor(join(dir, "tsconfig.json"), [main]);
    // Unchanged files (main.ts, lib files, the SDK's declarations) are the same source files.
    expect(after.getSourceFile(main)).toBe(before.getSourceFile(main));
    const lib = before.getSourceFiles().find((f) => before.isSourceFileDefaultLibrary(f));
    expect(lib).toBeDefined();
    expect(after.getSourceFile(lib?.fileName ?? "")).toBe(lib);
    expect(after.getSourceFile(join(dir, "src/point.ts"))).not.toBe(before.getSourceFile(join(dir, "src/point.ts")));
  });

  it("resolves a record through the tsconfig's path aliases, in another folder", () => {
    const dir = fixtureProject({
      "tsconfig.json": JSON.stringify({ compilerOptions: { ...FIXTURE_OPTIONS, module: "ESNext", moduleResolution: "Bundler", paths: { "@shared/*": ["./shared/*"] } } }),
      "shared/geo.ts": "export interface Point { x: number; y: number }\n",
      "src/m.ts": `${HEADER}import type { Point } from "@shared/geo";\nexport class S { @task static a(p: Point): void {} }\n`,
    });
    const analysis = new SourceAnalysis({ cache: fixtureCache() }).analyse([join(dir, "src/m.ts")]).get(join(dir, "src/m.ts"));
    expect(analysis?.diagnostics).toEqual([]);
    expect(analysis?.tasks["S.a"]?.inputs).toEqual({ p: { record: "shared/geo.ts#Point" } });
    expect(analysis?.records["shared/geo.ts#Point"]?.fields).toEqual([
      { name: "x", type: "Float" },
      { name: "y", type: "Float" },
    ]);
  });

  it("reads a referenced project's records from its sources, without building it first", () => {
    const composite = { ...FIXTURE_OPTIONS, composite: true, rootDir: "src", outDir: "dist" };
    const dir = fixtureProject({
      "shared/package.json": JSON.stringify({ name: "shared", type: "module" }),
      "shared/tsconfig.json": JSON.stringify({ compilerOptions: composite, include: ["src"] }),
      "shared/src/geo.ts": "export interface Point { x: number; y: number }\nexport interface Shape { corners: Point[] }\n",
      "app/package.json": JSON.stringify({ name: "app", type: "module" }),
      "app/tsconfig.json": JSON.stringify({ compilerOptions: { ...FIXTURE_OPTIONS, rootDir: "src", outDir: "dist" }, include: ["src"], references: [{ path: "../shared" }] }),
      "app/src/m.ts": `${HEADER}import type { Shape } from "../../shared/src/geo.js";\nexport class S { @task static a(s: Shape): void {} }\n`,
    });
    const file = join(dir, "app/src/m.ts");
    const analysis = new SourceAnalysis({ cache: fixtureCache() }).analyse([file]).get(file);
    expect(analysis?.diagnostics).toEqual([]);
    expect(analysis?.tasks["S.a"]?.inputs).toEqual({ s: { record: "src/geo.ts#Shape" } });
    expect(analysis?.records["src/geo.ts#Point"]).toEqual({ name: "Point", kind: "interface", module: "src/geo.ts", fields: [{ name: "x", type: "Float" }, { name: "y", type: "Float" }] });
  });

  it("keys a referenced project's record by its source when a program reads its declarations (as tsc -b makes it)", () => {
    const composite = { ...FIXTURE_OPTIONS, composite: true, rootDir: "src", outDir: "dist" };
    const dir = fixtureProject({
      "shared/package.json": JSON.stringify({ name: "shared", type: "module" }),
      "shared/tsconfig.json": JSON.stringify({ compilerOptions: composite, include: ["src"] }),
      "shared/src/geo.ts": "export interface Point { x: number; y: number }\n",
      // What tsc -b wrote for it.
      "shared/dist/geo.d.ts": "export interface Point {\n    x: number;\n    y: number;\n}\n",
      "shared/dist/geo.js": "export {};\n",
      "app/package.json": JSON.stringify({ name: "app", type: "module" }),
      "app/tsconfig.json": JSON.stringify({ compilerOptions: { ...FIXTURE_OPTIONS, rootDir: "src", outDir: "dist" }, include: ["src"], references: [{ path: "../shared" }] }),
      "app/src/m.ts": `${HEADER}import type { Point } from "../../shared/src/geo.js";\nexport class S { @task static a(p: Point): void {} }\n`,
    });
    const ts = pinnedTypeScript();
    const parsed = readTsconfig(join(dir, "app/tsconfig.json"), ts);
    const program = ts.createProgram({ rootNames: parsed.fileNames, options: parsed.options, projectReferences: parsed.projectReferences ?? [], host: fixtureCache().hostFor(parsed.options) });
    const names = program.getSourceFiles().map((f) => f.fileName);
    expect(names).toContain(join(dir, "shared/dist/geo.d.ts"));
    expect(names).not.toContain(join(dir, "shared/src/geo.ts"));
    const [analysis] = analyseProgram(ts, program);
    expect(analysis?.tasks["S.a"]?.inputs).toEqual({ p: { record: "src/geo.ts#Point" } });
    expect(analysis?.records["src/geo.ts#Point"]?.module).toBe("src/geo.ts");
  });

  it("finds the referenced project that holds a file when the nearest tsconfig is a solution", () => {
    const dir = fixtureProject({
      "tsconfig.json": JSON.stringify({ files: [], references: [{ path: "./tsconfig.app.json" }, { path: "./tsconfig.node.json" }] }),
      "tsconfig.app.json": JSON.stringify({ compilerOptions: { ...FIXTURE_OPTIONS, composite: true, module: "ESNext", moduleResolution: "Bundler", paths: { "@/*": ["./src/*"] } }, include: ["src"] }),
      "tsconfig.node.json": JSON.stringify({ compilerOptions: { ...FIXTURE_OPTIONS, composite: true }, include: ["vite.config.ts"] }),
      "vite.config.ts": "export default {};\n",
      "src/geo.ts": "export interface Point { x: number; y: number }\n",
      "src/m.ts": `${HEADER}import type { Point } from "@/geo";\nexport class S { @task static a(p: Point): void {} }\n`,
    });
    const analysis = new SourceAnalysis({ cache: fixtureCache() });
    const file = join(dir, "src/m.ts");
    expect(analysis.tsconfigOf(file)).toBe(join(dir, "tsconfig.app.json"));
    const result = analysis.analyse([file]).get(file);
    expect(result?.diagnostics).toEqual([]);
    expect(result?.tasks["S.a"]?.inputs).toEqual({ p: { record: "src/geo.ts#Point" } });
  });

  it("reads the tsconfig again when it changed", () => {
    const dir = fixtureProject({
      "tsconfig.json": TSCONFIG,
      "src/m.ts": `${HEADER}export class S { @task static a(x: string | null): void {} }\n`,
    });
    const analysis = new SourceAnalysis({ cache: fixtureCache() });
    const file = join(dir, "src/m.ts");
    expect(analysis.analyse([file]).get(file)?.tasks["S.a"]?.inputs).toEqual({ x: { optional: "Str" } });
    writeFileSync(join(dir, "tsconfig.json"), JSON.stringify({ compilerOptions: { ...FIXTURE_OPTIONS, strict: false }, include: ["src"] }));
    writeFileSync(file, `${HEADER}export class S { @task static a(x: string | null, y: number[]): void {} }\n`);
    expect(analysis.analyse([file]).get(file)?.tasks["S.a"]?.inputs).toEqual({ x: { optional: "Str" }, y: { list: "Float" } });
  });
});

describe("formatDiagnostic", () => {
  const diagnostic: ManifestDiagnostic = {
    code: "FTS1001",
    file: "/work/project/src/x.ts",
    line: 12,
    column: 5,
    task: "x.Pipelines.add",
    subject: "input 'f'",
    typeText: "(x: number) => string",
    problem: "its type is `(x: number) => string`: a function is not data a task can take or give",
    fix: "declare it with a token: @task({ inputs: { f: Json } })",
  };

  it("prints as tsc prints its errors, the path relative to the working directory", () => {
    expect(formatDiagnostic(diagnostic, "/work/project")).toBe(
      "src/x.ts(12,5): error FTS1001: task 'x.Pipelines.add', input 'f': its type is `(x: number) => string`: a function is not data a task can take or give; declare it with a token: @task({ inputs: { f: Json } })",
    );
  });

  it("keeps the absolute path of a file outside the working directory", () => {
    expect(formatDiagnostic(diagnostic, "/elsewhere")).toMatch(/^\/work\/project\/src\/x\.ts\(12,5\): error FTS1001: /);
  });
});
