// Eager tasks in their container, talking to FlyteAdmin: the AdminService stand-in
// (support/admin-standin.ts) plays every execution as a local process, and is calibrated against
// the real thing by pointing flytekit 1.16.24's own eager task (test/interop/eager_admin_tasks.py, run by
// pyflyte-execute as a pod runs it: its template's env, _F_SS_C included, and FLYTE_PLATFORM_URL)
// at it, then ours (support/eager-tasks.ts, run by flytekit-ts-execute the same way). The requests
// each sends are compared field by field; every difference we mean is listed below with its reason.
import { fromBinary, type JsonValue } from "@bufbuild/protobuf";
import { ImageConfig, Int, SerializationSettings, taskOf } from "@flytekit-ts/core";
import { admin, ExecutionError_ErrorKind, WorkflowExecution_Phase } from "@flytekit-ts/core/idl";
import { fromLiteralMap, toLiteralMap } from "@flytekit-ts/core/internal";
import { toTaskSpec } from "@flytekit-ts/core/registration";
import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GetObjectCommand, PutObjectCommand } from "@aws-sdk/client-s3";
import { folderStore, startAdminStandIn, withoutFields, type AdminStandIn, type AdminStandInOptions, type PlayedExecution, type RecordedRequest, type StandInStore } from "./support/admin-standin.js";
import { startMinio, type Minio } from "./support/minio.js";
import { EagerTasks } from "./support/eager-tasks.js";
import { cleanEnv, EXECUTE_BIN, executeArgs, readOutputs, runProcess, TEST_ROOT, workArea } from "./support/execute.js";
import { ensureFlytekit, PY_DIR } from "./support/python.js";

/** Both SDKs' eager tasks are registered with these settings, and run as the same eager execution. */
const PROJECT = "p";
const DOMAIN = "d";
const VERSION = "v1";
const IMAGE = "docker.io/xyz:abc";
const EAGER_EXECUTION = "eagerrun1";

let python: string;
let pyflyteExecute: string;
const home = mkdtempSync(join(tmpdir(), "eager-home-"));

function options(extra: Partial<AdminStandInOptions> = {}): AdminStandInOptions {
  return {
    store: folderStore(mkdtempSync(join(tmpdir(), "eager-store-"))),
    commands: {
      "pyflyte-execute": { command: pyflyteExecute, cwd: PY_DIR, env: { PYTHONPATH: PY_DIR, PYTHONDONTWRITEBYTECODE: "1" } },
      "flytekit-ts-execute": { command: process.execPath, prefix: [EXECUTE_BIN], cwd: TEST_ROOT },
    },
    // No config file anywhere: HOME is empty, and neither cwd has flytekit.config.
    env: { ...cleanEnv(), HOME: home },
    ...extra,
  };
}

/** flytekit's TaskSpec of a task of eager_admin_tasks.py, as `pyflyte register` would send it. */
function pythonSpec(task: string): admin.TaskSpec {
  const b64 = execFileSync(python, ["eager_admin_tasks.py", task, PROJECT, DOMAIN, VERSION, IMAGE], { cwd: PY_DIR, encoding: "utf8", env: { ...cleanEnv(), HOME: home } });
  return fromBinary(admin.TaskSpecSchema, Buffer.from(b64, "base64"));
}

const settings = new SerializationSettings({ project: PROJECT, domain: DOMAIN, version: VERSION, imageConfig: ImageConfig.auto(IMAGE) });

/** Registers an eager task's spec and runs it as an execution of its own; what it played. */
async function runEager(standIn: AdminStandIn, spec: admin.TaskSpec, x: number, name = EAGER_EXECUTION): Promise<PlayedExecution> {
  standIn.register(spec);
  const played = await standIn.launch({ project: PROJECT, domain: DOMAIN, name, task: { project: PROJECT, domain: DOMAIN, name: spec.template!.id!.name, version: VERSION }, inputs: toLiteralMap({ x: Int }, { x }) });
  await played.done;
  await standIn.settled();
  return played;
}

