import "reflect-metadata";
import { FlyteTypeError, type FieldOptions as RecordFieldOptions, type TypeSpec } from "@flytekit-ts/core";
import { BUILD_FIX, callerFile, defineRecordField, noteRecordModule, reflectedType, whenClassFound } from "@flytekit-ts/core/internal";
import { applicationOf, type Application } from "./application.js";

const FIXES = new Map<unknown, string>([
  [Array, "@field(List(Int)) (the token for what the array holds)"],
  [Map, "@field(Dict(Int)) (the token for what the map holds)"],
  [
    Object,
    "annotate the field (`flag: boolean = true`: an initialiser without a type annotation reflects as Object), " +
      "or name the type: @field(Json), @field(Dict(Str)), @field(Optional(Str)), @field(() => SomeRecord)",
  ],
]);

/** What `@field` takes besides a bare type: `@field({ type: Int, name: "by_key" })`. */
export interface FieldOptions extends RecordFieldOptions {
  /** The field's type; without one, TypeScript's metadata (legacy decorators). */
  type?: TypeSpec;
}

const FIELD_OPTION_NAMES: ReadonlySet<string> = new Set(["type", "name"]);

/** The options `@field(typeOrOptions)` was given: a type stands for `{ type }`. */
export function fieldOptionsOf(typeOrOptions: TypeSpec | FieldOptions | undefined): FieldOptions {
  // Tokens, record classes and thunks are not plain objects; options are.
  if (typeOrOptions === undefined || typeof typeOrOptions === "function") return { type: typeOrOptions as TypeSpec | undefined };
  if (typeof typeOrOptions !== "object" || typeOrOptions === null) {
    throw new FlyteTypeError({ subject: "@field()", expected: "a type token or options ({ type, name })", got: String(typeOrOptions) });
  }
  const proto: unknown = Object.getPrototypeOf(typeOrOptions);
  if (proto !== Object.prototype && proto !== null) return { type: typeOrOptions as TypeSpec };
  const unknown = Object.keys(typeOrOptions).filter((k) => !FIELD_OPTION_NAMES.has(k));
  if (unknown.length > 0) {
    throw new FlyteTypeError({ subject: "@field()", problem: `unknown option${unknown.length > 1 ? "s" : ""} ${unknown.map((k) => `'${k}'`).join(", ")}`, fix: "give a type token, or { type, name }" });
  }
  return typeOrOptions as FieldOptions;
}

/** A field decorator, in either of TypeScript's decorator modes (legacy or standard). */
export interface FieldDecorator {
  /** Legacy. */
  (target: object, key: string | symbol): void;
  /** Standard. */
  <This, Value>(value: undefined, context: ClassFieldDecoratorContext<This, Value>): void;
}

/**
 * Declares a field of a record class, which then converts to and from Flyte the way flytekit
 * converts a dataclass. With legacy decorators the type comes from TypeScript's metadata (`number`
 * is Float, `string` Str, `boolean` Bool, `Date` Datetime, a record class that record), or from the
 * argument where TypeScript erases it: `@field(List(Int)) xs: number[] = []`, `@field(Int) n = 0`,
 * `@field(() => Node) next?: Node` for a class declared further down. A module built with
 * `flytekit-ts build` has a manifest of TypeScript's own types, which types a field `@field()` left
 * to the metadata (`n: int` is an Int, `xs: number[]` a List(Float)); a field whose type the
 * metadata erased is refused where the class is first used, unless a manifest typed it. Standard
 * decorators carry no metadata: every field names its type, `@field(Float) x!: number`. `@field`
 * is `@field()`.
 *
 * A field named otherwise in Flyte (a Python dataclass's `by_key`) takes an options object:
 * `@field({ name: "by_key" }) byKey!: number`, with a token `@field({ name: "by_key", type: Int })`.
 *
 * A field with an initialiser has a default; the class needs a constructor without arguments.
 */
export function field(target: object, key: string | symbol): void;
export function field<This, Value>(value: undefined, context: ClassFieldDecoratorContext<This, Value>): void;
export function field(typeOrOptions?: TypeSpec | FieldOptions): FieldDecorator;
export function field(...args: unknown[]): unknown {
  const bare = applicationOf(args, false);
  if (bare !== undefined) return declareField({}, bare);
  const options = fieldOptionsOf(args[0] as TypeSpec | FieldOptions | undefined);
  return (...applied: unknown[]) => {
    const application = applicationOf(applied, false);
    if (application === undefined) throw new FlyteTypeError({ subject: "@field()", problem: "it was called as a function, not applied as a decorator", fix: "write @field() above a field of a record class" });
    declareField(options, application);
  };
}

