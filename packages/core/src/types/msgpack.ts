// MessagePack as flytekit writes it (Python's msgpack via mashumaro): the smallest integer
// encoding, floats always as float64, str8..str32 headers, maps in field order.
//
// Writing is ours because the bytes depend on the declared type, which a generic encoder does not
// know: a Float field holding 2 must be written as float64 2.0 (`cb 40 00 ...`) as Python writes it,
// where an encoder that sees only the JS number writes the integer 2. Reading is ours too, because a
// Python dict's keys need not be strings (`{1: "a"}`, `{None: 0}`) and may be `__proto__`: a map
// whose keys are all strings is a plain object (`__proto__` an own property), any other a `Map`
// with its keys as they were written. 64-bit integers are read as bigint, so nothing past 2^53 is
// rounded.
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

/**
 * How deep values may nest (arrays and maps within one another, in a Json value or a record), on
 * the way in and on the way out. Readers of nested values recurse; past this depth a hostile value
 * would overflow the stack, so it is refused with an error that says so. flytekit's own limit is
 * Python's recursion limit (1,000 frames), a few hundred levels.
 */
export const MAX_NESTING = 256;

/** A key of a MessagePack map that is not a string (Python's int, float, bool, None and bytes keys). */
export type MsgpackKey = string | number | bigint | boolean | null | Uint8Array;

/** Why bytes could not be read: the reader turns it into a TypeTransformerError naming the type. */
class Malformed extends Error {}

const utf8Decoder = new TextDecoder("utf-8", { fatal: true });

/** Reads one MessagePack document: the forms Python's msgpack writes (no extension types). */
class MsgpackReader {
  private pos = 0;
  private readonly view: DataView;

