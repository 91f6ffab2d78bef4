import { brand, FlyteError, formatError, type ErrorFields } from "../errors/flyte-error.js";
import { describeValue } from "./describe.js";

/**
 * A value that does not fit its Flyte type, or a literal that cannot become the expected value.
 *
 * The message says where (`input 'xs'[3]`), what was expected and what came:
 * `input 'xs'[3]: expected Int, got 1.5 (number)`. The path is built as the error travels up
 * through containers, so converting a valid value never pays for it.
 */
export class TypeTransformerError extends FlyteError {
  /** Where in the value the problem is, outermost first: `["[3]", ".x"]`. */
  declare readonly segments: string[];
  /** What the type wanted, in our notation: `Int`, `List(Str)`, `Point`. */
  declare readonly expected: string;
  /** What came, described: `1.5 (number)`. */
  declare readonly got: string;

  constructor(expected: string, got: string, detail = "", options?: { cause?: unknown }) {
    super({ subject: "value", expected, got, problem: detail === "" ? undefined : detail }, options);
    Object.defineProperty(this, "subject", { value: undefined, enumerable: false, writable: true, configurable: true });
    Object.defineProperty(this, "segments", { value: [], enumerable: false });
  }

  /** A value was given where `expected` was wanted. */
  static forValue(expected: string, value: unknown, detail = ""): TypeTransformerError {
    return new TypeTransformerError(expected, describeValue(value), detail);
  }

  /** Extra words after `expected X, got Y`, such as why a value is rejected; "" when none. */
  get detail(): string {
    return this.problem ?? "";
  }

  /** Puts a segment (`[3]`, `["key"]`, `.field`) in front of the path, as the error leaves a container. */
  within(segment: string): this {
    this.segments.unshift(segment);
    return this.update({ path: this.segments.join("") });
  }

  /** Names what holds the value (`input 'xs'`, `output 'o0'`). */
  at(subject: string): this {
    return this.update({ subject });
  }

  /** What went wrong without saying where it sits (for an error that holds others: a union's variants). */
  get inner(): string {
    return formatError({ path: this.path, expected: this.expected, got: this.got, problem: this.problem });
  }

  /** `input 'xs'[3]`, or `[3]` without a subject, or `value` when there is neither. */
  get location(): string {
    const where = (this.subject ?? "") + (this.path ?? "");
    return where === "" ? "value" : where;
  }

  private update(fields: ErrorFields): this {
    for (const [key, value] of Object.entries(fields)) Object.defineProperty(this, key, { value, enumerable: false, writable: true, configurable: true });
    this.message = formatError({ ...this.fields, subject: this.location, path: undefined });
    return this;
  }
}
brand(TypeTransformerError, "TypeTransformerError");

/** A type that cannot be used as declared: an erased reflected type, a bad record, an empty Union. */
export class FlyteTypeError extends FlyteError {}
brand(FlyteTypeError, "FlyteTypeError");

/** Runs `fn` and, if it throws a TypeTransformerError, puts `segment` in front of its path. */
export function withinPath<T>(segment: string, fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    if (e instanceof TypeTransformerError) throw e.within(segment);
    throw e;
  }
}

/** Adds a path segment to a TypeTransformerError passing through a container, and rethrows it. */
export function rethrowWithin(e: unknown, segment: string): never {
  if (e instanceof TypeTransformerError) throw e.within(segment);
  throw e;
}
