// Module hooks (node:module register) that transpile TypeScript sources with the TypeScript
// compiler, decorators and their metadata included. Imports written as `./x.js` find `./x.ts`.
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { FlyteError } from "../errors/flyte-error.js";

type TS = typeof import("typescript");
let ts: TS | undefined;

function typescript(from: string): TS {
  if (ts !== undefined) return ts;
  for (const base of [from, join(process.cwd(), "noop.js"), fileURLToPath(import.meta.url)]) {
    try {
      ts = createRequire(base)("typescript") as TS;
      return ts;
    } catch {
      // look further
    }
  }
  throw new FlyteError({
    subject: "loading TypeScript sources",
    problem: "it needs the typescript package (5.x), and none was found",
    fix: "npm install --save-dev typescript@5.9 (or compile your modules with tsc and load the JavaScript)",
  });
}

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

const configCache = new Map<string, import("typescript").CompilerOptions>();

function compilerOptionsFor(file: string, t: TS): import("typescript").CompilerOptions {
  const dir = dirname(file);
  let options = configCache.get(dir);
  if (options === undefined) {
    const configFile = t.findConfigFile(dir, (p) => existsSync(p));
    if (configFile === undefined) options = {};
    else {
      const read = t.readConfigFile(configFile, (p) => readFileSync(p, "utf8"));
      options = t.parseJsonConfigFileContent(read.config ?? {}, t.sys, dirname(configFile)).options;
    }
    configCache.set(dir, options);
  }
  return {
    ...options,
    // What the SDK needs, whatever the project's tsconfig says.
    experimentalDecorators: true,
    emitDecoratorMetadata: true,
    module: t.ModuleKind.ESNext,
    target: options.target !== undefined && options.target >= t.ScriptTarget.ES2022 ? options.target : t.ScriptTarget.ES2022,
    sourceMap: false,
    inlineSourceMap: true,
    inlineSources: false,
    declaration: false,
    noEmit: false,
  };
}

type NextLoad = (url: string, context: { format?: string }) => Promise<{ format: string; source?: string | ArrayBuffer | Uint8Array }>;

// Transpiled modules are cached on disk (in the nearest node_modules/.cache/flytekit-ts, or
// FLYTEKIT_TS_CACHE_DIR; "off" disables it), keyed by the source, its tsconfig files and the
// TypeScript version: a module seen before loads without starting the compiler, which is most of a
// container's start-up for a TypeScript task.
const CACHE_FORMAT = "1";

let tsVersion: string | undefined;

/** The version of the typescript a module compiles with (found once: one compiler serves the process). */
function typescriptVersion(from: string): string {
  if (tsVersion !== undefined) return tsVersion;
  tsVersion = findTypescriptVersion(from);
  return tsVersion;
}

function findTypescriptVersion(from: string): string {
  for (const base of [from, join(process.cwd(), "noop.js")]) {
    try {
      const pkg = createRequire(base).resolve("typescript/package.json");
      return (JSON.parse(readFileSync(pkg, "utf8")) as { version: string }).version;
    } catch {
      // look further
    }
  }
  return "unknown";
}

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
  let config: string | undefined;
  for (let d = dir; ; d = dirname(d)) {
    if (existsSync(join(d, "tsconfig.json"))) {
      config = join(d, "tsconfig.json");
      break;
    }
    if (dirname(d) === d) return [];
  }
  const texts: string[] = [];
  for (let depth = 0; config !== undefined && depth < 8; depth++) {
    const text: string = readFileSync(config, "utf8");
    texts.push(config, text);
    const extended: string | undefined = /"extends"\s*:\s*"([^"]+)"/.exec(text)?.[1];
    if (extended === undefined) break;
    try {
      config = extended.startsWith(".") ? join(dirname(config), extended.endsWith(".json") ? extended : `${extended}.json`) : createRequire(config).resolve(extended);
    } catch {
      texts.push(`unresolved ${extended}`);
      break;
    }
    if (!existsSync(config)) break;
  }
  return texts;
}

function cacheDirFor(file: string): string | undefined {
  const configured = process.env.FLYTEKIT_TS_CACHE_DIR;
  if (configured === "off") return undefined;
  if (configured !== undefined && configured !== "") return configured;
  for (let d = dirname(file); ; d = dirname(d)) {
    if (existsSync(join(d, "node_modules"))) return join(d, "node_modules", ".cache", "flytekit-ts");
    if (dirname(d) === d) return join(tmpdir(), "flytekit-ts-cache");
  }
}

function cacheKey(file: string, source: string): string {
  const hash = createHash("sha256");
  for (const part of [CACHE_FORMAT, typescriptVersion(file), file, source, ...tsconfigTexts(dirname(file))]) hash.update(part).update("\0");
  return hash.digest("hex");
}

export async function load(url: string, context: { format?: string }, nextLoad: NextLoad): Promise<{ format: string; source?: string | ArrayBuffer | Uint8Array; shortCircuit?: boolean }> {
  if (!url.startsWith("file:") || !TS_FILE.test(new URL(url).pathname)) return nextLoad(url, context);
  const file = fileURLToPath(url);
  const source = readFileSync(file, "utf8");
  const dir = cacheDirFor(file);
  const cached = dir === undefined ? undefined : join(dir, `${cacheKey(file, source)}.js`);
  if (cached !== undefined && existsSync(cached)) return { format: "module", source: readFileSync(cached, "utf8"), shortCircuit: true };
  const t = typescript(file);
  const out = t.transpileModule(source, { fileName: file, compilerOptions: compilerOptionsFor(file, t) });
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

