// The temporary directories the SDK makes on this machine (a task's scratch directory, a local raw
// output prefix, downloaded inputs): under <tmpdir>/flytekit-ts, removed when the call that made
// them ends (see TaskExecutionContext.release), and at the latest when the process exits.
import { mkdirSync, mkdtempSync, realpathSync, rmSync } from "node:fs";
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

/** A directory's path as made and as the file system resolves it (they differ where tmp is a symbolic link). */
const realPaths = new Map<string, string>();

/** A new directory `<tmpdir>/flytekit-ts/<prefix>-XXXXXX`, removed at the latest when the process exits. */
export function makeTempDir(prefix: string): string {
  const base = join(tmpdir(), "flytekit-ts");
  mkdirSync(base, { recursive: true });
  const dir = mkdtempSync(join(base, `${prefix.replace(/[^\w.-]/g, "_").slice(0, 80) || "tmp"}-`));
  pending.add(dir);
  const real = realpathSync(dir);
  if (real !== dir) realPaths.set(dir, real);
  if (!hooked) {
    hooked = true;
    process.on("exit", removeAll);
  }
  return dir;
}

/** Removes a directory made by makeTempDir now. */
export function removeTempDir(dir: string): void {
  pending.delete(dir);
  realPaths.delete(dir);
  removeQuietly(dir);
}

/** Whether bytes (an encoded LiteralMap) name a path inside the directory, by either of its paths. */
export function namesTempDir(bytes: Buffer, dir: string): boolean {
  const real = realPaths.get(dir);
  return bytes.includes(dir) || (real !== undefined && bytes.includes(real));
}

/**
 * Keeps for good the temporary directories that bytes (a cached result) name: the cache will hand
 * that result out again, in later processes too, so the files it points at must stay.
 */
export function keepTempDirsNamedIn(bytes: Uint8Array): void {
  if (pending.size === 0) return;
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  for (const dir of [...pending]) {
    if (namesTempDir(buffer, dir)) {
      pending.delete(dir);
      realPaths.delete(dir);
    }
  }
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
