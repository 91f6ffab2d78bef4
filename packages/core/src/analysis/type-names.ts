// Type-level names for what TypeScript cannot say, read by the analysis (`analyse.ts`) from a
// task's own types. They exist only at compile time: nothing here is a value.

declare const intBrand: unique symbol;

/**
 * A whole number: Flyte's Int. TypeScript has one number type, which a task's interface reads as
 * Float, and drops an alias of it (`type int = number` would be invisible), so `int` is `number`
 * with a brand the analysis recognises. A `number` is assignable to it and it to `number`:
 * `add(x: int, y: int): int { return x + y; }` needs no casts.
 */
export type int = number & { readonly [intBrand]?: "Int" };

/** A floating-point number: Flyte's Float. The same as `number`, named for symmetry with `int`. */
export type float = number;
