// Flyte 2's call surface on every task: override() (flyte-sdk's rules, and where we differ),
// aio(), forward(), the pre/execute/post hooks, and retries paced by a backoff.
import { afterEach, describe, expect, it, vi } from "vitest";
import type { TaskExecutionContext } from "../context/context.js";
import { Int, Str } from "../types/builtins.js";
import { mockTask, restoreAllMocks } from "../testing/mock.js";
import { Cache } from "./cache.js";
import { RecoverableError } from "./errors.js";
import { eagerFunctionTask, functionTask } from "./function-form.js";
import { FunctionTask } from "./function-task.js";
import { PodTemplate } from "./pod-template.js";
import { Resources } from "./resources.js";
import { RetryStrategy } from "./retry.js";
import { ReusePolicy } from "./reuse.js";
import { Secret } from "./secret.js";
import { Timeout } from "./timeout.js";
import { TaskPlugins } from "./plugins.js";
import { definitionErrorOf } from "./testing.js";

const messageOf = definitionErrorOf;

afterEach(() => {
  vi.useRealTimers();
  vi.restoreAllMocks();
  restoreAllMocks();
});

function addOne({ x }: { x: number | bigint }) {
  return Number(x) + 1;
}
const base = () =>
  functionTask(
    { name: "ov.add", inputs: { x: Int }, outputs: Int, retries: 2, timeout: 60, cache: new Cache({ version: "1" }), interruptible: true, queue: "q1", resources: new Resources({ cpu: "1" }) },
    addOne,
  );

