// The one shape of flytekit-ts's errors. An error is a class whose message is built from fields,
// always in the same order:
//
//   <where>: <what>[; <fix>]
//
//   where  task '<name>', then the part concerned (input 'x', output 'o0', option 'retries', a uri,
//          a flag), then a path inside a value ([3].name)
//   what   "expected <T>, got <value> (<kind>)", with ": <why>" when more needs saying; or the
//          problem in words
//   fix    what to write instead
//
//   task 'math.add', input 'x': expected Int, got "abc" (string)
//   task 'math.add', option 'retries': expected a whole number of at least 0, got -1
//   record Point, field 'next': no type metadata; declare it: @field(() => Point)
//
// `instanceof` works across two copies of the package (a bundling accident, or two versions side
// by side): each class carries a brand under a `Symbol.for` key, and `instanceof` checks it. Task,
// FlyteType and the option values (Cache, Resources, ...) are branded the same way, so that what
// another copy made is taken here too.

/** What an error says, part by part; the message is made of these and nothing else. */
export interface ErrorFields {
  /** The task concerned, by name. */
  task?: string;
  /** The part concerned: `input 'x'`, `output 'o0'`, `option 'retries'`, `record Point, field 'x'`, a uri. */
  subject?: string;
  /** Where inside a value: `[3].name`, `["key"]`. */
  path?: string;
  /** What was expected. With `got`, the problem reads "expected X, got Y". */
  expected?: string;
  /** What came instead, described: `1.5 (number)`. */
  got?: string;
  /** The problem in words; after expected/got, why the value was refused. */
  problem?: string;
  /** What to do about it. */
  fix?: string;
}

/** The message of an error's fields, in the one format. */
export function formatError(fields: ErrorFields): string {
  const where = [fields.task === undefined ? "" : `task '${fields.task}'`, `${fields.subject ?? ""}${fields.path ?? ""}`]
    .filter((part) => part !== "")
    .join(", ");
  let what = fields.problem ?? "";
  if (fields.expected !== undefined) {
    what = `expected ${fields.expected}, got ${fields.got ?? "nothing"}${what === "" ? "" : `: ${what}`}`;
  }
  const fix = fields.fix === undefined || fields.fix === "" ? "" : `; ${fields.fix}`;
  return `${where === "" ? "" : `${where}: `}${what}${fix}`;
}

/**
 * Gives a class an `instanceof` that holds across copies of the package: instances carry a brand
 * named after the class (its prototype does), and `x instanceof Cls` checks for that brand. A
 * subclass that is not branded itself (a user's `class Flaky extends RecoverableError`) is tested
 * by its prototype chain, as usual; it is still an instance of every branded class above it.
 */
export function brand(cls: abstract new (...args: never[]) => object, name: string, options: { setName?: boolean } = {}): void {
  const key = Symbol.for(`flytekit-ts.error.${name}`);
  Object.defineProperty(cls.prototype, key, { value: true, enumerable: false });
  if (options.setName !== false) Object.defineProperty(cls.prototype, "name", { value: name, enumerable: false, writable: true, configurable: true });
  Object.defineProperty(cls, Symbol.hasInstance, {
    value(this: Function, value: unknown): boolean {
      if (this !== cls) return Function.prototype[Symbol.hasInstance].call(this, value);
      return (typeof value === "object" || typeof value === "function") && value !== null && (value as Record<symbol, unknown>)[key] === true;
    },
  });
}

/**
 * The base of flytekit-ts's errors. Give it fields (the message is built from them) or, for an
 * error that is nothing but its problem, a string.
 */
export class FlyteError extends Error {
  /** The task concerned, when there is one. */
  readonly task?: string;
  /** The part concerned: an input, an output, an option, a field, a uri. */
  readonly subject?: string;
  /** Where inside a value. */
  readonly path?: string;
  readonly expected?: string;
  readonly got?: string;
  readonly problem?: string;
  readonly fix?: string;

  constructor(fields: ErrorFields | string, options?: { cause?: unknown }) {
    // A subclass of the user's (`class QuotaExceeded extends RecoverableError {}`) is named as it is.
    if (!Object.hasOwn(new.target.prototype, "name")) {
      Object.defineProperty(new.target.prototype, "name", { value: new.target.name, enumerable: false, writable: true, configurable: true });
    }
    const f: ErrorFields = typeof fields === "string" ? { problem: fields } : fields;
    super(formatError(f), options);
    for (const key of FIELD_KEYS) {
      const value = f[key];
      if (value !== undefined) Object.defineProperty(this, key, { value, enumerable: false, writable: true, configurable: true });
    }
  }

  /** The error's fields. */
  get fields(): ErrorFields {
    const out: ErrorFields = {};
    for (const key of FIELD_KEYS) if (this[key] !== undefined) out[key] = this[key];
    return out;
  }
}
brand(FlyteError, "FlyteError");

const FIELD_KEYS = ["task", "subject", "path", "expected", "got", "problem", "fix"] as const;

/** A value's text for messages, shortened: `"hello"`, `[1,2]`. */
export function quote(value: unknown): string {
  try {
    return JSON.stringify(value, (_k, v: unknown) => (typeof v === "bigint" ? `${v}n` : v)) ?? String(value);
  } catch {
    return String(value);
  }
}

/**
 * A document that was handed over cannot be read: bytes that do not decode as the message they
 * should be (an inputs file, a task template), a field a reader needs missing from it, a value
 * nested too deeply. Reading it again reads the same bytes, so the container reports it SYSTEM and
 * NON_RECOVERABLE: Flyte does not retry it.
 */
export class DocumentError extends FlyteError {}
brand(DocumentError, "DocumentError");
