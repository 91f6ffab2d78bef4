import { encode } from "@msgpack/msgpack";
import { describe, expect, it } from "vitest";
import { FlyteError } from "../errors/flyte-error.js";
import { TypeTransformerError } from "./errors.js";
import { decodeMsgpack, MsgpackWriter } from "./msgpack.js";

function hex(write: (w: MsgpackWriter) => void): string {
  const w = new MsgpackWriter(4);
  write(w);
  return Buffer.from(w.finish()).toString("hex");
}

describe("MsgpackWriter", () => {
  it("writes each integer in its smallest encoding, as Python's msgpack does", () => {
    const cases: [number, string][] = [
      [0, "00"],
      [127, "7f"],
      [128, "cc80"],
      [255, "ccff"],
      [256, "cd0100"],
      [65535, "cdffff"],
      [65536, "ce00010000"],
      [2 ** 32 - 1, "ceffffffff"],
      [2 ** 32, "cf0000000100000000"],
      [Number.MAX_SAFE_INTEGER, "cf001fffffffffffff"],
      [-1, "ff"],
      [-32, "e0"],
      [-33, "d0df"],
      [-128, "d080"],
      [-129, "d1ff7f"],
      [-32768, "d18000"],
      [-32769, "d2ffff7fff"],
      [-(2 ** 31), "d280000000"],
      [-(2 ** 31) - 1, "d3ffffffff7fffffff"],
      [Number.MIN_SAFE_INTEGER, "d3ffe0000000000001"],
    ];
    for (const [n, expected] of cases) {
      expect(hex((w) => w.int(n)), String(n)).toBe(expected);
      // An independent encoder agrees.
      expect(Buffer.from(encode(n)).toString("hex"), `@msgpack/msgpack ${n}`).toBe(expected);
    }
  });

  it("writes bigints past 2^53 as uint64 or int64, and small ones compactly", () => {
    expect(hex((w) => w.bigint(2n ** 63n - 1n))).toBe("cf7fffffffffffffff");
    expect(hex((w) => w.bigint(2n ** 64n - 1n))).toBe("cfffffffffffffffff");
    expect(hex((w) => w.bigint(-(2n ** 63n)))).toBe("d38000000000000000");
    expect(hex((w) => w.bigint(5n))).toBe("05");
  });

  it("writes floats as float64, whole ones too", () => {
    expect(hex((w) => w.float64(2))).toBe("cb4000000000000000");
    expect(hex((w) => w.float64(2.5))).toBe("cb4004000000000000");
    expect(hex((w) => w.float64(-0))).toBe("cb8000000000000000");
  });

  it("writes strings with the smallest header for their UTF-8 length", () => {
    expect(hex((w) => w.str(""))).toBe("a0");
    expect(hex((w) => w.str("x"))).toBe("a178");
    expect(hex((w) => w.str("é"))).toBe("a2c3a9");
    expect(hex((w) => w.str("🚀"))).toBe("a4f09f9a80");
    for (const s of ["a".repeat(31), "a".repeat(32), "a".repeat(255), "a".repeat(256), "é".repeat(20), "a".repeat(70000)]) {
      expect(hex((w) => w.str(s)), `length ${s.length}`).toBe(Buffer.from(encode(s)).toString("hex"));
    }
  });

  it("writes container headers and binary", () => {
    expect(hex((w) => w.arrayHeader(15))).toBe("9f");
    expect(hex((w) => w.arrayHeader(16))).toBe("dc0010");
    expect(hex((w) => w.arrayHeader(70000))).toBe("dd00011170");
    expect(hex((w) => w.mapHeader(0))).toBe("80");
    expect(hex((w) => w.mapHeader(16))).toBe("de0010");
    expect(hex((w) => w.bin(new Uint8Array([1, 2])))).toBe("c4020102");
    expect(hex((w) => w.bool(true))).toBe("c3");
    expect(hex((w) => w.nil())).toBe("c0");
  });

  it("grows its buffer as it writes", () => {
    const w = new MsgpackWriter(1);
    w.arrayHeader(1000);
    for (let i = 0; i < 1000; i++) w.float64(i);
    expect(decodeMsgpack(w.finish(), "List(Float)")).toEqual(Array.from({ length: 1000 }, (_, i) => i));
  });
});