describe("override()", () => {
  it("returns a new task and never changes the original", () => {
    const add = base();
    const before = structuredClone({ metadata: add.task.settings.metadata, flyte2: add.task.settings.flyte2 });
    const other = add.override({ retries: 5, queue: "q2", timeout: new Timeout({ maxRuntime: 30, maxQueuedTime: 10 }), shortName: "plus" });
    expect(other.task).not.toBe(add.task);
    expect(other.task).toBeInstanceOf(FunctionTask);
    expect([other.task.name, other.task.interface, other.task.settings.containerImage]).toEqual([add.task.name, add.task.interface, add.task.settings.containerImage]);
    expect([other.task.metadata.retries, other.task.metadata.timeout, other.task.settings.flyte2.queue, other.task.settings.flyte2.queuedTimeout, other.task.shortName]).toEqual([
      5,
      { seconds: 30, nanos: 0 },
      "q2",
      { seconds: 10, nanos: 0 },
      "plus",
    ]);
    expect({ metadata: add.task.settings.metadata, flyte2: add.task.settings.flyte2 }).toEqual(before);
    expect(add.task.shortName).toBe("addOne");
    // Both still run, each by its own settings.
    expect(other({ x: 1 })).toBe(2);
    expect(add({ x: 2 })).toBe(3);
  });

  it("on a Task returns a Task of the same class", () => {
    const t = base().task;
    const o = t.override({ interruptible: false });
    expect(Object.getPrototypeOf(o)).toBe(Object.getPrototypeOf(t));
    expect(o.call(4)).toBe(5);
  });

  it("refuses name, image, docs and interface in flyte-sdk's words", () => {
    const add = base();
    expect(messageOf(() => add.override({ name: "x" } as never))).toBe("task 'ov.add', override(), name: Name cannot be overridden; declare another task for that");
    expect(messageOf(() => add.override({ image: "x" } as never))).toBe("task 'ov.add', override(), image: Image cannot be overridden; declare another task for that");
    expect(messageOf(() => add.override({ containerImage: "x" } as never))).toBe("task 'ov.add', override(), containerImage: Image cannot be overridden; declare another task for that");
    expect(messageOf(() => add.override({ docs: "x" } as never))).toBe("task 'ov.add', override(), docs: Docs cannot be overridden; declare another task for that");
    expect(messageOf(() => add.override({ interface: {} } as never))).toBe("task 'ov.add', override(), interface: Interface cannot be overridden; declare another task for that");
    expect(messageOf(() => add.override({ outputs: Str } as never))).toBe("task 'ov.add', override(), outputs: Interface cannot be overridden; declare another task for that");
  });

  it("refuses what it does not change, naming what it does", () => {
    expect(messageOf(() => base().override({ report: true } as never))).toBe(
      "task 'ov.add', override(), report: it is not a setting override() changes; it takes cache, env, interruptible, links, maxInlineIoBytes, podTemplate, queue, resources, retries, reusable, secrets, shortName, timeout",
    );
  });

  it("checks each value as the option it is", () => {
    expect(messageOf(() => base().override({ retries: -1 }))).toMatch(/^task 'ov.add', override\(\), retries: expected a whole number of at least 0, or a RetryStrategy, got -1/);
    expect(messageOf(() => base().override({ env: "A=1" as never }))).toMatch(/^task 'ov.add', override\(\), env: expected an object of strings/);
    expect(messageOf(() => base().override({ reusable: "on" as never }))).toBe('task \'ov.add\', override(), reusable: expected a ReusePolicy or "off", got "on" (string)');
    expect(messageOf(() => base().override({ shortName: "y".repeat(64) }))).toMatch(/expected at most 63 characters/);
  });

  it("applies a value given even when it is falsy (flyte-sdk's `retries or self.retries` cannot reset retries to 0)", () => {
    const o = base().override({ retries: 0, interruptible: false, queue: "", timeout: 0 });
    expect([o.task.metadata.retries, o.task.metadata.interruptible, o.task.settings.flyte2.queue, o.task.metadata.timeout]).toEqual([0, false, "", undefined]);
    // undefined keeps the task's own.
    const same = base().override({ retries: undefined });
    expect(same.task.metadata.retries).toBe(2);
  });

  it("replaces retries and timeouts whole: a plain count drops an earlier backoff, a plain timeout the extra bounds", () => {
    const paced = base().override({ retries: new RetryStrategy({ count: 3, backoff: { base: 1 } }), timeout: new Timeout({ maxRuntime: 5, deadline: 50 }) });
    expect([paced.task.settings.flyte2.backoff?.base, paced.task.settings.flyte2.deadline]).toEqual([{ seconds: 1, nanos: 0 }, { seconds: 50, nanos: 0 }]);
    const plain = paced.override({ retries: 1, timeout: 9 });
    expect([plain.task.metadata.retries, plain.task.settings.flyte2.backoff, plain.task.metadata.timeout, plain.task.settings.flyte2.deadline]).toEqual([1, undefined, { seconds: 9, nanos: 0 }, undefined]);
  });

  it("changes the cache by flytekit's rules, max age included", () => {
    const o = base().override({ cache: new Cache({ version: "2", maxAge: 60 }) });
    expect([o.task.metadata.cache, o.task.metadata.cacheVersion, o.task.settings.flyte2.cacheMaxAge]).toEqual([true, "2", { seconds: 60, nanos: 0 }]);
    const off = o.override({ cache: false });
    expect([off.task.metadata.cache, off.task.settings.flyte2.cacheMaxAge]).toEqual([false, undefined]);
    // true keeps the version it had; with none to keep it is flytekit's error.
    expect(o.override({ cache: true }).task.metadata.cacheVersion).toBe("2");
    expect(messageOf(() => off.override({ cache: true }))).toMatch(/If version is not defined then at least one cache policy needs to be set/);
  });

  it("changes resources, env, secrets, pod template and links", () => {
    const secret = new Secret({ group: "g", key: "k" });
    const pod = new PodTemplate({ primaryContainerName: "main" });
    const link = { name: "l", getLink: () => "u" };
    const o = base().override({ resources: new Resources({ cpu: ["2", "4"] }), env: { A: "1" }, secrets: [secret], podTemplate: pod, links: [link], maxInlineIoBytes: 1024 });
    expect([o.task.settings.resources.requests.cpu, o.task.settings.resources.limits.cpu, o.task.settings.environment, o.task.settings.secretRequests, o.task.settings.podTemplate]).toEqual([
      "2",
      "4",
      { A: "1" },
      [secret],
      pod,
    ]);
    expect([o.task.settings.flyte2.links, o.task.settings.maxInlineIoBytes]).toEqual([[link], 1024]);
    const named = o.override({ podTemplate: "gpu-pod" });
    expect([named.task.settings.podTemplate, named.task.metadata.podTemplateName]).toEqual([undefined, "gpu-pod"]);
  });

  describe("on a reusable task (flyte-sdk's rules)", () => {
    async function slowAdd({ x }: { x: number | bigint }) {
      return Number(x) + 1;
    }
    const reusable = () => functionTask({ name: "ov.reuse", inputs: { x: Int }, outputs: Int, reusable: new ReusePolicy({ replicas: 2, concurrency: 2 }) }, slowAdd);

    it("refuses resources, env and secrets unless reuse is turned off in the same call", () => {
      const t = reusable();
      expect(messageOf(() => t.override({ resources: new Resources({ cpu: "2" }) }))).toBe(
        "task 'ov.reuse', override(), resources: Cannot override resources when reusable is set. Reusable tasks will use the parent env's resources; " +
          'disable reusability and override resources if needed: override({ reusable: "off", resources: ... })',
      );
      expect(messageOf(() => t.override({ env: { A: "1" } }))).toMatch(/override\(\), env: Cannot override env when reusable is set/);
      expect(messageOf(() => t.override({ secrets: [new Secret({ key: "k" })] }))).toMatch(/override\(\), secrets: Cannot override secrets when reusable is set/);
      const off = t.override({ reusable: "off", resources: new Resources({ cpu: "2" }), env: { A: "1" } });
      expect([off.task.settings.flyte2.reusePolicy, off.task.settings.resources.requests.cpu, off.task.settings.environment]).toEqual([undefined, "2", { A: "1" }]);
      expect(t.task.settings.flyte2.reusePolicy).toBeDefined();
    });

    it("refuses a concurrency above 1 for a synchronous task", () => {
      expect(messageOf(() => base().override({ reusable: new ReusePolicy({ concurrency: 2 }) }))).toBe(
        "task 'ov.add', override(), reusable: Reusable environments with concurrency greater than 1 are only supported for async tasks; use an async function or set concurrency to 1",
      );
    });
  });

  it("keeps the original's mock", () => {
    const add = base();
    mockTask(add).returns(42);
    expect(add.override({ retries: 0 })({ x: 1 })).toBe(42);
  });
});

