// CSV as flytekit writes and reads it: its pandas encoder writes `df.to_csv(path, index=False)` and
// its decoder reads `pd.read_csv(path, usecols=columns)`. Our own code, no CSV library: writing
// gives the bytes pandas gives for the same values; reading gives what pandas infers, as Arrow.
//
// Writing (pandas 2.3 on Python 3.11, checked byte for byte in csv.test.ts):
//   - a header line, then one line per row, each ended by "\n"; a field is quoted ("...", with "" for
//     a quote inside) only when it holds a comma, a quote or a line break; a row of one empty field
//     is `""` (else it would be a blank line, which readers skip);
//   - null and NaN are empty; booleans `True`/`False`; integers exact (int64 and uint64 whole);
//   - floats as numpy's str() (Python's repr for float64): the shortest text that reads back to the
//     same value, positional from 1e-4 up to 1e16 (float32: 1e6, float16: 1e3), else with an exponent
//     of at least two digits (`1e-05`, `1e+16`), `inf`, `-inf`, `-0.0`;
//   - timestamps without a zone as pandas formats a column: all at midnight -> `2024-01-02`, else
//     `2024-01-02 03:04:05` with as many fraction digits (3, 6 or 9) as the most precise value of the
//     whole column needs; with a zone, each value as str(pd.Timestamp): `2024-01-02 03:04:05+00:00`,
//     `.123456` when it has a fraction;
//   - durations as str(pd.Timedelta), `0 days 00:00:01.500000`, or `2 days` when every value of the
//     column is whole days; dates `2024-01-02`.
// A column's format depends on all its values (timestamps, durations), and batches stream: a batch is
// written with the format the column needs so far, and when a later batch needs a finer one, the
// finished temporary file is rewritten once (streamed) with the finer format. The one difference from
// pandas on purpose: a field holding a carriage return is quoted (Python 3.11's csv module leaves it
// bare, and then pandas, reading it back, splits the row there).
//
// Reading (pandas' read_csv with its defaults):
//   - a UTF-8 BOM is skipped; lines end with "\n", "\r\n" or "\r"; blank lines are skipped; a quote
//     opens a quoted field only at the start of a field; text after a closing quote is kept;
//   - empty fields and pandas' NA strings (`NA`, `NaN`, `null`, `None`, `N/A`, `#N/A`, `<NA>`, ...) are
//     null, in every column (as pandas gives NaN for them, whatever the column);
//   - header names: an empty name is `Unnamed: <i>`, a repeated name is renamed as pandas does (`a`,
//     `a.1`, `a.2`, skipping names the header already has);
//   - column types, when not declared: Int64 when every value is an integer (UInt64 when some are
//     above int64's range), Float64 when every value is a number, Bool for True/False (any case pandas
//     takes), Utf8 otherwise; all null: Float64, as pandas; no rows: Utf8. pandas makes an integer
//     column with an empty field float64; we keep it Int64, with nulls (exact, and what Arrow has).
//     `read()` infers from the whole file (a first pass over it, text only, memory bounded by a batch)
//     so that no later row can contradict the type; `schema()` infers from the first 1000 rows.
//   - declared types (`types`) are read as they say; a field that does not read as its type is a
//     TableFormatError naming the file, the line, the column, the type and the text;
//   - a row with more or fewer fields than the header, a quote left open at the end of the file, an
//     empty file and text that is not UTF-8 are TableFormatErrors (pandas fills short rows with NaN;
//     we refuse them).
import { isUtf8 } from "node:buffer";
import { randomBytes } from "node:crypto";
import { createReadStream } from "node:fs";
import { open, rename, unlink, type FileHandle } from "node:fs/promises";
import { basename, dirname, join } from "node:path";
import type { Data, DataType, Field, RecordBatch, Schema } from "apache-arrow";
import { quote } from "../errors/flyte-error.js";
import type { PartReadOptions, PartWriteOptions, TableCodec } from "./codec.js";
import { TableFormatError } from "./errors.js";
import { loadArrow } from "./runtime.js";

type Arrow = Awaited<ReturnType<typeof loadArrow>>;

/** Rows per batch when the caller does not say. */
export const DEFAULT_BATCH_SIZE = 65_536;
/** Rows `schema()` reads to infer the types of columns not declared. */
export const SCHEMA_SAMPLE_ROWS = 1000;
/** Bytes read from the file at a time. */
const READ_CHUNK = 1 << 20;

const COMMA = 0x2c;
const QUOTE = 0x22;
const LF = 0x0a;
const CR = 0x0d;
const SPACE = 0x20;
const TAB = 0x09;

// Arrow's type ids, time units and date units (apache-arrow's enums; numbers so that nothing of Arrow
// loads before it is needed).
const T_NULL = 1;
const T_INT = 2;
const T_FLOAT = 3;
const T_UTF8 = 5;
const T_BOOL = 6;
const T_DATE = 8;
const T_TIMESTAMP = 10;
const T_DICTIONARY = -1;
const T_DURATION = 18;
const T_LARGE_UTF8 = 20;
/** Nanoseconds per unit: SECOND, MILLISECOND, MICROSECOND, NANOSECOND. */
const NS_PER_UNIT = [1e9, 1e6, 1e3, 1] as const;
const NS_PER_DAY = 86_400e9;
const MS_PER_DAY = 86_400_000;
const TWO_32 = 4294967296;

// ------------------------------------------------------------------------------------------------
// The codec

class CsvCodec implements TableCodec {
  readonly format = "csv";

  async schema(path: string, options: PartReadOptions = {}): Promise<Schema> {
    const A = await loadArrow();
    const plan = await planRead(A, path, options, SCHEMA_SAMPLE_ROWS);
    return plan.schema;
  }

  read(path: string, options: PartReadOptions = {}): AsyncIterable<RecordBatch> {
    return readBatches(path, options);
  }

  write(path: string, batches: AsyncIterable<RecordBatch> | Iterable<RecordBatch>, _options: PartWriteOptions = {}): Promise<{ rows: number }> {
    return writeCsv(path, batches);
  }
}

/** The CSV codec: pandas' `to_csv(index=False)` and `read_csv`, as flytekit uses them. */
export const csv: TableCodec = new CsvCodec();

// ------------------------------------------------------------------------------------------------
// Errors

function formatError(path: string, problem: string, line?: number, column?: string): TableFormatError {
  const where = [line === undefined ? "" : `line ${line}`, column === undefined ? "" : `column ${named(column)}`].filter((p) => p !== "").join(", ");
  return new TableFormatError({ subject: path, path: where === "" ? undefined : `, ${where}`, problem });
}

function typeError(path: string, line: number, column: string, type: DataType, declared: boolean, text: string, why?: string): TableFormatError {
  const shown = text.length > 80 ? `${text.slice(0, 77)}...` : text;
  return new TableFormatError({
    subject: path,
    path: `, line ${line}, column ${named(column)}`,
    expected: `${typeName(type)} (its ${declared ? "declared" : "inferred"} type)`,
    got: quote(shown),
    problem: why,
  });
}

/** A column's name as messages show names: `'price'`. */
function named(column: string): string {
  return `'${column}'`;
}

function typeName(type: DataType): string {
  return String(type);
}

// ------------------------------------------------------------------------------------------------
// Reading: the tokenizer

/** The text of one column for one batch: field i is bytes[offsets[i], offsets[i + 1]). */
class ColumnText {
  bytes: Buffer;
  length = 0;
  readonly offsets: Int32Array;

  constructor(rows: number, bytes = 1 << 16) {
    this.bytes = Buffer.allocUnsafeSlow(bytes);
    this.offsets = new Int32Array(rows + 1);
  }

  append(src: Uint8Array, start: number, end: number): void {
    const n = end - start;
    if (this.length + n > this.bytes.length) this.grow(n);
    const bytes = this.bytes;
    if (n < 64) {
      let at = this.length;
      for (let k = start; k < end; k++) bytes[at++] = src[k];
    } else {
      bytes.set(src.subarray(start, end), this.length);
    }
    this.length += n;
  }

  appendByte(b: number): void {
    if (this.length + 1 > this.bytes.length) this.grow(1);
    this.bytes[this.length++] = b;
  }

  private grow(n: number): void {
    const next = Buffer.allocUnsafeSlow(Math.max(this.bytes.length * 2, this.length + n));
    next.set(this.bytes.subarray(0, this.length));
    this.bytes = next;
  }

  text(i: number): string {
    return this.bytes.toString("utf8", this.offsets[i], this.offsets[i + 1]);
  }
}

/** A batch of rows as text: the kept columns' fields and the line each row starts on (valid until the next batch is read). */
interface TextBatch {
  rows: number;
  columns: ColumnText[];
  lines: Float64Array;
}

const S_RECORD = 0; // at the start of a record
const S_FIELD = 1; // at the start of a field (after a comma)
const S_UNQUOTED = 2; // in a field not quoted (or after a quoted part)
const S_QUOTED = 3; // inside quotes
const S_QUOTE = 4; // a quote inside quotes: the end, or the first of a doubled quote

/**
 * Splits CSV bytes into records and fields, fed chunk by chunk; keeps the fields of the columns it is
 * told to (their bytes copied out, quotes undone) and stops when a batch is full.
 */
class Tokenizer {
  /** The header's fields, once read. */
  header: string[] | undefined;
  private headerText: ColumnText[] = [];
  private ncols = -1;
  /** Where each field of a record goes, by its index (undefined: not kept). */
  private slots: (ColumnText | undefined)[] = [];
  private kept: ColumnText[] = [];
  /** The kept fields, in the order asked for. */
  private columns: ColumnText[] = [];
  private capacity = 1;
  rows = 0;
  private lines = new Float64Array(1);