describe("decodeMsgpack", () => {
  it("reads 64-bit integers as bigints without rounding", () => {
    const w = new MsgpackWriter();
    w.arrayHeader(2);
    w.bigint(2n ** 63n - 1n);
    w.int(2 ** 40);
    expect(decodeMsgpack(w.finish(), "x")).toEqual([2n ** 63n - 1n, 2n ** 40n]);
  });

  it("turns malformed bytes into a TypeTransformerError", () => {
    expect(() => decodeMsgpack(new Uint8Array([0xc1]), "Point")).toThrow(TypeTransformerError);
    expect(() => decodeMsgpack(new Uint8Array([0x92, 0x01]), "Point")).toThrow(/expected Point, got 2 bytes that are not valid MessagePack/);
    const why = (hex: string) => {
      try {
        decodeMsgpack(Buffer.from(hex, "hex"), "x");
      } catch (e) {
        return (e as TypeTransformerError).message;
      }
      return "no error";
    };
    expect(why("0101")).toMatch(/: 1 bytes follow the value$/);
    expect(why("d6ff00000000")).toMatch(/: an extension type \(0xd6\), which flytekit does not write$/);
    expect(why("a2c328")).toMatch(/: a string at byte 1 is not valid UTF-8$/);
    expect(why("81910101")).toMatch(/: a map key at byte 1 is an array, which a Python dict cannot have$/);
    expect(why("dd7fffffff")).toMatch(/: an array of 2147483647 elements in 0 bytes$/);
    expect(why("91".repeat(256) + "c0")).toBe("no error");
    expect(why("91".repeat(257) + "c0")).toMatch(/it nests deeper than 256 levels/);
  });

  it("reads maps with string keys as plain objects (__proto__ an own key) and others as Maps", () => {
    expect(decodeMsgpack(Buffer.from("82a16101a16202", "hex"), "x")).toEqual({ a: 1, b: 2 });
    const proto = decodeMsgpack(Buffer.from("81a95f5f70726f746f5f5f01", "hex"), "x") as object;
    expect(Object.getPrototypeOf(proto)).toBe(Object.prototype);
    expect(Object.getOwnPropertyDescriptor(proto, "__proto__")?.value).toBe(1);
    // The string keys read before the first other key stay, in order.
    expect([...(decodeMsgpack(Buffer.from("83a16101c302c003", "hex"), "x") as Map<unknown, unknown>)]).toEqual([["a", 1], [true, 2], [null, 3]]);
    expect(decodeMsgpack(Buffer.from("81c401ff02", "hex"), "x")).toEqual(new Map([[new Uint8Array([0xff]), 2]]));
  });
});

