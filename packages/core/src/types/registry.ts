// The open half of the type engine (flytekit's TypeEngine registry). Each kind of type registers
// what the engine looks up *to* find it: the constructors it is inferred from (TypeScript's
// metadata, `typeOf(Number)`), and the LiteralTypes it is guessed from (the interface of a task
// known only by its template). What a type does with values (conversion, its JSON schema inside
// records, its command-line text) are methods of its token. A second registration for the same
// constructor, LiteralType or name is refused, naming both, as flytekit's TypeEngine.register does.
import { SimpleType, BlobType_BlobDimensionality, type LiteralType } from "../idl/gen/flyteidl/core/types_pb.js";
import { FlyteTypeError } from "./errors.js";
import { FlyteType, type AnyFlyteType } from "./type.js";

/** Guesses the token of a LiteralType nested in another (a list's element, a record's field). */
export type NestedGuess = (literalType: LiteralType, where: string) => AnyFlyteType;

/** What a kind of type registers with the engine. */
export interface TypeRegistration {
  /** Who registers, named when two registrations collide: `Int`, `record classes`, `Money (acme)`. */
  readonly name: string;
  /** The token its `natives` resolve to (a type of one token, such as Int; a family of tokens leaves it out). */
  readonly token?: AnyFlyteType;
  /** Constructors whose values `token` holds, so that it is inferred from them: `design:type` metadata, `typeOf(Cls)`. */
  readonly natives?: readonly Function[];
  /**
   * For a family of classes (records, say): the token for a constructor it claims, else undefined.
   * Families are asked after the exact `natives`, in registration order.
   */
  readonly forNative?: (constructor: Function) => AnyFlyteType | undefined;
  /** The LiteralTypes it is guessed from, as `literalTypeKeys` names them: `simple:INTEGER`, `blob:SINGLE:NumpyArray`. */
  readonly literalTypes?: readonly string[];
  /** The token for a LiteralType it claims; `nested` guesses the types inside it. */
  readonly guess?: (literalType: LiteralType, nested: NestedGuess, where: string) => AnyFlyteType;
  /**
   * What TypeScript may reflect for a value its token holds, besides `natives`: `Int` holds a
   * `number` (Number), `File` a path (String). A declared token over a parameter or return type
   * TypeScript reflects as a constructor the engine knows, which the token does not take, is a
   * contradiction, refused when the task is built. A list is for `token`; a family answers per
   * token (undefined for a token not its own), `takes` asking the same of a token inside it.
   */
  readonly takes?: readonly Function[] | TakesCheck;
}

/** Whether `token` holds a value TypeScript reflects as `constructor`: true, false, or undefined (unknown). */
export type TakesCheck = (token: AnyFlyteType, constructor: Function, takes: (token: AnyFlyteType, constructor: Function) => boolean | undefined) => boolean | undefined;

/**
 * The keys a LiteralType is looked up by, most specific first: a structure tag (`tag:money`), a
 * refinement (`simple:STRUCT:dataclass` for a STRUCT that lists its fields, `blob:SINGLE:<format>`),
 * then its kind (`simple:STRING`, `collectionType`, `blob:MULTIPART`, `enumType`, ...).
 */
export function literalTypeKeys(lt: LiteralType): string[] {
  const keys: string[] = [];
  const tag = lt.structure?.tag ?? "";
  if (tag !== "") keys.push(`tag:${tag}`);
  const t = lt.type;
  switch (t.case) {
    case "simple": {
      const name = SimpleType[t.value] ?? String(t.value);
      if (t.value === SimpleType.STRUCT && Object.keys(lt.structure?.dataclassType ?? {}).length > 0) keys.push("simple:STRUCT:dataclass");
      keys.push(`simple:${name}`);
      break;
    }
    case "blob": {
      const dim = BlobType_BlobDimensionality[t.value.dimensionality] ?? "SINGLE";
      if (t.value.format !== "") keys.push(`blob:${dim}:${t.value.format}`);
      keys.push(`blob:${dim}`);
      break;
    }
    case undefined:
      break;
    default:
      keys.push(t.case);
  }
  return keys;
}

