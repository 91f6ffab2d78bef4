// Which runtime a raw container task's local run uses, and the container engines: an engine counts
// only when it answers (`docker info`), since a client installed with no engine behind it is
// common (this project's own machines have exactly that), and `docker run`'s arguments as
// Kubernetes would start the container (command replaces the image's ENTRYPOINT, args its CMD).
import { spawn } from "node:child_process";
import { ContainerRuntimeError } from "./run-errors.js";
import type { ContainerRuntime } from "./spec.js";

export type Engine = "docker" | "podman";

/** The environment variable that chooses the runtime of every local run, before a task's `local.runtime`. */
export const RUNTIME_ENV = "FLYTEKIT_TS_CONTAINER_RUNTIME";
const RUNTIMES: readonly ContainerRuntime[] = ["auto", "docker", "podman", "process"];
/** How long an engine has to answer. */
export const PROBE_TIMEOUT_MS = 5_000;

/** What asking an engine gave: its server's version, or why it does not count. */
export type EngineProbe = { readonly engine: Engine; readonly version: string } | { readonly engine: Engine; readonly problem: string };

/** The question each engine is asked: its server's version, which only an engine that answers has. */
function probeArgs(engine: Engine): string[] {
  return engine === "docker" ? ["info", "--format", "{{.ServerVersion}}"] : ["info", "--format", "{{.Version.Version}}"];
}

/** Asks an engine whether it can run containers, within `timeoutMs`. */
export function probeEngine(engine: Engine, env: NodeJS.ProcessEnv, timeoutMs = PROBE_TIMEOUT_MS): Promise<EngineProbe> {
  const asked = `${engine} ${probeArgs(engine).join(" ")}`;
  return new Promise((resolve) => {
    let stdout = "";
    let stderr = "";
    let done = false;
    const answer = (probe: EngineProbe) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      resolve(probe);
    };
    const child = spawn(engine, probeArgs(engine), { env, stdio: ["ignore", "pipe", "pipe"] });
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      answer({ engine, problem: `'${asked}' did not answer within ${timeoutMs / 1000}s` });
    }, timeoutMs);
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    child.on("error", (e: NodeJS.ErrnoException) =>
      answer({ engine, problem: e.code === "ENOENT" ? `not installed (no '${engine}' on PATH)` : `'${asked}' could not be started: ${e.message}` }),
    );
    child.on("close", (code) => {
      const version = stdout.trim();
      if (code === 0 && version !== "" && version !== "<no value>") answer({ engine, version });
      else {
        const said = lastLine(stderr) ?? lastLine(stdout);
        answer({ engine, problem: `its client is installed but '${asked}' failed (exit code ${code})${said === undefined ? "" : `: ${said}`}` });
      }
    });
  });
}

function lastLine(text: string): string | undefined {
  const lines = text
    .split("\n")
    .map((l) => l.trim())
    .filter((l) => l !== "");
  return lines.at(-1);
}

/** The runtime asked for: FLYTEKIT_TS_CONTAINER_RUNTIME, else the task's `local.runtime`, else "auto". */
export function requestedRuntime(task: string, declared: ContainerRuntime | undefined, env: NodeJS.ProcessEnv): ContainerRuntime {
  const fromEnv = env[RUNTIME_ENV];
  if (fromEnv !== undefined && fromEnv !== "") {
    if (!(RUNTIMES as readonly string[]).includes(fromEnv)) {
      throw new ContainerRuntimeError({ task, subject: `environment variable ${RUNTIME_ENV}`, expected: RUNTIMES.map((r) => `"${r}"`).join(", "), got: JSON.stringify(fromEnv) });
    }
    return fromEnv as ContainerRuntime;
  }
  if (declared !== undefined && !RUNTIMES.includes(declared)) {
    throw new ContainerRuntimeError({ task, subject: "option 'local.runtime'", expected: RUNTIMES.map((r) => `"${r}"`).join(", "), got: JSON.stringify(declared) ?? String(declared) });
  }
  return declared ?? "auto";
}

/**
 * The runtime a local run uses: "process" only when asked for; an engine only when it answers
 * (auto: Docker, then Podman). None answering is an error naming each engine tried and why it
 * failed, and how to run the command as a local process instead.
 */
export async function chooseRuntime(task: string, requested: ContainerRuntime, env: NodeJS.ProcessEnv, timeoutMs = PROBE_TIMEOUT_MS): Promise<"process" | Engine> {
  if (requested === "process") return "process";
  const engines: Engine[] = requested === "auto" ? ["docker", "podman"] : [requested];
  const problems: string[] = [];
  for (const engine of engines) {
    const probe = await probeEngine(engine, env, timeoutMs);
    if ("version" in probe) return engine;
    problems.push(`${engine}: ${probe.problem}`);
  }
  const looked = requested === "auto" ? "no container engine answered (runtime \"auto\" tries Docker, then Podman)" : `the ${requested} engine did not answer (runtime "${requested}")`;
  throw new ContainerRuntimeError({
    task,
    problem: `cannot run its container locally: ${looked}: ${problems.join("; ")}`,
    fix: `start an engine, or run the command as a local process on this machine (the image is not used): give the task local: { runtime: "process" }, or set ${RUNTIME_ENV}=process`,
  });
}

/** What `docker run` (or `podman run`) is given. */
export interface EngineRun {
  /** The container's name, so that it can be killed by it. */
  readonly name: string;
  readonly image: string;
  /** Host folder → the path the container sees it at. */
  readonly mounts: readonly (readonly [host: string, container: string])[];
  /** The names of the container's environment variables: `-e NAME` takes each value from the client's environment, so no value (a secret) shows in the process list. */
  readonly env: readonly string[];
  /** Rendered: replaces the image's ENTRYPOINT when not empty (Kubernetes' `command`). */
  readonly command: readonly string[];
  /** Rendered: replaces the image's CMD when not empty (Kubernetes' `args`). */
  readonly args: readonly string[];
}

/**
 * `run --rm --name N -v host:path … -e K … [--entrypoint command[0]] image [command[1…]] [args…]`:
 * Kubernetes' semantics in Docker's terms. `--entrypoint` takes one executable and clears the
 * image's CMD, so a command replaces ENTRYPOINT and CMD both, its other elements and the args
 * following the image; with no command the image's ENTRYPOINT stays and the args replace its CMD
 * (none given: its CMD stays, as Kubernetes keeps it).
 */
export function engineRunArgs(run: EngineRun): string[] {
  const argv = ["run", "--rm", "--name", run.name];
  for (const [host, path] of run.mounts) argv.push("-v", `${host}:${path}`);
  for (const key of run.env) argv.push("-e", key);
  const [entrypoint, ...rest] = run.command;
  if (entrypoint !== undefined) argv.push("--entrypoint", entrypoint);
  argv.push(run.image, ...rest, ...run.args);
  return argv;
}
