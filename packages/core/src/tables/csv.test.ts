// The CSV codec against the real pandas (the flytekit venv's pandas 2.3 on Python 3.11): what we write
// is byte for byte what pandas' to_csv(index=False) writes for the same values, pandas reads it back
// to the same DataFrame, what pandas writes we read to the same values, and bad files fail clearly.
import * as A from "apache-arrow";
import { execFileSync, spawn } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { open } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { csv, formatFloat, headerNames, SCHEMA_SAMPLE_ROWS } from "./csv.js";
import { TableFormatError } from "./errors.js";
import { seededRandom } from "../idl/testing.js";

const HELPER = join(import.meta.dirname, "__fixtures__", "csv_pandas.py");
let python = "";
beforeAll(async () => {
  // The repository's test kit (the venv with flytekit, pandas and pyarrow, installed once), loaded by
  // path at run time: test/support is outside core's layers, and the architecture test's import
  // graph of core would otherwise take it in through this file.
  const support = join(import.meta.dirname, "../../../../test/support/python.ts");
  const { ensureFlytekit } = (await import(support)) as { ensureFlytekit(): { python: string } };
  python = ensureFlytekit().python;
}, 600_000);

const pandas = (...args: string[]): string => execFileSync(python, [HELPER, ...args], { encoding: "utf8", maxBuffer: 1 << 28 });
const dir = () => mkdtempSync(join(tmpdir(), "flytekit-ts-csv-"));

async function readTable(path: string, options: Parameters<typeof csv.read>[1] = {}): Promise<A.Table> {
  const batches: A.RecordBatch[] = [];
  for await (const batch of csv.read(path, options)) batches.push(batch);
  return new A.Table(batches);
}

async function readError(path: string, options: Parameters<typeof csv.read>[1] = {}): Promise<TableFormatError> {
  try {
    await readTable(path, options);
  } catch (error) {
    expect(error).toBeInstanceOf(TableFormatError);
    return error as TableFormatError;
  }
  throw new Error(`reading ${path} did not fail`);
}

/** A file with this text, in a new directory. */
function file(text: string | Uint8Array, name = "data.csv"): string {
  const path = join(dir(), name);
  writeFileSync(path, text);
  return path;
}

/** A column of `type` from values (null for a null), its data made directly (no conversion on the way). */
function column<T extends A.DataType>(type: T, values: readonly (number | bigint | null)[], ArrayType: new (n: number) => ArrayLike<unknown>): A.Vector<T> {
  const data = new ArrayType(values.length);
  const validity = new Uint8Array((values.length + 7) >> 3);
  let nulls = 0;
  values.forEach((v, i) => {
    if (v === null) nulls++;
    else {
      validity[i >> 3] |= 1 << (i & 7);
      (data as unknown as (number | bigint)[])[i] = v;
    }
  });
  return A.makeVector(A.makeData({ type, length: values.length, nullCount: nulls, nullBitmap: nulls > 0 ? validity : undefined, data } as never)) as A.Vector<T>;
}


const values = (table: A.Table, name: string): unknown[] => [...table.getChild(name)!].map((v) => (typeof v === "bigint" ? String(v) : v));

/**
 * A table with every kind of column we write, rows chosen so that the formats pandas picks for a whole
 * column (dates only, seconds, 3/6/9 fraction digits, whole days) change between the early and late rows.
 */
