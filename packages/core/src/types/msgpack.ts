// MessagePack as flytekit writes it (Python's msgpack via mashumaro): the smallest integer
// encoding, floats always as float64, str8..str32 headers, maps in field order.
//
// Writing is ours because the bytes depend on the declared type, which a generic encoder does not
// know: a Float field holding 2 must be written as float64 2.0 (`cb 40 00 ...`) as Python writes it,
// where an encoder that sees only the JS number writes the integer 2. Reading uses
// @msgpack/msgpack, with 64-bit integers as bigint so nothing past 2^53 is rounded.
import { Decoder } from "@msgpack/msgpack";
import { TypeTransformerError } from "./errors.js";

const utf8 = new TextEncoder();
const TWO_POW_32 = 0x1_0000_0000;

export class MsgpackWriter {
  private buf: Uint8Array;
  private view: DataView;
  private pos = 0;

  constructor(initialSize = 64) {
    this.buf = new Uint8Array(initialSize);
    this.view = new DataView(this.buf.buffer);
  }

  /** The bytes written so far, in a buffer of their own. */
  finish(): Uint8Array {
    return this.buf.slice(0, this.pos);
  }

  private ensure(n: number): void {
    const need = this.pos + n;
    if (need <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < need) size *= 2;
    const next = new Uint8Array(size);
    next.set(this.buf.subarray(0, this.pos));
    this.buf = next;
    this.view = new DataView(next.buffer);
  }

  private u8(b: number): void {
    this.ensure(1);
    this.buf[this.pos++] = b;
  }

  nil(): void {
    this.u8(0xc0);
  }

  bool(b: boolean): void {
    this.u8(b ? 0xc3 : 0xc2);
  }

  /** A safe integer (the caller checked), in its smallest encoding. */
  int(n: number): void {
    this.ensure(9);
    const v = this.view;
    const p = this.pos;
    if (n >= 0) {
      if (n < 0x80) {
        this.buf[p] = n;
        this.pos = p + 1;
      } else if (n < 0x100) {
        this.buf[p] = 0xcc;
        this.buf[p + 1] = n;
        this.pos = p + 2;
      } else if (n < 0x10000) {
        this.buf[p] = 0xcd;
        v.setUint16(p + 1, n);
        this.pos = p + 3;
      } else if (n < TWO_POW_32) {
        this.buf[p] = 0xce;
        v.setUint32(p + 1, n);
        this.pos = p + 5;
      } else {
        this.buf[p] = 0xcf;
        v.setUint32(p + 1, Math.floor(n / TWO_POW_32));
        v.setUint32(p + 5, n % TWO_POW_32);
        this.pos = p + 9;
      }
    } else if (n >= -0x20) {
      this.buf[p] = 0xe0 | (n + 0x20);
      this.pos = p + 1;
    } else if (n >= -0x80) {
      this.buf[p] = 0xd0;
      v.setInt8(p + 1, n);
      this.pos = p + 2;
    } else if (n >= -0x8000) {
      this.buf[p] = 0xd1;
      v.setInt16(p + 1, n);
      this.pos = p + 3;
    } else if (n >= -0x8000_0000) {
      this.buf[p] = 0xd2;
      v.setInt32(p + 1, n);
      this.pos = p + 5;
    } else {
      this.buf[p] = 0xd3;
      v.setBigInt64(p + 1, BigInt(n));
      this.pos = p + 9;
    }
  }

  /** An integer in int64 or uint64 range, in its smallest encoding. */
  bigint(b: bigint): void {
    if (b >= -9007199254740991n && b <= 9007199254740991n) {
      this.int(Number(b));
      return;
    }
    this.ensure(9);
    if (b > 0n) {
      this.buf[this.pos] = 0xcf;
      this.view.setBigUint64(this.pos + 1, b);
    } else {
      this.buf[this.pos] = 0xd3;
      this.view.setBigInt64(this.pos + 1, b);
    }
    this.pos += 9;
  }

  float64(x: number): void {
    this.ensure(9);
    this.buf[this.pos] = 0xcb;
    this.view.setFloat64(this.pos + 1, x);
    this.pos += 9;
  }

  str(s: string): void {
    // Short ASCII strings (most keys and values) are copied byte by byte; others go through
    // TextEncoder once their UTF-8 length is known, so the header is the smallest that fits.
    const n = s.length;
    if (n < 32) {
      let ascii = true;
      for (let i = 0; i < n; i++) {
        if (s.charCodeAt(i) > 0x7f) {
          ascii = false;
          break;
        }
      }
      if (ascii) {
        this.ensure(1 + n);
        const buf = this.buf;
        let p = this.pos;
        buf[p++] = 0xa0 | n;
        for (let i = 0; i < n; i++) buf[p++] = s.charCodeAt(i);
        this.pos = p;
        return;
      }
    }
    const bytes = utf8.encode(s);
    this.strHeader(bytes.length);
    this.raw(bytes);
  }

