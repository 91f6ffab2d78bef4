// flytekit 1.16's task-layer tests, ported in our own words: each case names the flytekit test
// it follows (tests/flytekit/unit/core/...).
import { createHash } from "node:crypto";
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { collectionLiteral, literalMapOf, mapLiteral } from "../types/literals.js";
import { Cache } from "./cache.js";
import { TaskInputError, TaskOutputError } from "./errors.js";
import { EchoTask } from "./echo-task.js";
import { functionTask } from "./function-form.js";
import { mockTask } from "../testing/mock.js";
import { compileTaskOptions } from "./options.js";
import { PodTemplate } from "./pod-template.js";
import { ReferenceTask } from "./reference-task.js";
import { Resources } from "./resources.js";
import { Bool, currentContext, Float, Int, Json, Str, withServices } from "../index.js";
import { TaskExecutionContext } from "../extend.js";
import { localCacheKey, Secrets } from "../internal.js";

describe("dispatchExecute: the literal path (test_type_hints)", () => {
  const add = functionTask({ name: "add", inputs: { a: Int, b: Int }, outputs: Int }, ({ a, b }) => Number(a) + Number(b));

  it("takes a LiteralMap and gives one", () => {
    const out = add.task.dispatchExecute(literalMapOf({ a: Int.toLiteral(3), b: Int.toLiteral(4) }), new TaskExecutionContext({ taskName: "add" }));
    expect(out).toEqual(literalMapOf({ o0: Int.toLiteral(7) }));
  });

  it("refuses a literal of the wrong type, or a missing one, naming the input", () => {
    const ctx = new TaskExecutionContext({ taskName: "add" });
    expect(() => add.task.dispatchExecute(literalMapOf({ a: Str.toLiteral("x"), b: Int.toLiteral(4) }), ctx)).toThrow(
      "task 'add', input 'a': expected Int, got a string literal \"x\"",
    );
    expect(() => add.task.dispatchExecute(literalMapOf({ a: Int.toLiteral(1) }), ctx)).toThrow(TaskInputError);
    expect(() => add.task.dispatchExecute(literalMapOf({ a: Int.toLiteral(1) }), ctx)).toThrow(
      "task 'add', input 'b': expected Int, got nothing: it is missing from the inputs",
    );
  });

  it("looks secrets up with the _FSEC_ prefix only, in a container (test_context_manager)", () => {
    const env = { GROUP_KEY: "plain", _FSEC_OTHER_KEY: "prefixed" };
    const container = new Secrets({ envPrefix: "_FSEC_", defaultDir: "/nonexistent", filePrefix: "" }, false, env);
    expect(() => container.get("group", "key")).toThrow(/Unable to find secret for key key in group group in Env Var: _FSEC_GROUP_KEY/);
    expect(container.get("other", "key")).toBe("prefixed");
    const local = new Secrets({ envPrefix: "_FSEC_", defaultDir: "/nonexistent", filePrefix: "" }, true, env);
    expect(local.get("group", "key")).toBe("plain");
  });
});

describe("secrets by name and by file (test_context_manager.test_secrets_manager_*)", () => {
  it("names environment variables and files as flytekit does", () => {
    const s = new Secrets({ envPrefix: "_FSEC_", defaultDir: "/etc/secrets", filePrefix: "" }, false, {});
    expect(s.envVarName("group", "test", "v1")).toBe("_FSEC_GROUP_V1_TEST");
    expect(s.envVarName("group", undefined, "v1")).toBe("_FSEC_GROUP_V1");
    expect(s.envVarName("group")).toBe("_FSEC_GROUP");
    expect(s.envVarName("my-group", "abc", "v1")).toBe("_FSEC_MY-GROUP_V1_ABC");
    expect(s.envVarName(undefined, "abc")).toBe("_FSEC_ABC");
    expect(s.filePath(undefined, "abc")).toBe("/etc/secrets/abc");
    expect(s.filePath("Group", "Test", "V1")).toBe("/etc/secrets/group/v1/test");
  });

  it("reads a mounted file, lower-cased, with the file prefix, trimmed", () => {
    const dir = mkdtempSync(join(tmpdir(), "flytekit-ts-secrets-"));
    mkdirSync(join(dir, "group"));
    writeFileSync(join(dir, "group", "pre_test"), "  file value \n");
    const s = new Secrets({ envPrefix: "_FSEC_", defaultDir: dir, filePrefix: "pre_" }, false, {});
    expect(s.get("GROUP", "TEST")).toBe("file value");
  });
});

