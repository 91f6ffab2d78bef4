// A task's interface from what TypeScript and the user say: parameter names from the function's
// source; types from explicit declarations (`inputs`, `outputs`), which always win, then from the
// module's manifest (TypeScript's own types, read by a build: manifest-types.ts), then from
// reflect-metadata (`design:paramtypes`, `design:returntype`), where there is no manifest. Metadata
// never silently fills in `Object`.
import type { TaskDocs } from "./docs.js";
import { TaskDefinitionError } from "./errors.js";
import { FlyteTypeError, TypeTransformerError } from "../types/errors.js";
import { reflectedType, resolveSpec } from "../types/registry.js";
import "../types/builtins.js";
import { FlyteType, type AnyFlyteType, type TypeSpec } from "../types/type.js";
import { Interface, type InputVariable, type OutputVariable } from "../interface/interface.js";
import { parseParameters } from "../interface/params.js";
import { ASYNC_OUTPUTS_FIX, checkDeclaredType, erasedFix, tokenOfDefault } from "./reflected.js";
import { DatasetType } from "../types/structured.js";
import { isArrowTableClass } from "../types/table-io.js";
import { dirname } from "node:path";
import { findTsconfig, metadataNote } from "../loader/compiler-options.js";
import { BUILD_FIX } from "../analysis/registry.js";
import type { ManifestDiagnostic } from "../analysis/manifest.js";
import { diagnosticsError, tokenOfManifestType, unreadableOf, type ManifestTypes, type Unreadable } from "./manifest-types.js";

/** An input declared with more than its type: a default value and a description. */
export interface InputSpec<S extends TypeSpec = TypeSpec> {
  type: S;
  default?: unknown;
  description?: string;
}

/** Named inputs: a type, or `{ type, default, description }`. */
export type InputsSpec = { readonly [name: string]: TypeSpec | InputSpec };
/** Outputs: a single type (output `o0`), or named types; `{}` for none. */
export type OutputsSpec = TypeSpec | { readonly [name: string]: TypeSpec };

function isInputSpec(value: unknown): value is InputSpec {
  return typeof value === "object" && value !== null && !(value instanceof FlyteType) && "type" in value;
}

/** Whether an outputs declaration is a single type rather than a map of named types. */
export function isSingleOutput(outputs: OutputsSpec): outputs is TypeSpec {
  return typeof outputs === "function" || outputs instanceof FlyteType;
}

function descriptionOf(docs: TaskDocs | undefined, side: "inputs" | "outputs", name: string, own?: string): string {
  if (own !== undefined) return own;
  const d = docs?.[side];
  if (typeof d === "string") return d;
  return d?.[name] ?? name;
}

/** A type's token, its failure a TaskDefinitionError naming the task and the place. */
function typeAt(task: string, subject: string, resolve: (where: string) => AnyFlyteType): AnyFlyteType {
  try {
    return resolve(subject);
  } catch (e) {
    if (e instanceof FlyteTypeError) throw new TaskDefinitionError({ ...e.fields, task, subject: e.subject ?? subject }, { cause: e });
    throw e;
  }
}

export interface FunctionInterfaceSource {
  /** The task's name, for messages. */
  task: string;
  /** The method declared, for messages when the task's name does not say it (a name was given): `Pipelines.add`. */
  member?: string;
  /** The function, whose source names its parameters. */
  fn: Function;
  /** `design:paramtypes`, or undefined when TypeScript emitted no metadata. */
  paramTypes?: readonly unknown[];
  /** `design:returntype`. */
  returnType?: unknown;
  /** Whether reflect-metadata was there at all. */
  hasMetadata: boolean;
  /** The decorator, when a standard (TC39) decorator declared it: no metadata, by design (see ReflectedSignature). */
  standard?: string;
  inputs?: InputsSpec;
  outputs?: OutputsSpec;
  docs?: TaskDocs;
  /** Whether the function returns a promise. */
  isAsync: boolean;
  /** The file that declared it, whose tsconfig may say why there is no metadata. */
  file?: string;
  /** The task's types as its module's manifest says them: they win over the metadata. */
  manifest?: ManifestTypes;
}

