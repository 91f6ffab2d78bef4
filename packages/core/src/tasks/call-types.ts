// What a call of a task declared by its type tokens takes and gives, in TypeScript's types: the
// inputs by name (required and optional), what a body returns, what a call resolves to. The
// function form and a raw container task are typed by these.
import type { InputOf, NativeOf, TypeSpec } from "../types/type.js";
import type { InputSpec, InputsSpec } from "./infer.js";

type SpecOf<X> = X extends InputSpec<infer S> ? S : X;
type HasDefault<X> = X extends { default: unknown } ? true : false;

/** The values a function-form task's body receives, by name. */
export type TaskInputs<I extends InputsSpec> = { -readonly [K in keyof I]: NativeOf<SpecOf<I[K]>> };

type OptionalKeys<I extends InputsSpec> = {
  [K in keyof I]: HasDefault<I[K]> extends true ? K : undefined extends InputOf<SpecOf<I[K]>> ? K : never;
}[keyof I];
type RequiredKeys<I extends InputsSpec> = Exclude<keyof I, OptionalKeys<I>>;

type Simplify<T> = { [K in keyof T]: T[K] } & {};

/** What a call of a function-form task takes: required inputs, and optional ones (defaults, Optional types). */
export type CallInputs<I extends InputsSpec> = Simplify<
  { [K in RequiredKeys<I>]: InputOf<SpecOf<I[K]>> } & { [K in OptionalKeys<I>]?: InputOf<SpecOf<I[K]>> }
>;

type IsOnlyO0<O> = [keyof O] extends ["o0"] ? (["o0"] extends [keyof O] ? true : false) : false;

/** What the body may return for its outputs. */
export type OutputIn<O> = [O] extends [undefined]
  ? void
  : O extends TypeSpec
    ? InputOf<O>
    : [keyof O] extends [never]
      ? void
      : IsOnlyO0<O> extends true
        ? InputOf<O[keyof O]>
        : { -readonly [K in keyof O]: InputOf<O[K]> };

/** What a call returns for its outputs: nothing, the bare value (`o0`), or an object of outputs. */
export type OutputOut<O> = [O] extends [undefined]
  ? void
  : O extends TypeSpec
    ? NativeOf<O>
    : [keyof O] extends [never]
      ? void
      : IsOnlyO0<O> extends true
        ? NativeOf<O[keyof O]>
        : { -readonly [K in keyof O]: NativeOf<O[K]> };