const jsonOf = (r: RecordedRequest) => r.json as Record<string, any>;

beforeAll(() => {
  ({ python, pyflyteExecute } = ensureFlytekit());
}, 600_000);

describe("calibration: the requests flytekit's eager task sends, and ours", () => {
  let py: AdminStandIn;
  let ts: AdminStandIn;
  let pyRun: PlayedExecution;
  let tsRun: PlayedExecution;
  beforeAll(async () => {
    py = await startAdminStandIn(options());
    ts = await startAdminStandIn(options());
    // One at a time: the machine is small, and each side's requests are its own.
    pyRun = await runEager(py, pythonSpec("pipeline"), 5);
    tsRun = await runEager(ts, toTaskSpec(taskOf(EagerTasks.pipeline), settings), 5);
  }, 300_000);
  afterAll(async () => {
    await py?.close();
    await ts?.close();
  });

  it("both eager tasks succeed under the stand-in, with the same result", () => {
    expect(pyRun.phase, pyRun.stderr).toBe(WorkflowExecution_Phase.SUCCEEDED);
    expect(tsRun.phase, tsRun.stderr).toBe(WorkflowExecution_Phase.SUCCEEDED);
    expect(fromLiteralMap({ o0: Int }, pyRun.outputs!)).toEqual({ o0: 8 });
    expect(fromLiteralMap({ o0: Int }, tsRun.outputs!)).toEqual({ o0: 8 });
  });

  it("the same methods, in the same order per inner execution (flytekit retries a NOT_FOUND GetTask and polls GetExecutionData too)", () => {
    // What each sends, with repeats of a call in a row folded into one, and so the repeats of a
    // poll (flytekit's GetExecution + GetExecutionData): how often either polls is the clock's.
    const fold = (rs: RecordedRequest[]) => {
      const out: string[] = [];
      for (const m of rs.map((r) => r.method)) {
        if (m === out.at(-1)) continue;
        if (m === "GetExecutionData" && out.at(-1) === "GetExecution" && out.at(-2) === "GetExecutionData" && out.at(-3) === "GetExecution") {
          out.pop();
          continue;
        }
        out.push(m);
      }
      return out;
    };
    const pyMethods = fold(py.requests);
    const tsMethods = fold(ts.requests);
    // flytekit: GetTask×4 (FlyteRemote's fetch_task retried on NOT_FOUND), CreateTask, GetTask (the
    // registered task fetched back), then per execution CreateExecution, GetExecution (fetched back),
    // and GetExecution + GetExecutionData every 2 s until it ends. The second call of the same task
    // is not registered again.
    expect(pyMethods).toEqual(["GetTask", "CreateTask", "GetTask", "CreateExecution", "GetExecution", "GetExecutionData", "CreateExecution", "GetExecution", "GetExecutionData"]);
    expect(py.calls("GetTask").length).toBeGreaterThanOrEqual(2);
    // Ours: GetTask once (NOT_FOUND), CreateTask, then per execution CreateExecution, GetExecution
    // until it ends (with backoff), GetExecutionData once at the end.
    expect(tsMethods).toEqual(["GetTask", "CreateTask", "CreateExecution", "GetExecution", "GetExecutionData", "CreateExecution", "GetExecution", "GetExecutionData"]);
    // Every method either sends is one the other sends: nothing else is asked of FlyteAdmin.
    expect(new Set(tsMethods)).toEqual(new Set(pyMethods));
  });

  /** The differences we mean in CreateTask, field by field (paths into the proto3 JSON of TaskCreateRequest). */
  const CREATE_TASK_DIFFERENCES: Record<string, string> = {
    "id.name": "the task's name: flytekit's module.function, ours module.Class.method from the file's path",
    "spec.template.id.name": "the same name, in the template",
    "spec.template.type": "python-task vs our typescript-task (golden/README: our task type)",
    "spec.template.metadata.runtime": "the SDK: flytekit 1.16.24/python vs flytekit-ts/typescript",
    "spec.template.container.args": "the entrypoint: pyflyte-execute and flytekit's resolver vs flytekit-ts-execute and ours, and the module's name",
  };

  it("CreateTask: the inner task's TaskSpec, registered with the eager task's settings from _F_SS_C", () => {
    const pyCreate = jsonOf(py.calls("CreateTask")[0]!);
    const tsCreate = jsonOf(ts.calls("CreateTask")[0]!);
    // What differs, differs as said.
    expect(pyCreate.id.name).toBe("eager_admin_tasks.add");
    expect(tsCreate.id.name).toBe(taskOf(EagerTasks.add).name);
    expect(pyCreate.spec.template.type).toBe("python-task");
    expect(tsCreate.spec.template.type).toBe(taskOf(EagerTasks.add).taskType);
    expect(pyCreate.spec.template.metadata.runtime).toMatchObject({ type: "FLYTE_SDK", flavor: "python" });
    expect(tsCreate.spec.template.metadata.runtime).toMatchObject({ type: "FLYTE_SDK", flavor: "typescript" });
    expect(pyCreate.spec.template.container.args[0]).toBe("pyflyte-execute");
    expect(tsCreate.spec.template.container.args[0]).toBe("flytekit-ts-execute");
    // Both carry Flyte's templates in the same places.
    const templates = (args: string[]) => args.filter((a) => a.startsWith("{{"));
    expect(templates(tsCreate.spec.template.container.args)).toEqual(templates(pyCreate.spec.template.container.args));
    // The docs: both send a DescriptionEntity with an empty RST long description.
    expect(tsCreate.spec.description).toEqual({ longDescription: { format: "DESCRIPTION_FORMAT_RST" } });
    // Everything else is the same: the id's project, domain, version; the image; resources; metadata; the interface.
    const strip = (j: JsonValue) => withoutFields(j, Object.keys(CREATE_TASK_DIFFERENCES));
    expect(strip(tsCreate)).toEqual(strip(pyCreate));
    expect(tsCreate.id).toEqual({ ...pyCreate.id, name: tsCreate.id.name });
    expect(tsCreate.spec.template.container.image).toBe(IMAGE);
    expect(tsCreate.spec.template.interface).toEqual(pyCreate.spec.template.interface);
  });

  /** The differences we mean in CreateExecution. */
  const CREATE_EXECUTION_DIFFERENCES: Record<string, string> = {
    name: "the last 16 hex digits: flytekit hashes Python's text of the native inputs (`{'x': 5, 'y': 1}`), which TypeScript cannot write; we hash the inputs' literals (flytekit's compute_hash_string). The rest of the name is the same: compared below",
    "spec.launchPlan.name": "the inner task's name (see CreateTask)",
  };

  it("CreateExecution: the execution's name, spec (launch plan, metadata, labels, envs, notifications) and inputs", () => {
    const pyCreates = py.calls("CreateExecution").map(jsonOf);
    const tsCreates = ts.calls("CreateExecution").map(jsonOf);
    expect(tsCreates).toHaveLength(pyCreates.length);
    for (const [i, pyCreate] of pyCreates.entries()) {
      const tsCreate = tsCreates[i]!;
      const shape = (name: string) => name.replace(/[0-9a-f]{16}$/, "<hash>");
      expect(shape(tsCreate.name)).toBe(shape(pyCreate.name));
      expect(shape(pyCreate.name)).toBe("e-pipeline-eager-add-<hash>");
      expect(tsCreate.spec.launchPlan.name).toBe(taskOf(EagerTasks.add).name);
      const strip = (j: JsonValue) => withoutFields(j, Object.keys(CREATE_EXECUTION_DIFFERENCES));
      expect(strip(tsCreate)).toEqual(strip(pyCreate));
    }
    // Spelled out, what both send:
    expect(pyCreates[0]!.spec).toEqual({
      launchPlan: { resourceType: "TASK", project: PROJECT, domain: DOMAIN, name: "eager_admin_tasks.add", version: VERSION },
      metadata: { principal: "placeholder" },
      notifications: {},
      labels: { values: { "eager-exec": EAGER_EXECUTION, "eager-root-exec": EAGER_EXECUTION } },
      annotations: {},
      authRole: {},
      envs: { values: [{ key: "_F_EE_ROOT", value: EAGER_EXECUTION }] },
    });
    expect(pyCreates.map((c) => c.inputs)).toEqual([
      { literals: { x: { scalar: { primitive: { integer: "5" } } }, y: { scalar: { primitive: { integer: "1" } } } } },
      { literals: { x: { scalar: { primitive: { integer: "6" } } }, y: { scalar: { primitive: { integer: "2" } } } } },
    ]);
  });

  it("GetExecution and GetExecutionData: the execution's id, and nothing else", () => {
    for (const method of ["GetExecution", "GetExecutionData"]) {
      const ids = (s: AdminStandIn) => s.calls(method).map((r) => ({ ...jsonOf(r), id: { ...jsonOf(r).id, name: "<name>" } }));
      expect(new Set(ids(ts).map((j) => JSON.stringify(j)))).toEqual(new Set(ids(py).map((j) => JSON.stringify(j))));
      expect(ids(ts)[0]).toEqual({ id: { project: PROJECT, domain: DOMAIN, name: "<name>" } });
    }
    // GetTask asks for the id CreateTask registers.
    expect(jsonOf(ts.calls("GetTask")[0]!).id).toEqual(jsonOf(ts.calls("CreateTask")[0]!).id);
    expect(jsonOf(py.calls("GetTask")[0]!).id).toEqual(jsonOf(py.calls("CreateTask")[0]!).id);
  });

  it("a second attempt of the eager execution finds the executions the first started, as flytekit's does", async () => {
    // The same eager execution again (Flyte's retry of the pod): every CreateExecution is ALREADY_EXISTS.
    const before = ts.executions.size;
    ts.executions.delete(EAGER_EXECUTION);
    const again = await runEager(ts, toTaskSpec(taskOf(EagerTasks.pipeline), settings), 5);
    expect(again.phase, again.stderr).toBe(WorkflowExecution_Phase.SUCCEEDED);
    expect(fromLiteralMap({ o0: Int }, again.outputs!)).toEqual({ o0: 8 });
    expect(ts.executions.size).toBe(before);
  }, 120_000);
});

