// A query's rows as an Apache Arrow table: what flytekit's SQLite3Task gives as a pandas DataFrame
// (pd.read_sql_query), for an output declared as a Schema or a Dataset. Columns are typed as pandas
// types them, by the values (SQLite's declared column types play no part): INTEGER → Int64,
// REAL (or REAL with INTEGER) → Float64, TEXT → Utf8, BLOB (or BLOB with TEXT) → Binary, only NULLs
// → Null. NULL is a null in any of them: pandas turns an INTEGER column with a NULL into float64
// with NaN, Arrow keeps it Int64 (read by pandas it becomes float64 again). A column mixing numbers
// with TEXT or BLOB is an error: pandas holds it as Python objects, which pyarrow refuses to write,
// so flytekit's task fails on it too. Declared columns (Schema.withColumns, Dataset.withColumns)
// are a projection, in the declared order, with the declared types.
import type * as Arrow from "apache-arrow";
import type { LiteralType } from "@flytekit-ts/core/idl";
import { TaskDefinitionError, TaskOutputError } from "@flytekit-ts/core";

/** The apache-arrow module, as `import()` gives it. */
type ArrowModule = typeof import("apache-arrow");

/** The column types a declared column can have, by Flyte's simple type. */
export type ColumnKind = "int" | "float" | "str" | "bool" | "datetime" | "duration";

/** A declared column of `results` (read from the template's LiteralType): its name, its kind and its token's name (for messages). */
export interface ResultColumn {
  readonly name: string;
  readonly kind: ColumnKind;
  /** The token's name: Int, Float, Str, Bool, Datetime, Duration. */
  readonly typeName: string;
}

// Flyte's SimpleType and SchemaColumnType numbers (flyteidl/core/types.proto): simple INTEGER 1,
// FLOAT 2, STRING 3, BOOLEAN 4, DATETIME 5, DURATION 6; schema columns INTEGER 0 ... DURATION 5.
const SIMPLE_KINDS: Readonly<Record<number, [ColumnKind, string]>> = {
  1: ["int", "Int"],
  2: ["float", "Float"],
  3: ["str", "Str"],
  4: ["bool", "Bool"],
  5: ["datetime", "Datetime"],
  6: ["duration", "Duration"],
};
const SCHEMA_KINDS: Readonly<Record<number, [ColumnKind, string]>> = {
  0: ["int", "Int"],
  1: ["float", "Float"],
  2: ["str", "Str"],
  3: ["bool", "Bool"],
  4: ["datetime", "Datetime"],
  5: ["duration", "Duration"],
};

/**
 * The columns a table LiteralType declares (a Schema's or a StructuredDatasetType's), or a problem
 * naming a column no SQLite value can fill (a list, a record). No columns: all the query's.
 */
export function declaredColumns(type: LiteralType): { columns: ResultColumn[] } | { column: string; problem: string } {
  const columns: ResultColumn[] = [];
  if (type.type.case === "schema") {
    for (const c of type.type.value.columns) {
      const kind = SCHEMA_KINDS[c.type];
      if (kind === undefined) return { column: c.name, problem: `its schema column type (${c.type}) is not one flytekit-ts knows` };
      columns.push({ name: c.name, kind: kind[0], typeName: kind[1] });
    }
  } else if (type.type.case === "structuredDatasetType") {
    for (const c of type.type.value.columns) {
      const lt = c.literalType?.type;
      const kind = lt?.case === "simple" ? SIMPLE_KINDS[lt.value] : undefined;
      if (kind === undefined) {
        return { column: c.name, problem: "a query's column can only be Int, Float, Str, Bool, Datetime or Duration (a SQLite value is a number, a text, a blob or NULL)" };
      }
      columns.push({ name: c.name, kind: kind[0], typeName: kind[1] });
    }
  }
  return { columns };
}

/** Checks a table output type's declared columns where a task is declared. */
export function checkDeclaredColumns(task: string, type: LiteralType): void {
  const declared = declaredColumns(type);
  if ("problem" in declared) {
    throw new TaskDefinitionError({ task, subject: `option 'outputSchemaType', column '${declared.column}'`, problem: declared.problem });
  }
}

/** SQLite's storage classes, as sql.js gives them: INTEGER a bigint, REAL a number, TEXT a string, BLOB a Uint8Array. */
const INTEGER = 1;
const REAL = 2;
const TEXT = 4;
const BLOB = 8;
const CLASS_NAMES: Readonly<Record<number, string>> = { [INTEGER]: "INTEGER", [REAL]: "REAL", [TEXT]: "TEXT", [BLOB]: "BLOB" };

