// A cluster's shape on Azure, against a real Azurite: every path the tasks are given is an abfs://
// URI in one container, as Flyte on Azure passes them. The real pyflyte-execute (flytekit 1.16.24,
// reaching Azurite through adlfs by AZURE_STORAGE_CONNECTION_STRING) runs `produce` (an int, a
// record, a FlyteFile); its outputs.pb is the inputs.pb of a TypeScript task run by
// flytekit-ts-execute (built bundle: npm run build first), which returns a new record, a File and a
// Directory; its outputs.pb feeds the Python `check`, which reads every value and both files.
import { fromBinary, toBinary } from "@bufbuild/protobuf";
import { ContainerError_Kind, ErrorDocumentSchema, ExecutionError_ErrorKind, LiteralMapSchema, type LiteralMap } from "@flytekit-ts/core/idl";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { create } from "@bufbuild/protobuf";
import { AZURITE_ACCOUNT, startAzurite, type RunningAzurite } from "./support/azurite.js";
import { cleanEnv, executeArgs, EXECUTE_BIN, runProcess, TEST_ROOT, type ProcessResult } from "./support/execute.js";
import { ensureFlytekit, PY_DIR } from "./support/python.js";

const CONTAINER = "flyte-cluster";
let azurite: RunningAzurite;
let pyflyteExecute: string;

beforeAll(async () => {
  ({ pyflyteExecute } = ensureFlytekit());
  azurite = await startAzurite({ containers: [CONTAINER] });
}, 600_000);

afterAll(async () => {
  await azurite?.stop();
});

/** A node's paths in the container, as propeller gives them (the TypeScript node's in the account-host form). */
function node(name: string, hosted = false): { inputs: string; out: string; raw: string; cp: string } {
  const root = hosted ? `abfs://${CONTAINER}@${AZURITE_ACCOUNT}.dfs.core.windows.net` : `abfs://${CONTAINER}`;
  return { inputs: `${root}/exec/${name}/inputs.pb`, out: `${root}/exec/${name}/data/0`, raw: `${root}/raw/${name}`, cp: `${root}/exec/${name}/cp` };
}

/** The blob at a key of the container, or undefined. */
async function blob(key: string): Promise<Buffer | undefined> {
  const client = azurite.client.getContainerClient(CONTAINER).getBlobClient(key);
  return (await client.exists()) ? client.downloadToBuffer() : undefined;
}

/** The node's outputs.pb, failing with its error document or its output when it has none. */
async function outputsOf(name: string, run: ProcessResult): Promise<LiteralMap> {
  const keys: string[] = [];
  for await (const b of azurite.client.getContainerClient(CONTAINER).listBlobsFlat({ prefix: `exec/${name}/data/0/` })) keys.push(b.name.slice(`exec/${name}/data/0/`.length));
  const errorKey = keys.find((k) => /^error.*\.pb$/.test(k));
  const error = errorKey === undefined ? undefined : fromBinary(ErrorDocumentSchema, (await blob(`exec/${name}/data/0/${errorKey}`))!).error?.message;
  expect(keys, `${name} wrote ${keys.join(", ") || "nothing"}: ${error ?? run.stderr + run.stdout}`).toEqual(["outputs.pb"]);
  return fromBinary(LiteralMapSchema, (await blob(`exec/${name}/data/0/outputs.pb`))!);
}

async function runPython(task: string, paths: ReturnType<typeof node>): Promise<ProcessResult> {
  const args = executeArgs(paths, "azure_tasks", task, "flytekit.core.python_auto_container.default_task_resolver");
  const home = mkdtempSync(join(tmpdir(), "flytekit-ts-pyhome-"));
  return runProcess(pyflyteExecute, args, { cwd: PY_DIR, env: { ...cleanEnv(), ...azurite.pythonEnv, PYTHONPATH: PY_DIR, HOME: home, PYTHONDONTWRITEBYTECODE: "1" } });
}

async function runTypeScript(task: string, paths: ReturnType<typeof node>): Promise<ProcessResult> {
  const args = executeArgs(paths, "support/azure-cluster-tasks.ts", task);
  return runProcess(process.execPath, [EXECUTE_BIN, ...args], { cwd: TEST_ROOT, env: { ...cleanEnv(), ...azurite.env } });
}

