// The FlyteAdmin launcher of eager tasks (packages/core/src/execute/admin) against the AdminService
// stand-in, which plays each execution by running our flytekit-ts-execute on the registered
// template: registration, the execution's request, waiting, the outputs inline and from the store,
// a failed execution's error, a retried attempt finding its execution again, and the transport
// over h2c and over TLS.
import { Code, ConnectError } from "@connectrpc/connect";
import { ImageConfig, Int, SerializationSettings, taskOf } from "@flytekit-ts/core";
import { LiteralMapSchema, ResourceType, WorkflowExecution_Phase } from "@flytekit-ts/core/idl";
import { fromLiteralMap, toLiteralMap } from "@flytekit-ts/core/internal";
import { toBinary } from "@bufbuild/protobuf";
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AdminTaskLauncher, createAdminClient, InnerTaskError, type AdminClient } from "../packages/core/src/execute/admin/index.js";
import { folderStore, startAdminStandIn, type AdminStandIn } from "./support/admin-standin.js";
import { EntryTasks } from "./support/entry-tasks.js";
import { cleanEnv, EXECUTE_BIN, TEST_ROOT } from "./support/execute.js";

const settings = new SerializationSettings({ project: "p", domain: "d", version: "v7", imageConfig: ImageConfig.auto("ghcr.io/acme/app:7") });
const execution = { project: "p", domain: "d", name: "eagerts1" };
const FAST = { initialMs: 20, factor: 1.5, maxMs: 200 };

function standInOptions(extra: { inlineOutputs?: boolean; tls?: { key: string; cert: string } } = {}) {
  return {
    store: folderStore(mkdtempSync(join(tmpdir(), "admin-store-"))),
    commands: { "flytekit-ts-execute": { command: process.execPath, prefix: [EXECUTE_BIN], cwd: TEST_ROOT } },
    env: cleanEnv(),
    ...extra,
  };
}

function launcherFor(client: AdminClient, name = execution.name): AdminTaskLauncher {
  return new AdminTaskLauncher({ client, settings, execution: { ...execution, name }, eagerTask: "flows.pipeline", poll: FAST });
}

describe("over h2c, outputs inline", () => {
  let standIn: AdminStandIn;
  let client: AdminClient;
  beforeAll(async () => {
    standIn = await startAdminStandIn(standInOptions());
    client = createAdminClient({ endpoint: standIn.endpoint, insecure: true, insecureSkipVerify: false, source: "test" });
  });
  afterAll(async () => standIn?.close());

  it("registers the task once, starts an execution as flytekit does, waits, and returns its outputs", async () => {
    const launcher = launcherFor(client);
    const add = taskOf(EntryTasks.add);
    const first = await launcher.launch(add, toLiteralMap({ x: Int, y: Int }, { x: 40, y: 2 }));
    expect(fromLiteralMap({ o0: Int }, first)).toEqual({ o0: 42 });
    const second = await launcher.launch(add, toLiteralMap({ x: Int, y: Int }, { x: 1, y: 2 }));
    expect(fromLiteralMap({ o0: Int }, second)).toEqual({ o0: 3 });

    const methods = standIn.requests.map((r) => r.method);
    // Registered once: GetTask (NOT_FOUND), CreateTask; then each call's execution.
    expect(methods.filter((m) => m === "GetTask")).toHaveLength(1);
    expect(methods.filter((m) => m === "CreateTask")).toHaveLength(1);
    expect(methods.filter((m) => m === "CreateExecution")).toHaveLength(2);
    expect(methods.slice(0, 3)).toEqual(["GetTask", "CreateTask", "CreateExecution"]);

    const spec = standIn.tasks.get(`p/d/${add.name}/v7`)!;
    expect(spec.template?.id).toMatchObject({ resourceType: ResourceType.TASK, project: "p", domain: "d", name: add.name, version: "v7" });
    expect(spec.template?.target.case === "container" && spec.template.target.value.image).toBe("ghcr.io/acme/app:7");

    const create = standIn.calls("CreateExecution")[0]!.json as Record<string, any>;
    expect(create.project).toBe("p");
    expect(create.domain).toBe("d");
    expect(create.name).toMatch(/^e-pipeline-eager-add-[0-9a-f]{16}$/);
    expect(create.spec.launchPlan).toEqual({ resourceType: "TASK", project: "p", domain: "d", name: add.name, version: "v7" });
    expect(create.spec.metadata).toEqual({ principal: "placeholder" });
    expect(create.spec.labels).toEqual({ values: { "eager-exec": "eagerts1", "eager-root-exec": "eagerts1" } });
    expect(create.spec.envs).toEqual({ values: [{ key: "_F_EE_ROOT", value: "eagerts1" }] });
    expect(create.inputs.literals.x).toEqual({ scalar: { primitive: { integer: "40" } } });
    const names = standIn.calls("CreateExecution").map((r) => (r.json as { name: string }).name);
    expect(new Set(names).size).toBe(2);
  }, 120_000);

  it("a retried attempt finds the execution its first attempt started (ALREADY_EXISTS), and starts nothing new", async () => {
    const add = taskOf(EntryTasks.add);
    const inputs = toLiteralMap({ x: Int, y: Int }, { x: 5, y: 5 });
    const before = standIn.executions.size;
    const o1 = await launcherFor(client, "retried1").launch(add, inputs);
    expect(standIn.executions.size).toBe(before + 1);
    const o2 = await launcherFor(client, "retried1").launch(add, inputs);
    expect(standIn.executions.size).toBe(before + 1);
    expect(fromLiteralMap({ o0: Int }, o2)).toEqual(fromLiteralMap({ o0: Int }, o1));
    // Another eager execution, the same call: another execution.
    await launcherFor(client, "retried2").launch(add, inputs);
    expect(standIn.executions.size).toBe(before + 2);
  }, 120_000);

  it("a failed execution is an InnerTaskError naming the execution and the remote error, with the inner task and the eager task as fields", async () => {
    const fail = taskOf(EntryTasks.failUser);
    const error = await launcherFor(client, "failing1")
      .launch(fail, toLiteralMap({ x: Int }, { x: 7 }))
      .then(() => undefined, (e: unknown) => e);
    expect(error).toBeInstanceOf(InnerTaskError);
    const e = error as InnerTaskError;
    expect(e).toMatchObject({ task: fail.name, eagerTask: "flows.pipeline" });
    expect(e.message).toMatch(/^execution 'e-pipeline-faili-fail-user-[0-9a-f]{16}': failed \(FAILED\): /);
    expect(e.message).toContain("failed (FAILED)");
    expect(e.message).toContain("boom 7");
    expect(e.execution).toBe(standIn.calls("CreateExecution").at(-1)!.json && (standIn.calls("CreateExecution").at(-1)!.json as { name: string }).name);
  }, 120_000);

  it("a task FlyteAdmin already has is not registered again: the registered template runs", async () => {
    const add = taskOf(EntryTasks.add);
    const other = new SerializationSettings({ project: "p", domain: "d", version: "vX", imageConfig: ImageConfig.auto("ghcr.io/acme/other:1") });
    const { toTaskSpec } = await import("@flytekit-ts/core/registration");
    standIn.register(toTaskSpec(add, other));
    const otherLauncher = new AdminTaskLauncher({ client, settings: new SerializationSettings({ project: "p", domain: "d", version: "vX" }), execution, eagerTask: "flows.pipeline", poll: FAST });
    const creates = standIn.calls("CreateTask").length;
    // GetTask finds it, so nothing is created: the registered template is what runs.
    const out = await otherLauncher.launch(add, toLiteralMap({ x: Int, y: Int }, { x: 1, y: 1 }));
    expect(fromLiteralMap({ o0: Int }, out)).toEqual({ o0: 2 });
    expect(standIn.calls("CreateTask")).toHaveLength(creates);
  }, 120_000);
});

