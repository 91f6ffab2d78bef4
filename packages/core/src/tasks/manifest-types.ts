// A task's types as its module's manifest says them (TypeScript's own types, read by a build or by
// the CLI's analysis of a `.ts` source), turned into type tokens. The manifest sits between the
// explicit tokens, which win, and TypeScript's metadata, which it replaces where it exists.
//
// A record resolves to a real class where one is known (the class TypeScript's metadata reflects
// for the parameter, or a record class `@field()` noted with its module), whose `@field()`
// declarations stand, the manifest typing only the fields `@field()` left to the metadata. Any
// other record (an interface, a type alias, a class nothing declared) is a class made from the
// manifest, one per manifest record, that takes any object with the fields; an interface's or an
// alias's values come back as plain objects.
import { dirname, extname, relative, resolve, sep } from "node:path";
import type { ManifestDiagnostic, ManifestRecord, ManifestTask, ManifestType, ManifestVariable, TaskManifest } from "../analysis/manifest.js";
import { ManifestError, manifestFor, manifestOrigin, shownPath } from "../analysis/registry.js";
import { packageRoot, sourceOf } from "../naming/module-name.js";
import { Dict, List } from "../types/collections.js";
import { Enum } from "../types/enum.js";
import { defineRecordField, isRecordClass, recordClassesNamed, RecordType, recordType, structuralRecord, typeFieldsFromManifest, typeRecordFieldsWith } from "../types/record.js";
import { FlyteTypeError } from "../types/errors.js";
import { typeRegistry } from "../types/registry.js";
import { BigIntInt, Bool, Float, Int, Str } from "../types/scalars.js";
import { Schema } from "../types/schema.js";
import { Datetime } from "../types/time.js";
import { Directory, File } from "../types/blob.js";
import { ArrowTable, Dataset } from "../types/structured.js";
import { Optional, OptionalAbsent, Union } from "../types/union.js";
import type { AnyFlyteType, Constructor, TypeSpec } from "../types/type.js";
import { TaskDefinitionError } from "./errors.js";

/** A task's entry in its module's manifest, with the manifest and where it came from. */
export interface ManifestTypes {
  manifest: TaskManifest;
  task: ManifestTask;
  /** For messages: `the manifest dist/pipelines.js.flyte.json`. */
  origin: string;
}

/**
 * The manifest entry of the task `key` (`taskKey`) declared in `file`, or undefined when the
 * module has no manifest or the manifest does not list the task. A manifest that cannot be used is
 * a TaskDefinitionError naming the task. An entry with what the analysis could not type
 * (`errors`) is given as it is: `unreadableOf` says what of it TypeScript's metadata may still type.
 */
export function manifestTypesOf(task: string, file: string | undefined, key: string): ManifestTypes | undefined {
  if (file === undefined) return undefined;
  let manifest: TaskManifest | undefined;
  try {
    manifest = manifestFor(file);
  } catch (e) {
    if (e instanceof ManifestError) throw new TaskDefinitionError({ ...e.fields, task }, { cause: e });
    throw e;
  }
  if (manifest === undefined) return undefined;
  typeNotedClasses(manifest);
  const entry = manifest.tasks[key];
  if (entry === undefined) return undefined;
  return { manifest, task: entry, origin: manifestOrigin(manifest)?.name ?? "the manifest" };
}

/** What of a task the analysis could not type, and TypeScript's metadata may: inputs by name, and the outputs. */
export interface Unreadable {
  inputs: ReadonlyMap<string, readonly ManifestDiagnostic[]>;
  outputs: readonly ManifestDiagnostic[];
}

/**
 * What the analysis could not type of a task (its entry's `errors`), or undefined when it typed all.
 * With legacy decorators' metadata (`hasMetadata`), an input's or the outputs' diagnostics leave
 * them to the metadata, as without a manifest (whose failure is then the diagnostic); any other
 * diagnostic (a record's field), or any without metadata, refuses the task with them all.
 */
export function unreadableOf(task: string, types: ManifestTypes, hasMetadata: boolean): Unreadable | undefined {
  const errors = types.task.errors;
  if (errors === undefined || errors.length === 0) return undefined;
  const inputs = new Map<string, ManifestDiagnostic[]>();
  const outputs: ManifestDiagnostic[] = [];
  for (const d of errors) {
    const input = /^input '(.*)'$/.exec(d.subject);
    if (input !== null) {
      const list = inputs.get(input[1]!);
      if (list === undefined) inputs.set(input[1]!, [d]);
      else list.push(d);
    } else if (d.subject === "return type" || /^output '.*'$/.test(d.subject)) {
      outputs.push(d);
    } else {
      throw diagnosticsError(task, errors);
    }
  }
  if (!hasMetadata) throw diagnosticsError(task, errors);
  return { inputs, outputs };
}

/**
 * What the analysis could not type, as the task's error: the first diagnostic's fields, and the
 * others after its fix. (A diagnostic's problem says the type as written.)
 */