  private strHeader(len: number): void {
    this.ensure(5);
    const p = this.pos;
    if (len < 32) {
      this.buf[p] = 0xa0 | len;
      this.pos = p + 1;
    } else if (len < 0x100) {
      this.buf[p] = 0xd9;
      this.buf[p + 1] = len;
      this.pos = p + 2;
    } else if (len < 0x10000) {
      this.buf[p] = 0xda;
      this.view.setUint16(p + 1, len);
      this.pos = p + 3;
    } else {
      this.buf[p] = 0xdb;
      this.view.setUint32(p + 1, len);
      this.pos = p + 5;
    }
  }

  bin(bytes: Uint8Array): void {
    const len = bytes.length;
    this.ensure(5);
    const p = this.pos;
    if (len < 0x100) {
      this.buf[p] = 0xc4;
      this.buf[p + 1] = len;
      this.pos = p + 2;
    } else if (len < 0x10000) {
      this.buf[p] = 0xc5;
      this.view.setUint16(p + 1, len);
      this.pos = p + 3;
    } else {
      this.buf[p] = 0xc6;
      this.view.setUint32(p + 1, len);
      this.pos = p + 5;
    }
    this.raw(bytes);
  }

  /** Copies bytes that are already MessagePack. */
  raw(bytes: Uint8Array): void {
    this.ensure(bytes.length);
    this.buf.set(bytes, this.pos);
    this.pos += bytes.length;
  }

  arrayHeader(n: number): void {
    this.containerHeader(n, 0x90, 0xdc, 0xdd);
  }

  mapHeader(n: number): void {
    this.containerHeader(n, 0x80, 0xde, 0xdf);
  }

  private containerHeader(n: number, fix: number, c16: number, c32: number): void {
    this.ensure(5);
    const p = this.pos;
    if (n < 16) {
      this.buf[p] = fix | n;
      this.pos = p + 1;
    } else if (n < 0x10000) {
      this.buf[p] = c16;
      this.view.setUint16(p + 1, n);
      this.pos = p + 3;
    } else {
      this.buf[p] = c32;
      this.view.setUint32(p + 1, n);
      this.pos = p + 5;
    }
  }
}

const decoder = new Decoder({ useBigInt64: true });

/**
 * How deep values may nest (arrays and maps within one another, in a Json value or a record), on
 * the way in and on the way out. Readers of nested values recurse; past this depth a hostile value
 * would overflow the stack, so it is refused with an error that says so. flytekit's own limit is
 * Python's recursion limit (1,000 frames), a few hundred levels.
 */
export const MAX_NESTING = 256;

/** How deep a decoded value nests, measured without recursion; stops counting past `limit`. */
function nestingOver(value: unknown, limit: number): boolean {
  if (typeof value !== "object" || value === null || value instanceof Uint8Array) return false;
  const stack: [unknown, number][] = [[value, 1]];
  while (stack.length > 0) {
    const [v, depth] = stack.pop()!;
    if (depth > limit) return true;
    const children = Array.isArray(v) ? v : v instanceof Map ? [...v.values()] : Object.values(v as object);
    for (const child of children) {
      if (typeof child === "object" && child !== null && !(child instanceof Uint8Array)) stack.push([child, depth + 1]);
    }
  }
  return false;
}

/**
 * Decodes MessagePack bytes; a malformed document, or one nested deeper than MAX_NESTING, is a
 * TypeTransformerError naming what was read.
 */
export function decodeMsgpack(bytes: Uint8Array, expected: string): unknown {
  let value: unknown;
  try {
    value = decoder.decode(bytes);
  } catch (e) {
    throw new TypeTransformerError(
      expected,
      `${bytes.length} bytes that are not valid MessagePack`,
      e instanceof Error ? e.message : String(e),
      { cause: e },
    );
  }
  if (nestingOver(value, MAX_NESTING)) {
    throw new TypeTransformerError(expected, `${bytes.length} bytes of MessagePack`, `it nests deeper than ${MAX_NESTING} levels, the most flytekit-ts reads`);
  }
  return value;
}

/** The tag flytekit gives MessagePack binary scalars. */
export const MSGPACK_TAG = "msgpack";
