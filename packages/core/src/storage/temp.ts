// The temporary directories the SDK makes on this machine (a task's scratch directory, a local raw
// output prefix, downloaded inputs): under <tmpdir>/flytekit-ts, removed when the call that made
// them ends (see TaskExecutionContext.release), and at the latest when the process exits.
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const KEY = Symbol.for("flytekit-ts.temp-dirs");
/** One set per process, whichever copy of the package made the directory. */
const pending: Set<string> = ((globalThis as Record<symbol, unknown>)[KEY] ??= new Set<string>()) as Set<string>;
let hooked = false;

function removeQuietly(dir: string): void {
  try {
    rmSync(dir, { recursive: true, force: true });
  } catch {
    // already gone, or not ours to remove any more
  }
}

function removeAll(): void {
  for (const dir of pending) removeQuietly(dir);
  pending.clear();
}

/** A new directory `<tmpdir>/flytekit-ts/<prefix>-XXXXXX`, removed at the latest when the process exits. */
export function makeTempDir(prefix: string): string {
  const base = join(tmpdir(), "flytekit-ts");
  mkdirSync(base, { recursive: true });
  const dir = mkdtempSync(join(base, `${prefix.replace(/[^\w.-]/g, "_").slice(0, 80) || "tmp"}-`));
  pending.add(dir);
  if (!hooked) {
    hooked = true;
    process.on("exit", removeAll);
  }
  return dir;
}

/** Removes a directory made by makeTempDir now. */
export function removeTempDir(dir: string): void {
  pending.delete(dir);
  removeQuietly(dir);
}

/** The directories made and not yet removed (for tests and diagnostics). */
export function pendingTempDirs(): readonly string[] {
  return [...pending];
}

let processDir: string | undefined;

/** A directory for what is fetched outside any task (a download from a script): one per process, removed at exit. */
export function processTempDir(): string {
  return (processDir ??= makeTempDir("process"));
}
