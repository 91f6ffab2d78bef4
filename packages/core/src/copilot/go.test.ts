// Our Go formatting and parsing against Go's own, run from __fixtures__/gofmt (standard library only)
// with the Go toolchain installed here; Go missing is a failure. The binary is built once into
// .cache/ (about 25 s the very first time, while Go compiles its standard library into the cache;
// under a second after).
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { seededRandom } from "../idl/testing.js";
import {
  durationString,
  formatFloatF,
  formatFloatG,
  formatFloatJson,
  GoJsonError,
  goJson,
  parseGoBool,
  parseGoDuration,
  parseGoFloat,
  parseGoInt,
  parseGoRfc3339,
  timestampString,
  type GoValue,
} from "./go.js";

/** A Go program of __fixtures__, built once by the shared builder (test/support/go.ts, loaded by path: it is outside core's layers). */
async function goProgram(name: string): Promise<(input: unknown) => unknown> {
  const { goProgram: build } = (await import(join(import.meta.dirname, "../../../../test/support/go.ts"))) as { goProgram(dir: string): Promise<(input: unknown) => unknown> };
  return build(join(import.meta.dirname, "__fixtures__", name));
}


function bitsOf(v: number): string {
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, v);
  return view.getBigUint64(0).toString(16).padStart(16, "0");
}

function fromBits(hex: string): number {
  const view = new DataView(new ArrayBuffer(8));
  view.setBigUint64(0, BigInt(`0x${hex}`));
  return view.getFloat64(0);
}

// Seeded, so a failure names a case that comes back.
const rand = seededRandom(14);
const randomDouble = () => fromBits(((BigInt(Math.floor(rand() * 2 ** 32)) << 32n) | BigInt(Math.floor(rand() * 2 ** 32))).toString(16));

const FLOATS = [
  0, -0, 1, -1, 3, 1.5, -2.5, 0.1, 0.2 + 0.1, 1 / 3, 100, 1e6, 999999, 1234567.5, 123456789, 1e20, 1e21, 1e22, 123456789012345680000, 1e100, 1.5e300,
  1e-4, 1e-5, 0.000123, 1e-6, 9.99e-7, 1e-7, 1e-10, 5e-324, 2.2250738585072014e-308, Number.MAX_VALUE, Number.MAX_SAFE_INTEGER, 2 ** 63, -(2 ** 63),
  NaN, Infinity, -Infinity,
  ...Array.from({ length: 300 }, randomDouble),
  ...Array.from({ length: 100 }, () => Math.round(rand() * 1e6) / 1000),
];

const NANOS = [
  0n, 1n, 999n, 1000n, 1500n, 999_999n, 1_000_000n, 1_500_000n, 300_000_000n, 999_999_999n, 1_000_000_000n, 1_500_000_000n, 60_000_000_000n,
  61_000_000_000n, 300_000_000_000n, 3_600_000_000_000n, 3_723_500_000_000n, -1n, -1500n, -90_000_000_000n, (1n << 63n) - 1n, -(1n << 63n),
  ...Array.from({ length: 200 }, () => BigInt(Math.floor((rand() - 0.5) * 2 ** 53)) * BigInt(1 + Math.floor(rand() * 1000))),
  ...Array.from({ length: 50 }, () => BigInt(Math.floor(rand() * 1e12))),
];

const TIMESTAMPS: [number, number][] = [
  [0, 0], [0, 5], [0, 500_000_000], [1704164645, 500_000_000], [1704164645, 123_456_789], [1704164645, 120_000_000], [-1, 999_999_999],
  [-62135596800, 0], [253402300799, 999_999_999], [951782400, 0], [-2208988800, 1],
  ...Array.from({ length: 100 }, (): [number, number] => [Math.floor(-62135596800 + rand() * (253402300799 + 62135596800)), Math.floor(rand() * 1e9)]),
];

/** A value tree both sides build: ours into a GoValue, Go's into its interface{}. */
type Tree =
  | { t: "null" }
  | { t: "bool"; v: boolean }
  | { t: "int"; v: string }
  | { t: "float"; bits: string }
  | { t: "str"; v: string }
  | { t: "bytes"; v: string }
  | { t: "time"; sec: number; nanos: number }
  | { t: "list"; v: Tree[] }
  | { t: "map"; v: Record<string, Tree> };

