import { spawn } from "node:child_process";
import { lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, truncateSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { crc32 } from "../archive/tar.js";
import { functionTask } from "../tasks/function-form.js";
import { Cache } from "../tasks/cache.js";
import { DiskCacheStore, LocalCache, type LocalCacheStore } from "./local-cache.js";
import { Dict, Int, Str, withServices, type LogLevel } from "../index.js";

let dir: string;
const env = { ...process.env };

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "flytekit-ts-cache-"));
  // Local calls' cache reads its directory from the environment on every cached call.
  process.env.FLYTEKIT_TS_LOCAL_CACHE_DIR = dir;
  delete process.env.FLYTE_LOCAL_CACHE_ENABLED;
  delete process.env.FLYTE_LOCAL_CACHE_OVERWRITE;
});

afterEach(() => {
  process.env = { ...env };
});

/** Log lines collected through the services' logSink, and the warnings among them. */
function lines() {
  const seen: string[] = [];
  return { seen, warnings: () => seen.filter((l) => l.includes(" WARN ")), logSink: (_l: LogLevel, line: string) => void seen.push(line) };
}

/** The one entry file in `where`. */
function entryIn(where: string): string {
  const files = readdirSync(where).filter((f) => f.endsWith(".pb"));
  expect(files).toHaveLength(1);
  return join(where, files[0]!);
}

/** A cached square, counting the times it runs. */
function square() {
  let calls = 0;
  const t = functionTask({ name: "square", inputs: { n: Int }, outputs: Int, cache: true, cacheVersion: "1" }, ({ n }) => {
    calls++;
    return Number(n) ** 2;
  });
  return { t, calls: () => calls };
}

function counted<T>(name: string, options: Record<string, unknown>, body: (inputs: { a: number | bigint; b: number | bigint }) => T) {
  let calls = 0;
  const t = functionTask({ name, inputs: { a: Int, b: Int }, outputs: Int, ...options }, (inputs) => {
    calls++;
    return body(inputs) as never;
  });
  return { t, calls: () => calls };
}

