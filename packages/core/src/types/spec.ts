// Type tokens from what stands for a type: a token, a registered constructor (Number, Date, a
// record class), or an arrow function returning one (for a class declared further down).
import "./builtins.js";
import { resolveSpec } from "./registry.js";
import type { AnyFlyteType, FlyteType, InputOf, NativeOf, TypeSpec } from "./type.js";

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
