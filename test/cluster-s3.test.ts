// The container path as a cluster runs it, on a real MinIO: every --inputs, --output-prefix and
// --raw-output-data-prefix is a bucket URI, and both SDKs find the store through flytekit's own
// configuration (FLYTE_AWS_ENDPOINT, FLYTE_AWS_ACCESS_KEY_ID, FLYTE_AWS_SECRET_ACCESS_KEY). A Python
// task run by the real pyflyte-execute writes an int, a record and a FlyteFile; its outputs.pb is
// the inputs.pb of a TypeScript task run by flytekit-ts-execute, which returns a new record, a File
// and a Directory; its outputs.pb feeds a second Python task that checks every value and the
// files' contents, and says what it read.
import { fromBinary, toBinary } from "@bufbuild/protobuf";
import { ErrorDocumentSchema, LiteralMapSchema, type LiteralMap } from "@flytekit-ts/core/idl";
import { GetObjectCommand, ListObjectsV2Command, PutObjectCommand } from "@aws-sdk/client-s3";
import { Int, Str } from "@flytekit-ts/core";
import { toLiteralMap } from "@flytekit-ts/core/internal";
import { existsSync, mkdtempSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cleanEnv, executeArgs, EXECUTE_BIN, readOutputs, runProcess, TEST_ROOT, workArea, type ProcessResult } from "./support/execute.js";
import { nodeUris, startMinio, type Minio } from "./support/minio.js";
import { ensureFlytekit, PY_DIR } from "./support/python.js";

const BUCKET = "flyte";
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

async function getObject(uri: string): Promise<Uint8Array | undefined> {
  const [, bucket, key] = /^s3:\/\/([^/]+)\/(.*)$/.exec(uri)!;
  try {
    const r = await minio.client.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
    return await r.Body!.transformToByteArray();
  } catch (e) {
    if ((e as Error).name === "NoSuchKey") return undefined;
    throw e;
  }
}

async function putObject(uri: string, bytes: Uint8Array): Promise<void> {
  const [, bucket, key] = /^s3:\/\/([^/]+)\/(.*)$/.exec(uri)!;
  await minio.client.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: bytes }));
}

async function keysUnder(uri: string): Promise<string[]> {
  const [, bucket, key] = /^s3:\/\/([^/]+)\/(.*)$/.exec(uri)!;
  const r = await minio.client.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: `${key}/` }));
  return (r.Contents ?? []).map((o) => o.Key!.slice(key.length + 1)).sort();
}

/** What a run left at its output prefix in the bucket: outputs.pb, or the error document's message. */
async function outputsIn(at: ReturnType<typeof node>, who: string, run: ProcessResult): Promise<LiteralMap> {
  const files = await keysUnder(at.out);
  const error = files.find((f) => f.startsWith("error"));
  const detail = error !== undefined ? fromBinary(ErrorDocumentSchema, (await getObject(`${at.out}/${error}`))!).error?.message : "";
  expect(files, `${who} wrote ${files.join(", ") || "nothing"}: ${detail}\n${run.stderr}${run.stdout}`).toEqual(["outputs.pb"]);
  return fromBinary(LiteralMapSchema, (await getObject(`${at.out}/outputs.pb`))!);
}

function containerEnv(): NodeJS.ProcessEnv {
  return { ...cleanEnv(), ...minio.env, HOME: mkdtempSync(join(tmpdir(), "flytekit-ts-home-")) };
}

/** pyflyte-execute for a task of test/interop/cluster_tasks.py, with the node's bucket URIs. */
function runPython(task: string, at: ReturnType<typeof node>): Promise<ProcessResult> {
  const args = executeArgs(at, "cluster_tasks", task, "flytekit.core.python_auto_container.default_task_resolver");
  return runProcess(pyflyteExecute, args, { cwd: PY_DIR, env: { ...containerEnv(), PYTHONPATH: PY_DIR, PYTHONDONTWRITEBYTECODE: "1" } });
}

/** flytekit-ts-execute for a task of test/support/cluster-tasks.ts, with the node's bucket URIs. */
function runTypeScript(task: string, at: ReturnType<typeof node>): Promise<ProcessResult> {
  const args = [EXECUTE_BIN, ...executeArgs(at, "support/cluster-tasks.ts", task)];
  return runProcess(process.execPath, args, { cwd: TEST_ROOT, env: containerEnv() });
}

