// What the table interop tests (test/tables-interop.test.ts on local files,
// test/tables-cluster-s3.test.ts on MinIO) share: the views test/interop/table_tasks.py and
// test/support/table-tasks.ts give of a table, what they hold for the tables of `produce`, and the
// literal a table output is, as the tests compare it with flytekit's.
import { create, toJson } from "@bufbuild/protobuf";
import { LiteralMapSchema, LiteralSchema, SchemaTypeSchema, StructuredDatasetTypeSchema, type Literal, type LiteralMap } from "@flytekit-ts/core/idl";
import { Str } from "@flytekit-ts/core";
import { execFileSync } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ensureFlytekit, PY_DIR } from "./python.js";
import type { ArrowView } from "./table-tasks.js";

export type { ArrowView };

/** What pandas holds: each column's dtype and values, and the index (table_tasks.py's `pandas_view`). */
export interface PandasView {
  rows: number;
  index: { kind: string; values: unknown[] };
  columns: { name: string; dtype: string; values: unknown[] }[];
}

/** What Python's `views` says of one table: pandas' reading, pyarrow's (Parquet only), the part files (FlyteSchema). */
export interface PythonView {
  pandas: PandasView;
  arrow?: ArrowView;
  parts?: string[];
}

/** What TypeScript's `views` says of one table. */
export interface TypeScriptView {
  arrow: ArrowView;
  batches?: { sizes: number[]; view: ArrowView };
  uri?: string;
  format?: string;
}

/** The names of produce's outputs, one per declaration flytekit has for a table. */
export const TABLE_NAMES = ["plain", "wrapped", "typed", "csv", "schema", "parts", "exact"] as const;
export type TableName = (typeof TABLE_NAMES)[number];

/** The JSON text a task returned as its one string output. */
export function jsonOutput<T>(outputs: LiteralMap): T {
  return JSON.parse(Str.fromLiteral(outputs.literals.o0!) as string) as T;
}

/** A table literal as the tests compare it: which kind, where, and its type (StructuredDatasetType or SchemaType) as JSON. */
export interface TableLiteral {
  kind: "structuredDataset" | "schema";
  uri: string;
  type: unknown;
}

export function tableLiteral(literal: Literal | undefined, who: string): TableLiteral {
  const v = literal?.value;
  if (v?.case === "scalar" && v.value.value.case === "structuredDataset") {
    const sd = v.value.value.value;
    const type = sd.metadata?.structuredDatasetType;
    return { kind: "structuredDataset", uri: sd.uri, type: type === undefined ? null : toJson(StructuredDatasetTypeSchema, type) };
  }
  if (v?.case === "scalar" && v.value.value.case === "schema") {
    const s = v.value.value.value;
    return { kind: "schema", uri: s.uri, type: s.type === undefined ? null : toJson(SchemaTypeSchema, s.type) };
  }
  throw new Error(`${who} is not a table literal: ${JSON.stringify(v?.case)}`);
}

/** `view` without the schema's metadata keys (what pandas adds to the files it writes). */
export function withoutMetadata(view: ArrowView): ArrowView {
  return { ...view, metadata: [] };
}

// ---- the tables of produce, as Arrow holds them (pyarrow's reading of the files flytekit wrote) ----

const FRAME_COLUMNS: ArrowView["columns"] = [
  { name: "id", type: "int64", values: ["1", "-2", "4611686018427387905", "0"] },
  // pandas wrote its NaN as a null; -0 stays -0.
  { name: "score", type: "double", values: [1.5, null, "-0", 1e300] },
  { name: "name", type: "string", values: ["a", null, "ü ✓", ""] },
  { name: "flag", type: "bool", values: [true, false, true, false] },
  { name: "maybe", type: "bool", values: [true, null, false, null] },
  // 2262-04-12 is past what datetime64[ns] holds: it must never pass through nanoseconds.
  { name: "at_us", type: "timestamp[us]", values: ["1714564800123456", "-1", null, "9223372800000000"] },
  // A datetime64[ns] column, stored in microseconds by flytekit's encoder (coerce_timestamps="us").
  { name: "at_ns", type: "timestamp[us]", values: ["1714564800000001", null, "0", "951868799999999"] },
  { name: "at_utc", type: "timestamp[us, tz=UTC]", values: ["1714564800500000", "1714521600000000", null, "-2208988800000000"] },
  { name: "day", type: "date32[day]", values: ["19844", null, "-1", "11016"] },
  { name: "count", type: "int64", values: ["1", null, "3", "-4"] },
];

