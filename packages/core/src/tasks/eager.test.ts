import { tableFromArrays } from "apache-arrow";
import { getEventListeners } from "node:events";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, describe, expect, it, vi } from "vitest";
import { currentContext, Dataset, Int, LocalCache, RetryStrategy, Str, withServices } from "../index.js";
import { TaskExecutionContext } from "../context/context.js";
import { FlyteError } from "../errors/flyte-error.js";
import { EagerCallError, EagerTask, type InnerCall, type LaunchCaller, type TaskLauncher } from "../extend.js";
import { eagerFunctionTask, toLiteralMap, userError } from "../internal.js";
import { TaskDefinitionError, TaskTimeoutError, RecoverableError } from "./errors.js";
import { functionTask } from "./function-form.js";
import type { LiteralMap } from "../idl/gen/flyteidl/core/literals_pb.js";

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

const add = functionTask({ name: "eager.add", inputs: { x: Int, y: Int }, outputs: Int }, ({ x, y }) => Number(x) + Number(y));
const double = functionTask({ name: "eager.double", inputs: { x: Int }, outputs: Int }, async ({ x }) => {
  await new Promise((r) => setTimeout(r, 5));
  return 2 * Number(x);
});

/** The calls of a record, as a user reads them: task, inputs, outputs, attempts, cached, nested. */
function shape(calls: readonly InnerCall[]): unknown[] {
  return calls.map((c) => ({
    task: c.task,
    inputs: Object.keys(c.inputs.literals),
    ok: c.outputs !== undefined,
    failed: c.error !== undefined,
    attempts: c.attempts,
    cached: c.cached,
    ...(c.calls.length > 0 ? { calls: shape(c.calls) } : {}),
  }));
}

