// Builds tasks: from what decorators recorded (TaskDeclaration), and from the function form. One
// builder makes every function task, whatever declared it; declarations are checked when they are
// made (so a bad option fails at import, as flytekit's decorator does) and built on first use.
import type { JsonObject } from "@bufbuild/protobuf";
import { Interface } from "../interface/interface.js";
import { moduleNameOf } from "../naming/module-name.js";
import type { SerializationSettings } from "../serialize/settings.js";
import { CustomizedContainerTask, type CustomizedContainerTaskInit } from "./container-task.js";
import type { TaskDeclaration } from "./declaration.js";
import type { TaskDocs } from "./docs.js";
import { ECHO_OPTION_NAMES, EchoTask } from "./echo-task.js";
import { TaskDefinitionError } from "./errors.js";
import { EagerTask } from "./eager-task.js";
import { FunctionTask, type FunctionBody, type TaskLocation } from "./function-task.js";
import { inferFunctionInterface, inputsOf, outputsOf, type InputsSpec, type OutputsSpec } from "./infer.js";
import { manifestTypesOf } from "./manifest-types.js";
import { taskKey } from "../analysis/manifest.js";
import { checkIgnoredInputs, checkOptionNames, compileTaskOptions, defaultTaskSettings, TASK_OPTION_NAMES, type TaskOptions, type TaskSettings } from "./options.js";
import { TaskPlugins } from "./plugins.js";
import { checkContainerTaskInit, ContainerTask, type ContainerTaskInit } from "./raw-container.js";
import { ReferenceTask, type TaskReference } from "./reference-task.js";
import { checkReuseConcurrency } from "./reuse.js";
import { checkExecutor, type ShimTaskExecutorClass } from "./shim.js";
import { taskStore, type TaskEntry } from "./store.js";
import type { Task } from "./task.js";

/** The options of a function task: every task option, its name and its explicit interface. */
export interface DeclaredTaskOptions extends TaskOptions {
  /** The task's name. @default `<module>.<Class>.<member>` (a function: `<module>.<function>`) */
  name?: string;
  /** Input types (and defaults) by parameter name; they win over TypeScript's metadata. @default from TypeScript's metadata */
  inputs?: InputsSpec;
  /** Output types: a single type (output `o0`) or named outputs; they win over the return type. @default from TypeScript's metadata */
  outputs?: OutputsSpec;
}

/** What a declaration says beyond the task options: the task's name and its interface. */
const DECLARATION_OPTION_NAMES: readonly string[] = ["name", "inputs", "outputs"] satisfies (keyof DeclaredTaskOptions)[];

/** What a function task's declaration takes: the task options, its name and its interface. */
export const FUNCTION_TASK_OPTION_NAMES: readonly string[] = [...TASK_OPTION_NAMES, ...DECLARATION_OPTION_NAMES];

/** `Pipelines.add`, `Pipelines.prototype.add` shown as `Pipelines.add`, or `Add` for a class task. */
export function attributePathOf(declaration: TaskDeclaration): string {
  const cls = declaration.target.name || "(anonymous class)";
  return declaration.style === "class" ? cls : `${cls}.${declaration.member}`;
}

/** The default name of a declared task: `<module>.<Class>.<member>`. */
export function defaultTaskName(file: string | undefined, attributePath: string): string {
  const module = file === undefined ? "" : moduleNameOf(file);
  return module === "" ? attributePath : `${module}.${attributePath}`;
}

/** Checks a no-argument constructor is possible, so flytekit-ts can make the instance a task runs on. */
export function checkInstantiable(cls: Function, task: string | undefined, subject: string): void {
  if (cls.length > 0) {
    throw new TaskDefinitionError({
      task,
      subject,
      problem: `class ${cls.name} needs a constructor without arguments: flytekit-ts creates the instance an instance-method task runs on (a new one for every call, locally and in its container)`,
      fix: "give the constructor's parameters defaults, or make the task a static method",
    });
  }
}

function isAsyncFunction(fn: Function): boolean {
  return fn.constructor?.name === "AsyncFunction";
}

