// One install at a time into a place of .cache/, across the test files (processes) of a run.
import { mkdirSync, rmSync, statSync } from "node:fs";
import { join } from "node:path";

function sleep(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

/**
 * Runs `fn` holding a lock on a path of .cache/ (a directory beside it, `<path>.lock`), so that
 * two test files starting together on a fresh machine do not install into one place at once; the
 * second waits, then finds it installed. A lock left by a killed run is taken over after 20 minutes.
 */
export function withCacheLock<T>(path: string, fn: () => T): T {
  const lock = `${path}.lock`;
  mkdirSync(join(path, ".."), { recursive: true });
  for (;;) {
    try {
      mkdirSync(lock);
      break;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== "EEXIST") throw e;
      let age = 0;
      try {
        age = Date.now() - statSync(lock).mtimeMs;
      } catch {
        continue;
      }
      if (age > 20 * 60_000) rmSync(lock, { recursive: true, force: true });
      else sleep(500);
    }
  }
  try {
    return fn();
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}