describe("our eager task in its container", () => {
  let standIn: AdminStandIn;
  beforeAll(async () => {
    standIn = await startAdminStandIn(options({ inlineOutputs: false }));
  });
  afterAll(async () => standIn?.close());

  it("runs inner tasks at once through Promise.all, reading their outputs from the store", async () => {
    const played = await runEager(standIn, toTaskSpec(taskOf(EagerTasks.fanOut), settings), 10, "fanout1");
    expect(played.phase, played.stderr).toBe(WorkflowExecution_Phase.SUCCEEDED);
    expect(fromLiteralMap({ o0: Int }, played.outputs!)).toEqual({ o0: 11 * 12 });
    const inner = [...standIn.executions.values()].filter((e) => e.id.name !== "fanout1");
    expect(inner).toHaveLength(2);
    // Both were started before either ended.
    const lastStart = Math.max(...inner.map((e) => e.createdAt.getTime()));
    const firstEnd = Math.min(...inner.map((e) => e.endedAt!.getTime()));
    expect(lastStart).toBeLessThan(firstEnd);
  }, 120_000);

  it("a nested eager task runs as an execution that starts its own, labelled with the root eager execution (_F_EE_ROOT)", async () => {
    const played = await runEager(standIn, toTaskSpec(taskOf(EagerTasks.outer), settings), 1, "nested1");
    expect(played.phase, played.stderr).toBe(WorkflowExecution_Phase.SUCCEEDED);
    expect(fromLiteralMap({ o0: Int }, played.outputs!)).toEqual({ o0: 104 });
    const creates = standIn.calls("CreateExecution").map(jsonOf).filter((c) => c.spec.labels.values["eager-root-exec"] === "nested1");
    const inner = creates.find((c) => c.spec.launchPlan.name === taskOf(EagerTasks.pipeline).name)!;
    expect(inner.name).toMatch(/^e-outer-neste-pipeline-[0-9a-f]{16}$/);
    expect(inner.spec.labels.values).toEqual({ "eager-exec": "nested1", "eager-root-exec": "nested1" });
    // The nested eager task's own calls: its execution is their tag, the outer one their root.
    const nested = creates.filter((c) => c.spec.labels.values["eager-exec"] === inner.name);
    expect(nested.map((c) => c.spec.launchPlan.name)).toEqual([taskOf(EagerTasks.add).name, taskOf(EagerTasks.add).name]);
    for (const c of nested) {
      expect(c.spec.envs).toEqual({ values: [{ key: "_F_EE_ROOT", value: "nested1" }] });
      expect(c.name).toMatch(/^e-pipeline-e-out-add-[0-9a-f]{16}$/);
    }
    expect(creates).toHaveLength(4);
  }, 180_000);

  it("an inner failure fails the eager task with an error document naming the inner task, the eager task and the execution", async () => {
    const played = await runEager(standIn, toTaskSpec(taskOf(EagerTasks.failing), settings), 3, "failing1");
    expect(played.phase).toBe(WorkflowExecution_Phase.FAILED);
    const message = played.error!.message;
    const boom = taskOf(EagerTasks.boom).name;
    const failing = taskOf(EagerTasks.failing).name;
    // Each task is named once: the eager call's error names both, the execution's error around it only the execution.
    expect(message).toMatch(new RegExp(`task '${boom.replace(/[.]/g, "\\.")}', called from eager task '${failing.replace(/[.]/g, "\\.")}': it failed: execution 'e-failing-faili-boom-[0-9a-f]{16}': failed \\(FAILED\\): `));
    // The document has the error twice (its trace, then its message): the last one's framing, up to the inner task's own error.
    const start = message.lastIndexOf("EagerCallError: ");
    const framing = message.slice(start, message.indexOf("USER:RuntimeError", start));
    expect(framing.split(`task '${boom}'`)).toHaveLength(2);
    expect(framing.split(`task '${failing}'`)).toHaveLength(2);
    expect(message).toContain("boom at 3");
    // flytekit's code for an eager task whose inner execution failed (recorded under the same stand-in).
    expect(played.error!.code).toBe("USER:NonRecoverableSystemError");
    expect(played.error!.kind).toBe(ExecutionError_ErrorKind.USER);
    const inner = [...standIn.executions.values()].find((e) => e.id.name.startsWith("e-failing-faili-boom-"))!;
    expect(inner.phase).toBe(WorkflowExecution_Phase.FAILED);
  }, 120_000);
});