/** What a function task is built from: a decorated method, or a function given its types. */
export interface FunctionTaskSource {
  /** The function the task runs. */
  fn: Function;
  /** How it is called. */
  body: FunctionBody;
  /** Where it is declared, for its default name and for resolvers. */
  location: TaskLocation;
  /** The declaration's options, as given. */
  options: DeclaredTaskOptions;
  /**
   * What TypeScript's metadata says of the function (a decorated method); undefined for a function
   * given its types (the function form), whose inputs are exactly the declared ones.
   */
  reflected?: { paramTypes?: readonly unknown[]; returnType?: unknown; hasMetadata: boolean };
  /** An eager task (`@eager`): its body must be async; decks are always on. @default false */
  eager?: boolean;
  /** A decorated method's key in its module's manifest (`taskKey`), where its types may be. */
  manifestKey?: string;
}

/** The declared member, when the task's given name does not say which it is. */
function memberOf(source: { options: DeclaredTaskOptions; location: TaskLocation }): string | undefined {
  return source.options.name === undefined ? undefined : source.location.attributePath;
}

/**
 * What a TaskEnvironment puts on the options of a task it declares (a symbol, so option lists and
 * checks do not see it): the environment's name, which names the task `<env>.<attribute path>`.
 */
export const ENVIRONMENT_OF_TASK: unique symbol = Symbol.for("flytekit-ts.task-environment") as never;

/** The name a function task will have. */
function nameOf(source: { options: DeclaredTaskOptions; location: TaskLocation }): string {
  const env = (source.options as { [ENVIRONMENT_OF_TASK]?: { name: string } })[ENVIRONMENT_OF_TASK];
  if (env !== undefined) return `${env.name}.${source.location.attributePath ?? ""}`;
  return source.options.name ?? defaultTaskName(source.location.file, source.location.attributePath ?? "");
}

/** The options of a function-task declaration, checked: what can be checked before its types are known. */
function checkFunctionOptions(name: string, options: DeclaredTaskOptions, fn: Function, eager = false) {
  const known = checked.get(options);
  if (known !== undefined && known.name === name && known.fn === fn) return known;
  checkOptionNames(name, options, FUNCTION_TASK_OPTION_NAMES);
  const { name: _n, inputs: _i, outputs: _o, ...given } = options;
  const taskOptions = eager ? eagerOptions(name, given) : given;
  // The ignored inputs of the cache wait for the interface (buildFunctionTask checks them).
  const settings = compileTaskOptions(name, taskOptions, { inputNames: undefined, fn });
  let TaskClass;
  try {
    TaskClass = TaskPlugins.findPluginTask(settings.taskConfig?.constructor);
  } catch (e) {
    if (e instanceof TaskDefinitionError && e.task === undefined) throw new TaskDefinitionError({ ...e.fields, task: name }, { cause: e });
    throw e;
  }
  const result = { name, fn, settings, TaskClass };
  checked.set(options, result);
  return result;
}

/**
 * An eager task's options as flytekit's `@eager` takes them: decks always on (a given `enableDeck`
 * is dropped, as flytekit drops `enable_deck`, and so is `report`; `disableDeck` then conflicts, as there), no plugin config.
 */
function eagerOptions(name: string, options: TaskOptions): TaskOptions {
  if (options.taskConfig !== undefined) {
    throw new TaskDefinitionError({ task: name, subject: "option 'taskConfig'", problem: "an eager task takes no plugin config (flytekit's @eager passes none)", fix: "leave out taskConfig" });
  }
  // `report` is Flyte 2's enableDeck: dropped the same way.
  const { enableDeck: _dropped, report: _report, ...rest } = options;
  return { ...rest, enableDeck: true };
}

/** An eager task's body must be async: the tasks it calls are awaited. */
function checkEagerBody(name: string, isAsync: boolean): void {
  if (isAsync) return;
  throw new TaskDefinitionError({
    task: name,
    problem: "an eager task's function must be async: the tasks it calls return Promises, which it awaits",
    fix: "declare it `async` (async run(...) { ... })",
  });
}

/** Options already checked when their task was declared, so that building it does not check them again. */
const checked = new WeakMap<object, { name: string; fn: Function; settings: TaskSettings; TaskClass: ReturnType<typeof TaskPlugins.findPluginTask> }>();