describe("an eager task, locally", () => {
  it("awaits the tasks it calls one after another, each recorded in its run", async () => {
    let seen: readonly InnerCall[] = [];
    const pipeline = eagerFunctionTask({ name: "eager.seq", inputs: { x: Int }, outputs: Int }, async ({ x }) => {
      const a = await add({ x, y: 1 });
      const b = await double({ x: a });
      seen = currentContext().eager!.calls;
      return b;
    });
    expect(pipeline.task).toBeInstanceOf(EagerTask);
    expect(pipeline.task.isEager).toBe(true);
    expect(await pipeline({ x: 3 })).toBe(8);
    expect(shape(seen)).toEqual([
      { task: "eager.add", inputs: ["x", "y"], ok: true, failed: false, attempts: 1, cached: false },
      { task: "eager.double", inputs: ["x"], ok: true, failed: false, attempts: 1, cached: false },
    ]);
    expect(seen[1]!.outputs).toEqual(toLiteralMap({ o0: Int }, { o0: 8 }));
    for (const c of seen) expect(c.ended!.getTime()).toBeGreaterThanOrEqual(c.started.getTime());
  });

  it("returns a Promise for a synchronous task it calls, and gives no warning about calling a task from a task", async () => {
    const warnings: string[] = [];
    let returned: unknown;
    const pipeline = eagerFunctionTask({ name: "eager.sync", outputs: Int }, async () => {
      returned = add({ x: 1, y: 2 });
      return await (returned as Promise<number>);
    });
    const logSink = (level: string, line: string) => void (level === "warn" ? warnings.push(line) : undefined);
    expect(await withServices({ logSink }, () => pipeline())).toBe(3);
    expect(returned).toBeInstanceOf(Promise);
    expect(warnings).toEqual([]);
    // A plain task calling a task is warned about (it runs in the caller's container on Flyte).
    const plain = functionTask({ name: "eager.plain", outputs: Int }, () => add({ x: 1, y: 2 }) as number);
    expect(withServices({ logSink }, () => plain())).toBe(3);
    expect(warnings).toEqual([expect.stringContaining("called task 'eager.add' from inside task 'eager.plain'")]);
  });

  it("runs several at once with Promise.all, each recorded as it is made", async () => {
    const order: string[] = [];
    const slow = functionTask({ name: "eager.slow", inputs: { s: Str, ms: Int }, outputs: Str }, async ({ s, ms }) => {
      order.push(`start ${s}`);
      await new Promise((r) => setTimeout(r, Number(ms)));
      order.push(`end ${s}`);
      return s.toUpperCase();
    });
    let calls: readonly InnerCall[] = [];
    const fan = eagerFunctionTask({ name: "eager.fan", outputs: Str }, async () => {
      const out = await Promise.all([slow({ s: "a", ms: 30 }), slow({ s: "b", ms: 1 }), slow({ s: "c", ms: 10 })]);
      calls = currentContext().eager!.calls;
      return out.join("");
    });
    expect(await fan()).toBe("ABC");
    // All three started before any ended: they ran at once.
    expect(order.slice(0, 3)).toEqual(["start a", "start b", "start c"]);
    expect(calls.map((c) => c.task)).toEqual(["eager.slow", "eager.slow", "eager.slow"]);
    expect(calls.map((c) => c.ended!.getTime() >= c.started.getTime())).toEqual([true, true, true]);
  });

  it("nests: an eager task called from another records its own calls in its record", async () => {
    const inner = eagerFunctionTask({ name: "eager.inner", inputs: { x: Int }, outputs: Int }, async ({ x }) => {
      const [a, b] = await Promise.all([add({ x, y: 10 }), double({ x })]);
      return Number(a) + Number(b);
    });
    let calls: readonly InnerCall[] = [];
    const outer = eagerFunctionTask({ name: "eager.outer", inputs: { x: Int }, outputs: Int }, async ({ x }) => {
      const y = await inner({ x });
      const z = await add({ x: y, y: 1 });
      calls = currentContext().eager!.calls;
      return z;
    });
    expect(await outer({ x: 1 })).toBe(14);
    expect(shape(calls)).toEqual([
      {
        task: "eager.inner",
        inputs: ["x"],
        ok: true,
        failed: false,
        attempts: 1,
        cached: false,
        calls: [
          { task: "eager.add", inputs: ["x", "y"], ok: true, failed: false, attempts: 1, cached: false },
          { task: "eager.double", inputs: ["x"], ok: true, failed: false, attempts: 1, cached: false },
        ],
      },
      { task: "eager.add", inputs: ["x", "y"], ok: true, failed: false, attempts: 1, cached: false },
    ]);
  });

  it("re-throws an inner failure naming the inner task and the eager task, the original as cause", async () => {
    const boom = functionTask({ name: "eager.boom", inputs: { x: Int } }, () => {
      throw new Error("kaput");
    });
    let caught: unknown;
    let calls: readonly InnerCall[] = [];
    const catching = eagerFunctionTask({ name: "eager.catching", outputs: Str }, async () => {
      try {
        await boom({ x: 1 });
      } catch (e) {
        caught = e;
      }
      calls = currentContext().eager!.calls;
      return "survived";
    });
    expect(await catching()).toBe("survived");
    expect(caught).toBeInstanceOf(EagerCallError);
    const error = caught as EagerCallError;
    expect(error.message).toBe("task 'eager.boom', called from eager task 'eager.catching': it failed: Error encountered while executing 'eager.boom':\n  kaput");
    expect([error.task, error.eagerTask]).toEqual(["eager.boom", "eager.catching"]);
    expect((error.cause as Error).message).toBe("Error encountered while executing 'eager.boom':\n  kaput");
    expect(shape(calls)).toEqual([{ task: "eager.boom", inputs: ["x"], ok: false, failed: true, attempts: 1, cached: false }]);
    expect(calls[0]!.error).toBe(error.cause);

    // Not caught: the eager task fails, its report saying so first.
    const failing = eagerFunctionTask({ name: "eager.failing" }, async () => {
      await boom({ x: 1 });
    });
    await expect(failing()).rejects.toThrow(
      "Error encountered while executing 'eager.failing':\n  task 'eager.boom', called from eager task 'eager.failing': it failed: Error encountered while executing 'eager.boom':\n  kaput",
    );
  });

  it("records a cache hit as cached, with no attempt", async () => {
    const dir = mkdtempSync(join(tmpdir(), "eager-cache-"));
    dirs.push(dir);
    let runs = 0;
    const cached = functionTask({ name: "eager.cached", inputs: { x: Int }, outputs: Int, cache: true, cacheVersion: "1" }, ({ x }) => {
      runs++;
      return Number(x) * 3;
    });
    let calls: readonly InnerCall[] = [];
    const twice = eagerFunctionTask({ name: "eager.twice", outputs: Int }, async () => {
      const a = await cached({ x: 2 });
      const b = await cached({ x: 2 });
      calls = currentContext().eager!.calls;
      return Number(a) + Number(b);
    });
    expect(await withServices({ localCache: new LocalCache({ dir }) }, () => twice())).toBe(12);
    expect(runs).toBe(1);
    expect(calls.map((c) => [c.cached, c.attempts])).toEqual([
      [false, 1],
      [true, 0],
    ]);
  });

  it("counts an inner task's retries as its attempts", async () => {
    let n = 0;
    const flaky = functionTask({ name: "eager.flaky", outputs: Int, retries: 3 }, () => {
      if (++n < 3) throw new RecoverableError("not yet");
      return n;
    });
    let calls: readonly InnerCall[] = [];
    const pipeline = eagerFunctionTask({ name: "eager.retrying", outputs: Int }, async () => {
      const v = await flaky();
      calls = currentContext().eager!.calls;
      return v;
    });
    expect(await pipeline()).toBe(3);
    expect(calls.map((c) => c.attempts)).toEqual([3]);
  });

  it("honours an inner task's timeout", async () => {
    const slow = functionTask({ name: "eager.sleepy", outputs: Int, timeout: 1 }, async () => {
      await new Promise((r) => setTimeout(r, 5_000));
      return 1;
    });
    let caught: unknown;
    const pipeline = eagerFunctionTask({ name: "eager.waits", outputs: Int }, async () => {
      try {
        return await slow();
      } catch (e) {
        caught = e;
        return -1;
      }
    });
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout"] });
    try {
      const pending = pipeline();
      await vi.advanceTimersByTimeAsync(1_001);
      expect(await pending).toBe(-1);
    } finally {
      vi.useRealTimers();
    }
    expect(caught).toBeInstanceOf(EagerCallError);
    expect((caught as EagerCallError).cause).toBeInstanceOf(TaskTimeoutError);
    expect((caught as Error).message).toContain("task 'eager.sleepy', called from eager task 'eager.waits': it failed: task 'eager.sleepy': it exceeded its timeout of 1s");
  });

  it("hands every inner call to a launcher given with withServices, with the caller and the call's record", async () => {
    const launched: { task: string; inputs: LiteralMap; caller: string }[] = [];
    const launcher: TaskLauncher = {
      async launch(task, inputs, caller: LaunchCaller, call) {
        launched.push({ task: task.name, inputs, caller: caller.taskName });
        call!.execution = `exec-${launched.length}`;
        // What a cluster would have computed.
        return toLiteralMap({ o0: Int }, { o0: 100 + launched.length });
      },
    };
    let calls: readonly InnerCall[] = [];
    const pipeline = eagerFunctionTask({ name: "eager.remote", outputs: Int }, async () => {
      const [a, b] = await Promise.all([add({ x: 1, y: 2 }), double({ x: 5 })]);
      calls = currentContext().eager!.calls;
      return Number(a) + Number(b);
    });
    expect(await withServices({ launcher }, () => pipeline())).toBe(203);
    expect(launched.map((l) => [l.task, l.caller])).toEqual([
      ["eager.add", "eager.remote"],
      ["eager.double", "eager.remote"],
    ]);
    expect(launched[0]!.inputs).toEqual(toLiteralMap({ x: Int, y: Int }, { x: 1, y: 2 }));
    expect(calls.map((c) => [c.execution, c.attempts, c.cached])).toEqual([
      ["exec-1", 1, false],
      ["exec-2", 1, false],
    ]);
  });

  it("a launcher's failure is the call's, named as any inner failure", async () => {
    const launcher: TaskLauncher = {
      launch: () => Promise.reject(new Error("execution e-1 failed")),
    };
    const pipeline = eagerFunctionTask({ name: "eager.remote-fails", outputs: Int }, async () => await add({ x: 1, y: 2 }));
    await expect(withServices({ launcher }, () => pipeline())).rejects.toThrow(
      "Error encountered while executing 'eager.remote-fails':\n  task 'eager.add', called from eager task 'eager.remote-fails': it failed: execution e-1 failed",
    );
  });

  it("a launcher's error about the eager task (its configuration) does not name the eager task twice", async () => {
    const launcher: TaskLauncher = {
      launch: (_task, _inputs, caller) => Promise.reject(new FlyteError({ task: caller.taskName, subject: "FlyteAdmin", problem: "no endpoint is configured" })),
    };
    const pipeline = eagerFunctionTask({ name: "eager.unconfigured", outputs: Int }, async () => await add({ x: 1, y: 2 }));
    await expect(withServices({ launcher }, () => pipeline())).rejects.toThrow(
      "Error encountered while executing 'eager.unconfigured':\n  task 'eager.add', called from eager task 'eager.unconfigured': it failed: FlyteAdmin: no endpoint is configured",
    );
  });

  it("a task called outside any eager task is unchanged: synchronous, no run", () => {
    expect(add({ x: 1, y: 1 })).toBe(2);
    expect(currentContext().eager).toBeUndefined();
  });
});