function declareField(options: FieldOptions, application: Application): void {
  if (application.mode === "standard") return declareStandardField(options, application.context);
  const { target, key } = application;
  const cls = (target as { constructor: Function }).constructor;
  if (typeof key === "symbol" || key === undefined) {
    throw new FlyteTypeError({ subject: `@field() on ${cls.name}.${String(key)}`, problem: "record fields need string names" });
  }
  if (typeof target === "function") {
    throw new FlyteTypeError({ subject: `@field() on static ${target.name}.${key}`, problem: "record fields are instance fields" });
  }
  // The class's module, so that a manifest's record (named by module and name) finds the class.
  noteRecordModule(cls, callerFile);
  const { type, ...recordOptions } = options;
  if (type !== undefined) {
    defineRecordField(cls, key, type, recordOptions);
    return;
  }
  const reflected: unknown = Reflect.getMetadata("design:type", target, key);
  const fix = `${FIXES.get(reflected) ?? "@field(<a type token>)"}; ${BUILD_FIX}`;
  const where = `record class ${cls.name}, field '${key}'`;
  let spec: TypeSpec;
  try {
    spec = reflectedType(reflected, where, fix);
  } catch (e) {
    if (!(e instanceof FlyteTypeError)) throw e;
    // Erased (an array, a union, an interface): the class fails where it is used, unless a
    // manifest (TypeScript's own types, read by a build) types the field first.
    defineRecordField(cls, key, () => {
      throw e;
    }, recordOptions, { fromMetadata: true, unresolved: e });
    return;
  }
  defineRecordField(cls, key, spec, recordOptions, { fromMetadata: true });
}

/** A standard field decorator is not given its class: the field waits on the class's metadata until the class is used as a type. */
function declareStandardField(options: FieldOptions, context: DecoratorContext): void {
  const name = String(context.name);
  if (context.kind !== "field") throw new FlyteTypeError({ subject: `@field() on ${name}`, problem: `it decorates fields, not ${context.kind === "accessor" ? "accessors" : `${context.kind}s`}` });
  if (typeof context.name === "symbol" || context.private) throw new FlyteTypeError({ subject: `@field() on ${name}`, problem: "record fields need public string names" });
  if (context.static) throw new FlyteTypeError({ subject: `@field() on static ${name}`, problem: "record fields are instance fields" });
  const metadata = context.metadata as unknown;
  if (typeof metadata !== "object" || metadata === null) {
    throw new FlyteTypeError({
      subject: `@field() on ${name}`,
      problem: "the standard decorator got no metadata object (context.metadata), through which flytekit-ts finds the field's class",
      fix: "compile with TypeScript 5.2 or later, and import @flytekit-ts/decorators before the class is declared (it defines Symbol.metadata)",
    });
  }
  // The module that declares the class (one look at the stack per class), noted when the class is met.
  if (!moduleOfMetadata.has(metadata)) moduleOfMetadata.set(metadata, callerFile());
  const file = moduleOfMetadata.get(metadata);
  whenClassFound(metadata, (cls) => {
    // So that a manifest's record (named by module and name) finds the class, once it was met.
    if (file !== undefined) noteRecordModule(cls, () => file);
    const { type, ...recordOptions } = options;
    if (type === undefined) {
      // No type: the class fails where it is used, unless its module's manifest (TypeScript's own types) types the field first.
      const e = new FlyteTypeError({
        subject: `record class ${cls.name}, field '${name}'`,
        problem: "no type: standard decorators carry no type metadata",
        fix: `declare it: @field(<token>) with the token of its type (Int, Float, Str, List(Str), () => OtherRecord, ...); ${BUILD_FIX}`,
      });
      defineRecordField(cls, name, () => {
        throw e;
      }, recordOptions, { fromMetadata: true, unresolved: e });
      return;
    }
    defineRecordField(cls, name, type, recordOptions);
  });
}

/** The module file each standard-decorated class is declared in, by the metadata object its decorators share. */
const moduleOfMetadata = new WeakMap<object, string | undefined>();
