// `flytekit-ts run --json`: a task's outputs as one JSON document, each value in a form a program
// reads back without loss, and that a JSON flag (`--x '...'`) takes again:
//
//   Int             a JSON number with every digit, also beyond 2^53 (a bigint is written as its digits)
//   Float           a JSON number; NaN, Infinity and -Infinity, which JSON has no number for, as strings
//   Str, Bool, None a string, true/false, null
//   Datetime        an ISO 8601 string in UTC (Date.toISOString: 2024-05-01T12:00:00.000Z)
//   Duration        a number of seconds (90.5), as a record's JSON holds one
//   File, Directory their path or URI, as a string; a StructuredDataset (and a Schema) its uri
//   Enum            its value (a string)
//   List, Dict      an array, an object
//   a record        an object of its declared fields, by the names its literal uses, in declaration order
//                   (each type's toJsonValue gives this form; what it leaves is written here)
//   a Map           an object when every key is a string, else an array of [key, value] pairs
//   Json            the object as it is
import { randomBytes } from "node:crypto";
import { FlyteDirectory, FlyteFile, FlyteSchema, StructuredDataset } from "@flytekit-ts/core";
import type { AnyFlyteType } from "@flytekit-ts/core/extend";

/** Named values of their types (a task's outputs) as one JSON document. */
export function outputsDocument(outputs: readonly { name: string; type: AnyFlyteType; value: unknown }[]): string {
  const document: Record<string, unknown> = {};
  for (const o of outputs) document[o.name] = o.type.toJsonValue(o.value);
  return toJsonDocument(document);
}

/** A JSON text of a value whose numbers may be bigints, written with all their digits. */
export function toJsonDocument(value: unknown): string {
  const bigints: string[] = [];
  // JSON.stringify cannot write a bigint: each stands in as a string no value holds, replaced after.
  const marker = `bigint-${randomBytes(8).toString("hex")}-`;
  const text = JSON.stringify(plainJson(value, 0, marker, bigints), null, 2);
  return bigints.length === 0 ? text : text.replace(new RegExp(`"${marker}(\\d+)"`, "g"), (_, i: string) => bigints[Number(i)]!);
}

const MAX_DEPTH = 256;

function plainJson(value: unknown, depth: number, marker: string, bigints: string[]): unknown {
  if (depth > MAX_DEPTH) throw new RangeError(`a value nested deeper than ${MAX_DEPTH} levels`);
  const next = (v: unknown) => plainJson(v, depth + 1, marker, bigints);
  if (value === null || value === undefined) return null;
  switch (typeof value) {
    case "bigint":
      bigints.push(value.toString());
      return `${marker}${bigints.length - 1}`;
    case "number":
      return Number.isFinite(value) ? value : String(value);
    case "string":
    case "boolean":
      return value;
    case "object":
      break;
    default:
      return String(value);
  }
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? null : value.toISOString();
  if (value instanceof FlyteFile || value instanceof FlyteDirectory) return value.path;
  if (value instanceof StructuredDataset || value instanceof FlyteSchema) return value.uri;
  if (Array.isArray(value)) return value.map(next);
  if (value instanceof Map) {
    const entries = [...(value as Map<unknown, unknown>).entries()];
    if (entries.every(([k]) => typeof k === "string")) return objectOf(entries.map(([k, v]) => [k as string, next(v)]));
    return entries.map(([k, v]) => [next(k), next(v)]);
  }
  return objectOf(Object.entries(value as Record<string, unknown>).map(([k, v]) => [k, next(v)]));
}

/** An object from entries, a `__proto__` key kept as an own property. */
function objectOf(entries: [string, unknown][]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of entries) Object.defineProperty(out, k, { value: v, enumerable: true, writable: true, configurable: true });
  return out;
}
