import { type JsonObject } from "@bufbuild/protobuf";
import { create } from "../idl/codec.js";
import { isAbsolute, resolve } from "node:path";
import { type Literal } from "../idl/gen/flyteidl/core/literals_pb.js";
import { LiteralTypeSchema, type LiteralType, type StructuredDatasetType } from "../idl/gen/flyteidl/core/types_pb.js";
import { isRemotePath } from "../storage/storage.js";
import { isPlainObject } from "./collections.js";
import { TypeTransformerError } from "./errors.js";
import { scalarLiteral } from "./literals.js";
import type { MsgpackWriter } from "./msgpack.js";
import { resolveSpec, typeRegistry } from "./registry.js";
import { FlyteType, type AnyFlyteType, type TypeSpec } from "./type.js";

/**
 * A table stored as files (flytekit's StructuredDataset), passed by reference: `uri` is where it is,
 * `fileFormat` how it is stored (`parquet`, `csv`, or "" for any).
 */
export class StructuredDataset {
  readonly uri: string;
  readonly fileFormat: string;

  constructor(uri: string, options: { fileFormat?: string } = {}) {
    if (typeof uri !== "string" || uri === "") throw TypeTransformerError.forValue("a uri", uri).at("StructuredDataset");
    this.uri = uri;
    this.fileFormat = options.fileFormat ?? "";
  }

  toString(): string {
    return this.uri;
  }
}

/** Flyte StructuredDatasetType: a table by reference, with optional columns and format. */
export class DatasetType extends FlyteType<StructuredDataset, StructuredDataset | string> {
  readonly name: string;
  readonly tag = "StructuredDataset Transformer";

  constructor(
    readonly format: string,
    readonly columns: { readonly [name: string]: TypeSpec } = {},
  ) {
    super();
    const parts = [format === "" ? "" : JSON.stringify(format), Object.keys(columns).join(", ")].filter((p) => p !== "");
    this.name = parts.length === 0 ? "Dataset" : `Dataset(${parts.join("; ")})`;
  }

  /** The same table type stored in a given format: `Dataset.withFormat("parquet")`. */
  withFormat(format: string): DatasetType {
    return new DatasetType(format, this.columns);
  }

  /** The same table type with named, typed columns: `Dataset.withColumns({ a: Int, b: Str })`. */
  withColumns(columns: { readonly [name: string]: TypeSpec }): DatasetType {
    return new DatasetType(this.format, columns);
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

  private uriOf(value: unknown): { uri: string; format: string } {
    let uri: string;
    let format = this.format;
    if (typeof value === "string") uri = value;
    else if (value instanceof StructuredDataset) {
      uri = value.uri;
      if (value.fileFormat !== "") format = value.fileFormat;
    } else throw TypeTransformerError.forValue(this.name, value);
    if (uri === "") throw TypeTransformerError.forValue(this.name, value, "an empty uri");
    if (!isRemotePath(uri) && !isAbsolute(uri)) uri = resolve(uri);
    return { uri, format };
  }

  toLiteral(value: unknown): Literal {
    const { uri, format } = this.uriOf(value);
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

  protected decode(literal: Literal): StructuredDataset {
    const v = literal.value;
    if (v.case === "scalar" && v.value.value.case === "structuredDataset") {
      const sd = v.value.value.value;
      if (sd.uri === "") throw this.cannotRead(literal, "its uri is empty");
      return new StructuredDataset(sd.uri, { fileFormat: sd.metadata?.structuredDatasetType?.format ?? this.format });
    }
    throw this.cannotRead(literal);
  }

  writeMsgpack(w: MsgpackWriter, value: unknown): void {
    // Inside a dataclass flytekit writes {"uri": ..., "file_format": ...}.
    const { uri, format } = this.uriOf(value);
    w.mapHeader(2);
    w.str("uri");
    w.str(uri);
    w.str("file_format");
    w.str(format);
  }

  fromMsgpack(value: unknown): StructuredDataset {
    if (isPlainObject(value) && typeof value.uri === "string" && value.uri !== "") {
      const format = typeof value.file_format === "string" ? value.file_format : this.format;
      return new StructuredDataset(value.uri, { fileFormat: format });
    }
    throw this.cannotReadMsgpack(value);
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

typeRegistry.register({
  name: "Dataset",
  token: Dataset,
  natives: [StructuredDataset],
  // Any dataset holds a StructuredDataset or a uri.
  takes: (t, c) => (t instanceof DatasetType ? c === StructuredDataset || c === String : undefined),
  literalTypes: ["structuredDatasetType"],
  guess: (lt, nested, where) => {
    const sd = lt.type.value as StructuredDatasetType;
    const columns: Record<string, AnyFlyteType> = {};
    for (const c of sd.columns) columns[c.name] = nested(c.literalType!, `${where}.${c.name}`);
    return new DatasetType(sd.format, columns);
  },
});