/** Builds the interface of a decorated method or class `run` method. */
export function inferFunctionInterface(source: FunctionInterfaceSource): Interface {
  const { task } = source;
  const at = source.member === undefined ? "" : `${source.member}, `;
  const explicit = source.inputs ?? {};
  const parsed = parseParameters(source.fn);
  const explicitNames = Object.keys(explicit);
  const count = parsed?.length ?? source.paramTypes?.length ?? explicitNames.length;
  // Made only when thrown: why the metadata is missing reads the tsconfig with the TypeScript compiler.
  const missingMetadata = (): TaskDefinitionError => new TaskDefinitionError({
    task,
    problem:
      "TypeScript emitted no type metadata for it (design:paramtypes is missing). The likely cause is a toolchain that drops " +
      "decorator metadata (tsx, esbuild and Vite 7 do)",
    fix: [
      metadataNote(source.file),
      'compile with tsc, or run tests with vitest 4 on Vite 8, with "experimentalDecorators" and "emitDecoratorMetadata" in tsconfig.json; or declare every input and output explicitly; ' +
        BUILD_FIX,
    ]
      .filter((part) => part !== undefined)
      .join("; "),
  });

  const names: string[] = [];
  for (let i = 0; i < count; i++) {
    const p = parsed?.[i];
    if (p?.rest) throw new TaskDefinitionError({ task, subject: `${at}parameter ${i} '${p.text}'`, problem: "a rest parameter cannot be a task input" });
    const name = p?.name ?? (parsed === undefined || explicitNames.length === count ? explicitNames[i] : undefined);
    if (name === undefined) {
      throw new TaskDefinitionError({
        task,
        subject: `${at}parameter ${i} (${p?.text ?? "?"})`,
        problem: "it has no name TypeScript can read (a destructured parameter, or minified code)",
        fix: "declare every input by name, in order: inputs: { a: Int, b: Str }",
      });
    }
    names.push(name);
  }
  for (const key of explicitNames) {
    if (!names.includes(key)) {
      throw new TaskDefinitionError({ task, subject: `input '${key}'`, problem: `inputs declares it, but it is not a parameter (parameters: ${names.join(", ") || "none"})` });
    }
  }
  const manifest = source.manifest;
  // What the analysis could not type: refused, or (legacy decorators) left to the metadata.
  const unreadable = manifest === undefined ? undefined : unreadableOf(task, manifest, source.hasMetadata && source.standard === undefined);
  if (manifest !== undefined) checkManifestInputs(task, at, manifest, names, explicit, unreadable);

  const inputs: InputVariable[] = names.map((name, i) => {
    const declared = explicit[name];
    const spec = isInputSpec(declared) ? declared : declared === undefined ? undefined : { type: declared };
    const place = `${at}parameter ${i} '${name}'`;
    let type: AnyFlyteType;
    if (spec !== undefined) {
      type = typeAt(task, place, (where) => resolveSpec(spec.type, where));
      checkDeclaredType({ task, subject: place, what: "the parameter", declare: (t) => `inputs: { ${name}: ${t} }` }, type, source.paramTypes?.[i]);
      type = wholeTableIfTyped(type, source.paramTypes?.[i]);
    } else if (unreadable?.inputs.has(name) === true) {
      // The analysis could not type it, TypeScript's metadata may (as without a manifest); else the analysis's diagnostic.
      const reflected = source.paramTypes?.[i];
      type = reflectedOr(() => reflectedType(reflected, place, erasedFix(reflected, "inputs", name, parsed?.[i]?.defaultText)), task, unreadable.inputs.get(name)!);
    } else if (manifest !== undefined) {
      const reflected = source.paramTypes?.[i];
      type = typeAt(task, place, (where) => tokenOfManifestType(manifest.task.inputs[name]!, manifest.manifest, where, { reflected }));
      type = wholeTableIfTyped(type, reflected);
    } else if (source.standard !== undefined) throw noStandardType(task, at, source.standard, name, parsed?.[i]?.defaultText, source.file);
    else if (!source.hasMetadata) throw missingMetadata();
    else {
      const reflected = source.paramTypes?.[i];
      type = typeAt(task, place, (where) => reflectedType(reflected, where, erasedFix(reflected, "inputs", name, parsed?.[i]?.defaultText)));
    }
    const hasDefaultValue = spec !== undefined && "default" in spec;
    if (hasDefaultValue) checkDefault(task, name, type, spec.default);
    return {
      name,
      type,
      optional: hasDefaultValue || parsed?.[i]?.hasDefault === true || type.acceptsNone,
      hasDefaultValue,
      hasParameterDefault: parsed?.[i]?.hasDefault === true,
      parameterDefaultText: parsed?.[i]?.defaultText,
      defaultValue: hasDefaultValue ? spec.default : undefined,
      description: descriptionOf(source.docs, "inputs", name, spec?.description),
    };
  });

  let outputs: OutputVariable[];
  if (source.outputs !== undefined) {
    outputs = outputsOf(task, source.outputs, source.docs);
    if (outputs.length === 1 && source.hasMetadata) {
      // One output is the value the method returns (a named one may be returned bare too).
      const only = outputs[0]!;
      const declare = (t: string) => (only.name === "o0" ? `outputs: ${t}` : `outputs: { ${only.name}: ${t} }`);
      checkDeclaredType({ task, subject: `${at}return type`, what: "the return type", declare }, only.type, source.returnType);
      outputs[0] = { ...only, type: wholeTableIfTyped(only.type, source.returnType) };
    }
  } else if (unreadable !== undefined && unreadable.outputs.length > 0) {
    // The analysis could not type the outputs: TypeScript's metadata may (one value, not a promise's), else the analysis's diagnostics.
    const returned = source.returnType;
    if (source.isAsync || returned === Promise || returned === undefined) throw diagnosticsError(task, unreadable.outputs);
    const type = reflectedOr(() => reflectedType(returned, `${at}return type`, erasedFix(returned, "outputs", "o0")), task, unreadable.outputs);
    outputs = [{ name: "o0", type, description: descriptionOf(source.docs, "outputs", "o0") }];
  } else if (manifest !== undefined) {
    const declared = manifest.task.outputs;
    if (declared === undefined) throw staleManifest(task, `${at}outputs`, `${manifest.origin} has no outputs for it, though the task declares none`);
    outputs = declared.map((v) => {
      // One output is the value the method returns, which the metadata reflects (its class, for a class record).
      const hint = declared.length === 1 ? { reflected: source.returnType } : undefined;
      const type = typeAt(task, `${at}output '${v.name}'`, (where) => tokenOfManifestType(v.type, manifest.manifest, where, hint));
      return { name: v.name, type: declared.length === 1 ? wholeTableIfTyped(type, source.returnType) : type, description: descriptionOf(source.docs, "outputs", v.name) };
    });
  } else if (source.standard !== undefined) {
    // Without metadata nothing says whether the method returns a value: no `outputs`, no outputs, as
    // a flytekit function without a return annotation (a value it returns anyway is refused when called).
    outputs = [];
  } else if (!source.hasMetadata) {
    throw missingMetadata();
  } else if (source.isAsync || source.returnType === Promise) {
    throw new TaskDefinitionError({
      task,
      subject: `${at}return type`,
      problem: "it is async, and TypeScript reflects its return type as Promise, which does not say what it resolves to",
      fix: ASYNC_OUTPUTS_FIX,
    });
  } else if (source.returnType === undefined) {
    outputs = [];
  } else {
    const type = typeAt(task, `${at}return type`, (where) => reflectedType(source.returnType, where, erasedFix(source.returnType, "outputs", "o0")));
    outputs = [{ name: "o0", type, description: descriptionOf(source.docs, "outputs", "o0") }];
  }
  return new Interface(inputs, outputs);
}

