// flytekit's hash of a protobuf message (flytekit/utils/pbhash.py, compute_hash_string): the
// message as protobuf JSON (`json_format.MessageToDict`), dumped by Python's `json.dumps` with
// sorted keys, no spaces and ASCII escapes, then SHA-256, then standard base64. Flyte compares
// these hashes (an offloaded literal's, a cache key's), so ours must be theirs byte for byte: the
// JSON text is built here the way Python builds it, not with JSON.stringify (Python writes a double
// 1 as `1.0` and 1e16 as `1e+16`, escapes every non-ASCII character, and sorts keys by code point).
import { createHash } from "node:crypto";
import { isFieldSet, ScalarType, toJson, type DescEnum, type DescField, type DescMessage, type Message } from "@bufbuild/protobuf";
import { FlyteError, brand } from "../errors/flyte-error.js";

/** A message that has no protobuf JSON (a Struct holding NaN or Infinity, as in flytekit's json_format). */
export class HashError extends FlyteError {}
brand(HashError, "HashError");

/** A double or float, written as Python's repr writes it. */
class PyFloat {
  constructor(
    readonly value: number,
    readonly single: boolean,
  ) {}
}

type PyJson = null | boolean | string | PyFloat | bigint | number | PyJson[] | { [key: string]: PyJson };

/** flytekit's compute_hash_string: base64(sha256(json.dumps(MessageToDict(m), sort_keys=True, separators=(",", ":")))). */
export function computeHashString(schema: DescMessage, message: Message): string {
  return createHash("sha256").update(pythonJsonDumps(messageToDict(schema, message)), "utf8").digest("base64");
}

/** The protobuf JSON text flytekit hashes (exported for tests and for reading a mismatch). */
export function hashedJson(schema: DescMessage, message: Message): string {
  return pythonJsonDumps(messageToDict(schema, message));
}

const INT64: ReadonlySet<ScalarType> = new Set([ScalarType.INT64, ScalarType.UINT64, ScalarType.SINT64, ScalarType.FIXED64, ScalarType.SFIXED64]);

function scalarToDict(type: ScalarType, value: unknown): PyJson {
  switch (type) {
    case ScalarType.DOUBLE:
    case ScalarType.FLOAT: {
      const n = value as number;
      // json_format writes non-finite numbers as strings.
      if (Number.isNaN(n)) return "NaN";
      if (n === Infinity) return "Infinity";
      if (n === -Infinity) return "-Infinity";
      return new PyFloat(n, type === ScalarType.FLOAT);
    }
    case ScalarType.BOOL:
      return value as boolean;
    case ScalarType.STRING:
      return value as string;
    case ScalarType.BYTES:
      return Buffer.from(value as Uint8Array).toString("base64");
    default:
      // int64 and its kin are strings in protobuf JSON; int32 and its kin are numbers.
      return INT64.has(type) ? String(value) : Number(value);
  }
}

function enumToDict(desc: DescEnum, value: number): PyJson {
  if (desc.typeName === "google.protobuf.NullValue") return null;
  return desc.values.find((v) => v.number === value)?.name ?? value;
}

/** A Struct, Value or ListValue as protobuf-es holds it in a field (plain JSON): every number is a double, as in Python. */
function plainJsonToDict(value: unknown): PyJson {
  if (typeof value === "number") {
    if (!Number.isFinite(value)) throw new HashError({ subject: "google.protobuf.Value", problem: `${value} has no protobuf JSON (json_format refuses it, and so does flytekit's hash)` });
    return new PyFloat(value, false);
  }
  if (value === null || typeof value === "string" || typeof value === "boolean") return value;
  if (Array.isArray(value)) return value.map(plainJsonToDict);
  return Object.fromEntries(Object.entries(value as Record<string, unknown>).map(([k, v]) => [k, plainJsonToDict(v)]));
}

const PLAIN_JSON: ReadonlySet<string> = new Set(["google.protobuf.Struct", "google.protobuf.Value", "google.protobuf.ListValue"]);

function valueToDict(field: DescField, kind: "scalar" | "enum" | "message", value: unknown): PyJson {
  if (kind === "message") {
    const typed = typeof value === "object" && value !== null && "$typeName" in value;
    return PLAIN_JSON.has(field.message!.typeName) && !typed ? plainJsonToDict(value) : messageToDict(field.message!, value as Message);
  }
  if (kind === "enum") return enumToDict(field.enum!, value as number);
  return scalarToDict(field.scalar!, value);
}