describe("aio() and forward()", () => {
  it("aio always gives a Promise, also for a synchronous task, and rejects rather than throws", async () => {
    const add = base();
    const p = add.aio({ x: 1 });
    expect(p).toBeInstanceOf(Promise);
    expect(await p).toBe(2);
    expect(await add.task.aio(5)).toBe(6);
    await expect(add.aio({ x: "no" } as never)).rejects.toThrow(/input 'x': expected Int/);
  });

  it("forward runs the function itself: no literal round trip, no cache, no mock", () => {
    const seen: unknown[] = [];
    function keep({ x }: { x: number | bigint }) {
      seen.push(x);
      return x;
    }
    const t = functionTask({ name: "ov.keep", inputs: { x: Int }, outputs: Int, cache: new Cache({ version: "1" }) }, keep);
    mockTask(t).returns(0);
    // A value the type engine would refuse passes straight through, and the same object comes back.
    const odd = { not: "an int" };
    expect(t.forward({ x: odd as never })).toBe(odd);
    expect(t.task.forward({ x: 3 })).toBe(3);
    expect(seen).toEqual([odd, 3]);
  });

  it("forward is refused by a task without a function of its own", async () => {
    const { EchoTask } = await import("./echo-task.js");
    const echo = new EchoTask({ name: "e", inputs: [] });
    expect(messageOf(() => echo.forward())).toBe("task 'e', forward(): a EchoTask has no function of its own to run; call the task instead");
  });
});

describe("the pre / execute / post hooks (Flyte 2's names)", () => {
  class Config {
    constructor(readonly tag: string) {}
  }
  const order: string[] = [];
  class Hooked extends FunctionTask {
    override pre(context: TaskExecutionContext) {
      order.push(`pre ${context.taskName}`);
    }
    override execute(inputs: Record<string, unknown>, context: TaskExecutionContext) {
      order.push("execute");
      return super.execute(inputs, context);
    }
    override post(_context: TaskExecutionContext, result: unknown) {
      order.push(`post ${String(result)}`);
      return (result as number) * 10;
    }
  }
  TaskPlugins.registerPluginTask(Config, Hooked);

  it("run in order around the body, on the one execution path, and post may replace the result", () => {
    order.length = 0;
    function three() {
      order.push("body");
      return 3;
    }
    const t = functionTask({ name: "hooks.t", outputs: Int, taskConfig: new Config("a") }, three);
    expect(t()).toBe(30);
    expect(order).toEqual(["pre hooks.t", "execute", "body", "post 3"]);
  });

  it("default to flytekit's names, so a plugin written for those still runs", () => {
    const calls: string[] = [];
    class Old extends FunctionTask {
      override preExecute() {
        calls.push("preExecute");
      }
      override postExecute(_c: TaskExecutionContext, r: unknown) {
        calls.push("postExecute");
        return r;
      }
    }
    class OldConfig {}
    TaskPlugins.registerPluginTask(OldConfig, Old);
    function one() {
      return 1;
    }
    expect(functionTask({ name: "hooks.old", outputs: Int, taskConfig: new OldConfig() }, one)()).toBe(1);
    expect(calls).toEqual(["preExecute", "postExecute"]);
  });
});

