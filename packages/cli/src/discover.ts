// Finds the tasks a module exports: function-form tasks, Task objects, decorated classes (a task
// class, and the static and instance methods of a class that are tasks).
import { isAbsolute, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { FlyteError, type Task } from "@flytekit-ts/core";
import { FunctionTask } from "@flytekit-ts/core/extend";
import { brand, findTask, registerTypeScriptLoader } from "@flytekit-ts/core/internal";

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

/**
 * Analyses the TypeScript sources among `files` (one program for them all) and registers their
 * manifests, before they are imported; the compiler is loaded only when there are some.
 */
async function analyseSources(files: readonly string[]): Promise<void> {
  if (!files.some((f) => TS_SOURCE.test(f))) return;
  const manifests = await import("./manifests.js");
  try {
    manifests.analyseSources(files.map((f) => (isAbsolute(f) ? f : resolve(process.cwd(), f))));
  } catch (e) {
    if (e instanceof FlyteError) throw new CliError(e.fields, { cause: e });
    throw e;
  }
}

/** Imports a user module (TypeScript sources through the TypeScript loader); a failure names the module. */
export async function importModule(path: string): Promise<{ file: string; exports: Record<string, unknown> }> {
  const file = isAbsolute(path) ? path : resolve(process.cwd(), path);
  if (TS_SOURCE.test(file)) {
    await analyseSources([file]);
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
  await analyseSources(modules);
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
