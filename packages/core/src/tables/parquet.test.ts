// The Parquet codec against the real pandas 2.3 and pyarrow 26 of the flytekit venv: what they
// write we read with the same values and types, what we write they read back as written; a
// projection reads only its columns' chunks; a file that is not Parquet, cut short or corrupt is a
// TableFormatError naming it, and the codec works on after it.
import {
  Binary,
  Bool,
  DataType,
  DateDay,
  Dictionary,
  Float64,
  Int32,
  Int64,
  makeData,
  makeVector,
  RecordBatch,
  Schema,
  Field,
  Struct,
  Table,
  TimestampMicrosecond,
  TimestampNanosecond,
  Utf8,
  vectorFromArray,
  type Data,
  type Vector,
} from "apache-arrow";
import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { TableFormatError } from "./errors.js";
import { FileRanges, parquetCodec as parquet } from "./parquet.js";
import { loadParquet, releaseIfLarge } from "./runtime.js";

const INTEROP = join(dirname(fileURLToPath(import.meta.url)), "__fixtures__", "parquet_interop.py");
const REPO = join(dirname(fileURLToPath(import.meta.url)), "../../../..");
let python: string;
let dir: string;

beforeAll(async () => {
  // The flytekit venv's python (pandas 2.3, pyarrow 26), installed once as every interop test does;
  // imported by its path so that core's import graph (test/architecture.test.ts) does not take test/ in.
  const support = (await import(join(REPO, "test/support/python.ts"))) as { ensureFlytekit(): { python: string } };
  python = support.ensureFlytekit().python;
  dir = mkdtempSync(join(tmpdir(), "flytekit-ts-parquet-"));
}, 300_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

interface PyColumn {
  type: string;
  dtype: string;
  values: unknown[];
  pandas: (string | null)[];
  compression: string | null;
  encodings: string[];
}
interface PyRead {
  rows: number;
  row_groups: number;
  created_by: string;
  columns: Record<string, PyColumn>;
}

function py(...args: string[]): string {
  return execFileSync(python, [INTEROP, ...args], { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
}
function pyWrite(kind: string): string {
  const path = join(dir, `${kind}-${Math.random().toString(36).slice(2)}.parquet`);
  py("write", kind, path);
  return path;
}
function pyRead(path: string): PyRead {
  return JSON.parse(py("read", path)) as PyRead;
}

async function readAll(path: string, options?: Parameters<typeof parquet.read>[1]): Promise<RecordBatch[]> {
  const batches: RecordBatch[] = [];
  for await (const batch of parquet.read(path, options)) batches.push(batch);
  return batches;
}

/** A column's values as the Python side prints them: integers and timestamps as decimal text, dates as days, NaN as "NaN". */
function values(vector: Vector | undefined): unknown[] {
  if (vector === undefined) throw new Error("no such column");
  const out: unknown[] = [];
  for (const data of vector.data) out.push(...dataValues(data));
  return out;
}
function dataValues(data: Data): unknown[] {
  const out: unknown[] = [];
  const type = data.type as DataType;
  const one = makeVector(data);
  for (let i = 0; i < data.length; i++) {
    if (!data.getValid(i)) out.push(null);
    else if (DataType.isDictionary(type)) out.push(data.dictionary!.get(Number(data.values[data.offset + i])));
    else if (DataType.isTimestamp(type) || DataType.isInt(type)) out.push(String(data.values[data.offset + i]));
    else if (DataType.isDate(type)) out.push(Number(data.values[data.offset + i]));
    else if (DataType.isBinary(type)) out.push(Buffer.from(one.get(i) as Uint8Array).toString("hex"));
    else if (DataType.isFloat(type)) out.push(Number.isNaN(one.get(i)) ? "NaN" : one.get(i));
    else out.push(one.get(i));
  }
  return out;
}

/** A column of 64-bit values (Int64, timestamps) from bigints and nulls, built without a lossy builder. */
function bigColumn<T extends Int64 | TimestampMicrosecond | TimestampNanosecond>(type: T, items: (bigint | null)[]): Data<T> {
  const bitmap = new Uint8Array(Math.ceil(items.length / 8));
  const valuesArray = new BigInt64Array(items.length);
  items.forEach((v, i) => {
    if (v !== null) {
      bitmap[i >> 3]! |= 1 << (i & 7);
      valuesArray[i] = v;
    }
  });
  const nulls = items.filter((v) => v === null).length;
  return makeData({ type, length: items.length, nullCount: nulls, nullBitmap: nulls > 0 ? bitmap : null, data: valuesArray } as never) as unknown as Data<T>;
}

function batchOf(columns: Record<string, Data>): RecordBatch {
  const fields = Object.entries(columns).map(([name, data]) => new Field(name, data.type, true));
  const length = Object.values(columns)[0]!.length;
  return new RecordBatch(new Schema(fields), makeData({ type: new Struct(fields), length, nullCount: 0, children: Object.values(columns) }));
}

/** Every kind of column a task writes, with nulls in each: rows `from` .. `from + n`. */
function everyKind(from: number, n: number): RecordBatch {
  const rows = Array.from({ length: n }, (_, k) => from + k);
  const nth = (i: number, every: number) => i % every === 3;
  return batchOf({
    id: bigColumn(new Int64(), rows.map((i) => (nth(i, 7) ? null : BigInt(i) * 1_000_000_007n - 2n ** 62n))),
    i32: vectorFromArray(rows.map((i) => (nth(i, 5) ? null : i - 50)), new Int32()).data[0]!,
    x: vectorFromArray(rows.map((i) => (nth(i, 6) ? null : i % 10 === 0 ? Number.NaN : i / 8 - 3)), new Float64()).data[0]!,
    name: vectorFromArray(rows.map((i) => (nth(i, 4) ? null : i % 3 === 0 ? "" : `ünïcødé ${i} ✓ 日本`)), new Utf8()).data[0]!,
    flag: vectorFromArray(rows.map((i) => (nth(i, 9) ? null : i % 2 === 0)), new Bool()).data[0]!,
    us: bigColumn(new TimestampMicrosecond(), rows.map((i) => (nth(i, 8) ? null : 1_700_000_000_000_000n + BigInt(i) * 1_000_001n))),
    us_paris: bigColumn(new TimestampMicrosecond("Europe/Paris"), rows.map((i) => (nth(i, 10) ? null : -86_400_000_000n * BigInt(i)))),
    ns: bigColumn(new TimestampNanosecond(), rows.map((i) => (nth(i, 11) ? null : 1_700_000_000_123_456_789n + BigInt(i)))),
    ns_utc: bigColumn(new TimestampNanosecond("UTC"), rows.map((i) => (nth(i, 12) ? null : BigInt(i) * 999_999_999n))),
    day: vectorFromArray(rows.map((i) => (nth(i, 13) ? null : i - 20_000)), new DateDay()).data[0]!,
    color: vectorFromArray(rows.map((i) => (nth(i, 14) ? null : ["red", "green", "blue"][i % 3]!)), new Dictionary(new Utf8(), new Int32())).data[0]!,
    bytes: vectorFromArray(rows.map((i) => (nth(i, 15) ? null : new Uint8Array([i & 255, 0, 255]))), new Binary()).data[0]!,
  });
}

/** A column's values across batches (batches of different dictionaries make no Table). */
function columnValues(batches: RecordBatch[], name: string): unknown[] {
  return batches.flatMap((b) => values(b.getChild(name)!));
}

function expectSameColumns(got: RecordBatch[], want: RecordBatch[]): void {
  const schema = want[0]!.schema;
  expect(got[0]!.schema.fields.map((f) => f.name)).toEqual(schema.fields.map((f) => f.name));
  for (const field of schema.fields) {
    expect(String(got[0]!.schema.fields.find((f) => f.name === field.name)!.type), field.name).toBe(String(field.type));
    expect(columnValues(got, field.name), field.name).toEqual(columnValues(want, field.name));
  }
}

describe("files flytekit's encoders write (pandas to_parquet, pyarrow write_table) read as Arrow", () => {
  it("a pandas DataFrame as flytekit writes it: every column with its values and type, the time zone and pandas' metadata kept", async () => {
    const path = pyWrite("flytekit");
    const want = pyRead(path);
    const table = new Table(await readAll(path));
    expect(table.numRows).toBe(5);
    const types = Object.fromEntries(table.schema.fields.map((f) => [f.name, String(f.type)]));
    expect(types).toEqual({
      id: "Int64",
      nullable_int: "Int64",
      x: "Float64",
      name: "Utf8",
      flag: "Bool",
      maybe: "Bool",
      at: "Timestamp<MICROSECOND>",
      // arrow-rs alone reads it as UTC (pandas' ns became us); pyarrow's stored schema says where it was.
      zoned: "Timestamp<MICROSECOND, Europe/Paris>",
      day: "Date32<DAY>",
      category: "Dictionary<Int8, Utf8>",
    });
    expect(DataType.isDictionary(table.getChild("category")!.type)).toBe(true);
    for (const [name, column] of Object.entries(want.columns)) expect(values(table.getChild(name)!), name).toEqual(column.values);
    expect(JSON.parse(table.schema.metadata.get("pandas")!).columns.map((c: { name: string }) => c.name)).toContain("zoned");
    expect(table.schema.metadata.has("ARROW:schema")).toBe(false);
  });

  it("a pyarrow table in several row groups, in small batches: nanoseconds, zones, dictionaries, large strings, NaN and nulls", async () => {
    const path = pyWrite("pyarrow");
    const want = pyRead(path);
    expect(want.row_groups).toBe(4);
    const batches = await readAll(path, { batchSize: 128 });
    // Row groups of 300 rows, batches of at most 128 that do not span them.
    expect(batches.map((b) => b.numRows)).toEqual([128, 128, 44, 128, 128, 44, 128, 128, 44, 100]);
    const table = new Table(batches);
    expect(String(table.getChild("ns")!.type)).toBe("Timestamp<NANOSECOND>");
    expect(String(table.getChild("ns_utc")!.type)).toBe("Timestamp<NANOSECOND, UTC>");
    expect(String(table.getChild("us_tokyo")!.type)).toBe("Timestamp<MICROSECOND, Asia/Tokyo>");
    expect(String(table.getChild("big")!.type)).toBe("Utf8");
    for (const [name, column] of Object.entries(want.columns)) expect(values(table.getChild(name)!), name).toEqual(column.values);
  });

  it("a table of 0 rows: its schema, and no rows", async () => {
    const path = pyWrite("empty");
    const schema = await parquet.schema(path);
    expect(schema.fields.map((f) => `${f.name}: ${f.type}`)).toEqual(["a: Int64", "s: Utf8"]);
    const batches = await readAll(path);
    expect(batches.reduce((n, b) => n + b.numRows, 0)).toBe(0);
  });

  it("schema() reads the footer only: the columns and types, in file order", async () => {
    const path = pyWrite("pyarrow");
    const schema = await parquet.schema(path);
    expect(schema.fields.map((f) => f.name)).toEqual(["i", "f", "s", "big", "b", "ns", "ns_utc", "us_tokyo", "dict", "i32", "d"]);
    expect(String(schema.fields.find((f) => f.name === "us_tokyo")!.type)).toBe("Timestamp<MICROSECOND, Asia/Tokyo>");
    // A projection: those columns, in the order asked.
    expect((await parquet.schema(path, { columns: ["dict", "i"] })).fields.map((f) => `${f.name}: ${f.type}`)).toEqual(["dict: Dictionary<Int32, Utf8>", "i: Int64"]);
    await expect(parquet.schema(path, { columns: ["zz"] })).rejects.toThrow(/has no column 'zz' \(its columns: 'i', 'f', /);
  });
});

describe("files we write, read by pyarrow and pandas", () => {
  it("every kind of column with nulls, in several batches and row groups: the same values, timestamps pandas reads as datetime64", async () => {
    const path = join(dir, "every-kind.parquet");
    const batches = [everyKind(0, 250), everyKind(250, 500), everyKind(750, 1)];
    const { rows } = await parquet.write(path, batches, { rowGroupSize: 300 });
    expect(rows).toBe(751);
    const got = pyRead(path);
    expect(got.rows).toBe(751);
    expect(got.row_groups).toBe(3);
    for (const field of batches[0]!.schema.fields) expect(got.columns[field.name]!.values, field.name).toEqual(columnValues(batches, field.name));
    const types = Object.fromEntries(Object.entries(got.columns).map(([name, c]) => [name, `${c.type} / ${c.dtype}`]));
    expect(types).toEqual({
      id: "int64 / float64",
      i32: "int32 / float64",
      x: "double / float64",
      name: "string / object",
      flag: "bool / object",
      us: "timestamp[us] / datetime64[us]",
      us_paris: "timestamp[us, tz=Europe/Paris] / datetime64[us, Europe/Paris]",
      ns: "timestamp[ns] / datetime64[ns]",
      ns_utc: "timestamp[ns, tz=UTC] / datetime64[ns, UTC]",
      day: "date32[day] / object",
      color: "dictionary<values=string, indices=int32, ordered=0> / category",
      bytes: "binary / object",
    });
    // pyarrow's defaults: snappy, dictionary pages (strings of few values stay dictionary-encoded).
    expect(got.columns.name!.compression).toBe("SNAPPY");
    expect(got.columns.color!.encodings).toContain("RLE_DICTIONARY");
    // pandas' own view of a zoned timestamp and of a non-ASCII string.
    expect(got.columns.us_paris!.pandas[0]).toBe("1970-01-01T01:00:00+01:00");
    expect(got.columns.name!.pandas[1]).toBe("ünïcødé 1 ✓ 日本");
  });

  it("what we write we read back the same", async () => {
    const path = join(dir, "round-trip.parquet");
    const batches = [everyKind(0, 1000), everyKind(1000, 10)];
    await parquet.write(path, batches, { rowGroupSize: 256 });
    const back = await readAll(path, { batchSize: 100 });
    // Row groups of 256 rows (the writer fills each across batches: 1010 = 3 × 256 + 242), batches of at most 100 within them.
    expect(back.map((b) => b.numRows)).toEqual([100, 100, 56, 100, 100, 56, 100, 100, 56, 100, 100, 42]);
    // One schema for every batch: they make one Table.
    expect(new Table(back).numRows).toBe(1010);
    expectSameColumns(back, batches);
  });

  it("a table of 0 rows keeps its schema", async () => {
    const path = join(dir, "empty.parquet");
    const empty = everyKind(0, 0);
    expect(await parquet.write(path, [empty])).toEqual({ rows: 0 });
    const got = pyRead(path);
    expect(got.rows).toBe(0);
    expect(Object.keys(got.columns)).toEqual(empty.schema.fields.map((f) => f.name));
    expect(got.columns.us_paris!.type).toBe("timestamp[us, tz=Europe/Paris]");
    expect((await parquet.schema(path)).fields.map((f) => f.name)).toEqual(empty.schema.fields.map((f) => f.name));
  });

  it("a column with no null in the first batch (apache-arrow then calls it not nullable) and nulls in a later one", async () => {
    const path = join(dir, "nullable-later.parquet");
    const first = new Table({ n: makeVector(Int32Array.from([1, 2])) }).batches[0]!;
    const later = new Table({ n: vectorFromArray([3, null], new Int32()) }).batches[0]!;
    expect(first.schema.fields[0]!.nullable).toBe(false);
    await parquet.write(path, [first, later]);
    expect(columnValues(await readAll(path), "n")).toEqual(["1", "2", "3", null]);
    expect(pyRead(path).columns.n!.values).toEqual(["1", "2", "3", null]);
  });

  it("batches from an async iterable, one at a time", async () => {
    const path = join(dir, "async.parquet");
    let made = 0;
    async function* source() {
      for (let i = 0; i < 5; i++) {
        made++;
        yield everyKind(i * 100, 100);
      }
    }
    expect(await parquet.write(path, source(), { rowGroupSize: 128 })).toEqual({ rows: 500 });
    expect(made).toBe(5);
    expect(pyRead(path).row_groups).toBe(4);
  });
});

describe("a projection", () => {
  it("reads only the footer and its columns' chunks, and gives the columns in the order asked", async () => {
    const path = pyWrite("columns");
    // The byte ranges of each column chunk, from pyarrow.
    const chunks = JSON.parse(
      execFileSync(
        python,
        [
          "-c",
          "import json,sys,pyarrow.parquet as pq; m=pq.ParquetFile(sys.argv[1]).metadata; print(json.dumps([[m.row_group(g).column(c).path_in_schema, (m.row_group(g).column(c).dictionary_page_offset or m.row_group(g).column(c).data_page_offset), m.row_group(g).column(c).total_compressed_size] for g in range(m.num_row_groups) for c in range(m.num_columns)]))",
          path,
        ],
        { encoding: "utf8" },
      ),
    ) as [string, number, number][];
    const size = readFileSync(path).length;
    const slices: [number, number][] = [];
    const original = FileRanges.prototype.read;
    const spy = vi.spyOn(FileRanges.prototype, "read").mockImplementation(function (this: FileRanges, start: number, end: number) {
      slices.push([start, end]);
      return original.call(this, start, end);
    });
    try {
      const batches = await readAll(path, { columns: ["c4", "c1"] });
      const table = new Table(batches);
      expect(table.schema.fields.map((f) => f.name)).toEqual(["c4", "c1"]);
      expect(table.numRows).toBe(20000);
      expect(values(table.getChild("c1")!).slice(0, 3)).toEqual(["104729", "112648", "120567"]);
    } finally {
      spy.mockRestore();
    }
    const wanted = chunks.filter(([name]) => name === "c1" || name === "c4");
    const inside = ([start, end]: [number, number], [from, length]: [number, number]) => start >= from && end <= from + length;
    const footerStart = size - 8 - readFileSync(path).readUInt32LE(size - 8);
    // The first 4 bytes (the magic), the footer and its length, and the chunks of c1 and c4: nothing else.
    const magic = (range: [number, number]) => range[0] === 0 && range[1] === 4;
    for (const range of slices) {
      const ok = magic(range) || range[0] >= footerStart || wanted.some(([, from, length]) => inside(range, [from, length]));
      expect(ok, `read bytes ${range[0]}..${range[1]} outside the footer and the chunks of c1 and c4`).toBe(true);
    }
    const dataBytes = slices.filter((range) => !magic(range) && range[0] < footerStart).reduce((n, [s, e]) => n + e - s, 0);
    expect(dataBytes).toBe(wanted.reduce((n, [, , length]) => n + length, 0));
    // A third of the columns, a third of the file or so: not the whole of it.
    expect(dataBytes).toBeLessThan(size / 2);
  });

  it("of a column the file lacks is a TableFormatError naming the column and the file's columns", async () => {
    const path = pyWrite("columns");
    await expect(readAll(path, { columns: ["c1", "nope"] })).rejects.toThrow(
      new TableFormatError({ subject: path, problem: "has no column 'nope' (its columns: 'c0', 'c1', 'c2', 'c3', 'c4', 'c5')" }),
    );
  });
});

describe("a file that is not Parquet, cut short or corrupt", () => {
  async function failure(path: string): Promise<TableFormatError> {
    try {
      await readAll(path);
    } catch (error) {
      expect(error).toBeInstanceOf(TableFormatError);
      const e = error as TableFormatError;
      expect(e.subject).toBe(path);
      expect(e.message).not.toMatch(/unreachable|panicked|RuntimeError|wasm/i);
      return e;
    }
    throw new Error(`${path} was read`);
  }
  const good = () => readFileSync(pyWrite("pyarrow"));
  function file(name: string, bytes: Uint8Array): string {
    const path = join(dir, name);
    writeFileSync(path, bytes);
    return path;
  }
  /** After any failure the codec still reads a good file. */
  async function readsOn(): Promise<void> {
    const table = new Table(await readAll(pyWrite("pyarrow")));
    expect(table.numRows).toBe(1000);
  }

  it("an empty file", async () => {
    const path = file("empty.parquet", new Uint8Array(0));
    expect((await failure(path)).message).toBe(`${path}: is empty (0 bytes), not a Parquet file`);
    await expect(parquet.schema(path)).rejects.toThrow(`${path}: is empty (0 bytes), not a Parquet file`);
    await readsOn();
  });

  it("a CSV file", async () => {
    const path = file("table.csv", Buffer.from("a,b\n1,2\n"));
    expect((await failure(path)).message).toBe(`${path}: is not a Parquet file: it does not start with "PAR1" (8 bytes)`);
  });

  it("a missing file", async () => {
    const path = join(dir, "missing.parquet");
    expect((await failure(path)).message).toBe(`${path}: no such file`);
  });

  it("cut short at several points: in the first column chunk, in the middle, in the footer, in its last bytes", async () => {
    const bytes = good();
    for (const cut of [4, 5, 100, Math.floor(bytes.length / 2), bytes.length - 500, bytes.length - 8, bytes.length - 1]) {
      const path = file(`cut-${cut}.parquet`, bytes.subarray(0, cut));
      const e = await failure(path);
      expect(e.problem, `cut at ${cut}`).toMatch(/^is (cut short|not a Parquet file)/);
    }
    await readsOn();
  });

  it("a footer whose length says more than the file holds", async () => {
    const bytes = Buffer.from(good());
    bytes.writeUInt32LE(bytes.length, bytes.length - 8);
    const path = file("long-footer.parquet", bytes);
    expect((await failure(path)).problem).toBe(`is cut short or corrupt: its footer says it is ${bytes.length} bytes long, but the file has ${bytes.length} bytes`);
  });

  it("a footer that is not a footer", async () => {
    const bytes = Buffer.from(good());
    const footer = bytes.readUInt32LE(bytes.length - 8);
    bytes.fill(0x7f, bytes.length - 8 - footer, bytes.length - 8);
    const path = file("bad-footer.parquet", bytes);
    expect((await failure(path)).problem).toMatch(/^its footer cannot be read: /);
    await readsOn();
  });

  it("a column chunk whose bytes are corrupt (the footer intact): the row group named, no panic, and the next read works", async () => {
    const bytes = Buffer.from(good());
    // Every byte of the data pages of row group 1 scrambled; its footer entries still point at them.
    const [from, to] = JSON.parse(
      execFileSync(python, ["-c", "import json,sys,pyarrow.parquet as pq; g=pq.ParquetFile(sys.argv[1]).metadata.row_group(1); c=[g.column(i) for i in range(g.num_columns)]; print(json.dumps([min(x.dictionary_page_offset or x.data_page_offset for x in c), max((x.dictionary_page_offset or x.data_page_offset)+x.total_compressed_size for x in c)]))", file("probe.parquet", bytes)], { encoding: "utf8" }),
    ) as [number, number];
    for (let i = from; i < to; i++) bytes[i] = (bytes[i]! * 131 + 17) & 255;
    const path = file("corrupt-chunk.parquet", bytes);
    const e = await failure(path);
    expect(e.problem).toMatch(/^row group 1 of 4 cannot be (decoded|read)/);
    await readsOn();
    // And again: a second panic, on the fresh instance.
    expect((await failure(path)).problem).toMatch(/^row group 1 of 4/);
    await readsOn();
  });
});

describe("writing is atomic", () => {
  function leftovers(folder: string): string[] {
    return readdirSync(folder).filter((name) => name.endsWith(".tmp"));
  }

  it("a source that fails part way: its own error, no file, no temporary file", async () => {
    const folder = mkdtempSync(join(dir, "fail-"));
    const path = join(folder, "out.parquet");
    const boom = new Error("the user's batches failed");
    async function* source() {
      yield everyKind(0, 100);
      yield everyKind(100, 100);
      throw boom;
    }
    await expect(parquet.write(path, source(), { rowGroupSize: 50 })).rejects.toBe(boom);
    expect(existsSync(path)).toBe(false);
    expect(leftovers(folder)).toEqual([]);
  });

  it("an existing file stays as it was when a write fails", async () => {
    const folder = mkdtempSync(join(dir, "keep-"));
    const path = join(folder, "out.parquet");
    await parquet.write(path, [everyKind(0, 10)]);
    const before = readFileSync(path);
    await expect(
      parquet.write(path, (function* () {
        yield everyKind(0, 10);
        throw new Error("stop");
      })()),
    ).rejects.toThrow("stop");
    expect(readFileSync(path).equals(before)).toBe(true);
    expect(leftovers(folder)).toEqual([]);
  });

  it("a batch whose columns differ from the first: a TableFormatError naming the batch and the column, nothing written", async () => {
    const folder = mkdtempSync(join(dir, "schema-"));
    const path = join(folder, "out.parquet");
    const other = batchOf({ id: vectorFromArray(["a"], new Utf8()).data[0]! });
    const first = batchOf({ id: bigColumn(new Int64(), [1n]) });
    await expect(parquet.write(path, [first, first, other])).rejects.toThrow(
      new TableFormatError({ subject: path, problem: "cannot be written: batch 2 does not match the first: column 'id' is Utf8 in it, Int64 in the first batch" }),
    );
    expect(readdirSync(folder)).toEqual([]);
  });

  it("no batch at all: a TableFormatError saying a schema is needed", async () => {
    const path = join(dir, "none.parquet");
    await expect(parquet.write(path, [])).rejects.toThrow(/no batch was given, so there is no schema/);
    expect(existsSync(path)).toBe(false);
  });

  it("the WebAssembly instance is shared, and still works after all this", async () => {
    const runtime = await loadParquet();
    expect(runtime.broken).toBe(false);
    expect(runtime.active).toBe(0);
  });
});

describe("the WebAssembly instance", () => {
  it("serves reads at once, and a read left part way (the consumer stopped) ends its operation", async () => {
    const [a, b] = [pyWrite("pyarrow"), pyWrite("columns")];
    const [ta, tb] = await Promise.all([readAll(a, { batchSize: 100 }), readAll(b, { columns: ["c5"] })]);
    expect(ta.reduce((n, x) => n + x.numRows, 0)).toBe(1000);
    expect(columnValues(tb, "c5").slice(0, 2)).toEqual(["523645", "531564"]);
    for await (const batch of parquet.read(a, { batchSize: 10 })) {
      expect(batch.numRows).toBe(10);
      break;
    }
    expect((await loadParquet()).active).toBe(0);
  });

  it("is replaced by a new one when its memory grew past the limit and nothing is in flight (a WebAssembly memory never shrinks)", async () => {
    const path = pyWrite("pyarrow");
    await readAll(path);
    const before = await loadParquet();
    expect(releaseIfLarge(0)).toBe(true);
    const after = await loadParquet();
    expect(after).not.toBe(before);
    expect(new Table(await readAll(path)).numRows).toBe(1000);
    // Nothing to release while an operation holds it.
    const done = after.hold();
    expect(releaseIfLarge(0)).toBe(false);
    done();
  });
});

describe("from the built bundle (dist/bundle, after npm run build)", () => {
  const repo = REPO;
  /** Runs an ES module script in a fresh Node from test/ (where @flytekit-ts/core is the built package), with every module it loads reported. */
  function loaded(script: string): { stdout: string; modules: string[]; reads: string[] } {
    const reports = mkdtempSync(join(dir, "loaded-"));
    const esm = join(reports, "esm.txt");
    const cjs = join(reports, "cjs.json");
    const reads = join(reports, "reads.txt");
    const stdout = execFileSync(
      process.execPath,
      [
        "--require", join(repo, "test/support/report-loaded-modules.cjs"),
        "--require", join(dirname(fileURLToPath(import.meta.url)), "__fixtures__/record-reads.cjs"),
        "--import", join(repo, "test/support/report-loaded-esm.mjs"),
        "--input-type=module", "-e", script,
      ],
      { cwd: join(repo, "test"), encoding: "utf8", env: { ...process.env, FLYTEKIT_TS_TEST_LOADED_REPORT: cjs, FLYTEKIT_TS_TEST_LOADED_ESM_REPORT: esm, FLYTEKIT_TS_TEST_READS_REPORT: reads } },
    );
    const lines = (file: string) => (existsSync(file) ? readFileSync(file, "utf8").split("\n").filter((l) => l !== "") : []);
    const modules = [...lines(esm).filter((u) => u.startsWith("file:")).map((u) => fileURLToPath(u)), ...(existsSync(cjs) ? (JSON.parse(readFileSync(cjs, "utf8")) as string[]) : [])];
    return { stdout, modules, reads: lines(reads) };
  }
  const tableLibraries = (modules: string[]) => modules.filter((m) => /node_modules[\\/](apache-arrow|arrow-js-ffi|parquet-wasm)[\\/]/.test(m) || m.endsWith(join("dist", "bundle", "parquet.js")));

  it("importing @flytekit-ts/core loads none of apache-arrow, arrow-js-ffi, parquet-wasm or the Parquet codec", () => {
    const { modules, reads } = loaded('await import("@flytekit-ts/core");');
    expect(modules.some((m) => m.endsWith(join("packages", "core", "dist", "bundle", "index.js")))).toBe(true);
    expect(tableLibraries(modules)).toEqual([]);
    expect(reads).toEqual([]);
  });

  it("a user's apache-arrow Table written and read back through the codec: one copy of apache-arrow (its ES build), instanceof holds", () => {
    const path = join(dir, "bundle.parquet");
    const { stdout, modules, reads } = loaded(`
      const { tableFromArrays, Table, RecordBatch } = await import("apache-arrow");
      const { tableCodec } = await import("@flytekit-ts/core/internal");
      const codec = await tableCodec("parquet");
      const table = tableFromArrays({ x: Float64Array.from([1.5, 2.5, 3.5]), n: Int32Array.from([1, 2, 3]) });
      await codec.write(${JSON.stringify(path)}, table.batches);
      const batches = [];
      for await (const batch of codec.read(${JSON.stringify(path)})) batches.push(batch);
      const back = new Table(batches);
      console.log(JSON.stringify({ rows: back.numRows, x: [...back.getChild("x")], isBatch: batches[0] instanceof RecordBatch }));
    `);
    expect(JSON.parse(stdout)).toEqual({ rows: 3, x: [1.5, 2.5, 3.5], isBatch: true });
    const arrowFiles = modules.filter((m) => /node_modules[\\/]apache-arrow[\\/]/.test(m));
    expect(arrowFiles.length).toBeGreaterThan(0);
    // The ES build only: a CommonJS copy beside it would make the user's Table no instance of ours.
    expect(arrowFiles.filter((m) => !m.endsWith(".mjs"))).toEqual([]);
    expect(modules.filter((m) => m.endsWith(join("dist", "bundle", "parquet.js")))).toHaveLength(1);
    expect(reads.some((r) => r.endsWith(join("parquet-wasm", "node", "parquet_wasm_bg.wasm")))).toBe(true);
  });
});
