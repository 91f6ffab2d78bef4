// Where a task module's manifest comes from at run time: registered in-process (the CLI analyses a
// `.ts` source and registers what it found before importing the module), else the file beside the
// module (`pipelines.js.flyte.json`, written by `flytekit-ts build`). A manifest is looked for when a
// task of the module is first built, once per module file: a module without one costs one failed
// `existsSync`. A manifest read from disk is checked before it is trusted: its JSON shape, its
// format, and the hash of the code it was written for against the module's bytes now.
import { createHash } from "node:crypto";
import { existsSync, readFileSync, realpathSync } from "node:fs";
import { isAbsolute, relative, resolve } from "node:path";
import { brand, FlyteError } from "../errors/flyte-error.js";
import { MANIFEST_FORMAT, manifestPathOf, type ManifestType, type TaskManifest } from "./manifest.js";

/** A manifest that cannot be used: damaged, of another format, or written for other code. */
export class ManifestError extends FlyteError {}
brand(ManifestError, "ManifestError");

/** The hash a manifest carries of its module's code: `sha256:` and the hex SHA-256 of the bytes (a string's as UTF-8). */
export function codeHash(bytes: string | Uint8Array): string {
  return `sha256:${createHash("sha256").update(bytes).digest("hex")}`;
}

type Verdict = { manifest: TaskManifest } | { error: ManifestError } | undefined;

// Kept on globalThis so two copies of this package (a bundling accident) share one registry: the
// CLI's copy registers, the user's module's copy reads.
const KEY = Symbol.for("flytekit-ts.manifests");
interface ManifestStore {
  /** By the module's real path (symbolic links resolved); `undefined` for a module known to have none. */
  verdicts: Map<string, Verdict>;
  /** A module path as asked for (absolute) → its real path, so a path is resolved once. */
  real?: Map<string, string>;
  /** Where each manifest came from. */
  origins: WeakMap<TaskManifest, ManifestOrigin>;
}

/** Where a manifest came from. */
export interface ManifestOrigin {
  /** For messages: `the manifest dist/pipelines.js.flyte.json`, `the analysis of src/pipelines.ts`. */
  name: string;
  /** The module it describes (absolute), as loaded. */
  module: string;
}
const store: ManifestStore = ((globalThis as Record<symbol, unknown>)[KEY] ??= { verdicts: new Map(), origins: new WeakMap() }) as ManifestStore;
// A store made by an older copy of this package lacks the newer map.
store.real ??= new Map();

/**
 * A module's path as the registry keys it: absolute, through symbolic links (Node loads a module by
 * its real path, which is what a task's file is; a manifest registered through a link meets it),
 * the absolute path itself for a file that does not exist.
 */
function keyOf(file: string): string {
  const path = resolve(file);
  let real = store.real!.get(path);
  if (real === undefined) {
    try {
      real = realpathSync.native(path);
    } catch {
      real = path;
    }
    store.real!.set(path, real);
  }
  return real;
}

/** A path for messages: relative to the working directory when it is inside it. */
export function shownPath(path: string): string {
  const rel = relative(process.cwd(), path);
  return rel === "" || rel.startsWith("..") || isAbsolute(rel) ? path : rel;
}

/**
 * Registers the manifest of a module about to be imported (an in-process analysis of its `.ts`
 * source, whose hash is the source text's): it is used instead of a file beside the module. `file`
 * is the module's path as it will be loaded (made absolute).
 */
export function registerManifest(file: string, manifest: TaskManifest): void {
  const path = keyOf(file);
  const name = `the analysis of ${shownPath(path)}`;
  checkShape(manifest, name);
  store.origins.set(manifest, { name, module: path });
  store.verdicts.set(path, { manifest });
}

/**
 * The manifest of the module at `file` (absolute), or undefined when it has none: the one
 * registered for it, else the one beside it, checked once and its verdict kept. A manifest that
 * cannot be used throws a ManifestError (each time it is asked for).
 */
