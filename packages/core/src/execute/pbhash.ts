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

/** flytekit's compute_hash_string: base64(sha256(json.dumps(MessageToDict(m), sort_keys=True, separators=(",", ":")))). */
export function computeHashString(schema: DescMessage, message: Message): string {
  return createHash("sha256").update(hashedJson(schema, message), "utf8").digest("base64");
}

/**
 * The JSON text flytekit hashes: `json.dumps(MessageToDict(m), sort_keys=True, separators=(",", ":"))`.
 * Written straight from the message, without a tree in between: a literal of a million values is
 * hashed in about the time it takes to encode it.
 */
export function hashedJson(schema: DescMessage, message: Message): string {
  return messageJson(schema, message);
}

const INT64: ReadonlySet<ScalarType> = new Set([ScalarType.INT64, ScalarType.UINT64, ScalarType.SINT64, ScalarType.FIXED64, ScalarType.SFIXED64]);

function scalarJson(type: ScalarType, value: unknown): string {
  switch (type) {
    case ScalarType.DOUBLE:
    case ScalarType.FLOAT: {
      const n = value as number;
      // json_format writes non-finite numbers as strings.
      if (Number.isNaN(n)) return '"NaN"';
      if (n === Infinity) return '"Infinity"';
      if (n === -Infinity) return '"-Infinity"';
      return pythonFloatRepr(n, type === ScalarType.FLOAT);
    }
    case ScalarType.BOOL:
      return value ? "true" : "false";
    case ScalarType.STRING:
      return pythonString(value as string);
    case ScalarType.BYTES:
      return `"${Buffer.from(value as Uint8Array).toString("base64")}"`;
    default:
      // int64 and its kin are strings in protobuf JSON; int32 and its kin are numbers.
      return INT64.has(type) ? `"${String(value)}"` : String(Number(value));
  }
}

function enumJson(desc: DescEnum, value: number): string {
  if (desc.typeName === "google.protobuf.NullValue") return "null";
  const name = desc.values.find((v) => v.number === value)?.name;
  return name === undefined ? String(value) : pythonString(name);
}

function finiteNumber(n: number): string {
  if (!Number.isFinite(n)) throw new HashError({ subject: "google.protobuf.Value", problem: `${n} has no protobuf JSON (json_format refuses it, and so does flytekit's hash)` });
  return pythonFloatRepr(n);
}

/** A Struct, Value or ListValue as protobuf-es holds it in a field (plain JSON): every number is a double, as in Python. */
function plainJson(value: unknown): string {
  if (typeof value === "number") return finiteNumber(value);
  if (value === null) return "null";
  if (typeof value === "string") return pythonString(value);
  if (typeof value === "boolean") return value ? "true" : "false";
  if (Array.isArray(value)) return `[${value.map(plainJson).join(",")}]`;
  return objectJson(Object.entries(value as Record<string, unknown>).map(([k, v]) => [k, plainJson(v)]));
}

/** An object with its keys sorted as Python sorts them. */
function objectJson(entries: [string, string][]): string {
  if (entries.length > 1) entries.sort((a, b) => byCodePoint(a[0], b[0]));
  let out = "{";
  for (let i = 0; i < entries.length; i++) out += `${i === 0 ? "" : ","}${pythonString(entries[i]![0])}:${entries[i]![1]}`;
  return `${out}}`;
}

const PLAIN_JSON: ReadonlySet<string> = new Set(["google.protobuf.Struct", "google.protobuf.Value", "google.protobuf.ListValue"]);

function valueJson(field: DescField, kind: "scalar" | "enum" | "message", value: unknown): string {
  if (kind === "message") {
    const typed = typeof value === "object" && value !== null && "$typeName" in value;
    return PLAIN_JSON.has(field.message!.typeName) && !typed ? plainJson(value) : messageJson(field.message!, value as Message);
  }
  if (kind === "enum") return enumJson(field.enum!, value as number);
  return scalarJson(field.scalar!, value);
}

