// Tables as files, for the two table types (Dataset: flytekit's StructuredDataset; Schema: its
// FlyteSchema): where a table's files are, reading them as Apache Arrow record batches (declared
// columns a projection and a check), and writing a table or a stream of batches in flytekit's
// layout. The codecs (tables/) see one local part file; this is where downloads, folders, columns
// and the errors that name them live.
import type { DataType, Field, RecordBatch, Schema as ArrowSchema, Table } from "apache-arrow";
import { mkdtempSync, readdirSync, rmSync, statSync } from "node:fs";
import { isAbsolute, join, relative, resolve, sep } from "node:path";
import { fileURLToPath } from "node:url";
import { SimpleType } from "../idl/gen/flyteidl/core/types_pb.js";
import { isRemotePath, type Storage } from "../storage/storage.js";
import { processTempDir } from "../storage/temp.js";
import type { TableCodec } from "../tables/codec.js";
import { TableFormatError } from "../tables/errors.js";
import { tableCodec, tableFormats } from "../tables/formats.js";
import { loadArrow } from "../tables/runtime.js";
import { TypeTransformerError } from "./errors.js";
import { FlyteError } from "../errors/flyte-error.js";
import { BIND_SUBJECT, fromTaskCode, markSubject, subjectOf, type WorkSubject } from "./pending.js";
import { conversionNow, type AnyFlyteType, type ConversionContext } from "./type.js";

type Arrow = typeof import("apache-arrow");

/** A column a type declares: its name and token. */
export interface DeclaredColumn {
  readonly name: string;
  readonly type: AnyFlyteType;
}

/** What a table can be written from: an Arrow Table, or record batches (an array, a generator, an async one). */
export type TableData = Table | Iterable<RecordBatch> | AsyncIterable<RecordBatch>;

/** How a table is read in batches. */
export interface IterOptions {
  /** Rows per batch at most (default: the format's, about 64K rows). */
  readonly batchSize?: number;
}

/** flytekit's names for a table's files: Parquet part files `00000`, `00001`, ...; CSV the one file `.csv`. */
export const CSV_FILE = ".csv";
export const FIRST_PART = "00000";

/** Whether a value is an Apache Arrow Table (of any copy of apache-arrow: by shape, not by class). */
export function isArrowTable(value: unknown): value is Table {
  if (typeof value !== "object" || value === null) return false;
  const t = value as Partial<Table>;
  return Array.isArray(t.batches) && typeof t.schema === "object" && typeof t.numRows === "number" && typeof (t as { getChild?: unknown }).getChild === "function";
}

/** Whether a class is Apache Arrow's Table (what TypeScript reflects for a parameter typed `Table`). */
export function isArrowTableClass(cls: Function): boolean {
  const proto = (cls as { prototype?: unknown }).prototype as Record<string, unknown> | undefined;
  return cls.name === "Table" && proto !== undefined && typeof proto.getChild === "function" && typeof proto.toArray === "function" && typeof proto.slice === "function";
}

/** Whether a value looks like an Apache Arrow RecordBatch. */
function isRecordBatch(value: unknown): value is RecordBatch {
  return typeof value === "object" && value !== null && typeof (value as Partial<RecordBatch>).numRows === "number" && typeof (value as Partial<RecordBatch>).schema === "object" && !isArrowTable(value);
}

/**
 * Whether a value is a table to write: an Arrow Table, an array of RecordBatches, or a generator
 * (sync or async) of them, whose items are checked as they come.
 */
export function isTableData(value: unknown): value is TableData {
  if (isArrowTable(value)) return true;
  if (typeof value !== "object" || value === null) return false;
  if (Array.isArray(value)) return value.every(isRecordBatch);
  if (value instanceof Map || value instanceof Set || ArrayBuffer.isView(value)) return false;
  return typeof (value as { [Symbol.asyncIterator]?: unknown })[Symbol.asyncIterator] === "function" || typeof (value as { [Symbol.iterator]?: unknown })[Symbol.iterator] === "function";
}

/** The local path of a path or file:// URI. */
function localPath(uri: string): string {
  const p = uri.startsWith("file://") ? fileURLToPath(uri) : uri;
  return isAbsolute(p) ? p : resolve(p);
}

// --- columns -------------------------------------------------------------------------------------

