// The gs:// store against a real fake-gcs-server on 127.0.0.1: objects, files and directories both
// ways, a large file streamed with bounded memory, clear errors naming the uri, bounded time against
// a server that never answers or stalls mid-body, slow transfers that move never cut, a resumed
// download never mixing two objects, and the built-in store the router loads from the environment alone.
import { createHash, randomBytes } from "node:crypto";
import { closeSync, createReadStream, mkdirSync, openSync, writeSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import { createServer as createHttpServer } from "node:http";
import { connect, createServer, type Server, type Socket } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { StorageError } from "@flytekit-ts/core";
import { gcsStorage, StorageRouter, type Storage } from "@flytekit-ts/core/extend";
// The store module itself (a chunk of the bundle only import() reaches), for the environment's store.
import { gcsStorageFromEnv } from "../packages/core/src/storage/gcs.js";
import { startFakeGcs, type FakeGcs } from "./support/fake-gcs.js";

let gcs: FakeGcs;
let store: Storage;
let scratch: string;
const BUCKET = "flyte-data";

beforeAll(async () => {
  gcs = await startFakeGcs([BUCKET]);
  store = gcsStorage({ endpoint: gcs.endpoint });
  scratch = mkdtempSync(join(tmpdir(), "flytekit-ts-gcs-"));
}, 120_000);

afterAll(async () => {
  await gcs?.stop();
  if (scratch !== undefined) rmSync(scratch, { recursive: true, force: true });
});

function tree(root: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (dir: string, rel: string) => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      if (e.isDirectory()) walk(join(dir, e.name), `${rel}${e.name}/`);
      else out[rel + e.name] = readFileSync(join(dir, e.name), "utf8");
    }
  };
  walk(root, "");
  return out;
}

function sha256(path: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const h = createHash("sha256");
    createReadStream(path).on("data", (d) => h.update(d)).on("error", reject).on("end", () => resolve(h.digest("hex")));
  });
}


/** A connection through the proxy: the client's socket and the one to the server. */
interface Relay {
  client: Socket;
  server: Socket;
}

/**
 * A TCP proxy on 127.0.0.1 to `targetPort`. Each chunk, client to server (`up`) or back (`down`),
 * goes through its hook first, which may wait (throttling) or cut the connection; reading pauses
 * meanwhile, so the hook's pace is the transfer's pace.
 */
async function startProxy(targetPort: number, hooks: { up?: (chunk: Buffer, relay: Relay) => Promise<void> | void; down?: (chunk: Buffer, relay: Relay) => Promise<void> | void }): Promise<{ port: number; close(): void }> {
  const relays = new Set<Relay>();
  const relay = (from: Socket, to: Socket, hook: ((chunk: Buffer, relay: Relay) => Promise<void> | void) | undefined, r: Relay) => {
    from.on("data", (chunk: Buffer) => {
      from.pause();
      void Promise.resolve(hook?.(chunk, r)).then(() => {
        if (to.destroyed || from.destroyed) return;
        to.write(chunk, () => from.resume());
      });
    });
    from.on("end", () => to.end());
    from.on("error", () => to.destroy());
    from.on("close", () => to.destroy());
  };
  const proxy = createServer((client) => {
    const server = connect(targetPort, "127.0.0.1");
    const r: Relay = { client, server };
    relays.add(r);
    client.on("close", () => relays.delete(r));
    relay(client, server, hooks.up, r);
    relay(server, client, hooks.down, r);
  });
  await new Promise<void>((ok) => proxy.listen(0, "127.0.0.1", ok));
  return {
    port: (proxy.address() as { port: number }).port,
    close: () => {
      for (const r of relays) (r.client.destroy(), r.server.destroy());
      proxy.close();
    },
  };
}

const portOf = (endpoint: string) => Number(new URL(endpoint).port);

