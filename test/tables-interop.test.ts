// Tables between the real flytekit (1.16.24, pandas 2.3.3, pyarrow 26) and TypeScript, through the
// container contract on local files. A Python task (test/interop/table_tasks.py `produce`) returns
// one pandas DataFrame under each declaration flytekit has for a table; our flytekit-ts-execute
// reads each (test/support/table-tasks.ts) and must see what pyarrow sees of the same files, type
// for type and value for value (NaN is not null, nanoseconds are kept); it writes them anew under
// the same declarations, laid out as flytekit lays them out; and the next Python task must read
// them as the same DataFrames, dtypes and values, as it reads the ones Python wrote.
import { create, toBinary } from "@bufbuild/protobuf";
import { LiteralMapSchema, type LiteralMap } from "@flytekit-ts/core/idl";
import { readdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { executeArgs, outputsOf, runExecute, workArea, type ExecuteResult } from "./support/execute.js";
import { ensureFlytekit, runPyflyteExecute } from "./support/python.js";
import {
  CSV_ARROW,
  EXACT_ARROW,
  FRAME_ARROW,
  jsonOutput,
  TABLE_NAMES,
  tableLiteral,
  TYPED_ARROW,
  withoutMetadata,
  type PythonView,
  type TableName,
  type TypeScriptView,
} from "./support/tables-interop.js";

const TS_MODULE = "support/table-tasks.ts";
const EMPTY = new Uint8Array();
let pyflyteExecute: string;
/** produce's run, once for the file: what flytekit writes for each declaration. */
let produced: ExecuteResult;

beforeAll(async () => {
  ({ pyflyteExecute } = ensureFlytekit());
  produced = await runPython("produce", EMPTY);
  outputsOf(produced, "pyflyte-execute produce");
}, 600_000);

function runPython(task: string, inputs: LiteralMap | Uint8Array): Promise<ExecuteResult> {
  return runPyflyteExecute(pyflyteExecute, "table_tasks", task, inputs);
}

function runTypeScript(task: string, inputs: LiteralMap | Uint8Array): Promise<ExecuteResult> {
  const area = workArea(inputs);
  return runExecute(executeArgs(area, TS_MODULE, task), area.out);
}

/** The raw output prefix of a run (workArea's layout: out/ and raw/ side by side). */
function rawOf(r: ExecuteResult): string {
  return join(dirname(r.outDir), "raw");
}

/** The files of a dataset folder, hidden ones included (flytekit's CSV is the file `.csv`). */
function filesIn(folder: string): string[] {
  return readdirSync(folder).sort();
}

/** One output of a run as the input `name` of the next. */
function inputsFrom(outputs: LiteralMap, rename: Record<string, string>): LiteralMap {
  const literals = Object.fromEntries(Object.entries(rename).map(([to, from]) => [to, outputs.literals[from]!]));
  return create(LiteralMapSchema, { literals });
}

describe("tables from flytekit to TypeScript and back, on local files", () => {
  let python: Record<TableName, PythonView>;
  let typescript: Record<TableName, TypeScriptView>;
  let rewritten: ExecuteResult;
  let pythonOfRewritten: Record<TableName, PythonView>;

  beforeAll(async () => {
    const bytes = toBinary(LiteralMapSchema, produced.outputs!);
    const [py, ts, rw] = await Promise.all([runPython("views", bytes), runTypeScript("Tables.views", bytes), runTypeScript("Tables.rewrite", bytes)]);
    python = jsonOutput(outputsOf(py, "pyflyte-execute views"));
    typescript = jsonOutput(outputsOf(ts, "flytekit-ts-execute Tables.views"));
    rewritten = rw;
    pythonOfRewritten = jsonOutput(outputsOf(await runPython("views", outputsOf(rw, "flytekit-ts-execute Tables.rewrite")), "pyflyte-execute views of Tables.rewrite"));
  }, 180_000);

  it("flytekit wrote what the tests expect of it (pyarrow's reading of its files)", () => {
    // The reference the rest compares with: if flytekit, pandas or pyarrow change, this says so first.
    expect(python.plain.arrow).toEqual(FRAME_ARROW);
    expect(python.wrapped.arrow).toEqual(FRAME_ARROW);
    expect(python.typed.arrow).toEqual(TYPED_ARROW);
    expect(python.schema.arrow).toEqual(TYPED_ARROW);
    expect(python.parts.arrow).toEqual(FRAME_ARROW);
    expect(python.parts.parts).toEqual(["00000", "00001"]);
    expect(python.exact.arrow).toEqual(EXACT_ARROW);
  });

  it("TypeScript reads every Parquet table and FlyteSchema as pyarrow does: the same Arrow types and values", () => {
    for (const name of TABLE_NAMES.filter((n) => n !== "csv")) {
      expect(typescript[name].arrow, name).toEqual(python[name].arrow);
    }
    // Spelled out: NaN is not null, int64 past 2^53 is exact, nanoseconds below the microsecond are kept.
    const exact = typescript.exact.arrow.columns;
    expect(exact.find((c) => c.name === "f")!.values).toEqual([1, "NaN", null, "-Infinity"]);
    expect(exact.find((c) => c.name === "big")!.values).toEqual(["9223372036854775807", "-9223372036854775808", null, "9007199254740993"]);
    expect(exact.find((c) => c.name === "ns")).toEqual({ name: "ns", type: "timestamp[ns]", values: ["1714564800123456789", "-1", null, "0"] });
  });

  it("a declared column list is a projection: the declared columns only, in the declared order", () => {
    expect(typescript.typed.arrow.columns.map((c) => c.name)).toEqual(["id", "score", "name", "flag", "at_us"]);
    expect(typescript.schema.arrow.columns.map((c) => c.name)).toEqual(["id", "score", "name", "flag", "at_us"]);
  });

  it("CSV is read as its declared column types, a null being an empty field", () => {
    expect(typescript.csv.format).toBe("csv");
    expect(typescript.csv.arrow).toEqual(CSV_ARROW);
  });

  it("a table read in batches gives batches of at most the size asked, which together are the table", () => {
    for (const name of ["wrapped", "parts"] as const) {
      const { sizes, view } = typescript[name].batches!;
      expect(sizes.every((n) => n > 0 && n <= 3), `${name}: ${sizes.join(", ")}`).toBe(true);
      expect(sizes.reduce((a, b) => a + b, 0)).toBe(4);
      expect(view).toEqual(typescript[name].arrow);
    }
    // The reference is the uri flytekit wrote; its format, the literal's.
    expect(typescript.wrapped.uri).toBe(tableLiteral(produced.outputs!.literals.wrapped, "produce wrapped").uri);
    expect(typescript.wrapped.format).toBe("parquet");
  });

  it("TypeScript writes each table as flytekit does for the same declaration: the literal's type, the uri, the files", () => {
    const ours = outputsOf(rewritten, "flytekit-ts-execute Tables.rewrite");
    const theirs = produced.outputs!;
    expect(Object.keys(ours.literals).sort()).toEqual([...TABLE_NAMES].sort());
    for (const name of TABLE_NAMES) {
      const a = tableLiteral(ours.literals[name], `rewrite ${name}`);
      const b = tableLiteral(theirs.literals[name], `produce ${name}`);
      expect({ kind: a.kind, type: a.type }, name).toEqual({ kind: b.kind, type: b.type });
      // <raw output prefix>/<32 hex digits>, as flytekit's get_random_string (uuid4().hex).
      expect(a.uri, name).toMatch(new RegExp(`^${rawOf(rewritten)}/[0-9a-f]{32}$`));
      expect(b.uri, name).toMatch(new RegExp(`^${rawOf(produced)}/[0-9a-f]{32}$`));
      if (name === "parts") {
        // flytekit's schema writer made one part file per DataFrame it was given; ours, one or more, numbered alike.
        expect(filesIn(a.uri)[0]).toBe("00000");
        expect(filesIn(a.uri).every((f, i) => f === String(i).padStart(5, "0")), filesIn(a.uri).join(", ")).toBe(true);
      } else {
        expect(filesIn(a.uri), name).toEqual(filesIn(b.uri));
      }
    }
    expect(filesIn(tableLiteral(ours.literals.csv, "csv").uri)).toEqual([".csv"]);
    expect(filesIn(tableLiteral(ours.literals.plain, "plain").uri)).toEqual(["00000"]);
  });

  it("the next Python task reads each table TypeScript wrote as the same DataFrame it reads from Python's: dtypes, values, index", () => {
    for (const name of TABLE_NAMES) {
      expect(pythonOfRewritten[name].pandas, name).toEqual(python[name].pandas);
    }
  });

  it("and pyarrow reads the same Arrow types and values in TypeScript's files as in Python's", () => {
    for (const name of TABLE_NAMES.filter((n) => n !== "csv")) {
      expect(withoutMetadata(pythonOfRewritten[name].arrow!), name).toEqual(withoutMetadata(python[name].arrow!));
    }
  });

  it("a table passed through whole keeps pandas' metadata, so pandas gets its own dtypes back (Int64 with NA)", () => {
    expect(pythonOfRewritten.plain.arrow!.metadata).toEqual(["pandas"]);
    const count = pythonOfRewritten.plain.pandas.columns.find((c) => c.name === "count");
    expect(count).toEqual({ name: "count", dtype: "Int64", values: ["1", "NA", "3", "-4"] });
  });
});

describe("tables made in TypeScript, read by flytekit", () => {
  let python: Record<TableName, PythonView>;
  let reference: Record<TableName, PythonView>;
  let made: LiteralMap;

  beforeAll(async () => {
    const [ts, ref] = await Promise.all([runTypeScript("Tables.make", EMPTY), runPython("views", produced.outputs!)]);
    made = outputsOf(ts, "flytekit-ts-execute Tables.make");
    reference = jsonOutput(outputsOf(ref, "pyflyte-execute views"));
    python = jsonOutput(outputsOf(await runPython("views", made), "pyflyte-execute views of Tables.make"));
  }, 180_000);

  it("pyarrow reads in TypeScript's files the Arrow types and values it reads in pandas' own (pandas' metadata aside)", () => {
    for (const name of TABLE_NAMES.filter((n) => n !== "csv")) {
      expect(python[name].arrow, name).toEqual(withoutMetadata(reference[name].arrow!));
    }
  });

  it("pandas reads the same DataFrames, but for a nullable integer, which without pandas' metadata is float64 (as from any file pyarrow writes)", () => {
    for (const name of TABLE_NAMES) {
      const ours = python[name].pandas;
      const theirs = reference[name].pandas;
      const expected = {
        ...theirs,
        columns: theirs.columns.map((c) => (c.name === "count" ? { name: "count", dtype: "float64", values: [1, "NaN", 3, -4] } : c)),
      };
      expect(ours, name).toEqual(expected);
    }
  });

  it("nanoseconds a TypeScript table holds reach pandas whole (flytekit's own pandas encoder refuses them)", async () => {
    const ns = python.exact.pandas.columns.find((c) => c.name === "ns");
    expect(ns).toEqual({ name: "ns", dtype: "datetime64[ns]", values: ["ts:2024-05-01T12:00:00.123456789", "ts:1969-12-31T23:59:59.999999999", "NaT", "ts:1970-01-01T00:00:00"] });
    const refused = await runPython("refuses_nanoseconds", EMPTY);
    expect(refused.files).toEqual(["error.pb"]);
    expect(refused.error!.error!.message).toContain("Casting from timestamp[ns] to timestamp[us] would lose data: 1714564800123456789");
  });

  it("the literals are flytekit's for the same declarations", () => {
    const theirs = produced.outputs!;
    for (const name of TABLE_NAMES) {
      const a = tableLiteral(made.literals[name], `make ${name}`);
      const b = tableLiteral(theirs.literals[name], `produce ${name}`);
      expect({ kind: a.kind, type: a.type }, name).toEqual({ kind: b.kind, type: b.type });
    }
  });
});

describe("a declared column subset reads only those columns of a wider table", () => {
  it("in TypeScript, from the table pandas wrote", async () => {
    const r = await runTypeScript("Tables.narrow", inputsFrom(produced.outputs!, { df: "plain" }));
    const view = jsonOutput(outputsOf(r, "flytekit-ts-execute Tables.narrow"));
    expect(view).toEqual({ rows: 4, metadata: ["pandas"], columns: [FRAME_ARROW.columns[2], FRAME_ARROW.columns[0]] });
  }, 60_000);

  it("in Python, from the table TypeScript wrote", async () => {
    const made = outputsOf(await runTypeScript("Tables.make", EMPTY), "flytekit-ts-execute Tables.make");
    const r = await runPython("narrow", inputsFrom(made, { df: "plain" }));
    expect(jsonOutput(outputsOf(r, "pyflyte-execute narrow"))).toEqual({
      rows: 4,
      index: { kind: "RangeIndex", values: ["0", "1", "2", "3"] },
      columns: [
        { name: "name", dtype: "object", values: ["a", null, "ü ✓", ""] },
        { name: "id", dtype: "int64", values: ["1", "-2", "4611686018427387905", "0"] },
      ],
    });
  }, 60_000);
});