export function manifestFor(file: string): TaskManifest | undefined {
  const path = keyOf(file);
  let verdict = store.verdicts.get(path);
  if (verdict === undefined && !store.verdicts.has(path)) {
    verdict = readBeside(path);
    store.verdicts.set(path, verdict);
  }
  if (verdict === undefined) return undefined;
  if ("error" in verdict) throw verdict.error;
  return verdict.manifest;
}

/** Where a manifest `manifestFor` gave came from. */
export function manifestOrigin(manifest: TaskManifest): ManifestOrigin | undefined {
  return store.origins.get(manifest);
}

// Deleting the manifest is no fix to offer: with standard decorators (no metadata) and no tokens, a
// module without its manifest has no types at all.
const REBUILD = "rebuild with `flytekit-ts build`";

function readBeside(moduleFile: string): Verdict {
  const path = manifestPathOf(moduleFile);
  if (!existsSync(path)) return undefined;
  const name = `the manifest ${shownPath(path)}`;
  const refuse = (problem: string, fix = REBUILD): Verdict => ({ error: new ManifestError({ problem: `${name} ${problem}`, fix }) });
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(path, "utf8"));
  } catch (e) {
    return refuse(`is damaged: it is not JSON (${e instanceof Error ? e.message : String(e)})`);
  }
  if (!isObject(parsed)) return refuse(`is damaged: it is ${describe(parsed)}, not an object`);
  if (parsed.format !== MANIFEST_FORMAT) {
    return refuse(`is in format ${describe(parsed.format)}, which this SDK does not read (it reads format ${MANIFEST_FORMAT})`, "rebuild with `flytekit-ts build`");
  }
  try {
    checkShape(parsed, name);
  } catch (e) {
    if (e instanceof ManifestError) return { error: e };
    throw e;
  }
  const manifest = parsed as unknown as TaskManifest;
  let code: Buffer;
  try {
    code = readFileSync(moduleFile);
  } catch (e) {
    return refuse(`cannot be checked: its module cannot be read (${e instanceof Error ? e.message : String(e)})`);
  }
  const hash = codeHash(code);
  if (hash !== manifest.hash) return refuse(`was written for other code (hash ${manifest.hash}), the module's code hashes to ${hash}`);
  store.origins.set(manifest, { name, module: moduleFile });
  return { manifest };
}

// The shape of a manifest, checked so that what reads it (tasks/manifest-types.ts) may trust it.

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function describe(value: unknown): string {
  if (value === undefined) return "missing";
  if (Array.isArray(value)) return "an array";
  if (value === null) return "null";
  const text = JSON.stringify(value);
  return typeof value === "object" ? "an object" : `${text.length > 40 ? `${text.slice(0, 40)}…` : text} (${typeof value})`;
}

const SCALARS: ReadonlySet<string> = new Set(["Int", "BigInt", "Float", "Str", "Bool", "Datetime", "File", "Directory", "Dataset", "Table", "Schema"]);

