// The function form: a task from a plain function, typed from its type tokens, with no
// reflect-metadata at all.
//   const add = functionTask({ name: "add", inputs: { x: Int, y: Int }, outputs: Int }, ({ x, y }) => ...)
//   add({ x: 1, y: 2 })
import { callerFile, callerLocation } from "../naming/module-name.js";
import { buildFunctionTask, type DeclaredTaskOptions } from "./build.js";
import { TaskDefinitionError } from "./errors.js";
import type { FunctionTask } from "./function-task.js";
import type { CallInputs, OutputIn, OutputOut, TaskInputs } from "./call-types.js";
import type { InputsSpec, OutputsSpec } from "./infer.js";

export type { CallInputs, OutputIn, OutputOut, TaskInputs } from "./call-types.js";
import type { TaskOptions } from "./options.js";
import type { TaskOverrides } from "./override.js";
import { taskStore } from "./store.js";


/** A function-form task's options: the task options, its name and its interface. */
export interface FunctionTaskOptions<I extends InputsSpec = InputsSpec, O extends OutputsSpec | undefined = OutputsSpec | undefined> extends TaskOptions {
  /** The task's name; required for an anonymous function. @default `<module>.<function name>` */
  name?: string;
  /** The inputs, by name, in order: a type, or `{ type, default, description }`. @default none */
  inputs?: I;
  /** The outputs: a single type (output `o0`), or named types. @default none */
  outputs?: O;
}

/** What a function-form task adds to its call: the task, and Flyte 2's `aio`, `forward` and `override`. */
export interface TaskFunctionMembers<I extends InputsSpec, O extends OutputsSpec | undefined, Async extends boolean> {
  readonly task: FunctionTask;
  /** Calls the task and always gives a Promise, even for a synchronous task (Flyte 2's `aio`). */
  aio(inputs?: CallInputs<I>): Promise<OutputOut<O>>;
  /** Runs the function itself with its inputs (Flyte 2's `forward`): no literals, no cache, no retries, no mock. */
  forward(inputs: TaskInputs<I>): Async extends true ? Promise<OutputIn<O>> : OutputIn<O>;
  /** The same task with some settings changed (Flyte 2's `override`); this one is never changed. */
  override(overrides: TaskOverrides): TaskFunction<I, O, Async>;
}

/** A function-form task: call it with its inputs by name; `.task` is the task itself. */
export type TaskFunction<I extends InputsSpec, O extends OutputsSpec | undefined, Async extends boolean> = ({} extends CallInputs<I>
  ? (inputs?: CallInputs<I>) => Async extends true ? Promise<OutputOut<O>> : OutputOut<O>
  : (inputs: CallInputs<I>) => Async extends true ? Promise<OutputOut<O>> : OutputOut<O>) &
  TaskFunctionMembers<I, O, Async>;

/**
 * Makes a task of a plain function, typed by its type tokens: `functionTask({ inputs: { x: Int },
 * outputs: Int }, ({ x }) => ...)`. No reflect-metadata is involved.
 */
export function functionTask<const I extends InputsSpec = {}, const O extends OutputsSpec | undefined = undefined, R = OutputIn<O>>(
  options: FunctionTaskOptions<I, O>,
  fn: (inputs: TaskInputs<I>) => R & (OutputIn<O> | PromiseLike<OutputIn<O>>),
): TaskFunction<I, O, R extends PromiseLike<unknown> ? true : false> {
  return makeFunctionTask(options, fn, "task") as TaskFunction<I, O, R extends PromiseLike<unknown> ? true : false>;
}

/**
 * Makes an eager task of an async function, typed by its type tokens (the function form of
 * `@eager`): `eagerFunctionTask({ inputs: { x: Int }, outputs: Int }, async ({ x }) => await add({ x, y: 1 }))`.
 * Its body awaits the tasks it calls; a call always returns a Promise.
 */
export function eagerFunctionTask<const I extends InputsSpec = {}, const O extends OutputsSpec | undefined = undefined>(
  options: FunctionTaskOptions<I, O>,
  fn: (inputs: TaskInputs<I>) => PromiseLike<OutputIn<O>>,
): TaskFunction<I, O, true> {
  return makeFunctionTask(options, fn, "eager") as TaskFunction<I, O, true>;
}

function makeFunctionTask(options: FunctionTaskOptions, fn: Function, form: "task" | "eager"): unknown {
  // A task that has no name yet is told where it is declared.
  const declaredAt = () => {
    const location = callerLocation();
    return location === undefined ? `${form}(options, fn)` : `${form}(options, fn) at ${location}`;
  };
  if (typeof fn !== "function") throw new TaskDefinitionError({ subject: declaredAt(), expected: "the task's function as the second argument", got: typeof fn });
  const fnName = fn.name;
  if (options.name === undefined && fnName === "") {
    throw new TaskDefinitionError({
      subject: declaredAt(),
      problem: "an anonymous function needs a name",
      fix: 'pass { name: "..." }, or a named function (function add(...) {})',
    });
  }
  const task = buildFunctionTask({
    fn,
    body: { style: "named", fn: fn as (inputs: Record<string, unknown>) => unknown },
    location: { file: callerFile(), attributePath: fnName === "" ? undefined : fnName },
    options: options as DeclaredTaskOptions,
    eager: form === "eager",
  });
  return taskFunction(task);
}

/** The call of a function-form task (or of an override of one), with its members. */
export function taskFunction(task: FunctionTask): TaskFunction<InputsSpec, OutputsSpec | undefined, boolean> {
  const call = (args?: Readonly<Record<string, unknown>>) => task.localCall([], args ?? {});
  Object.defineProperty(call, "task", { value: task, enumerable: true });
  Object.defineProperty(call, "name", { value: task.name });
  Object.defineProperty(call, "aio", { value: async (args?: Readonly<Record<string, unknown>>) => task.localCall([], args ?? {}) });
  Object.defineProperty(call, "forward", { value: (args: Record<string, unknown>) => task.forward(args) });
  Object.defineProperty(call, "override", { value: (overrides: TaskOverrides) => taskFunction(task.override(overrides)) });
  taskStore.registerHandle(call, task);
  return call as unknown as TaskFunction<InputsSpec, OutputsSpec | undefined, boolean>;
}