describe("the local cache", () => {
  it("tells its onHit of each hit (task, version, directory) and logs it at debug level only, as flytekit logs \"Cache hit\"", () => {
    const { t, calls } = square();
    const hits: unknown[] = [];
    const log = lines();
    const localCache = new LocalCache({ onHit: (hit) => hits.push(hit) });
    withServices({ logSink: log.logSink, localCache }, () => {
      expect(t({ n: 5 })).toBe(25);
      expect(t({ n: 5 })).toBe(25);
    });
    expect(calls()).toBe(1);
    expect(hits).toEqual([{ task: "square", version: "1", dir }]);
    expect(log.seen).toEqual([]);
    process.env.FLYTEKIT_TS_LOG_LEVEL = "debug";
    withServices({ logSink: log.logSink, localCache }, () => expect(t({ n: 5 })).toBe(25));
    expect(log.seen).toEqual([`[square] DEBUG cache hit (version 1), from ${dir}`]);
    // A DiskCacheStore given as the store names its directory too.
    const own = new LocalCache({ store: new DiskCacheStore(dir), onHit: (hit) => hits.push(hit) });
    withServices({ localCache: own }, () => expect(t({ n: 5 })).toBe(25));
    expect(hits.at(-1)).toEqual({ task: "square", version: "1", dir });
  });

  it("answers a second identical call without running the task", () => {
    const { t, calls } = counted("sq", { cache: true, cacheVersion: "v1" }, ({ a, b }) => Number(a) * Number(b));
    expect(t({ a: 3, b: 3 })).toBe(9);
    expect(t({ a: 3, b: 3 })).toBe(9);
    expect(calls()).toBe(1);
    expect(t({ a: 3, b: 4 })).toBe(12);
    expect(calls()).toBe(2);
    expect(readdirSync(dir).filter((f) => f.endsWith(".pb"))).toHaveLength(2);
  });

  it("does not cache tasks without cache", () => {
    const { t, calls } = counted("plain", {}, ({ a }) => a);
    t({ a: 1, b: 1 });
    t({ a: 1, b: 1 });
    expect(calls()).toBe(2);
  });

  it("keeps tasks apart: same version, same inputs, different names", () => {
    const one = counted("one", { cache: true, cacheVersion: "1" }, () => 1);
    const two = counted("two", { cache: true, cacheVersion: "1" }, () => 2);
    expect([one.t({ a: 1, b: 1 }), two.t({ a: 1, b: 1 })]).toEqual([1, 2]);
  });

  it("ignores the inputs it is told to: (10,5)→15, then (20,5)→15 (a hit), then (20,8)→28", () => {
    const { t, calls } = counted("add", { cache: new Cache({ version: "1", ignoredInputs: ["a"] }) }, ({ a, b }) => Number(a) + Number(b));
    expect(t({ a: 10, b: 5 })).toBe(15);
    expect(t({ a: 20, b: 5 })).toBe(15);
    expect(t({ a: 20, b: 8 })).toBe(28);
    expect(calls()).toBe(2);
  });

  it("is switched off by FLYTE_LOCAL_CACHE_ENABLED=false and overwritten with FLYTE_LOCAL_CACHE_OVERWRITE=true", () => {
    let value = 1;
    const t = functionTask({ name: "ow", inputs: { a: Int }, outputs: Int, cache: true, cacheVersion: "1" }, () => value);
    expect(t({ a: 1 })).toBe(1);
    value = 2;
    expect(t({ a: 1 })).toBe(1);
    process.env.FLYTE_LOCAL_CACHE_ENABLED = "false";
    expect(t({ a: 1 })).toBe(2);
    delete process.env.FLYTE_LOCAL_CACHE_ENABLED;
    expect(t({ a: 1 })).toBe(1);
    process.env.FLYTE_LOCAL_CACHE_OVERWRITE = "true";
    expect(t({ a: 1 })).toBe(2);
    delete process.env.FLYTE_LOCAL_CACHE_OVERWRITE;
    value = 3;
    expect(t({ a: 1 })).toBe(2);
  });

  it("caches tasks without outputs too, as flytekit does", () => {
    let calls = 0;
    const t = functionTask({ name: "void", inputs: { a: Int }, cache: true, cacheVersion: "1" }, () => {
      calls++;
    });
    t({ a: 1 });
    t({ a: 1 });
    expect(calls).toBe(1);
  });

  it("treats a corrupt entry, or one that no longer fits the outputs, as a miss", () => {
    const { t, calls } = counted("corrupt", { cache: true, cacheVersion: "1" }, () => 7);
    t({ a: 1, b: 1 });
    const [file] = readdirSync(dir).filter((f) => f.endsWith(".pb"));
    writeFileSync(join(dir, file!), Buffer.from([0xff, 0xff, 0xff]));
    expect(t({ a: 1, b: 1 })).toBe(7);
    expect(calls()).toBe(2);
    // An entry of another shape (the outputs changed type) is a miss as well.
    const s = functionTask({ name: "corrupt", inputs: { a: Int, b: Int }, outputs: Dict(Str), cache: true, cacheVersion: "1" }, () => ({ k: "v" }));
    expect(s({ a: 1, b: 1 })).toEqual({ k: "v" });
  });

  it("works async", async () => {
    let calls = 0;
    const t = functionTask({ name: "async", inputs: { a: Int }, outputs: Int, cache: true, cacheVersion: "1" }, async ({ a }) => {
      calls++;
      return a;
    });
    expect(await t({ a: 5 })).toBe(5);
    expect(await t({ a: 5 })).toBe(5);
    expect(calls).toBe(1);
  });

  it("clears", () => {
    const { t, calls } = counted("clear", { cache: true, cacheVersion: "1" }, () => 1);
    t({ a: 1, b: 1 });
    new LocalCache().clear();
    t({ a: 1, b: 1 });
    expect(calls()).toBe(2);
  });

  it("lives in ~/.flytekit-ts/local-cache unless told otherwise", () => {
    const store = new LocalCache({}, { HOME: "/home/someone" }).store as DiskCacheStore;
    expect(store.dir.endsWith(join(".flytekit-ts", "local-cache"))).toBe(true);
    expect((new LocalCache({}, { FLYTEKIT_TS_LOCAL_CACHE_DIR: "/x/y" }).store as DiskCacheStore).dir).toBe("/x/y");
    expect((new LocalCache({ dir: "/given" }, { FLYTEKIT_TS_LOCAL_CACHE_DIR: "/x/y" }).store as DiskCacheStore).dir).toBe("/given");
  });
});

