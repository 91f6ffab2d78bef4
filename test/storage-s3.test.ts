// The S3 store against a real MinIO on 127.0.0.1: objects, files and directories both ways, a
// 256 MiB file through multipart with memory that does not follow its size, a missing object and a
// denied request as StorageErrors naming the uri, anonymous reads of a public bucket, and the
// built-in store reached through the router configured by flytekit's FLYTE_AWS_* variables alone.
import { GetObjectCommand, HeadObjectCommand, PutBucketPolicyCommand, PutObjectCommand } from "@aws-sdk/client-s3";
import { s3OptionsFromEnv, s3Storage, StorageError, type Storage } from "@flytekit-ts/core/extend";
import { createHash, randomBytes } from "node:crypto";
import { createReadStream, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import { open } from "node:fs/promises";
import { connect, createServer, type Socket } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { REPO_ROOT, runProcess } from "./support/execute.js";
import { ISOLATED_AWS_ENV, startMinio, type Minio } from "./support/minio.js";

let minio: Minio;
let store: Storage;
let scratch: string;

beforeAll(async () => {
  minio = await startMinio(["data", "public"]);
  store = s3Storage({ endpoint: minio.endpoint, credentials: { accessKeyId: minio.accessKeyId, secretAccessKey: minio.secretAccessKey } });
  scratch = mkdtempSync(join(tmpdir(), "flytekit-ts-s3-"));
}, 600_000);

afterAll(async () => {
  await minio?.stop();
  if (scratch) rmSync(scratch, { recursive: true, force: true });
});

async function objectText(key: string, bucket = "data"): Promise<string> {
  const r = await minio.client.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
  return r.Body!.transformToString();
}

/** The files under a directory, relative, with their contents. */
function tree(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string, rel: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      if (e.isDirectory()) walk(join(d, e.name), `${rel}${e.name}/`);
      else out[rel + e.name] = readFileSync(join(d, e.name), "utf8");
    }
  };
  walk(dir, "");
  return out;
}

function sha256(path: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const h = createHash("sha256");
    createReadStream(path).on("data", (d) => h.update(d)).on("error", reject).on("end", () => resolve(h.digest("hex")));
  });
}

