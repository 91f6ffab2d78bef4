// Module hooks (node:module register) that transpile TypeScript sources with core's own pinned
// TypeScript compiler (pinned-typescript.ts), under the project's own tsconfig.json
// (compiler-options.ts): decorators and their metadata as the project's tsc emits them. Imports
// written as `./x.js` find `./x.ts`.
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { FlyteError } from "../errors/flyte-error.js";
import { findTsconfig, projectTypeScriptMajor, transpileSettings } from "./compiler-options.js";
import { PINNED_TYPESCRIPT, pinnedTypeScript, type TypeScriptApi } from "./pinned-typescript.js";

const TS_FILE = /\.(m?ts|tsx)$/;

interface ResolveContext {
  parentURL?: string;
  conditions: string[];
}
type NextResolve = (specifier: string, context: ResolveContext) => Promise<{ url: string; format?: string }>;

export async function resolve(specifier: string, context: ResolveContext, nextResolve: NextResolve): Promise<{ url: string; format?: string }> {
  try {
    return await nextResolve(specifier, context);
  } catch (e) {
    const relative = specifier.startsWith(".") || specifier.startsWith("/") || specifier.startsWith("file:");
    if (relative && /\.[cm]?js$/.test(specifier)) {
      for (const ext of [".ts", ".tsx", ".mts"]) {
        const candidate = specifier.replace(/\.[cm]?js$/, ext);
        try {
          return await nextResolve(candidate, context);
        } catch {
          // try the next extension
        }
      }
    }
    throw e;
  }
}

type NextLoad = (url: string, context: { format?: string }) => Promise<{ format: string; source?: string | ArrayBuffer | Uint8Array }>;

// Transpiled modules are cached on disk (in the nearest node_modules/.cache/flytekit-ts, or
// FLYTEKIT_TS_CACHE_DIR; "off" disables it), keyed by the source, its tsconfig files, the pinned
// compiler's version and the major version of the project's own (whose defaults apply to what the
// tsconfig leaves out): a module seen before loads without starting the compiler, which is most of
// a container's start-up for a TypeScript task.
const CACHE_FORMAT = "2";

const tsconfigCache = new Map<string, string[]>();

/** The texts of the tsconfig.json that applies to a directory and of the configs it extends (read once per directory). */
function tsconfigTexts(dir: string): string[] {
  let texts = tsconfigCache.get(dir);
  if (texts === undefined) {
    texts = readTsconfigTexts(dir);
    tsconfigCache.set(dir, texts);
  }
  return texts;
}

function readTsconfigTexts(dir: string): string[] {
  const texts: string[] = [];
  const pending = [findTsconfig(dir)];
  // The config and those it extends (a string or, since TypeScript 5.0, a list), 16 files at most.
  for (let config = pending.shift(); config !== undefined && texts.length < 32; config = pending.shift()) {
    if (!existsSync(config)) {
      texts.push(`missing ${config}`);
      continue;
    }
    const text: string = readFileSync(config, "utf8");
    texts.push(config, text);
    const extendsValue = /"extends"\s*:\s*(\[[^\]]*\]|"[^"]*")/.exec(text)?.[1] ?? "";
    for (const [, extended] of extendsValue.matchAll(/"([^"]+)"/g)) {
      try {
        pending.push(extended!.startsWith(".") || extended!.startsWith("/") ? join(dirname(config), extended!.endsWith(".json") ? extended! : `${extended}.json`) : createRequire(config).resolve(extended!));
      } catch {
        texts.push(`unresolved ${extended}`);
      }
    }
  }
  return texts;
}

/** Where the loader (and the CLI's analysis) keep what they made for a file: undefined when the cache is off. */
export function cacheDirFor(file: string): string | undefined {
  const configured = process.env.FLYTEKIT_TS_CACHE_DIR;
  if (configured === "off") return undefined;
  if (configured !== undefined && configured !== "") return configured;
  for (let d = dirname(file); ; d = dirname(d)) {
    if (existsSync(join(d, "node_modules"))) return join(d, "node_modules", ".cache", "flytekit-ts");
    if (dirname(d) === d) return join(tmpdir(), "flytekit-ts-cache");
  }
}