describe("DiskCacheStore", () => {
  it("returns undefined for what it does not have, and never throws on read", () => {
    const store = new DiskCacheStore(join(dir, "nested", "deeper"));
    expect(store.get("missing")).toBeUndefined();
    store.set("k", new Uint8Array([1, 2, 3]));
    expect([...store.get("k")!]).toEqual([1, 2, 3]);
    expect(store.fileOf("a/b")).toMatch(/h-[0-9a-f]{64}\.pb$/);
  });

  it("never shows a torn entry while processes race to write it", async () => {
    // Four processes write one key 150 times each through DiskCacheStore.set (the built package:
    // `npm test` builds first), each with a value of its own size and byte; meanwhile this process
    // reads the key and must only ever see one of the complete values.
    const storeDir = join(dir, "race");
    const script = `
      import { DiskCacheStore } from ${JSON.stringify(new URL("../../dist/context/local-cache.js", import.meta.url).href)};
      const store = new DiskCacheStore(process.argv[1]);
      const n = Number(process.argv[2]);
      for (let i = 0; i < 150; i++) store.set("k", Buffer.alloc(40000 * (n + 1), n + 1));
    `;
    const procs = [0, 1, 2, 3].map((n) => spawn(process.execPath, ["--input-type=module", "-e", script, storeDir, String(n)], { stdio: "inherit" }));
    const exits = Promise.all(procs.map((p) => new Promise<number | null>((resolve) => p.on("exit", resolve))));
    let finished = false;
    void exits.then(() => (finished = true));
    const store = new DiskCacheStore(storeDir);
    let reads = 0;
    while (!finished) {
      const v = store.get("k");
      if (v !== undefined) {
        reads++;
        const n = v[0]!;
        expect(v.length).toBe(40000 * n);
        expect(v.every((b) => b === n)).toBe(true);
      }
      await new Promise((r) => setImmediate(r));
    }
    expect(await exits).toEqual([0, 0, 0, 0]);
    expect(reads).toBeGreaterThan(0);
    expect(readdirSync(storeDir).filter((f) => f.endsWith(".tmp"))).toEqual([]);
});
});

describe("a cache that cannot be written", () => {
  it("returns the result when its directory cannot be made, and warns once, naming it, the OS error and the fix", () => {
    // A directory under a regular file cannot be made, even by root (ENOTDIR).
    const file = join(dir, "a-file");
    writeFileSync(file, "");
    const cacheDir = join(file, "cache");
    process.env.FLYTEKIT_TS_LOCAL_CACHE_DIR = cacheDir;
    const log = lines();
    const { t, calls } = counted("unwritable", { cache: true, cacheVersion: "1" }, ({ a, b }) => Number(a) + Number(b));
    withServices({ logSink: log.logSink }, () => {
      expect(t({ a: 1, b: 2 })).toBe(3);
      expect(t({ a: 1, b: 2 })).toBe(3);
      expect(t({ a: 2, b: 2 })).toBe(4);
    });
    expect(calls()).toBe(3);
    expect(log.warnings()).toHaveLength(1);
    const [warning] = log.warnings();
    expect(warning).toContain(`local cache '${cacheDir}'`);
    expect(warning).toContain("ENOTDIR");
    expect(warning).toContain("FLYTEKIT_TS_LOCAL_CACHE_DIR");
    expect(warning).toContain("FLYTE_LOCAL_CACHE_ENABLED=false");
  });

  it("returns the result when HOME cannot hold the default directory (as in many CI containers)", () => {
    const home = join(dir, "home");
    writeFileSync(home, "");
    delete process.env.FLYTEKIT_TS_LOCAL_CACHE_DIR;
    process.env.HOME = home;
    const log = lines();
    const { t, calls } = square();
    withServices({ logSink: log.logSink }, () => {
      expect(t({ n: 5 })).toBe(25);
      expect(t({ n: 5 })).toBe(25);
    });
    expect(calls()).toBe(2);
    expect(log.warnings()).toHaveLength(1);
    expect(log.warnings()[0]).toContain(`local cache '${join(home, ".flytekit-ts", "local-cache")}'`);
  });

  it("treats a store that throws, reading or writing, as a miss, and returns the result", () => {
    const broken: LocalCacheStore = {
      get() {
        throw new Error("EIO: i/o error, read");
      },
      set() {
        throw new Error("ENOSPC: no space left on device, write");
      },
      clear() {},
    };
    const log = lines();
    const { t, calls } = square();
    withServices({ logSink: log.logSink, localCache: new LocalCache({ store: broken }) }, () => expect(t({ n: 6 })).toBe(36));
    expect(calls()).toBe(1);
    expect(log.warnings().join("\n")).toContain("EIO: i/o error");
    expect(log.warnings().join("\n")).toContain("ENOSPC: no space left");
  });

});