/** Where registrations are kept: by constructor, by LiteralType key, by name. */
export class TypeRegistry {
  private readonly byNative = new Map<Function, { registration: TypeRegistration; token: AnyFlyteType | undefined }>();
  private readonly families: TypeRegistration[] = [];
  private readonly byLiteralType = new Map<string, TypeRegistration>();
  private readonly byName = new Map<string, TypeRegistration>();

  /** Registers a kind of type; nothing is registered when anything collides. */
  register(registration: TypeRegistration): void {
    const token = registration.token;
    const name = registration.name;
    if (typeof name !== "string" || name === "") throw new FlyteTypeError({ subject: "TypeEngine.register()", problem: "a registration needs a name" });
    const clash = (what: string, existing: TypeRegistration): never => {
      throw new FlyteTypeError({
        subject: what,
        problem: `the type ${existing.name} is already registered for it; cannot register ${name} for it too`,
        fix: "register each constructor, LiteralType and name once",
      });
    };
    const sameName = this.byName.get(name);
    if (sameName !== undefined) clash(`name ${JSON.stringify(name)}`, sameName);
    for (const native of registration.natives ?? []) {
      if (typeof native !== "function") throw new FlyteTypeError({ subject: `type ${name}`, problem: `natives lists ${String(native)}, which is not a constructor` });
      const found = this.byNative.get(native);
      if (found !== undefined) clash(`constructor ${native.name || "(anonymous)"}`, found.registration);
    }
    if ((registration.natives?.length ?? 0) > 0 && !(token instanceof FlyteType)) {
      throw new FlyteTypeError({ subject: `type ${name}`, problem: "it lists natives but gives no token for them", fix: "give its token: TypeEngine.register({ name, token, natives })" });
    }
    const takes = registration.takes;
    if (takes !== undefined && typeof takes !== "function") {
      if (!Array.isArray(takes) || takes.some((c) => typeof c !== "function")) throw new FlyteTypeError({ subject: `type ${name}`, problem: "takes lists what is not a constructor" });
      if (!(token instanceof FlyteType)) throw new FlyteTypeError({ subject: `type ${name}`, problem: "it lists what it takes but gives no token", fix: "give its token: TypeEngine.register({ name, token, takes })" });
    }
    for (const key of registration.literalTypes ?? []) {
      const found = this.byLiteralType.get(key);
      if (found !== undefined) clash(`LiteralType ${key}`, found);
    }
    if ((registration.literalTypes?.length ?? 0) > 0 && typeof registration.guess !== "function") {
      throw new FlyteTypeError({ subject: `type ${name}`, problem: "it lists literalTypes but has no guess()" });
    }
    this.byName.set(name, registration);
    for (const native of registration.natives ?? []) this.byNative.set(native, { registration, token });
    if (registration.forNative !== undefined) this.families.push(registration);
    for (const key of registration.literalTypes ?? []) this.byLiteralType.set(key, registration);
  }

  /** The token registered for a constructor, or undefined. */
  forNative(constructor: Function): AnyFlyteType | undefined {
    const exact = this.byNative.get(constructor);
    if (exact !== undefined) return exact.token;
    for (const family of this.families) {
      const token = family.forNative!(constructor);
      if (token !== undefined) return token;
    }
    return undefined;
  }

  /**
   * Whether `token` holds a value TypeScript reflects as `constructor`: true when it is the token
   * inferred from it or a registration says it takes it, false when the registration of the token
   * says it does not, undefined when no registration speaks for the token.
   */
  takes(token: AnyFlyteType, constructor: Function): boolean | undefined {
    if (this.forNative(constructor) === token) return true;
    const recurse = (t: AnyFlyteType, c: Function) => this.takes(t, c);
    for (const registration of this.byName.values()) {
      const takes = registration.takes;
      if (typeof takes === "function") {
        const answer = takes(token, constructor, recurse);
        if (answer !== undefined) return answer;
      } else if (registration.token === token) {
        return (registration.natives ?? []).includes(constructor) || (takes ?? []).includes(constructor);
      }
    }
    return undefined;
  }

