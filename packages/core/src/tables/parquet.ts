// The Parquet codec: one local part file read as a stream of apache-arrow RecordBatches, and
// batches streamed into one, through parquet-wasm (arrow-rs's parquet crate in WebAssembly).
//
// Reading. `ParquetFile.fromFile(<the file as a Blob>)` reads the footer, then `stream({ columns,
// batchSize })` reads the column chunks of one row group at a time, by ranges of the file
// (FileRanges serves them; a projection reads only its columns' chunks). parquet-wasm decodes a
// whole row group before it hands out its first batch, so a read holds one row group in
// WebAssembly memory, plus the batch being copied out. Each batch leaves WebAssembly through the C
// data interface (arrow-js-ffi, copied, then freed there); the rare array arrow-js-ffi cannot copy
// (one with an offset) goes through Arrow IPC instead.
//
// Writing. Each batch is cut into pieces of at most PIECE_ROWS rows, each piece moved into
// WebAssembly by Arrow IPC (the only way in), and fed to `transformParquetStream`, which encodes
// row groups and hands their bytes to a file written beside the target and renamed into place;
// each chunk of bytes is freed as soon as it is in the file. The writer ignores its own errors (a
// batch it refuses is dropped), so the file's footer is checked to hold every row before the rename.
//
// The defaults (batches of 64K rows, row groups of 128K, a 64 KiB dictionary limit) were chosen by
// measuring time and peak memory against pyarrow (`npm run bench`'s tables rows, bench/src/tables.ts).
//
// What parquet-wasm gets wrong, put right here:
// - a time zone: arrow-rs reads a zoned timestamp whose unit the file changed (pandas' ns written
//   as us, as flytekit writes) as UTC; the zone pyarrow stored (ARROW:schema) is put back.
// - dictionary columns: each batch comes with a Dictionary type of its own id, and a Table refuses
//   batches whose schemas differ; every batch gets the schema of the first.
// - LargeUtf8/LargeBinary: arrow-js-ffi copies them as Utf8/Binary under the large field type;
//   and it makes a Dictionary type whose values are a Field rather than a type.
// - the file's key-value metadata (pandas' among it), which the batches lose, is the schema's.
// - a Rust panic (corrupt data) is caught by the runtime (runtime.ts) and said as a TableFormatError.
import { open, rename, rm, type FileHandle } from "node:fs/promises";
import { mkdirSync } from "node:fs";
import { randomBytes } from "node:crypto";
import type { ReadableStreamReadResult } from "node:stream/web";
import { MessageChannel, type MessagePort } from "node:worker_threads";
import { basename, dirname, join } from "node:path";
import type { DataType, Field, RecordBatch, Schema } from "apache-arrow";
import type { FFIData, ParquetFile, RecordBatch as WasmRecordBatch } from "parquet-wasm";
import type { PartReadOptions, PartWriteOptions, TableCodec } from "./codec.js";
import { TableFormatError } from "./errors.js";
import { discardParquet, loadParquet, releaseIfLarge, type ParquetRuntime } from "./runtime.js";

/** Rows per batch read, unless the caller says. */
export const DEFAULT_BATCH_SIZE = 65_536;
/** Rows per row group written, unless the caller says. */
export const DEFAULT_ROW_GROUP_SIZE = 131_072;
/**
 * The most a column chunk's dictionary may hold before the writer falls back to plain encoding
 * (pyarrow's limit is 1 MiB). Interning a value costs arrow-rs several hundred nanoseconds in
 * WebAssembly: at 1 MiB every row group of a column of distinct int64s (131,072 of them fit) is
 * dictionary-encoded whole before it falls back, which tripled the time of a write and made the
 * file larger. At 64 KiB a column of few values (8,192 int64s, some 5,000 short strings) is still
 * dictionary-encoded, and one of many falls back early.
 */
