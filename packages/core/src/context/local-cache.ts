import { createHash, randomBytes } from "node:crypto";
import { closeSync, constants, fstatSync, lstatSync, mkdirSync, openSync, readlinkSync, readSync, renameSync, rmSync, unlinkSync, writeFileSync, type Stats } from "node:fs";
import { homedir } from "node:os";
import { basename, dirname, join, resolve } from "node:path";
import { crc32 } from "../archive/tar.js";
import { formatError } from "../errors/flyte-error.js";

/** Where a store tells of a problem it worked around (a miss, a result not stored): a line to log. */
export type CacheWarn = (message: string) => void;

/**
 * Where cached outputs live: bytes by key. A cache must never cost a caller its result: a store
 * that cannot read or write tells `warn` (when given) and goes on as if the entry were missing.
 */
export interface LocalCacheStore {
  /** The bytes stored under `key`, or undefined (missing, unreadable or damaged: a miss). Never throws. */
  get(key: string, warn?: CacheWarn): Uint8Array | undefined;
  /**
   * Stores bytes under `key`; a concurrent reader sees the old entry or the new one, never a torn
   * one. Never throws: what cannot be stored is told to `warn` and is simply not cached.
   */
  set(key: string, value: Uint8Array, warn?: CacheWarn): void;
  /** Removes every entry. */
  clear(): void;
}

const SAFE = /^[A-Za-z0-9._-]+$/;

/** How to get a local cache that works, for a warning that it does not. */
const FIX = "set FLYTEKIT_TS_LOCAL_CACHE_DIR to a writable directory, or FLYTE_LOCAL_CACHE_ENABLED=false to turn the local cache off";

/** Problems told already, by directory and kind: each is told once per process. */
const told = new Set<string>();

function errorText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

function errorCode(e: unknown): string | undefined {
  return (e as NodeJS.ErrnoException | undefined)?.code;
}

/**
 * An entry on disk: "FTLC" (flytekit-ts local cache), the format's version (1), the CRC-32 of the
 * stored bytes (4 bytes, big-endian), then the bytes. A file that does not start so (one an
 * earlier version wrote, say) is a miss; one whose bytes do not match their checksum is a damaged
 * entry, a miss as well. The next result stored replaces either. The checksum is also why an entry
 * is not fsynced: a file left half written by a crash cannot pass for a result.
 *
 * CRC-32, not SHA-256: it catches what a checksum here is for (flipped bits, every single one;
 * torn or truncated files), and a hit stays as fast as before. SHA-256 added 3-5 µs to a 10 µs
 * read of a small entry (createHash's own cost), CRC-32 about 0.1-0.3 µs. Someone who can write
 * the directory can write a matching digest of either kind.
 */
const MAGIC = Buffer.from("FTLC", "latin1");
const VERSION = 1;
const HEADER_BYTES = MAGIC.length + 1 + 4;

/** How many bytes come before the stored bytes in an entry (for readers that skip the check, as a benchmark's baseline). */
export const LOCAL_CACHE_HEADER_BYTES = HEADER_BYTES;

/** The entry that holds `bytes`. */
function seal(bytes: Uint8Array): Buffer {
  const header = Buffer.alloc(HEADER_BYTES);
  MAGIC.copy(header);
  header[MAGIC.length] = VERSION;
  header.writeUInt32BE(crc32(bytes), MAGIC.length + 1);
  return Buffer.concat([header, bytes]);
}

/** The bytes an entry holds; "foreign" if it is not an entry of this format, "damaged" if they fail their checksum. */
function unseal(entry: Buffer): Uint8Array | "foreign" | "damaged" {
  if (entry.length < HEADER_BYTES || !entry.subarray(0, MAGIC.length).equals(MAGIC) || entry[MAGIC.length] !== VERSION) return "foreign";
  const bytes = entry.subarray(HEADER_BYTES);
  return crc32(bytes) === entry.readUInt32BE(MAGIC.length + 1) ? bytes : "damaged";
}

/** How big an entry may be unless told otherwise: 1 GiB. */
const MAX_ENTRY_BYTES = 2 ** 30;

/**
 * How an entry is opened: never through a symbolic link (O_NOFOLLOW), and without waiting for a
 * writer should a FIFO be in its place (O_NONBLOCK; no effect on a regular file). Where a flag does
 * not exist (Windows), it is left out.
 */
const READ_FLAGS = constants.O_RDONLY | (constants.O_NOFOLLOW ?? 0) | (constants.O_NONBLOCK ?? 0);

/** What a thing that is not a regular file is, in words. */
function kindOf(stats: Stats, file: string): string {
  if (stats.isDirectory()) return "a directory";
  if (stats.isSymbolicLink()) {
    try {
      return `a symbolic link (to ${readlinkSync(file)})`;
    } catch {
      return "a symbolic link";
    }
  }
  if (stats.isFIFO()) return "a FIFO";
  if (stats.isSocket()) return "a socket";
  if (stats.isCharacterDevice() || stats.isBlockDevice()) return "a device";
  return "not a regular file";
}

