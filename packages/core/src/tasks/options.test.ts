import { describe, expect, it, vi } from "vitest";
import { A100, T4, V5E } from "./accelerators.js";
import { Cache, FunctionSourcePolicy } from "./cache.js";
import { DeckField } from "./docs.js";
import { join } from "node:path";
import ts from "typescript";
import { checkOptionNames, compileTaskOptions, optionNamesIn, TASK_OPTION_NAMES, TASK_OPTIONS, type TaskOptions } from "./options.js";
import { PodTemplate } from "./pod-template.js";
import { Resources } from "./resources.js";
import { MountType, Secret } from "./secret.js";
import { definitionErrorOf } from "./testing.js";

const compile = (options: TaskOptions, inputNames: string[] = ["a", "b"], fn?: Function) => compileTaskOptions("t", options, { inputNames, fn });
const messageOf = definitionErrorOf;

describe("task metadata defaults", () => {
  it("are flytekit's", () => {
    expect(compile({}).metadata).toEqual({
      cache: false,
      cacheVersion: "",
      cacheSerialize: false,
      cacheIgnoreInputVars: [],
      retries: 0,
      interruptible: undefined,
      deprecated: "",
      timeout: undefined,
      podTemplateName: "",
      generatesDeck: false,
      labels: {},
      annotations: {},
    });
  });
});

describe("cache options", () => {
  it("take cache: true with cacheVersion (flytekit's legacy form)", () => {
    const m = compile({ retries: 3, timeout: 60, cache: true, cacheVersion: "v1" }).metadata;
    expect([m.retries, m.timeout, m.cache, m.cacheVersion, m.cacheSerialize]).toEqual([3, { seconds: 60, nanos: 0 }, true, "v1", false]);
  });

  it("take a Cache object", () => {
    const m = compile({ cache: new Cache({ version: "a-version", serialize: true, ignoredInputs: ["a"] }) }).metadata;
    expect([m.cache, m.cacheVersion, m.cacheSerialize, m.cacheIgnoreInputVars]).toEqual([true, "a-version", true, ["a"]]);
    expect(compile({ cache: new Cache({ version: "v", ignoredInputs: "a" }) }).metadata.cacheIgnoreInputVars).toEqual(["a"]);
  });

  it("refuse cache: true without a version, as flytekit's stock plugin has no default policies", () => {
    expect(messageOf(() => compile({ cache: true }))).toBe(
      "task 't', option 'cache': If version is not defined then at least one cache policy needs to be set; give a version: cache: new Cache({ version: \"1\" })",
    );
    expect(() => new Cache()).toThrow('Cache: If version is not defined then at least one cache policy needs to be set; give a version: new Cache({ version: "1" })');
  });

  it("refuse a Cache object mixed with the legacy options", () => {
    for (const legacy of [{ cacheVersion: "v" }, { cacheSerialize: true }, { cacheIgnoreInputVars: ["a"] }]) {
      expect(messageOf(() => compile({ cache: new Cache({ version: "v" }), ...legacy }))).toBe(
        "task 't', option 'cache': cacheSerialize, cacheVersion, and cacheIgnoreInputVars are deprecated; put them in the Cache object",
      );
    }
  });

  it("refuse serialize or ignored inputs without cache, and an empty version", () => {
    expect(messageOf(() => compile({ cacheSerialize: true }))).toBe(
      "task 't', option 'cacheSerialize': Cache serialize is enabled (cacheSerialize: true) but cache is not enabled",
    );
    expect(messageOf(() => compile({ cacheIgnoreInputVars: ["a"] }))).toBe(
      'task \'t\', option \'cacheIgnoreInputVars\': Cache ignore input vars are specified (cacheIgnoreInputVars: ["a"]) but cache is not enabled',
    );
    expect(messageOf(() => compile({ cache: true, cacheVersion: "" }))).toBe(
      "task 't', option 'cache': Caching is enabled (cache: true) but cacheVersion is not set; give a version: cache: new Cache({ version: \"1\" })",
    );
    expect(messageOf(() => compile({ cache: new Cache({ version: "" }) }))).toBe(
      "task 't', option 'cache': Caching is enabled (cache: true) but cacheVersion is not set; give a version: cache: new Cache({ version: \"1\" })",
    );
  });

  it("refuse ignored inputs the task does not have", () => {
    expect(messageOf(() => compile({ cache: new Cache({ version: "1", ignoredInputs: ["z"] }) }))).toBe(
      "task 't', option 'cache': the cache ignores input 'z', which the task does not have (inputs: a, b)",
    );
  });

  it("version by policies: sha256 of their versions, as flytekit", () => {
    const salted = { getVersion: (salt: string) => salt };
    expect(new Cache({ policies: salted }).getVersion({})).toBe("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    expect(new Cache({ policies: [salted], salt: "a-sprinkle-of-salt" }).getVersion({})).toBe(
      "348b4b8c52d8868e0c202ce4d26d59906c13716197b611a0a7a215074159df79",
    );
    expect(new Cache({ version: "explicit", policies: salted }).getVersion({})).toBe("explicit");
    const broken = { getVersion: () => { throw new Error("no"); }, toString: () => "Broken" };
    expect(() => new Cache({ policies: broken }).getVersion({})).toThrow(
      'option \'cache\': Failed to generate version for cache policy Broken: no; set the version in the Cache definition, e.g. new Cache({ version: "v1.2.3" })',
    );
  });

  it("version by the function's source with FunctionSourcePolicy, so edits invalidate the cache", () => {
    const v1 = compile({ cache: new Cache({ policies: new FunctionSourcePolicy() }) }, [], (x: number) => x + 1).metadata.cacheVersion;
    const v2 = compile({ cache: new Cache({ policies: new FunctionSourcePolicy() }) }, [], (x: number) => x + 2).metadata.cacheVersion;
    expect(v1).toMatch(/^[0-9a-f]{64}$/);
    expect(v1).not.toBe(v2);
  });
});

