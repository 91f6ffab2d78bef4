// The parts of a raw container task's local run that start things: the runtime chosen (an engine
// only when it answers), `docker run`'s arguments, a command run to its end or stopped, the data
// paths mapped in a local process's command.
import { chmodSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { chooseRuntime, engineRunArgs, probeEngine, requestedRuntime } from "./engine.js";
import { mapDataDirs, runCommand } from "./process.js";
import { ContainerExitError, ContainerRuntimeError } from "./run-errors.js";

const STANDIN = join(import.meta.dirname, "../../../../test/fixtures/raw-container/standin/docker.cjs");

/** A folder to put first on PATH, holding a `docker` that runs the stand-in. */
function standinBin(): string {
  const bin = mkdtempSync(join(tmpdir(), "standin-bin-"));
  writeFileSync(join(bin, "docker"), `#!/bin/sh\nexec "${process.execPath}" "${STANDIN}" "$@"\n`);
  chmodSync(join(bin, "docker"), 0o755);
  return bin;
}

/** Whether a process is still running (a zombie waiting for a parent to reap it has ended). */
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, "utf8"));
  } catch {
    return false;
  }
}

const shEnv = { PATH: process.env.PATH ?? "/usr/bin:/bin" };

describe("the data paths in a local process's command", () => {
  const dirs = [
    ["/var/inputs", "/tmp/in-1"],
    ["/var/outputs", "/tmp/out-1"],
  ] as const;

  it("are replaced wherever an element names them at a path boundary", () => {
    expect(
      mapDataDirs(["/var/outputs", "/var/outputs/area", "--out=/var/outputs", "sh", "-c", "cat /var/inputs/a > '/var/outputs/b'", "/var/inputs:/var/outputs"], dirs),
    ).toEqual(["/tmp/out-1", "/tmp/out-1/area", "--out=/tmp/out-1", "sh", "-c", "cat /tmp/in-1/a > '/tmp/out-1/b'", "/tmp/in-1:/tmp/out-1"]);
  });

  it("and nowhere else: a longer name, a path that only ends with them, a file beside them", () => {
    expect(mapDataDirs(["/var/outputsX", "/x/var/outputs", "/var/outputs.txt", "/var/outputs-old/a", "var/outputs"], dirs)).toEqual([
      "/var/outputsX",
      "/x/var/outputs",
      "/var/outputs.txt",
      "/var/outputs-old/a",
      "var/outputs",
    ]);
  });

  it("the longer path wins where one holds the other; a trailing slash in the declared path is the same path", () => {
    expect(
      mapDataDirs(["/data/in/x", "/data/x"], [
        ["/data/", "/tmp/d"],
        ["/data/in", "/tmp/i"],
      ]),
    ).toEqual(["/tmp/i/x", "/tmp/d/x"]);
  });
});

describe("runCommand", () => {
  it("gives the exit code and the last lines of stderr, and streams lines when asked", async () => {
    const lines: string[] = [];
    const r = await runCommand(
      { file: "sh", args: ["-c", "echo out1; for i in 1 2 3 4 5 6 7 8 9 10 11 12; do echo err$i >&2; done; printf 'last' >&2; exit 3"], cwd: tmpdir(), env: shEnv },
      { onLine: (s, l) => lines.push(`${s}:${l}`) },
    );
    expect(r.exitCode).toBe(3);
    expect(r.signal).toBeNull();
    expect(r.stderrTail).toEqual(["err4", "err5", "err6", "err7", "err8", "err9", "err10", "err11", "err12", "last"]);
    expect(lines).toContain("stdout:out1");
    expect(lines).toContain("stderr:last");
  });

  it("gives the process only the environment it is given", async () => {
    const r = await runCommand({ file: "sh", args: ["-c", 'echo "$SECRET_THING|$A" >&2'], cwd: tmpdir(), env: { ...shEnv, A: "1" } });
    expect(r.stderrTail).toEqual(["|1"]);
  });

  it("an aborted signal stops the command and what it started (its process group), then rejects with the signal's reason", async () => {
    const dir = mkdtempSync(join(tmpdir(), "abort-"));
    const pids = join(dir, "pids");
    const controller = new AbortController();
    const run = runCommand({ file: "sh", args: ["-c", `echo $$ > ${pids}; sleep 30 & echo $! >> ${pids}; wait`], cwd: dir, env: shEnv }, { signal: controller.signal, graceMs: 500 });
    while (!existsSync(pids) || readFileSync(pids, "utf8").trim().split("\n").length < 2) await new Promise((r) => setTimeout(r, 20));
    const reason = new Error("timed out");
    controller.abort(reason);
    await expect(run).rejects.toBe(reason);
    for (const pid of readFileSync(pids, "utf8").trim().split("\n").map(Number)) expect(alive(pid), `pid ${pid}`).toBe(false);
  });

  it("a command that ignores SIGTERM is killed after the grace", async () => {
    const dir = mkdtempSync(join(tmpdir(), "abort-"));
    const pids = join(dir, "pids");
    const controller = new AbortController();
    const run = runCommand({ file: "sh", args: ["-c", `trap '' TERM; echo $$ > ${pids}; while true; do sleep 0.1; done`], cwd: dir, env: shEnv }, { signal: controller.signal, graceMs: 300 });
    while (!existsSync(pids)) await new Promise((r) => setTimeout(r, 20));
    controller.abort(new Error("stop"));
    await expect(run).rejects.toThrow("stop");
    expect(alive(Number(readFileSync(pids, "utf8")))).toBe(false);
  });

  it("a command that cannot be started rejects with Node's error", async () => {
    await expect(runCommand({ file: "./no-such-script.sh", args: [], cwd: tmpdir(), env: shEnv })).rejects.toMatchObject({ code: "ENOENT" });
  });
});

