// Flyte 2's task settings: their values' checks (flyte-sdk's rules, in its words), where each
// lands in a Flyte 1 TaskTemplate, and that what only Flyte 2's IDL holds stays on the task and out
// of the Flyte 1 template.
import { afterEach, describe, expect, it, vi } from "vitest";
import { duration } from "../types/time.js";
import { Int, Str } from "../types/builtins.js";
import { ImageConfig } from "../serialize/image.js";
import { SerializationSettings } from "../serialize/settings.js";
import { templateToBinary, toTaskTemplate } from "../serialize/template.js";
import { Cache } from "./cache.js";
import { functionTask } from "./function-form.js";
import type { TaskLink } from "./links.js";
import { compileTaskOptions, type TaskOptions } from "./options.js";
import { RetryStrategy } from "./retry.js";
import { ReusePolicy } from "./reuse.js";
import { Timeout } from "./timeout.js";
import { definitionErrorOf } from "./testing.js";

const compile = (options: TaskOptions) => compileTaskOptions("t", options, { inputNames: [] });
const messageOf = definitionErrorOf;
const settings = new SerializationSettings({ project: "p", domain: "d", version: "v", imageConfig: ImageConfig.auto("docker.io/xyz:1") });
const link: TaskLink = { name: "dashboard", getLink: (c) => `https://grafana.example/${c.runName}` };

afterEach(() => {
  vi.restoreAllMocks();
});

describe("RetryStrategy", () => {
  it("takes a count and a backoff, its durations as seconds or Durations", () => {
    const r = new RetryStrategy({ count: 5, backoff: { base: 10, factor: 2, cap: duration({ minutes: 5 }) } });
    expect(r.count).toBe(5);
    expect(r.backoff).toEqual({ base: { seconds: 10, nanos: 0 }, factor: 2, cap: { seconds: 300, nanos: 0 } });
    expect(new RetryStrategy({ count: 1, backoff: { base: 0.5 } }).backoff).toEqual({ base: { seconds: 0, nanos: 500_000_000 }, factor: 1, cap: undefined });
  });

  it("waits min(base * factor^n, cap) before retry n + 1", () => {
    const r = new RetryStrategy({ count: 6, backoff: { base: 10, factor: 2, cap: 45 } });
    expect([0, 1, 2, 3].map((n) => r.delaySeconds(n))).toEqual([10, 20, 40, 45]);
    // Far past float range the cap holds (flyte-sdk 2.12.1 catches the overflow the same way).
    expect(r.delaySeconds(5000)).toBe(45);
    expect(new RetryStrategy({ count: 1 }).delaySeconds(3)).toBe(0);
  });

  it("refuses what flyte-sdk refuses, in its words", () => {
    expect(messageOf(() => new RetryStrategy({ count: 1.5 }))).toBe("RetryStrategy: RetryStrategy.count must be an int (a retry count), got 1.5");
    expect(messageOf(() => new RetryStrategy({ count: -2 }))).toBe("RetryStrategy: RetryStrategy.count must be greater than or equal to 0, got -2");
    expect(messageOf(() => new RetryStrategy({ count: 1, backoff: { base: -1 } }))).toBe("RetryStrategy, backoff: Backoff.base must be >= 0, got -1");
    expect(messageOf(() => new RetryStrategy({ count: 1, backoff: { base: 1, factor: Number.POSITIVE_INFINITY } }))).toBe(
      "RetryStrategy, backoff: Backoff.factor must be a finite number, got Infinity",
    );
    expect(messageOf(() => new RetryStrategy({ count: 1, backoff: { base: 1, factor: Number.NaN } }))).toBe("RetryStrategy, backoff: Backoff.factor must be a finite number, got NaN");
    expect(messageOf(() => new RetryStrategy({ count: 1, backoff: { base: 1, factor: 0.5 } }))).toBe("RetryStrategy, backoff: Backoff.factor must be >= 1.0, got 0.5");
    expect(messageOf(() => new RetryStrategy({ count: 1, backoff: { base: 1, factor: 2 } }))).toBe(
      "RetryStrategy, backoff: Backoff.cap is required when factor > 1.0 to prevent unbounded growth",
    );
    expect(messageOf(() => new RetryStrategy({ count: 1, backoff: { base: 1, cap: -3 } }))).toBe("RetryStrategy, backoff: Backoff.cap must be >= 0, got -3");
    expect(messageOf(() => new RetryStrategy({ count: 1, backoff: { base: "1s" as never } }))).toBe("RetryStrategy, backoff.base: expected seconds or a Duration, got \"1s\" (string)");
  });
});