function wideTable(rows: number): A.Table {
  const rnd = seededRandom(12);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)];
  const f64 = new Float64Array(rows);
  const bits = new Uint32Array(f64.buffer);
  const specials = [0.1, 1e-5, 1e16, 1e15, 9999999999999998, 1e-4, 0.00009999999999999999, 5e-324, Number.MAX_VALUE, -0, 0, Infinity, -Infinity, NaN, 123456789.123, 1 / 3, 2 ** 53, 2 ** 53 + 2, 1e21, 1e22, 1.5e300, 100, -7.25];
  for (let i = 0; i < rows; i++) {
    const kind = i % 4;
    if (i < specials.length) f64[i] = specials[i];
    else if (kind === 0) {
      bits[2 * i] = Math.floor(rnd() * 2 ** 32);
      bits[2 * i + 1] = Math.floor(rnd() * 2 ** 32);
    } else if (kind === 1) f64[i] = (rnd() - 0.5) * 10 ** Math.floor(rnd() * 40 - 20);
    else if (kind === 2) f64[i] = Math.round(rnd() * 1e6) / 100;
    else f64[i] = Math.floor(rnd() * 2 ** 53) * (rnd() < 0.5 ? 1 : -1);
  }
  const f32 = new Float32Array(rows);
  const bits32 = new Uint32Array(f32.buffer);
  for (let i = 0; i < rows; i++) {
    if (i % 3 === 0) bits32[i] = Math.floor(rnd() * 2 ** 32);
    else if (i % 3 === 1) f32[i] = (rnd() - 0.5) * 10 ** Math.floor(rnd() * 16 - 8);
    else f32[i] = 2 ** Math.floor(rnd() * 60 - 30);
  }
  const f16 = new Uint16Array(rows).map(() => Math.floor(rnd() * 65536));
  const alphabet = ["a", "b", " ", ",", '"', "\n", "é", "日本", "🚀", "\t", "x;y", "'", "\\"];
  const strings = Array.from({ length: rows }, (_v, i) => (i % 17 === 0 ? null : i % 19 === 0 ? "" : Array.from({ length: Math.floor(rnd() * 8) }, () => pick(alphabet)).join("")));
  const day = 86_400_000_000n;
  const base = 1_704_153_600_000_000n; // 2024-01-02 00:00:00 in microseconds
  // Timestamps: midnight only in the first 10 rows, whole seconds up to row 100, then microseconds.
  const tsUs = Array.from({ length: rows }, (_v, i) => {
    if (i % 13 === 5) return null;
    if (i < 10) return base + BigInt(i) * day;
    if (i < 100) return base + BigInt(Math.floor(rnd() * 1e9)) * 1_000_000n;
    return base + BigInt(Math.floor(rnd() * 1e15)) - 500_000_000_000_000n;
  });
  // Nanoseconds: milliseconds first, then nanoseconds.
  const tsNs = Array.from({ length: rows }, (_v, i) => (i % 11 === 3 ? null : base * 1000n + BigInt(Math.floor(rnd() * 1e9)) * (i < 50 ? 1_000_000n : 1n) * 1000n + (i < 50 ? 0n : BigInt(Math.floor(rnd() * 1000)))));
  // Zoned: within 2014-2033 (pandas' zones come from pytz, whose rules stop at 2037: after that it
  // gives standard time all year, where the IANA rules and Intl give summer time).
  const tsZoned = Array.from({ length: rows }, (_v, i) => (i % 7 === 2 ? null : base + BigInt(Math.floor((rnd() - 0.5) * 6e14)) + (i % 3 === 0 ? BigInt(Math.floor(rnd() * 1e6)) : 0n)));
  const dates = Array.from({ length: rows }, (_v, i) => (i % 9 === 4 ? null : Math.floor((rnd() - 0.3) * 40_000)));
  // Durations: whole days for the first 20 rows, then anything (negatives, fractions).
  const durations = Array.from({ length: rows }, (_v, i) => (i % 10 === 7 ? null : i < 20 ? BigInt(i - 10) * day : BigInt(Math.floor((rnd() - 0.5) * 1e12)) * (i % 4 === 0 ? 1000n : 1n)));
  const durationsNs = Array.from({ length: rows }, (_v, i) => (i % 10 === 7 ? null : BigInt(Math.floor((rnd() - 0.5) * 1e15))));
  const wholeDays = Array.from({ length: rows }, (_v, i) => (i % 5 === 0 ? null : BigInt(i - Math.floor(rows / 2)) * day));
  const ints = Array.from({ length: rows }, (_v, i) => (i % 8 === 1 ? null : i === 2 ? -(2n ** 63n) : i === 3 ? 2n ** 63n - 1n : i === 4 ? 2n ** 53n + 1n : BigInt(Math.floor((rnd() - 0.5) * 2 ** 53)) * (i % 3 === 0 ? 1024n : 1n)));
  return new A.Table({
    id: column(new A.Int64(), Array.from({ length: rows }, (_v, i) => BigInt(i)), BigInt64Array),
    big: column(new A.Int64(), ints, BigInt64Array),
    small: column(new A.Int32(), Array.from({ length: rows }, (_v, i) => (i % 6 === 0 ? null : Math.floor((rnd() - 0.5) * 2 ** 32))), Int32Array),
    tiny: column(new A.Int8(), Array.from({ length: rows }, (_v, i) => (i % 2 ** 8) - 128), Int8Array),
    unsigned: column(new A.Uint64(), Array.from({ length: rows }, (_v, i) => (i === 0 ? 2n ** 64n - 1n : i % 4 === 0 ? null : BigInt(Math.floor(rnd() * 2 ** 53)) * 2048n)), BigUint64Array),
    f64: column(new A.Float64(), [...f64].map((v, i) => (i % 29 === 28 ? null : v)), Float64Array),
    f32: column(new A.Float32(), [...f32], Float32Array),
    f16: column(new A.Float16(), [...f16], Uint16Array),
    text: A.vectorFromArray(strings, new A.Utf8()),
    flag: A.vectorFromArray(Array.from({ length: rows }, (_v, i) => (i % 5 === 0 ? null : rnd() < 0.5)), new A.Bool()),
    always: A.vectorFromArray(Array.from({ length: rows }, (_v, i) => i % 3 === 0), new A.Bool()),
    at: column(new A.TimestampMicrosecond(), tsUs, BigInt64Array),
    at_ns: column(new A.TimestampNanosecond(), tsNs, BigInt64Array),
    at_ms: column(new A.TimestampMillisecond(), Array.from({ length: rows }, (_v, i) => (i % 4 === 0 ? null : BigInt(Math.floor(rnd() * 4e12)) - 1_000_000_000_000n)), BigInt64Array),
    at_s: column(new A.TimestampSecond(), Array.from({ length: rows }, (_v, i) => BigInt(Math.floor(rnd() * 100)) * 86_400n), BigInt64Array),
    at_utc: column(new A.TimestampMicrosecond("UTC"), tsZoned, BigInt64Array),
    at_ny: column(new A.TimestampMicrosecond("America/New_York"), tsZoned, BigInt64Array),
    at_kolkata: column(new A.TimestampNanosecond("+05:30"), tsNs, BigInt64Array),
    day: column(new A.DateDay(), dates, Int32Array),
    day_ms: column(new A.DateMillisecond(), dates.map((d) => (d === null ? null : BigInt(d) * 86_400_000n)), BigInt64Array),
    took: column(new A.DurationMicrosecond(), durations, BigInt64Array),
    took_ns: column(new A.DurationNanosecond(), durationsNs, BigInt64Array),
    days: column(new A.DurationMicrosecond(), wholeDays, BigInt64Array),
    nothing: A.vectorFromArray(Array.from({ length: rows }, () => null), new A.Null()),
  });
}

