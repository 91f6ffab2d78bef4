import type { Task } from "../tasks/task.js";

/**
 * How a container finds its task (flytekit's TaskResolverMixin). At serialization the resolver
 * writes loader arguments into the container's args; in the container, `flytekit-ts-execute`
 * imports the resolver named by `--resolver` and asks it to load the task from those arguments.
 */
export interface TaskResolver {
  /** The name `--resolver` carries: a module specifier and export, `module#export`. */
  readonly location: string;
  /** The loader arguments for a task, written after `--` in the container's args. */
  loaderArgs(task: Task): string[];
  /** Loads the task the loader arguments name. */
  loadTask(loaderArgs: readonly string[]): Promise<Task>;
}