describe("retries, timeout, interruptible, deprecated, decks", () => {
  it("take timeouts in whole seconds or as a Duration; 0 is unset", () => {
    expect(compile({ timeout: { seconds: 300 } }).metadata.timeout).toEqual({ seconds: 300, nanos: 0 });
    expect(compile({ timeout: 0 }).metadata.timeout).toBeUndefined();
    expect(messageOf(() => compile({ timeout: 1.5 }))).toBe(
      "task 't', option 'timeout': expected whole seconds or a Duration, got 1.5 (number)",
    );
    expect(messageOf(() => compile({ timeout: "60" as never }))).toBe('task \'t\', option \'timeout\': expected whole seconds or a Duration, got "60" (string)');
    expect(messageOf(() => compile({ timeout: { seconds: -5 } }))).toBe("task 't', option 'timeout': expected a positive Duration, got {\"seconds\":-5} (object)");
  });

  it("take retries as a whole number or a RetryStrategy", () => {
    expect(messageOf(() => compile({ retries: -1 }))).toBe("task 't', option 'retries': expected a whole number of at least 0, or a RetryStrategy, got -1 (number)");
    expect(messageOf(() => compile({ retries: 1.5 }))).toBe("task 't', option 'retries': expected a whole number of at least 0, or a RetryStrategy, got 1.5 (number)");
  });

  it("take maxInlineIoBytes as a whole number of bytes, at least 1, and leave it unset unless said", () => {
    expect(compile({ maxInlineIoBytes: 1024 }).maxInlineIoBytes).toBe(1024);
    expect(compile({ retries: 1 }).maxInlineIoBytes).toBeUndefined();
    for (const [bad, got] of [[0, "0 (number)"], [-5, "-5 (number)"], [1.5, "1.5 (number)"], ["10Mi", '"10Mi" (string)'], [2 ** 60, `${2 ** 60} (number)`]] as const) {
      expect(messageOf(() => compile({ maxInlineIoBytes: bad as number }))).toBe(`task 't', option 'maxInlineIoBytes': expected a whole number of bytes, at least 1, got ${got}`);
    }
  });

  it("leave interruptible unset unless said", () => {
    expect(compile({ interruptible: true }).metadata.interruptible).toBe(true);
    expect(compile({ interruptible: false }).metadata.interruptible).toBe(false);
  });

  it("keep the deprecation message, labels and annotations", () => {
    const m = compile({ deprecated: "use t2", labels: { l: "1" }, annotations: { a: "2" } }).metadata;
    expect([m.deprecated, m.labels, m.annotations]).toEqual(["use t2", { l: "1" }, { a: "2" }]);
    expect(messageOf(() => compile({ labels: { l: 1 } as never }))).toBe("task 't', option 'labels'.l: expected a string, got 1 (number)");
  });

  it("refuse enableDeck and disableDeck together", () => {
    expect(compile({ enableDeck: true }).metadata.generatesDeck).toBe(true);
    // disableDeck warns that it is deprecated (flytekit-parity.test.ts checks the warning); not printed here.
    const emit = vi.spyOn(process, "emitWarning").mockImplementation(() => undefined);
    expect(compile({ disableDeck: true }).metadata.generatesDeck).toBe(false);
    // As flytekit: disableDeck: false means decks on.
    expect(compile({ disableDeck: false }).metadata.generatesDeck).toBe(true);
    emit.mockRestore();
    expect(messageOf(() => compile({ enableDeck: true, disableDeck: true }))).toBe("task 't', option 'enableDeck': only one of [disableDeck, enableDeck] can be set");
  });

  it("keep deck fields only when decks are on, and check them then", () => {
    expect(compile({ enableDeck: true, deckFields: [DeckField.INPUT] }).deckFields).toEqual(["Input"]);
    expect(compile({ enableDeck: true }).deckFields).toEqual(["Source Code", "Dependencies", "Timeline", "Input", "Output"]);
    expect(compile({ deckFields: [DeckField.INPUT] }).deckFields).toEqual([]);
    expect(messageOf(() => compile({ enableDeck: true, deckFields: ["nope" as DeckField] }))).toBe(
      'task \'t\', option \'deckFields\': "nope" is not a valid deck field; use one of Input, Output, Source Code, Timeline, Dependencies',
    );
  });
});

