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
import type { ManifestDiagnostic, ManifestRecord, ManifestTask, ManifestType, TaskManifest } from "../analysis/manifest.js";
import { ManifestError, manifestFor, manifestOrigin, shownPath } from "../analysis/registry.js";
import { packageRoot, sourceOf } from "../naming/module-name.js";
import { Dict, List } from "../types/collections.js";
import { Enum } from "../types/enum.js";
import { isRecordClass, recordClassesNamed, recordType, structuralRecord, typeFieldsFromManifest } from "../types/record.js";
import { Bool, Float, Int, Str } from "../types/scalars.js";
import { Datetime } from "../types/time.js";
import { Directory, File } from "../types/blob.js";
import { Dataset } from "../types/structured.js";
import { Optional, Union } from "../types/union.js";
import type { AnyFlyteType, Constructor } from "../types/type.js";
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
 * module has no manifest or the manifest does not list the task. A manifest that cannot be used,
 * or an entry with what the analysis could not type, is a TaskDefinitionError naming the task.
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
  const entry = manifest?.tasks[key];
  if (manifest === undefined || entry === undefined) return undefined;
  if (entry.errors !== undefined && entry.errors.length > 0) throw diagnosticsError(task, entry.errors);
  return { manifest, task: entry, origin: manifestOrigin(manifest)?.name ?? "the manifest" };
}

/**
 * What the analysis could not type, as the task's error: the first diagnostic's fields, and the
 * others after its fix. (A diagnostic's problem says the type as written.)
 */
function diagnosticsError(task: string, diagnostics: readonly ManifestDiagnostic[]): TaskDefinitionError {
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

const SCALARS: Readonly<Record<string, AnyFlyteType>> = { Int, Float, Str, Bool, Datetime, File, Directory, Dataset };

/** The structural records made of each manifest, by key: one per record, so recursion and reuse meet the same type. */
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
  // `p?: Point` reflects as Point: the hint holds for what is optional.
  if ("optional" in type) return Optional(tokenOfManifestType(type.optional, manifest, where, hint)) as AnyFlyteType;
  if ("union" in type) return Union(...type.union.map((t, i) => tokenOfManifestType(t, manifest, `${where}|${i}`))) as AnyFlyteType;
  if ("enum" in type) return Enum(Object.fromEntries(type.enum.map((v) => [v, v])), type.name) as AnyFlyteType;
  return recordToken(type.record, manifest, where, hint?.reflected);
}

function recordToken(key: string, manifest: TaskManifest, where: string, reflected: unknown): AnyFlyteType {
  const record = manifest.records[key];
  if (record === undefined) throw new TaskDefinitionError({ subject: where, problem: `the manifest names the record ${JSON.stringify(key)}, which it does not describe`, fix: "rebuild with `flytekit-ts build`" });
  const cls = record.kind === "class" ? classOf(record, manifest, reflected) : undefined;
  if (cls !== undefined) {
    // Its @field() declarations stand; where one left the type to the metadata, the manifest's is truer.
    typeFieldsFromManifest(cls, (property) => {
      const f = record.fields.find((v) => v.name === property);
      return f === undefined ? undefined : () => tokenOfManifestType(f.type, manifest, `record class ${record.name}, field '${property}'`);
    });
    return recordType(cls as Constructor) as unknown as AnyFlyteType;
  }
  let made = madeRecords.get(manifest);
  if (made === undefined) madeRecords.set(manifest, (made = new Map()));
  let token = made.get(key);
  if (token === undefined) {
    // Fields resolve when the record is first used: a recursive record finds itself made.
    const fields = record.fields.map((f) => ({ name: f.name, spec: () => tokenOfManifestType(f.type, manifest, `record ${record.name}, field '${f.name}'`) }));
    token = structuralRecord(record.name, fields, { plainValues: record.kind !== "class" }) as unknown as AnyFlyteType;
    made.set(key, token);
  }
  return token;
}

/**
 * The class of a class record, when one is known and declares its fields with `@field()`: the
 * one TypeScript's metadata reflects for the place, else the one `@field()` noted in the record's
 * module.
 */
function classOf(record: ManifestRecord, manifest: TaskManifest, reflected: unknown): Function | undefined {
  if (typeof reflected === "function" && reflected.name === record.name && isRecordClass(reflected)) return reflected;
  const found = recordClassesNamed(record.name).filter((c) => declaredIn(c.file, record.module, manifest));
  return found.length === 1 && isRecordClass(found[0]!.cls) ? found[0]!.cls : undefined;
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
