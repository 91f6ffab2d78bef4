import "reflect-metadata";
import { FlyteTypeError, type FieldOptions, type TypeSpec } from "@flytekit-ts/core";
import { defineRecordField, reflectedType } from "@flytekit-ts/core/internal";

const FIXES = new Map<unknown, string>([
  [Array, "@field(List(Int)) (the token for what the array holds)"],
  [Map, "@field(Dict(Int)) (the token for what the map holds)"],
  [
    Object,
    "annotate the field (`flag: boolean = true`: an initialiser without a type annotation reflects as Object), " +
      "or name the type: @field(Json), @field(Dict(Str)), @field(Optional(Str)), @field(() => SomeRecord)",
  ],
]);

/**
 * Declares a field of a record class, which then converts to and from Flyte the way flytekit
 * converts a dataclass. The type comes from TypeScript's metadata (`number` is Float, `string`
 * Str, `boolean` Bool, `Date` Datetime, a record class that record), or from the argument where
 * TypeScript erases it: `@field(List(Int)) xs: number[] = []`, `@field(Int) n = 0`,
 * `@field(() => Node) next?: Node` for a class declared further down.
 *
 * A field named otherwise in Flyte (a Python dataclass's `by_key`) takes an options object:
 * `@field({ name: "by_key" }) byKey!: number`, with a token `@field({ name: "by_key", type: Int })`.
 *
 * A field with an initialiser has a default; the class needs a constructor without arguments.
 */
export function field(typeOrOptions?: TypeSpec | (FieldOptions & { type?: TypeSpec })): PropertyDecorator {
  const options = isOptions(typeOrOptions) ? typeOrOptions : {};
  const type = isOptions(typeOrOptions) ? typeOrOptions.type : typeOrOptions;
  return (target, key) => {
    const cls = (target as { constructor: Function }).constructor;
    if (typeof key === "symbol") {
      throw new FlyteTypeError({ subject: `@field() on ${cls.name}.${key.toString()}`, problem: "record fields need string names" });
    }
    if (typeof target === "function") {
      throw new FlyteTypeError({ subject: `@field() on static ${target.name}.${key}`, problem: "record fields are instance fields" });
    }
    if (type !== undefined) {
      defineRecordField(cls, key, type, options);
      return;
    }
    const reflected: unknown = Reflect.getMetadata("design:type", target, key);
    const fix = FIXES.get(reflected) ?? "@field(<a type token>)";
    defineRecordField(cls, key, reflectedType(reflected, `record class ${cls.name}, field '${key}'`, fix), options);
  };
}

/** An options object, not a type: tokens and classes are not plain objects. */
function isOptions(arg: unknown): arg is FieldOptions & { type?: TypeSpec } {
  if (typeof arg !== "object" || arg === null) return false;
  const proto = Object.getPrototypeOf(arg);
  return proto === Object.prototype || proto === null;
}
