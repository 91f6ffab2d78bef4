// flytekit's FlyteSchema (Flyte's SchemaType): a table stored as files, by reference. Deprecated in
// flytekit in favour of StructuredDataset, but still what its SQL tasks (SQLite3Task) declare as
// their output when no type is given, so templates that carry it must be declarable here.
import type { JsonObject } from "@bufbuild/protobuf";
import { create } from "../idl/codec.js";
import type { Literal } from "../idl/gen/flyteidl/core/literals_pb.js";
import { LiteralTypeSchema, SchemaType_SchemaColumn_SchemaColumnType as ColumnType, SimpleType, type LiteralType } from "../idl/gen/flyteidl/core/types_pb.js";
import { FlyteTypeError, TypeTransformerError } from "./errors.js";
import { scalarLiteral } from "./literals.js";
import type { MsgpackWriter } from "./msgpack.js";
import { typeRegistry } from "./registry.js";
import { Bool, Float, Int, Str } from "./scalars.js";
import { Datetime, Duration } from "./time.js";
import type { Table } from "apache-arrow";
import { isTableData, planTableWrite, TableReader, tableUri, TableValue, type DeclaredColumn, type TableData } from "./table-io.js";
import { conversionNow, FlyteType, type AnyFlyteType, type ConversionContext } from "./type.js";

/**
 * A table in flytekit's older FlyteSchema form: files at a `uri` (a folder of Parquet part files),
 * or data to be written there (an Apache Arrow Table or record batches). Read as a Dataset is:
 * `await schema.all()`, `schema.iter()`.
 */
export class FlyteSchema extends TableValue {
  constructor(source: string | TableData) {
    super(source, "FlyteSchema");
  }

  /** The handle a task is given for a literal: reads through `reader`. */
  static fromReader(uri: string, reader: TableReader): FlyteSchema {
    return new FlyteSchema(uri).readThrough(reader);
  }

  protected override get ownReading(): { format: string; what: string } {
    return { format: "parquet", what: "Schema" };
  }

  override toString(): string {
    return this.uri ?? "FlyteSchema(data)";
  }
}

/** A schema column's type for the simple LiteralType of its token (a schema holds only these). */
const COLUMN_TYPES = new Map<SimpleType, ColumnType>([
  [SimpleType.INTEGER, ColumnType.INTEGER],
  [SimpleType.FLOAT, ColumnType.FLOAT],
  [SimpleType.STRING, ColumnType.STRING],
  [SimpleType.BOOLEAN, ColumnType.BOOLEAN],
  [SimpleType.DATETIME, ColumnType.DATETIME],
  [SimpleType.DURATION, ColumnType.DURATION],
]);

function columnType(type: AnyFlyteType): ColumnType | undefined {
  const lt = type.literalType.type;
  return lt.case === "simple" ? COLUMN_TYPES.get(lt.value) : undefined;
}

/** Flyte SchemaType: a table by reference, with optional typed columns. */
export class SchemaType extends FlyteType<FlyteSchema, FlyteSchema | TableData | string> {
  readonly name: string;
  readonly tag = "FlyteSchemaTransformer";

  constructor(readonly columns: { readonly [name: string]: AnyFlyteType } = {}) {
    super();
    for (const [name, type] of Object.entries(columns)) {
      if (columnType(type) === undefined) {
        throw new FlyteTypeError({ subject: `Schema column '${name}'`, problem: `${type.name} cannot be a schema column`, fix: "use Int, Float, Str, Bool, Datetime or Duration" });
      }
    }
    const names = Object.keys(columns);
    this.name = names.length === 0 ? "Schema" : `Schema(${names.map((n) => `${n}: ${columns[n]!.name}`).join(", ")})`;
  }

  /** The same schema with named, typed columns: `Schema.withColumns({ id: Int, name: Str })`. */
  withColumns(columns: { readonly [name: string]: AnyFlyteType }): SchemaType {
    return new SchemaType(columns);
  }