  private state = S_RECORD;
  private field = 0;
  private slot: ColumnText | undefined;
  /** The line at the read position, and the line the current record started on. */
  private line = 1;
  private recordLine = 1;
  private quoteLine = 1;
  /** The last byte was a CR: a LF right after it ends the same line. */
  private afterCR = false;
  /** The last byte inside quotes was a CR. */
  private quotedCR = false;
  /** The record so far has nothing but spaces and tabs (a blank line, skipped when it ends). */
  private blank = true;

  constructor(private readonly path: string) {}

  /** Keeps the fields at these indexes (in this order), in batches of `capacity` rows. */
  keep(indexes: readonly number[], capacity: number): void {
    this.capacity = capacity;
    this.slots = new Array<ColumnText | undefined>(this.ncols).fill(undefined);
    // A field asked for twice is read once.
    for (const index of indexes) this.slots[index] ??= new ColumnText(capacity);
    this.kept = [...new Set(this.slots.filter((slot) => slot !== undefined))];
    this.columns = indexes.map((index) => this.slots[index]!);
    this.lines = new Float64Array(capacity);
    this.rows = 0;
  }

  get full(): boolean {
    return this.header !== undefined && this.rows >= this.capacity;
  }

  /**
   * The rows read so far. The buffers are the tokenizer's own, reused for the next batch: what the
   * caller keeps of them it copies before calling `clear()`.
   */
  take(): TextBatch {
    return { rows: this.rows, columns: this.columns, lines: this.lines };
  }

  /** Empties the batch's buffers for the next rows (memory stays that of the largest batch). */
  clear(): void {
    for (const column of this.kept) column.length = 0;
    this.rows = 0;
  }

  /**
   * Reads `buf` from `pos`; returns where it stopped: the end of `buf`, or just after the header, or
   * just after the record that filled the batch.
   */
  scan(buf: Uint8Array, pos: number): number {
    const end = buf.length;
    let state = this.state;
    let slot = this.slot;
    while (pos < end) {
      if (state === S_RECORD) {
        if (this.afterCR) {
          this.afterCR = false;
          if (buf[pos] === LF) {
            pos++;
            continue;
          }
        }
        this.recordLine = this.line;
        this.field = 0;
        this.blank = true;
        slot = this.slotOf(0);
        state = S_FIELD;
      }
      if (state === S_FIELD) {
        if (buf[pos] === QUOTE) {
          this.blank = false;
          this.quoteLine = this.line;
          this.quotedCR = false;
          state = S_QUOTED;
          pos++;
          continue;
        }
        state = S_UNQUOTED;
      }
      if (state === S_UNQUOTED) {
        let p = pos;
        let c = 0;
        while (p < end) {
          c = buf[p];
          if (c === COMMA || c === LF || c === CR) break;
          p++;
        }
        if (this.blank) {
          for (let k = pos; k < p; k++) {
            if (buf[k] !== SPACE && buf[k] !== TAB) {
              this.blank = false;
              break;
            }
          }
        }
        if (slot !== undefined && p > pos) slot.append(buf, pos, p);
        pos = p;
        if (p === end) break;
        pos++;
        if (c === COMMA) {
          this.blank = false;
          this.endField(slot);
          this.field++;
          slot = this.slotOf(this.field);
          state = S_FIELD;
          continue;
        }
        // A line end: CR, LF, or CR LF (the LF is skipped at the next record's start).
        this.line++;
        this.afterCR = c === CR;
        state = S_RECORD;
        this.endField(slot);
        slot = undefined;
        if (this.endRecord()) {
          this.state = state;
          this.slot = slot;
          return pos;
        }
        continue;
      }
      if (state === S_QUOTED) {
        let q = buf.indexOf(QUOTE, pos);
        if (q < 0) q = end;
        this.countLines(buf, pos, q);
        if (slot !== undefined && q > pos) slot.append(buf, pos, q);
        pos = q;
        if (q === end) break;
        pos++;
        state = S_QUOTE;
        continue;
      }
      // S_QUOTE: a doubled quote is one quote; anything else ends the quoted part.
      if (buf[pos] === QUOTE) {
        slot?.appendByte(QUOTE);
        pos++;
        state = S_QUOTED;
      } else {
        state = S_UNQUOTED;
      }
    }
    this.state = state;
    this.slot = slot;
    return pos;
  }

  /** The end of the input: the last record, even without a line end; a quote left open is an error. */
  finish(): void {
    if (this.state === S_QUOTED) {
      throw formatError(this.path, "a quoted field is not closed before the end of the file (a quote is missing)", this.quoteLine);
    }
    if (this.state !== S_RECORD) {
      this.endField(this.slot);
      this.slot = undefined;
      this.state = S_RECORD;
      this.endRecord();
    }
  }

  /** Counts the line ends inside a quoted field (CR LF as one, also when a chunk ends between them). */
  private countLines(buf: Uint8Array, start: number, end: number): void {
    let line = this.line;
    let afterCR = this.quotedCR;
    for (let k = start; k < end; k++) {
      const c = buf[k];
      if (c === LF) {
        if (!afterCR) line++;
        afterCR = false;
      } else if (c === CR) {
        line++;
        afterCR = true;
      } else {
        afterCR = false;
      }
    }
    this.line = line;
    this.quotedCR = afterCR;
  }

  private slotOf(field: number): ColumnText | undefined {
    if (this.header === undefined) {
      return (this.headerText[field] ??= new ColumnText(1, 256));
    }
    return field < this.ncols ? this.slots[field] : undefined;
  }

  private endField(slot: ColumnText | undefined): void {
    if (slot !== undefined) slot.offsets[this.header === undefined ? 1 : this.rows + 1] = slot.length;
  }

  /** Ends a record; true when the caller must stop (the header was read, or the batch is full). */
  private endRecord(): boolean {
    const fields = this.field + 1;
    if (this.blank && this.field === 0) {
      // A blank line: undo what its spaces added.
      const slot = this.header === undefined ? this.headerText[0] : this.slots[0];
      if (slot !== undefined) slot.length = slot.offsets[this.header === undefined ? 0 : this.rows];
      if (this.header === undefined) this.headerText = [];
      return false;
    }
    if (this.header === undefined) {
      this.header = this.headerText.map((t, i) => {
        const bytes = t.bytes.subarray(0, t.length);
        if (!isUtf8(bytes)) throw formatError(this.path, `the header is not UTF-8 text (field ${i + 1})`, this.recordLine);
        return bytes.toString("utf8");
      });
      this.ncols = fields;
      return true;
    }
    if (fields !== this.ncols) {
      throw new TableFormatError({
        subject: this.path,
        path: `, line ${this.recordLine}`,
        expected: `${this.ncols} field${this.ncols === 1 ? "" : "s"} (as many as the header has)`,
        got: `${fields}`,
        problem: "every row of a CSV file has the header's number of fields",
      });
    }
    this.lines[this.rows] = this.recordLine;
    this.rows++;
    return this.rows >= this.capacity;
  }
}

/**
 * The text batches of a file: the header is given to `setup`, which says which fields to keep; then
 * batches of `batchSize` rows (the last one shorter), up to `maxRows` rows.
 */
async function* textBatches(path: string, batchSize: number, setup: (header: string[]) => number[], maxRows = Infinity): AsyncGenerator<TextBatch, void, undefined> {
  const tok = new Tokenizer(path);
  let stream: ReturnType<typeof createReadStream>;
  try {
    stream = createReadStream(path, { highWaterMark: READ_CHUNK });
  } catch (error) {
    throw formatError(path, `cannot be read: ${(error as Error).message}`);
  }
  let first = true;
  let taken = 0;
  const capacity = Math.max(1, Math.min(batchSize, maxRows));
  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      let pos = 0;
      if (first) {
        first = false;
        if (chunk.length >= 3 && chunk[0] === 0xef && chunk[1] === 0xbb && chunk[2] === 0xbf) pos = 3;
      }
      while (pos < chunk.length) {
        const hadHeader = tok.header !== undefined;
        pos = tok.scan(chunk, pos);
        if (!hadHeader && tok.header !== undefined) tok.keep(setup(tok.header), capacity);
        if (tok.full) {
          const batch = tok.take();
          taken += batch.rows;
          yield batch;
          tok.clear();
          if (taken >= maxRows) return;
        }
      }
    }
  } catch (error) {
    if (error instanceof TableFormatError) throw error;
    throw formatError(path, `cannot be read: ${(error as Error).message}`);
  } finally {
    stream.destroy();
  }
  const hadHeader = tok.header !== undefined;
  tok.finish();
  if (tok.header === undefined) throw formatError(path, "the file is empty: a CSV file starts with a header line naming its columns");
  if (!hadHeader) tok.keep(setup(tok.header), capacity);
  if (tok.rows > 0) yield tok.take();
}

// ------------------------------------------------------------------------------------------------
// Reading: header names, the plan (columns, types), inference

