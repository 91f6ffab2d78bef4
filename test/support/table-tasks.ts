// The TypeScript side of the table interop tests (test/tables-interop.test.ts,
// test/tables-cluster-s3.test.ts, test/tables-bad-input.test.ts, test/tables-streaming.test.ts),
// run by flytekit-ts-execute. `views` reads each table test/interop/table_tasks.py's `produce`
// writes and says what it read, as Arrow, in the form that module's `arrowView` uses for what
// pyarrow reads; `rewrite` reads them and writes them anew under the same names and declarations;
// `make` writes the same tables made in TypeScript. The rest read bad input, fail while writing, or
// stream a table batch by batch.
import { Bool, Dataset, Datetime, Float, FlyteSchema, Int, Schema, Str, StructuredDataset } from "@flytekit-ts/core";
import { task } from "@flytekit-ts/decorators";
import {
  Bool as ArrowBool,
  DataType,
  DateDay,
  DateUnit,
  Float64,
  Int32,
  Int64,
  makeData,
  makeVector,
  RecordBatch,
  Table,
  TimestampMicrosecond,
  TimestampMillisecond,
  TimestampNanosecond,
  TimeUnit,
  Utf8,
  vectorFromArray,
  type Vector,
} from "apache-arrow";

// ---- the declarations, as table_tasks.py declares them ----------------------------------------

export const TYPED = { id: Int, score: Float, name: Str, flag: Bool, at_us: Datetime };
export const CSV_COLUMNS = { id: Int, score: Float, name: Str, flag: Bool, at: Datetime };
export const NARROW = { name: Str, id: Int };

/** produce's outputs, and rewrite's and make's: flytekit's declarations, one by one. */
export const TABLES = {
  plain: Dataset, // pd.DataFrame
  wrapped: Dataset, // StructuredDataset
  typed: Dataset.withColumns(TYPED), // Annotated[StructuredDataset, TYPED]
  csv: Dataset.withColumns(CSV_COLUMNS).withFormat("csv"), // Annotated[StructuredDataset, CSV_COLUMNS, "csv"]
  schema: Schema.withColumns(TYPED), // FlyteSchema[TYPED]
  parts: Schema, // FlyteSchema
  exact: Dataset, // pa.Table
};

/** The inputs of views and rewrite: what TypeScript reflects for each parameter says the rest. */
const TABLE_INPUTS = { typed: TABLES.typed, csv: TABLES.csv, schema: TABLES.schema };

// ---- what TypeScript sees: table_tasks.py's `arrow_view`, for an apache-arrow Table ------------

const UNITS = { [TimeUnit.SECOND]: "s", [TimeUnit.MILLISECOND]: "ms", [TimeUnit.MICROSECOND]: "us", [TimeUnit.NANOSECOND]: "ns" } as const;

/** An Arrow type as pyarrow prints it (`int64`, `double`, `string`, `timestamp[us, tz=UTC]`, `date32[day]`). */
export function arrowTypeName(t: DataType): string {
  if (DataType.isInt(t)) return `${t.isSigned ? "int" : "uint"}${t.bitWidth}`;
  if (DataType.isFloat(t)) return ["halffloat", "float", "double"][t.precision]!;
  if (DataType.isUtf8(t)) return "string";
  if (DataType.isLargeUtf8(t)) return "large_string";
  if (DataType.isUtf8View(t)) return "string_view";
  if (DataType.isBinary(t)) return "binary";
  if (DataType.isLargeBinary(t)) return "large_binary";
  if (DataType.isBool(t)) return "bool";
  if (DataType.isNull(t)) return "null";
  if (DataType.isTimestamp(t)) return `timestamp[${UNITS[t.unit]}${t.timezone ? `, tz=${t.timezone}` : ""}]`;
  if (DataType.isDate(t)) return t.unit === DateUnit.DAY ? "date32[day]" : "date64[ms]";
  if (DataType.isDuration(t)) return `duration[${UNITS[t.unit]}]`;
  if (DataType.isDictionary(t)) return `dictionary<values=${arrowTypeName(t.dictionary)}, indices=${arrowTypeName(t.indices)}, ordered=${t.isOrdered ? 1 : 0}>`;
  return `unknown<${String(t)}>`;
}

/** A float as table_tasks.py's `_value` writes it. */
function floatValue(x: number): number | string {
  if (Number.isNaN(x)) return "NaN";
  if (x === Infinity) return "Infinity";
  if (x === -Infinity) return "-Infinity";
  if (Object.is(x, -0)) return "-0";
  return x;
}