describe("retries with a backoff, locally", () => {
  it("wait min(base * factor^n, cap) before retry n + 1 (an async task: timers)", async () => {
    vi.useFakeTimers();
    const attempts: number[] = [];
    async function flaky() {
      attempts.push(Date.now());
      if (attempts.length < 5) throw new RecoverableError("not yet");
      return "done";
    }
    const t = functionTask({ name: "bo.async", outputs: Str, retries: new RetryStrategy({ count: 4, backoff: { base: 10, factor: 2, cap: 25 } }) }, flaky);
    const started = Date.now();
    const result = t();
    await vi.runAllTimersAsync();
    expect(await result).toBe("done");
    // The clock is the fake one: the schedule is exact, nothing here measures real time.
    expect(attempts.map((a) => (a - started) / 1000)).toEqual([0, 10, 30, 55, 80]);
  });

  it("do not wait past the retries: the last failure is the call's", async () => {
    vi.useFakeTimers();
    let n = 0;
    async function never() {
      n++;
      throw new RecoverableError("no");
    }
    const t = functionTask({ name: "bo.fail", retries: new RetryStrategy({ count: 2, backoff: { base: 1 } }) }, never);
    const result = t();
    result.catch(() => {});
    await vi.runAllTimersAsync();
    await expect(result).rejects.toThrow(/no/);
    expect(n).toBe(3);
  });

  it("keep a synchronous task synchronous: it blocks for the delay, which it tells the log", () => {
    const lines: string[] = [];
    const wait = vi.spyOn(Atomics, "wait").mockImplementation(() => "timed-out");
    let n = 0;
    function flaky() {
      if (++n < 3) throw new RecoverableError("busy");
      return 7;
    }
    const t = functionTask({ name: "bo.sync", outputs: Int, retries: new RetryStrategy({ count: 3, backoff: { base: 2, factor: 3, cap: 100 } }) }, flaky);
    const logSink = (_level: string, line: string) => void lines.push(line);
    return import("../context/context.js").then(({ withServices }) => {
      const result = withServices({ logSink }, () => t());
      expect(result).toBe(7);
      expect(wait.mock.calls.map((c) => c[3])).toEqual([2000, 6000]);
      expect(lines.filter((l) => l.includes("recoverable error"))).toEqual([
        "[bo.sync] INFO attempt 1 failed with a recoverable error; retry 1 of 3 in 2s",
        "[bo.sync] INFO attempt 2 failed with a recoverable error; retry 2 of 3 in 6s",
      ]);
    });
  });

  it("inside an eager task, wait on a timer even for a synchronous task (the inner call is a Promise; its siblings go on)", async () => {
    vi.useFakeTimers();
    const wait = vi.spyOn(Atomics, "wait");
    let n = 0;
    function flaky() {
      if (++n < 3) throw new RecoverableError("busy");
      return n;
    }
    const inner = functionTask({ name: "bo.inner", outputs: Int, retries: new RetryStrategy({ count: 2, backoff: { base: 5 } }) }, flaky);
    const outer = eagerFunctionTask({ name: "bo.eager", outputs: Int }, async () => (await inner()) as number);
    const result = outer();
    await vi.runAllTimersAsync();
    expect(await result).toBe(3);
    expect(wait).not.toHaveBeenCalled();
  });

  it("stop waiting when the calling task is stopped (its timeout): the timer is cleared, no retry runs", async () => {
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout"] });
    let attempts = 0;
    async function flaky(): Promise<number> {
      attempts++;
      throw new RecoverableError("busy");
    }
    const inner = functionTask({ name: "bo.stopped", outputs: Int, retries: new RetryStrategy({ count: 3, backoff: { base: 30 } }) }, flaky);
    let caught: unknown;
    // A plain async task calling another inline: the inner call's retries follow the caller's abort.
    const outer = functionTask({ name: "bo.caller", outputs: Int, timeout: 10 }, async () => {
      try {
        return (await inner()) as number;
      } catch (e) {
        caught = e;
        throw e;
      }
    });
    const result = outer();
    result.catch(() => {});
    await vi.advanceTimersByTimeAsync(10_000);
    await expect(result).rejects.toThrow("task 'bo.caller': it exceeded its timeout of 10s");
    expect(vi.getTimerCount()).toBe(0);
    await vi.runAllTimersAsync();
    expect(attempts).toBe(1);
    // The wait rejects with the abort's reason: the caller's timeout.
    expect((caught as Error).message).toBe("task 'bo.caller': it exceeded its timeout of 10s");
  });

  it("without a backoff retry at once, as before", () => {
    const wait = vi.spyOn(Atomics, "wait");
    let n = 0;
    function flaky() {
      if (++n < 3) throw new RecoverableError("busy");
      return n;
    }
    expect(functionTask({ name: "bo.none", outputs: Int, retries: 2 }, flaky)()).toBe(3);
    expect(wait).not.toHaveBeenCalled();
  });
});
