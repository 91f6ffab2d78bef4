// Tables between the real flytekit (1.16.24, pandas 2.3.3, pyarrow 26) and TypeScript as a cluster
// runs them, on a real MinIO: every --inputs, --output-prefix and --raw-output-data-prefix is a
// bucket URI, and both SDKs find the store through flytekit's own configuration (FLYTE_AWS_*).
// test/interop/table_tasks.py's `produce` writes a DataFrame under each declaration flytekit has
// (Parquet, CSV, FlyteSchema); test/support/table-tasks.ts reads each and writes it anew; the next
// Python task reads TypeScript's tables from the bucket as the same DataFrames it reads from
// Python's; and the objects TypeScript leaves in the bucket are laid out as flytekit's are. Bad
// input in the bucket is refused with a clear error, and an output that fails while being written
// leaves nothing in it.
import { create, fromBinary, toBinary } from "@bufbuild/protobuf";
import { ContainerError_Kind, ErrorDocumentSchema, ExecutionError_ErrorKind, LiteralMapSchema, type ErrorDocument, type LiteralMap } from "@flytekit-ts/core/idl";
import { GetObjectCommand, ListObjectsV2Command, PutObjectCommand } from "@aws-sdk/client-s3";
import { mkdtempSync, readdirSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cleanEnv, EXECUTE_BIN, executeArgs, runProcess, TEST_ROOT, type ProcessResult } from "./support/execute.js";
import { nodeUris, startMinio, type Minio } from "./support/minio.js";
import { ensureFlytekit, PY_DIR } from "./support/python.js";
import { CSV_ARROW, datasetInputs, EXACT_ARROW, FRAME_ARROW, jsonOutput, TABLE_NAMES, tableLiteral, withoutMetadata, writeBadInputs, type PythonView, type TableName, type TypeScriptView } from "./support/tables-interop.js";

const BUCKET = "flyte";
const EMPTY_MAP = create(LiteralMapSchema, { literals: {} });
let minio: Minio;
let pyflyteExecute: string;

beforeAll(async () => {
  ({ pyflyteExecute } = ensureFlytekit());
  minio = await startMinio([BUCKET]);
}, 600_000);

afterAll(async () => {
  await minio?.stop();
});

/** A node's URIs in the bucket, as propeller lays them out. */
const node = (name: string) => nodeUris(BUCKET, name);
type Node = ReturnType<typeof node>;

function split(uri: string): { bucket: string; key: string } {
  const [, bucket, key] = /^s3:\/\/([^/]+)\/(.*)$/.exec(uri)!;
  return { bucket: bucket!, key: key! };
}

async function getObject(uri: string): Promise<Uint8Array | undefined> {
  const { bucket, key } = split(uri);
  try {
    const r = await minio.client.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
    return await r.Body!.transformToByteArray();
  } catch (e) {
    if ((e as Error).name === "NoSuchKey") return undefined;
    throw e;
  }
}

async function putObject(uri: string, bytes: Uint8Array | string): Promise<void> {
  const { bucket, key } = split(uri);
  await minio.client.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: typeof bytes === "string" ? new TextEncoder().encode(bytes) : bytes }));
}

/** Every key under a folder uri, relative to it. */
async function keysUnder(uri: string): Promise<string[]> {
  const { bucket, key } = split(uri.replace(/\/$/, ""));
  const keys: string[] = [];
  let token: string | undefined;
  do {
    const r = await minio.client.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: `${key}/`, ContinuationToken: token }));
    keys.push(...(r.Contents ?? []).map((o) => o.Key!.slice(key.length + 1)));
    token = r.NextContinuationToken;
  } while (token !== undefined);
  return keys.sort();
}

/** What a run left at its output prefix: outputs.pb (else the test fails with its error). */
async function outputsIn(at: Node, who: string, run: ProcessResult): Promise<LiteralMap> {
  const files = await keysUnder(at.out);
  const error = files.find((f) => f.startsWith("error"));
  const detail = error !== undefined ? fromBinary(ErrorDocumentSchema, (await getObject(`${at.out}/${error}`))!).error?.message : "";
  expect(files, `${who} wrote ${files.join(", ") || "nothing"}: ${detail}\n${run.stderr}${run.stdout}`).toEqual(["outputs.pb"]);
  return fromBinary(LiteralMapSchema, (await getObject(`${at.out}/outputs.pb`))!);
}

/** The error document a run left at its output prefix (else the test fails with what it left). */
async function errorIn(at: Node, run: ProcessResult): Promise<ErrorDocument> {
  const files = await keysUnder(at.out);
  expect(files, `${run.stderr}${run.stdout}`).toEqual(["error.pb"]);
  return fromBinary(ErrorDocumentSchema, (await getObject(`${at.out}/error.pb`))!);
}

function containerEnv(): NodeJS.ProcessEnv {
  return { ...cleanEnv(), ...minio.env, HOME: mkdtempSync(join(tmpdir(), "flytekit-ts-home-")) };
}