/** A column's values: temporal ones as the integer Arrow stores (in the column's unit), integers as text, floats as `floatValue`. */
export function columnValues(v: Vector): unknown[] {
  const t = v.type;
  const raw = DataType.isTimestamp(t) || DataType.isDate(t) || DataType.isDuration(t) || DataType.isTime(t);
  const out: unknown[] = [];
  let k = 0;
  for (const d of v.data) {
    for (let i = 0; i < d.length; i++, k++) {
      if (!d.getValid(i)) out.push(null);
      else if (raw) out.push(String((d.values as ArrayLike<number | bigint>)[i]));
      else {
        const x: unknown = v.get(k);
        if (typeof x === "bigint") out.push(String(x));
        else if (typeof x === "number") out.push(DataType.isInt(t) ? String(x) : floatValue(x));
        else if (typeof x === "string" || typeof x === "boolean") out.push(x);
        else out.push(`${typeof x}:${String(x)}`);
      }
    }
  }
  return out;
}

export interface ArrowView {
  rows: number;
  metadata: string[];
  columns: { name: string; type: string; values: unknown[] }[];
}

/** A table as Arrow holds it: each column's type and values, and the schema's metadata keys. */
export function arrowView(table: Table): ArrowView {
  return {
    rows: table.numRows,
    metadata: [...table.schema.metadata.keys()].sort(),
    columns: table.schema.fields.map((f, i) => ({ name: f.name, type: arrowTypeName(f.type), values: columnValues(table.getChildAt(i)!) })),
  };
}

/** The batches of a read: each one's rows, and the table they make together. */
async function batchesOf(batches: AsyncIterable<RecordBatch>): Promise<{ sizes: number[]; view: ArrowView }> {
  const all: RecordBatch[] = [];
  for await (const b of batches) all.push(b);
  return { sizes: all.map((b) => b.numRows), view: arrowView(new Table(all)) };
}

// ---- the tables of table_tasks.py's frame(), csv_frame() and exact_table(), made in TypeScript ----

/** A fixed-width column with nulls where `values` has null: the exact integers or floats given. */
function fixed<T extends Int64 | Int32 | Float64 | TimestampMicrosecond | TimestampNanosecond | TimestampMillisecond | DateDay>(
  type: T,
  values: readonly (bigint | number | null)[],
): Vector<T> {
  const n = values.length;
  const bigint = type instanceof Int64 || DataType.isTimestamp(type);
  const data = bigint ? new BigInt64Array(n) : type instanceof Float64 ? new Float64Array(n) : new Int32Array(n);
  const bitmap = new Uint8Array(Math.ceil(n / 8));
  let nulls = 0;
  values.forEach((x, i) => {
    if (x === null) {
      nulls++;
      return;
    }
    bitmap[i >> 3]! |= 1 << (i & 7);
    (data as unknown as (bigint | number)[])[i] = bigint ? BigInt(x) : Number(x);
  });
  return makeVector(makeData({ type, length: n, nullCount: nulls, nullBitmap: nulls === 0 ? undefined : bitmap, data } as never)) as unknown as Vector<T>;
}

/** frame() of table_tasks.py as Arrow holds it (what pyarrow reads of the file pandas writes), without pandas' metadata. */
export function frameTable(): Table {
  return new Table({
    id: fixed(new Int64(), [1n, -2n, 2n ** 62n + 1n, 0n]),
    score: fixed(new Float64(), [1.5, null, -0, 1e300]),
    name: vectorFromArray(["a", null, "ü ✓", ""], new Utf8()),
    flag: vectorFromArray([true, false, true, false], new ArrowBool()),
    maybe: vectorFromArray([true, null, false, null], new ArrowBool()),
    at_us: fixed(new TimestampMicrosecond(), [1714564800123456n, -1n, null, 9223372800000000n]),
    at_ns: fixed(new TimestampMicrosecond(), [1714564800000001n, null, 0n, 951868799999999n]),
    at_utc: fixed(new TimestampMicrosecond("UTC"), [1714564800500000n, 1714521600000000n, null, -2208988800000000n]),
    day: fixed(new DateDay(), [19844, null, -1, 11016]),
    count: fixed(new Int64(), [1n, null, 3n, -4n]),
  });
}

