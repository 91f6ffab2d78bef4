// The temporary directories a call makes go when it ends: a thousand calls leave none behind, a
// failed call neither, and a File a task returns from its scratch directory stays readable until
// the process exits.
import { FlyteFile, taskOf } from "@flytekit-ts/core";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { CLI_BIN, cleanEnv, runProcess, TEST_ROOT } from "./support/execute.js";
import { Scratch } from "./support/scratch-tasks.js";

/** The SDK's temporary directories now. */
function sdkTempDirs(): string[] {
  const base = join(tmpdir(), "flytekit-ts");
  return existsSync(base) ? readdirSync(base).sort() : [];
}

describe("temporary directories of local calls", () => {
  it("1,000 calls that write into their scratch directory and raw output prefix leave no directory behind", () => {
    const before = sdkTempDirs();
    for (let i = 0; i < 1000; i++) expect(taskOf(Scratch.work).call(i)).toBe(i + 1);
    expect(sdkTempDirs()).toEqual(before);
  });

  it("a call that fails removes what it made too", () => {
    const before = sdkTempDirs();
    for (let i = 0; i < 20; i++) expect(() => taskOf(Scratch.failAfterWriting).call(i)).toThrow(`failed after writing (${i})`);
    expect(sdkTempDirs()).toEqual(before);
  });

  it("a File the task returns from its scratch directory stays until the process exits", async () => {
    const file = taskOf(Scratch.report).call(7) as FlyteFile;
    expect(readFileSync(file.path, "utf8")).toBe("report 7");
    // In a process of its own: printed while it runs, gone once it has exited.
    const r = await runProcess(process.execPath, [CLI_BIN, "run", "support/scratch-tasks.ts", "Scratch.report", "--x", "8"], { cwd: TEST_ROOT, env: cleanEnv() });
    expect(r.code, r.stderr).toBe(0);
    const printed = /^o0: (.+)$/m.exec(r.stdout)?.[1];
    expect(printed, r.stdout).toMatch(/\/flytekit-ts\/[^/]+\/report\.txt$/);
    expect(existsSync(printed!)).toBe(false);
  });
});