describe("the local cache (test_local_cache)", () => {
  const env = process.env.FLYTEKIT_TS_LOCAL_CACHE_DIR;
  beforeEach(() => {
    process.env.FLYTEKIT_TS_LOCAL_CACHE_DIR = mkdtempSync(join(tmpdir(), "flytekit-ts-parity-cache-"));
  });
  afterEach(() => {
    if (env === undefined) delete process.env.FLYTEKIT_TS_LOCAL_CACHE_DIR;
    else process.env.FLYTEKIT_TS_LOCAL_CACHE_DIR = env;
  });

  it("has flytekit's stable key (test_stable_cache_key)", () => {
    const kwargs = { a: 42, b: "abcd", c: 0.12349, d: [1, 2, 3], e: { e_a: 11, e_b: Array.from({ length: 1000 }, (_, i) => i), e_c: { e_c_a: 12.34, e_c_b: "a string" } } };
    const map = literalMapOf({ lit_1: Json.toLiteral(kwargs), lit_2: Int.toLiteral(99), lit_3: Float.toLiteral(3.14), lit_4: Bool.toLiteral(true) });
    expect(localCacheKey("task_name_1", "31415", map, [])).toBe("task_name_1-31415-e3a85f91467d1e1f721ebe8129b2de31");
  });

  it("keeps the hash of a map or collection literal that carries one (test_literal_hash_placement)", () => {
    const lit = Str.toLiteral("test");
    const withHash = (l: ReturnType<typeof mapLiteral>) => ({ ...l, hash: "0xffff" });
    const a = literalMapOf({ m: withHash(mapLiteral({ test: lit })), c: withHash(collectionLiteral([lit])) });
    const b = literalMapOf({ m: withHash(mapLiteral({ other: lit })), c: withHash(collectionLiteral([lit, lit])) });
    expect(localCacheKey("t", "v", a, [])).toBe(localCacheKey("t", "v", b, []));
  });

  it("ignores inputs named by the legacy option too (test_cache_ignore_input_vars)", () => {
    let calls = 0;
    const add = functionTask({ name: "legacy_add", inputs: { a: Int, b: Int }, outputs: Int, cache: true, cacheVersion: "v1", cacheIgnoreInputVars: ["a"] }, ({ a, b }) => {
      calls++;
      return Number(a) + Number(b);
    });
    expect([add({ a: 10, b: 5 }), add({ a: 20, b: 5 }), add({ a: 20, b: 8 })]).toEqual([15, 15, 28]);
    expect(calls).toBe(2);
  });

  it("does not cache a failed call", () => {
    let calls = 0;
    const flaky = functionTask({ name: "fails_once", inputs: { a: Int }, outputs: Int, cache: true, cacheVersion: "1" }, ({ a }) => {
      calls++;
      if (calls === 1) throw new Error("first call fails");
      return a;
    });
    expect(() => flaky({ a: 1 })).toThrow("first call fails");
    expect(flaky({ a: 1 })).toBe(1);
    expect(calls).toBe(2);
  });

  it("restores several outputs from a hit (test_wf_custom_types)", () => {
    let calls = 0;
    const two = functionTask({ name: "two_outputs", inputs: { n: Int }, outputs: { doubled: Int, text: Str }, cache: true, cacheVersion: "1" }, ({ n }) => {
      calls++;
      return { doubled: Number(n) * 2, text: `n=${n}` };
    });
    expect(two({ n: 4 })).toEqual({ doubled: 8, text: "n=4" });
    expect(two({ n: 4 })).toEqual({ doubled: 8, text: "n=4" });
    expect(calls).toBe(1);
  });
});

