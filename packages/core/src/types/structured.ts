import { type JsonObject } from "@bufbuild/protobuf";
import { create } from "../idl/codec.js";
import { type Literal } from "../idl/gen/flyteidl/core/literals_pb.js";
import { LiteralTypeSchema, type LiteralType, type StructuredDatasetType } from "../idl/gen/flyteidl/core/types_pb.js";
import { isPlainObject } from "./collections.js";
import { TypeTransformerError } from "./errors.js";
import { scalarLiteral } from "./literals.js";
import type { MsgpackWriter } from "./msgpack.js";
import { resolveSpec, typeRegistry } from "./registry.js";
import { DeferredValue } from "./pending.js";
import { isArrowTable, isArrowTableClass, isTableData, planTableWrite, TableReader, tableUri, TableValue, type DeclaredColumn, type TableData } from "./table-io.js";
import { conversionNow, FlyteType, type AnyFlyteType, type ConversionContext, type TypeSpec } from "./type.js";
import type { Table } from "apache-arrow";

/** How a StructuredDataset is made: the format its data is written in, or the files at its uri are in. */
export interface StructuredDatasetOptions {
  /** `parquet`, `csv`, or "" for any (a table written with no format is Parquet, as flytekit writes a DataFrame). */
  fileFormat?: string;
}

/**
 * A table (flytekit's StructuredDataset): either files at a `uri`, or data to be written (an Apache
 * Arrow Table, or record batches, sync or async, streamed into the files as they come). A task that
 * takes one reads it when it asks: `await sd.all()` (an Arrow Table) or `for await (const batch of
 * sd.iter())`, only the columns its type declares.
 */
export class StructuredDataset extends TableValue {
  readonly fileFormat: string;

  constructor(source: string | TableData, options: StructuredDatasetOptions = {}) {
    super(source, "StructuredDataset");
    if (options.fileFormat !== undefined && typeof options.fileFormat !== "string") throw TypeTransformerError.forValue("a format name", options.fileFormat).at("StructuredDataset, fileFormat");
    this.fileFormat = options.fileFormat ?? "";
  }

  /** The handle a task is given for a literal: reads through `reader`. */
  static fromReader(uri: string, fileFormat: string, reader: TableReader): StructuredDataset {
    return new StructuredDataset(uri, { fileFormat }).readThrough(reader);
  }

  protected override get ownReading(): { format: string; what: string } {
    return { format: this.fileFormat, what: "Dataset" };
  }

  override toString(): string {
    return this.uri ?? "StructuredDataset(data)";
  }
}

/** Flyte StructuredDatasetType: a table by reference, with optional columns and format. */
export class DatasetType extends FlyteType<StructuredDataset | Table, StructuredDataset | TableData | string> {
  readonly name: string;
  readonly tag = "StructuredDataset Transformer";

  constructor(
    readonly format: string,
    readonly columns: { readonly [name: string]: TypeSpec } = {},
    /** Whether a task is given the whole table (an Arrow Table, read before its body runs) rather than a StructuredDataset. */
    readonly whole = false,
  ) {
    super();
    const parts = [format === "" ? "" : JSON.stringify(format), Object.keys(columns).join(", ")].filter((p) => p !== "");
    const base = whole ? "Table" : "Dataset";
    this.name = parts.length === 0 ? base : `${base}(${parts.join("; ")})`;
  }

  /** The same table type stored in a given format: `Dataset.withFormat("parquet")`. */
  withFormat(format: string): DatasetType {
    return new DatasetType(format, this.columns, this.whole);
  }

  /** The same table type with named, typed columns: `Dataset.withColumns({ a: Int, b: Str })`. */
  withColumns(columns: { readonly [name: string]: TypeSpec }): DatasetType {
    return new DatasetType(this.format, columns, this.whole);
  }

  /** Columns and format at once: `Dataset.with({ columns: { id: Int }, format: "parquet" })`. */
  with(spec: { columns?: { readonly [name: string]: TypeSpec }; format?: string }): DatasetType {
    return new DatasetType(spec.format ?? this.format, spec.columns ?? this.columns, this.whole);
  }

  /**
   * The same table given whole: a task receives an Apache Arrow Table, read before its body runs
   * (what a parameter typed `Table` is). `Dataset.withColumns({ id: Int }).asTable()`.
   */
  asTable(): DatasetType {
    return new DatasetType(this.format, this.columns, true);
  }

  /** The declared columns with their tokens. */
  get declaredColumns(): DeclaredColumn[] {
    return Object.entries(this.columns).map(([name, spec]) => ({ name, type: resolveSpec(spec, `column '${name}'`) }));
  }

  private get sdType(): StructuredDatasetType {
    const lt = this.literalType.type;
    return (lt.case === "structuredDatasetType" ? lt.value : undefined)!;
  }

  protected buildLiteralType(): LiteralType {
    return create(LiteralTypeSchema, {
      type: {
        case: "structuredDatasetType",
        value: {
          format: this.format,
          columns: Object.entries(this.columns).map(([name, spec]) => ({
            name,
            literalType: resolveSpec(spec, `column '${name}'`).literalType,
          })),
        },
      },
    });
  }

