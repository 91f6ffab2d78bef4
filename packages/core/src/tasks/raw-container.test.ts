// A raw container task's declaration: what it keeps, and each check that refuses a declaration
// where it is made, with the task and the field named. (Its templates against flytekit's are
// test/raw-container-serialize.test.ts.)
import { describe, expect, it } from "vitest";
import { Cache } from "./cache.js";
import { ContainerTask, type ContainerTaskInit } from "./raw-container.js";
import { definitionErrorOf } from "./testing.js";
import { Float, Int, Str } from "../types/scalars.js";
import { Directory, File } from "../types/blob.js";
import { List } from "../types/collections.js";
import { Optional } from "../types/union.js";
import { SerializationSettings } from "../serialize/settings.js";
import { ImageConfig } from "../serialize/image.js";
import { toTaskTemplate } from "../serialize/template.js";
import { PodTemplate } from "./pod-template.js";

const BASE: ContainerTaskInit = {
  name: "raw.t",
  image: "busybox",
  command: ["sh", "-c", "echo {{.inputs.a}} > /var/outputs/o"],
  inputs: { a: Float },
  outputs: { o: Float },
  outputDataDir: "/var/outputs",
};

function refused(change: Record<string, unknown>): string {
  return definitionErrorOf(() => new ContainerTask({ ...BASE, ...change } as ContainerTaskInit));
}

describe("ContainerTask: what a declaration keeps", () => {
  it("keeps command and arguments verbatim, the folders given, JSON by default", () => {
    const t = new ContainerTask({ ...BASE, arguments: ["{{ .Inputs.a }}"] });
    expect(t.taskType).toBe("raw-container");
    expect(t.command).toEqual(BASE.command);
    expect(t.arguments).toEqual(["{{ .Inputs.a }}"]);
    expect([t.inputDataDir, t.outputDataDir, t.metadataFormat]).toEqual([undefined, "/var/outputs", "JSON"]);
    expect(new ContainerTask(BASE).arguments).toBeUndefined();
  });

  it("gives a local run Flyte's default folders where none are named, and the task's env and local options", () => {
    const run = new ContainerTask({ ...BASE, outputDataDir: undefined, environment: { A: "1" }, local: { runtime: "process", workingDir: "/tmp" } }).rawContainerRun;
    expect(run).toMatchObject({ task: "raw.t", image: "busybox", args: [], inputDataDir: "/var/flyte/inputs", outputDataDir: "/var/flyte/outputs", metadataFormat: "JSON", env: { A: "1" }, local: { runtime: "process", workingDir: "/tmp" } });
  });

  it("versions a policy cache by its image, as a function task by its function", () => {
    const policy = { getVersion: (_salt: string, p: { containerImage?: string }) => p.containerImage ?? "none" };
    const version = (image: string) => new ContainerTask({ ...BASE, image, cache: new Cache({ policies: policy }) }).metadata.cacheVersion;
    expect(version("busybox:1")).not.toBe(version("busybox:2"));
  });

  it("resolves image templates against the settings' images when serialized", () => {
    const settings = new SerializationSettings({ project: "p", domain: "d", version: "v", imageConfig: ImageConfig.auto("docker.io/xyz:abc") });
    const t = toTaskTemplate(new ContainerTask({ ...BASE, image: "{{.image.default.fqn}}:raw" }), settings);
    expect(t.target.case === "container" && t.target.value.image).toBe("docker.io/xyz:raw");
  });
});

describe("ContainerTask: as every task", () => {
  it("override() changes settings and keeps the declaration", () => {
    const t = new ContainerTask({ ...BASE, retries: 1 });
    const o = t.override({ retries: 4, env: { A: "1" } });
    expect(o).toBeInstanceOf(ContainerTask);
    expect([o.metadata.retries, o.settings.environment, o.command, o.image, o.outputDataDir]).toEqual([4, { A: "1" }, BASE.command, "busybox", "/var/outputs"]);
    expect(t.metadata.retries).toBe(1);
  });

  it("a mock stands in for the container in tests", async () => {
    const { mockTask } = await import("../testing/mock.js");
    const t = new ContainerTask({ ...BASE, outputs: { area: Float, metadata: Str } });
    const mock = mockTask(t).returns({ area: 3.5, metadata: "m" });
    try {
      expect(await t.invoke({ a: 1 })).toEqual({ area: 3.5, metadata: "m" });
    } finally {
      mock.restore();
    }
  });
});

