// A SQLite3Task's table against flytekit's own. The same query on the same database is run by the
// real flytekit 1.16.24 SQLite3Task (its template serialized by flytekit, run by the real
// pyflyte-execute, which returns pandas' read_sql_query DataFrame) and by ours (flytekit-ts-execute
// from our template); pandas reads both Parquet folders and they must be equal: values, dtypes,
// nulls. Then a TypeScript task downstream reads our table through core's API.
import { fromBinary, toBinary } from "@bufbuild/protobuf";
import { ContainerError_Kind, LiteralMapSchema, TaskTemplateSchema, type LiteralMap } from "@flytekit-ts/core/idl";
import { fromLiteralMap, toLiteralMap } from "@flytekit-ts/core/internal";
import { Dataset, functionTask, ImageConfig, Int, Schema, SerializationSettings, Str, Float, StructuredDataset, templateToBinary, toTaskTemplate, FlyteSchema } from "@flytekit-ts/core";
import { SQLite3Config, SQLite3Task } from "@flytekit-ts/plugins/sqlite";
import { valuesDatabase } from "../packages/plugins/src/sqlite/testing.js";
import type { Table } from "apache-arrow";
import { execFileSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { cleanEnv, EXECUTE_BIN, fillTemplates, readOutputs, runProcess, TEST_ROOT, workArea, type ExecuteResult } from "./support/execute.js";
import { ensureFlytekit, PY_DIR } from "./support/python.js";

// The tasks of test/interop/sqlite_tasks.py, written again in TypeScript.
const ALL = "select * from v order by id";
const DECLARED = { s: Str, id: Int, r: Float, big: Int };
const CASES = {
  schema_all: { query: ALL, type: Schema },
  dataset_all: { query: ALL, type: Dataset },
  schema_declared: { query: ALL, type: Schema.withColumns(DECLARED) },
  dataset_declared: { query: ALL, type: Dataset.withColumns(DECLARED) },
  dataset_empty: { query: "select id, s, r from v where id < 0", type: Dataset },
  dataset_mixed: { query: "select c from mixed", type: Dataset },
} as const;
type Case = keyof typeof CASES;

const settings = new SerializationSettings({ project: "p", domain: "d", version: "v1", imageConfig: ImageConfig.auto("ghcr.io/acme/sqlite-runner:1") });
const NO_INPUTS = toBinary(LiteralMapSchema, toLiteralMap({}, {}));
let python: string;
let pyflyteExecute: string;
let db: string;

beforeAll(async () => {
  ({ python, pyflyteExecute } = ensureFlytekit());
  db = await valuesDatabase();
}, 600_000);

/** Starts a template's container args (as Flyte fills them) with `bin` for their first word. */
async function runTemplate(bin: string[], templateBytes: Uint8Array, env: NodeJS.ProcessEnv): Promise<ExecuteResult & { raw: string }> {
  const template = fromBinary(TaskTemplateSchema, templateBytes);
  const area = workArea(NO_INPUTS);
  const templatePath = join(area.dir, "task_template.pb");
  writeFileSync(templatePath, templateBytes);
  const args = template.target.case === "container" ? template.target.value.args : [];
  const filled = fillTemplates(args, { inputs: area.inputs, outputPrefix: area.out, raw: area.raw }).map((a) => (a === "{{.taskTemplatePath}}" ? templatePath : a));
  expect(filled.filter((a) => a.includes("{{"))).toEqual([]);
  const [command, ...rest] = [...bin, ...filled.slice(1)];
  return { ...readOutputs(area.out, await runProcess(command!, rest, { cwd: TEST_ROOT, env })), raw: area.raw };
}

/** Each run once per file: several tests read the same tables. */
function once<R>(run: (name: Case) => Promise<R>): (name: Case) => Promise<R> {
  const runs = new Map<Case, Promise<R>>();
  return (name) => {
    let r = runs.get(name);
    if (r === undefined) runs.set(name, (r = run(name)));
    return r;
  };
}

/** flytekit's SQLite3Task for a case: its template written by flytekit, run by pyflyte-execute. */
const runFlytekit = once(async (name: Case) => {
  const file = join(mkdtempSync(join(tmpdir(), "flytekit-ts-sqlite-tt-")), "template.pb");
  execFileSync(python, ["sqlite_tasks.py", "template", name, db, file], { cwd: PY_DIR, stdio: ["ignore", "ignore", "pipe"] });
  const home = mkdtempSync(join(tmpdir(), "flytekit-ts-pyhome-"));
  return runTemplate([pyflyteExecute], readFileSync(file), { ...cleanEnv(), HOME: home, PYTHONDONTWRITEBYTECODE: "1" });
});

/** Ours for a case, in its container. */
function ourTask(name: Case): SQLite3Task {
  const { query, type } = CASES[name];
  return new SQLite3Task({ name: `sqlite_tables.${name}`, queryTemplate: query, outputSchemaType: type, taskConfig: new SQLite3Config({ uri: db }) });
}

const runOurs = once(async (name: Case) => runTemplate([process.execPath, EXECUTE_BIN], templateToBinary(toTaskTemplate(ourTask(name), settings)), cleanEnv()));

/** The uri of the table an execution wrote as `results`, and its literal's kind. */
function tableUri(r: ExecuteResult, who: string): { uri: string; kind: string } {
  expect(r.files, `${who}: ${r.error?.error?.message ?? r.stderr}`).toEqual(["outputs.pb"]);
  const v = r.outputs!.literals.results!.value;
  if (v.case !== "scalar" || (v.value.value.case !== "structuredDataset" && v.value.value.case !== "schema")) throw new Error(`${who}: results is not a table: ${v.case}`);
  return { uri: v.value.value.value.uri, kind: v.value.value.case };
}

interface Frame {
  columns: string[];
  dtypes: string[];
  rows: unknown[][];
}

/** pandas reads both folders (`columns`: a projection, as flytekit's readers apply declared columns) and checks them equal; the frame. */
function compareWithPandas(theirs: string, ours: string, columns: string[] = []): Frame {
  let out: string;
  try {
    out = execFileSync(python, ["sqlite_tasks.py", "compare", theirs, ours, ...columns], { cwd: PY_DIR, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
  } catch (e) {
    throw new Error(`pandas finds the tables different:\n${(e as { stderr?: string }).stderr ?? String(e)}`);
  }
  return JSON.parse(out.trim().split("\n").at(-1)!) as Frame;
}

/** Runs a case both ways; the two tables' uris. */
async function both(name: Case) {
  const [theirs, ours] = await Promise.all([runFlytekit(name), runOurs(name)]);
  return { theirs, ours, theirUri: tableUri(theirs, `flytekit ${name}`), ourUri: tableUri(ours, `flytekit-ts ${name}`) };
}

const ALL_COLUMNS = ["id", "i", "big", "r", "ir", "s", "b", "tb", "z", "at", "ok", "inf"];
// What pandas reads from flytekit's file, and from ours: INTEGER with a NULL is float64 with NaN in
// pandas either way (flytekit writes it as double, we as Int64 with a null), TEXT and BLOB objects.
const ALL_DTYPES = ["int64", "float64", "int64", "float64", "float64", "object", "object", "object", "object", "object", "float64", "float64"];
const ALL_ROWS = [
  [1, 10, "9007199254740993", 0.5, 1, "héllo", { hex: "000102" }, { hex: "74657874" }, null, "2024-05-01 12:30:00", 1, "inf"],
  [2, null, "-9007199254740993", null, 2.5, null, null, { hex: "ff" }, null, "2024-05-01 12:30:00.123456", 0, "-inf"],
  [3, -7, 0, -1e300, -3, "", { hex: "" }, { hex: "" }, null, null, null, 0],
];

describe("a SQLite3Task's table is the DataFrame flytekit's SQLite3Task gives (flytekit 1.16.24, read by pandas)", () => {
  it("Dataset and Schema without columns: every column, typed as read_sql_query types it", async () => {
    for (const name of ["dataset_all", "schema_all"] as const) {
      const { theirUri, ourUri } = await both(name);
      // flytekit writes a DataFrame as a StructuredDataset literal even for a Schema output; we write the declared kind.
      expect(theirUri.kind).toBe("structuredDataset");
      expect(ourUri.kind).toBe(name === "schema_all" ? "schema" : "structuredDataset");
      expect(readdirSync(ourUri.uri)).toEqual(["00000"]);
      const frame = compareWithPandas(theirUri.uri, ourUri.uri);
      expect(frame.columns).toEqual(ALL_COLUMNS);
      expect(frame.dtypes).toEqual(ALL_DTYPES);
      expect(frame.rows).toEqual(ALL_ROWS);
    }
  }, 120_000);

  it("declared columns: what a reader of the declared columns gets from flytekit's file, ours holding only those", async () => {
    for (const name of ["dataset_declared", "schema_declared"] as const) {
      const { theirUri, ourUri } = await both(name);
      const frame = compareWithPandas(theirUri.uri, ourUri.uri, Object.keys(DECLARED));
      expect(frame.columns).toEqual(["s", "id", "r", "big"]);
      expect(frame.dtypes).toEqual(["object", "int64", "float64", "int64"]);
      expect(frame.rows).toEqual([
        ["héllo", 1, 0.5, "9007199254740993"],
        [null, 2, null, "-9007199254740993"],
        ["", 3, -1e300, 0],
      ]);
      // flytekit keeps every column in its file and leaves the projection to readers; ours are the declared ones.
      expect(compareWithPandas(ourUri.uri, ourUri.uri).columns).toEqual(["s", "id", "r", "big"]);
    }
  }, 120_000);

  it("no rows: columns of nulls, which pandas reads as empty object columns in both", async () => {
    const { theirUri, ourUri } = await both("dataset_empty");
    expect(compareWithPandas(theirUri.uri, ourUri.uri)).toEqual({ columns: ["id", "s", "r"], dtypes: ["object", "object", "object"], rows: [] });
  }, 120_000);

  it("a column mixing INTEGER and TEXT fails in both (pyarrow cannot write pandas' objects); ours says which column and why", async () => {
    const [theirs, ours] = await Promise.all([runFlytekit("dataset_mixed"), runOurs("dataset_mixed")]);
    expect(theirs.files).toEqual(["error.pb"]);
    expect(theirs.error!.error!.message).toContain("failed to convert return value for var results");
    expect(ours.files).toEqual(["error.pb"]);
    expect(ours.error!.error).toMatchObject({ code: "SYSTEM", kind: ContainerError_Kind.NON_RECOVERABLE });
    expect(ours.error!.error!.message).toContain("task 'sqlite_tables.dataset_mixed', output 'results', column 'c': it mixes INTEGER and TEXT values (rows 1 and 2)");
  }, 120_000);

  it("the pandas check tells different tables apart", async () => {
    // Without this, a comparison that passed anything would prove nothing.
    const [all, declared] = await Promise.all([runOurs("dataset_all"), runOurs("dataset_declared")]);
    expect(() => compareWithPandas(tableUri(all, "all").uri, tableUri(declared, "declared").uri)).toThrow(/pandas finds the tables different/);
  }, 120_000);
});

describe("a TypeScript task downstream of a SQLite3Task reads its table through core", () => {
  it("takes the output literal as its input, reads the declared columns, and sees the values the query gave", async () => {
    const ours = await runOurs("dataset_all");
    const outputs: LiteralMap = ours.outputs!;
    expect(ours.files, ours.error?.error?.message ?? ours.stderr).toEqual(["outputs.pb"]);
    const summary = functionTask({ name: "downstream.summary", inputs: { results: Dataset.withColumns({ big: Int, s: Str, r: Float }) }, outputs: Str }, async ({ results }) => {
      const table: Table = await (results as StructuredDataset).all();
      const big = [...table.getChild("big")!] as bigint[];
      return `${table.schema.fields.map((f) => `${f.name}:${String(f.type)}`).join(",")} ${big.join(",")} ${JSON.stringify([...table.getChild("s")!])} ${[...table.getChild("r")!].join(",")}`;
    });
    const { results } = fromLiteralMap({ results: Dataset }, outputs, "input") as { results: StructuredDataset };
    expect(await summary({ results })).toBe('big:Int64,s:Utf8,r:Float64 9007199254740993,-9007199254740993,0 ["héllo",null,""] 0.5,,-1e+300');
    // And a Schema output, read as a FlyteSchema.
    const schemaRun = await runOurs("schema_declared");
    const read = functionTask({ name: "downstream.schema", inputs: { results: Schema.withColumns({ id: Int }) }, outputs: Int }, async ({ results }) => {
      const ids = [...(await (results as FlyteSchema).all()).getChild("id")!] as bigint[];
      return Number(ids.reduce((a, b) => a + b, 0n));
    });
    const schemaIn = fromLiteralMap({ results: Schema }, schemaRun.outputs!, "input") as { results: FlyteSchema };
    expect(await read({ results: schemaIn.results })).toBe(6);
  }, 120_000);
});
