// Builds tasks from what decorators recorded (TaskDeclaration) and from the function form.
import { inferFunctionInterface, type InputsSpec, type OutputsSpec } from "../interface/infer.js";
import { callerFile, moduleNameOf } from "../naming/module-name.js";
import { TaskPlugins } from "../plugins/task-plugins.js";
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
  const isAsync = isAsyncFunction(declaration.fn) || declaration.reflected.returnType === Promise;
  const docs: TaskDocs | undefined = typeof options.docs === "string" ? { short: options.docs } : options.docs;
  const iface = inferFunctionInterface({
    where,
    fn: declaration.fn,
    paramTypes: declaration.reflected.paramTypes,
    returnType: declaration.reflected.returnType,
    hasMetadata: declaration.reflected.hasMetadata,
    inputs: options.inputs,
    outputs: options.outputs,
    docs,
    isAsync,
  });
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

function buildEchoTask(declaration: TaskDeclaration): Task {
  const options = declaration.options as { name?: string; inputs?: InputsSpec };
  const path = attributePathOf(declaration);
  const name = options.name ?? defaultTaskName(declaration.file, path);
  checkOptionNames(name, options, ["name", "inputs"]);
  const iface = inferFunctionInterface({
    where: `echo task '${name}' (${path})`,
    fn: declaration.fn,
    paramTypes: declaration.reflected.paramTypes,
    hasMetadata: declaration.reflected.hasMetadata,
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
    fn: declaration.fn,
    paramTypes: declaration.reflected.paramTypes,
    returnType: declaration.reflected.returnType,
    hasMetadata: declaration.reflected.hasMetadata,
    inputs: options.inputs,
    outputs: options.outputs,
    isAsync: isAsyncFunction(declaration.fn) || declaration.reflected.returnType === Promise,
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
      compileTaskOptions(name, taskOptions, { inputNames: undefined, fn: declaration.fn });
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
  }
}

taskStore.setBuilder(buildDeclaredTask);

export { callerFile };