describe("options (test_python_function_task, test_resources)", () => {
  const compile = (options: Parameters<typeof compileTaskOptions>[1]) => compileTaskOptions("t", options, { inputNames: ["a"] });

  it("keep cacheSerialize with cache and a version (test_metadata)", () => {
    const m = compile({ cache: true, cacheSerialize: true, cacheVersion: "1.0" }).metadata;
    expect([m.cache, m.cacheSerialize, m.cacheVersion]).toEqual([true, true, "1.0"]);
    expect(() => compile({ cache: new Cache({ version: "" }) })).toThrow("task 't', option 'cache': Caching is enabled (cache: true) but cacheVersion is not set");
  });

  it("hash two salted policies together (test_basic_salt_cache_policy) and pass them the image and pod template", () => {
    const seen: unknown[] = [];
    const policy = {
      getVersion: (salt: string, params: { containerImage?: string; podTemplateName?: string }) => {
        seen.push([params.containerImage, params.podTemplateName]);
        return salt;
      },
    };
    const v = compile({ cache: new Cache({ policies: [policy, policy], salt: "salt" }), containerImage: "img", podTemplateName: "pt" }).metadata.cacheVersion;
    expect(v).toBe(createHash("sha256").update("saltsalt").digest("hex"));
    expect(seen).toEqual([["img", "pt"], ["img", "pt"]]);
  });

  it("take containerImage, environment, pod templates and docs", () => {
    const pod = new PodTemplate({ primaryContainerName: "main", labels: { l: "v" } });
    const s = compile({ containerImage: "", environment: { FOO: "bar" }, podTemplate: pod, podTemplateName: "A", docs: "Adds numbers" });
    expect(s.containerImage).toBeUndefined();
    expect(s.environment).toEqual({ FOO: "bar" });
    expect(s.podTemplate).toBe(pod);
    expect(s.metadata.podTemplateName).toBe("A");
    expect(s.docs).toEqual({ short: "Adds numbers" });
    expect(() => compile({ environment: { FOO: 1 } as never })).toThrow("task 't', option 'environment'.FOO: expected a string, got 1 (number)");
    expect(() => compile({ containerImage: 3 as never })).toThrow("task 't', option 'containerImage': expected a string, got 3 (number)");
    expect(() => compile({ podTemplate: {} as never })).toThrow("task 't', option 'podTemplate': expected a PodTemplate, got {} (object)");
    expect(() => compile({ taskConfig: "x" as never })).toThrow("task 't', option 'taskConfig': expected a plugin's config object, got \"x\" (string)");
  });

  it("check resources as flytekit does (test_resources)", () => {
    expect(() => new Resources({ gpu: 0.1 })).toThrow("Resources, gpu: expected a string or a whole number, got 0.1");
    expect(() => new Resources({ ephemeralStorage: 0.1 })).toThrow("Resources, ephemeralStorage: expected a string or a whole number, got 0.1");
    expect(() => new Resources({ cpu: [1, 2, 3] as never })).toThrow("Resources, cpu: expected a [request, limit] pair, got [1,2,3]: it must be of length 2");
    expect(() => compile({ limits: new Resources({ mem: [1, 2] }) })).toThrow("task 't', option 'limits'.mem: [1,2] can not be a list or tuple");
    expect(() => compile({ resources: new Resources({ cpu: "1" }), requests: new Resources({ cpu: "2" }) })).toThrow(
      "`resources` can not be used together with the `limits` or `requests`",
    );
    const split = compile({ resources: new Resources({ cpu: "1", mem: [1024, 2058], ephemeralStorage: "2Gi" }) }).resources;
    expect(split.requests.entries()).toEqual([["cpu", "1"], ["mem", 1024], ["ephemeralStorage", "2Gi"]]);
    expect(split.limits.entries()).toEqual([["mem", 2058]]);
    expect(compile({ resources: new Resources({ ephemeralStorage: "2Gi" }) }).resources.limits.isEmpty).toBe(true);
    expect(compile({ sharedMemory: false }).sharedMemory).toBeUndefined();
  });

  it("warn that disableDeck is deprecated, as flytekit does", async () => {
    // Caught where it is emitted: the warning is asserted here, not printed in the test run's output.
    const emit = vi.spyOn(process, "emitWarning").mockImplementation(() => undefined);
    compile({ disableDeck: true });
    const calls = emit.mock.calls.map(([message, options]) => [String(message), options]);
    emit.mockRestore();
    expect(calls).toEqual([
      ["disableDeck is deprecated (as flytekit's disable_deck since 1.10.0); please use enableDeck instead", { type: "DeprecationWarning", code: "FLYTEKIT_TS_DISABLE_DECK" }],
    ]);
  });
});