/** The table's rows as batches cut at these rows (each a slice: data with an offset). */
function cut(table: A.Table, at: readonly number[]): A.RecordBatch[] {
  const bounds = [0, ...at, table.numRows];
  return bounds.slice(1).flatMap((end, k) => table.slice(bounds[k], end).batches);
}

describe("writing, against pandas' to_csv(index=False)", () => {
  it("writes the bytes pandas writes for the same values, across batches whose column formats differ, and pandas reads them back to the same DataFrame", async () => {
    const d = dir();
    const table = wideTable(3000);
    // The early batches have only midnight timestamps, millisecond nanos, whole-day durations: the
    // column formats grow with later batches and the file is rewritten once, as pandas formats the column.
    const batches = cut(table, [5, 10, 40, 120, 1999]);
    expect(batches.length).toBe(6);
    const ours = join(d, "ours.csv");
    expect(await csv.write(ours, batches)).toEqual({ rows: 3000 });
    writeFileSync(join(d, "table.arrow"), A.tableToIPC(table, "file"));
    pandas("to_csv", join(d, "table.arrow"), join(d, "pandas.csv"));
    const expected = readFileSync(join(d, "pandas.csv"));
    const got = readFileSync(ours);
    if (!got.equals(expected)) {
      const gotLines = got.toString("utf8").split("\n");
      const expectedLines = expected.toString("utf8").split("\n");
      const first = gotLines.findIndex((line, i) => line !== expectedLines[i]);
      expect({ line: first + 1, got: gotLines[first] }).toEqual({ line: first + 1, got: expectedLines[first] });
    }
    expect(got.equals(expected)).toBe(true);
    expect(readdirSync(d).sort()).toEqual(["ours.csv", "pandas.csv", "table.arrow"]);
    expect(pandas("read_back", ours, join(d, "table.arrow")).trim()).toBe("same");
  });

  it("writes a single batch the same as the same rows in many batches", async () => {
    const table = wideTable(400);
    const one = join(dir(), "one.csv");
    const many = join(dir(), "many.csv");
    await csv.write(one, table.batches);
    await csv.write(many, cut(table, [1, 2, 3, 50, 51, 399]));
    expect(readFileSync(many).equals(readFileSync(one))).toBe(true);
  });

  it("formats floats as Python's repr and numpy's str of float32 and float16", () => {
    expect([0.1, 1e-5, 1e16, 1e15, -0, 0, Infinity, -Infinity, NaN, 1.2345678901234568e17, 5e-324, 100, 1e22, 0.0001].map((x) => formatFloat(x))).toEqual([
      "0.1", "1e-05", "1e+16", "1000000000000000.0", "-0.0", "0.0", "inf", "-inf", "", "1.2345678901234568e+17", "5e-324", "100.0", "1e+22", "0.0001",
    ]);
    expect([Math.fround(0.1), Math.fround(1e-4), 1e6, 999999.9375, Math.fround(1 / 3), 16777216].map((x) => formatFloat(x, 32))).toEqual(["0.1", "1e-04", "1e+06", "999999.94", "0.33333334", "1.6777216e+07"]);
  });

  it("quotes only where needed, writes a lone empty field as \"\", and quotes a carriage return (pandas on Python 3.11 does not)", async () => {
    const d = dir();
    const table = new A.Table({ "a,b": A.vectorFromArray(["x", null, "", 'q"', "cr\rhere", " lead"], new A.Utf8()) });
    await csv.write(join(d, "one.csv"), table.batches);
    expect(readFileSync(join(d, "one.csv"), "utf8")).toBe('"a,b"\nx\n""\n""\n"q"""\n"cr\rhere"\n lead\n');
    // pandas reads the carriage return back inside its field.
    const [read] = JSON.parse(pandas("read", join(d, "one.csv"))) as Record<string, { values: unknown[] }>[];
    expect(read["a,b"].values).toEqual(["x", null, null, 'q"', "cr\rhere", " lead"]);
  });

  it("writes a header of no rows, and an empty line for no batches at all, as pandas does", async () => {
    const d = dir();
    const empty = new A.Table({ a: A.vectorFromArray([], new A.Int64()), b: A.vectorFromArray([], new A.Utf8()) });
    await csv.write(join(d, "header.csv"), empty.batches.length > 0 ? empty.batches : [new A.RecordBatch(empty.schema)]);
    expect(readFileSync(join(d, "header.csv"), "utf8")).toBe("a,b\n");
    await csv.write(join(d, "none.csv"), []);
    expect(readFileSync(join(d, "none.csv"), "utf8")).toBe("\n");
  });

  it("writes a dictionary-encoded string column as its values", async () => {
    const path = join(dir(), "dict.csv");
    const dictionary = A.vectorFromArray(["x", "y,z", null, "x"], new A.Dictionary(new A.Utf8(), new A.Int32()));
    await csv.write(path, new A.Table({ d: dictionary }).batches);
    expect(readFileSync(path, "utf8")).toBe('d\nx\n"y,z"\n""\nx\n');
  });
});

