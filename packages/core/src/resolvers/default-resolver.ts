import { existsSync } from "node:fs";
import { isAbsolute, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { modulePath } from "./locate.js";
import { classFound } from "../metadata/awaiting-class.js";
import { noteRecordModule } from "../types/record.js";
import { findTask } from "../tasks/handles.js";
import type { Task } from "../tasks/task.js";
import { brand, FlyteError } from "../errors/flyte-error.js";
import type { ResolvableTask, TaskResolver } from "../tasks/resolver.js";

/** The `--resolver` name of the default resolver. */
export const DEFAULT_RESOLVER_LOCATION = "flytekit-ts.DefaultTaskResolver";

/** A module file's path from its package root, by file (a module serializes many tasks). */
const moduleArgs = new Map<string, string>();

/** A task that cannot be found, or whose location cannot be written into its container's args. */
export class TaskResolutionError extends FlyteError {
  /** flytekit's error code for a task that cannot be loaded. */
  get errorCode(): string {
    return "USER:RuntimeError";
  }
}
brand(TaskResolutionError, "TaskResolutionError");

/** Where a task was found: the module file, and the path to it from the module's exports. */
export interface ModuleLocation {
  file: string;
  attributePath: string;
}

/** The location recorded on a task (function tasks record where they were declared). */
export function locationOf(task: ResolvableTask): Partial<ModuleLocation> {
  return (task as { location?: Partial<ModuleLocation> }).location ?? {};
}

/**
 * flytekit's default resolver, for TypeScript: the loader arguments are
 * `task-module <file> task-name <path>`, where the file is the module's path from its package
 * root (the container's working directory) and the path walks the module's exports
 * (`Pipelines.add`, an instance method through the class's prototype, or an export name).
 */
export class DefaultTaskResolver implements TaskResolver {
  readonly location = DEFAULT_RESOLVER_LOCATION;

  loaderArgs(task: ResolvableTask): string[] {
    const { file, attributePath } = locationOf(task);
    if (file === undefined || attributePath === undefined) {
      throw new TaskResolutionError({
        task: task.name,
        problem: "cannot tell how a container would find it: it has no module and export path",
        fix: "serialize it with the flytekit-ts CLI, which finds tasks in a module's exports, or declare it in a module",
      });
    }
    let module = moduleArgs.get(file);
    if (module === undefined) {
      module = modulePath(file);
      moduleArgs.set(file, module);
    }
    return ["task-module", module, "task-name", attributePath];
  }

  async loadTask(loaderArgs: readonly string[]): Promise<Task> {
    const [k1, module, k2, name] = loaderArgs;
    if (k1 !== "task-module" || k2 !== "task-name" || module === undefined || name === undefined) {
      throw new TaskResolutionError({ subject: "the loader arguments", expected: '"task-module <file> task-name <path>"', got: JSON.stringify(loaderArgs) });
    }
    const file = isAbsolute(module) ? module : resolve(process.cwd(), module);
    if (!existsSync(file)) throw new TaskResolutionError({ subject: `task module ${module}`, problem: `it does not exist (looked for ${file})` });
    const exports = (await import(pathToFileURL(file).href)) as Record<string, unknown>;
    // The classes it exports are met and known with their module (standard decorators give neither
    // otherwise): a manifest's class record declared here is then the class itself, its methods
    // working, not a class made from the manifest. (What fails to place fails again where the class is used.)
    for (const value of Object.values(exports)) {
      if (typeof value !== "function" || !Object.prototype.hasOwnProperty.call(value, "prototype")) continue;
      noteRecordModule(value, () => file);
      try {
        classFound(value);
      } catch {
        // Said where it is used.
      }
    }
    let target: unknown = exports;
    for (const part of name.split(".")) {
      const holder = target as Record<string, unknown> | undefined;
      // A class found on the way places what its standard decorators declared (its instance methods' tasks).
      if (typeof holder === "function") classFound(holder);
      const next = holder?.[part] ?? (holder?.prototype as Record<string, unknown> | undefined)?.[part];
      if (next === undefined) throw new TaskResolutionError({ subject: `task module ${module}`, problem: `it has nothing at ${name} (no "${part}")` });
      target = next;
    }
    const task = findTask(target);
    if (task === undefined) throw new TaskResolutionError({ subject: `task module ${module}`, problem: `${name} is not a task` });
    return task;
  }
}

export const defaultTaskResolver: DefaultTaskResolver = new DefaultTaskResolver();
