// How a container finds its task (flytekit's TaskResolverMixin). At serialization a resolver writes
// loader arguments into the container's args; in the container, flytekit-ts-execute imports the
// resolver named by `--resolver` and asks it to load the task from those arguments.
import type { Storage } from "../storage/storage.js";

/** What a resolver is told of a task: its name, and whatever it recorded of where the task is (its location, its executor). */
export interface ResolvableTask {
  readonly name: string;
}

/** What a resolver may use while it loads a task: the container's storage (a template path may be remote). */
export interface ResolverContext {
  readonly storage: Storage;
}

/** A task resolver. The built-in ones are the default (module and export) and the task template resolver. */
export interface TaskResolver {
  /** The name `--resolver` carries: a built-in name, or `<module>#<export>`. */
  readonly location: string;
  /** The loader arguments for a task, written after `--` in the container's args. */
  loaderArgs(task: ResolvableTask): string[];
  /** Loads the task the loader arguments name (the entrypoint checks it is a task). */
  loadTask(loaderArgs: readonly string[], context: ResolverContext): Promise<ResolvableTask>;
}
