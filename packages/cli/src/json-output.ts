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
//   Json            the object as it is; a dict whose keys are not all strings (a Map) as an array of
//                   [key, value] pairs, which a Json flag reads back as that dict
//
// What has no such form is refused with a FlyteError naming the output and the place in it, rather
// than written in a form that reads back as something else: bytes, a Map whose keys are not all
// strings below the top of a Json, NaN or an infinity inside a Json (only a Float says they are
// numbers), a value nested deeper than MAX_NESTING.
import { randomBytes } from "node:crypto";
import { FlyteDirectory, FlyteFile, FlyteSchema, StructuredDataset, TypeTransformerError } from "@flytekit-ts/core";
import type { AnyFlyteType } from "@flytekit-ts/core/extend";
import { isArrowTable, MAX_NESTING } from "@flytekit-ts/core/internal";
import { CliError } from "./discover.js";

/** Named values of their types (a task's outputs) as one JSON document. */
export function outputsDocument(outputs: readonly { name: string; type: AnyFlyteType; value: unknown }[]): string {
  const writer = new PlainJson();
  const document = objectOf(
    outputs.map((o) => {
      const subject = `output '${o.name}'`;
      let value: unknown;
      try {
        value = o.type.toJsonValue(o.value);
      } catch (e) {
        if (e instanceof TypeTransformerError) throw e.at(subject);
        throw e;
      }
      return [o.name, writer.of(value, subject)];
    }),
  );
  return writer.text(document);
}

/** A JSON text of a value whose numbers may be bigints, written with all their digits. */
export function toJsonDocument(value: unknown): string {
  const writer = new PlainJson();
  return writer.text(writer.of(value, "value"));
}

/** Turns values into what JSON.stringify writes as they should be (bigints as stand-ins), or refuses them. */
class PlainJson {
  private readonly bigints: string[] = [];
  // JSON.stringify cannot write a bigint: each stands in as a string no value holds, replaced after.
  private readonly marker = `bigint-${randomBytes(8).toString("hex")}-`;

  /** The JSON text of what `of` made. */
  text(plain: unknown): string {
    const text = JSON.stringify(plain, null, 2);
    return this.bigints.length === 0 ? text : text.replace(new RegExp(`"${this.marker}(\\d+)"`, "g"), (_, i: string) => this.bigints[Number(i)]!);
  }

  of(value: unknown, subject: string, path = "", depth = 0): unknown {
    if (value === null || value === undefined) return null;
    switch (typeof value) {
      case "bigint":
        this.bigints.push(value.toString());
        return `${this.marker}${this.bigints.length - 1}`;
      case "number":
        if (Number.isFinite(value)) return value;
        throw refusal(subject, path, value, "JSON has no number for it, and a string would read back as a string; a Float output or field writes it as \"NaN\", \"Infinity\" or \"-Infinity\"");
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
    // A whole table: its rows, as objects by column name.
    if (isArrowTable(value)) return this.of(value.toArray().map((row: { toJSON(): unknown }) => row.toJSON()), subject, path, depth);
    if (ArrayBuffer.isView(value)) throw refusal(subject, path, value, "bytes have no JSON form (Python's json refuses them too)");
    const inner = depth + 1;
    if (inner > MAX_NESTING) throw refusal(subject, path, value, `it nests deeper than ${MAX_NESTING} levels, the most flytekit-ts reads`);
    if (Array.isArray(value)) return value.map((v, i) => this.of(v, subject, `${path}[${i}]`, inner));
    if (value instanceof Map) {
      const entries = [...(value as Map<unknown, unknown>).entries()];
      if (!entries.every(([k]) => typeof k === "string")) {
        throw refusal(subject, path, value, "JSON's keys are strings, and below the top of a Json an array of [key, value] pairs would read back as a list");
      }
      return objectOf(entries.map(([k, v]) => [k as string, this.of(v, subject, `${path}[${JSON.stringify(k)}]`, inner)]));
    }
    return objectOf(Object.entries(value as Record<string, unknown>).map(([k, v]) => [k, this.of(v, subject, `${path}[${JSON.stringify(k)}]`, inner)]));
  }
}

/** Why a value cannot be printed as JSON that reads back as it. */
function refusal(subject: string, path: string, value: unknown, problem: string): CliError {
  const what = ArrayBuffer.isView(value) ? `${value.byteLength} bytes` : value instanceof Map ? `a Map of ${value.size} entries` : Array.isArray(value) ? "an array" : typeof value === "object" ? "an object" : String(value);
  return new CliError({
    subject,
    path: path === "" ? undefined : path,
    expected: "a value JSON holds so that it reads back",
    got: what,
    problem,
    fix: "run without --json to see it printed",
  });
}

/** An object from entries, a `__proto__` key kept as an own property. */
function objectOf(entries: [string, unknown][]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of entries) Object.defineProperty(out, k, { value: v, enumerable: true, writable: true, configurable: true });
  return out;
}