/** pyflyte-execute for a task of test/interop/table_tasks.py at a node, its inputs put there first. */
async function runPython(task: string, at: Node, inputs: LiteralMap): Promise<ProcessResult> {
  await putObject(at.inputs, toBinary(LiteralMapSchema, inputs));
  const args = executeArgs(at, "table_tasks", task, "flytekit.core.python_auto_container.default_task_resolver");
  return runProcess(pyflyteExecute, args, { cwd: PY_DIR, env: { ...containerEnv(), PYTHONPATH: PY_DIR, PYTHONDONTWRITEBYTECODE: "1" } });
}

/** flytekit-ts-execute for a task of test/support/table-tasks.ts at a node, its inputs put there first. */
async function runTypeScript(task: string, at: Node, inputs: LiteralMap): Promise<ProcessResult> {
  await putObject(at.inputs, toBinary(LiteralMapSchema, inputs));
  const args = [EXECUTE_BIN, ...executeArgs(at, "support/table-tasks.ts", task)];
  return runProcess(process.execPath, args, { cwd: TEST_ROOT, env: containerEnv() });
}

const SYSTEM_FINAL = { kind: ContainerError_Kind.NON_RECOVERABLE, origin: ExecutionError_ErrorKind.SYSTEM };

describe("tables on MinIO: Python → TypeScript → Python, every URI in the bucket", () => {
  const produce = node("t0-produce");
  const views = node("t1-views");
  const rewrite = node("t1-rewrite");
  const pyViews = node("t2-views");
  const pyViewsOfRewrite = node("t2-views-of-rewrite");
  let produced: LiteralMap;
  let rewritten: LiteralMap;
  let python: Record<TableName, PythonView>;
  let typescript: Record<TableName, TypeScriptView>;
  let pythonOfRewritten: Record<TableName, PythonView>;

  beforeAll(async () => {
    produced = await outputsIn(produce, "pyflyte-execute produce", await runPython("produce", produce, EMPTY_MAP));
    const [py, ts, rw] = await Promise.all([runPython("views", pyViews, produced), runTypeScript("Tables.views", views, produced), runTypeScript("Tables.rewrite", rewrite, produced)]);
    python = jsonOutput(await outputsIn(pyViews, "pyflyte-execute views", py));
    typescript = jsonOutput(await outputsIn(views, "flytekit-ts-execute Tables.views", ts));
    rewritten = await outputsIn(rewrite, "flytekit-ts-execute Tables.rewrite", rw);
    pythonOfRewritten = jsonOutput(await outputsIn(pyViewsOfRewrite, "pyflyte-execute views of Tables.rewrite", await runPython("views", pyViewsOfRewrite, rewritten)));
  }, 240_000);

  it("TypeScript reads each table from the bucket as pyarrow does: Parquet, FlyteSchema (two part files), CSV by its declared types", () => {
    expect(python.plain.arrow).toEqual(FRAME_ARROW);
    expect(python.exact.arrow).toEqual(EXACT_ARROW);
    expect(python.parts.parts).toEqual(["00000", "00001"]);
    for (const name of TABLE_NAMES.filter((n) => n !== "csv")) {
      expect(typescript[name].arrow, name).toEqual(python[name].arrow);
    }
    expect(typescript.csv.arrow).toEqual(CSV_ARROW);
    expect(typescript.wrapped.uri).toMatch(new RegExp(`^${produce.raw}/[0-9a-f]{32}$`));
  });

  it("TypeScript's tables are in the bucket as flytekit lays them out: <raw>/<32 hex>/00000, <raw>/<32 hex>/.csv; the literal's type is flytekit's", async () => {
    for (const name of TABLE_NAMES) {
      const ours = tableLiteral(rewritten.literals[name], `rewrite ${name}`);
      const theirs = tableLiteral(produced.literals[name], `produce ${name}`);
      expect({ kind: ours.kind, type: ours.type }, name).toEqual({ kind: theirs.kind, type: theirs.type });
      expect(ours.uri, name).toMatch(new RegExp(`^${rewrite.raw}/[0-9a-f]{32}$`));
      expect(theirs.uri, name).toMatch(new RegExp(`^${produce.raw}/[0-9a-f]{32}$`));
      const [ourKeys, theirKeys] = [await keysUnder(ours.uri), await keysUnder(theirs.uri)];
      if (name === "parts") expect(ourKeys.every((k, i) => k === String(i).padStart(5, "0")) && ourKeys.length > 0, ourKeys.join(", ")).toBe(true);
      else expect(ourKeys, name).toEqual(theirKeys);
    }
    expect(await keysUnder(tableLiteral(rewritten.literals.csv, "csv").uri)).toEqual([".csv"]);
    expect(await keysUnder(tableLiteral(rewritten.literals.wrapped, "wrapped").uri)).toEqual(["00000"]);
    // Nothing else under the node's raw prefix: no temporary files, no folder markers.
    const tableFolders = TABLE_NAMES.map((n) => tableLiteral(rewritten.literals[n], n).uri.slice(rewrite.raw.length + 1));
    const stray = (await keysUnder(rewrite.raw)).filter((k) => !tableFolders.includes(k.split("/")[0]!));
    expect(stray).toEqual([]);
  });

  it("the next Python task reads TypeScript's tables from the bucket as the same DataFrames as Python's", () => {
    for (const name of TABLE_NAMES) {
      expect(pythonOfRewritten[name].pandas, name).toEqual(python[name].pandas);
      if (name !== "csv") expect(withoutMetadata(pythonOfRewritten[name].arrow!), name).toEqual(withoutMetadata(python[name].arrow!));
    }
  });

  it("tables made in TypeScript reach Python through the bucket with the values it wrote", async () => {
    const make = node("t3-make");
    const made = await outputsIn(make, "flytekit-ts-execute Tables.make", await runTypeScript("Tables.make", make, EMPTY_MAP));
    const check = node("t4-views-of-make");
    const seen = jsonOutput<Record<TableName, PythonView>>(await outputsIn(check, "pyflyte-execute views of Tables.make", await runPython("views", check, made)));
    for (const name of TABLE_NAMES.filter((n) => n !== "csv")) {
      expect(seen[name].arrow, name).toEqual(withoutMetadata(python[name].arrow!));
    }
    expect(seen.csv.pandas).toEqual(python.csv.pandas);
  }, 120_000);
});