describe("override() inside an eager task on a cluster", () => {
  let standIn: AdminStandIn;
  beforeAll(async () => {
    standIn = await startAdminStandIn(options());
  });
  afterAll(async () => {
    await standIn?.close();
  });

  it("registers the task and its override under two versions, and each execution runs its own", async () => {
    const played = await runEager(standIn, toTaskSpec(taskOf(EagerTasks.overridden), settings), 5, "overridden1");
    expect(played.phase, played.stderr).toBe(WorkflowExecution_Phase.SUCCEEDED);
    expect(fromLiteralMap({ o0: Int }, played.outputs!)).toEqual({ o0: 8 });
    const addName = taskOf(EagerTasks.add).name;
    const creates = standIn.calls("CreateTask").map(jsonOf).filter((c) => c.id.name === addName);
    expect(creates.map((c) => c.id.version)).toEqual([VERSION, expect.stringMatching(/^v1-[0-9a-f]{10}$/)]);
    expect(creates[0]!.spec.template.metadata.retries?.retries ?? 0).toBe(0);
    expect(creates[1]!.spec.template.metadata.retries.retries).toBe(5);
    const launched = standIn.calls("CreateExecution").map(jsonOf).filter((c) => c.spec.labels.values["eager-exec"] === "overridden1");
    expect(launched.map((c) => c.spec.launchPlan.version)).toEqual([VERSION, creates[1]!.id.version]);
  }, 180_000);
});