/** pandas' names for a header: `Unnamed: <i>` for an empty one, repeated names numbered. */
export function headerNames(fields: readonly string[]): string[] {
  const names = fields.map((f, i) => (f === "" ? `Unnamed: ${i}` : f));
  const present = new Set(names);
  const counts = new Map<string, number>();
  return names.map((original) => {
    let name = original;
    let count = counts.get(name) ?? 0;
    if (count > 0) {
      // The next free `<name>.<k>`: not in the header, not given before.
      while (count > 0) {
        counts.set(original, count + 1);
        name = `${original}.${count}`;
        count = present.has(name) ? count + 1 : (counts.get(name) ?? 0);
      }
    }
    counts.set(name, count + 1);
    return name;
  });
}

interface ReadPlan {
  /** The header's names (after renaming), all of them. */
  names: string[];
  /** The field indexes read, in the order of the output columns. */
  indexes: number[];
  schema: Schema;
}

/** The columns to read and their types: declared, or inferred from the first `sampleRows` rows (all when Infinity). */
async function planRead(A: Arrow, path: string, options: PartReadOptions, sampleRows: number): Promise<ReadPlan> {
  let names: string[] = [];
  let indexes: number[] = [];
  let inferred: number[] = [];
  const inference: Inference[] = [];
  let rows = 0;
  const declared = options.types ?? {};
  for await (const batch of textBatches(
    path,
    Math.min(options.batchSize ?? DEFAULT_BATCH_SIZE, sampleRows),
    (header) => {
      names = headerNames(header);
      indexes = projection(path, names, options.columns);
      inferred = indexes.filter((i) => declared[names[i]] === undefined);
      inferred.forEach(() => inference.push(new Inference()));
      return inferred;
    },
    sampleRows,
  )) {
    // Nothing to infer (every column read is declared) or nothing more to learn: the rest is not read.
    if (inference.length === 0) break;
    rows += batch.rows;
    batch.columns.forEach((text, k) => inference[k].add(text, batch.rows));
    if (inference.every((i) => i.done)) break;
  }
  const fields = indexes.map((index) => {
    const name = names[index];
    const k = inferred.indexOf(index);
    const type = k >= 0 ? inference[k].type(A, rows) : declared[name];
    checkReadable(path, name, type);
    return new A.Field(name, type, true);
  });
  return { names, indexes, schema: new A.Schema(fields) };
}

function projection(path: string, names: readonly string[], columns: readonly string[] | undefined): number[] {
  if (columns === undefined) return names.map((_n, i) => i);
  return columns.map((column) => {
    const index = names.indexOf(column);
    if (index < 0) {
      throw new TableFormatError({ subject: path, problem: `has no column ${named(column)}; its columns are ${names.map(named).join(", ")}` });
    }
    return index;
  });
}

const CAN_INT = 1;
const CAN_FLOAT = 2;
const CAN_BOOL = 4;

/** What a column's values could all be read as, so far. */
class Inference {
  private can = CAN_INT | CAN_FLOAT | CAN_BOOL;
  private values = 0;
  private negative = false;
  private aboveInt64 = false;

  /** Nothing more can be learnt: the column is text. */
  get done(): boolean {
    return this.can === 0;
  }

  add(text: ColumnText, rows: number): void {
    const { bytes, offsets } = text;
    for (let i = 0; i < rows && this.can !== 0; i++) {
      const s = offsets[i];
      const e = offsets[i + 1];
      if (isNA(bytes, s, e)) continue;
      this.values++;
      let can = 0;
      if (this.can & CAN_INT) {
        const v = readInt(bytes, s, e);
        if (v !== NOT_INT) {
          if (v === OUT_OF_RANGE) {
            this.can = 0;
            break;
          }
          if (typeof v === "bigint" ? v > INT64_MAX : false) this.aboveInt64 = true;
          if (typeof v === "bigint" ? v < 0n : v < 0) this.negative = true;
          can = CAN_INT | CAN_FLOAT;
        }
      }
      if (can === 0 && this.can & CAN_FLOAT && !Number.isNaN(readFloat(bytes, s, e))) can = CAN_FLOAT;
      if (can === 0 && this.can & CAN_BOOL && readBool(bytes, s, e) !== undefined) can = CAN_BOOL;
      this.can &= can;
    }
  }

  type(A: Arrow, rows: number): DataType {
    if (this.values === 0) return rows === 0 ? new A.Utf8() : new A.Float64();
    if (this.can & CAN_INT) {
      if (this.aboveInt64) return this.negative ? new A.Utf8() : new A.Uint64();
      return new A.Int64();
    }
    if (this.can & CAN_FLOAT) return new A.Float64();
    if (this.can & CAN_BOOL) return new A.Bool();
    return new A.Utf8();
  }
}

function checkReadable(path: string, column: string, type: DataType): void {
  const id = type.typeId as number;
  const ok = id === T_INT || (id === T_FLOAT && (type as unknown as { precision: number }).precision > 0) || id === T_UTF8 || id === T_LARGE_UTF8 || id === T_BOOL || id === T_TIMESTAMP || id === T_DATE || id === T_DURATION;
  if (!ok) {
    throw new TableFormatError({
      subject: path,
      path: `, column ${named(column)}`,
      problem: `cannot read a CSV column as ${typeName(type)}`,
      fix: "declare it as an integer, float, string, bool, timestamp, date or duration type",
    });
  }
}

async function* readBatches(path: string, options: PartReadOptions): AsyncGenerator<RecordBatch, void, undefined> {
  const A = await loadArrow();
  const batchSize = options.batchSize ?? DEFAULT_BATCH_SIZE;
  if (!(Number.isInteger(batchSize) && batchSize > 0)) {
    throw new TableFormatError({ subject: path, expected: "a batch size of at least 1 row", got: String(batchSize) });
  }
  // Columns not declared are inferred from the whole file first (text only), so that the batches all
  // have one schema and no later row contradicts it.
  const schema = (await planRead(A, path, { ...options, batchSize }, Infinity)).schema;
  const types = schema.fields.map((f: Field) => f.type);
  const declared = schema.fields.map((f: Field) => options.types?.[f.name] !== undefined);
  const struct = () => new A.Struct(schema.fields);
  let sent = false;
  for await (const text of textBatches(path, batchSize, (header) => projection(path, headerNames(header), options.columns))) {
    const children = text.columns.map((column, k) => convert(A, path, schema.fields[k].name, types[k], declared[k], column, text.rows, text.lines));
    sent = true;
    yield new A.RecordBatch(schema, A.makeData({ type: struct(), length: text.rows, nullCount: 0, children }));
  }
  // A file without rows still gives its schema: one empty batch.
  if (!sent) {
    const children = schema.fields.map((f: Field) => A.makeData({ type: f.type, length: 0, nullCount: 0 } as never) as Data);
    yield new A.RecordBatch(schema, A.makeData({ type: struct(), length: 0, nullCount: 0, children }));
  }
}

// ------------------------------------------------------------------------------------------------
// Reading: fields as values

// pandas' default NA strings (pandas._libs.parsers.STR_NA_VALUES), by length.
const NA_STRINGS = ["", "#N/A", "#N/A N/A", "#NA", "-1.#IND", "-1.#QNAN", "-NaN", "-nan", "1.#IND", "1.#QNAN", "<NA>", "N/A", "NA", "NULL", "NaN", "None", "n/a", "nan", "null"];
const NA_BY_LENGTH: Uint8Array[][] = [];
for (const s of NA_STRINGS) (NA_BY_LENGTH[s.length] ??= []).push(Buffer.from(s, "latin1"));

function isNA(b: Uint8Array, s: number, e: number): boolean {
  const n = e - s;
  if (n === 0) return true;
  const candidates = NA_BY_LENGTH[n];
  if (candidates === undefined) return false;
  outer: for (const c of candidates) {
    for (let k = 0; k < n; k++) if (b[s + k] !== c[k]) continue outer;
    return true;
  }
  return false;
}

const NOT_INT = Symbol("not an integer");
const OUT_OF_RANGE = Symbol("an integer out of range");
const INT64_MAX = (1n << 63n) - 1n;
const INT64_MIN = -(1n << 63n);
const UINT64_MAX = (1n << 64n) - 1n;

function isSpace(c: number): boolean {
  return c === SPACE || (c >= TAB && c <= CR);
}

/**
 * A field as an integer (pandas': spaces around it, a sign, decimal digits): a number when it is
 * exact as one, else a bigint; NOT_INT when the text is no integer, OUT_OF_RANGE when it is one
 * outside [-2^63, 2^64).
 */
function readInt(b: Buffer, s: number, e: number): number | bigint | typeof NOT_INT | typeof OUT_OF_RANGE {
  while (s < e && isSpace(b[s])) s++;
  while (e > s && isSpace(b[e - 1])) e--;
  let negative = false;
  if (s < e && (b[s] === 0x2d || b[s] === 0x2b)) {
    negative = b[s] === 0x2d;
    s++;
  }
  if (s === e) return NOT_INT;
  let value = 0;
  for (let k = s; k < e; k++) {
    const d = b[k] - 0x30;
    if (d < 0 || d > 9) return NOT_INT;
    value = value * 10 + d;
  }
  if (e - s <= 15) return negative ? -value : value;
  let big = BigInt(b.toString("latin1", s, e));
  if (negative) big = -big;
  if (big < INT64_MIN || big > UINT64_MAX) return OUT_OF_RANGE;
  return big >= -(2n ** 53n) && big <= 2n ** 53n ? Number(big) : big;
}