describe("bad tables in the bucket, through flytekit-ts-execute", () => {
  /** The bad-input folders of table_tasks.py's write_bad_inputs, uploaded under data/<name>. */
  const data = (name: string) => `s3://${BUCKET}/data/${name}`;

  beforeAll(async () => {
    const folders = writeBadInputs();
    for (const name of ["not-parquet", "lacks-name", "name-is-int", "ragged-short-csv"]) {
      for (const file of readdirSync(folders[name]!)) await putObject(`${data(name)}/${file}`, readFileSync(join(folders[name]!, file)));
    }
  }, 60_000);

  it("a part file that is not Parquet: SYSTEM, NON_RECOVERABLE, naming the task, the input and the file in the bucket", async () => {
    const at = node("b0-not-parquet");
    const doc = await errorIn(at, await runTypeScript("Tables.count", at, datasetInputs(data("not-parquet"), "parquet")));
    expect(doc.error).toMatchObject(SYSTEM_FINAL);
    const message = doc.error!.message;
    expect(message).toContain("support.table-tasks.Tables.count");
    expect(message).toContain("input 'df'");
    expect(message).toContain(`${data("not-parquet")}/00000`);
    expect(message).toMatch(/parquet/i);
  }, 60_000);

  it("a declared column the file lacks, or of another type: SYSTEM, NON_RECOVERABLE, naming the column and both types", async () => {
    const lacks = node("b1-lacks-name");
    const missing = await errorIn(lacks, await runTypeScript("Tables.count", lacks, datasetInputs(data("lacks-name"), "parquet")));
    expect(missing.error).toMatchObject(SYSTEM_FINAL);
    expect(missing.error!.message).toContain("input 'df'");
    expect(missing.error!.message).toContain("column 'name'");
    // The file where the user knows it, in the bucket, not the container's local copy of it.
    expect(missing.error!.message).toContain(`${data("lacks-name")}/00000`);
    const wrong = node("b1-name-is-int");
    const contradicts = await errorIn(wrong, await runTypeScript("Tables.count", wrong, datasetInputs(data("name-is-int"), "parquet")));
    expect(contradicts.error).toMatchObject(SYSTEM_FINAL);
    expect(contradicts.error!.message).toContain("column 'name'");
    expect(contradicts.error!.message).toContain(`${data("name-is-int")}/00000`);
    expect(contradicts.error!.message).toContain("Str");
    expect(contradicts.error!.message).toMatch(/int64/i);
  }, 60_000);

  it("a CSV with a ragged row: SYSTEM, NON_RECOVERABLE, naming the file in the bucket", async () => {
    const at = node("b2-ragged");
    const doc = await errorIn(at, await runTypeScript("Tables.countCsv", at, datasetInputs(data("ragged-short-csv"), "csv")));
    expect(doc.error).toMatchObject(SYSTEM_FINAL);
    expect(doc.error!.message).toContain(`${data("ragged-short-csv")}/.csv`);
  }, 60_000);

  it("an output that fails while being written leaves nothing in the bucket: a table that does not fit names the output, the task's own failing generator is its error", async () => {
    for (const task of ["Tables.failMidway", "Tables.mixedSchemas", "Tables.wrongColumnType", "Tables.failMidwayCsv", "Tables.failMidwaySchema"]) {
      const at = node(`b3-${task.replace(/\W/g, "-")}`);
      const doc = await errorIn(at, await runTypeScript(task, at, EMPTY_MAP));
      if (task.startsWith("Tables.failMidway")) expect(doc.error!.message, task).toContain("the source failed after 2 batches");
      else expect(doc.error!.message, task).toContain("output 'o0'");
      expect(await keysUnder(at.raw), task).toEqual([]);
    }
  }, 120_000);
});