describe("the S3 store on MinIO", () => {
  it("writes, reads and tells what exists", async () => {
    const bytes = new TextEncoder().encode("héllo s3 ✓");
    await store.write("s3://data/objects/a.bin", bytes);
    expect(await objectText("objects/a.bin")).toBe("héllo s3 ✓");
    expect(await store.read("s3://data/objects/a.bin")).toEqual(bytes);
    await store.write("s3://data/objects/empty", new Uint8Array());
    expect(await store.read("s3://data/objects/empty")).toEqual(new Uint8Array());
    expect(await store.exists("s3://data/objects/a.bin")).toBe(true);
    expect(await store.exists("s3://data/objects")).toBe(true);
    expect(await store.exists("s3://data/objects/")).toBe(true);
    expect(await store.exists("s3://data/objects/nothing")).toBe(false);
    expect(await store.exists("s3://data/obj")).toBe(false);
  });

  it("uploads and downloads a file", async () => {
    const local = join(scratch, "file.txt");
    writeFileSync(local, "a file's contents\n");
    await store.upload(local, "s3://data/files/file.txt");
    expect(await objectText("files/file.txt")).toBe("a file's contents\n");
    const back = join(scratch, "back", "deep", "file.txt");
    await store.download("s3://data/files/file.txt", back);
    expect(readFileSync(back, "utf8")).toBe("a file's contents\n");
    expect(readdirSync(join(scratch, "back", "deep"))).toEqual(["file.txt"]);
  });

  it("uploads and downloads a nested directory", async () => {
    const dir = join(scratch, "dir");
    const files: Record<string, string> = { "top.txt": "top", "a/one.txt": "one", "a/b/two.txt": "two", "a/b/c/three.txt": "three", "empty.txt": "" };
    for (let i = 0; i < 20; i++) files[`many/f${i}.txt`] = `file ${i}`;
    for (const [rel, text] of Object.entries(files)) {
      mkdirSync(join(dir, rel, ".."), { recursive: true });
      writeFileSync(join(dir, rel), text);
    }
    await store.upload(dir, "s3://data/dirs/d1");
    expect(await objectText("dirs/d1/a/b/c/three.txt")).toBe("three");
    const back = join(scratch, "dir-back");
    await store.download("s3://data/dirs/d1", back);
    expect(tree(back)).toEqual(files);
    // A trailing slash names the same directory.
    const again = join(scratch, "dir-again");
    await store.download("s3://data/dirs/d1/", again);
    expect(tree(again)).toEqual(files);
  });

  it("keeps empty directories (as folder markers), and downloads into a path written with a trailing slash or dots", async () => {
    const dir = join(scratch, "sparse");
    mkdirSync(join(dir, "nothing", "deeper"), { recursive: true });
    mkdirSync(join(dir, "full"), { recursive: true });
    writeFileSync(join(dir, "full", "f.txt"), "f");
    await store.upload(dir, "s3://data/dirs/sparse");
    const back = join(scratch, "sparse-back");
    await store.download("s3://data/dirs/sparse", `${back}/`);
    expect(tree(back)).toEqual({ "full/f.txt": "f" });
    expect(readdirSync(join(back, "nothing"))).toEqual(["deeper"]);
    expect(readdirSync(join(back, "nothing", "deeper"))).toEqual([]);

    // A directory with nothing in it reads back as one, and a prefix with nothing under it is still an error.
    const empty = join(scratch, "empty-dir");
    mkdirSync(empty);
    await store.upload(empty, "s3://data/dirs/empty");
    const emptyBack = join(scratch, "x", "..", "empty-back");
    await store.download("s3://data/dirs/empty", emptyBack);
    expect(readdirSync(join(scratch, "empty-back"))).toEqual([]);
    await expect(store.download("s3://data/dirs/never-written", join(scratch, "never"))).rejects.toThrow("s3://data/dirs/never-written: could not download it: no object is there, and no object is under it");

  });

  it("moves a 256 MiB file through multipart both ways, byte for byte, with memory that does not follow its size", async () => {
    const big = join(scratch, "big.bin");
    const size = 256 * 1024 * 1024;
    // Written in 1 MiB random blocks, so a part misplaced or repeated changes the hash.
    const handle = await open(big, "w");
    for (let at = 0; at < size; at += 1024 * 1024) await handle.write(randomBytes(1024 * 1024));
    await handle.close();
    const hash = await sha256(big);
    global.gc?.();
    const before = process.memoryUsage().rss;
    let peak = before;
    const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 20);
    try {
      await store.upload(big, "s3://data/big/big.bin");
      const head = await minio.client.send(new HeadObjectCommand({ Bucket: "data", Key: "big/big.bin" }));
      // A multipart object's ETag ends in -<parts>.
      expect(head.ETag).toMatch(/-\d+"$/);
      expect(head.ContentLength).toBe(size);
      const back = join(scratch, "big-back.bin");
      await store.download("s3://data/big/big.bin", back);
      expect(statSync(back).size).toBe(size);
      expect(await sha256(back)).toBe(hash);
      rmSync(back);
    } finally {
      clearInterval(sampler);
      rmSync(big, { force: true });
    }
    const growth = peak - before;
    console.log(`[s3 test] 256 MiB up and down: RSS grew by ${(growth / 1024 / 1024).toFixed(0)} MiB`);
    // Parts of 8 MiB, 4 in flight: tens of MiB. A store that held the file would grow by 256 MiB or more.
    expect(growth, `RSS grew by ${(growth / 1024 / 1024).toFixed(0)} MiB`).toBeLessThan(160 * 1024 * 1024);
  }, 300_000);

  it("a missing object is a StorageError naming the uri and saying nothing is there", async () => {
    const e = await store.read("s3://data/missing/nothing.pb").catch((x: unknown) => x);
    expect(e).toBeInstanceOf(StorageError);
    expect((e as Error).message).toContain("s3://data/missing/nothing.pb");
    expect((e as Error).message).toContain("no object is there");
    expect((e as Error).message).toContain("NoSuchKey");
    const d = await store.download("s3://data/missing/nothing.pb", join(scratch, "nothing")).catch((x: unknown) => x);
    expect(d).toBeInstanceOf(StorageError);
    expect((d as Error).message).toContain("s3://data/missing/nothing.pb");
    expect((d as Error).message).toMatch(/no object is there/);
    const b = await store.read("s3://no-such-bucket/x").catch((x: unknown) => x);
    expect((b as Error).message).toContain("NoSuchBucket");
  });

  it("a wrong secret is a StorageError naming the uri and saying the request was denied", async () => {
    const wrong = s3Storage({ endpoint: minio.endpoint, credentials: { accessKeyId: minio.accessKeyId, secretAccessKey: "not-the-secret" } });
    for (const attempt of [() => wrong.read("s3://data/objects/a.bin"), () => wrong.write("s3://data/objects/w", new Uint8Array([1])), () => wrong.exists("s3://data/objects/a.bin")]) {
      const e = await attempt().catch((x: unknown) => x);
      expect(e).toBeInstanceOf(StorageError);
      expect((e as Error).message).toContain("s3://data/objects/");
      expect((e as Error).message).toContain("the request was denied");
      expect((e as Error).message).toContain("SignatureDoesNotMatch");
    }
    const e = await wrong.read("s3://data/objects/a.bin").catch((x: unknown) => x);
    expect((e as Error).message).toContain("SignatureDoesNotMatch");
    const unknown = s3Storage({ endpoint: minio.endpoint, credentials: { accessKeyId: "nobody", secretAccessKey: "nothing" } });
    const u = await unknown.read("s3://data/objects/a.bin").catch((x: unknown) => x);
    expect((u as Error).message).toMatch(/denied.*InvalidAccessKeyId/);
  });

  it("reads a public bucket unsigned, and falls back to unsigned reads when no credentials can be found", async () => {
    await minio.client.send(new PutObjectCommand({ Bucket: "public", Key: "open.txt", Body: "for anyone" }));
    const policy = { Version: "2012-10-17", Statement: [{ Effect: "Allow", Principal: { AWS: ["*"] }, Action: ["s3:GetObject", "s3:ListBucket"], Resource: ["arn:aws:s3:::public", "arn:aws:s3:::public/*"] }] };
    await minio.client.send(new PutBucketPolicyCommand({ Bucket: "public", Policy: JSON.stringify(policy) }));
    const anonymous = s3Storage({ endpoint: minio.endpoint, anonymous: true });
    expect(new TextDecoder().decode(await anonymous.read("s3://public/open.txt"))).toBe("for anyone");
    // Unsigned requests to a private bucket are denied.
    const denied = await anonymous.read("s3://data/objects/a.bin").catch((x: unknown) => x);
    expect((denied as Error).message).toContain("the request was denied");

    // No credentials anywhere (the chain finds none: no env keys, no profiles, no metadata service).
    const saved = { ...process.env };
    for (const k of ["AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_PROFILE", "AWS_ROLE_ARN", "AWS_WEB_IDENTITY_TOKEN_FILE", "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI", "AWS_CONTAINER_CREDENTIALS_FULL_URI"]) delete process.env[k];
    Object.assign(process.env, ISOLATED_AWS_ENV);
    try {
      const none = s3Storage({ endpoint: minio.endpoint });
      expect(new TextDecoder().decode(await none.read("s3://public/open.txt"))).toBe("for anyone");
      const w = await none.write("s3://public/x", new Uint8Array([1])).catch((x: unknown) => x);
      expect(w).toBeInstanceOf(StorageError);
      expect((w as Error).message).toContain("no AWS credentials were found");
    } finally {
      for (const k of Object.keys(process.env)) if (!(k in saved)) delete process.env[k];
      Object.assign(process.env, saved);
    }
  });

  it("reads flytekit's variables", () => {
    expect(s3OptionsFromEnv({ FLYTE_AWS_ENDPOINT: "http://h:9000", FLYTE_AWS_ACCESS_KEY_ID: "k", FLYTE_AWS_SECRET_ACCESS_KEY: "s", FLYTE_AWS_RETRIES: "5", FLYTE_AWS_BACKOFF_SECONDS: "2", AWS_DEFAULT_REGION: "eu-west-1" })).toEqual({
      endpoint: "http://h:9000",
      credentials: { accessKeyId: "k", secretAccessKey: "s" },
      retries: 5,
      maxBackoffMs: 2000,
      region: "eu-west-1",
    });
    expect(s3OptionsFromEnv({})).toEqual({ region: "us-east-1" });
    expect(() => s3OptionsFromEnv({ FLYTE_AWS_RETRIES: "many" })).toThrow(/FLYTE_AWS_RETRIES: expected a whole number of at least 0, got "many"/);
    expect(() => s3OptionsFromEnv({ FLYTE_AWS_ACCESS_KEY_ID: "k" })).toThrow(/FLYTE_AWS_SECRET_ACCESS_KEY is not/);
  });

  it("a dead endpoint fails in bounded time, after the configured retries", async () => {
    const dead = s3Storage(s3OptionsFromEnv({ ...ISOLATED_AWS_ENV, FLYTE_AWS_ENDPOINT: "http://127.0.0.1:9", FLYTE_AWS_ACCESS_KEY_ID: "k", FLYTE_AWS_SECRET_ACCESS_KEY: "s", FLYTE_AWS_RETRIES: "2", FLYTE_AWS_BACKOFF_SECONDS: "1" }));
    const e = await dead.read("s3://data/x").catch((x: unknown) => x);
    expect(e).toBeInstanceOf(StorageError);
    expect((e as Error).message).toContain("s3://data/x");
    expect((e as Error).message).toContain("ECONNREFUSED");
    expect((e as { cause?: { $metadata?: { attempts?: number } } }).cause?.$metadata?.attempts).toBe(3);
  });
});

