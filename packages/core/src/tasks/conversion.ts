// How values cross a task's literal boundary: call arguments to the inputs LiteralMap, the inputs
// LiteralMap to the native values the body gets, what the body returned to the outputs LiteralMap,
// and that back to what a local call returns. Every failure names the task and the input or output.
import type { Literal, LiteralMap } from "../idl/gen/flyteidl/core/literals_pb.js";
import type { Interface } from "../interface/interface.js";
import { describeValue } from "../types/describe.js";
import { TypeTransformerError } from "../types/errors.js";
import { literalMapOf } from "../types/literals.js";
import { bindSubject, DeferredValue, resolveDeferred, subjectOf, TaskCodeError, type PendingWork, type WorkSubject } from "../types/pending.js";
import { conversionNow, type ConversionContext } from "../types/type.js";
import { noneValueOf } from "../types/union.js";
import { TaskInputError, TaskOutputError, userError } from "./errors.js";
import { andThen } from "./promise.js";

/** What the boundary needs of a task: its name (for messages) and its interface. */
export interface Boundary {
  readonly name: string;
  readonly interface: Interface;
}

/**
 * Binds a call's arguments (positional, then by name, as in Python) to the task's inputs and
 * converts them to a LiteralMap; any problem throws before anything runs. An input left out that
 * has a default is left out of the map: the default applies where the task runs (as flytekit leaves
 * Python's defaults to the function), so it is not part of the cache key either.
 */
export function bindArguments(task: Boundary, positional: readonly unknown[], named: Readonly<Record<string, unknown>> | undefined, context: ConversionContext = conversionNow()): LiteralMap {
  const inputs = task.interface.inputs;
  const n = inputs.length;
  if (positional.length > n) {
    throw new TaskInputError({ task: task.name, expected: `at most ${n} argument${n === 1 ? "" : "s"}`, got: String(positional.length) });
  }
  let values: unknown[] = positional as unknown[];
  if (named !== undefined) {
    values = [...positional];
    for (const key of Object.keys(named)) {
      const at = inputs.findIndex((v) => v.name === key);
      if (at < 0) {
        throw new TaskInputError({ task: task.name, input: key, problem: `no such input (inputs: ${inputs.map((v) => v.name).join(", ") || "none"})` });
      }
      if (at < positional.length && positional[at] !== undefined) {
        throw new TaskInputError({ task: task.name, input: key, problem: "it is given twice, by position and by name" });
      }
      values[at] = named[key];
    }
  }
  const literals: Record<string, Literal> = {};
  for (let i = 0; i < n; i++) {
    const input = inputs[i]!;
    const value = values[i];
    if (value === undefined) {
      if (input.hasDefaultValue || input.hasParameterDefault === true) continue;
      if (!input.type.acceptsNone) {
        if (input.optional) continue;
        throw new TaskInputError({
          task: task.name,
          input: input.name,
          expected: input.type.name,
          got: "nothing",
          problem: "it is required",
          // TypeScript reflects `x?: string` as String: the `?` is gone by the time the task is built.
          fix: `pass it; or, if it may be left out (${input.name}?: ...), declare inputs: { ${input.name}: Optional(${input.type.name}) }`,
        });
      }
    }
    try {
      if (context.pending !== undefined) context.pending.subject = { task: task.name, input: input.name };
      literals[input.name] = input.type.toLiteral(value, context);
    } catch (e) {
      if (!(e instanceof TypeTransformerError)) throw e;
      throw TaskInputError.ofValue(task.name, input.name, e);
    }
  }
  return literalMapOf(literals);
}

