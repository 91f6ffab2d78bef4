// A Node program that runs a raw container task as a local process (for the signal tests): the
// command counts its runs in RUNS, writes where its secrets are (SECRETS_AT, with SECRET=1: one
// file secret, api/token, read from API_TOKEN), its shell's pid and its sleep's pid to PIDF, then
// sleeps 30 s; RUNTIME picks the runtime (default process). With OWN_HANDLER=1 the program handles
// SIGINT itself (so it outlives one) and reports how the task ended.
import { ContainerTask, Int, Secret } from "@flytekit-ts/core";

if (process.env.OWN_HANDLER === "1") process.on("SIGINT", () => console.log("the program handled SIGINT"));
const task = new ContainerTask({
  name: "sleeper",
  image: "alpine:3.20",
  command: ["sh", "-c", 'echo run >> "$RUNS"; echo "${FLYTE_SECRETS_DEFAULT_DIR:-}" > "$SECRETS_AT"; sleep 30 & echo "$$ $!" > "$PIDF"; wait'],
  inputs: { x: Int },
  environment: { PIDF: process.env.PIDF, RUNS: process.env.RUNS ?? "/dev/null", SECRETS_AT: process.env.SECRETS_AT ?? "/dev/null" },
  retries: 2,
  secretRequests: process.env.SECRET === "1" ? [new Secret({ group: "api", key: "token", mountRequirement: "FILE" })] : [],
  local: { runtime: process.env.RUNTIME ?? "process" },
});
try {
  await task.call(1);
  console.log("the task ended");
} catch (e) {
  console.log(`the task failed: ${e.name}: ${e.message}`);
}