/** The Flyte simple type a declared column holds, or undefined for another kind (a list, a record...). */
function simpleOf(type: AnyFlyteType): SimpleType | undefined {
  const lt = type.literalType.type;
  return lt.case === "simple" ? lt.value : undefined;
}

/** Whether an Arrow type holds what a declared column type promises (a dictionary by its values). */
function fits(arrow: Arrow, declared: AnyFlyteType, type: DataType): boolean {
  const t = arrow.DataType.isDictionary(type) ? (type as unknown as { dictionary: DataType }).dictionary : type;
  switch (simpleOf(declared)) {
    case SimpleType.INTEGER:
      return arrow.DataType.isInt(t);
    case SimpleType.FLOAT:
      // An integer column is a float column's values exactly (to 2^53): it is read as Float64.
      return arrow.DataType.isFloat(t) || arrow.DataType.isInt(t);
    case SimpleType.STRING:
      return arrow.DataType.isUtf8(t) || arrow.DataType.isLargeUtf8(t);
    case SimpleType.BOOLEAN:
      return arrow.DataType.isBool(t);
    case SimpleType.DATETIME:
      return arrow.DataType.isTimestamp(t) || arrow.DataType.isDate(t);
    case SimpleType.DURATION:
      return arrow.DataType.isDuration(t);
    default: {
      const lt = declared.literalType.type;
      if (lt.case === "collectionType") return arrow.DataType.isList(t) || arrow.DataType.isFixedSizeList(t);
      if (lt.case === "mapValueType") return arrow.DataType.isMap(t) || arrow.DataType.isStruct(t);
      return true;
    }
  }
}

/** The Arrow type a declared column is read as from text (CSV), and written as. */
export function arrowTypeOf(arrow: Arrow, declared: AnyFlyteType): DataType | undefined {
  switch (simpleOf(declared)) {
    case SimpleType.INTEGER:
      return new arrow.Int64();
    case SimpleType.FLOAT:
      return new arrow.Float64();
    case SimpleType.STRING:
      return new arrow.Utf8();
    case SimpleType.BOOLEAN:
      return new arrow.Bool();
    case SimpleType.DATETIME:
      return new arrow.TimestampMicrosecond();
    case SimpleType.DURATION:
      return new arrow.DurationMicrosecond();
    default:
      return undefined;
  }
}

/** An Arrow type as a person reads it: `Int64`, `Utf8`, `Timestamp<MICROSECOND>`. */
function typeText(type: DataType): string {
  return String(type);
}

/** A batch of no rows with `schema`'s columns (a table of no rows still has its columns and types). */
function emptyBatch(arrow: Arrow, schema: ArrowSchema): RecordBatch {
  const children = schema.fields.map((f) =>
    arrow.makeData({
      type: f.type,
      length: 0,
      nullCount: 0,
      ...(arrow.DataType.isDictionary(f.type) ? { dictionary: arrow.makeVector(arrow.makeData({ type: (f.type as unknown as { dictionary: DataType }).dictionary, length: 0, nullCount: 0 })) } : {}),
    } as never),
  );
  return new arrow.RecordBatch(schema, arrow.makeData({ type: new arrow.Struct(schema.fields), length: 0, nullCount: 0, children }));
}

// --- reading -------------------------------------------------------------------------------------

/** Where a table is, in which format, read through which store. */
export interface TableSource {
  readonly uri: string;
  /** The format the literal names ("" for any: read as the files say). */
  readonly format: string;
  readonly storage: Storage;
  readonly tempDir?: ((prefix: string) => string) | undefined;
}

interface LocalTable {
  readonly format: string;
  readonly codec: TableCodec;
  readonly files: readonly string[];
  /** A file as the user knows it: in the store it was downloaded from (`s3://.../00000`), not the local copy. */
  readonly shown: (file: string) => string;
}

/**
 * Reads a table's files as Arrow record batches, lazily: nothing is fetched until `iter()` or
 * `all()`. `what` is the type's name for messages (`Dataset`, `Schema(...)`); `subject` is the
 * input the boundary bound it to, so errors found inside the task's body still name it.
 */
export class TableReader {
  subject: WorkSubject | undefined;
  private local: Promise<LocalTable> | undefined;