/** `size` bytes of `fd` from its start, or fewer if it ends sooner. */
function readAll(fd: number, size: number): Buffer {
  const buffer = Buffer.allocUnsafe(size);
  let read = 0;
  while (read < size) {
    const n = readSync(fd, buffer, read, size - read, read);
    if (n === 0) break;
    read += n;
  }
  return buffer.subarray(0, read);
}

/**
 * A directory of files, one per key, each written to a temporary file and renamed into place, each
 * with a checksum of what it holds. Only regular files are read, and only up to a bound: whatever
 * else is in an entry's place (a directory, a symbolic link, a FIFO, a device) is a miss, and the
 * next store replaces it.
 */
export class DiskCacheStore implements LocalCacheStore {
  private made = false;
  private readonly maxEntryBytes: number;

  /** `maxEntryBytes`: the largest entry read or written (header included); 1 GiB unless given. */
  constructor(
    readonly dir: string,
    options: { maxEntryBytes?: number } = {},
  ) {
    this.maxEntryBytes = options.maxEntryBytes ?? MAX_ENTRY_BYTES;
  }

  /** The file of a key: the key itself when it is a safe file name, else a hash of it. */
  fileOf(key: string): string {
    const name = SAFE.test(key) && key.length <= 200 ? key : `h-${createHash("sha256").update(key).digest("hex")}`;
    return join(this.dir, `${name}.pb`);
  }

  get(key: string, warn?: CacheWarn): Uint8Array | undefined {
    const file = this.fileOf(key);
    let fd: number;
    try {
      fd = openSync(file, READ_FLAGS);
    } catch (e) {
      // Nothing stored, or no directory yet: a plain miss. Anything else is worth a word.
      const code = errorCode(e);
      if (code === "ENOENT" || code === "ENOTDIR") return undefined;
      const stats = this.lstat(file);
      if (stats !== undefined && !stats.isFile()) this.tellNotAFile(warn, file, kindOf(stats, file));
      else this.tell(warn, "read", `cannot read entry '${basename(file)}', so it is a miss: ${errorText(e)}`);
      return undefined;
    }
    try {
      const stats = fstatSync(fd);
      if (!stats.isFile()) {
        this.tellNotAFile(warn, file, kindOf(stats, file));
        return undefined;
      }
      if (stats.size > this.maxEntryBytes) {
        this.tell(warn, "too big to read", `entry '${basename(file)}' is ${stats.size} bytes, more than the ${this.maxEntryBytes} bytes an entry may have, so it is a miss; the next result stored replaces it`);
        return undefined;
      }
      const bytes = unseal(readAll(fd, stats.size));
      if (bytes === "damaged") this.tell(warn, "damaged", `entry '${basename(file)}' does not match its checksum (the file was damaged), so it is a miss; the next result stored replaces it`);
      return typeof bytes === "string" ? undefined : bytes;
    } catch (e) {
      this.tell(warn, "read", `cannot read entry '${basename(file)}', so it is a miss: ${errorText(e)}`);
      return undefined;
    } finally {
      try {
        closeSync(fd);
      } catch {
        // closed or not, the entry was read or refused
      }
    }
  }

  set(key: string, value: Uint8Array, warn?: CacheWarn): void {
    if (HEADER_BYTES + value.length > this.maxEntryBytes) {
      this.tell(warn, "too big to store", `a result of ${value.length} bytes is more than the ${this.maxEntryBytes} bytes an entry may have, so it is not cached`);
      return;
    }
    const target = this.fileOf(key);
    const temp = `${target}.${process.pid}.${randomBytes(4).toString("hex")}.tmp`;
    try {
      this.writeTemp(temp, seal(value));
      this.putInPlace(temp, target);
    } catch (e) {
      try {
        unlinkSync(temp);
      } catch {
        // nothing was written
      }
      this.tell(warn, "write", `cannot store results, so they are not cached: ${errorText(e)}`, FIX);
    }
  }

  /**
   * Renames `temp` to `target`. A rename replaces whatever is at `target` (a file, a symbolic link,
   * a FIFO) except a directory: one found there, inside this store's directory, is removed first.
   */
  private putInPlace(temp: string, target: string): void {
    try {
      renameSync(temp, target);
      return;
    } catch (e) {
      const stats = this.lstat(target);
      if (stats === undefined || !stats.isDirectory() || resolve(dirname(target)) !== resolve(this.dir)) throw e;
    }
    try {
      rmSync(target, { recursive: true, force: true });
    } catch (e) {
      throw new Error(`a directory is in the place of entry '${basename(target)}' and cannot be removed: ${errorText(e)}`, { cause: e });
    }
    renameSync(temp, target);
  }

  private lstat(file: string): Stats | undefined {
    try {
      return lstatSync(file);
    } catch {
      return undefined;
    }
  }

  private tellNotAFile(warn: CacheWarn | undefined, file: string, kind: string): void {
    this.tell(warn, "not-a-file", `entry '${basename(file)}' is ${kind}, not a file, so it is a miss; the next result stored replaces it`);
  }