describe("Python → TypeScript → Python with every path in an Azure container (Azurite)", () => {
  it("each task reads the previous one's outputs.pb and files from the container and writes its own there", async () => {
    // The first node's inputs.pb, as propeller writes it: no inputs.
    await azurite.client
      .getContainerClient(CONTAINER)
      .getBlockBlobClient("exec/n0/inputs.pb")
      .uploadData(toBinary(LiteralMapSchema, create(LiteralMapSchema, {})));

    const produce = await runPython("produce", node("n0"));
    const produced = await outputsOf("n0", produce);
    expect(Object.keys(produced.literals).sort()).toEqual(["data", "n", "sample"]);
    const pythonFile = produced.literals.data?.value.case === "scalar" && produced.literals.data.value.value.value.case === "blob" ? produced.literals.data.value.value.value.value.uri : "";
    expect(pythonFile).toMatch(new RegExp(`^abfs://${CONTAINER}/raw/n0/`));

    // propeller hands the node's outputs.pb on as the next node's inputs.pb.
    const tsNode = node("n1", true);
    await azurite.client.getContainerClient(CONTAINER).getBlockBlobClient("exec/n1/inputs.pb").uploadData((await blob("exec/n0/data/0/outputs.pb"))!);
    const transform = await runTypeScript("AzureCluster.transform", tsNode);
    const transformed = await outputsOf("n1", transform);
    expect(Object.keys(transformed.literals).sort()).toEqual(["bundle", "report", "summary"]);
    const uriOf = (name: string) => {
      const v = transformed.literals[name]?.value;
      return v?.case === "scalar" && v.value.value.case === "blob" ? v.value.value.value.uri : "";
    };
    // The File and the Directory were uploaded under the raw output prefix, in the container.
    expect(uriOf("report")).toMatch(new RegExp(`^abfs://${CONTAINER}@${AZURITE_ACCOUNT}\\.dfs\\.core\\.windows\\.net/raw/n1/`));
    expect(uriOf("bundle")).toMatch(new RegExp(`^abfs://${CONTAINER}@${AZURITE_ACCOUNT}\\.dfs\\.core\\.windows\\.net/raw/n1/`));
    const reportKey = uriOf("report").replace(/^abfs:\/\/[^/]+\//, "");
    expect((await blob(reportKey))?.toString()).toBe("typescript read 18000 bytes from python: written by python\n");

    await azurite.client.getContainerClient(CONTAINER).getBlockBlobClient("exec/n2/inputs.pb").uploadData((await blob("exec/n1/data/0/outputs.pb"))!);
    const check = await runPython("check", node("n2"));
    const checked = await outputsOf("n2", check);
    const o0 = checked.literals.o0?.value;
    expect(o0?.case === "scalar" && o0.value.value.case === "primitive" ? o0.value.value.value.value.value : undefined).toBe("checked");
  }, 240_000);

  it("a TypeScript task whose inputs.pb is not in the container writes a recoverable system error there, naming the uri, and no outputs.pb", async () => {
    const paths = node("n4", true);
    const r = await runTypeScript("AzureCluster.transform", paths);
    const keys: string[] = [];
    for await (const b of azurite.client.getContainerClient(CONTAINER).listBlobsFlat({ prefix: "exec/n4/data/0/" })) keys.push(b.name.slice("exec/n4/data/0/".length));
    expect(keys, r.stderr).toHaveLength(1);
    expect(keys[0]).toMatch(/^error.*\.pb$/);
    const doc = fromBinary(ErrorDocumentSchema, (await blob(`exec/n4/data/0/${keys[0]}`))!);
    expect(doc.error).toMatchObject({ code: "SYSTEM", kind: ContainerError_Kind.RECOVERABLE, origin: ExecutionError_ErrorKind.SYSTEM });
    expect(doc.error?.message).toContain(paths.inputs);
    expect(doc.error?.message).toContain("BlobNotFound");
  }, 60_000);

  it("the Python check fails on a value it does not expect (so the chain above proves something)", async () => {
    // n1's outputs with the record's count changed.
    const changed = fromBinary(LiteralMapSchema, (await blob("exec/n1/data/0/outputs.pb"))!);
    const other = fromBinary(LiteralMapSchema, (await blob("exec/n0/data/0/outputs.pb"))!);
    changed.literals.summary = other.literals.sample!;
    await azurite.client.getContainerClient(CONTAINER).getBlockBlobClient("exec/n3/inputs.pb").uploadData(toBinary(LiteralMapSchema, changed));
    const r = await runPython("check", node("n3"));
    expect(await blob("exec/n3/data/0/outputs.pb")).toBeUndefined();
    const keys: string[] = [];
    for await (const b of azurite.client.getContainerClient(CONTAINER).listBlobsFlat({ prefix: "exec/n3/data/0/" })) keys.push(b.name);
    expect(keys.some((k) => /error.*\.pb$/.test(k)), r.stderr).toBe(true);
  }, 120_000);
});
