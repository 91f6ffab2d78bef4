import { TaskDefinitionError } from "./errors.js";
import { FunctionTask, type FunctionTaskInit } from "./function-task.js";
import { Task } from "./task.js";

/** A task class a plugin provides for `@task`: a FunctionTask subclass built like one. */
export type PluginTaskClass = (new (init: FunctionTaskInit) => FunctionTask) & { supportsAsync: boolean };

/**
 * A task class a plugin provides for tasks without a function of the user's (a customized
 * container task such as SQLite3Task, a query task such as BigQueryTask): built from options
 * `{ name, taskConfig, ... }`.
 */
export type TemplateTaskClass = new (init: never) => Task;

const STORE = Symbol.for("flytekit-ts.task-plugins");
const plugins: Map<Function, Function> = ((globalThis as Record<symbol, unknown>)[STORE] as Map<Function, Function> | undefined) ??
  ((globalThis as Record<symbol, unknown>)[STORE] = new Map<Function, Function>()) as Map<Function, Function>;

/**
 * Plugins by their config class (flytekit's TaskPlugins): `@task({ taskConfig: new Cfg() })`
 * builds the task class registered for `Cfg`, and so does `@customContainerTask({ config })` for
 * a plugin whose tasks run no function of the user's. Lookup is by the exact class: a subclass of
 * a registered config is not found.
 */
export const TaskPlugins = {
  /**
   * Registers `taskClass` for tasks whose config is an instance of `configClass`. The same pair
   * twice is a no-op; another class for a registered config is an error.
   */
  registerPluginTask(configClass: Function, taskClass: PluginTaskClass | TemplateTaskClass): void {
    if (typeof configClass !== "function") throw new TaskDefinitionError({ subject: "registerPluginTask()", expected: "a config class", got: String(configClass) });
    if (typeof taskClass !== "function" || !(taskClass.prototype instanceof Task)) {
      throw new TaskDefinitionError({
        subject: "registerPluginTask()",
        expected: "a task class (one that extends FunctionTask, CustomizedContainerTask or Task)",
        got: String((taskClass as { name?: string } | undefined)?.name ?? taskClass),
      });
    }
    const found = plugins.get(configClass);
    if (found === taskClass) return;
    if (found !== undefined) {
      throw new TaskDefinitionError({
        subject: `config ${configClass.name}`,
        problem: `Requesting to register plugin ${taskClass.name} - collides with existing plugin ${found.name} for type ${configClass.name}`,
      });
    }
    plugins.set(configClass, taskClass);
  },

  /** The function-task class registered for exactly this config class, or FunctionTask. */
  findPluginTask(configClass: Function | undefined): PluginTaskClass {
    const found = configClass === undefined ? undefined : plugins.get(configClass);
    if (found === undefined) return FunctionTask;
    if (!(found.prototype instanceof FunctionTask)) {
      // A customized container task has a command (a query task does not): it can be declared on a class too.
      const hasCommand = typeof (found.prototype as { getCommand?: unknown }).getCommand === "function";
      const how = hasCommand ? `@customContainerTask({ config: new ${configClass!.name}(...), ... }) or ` : "";
      throw new TaskDefinitionError({
        subject: "option 'taskConfig'",
        problem: `the plugin for ${configClass!.name} is ${found.name}, whose tasks run no function of yours`,
        fix: `make them with ${how}new ${found.name}({ ... }), not @task`,
      });
    }
    return found as PluginTaskClass;
  },

  /** The task class registered for exactly this config class, of any kind. */
  pluginFor(configClass: Function): PluginTaskClass | TemplateTaskClass | undefined {
    return plugins.get(configClass) as PluginTaskClass | TemplateTaskClass | undefined;
  },

  /** Whether a config class has a plugin. */
  has(configClass: Function): boolean {
    return plugins.has(configClass);
  },
} as const;