  private writeTemp(temp: string, value: Uint8Array): void {
    if (!this.made) {
      mkdirSync(this.dir, { recursive: true });
      this.made = true;
    }
    try {
      writeFileSync(temp, value, { flag: "wx" });
    } catch (e) {
      // The directory went away since it was made (another store cleared it): make it again.
      if (errorCode(e) !== "ENOENT") throw e;
      mkdirSync(this.dir, { recursive: true });
      writeFileSync(temp, value, { flag: "wx" });
    }
  }

  /** Tells `warn` of a problem, once per process for this directory and kind of problem. */
  private tell(warn: CacheWarn | undefined, kind: string, problem: string, fix?: string): void {
    if (warn === undefined) return;
    const once = `${resolve(this.dir)}\0${kind}`;
    if (told.has(once)) return;
    told.add(once);
    warn(formatError({ subject: `local cache '${this.dir}'`, problem, fix }));
  }

  clear(): void {
    rmSync(this.dir, { recursive: true, force: true });
    this.made = false;
  }
}

/**
 * The default cache directory: `~/.flytekit-ts/local-cache`, home being the HOME (on Windows,
 * USERPROFILE) of the environment given, else the process's.
 */
export function defaultLocalCacheDir(env: NodeJS.ProcessEnv = process.env): string {
  const home = (process.platform === "win32" ? env.USERPROFILE : env.HOME) || homedir();
  return join(home, ".flytekit-ts", "local-cache");
}

/** flytekit's reading of a boolean setting: set and not one of false, 0, off, no (so "" is false). */
function flag(value: string | undefined, fallback: boolean): boolean {
  if (value === undefined) return fallback;
  return value !== "" && !["false", "0", "off", "no"].includes(value.toLowerCase());
}

/** A result a local call found in the cache instead of running the task. */
export interface LocalCacheHit {
  /** The task's name. */
  readonly task: string;
  /** The cache version the result was stored under. */
  readonly version: string;
  /** The directory of the default store it came from; undefined for a store of one's own. */
  readonly dir: string | undefined;
}

/** What is in force for a cached call: whether to look results up, whether to replace them, where they are. */
export interface LocalCacheConfig {
  readonly enabled: boolean;
  readonly overwrite: boolean;
  readonly store: LocalCacheStore;
  /** Told of each hit (the local run also logs one at debug level). */
  readonly onHit?: (hit: LocalCacheHit) => void;
}

/**
 * How local calls cache the results of tasks with `cache` (flytekit's local cache): whether they
 * look results up, whether they run anyway and replace them, and where results are kept. What is
 * not given is read from the environment on every cached call: FLYTE_LOCAL_CACHE_ENABLED (default
 * true), FLYTE_LOCAL_CACHE_OVERWRITE (default false), FLYTEKIT_TS_LOCAL_CACHE_DIR (default
 * `~/.flytekit-ts/local-cache`).
 */
export class LocalCache {
  private diskStore: DiskCacheStore | undefined;

  /**
   * What is not given here is read from an environment on every cached call: `env` if given, else
   * the environment of the services the call runs with (the process's, for local calls).
   */
  constructor(
    private readonly options: {
      dir?: string;
      store?: LocalCacheStore;
      enabled?: boolean;
      overwrite?: boolean;
      /** Told of each result found in the cache (`flytekit-ts run` reports them on stderr). */
      onHit?: (hit: LocalCacheHit) => void;
    } = {},
    private readonly env?: NodeJS.ProcessEnv,
  ) {}

  /** What is in force for a call whose services' environment is `env`. */
  configFor(env: NodeJS.ProcessEnv = process.env): LocalCacheConfig {
    const source = this.env ?? env;
    return {
      enabled: this.options.enabled ?? flag(source.FLYTE_LOCAL_CACHE_ENABLED, true),
      overwrite: this.options.overwrite ?? flag(source.FLYTE_LOCAL_CACHE_OVERWRITE, false),
      store: this.storeFor(source),
      ...(this.options.onHit === undefined ? {} : { onHit: this.options.onHit }),
    };
  }

  private storeFor(source: NodeJS.ProcessEnv): LocalCacheStore {
    if (this.options.store !== undefined) return this.options.store;
    const dir = this.options.dir ?? source.FLYTEKIT_TS_LOCAL_CACHE_DIR ?? defaultLocalCacheDir(source);
    if (this.diskStore === undefined || this.diskStore.dir !== dir) this.diskStore = new DiskCacheStore(dir);
    return this.diskStore;
  }

  /** Whether tasks with `cache` look up and store results (in the process's environment). */
  get enabled(): boolean {
    return this.configFor().enabled;
  }

  /** Whether to run anyway and replace the stored result (in the process's environment). */
  get overwrite(): boolean {
    return this.configFor().overwrite;
  }

  /** Where results are kept (in the process's environment). */
  get store(): LocalCacheStore {
    return this.configFor().store;
  }

  /** Removes every stored result. */
  clear(): void {
    this.store.clear();
  }
}
