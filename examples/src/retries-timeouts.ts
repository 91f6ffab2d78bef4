// Retries and timeouts apply locally too (flytekit ignores them locally; see flyteorg/flyte#5368):
// a RecoverableError is retried up to `retries` times, and an async task past its `timeout` is
// aborted with an error, its AbortSignal fired.
import { currentContext, Int, RecoverableError, Str, TaskTimeoutError } from "@flytekit-ts/core";
import { task } from "@flytekit-ts/decorators";

export const flaky = task({ name: "examples.flaky", inputs: { failures: Int }, outputs: Str, retries: 3 }, ({ failures }) => {
  const { attempt } = currentContext();
  if (attempt < Number(failures)) throw new RecoverableError(`attempt ${attempt} failed`);
  return `succeeded on attempt ${attempt}`;
});

export const slow = task({ name: "examples.slow", outputs: Str, timeout: 1 }, async () => {
  const { signal } = currentContext();
  await new Promise((resolve, reject) => {
    const timer = setTimeout(resolve, 60_000);
    signal.addEventListener("abort", () => {
      clearTimeout(timer);
      reject(signal.reason);
    });
  });
  return "never";
});

export async function main(): Promise<void> {
  console.log(`flaky: ${flaky({ failures: 2 })}`);
  try {
    await slow();
  } catch (e) {
    console.log(`slow: ${(e as Error).message} (${e instanceof TaskTimeoutError ? "TaskTimeoutError" : "?"})`);
  }
}
