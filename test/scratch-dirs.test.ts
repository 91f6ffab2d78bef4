// The temporary directories a call makes go when it ends: a thousand calls leave none behind, a
// failed call neither, and a File a task returns from its scratch directory stays readable until
// the process exits.
import { FlyteFile, taskOf } from "@flytekit-ts/core";
import { existsSync, mkdtempSync, readdirSync, readFileSync, realpathSync, rmSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
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

  it("a body that runs past its timeout keeps its scratch directory until it settles, then it goes", async () => {
    const before = sdkTempDirs();
    await expect(taskOf(Scratch.slowWriter).call(3)).rejects.toThrow("it exceeded its timeout of 0.05s");
    await new Promise((r) => setTimeout(r, 400));
    expect(sdkTempDirs()).toEqual(before);
  });

  it("a File named by the real path of the scratch directory (tmp behind a symbolic link) stays too", () => {
    const real = mkdtempSync(join(tmpdir(), "real-tmp-"));
    const link = `${real}-link`;
    symlinkSync(real, link);
    const saved = process.env.TMPDIR;
    process.env.TMPDIR = link;
    try {
      const file = taskOf(Scratch.reportByRealPath).call(4) as FlyteFile;
      expect(file.path.startsWith(realpathSync(real))).toBe(true);
      expect(readFileSync(file.path, "utf8")).toBe("real 4");
    } finally {
      process.env.TMPDIR = saved;
    }
  });

  it("a cached task's File outlives the process that made it: a later process gets it from the cache, and a deleted one is a miss", async () => {
    const env = { ...cleanEnv(), FLYTEKIT_TS_LOCAL_CACHE_DIR: mkdtempSync(join(tmpdir(), "cache-")) };
    const run = async () => {
      const r = await runProcess(process.execPath, [CLI_BIN, "run", "support/scratch-tasks.ts", "Scratch.cachedReport", "--x", "5"], { cwd: TEST_ROOT, env });
      expect(r.code, r.stderr).toBe(0);
      return /^o0: (.+)$/m.exec(r.stdout)![1]!;
    };
    const first = await run();
    const written = readFileSync(first, "utf8");
    expect(await run()).toBe(first);
    expect(readFileSync(first, "utf8")).toBe(written);
    rmSync(first);
    const third = await run();
    expect(third).not.toBe(first);
    expect(readFileSync(third, "utf8")).toMatch(/^report 5 from process \d+$/);
    rmSync(dirname(first), { recursive: true, force: true });
    rmSync(dirname(third), { recursive: true, force: true });
  });
});
