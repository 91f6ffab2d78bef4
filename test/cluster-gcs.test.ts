// A cluster's data flow with every URI in Google Cloud Storage (a real fake-gcs-server on
// 127.0.0.1): the real pyflyte-execute (flytekit 1.16.24) runs a Python task whose inputs.pb is in
// the bucket and which writes an int, a record and a FlyteFile; its outputs.pb is the inputs.pb of a
// TypeScript task run by the built flytekit-ts-execute with gs:// inputs, output prefix and raw
// output prefix, which returns a new record, a File and a Directory; its outputs.pb feeds a second
// Python task that checks every value and the files' contents.
//
// flytekit reaches the emulator through STORAGE_EMULATOR_HOST alone: gcsfs reads it, finds no
// credentials and goes on anonymously (it says "Could not determine bucket type ... falling back to
// GCSFileSystem" on stderr). flytekit has no gs:// setting of its own for an endpoint.
import { create, fromBinary, toBinary } from "@bufbuild/protobuf";
import { ContainerError_Kind, ErrorDocumentSchema, ExecutionError_ErrorKind, LiteralMapSchema, type ErrorDocument, type LiteralMap } from "@flytekit-ts/core/idl";
import { Int } from "@flytekit-ts/core";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cleanEnv, executeArgs, EXECUTE_BIN, runProcess, TEST_ROOT, type ProcessResult } from "./support/execute.js";
import { startFakeGcs, type FakeGcs } from "./support/fake-gcs.js";
import { ensureFlytekit, PY_DIR } from "./support/python.js";
// The store module itself, for its client's listing of an output prefix.
import { GcsStorage } from "../packages/core/src/storage/gcs.js";

const BUCKET = "flyte-data";
let gcs: FakeGcs;
let store: GcsStorage;
let pyflyteExecute: string;

beforeAll(async () => {
  ({ pyflyteExecute } = ensureFlytekit());
  gcs = await startFakeGcs([BUCKET]);
  store = new GcsStorage({ endpoint: gcs.endpoint });
}, 600_000);

afterAll(async () => {
  await gcs?.stop();
});

/** What a run left under its output prefix in the bucket: the object names, outputs.pb and an error document. */
interface Run extends ProcessResult {
  files: string[];
  outputs?: LiteralMap;
  outputsUri: string;
  error?: ErrorDocument;
}

async function readRun(prefix: string, result: ProcessResult): Promise<Run> {
  const key = prefix.slice(`gs://${BUCKET}/`.length);
  const files: string[] = [];
  for await (const o of store.client.list(BUCKET, `${key}/`)) files.push(o.key.slice(key.length + 1));
  const run: Run = { ...result, files: files.sort(), outputsUri: `${prefix}/outputs.pb` };
  if (files.includes("outputs.pb")) run.outputs = fromBinary(LiteralMapSchema, await store.read(`${prefix}/outputs.pb`));
  const errorFile = files.find((f) => /^error.*\.pb$/.test(f));
  if (errorFile !== undefined) run.error = fromBinary(ErrorDocumentSchema, await store.read(`${prefix}/${errorFile}`));
  return run;
}

/** A node's paths, all under `prefix` in the bucket but its inputs. */
function under(inputs: string, prefix: string): { inputs: string; out: string; raw: string; cp: string } {
  return { inputs, out: `${prefix}/out`, raw: `${prefix}/raw`, cp: `${prefix}/cp` };
}

/** A task of test/interop/gcs_tasks.py run by pyflyte-execute, all its paths under `prefix` in the bucket. */
async function runPython(task: string, inputs: string, prefix: string): Promise<Run> {
  const home = mkdtempSync(join(tmpdir(), "flytekit-ts-pyhome-"));
  const env = { ...cleanEnv(), ...gcs.env, PYTHONPATH: PY_DIR, HOME: home, PYTHONDONTWRITEBYTECODE: "1" };
  const result = await runProcess(pyflyteExecute, executeArgs(under(inputs, prefix), "gcs_tasks", task, "flytekit.core.python_auto_container.default_task_resolver"), { cwd: PY_DIR, env });
  return readRun(`${prefix}/out`, result);
}

