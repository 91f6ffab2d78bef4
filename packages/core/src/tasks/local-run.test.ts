import { describe, expect, it, vi } from "vitest";
import { RecoverableError, TaskTimeoutError } from "./errors.js";
import { functionTask } from "./function-form.js";
import { currentContext, Float, Int, Secret, Str, withServices } from "../index.js";
import { literalMapOf, TaskExecutionContext, type LogLevel } from "../internal.js";

describe("retries, locally (where flytekit ignores them)", () => {
  it("rerun a task that fails with a RecoverableError, up to `retries` times", () => {
    const attempts: number[] = [];
    const flaky = functionTask({ name: "flaky", inputs: { n: Int }, outputs: Int, retries: 3 }, ({ n }) => {
      attempts.push(currentContext().attempt);
      if (attempts.length < 3) throw new RecoverableError("not yet");
      return n;
    });
    expect(flaky({ n: 7 })).toBe(7);
    expect(attempts).toEqual([0, 1, 2]);
  });

  it("give up after the last retry with the task's error", () => {
    let calls = 0;
    const failing = functionTask({ name: "failing", retries: 2 }, () => {
      calls++;
      throw new RecoverableError("still broken");
    });
    expect(() => failing()).toThrow("Error encountered while executing 'failing':\n  still broken");
    expect(calls).toBe(3);
  });

  it("do not retry other errors", () => {
    let calls = 0;
    const failing = functionTask({ name: "fatal", retries: 3 }, () => {
      calls++;
      throw new TypeError("bad");
    });
    expect(() => failing()).toThrow(TypeError);
    expect(calls).toBe(1);
  });

  it("retry async tasks", async () => {
    let calls = 0;
    const flaky = functionTask({ name: "aflaky", outputs: Str, retries: 1 }, async () => {
      calls++;
      if (calls === 1) throw new RecoverableError("once");
      return "ok";
    });
    expect(await flaky()).toBe("ok");
    expect(calls).toBe(2);
  });
});

describe("timeouts, locally", () => {
  it("abort an async task with a clear error and signal it", async () => {
    let signalled = false;
    const slow = functionTask({ name: "slow", outputs: Float, timeout: 1 }, async () => {
      const { signal } = currentContext();
      signal.addEventListener("abort", () => (signalled = true));
      await new Promise((r) => setTimeout(r, 5_000));
      return 1;
    });
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout"] });
    try {
      const pending = slow();
      const assertion = expect(pending).rejects.toThrow("task 'slow': it exceeded its timeout of 1s");
      await vi.advanceTimersByTimeAsync(1_001);
      await assertion;
      await expect(pending).rejects.toBeInstanceOf(TaskTimeoutError);
      expect(signalled).toBe(true);
    } finally {
      vi.useRealTimers();
    }
  });

  it("refuse the result of a sync task that ran past it (Flyte would have killed it)", () => {
    const busy = functionTask({ name: "busy", outputs: Int, timeout: { seconds: 0, nanos: 1_000_000 } }, () => {
      const end = Date.now() + 20;
      while (Date.now() < end) {
        // busy
      }
      return 1;
    });
    expect(() => busy()).toThrow("task 'busy': it exceeded its timeout of 0.001s");
  });

  it("count against retries: a timed-out attempt is recoverable", async () => {
    let calls = 0;
    const sometimesSlow = functionTask({ name: "sometimes", outputs: Int, timeout: 1, retries: 1 }, async () => {
      calls++;
      if (calls === 1) await new Promise((r) => setTimeout(r, 5_000));
      return calls;
    });
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout"] });
    try {
      const pending = sometimesSlow();
      await vi.advanceTimersByTimeAsync(1_001);
      expect(await pending).toBe(2);
    } finally {
      vi.useRealTimers();
    }
  });
});

describe("currentContext()", () => {
  it("gives the task's name, an execution id, the attempt, a scratch directory and a logger", async () => {
    const lines: [LogLevel, string][] = [];
    const probe = functionTask({ name: "probe", outputs: Str }, () => {
      const ctx = currentContext();
      ctx.logger.info("working in", ctx.scratchDir);
      return [ctx.taskName, ctx.executionId.project, ctx.executionId.domain, ctx.executionId.name, ctx.attempt, ctx.mode, ctx.taskId?.version].join("|");
    });
    // Locally the ids are flytekit's: local/local/local, and a task id of local four times.
    expect(withServices({ logSink: (level, line) => lines.push([level, line]) }, () => probe())).toBe("probe|local|local|local|0|local|local");
    expect(lines[0]![0]).toBe("info");
    expect(lines[0]![1]).toMatch(/^\[probe\] INFO working in \/.*flytekit-ts\/probe-/);
  });

  it("is there inside async tasks too, across awaits", async () => {
    const asyncProbe = functionTask({ name: "aprobe", outputs: Str }, async () => {
      await new Promise((r) => setTimeout(r, 1));
      return currentContext().taskName;
    });
    expect(await asyncProbe()).toBe("aprobe");
  });

  it("is a local context of no task outside a task, as flytekit's current_context() is", () => {
    const ctx = currentContext();
    expect([ctx.taskName, ctx.mode, ctx.executionId.name]).toEqual(["", "local", "local"]);
    expect(currentContext()).toBe(ctx);
  });

  it("gives a local raw output prefix made on first use", () => {
    const probe = functionTask({ name: "raw", outputs: Str }, () => currentContext().rawOutputPrefix);
    expect(probe()).toMatch(/flytekit-ts\/raw-/);
  });
});

