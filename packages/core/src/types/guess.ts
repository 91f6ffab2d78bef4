// A type token for a Flyte LiteralType, for tasks known only by their template (flytekit's
// TypeEngine.guess_python_type). It is lossy: the template does not say which TypeScript class a
// record was, so a record comes back as an instance of a class made from its schema (same fields,
// same field types, no methods); an enum as its string values; a Json STRUCT as a plain object.
import type { JsonObject } from "@bufbuild/protobuf";
import { BlobType_BlobDimensionality, SimpleType, type LiteralType } from "../idl/gen/flyteidl/core/types_pb.js";
import { BlobType, FlyteDirectory, FlyteFile } from "./blob.js";
import { FlyteTypeError } from "./errors.js";
import { Json } from "./json.js";
import { defineRecord } from "./record.js";
import { Bool, Float, Int, None, Str } from "./scalars.js";
import { SchemaType } from "./schema.js";
import { DictType, ListType } from "./collections.js";
import { Dict, Enum, List, Union } from "./spec.js";
import { DatasetType } from "./structured.js";
import { Datetime, Duration } from "./time.js";
import type { AnyFlyteType } from "./type.js";

/**
 * The fields of a record in declaration order, as far as the schema tells it: the order of its
 * properties (which a template written by flytekit-ts keeps; one written by flytekit sorts them).
 */
function fieldOrder(fields: string[], schema: JsonObject | undefined): string[] {
  const properties = schema?.properties !== null && typeof schema?.properties === "object" ? Object.keys(schema.properties as JsonObject) : [];
  return [...new Set([...properties, ...fields])].filter((n) => fields.includes(n));
}

/**
 * A field's default, as far as the schema tells it: its `default`, or for a field that is not
 * required and has none (Python's default_factory), the empty value of its type.
 */
function fieldDefault(name: string, type: AnyFlyteType, schema: JsonObject | undefined): { value: unknown } | undefined {
  const property = (schema?.properties as Record<string, JsonObject> | undefined)?.[name];
  if (property !== undefined && "default" in property) return { value: property.default };
  const required = Array.isArray(schema?.required) && (schema.required as unknown[]).includes(name);
  if (required) return undefined;
  if (type.acceptsNone) return { value: null };
  if (type instanceof ListType) return { value: [] };
  if (type instanceof DictType) return { value: {} };
  return undefined;
}

function recordFromStructure(lt: LiteralType, where: string): AnyFlyteType {
  const structure = lt.structure?.dataclassType ?? {};
  const names = fieldOrder(Object.keys(structure), lt.metadata);
  const title = typeof lt.metadata?.title === "string" ? lt.metadata.title : "Record";
  const fields: Record<string, AnyFlyteType> = {};
  const defaults: Record<string, unknown> = {};
  for (const name of names) {
    fields[name] = guessType(structure[name]!, `${where}.${name}`);
    const d = fieldDefault(name, fields[name], lt.metadata);
    if (d !== undefined) defaults[name] = d.value;
  }
  // A class of its own per record type, named as the schema names it, its defaults set by its constructor.
  const cls = {
    [title]: class {
      constructor() {
        Object.assign(this, structuredClone(defaults));
      }
    },
  }[title]!;
  const record = defineRecord(cls as new () => object, fields as never);
  // The caller's own class for this record cannot be ours: any object with the fields will do.
  record.structural = true;
  return record as unknown as AnyFlyteType;
}

/**
 * The type token for a LiteralType: it converts values as the guessed type does, and declares
 * exactly the LiteralType it was made from (which says more than the guess can: a record field's
 * default, for one). Throws a FlyteTypeError naming `where` for a type flytekit-ts cannot read
 * (BINARY, ERROR, an empty LiteralType).
 */
export function guessType(lt: LiteralType, where = "type"): AnyFlyteType {
  const guessed = guess(lt, where);
  if (guessed.literalType === lt) return guessed;
  const declared = Object.create(guessed) as AnyFlyteType;
  Object.defineProperty(declared, "literalType", { value: lt, enumerable: false });
  return declared;
}

function guess(lt: LiteralType, where: string): AnyFlyteType {
  const t = lt.type;
  switch (t.case) {
    case "simple":
      switch (t.value) {
        case SimpleType.INTEGER:
          return Int;
        case SimpleType.FLOAT:
          return Float;
        case SimpleType.STRING:
          return Str;
        case SimpleType.BOOLEAN:
          return Bool;
        case SimpleType.DATETIME:
          return Datetime;
        case SimpleType.DURATION:
          return Duration;
        case SimpleType.NONE:
          return None;
        case SimpleType.STRUCT:
          // A dataclass carries its fields' types; an untyped dict does not.
          return lt.structure?.dataclassType !== undefined && Object.keys(lt.structure.dataclassType).length > 0 ? recordFromStructure(lt, where) : Json;
        default:
          throw new FlyteTypeError(`${where}: flytekit-ts cannot read the simple type ${SimpleType[t.value] ?? t.value}`);
      }
    case "collectionType":
      return List(guessType(t.value, `${where}[]`));
    case "mapValueType":
      return Dict(guessType(t.value, `${where}{}`));
    case "unionType":
      return Union(...t.value.variants.map((v, i) => guessType(v, `${where}|${i}`)));
    case "enumType":
      return Enum(Object.fromEntries(t.value.values.map((v) => [v, v])));
    case "blob":
      return new BlobType(t.value.dimensionality === BlobType_BlobDimensionality.MULTIPART ? FlyteDirectory : FlyteFile, t.value.dimensionality, t.value.format) as unknown as AnyFlyteType;
    case "structuredDatasetType":
      return new DatasetType(t.value.format, Object.fromEntries(t.value.columns.map((c) => [c.name, guessType(c.literalType!, `${where}.${c.name}`)]))) as unknown as AnyFlyteType;
    case "schema": {
      const columnTypes: Record<number, AnyFlyteType> = { 0: Int, 1: Float, 2: Str, 3: Bool, 4: Datetime, 5: Duration };
      return new SchemaType(Object.fromEntries(t.value.columns.map((c) => [c.name, columnTypes[c.type] ?? Str]))) as unknown as AnyFlyteType;
    }
    default:
      throw new FlyteTypeError(`${where}: flytekit-ts cannot read a ${t.case ?? "missing"} LiteralType`);
  }
}
