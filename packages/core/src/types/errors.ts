import { describeValue } from "./describe.js";

/**
 * A value that does not fit its Flyte type, or a literal that cannot become the expected value.
 *
 * The message says where (`input "xs"[3]`), what was expected and what came:
 * `input "xs"[3]: expected Int, got 1.5 (number)`. `path` is built as the error travels up
 * through containers, so converting a valid value never pays for it.
 */
export class TypeTransformerError extends TypeError {
  override name = "TypeTransformerError";
  /** Where in the value the problem is, outermost first: `["[3]", ".x"]`. */
  readonly path: string[];
  /** The root the path hangs from, such as `input "xs"`; empty until a caller names it. */
  root: string;
  /** What the type wanted, in our notation: `Int`, `List(Str)`, `Point`. */
  readonly expected: string;
  /** What came, described: `1.5 (number)`. */
  readonly got: string;
  /** Extra words after `expected X, got Y`, such as why a value is rejected. */
  readonly detail: string;

  constructor(expected: string, got: string, detail = "", options?: { cause?: unknown }) {
    super("", options);
    this.path = [];
    this.root = "";
    this.expected = expected;
    this.got = got;
    this.detail = detail;
    this.message = this.render();
  }

  /** A value was given where `expected` was wanted. */
  static forValue(expected: string, value: unknown, detail = ""): TypeTransformerError {
    return new TypeTransformerError(expected, describeValue(value), detail);
  }

  /** Puts a segment (`[3]`, `["key"]`, `.field`) in front of the path, as the error leaves a container. */
  within(segment: string): this {
    this.path.unshift(segment);
    this.message = this.render();
    return this;
  }

  /** Names the root of the path (`input "xs"`, `output "o0"`). */
  at(root: string): this {
    this.root = root;
    this.message = this.render();
    return this;
  }

  /** `input "xs"[3]`, or `[3]` without a root, or `value` when there is neither. */
  get location(): string {
    const where = this.root + this.path.join("");
    return where === "" ? "value" : where;
  }

  private render(): string {
    const tail = this.detail === "" ? "" : `: ${this.detail}`;
    return `${this.location}: expected ${this.expected}, got ${this.got}${tail}`;
  }
}

/** A type that cannot be used as declared: an erased reflected type, a bad record, an empty Union. */
export class FlyteTypeError extends TypeError {
  override name = "FlyteTypeError";
}

/** Runs `fn` and, if it throws a TypeTransformerError, puts `segment` in front of its path. */
export function withinPath<T>(segment: string, fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    if (e instanceof TypeTransformerError) throw e.within(segment);
    throw e;
  }
}
