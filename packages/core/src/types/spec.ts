import { FlyteDirectory, FlyteFile, Directory, File } from "./blob.js";
import { DictType, ListType } from "./collections.js";
import { EnumType, type StringEnum } from "./enum.js";
import { FlyteTypeError } from "./errors.js";
import { isRecordClass, recordType } from "./record.js";
import { Bool, Float, Int, None, Str } from "./scalars.js";
import { Dataset, StructuredDataset } from "./structured.js";
import { Datetime } from "./time.js";
import { FlyteType, type AnyFlyteType, type InputOf, type NativeOf, type TypeSpec } from "./type.js";
import { UnionType } from "./union.js";

const BUILTINS = new Map<unknown, AnyFlyteType>([
  [Number, Float],
  [String, Str],
  [Boolean, Bool],
  [Date, Datetime],
  [BigInt, Int],
  [FlyteFile, File],
  [FlyteDirectory, Directory],
  [StructuredDataset, Dataset],
]);

// What TypeScript's metadata says for types it erased, and what to write instead.
const ERASED = new Map<unknown, string>([
  [Array, "List(Int), List(Str), ..."],
  [Object, "a token such as Json, Dict(Int) or Union(Int, Str), or a record class"],
  [Promise, "the type the promise resolves to"],
  [Map, "Dict(Int), Dict(Str), ..."],
  [Set, "List(...)"],
  [Function, "a Flyte type: functions are not values Flyte can pass"],
  [Symbol, "Str"],
]);

const WHY_ERASED = new Map<unknown, string>([
  [Array, "which does not say what the array holds (arrays lose their element type at run time)"],
  [Map, "which does not say what the map holds (maps lose their key and value types at run time)"],
  [Set, "which does not say what the set holds"],
  [Promise, "which does not say what it resolves to"],
  [
    Object,
    "which does not say which Flyte type it holds (unions, interfaces, type aliases, and anything without a type annotation reflect as Object)",
  ],
]);

/** Whether a function is a class or builtin constructor rather than an arrow-function thunk. */
function isConstructor(fn: Function): boolean {
  return Object.prototype.hasOwnProperty.call(fn, "prototype");
}

/**
 * Resolves what stands for a type (a token, a record class, a builtin constructor, or an arrow
 * function returning one of those) to its token. `where` names the place for the error.
 */
export function typeOf<S extends TypeSpec>(spec: S, where = "type"): FlyteType<NativeOf<S>, InputOf<S>> {
  return resolve(spec, where, 0) as FlyteType<NativeOf<S>, InputOf<S>>;
}

/** `typeOf` without the native types, for code that handles any type. */
export function resolveType(spec: TypeSpec, where = "type"): AnyFlyteType {
  return resolve(spec, where, 0);
}

function resolve(spec: unknown, where: string, depth: number): AnyFlyteType {
  if (spec instanceof FlyteType) return spec;
  if (typeof spec === "function") {
    const builtin = BUILTINS.get(spec);
    if (builtin !== undefined) return builtin;
    if (!isConstructor(spec)) {
      if (depth > 8) throw new FlyteTypeError(`${where}: a type thunk returned another thunk 8 times over`);
      return resolve((spec as () => unknown)(), where, depth + 1);
    }
    const erased = ERASED.get(spec);
    if (erased !== undefined) {
      throw new FlyteTypeError(`${where}: ${spec.name} does not say which Flyte type it holds; write ${erased}`);
    }
    if (isRecordClass(spec)) return recordType(spec as new () => unknown);
    throw new FlyteTypeError(
      `${where}: class ${spec.name || "(anonymous)"} is not a Flyte type; declare its fields with @field() ` +
        `(from @flytekit-ts/decorators) or defineRecord(${spec.name || "Cls"}, { ... }) to use it as a record`,
    );
  }
  throw new FlyteTypeError(`${where}: ${String(spec)} is not a Flyte type (expected a token such as Int, a record class, or () => Cls)`);
}

/**
 * The Flyte type of a constructor read from reflect-metadata (`design:type`, `design:paramtypes`,
 * `design:returntype`). Constructors that erase their element type (Array, Object, Promise, Map,
 * and what unions, interfaces and type aliases reflect as) are refused with an error that names
 * the place and the fix; `undefined` means the metadata is missing.
 */
export function reflectedType(reflected: unknown, where: string, fix: string): AnyFlyteType {
  if (reflected === undefined) {
    throw new FlyteTypeError(
      `${where}: no type metadata (design:type is undefined). Either the compiler did not emit decorator ` +
        "metadata (tsx, esbuild and Vite 7 drop it: compile with tsc, or Vite 8 / vitest 4, with " +
        '"experimentalDecorators" and "emitDecoratorMetadata"), or the type is a class declared later in ' +
        `the file (use a thunk: () => Cls). Declare it explicitly: ${fix}`,
    );
  }
  if (typeof reflected === "function" && ERASED.has(reflected)) {
    const name = (reflected as Function).name;
    throw new FlyteTypeError(`${where}: TypeScript reflects this type as ${name}, ${WHY_ERASED.get(reflected) ?? "which does not say which Flyte type it holds"}. Declare it explicitly: ${fix}`);
  }
  return resolve(reflected, where, 0);
}

/** A list of one element type: `List(Int)` is `number[]`. */
export function List<S extends TypeSpec>(element: S): ListType<NativeOf<S>, InputOf<S>> {
  return new ListType(resolveType(element, "List()")) as ListType<NativeOf<S>, InputOf<S>>;
}

/** A map from string keys to one value type; given a plain object or a Map, gives a plain object. */
export function Dict<S extends TypeSpec>(value: S): DictType<NativeOf<S>, InputOf<S>> {
  return new DictType(resolveType(value, "Dict()")) as DictType<NativeOf<S>, InputOf<S>>;
}

/** One of several types; the first that accepts a value is used to write it. Nested unions flatten. */
export function Union<const S extends readonly TypeSpec[]>(
  ...variants: S
): FlyteType<NativeOf<S[number]>, InputOf<S[number]>> {
  const flat: AnyFlyteType[] = [];
  for (const v of variants) {
    const t = resolveType(v, "Union()");
    for (const inner of t instanceof UnionType ? t.variants : [t]) if (!flat.includes(inner)) flat.push(inner);
  }
  return new UnionType(flat) as unknown as FlyteType<NativeOf<S[number]>, InputOf<S[number]>>;
}

/** A value or none: `Optional(Int)` is `Union(Int, None)`, written with flytekit's tags. */
export function Optional<S extends TypeSpec>(
  type: S,
): FlyteType<NativeOf<S> | null, InputOf<S> | null | undefined> {
  return Union(type, None) as unknown as FlyteType<NativeOf<S> | null, InputOf<S> | null | undefined>;
}

/** A TypeScript string enum as a Flyte EnumType: `Enum(Color)`, or `Enum(Color, "Color")` to name it in messages. */
export function Enum<E extends StringEnum>(enumObject: E, name?: string): EnumType<E> {
  return new EnumType(enumObject, name);
}