// Every format the reader knows, written by an independent encoder (@msgpack/msgpack) and read back:
// each case names the first byte the encoder must have chosen, so a case that stops exercising its
// format fails rather than passing through another.
describe("decodeMsgpack reads what another encoder writes, every format at its boundaries", () => {
  const bigints = { useBigInt64: true };
  const read = (bytes: Uint8Array) => decodeMsgpack(bytes, "x");

  function roundTrip(cases: [value: unknown, first: number, options?: { useBigInt64?: boolean; forceFloat32?: boolean }, expected?: unknown][]) {
    for (const [value, first, options, expected] of cases) {
      const bytes = encode(value, options);
      const label = `${typeof value === "string" ? `string of ${value.length}` : Array.isArray(value) ? `array of ${value.length}` : value instanceof Uint8Array ? `${value.length} bytes` : String(value)}`;
      expect(bytes[0], `${label}: format`).toBe(first);
      expect(read(bytes), label).toEqual(expected === undefined ? value : expected);
    }
  }

  it("integers: fixints, uint8..uint64, int8..int64, 64-bit ones as bigint past 2^53", () => {
    roundTrip([
      [0, 0x00],
      [127, 0x7f],
      [-1, 0xff],
      [-32, 0xe0],
      [128, 0xcc],
      [255, 0xcc],
      [256, 0xcd],
      [65535, 0xcd],
      [65536, 0xce],
      [2 ** 32 - 1, 0xce],
      [-33, 0xd0],
      [-128, 0xd0],
      [-129, 0xd1],
      [-32768, 0xd1],
      [-32769, 0xd2],
      [-(2 ** 31), 0xd2],
      // 64-bit encodings are read as bigints, whatever their size: nothing past 2^53 is rounded.
      [2 ** 32, 0xcf, undefined, 2n ** 32n],
      [Number.MAX_SAFE_INTEGER, 0xcf, undefined, BigInt(Number.MAX_SAFE_INTEGER)],
      [-(2 ** 31) - 1, 0xd3, undefined, -(2n ** 31n) - 1n],
      [Number.MIN_SAFE_INTEGER, 0xd3, undefined, BigInt(Number.MIN_SAFE_INTEGER)],
      [2n ** 53n + 1n, 0xcf, bigints],
      [2n ** 64n - 1n, 0xcf, bigints],
      [-(2n ** 53n) - 1n, 0xd3, bigints],
      [-(2n ** 63n), 0xd3, bigints],
      [2n ** 63n - 1n, 0xcf, bigints],
    ]);
  });

  it("floats: float32 and float64, the non-finite ones and -0 too", () => {
    roundTrip([
      [1.5, 0xca, { forceFloat32: true }],
      [0.1, 0xca, { forceFloat32: true }, Math.fround(0.1)],
      [-3.4028234663852886e38, 0xca, { forceFloat32: true }],
      [0.1, 0xcb],
      [-1e300, 0xcb],
      [Number.MIN_VALUE, 0xcb],
      [Number.NaN, 0xcb],
      [Number.POSITIVE_INFINITY, 0xcb],
      [Number.NEGATIVE_INFINITY, 0xcb],
    ]);
    // The encoder writes -0 as the integer 0; Python writes float64 -0.0, which stays -0.
    expect(Object.is(read(Buffer.from("cb8000000000000000", "hex")), -0)).toBe(true);
  });

  it("strings: fixstr, str8, str16, str32 at their lengths' boundaries, multibyte UTF-8 too", () => {
    roundTrip([
      ["", 0xa0],
      ["a".repeat(31), 0xbf],
      ["a".repeat(32), 0xd9],
      ["a".repeat(255), 0xd9],
      ["a".repeat(256), 0xda],
      ["a".repeat(65535), 0xda],
      ["a".repeat(65536), 0xdb],
      // Lengths are UTF-8 bytes: 2, 3 and 4 bytes a character.
      ["é", 0xa2],
      ["é".repeat(15) + "a", 0xbf],
      ["é".repeat(16), 0xd9],
      ["€".repeat(85), 0xd9],
      ["€".repeat(86), 0xda],
      ["🚀".repeat(64), 0xda],
      ["🚀".repeat(16384), 0xdb],
      ["mixed ascii, é, €, 🚀 and \u0000", 0xd9],
    ]);
  });

  it("binary: bin8, bin16, bin32 at their boundaries, as plain Uint8Arrays", () => {
    const bytes = (n: number) => Uint8Array.from({ length: n }, (_, i) => (i * 7) & 0xff);
    roundTrip([
      [bytes(0), 0xc4],
      [bytes(255), 0xc4],
      [bytes(256), 0xc5],
      [bytes(65535), 0xc5],
      [bytes(65536), 0xc6],
    ]);
    const from = read(Buffer.from(encode(new Uint8Array([1, 2]))));
    expect(Object.getPrototypeOf(from)).toBe(Uint8Array.prototype);
  });

  it("arrays and maps: fix, 16- and 32-bit counts at their boundaries", () => {
    const array = (n: number) => Array.from({ length: n }, (_, i) => i % 3 === 0 ? i : i % 3 === 1 ? `s${i}` : null);
    const map = (n: number) => Object.fromEntries(Array.from({ length: n }, (_, i) => [`k${i}`, i]));
    roundTrip([
      [[], 0x90],
      [array(15), 0x9f],
      [array(16), 0xdc],
      [array(65535), 0xdc],
      [array(65536), 0xdd],
      [{}, 0x80],
      [map(15), 0x8f],
      [map(16), 0xde],
      [map(65535), 0xde],
      [map(65536), 0xdf],
    ]);
  });

  it("nil, true, false, and values nested in one another", () => {
    roundTrip([
      [null, 0xc0],
      [true, 0xc3],
      [false, 0xc2],
      [{ a: [1, { b: [true, null, "c", new Uint8Array([9])] }], d: { e: {} } }, 0x82],
    ]);
  });

  it("refuses a composite value cut at any byte with a FlyteError", () => {
    const value = {
      ints: [0, 127, -1, -32, 200, -100, 1000, -1000, 70000, -70000, 2n ** 60n, -(2n ** 60n)],
      floats: [1.5, 0.1],
      strs: ["", "fix", "é€🚀", "a".repeat(40), "b".repeat(300)],
      bins: [new Uint8Array([1, 2, 3]), new Uint8Array(300)],
      arrays: [[], Array.from({ length: 20 }, (_, i) => i)],
      maps: [{}, Object.fromEntries(Array.from({ length: 20 }, (_, i) => [`k${i}`, i]))],
      flags: [null, true, false],
    };
    const whole = encode(value, { useBigInt64: true });
    const float32 = encode([value, 1.25], { useBigInt64: true, forceFloat32: true });
    for (const bytes of [whole, float32]) {
      expect(() => read(bytes)).not.toThrow();
      for (let cut = 0; cut < bytes.length; cut++) {
        let error: unknown;
        try {
          read(bytes.subarray(0, cut));
        } catch (e) {
          error = e;
        }
        expect(error, `cut at ${cut} of ${bytes.length}`).toBeInstanceOf(FlyteError);
        expect((error as Error).message, `cut at ${cut}`).toMatch(/^value: expected x, got \d+ bytes that are not valid MessagePack: /);
      }
    }
  });
});