describe("when Flyte stops the eager pod", () => {
  let standIn: AdminStandIn;
  beforeAll(async () => {
    standIn = await startAdminStandIn(options());
  });
  afterAll(async () => {
    await standIn?.close();
  });

  for (const signal of ["SIGTERM", "SIGINT"] as const) {
    it(`${signal}: every inner execution still running is terminated, then the process ends on the signal with no document`, async () => {
      const spec = toTaskSpec(taskOf(EagerTasks.stoppable), settings);
      standIn.register(spec);
      const terminatedBefore = standIn.calls("TerminateExecution").length;
      const name = `stopped-${signal.toLowerCase()}`;
      const played = await standIn.launch({ project: PROJECT, domain: DOMAIN, name, task: { project: PROJECT, domain: DOMAIN, name: spec.template!.id!.name, version: VERSION }, inputs: toLiteralMap({ x: Int }, { x: 1 }) });
      const slowName = taskOf(EagerTasks.slow).name;
      const addName = taskOf(EagerTasks.add).name;
      const mine = () => [...standIn.executions.values()].filter((e) => e.request.spec?.labels?.values["eager-exec"] === name);
      const slow = () => mine().filter((e) => e.request.spec?.launchPlan?.name === slowName);
      // Both slow executions are running (their processes started), the add has ended.
      for (let waited = 0; !(slow().length === 2 && slow().every((e) => e.child !== undefined)); waited += 100) {
        if (waited > 90_000 || played.child === undefined) throw new Error(`the slow executions did not start: ${played.stderr}`);
        await new Promise((r) => setTimeout(r, 100));
      }
      const added = mine().filter((e) => e.request.spec?.launchPlan?.name === addName);
      expect(added.map((e) => e.phase)).toEqual([WorkflowExecution_Phase.SUCCEEDED]);

      played.child!.kill(signal);
      await played.done;
      await standIn.settled();

      const terminated = standIn.calls("TerminateExecution").slice(terminatedBefore).map((r) => (r.json as { id: { name: string } }).id.name);
      expect(terminated.sort()).toEqual(slow().map((e) => e.id.name).sort());
      for (const e of slow()) expect(e.phase).toBe(WorkflowExecution_Phase.ABORTED);
      expect(played.stderr).toContain(`${signal} received: stopping eager task ${spec.template!.id!.name}`);
      // Ended by the signal itself (no exit code), with neither outputs nor an error document.
      expect(played.exitCode).toBeNull();
      expect(played.error?.code).toBe("ContainerFailed");
      // Nothing was started after the stop.
      expect(mine()).toHaveLength(3);
    }, 180_000);
  }
});