  constructor(private readonly bytes: Uint8Array) {
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  document(): unknown {
    const value = this.value(0);
    if (this.pos !== this.bytes.length) throw new Malformed(`${this.bytes.length - this.pos} bytes follow the value`);
    return value;
  }

  private take(n: number): number {
    const at = this.pos;
    if (at + n > this.bytes.length) throw new Malformed(`the data ends inside a value (at byte ${at})`);
    this.pos = at + n;
    return at;
  }

  private value(depth: number): unknown {
    const v = this.view;
    const b = this.bytes[this.take(1)]!;
    if (b <= 0x7f) return b;
    if (b >= 0xe0) return b - 0x100;
    if ((b & 0xe0) === 0xa0) return this.str(b & 0x1f);
    if ((b & 0xf0) === 0x90) return this.array(b & 0x0f, depth);
    if ((b & 0xf0) === 0x80) return this.map(b & 0x0f, depth);
    switch (b) {
      case 0xc0:
        return null;
      case 0xc2:
        return false;
      case 0xc3:
        return true;
      case 0xc4:
        return this.bin(v.getUint8(this.take(1)));
      case 0xc5:
        return this.bin(v.getUint16(this.take(2)));
      case 0xc6:
        return this.bin(v.getUint32(this.take(4)));
      case 0xca:
        return v.getFloat32(this.take(4));
      case 0xcb:
        return v.getFloat64(this.take(8));
      case 0xcc:
        return v.getUint8(this.take(1));
      case 0xcd:
        return v.getUint16(this.take(2));
      case 0xce:
        return v.getUint32(this.take(4));
      case 0xcf:
        return v.getBigUint64(this.take(8));
      case 0xd0:
        return v.getInt8(this.take(1));
      case 0xd1:
        return v.getInt16(this.take(2));
      case 0xd2:
        return v.getInt32(this.take(4));
      case 0xd3:
        return v.getBigInt64(this.take(8));
      case 0xd9:
        return this.str(v.getUint8(this.take(1)));
      case 0xda:
        return this.str(v.getUint16(this.take(2)));
      case 0xdb:
        return this.str(v.getUint32(this.take(4)));
      case 0xdc:
        return this.array(v.getUint16(this.take(2)), depth);
      case 0xdd:
        return this.array(v.getUint32(this.take(4)), depth);
      case 0xde:
        return this.map(v.getUint16(this.take(2)), depth);
      case 0xdf:
        return this.map(v.getUint32(this.take(4)), depth);
      default:
        // 0xc1 is never used; 0xc7-0xc9 and 0xd4-0xd8 are extension types, which flytekit does not write.
        throw new Malformed(b === 0xc1 ? "byte 0xc1 is not MessagePack" : `an extension type (0x${b.toString(16)}), which flytekit does not write`);
    }
  }

  private str(n: number): string {
    const at = this.take(n);
    const bytes = this.bytes;
    if (n < 32) {
      // Short ASCII strings (most keys) without the decoder.
      let s = "";
      for (let i = at; i < at + n; i++) {
        const c = bytes[i]!;
        if (c > 0x7f) return this.utf8(at, n);
        s += String.fromCharCode(c);
      }
      return s;
    }
    return this.utf8(at, n);
  }

  private utf8(at: number, n: number): string {
    try {
      return utf8Decoder.decode(this.bytes.subarray(at, at + n));
    } catch {
      throw new Malformed(`a string at byte ${at} is not valid UTF-8`);
    }
  }

  private bin(n: number): Uint8Array {
    const at = this.take(n);
    // A copy of its own, a plain Uint8Array even when the input is a Buffer (whose slice is a view).
    const out = new Uint8Array(n);
    out.set(this.bytes.subarray(at, at + n));
    return out;
  }

  private nest(depth: number): number {
    if (depth + 1 > MAX_NESTING) throw new TooDeep();
    return depth + 1;
  }

  private array(n: number, depth: number): unknown[] {
    const inner = this.nest(depth);
    // Each element takes at least a byte: a count past what is left is a lie, not an allocation.
    if (n > this.bytes.length - this.pos) throw new Malformed(`an array of ${n} elements in ${this.bytes.length - this.pos} bytes`);
    const out = new Array<unknown>(n);
    for (let i = 0; i < n; i++) out[i] = this.value(inner);
    return out;
  }

  private map(n: number, depth: number): Record<string, unknown> | Map<MsgpackKey, unknown> {
    const inner = this.nest(depth);
    if (n > (this.bytes.length - this.pos) / 2) throw new Malformed(`a map of ${n} entries in ${this.bytes.length - this.pos} bytes`);
    let object: Record<string, unknown> | undefined = {};
    let map: Map<MsgpackKey, unknown> | undefined;
    for (let i = 0; i < n; i++) {
      const keyAt = this.pos;
      const key = this.value(inner);
      const value = this.value(inner);
      if (object !== undefined && typeof key === "string") {
        if (key === "__proto__") Object.defineProperty(object, key, { value, enumerable: true, writable: true, configurable: true });
        else object[key] = value;
        continue;
      }
      if (typeof key === "object" && key !== null && !(key instanceof Uint8Array)) {
        throw new Malformed(`a map key at byte ${keyAt} is ${Array.isArray(key) ? "an array" : "a map"}, which a Python dict cannot have`);
      }
      if (map === undefined) {
        map = new Map(Object.entries(object!));
        object = undefined;
      }
      map.set(key as MsgpackKey, value);
    }
    return object ?? map!;
  }
}

class TooDeep extends Error {}

/**
 * Decodes MessagePack bytes: maps with string keys as plain objects, others as `Map`s, 64-bit
 * integers as bigints. A malformed document, or one nested deeper than MAX_NESTING, is a
 * TypeTransformerError naming what was read.
 */
export function decodeMsgpack(bytes: Uint8Array, expected: string): unknown {
  try {
    return new MsgpackReader(bytes).document();
  } catch (e) {
    if (e instanceof TooDeep) {
      throw new TypeTransformerError(expected, `${bytes.length} bytes of MessagePack`, `it nests deeper than ${MAX_NESTING} levels, the most flytekit-ts reads`);
    }
    if (e instanceof Malformed || e instanceof RangeError) {
      throw new TypeTransformerError(expected, `${bytes.length} bytes that are not valid MessagePack`, e.message, { cause: e });
    }
    throw e;
  }
}

/** The tag flytekit gives MessagePack binary scalars. */
export const MSGPACK_TAG = "msgpack";