describe("outputs from the store, and TLS", () => {
  let standIn: AdminStandIn;
  let client: AdminClient;
  let caFile: string;
  beforeAll(async () => {
    const dir = mkdtempSync(join(tmpdir(), "admin-tls-"));
    execFileSync("openssl", ["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", join(dir, "key.pem"), "-out", join(dir, "cert.pem"), "-days", "1", "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1"], { stdio: "ignore" });
    caFile = join(dir, "cert.pem");
    standIn = await startAdminStandIn(standInOptions({ inlineOutputs: false, tls: { key: readFileSync(join(dir, "key.pem"), "utf8"), cert: readFileSync(caFile, "utf8") } }));
    client = createAdminClient({ endpoint: standIn.endpoint, insecure: false, insecureSkipVerify: false, caCertFilePath: caFile, source: "test" });
  }, 60_000);
  afterAll(async () => standIn?.close());

  it("reads the outputs at GetExecutionData's uri through the caller's storage when FlyteAdmin does not inline them", async () => {
    const { defaultStorage } = await import("@flytekit-ts/core/extend");
    const out = await launcherFor(client, "tls1").launch(taskOf(EntryTasks.add), toLiteralMap({ x: Int, y: Int }, { x: 20, y: 3 }), { storage: defaultStorage, signal: new AbortController().signal });
    expect(fromLiteralMap({ o0: Int }, out)).toEqual({ o0: 23 });
    const data = standIn.calls("GetExecutionData");
    expect(data).toHaveLength(1);
    const played = [...standIn.executions.values()][0]!;
    expect(played.phase).toBe(WorkflowExecution_Phase.SUCCEEDED);
    expect(toBinary(LiteralMapSchema, out)).toEqual(new Uint8Array(readFileSync(join(played.outputPrefix, "outputs.pb"))));
  }, 120_000);

  it("refuses a server whose certificate it does not trust", async () => {
    const untrusting = createAdminClient({ endpoint: standIn.endpoint, insecure: false, insecureSkipVerify: false, source: "test" }, { retry: { retries: 0, baseDelayMs: 1, maxDelayMs: 1 } });
    const error = await untrusting.getTask({ id: { name: "x" } }).then(() => undefined, (e: unknown) => ConnectError.from(e));
    // Connect reports the refused handshake as INTERNAL, with Node's words.
    expect(error?.code).toBe(Code.Internal);
    expect(error?.message).toMatch(/self-signed certificate/i);
  });

  it("and talks to it with verification off (FLYTE_PLATFORM_INSECURE_SKIP_VERIFY)", async () => {
    const skipping = createAdminClient({ endpoint: standIn.endpoint, insecure: false, insecureSkipVerify: true, source: "test" });
    const error = await skipping.getTask({ id: { name: "x" } }).then(() => undefined, (e: unknown) => ConnectError.from(e));
    expect(error?.code).toBe(Code.NotFound);
  });
});