describe("atomic writes", () => {
  it("replaces a file whole, and leaves nothing when the batches fail midway or a column cannot be written", async () => {
    const d = dir();
    const target = join(d, ".csv");
    writeFileSync(target, "old\n");
    const table = wideTable(50);
    async function* failing(): AsyncGenerator<A.RecordBatch> {
      yield table.slice(0, 10).batches[0];
      throw new Error("the producer broke");
    }
    await expect(csv.write(target, failing())).rejects.toThrow("the producer broke");
    expect(readdirSync(d)).toEqual([".csv"]);
    expect(readFileSync(target, "utf8")).toBe("old\n");

    const list = A.vectorFromArray([[1], [2]], new A.List(new A.Field("item", new A.Int32())));
    const error = await csv.write(target, new A.Table({ l: list }).batches).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TableFormatError);
    expect(String((error as Error).message)).toBe(`${target}, column 'l': cannot write a column of type List<Int32> as CSV; cast it to a string, number, bool, timestamp, date or duration column first`);
    expect(readdirSync(d)).toEqual([".csv"]);

    // Batches whose columns differ from the first batch's.
    const other = new A.Table({ x: A.vectorFromArray([1], new A.Int32()) });
    const mixed = await csv.write(target, [...table.slice(0, 5).batches, ...other.batches]).catch((e: unknown) => e);
    expect(String((mixed as Error).message)).toMatch(/^.*\.csv: expected every batch with the first batch's columns \(id: Int64, /);
    expect(readdirSync(d)).toEqual([".csv"]);

    await csv.write(target, table.batches);
    expect(readFileSync(target, "utf8").split("\n")[0]).toBe(table.schema.fields.map((f) => f.name).join(","));
    expect(readdirSync(d)).toEqual([".csv"]);
  });

  it("removes the temporary file when the rename into place fails", async () => {
    const d = dir();
    const blocked = join(d, "blocked.csv");
    mkdirSync(blocked);
    writeFileSync(join(blocked, "keep"), "x");
    await expect(csv.write(blocked, wideTable(5).batches)).rejects.toThrow();
    expect(readdirSync(d)).toEqual(["blocked.csv"]);
  });
});

