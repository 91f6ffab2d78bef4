import { encode } from "@msgpack/msgpack";
import { describe, expect, it } from "vitest";
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