/** csv_frame() of table_tasks.py. */
export function csvTable(): Table {
  return new Table({
    id: fixed(new Int64(), [1n, -2n, 2n ** 62n + 1n]),
    score: fixed(new Float64(), [1.5, null, -0.25]),
    name: vectorFromArray(["a", null, 'b, "quoted"'], new Utf8()),
    flag: vectorFromArray([true, false, true], new ArrowBool()),
    at: fixed(new TimestampMicrosecond(), [1714564800123456n, -1_000_000n, null]),
  });
}

/** exact_table() of table_tasks.py: a NaN beside a null, nanoseconds below the microsecond. */
export function exactTable(): Table {
  return new Table({
    f: fixed(new Float64(), [1.0, NaN, null, -Infinity]),
    ns: fixed(new TimestampNanosecond(), [1714564800123456789n, -1n, null, 0n]),
    ns_utc: fixed(new TimestampNanosecond("UTC"), [1714564800123456789n, 1n, 2n, null]),
    ms: fixed(new TimestampMillisecond(), [1714564800123n, null, 0n, -1n]),
    i32: fixed(new Int32(), [1, null, -(2 ** 31), 2 ** 31 - 1]),
    big: fixed(new Int64(), [2n ** 63n - 1n, -(2n ** 63n), null, 9007199254740993n]),
    s: vectorFromArray(["x", null, "", "é"], new Utf8()),
  });
}

/** A table's batches, `size` rows each, as an async source (what a user's generator gives). */
async function* inBatches(table: Table, size: number): AsyncGenerator<RecordBatch> {
  for (const b of table.batches) for (let at = 0; at < b.numRows; at += size) yield b.slice(at, at + size);
}

interface TableSet {
  plain: Table;
  wrapped: StructuredDataset;
  typed: StructuredDataset;
  csv: StructuredDataset;
  schema: FlyteSchema;
  parts: FlyteSchema;
  exact: Table;
}

// ---- numbers for the streaming test ------------------------------------------------------------

/** Passes batches on as they come, counting them: only a batch at a time is alive. */
async function* passOn(batches: AsyncIterable<RecordBatch>): AsyncGenerator<RecordBatch> {
  for await (const b of batches) yield b;
}

/** A source that gives two batches and then fails, as a user's reader can. */
async function* failsAfterTwo(): AsyncGenerator<RecordBatch> {
  const t = frameTable();
  yield* inBatches(t, 2);
  throw new Error("the source failed after 2 batches");
}

/** Batches whose second contradicts the first's schema: the writer cannot go on. */
async function* mixedBatches(): AsyncGenerator<RecordBatch> {
  yield new Table({ id: fixed(new Int64(), [1n, 2n]) }).batches[0]!;
  yield new Table({ id: vectorFromArray(["three", "four"], new Utf8()) }).batches[0]!;
}

export class Tables {
  /** Each table as TypeScript reads it for its declaration: Arrow types and values, and how it comes in batches. */
  @task({ inputs: TABLE_INPUTS, outputs: Str })
  static async views(plain: Table, wrapped: StructuredDataset, typed: StructuredDataset, csv: StructuredDataset, schema: FlyteSchema, parts: FlyteSchema, exact: Table): Promise<string> {
    if (!(plain instanceof Table) || !(exact instanceof Table)) throw new Error(`a Table parameter was given ${Object.prototype.toString.call(plain)} and ${Object.prototype.toString.call(exact)}`);
    const seen = {
      plain: { arrow: arrowView(plain) },
      wrapped: { arrow: arrowView(await wrapped.all()), batches: await batchesOf(wrapped.iter({ batchSize: 3 })), uri: wrapped.uri, format: wrapped.fileFormat },
      typed: { arrow: arrowView(await typed.all()) },
      csv: { arrow: arrowView(await csv.all()), format: csv.fileFormat },
      schema: { arrow: arrowView(await schema.all()) },
      parts: { arrow: arrowView(await parts.all()), batches: await batchesOf(parts.iter({ batchSize: 3 })) },
      exact: { arrow: arrowView(exact) },
    };
    return JSON.stringify(seen);
  }

  /** Reads each table and writes it anew, under the same name and declaration, in each way a user can give a table. */
  @task({ inputs: TABLE_INPUTS, outputs: TABLES })
  static async rewrite(plain: Table, wrapped: StructuredDataset, typed: StructuredDataset, csv: StructuredDataset, schema: FlyteSchema, parts: FlyteSchema, exact: Table): Promise<TableSet> {
    return {
      plain, // the Table read, returned as it is
      wrapped: new StructuredDataset(await wrapped.all()),
      typed: new StructuredDataset(typed.iter({ batchSize: 3 })), // streamed, batch by batch
      csv: new StructuredDataset(await csv.all(), { fileFormat: "csv" }),
      schema: new FlyteSchema(await schema.all()),
      parts: new FlyteSchema(parts.iter({ batchSize: 1 })),
      exact,
    };
  }