describe("reading, against pandas' read_csv", () => {
  it("reads what pandas writes to the values pandas reads", async () => {
    const d = dir();
    const path = join(d, ".csv");
    const { read, epochs_ns: epochs } = JSON.parse(pandas("sample", path)) as {
      read: Record<string, { dtype: string; values: (string | boolean | null)[] }>;
      epochs_ns: Record<string, (string | null)[]>;
    };
    const table = await readTable(path);
    expect(table.schema.fields.map((f) => `${f.name}: ${f.type}`)).toEqual([
      "id: Int64", "score: Float64", "name: Utf8", "flag: Bool", "maybe: Bool", "note: Utf8", "count: Int64", "at: Utf8", "at_ns: Utf8", "at_utc: Utf8", "day: Utf8",
    ]);
    // pandas' dtypes: ours differ where pandas has no nullable type (count: float64 there, Int64 here;
    // maybe: object of True/False/NaN there, Bool with nulls here).
    expect(Object.fromEntries(Object.entries(read).map(([k, v]) => [k, v.dtype]))).toEqual({
      id: "int64", score: "float64", name: "object", flag: "bool", maybe: "object", note: "object", count: "float64", at: "object", at_ns: "object", at_utc: "object", day: "object",
    });
    for (const f of table.schema.fields) {
      const ours = values(table, f.name);
      const theirs = read[f.name].values;
      const same = ours.map((v, i) => {
        const t = theirs[i];
        if (v === null || t === null) return v === t;
        if (typeof v === "number") return Object.is(v, Number(t));
        if (f.name === "count") return Number(v) === Number(t);
        return v === t;
      });
      expect({ column: f.name, same }).toEqual({ column: f.name, same: ours.map(() => true) });
    }
    // Declared types read the timestamps as timestamps, to the instants pandas had.
    const typed = await readTable(path, {
      columns: ["at", "at_ns", "at_utc", "day"],
      types: { at: new A.TimestampMicrosecond(), at_ns: new A.TimestampNanosecond(), at_utc: new A.TimestampMicrosecond("UTC"), day: new A.DateDay() },
    });
    expect(typed.schema.fields.map((f) => f.name)).toEqual(["at", "at_ns", "at_utc", "day"]);
    const toNs: Record<string, (v: unknown) => string | null> = {
      at: (v) => (v === null ? null : String(BigInt(v as bigint) * 1000n)),
      at_ns: (v) => (v === null ? null : String(v)),
      at_utc: (v) => (v === null ? null : String(BigInt(v as bigint) * 1000n)),
      day: (v) => (v === null ? null : String(BigInt(v as number) * 1_000_000n)),
    };
    for (const name of ["at", "at_ns", "at_utc"]) {
      expect({ name, values: typed.getChild(name)!.data[0].values.length > 0 ? rawValues(typed, name).map(toNs[name]) : [] }).toEqual({ name, values: epochs[name] });
    }
    expect(rawValues(typed, "day").map((v) => (v === null ? null : String(BigInt(v as number) * 86_400_000_000_000n)))).toEqual(epochs.day);
  });

  it("infers column types as pandas does", async () => {
    const cases: [text: string, ours: string, pandasDtype: string][] = [
      ["a\n1\n-2\n+3\n007\n 5 \n", "Int64", "int64"],
      ["a\n1\n\n3\n", "Int64", "int64"],
      ["a,b\n1,x\n,y\n3,z\n", "Int64", "float64"],
      ["a\n9223372036854775807\n-9223372036854775808\n", "Int64", "int64"],
      ["a\n9223372036854775808\n1\n", "Uint64", "uint64"],
      ["a\n9223372036854775808\n-1\n", "Utf8", "object"],
      ["a\n18446744073709551616\n", "Utf8", "object"],
      ["a\n9223372036854775808\n1.5\n", "Float64", "float64"],
      ["a\n1.5\n.5\n5.\n1e3\n-1E-3\n+2.5\ninf\n-Infinity\nINF\n1e-400\n", "Float64", "float64"],
      ["a\n1\n1.5\n", "Float64", "float64"],
      ["a\n1e400\n", "Utf8", "object"],
      ["a\nTrue\nfalse\nTRUE\nFalse\n", "Bool", "bool"],
      ["a,b\nTrue,1\n,2\nFalse,3\n", "Bool", "object"],
      ["a\nTrue\nyes\n", "Utf8", "object"],
      ["a\ntRuE\nFaLsE\n", "Bool", "bool"],
      ["a\nTrue \n", "Utf8", "object"],
      ["a\n1\nTrue\n", "Utf8", "object"],
      ["a\n1\n0\n", "Int64", "int64"],
      ["a\n0x10\n", "Utf8", "object"],
      ["a\n1_000\n", "Utf8", "object"],
      ["a,b\nNA,1\nnull,2\nNone,3\nn/a,4\nnan,5\n<NA>,6\n#N/A,7\n", "Float64", "float64"],
      ["a,b\n,1\n,2\n", "Float64", "float64"],
      ["a,b\n", "Utf8", "object"],
      ['a\n"1"\n"2"\n', "Int64", "int64"],
      ["a\nNAN\n", "Utf8", "object"],
      ["a\n1.5\nNaN\n-NaN\n", "Float64", "float64"],
    ];
    const paths = cases.map(([text]) => file(text));
    const theirs = JSON.parse(pandas("read", ...paths)) as Record<string, { dtype: string }>[];
    const ours: string[] = [];
    for (const path of paths) ours.push(String((await readTable(path)).schema.fields[0].type));
    expect(cases.map(([text, type, dtype], i) => ({ text, ours: ours[i], pandas: theirs[i].a.dtype }))).toEqual(cases.map(([text, type, dtype]) => ({ text, ours: type, pandas: dtype })));
    // And the values: integers exact, NA strings null, inf.
    expect(values(await readTable(paths[0]), "a")).toEqual(["1", "-2", "3", "7", "5"]);
    expect(values(await readTable(paths[2]), "a")).toEqual(["1", null, "3"]);
    expect(values(await readTable(paths[4]), "a")).toEqual(["9223372036854775808", "1"]);
    expect(values(await readTable(paths[8]), "a")).toEqual([1.5, 0.5, 5, 1000, -0.001, 2.5, Infinity, -Infinity, Infinity, 0]);
    expect(values(await readTable(paths[12]), "a")).toEqual([true, null, false]);
    expect(values(await readTable(paths[20]), "a")).toEqual([null, null, null, null, null, null, null]);
  });

  it("names header columns as pandas does: Unnamed for an empty name, repeated names numbered", async () => {
    const headers = ["a,a,a", "a,a.1,a", "a.1,a,a", "a,a,a.1,a.1", "a,,b,", "x,x,x.1,x.2,x", "a,b,a,b,a.1"];
    const paths = headers.map((h) => file(`${h}\n${h.split(",").map((_v, i) => i).join(",")}\n`));
    const theirs = JSON.parse(pandas("read", ...paths)) as Record<string, unknown>[];
    expect(headers.map((h) => headerNames(h.split(",")))).toEqual(theirs.map((t) => Object.keys(t)));
    expect((await readTable(paths[3])).schema.fields.map((f) => f.name)).toEqual(["a", "a.2", "a.1", "a.1.1"]);
  });

  it("skips a UTF-8 BOM and blank lines, and takes CRLF and CR line ends", async () => {
    const bom = file(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from("a,b\r\n1,x\r\n\r\n2,\"y\r\nz\"\r\n")]));
    const t = await readTable(bom);
    expect(t.schema.fields.map((f) => f.name)).toEqual(["a", "b"]);
    expect(values(t, "a")).toEqual(["1", "2"]);
    expect(values(t, "b")).toEqual(["x", "y\r\nz"]);
    const cr = await readTable(file("a,b\r1,2\r\r3,4"));
    expect(values(cr, "b")).toEqual(["2", "4"]);
    const blank = await readTable(file("\n\na\n1\n  \n2\n\n"));
    expect(values(blank, "a")).toEqual(["1", "2"]);
    // Text after a closing quote stays in the field, a quote inside a field is a character (as pandas).
    const loose = await readTable(file('a,b\n"ab"c,x"y\n'));
    expect([values(loose, "a"), values(loose, "b")]).toEqual([["abc"], ['x"y']]);
  });

  it("reads declared types, and a field that is not its type is an error naming the file, line, column, type and text", async () => {
    const path = file('id,at,took,ok,name,x\n1,2024-01-02 03:04:05.123456,1 days 00:00:01.5,True,"multi\nline",1.0\n2,2024-01-02,-1 days +23:59:59,false,b,2\n3,2024-01-02T03:04:05+01:00,2 days,,c,\n4,oops,0 days,True,d,3\n');
    const types = { id: new A.Int32(), at: new A.TimestampMicrosecond(), took: new A.DurationMicrosecond(), ok: new A.Bool(), name: new A.Utf8(), x: new A.Int64() };
    const rows3 = await readTable(path, { types, batchSize: 2 }).catch((e: unknown) => e);
    expect(rows3).toBeInstanceOf(TableFormatError);
    // The line counts the line break inside the quoted field.
    expect((rows3 as Error).message).toBe(`${path}, line 6, column 'at': expected Timestamp<MICROSECOND> (its declared type), got "oops"`);
    const t = await readTable(path, { types, columns: ["id", "took", "ok", "x", "name"] });
    expect(t.schema.fields.map((f) => `${f.name}: ${f.type}`)).toEqual(["id: Int32", "took: Duration<MICROSECOND>", "ok: Bool", "x: Int64", "name: Utf8"]);
    expect(values(t, "took")).toEqual([86_401_500_000n, -1_000_000n, 2n * 86_400_000_000n, 0n].map(String));
    expect(values(t, "ok")).toEqual([true, false, null, true]);
    expect(values(t, "x")).toEqual(["1", "2", null, "3"]);
    const at = await readTable(path, { types: { at: new A.TimestampMicrosecond("UTC") }, columns: ["at"], batchSize: 3 }).catch((e: unknown) => e);
    expect((at as Error).message).toMatch(/line 6, column 'at'/);
    const four = await readTable(file("at\n2024-01-02 03:04:05.123456\n2024-01-02\n2024-01-02T03:04:05+01:00\nNaT\n"), { types: { at: new A.TimestampMicrosecond("UTC") } });
    expect(rawValues(four, "at").map(String)).toEqual(["1704164645123456", "1704153600000000", "1704161045000000", "null"]);
    // A wall time without an offset in a zoned column is that zone's.
    const ny = await readTable(file("at\n2024-01-02 03:04:05\n2024-07-02 03:04:05\n"), { types: { at: new A.TimestampSecond("America/New_York") } });
    expect(rawValues(ny, "at").map(String)).toEqual([String(Date.UTC(2024, 0, 2, 8, 4, 5) / 1000), String(Date.UTC(2024, 6, 2, 7, 4, 5) / 1000)]);
    // Out of range, more precise than the unit, not a number.
    const bad = file("a,b,c\n300,2024-01-02 00:00:00.123,x\n");
    expect((await readError(bad, { types: { a: new A.Int8() }, columns: ["a"] })).message).toBe(`${bad}, line 2, column 'a': expected Int8 (its declared type), got "300": out of its range`);
    expect((await readError(bad, { types: { b: new A.TimestampSecond() }, columns: ["b"] })).message).toBe(`${bad}, line 2, column 'b': expected Timestamp<SECOND> (its declared type), got "2024-01-02 00:00:00.123": more precise than its unit`);
    expect((await readError(bad, { types: { c: new A.Float64() }, columns: ["c"] })).message).toBe(`${bad}, line 2, column 'c': expected Float64 (its declared type), got "x"`);
    // A column not read is not converted: its bad values do not matter.
    expect(values(await readTable(bad, { types: { c: new A.Float64() }, columns: ["a"] }), "a")).toEqual(["300"]);
    // A type CSV has no text for.
    expect((await readError(bad, { types: { a: new A.List(new A.Field("i", new A.Int32())) } })).message).toBe(
      `${bad}, column 'a': cannot read a CSV column as List<Int32>; declare it as an integer, float, string, bool, timestamp, date or duration type`,
    );
  });

  it("reads only the projected columns, in the projection's order; a column the file lacks is an error", async () => {
    const path = file("a,b,c\n1,x,2.5\n2,y,\n");
    const t = await readTable(path, { columns: ["c", "a"] });
    expect(t.schema.fields.map((f) => `${f.name}: ${f.type}`)).toEqual(["c: Float64", "a: Int64"]);
    expect(values(t, "c")).toEqual([2.5, null]);
    const twice = await readTable(path, { columns: ["b", "b"], types: { b: new A.Utf8() } });
    expect([...twice.batches[0].data.children].map((d) => [...A.makeVector(d)])).toEqual([["x", "y"], ["x", "y"]]);
    expect((await readError(path, { columns: ["a", "z"] })).message).toBe(`${path}: has no column 'z'; its columns are 'a', 'b', 'c'`);
    expect(String(await csv.schema(path, { columns: ["b"] }))).toBe("Schema<{ 0: b: Utf8 }>");
  });
});

