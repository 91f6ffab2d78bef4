// The Azure store (abfs://, abfss://) against a real Azurite on 127.0.0.1: objects, files and
// directories, a large file streamed both ways in bounded memory, the errors a user sees, both URI
// forms flytekit writes, anonymous reads of a public container, a dead server failing in bounded
// time, the built-in store configured by the environment alone, and (from the built bundle)
// @azure/identity loading only when no key is configured.
import { createHash, randomBytes } from "node:crypto";
import { createReadStream, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync, openSync, writeSync, closeSync } from "node:fs";
import { createServer as createHttpServer, request as httpRequest } from "node:http";
import { createServer, type Server, type Socket } from "node:net";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { Transform } from "node:stream";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { StorageError } from "@flytekit-ts/core";
import { azureStorage, StorageConfigError, StorageRouter } from "@flytekit-ts/core/extend";
import { AzureBlobStorage, azureStorageFromEnv } from "../packages/core/src/storage/azure.js";
import { AZURITE_ACCOUNT, azuriteConnectionString, startAzurite, type RunningAzurite } from "./support/azurite.js";
import { cleanEnv, REPO_ROOT, runProcess, TEST_ROOT } from "./support/execute.js";

const CONTAINER = "flyte-data";
const PUBLIC = "public-data";
let azurite: RunningAzurite;
let store: AzureBlobStorage;
let scratch: string;

beforeAll(async () => {
  azurite = await startAzurite({ containers: [CONTAINER], publicContainers: [PUBLIC] });
  store = new AzureBlobStorage({ connectionString: azurite.connectionString });
  scratch = mkdtempSync(join(tmpdir(), "flytekit-ts-azure-test-"));
}, 300_000);

afterAll(async () => {
  await azurite?.stop();
  if (scratch !== undefined) rmSync(scratch, { recursive: true, force: true });
});

/** The files under a directory, relative, with their contents. */
function tree(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.isDirectory()) walk(p);
      else out[relative(dir, p)] = readFileSync(p, "utf8");
    }
  };
  walk(dir);
  return out;
}

async function blobText(container: string, key: string): Promise<string> {
  return (await azurite.client.getContainerClient(container).getBlobClient(key).downloadToBuffer()).toString();
}

async function rejection(p: Promise<unknown>): Promise<StorageError> {
  const e = await p.then(
    () => undefined,
    (error: unknown) => error,
  );
  expect(e).toBeInstanceOf(StorageError);
  return e as StorageError;
}