describe("Timeout", () => {
  it("keeps its three bounds, 0 being unlimited", () => {
    const t = new Timeout({ maxRuntime: 1800, maxQueuedTime: duration({ minutes: 15 }), deadline: 0 });
    expect(t.maxRuntime).toEqual({ seconds: 1800, nanos: 0 });
    expect(t.maxQueuedTime).toEqual({ seconds: 900, nanos: 0 });
    expect(t.deadline).toBeUndefined();
  });

  it("refuses a negative bound and an unknown one", () => {
    expect(messageOf(() => new Timeout({ maxRuntime: -1 }))).toBe("Timeout, maxRuntime: must be >= 0, got -1");
    expect(messageOf(() => new Timeout({ maxRuntme: 5 } as never))).toBe('Timeout: unknown bound "maxRuntme"; the bounds are maxRuntime, maxQueuedTime, deadline');
  });
});

describe("ReusePolicy", () => {
  it("has flyte-sdk's defaults", () => {
    const r = new ReusePolicy();
    expect([r.minReplicas, r.maxReplicas, r.concurrency, r.idleTtl, r.scaledownTtl, r.scope]).toEqual([2, 2, 1, { seconds: 30, nanos: 0 }, { seconds: 30, nanos: 0 }, "global"]);
    const scaled = new ReusePolicy({ replicas: [1, 3], concurrency: 2, idleTtl: duration({ minutes: 2 }), scope: "run" });
    expect([scaled.minReplicas, scaled.maxReplicas, scaled.idleTtl.seconds, scaled.scope]).toEqual([1, 3, 120, "run"]);
  });

  it("refuses what flyte-sdk refuses, in its words", () => {
    const cases: [ConstructorParameters<typeof ReusePolicy>[0], string][] = [
      [{ scope: "process" as never }, 'scope must be "global" or "run"'],
      [{ replicas: [1, 2, 3] as never }, "replicas must be an int or a tuple of two ints"],
      [{ replicas: [1, "2"] as never }, "replicas max must be an int, got 2"],
      [{ replicas: -1 }, "replicas min must be greater than or equal to 0, got -1"],
      [{ replicas: [3, 1] }, "replicas min (3) must be less than or equal to max (1)"],
      [{ concurrency: 1.5 }, "concurrency must be an int, got 1.5"],
      [{ concurrency: 0 }, "concurrency must be at least 1, got 0"],
      [{ idleTtl: 10 }, "idleTtl must be at least 30 seconds"],
      [{ scaledownTtl: duration({ seconds: 29 }) }, "scaledownTtl must be at least 30 seconds"],
    ];
    for (const [spec, problem] of cases) expect(messageOf(() => new ReusePolicy(spec))).toBe(`ReusePolicy: ${problem}`);
  });

  it("warns of starvation with one replica running one task at a time, as flyte-sdk", () => {
    const warn = vi.spyOn(process, "emitWarning").mockImplementation(() => {});
    new ReusePolicy({ replicas: 1 });
    expect(warn).toHaveBeenCalledTimes(1);
    expect(String(warn.mock.calls[0]![0])).toContain("it is recommended to use a minimum of 2 replicas, to avoid starvation");
    new ReusePolicy({ replicas: 1, concurrency: 2 });
    new ReusePolicy({ replicas: [1, 2] });
    expect(warn).toHaveBeenCalledTimes(1);
  });
});