describe("bad files", () => {
  it("a row with more or fewer fields than the header names the file, its line and both counts", async () => {
    const more = file('a,b\n1,2\n"x\ny",3\n4,5,6\n');
    expect((await readError(more)).message).toBe(`${more}, line 5: expected 2 fields (as many as the header has), got 3: every row of a CSV file has the header's number of fields`);
    const fewer = file("a,b,c\n1,2,3\n4,5\n");
    expect((await readError(fewer)).message).toBe(`${fewer}, line 3: expected 3 fields (as many as the header has), got 2: every row of a CSV file has the header's number of fields`);
    // pandas refuses the longer row too (and fills the shorter one with NaN; we refuse it).
    const [m, f] = JSON.parse(pandas("read", more, fewer)) as { error?: string }[];
    // (pandas counts rows where we count the file's lines: its line 4 is the record on our line 5.)
    expect(m.error).toMatch(/Expected 2 fields in line 4, saw 3/);
    expect(f.error).toBeUndefined();
  });

  it("a quote still open at the end of the file names the line it opened on", async () => {
    const path = file('a,b\n1,2\n3,"open\nmore\n');
    expect((await readError(path)).message).toBe(`${path}, line 3: a quoted field is not closed before the end of the file (a quote is missing)`);
  });

  it("an empty file, or one of blank lines, has no header", async () => {
    for (const text of ["", "\n\n", "\ufeff"]) {
      const path = file(text);
      expect((await readError(path)).message).toBe(`${path}: the file is empty: a CSV file starts with a header line naming its columns`);
      await expect(csv.schema(path)).rejects.toThrow("the file is empty");
    }
  });

  it("text that is not UTF-8 is an error naming the line", async () => {
    const path = file(Buffer.concat([Buffer.from("a,b\n1,ok\n2,"), Buffer.from([0xff, 0xfe]), Buffer.from("\n")]));
    expect((await readError(path)).message).toBe(`${path}, line 3, column 'b': expected Utf8 (its inferred type), got "\ufffd\ufffd": the file is not UTF-8 text there`);
  });

  it("a missing file is a TableFormatError naming it", async () => {
    const path = join(dir(), "missing.csv");
    expect((await readError(path)).message).toMatch(new RegExp(`^${path}: cannot be read: ENOENT`));
  });
});

