// Raw container tasks' TaskTemplates against those the real flytekit 1.16.24 writes for the same
// ContainerTask declarations (test/interop/raw_container_tasks.py, run here): declared as values
// (`new ContainerTask`) and with `@containerTask` on a class, compared field by field as protobuf-es
// JSON after decoding both. Intended differences, blanked before comparing: metadata.runtime (our
// SDK's version and flavor), and for the decorator form the task's name (a class decorator names
// its task `<module>.<Class>`).
import { clone, equals, fromBinary, toJson } from "@bufbuild/protobuf";
import { ContainerTask, Datetime, Directory, Duration, File, Float, Int, List, PodTemplate, Resources, Secret, Str, Bool, taskOf, templateToBinary, toTaskTemplate, type ContainerTaskInit, type Task } from "@flytekit-ts/core";
import { admin, TaskTemplateSchema, type TaskTemplate } from "@flytekit-ts/core/idl";
import { toTaskSpec } from "@flytekit-ts/core/registration";
import { containerTask } from "@flytekit-ts/decorators";
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readdirSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { CLI_BIN, cleanEnv, runProcess, TEST_ROOT } from "./support/execute.js";
import { plainSettings, richSettings } from "./support/golden-settings.js";
import { ensureFlytekit, PY_DIR } from "./support/python.js";
import { ELLIPSE } from "./support/raw-container-ellipse.js";

const SETTINGS = {
  plain: plainSettings(),
  rich: richSettings({
    env: { E: "settings", S: "s" },
    defaultResources: { requests: new Resources({ cpu: "1", mem: "1Gi" }), limits: new Resources({ cpu: "2" }) },
  }),
};

function podSpec(withOwnPrimary: boolean) {
  const containers: object[] = [{ name: "sidecar", image: "{{.image.default.fqn}}:side", command: ["sleep", "inf"] }];
  if (withOwnPrimary) containers.unshift({ name: "main", args: ["ignored"], env: [{ name: "OWN", value: "1" }], volumeMounts: [{ name: "scratch", mountPath: "/scratch" }] });
  return { containers, volumes: [{ name: "scratch", emptyDir: {} }] } as never;
}