function storageClass(v: unknown): number {
  switch (typeof v) {
    case "bigint":
      return INTEGER;
    case "number":
      return REAL;
    case "string":
      return TEXT;
    default:
      return v instanceof Uint8Array ? BLOB : 0;
  }
}

/** A value for a message: its storage class and text, shortened. */
function describeSqlite(v: unknown): string {
  const cls = CLASS_NAMES[storageClass(v)] ?? "NULL";
  if (v instanceof Uint8Array) return `BLOB of ${v.length} bytes`;
  let text = typeof v === "string" ? JSON.stringify(v.length > 60 ? `${v.slice(0, 60)}…` : v) : String(v);
  if (typeof v === "number" && Number.isInteger(v)) text = v.toFixed(1);
  return `${cls} ${text}`;
}

/** How to fix a value by a cast in the query, per declared kind. */
function castFix(column: string, kind: ColumnKind): string | undefined {
  const c = /^[A-Za-z_][A-Za-z0-9_]*$/.test(column) ? column : `"${column.replaceAll('"', '""')}"`;
  switch (kind) {
    case "int":
      return `cast it in the query: CAST(${c} AS INTEGER) AS ${c}`;
    case "float":
      return `cast it in the query: CAST(${c} AS REAL) AS ${c}`;
    case "str":
      return `cast it in the query: CAST(${c} AS TEXT) AS ${c}`;
    case "bool":
      return `write it as 0 or 1 in the query: (${c} <> 0) AS ${c}`;
    case "datetime":
      return `write it as SQLite's date text in the query: datetime(${c}, 'unixepoch') AS ${c} for seconds since 1970, datetime(${c}) for a Julian day`;
    case "duration":
      return undefined;
  }
}

/** What the rows are turned into a table for: the task (for messages), the declared columns, the batch size. */
export interface RowsToTableOptions {
  /** The task's name, for messages. */
  readonly task: string;
  /** The declared columns (a projection), or undefined / empty for all the query's columns. */
  readonly declared?: readonly ResultColumn[];
  /** Rows per record batch at most. @default 65536 */
  readonly batchSize?: number;
  /** Bytes of TEXT or BLOB per column per batch at most (an Arrow Utf8 or Binary array has 32-bit offsets). @default 2^31 - 1 */
  readonly maxBatchBytes?: number;
}

/** The most bytes a value takes in a Utf8 or Binary array (a UTF-16 unit is at most 3 bytes of UTF-8). */
function byteBound(v: unknown): number {
  return typeof v === "string" ? v.length * 3 : v instanceof Uint8Array ? v.length : 0;
}

/**
 * Where the record batches start and end: at most `batchSize` rows, and few enough that no text or
 * blob column holds more bytes than its 32-bit offsets reach (counted high: 3 bytes a UTF-16 unit).
 * A table of no rows is one empty batch.
 */
function batchBounds(collected: readonly Collected[], length: number, options: RowsToTableOptions): [number, number][] {
  const batchSize = Math.max(1, options.batchSize ?? 65536);
  const maxBytes = options.maxBatchBytes ?? 0x7fffffff;
  const sized = collected.filter((c) => (c.classes & (TEXT | BLOB)) !== 0);
  const bounds: [number, number][] = [];
  if (sized.length === 0) {
    for (let start = 0; start < length; start += batchSize) bounds.push([start, Math.min(length, start + batchSize)]);
    return bounds.length === 0 ? [[0, 0]] : bounds;
  }
  let start = 0;
  const bytes = new Float64Array(sized.length);
  for (let row = 0; row < length; row++) {
    let full = row - start >= batchSize;
    for (let i = 0; i < sized.length && !full; i++) full = row > start && bytes[i]! + byteBound(sized[i]!.values[row]) > maxBytes;
    if (full) {
      bounds.push([start, row]);
      start = row;
      bytes.fill(0);
    }
    for (let i = 0; i < sized.length; i++) bytes[i]! += byteBound(sized[i]!.values[row]);
  }
  bounds.push([start, length]);
  return bounds;
}

/** One column's values as read, and the storage classes seen in it (with the first row of each). */
interface Collected {
  readonly name: string;
  readonly values: unknown[];
  classes: number;
  readonly firstRow: Partial<Record<number, number>>;
}

/** An output error about a column of `results`. */
function columnError(task: string, column: string, fields: { expected?: string; got?: string; problem?: string; fix?: string }): TaskOutputError {
  return new TaskOutputError({ task, subject: `output 'results', column '${column}'`, ...fields });
}

