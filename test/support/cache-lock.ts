// One install at a time into a place of .cache/, across the test files (processes) of a run.
import { mkdirSync, rmSync, statSync } from "node:fs";
import { join } from "node:path";

function sleep(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

/**
 * Tries once to take the lock on `path` (a directory beside it, `<path>.lock`); a lock left by a
 * killed run is taken over after 20 minutes. Returns whether it is now ours.
 */
function tryLock(path: string): boolean {
  const lock = `${path}.lock`;
  mkdirSync(join(path, ".."), { recursive: true });
  try {
    mkdirSync(lock);
    return true;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== "EEXIST") throw e;
  }
  try {
    if (Date.now() - statSync(lock).mtimeMs > 20 * 60_000) rmSync(lock, { recursive: true, force: true });
  } catch {
    // released meanwhile: the next try takes it
  }
  return false;
}

function unlock(path: string): void {
  rmSync(`${path}.lock`, { recursive: true, force: true });
}

/**
 * Runs `fn` holding a lock on a path of .cache/, so that two test files starting together on a
 * fresh machine do not install into one place at once; the second waits, then finds it installed.
 */
export function withCacheLock<T>(path: string, fn: () => T): T {
  while (!tryLock(path)) sleep(500);
  try {
    return fn();
  } finally {
    unlock(path);
  }
}

/** As `withCacheLock`, for work that awaits: the wait does not block the event loop. */
export async function withAsyncCacheLock<T>(path: string, fn: () => Promise<T>): Promise<T> {
  while (!tryLock(path)) await new Promise((resolve) => setTimeout(resolve, 500));
  try {
    return await fn();
  } finally {
    unlock(path);
  }
}