describe("with every execution's data in a bucket (MinIO)", () => {
  let minio: Minio;
  let standIn: AdminStandIn;
  beforeAll(async () => {
    minio = await startMinio(["flyte"]);
    const store: StandInStore = {
      root: "s3://flyte",
      async write(uri, bytes) {
        const [, bucket, key] = /^s3:\/\/([^/]+)\/(.*)$/.exec(uri)!;
        await minio.client.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: bytes }));
      },
      async read(uri) {
        const [, bucket, key] = /^s3:\/\/([^/]+)\/(.*)$/.exec(uri)!;
        try {
          return await (await minio.client.send(new GetObjectCommand({ Bucket: bucket, Key: key }))).Body!.transformToByteArray();
        } catch (e) {
          if ((e as Error).name === "NoSuchKey") return undefined;
          throw e;
        }
      },
    };
    // FlyteAdmin does not inline the outputs here: the eager task reads them from the bucket.
    standIn = await startAdminStandIn(options({ store, inlineOutputs: false, env: { ...cleanEnv(), HOME: home, ...minio.env } }));
  }, 600_000);
  afterAll(async () => {
    await standIn?.close();
    await minio?.stop();
  });

  it("our eager task reads its inputs, its inner executions' outputs and writes its own through s3://", async () => {
    const played = await runEager(standIn, toTaskSpec(taskOf(EagerTasks.pipeline), settings), 30, "s3run1");
    expect(played.phase, played.stderr).toBe(WorkflowExecution_Phase.SUCCEEDED);
    expect(played.outputPrefix).toMatch(/^s3:\/\/flyte\//);
    expect(fromLiteralMap({ o0: Int }, played.outputs!)).toEqual({ o0: 33 });
    expect(standIn.calls("GetExecutionData").map((r) => (r.json as { id: { name: string } }).id.name)).toHaveLength(2);
  }, 120_000);
});

