// Task names follow flytekit's "<module>.<qualified name>", where the module is the source file's
// path relative to the project root (the nearest directory with a package.json), without its
// extension and a leading "src/" (the conventional source root, as Python's src layout has it),
// with "/" as ".". Compiled JavaScript is traced back to its TypeScript source through its source
// map, so a task has the same name whether its module was loaded from source or from dist.
import { existsSync, readFileSync } from "node:fs";
import { dirname, extname, isAbsolute, join, relative, resolve, sep } from "node:path";
import { fileURLToPath } from "node:url";

const ownRoots: string[] = [];

/** Marks a directory as ours (an SDK package): call sites inside it are not the user's. */
export function registerSdkRoot(fileUrlOrPath: string): void {
  const path = fileUrlOrPath.startsWith("file:") ? fileURLToPath(fileUrlOrPath) : fileUrlOrPath;
  const root = packageRoot(path);
  if (root !== undefined && !ownRoots.includes(root)) ownRoots.push(root);
  sdkFrame.clear();
}

const IGNORED = [`${sep}node_modules${sep}reflect-metadata${sep}`, `${sep}node_modules${sep}tslib${sep}`];

// The SDK's own tests declare tasks too: their files are users' files.
const TEST_FILE = /(\.test\.[cm]?[jt]s$)|([\\/]__fixtures__[\\/])/;

function isSdkFrame(file: string): boolean {
  if (file.startsWith("node:")) return true;
  if (TEST_FILE.test(file)) return false;
  for (const root of ownRoots) if (file.startsWith(root + sep)) return true;
  for (const part of IGNORED) if (file.includes(part)) return true;
  return false;
}

type CallSiteLike = { getFileName(): string | null | undefined };

const pathOfUrl = new Map<string, string>();
const sdkFrame = new Map<string, boolean>();

/** The file of the nearest caller outside the SDK: where a task is being declared. */
export function callerFile(): string | undefined {
  // Few frames are cheap to capture and usually enough (decorator → reflect-metadata → the
  // user's __decorate); look deeper only when they are not.
  return callerFileWithin(7) ?? callerFileWithin(64);
}

function callerFileWithin(depth: number): string | undefined {
  const prepare = Error.prepareStackTrace;
  const limit = Error.stackTraceLimit;
  try {
    Error.stackTraceLimit = depth;
    Error.prepareStackTrace = (_e, sites) => sites;
    const holder: { stack?: CallSiteLike[] } = {};
    Error.captureStackTrace(holder, callerFileWithin);
    for (const site of holder.stack ?? []) {
      const name = site.getFileName();
      if (name === null || name === undefined || name === "") continue;
      let file = name;
      if (name.startsWith("file:")) {
        file = pathOfUrl.get(name) ?? fileURLToPath(name);
        pathOfUrl.set(name, file);
      }
      if (!isAbsolute(file)) continue;
      let sdk = sdkFrame.get(file);
      if (sdk === undefined) {
        sdk = isSdkFrame(file);
        sdkFrame.set(file, sdk);
      }
      if (!sdk) return file;
    }
    return undefined;
  } finally {
    Error.prepareStackTrace = prepare;
    Error.stackTraceLimit = limit;
  }
}

/**
 * Where the nearest caller outside the SDK is, `file:line:column`, for messages about what it
 * declared. Read from the stack's text, so that a source map in force (`--enable-source-maps`, a
 * test runner's) gives the TypeScript position; the file is relative to the working directory
 * when it is inside it.
 */
export function callerLocation(): string | undefined {
  const limit = Error.stackTraceLimit;
  const holder: { stack?: string } = {};
  try {
    Error.stackTraceLimit = 64;
    Error.captureStackTrace(holder, callerLocation);
  } finally {
    Error.stackTraceLimit = limit;
  }
  for (const line of (holder.stack ?? "").split("\n").slice(1)) {
    const at = /\(?((?:file:\/\/)?\/[^()]*?|[A-Za-z]:\\[^()]*?):(\d+):(\d+)\)?\s*$/.exec(line);
    if (at === null) continue;
    const file = at[1]!.startsWith("file:") ? fileURLToPath(at[1]!) : at[1]!;
    if (!isAbsolute(file) || isSdkFrame(file)) continue;
    const shown = relative(process.cwd(), file);
    return `${shown.startsWith("..") || isAbsolute(shown) ? file : shown}:${at[2]}:${at[3]}`;
  }
  return undefined;
}

const rootCache = new Map<string, string | undefined>();

/** The nearest directory at or above `file` that holds a package.json. */
export function packageRoot(file: string): string | undefined {
  let dir = dirname(file);
  const seen: string[] = [];
  for (;;) {
    const cached = rootCache.get(dir);
    if (cached !== undefined || rootCache.has(dir)) {
      for (const d of seen) rootCache.set(d, cached);
      return cached;
    }
    seen.push(dir);
    if (existsSync(join(dir, "package.json"))) {
      for (const d of seen) rootCache.set(d, dir);
      return dir;
    }
    const parent = dirname(dir);
    if (parent === dir) {
      for (const d of seen) rootCache.set(d, undefined);
      return undefined;
    }
    dir = parent;
  }
}

/** The TypeScript source of a compiled file, read from its source map; the file itself otherwise. */
export function sourceOf(file: string): string {
  if (!/\.[cm]?js$/.test(file)) return file;
  try {
    const mapFile = `${file}.map`;
    if (!existsSync(mapFile)) return file;
    const map = JSON.parse(readFileSync(mapFile, "utf8")) as { sources?: string[]; sourceRoot?: string };
    const first = map.sources?.[0];
    if (first === undefined) return file;
    const source = resolve(dirname(file), map.sourceRoot ?? "", first.startsWith("file:") ? fileURLToPath(first) : first);
    return existsSync(source) ? source : file;
  } catch {
    return file;
  }
}

const moduleCache = new Map<string, string>();

/** The module part of task names declared in `file`: `pipelines.math` for `<root>/src/pipelines/math.ts`. */
export function moduleNameOf(file: string): string {
  let name = moduleCache.get(file);
  if (name === undefined) {
    const source = sourceOf(file);
    const root = packageRoot(source) ?? dirname(source);
    let rel = relative(root, source);
    rel = rel.slice(0, rel.length - extname(rel).length);
    const parts = rel.split(sep).filter((p) => p !== "");
    if (parts.length > 1 && parts[0] === "src") parts.shift();
    name = parts.join(".");
    moduleCache.set(file, name);
  }
  return name;
}

registerSdkRoot(import.meta.url);