/** What a transpiled module's cache key is made of. */
export function cacheKeyParts(file: string, source: string): string[] {
  const project = String(projectTypeScriptMajor(dirname(file)) ?? "none");
  return [CACHE_FORMAT, PINNED_TYPESCRIPT, project, file, source, ...tsconfigTexts(dirname(file))];
}

function cacheKey(file: string, source: string): string {
  const hash = createHash("sha256");
  for (const part of cacheKeyParts(file, source)) hash.update(part).update("\0");
  return hash.digest("hex");
}

const warned = new Set<string>();

function warnOnce(line: string): void {
  if (warned.has(line)) return;
  warned.add(line);
  process.stderr.write(`flytekit-ts: warning: ${line}\n`);
}

/**
 * Standard decorators compiled for `"target": "ESNext"` stay `@` syntax (tsc leaves them too), which
 * Node 20 cannot parse: say so and how to fix it, rather than let Node report an unexpected token.
 */
function refuseNativeDecorators(ts: TypeScriptApi, file: string, options: import("typescript").CompilerOptions, source: string): void {
  if (options.experimentalDecorators === true || (options.target ?? 0) < ts.ScriptTarget.ESNext || !source.includes("@")) return;
  const parsed = ts.createSourceFile(file, source, ts.ScriptTarget.ESNext, true);
  let found: import("typescript").Node | undefined;
  const visit = (node: import("typescript").Node): void => {
    if (found !== undefined) return;
    if (node.kind === ts.SyntaxKind.Decorator) found = node;
    else ts.forEachChild(node, visit);
  };
  visit(parsed);
  if (found === undefined) return;
  const { line, character } = parsed.getLineAndCharacterOfPosition(found.getStart(parsed));
  throw new FlyteError({
    subject: file,
    problem: `its standard decorators (the first at ${line + 1}:${character + 1}) stay as @ syntax under "target": "ESNext", as tsc leaves them, and Node ${process.versions.node} cannot run that`,
    fix: 'set "target": "ES2022" in tsconfig.json (what tsc --init writes is "esnext"), so that they compile to functions',
  });
}

export async function load(url: string, context: { format?: string }, nextLoad: NextLoad): Promise<{ format: string; source?: string | ArrayBuffer | Uint8Array; shortCircuit?: boolean }> {
  if (!url.startsWith("file:") || !TS_FILE.test(new URL(url).pathname)) return nextLoad(url, context);
  const file = fileURLToPath(url);
  const source = readFileSync(file, "utf8");
  const dir = cacheDirFor(file);
  const cached = dir === undefined ? undefined : join(dir, `${cacheKey(file, source)}.js`);
  if (cached !== undefined && existsSync(cached)) return { format: "module", source: readFileSync(cached, "utf8"), shortCircuit: true };
  const ts = pinnedTypeScript();
  const settings = transpileSettings(file, ts);
  for (const warning of settings.warnings) warnOnce(warning);
  const out = ts.transpileModule(source, { fileName: file, compilerOptions: settings.options, reportDiagnostics: true });
  // A syntax error stops here, with its place, rather than running what the compiler made of it.
  const syntax = (out.diagnostics ?? []).filter((d) => d.file !== undefined && d.category === ts.DiagnosticCategory.Error);
  if (syntax.length > 0) {
    const where = (d: (typeof syntax)[number]): string => {
      const { line, character } = d.file!.getLineAndCharacterOfPosition(d.start ?? 0);
      return `${line + 1}:${character + 1} ${ts.flattenDiagnosticMessageText(d.messageText, " ")} (TS${d.code})`;
    };
    throw new FlyteError({ subject: file, problem: `it does not compile: ${syntax.slice(0, 3).map(where).join("; ")}`, fix: "fix the source (tsc reports the same)" });
  }
  refuseNativeDecorators(ts, file, settings.options, source);
  if (cached !== undefined) {
    // Written whole or not at all; a cache that cannot be written (a read-only image) is skipped.
    try {
      mkdirSync(dirname(cached), { recursive: true });
      const temp = `${cached}.${process.pid}.tmp`;
      writeFileSync(temp, out.outputText);
      renameSync(temp, cached);
    } catch {
      // no cache, then
    }
  }
  return { format: "module", source: out.outputText, shortCircuit: true };
}