describe("an eager task's calls, once its attempt is over (its timeout)", () => {
  const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
  // Fake timers: the schedule is the fake clock's, nothing here measures real time.
  afterEach(() => void vi.useRealTimers());

  it("stops an inner call's retries: the backoff timer is cleared, no attempt runs after the timeout", async () => {
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout"] });
    let attempts = 0;
    const flaky = functionTask({ name: "eager.stop.flaky", outputs: Int, retries: new RetryStrategy({ count: 3, backoff: { base: 2 } }) }, async () => {
      attempts++;
      await sleep(10);
      throw new RecoverableError("not yet");
    });
    let caught: unknown;
    const pipeline = eagerFunctionTask({ name: "eager.stop", outputs: Int, timeout: 1 }, async () => {
      try {
        return (await flaky()) as number;
      } catch (e) {
        caught = e;
        throw e;
      }
    });
    const result = pipeline();
    result.catch(() => {});
    await vi.advanceTimersByTimeAsync(1_000);
    await expect(result).rejects.toThrow("task 'eager.stop': it exceeded its timeout of 1s");
    // The backoff's timer is gone: nothing keeps the process alive, nothing is left to run.
    expect(vi.getTimerCount()).toBe(0);
    await vi.runAllTimersAsync();
    expect(attempts).toBe(1);
    expect(caught).toBeInstanceOf(EagerCallError);
    expect((caught as Error).message).toBe(
      "task 'eager.stop.flaky', called from eager task 'eager.stop': it was given up: the eager task was stopped: it exceeded its timeout of 1s",
    );
    expect((caught as Error).cause).toBeInstanceOf(TaskTimeoutError);
  });

  it("does not run a task the body calls after the timeout: the call rejects at once, naming both tasks", async () => {
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout"] });
    let ran = 0;
    const inner = functionTask({ name: "eager.late.inner", outputs: Int }, () => ++ran);
    let late: unknown;
    let calls: readonly InnerCall[] = [];
    const pipeline = eagerFunctionTask({ name: "eager.late", outputs: Int, timeout: 1 }, async () => {
      calls = currentContext().eager!.calls;
      await sleep(5_000);
      try {
        return (await inner()) as number;
      } catch (e) {
        late = e;
        throw e;
      }
    });
    const result = pipeline();
    result.catch(() => {});
    await vi.advanceTimersByTimeAsync(10_000);
    await expect(result).rejects.toBeInstanceOf(TaskTimeoutError);
    expect(ran).toBe(0);
    expect(late).toBeInstanceOf(EagerCallError);
    expect((late as Error).message).toBe(
      "task 'eager.late.inner', called from eager task 'eager.late': it was not run: the eager task was stopped: it exceeded its timeout of 1s",
    );
    expect((late as EagerCallError).cause).toBeInstanceOf(TaskTimeoutError);
    expect(calls).toEqual([]);
  });

  it("stops a nested eager task's calls too: its context follows the outer one's abort", async () => {
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout"] });
    let ran = 0;
    const counted = functionTask({ name: "eager.nested-late.count", outputs: Int }, () => ++ran);
    let late: unknown;
    const inner = eagerFunctionTask({ name: "eager.nested-late.inner", outputs: Int }, async () => {
      await sleep(5_000);
      try {
        return (await counted()) as number;
      } catch (e) {
        late = e;
        throw e;
      }
    });
    const outer = eagerFunctionTask({ name: "eager.nested-late", outputs: Int, timeout: 1 }, async () => (await inner()) as number);
    const result = outer();
    result.catch(() => {});
    await vi.advanceTimersByTimeAsync(10_000);
    await expect(result).rejects.toBeInstanceOf(TaskTimeoutError);
    expect(ran).toBe(0);
    expect((late as Error).message).toBe(
      "task 'eager.nested-late.count', called from eager task 'eager.nested-late.inner': it was not run: the eager task was stopped: task 'eager.nested-late': it exceeded its timeout of 1s",
    );
  });

  it("gives each attempt of a retried nested eager task a list of its own: an earlier attempt's late call is not in the record", async () => {
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout"] });
    let attempt = 0;
    const inner = eagerFunctionTask({ name: "eager.retried", outputs: Int, retries: 1 }, async () => {
      if (attempt++ === 0) {
        // Left running by the first attempt, which fails: a call made after it failed.
        void (async () => {
          await sleep(50);
          await add({ x: 99, y: 0 });
        })();
        throw new RecoverableError("first attempt fails");
      }
      await sleep(100);
      return (await add({ x: 1, y: 1 })) as number;
    });
    let calls: readonly InnerCall[] = [];
    const outer = eagerFunctionTask({ name: "eager.retried-outer", outputs: Int }, async () => {
      const v = (await inner()) as number;
      calls = currentContext().eager!.calls;
      return v;
    });
    const result = outer();
    await vi.advanceTimersByTimeAsync(1_000);
    expect(await result).toBe(2);
    expect(calls.map((c) => [c.task, c.attempts])).toEqual([["eager.retried", 2]]);
    expect(calls[0]!.calls.map((c) => c.inputs)).toEqual([toLiteralMap({ x: Int, y: Int }, { x: 1, y: 1 })]);
  });
});