describe("the Azure store on Azurite", () => {
  it("writes, reads and finds objects; a prefix with objects under it exists", async () => {
    const uri = `abfs://${CONTAINER}/run-1/inputs.pb`;
    expect(await store.exists(uri)).toBe(false);
    await store.write(uri, new TextEncoder().encode("inputs"));
    expect(new TextDecoder().decode(await store.read(uri))).toBe("inputs");
    expect(await blobText(CONTAINER, "run-1/inputs.pb")).toBe("inputs");
    expect(await store.exists(uri)).toBe(true);
    expect(await store.exists(`abfs://${CONTAINER}/run-1`)).toBe(true);
    expect(await store.exists(`abfs://${CONTAINER}/run-2`)).toBe(false);
    // A write replaces the object whole.
    await store.write(uri, new TextEncoder().encode("again"));
    expect(new TextDecoder().decode(await store.read(uri))).toBe("again");
  });

  it("takes both URI forms flytekit writes, abfs:// and abfss://, for the same object", async () => {
    const hosted = `abfs://${CONTAINER}@${AZURITE_ACCOUNT}.dfs.core.windows.net/forms/a.txt`;
    await store.write(hosted, new TextEncoder().encode("hosted form"));
    expect(await blobText(CONTAINER, "forms/a.txt")).toBe("hosted form");
    expect(new TextDecoder().decode(await store.read(`abfss://${CONTAINER}/forms/a.txt`))).toBe("hosted form");
    expect(new TextDecoder().decode(await store.read(`abfss://${CONTAINER}@${AZURITE_ACCOUNT}.blob.core.windows.net/forms/a.txt`))).toBe("hosted form");
    // A download of a directory named in the hosted form lands the same files.
    const dir = join(scratch, "forms");
    await store.download(`abfs://${CONTAINER}@${AZURITE_ACCOUNT}.dfs.core.windows.net/forms`, dir);
    expect(tree(dir)).toEqual({ "a.txt": "hosted form" });
  });

  it("keys with #, ?, spaces and unicode are written, read, uploaded and downloaded under exactly that name", async () => {
    const names = ["report#1.csv", "what?.txt", "two words.txt", "größe ✓.txt", "a?b#c d.txt"];
    for (const name of names) {
      const uri = `abfs://${CONTAINER}/odd/${name}`;
      await store.write(uri, new TextEncoder().encode(`bytes of ${name}`));
      // The blob is named as the URI says: what flytekit (fsspec) reads back.
      expect(await blobText(CONTAINER, `odd/${name}`)).toBe(`bytes of ${name}`);
      expect(new TextDecoder().decode(await store.read(uri))).toBe(`bytes of ${name}`);
      expect(await store.exists(uri)).toBe(true);
    }
    const listed: string[] = [];
    for await (const blob of azurite.client.getContainerClient(CONTAINER).listBlobsFlat({ prefix: "odd/" })) listed.push(blob.name);
    expect(listed.sort()).toEqual(names.map((n) => `odd/${n}`).sort());

    const dir = join(scratch, "odd-up");
    mkdirSync(dir, { recursive: true });
    for (const name of names) writeFileSync(join(dir, name), `file ${name}`);
    await store.upload(join(dir, "report#1.csv"), `abfs://${CONTAINER}/odd-file/report#1.csv`);
    expect(await blobText(CONTAINER, "odd-file/report#1.csv")).toBe("file report#1.csv");
    await store.download(`abfs://${CONTAINER}/odd-file/report#1.csv`, join(scratch, "odd-file-back", "report#1.csv"));
    expect(readFileSync(join(scratch, "odd-file-back", "report#1.csv"), "utf8")).toBe("file report#1.csv");
    await store.upload(dir, `abfs://${CONTAINER}/odd-dir`);
    const back = join(scratch, "odd-back");
    await store.download(`abfs://${CONTAINER}/odd-dir`, back);
    expect(tree(back)).toEqual(Object.fromEntries(names.map((n) => [n, `file ${n}`])));
  });

  it("uploads and downloads a file and a nested directory", async () => {
    const file = join(scratch, "one.txt");
    writeFileSync(file, "one file");
    await store.upload(file, `abfs://${CONTAINER}/files/one.txt`);
    const back = join(scratch, "back", "one.txt");
    await store.download(`abfs://${CONTAINER}/files/one.txt`, back);
    expect(readFileSync(back, "utf8")).toBe("one file");

    const dir = join(scratch, "nested");
    mkdirSync(join(dir, "a", "b"), { recursive: true });
    writeFileSync(join(dir, "top.txt"), "top");
    writeFileSync(join(dir, "a", "mid.txt"), "mid");
    writeFileSync(join(dir, "a", "b", "deep.txt"), "deep");
    writeFileSync(join(dir, "a", "b", "empty"), "");
    await store.upload(dir, `abfs://${CONTAINER}/dirs/nested`);
    expect(await blobText(CONTAINER, "dirs/nested/a/b/deep.txt")).toBe("deep");
    const out = join(scratch, "nested-back");
    await store.download(`abfs://${CONTAINER}/dirs/nested`, out);
    expect(tree(out)).toEqual({ "top.txt": "top", [join("a", "mid.txt")]: "mid", [join("a", "b", "deep.txt")]: "deep", [join("a", "b", "empty")]: "" });
    // Nothing half-written is left beside what was downloaded.
    expect(readdirSync(join(out, "a", "b")).sort()).toEqual(["deep.txt", "empty"]);
  });

  it("streams a 128 MiB file up and down with identical bytes, in memory that does not grow with it", async () => {
    const size = 128 * 1024 * 1024;
    const big = join(scratch, "big.bin");
    const hash = createHash("sha256");
    const fd = openSync(big, "w");
    for (let written = 0; written < size; ) {
      const chunk = randomBytes(1024 * 1024);
      writeSync(fd, chunk);
      hash.update(chunk);
      written += chunk.length;
    }
    closeSync(fd);
    const expected = hash.digest("hex");

    const base = process.memoryUsage().rss;
    let peak = base;
    const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 20);
    try {
      await store.upload(big, `abfs://${CONTAINER}/big/big.bin`);
      rmSync(big);
      await store.download(`abfs://${CONTAINER}/big/big.bin`, big);
    } finally {
      clearInterval(sampler);
    }
    expect(statSync(big).size).toBe(size);
    const back = createHash("sha256");
    for await (const chunk of createReadStream(big)) back.update(chunk as Buffer);
    expect(back.digest("hex")).toBe(expected);
    // Blocks of 8 MiB, 4 in flight: far less than the file. A copy held whole would add 128 MiB or more.
    expect(peak - base, `RSS grew by ${((peak - base) / 2 ** 20).toFixed(0)} MiB`).toBeLessThan(96 * 1024 * 1024);
    const properties = await azurite.client.getContainerClient(CONTAINER).getBlobClient("big/big.bin").getProperties();
    expect(properties.contentLength).toBe(size);
    rmSync(big);
  }, 240_000);

  it("a missing blob, container or directory is a StorageError naming the uri and saying it is missing", async () => {
    const blob = `abfs://${CONTAINER}/no/such.pb`;
    const read = await rejection(store.read(blob));
    expect(read.message).toContain(blob);
    expect(read.message).toContain("no object is there");
    expect(read.message).toContain("BlobNotFound");

    const container = "abfs://no-such-container/x.pb";
    const fromContainer = await rejection(store.read(container));
    expect(fromContainer.message).toContain(container);
    expect(fromContainer.message).toContain("ContainerNotFound");

    const dir = `abfs://${CONTAINER}/no/such/dir`;
    const download = await rejection(store.download(dir, join(scratch, "nothing")));
    expect(download.message).toContain(dir);
    expect(download.message).toContain("no object is there");
  });

  it("a request with the wrong key is a StorageError naming the uri and saying it was denied", async () => {
    const wrong = new AzureBlobStorage({ connectionString: azuriteConnectionString(azurite.blobEndpoint, Buffer.from("not the key").toString("base64")), retries: 0 });
    const uri = `abfs://${CONTAINER}/run-1/inputs.pb`;
    for (const attempt of [() => wrong.read(uri), () => wrong.write(uri, new Uint8Array([1])), () => wrong.exists(uri)]) {
      const e = await rejection(attempt());
      expect(e.message).toContain(uri);
      expect(e.message).toContain("the request was denied");
      expect(e.message).toMatch(/AuthenticationFailed|AuthorizationFailure|403/);
    }
    // Nothing was written by the denied request.
    expect(await blobText(CONTAINER, "run-1/inputs.pb")).toBe("again");
  });

  it("reads a public container anonymously", async () => {
    await azurite.client.getContainerClient(PUBLIC).getBlockBlobClient("open.txt").upload("for anyone", 10);
    const anonymous = new AzureBlobStorage({ blobEndpoint: azurite.blobEndpoint, anonymous: true });
    expect(new TextDecoder().decode(await anonymous.read(`abfs://${PUBLIC}/open.txt`))).toBe("for anyone");
    expect(await anonymous.exists(`abfs://${PUBLIC}/open.txt`)).toBe(true);
  });

  it("a server that accepts but never answers fails in bounded time, as a StorageError", async () => {
    const sockets: Socket[] = [];
    const silent: Server = createServer((s) => sockets.push(s));
    await new Promise<void>((r) => silent.listen(0, "127.0.0.1", r));
    const port = (silent.address() as { port: number }).port;
    try {
      const stuck = new AzureBlobStorage({ connectionString: azuriteConnectionString(`http://127.0.0.1:${port}/${AZURITE_ACCOUNT}`), idleTimeoutMs: 300, retries: 1, retryDelayMs: 10 });
      const uri = `abfs://${CONTAINER}/x.pb`;
      const e = await rejection(stuck.read(uri));
      expect(e.message).toContain(uri);
      expect(e.message).toContain("no byte moved for 300 ms, 2 tries");
      // Both tries reached the server.
      expect(sockets.length).toBeGreaterThanOrEqual(2);
      // A write whose body the server never takes, or takes and never answers, fails the same way.
      for (const size of [3 * 1024 * 1024, 10]) {
        const w = await rejection(stuck.write(uri, new Uint8Array(size)));
        expect(w.message).toContain(uri);
        expect(w.message).toContain("no byte moved for 300 ms, 2 tries");
      }
    } finally {
      for (const s of sockets) s.destroy();
      await new Promise((r) => silent.close(r));
    }
  });

  it("a large write to a slow but moving server is never cut: the bound is on silence, not on the whole transfer", async () => {
    // A proxy in front of Azurite that takes request bodies at about 4 MiB/s. (A client sees its bytes
    // move as its socket takes them, and loopback's buffers hold several MiB: hence 24 MiB.)
    const upstream = new URL(azurite.blobEndpoint);
    const bodies: number[] = [];
    const slow = createHttpServer((request, response) => {
      let size = 0;
      const throttle = new Transform({
        transform(chunk: Buffer, _encoding, done) {
          size += chunk.length;
          setTimeout(() => done(null, chunk), chunk.length / 4096);
        },
        flush(done) {
          bodies.push(size);
          done();
        },
      });
      const forward = httpRequest({ host: upstream.hostname, port: upstream.port, method: request.method, path: request.url, headers: request.headers }, (answer) => {
        response.writeHead(answer.statusCode ?? 500, answer.headers);
        answer.pipe(response);
      });
      // A client that gives up cuts both sides; that is no failure of the proxy.
      forward.on("error", () => response.destroy());
      request.on("error", () => forward.destroy());
      request.pipe(throttle).pipe(forward);
    });
    await new Promise<void>((r) => slow.listen(0, "127.0.0.1", r));
    const port = (slow.address() as { port: number }).port;
    try {
      const connectionString = azuriteConnectionString(`http://127.0.0.1:${port}/${AZURITE_ACCOUNT}`);
      const MiB = 1024 * 1024;
      const bytes = randomBytes(24 * MiB);
      // One request of 24 MiB (under one block), about 6 s, with 3 s allowed for silence and no retry.
      const single = new AzureBlobStorage({ connectionString, idleTimeoutMs: 3_000, retries: 0, partSize: 32 * MiB });
      await single.write(`abfs://${CONTAINER}/slow/single.bin`, bytes);
      expect(bodies).toEqual([bytes.length]);
      // Above one block, the write goes in blocks (committed at the end), each as slow as the whole was.
      bodies.length = 0;
      const blocks = new AzureBlobStorage({ connectionString, idleTimeoutMs: 3_000, retries: 0, queueSize: 1 });
      await blocks.write(`abfs://${CONTAINER}/slow/blocks.bin`, bytes);
      expect(bodies.filter((n) => n === 8 * MiB)).toHaveLength(3);
      const container = azurite.client.getContainerClient(CONTAINER);
      for (const key of ["slow/single.bin", "slow/blocks.bin"]) expect((await container.getBlobClient(key).downloadToBuffer()).equals(bytes), key).toBe(true);
      expect((await container.getBlockBlobClient("slow/blocks.bin").getBlockList("committed")).committedBlocks).toHaveLength(3);
    } finally {
      slow.closeAllConnections();
      await new Promise((r) => slow.close(r));
    }
  }, 60_000);

  it("retries throttling (429) and gateways' 502 and 504 with backoff, then succeeds", async () => {
    // A proxy in front of Azurite that answers the first requests of each kind with an error.
    const upstream = new URL(azurite.blobEndpoint);
    const failures = [429, 502, 504, 503];
    const seen: number[] = [];
    const proxy = createHttpServer((request, response) => {
      const status = failures.shift();
      if (status !== undefined) {
        seen.push(status);
        request.resume();
        response.writeHead(status, { "x-ms-error-code": status === 429 ? "TooManyRequests" : "ServerBusy" });
        response.end();
        return;
      }
      const forward = httpRequest({ host: upstream.hostname, port: upstream.port, method: request.method, path: request.url, headers: request.headers }, (answer) => {
        response.writeHead(answer.statusCode ?? 500, answer.headers);
        answer.pipe(response);
      });
      request.pipe(forward);
    });
    await new Promise<void>((r) => proxy.listen(0, "127.0.0.1", r));
    const port = (proxy.address() as { port: number }).port;
    try {
      const throttled = new AzureBlobStorage({ connectionString: azuriteConnectionString(`http://127.0.0.1:${port}/${AZURITE_ACCOUNT}`), retries: 4, retryDelayMs: 10 });
      await throttled.write(`abfs://${CONTAINER}/throttled.txt`, new TextEncoder().encode("got through"));
      expect(seen).toEqual([429, 502, 504, 503]);
      expect(await blobText(CONTAINER, "throttled.txt")).toBe("got through");
      // With fewer tries than failures, the last status is the error.
      failures.push(429, 429);
      const impatient = new AzureBlobStorage({ connectionString: azuriteConnectionString(`http://127.0.0.1:${port}/${AZURITE_ACCOUNT}`), retries: 1, retryDelayMs: 10 });
      const e = await rejection(impatient.read(`abfs://${CONTAINER}/throttled.txt`));
      expect(e.message).toContain("HTTP 429");
    } finally {
      proxy.closeAllConnections();
      await new Promise((r) => proxy.close(r));
    }
  });

  it("a download whose bytes stop coming fails in bounded time, and leaves no file behind", async () => {
    // Answers a blob download's headers and a first few bytes, then nothing more.
    const stalls = createHttpServer((request, response) => {
      if (request.method === "HEAD") {
        response.writeHead(200, { "content-length": "1000000", "x-ms-blob-type": "BlockBlob", etag: '"0x1"', "last-modified": new Date().toUTCString() });
        response.end();
        return;
      }
      response.writeHead(200, { "content-length": "1000000", "x-ms-blob-type": "BlockBlob", etag: '"0x1"', "last-modified": new Date().toUTCString() });
      response.write(Buffer.alloc(1000, 1));
    });
    await new Promise<void>((r) => stalls.listen(0, "127.0.0.1", r));
    const port = (stalls.address() as { port: number }).port;
    try {
      const stuck = new AzureBlobStorage({ connectionString: azuriteConnectionString(`http://127.0.0.1:${port}/${AZURITE_ACCOUNT}`), idleTimeoutMs: 300, retries: 0 });
      const uri = `abfs://${CONTAINER}/stalled.bin`;
      const target = join(scratch, "stalled", "stalled.bin");
      const e = await rejection(stuck.download(uri, target));
      expect(e.message).toContain(uri);
      expect(e.message).toContain("the download stalled");
      expect(readdirSync(join(scratch, "stalled"))).toEqual([]);
    } finally {
      stalls.closeAllConnections();
      await new Promise((r) => stalls.close(r));
    }
  });

  it("the built-in abfs:// and abfss:// stores are configured by the environment alone, as adlfs reads it", async () => {
    const fromEnv = azureStorageFromEnv({ AZURE_STORAGE_CONNECTION_STRING: azurite.connectionString });
    expect(new TextDecoder().decode(await fromEnv.read(`abfs://${CONTAINER}/forms/a.txt`))).toBe("hosted form");
    // The router loads the built-in store on the first abfs:// URI, reading process.env.
    const saved = process.env.AZURE_STORAGE_CONNECTION_STRING;
    process.env.AZURE_STORAGE_CONNECTION_STRING = azurite.connectionString;
    try {
      const router = new StorageRouter();
      await router.write(`abfss://${CONTAINER}/router/out.pb`, new TextEncoder().encode("through the router"));
      expect(await blobText(CONTAINER, "router/out.pb")).toBe("through the router");
      expect(await router.exists(`abfs://${CONTAINER}@${AZURITE_ACCOUNT}.dfs.core.windows.net/router/out.pb`)).toBe(true);
    } finally {
      if (saved === undefined) delete process.env.AZURE_STORAGE_CONNECTION_STRING;
      else process.env.AZURE_STORAGE_CONNECTION_STRING = saved;
    }
    // A store of explicit options, registered up front, loads the SDK on its first use.
    const explicit = azureStorage({ connectionString: azurite.connectionString });
    expect(await explicit.exists(`abfs://${CONTAINER}/router/out.pb`)).toBe(true);
  });

  it("a URI without an account, with none configured, is a configuration error naming the uri and saying how to name one", async () => {
    const none = azureStorageFromEnv({});
    for (const attempt of [(u: string) => none.read(u), (u: string) => none.write(u, new Uint8Array(1)), (u: string) => none.exists(u)]) {
      const uri = `abfs://${CONTAINER}/x.pb`;
      const e = await rejection(attempt(uri));
      // Trying again cannot help: the entrypoint classifies this as not recoverable.
      expect(e).toBeInstanceOf(StorageConfigError);
      expect(e.message).toContain(uri);
      expect(e.message).toContain("names no storage account");
      expect(e.message).toContain("FLYTE_AZURE_STORAGE_ACCOUNT_NAME");
    }
  });

  it("configuration mistakes are StorageConfigErrors (not retried by Flyte); a failure at a server is not", async () => {
    const mistakes: [() => unknown, string][] = [
      [() => new AzureBlobStorage({ connectionString: "DefaultEndpointsProtocol=https;AccountKey=a2V5" }), "names neither an account (AccountName=) nor a blob endpoint"],
      [() => azureStorageFromEnv({ AZURE_STORAGE_CONNECTION_STRING: "SharedAccessSignature=sv=1" }), "names neither an account"],
      [() => new AzureBlobStorage({ blobEndpoint: "http://127.0.0.1:1/", accountKey: "a2V5" }), "an account key was given without the account's name"],
      [() => new AzureBlobStorage({ connectionString: azurite.connectionString, retries: -1 }), "retries must be a non-negative number"],
      [() => new AzureBlobStorage({ connectionString: azurite.connectionString, idleTimeoutMs: 0 }), "idleTimeoutMs must be a positive number"],
      [() => azureStorageFromEnv({ FLYTEKIT_TS_AZURE_RETRIES: "many" }), "environment variable FLYTEKIT_TS_AZURE_RETRIES"],
    ];
    for (const [make, says] of mistakes) {
      let error: unknown;
      try {
        make();
      } catch (e) {
        error = e;
      }
      expect(error, says).toBeInstanceOf(StorageConfigError);
      expect(error).toBeInstanceOf(StorageError);
      expect((error as Error).message).toContain(says);
    }
    const e = await rejection(store.read(`abfs://${CONTAINER}/no/such/blob.pb`));
    expect(e).not.toBeInstanceOf(StorageConfigError);
  });
});