/** The TypeScript task run by the built flytekit-ts-execute (dist: `npm run build` first), as a container starts it. */
async function runTypeScript(inputs: string, prefix: string): Promise<Run> {
  const env = { ...cleanEnv(), ...gcs.env };
  const result = await runProcess(process.execPath, [EXECUTE_BIN, ...executeArgs(under(inputs, prefix), "support/gcs-cluster-tasks.ts", "GcsClusterTasks.combine")], { cwd: TEST_ROOT, env });
  return readRun(`${prefix}/out`, result);
}

function ok(run: Run, who: string): LiteralMap {
  expect(run.files, `${who} wrote ${run.files.join(", ") || "nothing"}: ${run.error?.error?.message ?? run.stderr.slice(-4000)}`).toEqual(["outputs.pb"]);
  return run.outputs!;
}

function blobUri(outputs: LiteralMap, name: string): string {
  const scalar = outputs.literals[name]?.value;
  if (scalar?.case !== "scalar" || scalar.value.value.case !== "blob") throw new Error(`output ${name} is not a blob`);
  return scalar.value.value.value.uri;
}

describe("Python → TypeScript → Python with every URI in gs:// (fake-gcs-server)", () => {
  const run = `gs://${BUCKET}/exec-1`;
  let produced: Run;
  let combined: Run;

  beforeAll(async () => {
    await store.write(`${run}/inputs.pb`, toBinary(LiteralMapSchema, create(LiteralMapSchema, {})));
    produced = await runPython("produce", `${run}/inputs.pb`, `${run}/n0`);
    ok(produced, "pyflyte-execute produce");
    combined = await runTypeScript(produced.outputsUri, `${run}/n1`);
  }, 180_000);

  it("the Python task's FlyteFile is in the bucket, under its raw output prefix", async () => {
    const uri = blobUri(produced.outputs!, "data");
    expect(uri.startsWith(`${run}/n0/raw/`)).toBe(true);
    expect(new TextDecoder().decode(await store.read(uri))).toBe("written by Python ✓\n");
  });

  it("the TypeScript task reads Python's outputs from the bucket and writes its own there, files under its raw output prefix", async () => {
    const outputs = ok(combined, "flytekit-ts-execute combine");
    expect(Object.keys(outputs.literals).sort()).toEqual(["bundle", "report", "summary", "total"]);
    const report = blobUri(outputs, "report");
    const bundle = blobUri(outputs, "bundle");
    expect(report.startsWith(`${run}/n1/raw/`)).toBe(true);
    expect(bundle.startsWith(`${run}/n1/raw/`)).toBe(true);
    expect(new TextDecoder().decode(await store.read(report))).toBe("ts saw: written by Python ✓\n");
    expect(new TextDecoder().decode(await store.read(`${bundle}/nested/deep/name.txt`))).toBe("py+ts");
  });

  it("the second Python task reads every value and file the TypeScript task wrote", async () => {
    const checked = await runPython("check", combined.outputsUri, `${run}/n2`);
    const outputs = ok(checked, "pyflyte-execute check");
    const o0 = outputs.literals.o0?.value;
    expect(o0?.case === "scalar" && o0.value.value.case === "primitive" ? o0.value.value.value.value.value : undefined).toBe(
      `checked ${blobUri(combined.outputs!, "report")} and ${blobUri(combined.outputs!, "bundle")}`,
    );
  });

  it("and the Python check refuses a wrong value (it is not a check that passes anything)", async () => {
    const changed = fromBinary(LiteralMapSchema, toBinary(LiteralMapSchema, combined.outputs!));
    changed.literals.total = Int.toLiteral(41);
    await store.write(`${run}/wrong/inputs.pb`, toBinary(LiteralMapSchema, changed));
    const checked = await runPython("check", `${run}/wrong/inputs.pb`, `${run}/n3`);
    expect(checked.files).toEqual(["error.pb"]);
    expect(checked.error?.error?.message).toContain("total: got 41, expected 42");
  });

  it("a TypeScript task whose inputs.pb is missing writes an error document naming the uri, and no outputs.pb", async () => {
    const missing = `${run}/nowhere/inputs.pb`;
    const failed = await runTypeScript(missing, `${run}/n4`);
    expect(failed.files.filter((f) => f === "outputs.pb")).toEqual([]);
    expect(failed.error?.error?.message).toContain(missing);
    // Storage failures are SYSTEM and RECOVERABLE, as flytekit's table has it.
    expect(failed.error?.error?.kind).toBe(ContainerError_Kind.RECOVERABLE);
    expect(failed.error?.error?.origin).toBe(ExecutionError_ErrorKind.SYSTEM);
  });
});