describe("the exit error", () => {
  it("names the task, what ran, the code and stderr's last lines", () => {
    const e = new ContainerExitError("shell", 'process "./calc.sh"', { exitCode: 3, signal: null, stderrTail: ["starting", "boom: bad thing"] });
    expect(e.message).toBe(`task 'shell', process "./calc.sh": it exited with code 3, and the last lines of its stderr were:\n  starting\n  boom: bad thing`);
    expect(new ContainerExitError("t", "c", { exitCode: 137, signal: null, stderrTail: [] }).message).toBe("task 't', c: it exited with code 137 (128 + 9: SIGKILL), writing nothing to stderr");
    expect(new ContainerExitError("t", "c", { exitCode: null, signal: "SIGSEGV", stderrTail: [] }).message).toBe("task 't', c: it was killed by signal SIGSEGV, writing nothing to stderr");
  });
});

describe("choosing the runtime", () => {
  it("FLYTEKIT_TS_CONTAINER_RUNTIME comes before the task's local.runtime; unknown values are refused", () => {
    expect(requestedRuntime("t", "docker", { FLYTEKIT_TS_CONTAINER_RUNTIME: "process" })).toBe("process");
    expect(requestedRuntime("t", "podman", {})).toBe("podman");
    expect(requestedRuntime("t", undefined, {})).toBe("auto");
    expect(() => requestedRuntime("t", undefined, { FLYTEKIT_TS_CONTAINER_RUNTIME: "kubernetes" })).toThrow(
      `task 't', environment variable FLYTEKIT_TS_CONTAINER_RUNTIME: expected "auto", "docker", "podman", "process", got "kubernetes"`,
    );
  });

  it("an engine whose client is installed but does not answer does not count, and the error says what was tried and how to ask for a process", async () => {
    const bin = standinBin();
    const env = { PATH: `${bin}:/usr/bin:/bin`, STANDIN_ENGINE: "down" };
    const probe = await probeEngine("docker", env);
    expect(probe).toEqual({
      engine: "docker",
      problem: "its client is installed but 'docker info --format {{.ServerVersion}}' failed (exit code 1): Cannot connect to the Docker daemon at unix:///var/run/docker.sock. Is the docker daemon running?",
    });
    const error = await chooseRuntime("ellipse", "auto", env).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ContainerRuntimeError);
    expect((error as Error).message).toBe(
      "task 'ellipse': cannot run its container locally: no container engine answered (runtime \"auto\" tries Docker, then Podman): " +
        "docker: its client is installed but 'docker info --format {{.ServerVersion}}' failed (exit code 1): Cannot connect to the Docker daemon at unix:///var/run/docker.sock. Is the docker daemon running?; " +
        "podman: not installed (no 'podman' on PATH); " +
        'start an engine, or run the command as a local process on this machine (the image is not used): give the task local: { runtime: "process" }, or set FLYTEKIT_TS_CONTAINER_RUNTIME=process',
    );
  });

  it("an engine that answers is chosen; one that does not answer in time is not", async () => {
    const bin = standinBin();
    expect(await chooseRuntime("t", "auto", { PATH: `${bin}:/usr/bin:/bin` })).toBe("docker");
    const slow = mkdtempSync(join(tmpdir(), "slow-bin-"));
    writeFileSync(join(slow, "podman"), "#!/bin/sh\nexec sleep 5\n");
    chmodSync(join(slow, "podman"), 0o755);
    expect(await probeEngine("podman", { PATH: `${slow}:/usr/bin:/bin` }, 300)).toEqual({ engine: "podman", problem: "'podman info --format {{.Version.Version}}' did not answer within 0.3s" });
  });
});

describe("docker run's arguments", () => {
  it("a command replaces the image's entrypoint (its first element by --entrypoint), the args follow; variables by name only", () => {
    expect(
      engineRunArgs({
        name: "n1",
        image: "ghcr.io/flyteorg/rawcontainers-shell:v2",
        mounts: [
          ["/tmp/in", "/var/inputs"],
          ["/tmp/out", "/var/outputs"],
        ],
        env: ["A", "B"],
        command: ["./calculate-ellipse-area.sh", "1.5", "2", "/var/outputs"],
        args: ["--flag"],
      }),
    ).toEqual([
      "run", "--rm", "--name", "n1",
      "-v", "/tmp/in:/var/inputs", "-v", "/tmp/out:/var/outputs",
      "-e", "A", "-e", "B",
      "--entrypoint", "./calculate-ellipse-area.sh",
      "ghcr.io/flyteorg/rawcontainers-shell:v2", "1.5", "2", "/var/outputs", "--flag",
    ]);
  });

  it("with no command the image's entrypoint stays and the args are passed", () => {
    expect(engineRunArgs({ name: "n2", image: "img:1", mounts: [], env: [], command: [], args: ["a", "b"] })).toEqual(["run", "--rm", "--name", "n2", "img:1", "a", "b"]);
  });
});