/** Each case: the declaration (flytekit's, in raw_container_tasks.py) and the settings it is serialized with. */
const CASES: Record<string, { init: ContainerTaskInit; settings: keyof typeof SETTINGS }> = {
  ellipse: { init: { name: "ellipse-area-metadata-shell", ...ELLIPSE }, settings: "plain" },
  arguments: {
    init: {
      name: "raw.arguments",
      image: "alpine:3.19",
      command: ["sh", "-c"],
      arguments: ["echo $(( {{.inputs.x}} + {{ .Inputs.y }} )) > /var/outputs/sum", "--flag={{$inputs.x}}", "{{.outputPrefix}}"],
      inputs: { x: Int, y: Int },
      outputs: { sum: Int },
      inputDataDir: "/var/inputs",
      outputDataDir: "/var/outputs",
    },
    settings: "plain",
  },
  yaml: { init: { name: "raw.yaml", metadataFormat: "YAML", ...ELLIPSE, image: "python:3.12" }, settings: "plain" },
  proto: { init: { name: "raw.proto", metadataFormat: "PROTO", ...ELLIPSE, image: "python:3.12" }, settings: "plain" },
  no_dirs: { init: { name: "raw.no_dirs", image: "busybox", command: ["cat", "/var/flyte/inputs/inputs.json"], inputs: { s: Str }, outputs: { o: Str } }, settings: "plain" },
  no_interface: { init: { name: "raw.no_interface", image: "busybox", command: ["true"] }, settings: "plain" },
  empty_arguments: { init: { name: "raw.empty_arguments", image: "busybox", command: ["true"], arguments: [] }, settings: "plain" },
  options: {
    init: {
      name: "raw.options",
      image: "busybox",
      command: ["sh", "-c", "echo {{.inputs.s}} > /var/outputs/o"],
      inputs: { s: Str },
      outputs: { o: Str },
      outputDataDir: "/var/outputs",
      requests: new Resources({ cpu: "1", mem: "1Gi", ephemeralStorage: "2Gi" }),
      limits: new Resources({ cpu: "2", mem: "2Gi", gpu: "1" }),
      environment: { B: "2", A: "1" },
      secretRequests: [new Secret({ group: "g", key: "k" }), new Secret({ group: "h", key: "k2", mountRequirement: Secret.MountType.FILE })],
      retries: 3,
      timeout: 300,
      cache: true,
      cacheVersion: "1.0",
      cacheSerialize: true,
      cacheIgnoreInputVars: ["s"],
      interruptible: true,
      deprecated: "use raw.other",
      labels: { team: "a" },
      annotations: { note: "x" },
    },
    settings: "plain",
  },
  resources_pair: { init: { name: "raw.resources_pair", image: "busybox", command: ["true"], resources: new Resources({ cpu: ["1", "2"], mem: "1Gi" }) }, settings: "plain" },
  rich_settings: { init: { name: "raw.rich_settings", image: "{{.image.other.fqn}}:{{.image.other.version}}", command: ["run"], environment: { E: "task", T: "t" } }, settings: "rich" },
  pod_template: {
    init: {
      name: "raw.pod_template",
      podTemplate: new PodTemplate({ podSpec: podSpec(true), primaryContainerName: "main", labels: { l: "1" }, annotations: { a: "2" } }),
      requests: new Resources({ cpu: "1", mem: "1Gi" }),
      environment: { T: "1" },
      metadataFormat: "YAML",
      ...ELLIPSE,
    },
    settings: "plain",
  },
  pod_template_arguments: {
    init: { name: "raw.pod_template_arguments", podTemplate: new PodTemplate({ podSpec: podSpec(false) }), image: "busybox", command: ["sh", "-c"], arguments: ["echo {{.inputs.x}}"], inputs: { x: Int } },
    settings: "plain",
  },
  docs: { init: { name: "raw.docs", docs: { short: "Area of an ellipse", long: "Reads *a* and *b*." }, ...ELLIPSE }, settings: "plain" },
  pod_template_own_image: {
    init: {
      name: "raw.pod_template_own_image",
      podTemplate: new PodTemplate({ podSpec: { containers: [{ name: "primary", image: "{{.image.default.fqn}}:own" }] } }),
      image: "busybox",
      command: ["true"],
      arguments: [],
    },
    settings: "plain",
  },
  pod_template_name: { init: { name: "raw.pod_template_name", podTemplateName: "my-template", image: "busybox", command: ["true"] }, settings: "plain" },
  files: {
    init: {
      name: "raw.files",
      image: "busybox",
      command: ["sh", "/var/inputs/infile", "/var/inputs/indir", "{{.inputs.when}}", "{{.inputs.xs}}"],
      inputs: { infile: File, indir: Directory, xs: List(Int), when: Datetime, d: Duration, flag: Bool, n: Int },
      outputs: { out: File, folder: Directory, count: Int, at: Datetime, ok: Bool, took: Duration },
      inputDataDir: "/var/inputs",
      outputDataDir: "/var/outputs",
    },
    settings: "plain",
  },
};

// The same declarations on classes: the options minus the name.
function declared(init: ContainerTaskInit): Task {
  const { name: _name, ...options } = init;
  class Declared {}
  containerTask(options)(Declared);
  return taskOf(Declared);
}

let flytekit: { templates: Record<string, string>; specs: Record<string, string>; io_strategy: string; kubernetes: string };
beforeAll(() => {
  const { python } = ensureFlytekit();
  const out = execFileSync(python, [join(PY_DIR, "raw_container_tasks.py")], { cwd: PY_DIR, encoding: "utf8", env: { ...process.env, PYTHONPATH: PY_DIR, PYTHONDONTWRITEBYTECODE: "1" } });
  flytekit = JSON.parse(out) as typeof flytekit;
}, 600_000);

