import { createHash, randomBytes } from "node:crypto";
import { mkdirSync, readFileSync, renameSync, rmSync, unlinkSync, writeFileSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";

/** Where cached outputs live: bytes by key. */
export interface LocalCacheStore {
  /** The bytes stored under `key`, or undefined (missing or unreadable). Never throws. */
  get(key: string): Uint8Array | undefined;
  /** Stores bytes under `key`; a concurrent reader sees the old entry or the new one, never a torn one. */
  set(key: string, value: Uint8Array): void;
  /** Removes every entry. */
  clear(): void;
}

const SAFE = /^[A-Za-z0-9._-]+$/;

/** A directory of files, one per key, each written to a temporary file and renamed into place. */
export class DiskCacheStore implements LocalCacheStore {
  private made = false;

  constructor(readonly dir: string) {}

  /** The file of a key: the key itself when it is a safe file name, else a hash of it. */
  fileOf(key: string): string {
    const name = SAFE.test(key) && key.length <= 200 ? key : `h-${createHash("sha256").update(key).digest("hex")}`;
    return join(this.dir, `${name}.pb`);
  }

  get(key: string): Uint8Array | undefined {
    try {
      return readFileSync(this.fileOf(key));
    } catch {
      return undefined;
    }
  }

  set(key: string, value: Uint8Array): void {
    if (!this.made) {
      mkdirSync(this.dir, { recursive: true });
      this.made = true;
    }
    const target = this.fileOf(key);
    const temp = `${target}.${process.pid}.${randomBytes(4).toString("hex")}.tmp`;
    try {
      writeFileSync(temp, value);
      renameSync(temp, target);
    } catch (e) {
      try {
        unlinkSync(temp);
      } catch {
        // nothing was written
      }
      throw e;
    }
  }

  clear(): void {
    rmSync(this.dir, { recursive: true, force: true });
    this.made = false;
  }
}

/** The default cache directory: `~/.flytekit-ts/local-cache`. */
export function defaultLocalCacheDir(): string {
  return join(homedir(), ".flytekit-ts", "local-cache");
}

/** flytekit's reading of a boolean setting: set and not one of false, 0, off, no (so "" is false). */
function flag(value: string | undefined, fallback: boolean): boolean {
  if (value === undefined) return fallback;
  return value !== "" && !["false", "0", "off", "no"].includes(value.toLowerCase());
}

/** How local calls use the cache. */
export interface LocalCacheConfig {
  /** Whether tasks with `cache` look up and store results locally. Env: FLYTE_LOCAL_CACHE_ENABLED (default true). */
  enabled: boolean;
  /** Run anyway and replace the stored result. Env: FLYTE_LOCAL_CACHE_OVERWRITE (default false). */
  overwrite: boolean;
  store: LocalCacheStore;
}

let configured: Partial<LocalCacheConfig> & { dir?: string } = {};
let defaultStore: DiskCacheStore | undefined;

/**
 * Sets where and whether local calls cache (anything left out falls back to the environment:
 * FLYTE_LOCAL_CACHE_ENABLED, FLYTE_LOCAL_CACHE_OVERWRITE, FLYTEKIT_TS_LOCAL_CACHE_DIR).
 */
export function configureLocalCache(config: { dir?: string; enabled?: boolean; overwrite?: boolean; store?: LocalCacheStore }): void {
  configured = { ...config };
  defaultStore = undefined;
}

/** The cache settings now in force (read on every cached call, so the environment may change). */
export function localCacheConfig(env: NodeJS.ProcessEnv = process.env): LocalCacheConfig {
  let store = configured.store;
  if (store === undefined) {
    const dir = configured.dir ?? env.FLYTEKIT_TS_LOCAL_CACHE_DIR ?? defaultLocalCacheDir();
    if (defaultStore === undefined || defaultStore.dir !== dir) defaultStore = new DiskCacheStore(dir);
    store = defaultStore;
  }
  return {
    enabled: configured.enabled ?? flag(env.FLYTE_LOCAL_CACHE_ENABLED, true),
    overwrite: configured.overwrite ?? flag(env.FLYTE_LOCAL_CACHE_OVERWRITE, false),
    store,
  };
}

/** Removes every locally cached result. */
export function clearLocalCache(): void {
  localCacheConfig().store.clear();
}