describe("Cache.maxAge", () => {
  it("takes seconds or a Duration, 0 included, and refuses a negative age in flyte-sdk's words", () => {
    expect(new Cache({ version: "1", maxAge: 3600 }).maxAge).toEqual({ seconds: 3600, nanos: 0 });
    expect(new Cache({ version: "1", maxAge: duration({ days: 1 }) }).maxAge).toEqual({ seconds: 86400, nanos: 0 });
    expect(new Cache({ version: "1", maxAge: 0 }).maxAge).toEqual({ seconds: 0, nanos: 0 });
    expect(new Cache({ version: "1" }).maxAge).toBeUndefined();
    expect(messageOf(() => new Cache({ version: "1", maxAge: -1 }))).toBe("Cache: maxAge must be nonnegative");
    expect(messageOf(() => new Cache({ version: "1", maxAge: true as never }))).toBe("Cache: maxAge must be seconds, a Duration, or undefined");
  });
});

describe("the new options' checks", () => {
  it("say what each takes", () => {
    expect(messageOf(() => compile({ retries: new Timeout() as never }))).toMatch(/^task 't', option 'retries': expected a whole number of at least 0, or a RetryStrategy, got /);
    expect(messageOf(() => compile({ timeout: "5m" as never }))).toBe("task 't', option 'timeout': expected whole seconds or a Duration, got \"5m\" (string)");
    expect(messageOf(() => compile({ reusable: { replicas: 2 } as never }))).toMatch(/^task 't', option 'reusable': expected a ReusePolicy, got /);
    expect(messageOf(() => compile({ queue: 3 as never }))).toBe("task 't', option 'queue': expected a string, got 3 (number)");
    expect(messageOf(() => compile({ debuggable: "yes" as never }))).toBe("task 't', option 'debuggable': expected true or false, got \"yes\" (string)");
    expect(messageOf(() => compile({ links: [{ name: "x" }] as never }))).toMatch(/^task 't', option 'links': expected a list of links \(\{ name, getLink\(context\) \}\), got /);
    expect(messageOf(() => compile({ shortName: "" }))).toBe("task 't', option 'shortName': expected a name (a non-empty string), got \"\" (string)");
  });

  it("refuse a short name longer than 63 characters", () => {
    expect(compile({ shortName: "x".repeat(63) }).flyte2.shortName).toHaveLength(63);
    expect(messageOf(() => compile({ shortName: "x".repeat(64) }))).toMatch(/^task 't', option 'shortName': expected at most 63 characters \(it has 64\), got "x+/);
    // The default, the member's name, is held to it too.
    const long = `f${"x".repeat(63)}`;
    expect(messageOf(() => functionTask({ name: "ok" }, { [long]: () => 1 }[long]!))).toContain("longer than 63 characters; give a shorter shortName");
  });

  it("take report as Flyte 2's enableDeck, never with enableDeck or disableDeck", () => {
    expect(compile({ report: true }).metadata.generatesDeck).toBe(true);
    expect(compile({ report: false }).metadata.generatesDeck).toBe(false);
    expect(messageOf(() => compile({ report: true, enableDeck: true }))).toBe(
      "task 't', option 'report': report is Flyte 2's name for enableDeck: only one of [report, enableDeck] can be set; keep report",
    );
    vi.spyOn(process, "emitWarning").mockImplementation(() => {});
    expect(messageOf(() => compile({ report: true, disableDeck: false }))).toBe(
      "task 't', option 'report': report is Flyte 2's name for enableDeck: only one of [report, disableDeck] can be set; keep report",
    );
  });
});

describe("serialized for Flyte 1", () => {
  const flyte2Only: TaskOptions = {
    retries: new RetryStrategy({ count: 3, backoff: { base: 5, factor: 2, cap: 60 } }),
    timeout: new Timeout({ maxRuntime: 600, maxQueuedTime: 120, deadline: 3600 }),
    cache: new Cache({ version: "7", maxAge: 86400 }),
    reusable: new ReusePolicy({ replicas: [2, 4], concurrency: 1 }),
    queue: "gpu-queue-east",
    links: [link],
    debuggable: true,
    shortName: "shortAndSweet",
    report: true,
    interruptible: true,
  };
  // The same task in Flyte 1's terms: what a Flyte 1 template can say of the settings above.
  const flyte1Equivalent: TaskOptions = { retries: 3, timeout: 600, cache: new Cache({ version: "7" }), enableDeck: true, interruptible: true };

  it("keeps what Flyte 1 has a field for: the retry count, the runtime bound, the cache, report as generates_deck, interruptible", () => {
    const toText = ({ x }: { x: number | bigint }) => String(x);
    const t = functionTask({ name: "s.t", inputs: { x: Int }, outputs: Str, ...flyte2Only }, toText);
    const m = toTaskTemplate(t.task, settings).metadata!;
    expect(m.retries?.retries).toBe(3);
    expect(m.timeout).toEqual(expect.objectContaining({ seconds: 600n, nanos: 0 }));
    expect([m.discoverable, m.discoveryVersion]).toEqual([true, "7"]);
    expect(m.generatesDeck).toBe(true);
    expect(m.interruptibleValue).toEqual({ case: "interruptible", value: true });
  });

  it("drops what only Flyte 2 has: the template is the Flyte 1 equivalent's, byte for byte, and the settings stay on the task", () => {
    const fn = ({ x }: { x: number | bigint }) => String(x);
    const with2 = functionTask({ name: "s.t", inputs: { x: Int }, outputs: Str, ...flyte2Only }, fn);
    const with1 = functionTask({ name: "s.t", inputs: { x: Int }, outputs: Str, ...flyte1Equivalent }, fn);
    const bytes = templateToBinary(toTaskTemplate(with2.task, settings));
    expect(Buffer.from(bytes).equals(Buffer.from(templateToBinary(toTaskTemplate(with1.task, settings))))).toBe(true);
    for (const text of ["gpu-queue-east", "dashboard", "shortAndSweet"]) expect(Buffer.from(bytes).includes(text)).toBe(false);
    expect(with2.task.settings.flyte2).toEqual({
      shortName: "shortAndSweet",
      backoff: { base: { seconds: 5, nanos: 0 }, factor: 2, cap: { seconds: 60, nanos: 0 } },
      queuedTimeout: { seconds: 120, nanos: 0 },
      deadline: { seconds: 3600, nanos: 0 },
      cacheMaxAge: { seconds: 86400, nanos: 0 },
      reusePolicy: flyte2Only.reusable,
      queue: "gpu-queue-east",
      links: [link],
      debuggable: true,
    });
    expect(with2.task.shortName).toBe("shortAndSweet");
  });

  it("gives a task without them Flyte 2's defaults: no backoff, no extra bounds, and the member's name as short name", () => {
    const t = functionTask({ inputs: { x: Int }, outputs: Int }, function double({ x }) {
      return 2 * Number(x);
    });
    expect(t.task.settings.flyte2).toEqual({ links: [] });
    expect(t.task.shortName).toBe("double");
  });
});

describe("the new option values", () => {
  it("are taken from another copy of the package (branded, as Cache and Resources)", () => {
    // What another copy's classes give: their own prototype, with the brand every copy shares.
    for (const [cls, name] of [
      [RetryStrategy, "RetryStrategy"],
      [Timeout, "Timeout"],
      [ReusePolicy, "ReusePolicy"],
    ] as const) {
      class OtherCopy {}
      Object.defineProperty(OtherCopy.prototype, Symbol.for(`flytekit-ts.error.${name}`), { value: true });
      expect(new OtherCopy()).toBeInstanceOf(cls);
      expect({}).not.toBeInstanceOf(cls);
    }
  });
});
