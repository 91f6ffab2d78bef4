// TaskEnvironment: shared settings a task's own options override (flyte-sdk's TaskEnvironment and
// its table of what is set where), the function form `env.task(options, fn)`, and cloneWith.
import { afterEach, describe, expect, it, vi } from "vitest";
import { Int } from "../types/builtins.js";
import { Cache } from "./cache.js";
import { PodTemplate } from "./pod-template.js";
import { Resources } from "./resources.js";
import { ReusePolicy } from "./reuse.js";
import { Secret } from "./secret.js";
import { TaskEnvironment } from "./task-environment.js";
import { definitionErrorOf } from "./testing.js";

const messageOf = definitionErrorOf;

afterEach(() => {
  vi.restoreAllMocks();
});

const secret = new Secret({ group: "db", key: "password" });
const env = () =>
  new TaskEnvironment({
    name: "etl",
    image: "ghcr.io/me/etl:1",
    resources: new Resources({ cpu: "1", mem: ["1Gi", "2Gi"] }),
    env: { STAGE: "prod" },
    secrets: secret,
    cache: new Cache({ version: "env-1" }),
    interruptible: true,
    queue: "batch",
    podTemplate: "etl-pod",
  });

describe("TaskEnvironment", () => {
  it("gives its tasks its settings, under our option names", () => {
    function load({ n }: { n: number | bigint }) {
      return Number(n) * 2;
    }
    const t = env().task({ inputs: { n: Int }, outputs: Int }, load);
    const s = t.task.settings;
    expect(t.task.name).toBe("etl.load");
    expect(t.task.shortName).toBe("load");
    expect([s.containerImage, s.resources.requests.cpu, s.resources.requests.mem, s.resources.limits.mem, s.environment, s.secretRequests]).toEqual([
      "ghcr.io/me/etl:1",
      "1",
      "1Gi",
      "2Gi",
      { STAGE: "prod" },
      [secret],
    ]);
    expect([s.metadata.cache, s.metadata.cacheVersion, s.metadata.interruptible, s.flyte2.queue, s.metadata.podTemplateName]).toEqual([true, "env-1", true, "batch", "etl-pod"]);
    expect(t({ n: 4 })).toBe(8);
  });

  it("lets a task's own options win where flyte-sdk lets them (cache, interruptible, queue, podTemplate), a falsy value included", () => {
    function own() {
      return 1;
    }
    const pod = new PodTemplate({ primaryContainerName: "main" });
    const t = env().task({ outputs: Int, cache: false, interruptible: false, queue: "fast", podTemplate: pod, retries: 2, shortName: "mine" }, own);
    const s = t.task.settings;
    expect([s.metadata.cache, s.metadata.interruptible, s.flyte2.queue, s.podTemplate, s.metadata.podTemplateName, s.metadata.retries, t.task.shortName]).toEqual([
      false,
      false,
      "fast",
      pod,
      "",
      2,
      "mine",
    ]);
  });

  it("and override() wins over both", () => {
    function three() {
      return 3;
    }
    const t = env().task({ outputs: Int, queue: "fast" }, three);
    const o = t.override({ queue: "urgent", env: { STAGE: "dev" } });
    expect([o.task.settings.flyte2.queue, o.task.settings.environment]).toEqual(["urgent", { STAGE: "dev" }]);
  });

  it("refuses at the task what flyte-sdk sets on the environment only, under either name", () => {
    function f() {
      return 1;
    }
    const e = env();
    for (const [key, setting] of [
      ["containerImage", "image"],
      ["resources", "resources"],
      ["requests", "resources"],
      ["environment", "env"],
      ["env", "env"],
      ["secretRequests", "secrets"],
      ["reusable", "reusable"],
      ["taskConfig", "pluginConfig"],
    ] as const) {
      expect(messageOf(() => e.task({ [key]: "x" } as never, f))).toMatch(new RegExp(`, ${key}: ${setting} is set on the TaskEnvironment, not on one of its tasks; set it on the environment`));
    }
    expect(messageOf(() => e.task({ containerImage: "x" } as never, f))).toMatch(/set it on the environment \(or cloneWith\(\) one\)$/);
    expect(messageOf(() => e.task({ secretRequests: [] } as never, f))).toMatch(/or change it for a call with task\.override\(\{ secrets: \.\.\. \}\)$/);
    expect(messageOf(() => e.task({ name: "x" } as never, f))).toMatch(/, name: a task of an environment is named <environment>.<function> \('etl\.…'\), which cannot be changed; set shortName/);
  });

  it("refuses a pod template on a task of a reusable environment, and concurrency above 1 for a synchronous task (flyte-sdk's rules)", () => {
    const reusable = new TaskEnvironment({ name: "warm", reusable: new ReusePolicy({ replicas: 2, concurrency: 2 }) });
    function sync() {
      return 1;
    }
    async function asyncOne() {
      return 1;
    }
    expect(messageOf(() => reusable.task({ outputs: Int, podTemplate: "p" }, asyncOne))).toMatch(/podTemplate: Cannot set pod_template when environment is reusable$/);
    expect(messageOf(() => reusable.task({ outputs: Int }, sync))).toBe(
      "task 'warm.sync', option 'reusable': Reusable environments with concurrency greater than 1 are only supported for async tasks; use an async function or set concurrency to 1",
    );
    expect(reusable.task({ outputs: Int }, asyncOne).task.settings.flyte2.reusePolicy?.concurrency).toBe(2);
  });

  it("checks its own settings: the name's form, each value, plugin config with reuse", () => {
    expect(messageOf(() => new TaskEnvironment({ name: "MyEnv" }))).toBe("TaskEnvironment 'MyEnv': Environment name 'MyEnv' must be in snake_case or kebab-case format");
    expect(new TaskEnvironment({ name: "my-env_2" }).name).toBe("my-env_2");
    expect(messageOf(() => new TaskEnvironment({ name: "e", resources: { cpu: "1" } as never }))).toMatch(/^TaskEnvironment 'e', resources: expected a Resources, got /);
    expect(messageOf(() => new TaskEnvironment({ name: "e", imag: "x" } as never))).toMatch(/^TaskEnvironment 'e': unknown setting "imag"; it takes /);
    expect(messageOf(() => new TaskEnvironment({ name: "e", reusable: new ReusePolicy(), pluginConfig: {} }))).toBe("TaskEnvironment 'e': Cannot set plugin_config when environment is reusable");
    expect(new TaskEnvironment({ name: "e", description: "d".repeat(300) }).description).toHaveLength(255);
  });

  it("names a task after its function, which must have one, and refuses a second function of that name", () => {
    const e = new TaskEnvironment({ name: "named" });
    expect(messageOf(() => e.task({ outputs: Int }, (() => () => 1)()))).toMatch(/has no name; pass a named function/);
    function twice() {
      return 1;
    }
    e.task({ outputs: Int }, twice);
    const other = { twice: () => 2 }.twice;
    expect(messageOf(() => e.task({ outputs: Int }, other))).toMatch(/the environment already has a task 'named.twice'/);
    expect(e.tasks.map((t) => t.name)).toEqual(["named.twice"]);
  });

  it("says that declaring on a class member takes the decorators package when it is not loaded", async () => {
    const { registerTaskDecoratorApplier } = await import("./decorator-support.js");
    const KEY = Symbol.for("flytekit-ts.task-decorator-applier");
    const saved = (globalThis as Record<symbol, unknown>)[KEY];
    delete (globalThis as Record<symbol, unknown>)[KEY];
    try {
      class C {
        static m() {
          return 1;
        }
      }
      const descriptor = Object.getOwnPropertyDescriptor(C, "m")!;
      expect(messageOf(() => env().task(C, "m", descriptor))).toBe(
        '@env.task: declaring a task on a class member takes @flytekit-ts/decorators, which is not loaded; import "@flytekit-ts/decorators" before the class is declared, or use the function form: env.task(options, fn)',
      );
    } finally {
      if (saved !== undefined) registerTaskDecoratorApplier(saved as never);
    }
  });
});

describe("cloneWith", () => {
  it("copies the settings under a new name, with the ones given instead", () => {
    const base = env();
    const gpu = base.cloneWith({ name: "etl-gpu", resources: new Resources({ gpu: 1 }), queue: undefined });
    expect(gpu.name).toBe("etl-gpu");
    expect([gpu.image, gpu.env, gpu.secrets, gpu.queue, gpu.resources?.gpu]).toEqual(["ghcr.io/me/etl:1", { STAGE: "prod" }, [secret], "batch", 1]);
    // The original is unchanged.
    expect(base.resources?.cpu).toBe("1");
  });

  it("turns reuse off when given reusable: undefined, as flyte-sdk's clone_with(reusable=None)", () => {
    const warm = new TaskEnvironment({ name: "warm2", reusable: new ReusePolicy() });
    expect(warm.cloneWith({ name: "cold", reusable: undefined }).reusable).toBeUndefined();
    expect(warm.cloneWith({ name: "still-warm" }).reusable).toBe(warm.reusable);
  });

  it("checks the clone as a new environment", () => {
    expect(messageOf(() => env().cloneWith({ name: "Bad Name" }))).toMatch(/must be in snake_case or kebab-case format/);
  });
});
