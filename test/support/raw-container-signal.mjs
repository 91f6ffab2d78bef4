// A Node program that runs a raw container task as a local process (for the signal tests): the
// command writes its shell's pid and its sleep's pid to PIDF, then sleeps 30 s; RUNTIME picks the runtime (default process).
import { ContainerTask, Int } from "@flytekit-ts/core";

const task = new ContainerTask({
  name: "sleeper",
  image: "alpine:3.20",
  command: ["sh", "-c", 'sleep 30 & echo "$$ $!" > "$PIDF"; wait'],
  inputs: { x: Int },
  environment: { PIDF: process.env.PIDF },
  local: { runtime: process.env.RUNTIME ?? "process" },
});
await task.call(1);
console.log("the task ended");
