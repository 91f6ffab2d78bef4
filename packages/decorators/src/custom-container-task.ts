import { ShimTaskExecutor, TaskDefinitionError } from "@flytekit-ts/core";
import { callerFile, modulePath, setExecutorLocation, type CustomContainerTaskOptions } from "@flytekit-ts/core/internal";
import { declareTask } from "./declare.js";

/**
 * Declares a customized container task on a class (flytekit's PythonCustomizedContainerTask): a
 * task whose container runs a prebuilt executor, not a function of yours. The executor reads the
 * serialized TaskTemplate; what it needs goes into the template's `custom` field.
 *
 * With a plugin's config, the plugin's task class is built and takes the plugin's own options:
 *
 * ```ts
 * @customContainerTask({
 *   config: new SQLite3Config({ uri: "https://example.org/chinook.zip", compressed: true }),
 *   queryTemplate: "select TrackId, Name from tracks limit {{ .inputs.limit }}",
 *   inputs: { limit: Int },
 *   rowType: Track,
 * })
 * export class TopTracks {}
 * ```
 *
 * Without one, name the executor and say what goes into `custom` (an option, or a static
 * `custom(config, settings)` on the class):
 *
 * ```ts
 * @customContainerTask({ taskType: "greeter", executor: GreetExecutor, containerImage: "ghcr.io/acme/greeter:1",
 *   config: { greeting: "hello" }, custom: (config) => ({ ...config }), inputs: { name: Str }, outputs: Str })
 * export class Greet {}
 * ```
 *
 * `taskOf(TopTracks)` is the task: `invoke({ limit: 5 })` runs the executor in-process from the
 * template, as Flyte runs it in its container through `flytekit-ts-execute`.
 */
export function customContainerTask(options: CustomContainerTaskOptions): (target: Function) => void {
  if (typeof options !== "object" || options === null) throw new TaskDefinitionError({ subject: "@customContainerTask()", expected: "options to be an object", got: String(options) });
  return (target: Function) => {
    if (typeof target !== "function") throw new TaskDefinitionError({ subject: "@customContainerTask()", problem: "it decorates a class" });
    declareTask("@customContainerTask()", "container", options as Readonly<Record<string, unknown>>, target);
  };
}

/**
 * Records where a container imports this executor from: the module that declares it (its path
 * from the package root, as the container's working directory sees it) and its export, by default
 * the class's name: `@taskExecutor()` or `@taskExecutor({ export: "Greeter" })`.
 */
export function taskExecutor(options: { export?: string } = {}): (target: Function) => void {
  return (target: Function) => {
    if (typeof target !== "function" || !(target.prototype instanceof ShimTaskExecutor)) {
      throw new TaskDefinitionError({ subject: "@taskExecutor()", expected: "a class that extends ShimTaskExecutor", got: String((target as { name?: string })?.name ?? target) });
    }
    const file = callerFile();
    if (file === undefined) {
      throw new TaskDefinitionError({ subject: `@taskExecutor() on ${target.name}`, problem: "the file that declares it cannot be told", fix: `give it a static location = "<module>#${target.name}"` });
    }
    setExecutorLocation(target, `${modulePath(file)}#${options.export ?? target.name}`);
  };
}
