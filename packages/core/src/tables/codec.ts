// What a table codec (Parquet, CSV) gives the rest of core: batches read from one local part file,
// and batches written to one. Codecs see only local files; the dataset layer (types/structured.ts)
// downloads, lays out the folder, checks declared columns and uploads.
import type { DataType, RecordBatch, Schema } from "apache-arrow";

/** How a part file is read. */
export interface PartReadOptions {
  /** Only these columns, in this order (a projection: the others are not decoded, nor read from disk where the format allows). */
  readonly columns?: readonly string[];
  /** Rows per batch at most (default: the codec's; about 64K rows). */
  readonly batchSize?: number;
  /** Declared Arrow types by column (CSV reads the text as them; Parquet ignores it, the file says). */
  readonly types?: Readonly<Record<string, DataType>>;
}

/** How a part file is written. */
export interface PartWriteOptions {
  /** Rows per row group at most (Parquet). */
  readonly rowGroupSize?: number;
}

/** A table format: Parquet or CSV. Every failure to read is a TableFormatError naming the file. */
export interface TableCodec {
  /** The format's name in a StructuredDatasetType (`parquet`, `csv`). */
  readonly format: string;
  /** The schema of a part file without reading its data (Parquet: the footer; CSV: the header, and types from `types` or a sample). */
  schema(path: string, options?: PartReadOptions): Promise<Schema>;
  /** The batches of a part file, streamed: memory is bounded by a batch (and, for Parquet, a row group's column chunks), not the file. */
  read(path: string, options?: PartReadOptions): AsyncIterable<RecordBatch>;
  /**
   * Writes batches to `path`: into a temporary file beside it, renamed into place when whole, and
   * removed when anything fails (the error is re-thrown). Returns the rows written.
   */
  write(path: string, batches: AsyncIterable<RecordBatch> | Iterable<RecordBatch>, options?: PartWriteOptions): Promise<{ rows: number }>;
}