export function diagnosticsError(task: string, diagnostics: readonly ManifestDiagnostic[]): TaskDefinitionError {
  const told = (d: ManifestDiagnostic) => `${d.problem} (${shownPath(d.file)}:${d.line}:${d.column}, ${d.code})`;
  const [first, ...rest] = diagnostics as [ManifestDiagnostic, ...ManifestDiagnostic[]];
  const more = rest.map((d) => `${d.subject}: ${told(d)}; ${d.fix}`);
  return new TaskDefinitionError({
    task,
    subject: first.subject,
    problem: told(first),
    fix: more.length === 0 ? first.fix : `${first.fix}. And ${more.length} more: ${more.join(". ")}`,
  });
}

/** Manifests whose class records were given to the record classes @field() noted for them. */
const notedTyped = new WeakSet<TaskManifest>();

/**
 * Gives each record class `@field()` noted for a class record of the manifest the manifest's types
 * for the fields `@field()` left to the metadata, when the manifest is first read: before any task
 * of its module is built, so that a task declared with tokens and one typed by the manifest meet
 * the same record, whichever is built first.
 */
function typeNotedClasses(manifest: TaskManifest): void {
  if (notedTyped.has(manifest)) return;
  notedTyped.add(manifest);
  for (const record of Object.values(manifest.records)) {
    if (record.kind !== "class") continue;
    const cls = classOf(record, manifest);
    if (cls !== undefined) typeFieldsFromManifest(cls, fieldTyper(record, manifest));
  }
}

// A record class whose layout is built (first used as a type) before any task of a module with a
// manifest was: its fields the metadata typed take the types of the manifest of its own module.
typeRecordFieldsWith((cls, file) => {
  let manifest: TaskManifest | undefined;
  try {
    manifest = manifestFor(file);
  } catch (e) {
    if (e instanceof ManifestError) throw new FlyteTypeError({ ...e.fields, subject: `record class ${cls.name}` }, { cause: e });
    throw e;
  }
  if (manifest === undefined) return;
  const own = Object.values(manifest.records).filter((r) => r.kind === "class" && namedAs(cls, r.name) && declaredIn(file, r.module, manifest));
  if (own.length === 1) typeFieldsFromManifest(cls, fieldTyper(own[0]!, manifest));
});

const SCALARS: Readonly<Record<string, AnyFlyteType>> = {
  Int,
  BigInt: BigIntInt as AnyFlyteType,
  Float,
  Str,
  Bool,
  Datetime,
  File,
  Directory,
  Dataset,
  Table: ArrowTable,
  Schema,
};

/** The records of each manifest made from it (structural) or found for it without a hint, by key: one per record, so recursion and reuse meet the same type. */
const madeRecords = new WeakMap<TaskManifest, Map<string, AnyFlyteType>>();

/**
 * The token of a type a manifest names. `hint.reflected`: what TypeScript's metadata reflects for
 * the place (legacy decorators), which names the class of a class record.
 */
export function tokenOfManifestType(type: ManifestType, manifest: TaskManifest, where: string, hint?: { reflected?: unknown }): AnyFlyteType {
  if (typeof type === "string") {
    const scalar = SCALARS[type];
    if (scalar === undefined) throw new TaskDefinitionError({ subject: where, problem: `the manifest names the type ${JSON.stringify(type)}, which this SDK does not know`, fix: "rebuild with `flytekit-ts build`" });
    return scalar;
  }
  if ("list" in type) return List(tokenOfManifestType(type.list, manifest, `${where}[]`));
  if ("dict" in type) return Dict(tokenOfManifestType(type.dict, manifest, `${where}{}`));
  // A Map<string, T>: a Dict whose values come back as Maps.
  if ("map" in type) return Dict(tokenOfManifestType(type.map, manifest, `${where}{}`)).asMap() as AnyFlyteType;
  // `p?: Point` reflects as Point: the hint holds for what is optional.
  if ("optional" in type) {
    const inner = tokenOfManifestType(type.optional, manifest, where, hint);
    // Written `x?: T`: none is undefined (a parameter given nothing, a field left out), not null.
    return (type.absent === true ? OptionalAbsent(inner) : Optional(inner)) as AnyFlyteType;
  }
  if ("union" in type) return Union(...type.union.map((t, i) => tokenOfManifestType(t, manifest, `${where}|${i}`))) as AnyFlyteType;
  if ("enum" in type) return Enum(Object.fromEntries(type.enum.map((v) => [v, v])), type.name) as AnyFlyteType;
  return recordToken(type.record, manifest, where, hint?.reflected);
}

/** A record field's TypeScript property: its own where the manifest names one, else its Flyte name. */
function propertyOf(f: ManifestVariable): string {
  return f.property ?? f.name;
}

/** How the fields of a class record are typed from the manifest, by property (thunks: a recursive record resolves when used). */
function fieldTyper(record: ManifestRecord, manifest: TaskManifest): (property: string) => TypeSpec | undefined {
  return (property) => {
    const f = record.fields.find((v) => propertyOf(v) === property);
    return f === undefined ? undefined : () => tokenOfManifestType(f.type, manifest, `record class ${record.name}, field '${property}'`);
  };
}