describe("resources", () => {
  it("keep requests and limits apart", () => {
    const s = compile({ requests: new Resources({ cpu: "1", ephemeralStorage: "500Mi" }), limits: new Resources({ cpu: "2", mem: "400M" }) });
    expect(s.resources.requests.entries()).toEqual([["cpu", "1"], ["ephemeralStorage", "500Mi"]]);
    expect(s.resources.limits.entries()).toEqual([["cpu", "2"], ["mem", "400M"]]);
    expect(compile({ requests: new Resources({ cpu: "3" }) }).resources.limits.isEmpty).toBe(true);
  });

  it("split resources: a pair is (request, limit), a single value is a request only", () => {
    const s = compile({ resources: new Resources({ cpu: ["1", "2"], mem: [1024, 2048], gpu: 1 }) });
    expect(s.resources.requests.entries()).toEqual([["cpu", "1"], ["mem", 1024], ["gpu", 1]]);
    expect(s.resources.limits.entries()).toEqual([["cpu", "2"], ["mem", 2048]]);
  });

  it("refuse resources with requests or limits, pairs in requests, and bad values", () => {
    expect(messageOf(() => compile({ resources: new Resources({ cpu: "1" }), limits: new Resources({ cpu: "2" }) }))).toBe(
      "task 't', option 'resources': `resources` can not be used together with the `limits` or `requests`; only set `resources`",
    );
    expect(messageOf(() => compile({ requests: new Resources({ cpu: ["1", "2"] }) }))).toBe(
      'task \'t\', option \'requests\'.cpu: ["1","2"] can not be a list or tuple; use the resources option for [request, limit] pairs',
    );
    expect(() => new Resources({ cpu: ["1"] as never })).toThrow('Resources, cpu: expected a [request, limit] pair, got ["1"]: it must be of length 2');
    expect(() => new Resources({ mem: 0.1 })).toThrow("Resources, mem: expected a string or a whole number, got 0.1");
    expect(() => new Resources({ cpu: true as never })).toThrow("Resources, cpu: expected a string or a number, got true");
    expect(() => new Resources({ memory: "1Gi" } as never)).toThrow('Resources: unknown resource "memory"; the resources are cpu, mem, gpu, ephemeralStorage');
    expect(new Resources({ cpu: 0.5 }).cpu).toBe(0.5);
  });
});