  constructor(
    private readonly source: TableSource,
    private readonly columns: readonly DeclaredColumn[],
    private readonly what: string,
    /** When the type declares no columns: the columns the literal names (flytekit's decoders read only those). */
    private readonly literalColumns: readonly string[] = [],
  ) {}

  /** A TypeTransformerError about the table (or one column of it), marked with the input it belongs to. */
  private error(got: string, detail: string, column?: string, cause?: unknown, expected = this.what): TypeTransformerError {
    const e = new TypeTransformerError(expected, got, detail, { cause });
    if (column !== undefined) e.within(`, column '${column}'`);
    return this.subject === undefined ? e : markSubject(e, this.subject);
  }

  private fetch(): Promise<LocalTable> {
    if (this.local === undefined) {
      const located = this.locate();
      this.local = located;
      // A failure is not kept: reading again tries again.
      located.catch(() => {
        if (this.local === located) this.local = undefined;
      });
    }
    return this.local;
  }

  /** The local files of the table: downloaded (once) when remote; the part files in order. */
  private async locate(): Promise<LocalTable> {
    const { uri, storage } = this.source;
    let path: string;
    let shown = (file: string) => file;
    if (isRemotePath(uri)) {
      const dir = this.source.tempDir?.("table") ?? mkdtempSync(join(processTempDir(), "table-"));
      path = join(dir, "data");
      try {
        await storage.download(uri, path);
      } catch (e) {
        // A store's failure stays its own (SYSTEM, RECOVERABLE: a retry may fetch it), marked as this input's.
        if (e instanceof FlyteError) throw this.subject === undefined ? e : markSubject(e, this.subject);
        throw this.error(uri, `its files could not be fetched: ${e instanceof Error ? e.message : String(e)}`, undefined, e);
      }
      const local = path;
      shown = (file) => (file === local ? uri : `${uri.replace(/\/+$/, "")}/${relative(local, file).split(sep).join("/")}`);
    } else path = localPath(uri);
    const stat = statSync(path, { throwIfNoEntry: false });
    if (stat === undefined) throw this.error(uri, "there is nothing at that uri");
    let format = this.source.format;
    let files: string[];
    if (stat.isDirectory()) {
      const names = readdirSync(path, { withFileTypes: true })
        .filter((d) => d.isFile())
        .map((d) => d.name)
        .sort();
      if (format === "") format = names.includes(CSV_FILE) && !names.some((n) => !n.startsWith(".") && !n.startsWith("_")) ? "csv" : "parquet";
      // flytekit's CSV is the one file `.csv`; other formats are every part file (as pyarrow reads a
      // folder: names starting with "." or "_" are not data, such as `_SUCCESS`).
      files = format === "csv" ? names.filter((n) => n === CSV_FILE) : names.filter((n) => !n.startsWith(".") && !n.startsWith("_"));
      if (files.length === 0) {
        const expected = format === "csv" ? `the file ${CSV_FILE}` : "part files";
        throw this.error(
          `${uri}, a folder with ${names.length === 0 ? "nothing in it" : `only ${names.map((n) => JSON.stringify(n)).join(", ")}`}`,
          `a ${format} table's folder holds ${expected}`,
        );
      }
      files = files.map((n) => join(path, n));
    } else {
      if (format === "") format = path.endsWith(".csv") ? "csv" : "parquet";
      files = [path];
    }
    const codec = tableCodec(format);
    if (codec === undefined) {
      throw this.error(`format '${format}'`, `no codec reads it (formats: ${tableFormats().join(", ")})`, undefined);
    }
    return { format, codec: await codec, files, shown };
  }

  /** Reads one part file's schema, checking the declared columns against it. */
  private async checkedSchema(arrow: Arrow, local: LocalTable, file: string): Promise<ArrowSchema> {
    const types: Record<string, DataType> = {};
    for (const c of this.columns) {
      const t = arrowTypeOf(arrow, c.type);
      if (t !== undefined) types[c.name] = t;
    }
    let schema: ArrowSchema;
    try {
      schema = await local.codec.schema(file, { types });
    } catch (e) {
      throw this.fromCodec(e, local, file);
    }
    const fields = new Map<string, Field>(schema.fields.map((f) => [f.name, f]));
    for (const c of this.columns) {
      const field = fields.get(c.name);
      if (field === undefined) {
        throw this.error("nothing", `the ${local.format} file ${local.shown(file)} has no such column (its columns: ${schema.fields.map((f) => f.name).join(", ") || "none"})`, c.name, undefined, c.type.name);
      }
      if (!fits(arrow, c.type, field.type)) {
        throw this.error(`${typeText(field.type)}`, `the column's type in the ${local.format} file ${local.shown(file)}`, c.name, undefined, c.type.name);
      }
    }
    return schema;
  }

