// What TypeScript's metadata says of a task's types, set against what the task declares: the fix
// for a type TypeScript erased (by what can be known of it), and the check that a declared token
// does not contradict the constructor TypeScript reflects (`outputs: Int` on a method typed
// `string`). What a token holds is the type registry's knowledge (`natives`, `takes`), so a
// plugin's type is checked as the built-in ones are. Without metadata (the function form, standard
// decorators) there is nothing to check.
import { typeRegistry } from "../types/registry.js";
import type { AnyFlyteType } from "../types/type.js";
import { TaskDefinitionError } from "./errors.js";
import { BUILD_FIX } from "../analysis/registry.js";

/** Constructors TypeScript reflects for what it erased: they say nothing against a declared token. */
const SAYS_NOTHING: ReadonlySet<unknown> = new Set([Object, Promise]);
/** Constructors that are not a type of the registry's but still say what a value is. */
const SHAPES: ReadonlySet<unknown> = new Set([Array, Map, Set, Function, Symbol]);

const WORDS = new Map<unknown, string>([
  [Number, "number"],
  [String, "string"],
  [Boolean, "boolean"],
  [BigInt, "bigint"],
  [Symbol, "symbol"],
  [Array, "an array"],
  [Map, "a Map"],
  [Set, "a Set"],
  [Function, "a function"],
]);

/** The TypeScript type a reflected constructor stands for, in words: `number`, `an array`, `Point`. */
function typeScriptTypeOf(reflected: Function): string {
  return WORDS.get(reflected) ?? (reflected.name || "(anonymous class)");
}

/** The tokens to declare for what TypeScript reflects, the first the one inferred from it: `Float`, then `Int` for Number. */
function tokensFor(reflected: Function): string[] {
  if (reflected === Array || reflected === Set) return ["List(...)"];
  if (reflected === Map) return ["Dict(...)"];
  return typeRegistry.tokensTaking(reflected).map((t) => t.name);
}

/** Where a declared type stands: an input (a parameter) or the output of a single-output method. */
export interface DeclaredPlace {
  task: string;
  /** `parameter 0 'n'`, `return type`, with the member before it when the task's name does not say it. */
  subject: string;
  /** What TypeScript typed: a parameter, or the method's return. */
  what: "the parameter" | "the return type";
  /** How the declaration is written: `inputs: { n: ... }`, `outputs: ...`. */
  declare: (token: string) => string;
}

/**
 * Refuses a declared token that contradicts the constructor TypeScript reflects: one the engine
 * knows (a registered type, an array, a Map, ...) whose values the token does not hold. A reflected
 * Object or Promise (an interface, a union, an async method), an unknown class, a token no registered
 * type speaks for, or no metadata at all are never refused.
 */
export function checkDeclaredType(place: DeclaredPlace, token: AnyFlyteType, reflected: unknown): void {
  if (typeof reflected !== "function" || SAYS_NOTHING.has(reflected)) return;
  if (typeRegistry.forNative(reflected) === undefined && !SHAPES.has(reflected)) return;
  if (typeRegistry.takes(token, reflected) !== false) return;
  const ts = typeScriptTypeOf(reflected);
  const tokens = tokensFor(reflected);
  const enumHint = reflected === String ? ", or Enum(E) for a string enum E" : "";
  const what = place.what;
  throw new TaskDefinitionError({
    task: place.task,
    subject: place.subject,
    problem: `it is declared ${token.name}, but TypeScript reflects ${what} as ${reflected.name} (${ts}), which ${token.name} does not hold`,
    fix:
      tokens.length === 0
        ? `declare the Flyte type of ${ts}, or change ${what} to a type ${token.name} holds`
        : `declare ${place.declare(tokens[0]!)}${tokens.length > 1 ? ` (or ${tokens.slice(1).join(", ")})` : ""}${enumHint}; or change ${what} to a type ${token.name} holds`,
  });
}

/** What a parameter's default (its source text) says its type is, when it says: the token and the TypeScript type. */
function typeOfDefault(text: string | undefined): { token: string; or?: string; ts: string } | undefined {
  if (text === undefined) return undefined;
  const t = text.trim();
  if (/^[-+]?(\d[\d_]*\.?\d*|\.\d+)(e[-+]?\d+)?$/i.test(t)) return /[.e]/i.test(t) ? { token: "Float", ts: "number" } : { token: "Float", or: "Int", ts: "number" };
  if (/^(["'`]).*\1$/s.test(t)) return { token: "Str", ts: "string" };
  if (t === "true" || t === "false") return { token: "Bool", ts: "boolean" };
  if (/^new Date\b/.test(t)) return { token: "Datetime", ts: "Date" };
  return undefined;
}

/** The token a parameter's default (its source text) calls for, when it says: `Float` for `1.5`, `Str` for `"x"`. */
export function tokenOfDefault(text: string | undefined): string | undefined {
  return typeOfDefault(text)?.token;
}

/** The choices for a type TypeScript reflects as Object, none of them guessed. */
const OBJECT_CHOICES =
  "a record class (for an interface or an object type: declare its fields with @field()), Json (a free-form object), Dict(Str), " +
  "Optional(Str) (for string | null), Union(Int, Str) (for a union), Enum(E) (for a string enum E)";

/**
 * The fix for a parameter or return type TypeScript erased, from what is knowable: the element type
 * of an array or map is not; the type of a parameter typed only by its default is what the default
 * is; an Object is any of several things, listed rather than guessed.
 */
export function erasedFix(reflected: unknown, option: "inputs" | "outputs", name: string, defaultText?: string): string {
  return `${tokenFix(reflected, option, name, defaultText)}; ${BUILD_FIX}`;
}

function tokenFix(reflected: unknown, option: "inputs" | "outputs", name: string, defaultText?: string): string {
  const declare = (token: string) => `${option}: { ${name}: ${token} }`;
  if (reflected === Array) return `${declare("List(Int)")} (the token for what the array holds)`;
  if (reflected === Map) return `${declare("Dict(Int)")} (the token for what the map holds)`;
  if (reflected === Object) {
    const byDefault = option === "inputs" ? typeOfDefault(defaultText) : undefined;
    if (byDefault !== undefined) {
      const value = defaultText!.trim();
      return `${declare(byDefault.token)}${byDefault.or === undefined ? "" : ` (or ${byDefault.or})`}, the type of its default ${value} (a parameter typed only by its default reflects as Object); or annotate it: ${name}: ${byDefault.ts} = ${value}`;
    }
    return `${declare("<token>")}, the token for its TypeScript type: ${OBJECT_CHOICES}`;
  }
  return declare("<a type token>");
}

/** The fix for an async method's outputs: what the promise resolves to is erased. */
export const ASYNC_OUTPUTS_FIX =
  "declare what it resolves to: outputs: <token> (Float or Int for Promise<number>, Str for Promise<string>, the record class for Promise<Point>), " +
  `named outputs: { a: Int, b: Str }, or outputs: {} for Promise<void>; ${BUILD_FIX}`;
