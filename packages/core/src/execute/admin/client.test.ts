import { Code, ConnectError } from "@connectrpc/connect";
import { describe, expect, it } from "vitest";
import { delay } from "../../tasks/promise.js";
import { retrying } from "./client.js";

/** Runs the interceptor over a call that fails with `codes` in turn, then succeeds. */
async function run(codes: Code[], retries: number) {
  const sleeps: number[] = [];
  let tries = 0;
  const next = async () => {
    const code = codes[tries++];
    if (code !== undefined) throw new ConnectError("failed", code);
    return "ok";
  };
  const call = retrying({ retries, baseDelayMs: 100, maxDelayMs: 300 }, async (ms) => void sleeps.push(ms))(next as never);
  const result = await call({ signal: new AbortController().signal } as never).then(
    (r) => r as unknown,
    (e: unknown) => ConnectError.from(e).code,
  );
  return { result, tries, sleeps };
}

describe("the client's retries", () => {
  it("retry UNAVAILABLE, RESOURCE_EXHAUSTED and DEADLINE_EXCEEDED with doubling waits up to the cap", async () => {
    expect(await run([Code.Unavailable, Code.ResourceExhausted, Code.DeadlineExceeded], 3)).toEqual({ result: "ok", tries: 4, sleeps: [100, 200, 300] });
  });

  it("give up after the retries, with the last error", async () => {
    expect(await run([Code.Unavailable, Code.Unavailable, Code.Unavailable], 2)).toEqual({ result: Code.Unavailable, tries: 3, sleeps: [100, 200] });
  });

  it("never retry an answer: NOT_FOUND, ALREADY_EXISTS, INVALID_ARGUMENT", async () => {
    for (const code of [Code.NotFound, Code.AlreadyExists, Code.InvalidArgument]) expect(await run([code], 3)).toEqual({ result: code, tries: 1, sleeps: [] });
  });

  it("stop waiting between tries when the call's signal aborts: the wait rejects with its reason and its timer is cleared", async () => {
    const controller = new AbortController();
    let tries = 0;
    const next = async () => {
      tries++;
      throw new ConnectError("busy", Code.Unavailable);
    };
    // The real sleep, with a wait far longer than the test: only the abort can end it.
    const call = retrying({ retries: 3, baseDelayMs: 60_000, maxDelayMs: 60_000 })(next as never);
    const cleared: unknown[] = [];
    const realClear = globalThis.clearTimeout;
    globalThis.clearTimeout = ((t: unknown) => (cleared.push(t), realClear(t as never))) as typeof clearTimeout;
    try {
      const pending = call({ signal: controller.signal } as never).then(
        () => "resolved",
        (e: unknown) => e,
      );
      await new Promise((r) => setImmediate(r));
      const reason = new Error("eager task stopped");
      controller.abort(reason);
      expect(await pending).toBe(reason);
      expect(tries).toBe(1);
      expect(cleared).toHaveLength(1);
    } finally {
      globalThis.clearTimeout = realClear;
    }
  });

  it("delay rejects at once on an aborted signal, and resolves otherwise", async () => {
    const aborted = AbortSignal.abort(new Error("already"));
    await expect(delay(10, aborted)).rejects.toThrow("already");
    await expect(delay(1, new AbortController().signal)).resolves.toBeUndefined();
  });
});