  /**
   * A codec's error about a file, as this input's: the file where the user knows it (in its store,
   * not the local copy the codec read), where in the file (a line, a column) and what it says.
   */
  private fromCodec(e: unknown, local: LocalTable, file: string): unknown {
    if (!(e instanceof TableFormatError)) return e;
    const shown = local.shown(file);
    // The codec's words may name the local copy too.
    const said = (text: string | undefined) => text?.split(file).join(shown);
    const where = `${shown}${said(e.path) ?? ""}`;
    const error =
      e.expected !== undefined
        ? new TypeTransformerError(said(e.expected)!, said(e.got) ?? "nothing", said(e.problem) ?? "", { cause: e })
        : new TypeTransformerError(`a ${this.what} file`, "one that does not read", said(e.problem ?? e.message)!, { cause: e });
    error.within(`, ${where}`);
    return this.subject === undefined ? error : markSubject(error, this.subject);
  }

  /** The declared columns (a projection), else those the literal names, else all. */
  private get projection(): string[] | undefined {
    if (this.columns.length > 0) return this.columns.map((c) => c.name);
    return this.literalColumns.length > 0 ? [...this.literalColumns] : undefined;
  }

  /**
   * The table's record batches, one part file after another, each at most `batchSize` rows; only
   * the declared columns (when the type declares any), in the declared order.
   */
  async *iter(options: IterOptions = {}): AsyncGenerator<RecordBatch, void, undefined> {
    const arrow = await loadArrow();
    const local = await this.fetch();
    let rows = false;
    let first: ArrowSchema | undefined;
    for (const file of local.files) {
      const schema = await this.checkedSchema(arrow, local, file);
      first ??= schema;
      const types: Record<string, DataType> = {};
      for (const c of this.columns) {
        const t = arrowTypeOf(arrow, c.type);
        if (t !== undefined) types[c.name] = t;
      }
      try {
        for await (const batch of local.codec.read(file, { columns: this.projection, batchSize: options.batchSize, types })) {
          rows = true;
          yield this.conform(arrow, batch);
        }
      } catch (e) {
        throw this.fromCodec(e, local, file);
      }
    }
    // A table of no rows is one batch of no rows, so what streams it on keeps its columns and types.
    if (!rows && first !== undefined) {
      const projection = this.projection;
      yield this.conform(arrow, emptyBatch(arrow, projection === undefined ? first : first.select(projection)));
    }
  }

  /** The whole table (its batches in one Arrow Table; an empty one keeps its schema). */
  async all(): Promise<Table> {
    const arrow = await loadArrow();
    const batches: RecordBatch[] = [];
    for await (const b of this.iter()) batches.push(b);
    if (batches.length > 0) return new arrow.Table(batches);
    const local = await this.fetch();
    const schema = await this.checkedSchema(arrow, local, local.files[0]!);
    const projection = this.projection;
    return new arrow.Table(projection === undefined ? schema : schema.select(projection));
  }

  /** A batch with its declared Float columns that hold integers read as Float64 (exact to 2^53). */
  private conform(arrow: Arrow, batch: RecordBatch): RecordBatch {
    let out = batch;
    for (const c of this.columns) {
      if (simpleOf(c.type) !== SimpleType.FLOAT) continue;
      const child = out.getChild(c.name);
      if (child === null || !arrow.DataType.isInt(child.type)) continue;
      const values = new Float64Array(child.length);
      for (let i = 0; i < child.length; i++) {
        const v = child.get(i) as number | bigint | null;
        values[i] = v === null ? 0 : Number(v);
      }
      const data = arrow.makeData({ type: new arrow.Float64(), length: child.length, nullCount: child.nullCount, nullBitmap: child.data[0]?.nullBitmap, data: values });
      const index = out.schema.fields.findIndex((f) => f.name === c.name);
      out = out.setChildAt(index, arrow.makeVector(data));
    }
    return out;
  }
}