describe("a cluster-shaped run on MinIO: Python → TypeScript → Python, every URI in the bucket", () => {
  let fromTypeScript: LiteralMap;
  const produce = node("n0-produce");
  const transform = node("n1-transform");
  const check = node("n2-check");

  beforeAll(async () => {
    await putObject(produce.inputs, toBinary(LiteralMapSchema, { $typeName: "flyteidl.core.LiteralMap", literals: {} } as LiteralMap));
    const py = await runPython("produce", produce);
    const produced = await outputsIn(produce, "pyflyte-execute produce", py);
    // Propeller copies a node's outputs to the next node's inputs.
    await putObject(transform.inputs, toBinary(LiteralMapSchema, produced));
    const ts = await runTypeScript("Cluster.transform", transform);
    fromTypeScript = await outputsIn(transform, "flytekit-ts-execute transform", ts);
    await putObject(check.inputs, toBinary(LiteralMapSchema, fromTypeScript));
  }, 180_000);

  it("the TypeScript task's File and Directory are in the bucket, under its raw output prefix", async () => {
    const report = fromTypeScript.literals.report!.value;
    const bundle = fromTypeScript.literals.bundle!.value;
    expect(report.case).toBe("scalar");
    const reportUri = report.case === "scalar" && report.value.value.case === "blob" ? report.value.value.value.uri : "";
    const bundleUri = bundle.case === "scalar" && bundle.value.value.case === "blob" ? bundle.value.value.value.uri : "";
    expect(reportUri).toMatch(new RegExp(`^${transform.raw}/`));
    expect(bundleUri).toMatch(new RegExp(`^${transform.raw}/`));
    expect(new TextDecoder().decode(await getObject(reportUri))).toBe("report: 45 from py\nfrom python ✓\nline two\n");
    expect(await keysUnder(bundleUri.replace(/\/$/, ""))).toEqual(["a.txt", "nested/deeper/b.txt"]);
  });

  it("the second Python task reads every value and both files' contents from the bucket", async () => {
    const run = await runPython("check", check);
    const outputs = await outputsIn(check, "pyflyte-execute check", run);
    const read = JSON.parse(Str.fromLiteral(outputs.literals.o0!) as string) as Record<string, unknown>;
    expect(read).toEqual({
      summary: { source: "py+ts", total: 45, text: "from python ✓\nline two\n", scores: [1.0, 3.0] },
      report_uri: expect.stringMatching(new RegExp(`^${transform.raw}/`)),
      report: "report: 45 from py\nfrom python ✓\nline two\n",
      bundle_uri: expect.stringMatching(new RegExp(`^${transform.raw}/`)),
      bundle: { "a.txt": "a of py", "nested/deeper/b.txt": "b: 45" },
    });
  }, 120_000);

  it("and the check is no formality: a file's contents changed on the way fail it, with the value named", async () => {
    const changed = fromBinary(LiteralMapSchema, toBinary(LiteralMapSchema, fromTypeScript));
    const report = changed.literals.report!.value;
    if (report.case !== "scalar" || report.value.value.case !== "blob") throw new Error("report is not a blob literal");
    report.value.value.value.uri = `s3://${BUCKET}/raw/elsewhere/report.txt`;
    await putObject(report.value.value.value.uri, new TextEncoder().encode("report: 46 from py\n"));
    const wrong = node("n2-check-wrong");
    await putObject(wrong.inputs, toBinary(LiteralMapSchema, changed));
    await runPython("check", wrong);
    expect(await keysUnder(wrong.out)).toEqual(["error.pb"]);
    const doc = fromBinary(ErrorDocumentSchema, (await getObject(`${wrong.out}/error.pb`))!);
    expect(doc.error?.message).toContain("report: got 'report: 46 from py\\n'");
  }, 120_000);
});

describe("the s3 chunk, from the built bundle, is loaded only when an s3:// URI is used", () => {
  /** flytekit-ts-execute with every module it loads reported: the ES modules (the bundles) and the CommonJS ones. */
  async function loadedBy(args: string[], env: NodeJS.ProcessEnv): Promise<{ run: ProcessResult; modules: string[]; sdk: string[] }> {
    const dir = mkdtempSync(join(tmpdir(), "flytekit-ts-loaded-"));
    const esm = join(dir, "esm.txt");
    const cjs = join(dir, "cjs.json");
    const preload = `--require ${join(TEST_ROOT, "support/report-loaded-modules.cjs")} --import ${join(TEST_ROOT, "support/report-loaded-esm.mjs")}`;
    const run = await runProcess(process.execPath, [EXECUTE_BIN, ...args], {
      cwd: TEST_ROOT,
      env: { ...env, NODE_OPTIONS: preload, FLYTEKIT_TS_TEST_LOADED_REPORT: cjs, FLYTEKIT_TS_TEST_LOADED_ESM_REPORT: esm },
    });
    const urls = existsSync(esm) ? readFileSync(esm, "utf8").split("\n").filter((l) => l !== "") : [];
    const modules = [...urls.filter((u) => u.startsWith("file:")).map((u) => fileURLToPath(u)), ...(existsSync(cjs) ? (JSON.parse(readFileSync(cjs, "utf8")) as string[]) : [])];
    // A bundle holds the SDK when esbuild's path comments name its packages in it.
    const sdk = modules.filter((m) => /[\\/](@aws-sdk|@smithy)[\\/]/.test(m) || (m.endsWith(".js") && /node_modules\/(@aws-sdk|@smithy)\//.test(readFileSync(m, "utf8"))));
    return { run, modules, sdk };
  }

  it("a task whose data is local loads neither the chunk nor any part of the AWS SDK", async () => {
    const area = workArea(toLiteralMap({ x: Int, y: Int }, { x: 1, y: 2 }));
    const { run, modules, sdk } = await loadedBy(executeArgs(area, "support/entry-tasks.ts", "EntryTasks.add"), { ...cleanEnv(), ...minio.env });
    const r = readOutputs(area.out, run);
    expect(r.files, run.stderr).toEqual(["outputs.pb"]);
    expect(modules.some((m) => m.endsWith(join("dist", "bundle", "execute.js")))).toBe(true);
    expect(modules.filter((m) => m.endsWith(join("dist", "bundle", "s3.js")))).toEqual([]);
    expect(sdk).toEqual([]);
  });

  it("a task whose data is in the bucket loads the chunk, from dist, and runs", async () => {
    const at = node("lazy-add");
    await putObject(at.inputs, toBinary(LiteralMapSchema, toLiteralMap({ x: Int, y: Int }, { x: 20, y: 22 })));
    const { run, modules, sdk } = await loadedBy(
      executeArgs(at, "support/entry-tasks.ts", "EntryTasks.add"),
      containerEnv(),
    );
    const outputs = await outputsIn(at, "flytekit-ts-execute add", run);
    expect(Int.fromLiteral(outputs.literals.o0!)).toBe(42);
    expect(modules.filter((m) => m.endsWith(join("packages", "core", "dist", "bundle", "s3.js")))).toHaveLength(1);
    expect(sdk.length).toBeGreaterThan(0);
  });
});