describe("a download cut part way", () => {
  it("goes on from the bytes on disk with a ranged GET pinned to the object's ETag, and ends byte for byte", async () => {
    const data = randomBytes(12 * 1024 * 1024);
    await minio.client.send(new PutObjectCommand({ Bucket: "data", Key: "cut/big.bin", Body: data }));
    // A proxy in front of MinIO that drops the first connection once 4 MiB of answers went through it.
    const CUT = 4 * 1024 * 1024;
    let cuts = 0;
    const sent: string[] = [];
    const upstreamPort = Number(new URL(minio.endpoint).port);
    const proxy = createServer((client) => {
      const upstream = connect(upstreamPort, "127.0.0.1");
      let down = 0;
      client.on("data", (d: Buffer) => {
        sent.push(d.toString("latin1"));
        upstream.write(d);
      });
      upstream.on("data", (d: Buffer) => {
        if (cuts === 0 && down + d.length > CUT) {
          cuts++;
          client.end(d.subarray(0, CUT - down));
          client.destroy();
          upstream.destroy();
          return;
        }
        down += d.length;
        client.write(d);
      });
      client.on("error", () => upstream.destroy());
      upstream.on("error", () => client.destroy());
      client.on("close", () => upstream.destroy());
    });
    await new Promise<void>((r) => proxy.listen(0, "127.0.0.1", r));
    try {
      const port = (proxy.address() as { port: number }).port;
      const through = s3Storage({ endpoint: `http://127.0.0.1:${port}`, credentials: { accessKeyId: minio.accessKeyId, secretAccessKey: minio.secretAccessKey }, retries: 2, maxBackoffMs: 100 });
      const target = join(scratch, "cut", "big.bin");
      await through.download("s3://data/cut/big.bin", target);
      expect(cuts).toBe(1);
      expect(createHash("sha256").update(readFileSync(target)).digest("hex")).toBe(createHash("sha256").update(data).digest("hex"));
      const requests = sent.join("");
      expect(requests).toMatch(/\r\nrange: bytes=[1-9]\d*-\r\n/i);
      expect(requests).toMatch(/\r\nif-match: "?[0-9a-f]{32}"?\r\n/i);
      expect(readdirSync(join(scratch, "cut"))).toEqual(["big.bin"]);
    } finally {
      proxy.close();
    }
  });
});