  protected buildLiteralType(): LiteralType {
    return create(LiteralTypeSchema, {
      type: {
        case: "schema",
        value: { columns: Object.entries(this.columns).map(([name, type]) => ({ name, type: columnType(type)! })) },
      },
    });
  }

  private get declaredColumns(): DeclaredColumn[] {
    return Object.entries(this.columns).map(([name, type]) => ({ name, type }));
  }

  /** A reference as it is; data written as Parquet part files in a new folder (flytekit's FlyteSchema layout). */
  private uriOf(value: unknown, context: ConversionContext): string {
    if (value instanceof FlyteSchema && value.data !== undefined) return planTableWrite(value.data, { what: this.name, format: "parquet", columns: this.declaredColumns }, context);
    if (isTableData(value) && typeof value !== "string") return planTableWrite(value, { what: this.name, format: "parquet", columns: this.declaredColumns }, context);
    const uri = typeof value === "string" ? value : value instanceof FlyteSchema ? value.uri : undefined;
    if (uri === undefined) throw TypeTransformerError.forValue(this.name, value, "a schema is an Arrow Table, record batches, a FlyteSchema or a uri");
    if (uri === "") throw TypeTransformerError.forValue(this.name, value, "an empty uri");
    return tableUri(uri, context);
  }

  toLiteral(value: unknown, context: ConversionContext = conversionNow()): Literal {
    const lt = this.literalType.type;
    return scalarLiteral({
      case: "schema",
      value: { $typeName: "flyteidl.core.Schema", uri: this.uriOf(value, context), type: lt.case === "schema" ? lt.value : undefined },
    });
  }

  protected decode(literal: Literal, context: ConversionContext): FlyteSchema {
    const v = literal.value;
    let uri: string | undefined;
    if (v.case === "scalar" && v.value.value.case === "schema") uri = v.value.value.value.uri;
    // A StructuredDataset in Parquet is the same files (flytekit converts between the two).
    else if (v.case === "scalar" && v.value.value.case === "structuredDataset") uri = v.value.value.value.uri;
    if (uri === undefined) throw this.cannotRead(literal);
    if (uri === "") throw this.cannotRead(literal, "its uri is empty");
    const reader = new TableReader({ uri, format: "parquet", storage: context.storage, tempDir: context.tempDir === undefined ? undefined : (p) => context.tempDir!(p) }, this.declaredColumns, this.name);
    return FlyteSchema.fromReader(uri, reader);
  }

  writeMsgpack(_w: MsgpackWriter, value: unknown): void {
    throw TypeTransformerError.forValue(this.name, value, "a Schema cannot be a field of a record (flytekit's FlyteSchema is not a dataclass field either)");
  }

  fromMsgpack(value: unknown): FlyteSchema {
    throw this.cannotReadMsgpack(value);
  }

  jsonSchema(): JsonObject {
    throw new FlyteTypeError({ subject: this.name, problem: "a Schema cannot be a field of a record" });
  }
}

/** A table by reference, as flytekit's FlyteSchema: `Schema`, `Schema.withColumns({ id: Int })`. */
export const Schema: SchemaType = new SchemaType();

/** The token of each schema column type, for guessing. */
const COLUMN_TOKENS = new Map<ColumnType, AnyFlyteType>([
  [ColumnType.INTEGER, Int],
  [ColumnType.FLOAT, Float],
  [ColumnType.STRING, Str],
  [ColumnType.BOOLEAN, Bool],
  [ColumnType.DATETIME, Datetime],
  [ColumnType.DURATION, Duration],
]);

typeRegistry.register({
  name: "Schema",
  token: Schema,
  natives: [FlyteSchema],
  // Any schema holds a FlyteSchema or a uri.
  takes: (t, c) => (t instanceof SchemaType ? c === FlyteSchema || c === String : undefined),
  literalTypes: ["schema"],
  guess: (lt) => {
    const columns = (lt.type.value as { columns: { name: string; type: ColumnType }[] }).columns;
    return new SchemaType(Object.fromEntries(columns.map((c) => [c.name, COLUMN_TOKENS.get(c.type) ?? Str])));
  },
});
