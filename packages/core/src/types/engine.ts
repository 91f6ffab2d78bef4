// The type engine as a user sees it (flytekit's TypeEngine): types by what stands for them,
// values to literals and back, and the registry a new kind of type joins.
import "./builtins.js";
import type { Literal, LiteralMap } from "../idl/gen/flyteidl/core/literals_pb.js";
import type { LiteralType } from "../idl/gen/flyteidl/core/types_pb.js";
import { setOwn } from "./collections.js";
import { TypeTransformerError } from "./errors.js";
import { guessType } from "./guess.js";
import { literalMapOf } from "./literals.js";
import { typeRegistry, type TypeRegistration } from "./registry.js";
import { resolveType, typeOf } from "./spec.js";
import { conversionNow, type AnyFlyteType, type ConversionContext, type InputOf, type NativeOf, type TypeSpec } from "./type.js";

/** Named types, in order: an interface's inputs or outputs. */
export type TypeMap = { readonly [name: string]: TypeSpec };

/** The values a TypeMap describes, as a task receives them. */
export type NativesOf<M extends TypeMap> = { [K in keyof M]: NativeOf<M[K]> };
/** The values a TypeMap may be given. */
export type InputsOf<M extends TypeMap> = { [K in keyof M]: InputOf<M[K]> };

/** The Flyte LiteralType of a type. */
export function literalTypeOf(spec: TypeSpec): LiteralType {
  return resolveType(spec).literalType;
}

/** Converts one value; errors name `where` (`input 'x'`) and the path inside the value. */
export function toLiteral<S extends TypeSpec>(spec: S, value: InputOf<S>, where = "", context: ConversionContext = conversionNow()): Literal {
  try {
    return resolveType(spec).toLiteral(value as unknown, context);
  } catch (e) {
    if (e instanceof TypeTransformerError && where !== "") throw e.at(where);
    throw e;
  }
}

/** Converts one literal to its native value. */
export function fromLiteral<S extends TypeSpec>(spec: S, literal: Literal, where = "", context: ConversionContext = conversionNow()): NativeOf<S> {
  try {
    return resolveType(spec).fromLiteral(literal, context) as NativeOf<S>;
  } catch (e) {
    if (e instanceof TypeTransformerError && where !== "") throw e.at(where);
    throw e;
  }
}

function resolved(types: TypeMap): [string, AnyFlyteType][] {
  return Object.entries(types).map(([name, spec]) => [name, resolveType(spec, `'${name}'`)]);
}

/**
 * Converts named values to a LiteralMap. A name missing from `values` is converted as `undefined`
 * (so an Optional becomes none and anything else is an error); errors say `input 'x': ...`.
 */
export function toLiteralMap<M extends TypeMap>(types: M, values: Partial<InputsOf<M>>, side = "input", context: ConversionContext = conversionNow()): LiteralMap {
  const literals: { [key: string]: Literal } = {};
  const given = values as Record<string, unknown>;
  for (const [name, type] of resolved(types)) {
    try {
      setOwn(literals, name, type.toLiteral(given[name], context));
    } catch (e) {
      if (e instanceof TypeTransformerError) throw e.at(`${side} '${name}'`);
      throw e;
    }
  }
  return literalMapOf(literals);
}

/** Converts a LiteralMap to named native values; a missing literal is an error naming it. */
export function fromLiteralMap<M extends TypeMap>(types: M, map: LiteralMap, side = "input", context: ConversionContext = conversionNow()): NativesOf<M> {
  const out: Record<string, unknown> = {};
  for (const [name, type] of resolved(types)) {
    const literal = map.literals[name];
    try {
      if (literal === undefined) throw new TypeTransformerError(type.name, "no literal", `the map has no '${name}'`);
      setOwn(out, name, type.fromLiteral(literal, context));
    } catch (e) {
      if (e instanceof TypeTransformerError) throw e.at(`${side} '${name}'`);
      throw e;
    }
  }
  return out as NativesOf<M>;
}

/**
 * The type engine (flytekit's TypeEngine): the token for what stands for a type, values to Flyte
 * literals and back, and `register` for a new kind of type.
 */
export const TypeEngine = {
  /**
   * Registers a kind of type: the constructors it is inferred from and the LiteralTypes it is
   * guessed from (its token's class does the rest). A second registration for the same
   * constructor, LiteralType or name is refused, naming both.
   */
  register(registration: TypeRegistration): void {
    typeRegistry.register(registration);
  },
  /** The token of what stands for a type: `TypeEngine.typeOf(Number)` is Float. */
  typeOf,
  /** The token for a LiteralType (a template's interface); lossy, as flytekit's guess_python_type. */
  guess(literalType: LiteralType, where = "type"): AnyFlyteType {
    return guessType(literalType, where);
  },
  literalTypeOf,
  toLiteral,
  fromLiteral,
  toLiteralMap,
  fromLiteralMap,
} as const;