/** frame() of table_tasks.py as written by pandas: every column, and pandas' metadata. */
export const FRAME_ARROW: ArrowView = { rows: 4, metadata: ["pandas"], columns: FRAME_COLUMNS };

/** The declared columns (TYPED) of the same frame, in their declared order. */
export const TYPED_ARROW: ArrowView = { rows: 4, metadata: ["pandas"], columns: ["id", "score", "name", "flag", "at_us"].map((n) => FRAME_COLUMNS.find((c) => c.name === n)!) };

/** exact_table() of table_tasks.py, written by pyarrow: a NaN beside a null, nanoseconds below the microsecond. */
export const EXACT_ARROW: ArrowView = {
  rows: 4,
  metadata: [],
  columns: [
    { name: "f", type: "double", values: [1, "NaN", null, "-Infinity"] },
    { name: "ns", type: "timestamp[ns]", values: ["1714564800123456789", "-1", null, "0"] },
    { name: "ns_utc", type: "timestamp[ns, tz=UTC]", values: ["1714564800123456789", "1", "2", null] },
    { name: "ms", type: "timestamp[ms]", values: ["1714564800123", null, "0", "-1"] },
    { name: "i32", type: "int32", values: ["1", null, "-2147483648", "2147483647"] },
    { name: "big", type: "int64", values: ["9223372036854775807", "-9223372036854775808", null, "9007199254740993"] },
    { name: "s", type: "string", values: ["x", null, "", "é"] },
  ],
};

/** csv_frame() of table_tasks.py, as its declared columns say to read pandas' text: a null is an empty field. */
export const CSV_ARROW: ArrowView = {
  rows: 3,
  metadata: [],
  columns: [
    { name: "id", type: "int64", values: ["1", "-2", "4611686018427387905"] },
    { name: "score", type: "double", values: [1.5, null, -0.25] },
    { name: "name", type: "string", values: ["a", null, 'b, "quoted"'] },
    { name: "flag", type: "bool", values: [true, false, true] },
    { name: "at", type: "timestamp[us]", values: ["1714564800123456", "-1000000", null] },
  ],
};

// ---- bad input -------------------------------------------------------------------------------

/**
 * The dataset folders of table_tasks.py's `write_bad_inputs` (written by pyarrow in a new temporary
 * folder), by name: good, not-parquet, truncated, lacks-name, name-is-int, empty, ragged-short-csv, ...
 */
export function writeBadInputs(): Record<string, string> {
  const { python } = ensureFlytekit();
  const dir = mkdtempSync(join(tmpdir(), "flytekit-ts-bad-tables-"));
  const script = "import json, sys, table_tasks; print(json.dumps(table_tasks.write_bad_inputs(sys.argv[1])))";
  const out = execFileSync(python, ["-c", script, dir], { cwd: PY_DIR, env: { ...process.env, PYTHONPATH: PY_DIR, PYTHONDONTWRITEBYTECODE: "1" }, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
  return JSON.parse(out.trim().split("\n").pop()!) as Record<string, string>;
}

/** The inputs `{ df }` of a StructuredDataset literal at `uri`, in `format`, with no columns (what an upstream task without a declaration writes). */
export function datasetInputs(uri: string, format: string, name = "df"): LiteralMap {
  const literal = create(LiteralSchema, {
    value: { case: "scalar", value: { value: { case: "structuredDataset", value: { uri, metadata: { structuredDatasetType: { format } } } } } },
  });
  return create(LiteralMapSchema, { literals: { [name]: literal } });
}

/** The inputs `{ s }` of an untyped Schema literal at `uri`. */
export function schemaInputs(uri: string, name = "s"): LiteralMap {
  const literal = create(LiteralSchema, { value: { case: "scalar", value: { value: { case: "schema", value: { uri, type: { columns: [] } } } } } });
  return create(LiteralMapSchema, { literals: { [name]: literal } });
}