describe("an eager task's calls, in the order the body makes them", () => {
  const rows = functionTask({ name: "eager.order.rows", inputs: { t: Dataset }, outputs: Str }, () => "rows");
  const echo = functionTask({ name: "eager.order.echo", inputs: { s: Str }, outputs: Str }, ({ s }) => s);
  const table = () => tableFromArrays({ id: Int32Array.from([1, 2, 3]) });

  it("are recorded as they are made, though a table among the inputs is written to files first", async () => {
    let calls: readonly InnerCall[] = [];
    const fan = eagerFunctionTask({ name: "eager.order", outputs: Str }, async () => {
      const out = await Promise.all([rows({ t: table() }), echo({ s: "x" })]);
      calls = currentContext().eager!.calls;
      return out.join(",");
    });
    expect(await fan()).toBe("rows,x");
    expect(calls.map((c) => c.task)).toEqual(["eager.order.rows", "eager.order.echo"]);
    expect(Object.keys(calls[0]!.inputs.literals)).toEqual(["t"]);
  });

  it("reach a launcher in that order (a launcher numbers a task's calls as they come)", async () => {
    const launched: string[] = [];
    const launcher: TaskLauncher = {
      async launch(task) {
        launched.push(task.name);
        return toLiteralMap({ o0: Str }, { o0: task.name });
      },
    };
    let calls: readonly InnerCall[] = [];
    const fan = eagerFunctionTask({ name: "eager.order-launched", outputs: Str }, async () => {
      const out = await Promise.all([rows({ t: table() }), echo({ s: "x" }), rows({ t: table() })]);
      calls = currentContext().eager!.calls;
      return out.join(",");
    });
    expect(await withServices({ launcher }, () => fan())).toBe("eager.order.rows,eager.order.echo,eager.order.rows");
    expect(launched).toEqual(["eager.order.rows", "eager.order.echo", "eager.order.rows"]);
    expect(calls.map((c) => c.task)).toEqual(launched);
  });
});