// --- writing -------------------------------------------------------------------------------------

/**
 * The batches of what is to be written, as an async iterable (a Table's own batches, without
 * copying). What the user's own source of batches throws is the task's own error, as if its body
 * had thrown it (the source is the task's code, run late); an error already about a table (a
 * handle the source reads) stays its own.
 */
async function* batchesOf(data: TableData): AsyncGenerator<RecordBatch, void, undefined> {
  if (isArrowTable(data)) {
    // A Table of no rows may hold no batch: one of no rows keeps its columns in the file.
    if (data.batches.length === 0) yield emptyBatch(await loadArrow(), data.schema);
    else yield* data.batches;
    return;
  }
  const source = Symbol.asyncIterator in data ? data[Symbol.asyncIterator]() : (data as Iterable<RecordBatch>)[Symbol.iterator]();
  let done = false;
  try {
    for (;;) {
      let next: IteratorResult<RecordBatch>;
      try {
        next = await source.next();
      } catch (e) {
        done = true;
        if (subjectOf(e) !== undefined) throw e;
        throw fromTaskCode(e);
      }
      if (next.done === true) {
        done = true;
        return;
      }
      yield next.value;
    }
  } finally {
    // A write that stops early (a batch that does not fit, a codec that fails) ends the source too.
    if (!done) await source.return?.();
  }
}

/**
 * Checks each batch written against the declared columns (present, of a fitting type) as it goes
 * by; the first one that does not fit fails the write.
 */
async function* checked(
  arrow: Arrow,
  batches: AsyncIterable<RecordBatch>,
  columns: readonly DeclaredColumn[],
  fail: (got: string, detail: string, column?: string, expected?: string) => Error,
): AsyncGenerator<RecordBatch, void, undefined> {
  let first: ArrowSchema | undefined;
  let index = 0;
  for await (const batch of batches) {
    if (typeof batch !== "object" || batch === null || typeof (batch as Partial<RecordBatch>).numRows !== "number" || typeof (batch as Partial<RecordBatch>).schema !== "object") {
      throw fail(describeBatch(batch), "a table is written from an Arrow Table or Arrow RecordBatches");
    }
    if (first === undefined) {
      first = batch.schema;
      const fields = new Map<string, Field>(batch.schema.fields.map((f) => [f.name, f]));
      for (const c of columns) {
        const field = fields.get(c.name);
        if (field === undefined) throw fail("nothing", `the table has no such column (its columns: ${batch.schema.fields.map((f) => f.name).join(", ") || "none"})`, c.name, c.type.name);
        if (!fits(arrow, c.type, field.type)) throw fail(typeText(field.type), "the column's type in the table", c.name, c.type.name);
      }
    } else {
      // Every batch of one table has the first one's columns, of the same types.
      const names = (s: ArrowSchema) => s.fields.map((f) => f.name).join(", ");
      if (names(batch.schema) !== names(first)) throw fail(`a batch with the columns ${names(batch.schema) || "none"}`, `batch ${index} of the table; batch 0 has the columns ${names(first)}`);
      batch.schema.fields.forEach((f, i) => {
        const was = first!.fields[i]!.type;
        if (typeText(f.type) !== typeText(was)) throw fail(typeText(f.type), `the column's type in batch ${index} of the table`, f.name, `${typeText(was)} (its type in batch 0)`);
      });
    }
    index++;
    yield batch;
  }
}

function describeBatch(value: unknown): string {
  if (value === null) return "null";
  if (typeof value !== "object") return `${String(value)} (${typeof value})`;
  return `${(value as object).constructor?.name ?? "an object"} (not a RecordBatch)`;
}

/** How a table is written: the type's name for messages, its declared columns, and the file name in the folder. */
export interface TableWrite {
  readonly what: string;
  readonly format: string;
  readonly columns: readonly DeclaredColumn[];
}

/**
 * Records the writing of a table into a new local folder and gives the uri the literal names: the
 * folder itself, or (in a container) the folder it will be uploaded to, as flytekit lays it out
 * (`<raw output prefix>/<random>/00000`). The files are written when the execution path does the
 * context's pending work; a write that fails leaves nothing behind (the folder is removed).
 */
