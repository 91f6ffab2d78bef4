// A task module's manifest: the interfaces of the tasks it declares, read from TypeScript's own types
// by the analysis (`analyse.ts`) at build time, and read back at run time by the tasks layer
// (`tasks/manifest-types.ts`), which never needs the compiler. It sits beside the module it
// describes (`dist/pipelines.js` → `dist/pipelines.js.flyte.json`, as a source map sits beside its
// module), carries a hash of that module's code, and is refused when the code changed since.
//
// The format is JSON, small and stable: a type is a name ("Int") or a one-key object
// ({ "list": "Int" }); records are kept once per manifest, keyed by "<module>#<name>", and named by
// key where they are used, so a recursive record is finite.

/** The manifest format this SDK writes and reads; another is refused with a fix (rebuild). */
export const MANIFEST_FORMAT = 1;

/** What a manifest's file name adds to its module's: `pipelines.js` → `pipelines.js.flyte.json`. */
export const MANIFEST_SUFFIX = ".flyte.json";

/**
 * The built-in types a manifest names by their token's name, and three the TypeScript type says
 * more precisely than a token's name: "BigInt" (an Int whose values are always `bigint`, for a
 * `bigint`), "Table" (a Dataset the task takes or gives whole, as apache-arrow's `Table`),
 * "Schema" (flytekit's FlyteSchema).
 */
export type ManifestScalar = "Int" | "BigInt" | "Float" | "Str" | "Bool" | "Datetime" | "File" | "Directory" | "Dataset" | "Table" | "Schema";

/**
 * A type, as the analysis derived it. `optional` wraps what may be null or missing; `union` keeps
 * the order the annotation was written in; `enum` holds a string enum's values (in declaration
 * order) and its name; `record` is a key of the manifest's `records`.
 */
export type ManifestType =
  | ManifestScalar
  | { readonly list: ManifestType }
  | { readonly dict: ManifestType }
  /** A Dict whose values are `Map`s (a `Map<string, T>`), not plain objects. */
  | { readonly map: ManifestType }
  /** `absent`: written `x?: T` (a parameter or a field), so none arrives as `undefined` (or a missing field), not `null`. */
  | { readonly optional: ManifestType; readonly absent?: true }
  | { readonly union: readonly ManifestType[] }
  | { readonly enum: readonly string[]; readonly name: string }
  | { readonly record: string };

/** A named output, or a record's field. */
export interface ManifestVariable {
  /** The name in Flyte: an output's, a field's (`@field({ name: "by_key" })` gives "by_key"). */
  readonly name: string;
  readonly type: ManifestType;
  /** A record field's TypeScript property, where it differs from `name`. */
  readonly property?: string;
}

/**
 * What the analysis found wrong with a task's types: a tsc-style diagnostic. `build` prints them
 * and writes no manifest; an in-process analysis (`run`, `serialize`, `package` of `.ts` sources)
 * keeps them on the task, which is refused with them when it is built.
 */
export interface ManifestDiagnostic {
  /** `FTS` and four digits, stable across releases: `FTS1001`. */
  readonly code: string;
  /** The source file, as given to the compiler (absolute). */
  readonly file: string;
  /** 1-based. */
  readonly line: number;
  /** 1-based. */
  readonly column: number;
  /** The task (`pipelines.Pipelines.add` when known, else `Pipelines.add`). */
  readonly task: string;
  /** What is concerned: `input 'x'`, `output 'o0'`, `return type`, `record Point, field 'next'`. */
  readonly subject: string;
  /** The type as written (`(x: number) => string`). */
  readonly typeText: string;
  /** What is wrong, in words. */
  readonly problem: string;
  /** What to write instead. */
  readonly fix: string;
}

/** One task's types. */
export interface ManifestTask {
  /** 1-based line of the decorated method (or class), for messages. */
  readonly line: number;
  /**
   * Each parameter the analysis typed, by name. A parameter whose type the decorator declares
   * (`inputs: { x: Int }`) is left out: explicit tokens win, and are not analysed.
   */
  readonly inputs: { readonly [name: string]: ManifestType };
  /**
   * The outputs in order (`o0` for a single value, the properties of an object-literal return
   * type by name, none for `void`); absent when the decorator declares `outputs`.
   */
  readonly outputs?: readonly ManifestVariable[];
  /** In-process analysis only: what could not be typed. A written manifest never has any. */
  readonly errors?: readonly ManifestDiagnostic[];
}

/** A record: a class, an interface or an alias of an object type, with typed fields. */
export interface ManifestRecord {
  readonly name: string;
  readonly kind: "class" | "interface" | "alias";
  /** The module that declares it, relative to its project root (the nearest package.json), with "/". */
  readonly module: string;
  /** In order: a base class's (or an extended interface's) fields first, then its own. */
  readonly fields: readonly ManifestVariable[];
}

/** A module's manifest. */
export interface TaskManifest {
  readonly format: typeof MANIFEST_FORMAT;
  /** The compiler that analysed it: `typescript 6.0.3`. */
  readonly compiler: string;
  /** The source module, relative to the manifest's own folder, with "/": `../src/pipelines.ts`. */
  readonly source: string;
  /** `sha256:` and the hex SHA-256 of the module's code as emitted (the bytes beside it). */
  readonly hash: string;
  /** Keyed by `taskKey`. */
  readonly tasks: { readonly [key: string]: ManifestTask };
  /** Keyed by `recordKey`; every record a task here reaches, wherever it is declared. */
  readonly records: { readonly [key: string]: ManifestRecord };
}

/**
 * The key of a task in its module's manifest: `Pipelines.add` for a static method,
 * `Pipelines.prototype.add` for an instance method, `Job.prototype.run` for a class declared as a
 * task (its `run` method).
 */
export function taskKey(className: string, member: string, isStatic: boolean): string {
  return isStatic ? `${className}.${member}` : `${className}.prototype.${member}`;
}

/** The key of a record: `src/geo.ts#Point`. */
export function recordKey(module: string, name: string): string {
  return `${module}#${name}`;
}

/** Where the manifest of a module file lives. */
export function manifestPathOf(moduleFile: string): string {
  return moduleFile + MANIFEST_SUFFIX;
}