function toGo(tree: Tree): GoValue {
  switch (tree.t) {
    case "null":
      return null;
    case "bool":
      return tree.v;
    case "int":
      return BigInt(tree.v);
    case "float":
      return fromBits(tree.bits);
    case "str":
      return tree.v;
    case "bytes":
      return new Uint8Array(Buffer.from(tree.v, "base64"));
    case "time":
      return timestampString(BigInt(tree.sec), tree.nanos)!;
    case "list":
      return tree.v.map(toGo);
    case "map":
      return new Map(Object.entries(tree.v).map(([k, v]) => [k, toGo(v)]));
  }
}

const f = (v: number): Tree => ({ t: "float", bits: bitsOf(v) });
const s = (v: string): Tree => ({ t: "str", v });
const STRINGS = ["", "plain", "<a href='x'>&amp;</a>", 'quote " back \\ slash', "\b\f\n\r\t", "\u0000\u0001\u001f\u007f", "line\u2028sep\u2029para", "é ü 中文 😀", "\ufffd", "\u00a0nbsp"];
const JSON_TREES: Tree[] = [
  {
    t: "map",
    v: {
      b: { t: "int", v: "-9223372036854775808" },
      a: f(1e21),
      "é": f(1e-7),
      z: f(1e-6),
      "😀": f(-0),
      "\uffff": f(0.1),
      "A": f(123456789),
      "<key>": s("x<y>&z"),
      list: { t: "list", v: [{ t: "int", v: "1" }, f(2.5), { t: "null" }, { t: "bool", v: true }, { t: "list", v: [] }, { t: "map", v: {} }] },
      bytes: { t: "bytes", v: Buffer.from([0, 1, 2, 250, 255]).toString("base64") },
      when: { t: "time", sec: 1704164645, nanos: 500_000_000 },
      whole: { t: "time", sec: 0, nanos: 0 },
      nested: { t: "map", v: { y: { t: "map", v: { x: s("deep") } } } },
    },
  },
  ...STRINGS.map(s),
  ...FLOATS.filter(Number.isFinite).slice(0, 120).map(f),
  f(NaN),
  f(Infinity),
  { t: "map", v: { ok: f(1), bad: f(-Infinity) } },
];