/**
 * Refuses a manifest that does not describe the function: a type for a parameter it does not have,
 * or none for a parameter without a token. (A manifest beside compiled code was checked against
 * the code's hash; one that still does not fit was written by hand, by another tool, or for code
 * that changed without its hash telling.)
 */
function checkManifestInputs(task: string, at: string, manifest: ManifestTypes, names: readonly string[], explicit: InputsSpec, unreadable: Unreadable | undefined): void {
  for (const name of Object.keys(manifest.task.inputs)) {
    if (!names.includes(name)) {
      throw staleManifest(task, `${at}input '${name}'`, `${manifest.origin} types it, but it is not a parameter (parameters: ${names.join(", ") || "none"})`);
    }
  }
  for (const name of names) {
    if (explicit[name] === undefined && !Object.hasOwn(manifest.task.inputs, name) && unreadable?.inputs.has(name) !== true) {
      throw staleManifest(task, `${at}input '${name}'`, `${manifest.origin} has no type for it, though it is a parameter without a token`);
    }
  }
}

/** The type TypeScript's metadata gives, or where it cannot, the analysis's diagnostics for the place. */
function reflectedOr(reflect: () => AnyFlyteType, task: string, diagnostics: readonly ManifestDiagnostic[]): AnyFlyteType {
  try {
    return reflect();
  } catch (e) {
    if (e instanceof FlyteTypeError) throw diagnosticsError(task, diagnostics);
    throw e;
  }
}