/** Throws a ManifestError saying what of the manifest is not as the format has it. */
function checkShape(value: unknown, name: string): void {
  const damaged = (where: string, what: string): never => {
    throw new ManifestError({ problem: `${name} is damaged: ${where} ${what}`, fix: REBUILD });
  };
  const manifest = value as Record<string, unknown>;
  for (const key of ["compiler", "source", "hash"]) {
    if (typeof manifest[key] !== "string") damaged(`'${key}'`, `is ${describe(manifest[key])}, not a string`);
  }
  if (!/^sha256:[0-9a-f]{64}$/.test(manifest.hash as string)) damaged("'hash'", `is ${describe(manifest.hash)}, not sha256: and 64 hex digits`);
  const records = manifest.records;
  if (!isObject(records)) return damaged("'records'", `is ${describe(records)}, not an object`);
  const tasks = manifest.tasks;
  if (!isObject(tasks)) return damaged("'tasks'", `is ${describe(tasks)}, not an object`);

  const checkType = (type: unknown, where: string): void => {
    if (typeof type === "string") {
      if (!SCALARS.has(type)) damaged(where, `names the type ${describe(type)}, which is not one a manifest names`);
      return;
    }
    if (!isObject(type)) return damaged(where, `is ${describe(type)}, not a type`);
    const keys = Object.keys(type).sort().join(",");
    if (keys === "list" || keys === "dict" || keys === "map" || keys === "optional") return checkType(type[keys], `${where}.${keys}`);
    if (keys === "absent,optional") {
      if (type.absent !== true) damaged(`${where}.absent`, `is ${describe(type.absent)}, not true`);
      return checkType(type.optional, `${where}.optional`);
    }
    if (keys === "union") {
      if (!Array.isArray(type.union) || type.union.length === 0) return damaged(`${where}.union`, "is not a list of types");
      type.union.forEach((t: unknown, i: number) => checkType(t, `${where}.union[${i}]`));
      return;
    }
    if (keys === "enum,name") {
      if (!Array.isArray(type.enum) || type.enum.length === 0 || !type.enum.every((v) => typeof v === "string")) return damaged(`${where}.enum`, "is not a list of strings");
      if (typeof type.name !== "string") damaged(`${where}.name`, `is ${describe(type.name)}, not a string`);
      return;
    }
    if (keys === "record") {
      if (typeof type.record !== "string") return damaged(`${where}.record`, `is ${describe(type.record)}, not a string`);
      if (!isObject(records[type.record])) damaged(`${where}.record`, `names ${JSON.stringify(type.record)}, which is not in 'records'`);
      return;
    }
    damaged(where, `is an object with ${keys === "" ? "no keys" : `the keys ${keys}`}, not a type`);
  };
  const checkVariables = (list: unknown, where: string): void => {
    if (!Array.isArray(list)) return damaged(where, `is ${describe(list)}, not a list`);
    list.forEach((v: unknown, i: number) => {
      if (!isObject(v) || typeof v.name !== "string") return damaged(`${where}[${i}]`, "is not { name, type }");
      if (v.property !== undefined && (typeof v.property !== "string" || v.property === "")) damaged(`${where}[${i}] '${v.name}'.property`, `is ${describe(v.property)}, not a property name`);
      checkType(v.type, `${where}[${i}] '${v.name}'`);
    });
  };

  for (const [key, record] of Object.entries(records)) {
    const where = `record ${JSON.stringify(key)}`;
    if (!isObject(record)) return damaged(where, `is ${describe(record)}, not an object`);
    if (typeof record.name !== "string" || record.name === "") damaged(`${where}, 'name'`, `is ${describe(record.name)}, not a name`);
    if (record.kind !== "class" && record.kind !== "interface" && record.kind !== "alias") damaged(`${where}, 'kind'`, `is ${describe(record.kind)}, not "class", "interface" or "alias"`);
    if (typeof record.module !== "string") damaged(`${where}, 'module'`, `is ${describe(record.module)}, not a string`);
    checkVariables(record.fields, `${where}, fields`);
  }
  for (const [key, task] of Object.entries(tasks)) {
    const where = `task ${JSON.stringify(key)}`;
    if (!isObject(task)) return damaged(where, `is ${describe(task)}, not an object`);
    if (typeof task.line !== "number") damaged(`${where}, 'line'`, `is ${describe(task.line)}, not a number`);
    if (!isObject(task.inputs)) return damaged(`${where}, 'inputs'`, `is ${describe(task.inputs)}, not an object`);
    for (const [input, type] of Object.entries(task.inputs)) checkType(type as ManifestType, `${where}, input '${input}'`);
    if (task.outputs !== undefined) checkVariables(task.outputs, `${where}, outputs`);
    if (task.errors !== undefined) {
      if (!Array.isArray(task.errors)) return damaged(`${where}, 'errors'`, `is ${describe(task.errors)}, not a list`);
      task.errors.forEach((d: unknown, i: number) => {
        const fields = ["code", "file", "task", "subject", "typeText", "problem", "fix"];
        if (!isObject(d) || fields.some((f) => typeof d[f] !== "string") || typeof d.line !== "number" || typeof d.column !== "number") {
          damaged(`${where}, errors[${i}]`, "is not a diagnostic");
        }
      });
    }
  }
}

/** What an error about a type TypeScript's metadata does not carry adds: a build reads the types themselves. */
export const BUILD_FIX = "or build with `flytekit-ts build` (types from TypeScript)";
