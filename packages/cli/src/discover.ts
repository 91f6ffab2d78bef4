// Finds the tasks a module exports: function-form tasks, Task objects, decorated classes (a task
// class, and the static and instance methods of a class that are tasks).
import { existsSync, readFileSync } from "node:fs";
import { basename, isAbsolute, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { FlyteError, type Task } from "@flytekit-ts/core";
import { FunctionTask } from "@flytekit-ts/core/extend";
import {
  brand,
  codeHash,
  findTask,
  MANIFEST_FORMAT,
  PINNED_TYPESCRIPT,
  registerManifest,
  registerTypeScriptLoader,
  SourceAnalysis,
  type ModuleAnalysis,
  type TaskManifest,
} from "@flytekit-ts/core/internal";

/** A CLI failure: its message is what the user sees; nothing was written. */
export class CliError extends FlyteError {}
brand(CliError, "CliError");

export interface DiscoveredTask {
  task: Task;
  /** The module file the task was found in. */
  file: string;
  /** The path to the task from the module's exports. */
  attributePath: string;
}

const TS_SOURCE = /\.[cm]?tsx?$/;
const DECLARATIONS = /\.d\.[cm]?tsx?$/;

/** The process' one analysis of TypeScript sources: its program is reused by every later call. */
let sourceAnalysis: SourceAnalysis | undefined;
const analysedRoots = new Set<string>();
const analysed = new Map<string, TaskManifest>();

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

/**
 * Reads the tasks' types of the TypeScript sources among `files` (and of the modules they import),
 * in one program shared by every file of the call and reused by the next, and registers each
 * module's manifest for the tasks built when it is imported. Not a type-check: the project's tsc
 * reports type errors; what the analysis cannot type rides on the task concerned.
 */
export function analyseSources(files: readonly string[]): void {
  const sources = [...new Set(files.map((f) => resolve(f)))].filter((f) => TS_SOURCE.test(f) && !DECLARATIONS.test(f) && existsSync(f) && !analysedRoots.has(f) && !analysed.has(f));
  if (sources.length === 0) return;
  for (const f of sources) analysedRoots.add(f);
  sourceAnalysis ??= new SourceAnalysis();
  let results: Map<string, ModuleAnalysis>;
  try {
    results = sourceAnalysis.analyse(sources);
  } catch (e) {
    if (e instanceof FlyteError) throw new CliError(e.fields, { cause: e });
    throw e;
  }
  for (const [file, analysis] of results) {
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

/** Imports a user module (TypeScript sources through the TypeScript loader); a failure names the module. */
export async function importModule(path: string): Promise<{ file: string; exports: Record<string, unknown> }> {
  const file = isAbsolute(path) ? path : resolve(process.cwd(), path);
  if (TS_SOURCE.test(file)) {
    analyseSources([file]);
    registerTypeScriptLoader();
  }
  try {
    return { file, exports: (await import(pathToFileURL(file).href)) as Record<string, unknown> };
  } catch (e) {
    throw new CliError({ subject: `module ${path}`, problem: `it failed to import: ${e instanceof Error ? e.message : String(e)}` }, { cause: e });
  }
}

function taskAt(module: string, path: string, value: unknown): Task | undefined {
  try {
    return findTask(value);
  } catch (e) {
    // A FlyteError keeps its own fields (it names the task); where it was found goes in the fix.
    if (e instanceof FlyteError) {
      const fields = e.fields;
      throw new CliError({ ...fields, fix: [fields.fix, `(${path} in ${module})`].filter((f) => f !== undefined).join(" ") }, { cause: e });
    }
    throw new CliError({ subject: `module ${module}, task ${path}`, problem: e instanceof Error ? e.message : String(e) }, { cause: e });
  }
}

/** The tasks a module exports, in export order, each once. */
export function tasksInModule(module: string, file: string, exports: Record<string, unknown>): DiscoveredTask[] {
  const found: DiscoveredTask[] = [];
  const seen = new Set<Task>();
  const add = (path: string, value: unknown) => {
    const task = taskAt(module, path, value);
    if (task === undefined || seen.has(task)) return;
    seen.add(task);
    found.push({ task, file, attributePath: path });
  };
  for (const [name, value] of Object.entries(exports)) {
    add(name, value);
    if (typeof value !== "function" || !Object.prototype.hasOwnProperty.call(value, "prototype")) continue;
    for (const member of Object.getOwnPropertyNames(value)) {
      if (["length", "name", "prototype"].includes(member)) continue;
      const d = Object.getOwnPropertyDescriptor(value, member);
      if (typeof d?.value === "function") add(`${name}.${member}`, d.value);
    }
    const proto = (value as { prototype?: object }).prototype;
    if (proto === undefined || proto === null) continue;
    for (const member of Object.getOwnPropertyNames(proto)) {
      if (member === "constructor") continue;
      const d = Object.getOwnPropertyDescriptor(proto, member);
      if (typeof d?.value === "function") add(`${name}.${member}`, d.value);
    }
  }
  return found;
}

/** Imports modules and finds their tasks; records where each was found; refuses two tasks of one name. */
export async function discover(modules: readonly string[]): Promise<DiscoveredTask[]> {
  const all: DiscoveredTask[] = [];
  // All the sources in one program, before any is imported.
  analyseSources(modules);
  for (const path of modules) {
    const { file, exports } = await importModule(path);
    for (const d of tasksInModule(path, file, exports)) {
      const clash = all.find((o) => o.task.name === d.task.name && o.task !== d.task);
      if (clash !== undefined) {
        throw new CliError({
          task: d.task.name,
          problem: `two tasks have this name: ${clash.attributePath} in ${clash.file} and ${d.attributePath} in ${d.file}`,
          fix: "give one a name of its own",
        });
      }
      if (d.task instanceof FunctionTask) d.task.setLocation({ file: d.file, attributePath: d.attributePath });
      all.push(d);
    }
  }
  // In the order they were declared, as pyflyte writes them (a module's exports come alphabetically).
  return all.sort((a, b) => a.task.declarationIndex - b.task.declarationIndex);
}