const DICTIONARY_PAGE_BYTES = 64 * 1024;
/** Rows of one piece moved into WebAssembly while writing. */
const PIECE_ROWS = 65_536;
/** An instance whose memory grew past this is dropped after its last operation (see releaseIfLarge). */
const RELEASE_ABOVE_BYTES = 256 * 1024 * 1024;

const MAGIC = "PAR1";

/** A TableFormatError about `path`. */
function formatError(path: string, problem: string, cause?: unknown): TableFormatError {
  return new TableFormatError({ subject: path, problem }, cause === undefined ? undefined : { cause });
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** A WebAssembly trap: a Rust panic (`unreachable`), an out-of-bounds access, a stack overflow. */
function isTrap(error: unknown): boolean {
  return error instanceof WasmRuntimeError;
}
const WasmRuntimeError = (globalThis as unknown as { WebAssembly: { RuntimeError: new () => Error } }).WebAssembly.RuntimeError;

/**
 * Awaits a promise of the instance, raced against its trap: a panic fails the instance and every
 * operation on it, and leaves the promise it interrupted pending for ever.
 */
function settle<T>(runtime: ParquetRuntime, promise: Promise<T>): Promise<T> {
  return runtime.settle(promise);
}

/** Runs a synchronous call into the instance; a trap there fails the instance too. */
function call<T>(runtime: ParquetRuntime, fn: () => T): T {
  try {
    return fn();
  } catch (error) {
    if (isTrap(error)) discardParquet(runtime, error);
    throw error;
  }
}

/** The most bytes one pooled buffer of a FileRanges holds (a larger range gets a buffer of its own). */
const POOLED_BYTES = 256 * 1024 * 1024;

/**
 * A local file as parquet-wasm reads it: it asks a Blob for its `size`, a `slice(start, end)` and
 * the slice's `arrayBuffer()`, and copies that into WebAssembly memory at once. Node's Blob
 * (`openAsBlob`) makes a new ArrayBuffer for every range: over a read, garbage the size of the
 * file, which V8 frees only when external memory has grown by its limit (64 MiB) and which
 * showed in the peak RSS of every read. Here each range is read into a resizable buffer of a
 * pool, back in the pool on the next turn of the event loop: parquet-wasm copies it in the
 * microtask its promise resolves in.
 */
export class FileRanges {
  private readonly pool: ArrayBuffer[] = [];
  /** Bytes read so far (what a projection saves shows here). */
  bytesRead = 0;

  private constructor(
    private readonly handle: FileHandle,
    readonly size: number,
  ) {}

  /** Opens `path`, checking first that it is Parquet at all: a TableFormatError saying what it is otherwise. */
  static async open(path: string): Promise<FileRanges> {
    let handle: FileHandle;
    try {
      handle = await open(path, "r");
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      throw formatError(path, code === "ENOENT" ? "no such file" : `cannot be opened: ${messageOf(error)}`, error);
    }
    try {
      const { size } = await handle.stat();
      const ranges = new FileRanges(handle, size);
      await ranges.checkEnvelope(path);
      return ranges;
    } catch (error) {
      await handle.close();
      throw error;
    }
  }

  /** What the first and last bytes say, before parquet-wasm is asked: a precise message for what is not Parquet. */
  private async checkEnvelope(path: string): Promise<void> {
    const size = this.size;
    if (size === 0) throw formatError(path, "is empty (0 bytes), not a Parquet file");
    const head = Buffer.from(await this.read(0, Math.min(4, size))).toString("latin1");
    if (size < 4 || head !== MAGIC) throw formatError(path, `is not a Parquet file: it does not start with "${MAGIC}" (${size} bytes)`);
    const tail = size >= 12 ? Buffer.from((await this.read(size - 8, size)).slice(0)) : Buffer.alloc(0);
    if (size < 12 || tail.toString("latin1", 4) !== MAGIC) {
      throw formatError(path, `is cut short: it starts as Parquet but does not end with its footer ("${MAGIC}" after the footer's length; ${size} bytes)`);
    }
    const footerLength = tail.readUInt32LE(0);
    if (footerLength + 12 > size) {
      throw formatError(path, `is cut short or corrupt: its footer says it is ${footerLength} bytes long, but the file has ${size} bytes`);
    }
  }

  /** What parquet-wasm calls: a range of the file, as a Blob would give it. */
  slice(start = 0, end = this.size): { readonly size: number; arrayBuffer(): Promise<ArrayBuffer> } {
    const from = Math.min(Math.max(0, start), this.size);
    const to = Math.min(Math.max(from, end), this.size);
    return { size: to - from, arrayBuffer: () => this.read(from, to) };
  }

  /** Bytes `start` to `end` of the file, in a buffer that is the caller's until the next turn of the event loop. */
  async read(start: number, end: number): Promise<ArrayBuffer> {
    const length = end - start;
    const pooled = length <= POOLED_BYTES;
    let buffer: ArrayBuffer;
    if (pooled) {
      buffer = this.pool.pop() ?? new (ArrayBuffer as unknown as new (length: number, options: { maxByteLength: number }) => ArrayBuffer)(length, { maxByteLength: POOLED_BYTES });
      (buffer as unknown as { resize(length: number): void }).resize(length);
    } else {
      buffer = new ArrayBuffer(length);
    }
    try {
      const view = new Uint8Array(buffer, 0, length);
      for (let done = 0; done < length; ) {
        const { bytesRead } = await this.handle.read(view, done, length - done, start + done);
        if (bytesRead === 0) throw new Error(`the file ended at byte ${start + done}; it had ${this.size} bytes when it was opened`);
        done += bytesRead;
        this.bytesRead += bytesRead;
      }
    } catch (error) {
      if (pooled) this.pool.push(buffer);
      throw error;
    }
    if (pooled) setImmediate(() => this.pool.push(buffer));
    return buffer;
  }

  async close(): Promise<void> {
    this.pool.length = 0;
    await this.handle.close();
  }
}

/** A Parquet file open in parquet-wasm (its footer read and parsed), with the ranges it reads from. */
interface OpenFile {
  readonly file: ParquetFile;
  readonly ranges: FileRanges;
  close(): Promise<void>;
}

/** Opens the file in parquet-wasm: the footer is read and parsed here. */
async function openFile(runtime: ParquetRuntime, path: string): Promise<OpenFile> {
  const ranges = await FileRanges.open(path);
  try {
    const file = await settle(runtime, runtime.wasm.ParquetFile.fromFile(ranges as unknown as Blob));
    return {
      file,
      ranges,
      close: async () => {
        try {
          file.free();
        } catch {
          // a trapped instance: nothing of it is freed any more
        }
        await ranges.close();
      },
    };
  } catch (error) {
    await ranges.close();
    if (isTrap(error)) throw formatError(path, "its footer cannot be read: the file is corrupt");
    throw formatError(path, `its footer cannot be read: ${wasmProblem(error)}`, error);
  }
}

/** parquet-wasm's error text without its prefixes ("Parquet error: "). */
function wasmProblem(error: unknown): string {
  return messageOf(error).replace(/^(Parquet error|External error|EOF|General error): /i, "").trim();
}

/** The schema pyarrow (or arrow-rs) stored in the file's key-value metadata (`ARROW:schema`), when there is one it can read. */
function storedSchema(arrow: ParquetRuntime["arrow"], metadata: Map<string, string>): Schema | undefined {
  const encoded = metadata.get("ARROW:schema");
  if (encoded === undefined) return undefined;
  try {
    const reader = arrow.RecordBatchReader.from(Buffer.from(encoded, "base64"));
    reader.open();
    return reader.schema;
  } catch {
    return undefined;
  }
}

/** The key-value metadata of a file's footer. */
function footerMetadata(runtime: ParquetRuntime, file: ParquetFile): { metadata: Map<string, string>; rowGroupRows: number[] } {
  const meta = call(runtime, () => file.metadata());
  try {
    const fileMeta = meta.fileMetadata();
    const metadata = new Map<string, string>();
    for (const [key, value] of fileMeta.keyValueMetadata() as Map<unknown, unknown>) {
      if (typeof key === "string" && typeof value === "string") metadata.set(key, value);
    }
    fileMeta.free();
    const rowGroupRows: number[] = [];
    for (let i = 0; i < meta.numRowGroups(); i++) {
      const group = meta.rowGroup(i);
      rowGroupRows.push(group.numRows());
      group.free();
    }
    return { metadata, rowGroupRows };
  } finally {
    meta.free();
  }
}

/**
 * The schema the batches of a file are given: the fields parquet-wasm reads, with what it loses
 * put back (see the head of this file). `hint` is the stored Arrow schema.
 */
function canonicalSchema(arrow: ParquetRuntime["arrow"], read: Schema, hint: Schema | undefined, metadata: Map<string, string>): Schema {
  const fields = read.fields.map((field) => {
    let type: DataType = field.type;
    const hinted = hint?.fields.find((f) => f.name === field.name)?.type;
    if (arrow.DataType.isTimestamp(type) && hinted !== undefined && arrow.DataType.isTimestamp(hinted)) {
      const zone = hinted.timezone;
      if (zone && type.timezone && zone !== type.timezone && /^(UTC|\+00:00|Z)$/i.test(type.timezone)) type = new arrow.Timestamp(type.unit, zone);
    }
    // arrow-js-ffi makes a Dictionary whose values are a Field (of the values' type), not a type.
    if (arrow.DataType.isDictionary(type) && (type.dictionary as unknown) instanceof arrow.Field) {
      type = new arrow.Dictionary((type.dictionary as unknown as Field).type, type.indices, type.id, type.isOrdered);
    }
    if (arrow.DataType.isLargeUtf8(type)) type = new arrow.Utf8();
    if (arrow.DataType.isLargeBinary(type)) type = new arrow.Binary();
    return type === field.type ? field : new arrow.Field(field.name, type, field.nullable, field.metadata);
  });
  const kept = new Map([...metadata].filter(([key]) => key !== "ARROW:schema"));
  return new arrow.Schema(fields, kept);
}

/** `batch` under `schema` (same columns, in order): its columns' data retyped where the schema says so. */
function conform(arrow: ParquetRuntime["arrow"], batch: RecordBatch, schema: Schema): RecordBatch {
  const children = batch.data.children.map((child, i) => {
    const type = schema.fields[i]!.type;
    return child.type === type ? child : child.clone(type);
  });
  const data = arrow.makeData({ type: new arrow.Struct(schema.fields), length: batch.numRows, nullCount: 0, children });
  return new arrow.RecordBatch(schema, data);
}

/** Whether every array under the C data interface's ArrowArray at `address` has offset 0 (what arrow-js-ffi can copy). */
function offsetsAreZero(view: DataView, address: number): boolean {
  // struct ArrowArray on wasm32: length i64 @0, null_count i64 @8, offset i64 @16, n_buffers i64 @24,
  // n_children i64 @32, buffers ptr @40, children ptr @44, dictionary ptr @48.
  if (view.getBigInt64(address + 16, true) !== 0n) return false;
  const children = Number(view.getBigInt64(address + 32, true));
  const childrenAt = view.getUint32(address + 44, true);
  for (let i = 0; i < children; i++) if (!offsetsAreZero(view, view.getUint32(childrenAt + 4 * i, true))) return false;
  const dictionary = view.getUint32(address + 48, true);
  return dictionary === 0 || offsetsAreZero(view, dictionary);
}

/** A batch out of WebAssembly memory into apache-arrow's classes (copied; the WebAssembly side is freed). */
function toArrow(runtime: ParquetRuntime, batch: WasmRecordBatch): RecordBatch {
  let exported: FFIData | undefined;
  try {
    exported = call(runtime, () => batch.toFFI());
    const memory = runtime.wasm.wasmMemory().buffer;
    if (offsetsAreZero(new DataView(memory), exported.arrayAddr())) {
      return runtime.ffi.parseRecordBatch(memory, exported.arrayAddr(), exported.schemaAddr(), true);
    }
    exported.free();
    exported = undefined;
    const bytes = call(runtime, () => batch.intoIPCStream());
    return runtime.arrow.tableFromIPC(bytes).batches[0]!;
  } finally {
    exported?.free();
    try {
      batch.free();
    } catch {
      // consumed by intoIPCStream
    }
  }
}

async function readSchema(path: string, options: PartReadOptions = {}): Promise<Schema> {
  const runtime = await loadParquet();
  const done = runtime.hold();
  let file: OpenFile | undefined;
  try {
    file = await openFile(runtime, path);
    const opened = file.file;
    const { metadata } = footerMetadata(runtime, opened);
    const schema = canonicalSchema(runtime.arrow, await schemaOf(runtime, opened), storedSchema(runtime.arrow, metadata), metadata);
    if (options.columns === undefined) return schema;
    const columns = checkedColumns(path, schema, options.columns);
    return new runtime.arrow.Schema(
      columns.map((c) => schema.fields.find((f) => f.name === c)!),
      schema.metadata,
    );
  } catch (error) {
    throw asFormatError(path, error, "its schema cannot be read");
  } finally {
    await file?.close().catch(() => undefined);
    done();
    releaseIfLarge(RELEASE_ABOVE_BYTES);
  }
}

/** Any failure as a TableFormatError about `path` (one already is: it passes). */
function asFormatError(path: string, error: unknown, what: string): TableFormatError {
  if (error instanceof TableFormatError) return error;
  if (isTrap(error)) return formatError(path, `${what}: the file is corrupt`);
  return formatError(path, `${what}: ${wasmProblem(error)}`, error);
}

async function* readBatches(path: string, options: PartReadOptions = {}): AsyncGenerator<RecordBatch> {
  const batchSize = options.batchSize ?? DEFAULT_BATCH_SIZE;
  if (!Number.isInteger(batchSize) || batchSize < 1) throw formatError(path, `cannot be read in batches of ${batchSize} rows; give a whole number of at least 1`);
  const runtime = await loadParquet();
  const done = runtime.hold();
  let file: OpenFile | undefined;
  let reader: ReadableStreamDefaultReader<WasmRecordBatch> | undefined;
  try {
    file = await openFile(runtime, path);
    const opened = file.file;
    const { metadata, rowGroupRows } = footerMetadata(runtime, opened);
    const columns = options.columns === undefined ? undefined : checkedColumns(path, await schemaOf(runtime, opened), options.columns);
    const hint = storedSchema(runtime.arrow, metadata);
    // parquet-wasm's batches never span row groups, and a batch larger than a row group only makes it reserve more.
    const largestGroup = Math.max(1, ...rowGroupRows);
    const stream = (await settle(
      runtime,
      opened.stream({ batchSize: Math.min(batchSize, largestGroup), ...(columns === undefined ? {} : { columns }) }),
    )) as ReadableStream<WasmRecordBatch>;
    reader = stream.getReader();
    let schema: Schema | undefined;
    let rows = 0;
    for (;;) {
      let next: ReadableStreamReadResult<WasmRecordBatch>;
      try {
        next = await settle(runtime, reader.read());
      } catch (error) {
        throw corruptGroup(path, rowGroupRows, rows, error);
      }
      if (next.done) break;
      let batch = toArrow(runtime, next.value);
      // In the order asked (parquet-wasm gives the file's order).
      if (columns !== undefined) batch = batch.selectAt(columns.map((c) => batch.schema.fields.findIndex((f) => f.name === c)));
      schema ??= canonicalSchema(runtime.arrow, batch.schema, hint, metadata);
      rows += batch.numRows;
      yield conform(runtime.arrow, batch, schema);
    }
  } catch (error) {
    throw asFormatError(path, error, "cannot be read as Parquet");
  } finally {
    if (reader !== undefined && !runtime.broken) await reader.cancel().catch(() => undefined);
    await file?.close().catch(() => undefined);
    done();
    releaseIfLarge(RELEASE_ABOVE_BYTES);
  }
}

/** The columns of a projection, each one the file has, once. */
function checkedColumns(path: string, schema: Schema, asked: readonly string[]): string[] {
  const available = schema.fields.map((f) => f.name);
  const columns = [...asked];
  const missing = columns.filter((c) => !available.includes(c));
  if (missing.length > 0) {
    throw formatError(path, `has no column ${missing.map((c) => `'${c}'`).join(", ")} (its columns: ${available.map((c) => `'${c}'`).join(", ")})`);
  }
  const twice = columns.filter((c, i) => columns.indexOf(c) !== i);
  if (twice.length > 0) throw formatError(path, `column '${twice[0]}' is asked for twice`);
  return columns;
}

/** The Arrow schema parquet-wasm reads a file as, in JavaScript. */
async function schemaOf(runtime: ParquetRuntime, file: ParquetFile): Promise<Schema> {
  const wasmSchema = call(runtime, () => file.schema());
  const exported = call(runtime, () => wasmSchema.intoFFI());
  try {
    return runtime.ffi.parseSchema(runtime.wasm.wasmMemory().buffer, exported.addr());
  } finally {
    exported.free();
  }
}

/** The error of a read that failed after the footer: the row group it was decoding when it failed. */
function corruptGroup(path: string, rowGroupRows: number[], rowsRead: number, error: unknown): TableFormatError {
  let group = 0;
  for (let seen = 0; group < rowGroupRows.length && seen + rowGroupRows[group]! <= rowsRead; group++) seen += rowGroupRows[group]!;
  const where = `row group ${group} of ${rowGroupRows.length}`;
  if (isTrap(error)) return formatError(path, `${where} cannot be decoded: its data is corrupt or cut short (or the file changed while it was read)`);
  return formatError(path, `${where} cannot be read: ${wasmProblem(error)}`, error);
}

/** A key under which two batches' column types are the same type (a Dictionary's id aside). */
function typeKey(type: DataType): string {
  return String(type);
}

function schemaProblem(expected: Schema, got: Schema): string | undefined {
  const names = (s: Schema) => s.fields.map((f) => `'${f.name}'`).join(", ");
  if (expected.fields.length !== got.fields.length || expected.fields.some((f, i) => f.name !== got.fields[i]!.name)) {
    return `its columns are ${names(got)}, the first batch's ${names(expected)}`;
  }
  const differs = expected.fields.findIndex((f, i) => typeKey(f.type) !== typeKey(got.fields[i]!.type));
  if (differs >= 0) return `column '${expected.fields[differs]!.name}' is ${got.fields[differs]!.type} in it, ${expected.fields[differs]!.type} in the first batch`;
  return undefined;
}

/** A temporary file beside `path`: `.<name>.<pid>.<random>.tmp`. */
function tempBeside(path: string): string {
  return join(dirname(path), `.${basename(path)}.${process.pid}.${randomBytes(4).toString("hex")}.tmp`);
}

/** What a write fails with that is not the caller's own error (the caller's batches fail as they failed). */
class SourceError {
  constructor(readonly error: unknown) {}
}

async function writeBatches(
  path: string,
  batches: AsyncIterable<RecordBatch> | Iterable<RecordBatch>,
  options: PartWriteOptions = {},
): Promise<{ rows: number }> {
  const rowGroupSize = options.rowGroupSize ?? DEFAULT_ROW_GROUP_SIZE;
  if (!Number.isInteger(rowGroupSize) || rowGroupSize < 1) {
    throw formatError(path, `cannot be written with row groups of ${rowGroupSize} rows; give a whole number of at least 1`);
  }
  const source: AsyncIterator<RecordBatch> | Iterator<RecordBatch> =
    Symbol.asyncIterator in batches ? batches[Symbol.asyncIterator]() : (batches as Iterable<RecordBatch>)[Symbol.iterator]();
  const nextBatch = async (): Promise<RecordBatch | undefined> => {
    let result: IteratorResult<RecordBatch>;
    try {
      result = await source.next();
    } catch (error) {
      throw new SourceError(error);
    }
    return result.done === true ? undefined : result.value;
  };
  const runtime = await loadParquet();
  const done = runtime.hold();
  mkdirSync(dirname(path), { recursive: true });
  const temp = tempBeside(path);
  let handle: FileHandle | undefined;
  let input: ReadableStream | undefined;
  let output: ReadableStreamDefaultReader<Uint8Array> | undefined;
  try {
    const first = await nextBatch();
    if (first === undefined) {
      throw formatError(path, "cannot be written: no batch was given, so there is no schema; give at least one batch (one of 0 rows keeps the schema)");
    }
    const { arrow, wasm } = runtime;
    // Every column optional, as pyarrow writes a DataFrame's: apache-arrow marks a column not
    // nullable when the batch it was made from had no null, and a later batch with one would then
    // be refused (a Parquet "required" column is a promise the caller rarely meant to make).
    const schema = new arrow.Schema(
      first.schema.fields.map((f) => (f.nullable ? f : new arrow.Field(f.name, f.type, true, f.metadata))),
      first.schema.metadata,
    );
    let current: RecordBatch | undefined = new arrow.RecordBatch(schema, first.data);
    handle = await open(temp, "w");
    let rows = 0;
    let batchIndex = 0;
    let offset = 0;
    let failure: unknown;
    // Pieces of the caller's batches, each moved into WebAssembly only when the writer asks for it.
    const pending: WasmRecordBatch[] = [];
    // One buffer for every piece's IPC stream: the writer's chunks are mostly views of the batch's
    // own buffers, copied here once, then into WebAssembly (a new buffer per piece was garbage
    // that Node's allocator kept as resident memory).
    let staging = new Uint8Array(0);
    const toWasm = async (piece: RecordBatch): Promise<void> => {
      const writer = new arrow.RecordBatchStreamWriter();
      writer.write(piece);
      writer.close();
      let length = 0;
      for await (const chunk of writer) {
        if (length + chunk.byteLength > staging.byteLength) {
          const grown = new Uint8Array(Math.max(2 * staging.byteLength, length + chunk.byteLength));
          grown.set(staging.subarray(0, length));
          staging = grown;
        }
        staging.set(chunk, length);
        length += chunk.byteLength;
      }
      const bytes = staging.subarray(0, length);
      let table: ReturnType<typeof wasm.Table.fromIPCStream>;
      try {
        table = call(runtime, () => wasm.Table.fromIPCStream(bytes));
      } catch (error) {
        throw formatError(path, `cannot be written: batch ${batchIndex} cannot be moved into the Parquet writer: ${wasmProblem(error)}`, error);
      }
      try {
        pending.push(...call(runtime, () => table.recordBatches()));
      } finally {
        table.free();
      }
    };
    input = new ReadableStream(
      {
        pull: async (controller) => {
          try {
            while (pending.length === 0) {
              if (current === undefined) {
                controller.close();
                return;
              }
              if (offset >= current.numRows) {
                if (current.numRows === 0 && batchIndex === 0 && rows === 0) await toWasm(current); // a first batch of 0 rows: the schema alone
                current = await nextBatch();
                offset = 0;
                if (current === undefined) continue;
                batchIndex++;
                const problem = schemaProblem(schema, current.schema);
                if (problem !== undefined) throw formatError(path, `cannot be written: batch ${batchIndex} does not match the first: ${problem}`);
                if (current.schema !== schema) current = new arrow.RecordBatch(schema, current.data);
                continue;
              }
              const length = Math.min(PIECE_ROWS, rowGroupSize, current.numRows - offset);
              const piece = offset === 0 && length === current.numRows ? current : current.slice(offset, offset + length);
              offset += length;
              rows += length;
              await toWasm(piece);
            }
            controller.enqueue(pending.shift());
          } catch (error) {
            failure ??= error;
            controller.error(error);
          }
        },
        cancel: () => {
          for (const batch of pending.splice(0)) batch.free();
        },
      },
      { highWaterMark: 0 },
    );
    const properties = new wasm.WriterPropertiesBuilder()
      .setCompression(wasm.Compression.SNAPPY)
      .setDictionaryEnabled(true)
      .setDictionaryPageSizeLimit(DICTIONARY_PAGE_BYTES)
      .setStatisticsEnabled(wasm.EnabledStatistics.Chunk)
      .setMaxRowGroupSize(rowGroupSize)
      .build();
    let encoded: ReadableStream<Uint8Array>;
    try {
      encoded = (await settle(runtime, wasm.transformParquetStream(input, properties))) as ReadableStream<Uint8Array>;
    } catch (error) {
      throw failure ?? error;
    }
    output = encoded.getReader();
    for (;;) {
      const next = await settle(runtime, output.read());
      if (failure !== undefined) throw failure;
      if (next.done) break;
      await handle.write(next.value);
      dropBuffer(next.value);
    }
    if (failure !== undefined) throw failure;
    await handle.close();
    handle = undefined;
    // The writer drops what it cannot write without a word: the footer must count every row.
    const written = await footerRows(runtime, temp);
    if (written !== rows) throw formatError(path, `cannot be written: the Parquet writer wrote ${written} of ${rows} rows`);
    await rename(temp, path);
    return { rows };
  } catch (error) {
    await output?.cancel().catch(() => undefined);
    await input?.cancel().catch(() => undefined);
    await handle?.close().catch(() => undefined);
    await rm(temp, { force: true }).catch(() => undefined);
    if (error instanceof SourceError) throw error.error;
    if (error instanceof TableFormatError) throw error;
    if (isTrap(error)) throw formatError(path, "cannot be written: the Parquet writer failed");
    throw formatError(path, `cannot be written: ${wasmProblem(error)}`, error);
  } finally {
    done();
    releaseIfLarge(RELEASE_ABOVE_BYTES);
  }
}

let sink: MessagePort | undefined;

/**
 * Frees the memory of a chunk now, not when V8 next collects its old generation: the writer's
 * output chunks (a row group's bytes each, new buffers made by parquet-wasm) live across the file
 * write, get promoted, and piled up as garbage the size of the file (150 MiB above the baseline
 * for a 110 MiB file; 80 MiB with this). Transferring a buffer detaches it; to a port whose other
 * end is closed, the message is dropped with it. Only a chunk that owns its whole buffer.
 */
function dropBuffer(chunk: Uint8Array): void {
  if (chunk.byteOffset !== 0 || chunk.byteLength !== chunk.buffer.byteLength || !(chunk.buffer instanceof ArrayBuffer)) return;
  try {
    if (sink === undefined) {
      const channel = new MessageChannel();
      channel.port2.close();
      sink = channel.port1;
      // It must not keep the process alive.
      sink.unref();
    }
    sink.postMessage(null, [chunk.buffer]);
  } catch {
    // not transferable (a view on WebAssembly memory): left to the garbage collector
  }
}

/** The rows a written file's footer counts. */
async function footerRows(runtime: ParquetRuntime, path: string): Promise<number> {
  const { file, close } = await openFile(runtime, path);
  try {
    const meta = file.metadata();
    const fileMeta = meta.fileMetadata();
    const rows = fileMeta.numRows();
    fileMeta.free();
    meta.free();
    return rows;
  } finally {
    await close();
  }
}

/** Parquet part files: read by row groups and column chunks, written with snappy and dictionary encoding (pyarrow's defaults). */
export const parquetCodec: TableCodec = {
  format: "parquet",
  schema: (path, options) => readSchema(path, options),
  read: (path, options) => readBatches(path, options),
  write: (path, batches, options) => writeBatches(path, batches, options),
};