/** A field as a float (pandas' syntax: decimal, exponent, inf/infinity in any case), NaN when it is none. */
function readFloat(b: Buffer, s: number, e: number): number {
  while (s < e && isSpace(b[s])) s++;
  while (e > s && isSpace(b[e - 1])) e--;
  let k = s;
  if (k < e && (b[k] === 0x2d || b[k] === 0x2b)) k++;
  if (k === e) return NaN;
  const c0 = b[k] | 0x20;
  if (c0 === 0x69 /* i */) {
    const word = b.toString("latin1", k, e).toLowerCase();
    if (word !== "inf" && word !== "infinity") return NaN;
    return b[s] === 0x2d ? -Infinity : Infinity;
  }
  // The digits as an integer m and a power of ten: exact while m < 2^53, and then m * 10^p (or
  // m / 10^-p) for |p| <= 22 is the correctly rounded value (both operands exact, one rounding).
  let digits = 0;
  let m = 0;
  let power = 0;
  while (k < e && b[k] >= 0x30 && b[k] <= 0x39) {
    m = m * 10 + b[k++] - 0x30;
    digits++;
  }
  if (k < e && b[k] === 0x2e) {
    k++;
    while (k < e && b[k] >= 0x30 && b[k] <= 0x39) {
      m = m * 10 + b[k++] - 0x30;
      digits++;
      power--;
    }
  }
  if (digits === 0) return NaN;
  if (k < e && (b[k] | 0x20) === 0x65 /* e */) {
    k++;
    let negative = false;
    if (k < e && (b[k] === 0x2d || b[k] === 0x2b)) negative = b[k++] === 0x2d;
    let exponent = 0;
    let n = 0;
    while (k < e && b[k] >= 0x30 && b[k] <= 0x39) {
      if (exponent < 100_000) exponent = exponent * 10 + b[k] - 0x30;
      k++;
      n++;
    }
    if (n === 0) return NaN;
    power += negative ? -exponent : exponent;
  }
  if (k !== e) return NaN;
  let value: number;
  if (m <= 2 ** 53 && power >= -22 && power <= 22) {
    value = power >= 0 ? m * 10 ** power : m / 10 ** -power;
    if (b[s] === 0x2d) value = -value;
  } else {
    value = Number(b.toString("latin1", s, e));
  }
  // Too large for a double: pandas keeps such a column as text.
  return Number.isFinite(value) ? value : NaN;
}

/** A field as a bool: true or false in any case (pandas'); undefined when it is neither. */
function readBool(b: Uint8Array, s: number, e: number): boolean | undefined {
  const n = e - s;
  if (n !== 4 && n !== 5) return undefined;
  const word = n === 4 ? "true" : "false";
  for (let k = 0; k < n; k++) if ((b[s + k] | 0x20) !== word.charCodeAt(k)) return undefined;
  return n === 4;
}

/** The Arrow data of one column of a batch, read as `type`. */
function convert(A: Arrow, path: string, name: string, type: DataType, declared: boolean, text: ColumnText, rows: number, lines: Float64Array): Data {
  const { bytes, offsets } = text;
  const validity = new Uint8Array((rows + 7) >> 3);
  let nulls = 0;
  const fail = (i: number, why?: string): never => {
    const raw = text.text(i);
    throw typeError(path, lines[i], name, type, declared, raw, why);
  };
  const id = type.typeId as number;
  // pandas writes a missing time as nothing, but NaT is what it prints and parses for one.
  const temporal = id === T_TIMESTAMP || id === T_DATE || id === T_DURATION;
  const forEachValue = (set: (i: number, s: number, e: number) => void): void => {
    for (let i = 0; i < rows; i++) {
      const s = offsets[i];
      const e = offsets[i + 1];
      if (isNA(bytes, s, e) || (temporal && e - s === 3 && bytes[s] === 0x4e && bytes[s + 1] === 0x61 && bytes[s + 2] === 0x54)) {
        nulls++;
        continue;
      }
      validity[i >> 3] |= 1 << (i & 7);
      set(i, s, e);
    }
  };
  const make = (props: Record<string, unknown>): Data =>
    A.makeData({ type, length: rows, nullCount: nulls, nullBitmap: nulls > 0 ? validity : undefined, ...props } as never) as Data;

  if (id === T_UTF8 || id === T_LARGE_UTF8) {
    forEachValue(() => undefined);
    const text = bytes.subarray(0, offsets[rows]);
    if (!isUtf8(text)) {
      for (let i = 0; i < rows; i++) if (!isUtf8(bytes.subarray(offsets[i], offsets[i + 1]))) fail(i, "the file is not UTF-8 text there");
    }
    // Copied out of the tokenizer's buffers (reused for the next batch), at their exact size.
    const data = new Uint8Array(text);
    const valueOffsets = id === T_UTF8 ? offsets.slice(0, rows + 1) : BigInt64Array.from(offsets.subarray(0, rows + 1), (o) => BigInt(o));
    return make({ valueOffsets, data });
  }
  if (id === T_BOOL) {
    const values = new Uint8Array((rows + 7) >> 3);
    forEachValue((i, s, e) => {
      const v = readBool(bytes, s, e);
      if (v === undefined) fail(i);
      if (v) values[i >> 3] |= 1 << (i & 7);
    });
    return make({ data: values });
  }
  if (id === T_FLOAT) {
    const precision = (type as unknown as { precision: number }).precision;
    const values = precision === 2 ? new Float64Array(rows) : new Float32Array(rows);
    forEachValue((i, s, e) => {
      const v = readFloat(bytes, s, e);
      if (Number.isNaN(v)) {
        // An integer too large for the float syntax check is still a number (1e400 is not).
        fail(i);
      }
      values[i] = v;
    });
    return make({ data: values });
  }
  if (id === T_INT) {
    const { bitWidth, isSigned } = type as unknown as { bitWidth: number; isSigned: boolean };
    const min = isSigned ? -(2 ** (bitWidth - 1)) : 0;
    const max = isSigned ? 2 ** (bitWidth - 1) - 1 : 2 ** bitWidth - 1;
    const readWhole = (i: number, s: number, e: number): number | bigint => {
      const v = readInt(bytes, s, e);
      if (v === NOT_INT) {
        // pandas writes an integer column with nulls as floats: 1.0 is the integer 1.
        const f = readFloat(bytes, s, e);
        if (Number.isInteger(f) && Math.abs(f) <= 2 ** 53) return f;
        return fail(i);
      }
      if (v === OUT_OF_RANGE) return fail(i, "out of its range");
      return v;
    };
    if (bitWidth === 64) {
      const values = isSigned ? new BigInt64Array(rows) : new BigUint64Array(rows);
      const lo = new Uint32Array(values.buffer);
      const hi = new Int32Array(values.buffer);
      const lowest = isSigned ? INT64_MIN : 0n;
      const highest = isSigned ? INT64_MAX : UINT64_MAX;
      forEachValue((i, s, e) => {
        const v = readWhole(i, s, e);
        if (typeof v === "number") {
          if (!isSigned && v < 0) fail(i, "out of its range");
          setInt64(lo, hi as Int32Array, i, v);
        } else {
          if (v < lowest || v > highest) fail(i, "out of its range");
          values[i] = v;
        }
      });
      return make({ data: values });
    }
    const Array_ = (type as unknown as { ArrayType: new (n: number) => Int32Array }).ArrayType;
    const values = new Array_(rows);
    forEachValue((i, s, e) => {
      const v = readWhole(i, s, e);
      if (typeof v !== "number" || v < min || v > max) fail(i, "out of its range");
      values[i] = v as number;
    });
    return make({ data: values });
  }
  if (id === T_TIMESTAMP) {
    const { unit, timezone } = type as unknown as { unit: number; timezone?: string | null };
    const zone = timezone ? zoneOf(path, timezone) : undefined;
    const values = new BigInt64Array(rows);
    const { lo, hi } = int64Views(values, true);
    const per = NS_PER_UNIT[unit];
    const perSecond = 1e9 / per;
    forEachValue((i, s, e) => {
      if (!parseDateTime(bytes, s, e)) fail(i);
      const { days, nanos, offset } = parsed;
      let seconds = days * 86_400 + Math.floor(nanos / 1e9);
      const sub = nanos % 1e9;
      if (!Number.isNaN(offset)) seconds -= offset;
      else if (zone !== undefined) seconds -= zone.localOffset(seconds);
      if (sub % per !== 0) fail(i, "more precise than its unit");
      const value = seconds * perSecond + sub / per;
      if (Number.isSafeInteger(value)) setInt64(lo, hi, i, value);
      else values[i] = BigInt(seconds) * BigInt(perSecond) + BigInt(sub / per);
    });
    return make({ data: values });
  }
  if (id === T_DATE) {
    const unit = (type as unknown as { unit: number }).unit;
    const values = unit === 0 ? new Int32Array(rows) : new BigInt64Array(rows);
    forEachValue((i, s, e) => {
      if (!parseDateTime(bytes, s, e) || parsed.nanos !== 0 || !Number.isNaN(parsed.offset)) fail(i);
      if (unit === 0) values[i] = parsed.days;
      else (values as BigInt64Array)[i] = BigInt(parsed.days) * BigInt(MS_PER_DAY);
    });
    return make({ data: values });
  }
  if (id === T_DURATION) {
    const unit = (type as unknown as { unit: number }).unit;
    const per = BigInt(NS_PER_UNIT[unit]);
    const values = new BigInt64Array(rows);
    forEachValue((i, s, e) => {
      const ns = parseTimedelta(bytes.toString("latin1", s, e));
      if (ns === undefined) fail(i);
      if (ns! % per !== 0n) fail(i, "more precise than its unit");
      values[i] = ns! / per;
    });
    return make({ data: values });
  }
  /* c8 ignore next */
  throw formatError(path, `cannot read a CSV column as ${typeName(type)}`, undefined, name);
}