/** The error a failed piece of pending work (writing or reading a table) is raised as: it names the task and the input or output. */
export function pendingFailure(task: Boundary, e: unknown, job: WorkSubject | undefined): unknown {
  // The task's own code (a generator of batches it returned) threw: its error, as from its body.
  if (e instanceof TaskCodeError) return userError(job?.task ?? task.name, e.thrown);
  if (!(e instanceof TypeTransformerError)) return e;
  // An input that failed to read while an output was written from it (batches streamed from a
  // handle) is that input's error, not the output's.
  const subject = subjectOf(e) ?? job;
  const name = subject?.task ?? task.name;
  if (subject?.output !== undefined) return TaskOutputError.ofValue(name, subject.output, e);
  if (subject?.input !== undefined) return TaskInputError.ofValue(name, subject.input, e);
  return e;
}

/** Does the work the conversions recorded (writing tables given or returned), then gives `value`. */
export function afterPending<T>(task: Boundary, pending: PendingWork, value: T): T | Promise<T> {
  if (pending.size === 0) return value;
  return pending.settle((e, subject) => pendingFailure(task, e, subject)).then(() => value);
}

/**
 * The native values with those that are read before use (a Table a task takes whole) read, one
 * after another; the values as they are when there are none (so a task without them stays synchronous).
 */
export function settleNatives(task: Boundary, native: Record<string, unknown>, kind: "input" | "output", madeBefore: number): Record<string, unknown> | Promise<Record<string, unknown>> {
  // Nothing to wait for unless converting them made a DeferredValue: then a value holding one (itself, or inside a container) is searched.
  if (DeferredValue.made === madeBefore) return native;
  const deferred = Object.keys(native).filter((k) => typeof native[k] === "object" && native[k] !== null);
  if (deferred.length === 0) return native;
  return (async () => {
    for (const name of deferred) {
      const subject: WorkSubject = kind === "input" ? { task: task.name, input: name } : { task: task.name, output: name };
      try {
        native[name] = await resolveDeferred(native[name], subject);
      } catch (e) {
        throw pendingFailure(task, e, subject);
      }
    }
    return native;
  })();
}

/**
 * An input literal the interface does not declare is refused before any user code runs, as flytekit
 * refuses it: the inputs were made for another version of the task.
 */
function refuseUndeclared(task: Boundary, inputs: LiteralMap, declaredPresent: number): void {
  let count = 0;
  for (const _ in inputs.literals) count++;
  if (count === declaredPresent) return;
  const given = Object.keys(inputs.literals);
  const declared = task.interface.inputs;
  const extra = given.filter((name) => !declared.some((v) => v.name === name));
  const listed = `undeclared: ${extra.map((n) => `'${n}'`).join(", ")}; the inputs are ${declared.map((v) => v.name).join(", ") || "none"}`;
  throw new TaskInputError({
    task: task.name,
    problem:
      given.length > declared.length
        ? `Received more input values ${given.length} than allowed by the input spec ${declared.length} (${listed})`
        : `received input values the input spec does not declare (${listed})`,
    fix: "the inputs were written for another version of this task: register and run the same version",
  });
}

/** The native inputs of a LiteralMap, by name: what the body gets. Undeclared inputs are refused. */
export function nativeInputs(task: Boundary, inputs: LiteralMap, context: ConversionContext): Record<string, unknown> {
  const native: Record<string, unknown> = {};
  let present = 0;
  for (const input of task.interface.inputs) {
    const literal = inputs.literals[input.name];
    if (literal !== undefined) present++;
  }
  refuseUndeclared(task, inputs, present);
  for (const input of task.interface.inputs) {
    const literal = inputs.literals[input.name];
    if (literal === undefined) {
      if (input.hasDefaultValue) native[input.name] = input.defaultValue;
      else if (input.hasParameterDefault === true) native[input.name] = undefined;
      // None: null, or undefined for a parameter written `x?: T`.
      else if (input.type.acceptsNone) native[input.name] = noneValueOf(input.type);
      else if (!input.optional) {
        throw new TaskInputError({ task: task.name, input: input.name, expected: input.type.name, got: "nothing", problem: "it is missing from the inputs" });
      }
      continue;
    }
    try {
      native[input.name] = input.type.fromLiteral(literal, context);
      bindSubject(native[input.name], { task: task.name, input: input.name });
    } catch (e) {
      if (!(e instanceof TypeTransformerError)) throw e;
      throw TaskInputError.ofValue(task.name, input.name, e);
    }
  }
  return native;
}

