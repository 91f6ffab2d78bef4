// Builds tasks from what decorators recorded (TaskDeclaration) and from the function form.
import { inferFunctionInterface, type InputsSpec, type OutputsSpec } from "../interface/infer.js";
import { callerFile, moduleNameOf } from "../naming/module-name.js";
import type { JsonObject } from "@bufbuild/protobuf";
import { TaskPlugins } from "../plugins/task-plugins.js";
import type { SerializationSettings } from "../serialize/settings.js";
import { CustomizedContainerTask, type CustomizedContainerTaskInit } from "./container-task.js";
import { FunctionTask } from "./function-task.js";
import { checkExecutor, type ShimTaskExecutorClass } from "./shim.js";
import type { TaskDocs } from "./docs.js";
import { EchoTask } from "./echo-task.js";
import { TaskDefinitionError } from "./errors.js";
import type { FunctionBody } from "./function-task.js";
import { checkOptionNames, compileTaskOptions, defaultTaskSettings, TASK_OPTION_NAMES, type TaskOptions } from "./options.js";
import { ReferenceTask, type TaskReference } from "./reference-task.js";
import type { TaskDeclaration } from "./declaration.js";
import { taskStore } from "./store.js";
import type { Task } from "./task.js";

/** The options @task takes: every task option, plus its name and explicit interface. */
export interface DeclaredTaskOptions extends TaskOptions {
  /** The task's name; default `<module>.<Class>.<member>`. */
  name?: string;
  /** Input types (and defaults) by parameter name; they win over TypeScript's metadata. */
  inputs?: InputsSpec;
  /** Output types: a single type (output `o0`) or named outputs; they win over the return type. */
  outputs?: OutputsSpec;
}

export const DECLARED_TASK_OPTION_NAMES: readonly string[] = [...TASK_OPTION_NAMES, "name", "inputs", "outputs"];

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

function isAsyncFunction(fn: Function): boolean {
  return fn.constructor?.name === "AsyncFunction";
}

/** What a declaration's function and TypeScript's metadata say of its signature, for inferFunctionInterface. */
function signatureOf(declaration: TaskDeclaration) {
  const { paramTypes, returnType, hasMetadata } = declaration.reflected;
  return { fn: declaration.fn, paramTypes, returnType, hasMetadata, isAsync: isAsyncFunction(declaration.fn) || returnType === Promise };
}

/** Checks a no-argument constructor is possible, so flytekit-ts can make the instance a task runs on. */
export function checkInstantiable(cls: Function, where: string): void {
  if (cls.length > 0) {
    throw new TaskDefinitionError(
      `${where}: class ${cls.name} needs a constructor without arguments: flytekit-ts creates the instance ` +
        `an instance-method task runs on (a new one for every call, locally and in its container). ` +
        `Give the constructor's parameters defaults, or make the task a static method`,
    );
  }
}

function buildFunctionTask(declaration: TaskDeclaration): Task {
  const options = declaration.options as DeclaredTaskOptions;
  const path = attributePathOf(declaration);
  const name = options.name ?? defaultTaskName(declaration.file, path);
  checkOptionNames(name, options, DECLARED_TASK_OPTION_NAMES);
  const where = `task '${name}' (${path})`;
  const signature = signatureOf(declaration);
  const isAsync = signature.isAsync;
  const docs: TaskDocs | undefined = typeof options.docs === "string" ? { short: options.docs } : options.docs;
  const iface = inferFunctionInterface({ where, ...signature, inputs: options.inputs, outputs: options.outputs, docs });
  const { name: _n, inputs: _i, outputs: _o, ...taskOptions } = options;
  const settings = compileTaskOptions(name, taskOptions, { inputNames: iface.inputs.map((v) => v.name), fn: declaration.fn });
  const TaskClass = TaskPlugins.findPluginTask(settings.taskConfig?.constructor);
  if (isAsync && !TaskClass.supportsAsync) {
    throw new TaskDefinitionError(`${where}: Task plugin ${TaskClass.name} is not compatible with async functions`);
  }
  let body: FunctionBody;
  if (declaration.style === "static") body = { style: "positional", fn: declaration.fn, self: declaration.target };
  else {
    checkInstantiable(declaration.target, where);
    body = { style: "instance", fn: declaration.fn, cls: declaration.target as new () => unknown };
  }
  return new TaskClass({ name, interface: iface, settings, body, isAsync, location: { file: declaration.file, attributePath: path } });
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
  const where = `@customContainerTask() on ${cls.name} (task '${name}')`;
  const { name: _n, config, executor, custom, ...rest } = options;
  if (config !== undefined && (typeof config !== "object" || config === null)) throw new TaskDefinitionError(`${where}: config must be a config object`);
  const Plugin = config === undefined ? undefined : TaskPlugins.pluginFor(config.constructor);
  if (Plugin !== undefined) {
    if (!(Plugin.prototype instanceof CustomizedContainerTask)) {
      const how = Plugin.prototype instanceof FunctionTask ? `declare it with @task({ taskConfig: new ${config!.constructor.name}(...) })` : `make it with new ${Plugin.name}({ ... })`;
      throw new TaskDefinitionError(`${where}: the plugin for ${config!.constructor.name} is ${Plugin.name}, which is not a customized container task; ${how}`);
    }
    if (executor !== undefined || custom !== undefined) {
      throw new TaskDefinitionError(`${where}: the plugin ${Plugin.name} brings its own executor and custom field; leave out executor and custom`);
    }
    const PluginTask = Plugin as unknown as new (init: { name: string; taskConfig: object } & Record<string, unknown>) => Task;
    return { name, build: () => named(where, () => new PluginTask({ name, taskConfig: config!, ...rest })) };
  }
  if (executor === undefined) {
    throw new TaskDefinitionError(`${where}: give the executor that runs it (executor: MyExecutor)${config === undefined ? "" : `, or register a plugin for ${config.constructor.name} with TaskPlugins`}`);
  }
  checkExecutor(executor, where);
  const staticCustom = (cls as { custom?: unknown }).custom;
  const customOf = custom ?? (typeof staticCustom === "function" ? (staticCustom.bind(cls) as (c: unknown, s: SerializationSettings | undefined) => JsonObject) : undefined);
  if (typeof customOf !== "function") {
    throw new TaskDefinitionError(`${where}: say what goes into the template's custom field, which the executor reads: custom: (config) => ({ ... }), or a static custom(config) on ${cls.name}`);
  }
  return {
    name,
    build: () => named(where, () => new DeclaredContainerTask({ name, taskConfig: config, executorType: executor, ...(rest as Partial<CustomizedContainerTaskInit<unknown>>) }, customOf)),
  };
}

