// flytekit's FlyteSchema (Flyte's SchemaType): a table stored as files, by reference. Deprecated in
// flytekit in favour of StructuredDataset, but still what its SQL tasks (SQLite3Task) declare as
// their output when no type is given, so templates that carry it must be declarable here.
import type { JsonObject } from "@bufbuild/protobuf";
import { isAbsolute, resolve } from "node:path";
import { createMessage } from "../idl/create.js";
import type { Literal } from "../idl/gen/flyteidl/core/literals_pb.js";
import { LiteralTypeSchema, SchemaType_SchemaColumn_SchemaColumnType as ColumnType, type LiteralType } from "../idl/gen/flyteidl/core/types_pb.js";
import { isRemotePath } from "./blob.js";
import { FlyteTypeError, TypeTransformerError } from "./errors.js";
import { scalarLiteral } from "./literals.js";
import type { MsgpackWriter } from "./msgpack.js";
import type { AnyFlyteType } from "./type.js";
import { FlyteType } from "./type.js";

/** A schema's data by reference: where the files are (flytekit's FlyteSchema). */
export class FlyteSchema {
  constructor(readonly uri: string) {
    if (typeof uri !== "string" || uri === "") throw new TypeError("FlyteSchema needs a uri");
  }

  toString(): string {
    return this.uri;
  }
}

const COLUMN_TYPES: Record<string, ColumnType> = {
  Int: ColumnType.INTEGER,
  Float: ColumnType.FLOAT,
  Str: ColumnType.STRING,
  Bool: ColumnType.BOOLEAN,
  Datetime: ColumnType.DATETIME,
  Duration: ColumnType.DURATION,
};

/** Flyte SchemaType: a table by reference, with optional typed columns. */
export class SchemaType extends FlyteType<FlyteSchema, FlyteSchema | string> {
  readonly name: string;
  readonly tag = "FlyteSchemaTransformer";

  constructor(readonly columns: { readonly [name: string]: AnyFlyteType } = {}) {
    super();
    for (const [name, type] of Object.entries(columns)) {
      if (COLUMN_TYPES[type.name] === undefined) {
        throw new FlyteTypeError(`Schema column "${name}": ${type.name} cannot be a schema column; use Int, Float, Str, Bool, Datetime or Duration`);
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
    return createMessage(LiteralTypeSchema, {
      type: {
        case: "schema",
        value: { columns: Object.entries(this.columns).map(([name, type]) => ({ name, type: COLUMN_TYPES[type.name]! })) },
      },
    });
  }

  private uriOf(value: unknown): string {
    const uri = typeof value === "string" ? value : value instanceof FlyteSchema ? value.uri : undefined;
    if (uri === undefined) throw TypeTransformerError.forValue(this.name, value, "a schema is passed by reference: a FlyteSchema or its uri");
    if (uri === "") throw TypeTransformerError.forValue(this.name, value, "an empty uri");
    return isRemotePath(uri) || isAbsolute(uri) ? uri : resolve(uri);
  }

  toLiteral(value: unknown): Literal {
    const lt = this.literalType.type;
    return scalarLiteral({
      case: "schema",
      value: { $typeName: "flyteidl.core.Schema", uri: this.uriOf(value), type: lt.case === "schema" ? lt.value : undefined },
    });
  }

  protected decode(literal: Literal): FlyteSchema {
    const v = literal.value;
    if (v.case === "scalar" && v.value.value.case === "schema") return new FlyteSchema(v.value.value.value.uri);
    throw this.cannotRead(literal);
  }

  writeMsgpack(_w: MsgpackWriter, value: unknown): void {
    throw TypeTransformerError.forValue(this.name, value, "a Schema cannot be a field of a record (flytekit's FlyteSchema is not a dataclass field either)");
  }

  fromMsgpack(value: unknown): FlyteSchema {
    throw this.cannotReadMsgpack(value);
  }

  jsonSchema(): JsonObject {
    throw new FlyteTypeError("a Schema cannot be a field of a record");
  }
}

/** A table by reference, as flytekit's FlyteSchema: `Schema`, `Schema.withColumns({ id: Int })`. */
export const Schema: SchemaType = new SchemaType();