/** Builds a function task (a plugin's task class when its `taskConfig` has one): the one builder, for decorators and the function form. */
export function buildFunctionTask(source: FunctionTaskSource): FunctionTask {
  const { options, fn, reflected } = source;
  const name = nameOf(source);
  const eager = source.eager === true;
  const { settings, TaskClass: PluginClass } = checkFunctionOptions(name, options, fn, eager);
  const TaskClass = eager ? EagerTask : PluginClass;
  const docs: TaskDocs | undefined = typeof options.docs === "string" ? { short: options.docs } : options.docs;
  const isAsync = isAsyncFunction(fn) || reflected?.returnType === Promise;
  if (eager) checkEagerBody(name, isAsync);
  const manifest = source.manifestKey === undefined ? undefined : manifestTypesOf(name, source.location.file, source.manifestKey);
  const iface =
    reflected === undefined
      ? new Interface(inputsOf(name, options.inputs ?? {}, docs), options.outputs === undefined ? [] : outputsOf(name, options.outputs, docs))
      : inferFunctionInterface({ task: name, member: memberOf(source), fn, ...reflected, inputs: options.inputs, outputs: options.outputs, docs, isAsync, file: source.location.file, manifest });
  checkIgnoredInputs(name, settings.metadata.cacheIgnoreInputVars, iface.inputs.map((v) => v.name));
  if (isAsync && !TaskClass.supportsAsync) {
    throw new TaskDefinitionError({ task: name, problem: `Task plugin ${TaskClass.name} is not compatible with async functions` });
  }
  if (source.body.style === "instance") checkInstantiable(source.body.cls, name, "its class");
  checkReuseConcurrency(name, settings.flyte2.reusePolicy, isAsync);
  const task = new TaskClass({ name, interface: iface, settings, body: source.body, isAsync, location: source.location });
  // A shortName given is checked with the options; the default one (the member's name) here.
  if (task.shortName.length > 63) {
    throw new TaskDefinitionError({ task: name, subject: "option 'shortName'", problem: `the short name '${task.shortName}' (the member's name) is longer than 63 characters`, fix: "give a shorter shortName" });
  }
  return task;
}

/** A declared method or class as a function task's source. */
function functionSource(declaration: TaskDeclaration): FunctionTaskSource {
  const path = attributePathOf(declaration);
  const body: FunctionBody =
    declaration.style === "static"
      ? { style: "positional", fn: declaration.fn, self: declaration.target }
      : { style: "instance", fn: declaration.fn, cls: declaration.target as new () => unknown };
  return {
    fn: declaration.fn,
    body,
    location: { file: declaration.file, attributePath: path },
    options: declaration.options as DeclaredTaskOptions,
    reflected: declaration.reflected,
    eager: declaration.kind === "eager",
    manifestKey: manifestKeyOf(declaration),
  };
}

/** A declared method's key in its module's manifest: `Pipelines.add`, `Pipelines.prototype.add`, `Job.prototype.run` (a task class). */
function manifestKeyOf(declaration: TaskDeclaration): string {
  return taskKey(declaration.target.name, declaration.member, declaration.style === "static");
}

/** The options of `@customContainerTask` (see the decorator). */
export interface CustomContainerTaskOptions extends Omit<CustomizedContainerTaskInit<object>, "name" | "taskConfig" | "executorType"> {
  name?: string;
  /** The task's config: with a plugin registered for its class, the plugin's task class is built. */
  config?: object;
  /** The executor (without a plugin for the config). */
  executor?: ShimTaskExecutorClass;
  /** The template's custom field, from the config (without a plugin); or a static `custom(config, settings)` on the class. */
  custom?: (config: unknown, settings: SerializationSettings | undefined) => JsonObject;
  /** A plugin's own options (`queryTemplate`, `rowType` for SQLite3Task, ...) are passed to it. */
  [option: string]: unknown;
}

/** A customized container task declared on a class, its custom field from a function. */
class DeclaredContainerTask extends CustomizedContainerTask<unknown> {
  constructor(
    init: CustomizedContainerTaskInit<unknown>,
    private readonly customOf: (config: unknown, settings: SerializationSettings | undefined) => JsonObject,
  ) {
    super(init);
  }

  override getCustom(settings?: SerializationSettings): JsonObject {
    return this.customOf(this.taskConfig, settings);
  }
}