describe("a child context (a task called inline)", () => {
  it("is aborted with its parent, with the parent's reason, whenever its signal is read", () => {
    const parent = new TaskExecutionContext({ taskName: "parent" });
    const early = parent.child("early", 0, parent.services);
    expect(early.signal.aborted).toBe(false);
    const late = parent.child("late", 0, parent.services);
    const reason = new Error("stop");
    parent.abort(reason);
    expect([early.signal.aborted, early.signal.reason]).toEqual([true, reason]);
    // Read only after the abort: aborted all the same.
    expect([late.signal.aborted, late.signal.reason]).toEqual([true, reason]);
    // A child's own abort does not reach its parent.
    const other = new TaskExecutionContext({ taskName: "other" });
    other.child("c", 0, other.services).abort(new Error("own"));
    expect(other.signal.aborted).toBe(false);
  });

  it("leaves no listener on a long-lived parent once it is released or aborted", () => {
    const parent = new TaskExecutionContext({ taskName: "long-lived" });
    for (let i = 0; i < 1_000; i++) {
      const child = parent.child(`c${i}`, 0, parent.services);
      void child.signal;
      if (i % 2 === 0) child.release();
      else child.abort(new Error("timed out"));
    }
    expect(getEventListeners(parent.signal, "abort")).toHaveLength(0);
  });
});

