// Importing @flytekit-ts/decorators in a fresh process, against a bare `node -e ''`.
import { execFileSync } from "node:child_process";
import { dirname } from "node:path";
import { fileURLToPath } from "node:url";
import type { Measurement, Row } from "./harness.js";

/** Runs a process `runs` times (after two warm-up runs); `command` is this Node by default. */
export function timeProcess(args: string[], runs: number, cwd: string, options: { command?: string; env?: NodeJS.ProcessEnv } = {}): Measurement {
  const times: number[] = [];
  for (let i = 0; i < runs + 2; i++) {
    const start = process.hrtime.bigint();
    execFileSync(options.command ?? process.execPath, args, { cwd, stdio: "ignore", env: options.env ?? process.env });
    const ns = Number(process.hrtime.bigint() - start);
    if (i >= 2) times.push(ns);
  }
  times.sort((a, b) => a - b);
  return { medianNs: times[Math.floor(times.length / 2)]!, minNs: times[0]!, samples: runs };
}

/**
 * Runs several processes in turn, `runs` rounds of each (after two warm-up rounds): on a machine
 * whose load changes, each sees the same load as the others, so that their ratios hold.
 */
export function timeProcessesInterleaved(commands: { args: string[]; cwd: string; command?: string; env?: NodeJS.ProcessEnv }[], runs: number): Measurement[] {
  const times: number[][] = commands.map(() => []);
  for (let i = 0; i < runs + 2; i++) {
    commands.forEach((c, k) => {
      const start = process.hrtime.bigint();
      execFileSync(c.command ?? process.execPath, c.args, { cwd: c.cwd, stdio: "ignore", env: c.env ?? process.env });
      if (i >= 2) times[k]!.push(Number(process.hrtime.bigint() - start));
    });
  }
  return times.map((t) => {
    t.sort((a, b) => a - b);
    return { medianNs: t[Math.floor(t.length / 2)]!, minNs: t[0]!, samples: runs };
  });
}

export function importBench(): Row {
  const cwd = dirname(fileURLToPath(import.meta.url));
  const runs = 15;
  const baseline = timeProcess(["-e", ""], runs, cwd);
  const ours = timeProcess(["--input-type=module", "-e", 'await import("@flytekit-ts/decorators")'], runs, cwd);
  return {
    name: "importing @flytekit-ts/decorators in a fresh process",
    ours,
    baselineName: "node -e ''",
    baseline,
    targetDeltaNs: 100_000_000,
    note: "Python flytekit 1.16's import takes about 985 ms here",
  };
}
