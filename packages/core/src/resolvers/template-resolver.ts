// flytekit's TaskTemplateResolver (python_customized_container_task.py): the loader arguments of a
// template-based task are `{{.taskTemplatePath}}` (Flyte fills in where the registered template
// is) and its executor's location, the same for every task of one executor. In the container the
// task is always an ExecutableTemplateShimTask: what the template says, run by the executor.
import { decode } from "../idl/codec.js";
import { defaultStorage } from "../storage/router.js";
import { TaskTemplateSchema } from "../idl/gen/flyteidl/core/tasks_pb.js";
import { checkExecutor, ExecutableTemplateShimTask, type ShimTaskExecutorClass } from "../tasks/shim.js";
import type { Task } from "../tasks/task.js";
import { TaskResolutionError } from "./default-resolver.js";
import { importLocation } from "./locate.js";
import { registerBuiltinResolver } from "./registry.js";
import type { ResolvableTask, ResolverContext, TaskResolver } from "../tasks/resolver.js";

/** The `--resolver` name of the task template resolver. */
export const TASK_TEMPLATE_RESOLVER_LOCATION = "flytekit-ts.TaskTemplateResolver";

const KEY = Symbol.for("flytekit-ts.executor-locations");
const locations: WeakMap<Function, string> = ((globalThis as Record<symbol, unknown>)[KEY] ??= new WeakMap<Function, string>()) as WeakMap<Function, string>;

/** Records where a container imports an executor from (what `@taskExecutor()` does). */
export function setExecutorLocation(executorType: Function, location: string): void {
  if (!/^.+#[^#]+$/.test(location)) throw new TaskResolutionError({ subject: `executor ${executorType.name}`, expected: 'a location "<module>#<export>"', got: JSON.stringify(location) });
  locations.set(executorType, location);
}

/** Where a container imports an executor from: its own static `location`, or where `@taskExecutor()` found it. */
export function executorLocation(executorType: ShimTaskExecutorClass): string {
  const own = Object.hasOwn(executorType, "location") ? executorType.location : undefined;
  const location = own ?? locations.get(executorType);
  if (location === undefined) {
    throw new TaskResolutionError({
      subject: `executor ${executorType.name}`,
      problem: "it has no location a container can import it from",
      fix: `decorate it with @taskExecutor() or give it a static location = "<module>#${executorType.name}" (a package specifier or a path from the package root)`,
    });
  }
  return location;
}

/** Loads template-based tasks: the template from `{{.taskTemplatePath}}`, the executor from its location. */
export class TaskTemplateResolver implements TaskResolver {
  readonly location = TASK_TEMPLATE_RESOLVER_LOCATION;

  loaderArgs(task: ResolvableTask): string[] {
    const executorType = (task as { executorType?: ShimTaskExecutorClass }).executorType;
    if (executorType === undefined) {
      throw new TaskResolutionError({ task: task.name, problem: "it has no executor: the task template resolver loads only template-based tasks" });
    }
    return ["{{.taskTemplatePath}}", executorLocation(executorType)];
  }

  async loadTask(loaderArgs: readonly string[], context: ResolverContext = { storage: defaultStorage }): Promise<Task> {
    const [templatePath, location] = loaderArgs;
    if (templatePath === undefined || location === undefined || loaderArgs.length !== 2) {
      throw new TaskResolutionError({ subject: "the loader arguments", expected: '"<template path> <module>#<executor>"', got: JSON.stringify(loaderArgs) });
    }
    const template = decode(TaskTemplateSchema, await context.storage.read(templatePath), `task template ${templatePath}`);
    const executorType = checkExecutor(await importLocation(location, "executor"), { subject: `executor ${location}` });
    return new ExecutableTemplateShimTask(template, executorType);
  }

  /** Template-based tasks are not listed (as flytekit's returns an empty list). */
  getAllTasks(): Task[] {
    return [];
  }
}

export const taskTemplateResolver: TaskTemplateResolver = new TaskTemplateResolver();
registerBuiltinResolver(taskTemplateResolver);