describe("declaring an eager task", () => {
  it("refuses a synchronous function, naming the task", () => {
    expect(() => eagerFunctionTask({ name: "eager.notasync", outputs: Int }, (() => 1) as never)).toThrow(
      new TaskDefinitionError({
        task: "eager.notasync",
        problem: "an eager task's function must be async: the tasks it calls return Promises, which it awaits",
        fix: "declare it `async` (async run(...) { ... })",
      }).message,
    );
  });

  it("has decks on whatever enableDeck says (flytekit drops it), and refuses disableDeck and a plugin config", () => {
    expect(eagerFunctionTask({ name: "eager.deck1" }, async () => {}).task.metadata.generatesDeck).toBe(true);
    expect(eagerFunctionTask({ name: "eager.deck2", enableDeck: false }, async () => {}).task.metadata.generatesDeck).toBe(true);
    expect(() => eagerFunctionTask({ name: "eager.deck3", disableDeck: true }, async () => {})).toThrow("only one of [disableDeck, enableDeck] can be set");
    expect(() => eagerFunctionTask({ name: "eager.plugin", taskConfig: {} }, async () => {})).toThrow("task 'eager.plugin', option 'taskConfig': an eager task takes no plugin config");
  });

  it("keeps the user's error report of the eager task itself", async () => {
    const failing = eagerFunctionTask({ name: "eager.own" }, async () => {
      throw new Error("own failure");
    });
    await expect(failing()).rejects.toThrow(userError("eager.own", new Error("own failure")).message);
  });
});
