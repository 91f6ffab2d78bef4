// A command line's JSON (`--xs '[1, 9007199254740993]'`), read as Python's `json` reads it: an
// integer keeps every digit. `JSON.parse` turns 9007199254740993 into 9007199254740992, and Node 20
// gives a reviver no access to the literal's text, so flags are read here: an integer literal (no
// fraction, no exponent) past Number.MAX_SAFE_INTEGER becomes a bigint, every other number a
// number. Everything else is JSON.parse's: the same strings, `__proto__` an own key, the last of a
// repeated key kept.
import { MAX_NESTING } from "./msgpack.js";

/** Why a text is not JSON, with where: the caller words the error for its type. */
export class JsonSyntaxError extends Error {}

// Sticky patterns for the tokens JSON.parse would read: each is handed to JSON.parse (strings) or
// Number/BigInt (numbers) once it is known to be whole.
const STRING = /"(?:[^"\\\u0000-\u001f]|\\(?:["\\/bfnrt]|u[0-9a-fA-F]{4}))*"/y;
const ESCAPE = /["\\/bfnrt]|u[0-9a-fA-F]{4}/y;
const NUMBER = /-?(?:0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/y;
const WHITESPACE = /[ \t\n\r]*/y;

/** Parses JSON text as JSON.parse does, except that integers past 2^53 are bigints with every digit. */
export function parseJsonText(text: string): unknown {
  const reader = new Reader(text);
  const value = reader.value(0);
  reader.skipWhitespace();
  if (reader.pos < text.length) throw reader.unexpected();
  return value;
}

class Reader {
  pos = 0;

  constructor(private readonly text: string) {}

  skipWhitespace(): void {
    WHITESPACE.lastIndex = this.pos;
    WHITESPACE.exec(this.text);
    this.pos = WHITESPACE.lastIndex;
  }

  unexpected(): JsonSyntaxError {
    if (this.pos >= this.text.length) return new JsonSyntaxError("unexpected end of JSON input");
    return new JsonSyntaxError(`unexpected ${JSON.stringify(this.text[this.pos])} at position ${this.pos}`);
  }

  value(depth: number): unknown {
    this.skipWhitespace();
    const c = this.text[this.pos];
    switch (c) {
      case "{":
        return this.object(this.nest(depth));
      case "[":
        return this.array(this.nest(depth));
      case '"':
        return this.string();
      case "t":
        return this.word("true", true);
      case "f":
        return this.word("false", false);
      case "n":
        return this.word("null", null);
      default:
        if (c === "-" || (c !== undefined && c >= "0" && c <= "9")) return this.number();
        throw this.unexpected();
    }
  }

  private nest(depth: number): number {
    if (depth + 1 > MAX_NESTING) throw new JsonSyntaxError(`it nests deeper than ${MAX_NESTING} levels, the most flytekit-ts reads`);
    return depth + 1;
  }

  private word<T>(word: string, value: T): T {
    if (!this.text.startsWith(word, this.pos)) throw this.unexpected();
    this.pos += word.length;
    return value;
  }

  private number(): number | bigint {
    NUMBER.lastIndex = this.pos;
    const m = NUMBER.exec(this.text);
    if (m === null) throw this.unexpected();
    this.pos = NUMBER.lastIndex;
    const n = Number(m[0]);
    // An integer literal keeps every digit, as Python's json reads it.
    if (m[1] === undefined && m[2] === undefined && !Number.isSafeInteger(n)) return BigInt(m[0]);
    return n;
  }

  private string(): string {
    STRING.lastIndex = this.pos;
    const m = STRING.exec(this.text);
    if (m === null) {
      // Past the opening quote: point at what is wrong (a control character, a bad escape, the end).
      let at = this.pos + 1;
      while (at < this.text.length && this.text.charCodeAt(at) >= 0x20) {
        if (this.text[at] === "\\") {
          ESCAPE.lastIndex = at + 1;
          if (!ESCAPE.test(this.text)) {
            at++;
            break;
          }
          at = ESCAPE.lastIndex;
        } else if (this.text[at] === '"') break;
        else at++;
      }
      this.pos = Math.min(at, this.text.length);
      throw this.unexpected();
    }
    this.pos = STRING.lastIndex;
    return JSON.parse(m[0]) as string;
  }

  private expect(c: string): void {
    this.skipWhitespace();
    if (this.text[this.pos] !== c) throw this.unexpected();
    this.pos++;
  }

  /** True (and past it) when the next character is `c`. */
  private next(c: string): boolean {
    this.skipWhitespace();
    if (this.text[this.pos] !== c) return false;
    this.pos++;
    return true;
  }

  private array(depth: number): unknown[] {
    this.pos++;
    const out: unknown[] = [];
    if (this.next("]")) return out;
    do out.push(this.value(depth));
    while (this.next(","));
    this.expect("]");
    return out;
  }

  private object(depth: number): Record<string, unknown> {
    this.pos++;
    const out: Record<string, unknown> = {};
    if (this.next("}")) return out;
    do {
      this.skipWhitespace();
      if (this.text[this.pos] !== '"') throw this.unexpected();
      const key = this.string();
      this.expect(":");
      // As JSON.parse: `__proto__` is an own key, not the prototype.
      Object.defineProperty(out, key, { value: this.value(depth), enumerable: true, writable: true, configurable: true });
    } while (this.next(","));
    this.expect("}");
    return out;
  }
}