describe("secrets", () => {
  it("read {GROUP}_{KEY} locally, _FSEC_ in front as in a container, and files, never showing the value", () => {
    const lines: string[] = [];
    process.env.MYGROUP_MYKEY = " s3cr3t-value \n";
    process.env._FSEC_OTHER_V1_TOKEN = "fsec-value";
    try {
      const useSecret = functionTask({ name: "uses-secret" }, () => {
        const { secrets, logger } = currentContext();
        const a = secrets.get("mygroup", "mykey");
        const b = secrets.get("other", "token", "v1");
        logger.info(`got ${a} and ${b}`);
        // Its own property holds the secret too: it is masked in the error the call throws.
        throw Object.assign(new Error(`failed with ${a}`), { detail: `token ${b}` });
      });
      let error: Error | undefined;
      try {
        withServices({ logSink: (_level, line) => lines.push(line) }, () => useSecret());
      } catch (e) {
        error = e as Error;
      }
      expect(lines).toEqual(["[uses-secret] INFO got **** and ****"]);
      expect(error!.message).toBe("Error encountered while executing 'uses-secret':\n  failed with ****");
      expect(error!.stack).not.toContain("s3cr3t-value");
      expect((error!.cause as Error).message).toBe("failed with ****");
      expect((error!.cause as Error).stack).not.toContain("s3cr3t-value");
      expect(JSON.stringify(error)).toBe('{"detail":"token ****"}');
    } finally {
      delete process.env.MYGROUP_MYKEY;
      delete process.env._FSEC_OTHER_V1_TOKEN;
    }
  });

  const lookedIn = "Unable to find secret for key key in group nope in Env Var: _FSEC_NOPE_KEY or NOPE_KEY and FilePath: /etc/secrets/nope/key";
  const provide = "set the environment variable NOPE_KEY or write the file /etc/secrets/nope/key";

  it("say where they looked when a secret is missing, and that the task must request it when it does not", () => {
    const missing = functionTask({ name: "missing-secret" }, () => {
      currentContext().secrets.get("nope", "key");
    });
    expect(() => missing()).toThrow(
      `task 'missing-secret', secret nope/key: ${lookedIn}; add secretRequests: [new Secret({ group: "nope", key: "key" })] to the task ` +
        `(on Flyte a task is given only the secrets it requests); to run it locally, ${provide}`,
    );
  });

  it("tell a task that requests the secret where to put it, not to request it again", () => {
    const requests = [new Secret({ group: "NOPE", key: "key" })];
    const requested = functionTask({ name: "requested-secret", secretRequests: requests }, () => {
      currentContext().secrets.get("nope", "key");
    });
    expect(() => requested()).toThrow(`task 'requested-secret', secret nope/key: ${lookedIn}; the task requests it, and on Flyte it is mounted there; to run it locally, ${provide}`);
    // A task it calls inline runs in its container, where its secrets are mounted.
    const inner = functionTask({ name: "inner-secret" }, () => {
      currentContext().secrets.get("nope", "key");
    });
    const outer = functionTask({ name: "outer-secret", secretRequests: requests }, () => inner());
    expect(() => outer()).toThrow(`task 'inner-secret', secret nope/key: ${lookedIn}; the task requests it,`);
    // In its container, the prefixed variable is the only one looked at, and the mount is what to check.
    const context = new TaskExecutionContext({ taskName: "requested-secret", environment: { mode: "container" }, secretRequests: requests });
    expect(() => requested.task.dispatchExecute(literalMapOf({}), context)).toThrow(
      "task 'requested-secret', secret nope/key: Unable to find secret for key key in group nope in Env Var: _FSEC_NOPE_KEY and FilePath: /etc/secrets/nope/key; " +
        "the task requests it, but it was not mounted: check that the cluster holds the secret (group nope, key key)",
    );
  });

  it("point a secret requested with its own environment variable to that variable", () => {
    const custom = functionTask({ name: "env-var-secret", secretRequests: [new Secret({ group: "nope", key: "key", envVar: "API_TOKEN" })] }, () => {
      currentContext().secrets.get("nope", "key");
    });
    expect(() => custom()).toThrow(`${lookedIn}; the task requests it with envVar "API_TOKEN", so Flyte puts it in that variable: read process.env.API_TOKEN; to run it locally, ${provide}`);
  });
});

describe("deprecated tasks", () => {
  it("warn on every local call", () => {
    // Caught where it is emitted: the warning is asserted here, not printed in the test run's output.
    const emit = vi.spyOn(process, "emitWarning").mockImplementation(() => undefined);
    const old = functionTask({ name: "old", outputs: Int, deprecated: "use new" }, () => 1);
    old();
    old();
    const calls = emit.mock.calls.map(([message, options]) => [String(message), options]);
    emit.mockRestore();
    const warning = ["task 'old': it is deprecated: use new", { type: "DeprecationWarning", code: "FLYTEKIT_TS_DEPRECATED_TASK" }];
    expect(calls).toEqual([warning, warning]);
  });
});
