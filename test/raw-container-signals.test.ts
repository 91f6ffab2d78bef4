// Ctrl-C or SIGTERM to a Node program running a raw container task as a local process: the
// command (its own process group, which a terminal's Ctrl-C does not reach) is stopped with it,
// and the program still ends on the signal, as it would have with nothing running.
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync } from "node:fs";
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

describe("a signal to the Node process while a raw container's command runs", () => {
  for (const signal of ["SIGTERM", "SIGINT"] as const) {
    it(`${signal}: the command is stopped, and Node ends on the signal`, async () => {
      const pidFile = join(mkdtempSync(join(tmpdir(), "raw-signal-")), "pids");
      const child = spawn(process.execPath, [SCRIPT], { env: { ...process.env, PIDF: pidFile, FLYTEKIT_TS_CONTAINER_RUNTIME: "" }, stdio: ["ignore", "pipe", "pipe"] });
      let output = "";
      child.stdout.on("data", (d: Buffer) => (output += d.toString()));
      child.stderr.on("data", (d: Buffer) => (output += d.toString()));
      const ended = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.on("exit", (code, sig) => resolve({ code, signal: sig })));
      const started = Date.now();
      while (!(existsSync(pidFile) && readFileSync(pidFile, "utf8").trim().split(" ").length === 2)) {
        if (Date.now() - started > 20_000) throw new Error(`the command did not start: ${output}`);
        await new Promise((r) => setTimeout(r, 25));
      }
      const pids = readFileSync(pidFile, "utf8").trim().split(" ").map(Number);
      child.kill(signal);
      const end = await ended;
      expect(end, output).toEqual({ code: null, signal });
      expect(output).not.toContain("the task ended");
      const deadline = Date.now() + 3_000;
      while (!pids.every(gone) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
      for (const pid of pids) expect(gone(pid), `pid ${pid} (${output})`).toBe(true);
    }, 30_000);
  }
});