/** What parseDateTime read: days since 1970-01-01, nanoseconds into the day, the offset in seconds (NaN: none written). */
const parsed = { days: 0, nanos: 0, offset: NaN };

/**
 * Reads a date or date-time into `parsed`: `YYYY-MM-DD`, then optionally ` HH:MM[:SS[.fraction]]`
 * (or `T`), then optionally `Z` or an offset `±HH[:MM[:SS]]`, spaces around; false when the text is
 * none of these.
 */
function parseDateTime(b: Uint8Array, s: number, e: number): boolean {
  while (s < e && isSpace(b[s])) s++;
  while (e > s && isSpace(b[e - 1])) e--;
  let k = s;
  const digits = (count: number): number => {
    let v = 0;
    for (let n = 0; n < count; n++) {
      const d = k < e ? b[k] - 0x30 : -1;
      if (d < 0 || d > 9) return -1;
      v = v * 10 + d;
      k++;
    }
    return v;
  };
  let negativeYear = false;
  if (b[k] === 0x2d) {
    negativeYear = true;
    k++;
  }
  let year = 0;
  let yearDigits = 0;
  while (k < e && b[k] >= 0x30 && b[k] <= 0x39) {
    year = year * 10 + b[k] - 0x30;
    k++;
    yearDigits++;
  }
  if (yearDigits < 4 || b[k] !== 0x2d) return false;
  k++;
  const month = digits(2);
  if (month < 1 || month > 12 || b[k] !== 0x2d) return false;
  k++;
  const day = digits(2);
  if (negativeYear) year = -year;
  if (day < 1 || day > daysInMonth(year, month)) return false;
  let nanos = 0;
  if (k < e && (b[k] === SPACE || b[k] === 0x54 /* T */)) {
    k++;
    const hour = digits(2);
    if (hour < 0 || hour > 23 || b[k] !== 0x3a) return false;
    k++;
    const minute = digits(2);
    if (minute < 0 || minute > 59) return false;
    let second = 0;
    if (b[k] === 0x3a && k < e) {
      k++;
      second = digits(2);
      if (second < 0 || second > 59) return false;
      if (k < e && b[k] === 0x2e) {
        k++;
        let fraction = 0;
        let n = 0;
        while (k < e && b[k] >= 0x30 && b[k] <= 0x39 && n < 9) {
          fraction = fraction * 10 + b[k] - 0x30;
          k++;
          n++;
        }
        if (n === 0 || (k < e && b[k] >= 0x30 && b[k] <= 0x39)) return false;
        nanos = fraction * 10 ** (9 - n);
      }
    }
    nanos += ((hour * 60 + minute) * 60 + second) * 1e9;
  }
  let offset = NaN;
  if (k < e && (b[k] | 0x20) === 0x7a /* z */) {
    offset = 0;
    k++;
  } else if (k < e && (b[k] === 0x2b || b[k] === 0x2d)) {
    const sign = b[k] === 0x2d ? -1 : 1;
    k++;
    const oh = digits(2);
    if (oh < 0) return false;
    let om = 0;
    let os = 0;
    if (k < e) {
      if (b[k] === 0x3a) k++;
      om = digits(2);
      if (om < 0) return false;
      if (k < e) {
        if (b[k] === 0x3a) k++;
        os = digits(2);
        if (os < 0) return false;
      }
    }
    offset = sign * (oh * 3600 + om * 60 + os);
  }
  if (k !== e) return false;
  parsed.days = daysFromCivil(year, month, day);
  parsed.nanos = nanos;
  parsed.offset = offset;
  return true;
}

/**
 * A duration as pandas writes one (`1 days 02:03:04.500000`, `-1 days +23:59:59`, `2 days`) or
 * `HH:MM:SS[.fraction]`, in nanoseconds.
 */
function parseTimedelta(raw: string): bigint | undefined {
  const text = raw.trim();
  const m = TIMEDELTA.exec(text);
  if (m === null) return undefined;
  const [, days, sign, hours, minutes, seconds, fraction, bareSign, bh, bm, bs, bf] = m;
  const clock = (h: string, mi: string, se: string, f: string | undefined): bigint | undefined => {
    if (Number(mi) > 59 || Number(se) > 59) return undefined;
    return (BigInt(h) * 3600n + BigInt(mi) * 60n + BigInt(se)) * 1_000_000_000n + BigInt((f ?? "").padEnd(9, "0"));
  };
  if (days !== undefined) {
    let ns = BigInt(days) * 86_400_000_000_000n;
    if (hours !== undefined) {
      const c = clock(hours, minutes, seconds, fraction);
      if (c === undefined) return undefined;
      ns += sign === "-" ? -c : c;
    }
    return ns;
  }
  const c = clock(bh, bm, bs, bf);
  return c === undefined ? undefined : bareSign === "-" ? -c : c;
}
const TIMEDELTA = /^(?:(-?\d+) days?(?: ?([+-])?(\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?)?|([+-])?(\d+):(\d{2}):(\d{2})(?:\.(\d{1,9}))?)$/;

// ------------------------------------------------------------------------------------------------
// Dates and time zones

/** Days since 1970-01-01 of a proleptic Gregorian date. */
function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yearOfEra = y - era * 400;
  const dayOfYear = Math.floor((153 * (month + (month > 2 ? -3 : 9)) + 2) / 5) + day - 1;
  const dayOfEra = yearOfEra * 365 + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100) + dayOfYear;
  return era * 146_097 + dayOfEra - 719_468;
}