describe("schema", () => {
  it(`gives the header's names with declared types, and types inferred from the first ${SCHEMA_SAMPLE_ROWS} rows; read() infers from every row`, async () => {
    const rows = Array.from({ length: 1500 }, (_v, i) => `${i},${i === 1400 ? "2.5" : i},${i % 2 === 0}`);
    const path = file(`n,late,flag\n${rows.join("\n")}\n`);
    expect(String(await csv.schema(path))).toBe("Schema<{ 0: n: Int64, 1: late: Int64, 2: flag: Bool }>");
    expect(String(await csv.schema(path, { types: { n: new A.Float32() } }))).toBe("Schema<{ 0: n: Float32, 1: late: Int64, 2: flag: Bool }>");
    // The row that the sample did not see widens the column when reading...
    const t = await readTable(path, { batchSize: 1000 });
    expect(String(t.schema)).toBe("Schema<{ 0: n: Int64, 1: late: Float64, 2: flag: Bool }>");
    expect(t.getChild("late")!.get(1400)).toBe(2.5);
    expect(t.getChild("late")!.get(1399)).toBe(1399);
    // ...and reading with the sample's schema as declared types fails on it, naming it.
    const sampled = await csv.schema(path);
    const types = Object.fromEntries(sampled.fields.map((f) => [f.name, f.type]));
    expect((await readError(path, { types })).message).toBe(`${path}, line 1402, column 'late': expected Int64 (its declared type), got "2.5"`);
  });
});