describe("the built bundle (npm run build first)", () => {
  /** Runs `script` with the built extend entry, recording every ES module URL the process resolves. */
  async function loadedBy(script: string, env: NodeJS.ProcessEnv): Promise<{ loaded: string[]; stdout: string; stderr: string }> {
    const dir = mkdtempSync(join(tmpdir(), "flytekit-ts-azure-load-"));
    const report = join(dir, "loaded.txt");
    writeFileSync(report, "");
    const hooks = join(dir, "hooks.mjs");
    writeFileSync(hooks, `import { appendFileSync } from "node:fs";\nexport async function resolve(s, c, next) { const r = await next(s, c); appendFileSync(${JSON.stringify(report)}, r.url + "\\n"); return r; }\n`);
    const register = `data:text/javascript,import{register}from"node:module";register(${JSON.stringify(`file://${hooks}`)});`;
    const extend = join(REPO_ROOT, "packages/core/dist/bundle/extend.js");
    const main = join(dir, "main.mjs");
    writeFileSync(main, `import { StorageRouter } from ${JSON.stringify(`file://${extend}`)};\nconst router = new StorageRouter();\n${script}\n`);
    const r = await runProcess(process.execPath, ["--import", register, main], { cwd: TEST_ROOT, env: { ...cleanEnv(), ...env } });
    const loaded = readFileSync(report, "utf8").split("\n").filter((l) => l !== "").map((u) => u.replace(/^.*\/dist\/bundle\//, ""));
    rmSync(dir, { recursive: true, force: true });
    return { loaded, stdout: r.stdout, stderr: r.stderr };
  }

  const identityChunk = (loaded: string[]) => loaded.filter((m) => readFileSync(join(REPO_ROOT, "packages/core/dist/bundle", m.replace(/[?#].*$/, "")), "utf8").includes("node_modules/@azure/identity/"));

  it("loads the azure chunk on the first abfs:// URI, and @azure/identity only when no key, SAS or connection string is configured", async () => {
    const keyed = await loadedBy(`console.log(await router.exists("abfs://${CONTAINER}/run-1/inputs.pb"));`, { AZURE_STORAGE_CONNECTION_STRING: azurite.connectionString });
    expect(keyed.stdout.trim(), keyed.stderr).toBe("true");
    expect(keyed.loaded.some((m) => /^azure\.js$/.test(m)), keyed.loaded.join(" ")).toBe(true);
    expect(identityChunk(keyed.loaded.filter((m) => m.endsWith(".js") && !m.startsWith("node:") && !m.includes("/")))).toEqual([]);

    const local = await loadedBy(`console.log(await router.exists(${JSON.stringify(join(scratch, "nothing-here"))}));`, {});
    expect(local.stdout.trim(), local.stderr).toBe("false");
    expect(local.loaded.some((m) => /^azure\.js$/.test(m))).toBe(false);

    // No key: the identity chain is loaded (restricted here to the environment credential, which has
    // nothing to go on, so no request leaves the machine) and its failure is the error.
    const unkeyed = await loadedBy(
      `try { await router.read("abfs://${CONTAINER}@someaccount.dfs.core.windows.net/x.pb"); } catch (e) { console.log(e.constructor.name + ": " + e.message); }`,
      { AZURE_TOKEN_CREDENTIALS: "EnvironmentCredential" },
    );
    expect(identityChunk(unkeyed.loaded.filter((m) => m.endsWith(".js") && !m.includes("/"))).length, unkeyed.loaded.join(" ")).toBe(1);
    expect(unkeyed.stdout).toContain("StorageError: abfs://flyte-data@someaccount.dfs.core.windows.net/x.pb");
    expect(unkeyed.stdout).toContain("no Azure credential could sign the request");
  }, 60_000);
});