  /** The same tables, made in TypeScript. */
  @task({ outputs: TABLES })
  static async make(): Promise<TableSet> {
    const frame = frameTable();
    return {
      plain: frame,
      wrapped: new StructuredDataset(frame),
      typed: new StructuredDataset(inBatches(frame, 3)),
      csv: new StructuredDataset(csvTable(), { fileFormat: "csv" }),
      schema: new FlyteSchema(frame),
      parts: new FlyteSchema(inBatches(frame, 2)),
      exact: exactTable(),
    };
  }

  /** A declared subset of a wider table: only these columns, in this order. */
  @task({ inputs: { df: Dataset.withColumns(NARROW) }, outputs: Str })
  static async narrow(df: StructuredDataset): Promise<string> {
    return JSON.stringify(arrowView(await df.all()));
  }

  // ---- bad input: each read fails, naming the task, the input, the column and both types ----

  /** Reads a table declared with columns through the handle, inside the task's code. */
  @task({ inputs: { df: Dataset.withColumns({ id: Int, name: Str }) }, outputs: Int })
  static async count(df: StructuredDataset): Promise<number> {
    return (await df.all()).numRows;
  }

  /** Reads it in batches. */
  @task({ inputs: { df: Dataset.withColumns({ id: Int, name: Str }) }, outputs: Int })
  static async countBatches(df: StructuredDataset): Promise<number> {
    let n = 0;
    for await (const b of df.iter({ batchSize: 2 })) n += b.numRows;
    return n;
  }

  /** Takes it whole, before the task's code runs. */
  @task({ inputs: { df: Dataset.withColumns({ id: Int, name: Str }).asTable() }, outputs: Int })
  static async countWhole(df: Table): Promise<number> {
    return df.numRows;
  }

  /** A CSV table with declared columns. */
  @task({ inputs: { df: Dataset.withColumns({ id: Int, name: Str }).withFormat("csv") }, outputs: Int })
  static async countCsv(df: StructuredDataset): Promise<number> {
    return (await df.all()).numRows;
  }

  /** A FlyteSchema with declared columns. */
  @task({ inputs: { s: Schema.withColumns({ id: Int, name: Str }) }, outputs: Int })
  static async countSchema(s: FlyteSchema): Promise<number> {
    return (await s.all()).numRows;
  }

  // ---- outputs that fail while being written: nothing may be left at the output uri ----

  @task({ outputs: Dataset })
  static async failMidway(): Promise<StructuredDataset> {
    return new StructuredDataset(failsAfterTwo());
  }

  @task({ outputs: Dataset })
  static async mixedSchemas(): Promise<StructuredDataset> {
    return new StructuredDataset(mixedBatches());
  }

  @task({ outputs: Dataset.withColumns({ id: Int }) })
  static async wrongColumnType(): Promise<Table> {
    return new Table({ id: vectorFromArray(["1", "2"], new Utf8()) });
  }

  @task({ outputs: Dataset.withColumns({ id: Int, missing: Str }) })
  static async lacksDeclaredColumn(): Promise<Table> {
    return new Table({ id: fixed(new Int64(), [1n, 2n]) });
  }

  @task({ outputs: Dataset.withFormat("csv") })
  static async failMidwayCsv(): Promise<StructuredDataset> {
    return new StructuredDataset(failsAfterTwo(), { fileFormat: "csv" });
  }

  @task({ outputs: Schema })
  static async failMidwaySchema(): Promise<FlyteSchema> {
    return new FlyteSchema(failsAfterTwo());
  }

  // ---- streaming: a table larger than the memory it may use ----

  /** Reads batches and writes batches: at most a batch (and the codecs' row groups) in memory. */
  @task({ outputs: Dataset })
  static async stream(df: StructuredDataset): Promise<StructuredDataset> {
    return new StructuredDataset(passOn(df.iter({ batchSize: 65536 })));
  }

  /** The same copy, read whole first: what the streaming test's measure must tell apart. */
  @task({ outputs: Dataset })
  static async whole(df: StructuredDataset): Promise<StructuredDataset> {
    return new StructuredDataset(await df.all());
  }
}