describe("a damaged entry", () => {
  it("is a miss, not a wrong value: with one bit of its result flipped, square(12) is still 144", () => {
    const { t, calls } = square();
    expect(t({ n: 12 })).toBe(144);
    const file = entryIn(dir);
    const bytes = readFileSync(file);
    // 144 is the varint 0x90 0x01, at the end of the entry; 0x91 0x01 would read as 145.
    const at = bytes.lastIndexOf(Buffer.from([0x90, 0x01]));
    expect(at).toBeGreaterThan(0);
    bytes[at] = bytes[at]! ^ 0x01;
    writeFileSync(file, bytes);
    const log = lines();
    withServices({ logSink: log.logSink }, () => expect(t({ n: 12 })).toBe(144));
    expect(calls()).toBe(2);
    // The result stored again replaced the damaged entry: a hit.
    expect(t({ n: 12 })).toBe(144);
    expect(calls()).toBe(2);
    expect(log.warnings()).toHaveLength(1);
    expect(log.warnings()[0]).toContain("checksum");
  });

  it("is a miss whichever single bit of it is flipped", () => {
    const { t, calls } = square();
    t({ n: 12 });
    const file = entryIn(dir);
    const good = readFileSync(file);
    const log = lines();
    withServices({ logSink: log.logSink }, () => {
      for (let bit = 0; bit < good.length * 8; bit++) {
        const bad = Buffer.from(good);
        bad[bit >> 3] = bad[bit >> 3]! ^ (1 << (bit & 7));
        writeFileSync(file, bad);
        const runs = calls();
        expect(t({ n: 12 }), `bit ${bit}`).toBe(144);
        expect(calls(), `bit ${bit}`).toBe(runs + 1);
      }
    });
    expect(readFileSync(file).equals(good)).toBe(true);
  });

  it("is a miss when it was written without a checksum (by an earlier version), and is replaced", () => {
    const { t, calls } = square();
    t({ n: 12 });
    const file = entryIn(dir);
    const payload = new DiskCacheStore(dir).get(basename(file, ".pb"))!;
    writeFileSync(file, payload);
    expect(t({ n: 12 })).toBe(144);
    expect(calls()).toBe(2);
    expect(readFileSync(file).length).toBeGreaterThan(payload.length);
    expect(t({ n: 12 })).toBe(144);
    expect(calls()).toBe(2);
  });
});

/**
 * Runs `script` in a node process of its own, killed if it is still running after `ms` or grows
 * past 1 GiB: what would hang a test (reading /dev/zero, opening a FIFO nobody writes) fails it.
 */
