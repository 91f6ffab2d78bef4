// What a project's tsconfig.json means for a module the loader transpiles. The loader honours the
// project's settings, `extends` included, so that a module behaves the same under `flytekit-ts run`,
// under `tsc` + `node`, and in the container: the decorator mode (`experimentalDecorators`,
// `emitDecoratorMetadata`), `target` and `useDefineForClassFields` are taken as written. It changes
// only what loading a module in Node needs: the output is an ES module with an inline source map
// and nothing else (no declarations, no files). What it cannot honour is said, never silently
// changed: a project whose tsc emits CommonJS gets a warning (its modules could not import the SDK,
// which is ES modules only).
import { existsSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import type { CompilerOptions, ParsedCommandLine } from "typescript";
import { FlyteError } from "../errors/flyte-error.js";
import { pinnedTypeScript, type TypeScriptApi } from "./pinned-typescript.js";

/** How the loader compiles one module. */
export interface TranspileSettings {
  /** The options for `transpileModule`. */
  options: CompilerOptions;
  /** The tsconfig.json that applies, or undefined when none was found (tsc's defaults then). */
  tsconfig: string | undefined;
  /** What the loader could not honour, one line each. */
  warnings: string[];
}

const settingsByDir = new Map<string, { options: CompilerOptions; tsconfig: string | undefined }>();

/** The project's tsconfig.json for a directory, as tsc finds it (the nearest one above it). */
export function findTsconfig(dir: string): string | undefined {
  for (let d = dir; ; d = dirname(d)) {
    if (existsSync(join(d, "tsconfig.json"))) return join(d, "tsconfig.json");
    if (dirname(d) === d) return undefined;
  }
}

/** The major version of the project's own `typescript` (its package.json read, never its API), if it has one. */
export function projectTypeScriptMajor(dir: string): number | undefined {
  try {
    const pkg = createRequire(join(dir, "noop.js")).resolve("typescript/package.json");
    const version = (JSON.parse(readFileSync(pkg, "utf8")) as { version?: string }).version;
    const major = Number(version?.split(".")[0]);
    return Number.isInteger(major) ? major : undefined;
  } catch {
    return undefined;
  }
}

/**
 * A tsconfig.json as tsc reads it (`extends` followed, `files`/`include`, `references`); a file
 * that cannot be read, or an `extends` that cannot be found, is a FlyteError. Other problems (no
 * inputs, options a newer tsc deprecated) are left in `errors`, as they do not change what a
 * module compiles to.
 */
export function readTsconfig(tsconfig: string, ts: TypeScriptApi): ParsedCommandLine {
  const read = ts.readConfigFile(tsconfig, (p) => readFileSync(p, "utf8"));
  if (read.error !== undefined) {
    throw new FlyteError({ subject: tsconfig, problem: `it cannot be read: ${ts.flattenDiagnosticMessageText(read.error.messageText, "\n")}`, fix: "fix the file (tsc reports the same)" });
  }
  const parsed = ts.parseJsonConfigFileContent(read.config ?? {}, ts.sys, dirname(tsconfig), undefined, tsconfig);
  const unresolved = parsed.errors.find((d) => d.code === 5083 || d.code === 6053);
  if (unresolved !== undefined) {
    throw new FlyteError({ subject: tsconfig, problem: ts.flattenDiagnosticMessageText(unresolved.messageText, "\n"), fix: "fix its \"extends\" (tsc reports the same)" });
  }
  return parsed;
}

function projectOptions(dir: string, ts: TypeScriptApi): { options: CompilerOptions; tsconfig: string | undefined } {
  let found = settingsByDir.get(dir);
  if (found !== undefined) return found;
  const tsconfig = findTsconfig(dir);
  found = { options: tsconfig === undefined ? {} : readTsconfig(tsconfig, ts).options, tsconfig };
  settingsByDir.set(dir, found);
  return found;
}

/** Whether the project's tsc would emit this file as CommonJS (which cannot import the SDK). */
function emitsCommonJs(file: string, options: CompilerOptions, ts: TypeScriptApi): string | undefined {
  const kind = options.module;
  if (kind === undefined) return undefined;
  const name = ts.ModuleKind[kind] ?? String(kind);
  if (kind === ts.ModuleKind.CommonJS || kind === ts.ModuleKind.AMD || kind === ts.ModuleKind.UMD || kind === ts.ModuleKind.System) return `"module": "${name.toLowerCase()}"`;
  const nodeKinds = [ts.ModuleKind.Node16, ts.ModuleKind.Node18, ts.ModuleKind.Node20, ts.ModuleKind.NodeNext].filter((k) => k !== undefined);
  if (nodeKinds.includes(kind) && !file.endsWith(".mts") && nearestPackageType(dirname(file)) !== "module") return `"module": "${name.toLowerCase()}" in a package without "type": "module"`;
  return undefined;
}

function nearestPackageType(dir: string): string | undefined {
  for (let d = dir; ; d = dirname(d)) {
    const pkg = join(d, "package.json");
    if (existsSync(pkg)) {
      try {
        return (JSON.parse(readFileSync(pkg, "utf8")) as { type?: string }).type;
      } catch {
        return undefined;
      }
    }
    if (dirname(d) === d) return undefined;
  }
}

/** The options one module is transpiled with: the project's, changed only where loading needs it. */
export function transpileSettings(file: string, ts: TypeScriptApi): TranspileSettings {
  const dir = dirname(file);
  const { options: project, tsconfig } = projectOptions(dir, ts);
  const warnings: string[] = [];
  const commonJs = emitsCommonJs(file, project, ts);
  if (commonJs !== undefined) {
    warnings.push(
      `loading ${file}: tsc emits CommonJS for it (${tsconfig ?? "tsconfig.json"} has ${commonJs}), which cannot import flytekit-ts (ES modules only); ` +
        `the loader emits an ES module instead; set "type": "module" in package.json and "module": "nodenext" in tsconfig.json`,
    );
  }
  const options: CompilerOptions = {
    ...project,
    // What loading a module in Node needs, whatever the tsconfig says.
    module: ts.ModuleKind.ESNext,
    moduleResolution: undefined,
    sourceMap: false,
    inlineSourceMap: true,
    inlineSources: false,
    declaration: false,
    declarationMap: false,
    emitDeclarationOnly: false,
    noEmit: false,
    outFile: undefined,
    // The project's options are valid for the project's tsc (5.x takes what 6.x deprecates).
    ignoreDeprecations: "6.0",
  };
  // Left unset, `useDefineForClassFields` follows the target, and the target is the project's
  // compiler's default: for TypeScript 5.x ES5 (fields assigned) unless "module" is one of Node's
  // (ES2022 or later), for 6.x and 7.x the latest (fields defined). Only the class-field semantics
  // of that default matter to a module's behaviour.
  const nodeModule = project.module !== undefined && project.module >= ts.ModuleKind.Node16 && project.module <= ts.ModuleKind.NodeNext;
  if (project.target === undefined && project.useDefineForClassFields === undefined && !nodeModule && projectTypeScriptMajor(dir) === 5) options.useDefineForClassFields = false;
  return { options, tsconfig, warnings };
}

/**
 * Why a TypeScript module compiled under its tsconfig has no decorator metadata, when its tsconfig
 * (or the lack of one) is the reason: for the error that a task lacks types. Undefined otherwise.
 */
export function metadataNote(file: string | undefined): string | undefined {
  if (file === undefined || !/\.[cm]?[jt]sx?$/.test(file)) return undefined;
  const source = /\.[cm]?tsx?$/.test(file);
  const tsconfig = findTsconfig(dirname(file));
  if (tsconfig === undefined) {
    // A JavaScript file without a tsconfig above it was made by some other toolchain.
    return source ? `no tsconfig.json was found above ${file}, so it is compiled as tsc compiles a file without one: with standard decorators, which carry no type metadata` : undefined;
  }
  let options: CompilerOptions;
  try {
    options = projectOptions(dirname(file), pinnedTypeScript()).options;
  } catch {
    return undefined;
  }
  const missing = (["experimentalDecorators", "emitDecoratorMetadata"] as const).filter((o) => options[o] !== true);
  return missing.length === 0 ? undefined : `${tsconfig} does not set ${missing.map((o) => `"${o}": true`).join(" and ")} (flytekit-ts's loader compiles .ts sources as tsc does)`;
}
