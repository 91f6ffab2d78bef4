// Test support for the analysis: small projects written to a temporary directory (a package.json,
// node_modules/@flytekit-ts linked to the repository's workspace packages), made
// into a program through one SourceFileCache per compiler, so that lib files and our packages'
// declarations are parsed once per test file. Not published (`src/**/testing.ts`).
import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import type * as TS from "typescript";
import { pinnedTypeScript, type TypeScriptApi } from "../loader/pinned-typescript.js";
import { analyseProgram, type ModuleAnalysis } from "./analyse.js";
import type { ManifestDiagnostic } from "./manifest.js";
import { SourceFileCache } from "./project.js";

export const REPO_ROOT = resolve(import.meta.dirname, "../../../..");

/** The import of `int` a fixture writes, as a user writes it (core's root exports it, type-only). */
export const INT_IMPORT = `import type { int } from "@flytekit-ts/core";`;

/** TypeScript 5.9.3, the repository's own devDependency (the pinned compiler is 6.0.3). */
export function typescript59(): TypeScriptApi {
  return createRequire(join(REPO_ROOT, "package.json"))("typescript") as TypeScriptApi;
}

/** What most fixtures are compiled with: a new project's strict settings, standard decorators. */
export const FIXTURE_OPTIONS = {
  target: "ES2022",
  module: "NodeNext",
  moduleResolution: "NodeNext",
  strict: true,
  skipLibCheck: true,
  types: [],
  lib: ["ES2023"],
} as const;

/**
 * A project directory with these files (paths relative to it, node_modules/... too) and
 * node_modules/@flytekit-ts linked to the workspace packages (whose own imports resolve from where
 * they are, the repository), and `links`, packages of the repository's node_modules, linked too.
 */
export function fixtureProject(files: Readonly<Record<string, string>>, label = "analysis", links: readonly string[] = []): string {
  const dir = mkdtempSync(join(tmpdir(), `flytekit-ts-${label}-`));
  const all: Record<string, string> = { "package.json": JSON.stringify({ name: "fixture", private: true, type: "module" }), ...files };
  for (const [name, text] of Object.entries(all)) {
    mkdirSync(dirname(join(dir, name)), { recursive: true });
    writeFileSync(join(dir, name), text);
  }
  mkdirSync(join(dir, "node_modules"), { recursive: true });
  symlinkSync(join(REPO_ROOT, "node_modules", "@flytekit-ts"), join(dir, "node_modules", "@flytekit-ts"), "dir");
  // Other packages of the repository's node_modules the fixture imports itself (apache-arrow).
  for (const name of links) symlinkSync(join(REPO_ROOT, "node_modules", name), join(dir, "node_modules", name), "dir");
  return dir;
}

const caches = new Map<TypeScriptApi, SourceFileCache>();

/** The source files of a compiler's fixtures, shared by a test file's programs. */
export function fixtureCache(ts: TypeScriptApi = pinnedTypeScript()): SourceFileCache {
  let cache = caches.get(ts);
  if (cache === undefined) {
    cache = new SourceFileCache(ts);
    caches.set(ts, cache);
  }
  return cache;
}

/** A program of `roots` (relative to `dir`) with these options, its files parsed through the compiler's shared cache. */
export function fixtureProgram(dir: string, roots: readonly string[], compilerOptions: Readonly<Record<string, unknown>>, ts: TypeScriptApi = pinnedTypeScript()): TS.Program {
  const cache = fixtureCache(ts);
  cache.refresh();
  const converted = ts.convertCompilerOptionsFromJson(compilerOptions, dir);
  if (converted.errors.length > 0) throw new Error(ts.flattenDiagnosticMessageText(converted.errors[0]?.messageText, "\n"));
  const options = converted.options;
  return ts.createProgram({ rootNames: roots.map((r) => join(dir, r)), options, host: cache.hostFor(options) });
}

export interface AnalysedFixture {
  dir: string;
  analyses: ModuleAnalysis[];
  /** The analysis of one file (relative to dir); throws when it declares no task. */
  module(file: string): ModuleAnalysis;
  /** Every diagnostic of every module. */
  diagnostics: ManifestDiagnostic[];
  program: TS.Program;
}

/** Writes the files, makes one program of the `.ts` ones and analyses it. */
export function analyseFixture(
  files: Readonly<Record<string, string>>,
  options: { compilerOptions?: Readonly<Record<string, unknown>>; ts?: TypeScriptApi; roots?: readonly string[]; links?: readonly string[] } = {},
): AnalysedFixture {
  const dir = fixtureProject(files, "analysis", options.links);
  const roots = options.roots ?? Object.keys(files).filter((f) => /\.[cm]?tsx?$/.test(f));
  const ts = options.ts ?? pinnedTypeScript();
  const program = fixtureProgram(dir, roots, { ...FIXTURE_OPTIONS, ...options.compilerOptions }, ts);
  const analyses = analyseProgram(ts, program);
  return {
    dir,
    analyses,
    program,
    diagnostics: analyses.flatMap((a) => a.diagnostics),
    module(file) {
      const found = analyses.find((a) => a.file === join(dir, file));
      if (found === undefined) throw new Error(`no tasks found in ${file}; found: ${analyses.map((a) => a.file).join(", ") || "none"}`);
      return found;
    },
  };
}