describe("secrets, pod templates, accelerators, shared memory", () => {
  it("take Secret objects only", () => {
    const s = compile({ secretRequests: [new Secret({ group: "g", key: "k" }), new Secret({ group: "g2", key: "k2", mountRequirement: MountType.ENV_VAR })] });
    expect(s.secretRequests.map((x) => [x.group, x.key, x.mountRequirement])).toEqual([["g", "k", 0], ["g2", "k2", 1]]);
    expect(messageOf(() => compile({ secretRequests: ["test"] as never }))).toBe(
      "task 't', option 'secretRequests'[0]: Secret \"test\" should be of type Secret, received string",
    );
    expect(() => new Secret({ group: "g", envVar: "bad-name" })).toThrow("Secret, envVar: Invalid environment variable name: bad-name; it must match ^[A-Z_][A-Z0-9_]*$");
    expect(() => new Secret({})).toThrow("Secret: it needs a group or a key");
  });

  it("take a mount requirement as MountType or its name, stored as Flyte's number; anything else is refused", () => {
    expect(new Secret({ group: "g", mountRequirement: "ENV_VAR" }).mountRequirement).toBe(MountType.ENV_VAR);
    expect(new Secret({ group: "g", mountRequirement: "FILE" }).mountRequirement).toBe(MountType.FILE);
    expect(new Secret({ group: "g", mountRequirement: MountType.FILE }).mountRequirement).toBe(2);
    expect(new Secret({ group: "g" }).mountRequirement).toBe(MountType.ANY);
    expect(() => new Secret({ group: "g", mountRequirement: "env" as never })).toThrow('Secret, mountRequirement: expected a MountType: MountType.ANY, ENV_VAR or FILE (or its name), got "env"');
    expect(() => new Secret({ group: "g", mountRequirement: "1" as never })).toThrow('got "1"');
    expect(() => new Secret({ group: "g", mountRequirement: 3 as never })).toThrow("got 3");
  });

  it("default the primary container name", () => {
    expect(new PodTemplate().primaryContainerName).toBe("primary");
    expect(new PodTemplate().podSpec).toEqual({ containers: [] });
    expect(() => new PodTemplate({ primaryContainerName: "" })).toThrow("PodTemplate: A primary container name cannot be undefined");
  });

  it("name accelerator devices and partitions as flytekit does", () => {
    expect([T4.device, T4.partitionSize]).toEqual(["nvidia-tesla-t4", undefined]);
    expect([A100.device, A100.partitionSize]).toEqual(["nvidia-tesla-a100", undefined]);
    expect([A100.partition_2g_10gb.device, A100.partition_2g_10gb.partitionSize]).toEqual(["nvidia-tesla-a100", "2g.10gb"]);
    expect(A100.unpartitioned.partitionSize).toBeNull();
    expect(V5E.slice_2x4.partitionSize).toBe("2x4");
    expect(compile({ accelerator: A100.partition_1g_5gb }).accelerator?.partitionSize).toBe("1g.5gb");
    expect(messageOf(() => compile({ accelerator: "T4" as never }))).toBe(
      'task \'t\', option \'accelerator\': expected an Accelerator, such as T4, A100 or A100.partition_2g_10gb, got "T4" (string)',
    );
  });

  it("take shared memory as true (default size) or a size", () => {
    expect(compile({ sharedMemory: true }).sharedMemory).toBe("");
    expect(compile({ sharedMemory: "2Gi" }).sharedMemory).toBe("2Gi");
    expect(compile({}).sharedMemory).toBeUndefined();
  });
});

describe("option names", () => {
  it("are checked, naming the unknown ones", () => {
    expect(() => checkOptionNames("t", { template: "x", retries: 1 }, TASK_OPTION_NAMES)).toThrow(
      /^task 't': Unrecognized argument\(s\) for task: template; it takes accelerator, annotations, cache, /,
    );
  });
});

describe("the options table", () => {
  it("documents every option, with its default, in TaskOptions itself (its docs derive from the table)", () => {
    // The type as a user's editor sees it: the checker reads TaskOptions' properties and their JSDoc.
    const file = join(import.meta.dirname, "options.ts");
    const program = ts.createProgram([file], { target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.NodeNext, moduleResolution: ts.ModuleResolutionKind.NodeNext, strict: true, noEmit: true, experimentalDecorators: true });
    const checker = program.getTypeChecker();
    const source = program.getSourceFile(file)!;
    const alias = source.statements.find((s): s is import("typescript").TypeAliasDeclaration => ts.isTypeAliasDeclaration(s) && s.name.text === "TaskOptions")!;
    const properties = checker.getPropertiesOfType(checker.getTypeAtLocation(alias.name));
    expect(properties.map((p) => p.name)).toEqual([...TASK_OPTION_NAMES]);
    const undocumented = properties.filter((p) => ts.displayPartsToString(p.getDocumentationComment(checker)).trim() === "").map((p) => p.name);
    const withoutDefault = properties.filter((p) => !p.getJsDocTags(checker).some((t) => t.name === "default")).map((p) => p.name);
    expect({ undocumented, withoutDefault }).toEqual({ undocumented: [], withoutDefault: [] });
  });

  it("gives each option a group and a serialization target, from which each kind of task's names derive", () => {
    for (const [name, spec] of Object.entries(TASK_OPTIONS)) {
      expect(spec.target, name).not.toBe("");
      expect(typeof spec.check, name).toBe("function");
    }
    expect(optionNamesIn(["cache"])).toEqual(["cache", "cacheVersion", "cacheSerialize", "cacheIgnoreInputVars"]);
    expect(optionNamesIn(["pod", "gpu"])).toEqual(["podTemplate", "podTemplateName", "accelerator", "sharedMemory"]);
    expect(optionNamesIn(["io"])).toEqual(["maxInlineIoBytes"]);
  });
});
