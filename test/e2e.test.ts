// The whole path, as a user and a Flyte cluster take it: `flytekit-ts serialize` writes TaskSpec
// files; an independent reader (the protobufjs build shipped in @flyteorg/flyteidl) decodes them
// and they are what we expect, field for field; then flytekit-ts-execute runs each task as a
// container would, with exactly its template's args (templates filled with temporary paths).
import { fromBinary, toJson } from "@bufbuild/protobuf";
import { admin, ContainerError_Kind, ExecutionError_ErrorKind, type LiteralMap } from "@flytekit-ts/core/idl";
import { mkdtempSync, readdirSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { CLI_BIN, cleanEnv, EXECUTE_BIN, fillTemplates, readOutputs, runProcess, workArea, type ProcessResult } from "./support/execute.js";
import { pbjs, plain, type PbjsMessage } from "./support/pbjs.js";
import { fromLiteralMap, toLiteralMap } from "@flytekit-ts/core/internal";
import { Int, List, Str, VERSION } from "@flytekit-ts/core";

const core = pbjs.flyteidl.core as unknown as Record<string, Record<string, number>>;
const TASK = core.ResourceType!.TASK;
const FLYTE_SDK = (core.RuntimeMetadata as unknown as { RuntimeType: Record<string, number> }).RuntimeType.FLYTE_SDK;
const INTEGER = core.SimpleType!.INTEGER;
const STRING = core.SimpleType!.STRING;
const RES = (core.Resources as unknown as { ResourceName: Record<string, number> }).ResourceName;
const MOUNT = (core.Secret as unknown as { MountType: Record<string, number> }).MountType;
const FORMAT = (pbjs.flyteidl.admin as unknown as Record<string, Record<string, number>>).DescriptionFormat!;

const MODULE = "support/e2e-tasks.ts";
const runtime = { type: FLYTE_SDK, version: VERSION, flavor: "typescript" };
const id = (name: string) => ({ resourceType: TASK, project: "p", domain: "d", name: `support.e2e-tasks.${name}`, version: "v1" });
const args = (name: string) => [
  "flytekit-ts-execute",
  "--inputs", "{{.input}}",
  "--output-prefix", "{{.outputPrefix}}",
  "--raw-output-data-prefix", "{{.rawOutputDataPrefix}}",
  "--checkpoint-path", "{{.checkpointOutputPrefix}}",
  "--prev-checkpoint", "{{.prevCheckpointPrefix}}",
  "--resolver", "flytekit-ts.DefaultTaskResolver",
  "--", "task-module", MODULE, "task-name", name,
];
const variable = (simple: number, description: string) => ({ type: { simple }, description });
const plainMetadata = { runtime, retries: {}, generatesDeck: {}, metadata: {} };
const rst = { longDescription: { format: FORMAT.DESCRIPTION_FORMAT_RST } };

/** What each TaskSpec file must hold, as protobufjs reads it. */
const expected: Record<string, unknown> = {
  "Pipelines.add": {
    template: {
      id: id("Pipelines.add"),
      type: "typescript-task",
      metadata: plainMetadata,
      interface: { inputs: { variables: { x: variable(INTEGER, "x"), y: variable(INTEGER, "y") } }, outputs: { variables: { o0: variable(INTEGER, "o0") } } },
      container: { image: "docker.io/org/app:v1", args: args("Pipelines.add"), resources: {}, env: [{ key: "LOG", value: "debug" }] },
    },
    description: rst,
  },
  // A plugin task: its own type, and its config in `custom`.
  "Pipelines.shout": {
    template: {
      id: id("Pipelines.shout"),
      type: "shout",
      metadata: plainMetadata,
      interface: { inputs: { variables: { word: variable(STRING, "word") } }, outputs: { variables: { o0: variable(STRING, "o0") } } },
      custom: { times: 2, style: "upper" },
      container: { image: "docker.io/org/app:v1", args: args("Pipelines.shout"), resources: {}, env: [{ key: "LOG", value: "debug" }] },
    },
    description: rst,
  },
  "Pipelines.everything": {
    template: {
      id: id("Pipelines.everything"),
      type: "typescript-task",
      metadata: {
        discoverable: true,
        runtime,
        timeout: { seconds: "300" },
        retries: { retries: 2 },
        discoveryVersion: "1.0",
        deprecatedErrorMessage: "use Pipelines.add",
        interruptible: true,
        cacheSerializable: true,
        podTemplateName: "gpu-base",
        cacheIgnoreInputVars: ["label"],
        generatesDeck: { value: true },
        metadata: { labels: { team: "data" }, annotations: { "example.com/owner": "data" } },
      },
      interface: {
        inputs: { variables: { xs: { type: { collectionType: { simple: INTEGER } }, description: "the numbers" }, label: variable(STRING, "label") } },
        outputs: { variables: { total: variable(INTEGER, "their sum"), label: variable(STRING, "label") } },
      },
      container: {
        // containerImage "{{.images.gpu.fqn}}:{{.images.gpu.version}}" with --image gpu=ghcr.io/org/gpu:cuda12
        image: "ghcr.io/org/gpu:cuda12",
        args: args("Pipelines.everything"),
        resources: {
          requests: [
            { name: RES.EPHEMERAL_STORAGE, value: "2Gi" },
            { name: RES.CPU, value: "1" },
            { name: RES.MEMORY, value: "1Gi" },
          ],
          limits: [
            { name: RES.CPU, value: "2" },
            { name: RES.GPU, value: "1" },
            { name: RES.MEMORY, value: "2Gi" },
          ],
        },
        // The settings' env, then the task's own.
        env: [
          { key: "LOG", value: "debug" },
          { key: "MODE", value: "e2e" },
        ],
      },
      securityContext: { secrets: [{ group: "db", key: "password", mountRequirement: MOUNT.ENV_VAR }] },
      extendedResources: {
        gpuAccelerator: { device: "nvidia-tesla-a100", partitionSize: "2g.10gb" },
        sharedMemory: { mountPath: "/dev/shm", mountName: "flyte-shared-memory", sizeLimit: "2Gi" },
      },
    },
    description: { shortDescription: "Sums a list.", longDescription: { value: "Sums a list of integers, **carefully**.", format: FORMAT.DESCRIPTION_FORMAT_MARKDOWN } },
  },
  "Pipelines.inPod": {
    template: {
      id: id("Pipelines.inPod"),
      type: "typescript-task",
      metadata: plainMetadata,
      interface: { inputs: { variables: { n: variable(INTEGER, "n") } }, outputs: { variables: { o0: variable(INTEGER, "o0") } } },
      config: { primary_container_name: "main" },
      k8sPod: {
        metadata: { labels: { pod: "yes" } },
        podSpec: {
          containers: [
            {
              name: "main",
              volumeMounts: [{ name: "cache", mountPath: "/cache" }],
              image: "docker.io/org/app:v1",
              command: [],
              args: args("Pipelines.inPod"),
              env: [{ name: "LOG", value: "debug" }],
            },
          ],
          volumes: [{ name: "cache", emptyDir: {} }],
        },
      },
    },
    description: rst,
  },
};

interface Serialized {
  dir: string;
  files: string[];
  cli: ProcessResult;
  specs: Map<string, PbjsMessage>;
}
let serialized: Serialized;

beforeAll(async () => {
  const dir = join(mkdtempSync(join(tmpdir(), "flytekit-ts-e2e-")), "out");
  const cli = await runProcess(process.execPath, [
    CLI_BIN, "serialize", "--out", dir,
    "--project", "p", "--domain", "d", "--version", "v1",
    "--image", "docker.io/org/app:v1", "--image", "gpu=ghcr.io/org/gpu:cuda12",
    "--env", "LOG=debug", "--json",
    MODULE,
  ], { env: cleanEnv() });
  const files = readdirSync(dir).sort();
  const specs = new Map<string, PbjsMessage>();
  for (const f of files.filter((f) => f.endsWith(".pb"))) {
    const spec = (pbjs.flyteidl.admin.TaskSpec as unknown as { decode(b: Uint8Array): PbjsMessage }).decode(readFileSync(join(dir, f)));
    specs.set(f, spec);
  }
  serialized = { dir, files, cli, specs };
}, 60_000);

const fileOf = (index: number, name: string) => `${index}_support.e2e-tasks.${name}_1.pb`;
const order = ["Pipelines.add", "Pipelines.shout", "Pipelines.everything", "Pipelines.inPod"];

describe("flytekit-ts serialize", () => {
  it("writes one TaskSpec per task, named <index>_<task name>_1.pb in export order, and a .json beside each", () => {
    expect(serialized.cli.code, serialized.cli.stderr).toBe(0);
    const pbs = order.map((name, i) => fileOf(i, name));
    expect(serialized.files).toEqual([...pbs, ...pbs.map((f) => f.replace(/\.pb$/, ".json"))].sort());
    expect(serialized.cli.stdout).toContain("Successfully serialized 4 flyte entities");
  });

  for (const [i, name] of order.entries()) {
    it(`${name}: the independent reader decodes the TaskSpec we expect`, () => {
      const spec = serialized.specs.get(fileOf(i, name))!;
      expect(spec).toBeDefined();
      expect((pbjs.flyteidl.admin.TaskSpec as unknown as { verify(m: unknown): string | null }).verify(spec)).toBeNull();
      expect(plain(spec)).toEqual(expected[name]);
      // Variables keep their declaration order on the wire.
      const iface = spec.template.interface as PbjsMessage;
      const declared = (expected[name] as { template: { interface: { inputs: { variables: object } } } }).template.interface.inputs.variables;
      expect(Object.keys(iface.inputs.variables as object)).toEqual(Object.keys(declared));
    });

    it(`${name}: the .json is the same TaskSpec in protobuf JSON`, () => {
      const pb = readFileSync(join(serialized.dir, fileOf(i, name)));
      const json = JSON.parse(readFileSync(join(serialized.dir, fileOf(i, name).replace(/\.pb$/, ".json")), "utf8")) as unknown;
      expect(json).toEqual(toJson(admin.TaskSpecSchema, fromBinary(admin.TaskSpecSchema, pb)));
    });
  }
});

/** The container args of a serialized task: its container's, or its pod's primary container's. */
function containerArgs(name: string): { args: string[]; env: Record<string, string> } {
  const template = serialized.specs.get(fileOf(order.indexOf(name), name))!.template as PbjsMessage;
  if (template.container !== undefined && template.container !== null) {
    return { args: template.container.args as string[], env: Object.fromEntries((template.container.env as { key: string; value: string }[]).map((e) => [e.key, e.value])) };
  }
  const pod = plain(template.k8sPod) as { podSpec: { containers: { name: string; args: string[]; env: { name: string; value: string }[] }[] } };
  const primary = pod.podSpec.containers.find((c) => c.name === (template.config as Record<string, string>).primary_container_name)!;
  return { args: primary.args, env: Object.fromEntries(primary.env.map((e) => [e.name, e.value])) };
}

/** Starts flytekit-ts-execute as Flyte would: the template's args, its env, templates filled. */
async function runFromTemplate(name: string, inputs: LiteralMap, extraEnv: NodeJS.ProcessEnv = {}) {
  const area = workArea(inputs);
  const { args: templateArgs, env } = containerArgs(name);
  expect(templateArgs[0]).toBe("flytekit-ts-execute");
  const filled = fillTemplates(templateArgs, { inputs: area.inputs, outputPrefix: area.out, raw: area.raw, checkpoint: area.cp, previous: '""' });
  expect(filled.filter((a) => a.includes("{{"))).toEqual([]);
  const result = await runProcess(process.execPath, [EXECUTE_BIN, ...filled.slice(1)], { env: { ...cleanEnv(), ...env, ...extraEnv } });
  return readOutputs(area.out, result);
}

describe("flytekit-ts-execute runs each serialized task from its template's args", () => {
  it("a function task", async () => {
    const r = await runFromTemplate("Pipelines.add", toLiteralMap({ x: Int, y: Int }, { x: 40, y: 2 }));
    expect(r.code, r.stderr).toBe(0);
    expect(r.files).toEqual(["outputs.pb"]);
    expect(fromLiteralMap({ o0: Int }, r.outputs!, "output")).toEqual({ o0: 42 });
  });

  it("a plugin task: the plugin's task class runs its part around the body", async () => {
    const r = await runFromTemplate("Pipelines.shout", toLiteralMap({ word: Str }, { word: "hey" }));
    expect(r.files, r.stderr).toEqual(["outputs.pb"]);
    expect(fromLiteralMap({ o0: Str }, r.outputs!, "output")).toEqual({ o0: "HEY HEY" });
  });

  it("the task with every option: its env and its secret reach the body", async () => {
    const r = await runFromTemplate("Pipelines.everything", toLiteralMap({ xs: List(Int), label: Str }, { xs: [1, 2, 3], label: "run" }), { _FSEC_DB_PASSWORD: "hunter2" });
    // Its decks are on: deck.html beside the outputs, as pyflyte-execute writes it.
    expect(r.files, r.stderr).toEqual(["deck.html", "outputs.pb"]);
    expect(fromLiteralMap({ total: Int, label: Str }, r.outputs!, "output")).toEqual({ total: 6, label: "run (e2e, secret of 7 chars)" });
  });

  it("the task with every option, failing recoverably: error.pb as Flyte reads it", async () => {
    const r = await runFromTemplate("Pipelines.everything", toLiteralMap({ xs: List(Int), label: Str }, { xs: [1, -2], label: "bad" }), { _FSEC_DB_PASSWORD: "x" });
    expect(r.code).toBe(0);
    expect(r.files).toEqual(["deck.html", "error.pb"]);
    expect(r.error!.error).toMatchObject({ code: "USER:Recoverable", kind: ContainerError_Kind.RECOVERABLE, origin: ExecutionError_ErrorKind.USER });
    expect(r.error!.error!.message).toContain("RecoverableError: negative numbers in bad");
    // The independent reader reads the error document too.
    const theirs = (pbjs.flyteidl.core.ErrorDocument as unknown as { decode(b: Uint8Array): PbjsMessage }).decode(readFileSync(join(r.outDir, "error.pb")));
    expect(theirs.error.code).toBe("USER:Recoverable");
    expect(theirs.error.kind).toBe((core.ContainerError as unknown as { Kind: Record<string, number> }).Kind.RECOVERABLE);
  });

  it("a task with a pod template, from its primary container's args", async () => {
    const r = await runFromTemplate("Pipelines.inPod", toLiteralMap({ n: Int }, { n: 12 }));
    expect(r.files, r.stderr).toEqual(["outputs.pb"]);
    expect(fromLiteralMap({ o0: Int }, r.outputs!, "output")).toEqual({ o0: 144 });
    // What protobufjs reads of outputs.pb is what we meant.
    const theirs = (pbjs.flyteidl.core.LiteralMap as unknown as { decode(b: Uint8Array): PbjsMessage }).decode(r.outputsBytes!);
    expect(theirs.literals.o0.scalar.primitive.integer.toString()).toBe("144");
  });
});