  /** The tokens of one type that hold a value TypeScript reflects as `constructor`: `Float`, `Int` for Number. */
  tokensTaking(constructor: Function): AnyFlyteType[] {
    const found: AnyFlyteType[] = [];
    const inferred = this.forNative(constructor);
    if (inferred !== undefined) found.push(inferred);
    for (const registration of this.byName.values()) {
      const token = registration.token;
      if (token === undefined || found.includes(token) || typeof registration.takes === "function") continue;
      if ((registration.natives ?? []).includes(constructor) || (registration.takes ?? []).includes(constructor)) found.push(token);
    }
    return found;
  }

  /** The registration that guesses a LiteralType, or undefined. */
  forLiteralType(lt: LiteralType): TypeRegistration | undefined {
    for (const key of literalTypeKeys(lt)) {
      const found = this.byLiteralType.get(key);
      if (found !== undefined) return found;
    }
    return undefined;
  }

  /** Every registration, in the order they were made. */
  registrations(): TypeRegistration[] {
    return [...this.byName.values()];
  }
}

/** The engine's registry. One per copy of the package: each copy's types register with their own. */
export const typeRegistry: TypeRegistry = new TypeRegistry();

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
 * Resolves what stands for a type (a token, a registered constructor, a record class, or an arrow
 * function returning one of those) to its token. `where` names the place for the error.
 */
export function resolveSpec(spec: unknown, where: string, depth = 0): AnyFlyteType {
  if (spec instanceof FlyteType) return spec;
  if (typeof spec === "function") {
    const registered = typeRegistry.forNative(spec);
    if (registered !== undefined) return registered;
    if (!isConstructor(spec)) {
      if (depth > 8) throw new FlyteTypeError({ subject: where, problem: "a type thunk returned another thunk 8 times over" });
      return resolveSpec((spec as () => unknown)(), where, depth + 1);
    }
    const erased = ERASED.get(spec);
    if (erased !== undefined) {
      throw new FlyteTypeError({ subject: where, problem: `${spec.name} does not say which Flyte type it holds`, fix: `write ${erased}` });
    }
    throw new FlyteTypeError({
      subject: where,
      problem: `class ${spec.name || "(anonymous)"} is not a Flyte type`,
      fix:
        `declare its fields with @field() (from @flytekit-ts/decorators) or defineRecord(${spec.name || "Cls"}, { ... }) to use it as a record, ` +
        "or register a type for it with TypeEngine.register",
    });
  }
  throw new FlyteTypeError({ subject: where, problem: `${String(spec)} is not a Flyte type`, fix: "give a token such as Int, a record class, or () => Cls" });
}

/**
 * The Flyte type of a constructor read from reflect-metadata (`design:type`, `design:paramtypes`,
 * `design:returntype`). Constructors that erase their element type (Array, Object, Promise, Map,
 * and what unions, interfaces and type aliases reflect as) are refused with an error that names
 * the place and the fix; `undefined` means the metadata is missing.
 */
export function reflectedType(reflected: unknown, where: string, fix: string): AnyFlyteType {
  if (reflected === undefined) {
    throw new FlyteTypeError({
      subject: where,
      problem:
        "no type metadata (design:type is undefined). Either the compiler did not emit decorator metadata " +
        '(tsx, esbuild and Vite 7 drop it: compile with tsc, or Vite 8 / vitest 4, with "experimentalDecorators" and ' +
        '"emitDecoratorMetadata"), or the type is a class declared later in the file (use a thunk: () => Cls)',
      fix: `declare it explicitly: ${fix}`,
    });
  }
  if (typeof reflected === "function" && ERASED.has(reflected)) {
    const name = (reflected as Function).name;
    throw new FlyteTypeError({
      subject: where,
      problem: `TypeScript reflects this type as ${name}, ${WHY_ERASED.get(reflected) ?? "which does not say which Flyte type it holds"}`,
      fix: `declare it explicitly: ${fix}`,
    });
  }
  return resolveSpec(reflected, where);
}