describe("the gs:// store on fake-gcs-server", () => {
  it("writes, reads and finds an object", async () => {
    const uri = `gs://${BUCKET}/objects/hello.txt`;
    expect(await store.exists(uri)).toBe(false);
    await store.write(uri, new TextEncoder().encode("héllo ✓"));
    expect(new TextDecoder().decode(await store.read(uri))).toBe("héllo ✓");
    expect(await store.exists(uri)).toBe(true);
    // A prefix with objects under it exists too (a directory); one without does not.
    expect(await store.exists(`gs://${BUCKET}/objects`)).toBe(true);
    expect(await store.exists(`gs://${BUCKET}/nothing-here`)).toBe(false);
    // A write replaces the object whole.
    await store.write(uri, new Uint8Array([1, 2, 3]));
    expect([...(await store.read(uri))]).toEqual([1, 2, 3]);
  });

  it("uploads and downloads a file", async () => {
    const local = join(scratch, "one.bin");
    const bytes = randomBytes(300_000);
    writeFileSync(local, bytes);
    await store.upload(local, `gs://${BUCKET}/files/one.bin`);
    const back = join(scratch, "back", "one.bin");
    await store.download(`gs://${BUCKET}/files/one.bin`, back);
    expect(Buffer.compare(readFileSync(back), bytes)).toBe(0);
    // No temporary file is left beside it.
    expect(readdirSync(join(scratch, "back"))).toEqual(["one.bin"]);
  });

  it("uploads and downloads a nested directory, every file at its place", async () => {
    const dir = join(scratch, "tree");
    mkdirSync(join(dir, "a", "b"), { recursive: true });
    mkdirSync(join(dir, "empty-sibling", "c"), { recursive: true });
    writeFileSync(join(dir, "top.txt"), "top");
    writeFileSync(join(dir, "a", "mid.txt"), "mid");
    writeFileSync(join(dir, "a", "b", "deep.txt"), "deep ✓");
    writeFileSync(join(dir, "empty-sibling", "c", "leaf.txt"), "");
    for (let i = 0; i < 20; i++) writeFileSync(join(dir, "a", `n${i}.txt`), `n${i}`);
    await store.upload(dir, `gs://${BUCKET}/dirs/tree`);
    expect(await store.exists(`gs://${BUCKET}/dirs/tree/a/b/deep.txt`)).toBe(true);
    const back = join(scratch, "tree-back");
    await store.download(`gs://${BUCKET}/dirs/tree`, back);
    expect(tree(back)).toEqual(tree(dir));
    // A trailing slash names the same directory.
    const again = join(scratch, "tree-back-2");
    await store.download(`gs://${BUCKET}/dirs/tree/`, again);
    expect(tree(again)).toEqual(tree(dir));
  });

  it("streams a 128 MiB file both ways with memory independent of its size, bytes identical", async () => {
    const size = 128 * 1024 * 1024;
    const local = join(scratch, "large.bin");
    // Written a block at a time: the test process itself never holds the file.
    const block = randomBytes(1024 * 1024);
    const fd = openSync(local, "w");
    for (let i = 0; i < size / block.length; i++) {
      block.writeUInt32LE(i, 0);
      writeSync(fd, block);
    }
    closeSync(fd);
    const want = await sha256(local);
    global.gc?.();
    const before = process.memoryUsage().rss;
    let peak = before;
    const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 10);
    try {
      await store.upload(local, `gs://${BUCKET}/large/large.bin`);
      const back = join(scratch, "large-back.bin");
      await store.download(`gs://${BUCKET}/large/large.bin`, back);
      expect(statSync(back).size).toBe(size);
      expect(await sha256(back)).toBe(want);
    } finally {
      clearInterval(sampler);
    }
    // Holding the file would take 128 MiB at least; the store holds about one 8 MiB chunk.
    const growth = (peak - before) / 1024 / 1024;
    console.log(`gcs 128 MiB round trip: RSS growth ${growth.toFixed(1)} MiB`);
    expect(growth, "RSS growth in MiB").toBeLessThan(96);
    // The measure can fail: holding the file, as a store that read it whole would, shows.
    const base = process.memoryUsage().rss;
    const whole = readFileSync(local);
    expect((process.memoryUsage().rss - base) / 1024 / 1024, "RSS growth holding the file").toBeGreaterThan(96);
    expect(whole.length).toBe(size);
  }, 120_000);

  it("a missing object is a StorageError naming the uri", async () => {
    const uri = `gs://${BUCKET}/no/such/object.pb`;
    const e = await store.read(uri).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(StorageError);
    expect((e as Error).message).toContain(uri);
    expect((e as Error).message).toContain("no object is there");
    const d = await store.download(uri, join(scratch, "never")).catch((x: unknown) => x);
    expect(d).toBeInstanceOf(StorageError);
    expect((d as Error).message).toContain(uri);
  });

  it("a missing bucket is a StorageError naming the uri", async () => {
    const uri = `gs://no-such-bucket-here/inputs.pb`;
    for (const op of [() => store.read(uri), () => store.write(uri, new Uint8Array([1])), () => store.download(uri, join(scratch, "nb")), () => store.exists(uri)]) {
      const e = await op().catch((x: unknown) => x);
      expect(e).toBeInstanceOf(StorageError);
      expect((e as Error).message).toContain(uri);
      expect((e as Error).message).toMatch(/404|no object is there/);
      console.log(`missing bucket: ${(e as Error).message}`);
    }
  });

  it("a malformed uri is refused before any request", async () => {
    const e = await store.read("gs:///key-without-bucket").catch((x: unknown) => x);
    expect(e).toBeInstanceOf(StorageError);
    expect((e as Error).message).toContain("gs://<bucket>/<key>");
  });

  it("a server that accepts and never answers fails in bounded time, as a StorageError", async () => {
    const sockets: Socket[] = [];
    const silent: Server = createServer((s) => void sockets.push(s));
    await new Promise<void>((r) => silent.listen(0, "127.0.0.1", r));
    const port = (silent.address() as { port: number }).port;
    try {
      const slow = gcsStorage({ endpoint: `127.0.0.1:${port}`, idleTimeoutMs: 500, retries: 1 });
      const started = Date.now();
      const e = await slow.read(`gs://${BUCKET}/objects/hello.txt`).catch((x: unknown) => x);
      expect(e).toBeInstanceOf(StorageError);
      expect((e as Error).message).toContain(`gs://${BUCKET}/objects/hello.txt`);
      // Generous: two attempts of 0.5 s and a backoff, far from hanging.
      expect(Date.now() - started).toBeLessThan(20_000);
      // Writes too: one request, and a large file's resumable session (which the client sends with no timeout of its own).
      const big = join(scratch, "to-silent.bin");
      writeFileSync(big, Buffer.alloc(16 * 1024 * 1024, 1));
      for (const [uri, op] of [
        [`gs://${BUCKET}/silent/small.txt`, (u: string) => slow.write(u, new Uint8Array([1]))],
        [`gs://${BUCKET}/silent/big.bin`, (u: string) => slow.upload(big, u)],
      ] as const) {
        const began = Date.now();
        const w = await op(uri).catch((x: unknown) => x);
        expect(w, uri).toBeInstanceOf(StorageError);
        expect((w as Error).message).toContain(uri);
        expect(Date.now() - began).toBeLessThan(20_000);
      }
    } finally {
      for (const s of sockets) s.destroy();
      silent.close();
    }
  }, 60_000);

  it("a download whose body stalls after its headers fails in bounded time, as a StorageError", async () => {
    // Headers and 1 KiB of a 1 MiB body, then nothing: the client's own timeout ends with the headers.
    const size = 1024 * 1024;
    const sockets = new Set<Socket>();
    const stalling = createHttpServer((req, res) => {
      if (!/[?&]alt=media/.test(req.url ?? "")) {
        res.writeHead(200, { "content-type": "application/json" });
        res.end(JSON.stringify({ kind: "storage#object", bucket: BUCKET, name: "stall/inputs.pb", size: String(size), generation: "1", metageneration: "1" }));
        return;
      }
      res.writeHead(200, { "content-type": "application/octet-stream", "content-length": String(size), "x-goog-generation": "1" });
      res.write(Buffer.alloc(1024, 1));
    });
    stalling.on("connection", (s) => {
      sockets.add(s);
      s.on("close", () => sockets.delete(s));
    });
    await new Promise<void>((r) => stalling.listen(0, "127.0.0.1", r));
    const port = (stalling.address() as { port: number }).port;
    try {
      const slow = gcsStorage({ endpoint: `127.0.0.1:${port}`, idleTimeoutMs: 1_000, retries: 1 });
      const uri = `gs://${BUCKET}/stall/inputs.pb`;
      const target = join(scratch, "stalled", "inputs.pb");
      for (const [what, op] of [
        ["read", () => slow.read(uri)],
        ["download", () => slow.download(uri, target)],
      ] as const) {
        const began = Date.now();
        // A hang shows as "still pending", not as the test's own timeout.
        const outcome = await Promise.race([op().then(() => "resolved", (x: unknown) => x), new Promise((r) => setTimeout(() => r("still pending after 15 s"), 15_000))]);
        expect(outcome, what).toBeInstanceOf(StorageError);
        expect((outcome as Error).message).toContain(uri);
        expect((outcome as Error).message).toMatch(/no data came for 1000 ms/);
        console.log(`stalled ${what} failed after ${Date.now() - began} ms: ${(outcome as Error).message}`);
      }
      // Nothing half-written is left where the file was to be.
      expect(readdirSync(join(scratch, "stalled"))).toEqual([]);
    } finally {
      for (const s of sockets) s.destroy();
      stalling.close();
    }
  }, 60_000);

  it("a large write() to a slow server that keeps taking bytes is not cut by the idle timeout", async () => {
    // The server takes 8 MiB a second; each write lasts more than twice the 2.5 s bound on idleness.
    // (Bytes the OS has taken count as sent: what it buffers, a few MiB on loopback, drains well within the bound.)
    const rate = 8 * 1024 * 1024;
    const proxy = await startProxy(portOf(gcs.endpoint), { up: (chunk) => new Promise((r) => setTimeout(r, (chunk.length / rate) * 1000)) });
    try {
      const endpoint = `127.0.0.1:${proxy.port}`;
      for (const [what, options, size] of [
        ["one request", { resumableThresholdBytes: 64 * 1024 * 1024 }, 32 * 1024 * 1024],
        ["a resumable session (past resumableThresholdBytes)", {}, 32 * 1024 * 1024],
      ] as const) {
        const slow = gcsStorage({ endpoint, idleTimeoutMs: 2_500, retries: 0, ...options });
        const bytes = randomBytes(size);
        const uri = `gs://${BUCKET}/slow/${size}.bin`;
        const began = Date.now();
        await slow.write(uri, bytes);
        console.log(`slow write of ${size / 1024 / 1024} MiB in ${what}: ${Date.now() - began} ms`);
        expect(Buffer.compare(Buffer.from(await store.read(uri)), bytes), what).toBe(0);
      }
    } finally {
      proxy.close();
    }
  }, 60_000);

  it("a download cut part way, its object replaced before the retry, never gives a mixed file", async () => {
    const size = 4 * 1024 * 1024;
    const uri = `gs://${BUCKET}/replaced/object.bin`;
    const before = randomBytes(size);
    const after = randomBytes(size); // same size: only the generation tells them apart
    await store.write(uri, before);
    // The first media answer is cut after 1 MiB, once the object has been replaced.
    const media = new WeakSet<Socket>();
    const sent = new WeakMap<Socket, number>();
    let cut = false;
    const proxy = await startProxy(portOf(gcs.endpoint), {
      up: (chunk, r) => void (chunk.toString("latin1").includes("alt=media") && media.add(r.client)),
      down: async (chunk, r) => {
        if (cut || !media.has(r.client)) return;
        const total = (sent.get(r.client) ?? 0) + chunk.length;
        sent.set(r.client, total);
        if (total < 1024 * 1024) return;
        cut = true;
        await store.write(uri, after);
        r.client.destroy();
        r.server.destroy();
      },
    });
    try {
      const through = gcsStorage({ endpoint: `127.0.0.1:${proxy.port}`, retries: 2, idleTimeoutMs: 3_000 });
      const target = join(scratch, "replaced", "object.bin");
      const e = await through.download(uri, target).catch((x: unknown) => x);
      expect(cut, "the first answer was cut").toBe(true);
      console.log(`download across a replacement: ${e instanceof Error ? e.message : "whole"}`);
      if (!(e instanceof StorageError)) {
        // Had it resumed on the new object, the file would be 1 MiB of one and 3 MiB of the other.
        const got = readFileSync(target);
        expect(Buffer.compare(got, before) === 0 || Buffer.compare(got, after) === 0, "the file is one object whole").toBe(true);
      } else {
        expect(e.message).toContain(uri);
        expect(e.message).toMatch(/changed while it was downloaded/);
        expect(readdirSync(join(scratch, "replaced")), "nothing half-written is left").toEqual([]);
      }
    } finally {
      proxy.close();
    }
  }, 60_000);

  it("a server stopped mid-upload is a StorageError naming the uri, in bounded time", async () => {
    const doomed = await startFakeGcs([BUCKET]);
    const size = 64 * 1024 * 1024;
    const local = join(scratch, "doomed.bin");
    writeFileSync(local, Buffer.alloc(size, 7));
    const uri = `gs://${BUCKET}/doomed/doomed.bin`;
    // The server is stopped once 4 MiB of the upload have reached it, and nothing more is forwarded
    // meanwhile: bytes were in flight, and not all of them, however fast or loaded the machine.
    let forwarded = 0;
    let stopped: Promise<void> | undefined;
    const proxy = await startProxy(portOf(doomed.endpoint), {
      up: async (chunk) => {
        if (stopped === undefined && forwarded + chunk.length >= 4 * 1024 * 1024) stopped = doomed.stop();
        if (stopped !== undefined) return stopped;
        forwarded += chunk.length;
      },
    });
    try {
      const started = Date.now();
      const e = await gcsStorage({ endpoint: `127.0.0.1:${proxy.port}`, retries: 1, idleTimeoutMs: 2_000 }).upload(local, uri).catch((x: unknown) => x);
      expect(stopped, "the server was stopped during the upload").toBeDefined();
      expect(forwarded).toBeGreaterThan(0);
      expect(forwarded).toBeLessThan(size);
      expect(e).toBeInstanceOf(StorageError);
      expect((e as Error).message).toContain(uri);
      console.log(`stopped after ${forwarded} of ${size} bytes; failed after ${Date.now() - started} ms: ${(e as Error).message}`);
      expect(Date.now() - started).toBeLessThan(30_000);
    } finally {
      proxy.close();
      await doomed.stop();
    }
  }, 60_000);

  it("the built-in store works through the router configured only by STORAGE_EMULATOR_HOST", async () => {
    const saved = process.env.STORAGE_EMULATOR_HOST;
    process.env.STORAGE_EMULATOR_HOST = gcs.endpoint.replace(/^http:\/\//, "");
    try {
      const router = new StorageRouter();
      const uri = `gs://${BUCKET}/router/value.txt`;
      await router.write(uri, new TextEncoder().encode("through the router"));
      expect(new TextDecoder().decode(await store.read(uri))).toBe("through the router");
      expect(await router.exists(uri)).toBe(true);
      // And from an explicit environment, without process.env.
      delete process.env.STORAGE_EMULATOR_HOST;
      const fromEnv = gcsStorageFromEnv({ STORAGE_EMULATOR_HOST: gcs.endpoint });
      expect(new TextDecoder().decode(await fromEnv.read(uri))).toBe("through the router");
    } finally {
      if (saved === undefined) delete process.env.STORAGE_EMULATOR_HOST;
      else process.env.STORAGE_EMULATOR_HOST = saved;
    }
  });
});
