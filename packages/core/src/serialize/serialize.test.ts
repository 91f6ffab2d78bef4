import { equals } from "@bufbuild/protobuf";
import { describe, expect, it } from "vitest";
import { Resources_ResourceName, TaskTemplateSchema } from "../idl/core.js";
import { A100, T4 } from "../tasks/accelerators.js";
import { EchoTask } from "../tasks/echo-task.js";
import { functionTask } from "../tasks/function-form.js";
import { PodTemplate } from "../tasks/pod-template.js";
import { Resources } from "../tasks/resources.js";
import { Image, ImageConfig, resolveContainerImage } from "./image.js";
import { SerializationSettings } from "./settings.js";
import { toTaskSpec } from "../registration.js";
import { toTaskTemplate } from "./template.js";
import { Int } from "../index.js";

const settings = (extra: Partial<ConstructorParameters<typeof SerializationSettings>[0]> = {}) =>
  new SerializationSettings({ project: "p", domain: "d", version: "v", imageConfig: ImageConfig.auto("docker.io/xyz:some-git-hash"), ...extra });

function located<T extends { task: { setLocation(l: { file: string; attributePath: string }): void } }>(t: T): T {
  t.task.setLocation({ file: import.meta.filename, attributePath: "t" });
  return t;
}

describe("container images (test_python_function_task.test_container_image_conversion)", () => {
  const cfg = new ImageConfig(Image.parse("default", "xyz.com/abc:tag1"), [Image.parse("other", "xyz.com/other:tag-other")]);

  it("resolve as flytekit does", () => {
    expect(resolveContainerImage(undefined, cfg)).toBe("xyz.com/abc:tag1");
    expect(resolveContainerImage("", cfg)).toBe("xyz.com/abc:tag1");
    expect(resolveContainerImage("abc:latest", cfg)).toBe("abc:latest");
    expect(resolveContainerImage("{{.image.other.fqn}}:{{.image.default.version}}", cfg)).toBe("xyz.com/other:tag1");
    expect(resolveContainerImage("{{.images.other.fqn}}", cfg)).toBe("xyz.com/other");
    expect(resolveContainerImage("{{ .IMAGE.other }}", cfg)).toBe("xyz.com/other:tag-other");
    expect(resolveContainerImage("{{.image.other.fqn}}:{{.image.other.version}}", cfg)).toBe("xyz.com/other:tag-other");
    const digest = new ImageConfig(Image.parse("default", "xyz.com/abc@sha256:26c68657ccce2cb0a31b330cb0be2b5e108d467f641c62e13ab40cbec258c68d"));
    expect(resolveContainerImage("{{.image.default.fqn}}:{{.image.default.version}}", digest)).toBe(
      "xyz.com/abc@sha256:26c68657ccce2cb0a31b330cb0be2b5e108d467f641c62e13ab40cbec258c68d",
    );
  });

  it("refuse unknown names and attributes, and tasks with no image at all", () => {
    expect(() => resolveContainerImage("{{.image.nope.fqn}}", cfg)).toThrow("Image Config with name nope not found in the configuration");
    expect(() => resolveContainerImage("{{.image.other.tag}}", cfg)).toThrow("Only fqn and version are supported replacements, tag is not supported");
    expect(() => resolveContainerImage(undefined, new ImageConfig())).toThrow(/An image is required/);
    expect(() => Image.parse("default", "xyz.com/abc")).toThrow("Incorrectly formatted image xyz.com/abc, missing tag or digest");
    expect(() => ImageConfig.fromFlags(["a:1", "default=b:2"])).toThrow(/Only one default image can be specified/);
  });
});