  /**
   * The uri and format a value is written as: a reference as it is; data (a Table, batches, a
   * StructuredDataset made from them) written to new files in flytekit's layout, in the type's
   * format, else the value's, else Parquet (flytekit's default for a DataFrame).
   */
  private uriOf(value: unknown, context: ConversionContext): { uri: string; format: string } {
    let uri: string;
    let format = this.format;
    if (typeof value === "string") uri = value;
    else if (value instanceof StructuredDataset && value.uri !== undefined) {
      uri = value.uri;
      if (format === "" && value.fileFormat !== "") format = value.fileFormat;
    } else if (value instanceof StructuredDataset || isTableData(value)) {
      const data = value instanceof StructuredDataset ? value.data! : value;
      if (format === "") format = value instanceof StructuredDataset && value.fileFormat !== "" ? value.fileFormat : "parquet";
      return { uri: planTableWrite(data, { what: this.name, format, columns: this.declaredColumns }, context), format };
    } else throw TypeTransformerError.forValue(this.name, value, "a table is an Arrow Table, record batches, a StructuredDataset or a uri");
    if (uri === "") throw TypeTransformerError.forValue(this.name, value, "an empty uri");
    return { uri: tableUri(uri, context), format };
  }

  toLiteral(value: unknown, context: ConversionContext = conversionNow()): Literal {
    const { uri, format } = this.uriOf(value, context);
    const declared = this.sdType;
    const type = format === declared.format ? declared : { ...declared, format };
    return scalarLiteral({
      case: "structuredDataset",
      value: {
        $typeName: "flyteidl.core.StructuredDataset",
        uri,
        metadata: { $typeName: "flyteidl.core.StructuredDatasetMetadata", structuredDatasetType: type },
      },
    });
  }

  protected decode(literal: Literal, context: ConversionContext): StructuredDataset | Table {
    const v = literal.value;
    if (v.case === "scalar" && v.value.value.case === "structuredDataset") {
      const sd = v.value.value.value;
      if (sd.uri === "") throw this.cannotRead(literal, "its uri is empty");
      const named = sd.metadata?.structuredDatasetType?.columns.map((c) => c.name) ?? [];
      return this.handle(sd.uri, sd.metadata?.structuredDatasetType?.format || this.format, context, named);
    }
    // flytekit reads an older FlyteSchema's literal as a StructuredDataset (always Parquet).
    if (v.case === "scalar" && v.value.value.case === "schema") {
      const schema = v.value.value.value;
      if (schema.uri === "") throw this.cannotRead(literal, "its uri is empty");
      return this.handle(schema.uri, "parquet", context, schema.type?.columns.map((c) => c.name) ?? []);
    }
    throw this.cannotRead(literal);
  }

  /** What a task is given for the table at `uri`: a StructuredDataset reading it, or (whole) the Table, read before the body. */
  private handle(uri: string, format: string, context: ConversionContext, literalColumns: readonly string[] = []): StructuredDataset | Table {
    const source = { uri, format, storage: context.storage, tempDir: context.tempDir === undefined ? undefined : (p: string) => context.tempDir!(p) };
    const reader = new TableReader(source, this.declaredColumns, this.name, literalColumns);
    if (!this.whole) return StructuredDataset.fromReader(uri, format, reader);
    return new DeferredValue((subject) => {
      reader.subject = subject;
      return reader.all();
    }) as unknown as Table;
  }

  writeMsgpack(w: MsgpackWriter, value: unknown, context: ConversionContext = conversionNow()): void {
    // Inside a dataclass flytekit writes {"uri": ..., "file_format": ...}.
    const { uri, format } = this.uriOf(value, context);
    w.mapHeader(2);
    w.str("uri");
    w.str(uri);
    w.str("file_format");
    w.str(format);
  }

  fromMsgpack(value: unknown, context: ConversionContext = conversionNow()): StructuredDataset | Table {
    if (isPlainObject(value) && typeof value.uri === "string" && value.uri !== "") {
      const format = typeof value.file_format === "string" && value.file_format !== "" ? value.file_format : this.format;
      return this.handle(value.uri, format, context);
    }
    throw this.cannotReadMsgpack(value);
  }

  /** A table is printed as where it is, or (a whole Table) its size, columns and first rows. */
  override toText(value: unknown): string {
    if (value instanceof StructuredDataset) return value.toString();
    if (isArrowTable(value)) {
      const columns = value.schema.fields.map((f) => `${f.name} (${String(f.type)})`).join(", ");
      const head = value.numRows > 10 ? `${value.slice(0, 10).toString()}\n...` : value.toString();
      return `Table of ${value.numRows} row${value.numRows === 1 ? "" : "s"}: ${columns}\n${head}`;
    }
    return super.toText(value);
  }

  jsonSchema(): JsonObject {
    return {
      additionalProperties: false,
      properties: {
        uri: { anyOf: [{ type: "string" }, { type: "null" }], default: null },
        file_format: { anyOf: [{ type: "string" }, { type: "null" }], default: "" },
      },
      title: "StructuredDataset",
      type: "object",
    };
  }
}

/** A table by reference (Flyte StructuredDataset); `Dataset.withColumns({ a: Int })`, `Dataset.withFormat("parquet")`. */
export const Dataset: DatasetType = new DatasetType("");

/** A table given whole, as an Apache Arrow Table: what a parameter or return typed `Table` is. */
export const ArrowTable: DatasetType = Dataset.asTable();

typeRegistry.register({
  name: "Dataset",
  token: Dataset,
  natives: [StructuredDataset],
  // apache-arrow's Table (of whichever copy the user imports), known by its shape: core loads Arrow only when a table is read or written.
  forNative: (c) => (isArrowTableClass(c) ? ArrowTable : undefined),
  // Any dataset holds a StructuredDataset, a uri, or an Arrow Table.
  takes: (t, c) => (t instanceof DatasetType ? c === StructuredDataset || c === String || isArrowTableClass(c) : undefined),
  literalTypes: ["structuredDatasetType"],
  guess: (lt, nested, where) => {
    const sd = lt.type.value as StructuredDatasetType;
    const columns: Record<string, AnyFlyteType> = {};
    for (const c of sd.columns) columns[c.name] = nested(c.literalType!, `${where}.${c.name}`);
    return new DatasetType(sd.format, columns);
  },
});
