import { FunctionTask, type FunctionTaskInit } from "../tasks/function-task.js";

/** A task class a plugin provides: a FunctionTask subclass built like one. */
export type PluginTaskClass = (new (init: FunctionTaskInit) => FunctionTask) & { supportsAsync: boolean };

const STORE = Symbol.for("flytekit-ts.task-plugins");
const plugins: Map<Function, PluginTaskClass> = ((globalThis as Record<symbol, unknown>)[STORE] as Map<Function, PluginTaskClass> | undefined) ??
  ((globalThis as Record<symbol, unknown>)[STORE] = new Map<Function, PluginTaskClass>()) as Map<Function, PluginTaskClass>;

/**
 * Plugins by their config class (flytekit's TaskPlugins): `@task({ taskConfig: new Cfg() })`
 * builds the task class registered for `Cfg`. Lookup is by the exact class: a subclass of a
 * registered config is not found.
 */
export const TaskPlugins = {
  /**
   * Registers `taskClass` for tasks whose `taskConfig` is an instance of `configClass`. The same
   * pair twice is a no-op; another class for a registered config is an error.
   */
  registerPluginTask(configClass: Function, taskClass: PluginTaskClass): void {
    if (typeof configClass !== "function") throw new TypeError("registerPluginTask: the config must be a class");
    if (typeof taskClass !== "function" || !(taskClass.prototype instanceof FunctionTask)) {
      throw new TypeError(`registerPluginTask: ${String(taskClass?.name ?? taskClass)} must be a class that extends FunctionTask`);
    }
    const found = plugins.get(configClass);
    if (found === taskClass) return;
    if (found !== undefined) {
      throw new TypeError(
        `Requesting to register plugin ${taskClass.name} - collides with existing plugin ${found.name} for type ${configClass.name}`,
      );
    }
    plugins.set(configClass, taskClass);
  },

  /** The task class registered for exactly this config class, or FunctionTask. */
  findPluginTask(configClass: Function | undefined): PluginTaskClass {
    return (configClass === undefined ? undefined : plugins.get(configClass)) ?? FunctionTask;
  },

  /** Whether a config class has a plugin. */
  has(configClass: Function): boolean {
    return plugins.has(configClass);
  },
} as const;