const PARSE_INT = ["0", "-0", "+5", "007", "3", "3.0", "1e3", " 1", "1 ", "1_000", "0x10", "9223372036854775807", "9223372036854775808", "-9223372036854775808", "-9223372036854775809", "", "+", "-", "١", "12a", "--1"];
const PARSE_FLOAT = [
  "1", "1.5", ".5", "5.", "1e3", "1E3", "1e+3", "1e-3", "1e", "e3", ".", "-.5", "+1.5", "NaN", "nan", "NAN", "+nan", "-nan", "Inf", "+Inf", "-inf",
  "infinity", "+Infinity", "-INFINITY", "infin", "inff", "1e400", "-1e400", "1e-400", "4.9e-324", "2e-324", "0x1p-2", "0x1.8p1", "0X1P+3", "0x10",
  "0x_1p0", "0x1_0p0", "0x1__0p0", "1_000", "0x.8p1", "0xp1", "0x1p", "0x1p1024", "0x1p-1074", "0x1p-1080", "1.7976931348623157e308",
  "1.7976931348623159e308", "  1", "1 ", "0b101", "0o17", "00012", "-0", "+0", "1e1000000000000", "0.1", "123456789012345678901234567890",
  "1.00000000000000011102230246251565404236316680908203125", "3.0", "",
  "1_000.5", "1e1_0", "1_.5", "_1", "1__0", "1_", "1._5", "._5", "+_1", "1_e3",
];
const PARSE_BOOL = ["1", "t", "T", "TRUE", "true", "True", "0", "f", "F", "FALSE", "false", "False", "yes", "tRUE", "2", "", "True\n", "on"];
const PARSE_DURATION = [
  "0", "-0", "+0", "", "0s", "300ms", "1h2m3s", "-1.5h", "2h45m", "1us", "1µs", "1μs", "1.5µs", "1ns", ".5s", "5.s", ".s", "1", "1d", "1h-2m",
  "1.0000000000000000000001s", "9223372036854775807ns", "9223372036854775808ns", "-9223372036854775808ns", "2562047h47m16.854775807s", "2562048h",
  "1h 2m", " 1s", "1S", "1e3s", "0.1ns", "1.5ms2us", "1m1m", "+5m", "-", "1.h", "0.333333333333333333h", "5m0s", "1h0m0.5s",
];
const PARSE_TIME = [
  "2024-01-02T03:04:05Z", "2024-01-02T03:04:05.5Z", "2024-01-02T03:04:05,5Z", "2024-01-02T03:04:05.123456789123Z", "2024-01-02T03:04:05+02:00",
  "2024-01-02T03:04:05-07:30", "2024-01-02T03:04:05+24:00", "2024-01-02T03:04:05+23:60", "2024-01-02T03:04:05+25:00", "2024-01-02T03:04:05+01:61",
  "2024-01-02t03:04:05Z", "2024-01-02T03:04:05z", "2024-01-02 03:04:05Z", "2024-01-02T3:04:05Z", "2024-1-02T03:04:05Z", "2024-01-2T03:04:05Z",
  "2024-01-02T24:00:00Z", "2024-02-29T00:00:00Z", "2023-02-29T00:00:00Z", "2024-01-02T03:04:60Z", "2024-01-02T03:60:05Z", "2024-01-02T03:04:05",
  "2024-01-02", "2024-01-02T03:04:05+0200", "2024-01-02T03:04:05.Z", "0000-01-01T00:00:00Z", "0001-01-01T00:00:00Z", "0001-01-01T00:00:00+01:00",
  "9999-12-31T23:59:59-01:00", "10000-01-01T00:00:00Z", "2024-01-02T03:04:05Z ", "2024-01-02T03:04:05.5+02:00", "+2024-01-02T03:04:05Z",
  "2024-01-02T03:04:05-00:00", "2024-13-01T00:00:00Z", "2024-04-31T00:00:00Z", "2024-01-02T03:04:05.+02:00", "1900-02-29T00:00:00Z",
  "2000-02-29T12:00:00.000000001Z", "2024-01-02T03:04:5Z", "2024-01-02T03:4:05Z", "2024-01-02T03:04:05+2:00", "2024-01-02T03:04:05+02:0",
];