/** What builds a declared customized container task: a registered plugin, or the executor and custom given. */
function containerPlan(declaration: TaskDeclaration): { name: string; build: () => Task } {
  const options = declaration.options as CustomContainerTaskOptions;
  const cls = declaration.target;
  const name = options.name ?? defaultTaskName(declaration.file, attributePathOf(declaration));
  const where = { task: name, subject: `@customContainerTask() on ${cls.name}` };
  const { name: _n, config, executor, custom, ...rest } = options;
  if (config !== undefined && (typeof config !== "object" || config === null)) {
    throw new TaskDefinitionError({ ...where, expected: "config to be a config object", got: String(config) });
  }
  const Plugin = config === undefined ? undefined : TaskPlugins.pluginFor(config.constructor);
  if (Plugin !== undefined) {
    if (!(Plugin.prototype instanceof CustomizedContainerTask)) {
      const how = Plugin.prototype instanceof FunctionTask ? `declare it with @task({ taskConfig: new ${config!.constructor.name}(...) })` : `make it with new ${Plugin.name}({ ... })`;
      throw new TaskDefinitionError({ ...where, problem: `the plugin for ${config!.constructor.name} is ${Plugin.name}, which is not a customized container task`, fix: how });
    }
    if (executor !== undefined || custom !== undefined) {
      throw new TaskDefinitionError({ ...where, problem: `the plugin ${Plugin.name} brings its own executor and custom field`, fix: "leave out executor and custom" });
    }
    const PluginTask = Plugin as unknown as new (init: { name: string; taskConfig: object } & Record<string, unknown>) => Task;
    return { name, build: () => named(where, () => new PluginTask({ name, taskConfig: config!, ...rest })) };
  }
  if (executor === undefined) {
    throw new TaskDefinitionError({
      ...where,
      problem: "it has no executor to run it",
      fix: `give one (executor: MyExecutor)${config === undefined ? "" : `, or register a plugin for ${config.constructor.name} with TaskPlugins`}`,
    });
  }
  checkExecutor(executor, where);
  const staticCustom = (cls as { custom?: unknown }).custom;
  const customOf = custom ?? (typeof staticCustom === "function" ? (staticCustom.bind(cls) as (c: unknown, s: SerializationSettings | undefined) => JsonObject) : undefined);
  if (typeof customOf !== "function") {
    throw new TaskDefinitionError({
      ...where,
      problem: "it does not say what goes into the template's custom field, which the executor reads",
      fix: `custom: (config) => ({ ... }), or a static custom(config) on ${cls.name}`,
    });
  }
  return {
    name,
    build: () => named(where, () => new DeclaredContainerTask({ name, taskConfig: config, executorType: executor, ...(rest as Partial<CustomizedContainerTaskInit<unknown>>) }, customOf)),
  };
}

/** Runs a build; an error that does not say where it happened (a class used before it is declared) is told where. */
function named<T>(where: { task: string; subject: string }, build: () => T): T {
  try {
    return build();
  } catch (e) {
    if (e instanceof TaskDefinitionError || !(e instanceof Error)) throw e;
    throw new TaskDefinitionError({ ...where, problem: e.message }, { cause: e });
  }
}

/** The options of `@containerTask` (see the decorator): a ContainerTask's, its name optional. */
export interface RawContainerTaskOptions extends Omit<ContainerTaskInit, "name"> {
  /** The task's name. @default `<module>.<Class>` */
  name?: string;
}

/** The name and options of a raw container task declared on a class. */
function rawContainerInit(declaration: TaskDeclaration): ContainerTaskInit {
  const options = declaration.options as unknown as RawContainerTaskOptions;
  return { ...options, name: options.name ?? defaultTaskName(declaration.file, attributePathOf(declaration)) };
}

const REFERENCE_OPTION_NAMES = ["project", "domain", "name", "version", "inputs", "outputs"];

function buildEchoTask(declaration: TaskDeclaration): Task {
  const options = declaration.options as { name?: string; inputs?: InputsSpec };
  const name = options.name ?? defaultTaskName(declaration.file, attributePathOf(declaration));
  checkOptionNames(name, options, ECHO_OPTION_NAMES);
  // Echo tasks mirror their inputs; the method's return type and body do not matter.
  const manifest = manifestTypesOf(name, declaration.file, manifestKeyOf(declaration));
  const iface = inferFunctionInterface({ task: name, fn: declaration.fn, ...declaration.reflected, returnType: undefined, inputs: options.inputs, outputs: {}, isAsync: false, manifest });
  return new EchoTask({ name, inputs: iface.inputs });
}