/** The kubernetes client the interop venv pins (test/interop/constraints.txt): the one flytekit's pod specs are made with. */
const KUBERNETES = /^kubernetes==(\S+)$/m.exec(readFileSync(join(PY_DIR, "constraints.txt"), "utf8"))![1];

/** A template with our intended differences blanked: the runtime; the name, when the names differ on purpose. */
function comparable(t: TaskTemplate, name?: string): TaskTemplate {
  const c = clone(TaskTemplateSchema, t);
  if (c.metadata !== undefined) c.metadata.runtime = undefined;
  if (name !== undefined && c.id !== undefined) c.id.name = name;
  return c;
}

function expectSame(ours: TaskTemplate, theirs: TaskTemplate): void {
  if (!equals(TaskTemplateSchema, ours, theirs)) expect(toJson(TaskTemplateSchema, ours)).toEqual(toJson(TaskTemplateSchema, theirs));
  expect(equals(TaskTemplateSchema, ours, theirs)).toBe(true);
}

describe("raw container templates against flytekit 1.16.24's ContainerTask", () => {
  it("has flytekit make the pod specs with the real kubernetes client, at the pinned version", () => {
    expect(flytekit.kubernetes).toBe(KUBERNETES);
  });

  it("covers every case flytekit serialized", () => {
    expect(Object.keys(flytekit.templates).sort()).toEqual(Object.keys(CASES).sort());
  });

  for (const [name, { init, settings }] of Object.entries(CASES)) {
    it(`${name}: new ContainerTask gives flytekit's template, but for the runtime`, () => {
      const theirs = fromBinary(TaskTemplateSchema, Buffer.from(flytekit.templates[name]!, "base64"));
      const ours = toTaskTemplate(new ContainerTask(init), SETTINGS[settings]);
      expectSame(comparable(ours), comparable(theirs));
      // Through our encoder's bytes too.
      expectSame(comparable(fromBinary(TaskTemplateSchema, templateToBinary(ours))), comparable(theirs));
    });

    it(`${name}: the registration file's description is flytekit's (none without docs)`, () => {
      const theirs = fromBinary(admin.TaskSpecSchema, Buffer.from(flytekit.specs[name]!, "base64")).description;
      const ours = toTaskSpec(new ContainerTask(init), SETTINGS[settings]).description;
      expect(ours === undefined ? undefined : toJson(admin.DescriptionEntitySchema, ours)).toEqual(theirs === undefined ? undefined : toJson(admin.DescriptionEntitySchema, theirs));
    });

    it(`${name}: @containerTask on a class gives the same template, but for the name`, () => {
      const theirs = fromBinary(TaskTemplateSchema, Buffer.from(flytekit.templates[name]!, "base64"));
      const task = declared(init);
      expect(task).toBeInstanceOf(ContainerTask);
      expect(task.name).toBe("raw-container-serialize.test.Declared");
      expectSame(comparable(toTaskTemplate(task, SETTINGS[settings]), init.name), comparable(theirs));
    });
  }

  it("writes the issue's ellipse task as the issue says: raw-container, command as given, no args, the two folders", () => {
    const t = toTaskTemplate(new ContainerTask(CASES.ellipse!.init), SETTINGS.plain);
    expect(t.type).toBe("raw-container");
    expect(t.target.case).toBe("container");
    const c = t.target.case === "container" ? t.target.value : undefined;
    expect(c?.image).toBe("ghcr.io/flyteorg/rawcontainers-shell:v2");
    expect(c?.command).toEqual(["./calculate-ellipse-area.sh", "{{.inputs.a}}", "{{.inputs.b}}", "/var/outputs"]);
    expect(c?.args).toEqual([]);
    expect(toJson(TaskTemplateSchema, t)).toMatchObject({ container: { dataConfig: { enabled: true, inputPath: "/var/inputs", outputPath: "/var/outputs" } } });
  });

  it("a pod template's primary container has no args key without arguments, and has it with them (flytekit's None)", () => {
    const spec = (n: string) => {
      const t = toTaskTemplate(new ContainerTask(CASES[n]!.init), SETTINGS.plain);
      const pod = t.target.case === "k8sPod" ? t.target.value : undefined;
      return (pod?.podSpec?.containers as { name: string; args?: string[] }[]).find((c) => c.name === (n === "pod_template" ? "main" : "primary"))!;
    };
    expect("args" in spec("pod_template")).toBe(false);
    expect(spec("pod_template_arguments").args).toEqual(["echo {{.inputs.x}}"]);
  });

  it("writes the io strategy as flyteidl's IOStrategy, which flytekit 1.16.24 cannot serialize at all", () => {
    expect(flytekit.io_strategy).toBe("AttributeError: 'int' object has no attribute 'to_flyte_idl'");
    const t = toTaskTemplate(new ContainerTask({ name: "raw.io", ...ELLIPSE, ioStrategy: { downloadMode: "STREAM", uploadMode: "EAGER" } }), SETTINGS.plain);
    expect(toJson(TaskTemplateSchema, fromBinary(TaskTemplateSchema, templateToBinary(t)))).toMatchObject({
      container: { dataConfig: { enabled: true, ioStrategy: { downloadMode: "DOWNLOAD_STREAM", uploadMode: "UPLOAD_EAGER" } } },
    });
    // Only what is given: the other mode stays at its default (eager download, upload on exit).
    const only = toTaskTemplate(new ContainerTask({ name: "raw.io2", ...ELLIPSE, ioStrategy: { uploadMode: "NO_UPLOAD" } }), SETTINGS.plain);
    expect(toJson(TaskTemplateSchema, only)).toMatchObject({ container: { dataConfig: { ioStrategy: { uploadMode: "DO_NOT_UPLOAD" } } } });
    expect(new ContainerTask({ name: "raw.io3", ...ELLIPSE }).getDataLoadingConfig().ioStrategy).toBeUndefined();
  });
});