/**
 * A query's rows as an Arrow Table: `names` are the query's columns in its order, `rows` its rows
 * as sql.js gives them (INTEGER as bigint). See the top of this file for the types.
 */
export function rowsToTable(arrow: ArrowModule, names: readonly string[], rows: Iterable<readonly unknown[]>, options: RowsToTableOptions): Arrow.Table {
  const { task } = options;
  const declared = options.declared !== undefined && options.declared.length > 0 ? options.declared : undefined;
  if (names.length === 0) throw new TaskOutputError({ task, subject: "output 'results'", problem: "the query returns no columns (it is not a SELECT)", fix: "a table output needs a query that returns rows" });
  // Which of the query's columns are kept, in the table's order.
  let picks: { index: number; declared?: ResultColumn }[];
  if (declared === undefined) {
    const seen = new Set<string>();
    for (const n of names) {
      if (seen.has(n)) throw duplicate(task, n);
      seen.add(n);
    }
    picks = names.map((_, index) => ({ index }));
  } else {
    picks = declared.map((d) => {
      const index = names.indexOf(d.name);
      if (index < 0) {
        throw columnError(task, d.name, {
          expected: `a column of ${d.typeName}`,
          got: "none",
          problem: `the query gives no column named '${d.name}' (its columns: ${names.join(", ")})`,
          fix: "select it, or name it with AS",
        });
      }
      if (names.indexOf(d.name, index + 1) >= 0) throw duplicate(task, d.name);
      return { index, declared: d };
    });
  }
  const collected: Collected[] = picks.map((p) => ({ name: names[p.index]!, values: [], classes: 0, firstRow: {} }));
  let length = 0;
  for (const row of rows) {
    for (let i = 0; i < picks.length; i++) {
      const v = row[picks[i]!.index];
      const c = collected[i]!;
      const cls = storageClass(v);
      if (cls !== 0 && (c.classes & cls) === 0) {
        c.classes |= cls;
        c.firstRow[cls] = length;
      }
      c.values.push(cls === 0 ? null : v);
    }
    length++;
  }
  const columns = collected.map((c, i) => {
    const d = picks[i]!.declared;
    return d === undefined ? inferredColumn(arrow, task, c) : declaredColumn(arrow, task, c, d);
  });
  const fields = columns.map((c) => new arrow.Field(c.name, c.type, true));
  const schema = new arrow.Schema(fields);
  const batches: Arrow.RecordBatch[] = [];
  for (const [start, end] of batchBounds(collected, length, options)) {
    const children = columns.map((c) => c.build(start, end));
    const data = arrow.makeData({ type: new arrow.Struct(fields), length: end - start, nullCount: 0, children });
    batches.push(new arrow.RecordBatch(schema, data));
  }
  return new arrow.Table(schema, batches);
}

function duplicate(task: string, name: string): TaskOutputError {
  return new TaskOutputError({
    task,
    subject: "output 'results'",
    problem: `the query gives two columns named '${name}', and a table's columns need names of their own (pandas' DataFrame of it cannot be written either)`,
    fix: "name them apart with AS",
  });
}

/** A column ready to be cut into batches: its name, its Arrow type, and the data of rows [start, end). */
interface BuiltColumn {
  readonly name: string;
  readonly type: Arrow.DataType;
  build(start: number, end: number): Arrow.Data;
}

/** The type pandas' read_sql_query gives a column of these storage classes, as Arrow. */
function inferredColumn(arrow: ArrowModule, task: string, c: Collected): BuiltColumn {
  const { name, values, classes } = c;
  const numbers = classes & (INTEGER | REAL);
  const bytes = classes & (TEXT | BLOB);
  if (numbers !== 0 && bytes !== 0) {
    const a = numbers & INTEGER ? INTEGER : REAL;
    const b = bytes & TEXT ? TEXT : BLOB;
    const [first, second] = (c.firstRow[a] ?? 0) < (c.firstRow[b] ?? 0) ? [a, b] : [b, a];
    throw columnError(task, name, {
      problem: `it mixes ${CLASS_NAMES[first]} and ${CLASS_NAMES[second]} values (rows ${c.firstRow[first]! + 1} and ${c.firstRow[second]! + 1}), which no Arrow column holds (pandas keeps them as Python objects, and pyarrow refuses to write those, so flytekit's SQLite3Task fails on it too)`,
      fix: `cast it to one type in the query (CAST(... AS TEXT)), or declare its columns with outputSchemaType`,
    });
  }
  if (classes === INTEGER) return numberColumn(arrow, name, new arrow.Int64(), values, "bigint");
  if (numbers !== 0) return numberColumn(arrow, name, new arrow.Float64(), values, "float");
  if (classes === TEXT) return bytesColumn(arrow, name, new arrow.Utf8(), values);
  if (bytes !== 0) return bytesColumn(arrow, name, new arrow.Binary(), values);
  const type = new arrow.Null();
  return { name, type, build: (start, end) => arrow.makeData({ type, length: end - start, nullCount: end - start }) };
}

