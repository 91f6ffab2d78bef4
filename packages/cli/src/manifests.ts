// The manifests the CLI makes: the in-process analysis of `.ts` sources that `run`, `serialize` and
// `package` import (each module's manifest registered before it is imported, so that its tasks take
// their types from it), kept on disk between runs; and the text of a manifest file (`build`, the
// code `package --fast` packs). Loaded by import() only when there is TypeScript to read.
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import { basename, dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import {
  cacheDirFor,
  cacheKeyParts,
  codeHash,
  findTsconfig,
  MANIFEST_FORMAT,
  PINNED_TYPESCRIPT,
  registerManifest,
  SourceAnalysis,
  type ModuleAnalysis,
  type TaskManifest,
} from "@flytekit-ts/core/analysis";

const TS_SOURCE = /\.[cm]?tsx?$/;
const DECLARATIONS = /\.d\.[cm]?tsx?$/;

/** The manifest's file text: stable (the analysis' order), readable, ending with a newline. */
export function manifestText(manifest: TaskManifest): string {
  return `${JSON.stringify(manifest, null, 2)}\n`;
}

/** Writes a file whole or not at all: a reader sees the old one or the new one. */
export function writeAtomically(path: string, data: string | Uint8Array): void {
  mkdirSync(dirname(path), { recursive: true });
  const temp = `${path}.${process.pid}.tmp`;
  try {
    writeFileSync(temp, data);
    renameSync(temp, path);
  } finally {
    rmSync(temp, { force: true });
  }
}

/**
 * The manifest an in-process analysis gives a source module: hashed over the source as it is on
 * disk (what the loader compiles), named by its file name (it sits beside the source), and keeping
 * what could not be typed on each task concerned, which is refused with it when it is built.
 */
function sourceManifest(analysis: ModuleAnalysis, source: Uint8Array): TaskManifest {
  return {
    format: MANIFEST_FORMAT,
    compiler: `typescript ${PINNED_TYPESCRIPT}`,
    source: basename(analysis.file),
    hash: codeHash(source),
    tasks: analysis.tasks,
    records: analysis.records,
  };
}

// The analyses of a root file are kept on disk beside the loader's transpiled modules (the nearest
// node_modules/.cache/flytekit-ts, or FLYTEKIT_TS_CACHE_DIR; "off" disables both), keyed as the
// loader keys the root (the pinned compiler, the project's compiler's major version, the path, the
// source, the tsconfig files' texts), with the size and modification time of every file the program
// read (the root's imports, their typings, TypeScript's libs) and of the analysis' own code (a new
// release, or a build of this repository, analyses anew): an entry whose files all look the same is
// used without loading the compiler, as `tsc -b` trusts its build info.
const CACHE_FORMAT = "1";

interface CacheEntry {
  format: string;
  /** Every file of the program, with its stamp. */
  files: Record<string, string>;
  analyses: ModuleAnalysis[];
}

function stampOf(file: string): string {
  try {
    const s = statSync(file);
    return `${s.size}:${s.mtimeMs}`;
  } catch {
    return "missing";
  }
}

function entryPath(root: string): string | undefined {
  const dir = cacheDirFor(root);
  if (dir === undefined) return undefined;
  const hash = createHash("sha256").update(`analysis ${CACHE_FORMAT}\0`);
  for (const part of cacheKeyParts(root, readFileSync(root, "utf8"))) hash.update(part).update("\0");
  return join(dir, `analysis-${hash.digest("hex")}.json`);
}

function cachedAnalyses(root: string): ModuleAnalysis[] | undefined {
  const path = entryPath(root);
  if (path === undefined || !existsSync(path)) return undefined;
  try {
    const entry = JSON.parse(readFileSync(path, "utf8")) as CacheEntry;
    if (entry.format !== CACHE_FORMAT || !Array.isArray(entry.analyses)) return undefined;
    for (const [file, stamp] of Object.entries(entry.files)) if (stampOf(file) !== stamp) return undefined;
    return entry.analyses;
  } catch {
    // A damaged entry is a miss.
    return undefined;
  }
}

function storeAnalyses(root: string, files: readonly string[], analyses: readonly ModuleAnalysis[]): void {
  const path = entryPath(root);
  if (path === undefined) return;
  const entry: CacheEntry = { format: CACHE_FORMAT, files: Object.fromEntries(files.map((f) => [f, stampOf(f)])), analyses: [...analyses] };
  try {
    writeAtomically(path, JSON.stringify(entry));
  } catch {
    // A cache that cannot be written (a read-only image) is skipped.
  }
}

/** The process' one analysis of TypeScript sources: its program is reused by every later call. */
let sourceAnalysis: SourceAnalysis | undefined;
const requested = new Set<string>();
const analysed = new Map<string, TaskManifest>();

/**
 * Reads the tasks' types of the TypeScript sources among `files` (and of the modules they import),
 * in one program shared by every file of the call and reused by the next, and registers each
 * module's manifest for the tasks built when it is imported. Not a type-check: the project's tsc
 * reports type errors; what the analysis cannot type rides on the task concerned.
 */
export function analyseSources(files: readonly string[]): void {
  const roots = [...new Set(files.map((f) => resolve(f)))].filter((f) => TS_SOURCE.test(f) && !DECLARATIONS.test(f) && !requested.has(f) && !analysed.has(f) && existsSync(f));
  if (roots.length === 0) return;
  for (const f of roots) requested.add(f);
  const found: ModuleAnalysis[] = [];
  const missed: string[] = [];
  for (const root of roots) {
    const cached = cachedAnalyses(root);
    if (cached === undefined) missed.push(root);
    else found.push(...cached);
  }
  if (missed.length > 0) {
    sourceAnalysis ??= new SourceAnalysis();
    const results = [...sourceAnalysis.analyse(missed).values()];
    found.push(...results);
    // What the programs read, for the cache's check.
    const read = new Set<string>([fileURLToPath(import.meta.resolve("@flytekit-ts/core/analysis"))]);
    for (const tsconfig of new Set(missed.map((f) => findTsconfig(dirname(f))))) {
      for (const sf of sourceAnalysis.programFor(tsconfig, []).getSourceFiles()) read.add(resolve(sf.fileName));
    }
    for (const root of missed) storeAnalyses(root, [...read], results);
  }
  for (const analysis of found) {
    const file = resolve(analysis.file);
    if (analysed.has(file)) continue;
    const manifest = sourceManifest(analysis, readFileSync(file));
    registerManifest(file, manifest);
    analysed.set(file, manifest);
  }
}

/** The manifests the in-process analysis registered, by source file (absolute). */
export function analysedSources(): ReadonlyMap<string, TaskManifest> {
  return analysed;
}