describe("streaming", () => {
  it("emits batches of at most batchSize rows, with one schema; a file of no rows gives one empty batch", async () => {
    const path = file(`a,b\n${Array.from({ length: 95 }, (_v, i) => `${i},"x${i}\n"`).join("\n")}\n`);
    const sizes: number[] = [];
    const schemas = new Set<string>();
    for await (const batch of csv.read(path, { batchSize: 10 })) {
      sizes.push(batch.numRows);
      schemas.add(String(batch.schema));
    }
    expect(sizes).toEqual([10, 10, 10, 10, 10, 10, 10, 10, 10, 5]);
    expect([...schemas]).toEqual(["Schema<{ 0: a: Int64, 1: b: Utf8 }>"]);
    const empty: A.RecordBatch[] = [];
    for await (const batch of csv.read(file("a,b\n"))) empty.push(batch);
    expect(empty.map((b) => [b.numRows, String(b.schema)])).toEqual([[0, "Schema<{ 0: a: Utf8, 1: b: Utf8 }>"]]);
    const typed = await readTable(file("a,b\n"), { types: { a: new A.Int64(), b: new A.TimestampMicrosecond() } });
    expect([typed.numRows, String(typed.schema), typed.batches.length]).toEqual([0, "Schema<{ 0: a: Int64, 1: b: Timestamp<MICROSECOND> }>", 1]);
  });

  it("reads a file of several read chunks (records, quotes and CRLF cut at chunk edges) to the values pandas reads", async () => {
    const rnd = seededRandom(7);
    const lines = ["id,text,x"];
    for (let i = 0, size = 0; size < 3.5 * (1 << 20); i++) {
      const text = Array.from({ length: Math.floor(rnd() * 40) }, () => ["a", ",", '""', "\r\n", "\n", "é", " "][Math.floor(rnd() * 7)]).join("");
      lines.push(`${i},"${text}",${(rnd() * 100).toFixed(3)}`);
      size += lines[lines.length - 1].length + 2;
    }
    const path = file(`${lines.join("\r\n")}\r\n`);
    const t = await readTable(path, { batchSize: 4096 });
    const [theirs] = JSON.parse(pandas("read", path)) as Record<string, { values: (string | null)[] }>[];
    expect(t.numRows).toBe(lines.length - 1);
    expect(values(t, "id")).toEqual(theirs.id.values);
    expect(values(t, "text")).toEqual(theirs.text.values);
    expect(values(t, "x")).toEqual(theirs.x.values.map((v) => (v === null ? null : Number(v))));
  });

  it("reads a file much larger than its batches in memory bounded by a batch (a child process's peak RSS)", async () => {
    const path = join(dir(), "big.csv");
    // About 200 MiB of rows, 65,536 rows (6 MiB of text) a batch.
    const handle = await open(path, "w");
    await handle.write("id,score,name,flag,at\n");
    let size = 0;
    for (let i = 0; size < 200 * (1 << 20); ) {
      const rows: string[] = [];
      for (const end = i + 100_000; i < end; i++) {
        rows.push(`${i},${(i * 0.37).toFixed(2)},name ${i} with some text to make the row longer,${i % 2 === 0 ? "True" : "False"},2024-01-02 03:04:${String(i % 60).padStart(2, "0")}\n`);
      }
      const text = rows.join("");
      size += text.length;
      await handle.write(text);
    }
    await handle.close();
    const result = await runMeasure(path);
    expect(result.rows).toBeGreaterThan(2_000_000);
    expect(result.maxBatch).toBe(65_536);
    // Peak RSS above the process's baseline (Node and Arrow loaded), collecting garbage after each
    // batch: what reading holds is a few batches, not the file (measured: about 40 MiB for 200).
    expect(result.peakMiB - result.baseMiB).toBeLessThan(64);
  }, 300_000);
});

/** The stored values of a column (a timestamp's bigint, where Arrow's get() gives milliseconds). */
function rawValues(table: A.Table, name: string): unknown[] {
  return table.getChild(name)!.data.flatMap((d) => Array.from({ length: d.length }, (_v, i) => (d.getValid(i) ? (d.values as ArrayLike<unknown>)[i] : null)));
}

/**
 * Reads a file in a child process (the codec bundled with esbuild), collecting garbage after each
 * batch, and reports its row count, largest batch and peak RSS.
 */
async function runMeasure(path: string): Promise<{ rows: number; maxBatch: number; baseMiB: number; peakMiB: number }> {
  const esbuild = await import("esbuild");
  const d = dir();
  const entry = join(d, "measure.ts");
  writeFileSync(
    entry,
    `import { csv } from ${JSON.stringify(join(import.meta.dirname, "csv.ts"))};
await import("apache-arrow");
declare const gc: () => void;
const rss = () => process.memoryUsage().rss / (1 << 20);
gc();
const baseMiB = rss();
let peakMiB = baseMiB, rows = 0, maxBatch = 0;
const timer = setInterval(() => { peakMiB = Math.max(peakMiB, rss()); }, 5);
for await (const batch of csv.read(process.argv[2])) { rows += batch.numRows; maxBatch = Math.max(maxBatch, batch.numRows); peakMiB = Math.max(peakMiB, rss()); gc(); }
clearInterval(timer);
process.stdout.write(JSON.stringify({ rows, maxBatch, baseMiB, peakMiB: Math.max(peakMiB, process.resourceUsage().maxRSS / 1024) }));
`,
  );
  const bundle = join(d, "measure.mjs");
  await esbuild.build({ entryPoints: [entry], bundle: true, platform: "node", format: "esm", outfile: bundle, logLevel: "silent", conditions: ["flytekit-ts-source"], nodePaths: [join(import.meta.dirname, "../../../../node_modules")] });
  expect(existsSync(bundle)).toBe(true);
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--expose-gc", bundle, path], { stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (b: Buffer) => (stdout += b.toString()));
    child.stderr.on("data", (b: Buffer) => (stderr += b.toString()));
    child.on("error", reject);
    child.on("close", (code) => (code === 0 ? resolve(JSON.parse(stdout)) : reject(new Error(`measure exited ${code}: ${stderr}`))));
  });
}