/** A column with a declared type: each value converted to it, or an error naming the column, the row and both types. */
function declaredColumn(arrow: ArrowModule, task: string, c: Collected, d: ResultColumn): BuiltColumn {
  const refuse = (v: unknown, row: number, why?: string): never => {
    throw columnError(task, d.name, {
      expected: d.typeName,
      got: `${describeSqlite(v)} (row ${row + 1})`,
      problem: why,
      fix: castFix(d.name, d.kind),
    });
  };
  const values = c.values;
  switch (d.kind) {
    case "int": {
      const out = values.map((v, row) => {
        if (v === null || typeof v === "bigint") return v;
        // A whole REAL (2.0, from an expression) is an Int, as pyarrow's safe cast takes it.
        if (typeof v === "number" && Number.isInteger(v) && v >= -(2 ** 63) && v < 2 ** 63) return BigInt(v);
        return refuse(v, row, typeof v === "number" ? "it is not a whole number in Int's range" : undefined);
      });
      return numberColumn(arrow, d.name, new arrow.Int64(), out, "bigint");
    }
    case "float": {
      const out = values.map((v, row) => {
        if (v === null || typeof v === "number") return v;
        if (typeof v === "bigint") {
          const n = Number(v);
          return BigInt(n) === v ? n : refuse(v, row, "a Float (float64) cannot hold it exactly");
        }
        return refuse(v, row);
      });
      return numberColumn(arrow, d.name, new arrow.Float64(), out, "float");
    }
    case "str":
      values.forEach((v, row) => (v === null || typeof v === "string" ? undefined : refuse(v, row)));
      return bytesColumn(arrow, d.name, new arrow.Utf8(), values);
    case "bool": {
      const out = values.map((v, row) => (v === null ? null : v === 0n || v === 1n ? v === 1n : refuse(v, row, "SQLite has no booleans; a Bool column takes the INTEGERs 0 and 1")));
      return boolColumn(arrow, d.name, out);
    }
    case "datetime": {
      const out = values.map((v, row) => {
        if (v === null) return null;
        if (typeof v !== "string") return refuse(v, row, "SQLite keeps dates as text (YYYY-MM-DD HH:MM:SS.SSS), which is what a Datetime column takes");
        const us = sqliteTimeMicros(v);
        return typeof us === "bigint" ? us : refuse(v, row, us);
      });
      return numberColumn(arrow, d.name, new arrow.TimestampMicrosecond(), out, "bigint");
    }
    case "duration": {
      const out = values.map((v, row) => (v === null ? null : refuse(v, row, "SQLite has no durations, and a number does not say its unit")));
      return numberColumn(arrow, d.name, new arrow.DurationMicrosecond(), out, "bigint");
    }
  }
}

/**
 * A column of fixed-width numbers, nulls in a validity bitmap: 64-bit integers (Int64, Timestamp,
 * Duration) from bigints, or Float64 from numbers (and bigints, converted).
 */
function numberColumn(arrow: ArrowModule, name: string, type: Arrow.DataType, values: readonly unknown[], kind: "bigint" | "float"): BuiltColumn {
  return {
    name,
    type,
    build(start, end) {
      const n = end - start;
      const { bitmap, nullCount } = validity(values, start, end);
      let data: BigInt64Array | Float64Array;
      if (kind === "bigint") {
        const ints = new BigInt64Array(n);
        for (let i = 0; i < n; i++) {
          const v = values[start + i];
          if (v !== null) ints[i] = v as bigint;
        }
        data = ints;
      } else {
        const floats = new Float64Array(n);
        for (let i = 0; i < n; i++) {
          const v = values[start + i];
          if (v !== null) floats[i] = typeof v === "number" ? v : Number(v);
        }
        data = floats;
      }
      return arrow.makeData({ type, length: n, nullCount, nullBitmap: bitmap, data } as never);
    },
  };
}