describe("a server that accepts and never answers", () => {
  it("fails the request once its timeout passes, after the configured retries, with the uri named", async () => {
    const sockets: Socket[] = [];
    const silent = createServer((socket) => sockets.push(socket));
    await new Promise<void>((r) => silent.listen(0, "127.0.0.1", r));
    const port = (silent.address() as { port: number }).port;
    try {
      const slow = s3Storage({ endpoint: `http://127.0.0.1:${port}`, credentials: { accessKeyId: "k", secretAccessKey: "s" }, idleTimeoutMs: 300, retries: 1, maxBackoffMs: 100 });
      const e = await slow.read("s3://data/slow.pb").catch((x: unknown) => x);
      expect(e).toBeInstanceOf(StorageError);
      expect((e as Error).message).toBe("s3://data/slow.pb: could not read it: the server sent nothing for 300 ms, the idle timeout (idleTimeoutMs; FLYTEKIT_TS_S3_IDLE_TIMEOUT_MS) (after 2 tries)");
      expect((e as { cause?: { $metadata?: { attempts?: number } } }).cause?.$metadata?.attempts).toBe(2);
      // Both tries reached the server.
      expect(sockets.length).toBeGreaterThanOrEqual(2);
    } finally {
      for (const s of sockets) s.destroy();
      silent.close();
    }
  });
});

describe("the built-in s3 store, loaded on first use", () => {
  it("serves s3:// URIs through the router, configured by FLYTE_AWS_* alone", async () => {
    // A process of its own, so that the process-wide registration starts empty and only the env configures it.
    const script = `
      import { defaultStorage } from "@flytekit-ts/core/extend";
      await defaultStorage.write("s3://data/router/hello.txt", new TextEncoder().encode("via the router"));
      const back = new TextDecoder().decode(await defaultStorage.read("s3://data/router/hello.txt"));
      console.log(JSON.stringify({ back, exists: await defaultStorage.exists("s3://data/router/hello.txt") }));
    `;
    const env = { PATH: process.env.PATH ?? "", HOME: scratch, ...minio.env };
    const r = await runProcess(process.execPath, ["--input-type=module", "-e", script], { cwd: REPO_ROOT, env });
    expect(r.stderr).toBe("");
    expect(JSON.parse(r.stdout)).toEqual({ back: "via the router", exists: true });
    expect(await objectText("router/hello.txt")).toBe("via the router");
  });
});