describe("Go's formatting and parsing, compared with the Go toolchain's own", () => {
  let go: Record<string, unknown>;
  beforeAll(async () => {
    go = (await goProgram("gofmt"))({
      floats: FLOATS.map(bitsOf),
      durations: NANOS.map(String),
      timestamps: TIMESTAMPS,
      json: JSON_TREES,
      parseInt: PARSE_INT,
      parseFloat: PARSE_FLOAT,
      parseBool: PARSE_BOOL,
      parseDuration: PARSE_DURATION,
      parseTime: PARSE_TIME,
    }) as Record<string, unknown>;
  }, 600_000);

  it("floats: strconv 'f' -1 (input files), fmt %v (commands), encoding/json (inputs.json)", () => {
    const theirs = go.floats as { f: string; v: string; g: string; json?: string; jsonError?: string }[];
    const ours = FLOATS.map((v) => {
      const json = formatFloatJson(v);
      return json === undefined ? { f: formatFloatF(v), v: formatFloatG(v), g: formatFloatG(v), jsonError: `json: unsupported value: ${formatFloatG(v)}` } : { f: formatFloatF(v), v: formatFloatG(v), g: formatFloatG(v), json };
    });
    expect(ours).toEqual(theirs);
  });

  it("durations: time.Duration.String()", () => {
    expect(NANOS.map(durationString)).toEqual(go.durations);
  });

  it("timestamps: RFC 3339 with nanoseconds, as ptypes.TimestampString writes them", () => {
    expect(TIMESTAMPS.map(([sec, nanos]) => timestampString(BigInt(sec), nanos))).toEqual(go.timestamps);
  });

  it("json.Marshal: keys sorted by bytes, HTML-safe strings, Go's float forms, []byte as base64, time.Time, NaN and Inf refused", () => {
    const ours = JSON_TREES.map((tree) => {
      try {
        return { ok: true, value: goJson(toGo(tree)) };
      } catch (e) {
        if (!(e instanceof GoJsonError)) throw e;
        return { ok: false, value: e.message };
      }
    });
    expect(ours).toEqual(go.json);
  });

  it("strconv.ParseInt(s, 10, 64) accepts and refuses what Go does", () => {
    const ours = PARSE_INT.map((text) => {
      const v = parseGoInt(text);
      return v === undefined ? { ok: false } : { ok: true, value: v.toString() };
    });
    const theirs = (go.parseInt as { ok: boolean; value: string }[]).map((r) => (r.ok ? r : { ok: false }));
    expect(ours.map((r, i) => [PARSE_INT[i], r])).toEqual(theirs.map((r, i) => [PARSE_INT[i], r]));
  });

  it("strconv.ParseFloat(s, 64) accepts and refuses what Go does, to the bit", () => {
    const ours = PARSE_FLOAT.map((text) => {
      const v = parseGoFloat(text);
      return v === undefined ? { ok: false } : { ok: true, value: Number.isNaN(v) ? "NaN" : bitsOf(v).replace(/^0+(?=.)/, "") };
    });
    const theirs = (go.parseFloat as { ok: boolean; value: string }[]).map((r) => (!r.ok ? { ok: false } : Number.isNaN(fromBits(r.value.padStart(16, "0"))) ? { ok: true, value: "NaN" } : r));
    expect(ours.map((r, i) => [PARSE_FLOAT[i], r])).toEqual(theirs.map((r, i) => [PARSE_FLOAT[i], r]));
  });

  it("strconv.ParseBool accepts exactly Go's twelve words", () => {
    const ours = PARSE_BOOL.map((text) => {
      const v = parseGoBool(text);
      return v === undefined ? { ok: false } : { ok: true, value: String(v) };
    });
    const theirs = (go.parseBool as { ok: boolean; value: string }[]).map((r) => (r.ok ? r : { ok: false }));
    expect(ours.map((r, i) => [PARSE_BOOL[i], r])).toEqual(theirs.map((r, i) => [PARSE_BOOL[i], r]));
  });

  it("time.ParseDuration accepts and refuses what Go does, to the nanosecond", () => {
    const ours = PARSE_DURATION.map((text) => {
      const v = parseGoDuration(text);
      return v === undefined ? { ok: false } : { ok: true, value: v.toString() };
    });
    const theirs = (go.parseDuration as { ok: boolean; value: string }[]).map((r) => (r.ok ? r : { ok: false }));
    expect(ours.map((r, i) => [PARSE_DURATION[i], r])).toEqual(theirs.map((r, i) => [PARSE_DURATION[i], r]));
  });

  it("time.Parse(time.RFC3339) (then a Timestamp's range) accepts and refuses what Go does", () => {
    const ours = PARSE_TIME.map((text) => {
      const v = parseGoRfc3339(text);
      return v === undefined ? { ok: false } : { ok: true, value: `${v.seconds}.${String(v.nanos).padStart(9, "0")}` };
    });
    const theirs = (go.parseTime as { ok: boolean; value: string }[]).map((r) => (r.ok ? r : { ok: false }));
    expect(ours.map((r, i) => [PARSE_TIME[i], r])).toEqual(theirs.map((r, i) => [PARSE_TIME[i], r]));
  });
});

describe("Go's formats, pinned (run where Go is not installed too)", () => {
  it("writes floats as Go does", () => {
    expect([3, 1.5, 1e21, 1e-7, NaN, Infinity, -0].map(formatFloatF)).toEqual(["3", "1.5", "1000000000000000000000", "0.0000001", "NaN", "+Inf", "-0"]);
    expect([3, 1.5, 1e21, 1e-7, 1e6, 123456].map(formatFloatG)).toEqual(["3", "1.5", "1e+21", "1e-07", "1e+06", "123456"]);
    expect([1e21, 1e-7, 1e20, 1e-6].map(formatFloatJson)).toEqual(["1e+21", "1e-7", "100000000000000000000", "0.000001"]);
  });

  it("writes durations as Go does", () => {
    expect([300_000_000_000n, 3_723_500_000_000n, 1500n, 0n, -1_500_000n].map(durationString)).toEqual(["5m0s", "1h2m3.5s", "1.5µs", "0s", "-1.5ms"]);
  });
});