describe("flytekit-ts serialize and package write raw container tasks (support/cli/raw-container-tasks.ts, from dist)", () => {
  const cli = (args: readonly string[]) => runProcess(process.execPath, [CLI_BIN, ...args], { cwd: TEST_ROOT, env: cleanEnv() });
  const flags = ["--project", "p", "--domain", "d", "--version", "v1", "--image", "docker.io/xyz:some-git-hash", "support/cli/raw-container-tasks.ts"];
  const templatesIn = (dir: string) => Object.fromEntries(readdirSync(dir).sort().map((f) => [f, fromBinary(admin.TaskSpecSchema, readFileSync(join(dir, f))).template!]));
  const expectEllipse = (templates: Record<string, TaskTemplate>) => {
    expect(Object.keys(templates)).toEqual(["0_ellipse-area-metadata-shell_1.pb", "1_support.cli.raw-container-tasks.EllipseArea_1.pb"]);
    const theirs = comparable(fromBinary(TaskTemplateSchema, Buffer.from(flytekit.templates.ellipse!, "base64")));
    for (const t of Object.values(templates)) expectSame(comparable(t, "ellipse-area-metadata-shell"), theirs);
  };

  it("serialize: the value and the decorated class, each flytekit's ellipse template but for the runtime (and the class's name)", async () => {
    const dir = join(mkdtempSync(join(tmpdir(), "flytekit-ts-raw-")), "out");
    const r = await cli(["serialize", "--out", dir, ...flags]);
    expect(r.code, r.stderr).toBe(0);
    expectEllipse(templatesIn(dir));
  });

  it("package: the same TaskSpecs inside flyte-package.tgz", async () => {
    const parent = mkdtempSync(join(tmpdir(), "flytekit-ts-raw-"));
    const output = join(parent, "flyte-package.tgz");
    const r = await cli(["package", "--output", output, ...flags]);
    expect(r.code, r.stderr).toBe(0);
    const dir = join(parent, "x");
    mkdirSync(dir);
    execFileSync("tar", ["-xzf", output, "-C", dir]);
    expectEllipse(templatesIn(dir));
  });
});
