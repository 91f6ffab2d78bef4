// Services reach a run only through its context: what a local call and a container build differs,
// nothing else does, and a task called from inside another keeps its caller's.
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { Cache, currentContext, FlyteError, functionTask, Int, LocalCache, mockTask, Str, TaskInputError, withServices, type LogLevel } from "../index.js";
import { literalMapOf } from "../types/literals.js";
import { TaskExecutionContext } from "./context.js";
import { containerServices, localServices } from "./services.js";

const lines = () => {
  const seen: string[] = [];
  return { seen, logSink: (_l: LogLevel, line: string) => void seen.push(line) };
};

describe("a task called inline from inside another", () => {
  const inner = functionTask({ name: "svc.inner", outputs: Str }, () => {
    const ctx = currentContext();
    ctx.logger.info("inner ran");
    return [ctx.mode, ctx.executionId.name, ctx.taskName].join("|");
  });

  it("runs with its caller's services: what withServices changed inside the caller's body reaches it", () => {
    const log = lines();
    const outer = functionTask({ name: "svc.outer", outputs: Str }, () => withServices({ logSink: log.logSink }, () => inner()));
    expect(outer()).toBe("local|local|svc.inner");
    expect(log.seen).toEqual(["[svc.inner] INFO inner ran"]);
  });

  it("in a container, keeps what Flyte told the caller (its mode and ids), and uploads nothing of its own", async () => {
    const outer = functionTask({ name: "svc.container-outer", outputs: Str }, () => inner());
    const raw = mkdtempSync(join(tmpdir(), "flytekit-ts-svc-raw-"));
    const context = new TaskExecutionContext({
      taskName: outer.task.name,
      environment: { mode: "container", executionId: { project: "p", domain: "d", name: "exec-1" }, rawOutputPrefix: raw },
      services: containerServices({}),
    });
    const out = await outer.task.dispatchExecute(literalMapOf({}), context);
    expect(Str.fromLiteral(out.literals.o0!)).toBe("container|exec-1|svc.inner");
    const child = context.child("x", 0, context.services);
    expect([child.mode, child.executionId.name, child.uploads]).toEqual(["container", "exec-1", undefined]);
    expect(context.uploads).toBeDefined();
  });

  it("keeps the fields of an error flytekit-ts raised inside it, with the caller's name in front", () => {
    const strict = functionTask({ name: "svc.strict", inputs: { n: Int }, outputs: Int }, ({ n }) => n);
    const caller = functionTask({ name: "svc.caller", outputs: Int }, () => strict({ n: "x" as never }));
    let caught: unknown;
    try {
      caller();
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(TaskInputError);
    const e = caught as TaskInputError;
    expect(e.message).toBe(`Error encountered while executing 'svc.caller':\n  task 'svc.strict', input 'n': expected Int, got "x" (string)`);
    expect([e.task, e.input, e.expected, e.got]).toEqual(["svc.strict", "n", "Int", '"x" (string)']);
  });
});

describe("the services local calls and containers build", () => {
  it("give a container no mocks, and refuse to take one", async () => {
    const t = functionTask({ name: "svc.mocked", outputs: Str }, () => "real");
    using _mock = mockTask(t).returns("mocked");
    expect(t()).toBe("mocked");
    const inContainer = await t.task.dispatchExecute(literalMapOf({}), new TaskExecutionContext({ taskName: t.task.name, environment: { mode: "container" }, services: containerServices({}) }));
    expect(Str.fromLiteral(inContainer.literals.o0!)).toBe("real");
    expect(() => withServices(containerServices({}), () => mockTask(t))).toThrow(FlyteError);
  });

  it("read the local cache's settings from the services' environment", () => {
    let runs = 0;
    const cached = functionTask({ name: "svc.cached", inputs: { n: Int }, outputs: Int, cache: new Cache({ version: "1" }) }, ({ n }) => {
      runs++;
      return n;
    });
    const dir = mkdtempSync(join(tmpdir(), "flytekit-ts-svc-cache-"));
    const localCache = new LocalCache({ dir });
    withServices({ localCache }, () => {
      cached({ n: 1 });
      cached({ n: 1 });
    });
    expect(runs).toBe(1);
    // The same cache, in services whose environment switches local caching off: the task runs.
    withServices({ localCache, env: { FLYTE_LOCAL_CACHE_ENABLED: "false" } }, () => cached({ n: 1 }));
    expect(runs).toBe(2);
    expect(localServices().localCache).toBeInstanceOf(LocalCache);
  });
});
