// Task names follow flytekit's "<module>.<qualified name>", where the module is the source file's
// path relative to the project root (the nearest directory with a package.json), without its
// extension and a leading "src/" (the conventional source root, as Python's src layout has it),
// with "/" as ".". Compiled JavaScript is traced back to its TypeScript source through its source
// map, so a task has the same name whether its module was loaded from source or from dist.
import { existsSync, readFileSync } from "node:fs";
import { findSourceMap } from "node:module";
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

type CallSiteLike = { getFileName(): string | null | undefined; getLineNumber(): number | null; getColumnNumber(): number | null };
type PrepareStackTrace = (error: Error, sites: CallSiteLike[]) => unknown;

const pathOfUrl = new Map<string, string>();
const sdkFrame = new Map<string, boolean>();

/** The nearest frame outside the SDK (below `below` on the stack), its file as a path; or undefined. */
interface CallerFrame {
  file: string;
  site: CallSiteLike;
  /** The stack trace formatter in force when the stack was read (a test runner's, mapping positions). */
  prepare: PrepareStackTrace | undefined;
}

/**
 * The one walk up the stack: the nearest frame whose file is not the SDK's (nor a helper's such as
 * reflect-metadata). Few frames are cheap to capture and usually enough (decorator → reflect-metadata
 * → the user's __decorate); it looks deeper only when they are not.
 */
function nearestCaller(below: Function): CallerFrame | undefined {
  return nearestCallerWithin(7, below) ?? nearestCallerWithin(64, below);
}

function nearestCallerWithin(depth: number, below: Function): CallerFrame | undefined {
  const prepare = Error.prepareStackTrace;
  const limit = Error.stackTraceLimit;
  let sites: CallSiteLike[] = [];
  try {
    Error.stackTraceLimit = depth;
    Error.prepareStackTrace = (_e, s) => s;
    const holder: { stack?: CallSiteLike[] } = {};
    Error.captureStackTrace(holder, below);
    sites = holder.stack ?? [];
  } finally {
    Error.prepareStackTrace = prepare;
    Error.stackTraceLimit = limit;
  }
  for (const site of sites) {
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
    if (!sdk) return { file, site, prepare: prepare as PrepareStackTrace | undefined };
  }
  return undefined;
}

/** The file of the nearest caller outside the SDK: where a task is being declared. */
export function callerFile(): string | undefined {
  return nearestCaller(callerFile)?.file;
}

/**
 * Where the nearest caller outside the SDK is, `file:line:column`, for messages about what it
 * declared: the frame `callerFile` finds, its position as the stack prints it, so that a source map
 * in force (Node's, as `--enable-source-maps` and our TypeScript loader turn on, or a test
 * runner's) gives the TypeScript position. The file is relative to the working directory when it
 * is inside it.
 */
export function callerLocation(): string | undefined {
  const caller = nearestCaller(callerLocation);
  if (caller === undefined) return undefined;
  const { file, line, column } = printedPosition(caller);
  const shown = relative(process.cwd(), file);
  return `${shown.startsWith("..") || isAbsolute(shown) ? file : shown}${line === undefined ? "" : `:${line}:${column ?? 0}`}`;
}

/** A frame's position after source maps: the formatter in force prints it, else Node's own maps are asked. */
function printedPosition({ file, site, prepare }: CallerFrame): { file: string; line?: number; column?: number } {
  const line = site.getLineNumber() ?? undefined;
  const column = site.getColumnNumber() ?? undefined;
  if (prepare !== undefined) {
    // A formatter someone installed (a test runner's) maps the frame as it prints it.
    const printed = prepare(new Error(), [site]);
    const at = typeof printed === "string" ? /\(?((?:file:\/\/)?\/[^\n]*?|[A-Za-z]:\\[^\n]*?):(\d+):(\d+)\)?\s*$/.exec(printed) : null;
    if (at !== null) return { file: at[1]!.startsWith("file:") ? fileURLToPath(at[1]!) : at[1]!, line: Number(at[2]), column: Number(at[3]) };
  } else if (line !== undefined && column !== undefined) {
    const name = site.getFileName()!;
    const entry = findSourceMap(name)?.findEntry(line - 1, column - 1);
    if (entry !== undefined && "originalSource" in entry && entry.originalSource !== undefined) {
      const source = entry.originalSource.startsWith("file:") ? fileURLToPath(entry.originalSource) : entry.originalSource;
      return { file: isAbsolute(source) ? source : file, line: entry.originalLine + 1, column: entry.originalColumn + 1 };
    }
  }
  return { file, line, column };
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
