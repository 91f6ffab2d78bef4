// Module hooks (node:module register) that transpile TypeScript sources with the TypeScript
// compiler, decorators and their metadata included. Imports written as `./x.js` find `./x.ts`.
import { existsSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

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
  throw new Error(
    "flytekit-ts: loading TypeScript sources needs the typescript package (5.x): npm install --save-dev typescript@5.9 " +
      "(or compile your modules with tsc and load the JavaScript)",
  );
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

export async function load(url: string, context: { format?: string }, nextLoad: NextLoad): Promise<{ format: string; source?: string | ArrayBuffer | Uint8Array; shortCircuit?: boolean }> {
  if (!url.startsWith("file:") || !TS_FILE.test(new URL(url).pathname)) return nextLoad(url, context);
  const file = fileURLToPath(url);
  const t = typescript(file);
  const out = t.transpileModule(readFileSync(file, "utf8"), { fileName: file, compilerOptions: compilerOptionsFor(file, t) });
  return { format: "module", source: out.outputText, shortCircuit: true };
}