/** protobuf's json_format.MessageToDict (json names, enums by name, no default values), as json.dumps writes it. */
function messageJson(schema: DescMessage, message: Message): string {
  switch (schema.typeName) {
    case "google.protobuf.Struct":
      return objectJson(Object.entries((message as unknown as { fields: Record<string, Message> }).fields).map(([k, v]) => [k, messageJson(schema.fields[0]!.message!, v)]));
    case "google.protobuf.ListValue":
      return `[${(message as unknown as { values: Message[] }).values.map((v) => messageJson(schema.fields[0]!.message!, v)).join(",")}]`;
    case "google.protobuf.Value": {
      const kind = (message as unknown as { kind: { case: string | undefined; value: unknown } }).kind;
      switch (kind.case) {
        case "nullValue":
          return "null";
        case "numberValue":
          return finiteNumber(kind.value as number);
        case "stringValue":
          return pythonString(kind.value as string);
        case "boolValue":
          return kind.value ? "true" : "false";
        case "structValue":
        case "listValue":
          return messageJson(schema.fields.find((f) => f.localName === kind.case)!.message!, kind.value as Message);
        default:
          throw new HashError({ subject: "google.protobuf.Value", problem: "no kind is set: json_format refuses it, and so does flytekit's hash" });
      }
    }
  }
  if (schema.typeName.startsWith("google.protobuf.")) {
    // Timestamp, Duration and the rest: protobuf JSON has one string for them, the same in both runtimes.
    return plainJson(toJson(schema, message));
  }
  const entries: [string, string][] = [];
  const record = message as unknown as Record<string, unknown>;
  for (const field of schema.fields) {
    if (!isFieldSet(message as never, field)) continue;
    const value = field.oneof !== undefined ? (record[field.oneof.localName] as { value: unknown }).value : record[field.localName];
    switch (field.fieldKind) {
      case "list":
        entries.push([field.jsonName, `[${(value as unknown[]).map((v) => valueJson(field, field.listKind, v)).join(",")}]`]);
        break;
      case "map":
        entries.push([field.jsonName, objectJson(Object.entries(value as Record<string, unknown>).map(([k, v]) => [k, valueJson(field, field.mapKind, v)]))]);
        break;
      default:
        entries.push([field.jsonName, valueJson(field, field.fieldKind, value)]);
    }
  }
  return objectJson(entries);
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

/** A character needing an escape in Python's json.dumps with ensure_ascii: quote, backslash, anything outside printable ASCII. */
const NEEDS_ESCAPE = /["\\\x00-\x1f\x7f-\uffff]/;
const SHORT_ESCAPES: Record<number, string> = { 0x22: '\\"', 0x5c: "\\\\", 0x0a: "\\n", 0x0d: "\\r", 0x09: "\\t", 0x08: "\\b", 0x0c: "\\f" };

/** Python's json string with ensure_ascii: every character outside printable ASCII as \uXXXX (UTF-16, lowercase hex). */
function pythonString(s: string): string {
  if (!NEEDS_ESCAPE.test(s)) return `"${s}"`;
  if (s.length > 256) return longPythonString(s);
  const parts: string[] = [];
  let from = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0x20 && c <= 0x7e && c !== 0x22 && c !== 0x5c) continue;
    if (i > from) parts.push(s.slice(from, i));
    parts.push(SHORT_ESCAPES[c] ?? `\\u${c < 0x1000 ? (c < 0x100 ? (c < 0x10 ? "000" : "00") : "0") : ""}${c.toString(16)}`);
    from = i + 1;
  }
  if (from < s.length) parts.push(s.slice(from));
  return `"${parts.join("")}"`;
}

const HEX = [..."0123456789abcdef"].map((c) => c.charCodeAt(0));
const SHORT_BYTES: Record<number, number> = { 0x22: 0x22, 0x5c: 0x5c, 0x0a: 0x6e, 0x0d: 0x72, 0x09: 0x74, 0x08: 0x62, 0x0c: 0x66 };

/** pythonString for a long text: the escapes written as bytes (all ASCII) into one buffer, ten times faster than joining parts. */
function longPythonString(s: string): string {
  const out = Buffer.allocUnsafe(s.length * 6 + 2);
  let o = 0;
  out[o++] = 0x22;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0x20 && c <= 0x7e && c !== 0x22 && c !== 0x5c) {
      out[o++] = c;
      continue;
    }
    out[o++] = 0x5c;
    const short = SHORT_BYTES[c];
    if (short !== undefined) {
      out[o++] = short;
      continue;
    }
    out[o++] = 0x75;
    out[o++] = HEX[(c >> 12) & 0xf]!;
    out[o++] = HEX[(c >> 8) & 0xf]!;
    out[o++] = HEX[(c >> 4) & 0xf]!;
    out[o++] = HEX[c & 0xf]!;
  }
  out[o++] = 0x22;
  return out.toString("latin1", 0, o);
}

const SURROGATE = /[\ud800-\udfff]/;

/** Python's sort of str keys: by code point. JavaScript's `<` compares UTF-16 units, which differs only where a surrogate is involved. */
function byCodePoint(a: string, b: string): number {
  if (!SURROGATE.test(a) && !SURROGATE.test(b)) return a < b ? -1 : a > b ? 1 : 0;
  const x = [...a];
  const y = [...b];
  for (let i = 0; i < Math.min(x.length, y.length); i++) {
    const d = x[i]!.codePointAt(0)! - y[i]!.codePointAt(0)!;
    if (d !== 0) return d;
  }
  return x.length - y.length;
}