export function planTableWrite(data: TableData, write: TableWrite, context: ConversionContext): string {
  const pending = context.pending;
  if (pending === undefined) {
    throw new TypeTransformerError(
      write.what,
      "a table",
      "a table is written to files by a task's execution (its outputs, or a local call's arguments), which this conversion is not part of",
    );
  }
  const dir = context.tempDir?.("table") ?? mkdtempSync(join(processTempDir(), "table-"));
  const file = write.format === "csv" ? CSV_FILE : FIRST_PART;
  const uri = context.uploads === undefined ? dir : context.uploads.plan(dir, true, { contentsOnly: true });
  pending.add(async () => {
    const fail = (got: string, detail: string, column?: string, expected = write.what) => {
      const e = new TypeTransformerError(expected, got, detail);
      return column === undefined ? e : e.within(`, column '${column}'`);
    };
    try {
      const codec = tableCodec(write.format);
      if (codec === undefined) throw fail(`format '${write.format}'`, `no codec writes it (formats: ${tableFormats().join(", ")})`);
      const [arrow, c] = await Promise.all([loadArrow(), codec]);
      await c.write(join(dir, file), checked(arrow, batchesOf(data), write.columns, fail));
    } catch (e) {
      rmSync(dir, { recursive: true, force: true });
      if (e instanceof TableFormatError) throw fail(`a table that cannot be written as ${write.format}`, e.message);
      throw e;
    }
  });
  return uri;
}

/**
 * The uri a table at a path or uri is passed on as: a remote uri as it is; a local path made
 * absolute, and in a container planned for upload (a folder's files straight into a new folder,
 * as a table written here), as flytekit uploads a local StructuredDataset's uri.
 */
export function tableUri(uri: string, context: ConversionContext): string {
  if (isRemotePath(uri)) return uri;
  const path = localPath(uri);
  if (context.uploads === undefined) return path;
  const stat = statSync(path, { throwIfNoEntry: false });
  if (stat === undefined) throw new TypeTransformerError("a table's files", `nothing at ${path}`, "a local table is uploaded from the container, so its files must be there");
  return context.uploads.plan(path, stat.isDirectory(), { contentsOnly: stat.isDirectory() });
}

/**
 * What StructuredDataset and FlyteSchema share: files at a `uri`, or data to be written; read when
 * asked, through the reader the type gave it (a handle a task was given) or one of its own.
 */
export abstract class TableValue {
  /** Where its files are; undefined for data not written yet. */
  readonly uri: string | undefined;
  /** The data to be written, when made from data. */
  readonly data: TableData | undefined;
  #reader: TableReader | undefined;

  constructor(source: string | TableData, what: string) {
    if (typeof source === "string") {
      if (source === "") throw TypeTransformerError.forValue("a uri", source).at(what);
      this.uri = source;
    } else if (isTableData(source)) this.data = source;
    else throw TypeTransformerError.forValue("a uri, an Arrow Table or record batches", source).at(what);
  }

  /** Reads through `reader` (what a task is given for a literal). */
  protected readThrough(reader: TableReader): this {
    this.#reader = reader;
    return this;
  }

  /** The format its files are in, and the type's name, for a reader of its own. */
  protected abstract get ownReading(): { format: string; what: string };

  private get reader(): TableReader {
    if (this.#reader !== undefined) return this.#reader;
    const { format, what } = this.ownReading;
    if (this.data !== undefined) throw new TypeTransformerError(`a ${what} with files`, "data not written yet", "a table made from data is read by the task it is given to");
    return (this.#reader = new TableReader({ uri: this.uri!, format, storage: conversionNow().storage }, [], what));
  }

  /** The whole table, as an Apache Arrow Table (only the declared columns, when the type declares any). */
  all(): Promise<Table> {
    return this.reader.all();
  }

  /** The table's record batches, streamed: memory is bounded by a batch, not the table. */
  iter(options?: IterOptions): AsyncIterable<RecordBatch> {
    return this.reader.iter(options);
  }

  /** The input it was given as (the boundary tells it, so a read that fails in the body names it). */
  [BIND_SUBJECT](subject: WorkSubject): void {
    if (this.#reader !== undefined) this.#reader.subject = subject;
  }
}