async function runBounded(script: string, args: string[], ms = 20_000): Promise<{ code: number | null; killed?: string; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, ["--input-type=module", "-e", script, ...args], { stdio: ["ignore", "pipe", "pipe"] });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
  child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
  let killed: string | undefined;
  const started = Date.now();
  const watch = setInterval(() => {
    let rss = 0;
    try {
      rss = Number(/VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${child.pid}/status`, "utf8"))?.[1] ?? 0) * 1024;
    } catch {
      // no /proc, or the process is gone
    }
    if (rss > 2 ** 30) killed = `grew past 1 GiB`;
    else if (Date.now() - started > ms) killed = `still running after ${ms} ms`;
    if (killed !== undefined) child.kill("SIGKILL");
  }, 50);
  const code = await new Promise<number | null>((resolve) => child.on("exit", resolve));
  clearInterval(watch);
  return { code, killed, stdout, stderr };
}

describe("what is in an entry's place", () => {
  it("a directory: a miss; the result stored replaces it, and the next call is a hit", () => {
    const { t, calls } = square();
    expect(t({ n: 3 })).toBe(9);
    const file = entryIn(dir);
    rmSync(file);
    mkdirSync(join(file, "inside"), { recursive: true });
    writeFileSync(join(file, "inside", "x"), "x");
    const log = lines();
    withServices({ logSink: log.logSink }, () => expect(t({ n: 3 })).toBe(9));
    expect(calls()).toBe(2);
    expect(lstatSync(file).isFile()).toBe(true);
    expect(t({ n: 3 })).toBe(9);
    expect(calls()).toBe(2);
    expect(log.warnings()).toHaveLength(1);
    expect(log.warnings()[0]).toContain("a directory");
  });

  // In a process of its own: the old reader never came back from these.
  const script = `
    import { functionTask, Int, withServices } from ${JSON.stringify(new URL("../../dist/bundle/index.js", import.meta.url).href)};
    import { execFileSync } from "node:child_process";
    import { lstatSync, readdirSync, rmSync, symlinkSync } from "node:fs";
    import { join } from "node:path";
    const [dir, kind] = process.argv.slice(1);
    process.env.FLYTEKIT_TS_LOCAL_CACHE_DIR = dir;
    let calls = 0;
    const square = functionTask({ name: "square", inputs: { n: Int }, outputs: Int, cache: true, cacheVersion: "1" }, ({ n }) => {
      calls++;
      return Number(n) ** 2;
    });
    const results = [square({ n: 12 })];
    const file = join(dir, readdirSync(dir).find((f) => f.endsWith(".pb")));
    rmSync(file);
    if (kind === "symlink") symlinkSync("/dev/zero", file);
    else execFileSync("mkfifo", [file]);
    const warnings = [];
    withServices({ logSink: (level, line) => void warnings.push(line) }, () => results.push(square({ n: 12 })));
    results.push(square({ n: 12 }));
    console.log(JSON.stringify({ results, calls, warnings, isFile: lstatSync(file).isFile() }));
  `;

  it.skipIf(process.platform === "win32")("a symbolic link to /dev/zero: a miss, at once, and replaced", async () => {
    const run = await runBounded(script, [dir, "symlink"]);
    expect([run.killed, run.code, run.stderr]).toEqual([undefined, 0, ""]);
    const out = JSON.parse(run.stdout) as { results: number[]; calls: number; warnings: string[]; isFile: boolean };
    expect([out.results, out.calls, out.isFile]).toEqual([[144, 144, 144], 2, true]);
    expect(out.warnings).toHaveLength(1);
    expect(out.warnings[0]).toContain("a symbolic link");
  });

  it.skipIf(process.platform === "win32")("a FIFO: a miss, at once, and replaced", async () => {
    const run = await runBounded(script, [dir, "fifo"]);
    expect([run.killed, run.code, run.stderr]).toEqual([undefined, 0, ""]);
    const out = JSON.parse(run.stdout) as { results: number[]; calls: number; warnings: string[]; isFile: boolean };
    expect([out.results, out.calls, out.isFile]).toEqual([[144, 144, 144], 2, true]);
    expect(out.warnings).toHaveLength(1);
    expect(out.warnings[0]).toContain("a FIFO");
  });
});

describe("DiskCacheStore's entries", () => {
  it("are a header (FTLC, version 1), the CRC-32 of the bytes, then the bytes; get gives back the bytes alone", () => {
    const store = new DiskCacheStore(dir);
    const bytes = new Uint8Array([1, 2, 3]);
    store.set("k", bytes);
    const onDisk = readFileSync(store.fileOf("k"));
    expect(onDisk.subarray(0, 5).toString("latin1")).toBe("FTLC\x01");
    expect(onDisk.readUInt32BE(5)).toBe(crc32(bytes));
    expect([...onDisk.subarray(9)]).toEqual([1, 2, 3]);
    expect([...store.get("k")!]).toEqual([1, 2, 3]);
  });

  it("are read and written only up to a bound", () => {
    const store = new DiskCacheStore(dir, { maxEntryBytes: 1024 });
    const told: string[] = [];
    const tell = (m: string) => void told.push(m);
    store.set("small", new Uint8Array(100), tell);
    expect(store.get("small", tell)).toHaveLength(100);
    store.set("big", new Uint8Array(2000), tell);
    expect(store.get("big", tell) === undefined).toBe(true);
    // An entry grown past the bound (sparse: nothing is written) is not read.
    truncateSync(store.fileOf("small"), 2 ** 33);
    expect(store.get("small", tell) === undefined).toBe(true);
    expect(told).toHaveLength(2);
    expect(told.join("\n")).toContain("1024 bytes");
  });
});