function staleManifest(task: string, subject: string, problem: string): TaskDefinitionError {
  return new TaskDefinitionError({ task, subject, problem: `${problem}: the manifest is stale`, fix: "rebuild with `flytekit-ts build`" });
}

/** A parameter a standard decorator's task gives no token for. */
function noStandardType(task: string, at: string, decorator: string, name: string, defaultText: string | undefined, file: string | undefined): TaskDefinitionError {
  // Standard decorators by default, not by choice, when the loader found no tsconfig.json: say so.
  const note = file !== undefined && findTsconfig(dirname(file)) === undefined ? metadataNote(file) : undefined;
  // Nothing says the parameter's type but its default, when it has one.
  const byDefault = tokenOfDefault(defaultText);
  return new TaskDefinitionError({
    task,
    subject: `${at}input '${name}'`,
    problem: `no type: standard decorators carry no type metadata${note === undefined ? "" : ` (${note})`}`,
    fix:
      byDefault === undefined
        ? `declare it: ${decorator}({ inputs: { ${name}: <token> } }) with the token of its type (Int, Float, Str, List(Str), a record class, ...); ${BUILD_FIX}`
        : `declare it: ${decorator}({ inputs: { ${name}: ${byDefault} } }), the type of its default ${defaultText!.trim()}; ${BUILD_FIX}`,
  });
}

function checkDefault(task: string, name: string, type: AnyFlyteType, value: unknown): void {
  try {
    type.toLiteral(value);
  } catch (e) {
    const fields = e instanceof TypeTransformerError ? { path: e.path, expected: e.expected, got: e.got, problem: e.problem } : { problem: (e as Error).message };
    const why = fields.problem === undefined ? "its default does not fit its type" : `its default does not fit its type (${fields.problem})`;
    throw new TaskDefinitionError({ task, subject: `input '${name}'`, ...fields, problem: why }, { cause: e });
  }
}

const IDENTIFIER = /^[A-Za-z_$][\w$]*$/;

/** Outputs from their declaration: a single type is `o0`. */
export function outputsOf(task: string, outputs: OutputsSpec, docs?: TaskDocs): OutputVariable[] {
  const entries: [string, TypeSpec][] = isSingleOutput(outputs) ? [["o0", outputs]] : Object.entries(outputs);
  return entries.map(([name, spec]) => {
    if (!IDENTIFIER.test(name)) throw new TaskDefinitionError({ task, subject: `output ${JSON.stringify(name)}`, problem: "its name is not an identifier" });
    const type = typeAt(task, `output '${name}'`, (where) => resolveSpec(spec, where));
    return { name, type, description: descriptionOf(docs, "outputs", name) };
  });
}

/** Inputs from their declaration alone (the function form, echo and reference tasks). */
export function inputsOf(task: string, inputs: InputsSpec, docs?: TaskDocs): InputVariable[] {
  return Object.entries(inputs).map(([name, declared]) => {
    if (!IDENTIFIER.test(name)) throw new TaskDefinitionError({ task, subject: `input ${JSON.stringify(name)}`, problem: "its name is not an identifier" });
    const spec = isInputSpec(declared) ? declared : { type: declared };
    const type = typeAt(task, `input '${name}'`, (where) => resolveSpec(spec.type, where));
    const hasDefaultValue = "default" in spec;
    if (hasDefaultValue) checkDefault(task, name, type, spec.default);
    return {
      name,
      type,
      optional: hasDefaultValue || type.acceptsNone,
      hasDefaultValue,
      defaultValue: spec.default,
      description: descriptionOf(docs, "inputs", name, spec.description),
    };
  });
}

/**
 * A declared Dataset (columns, a format) on a parameter or return TypeScript types as apache-arrow's
 * `Table` is the whole table: the task is given (and a local call returns) the Table its type says.
 */
function wholeTableIfTyped(type: AnyFlyteType, reflected: unknown): AnyFlyteType {
  return type instanceof DatasetType && !type.whole && typeof reflected === "function" && isArrowTableClass(reflected) ? type.asTable() : type;
}