describe("TaskTemplate fields", () => {
  it("overlay the settings' environment with the task's (test_type_hints.test_environment)", () => {
    const t = located(functionTask({ name: "env", environment: { FOO: "foofoo", BAZ: "baz" } }, () => undefined));
    const tt = toTaskTemplate(t.task, settings({ env: { FOO: "foo", BAR: "bar" } }));
    expect(tt.target.case === "container" && tt.target.value.env.map((e) => [e.key, e.value])).toEqual([
      ["FOO", "foofoo"],
      ["BAR", "bar"],
      ["BAZ", "baz"],
    ]);
    const none = toTaskTemplate(t.task, settings());
    expect(none.target.case === "container" && none.target.value.env.map((e) => e.key)).toEqual(["FOO", "BAZ"]);
  });

  it("order resources as flytekit does, values as strings (test_type_hints.test_resources)", () => {
    const t = located(
      functionTask(
        { name: "res", requests: new Resources({ cpu: "1", ephemeralStorage: "500Mi" }), limits: new Resources({ cpu: 2, mem: "400M", ephemeralStorage: "501Mi", gpu: 1 }) },
        () => undefined,
      ),
    );
    const tt = toTaskTemplate(t.task, settings());
    const r = tt.target.case === "container" ? tt.target.value.resources : undefined;
    expect(r?.requests.map((e) => [Resources_ResourceName[e.name], e.value])).toEqual([["EPHEMERAL_STORAGE", "500Mi"], ["CPU", "1"]]);
    expect(r?.limits.map((e) => [Resources_ResourceName[e.name], e.value])).toEqual([["EPHEMERAL_STORAGE", "501Mi"], ["CPU", "2"], ["GPU", "1"], ["MEMORY", "400M"]]);
  });

  it("apply the settings' default resources to tasks that set none (test_serialization)", () => {
    const defaults = { requests: new Resources({ cpu: "2", mem: "4Gi" }), limits: new Resources({ cpu: "2", mem: "4Gi" }) };
    const bare = located(functionTask({ name: "bare" }, () => undefined));
    const own = located(functionTask({ name: "own", requests: new Resources({ cpu: "1", mem: "2Gi" }) }, () => undefined));
    const a = toTaskTemplate(bare.task, settings({ defaultResources: defaults }));
    const b = toTaskTemplate(own.task, settings({ defaultResources: defaults }));
    expect(a.target.case === "container" && a.target.value.resources?.limits.map((e) => e.value)).toEqual(["2", "4Gi"]);
    expect(b.target.case === "container" && b.target.value.resources?.requests.map((e) => e.value)).toEqual(["1", "2Gi"]);
    expect(b.target.case === "container" && b.target.value.resources?.limits).toEqual([]);
  });

  it("write extended resources only when asked (test_resources)", () => {
    const gpu = located(functionTask({ name: "gpu", accelerator: A100.partition_2g_10gb, sharedMemory: true }, () => undefined));
    const ext = toTaskTemplate(gpu.task, settings()).extendedResources;
    expect(ext?.gpuAccelerator?.device).toBe("nvidia-tesla-a100");
    expect(ext?.gpuAccelerator?.partitionSizeValue).toEqual({ case: "partitionSize", value: "2g.10gb" });
    expect([ext?.sharedMemory?.mountName, ext?.sharedMemory?.mountPath, ext?.sharedMemory?.sizeLimit]).toEqual(["flyte-shared-memory", "/dev/shm", ""]);
    const t4 = located(functionTask({ name: "t4", accelerator: T4, sharedMemory: "2Gi" }, () => undefined));
    const e2 = toTaskTemplate(t4.task, settings()).extendedResources;
    expect([e2?.gpuAccelerator?.device, e2?.gpuAccelerator?.partitionSizeValue.case, e2?.sharedMemory?.sizeLimit]).toEqual(["nvidia-tesla-t4", undefined, "2Gi"]);
    const un = located(functionTask({ name: "un", accelerator: A100.unpartitioned }, () => undefined));
    expect(toTaskTemplate(un.task, settings()).extendedResources?.gpuAccelerator?.partitionSizeValue).toEqual({ case: "unpartitioned", value: true });
    expect(toTaskTemplate(located(functionTask({ name: "none" }, () => undefined)).task, settings()).extendedResources).toBeUndefined();
  });

  it("put a pod template's primary container in the pod, env first the task's then the pod's (test_python_auto_container.test_pod_template)", () => {
    const pod = new PodTemplate({
      primaryContainerName: "primary",
      labels: { lKeyA: "lValA" },
      annotations: { aKeyA: "aValA" },
      podSpec: {
        containers: [{ name: "primary", env: [{ name: "eKeyC", value: "eValC" }, { name: "eKeyD", value: "eValD" }] }, { name: "sidecar", image: "{{.image.default.fqn}}:x" }],
      },
    });
    const t = located(
      functionTask({ name: "pod", podTemplate: pod, podTemplateName: "A", environment: { FOO: "bar", eKeyA: "a", eKeyB: "b" }, requests: new Resources({ cpu: "1", gpu: "1" }) }, () => undefined),
    );
    const tt = toTaskTemplate(t.task, settings());
    expect(tt.target.case).toBe("k8sPod");
    const podValue = tt.target.case === "k8sPod" ? tt.target.value : undefined;
    const [primary, sidecar] = podValue?.podSpec?.containers as Record<string, unknown>[];
    expect(primary!.args).toEqual((t.task as { getCommand(s: SerializationSettings): string[] }).getCommand(settings()));
    expect(primary!.command).toEqual([]);
    expect(primary!.image).toBe("docker.io/xyz:some-git-hash");
    expect((primary!.env as { name: string }[]).map((e) => e.name)).toEqual(["FOO", "eKeyA", "eKeyB", "eKeyC", "eKeyD"]);
    expect(primary!.resources).toEqual({ limits: {}, requests: { cpu: "1", gpu: "1" } });
    expect(sidecar!.image).toBe("docker.io/xyz:x");
    expect(podValue?.metadata?.labels).toEqual({ lKeyA: "lValA" });
    expect(podValue?.metadata?.annotations).toEqual({ aKeyA: "aValA" });
    expect(tt.config).toEqual({ primary_container_name: "primary" });
    expect(tt.metadata?.podTemplateName).toBe("A");
  });

  it("write metadata as flytekit does: retries and generates_deck always, timeout and interruptible when set", () => {
    const plain = toTaskTemplate(located(functionTask({ name: "plain" }, () => undefined)).task, settings()).metadata!;
    expect([plain.retries?.retries, plain.generatesDeck, plain.timeout, plain.interruptibleValue.case]).toEqual([0, false, undefined, undefined]);
    const rich = toTaskTemplate(
      located(functionTask({ name: "rich", retries: 3, timeout: 300, interruptible: false, deprecated: "m", labels: { l: "1" }, annotations: { a: "2" }, enableDeck: true }, () => undefined)).task,
      settings(),
    ).metadata!;
    expect([rich.retries?.retries, rich.timeout?.seconds, rich.interruptibleValue, rich.deprecatedErrorMessage, rich.generatesDeck]).toEqual([
      3,
      300n,
      { case: "interruptible", value: false },
      "m",
      true,
    ]);
    expect([rich.metadata?.labels, rich.metadata?.annotations]).toEqual([{ l: "1" }, { a: "2" }]);
    expect(rich.runtime?.flavor).toBe("typescript");
  });

  it("prefix the args for fast registration (translator.py)", () => {
    const t = located(functionTask({ name: "fast" }, () => undefined));
    const withDist = toTaskTemplate(t.task, settings({ fastSerialization: { enabled: true, distribution: "s3://x/y.tar.gz", destinationDir: "/root" } }));
    const args = withDist.target.case === "container" ? withDist.target.value.args : [];
    expect(args.slice(0, 6)).toEqual(["flytekit-ts-fast-execute", "--additional-distribution", "s3://x/y.tar.gz", "--dest-dir", "/root", "--"]);
    expect(args[6]).toBe("flytekit-ts-execute");
    const placeholders = toTaskTemplate(t.task, settings({ fastSerialization: { enabled: true } }));
    expect(placeholders.target.case === "container" && placeholders.target.value.args.slice(2, 5)).toEqual(["{{ .remote_package_path }}", "--dest-dir", "{{ .dest_dir }}"]);
  });

  it("describe variables by their docs, else by their names (test_serialization.test_serialized_docstrings)", () => {
    const t = located(
      functionTask({ name: "docs", inputs: { a: Int, b: Int }, outputs: { x: Int, y: Int }, docs: { short: "Adds", long: "More **here**", inputs: { a: "foo" }, outputs: "ramen" } }, () => ({ x: 1, y: 2 })),
    );
    const tt = toTaskTemplate(t.task, settings());
    const ins = tt.interface?.inputs?.variables;
    const outs = tt.interface?.outputs?.variables;
    expect([ins?.a?.description, ins?.b?.description, outs?.x?.description, outs?.y?.description]).toEqual(["foo", "b", "ramen", "ramen"]);
    const spec = toTaskSpec(t.task, settings());
    expect(spec.description?.shortDescription).toBe("Adds");
    expect(spec.description?.longDescription?.content).toEqual({ case: "value", value: "More **here**" });
  });

  it("leave custom unset when empty and write no container for an echo task", () => {
    const echo = new EchoTask({ name: "echo", inputs: { a: Int } });
    const tt = toTaskTemplate(echo, settings());
    expect([tt.type, tt.target.case, tt.custom, tt.config]).toEqual(["echo", undefined, undefined, {}]);
    expect(equals(TaskTemplateSchema, tt, toTaskTemplate(echo, settings()))).toBe(true);
  });

  it("say a task has no location when it was not declared in a module", () => {
    const t = functionTask({ name: "nowhere" }, () => undefined);
    t.task.setLocation({});
    expect(() => toTaskTemplate(t.task, settings())).toThrow(/^task 'nowhere': cannot tell how a container would find it: it has no module and export path/);
  });
});
