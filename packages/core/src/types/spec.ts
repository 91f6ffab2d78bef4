// Type tokens from what stands for a type, and the tokens built from others: List, Dict, Union,
// Optional, Enum.
import "./builtins.js";
import { DictType, ListType } from "./collections.js";
import { EnumType, type StringEnum } from "./enum.js";
import { resolveSpec } from "./registry.js";
import { None } from "./scalars.js";
import type { AnyFlyteType, FlyteType, InputOf, NativeOf, TypeSpec } from "./type.js";
import { UnionType } from "./union.js";

export { reflectedType } from "./registry.js";

/**
 * Resolves what stands for a type (a token, a record class, a builtin constructor, or an arrow
 * function returning one of those) to its token. `where` names the place for the error.
 */
export function typeOf<S extends TypeSpec>(spec: S, where = "type"): FlyteType<NativeOf<S>, InputOf<S>> {
  return resolveSpec(spec, where) as FlyteType<NativeOf<S>, InputOf<S>>;
}

/** `typeOf` without the native types, for code that handles any type. */
export function resolveType(spec: TypeSpec, where = "type"): AnyFlyteType {
  return resolveSpec(spec, where);
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
export function Union<const S extends readonly TypeSpec[]>(...variants: S): FlyteType<NativeOf<S[number]>, InputOf<S[number]>> {
  const flat: AnyFlyteType[] = [];
  for (const v of variants) {
    const t = resolveType(v, "Union()");
    for (const inner of t instanceof UnionType ? t.variants : [t]) if (!flat.includes(inner)) flat.push(inner);
  }
  return new UnionType(flat) as unknown as FlyteType<NativeOf<S[number]>, InputOf<S[number]>>;
}

/** A value or none: `Optional(Int)` is `Union(Int, None)`, written with flytekit's tags. */
export function Optional<S extends TypeSpec>(type: S): FlyteType<NativeOf<S> | null, InputOf<S> | null | undefined> {
  return Union(type, None) as unknown as FlyteType<NativeOf<S> | null, InputOf<S> | null | undefined>;
}

/** A TypeScript string enum as a Flyte EnumType: `Enum(Color)`, or `Enum(Color, "Color")` to name it in messages. */
export function Enum<E extends StringEnum>(enumObject: E, name?: string): EnumType<E> {
  return new EnumType(enumObject, name);
}