/** Runs a build; an error that does not say where it happened (a class used before it is declared) is told where. */
function named<T>(where: string, build: () => T): T {
  try {
    return build();
  } catch (e) {
    if (e instanceof TaskDefinitionError || !(e instanceof Error)) throw e;
    throw new TaskDefinitionError(`${where}: ${e.message}`, { cause: e });
  }
}

function buildEchoTask(declaration: TaskDeclaration): Task {
  const options = declaration.options as { name?: string; inputs?: InputsSpec };
  const path = attributePathOf(declaration);
  const name = options.name ?? defaultTaskName(declaration.file, path);
  checkOptionNames(name, options, ["name", "inputs"]);
  const iface = inferFunctionInterface({
    where: `echo task '${name}' (${path})`,
    ...signatureOf(declaration),
    // Echo tasks mirror their inputs; the method's return type and body do not matter.
    returnType: undefined,
    inputs: options.inputs,
    outputs: {},
    isAsync: false,
  });
  return new EchoTask({ name, inputs: iface.inputs });
}

function buildReferenceTask(declaration: TaskDeclaration): Task {
  const options = declaration.options as Partial<TaskReference> & { inputs?: InputsSpec; outputs?: OutputsSpec };
  const path = attributePathOf(declaration);
  checkOptionNames(options.name ?? path, options, ["project", "domain", "name", "version", "inputs", "outputs"]);
  const reference = { project: options.project, domain: options.domain, name: options.name, version: options.version } as TaskReference;
  const iface = inferFunctionInterface({
    where: `reference task '${String(options.name)}' (${path})`,
    ...signatureOf(declaration),
    inputs: options.inputs,
    outputs: options.outputs,
  });
  return new ReferenceTask({ reference, interface: iface, settings: defaultTaskSettings(reference.name ?? path) });
}

/**
 * Checks what can be checked when a task is declared, so that a bad option fails at import, as
 * flytekit's decorator does: the options. The interface waits for first use, since its types may
 * name classes declared further down.
 */
export function checkDeclaration(declaration: TaskDeclaration): void {
  const path = attributePathOf(declaration);
  const options = declaration.options as DeclaredTaskOptions & Partial<TaskReference>;
  switch (declaration.kind) {
    case "function": {
      // The common case, only an interface or a name, costs no more than a look at the keys.
      let hasTaskOptions = false;
      for (const key in options) {
        if (key === "name" || key === "inputs" || key === "outputs") continue;
        hasTaskOptions = true;
        break;
      }
      if (!hasTaskOptions) return;
      const name = options.name ?? defaultTaskName(declaration.file, path);
      checkOptionNames(name, options, DECLARED_TASK_OPTION_NAMES);
      const { name: _n, inputs: _i, outputs: _o, ...taskOptions } = options;
      const settings = compileTaskOptions(name, taskOptions, { inputNames: undefined, fn: declaration.fn });
      // A config whose plugin runs no function of yours is refused here, not at first use.
      if (settings.taskConfig !== undefined) {
        try {
          TaskPlugins.findPluginTask(settings.taskConfig.constructor);
        } catch (e) {
          throw new TaskDefinitionError(`task '${name}' (${path}): ${(e as Error).message}`, { cause: e });
        }
      }
      return;
    }
    case "echo":
      checkOptionNames(options.name ?? defaultTaskName(declaration.file, path), options, ["name", "inputs"]);
      return;
    case "reference":
      checkOptionNames(options.name ?? path, options, ["project", "domain", "name", "version", "inputs", "outputs"]);
      for (const key of ["project", "domain", "name", "version"] as const) {
        if (typeof options[key] !== "string" || options[key] === "") {
          throw new TaskDefinitionError(`@referenceTask() on ${path}: ${key} must be a non-empty string`);
        }
      }
      return;
    case "container":
      // What can be checked without building (the task is built on first use, as every declared
      // task: its types may name classes declared further down): the executor or plugin, custom.
      containerPlan(declaration);
  }
}

/** Builds the task a decorator declared. */
export function buildDeclaredTask(declaration: TaskDeclaration): Task {
  switch (declaration.kind) {
    case "function":
      return buildFunctionTask(declaration);
    case "echo":
      return buildEchoTask(declaration);
    case "reference":
      return buildReferenceTask(declaration);
    case "container":
      return containerPlan(declaration).build();
  }
}

taskStore.setBuilder(buildDeclaredTask);

export { callerFile };