describe("in a container without FlyteAdmin's configuration", () => {
  it("the eager task fails naming what is missing, and a plain task never loads the FlyteAdmin client", async () => {
    const spec = toTaskSpec(taskOf(EagerTasks.pipeline), settings);
    const ssc = spec.template!.target.case === "container" ? spec.template!.target.value.env.find((e) => e.key === "_F_SS_C")!.value : "";
    const area = workArea(toLiteralMap({ x: Int }, { x: 1 }));
    const env = { ...cleanEnv(), HOME: home, _F_SS_C: ssc, FLYTE_INTERNAL_EXECUTION_PROJECT: PROJECT, FLYTE_INTERNAL_EXECUTION_DOMAIN: DOMAIN, FLYTE_INTERNAL_EXECUTION_ID: "noconfig1" };
    const { result, modules } = await loadedBy(executeArgs(area, "support/eager-tasks.ts", "EagerTasks.pipeline"), env);
    const r = readOutputs(area.out, result);
    // An eager task's deck is always on, and written on failure too.
    expect(r.files, result.stderr).toEqual(["deck.html", "error.pb"]);
    const message = r.error!.error!.message;
    expect(message).toContain("FlyteAdmin: no endpoint is configured: FLYTE_PLATFORM_URL is not set and there is no config file");
    expect(message).toContain(`task '${taskOf(EagerTasks.pipeline).name}'`);
    expect(modules.filter((m) => m.endsWith(join("dist", "bundle", "admin.js")))).toHaveLength(1);

    // A plain task's run loads nothing of it.
    const plain = workArea(toLiteralMap({ x: Int, y: Int }, { x: 1, y: 2 }));
    const { result: plainResult, modules: plainModules } = await loadedBy(executeArgs(plain, "support/eager-tasks.ts", "EagerTasks.add"), env);
    expect(readOutputs(plain.out, plainResult).files, plainResult.stderr).toEqual(["outputs.pb"]);
    expect(plainModules.some((m) => m.endsWith(join("dist", "bundle", "execute.js")))).toBe(true);
    expect(plainModules.filter((m) => m.endsWith(join("dist", "bundle", "admin.js")))).toEqual([]);
    expect(plainModules.filter((m) => /[\\/]@connectrpc[\\/]/.test(m) || (m.endsWith(".js") && m.includes("dist/bundle") && readFileSync(m, "utf8").includes("@connectrpc/")))).toEqual([]);
  }, 120_000);
});

/** flytekit-ts-execute with every ES module it loads reported (the bundles are ES modules). */
async function loadedBy(args: string[], env: NodeJS.ProcessEnv) {
  const dir = mkdtempSync(join(tmpdir(), "flytekit-ts-loaded-"));
  const esm = join(dir, "esm.txt");
  const result = await runProcess(process.execPath, [EXECUTE_BIN, ...args], {
    cwd: TEST_ROOT,
    env: { ...env, NODE_OPTIONS: `--import ${join(TEST_ROOT, "support/report-loaded-esm.mjs")}`, FLYTEKIT_TS_TEST_LOADED_ESM_REPORT: esm },
  });
  const urls = existsSync(esm) ? readFileSync(esm, "utf8").split("\n").filter((l) => l.startsWith("file:")) : [];
  return { result, modules: urls.map((u) => fileURLToPath(u)) };
}