/** protobuf's json_format.MessageToDict, with its defaults (json names, enums by name, no default values). */
export function messageToDict(schema: DescMessage, message: Message): PyJson {
  switch (schema.typeName) {
    case "google.protobuf.Struct": {
      const fields = (message as unknown as { fields: Record<string, Message> }).fields;
      const valueDesc = schema.fields[0]!.message!;
      return Object.fromEntries(Object.entries(fields).map(([k, v]) => [k, messageToDict(valueDesc, v)]));
    }
    case "google.protobuf.ListValue": {
      const valueDesc = schema.fields[0]!.message!;
      return (message as unknown as { values: Message[] }).values.map((v) => messageToDict(valueDesc, v));
    }
    case "google.protobuf.Value": {
      const kind = (message as unknown as { kind: { case: string | undefined; value: unknown } }).kind;
      switch (kind.case) {
        case "nullValue":
          return null;
        case "numberValue": {
          const n = kind.value as number;
          if (!Number.isFinite(n)) throw new HashError({ subject: "google.protobuf.Value", problem: `${n} has no protobuf JSON (json_format refuses it, and so does flytekit's hash)` });
          return new PyFloat(n, false);
        }
        case "stringValue":
        case "boolValue":
          return kind.value as string | boolean;
        case "structValue":
          return messageToDict(schema.fields.find((f) => f.localName === "structValue")!.message!, kind.value as Message);
        case "listValue":
          return messageToDict(schema.fields.find((f) => f.localName === "listValue")!.message!, kind.value as Message);
        default:
          throw new HashError({ subject: "google.protobuf.Value", problem: "no kind is set: json_format refuses it, and so does flytekit's hash" });
      }
    }
  }
  if (schema.typeName.startsWith("google.protobuf.")) {
    // Timestamp, Duration and the rest: protobuf JSON has one string (or value) for them, the same in both runtimes.
    return toJson(schema, message) as PyJson;
  }
  const out: { [key: string]: PyJson } = {};
  const record = message as unknown as Record<string, unknown>;
  for (const field of schema.fields) {
    if (!isFieldSet(message as never, field)) continue;
    const value = field.oneof !== undefined ? (record[field.oneof.localName] as { value: unknown }).value : record[field.localName];
    switch (field.fieldKind) {
      case "list":
        out[field.jsonName] = (value as unknown[]).map((v) => valueToDict(field, field.listKind, v));
        break;
      case "map":
        out[field.jsonName] = Object.fromEntries(Object.entries(value as Record<string, unknown>).map(([k, v]) => [k, valueToDict(field, field.mapKind, v)]));
        break;
      default:
        out[field.jsonName] = valueToDict(field, field.fieldKind, value);
    }
  }
  return out;
}

/** Python's repr of a float: shortest round-trip digits; exponent form below 1e-4 and from 1e16; `.0` on whole numbers. */
export function pythonFloatRepr(x: number, single = false): string {
  if (x === 0) return Object.is(x, -0) ? "-0.0" : "0.0";
  let exponential = x.toExponential();
  if (single) {
    // json_format's ToShortestFloat: the fewest digits that read back as the same float32.
    for (let digits = 1; digits <= 9; digits++) {
      const candidate = x.toExponential(digits - 1);
      if (Math.fround(Number(candidate)) === x) {
        exponential = candidate;
        break;
      }
    }
  }
  const [mantissa, exponentText] = exponential.split("e") as [string, string];
  const exponent = Number(exponentText);
  const negative = mantissa.startsWith("-");
  const digits = mantissa.replace("-", "").replace(".", "").replace(/0+$/, "") || "0";
  const sign = negative ? "-" : "";
  if (exponent < -4 || exponent >= 16) {
    const m = digits.length > 1 ? `${digits[0]}.${digits.slice(1)}` : digits;
    return `${sign}${m}e${exponent < 0 ? "-" : "+"}${String(Math.abs(exponent)).padStart(2, "0")}`;
  }
  if (exponent < 0) return `${sign}0.${"0".repeat(-exponent - 1)}${digits}`;
  if (digits.length <= exponent + 1) return `${sign}${digits}${"0".repeat(exponent + 1 - digits.length)}.0`;
  return `${sign}${digits.slice(0, exponent + 1)}.${digits.slice(exponent + 1)}`;
}

/** Python's json string with ensure_ascii: every character outside printable ASCII as \uXXXX (UTF-16, lowercase hex). */
function pythonString(s: string): string {
  let out = '"';
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 0x22) out += '\\"';
    else if (c === 0x5c) out += "\\\\";
    else if (c === 0x0a) out += "\\n";
    else if (c === 0x0d) out += "\\r";
    else if (c === 0x09) out += "\\t";
    else if (c === 0x08) out += "\\b";
    else if (c === 0x0c) out += "\\f";
    else if (c < 0x20 || c > 0x7e) out += `\\u${c.toString(16).padStart(4, "0")}`;
    else out += s[i];
  }
  return `${out}"`;
}

/** Python's sort of str keys: by code point (not by UTF-16 unit, as JavaScript's sort). */
function byCodePoint(a: string, b: string): number {
  const x = [...a];
  const y = [...b];
  for (let i = 0; i < Math.min(x.length, y.length); i++) {
    const d = x[i]!.codePointAt(0)! - y[i]!.codePointAt(0)!;
    if (d !== 0) return d;
  }
  return x.length - y.length;
}

/** json.dumps(value, sort_keys=True, separators=(",", ":")). */
export function pythonJsonDumps(value: PyJson): string {
  if (value === null) return "null";
  if (value === true) return "true";
  if (value === false) return "false";
  if (typeof value === "string") return pythonString(value);
  if (typeof value === "number" || typeof value === "bigint") return String(value);
  if (value instanceof PyFloat) return pythonFloatRepr(value.value, value.single);
  if (Array.isArray(value)) return `[${value.map(pythonJsonDumps).join(",")}]`;
  const keys = Object.keys(value).sort(byCodePoint);
  return `{${keys.map((k) => `${pythonString(k)}:${pythonJsonDumps(value[k]!)}`).join(",")}}`;
}
