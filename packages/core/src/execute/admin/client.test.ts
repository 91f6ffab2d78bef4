import { Code, ConnectError } from "@connectrpc/connect";
import { describe, expect, it } from "vitest";
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
});