function buildReferenceTask(declaration: TaskDeclaration): Task {
  const options = declaration.options as Partial<TaskReference> & { inputs?: InputsSpec; outputs?: OutputsSpec };
  const path = attributePathOf(declaration);
  const reference = { project: options.project, domain: options.domain, name: options.name, version: options.version } as TaskReference;
  // An async method stays async: a call of its mock returns a Promise.
  const isAsync = isAsyncFunction(declaration.fn) || declaration.reflected?.returnType === Promise;
  const task = options.name ?? path;
  const manifest = manifestTypesOf(task, declaration.file, manifestKeyOf(declaration));
  const iface = inferFunctionInterface({ task, fn: declaration.fn, ...declaration.reflected, inputs: options.inputs, outputs: options.outputs, isAsync, manifest });
  return new ReferenceTask({ reference, interface: iface, settings: defaultTaskSettings(reference.name ?? path), isAsync });
}

/**
 * Checks what can be checked when a task is declared: its options, its plugin. The interface waits
 * for first use, since its types may name classes declared further down.
 */
export function checkDeclaration(declaration: TaskDeclaration): void {
  const path = attributePathOf(declaration);
  const options = declaration.options as DeclaredTaskOptions & Partial<TaskReference>;
  switch (declaration.kind) {
    case "eager": {
      const name = options.name ?? defaultTaskName(declaration.file, path);
      checkFunctionOptions(name, options, declaration.fn, true);
      // What decides it is known now: an async function (a method that returns a Promise, in legacy mode).
      checkEagerBody(name, isAsyncFunction(declaration.fn) || declaration.reflected?.returnType === Promise);
      return;
    }
    case "function": {
      // The common case, only an interface or a name, costs no more than a look at the keys.
      let hasTaskOptions = false;
      for (const key in options) {
        if (DECLARATION_OPTION_NAMES.includes(key)) continue;
        hasTaskOptions = true;
        break;
      }
      if (hasTaskOptions) checkFunctionOptions(nameOf({ options, location: { file: declaration.file, attributePath: path } }), options, declaration.fn);
      return;
    }
    case "echo":
      checkOptionNames(options.name ?? defaultTaskName(declaration.file, path), options, ECHO_OPTION_NAMES);
      return;
    case "reference":
      checkOptionNames(options.name ?? path, options, REFERENCE_OPTION_NAMES);
      for (const key of ["project", "domain", "name", "version"] as const) {
        if (typeof options[key] !== "string" || options[key] === "") {
          throw new TaskDefinitionError({ task: options.name ?? path, subject: `option '${key}'`, expected: "a non-empty string", got: JSON.stringify(options[key]) ?? "nothing" });
        }
      }
      return;
    case "container":
      // What can be checked without building (the task is built on first use, as every declared
      // task: its types may name classes declared further down): the executor or plugin, custom.
      containerPlan(declaration);
      return;
    case "raw-container":
      // All but the types, for the same reason.
      checkContainerTaskInit(rawContainerInit(declaration), `@containerTask() on ${declaration.target.name}`);
  }
}

/** Builds the task a decorator declared. */
export function buildDeclaredTask(declaration: TaskDeclaration): Task {
  switch (declaration.kind) {
    case "function":
    case "eager":
      return buildFunctionTask(functionSource(declaration));
    case "echo":
      return buildEchoTask(declaration);
    case "reference":
      return buildReferenceTask(declaration);
    case "container":
      return containerPlan(declaration).build();
    case "raw-container": {
      const init = rawContainerInit(declaration);
      return named({ task: init.name, subject: `@containerTask() on ${declaration.target.name}` }, () => new ContainerTask(init));
    }
  }
}

/**
 * Declares a task (what a decorator does): checks the declaration, records it in the store, and
 * returns its entry, which builds the task on first use. `handles` lead to it (what `taskOf` takes).
 * `index`: its place in the order of declarations, taken earlier (a standard decorator's, which waited for its class).
 */
export function declare(declaration: TaskDeclaration, handles: readonly Function[], index?: number): TaskEntry {
  checkDeclaration(declaration);
  return taskStore.record(declaration, handles, buildDeclaredTask, index);
}