describe("outputs (test_type_hints)", () => {
  it("return one named output as an object, and take a bare value for it (test_annotated_namedtuple_output, test_ref_as_key_name)", () => {
    const one = functionTask({ name: "named_one", outputs: { a: Int } }, () => ({ a: 11 }));
    expect(one()).toEqual({ a: 11 });
    const bare = functionTask({ name: "named_bare", outputs: { ref: Str } }, () => "ref" as never);
    expect(bare()).toEqual({ ref: "ref" });
  });

  it("have none when declared {} (test_simple_input_no_output)", () => {
    const none = functionTask({ name: "none", inputs: { a: Int }, outputs: {} }, () => undefined);
    expect(none.task.interface.outputs).toEqual([]);
    expect(none({ a: 1 })).toBeUndefined();
  });

  it("refuse a missing value for a declared output", () => {
    const missing = functionTask({ name: "missing", outputs: Int }, () => undefined as never);
    expect(() => missing()).toThrow(TaskOutputError);
    expect(() => missing()).toThrow("task 'missing', output 'o0': expected Int, got undefined");
  });

  it("need identifier names (interface.py: Input name must be a valid identifier)", () => {
    expect(() => functionTask({ name: "bad", inputs: { "a-b": Int } }, () => undefined)).toThrow('task \'bad\', input "a-b": its name is not an identifier');
  });
});

describe("references (test_references)", () => {
  it("with no outputs: refused until mocked, then returns nothing and records its call (test_ref_plain_no_outputs)", () => {
    const r1 = ReferenceTask.of({ project: "proj", domain: "domain", name: "some.name", version: "abc" }, { inputs: { a: Str, b: Int }, outputs: {} });
    expect(() => r1.invoke({ a: "fdsa", b: 3 })).toThrow(/You must mock this out/);
    using mock = mockTask(r1).returns(undefined);
    expect(r1.invoke({ a: "world-5", b: 5 })).toBeUndefined();
    expect(mock.calls).toEqual([{ a: "world-5", b: 5 }]);
  });

  it("with two outputs, mocked, returns them (test_ref_plain_two_outputs)", () => {
    const r1 = ReferenceTask.of({ project: "proj", domain: "domain", name: "some.name", version: "abc" }, { inputs: { a: Str, b: Int }, outputs: { x: Bool, y: Int } });
    using _mock = mockTask(r1).returns({ x: false, y: 30 });
    expect(r1.invoke({ a: "five", b: 6 })).toEqual({ x: false, y: 30 });
  });
});

describe("a task called inside a task (flytekit runs it inline)", () => {
  it("runs in its own context and warns, leaving the outer context as it was", () => {
    const lines: string[] = [];
    const inner = functionTask({ name: "inner", outputs: Str }, () => currentContext().taskName);
    const outer = functionTask({ name: "outer", outputs: Str }, () => `${inner()}|${currentContext().taskName}`);
    expect(withServices({ logSink: (_l, line) => lines.push(line) }, () => outer())).toBe("inner|outer");
    expect(lines).toEqual([
      "[outer] WARN called task 'inner' from inside task 'outer': flytekit-ts runs it inline, as flytekit does; on Flyte it would run in the same container, not as a task of its own",
    ]);
  });

  it("an echo task with no inputs echoes nothing", () => {
    expect(new EchoTask({ name: "empty", inputs: {} }).invoke({})).toBeUndefined();
  });
});