describe("ContainerTask: declarations refused where they are made", () => {
  it("a name", () => {
    expect(definitionErrorOf(() => new ContainerTask({ ...BASE, name: "" }))).toBe('ContainerTask: expected a name (a non-empty string), got "" (string)');
    expect(definitionErrorOf(() => new ContainerTask(undefined as never))).toBe("ContainerTask: expected a name (a non-empty string), got nothing");
  });

  it("an image", () => {
    expect(refused({ image: undefined })).toBe("task 'raw.t', image: expected an image (a non-empty string), got nothing");
    expect(refused({ image: 3 })).toBe("task 'raw.t', image: expected an image (a non-empty string), got 3 (number)");
  });

  it("a command of strings, and arguments of strings", () => {
    expect(refused({ command: undefined })).toBe("task 'raw.t', command: expected a list of strings, got nothing");
    expect(refused({ command: "echo hi" })).toBe('task \'raw.t\', command: expected a list of strings, got "echo hi" (string)');
    expect(refused({ command: ["echo", 1] })).toBe("task 'raw.t', command[1]: expected a string, got 1 (number)");
    expect(refused({ arguments: "x" })).toBe('task \'raw.t\', arguments: expected a list of strings, got "x" (string)');
  });

  it("a {{.inputs.x}} that names no input, in command or arguments, in any case and spacing propeller reads", () => {
    expect(refused({ command: ["echo", "{{.inputs.b}}"] })).toBe(
      "task 'raw.t', command[1]: \"{{.inputs.b}}\" uses input 'b', which the task does not have (inputs: a); declare it in inputs, or correct the name",
    );
    expect(refused({ arguments: ["--x={{ $Inputs.nope }}"] })).toMatch(/^task 'raw\.t', arguments\[0\]: "--x=\{\{ \$Inputs\.nope \}\}" uses input 'nope'/);
    expect(refused({ inputs: {}, command: ["{{.INPUTS.a}}"] })).toMatch(/uses input 'a', which the task does not have \(inputs: none\)/);
    // Other templates propeller fills are left alone.
    expect(() => new ContainerTask({ ...BASE, arguments: ["{{.outputPrefix}}", "{{.rawOutputDataPrefix}}"] })).not.toThrow();
  });

  it("a local run uses the pod template's primary container: its own image and the variables it adds, as the serialized pod has them", () => {
    const podTemplate = new PodTemplate({
      primaryContainerName: "primary",
      podSpec: { containers: [{ name: "primary", image: "ghcr.io/me/own:1", env: [{ name: "B", value: "pod" }, { name: "C", value: "3" }] }, { name: "side", image: "other:2" }] },
    });
    const run = new ContainerTask({ ...BASE, environment: { A: "1", B: "task" }, podTemplate }).rawContainerRun;
    expect([run.image, run.env]).toEqual(["ghcr.io/me/own:1", { A: "1", B: "pod", C: "3" }]);
    // A primary container naming no image runs the task's.
    const plain = new ContainerTask({ ...BASE, podTemplate: new PodTemplate({ podSpec: { containers: [{ name: "primary" }] } }) }).rawContainerRun;
    expect(plain.image).toBe("busybox");
  });

  it("data folders that are absolute paths", () => {
    expect(refused({ inputDataDir: "var/inputs" })).toBe('task \'raw.t\', inputDataDir: expected an absolute path in the container (such as /var/inputs), got "var/inputs" (string)');
    expect(refused({ outputDataDir: 7 })).toBe("task 'raw.t', outputDataDir: expected an absolute path in the container (such as /var/inputs), got 7 (number)");
  });

  it("data folders that are two folders, neither inside the other (Flyte mounts each as a volume)", () => {
    expect(refused({ inputDataDir: "/data", outputDataDir: "/data/" })).toBe(
      'task \'raw.t\', inputDataDir and outputDataDir: inputDataDir "/data" is the same folder as outputDataDir "/data/"; Flyte mounts each as a volume of its own, and Kubernetes refuses two at one path; give them separate folders, such as /var/inputs and /var/outputs',
    );
    expect(refused({ inputDataDir: "/var/outputs/in", outputDataDir: "/var/outputs" })).toMatch(/^task 'raw\.t', inputDataDir and outputDataDir: inputDataDir "\/var\/outputs\/in" is inside outputDataDir "\/var\/outputs";/);
    expect(refused({ inputDataDir: "/var/flyte", outputDataDir: undefined })).toMatch(/inputDataDir "\/var\/flyte" is the parent of outputDataDir \/var\/flyte\/outputs \(the default\);/);
    expect(() => new ContainerTask({ ...BASE, inputDataDir: "/var/in", outputDataDir: "/var/inputs" })).not.toThrow();
  });

  it("a metadata format of the three", () => {
    expect(refused({ metadataFormat: "json" })).toBe('task \'raw.t\', metadataFormat: expected "JSON", "YAML" or "PROTO", got "json" (string)');
  });

  it("an io strategy of the IDL's modes", () => {
    expect(refused({ ioStrategy: "EAGER" })).toMatch(/^task 'raw\.t', ioStrategy: expected \{ downloadMode\?/);
    expect(refused({ ioStrategy: { downloadMode: "LAZY" } })).toBe('task \'raw.t\', ioStrategy.downloadMode: expected "EAGER", "STREAM" or "NO_DOWNLOAD", got "LAZY" (string)');
    expect(refused({ ioStrategy: { uploadMode: "NEVER" } })).toBe('task \'raw.t\', ioStrategy.uploadMode: expected "ON_EXIT", "EAGER" or "NO_UPLOAD", got "NEVER" (string)');
    expect(refused({ ioStrategy: { mode: "x" } })).toMatch(/^task 'raw\.t', ioStrategy: unknown field\(s\) mode; give/);
  });

  it("local options it knows", () => {
    expect(refused({ local: { runtime: "lxc" } })).toBe('task \'raw.t\', local.runtime: expected "auto", "docker", "podman", "process", got "lxc" (string)');
    expect(refused({ local: { logs: "yes" } })).toBe('task \'raw.t\', local.logs: expected true or false, got "yes" (string)');
    expect(refused({ local: { cwd: "/" } })).toBe("task 'raw.t', local: unknown field(s) cwd; it takes runtime, workingDir, logs");
  });

  it("options a raw container task does not take (its image is `image`; no decks, accelerators, resolver)", () => {
    for (const option of ["containerImage", "enableDeck", "accelerator", "taskResolver", "maxInlineIoBytes", "reusable"]) {
      expect(refused({ [option]: "x" })).toMatch(new RegExp(`^task 'raw\\.t': Unrecognized argument\\(s\\) for task: ${option}; it takes `));
    }
  });

  it("task options checked as for every task", () => {
    expect(refused({ retries: -1 })).toBe("task 'raw.t', option 'retries': expected a whole number of at least 0, or a RetryStrategy, got -1 (number)");
    expect(refused({ cache: true })).toMatch(/^task 'raw\.t', option 'cache': If version is not defined then at least one cache policy needs to be set/);
    expect(refused({ podTemplate: {} })).toMatch(/^task 'raw\.t', option 'podTemplate': expected a PodTemplate/);
    expect(() => new ContainerTask({ ...BASE, podTemplate: new PodTemplate() })).not.toThrow();
  });

  it("interface names and types", () => {
    expect(refused({ inputs: { "a-b": Int }, command: ["x"] })).toMatch(/^task 'raw\.t', input "a-b": its name is not an identifier/);
    expect(refused({ outputs: { o: "float" } })).toMatch(/^task 'raw\.t', output 'o'/);
    expect(refused({ inputs: [Str], command: ["x"] })).toMatch(/^task 'raw\.t', inputs: expected the inputs by name/);
    expect(() => new ContainerTask({ ...BASE, inputs: { a: Float, f: File } })).not.toThrow();
  });

  it("outputs CoPilot cannot upload (it fails them on Flyte): a list, an Optional", () => {
    expect(refused({ outputs: { xs: List(Int) } })).toMatch(/^task 'raw\.t', output 'xs': a raw container task cannot return a List\(Int\): Flyte's CoPilot uploader reads back only .*; write it as a File or a Directory/);
    expect(refused({ outputs: { o: Optional(Float) } })).toMatch(/^task 'raw\.t', output 'o': a raw container task cannot return/);
    expect(() => new ContainerTask({ ...BASE, outputs: { o: Float, f: File, d: Directory } })).not.toThrow();
  });
});