function boolColumn(arrow: ArrowModule, name: string, values: readonly (boolean | null)[]): BuiltColumn {
  const type = new arrow.Bool();
  return {
    name,
    type,
    build(start, end) {
      const n = end - start;
      const data = new Uint8Array(Math.ceil(n / 8));
      for (let i = 0; i < n; i++) if (values[start + i] === true) data[i >> 3]! |= 1 << (i & 7);
      const { bitmap, nullCount } = validity(values, start, end);
      return arrow.makeData({ type, length: n, nullCount, nullBitmap: bitmap, data });
    },
  };
}

/** A column of strings (Utf8, as UTF-8) or bytes (Binary; TEXT values as their UTF-8 bytes, as pyarrow writes them). */
function bytesColumn(arrow: ArrowModule, name: string, type: Arrow.Utf8 | Arrow.Binary, values: readonly unknown[]): BuiltColumn {
  return {
    name,
    type,
    build(start, end) {
      const n = end - start;
      const offsets = new Int32Array(n + 1);
      let bound = 0;
      for (let i = start; i < end; i++) bound += byteBound(values[i]);
      // Written once into room for the most the values can take, then copied to their size.
      const room = Buffer.allocUnsafe(bound);
      let total = 0;
      for (let i = 0; i < n; i++) {
        const v = values[start + i];
        if (typeof v === "string") total += room.write(v, total, "utf8");
        else if (v instanceof Uint8Array) {
          room.set(v, total);
          total += v.length;
        }
        offsets[i + 1] = total;
      }
      const data = room.subarray(0, total);
      const { bitmap, nullCount } = validity(values, start, end);
      const bytes = new Uint8Array(total);
      bytes.set(data);
      return arrow.makeData({ type, length: n, nullCount, nullBitmap: bitmap, valueOffsets: offsets, data: bytes } as never);
    },
  };
}

/** The validity bitmap of rows [start, end) (a set bit is a value), or none when no row is null. */
function validity(values: readonly unknown[], start: number, end: number): { bitmap: Uint8Array | undefined; nullCount: number } {
  let nullCount = 0;
  for (let i = start; i < end; i++) if (values[i] === null) nullCount++;
  if (nullCount === 0) return { bitmap: undefined, nullCount };
  const bitmap = new Uint8Array(Math.ceil((end - start) / 8));
  for (let i = 0; i < end - start; i++) if (values[start + i] !== null) bitmap[i >> 3]! |= 1 << (i & 7);
  return { bitmap, nullCount };
}

// SQLite's time strings (https://sqlite.org/lang_datefunc.html, formats 2 to 7): a date, then
// optionally " " or "T", hours and minutes, seconds, a fraction; then optionally a zone ("Z",
// "+HH:MM", "-HHMM"). Without a zone a time is UTC, as SQLite's own functions take it.
const SQLITE_TIME = /^(\d{4})-(\d{2})-(\d{2})(?:[ T](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d+))?)?)?\s*(Z|[+-]\d{2}:?\d{2})?$/i;

/** Microseconds since 1970 of a SQLite time string, or why it is not one. */
export function sqliteTimeMicros(text: string): bigint | string {
  const m = SQLITE_TIME.exec(text);
  if (m === null) return "it is not a date as SQLite writes them (YYYY-MM-DD, YYYY-MM-DD HH:MM[:SS[.SSS]], with an optional zone)";
  const [, y, mo, d, h = "0", mi = "0", s = "0", frac = "", zone] = m;
  const year = Number(y);
  const month = Number(mo);
  const day = Number(d);
  const hour = Number(h);
  const minute = Number(mi);
  const second = Number(s);
  // setUTCFullYear: Date.UTC reads the years 0 to 99 as 1900 to 1999.
  const check = new Date(0);
  check.setUTCFullYear(year, month - 1, day);
  check.setUTCHours(hour, minute, second, 0);
  const ms = check.getTime();
  if (month < 1 || month > 12 || check.getUTCDate() !== day || check.getUTCMonth() !== month - 1 || hour > 23 || minute > 59 || second > 59) {
    return "it is not a date of the calendar";
  }
  if (/[1-9]/.test(frac.slice(6))) return "it has a part of a second finer than a microsecond, which a Datetime column (microseconds) would lose";
  let us = BigInt(ms) * 1000n + BigInt(frac.slice(0, 6).padEnd(6, "0"));
  if (zone !== undefined && zone.toUpperCase() !== "Z") {
    const sign = zone.startsWith("-") ? -1n : 1n;
    const digits = zone.slice(1).replace(":", "");
    const offset = BigInt(Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2))) * 60_000_000n;
    us -= sign * offset;
  }
  return us;
}