/** The date of a day number (days since 1970-01-01). */
function civilFromDays(days: number): [number, number, number] {
  const z = days + 719_468;
  const era = Math.floor(z / 146_097);
  const dayOfEra = z - era * 146_097;
  const yearOfEra = Math.floor((dayOfEra - Math.floor(dayOfEra / 1460) + Math.floor(dayOfEra / 36_524) - Math.floor(dayOfEra / 146_096)) / 365);
  const dayOfYear = dayOfEra - (365 * yearOfEra + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100));
  const mp = Math.floor((5 * dayOfYear + 2) / 153);
  const day = dayOfYear - Math.floor((153 * mp + 2) / 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  return [yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day];
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

/** A time zone: its offset from UTC (seconds) at an instant, and for a local wall time. */
interface Zone {
  offset(utcSeconds: number): number;
  localOffset(localSeconds: number): number;
}

const zones = new Map<string, Zone>();

function zoneOf(path: string, name: string): Zone {
  let zone = zones.get(name);
  if (zone !== undefined) return zone;
  const fixed = /^([+-])(\d{2}):?(\d{2})$/.exec(name);
  if (fixed !== null || /^(utc|z|gmt|etc\/utc|etc\/gmt|etc\/uct|uct|etc\/zulu|zulu)$/i.test(name)) {
    const seconds = fixed === null ? 0 : (fixed[1] === "-" ? -1 : 1) * (Number(fixed[2]) * 3600 + Number(fixed[3]) * 60);
    zone = { offset: () => seconds, localOffset: () => seconds };
  } else {
    let format: Intl.DateTimeFormat;
    try {
      format = new Intl.DateTimeFormat("en-US", { timeZone: name, hourCycle: "h23", year: "numeric", month: "numeric", day: "numeric", hour: "numeric", minute: "numeric", second: "numeric", era: "short" });
    } catch {
      throw new TableFormatError({ subject: path, problem: `unknown time zone ${quote(name)}` });
    }
    const exact = (t: number): number => {
      const parts: Record<string, string> = {};
      for (const p of format.formatToParts(new Date(t * 1000))) parts[p.type] = p.value;
      let year = Number(parts.year);
      if (parts.era === "BC" || parts.era === "B") year = 1 - year;
      const local = daysFromCivil(year, Number(parts.month), Number(parts.day)) * 86_400 + Number(parts.hour) * 3600 + Number(parts.minute) * 60 + Number(parts.second);
      return local - t;
    };
    // Offsets change rarely: one lookup per quarter hour, trusted when both ends of it agree.
    const cache = new Map<number, number>();
    const offset = (t: number): number => {
      const q = Math.floor(t / 900);
      let o = cache.get(q);
      if (o === undefined) {
        const a = exact(q * 900);
        o = a === exact(q * 900 + 899) ? a : NaN;
        if (cache.size > 100_000) cache.clear();
        cache.set(q, o);
      }
      return Number.isNaN(o) ? exact(t) : o;
    };
    zone = {
      offset,
      localOffset: (local) => {
        // The offset at the instant that shows this wall time (the earlier one when it shows twice).
        const first = offset(local - offset(local));
        return offset(local - first) === first ? first : offset(local - offset(local - first));
      },
    };
  }
  zones.set(name, zone);
  return zone;
}

// ------------------------------------------------------------------------------------------------
// Writing: values as pandas formats them

/** A float as numpy's str() of its type (Python's repr for float64); NaN is empty. */
export function formatFloat(x: number, bits: 16 | 32 | 64 = 64): string {
  if (x !== x) return "";
  if (x === Infinity) return "inf";
  if (x === -Infinity) return "-inf";
  if (x === 0) return Object.is(x, -0) ? "-0.0" : "0.0";
  const negative = x < 0;
  const ax = negative ? -x : x;
  // From 1e-4 to 1e16, JS writes float64s as Python does, less the ".0" of a whole number.
  if (bits === 64 && ax >= 1e-4 && ax < 1e16) {
    const text = String(x);
    return text.includes(".") ? text : `${text}.0`;
  }
  const { digits, exponent } = bits === 64 ? decimal(String(ax)) : shortestNarrow(ax, bits === 32 ? Math.fround : f16round, bits === 32 ? 9 : 5);
  const upper = bits === 64 ? 1e16 : bits === 32 ? 1e6 : 1e3;
  let text: string;
  if (ax >= 1e-4 && ax < upper) {
    if (exponent >= 0) {
      const whole = digits.length > exponent + 1 ? digits.slice(0, exponent + 1) : digits.padEnd(exponent + 1, "0");
      const fraction = digits.length > exponent + 1 ? digits.slice(exponent + 1) : "0";
      text = `${whole}.${fraction}`;
    } else {
      text = `0.${"0".repeat(-exponent - 1)}${digits}`;
    }
  } else {
    const mantissa = digits.length > 1 ? `${digits[0]}.${digits.slice(1)}` : digits;
    const e = Math.abs(exponent);
    text = `${mantissa}e${exponent < 0 ? "-" : "+"}${e < 10 ? "0" : ""}${e}`;
  }
  return negative ? `-${text}` : text;
}

/** The significant digits (no trailing zeros) and decimal exponent of a positive number's text. */
function decimal(text: string): { digits: string; exponent: number } {
  const e = text.indexOf("e");
  const mantissa = e < 0 ? text : text.slice(0, e);
  const shift = e < 0 ? 0 : Number(text.slice(e + 1));
  const dot = mantissa.indexOf(".");
  const whole = dot < 0 ? mantissa : mantissa.slice(0, dot);
  const fraction = dot < 0 ? "" : mantissa.slice(dot + 1);
  let digits = whole + fraction;
  let lead = 0;
  while (lead < digits.length - 1 && digits[lead] === "0") lead++;
  digits = digits.slice(lead);
  const exponent = whole.length - 1 - lead + shift;
  let end = digits.length;
  while (end > 1 && digits[end - 1] === "0") end--;
  return { digits: digits.slice(0, end), exponent };
}

/**
 * The shortest decimal that reads back (rounded to the narrow type) as `x`, the closest one when
 * several have as few digits: what numpy prints for float32 and float16.
 */
function shortestNarrow(x: number, round: (v: number) => number, maxDigits: number): { digits: string; exponent: number } {
  for (let p = 1; p <= maxDigits; p++) {
    const text = x.toPrecision(p);
    if (round(Number(text)) === x) {
      // toPrecision rounds a tie up; numpy rounds it to the even digit.
      const { digits, exponent } = decimal(text);
      if (digits.length === p && Number(digits[p - 1]) % 2 === 1 && isTie(x, p)) {
        const lower = `${Number(digits) - 1}e${exponent - p + 1}`;
        if (round(Number(lower)) === x) return decimal(lower);
      }
      return { digits, exponent };
    }
    // The nearest p-digit decimal may fall just outside x's interval while its neighbour is inside.
    const { digits, exponent } = decimal(text);
    const n = Number(digits.padEnd(p, "0"));
    const scale = exponent - p + 1;
    let best: string | undefined;
    let bestDistance = Infinity;
    for (const m of [n - 1, n + 1]) {
      if (m <= 0) continue;
      const candidate = `${m}e${scale}`;
      const v = Number(candidate);
      if (round(v) === x && Math.abs(v - x) < bestDistance) {
        best = candidate;
        bestDistance = Math.abs(v - x);
      }
    }
    if (best !== undefined) return decimal(best);
  }
  return decimal(String(x));
}

/** Whether `x` is exactly halfway between two decimals of `p` significant digits. */
function isTie(x: number, p: number): boolean {
  const exact = decimal(x.toPrecision(100)).digits;
  return exact.length === p + 1 && exact[p] === "5";
}

/** A number rounded to the nearest float16 (ties to even). */
function f16round(v: number): number {
  const a = Math.abs(v);
  if (!(a < 65520)) return v !== v ? v : v > 0 ? Infinity : -Infinity;
  if (a === 0) return v;
  const e = Math.max(Math.floor(Math.log2(a)), -14);
  const quantum = 2 ** (e - 10);
  const q = a / quantum;
  let r = Math.round(q);
  if (r - q === 0.5 && r % 2 === 1) r--;
  const out = r * quantum;
  return v < 0 ? -out : out;
}

/** A float16's value from its bits. */
function f16value(bits: number): number {
  const sign = bits & 0x8000 ? -1 : 1;
  const exponent = (bits >> 10) & 0x1f;
  const fraction = bits & 0x3ff;
  if (exponent === 0) return sign * fraction * 2 ** -24;
  if (exponent === 31) return fraction === 0 ? sign * Infinity : NaN;
  return sign * (1 + fraction / 1024) * 2 ** (exponent - 15);
}

function pad2(n: number): string {
  return n < 10 ? `0${n}` : String(n);
}

function pad(n: number, width: number): string {
  return String(n).padStart(width, "0");
}

/** Python's `%04d` of a year (a sign before the padded digits). */
function year4(y: number): string {
  return y < 0 ? `-${pad(-y, 4)}` : pad(y, 4);
}

/** The digits of a fraction of a second: 3, 6 or 9 of them. */
function fractionDigits(nanos: number, digits: number): string {
  return pad(Math.floor(nanos / 10 ** (9 - digits)), digits);
}

/** A UTC offset as Python's isoformat writes one: `+05:30`, `-04:56:02`. */
function formatOffset(seconds: number): string {
  const sign = seconds < 0 ? "-" : "+";
  const a = Math.abs(seconds);
  const h = Math.floor(a / 3600);
  const m = Math.floor((a % 3600) / 60);
  const s = a % 60;
  return `${sign}${pad2(h)}:${pad2(m)}${s === 0 ? "" : `:${pad2(s)}`}`;
}

// ------------------------------------------------------------------------------------------------
// Writing: the bytes

/** A growing byte buffer. */
class Out {
  buf = Buffer.allocUnsafeSlow(1 << 16);
  n = 0;

  ensure(k: number): void {
    if (this.n + k <= this.buf.length) return;
    const next = Buffer.allocUnsafeSlow(Math.max(this.buf.length * 2, this.n + k));
    next.set(this.buf.subarray(0, this.n));
    this.buf = next;
  }

  ascii(s: string): void {
    const len = s.length;
    this.ensure(len);
    const buf = this.buf;
    let n = this.n;
    for (let i = 0; i < len; i++) buf[n++] = s.charCodeAt(i);
    this.n = n;
  }

  byte(b: number): void {
    this.ensure(1);
    this.buf[this.n++] = b;
  }

  /** UTF-8 bytes as one CSV field: quoted when they hold a comma, a quote, a LF or a CR. */
  field(src: Uint8Array, start: number, end: number): void {
    let special = false;
    for (let k = start; k < end; k++) {
      const c = src[k];
      if (c === COMMA || c === QUOTE || c === LF || c === CR) {
        special = true;
        break;
      }
    }
    if (!special) {
      this.ensure(end - start);
      this.buf.set(src.subarray(start, end), this.n);
      this.n += end - start;
      return;
    }
    this.ensure(2 * (end - start) + 2);
    const buf = this.buf;
    let n = this.n;
    buf[n++] = QUOTE;
    for (let k = start; k < end; k++) {
      const c = src[k];
      if (c === QUOTE) buf[n++] = QUOTE;
      buf[n++] = c;
    }
    buf[n++] = QUOTE;
    this.n = n;
  }

  text(s: string): void {
    const bytes = Buffer.from(s, "utf8");
    this.field(bytes, 0, bytes.length);
  }
}

/** Writes one cell of the current batch (nothing for a null). */
type Cell = (out: Out, row: number) => void;

/**
 * How a column is written. `prepare` sees a batch's data and gives the cell writer; columns whose
 * format depends on all values (timestamps without a zone, durations) keep the state they need so
 * far (`state`, growing), and say which state each batch was written with.
 */
interface ColumnWriter {
  prepare(data: Data): Cell;
  /** Column format states: the one the last batch was written with, and the one the column needs. */
  readonly state?: number;
  /**
   * The text that, appended, turns a value written in state `from` into the same value in state `to`
   * (states only grow); `negative`: the value's text starts with a minus.
   */
  suffix?(from: number, to: number, negative: boolean): string;
}

function validityOf(data: Data): ((row: number) => boolean) | undefined {
  const bitmap = data.nullBitmap;
  if (data.nullCount === 0 || bitmap === undefined || bitmap.length === 0) return undefined;
  const offset = data.offset;
  return (row) => ((bitmap[(offset + row) >> 3] >> ((offset + row) & 7)) & 1) === 1;
}

/** The value of a 64-bit integer at `i` of a BigInt64Array/BigUint64Array as a number when exact, else a bigint. */
function int64At(lo: Uint32Array, hi: Int32Array | Uint32Array, big: BigInt64Array | BigUint64Array, i: number): number | bigint {
  const h = hi[2 * i + 1];
  if (h >= -0x200000 && h < 0x200000) return h * TWO_32 + lo[2 * i];
  return big[i];
}

/** Stores a safe integer at `i` of a 64-bit integer array, through its 32-bit views (no bigint made). */
function setInt64(lo: Uint32Array, hi: Int32Array | Uint32Array, i: number, v: number): void {
  const h = Math.floor(v / TWO_32);
  lo[2 * i] = v - h * TWO_32;
  hi[2 * i + 1] = h;
}

function int64Views(values: BigInt64Array | BigUint64Array, signed: boolean): { lo: Uint32Array; hi: Int32Array | Uint32Array } {
  const lo = new Uint32Array(values.buffer, values.byteOffset, values.length * 2);
  const hi = signed ? new Int32Array(values.buffer, values.byteOffset, values.length * 2) : lo;
  return { lo, hi };
}

/** Days and nanoseconds into the day of an epoch value in `unit`. */
function splitEpoch(value: number | bigint, unit: number): [number, number] {
  if (typeof value === "number") {
    const perDay = NS_PER_DAY / NS_PER_UNIT[unit];
    const days = Math.floor(value / perDay);
    return [days, (value - days * perDay) * NS_PER_UNIT[unit]];
  }
  const perDay = BigInt(NS_PER_DAY / NS_PER_UNIT[unit]);
  let days = value / perDay;
  let rest = value - days * perDay;
  if (rest < 0n) {
    days -= 1n;
    rest += perDay;
  }
  return [Number(days), Number(rest) * NS_PER_UNIT[unit]];
}

const TS_DATE = 0;
const TS_SECONDS = 1;
const TS_MILLIS = 2;
const TS_MICROS = 3;
const TS_NANOS = 4;
const TS_FRACTION_DIGITS = [0, 0, 3, 6, 9];

/** A timestamp column without a zone: pandas' format for the whole column (date only, or seconds and 3, 6 or 9 fraction digits). */
class NaiveTimestampWriter implements ColumnWriter {
  state = TS_DATE;

  constructor(private readonly unit: number) {}

  prepare(data: Data): Cell {
    const values = data.values as BigInt64Array;
    const { lo, hi } = int64Views(values, true);
    const valid = validityOf(data);
    const n = data.length;
    const days = new Float64Array(n);
    const nanos = new Float64Array(n);
    let state = this.state;
    for (let i = 0; i < n; i++) {
      if (valid !== undefined && !valid(i)) continue;
      const [d, ns] = splitEpoch(int64At(lo, hi, values, i), this.unit);
      days[i] = d;
      nanos[i] = ns;
      if (state < TS_NANOS && ns !== 0) {
        const sub = ns % 1e9;
        const need = sub % 1000 !== 0 ? TS_NANOS : sub % 1e6 !== 0 ? TS_MICROS : sub !== 0 ? TS_MILLIS : TS_SECONDS;
        if (need > state) state = need;
      }
    }
    this.state = state;
    const digits = TS_FRACTION_DIGITS[state];
    // Neighbouring rows are often of one day: its text is kept.
    let lastDay = NaN;
    let lastDate = "";
    return (out, i) => {
      if (valid !== undefined && !valid(i)) return;
      if (days[i] !== lastDay) {
        lastDay = days[i];
        const [y, mo, d] = civilFromDays(lastDay);
        lastDate = `${y}-${pad2(mo)}-${pad2(d)}`;
      }
      let text = lastDate;
      if (state !== TS_DATE) {
        const ns = nanos[i];
        const s = Math.floor(ns / 1e9);
        text += ` ${pad2(Math.floor(s / 3600))}:${pad2(Math.floor(s / 60) % 60)}:${pad2(s % 60)}`;
        if (digits > 0) text += `.${fractionDigits(ns % 1e9, digits)}`;
      }
      out.ascii(text);
    };
  }

  suffix(from: number, to: number): string {
    let s = from === TS_DATE ? " 00:00:00" : "";
    const had = TS_FRACTION_DIGITS[from];
    const want = TS_FRACTION_DIGITS[to];
    if (want > had) s += `${had === 0 ? "." : ""}${"0".repeat(want - had)}`;
    return s;
  }
}

/** A timestamp column with a zone: each value as str(pd.Timestamp), in the zone's wall time with its offset. */
function zonedTimestampWriter(path: string, unit: number, zoneName: string): ColumnWriter {
  const zone = zoneOf(path, zoneName);
  return {
    prepare(data) {
      const values = data.values as BigInt64Array;
      const { lo, hi } = int64Views(values, true);
      const valid = validityOf(data);
      return (out, i) => {
        if (valid !== undefined && !valid(i)) return;
        const [days, ns] = splitEpoch(int64At(lo, hi, values, i), unit);
        const utcSeconds = days * 86_400 + Math.floor(ns / 1e9);
        const offset = zone.offset(utcSeconds);
        const local = utcSeconds + offset;
        const localDays = Math.floor(local / 86_400);
        const s = local - localDays * 86_400;
        const [y, mo, d] = civilFromDays(localDays);
        const sub = ns % 1e9;
        const fraction = sub === 0 ? "" : sub % 1000 === 0 ? `.${fractionDigits(sub, 6)}` : `.${fractionDigits(sub, 9)}`;
        out.ascii(`${year4(y)}-${pad2(mo)}-${pad2(d)} ${pad2(Math.floor(s / 3600))}:${pad2(Math.floor(s / 60) % 60)}:${pad2(s % 60)}${fraction}${formatOffset(offset)}`);
      };
    },
  };
}

const TD_DAYS = 0;
const TD_LONG = 1;

/** A duration column: `N days` when every value is whole days, else `N days HH:MM:SS[.ffffff[fff]]` (str(pd.Timedelta)). */
class DurationWriter implements ColumnWriter {
  state = TD_DAYS;

  constructor(private readonly unit: number) {}

  prepare(data: Data): Cell {
    const values = data.values as BigInt64Array;
    const { lo, hi } = int64Views(values, true);
    const valid = validityOf(data);
    const n = data.length;
    const days = new Float64Array(n);
    const nanos = new Float64Array(n);
    let state = this.state;
    for (let i = 0; i < n; i++) {
      if (valid !== undefined && !valid(i)) continue;
      const [d, ns] = splitEpoch(int64At(lo, hi, values, i), this.unit);
      days[i] = d;
      nanos[i] = ns;
      if (ns !== 0) state = TD_LONG;
    }
    this.state = state;
    return (out, i) => {
      if (valid !== undefined && !valid(i)) return;
      const d = days[i];
      if (state === TD_DAYS) {
        out.ascii(`${d} days`);
        return;
      }
      const ns = nanos[i];
      const s = Math.floor(ns / 1e9);
      const sub = ns % 1e9;
      const fraction = sub === 0 ? "" : sub % 1000 === 0 ? `.${fractionDigits(sub, 6)}` : `.${fractionDigits(sub, 9)}`;
      out.ascii(`${d} days${d < 0 ? " +" : " "}${pad2(Math.floor(s / 3600))}:${pad2(Math.floor(s / 60) % 60)}:${pad2(s % 60)}${fraction}`);
    };
  }

  suffix(from: number, to: number, negative: boolean): string {
    return from === TD_DAYS && to === TD_LONG ? (negative ? " +00:00:00" : " 00:00:00") : "";
  }
}

/** How to write a column of this type; undefined when CSV has no form for it. */
function columnWriter(path: string, type: DataType): ColumnWriter | undefined {
  const id = type.typeId as number;
  switch (id) {
    case T_NULL:
      return { prepare: () => () => undefined };
    case T_BOOL:
      return {
        prepare(data) {
          const bits = data.values as Uint8Array;
          const valid = validityOf(data);
          const offset = data.offset;
          return (out, i) => {
            if (valid !== undefined && !valid(i)) return;
            out.ascii((bits[(offset + i) >> 3] >> ((offset + i) & 7)) & 1 ? "True" : "False");
          };
        },
      };
    case T_INT: {
      const { bitWidth, isSigned } = type as unknown as { bitWidth: number; isSigned: boolean };
      if (bitWidth === 64) {
        return {
          prepare(data) {
            const values = data.values as BigInt64Array | BigUint64Array;
            const { lo, hi } = int64Views(values, isSigned);
            const valid = validityOf(data);
            return (out, i) => {
              if (valid !== undefined && !valid(i)) return;
              out.ascii(String(int64At(lo, hi, values, i)));
            };
          },
        };
      }
      return {
        prepare(data) {
          const values = data.values as Int32Array;
          const valid = validityOf(data);
          return (out, i) => {
            if (valid !== undefined && !valid(i)) return;
            out.ascii(String(values[i]));
          };
        },
      };
    }
    case T_FLOAT: {
      const precision = (type as unknown as { precision: number }).precision;
      return {
        prepare(data) {
          const values = data.values as Float64Array | Float32Array | Uint16Array;
          const valid = validityOf(data);
          const bits = precision === 0 ? 16 : precision === 1 ? 32 : 64;
          return (out, i) => {
            if (valid !== undefined && !valid(i)) return;
            out.ascii(formatFloat(bits === 16 ? f16value(values[i]) : values[i], bits));
          };
        },
      };
    }
    case T_UTF8:
    case T_LARGE_UTF8:
      return {
        prepare(data) {
          const bytes = data.values as Uint8Array;
          const offsets = data.valueOffsets as Int32Array | BigInt64Array;
          const valid = validityOf(data);
          if (offsets instanceof BigInt64Array) {
            return (out, i) => {
              if (valid !== undefined && !valid(i)) return;
              out.field(bytes, Number(offsets[i]), Number(offsets[i + 1]));
            };
          }
          return (out, i) => {
            if (valid !== undefined && !valid(i)) return;
            out.field(bytes, offsets[i], offsets[i + 1]);
          };
        },
      };
    case T_DATE: {
      const unit = (type as unknown as { unit: number }).unit;
      return {
        prepare(data) {
          const values = data.values as Int32Array | BigInt64Array;
          const valid = validityOf(data);
          return (out, i) => {
            if (valid !== undefined && !valid(i)) return;
            const days = unit === 0 ? (values[i] as number) : Math.floor(Number(values[i]) / MS_PER_DAY);
            const [y, mo, d] = civilFromDays(days);
            out.ascii(`${year4(y)}-${pad2(mo)}-${pad2(d)}`);
          };
        },
      };
    }
    case T_TIMESTAMP: {
      const { unit, timezone } = type as unknown as { unit: number; timezone?: string | null };
      return timezone ? zonedTimestampWriter(path, unit, timezone) : new NaiveTimestampWriter(unit);
    }
    case T_DURATION:
      return new DurationWriter((type as unknown as { unit: number }).unit);
    case T_DICTIONARY: {
      const valueType = (type as unknown as { dictionary: DataType }).dictionary;
      const inner = columnWriter(path, valueType);
      if (inner === undefined || inner.state !== undefined) return undefined;
      return {
        prepare(data) {
          // Each entry of the dictionary written once, then copied where its index is.
          const dictionary = data.dictionary!.data;
          const cells: Buffer[] = [];
          const scratch = new Out();
          for (const chunk of dictionary) {
            const cell = inner.prepare(chunk);
            for (let k = 0; k < chunk.length; k++) {
              scratch.n = 0;
              cell(scratch, k);
              cells.push(Buffer.from(scratch.buf.subarray(0, scratch.n)));
            }
          }
          const indexes = data.values as Int32Array;
          const valid = validityOf(data);
          return (out, i) => {
            if (valid !== undefined && !valid(i)) return;
            const cell = cells[Number(indexes[i])];
            out.ensure(cell.length);
            out.buf.set(cell, out.n);
            out.n += cell.length;
          };
        },
      };
    }
    default:
      return undefined;
  }
}

async function writeAll(handle: FileHandle, buf: Uint8Array): Promise<void> {
  let done = 0;
  while (done < buf.length) {
    const { bytesWritten } = await handle.write(buf, done, buf.length - done);
    done += bytesWritten;
  }
}

/** Writes batches as pandas' to_csv(index=False) would, into a temporary file renamed into place. */
async function writeCsv(path: string, batches: AsyncIterable<RecordBatch> | Iterable<RecordBatch>): Promise<{ rows: number }> {
  const temp = join(dirname(path), `.${basename(path)}.${process.pid}.${randomBytes(4).toString("hex")}.tmp`);
  const temps = [temp];
  let handle: FileHandle | undefined;
  try {
    handle = await open(temp, "wx");
    let schema: Schema | undefined;
    let writers: ColumnWriter[] = [];
    /** For columns whose format grows: the state each run of rows was written with. */
    const runs: { column: number; endRow: number; state: number }[][] = [];
    let rows = 0;
    const out = new Out();
    for await (const batch of batches as AsyncIterable<RecordBatch>) {
      if (schema === undefined) {
        schema = batch.schema;
        writers = schema.fields.map((f: Field) => {
          const writer = columnWriter(path, f.type);
          if (writer === undefined) {
            throw new TableFormatError({ subject: path, path: `, column ${named(f.name)}`, problem: `cannot write a column of type ${typeName(f.type)} as CSV`, fix: "cast it to a string, number, bool, timestamp, date or duration column first" });
          }
          return writer;
        });
        writers.forEach(() => runs.push([]));
        out.n = 0;
        schema.fields.forEach((f: Field, j: number) => {
          if (j > 0) out.byte(COMMA);
          out.text(f.name);
        });
        if (schema.fields.length === 1 && schema.fields[0].name === "") out.ascii('""');
        out.byte(LF);
        await writeAll(handle, out.buf.subarray(0, out.n));
      } else {
        checkSameSchema(path, schema, batch.schema);
      }
      const n = batch.numRows;
      if (n === 0) continue;
      const children = batch.data.children;
      const cells = writers.map((w, j) => w.prepare(children[j]));
      writers.forEach((w, j) => {
        if (w.state !== undefined) {
          const list = runs[j];
          if (list.length > 0 && list[list.length - 1].state === w.state) list[list.length - 1].endRow = rows + n;
          else list.push({ column: j, endRow: rows + n, state: w.state });
        }
      });
      out.n = 0;
      const ncols = cells.length;
      for (let i = 0; i < n; i++) {
        const start = out.n;
        for (let j = 0; j < ncols; j++) {
          if (j > 0) out.byte(COMMA);
          cells[j](out, i);
        }
        // A row of one empty field is written `""`: a blank line would be skipped by readers.
        if (ncols === 1 && out.n === start) out.ascii('""');
        out.byte(LF);
        if (out.n > 1 << 24) {
          await writeAll(handle, out.buf.subarray(0, out.n));
          out.n = 0;
        }
      }
      await writeAll(handle, out.buf.subarray(0, out.n));
      rows += n;
    }
    // No batch at all: pandas writes an empty DataFrame as one empty line.
    if (schema === undefined) await writeAll(handle, Buffer.from("\n"));
    await handle.close();
    handle = undefined;
    // Columns written in a coarser format than their later values needed: rewrite them once.
    const stale = runs.filter((list) => list.length > 1);
    let final = temp;
    if (stale.length > 0) {
      const next = join(dirname(path), `.${basename(path)}.${process.pid}.${randomBytes(4).toString("hex")}.tmp`);
      temps.push(next);
      await rewriteColumns(temp, next, writers, stale);
      await unlink(temp);
      final = next;
    }
    await rename(final, path);
    return { rows };
  } catch (error) {
    await handle?.close().catch(() => undefined);
    for (const t of temps) await unlink(t).catch(() => undefined);
    throw error;
  }
}

function checkSameSchema(path: string, first: Schema, next: Schema): void {
  const same =
    first.fields.length === next.fields.length &&
    first.fields.every((f: Field, j: number) => f.name === next.fields[j].name && String(f.type) === String(next.fields[j].type));
  if (!same) {
    const show = (s: Schema) => s.fields.map((f: Field) => `${f.name}: ${typeName(f.type)}`).join(", ");
    throw new TableFormatError({ subject: path, expected: `every batch with the first batch's columns (${show(first)})`, got: `a batch with (${show(next)})` });
  }
}

/**
 * Rewrites a CSV file we wrote, appending to the fields of some columns the text that turns the
 * coarser format their early rows were written with into the column's final format (a date into a
 * date and time, 3 fraction digits into 6). Streamed: memory is a read chunk and its output.
 */
async function rewriteColumns(from: string, to: string, writers: ColumnWriter[], stale: { column: number; endRow: number; state: number }[][]): Promise<void> {
  const ncols = writers.length;
  const runs = new Map<number, { endRow: number; suffix: Buffer; negative: Buffer }[]>();
  for (const list of stale) {
    const column = list[0].column;
    const final = list[list.length - 1].state;
    runs.set(
      column,
      list.map((r) => ({
        endRow: r.endRow,
        suffix: Buffer.from(writers[column].suffix!(r.state, final, false), "latin1"),
        negative: Buffer.from(writers[column].suffix!(r.state, final, true), "latin1"),
      })),
    );
  }
  const suffixes: ({ suffix: Buffer; negative: Buffer } | undefined)[] = new Array<{ suffix: Buffer; negative: Buffer } | undefined>(ncols).fill(undefined);
  const cursor = new Map<number, number>();
  let row = -1; // the header
  const setRow = (r: number): void => {
    row = r;
    for (const [column, list] of runs) {
      let k = cursor.get(column) ?? 0;
      while (k < list.length && r >= list[k].endRow) k++;
      cursor.set(column, k);
      suffixes[column] = k < list.length && list[k].suffix.length > 0 ? list[k] : undefined;
    }
  };
  const handle = await open(to, "wx");
  try {
    const out = new Out();
    let inQuotes = false;
    let field = 0;
    let fieldHasText = false;
    let fieldStart = 0;
    const endField = (): void => {
      const run = row >= 0 ? suffixes[field] : undefined;
      if (run !== undefined && fieldHasText) {
        const suffix = out.buf[fieldStart] === 0x2d ? run.negative : run.suffix;
        out.ensure(suffix.length);
        out.buf.set(suffix, out.n);
        out.n += suffix.length;
      }
    };
    for await (const chunk of createReadStream(from, { highWaterMark: READ_CHUNK }) as AsyncIterable<Buffer>) {
      for (let k = 0; k < chunk.length; k++) {
        const c = chunk[k];
        if (inQuotes) {
          if (c === QUOTE) inQuotes = false;
          else fieldHasText = true;
        } else if (c === QUOTE) {
          inQuotes = true;
        } else if (c === COMMA || c === LF) {
          // The field ends: its suffix goes before the separator.
          endField();
          fieldHasText = false;
          fieldStart = out.n + 1;
          if (c === COMMA) field++;
          else {
            field = 0;
            setRow(row + 1);
          }
        } else {
          fieldHasText = true;
        }
        out.byte(c);
      }
      // Keep the current field's text in the buffer (its first byte says its sign).
      const keep = out.n - Math.min(fieldStart, out.n);
      await writeAll(handle, out.buf.subarray(0, out.n - keep));
      out.buf.copyWithin(0, out.n - keep, out.n);
      out.n = keep;
      fieldStart = 0;
    }
    await writeAll(handle, out.buf.subarray(0, out.n));
  } finally {
    await handle.close();
  }
}