function recordToken(key: string, manifest: TaskManifest, where: string, reflected: unknown): AnyFlyteType {
  const record = manifest.records[key];
  if (record === undefined) throw new TaskDefinitionError({ subject: where, problem: `the manifest names the record ${JSON.stringify(key)}, which it does not describe`, fix: "rebuild with `flytekit-ts build`" });
  // The class TypeScript reflects for the place (legacy decorators) is the record's own class.
  const own = record.kind === "class" && typeof reflected === "function" && namedAs(reflected, record.name) ? reflected : undefined;
  let made = madeRecords.get(manifest);
  if (made === undefined) madeRecords.set(manifest, (made = new Map()));
  if (own !== undefined) {
    const token = classToken(own, record, manifest);
    // Where the record is met without a hint later (inside a list, say), it is this class too.
    if (!made.has(key)) made.set(key, token);
    return token;
  }
  let token = made.get(key);
  if (token === undefined) {
    const cls = record.kind === "class" ? classOf(record, manifest) : undefined;
    if (cls !== undefined) {
      token = classToken(cls, record, manifest);
    } else {
      // A class registered as a type's native (TypeEngine.register({ natives })), known here by its name only.
      token = record.kind === "class" ? registeredNamed(record.name) : undefined;
      // Nothing knows the class: a record made from the manifest. Its fields resolve when it is first
      // used, so a recursive record finds itself made.
      token ??= structuralRecord(
        record.name,
        record.fields.map((f) => ({ name: f.name, property: propertyOf(f), spec: () => tokenOfManifestType(f.type, manifest, `record ${record.name}, field '${propertyOf(f)}'`) })),
        { plainValues: record.kind !== "class" },
      ) as unknown as AnyFlyteType;
    }
    made.set(key, token);
  }
  return token;
}

/** Whether a class is the one a record (`Point`, or `Shapes.Point` declared in a namespace) names. */
function namedAs(cls: Function, name: string): boolean {
  return cls.name === name || name.endsWith(`.${cls.name}`);
}

/**
 * The token of a class record's own class: the type registered for it, where the type registry
 * knows it as another type (`TypeEngine.register({ natives: [Money] })`); else its record type, its
 * `@field()` declarations standing and the manifest typing the fields they left to the metadata,
 * or (a class no `@field()` declares) the manifest declaring its fields.
 */
function classToken(cls: Function, record: ManifestRecord, manifest: TaskManifest): AnyFlyteType {
  const registered = typeRegistry.forNative(cls);
  if (registered !== undefined && !(registered instanceof RecordType)) return registered;
  if (!isRecordClass(cls)) {
    for (const f of record.fields) defineRecordField(cls, propertyOf(f), fieldTyper(record, manifest)(propertyOf(f))!, { name: f.name });
  } else {
    typeFieldsFromManifest(cls, fieldTyper(record, manifest));
  }
  return recordType(cls as Constructor) as unknown as AnyFlyteType;
}

/** The token registered for the one constructor of this name the type registry knows (not a record class), if one. */
function registeredNamed(name: string): AnyFlyteType | undefined {
  const found = new Set<AnyFlyteType>();
  for (const registration of typeRegistry.registrations()) {
    for (const native of registration.natives ?? []) {
      if (namedAs(native, name) && registration.token !== undefined) found.add(registration.token);
    }
  }
  return found.size === 1 ? [...found][0] : undefined;
}

/**
 * The class of a class record without a hint, if exactly one is known in the record's module: a
 * record class `@field()` noted (legacy decorators when declared, standard ones once the class was
 * met), or a class the module exports, noted when the resolver loaded the module.
 */
function classOf(record: ManifestRecord, manifest: TaskManifest): Function | undefined {
  const found = recordClassesNamed(record.name.slice(record.name.lastIndexOf(".") + 1)).filter((c) => declaredIn(c.file, record.module, manifest));
  return found.length === 1 ? found[0]!.cls : undefined;
}

/** The module of a class's file as a manifest names it: relative to its project root, with "/" (the source's, through its source map). */
const moduleOfFile = new Map<string, string | undefined>();

function withoutExtension(path: string): string {
  return path.slice(0, path.length - extname(path).length);
}

/**
 * Whether the module file `file` (as loaded) is the record's module (`src/geo.ts`): directly (a
 * source, or compiled code with a source map), else through the manifest's own module, whose
 * source the manifest names (`dist/geo.js` is `src/geo.ts` when `dist/pipelines.js` is `src/pipelines.ts`).
 */
function declaredIn(file: string, module: string, manifest: TaskManifest): boolean {
  if (!moduleOfFile.has(file)) {
    const source = sourceOf(file);
    const root = packageRoot(source);
    moduleOfFile.set(file, root === undefined ? undefined : relative(root, source).split(sep).join("/"));
  }
  if (moduleOfFile.get(file) === module) return true;
  const own = manifestOrigin(manifest)?.module;
  const root = own === undefined ? undefined : packageRoot(own);
  if (own === undefined || root === undefined) return false;
  const ownSource = resolve(dirname(own), manifest.source);
  const mapped = resolve(dirname(ownSource), relative(dirname(own), file));
  return withoutExtension(mapped) === withoutExtension(resolve(root, module));
}