function outputLiteral(task: Boundary, position: number, value: unknown, context: ConversionContext): Literal {
  const output = task.interface.outputs[position]!;
  try {
    if (context.pending !== undefined) context.pending.subject = { task: task.name, output: output.name };
    return output.type.toLiteral(value, context);
  } catch (e) {
    if (!(e instanceof TypeTransformerError)) throw e;
    throw TaskOutputError.ofValue(task.name, output.name, e);
  }
}

/**
 * The outputs LiteralMap of what the body returned: nothing for no outputs, the bare value for
 * one output `o0`, else an object of outputs by name (one named output may be given bare, as
 * flytekit takes it).
 */
export function outputLiterals(task: Boundary, result: unknown, context: ConversionContext): LiteralMap {
  const outputs = task.interface.outputs;
  if (outputs.length === 0) {
    if (result !== undefined && result !== null) {
      throw new TaskOutputError({
        task: task.name,
        problem: `it declares no outputs but returned ${describeValue(result)}`,
        fix: "declare outputs (or annotate the return type) or return nothing",
      });
    }
    return literalMapOf({});
  }
  const literals: Record<string, Literal> = {};
  if (task.interface.returnsBareValue) {
    literals.o0 = outputLiteral(task, 0, result, context);
    return literalMapOf(literals);
  }
  if (outputs.length === 1) {
    const only = outputs[0]!.name;
    const isMap = typeof result === "object" && result !== null && !Array.isArray(result) && Object.hasOwn(result, only);
    if (!isMap) {
      literals[only] = outputLiteral(task, 0, result, context);
      return literalMapOf(literals);
    }
  }
  const names = outputs.map((o) => o.name).join(", ");
  if (typeof result !== "object" || result === null || Array.isArray(result)) {
    throw new TaskOutputError({ task: task.name, expected: `an object with its outputs ${names}`, got: describeValue(result) });
  }
  const record = result as Record<string, unknown>;
  for (const key of Object.keys(record)) {
    if (!outputs.some((o) => o.name === key)) {
      throw new TaskOutputError({ task: task.name, output: key, problem: `the task returned it, but its outputs are ${names}` });
    }
  }
  for (let i = 0; i < outputs.length; i++) literals[outputs[i]!.name] = outputLiteral(task, i, record[outputs[i]!.name], context);
  return literalMapOf(literals);
}

/** What a local call returns for an outputs LiteralMap: nothing, the bare value, or an object of outputs. */
export function nativeOutputs(task: Boundary, outputs: LiteralMap, context: ConversionContext = conversionNow(), options: { readTables?: boolean } = {}): unknown {
  const vars = task.interface.outputs;
  if (vars.length === 0) return undefined;
  const read = (i: number) => {
    const v = vars[i]!;
    const literal = outputs.literals[v.name];
    if (literal === undefined) throw new TaskOutputError({ task: task.name, output: v.name, expected: v.type.name, got: "nothing", problem: "the task produced no such output" });
    try {
      const value = v.type.fromLiteral(literal, context);
      bindSubject(value, { task: task.name, output: v.name });
      return value;
    } catch (e) {
      if (!(e instanceof TypeTransformerError)) throw e;
      throw TaskOutputError.ofValue(task.name, v.name, e);
    }
  };
  const out: Record<string, unknown> = {};
  const made = DeferredValue.made;
  for (let i = 0; i < vars.length; i++) out[vars[i]!.name] = read(i);
  // A Table output is read from its files before the call returns it (unless only checked).
  const settled = options.readTables === false ? out : settleNatives(task, out, "output", made);
  return andThen(settled, (values) => (task.interface.returnsBareValue ? values[vars[0]!.name] : values));
}
