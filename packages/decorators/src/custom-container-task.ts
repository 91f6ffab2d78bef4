import { ShimTaskExecutor, TaskDefinitionError } from "@flytekit-ts/core";
import { callerFile, modulePath, setExecutorLocation, type CustomContainerTaskOptions } from "@flytekit-ts/core/internal";
import { applicationOf, type Application } from "./application.js";
import { applyTaskDecorator } from "./apply.js";

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
export function customContainerTask(options: CustomContainerTaskOptions): ClassDecorator {
  if (applicationOf([...arguments], true) !== undefined) {
    throw new TaskDefinitionError({ subject: "@customContainerTask", problem: "it needs its options: the executor or a plugin's config, and the interface", fix: "@customContainerTask({ taskType, executor, config, custom, inputs, outputs })" });
  }
  if (typeof options !== "object" || options === null) throw new TaskDefinitionError({ subject: "@customContainerTask()", expected: "options to be an object", got: String(options) });
  return (...applied: unknown[]) => {
    const application = classApplication("@customContainerTask()", applied);
    applyTaskDecorator("@customContainerTask()", "container", options as Readonly<Record<string, unknown>>, application);
  };
}

/** A decorator for a class, in either of TypeScript's decorator modes (legacy or standard). */
export interface ClassDecorator {
  /** Legacy. */
  (target: Function): void;
  /** Standard. */
  <Class extends abstract new (...args: any) => any>(value: Class, context: ClassDecoratorContext<Class>): void;
}

/** The class a class decorator was applied to, or an error that says what it was applied to instead. */
export function classApplication(decorator: string, args: readonly unknown[]) {
  const application = applicationOf(args, true);
  const isClassApplication = application?.mode === "standard" ? application.context.kind === "class" : application !== undefined && application.key === undefined;
  if (application === undefined || !isClassApplication) throw new TaskDefinitionError({ subject: decorator, problem: "it decorates a class" });
  return application;
}

/**
 * Records where a container imports this executor from: the module that declares it (its path
 * from the package root, as the container's working directory sees it) and its export, by default
 * the class's name: `@taskExecutor()` (or `@taskExecutor`) or `@taskExecutor({ export: "Greeter" })`.
 */
export function taskExecutor(target: Function): void;
export function taskExecutor<Class extends abstract new (...args: any) => any>(value: Class, context: ClassDecoratorContext<Class>): void;
export function taskExecutor(options?: { export?: string }): ClassDecorator;
export function taskExecutor(...args: unknown[]): unknown {
  const bare = applicationOf(args, true);
  if (bare !== undefined) return recordExecutor({}, bare);
  const [options = {}] = args as [{ export?: string } | undefined];
  return (...applied: unknown[]) => recordExecutor(options, classApplication("@taskExecutor()", applied));
}

function recordExecutor(options: { export?: string }, application: Application): void {
  const target = application.mode === "standard" ? application.value : application.target;
  if (typeof target !== "function" || !(target.prototype instanceof ShimTaskExecutor)) {
    throw new TaskDefinitionError({ subject: "@taskExecutor()", expected: "a class that extends ShimTaskExecutor", got: String((target as { name?: string })?.name ?? target) });
  }
  const file = callerFile();
  if (file === undefined) {
    throw new TaskDefinitionError({ subject: `@taskExecutor() on ${target.name}`, problem: "the file that declares it cannot be told", fix: `give it a static location = "<module>#${target.name}"` });
  }
  setExecutorLocation(target, `${modulePath(file)}#${options.export ?? target.name}`);
}
