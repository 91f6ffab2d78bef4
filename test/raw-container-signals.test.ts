// Ctrl-C or SIGTERM to a Node program running a raw container task as a local process: the
// command (its own process group, which a terminal's Ctrl-C does not reach) is stopped with it,
// and the program still ends on the signal, as it would have with nothing running.
import { spawn } from "node:child_process";
import { chmodSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";

const SCRIPT = join(import.meta.dirname, "support/raw-container-signal.mjs");

function gone(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return true;
  }
  try {
    return /^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, "utf8"));
  } catch {
    return true;
  }
}

/** A folder to put first on PATH, holding a `docker` that runs the stand-in (test/fixtures/raw-container/standin/docker.cjs). */
function standinEnv(): Record<string, string> {
  const bin = mkdtempSync(join(tmpdir(), "standin-bin-"));
  writeFileSync(join(bin, "docker"), `#!/bin/sh\nexec "${process.execPath}" "${join(import.meta.dirname, "fixtures/raw-container/standin/docker.cjs")}" "$@"\n`);
  chmodSync(join(bin, "docker"), 0o755);
  const log = join(mkdtempSync(join(tmpdir(), "standin-log-")), "calls");
  return { PATH: `${bin}:${process.env.PATH}`, STANDIN_LOG: log, STANDIN_IMAGES: JSON.stringify({ "alpine:3.20": { entrypoint: [], cmd: [], workdir: tmpdir() } }), RUNTIME: "docker" };
}

/** Starts the program with `env` over this one's and waits until its command has written its pids. */
async function startProgram(env: Record<string, string>, pidFile: string) {
  const child = spawn(process.execPath, [SCRIPT], { env: { ...process.env, PIDF: pidFile, FLYTEKIT_TS_CONTAINER_RUNTIME: "", ...env }, stdio: ["ignore", "pipe", "pipe"] });
  const out = { text: "" };
  child.stdout.on("data", (d: Buffer) => (out.text += d.toString()));
  child.stderr.on("data", (d: Buffer) => (out.text += d.toString()));
  const ended = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.on("exit", (code, sig) => resolve({ code, signal: sig })));
  const started = Date.now();
  while (!(existsSync(pidFile) && readFileSync(pidFile, "utf8").trim().split(" ").length === 2)) {
    if (Date.now() - started > 20_000) throw new Error(`the command did not start: ${out.text}`);
    await new Promise((r) => setTimeout(r, 25));
  }
  const pids = readFileSync(pidFile, "utf8").trim().split(" ").map(Number);
  return { child, out, ended, pids };
}

describe("a signal to the Node process while a raw container's command runs", () => {
  const cases = [
    ["SIGTERM", "process"],
    ["SIGINT", "process"],
    ["SIGTERM", "docker"],
  ] as const;
  for (const [signal, runtime] of cases) {
    it(`${signal}, ${runtime}: the command is stopped${runtime === "docker" ? " (docker kill of its container)" : ""}, its secrets removed, and Node ends on the signal`, async () => {
      const dir = mkdtempSync(join(tmpdir(), "raw-signal-"));
      const pidFile = join(dir, "pids");
      const secretsAt = join(dir, "secrets-at");
      const engine = runtime === "docker" ? standinEnv() : {};
      const { child, out, ended, pids } = await startProgram({ SECRETS_AT: secretsAt, SECRET: "1", API_TOKEN: "tok-9d1e", ...engine }, pidFile);
      child.kill(signal);
      const end = await ended;
      const output = out.text;
      expect(end, output).toEqual({ code: null, signal });
      expect(output).not.toContain("the task ended");
      const deadline = Date.now() + 3_000;
      while (!pids.every(gone) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
      for (const pid of pids) expect(gone(pid), `pid ${pid} (${output})`).toBe(true);
      // The secret file, in clear text, did not outlive the program (its run's own cleanup never ran).
      if (runtime === "process") {
        const at = readFileSync(secretsAt, "utf8").trim();
        expect(at).toMatch(/secrets-/);
        expect(existsSync(join(at, "api", "token"))).toBe(false);
      }
      if (engine.STANDIN_LOG !== undefined) {
        const calls = readFileSync(engine.STANDIN_LOG, "utf8").trim().split("\n").map((l) => JSON.parse(l) as string[]);
        const name = calls.find((c) => c[0] === "run")![3]!;
        expect(calls.filter((c) => c[0] === "kill")).toEqual([["kill", name]]);
      }
    }, 30_000);
  }

  it("a program that handles SIGINT itself outlives it: the command is stopped, the run fails as stopped and is not retried", async () => {
    const dir = mkdtempSync(join(tmpdir(), "raw-signal-own-"));
    const pidFile = join(dir, "pids");
    const runs = join(dir, "runs");
    const { child, out, ended, pids } = await startProgram({ RUNS: runs, OWN_HANDLER: "1" }, pidFile);
    child.kill("SIGINT");
    expect(await ended, out.text).toEqual({ code: 0, signal: null });
    const output = out.text;
    expect(output).toContain("the program handled SIGINT");
    expect(output).toContain("the task failed: ContainerStoppedError: task 'sleeper', process \"sh\": it was stopped because this program got SIGINT");
    // Its retries (2) were not used: one run.
    expect(readFileSync(runs, "utf8")).toBe("run\n");
    for (const pid of pids) expect(gone(pid), `pid ${pid}`).toBe(true);
  }, 30_000);
});
