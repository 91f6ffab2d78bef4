// Storage faults on the container path, through the built flytekit-ts-execute with s3:// URIs on a
// real MinIO: the server killed while a task's large File output is being uploaded, a bucket the
// task's credentials may not use, an inputs object that is not there, and a server that stops
// answering (a stalling proxy in front of MinIO), with the store's timeouts made small by env.
// Each ends in bounded time with flytekit's error document of the right kind (storage is SYSTEM,
// RECOVERABLE) where the output prefix can still be written, or, where it cannot, with exit code 2
// and a log line naming the prefix; and never with an outputs.pb that points at data that was not
// written (checked in the bucket after the server comes back on the same data).
import { fromBinary, toBinary } from "@bufbuild/protobuf";
import { ContainerError_Kind, ErrorDocumentSchema, ExecutionError_ErrorKind, LiteralMapSchema, type ErrorDocument } from "@flytekit-ts/core/idl";
import { GetObjectCommand, ListMultipartUploadsCommand, ListObjectsV2Command, PutObjectCommand } from "@aws-sdk/client-s3";
import { SignatureV4 } from "@smithy/signature-v4";
import type { SourceData } from "@smithy/types";
import { Int } from "@flytekit-ts/core";
import { toLiteralMap } from "@flytekit-ts/core/internal";
import { createHash, createHmac, type Hash, type Hmac } from "node:crypto";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cleanEnv, executeArgs, EXECUTE_BIN, runProcess, TEST_ROOT, type ProcessResult } from "./support/execute.js";
import { startMinio, type Minio } from "./support/minio.js";
import { stallingProxy, type StallingProxy } from "./support/tcp-proxy.js";

const BUCKET = "flyte";
const LOCKED = "locked";
let minio: Minio;

beforeAll(async () => {
  minio = await startMinio([BUCKET, LOCKED]);
}, 600_000);

afterAll(async () => {
  await minio?.stop();
});

/** A node's URIs in a bucket, as propeller lays them out. */
function node(name: string, bucket = BUCKET): { inputs: string; out: string; raw: string; cp: string } {
  const base = `s3://${bucket}/metadata/exec/${name}`;
  return { inputs: `${base}/inputs.pb`, out: `${base}/out`, raw: `s3://${bucket}/raw/${name}`, cp: `${base}/cp` };
}

function split(uri: string): { Bucket: string; Key: string } {
  const [, bucket, key] = /^s3:\/\/([^/]+)\/(.*)$/.exec(uri)!;
  return { Bucket: bucket!, Key: key! };
}

async function putObject(uri: string, bytes: Uint8Array): Promise<void> {
  await minio.client.send(new PutObjectCommand({ ...split(uri), Body: bytes }));
}

async function getObject(uri: string): Promise<Uint8Array> {
  const r = await minio.client.send(new GetObjectCommand(split(uri)));
  return r.Body!.transformToByteArray();
}

/** Every key under a prefix, relative to it. */
async function keysUnder(uri: string): Promise<string[]> {
  const { Bucket, Key } = split(uri);
  const r = await minio.client.send(new ListObjectsV2Command({ Bucket, Prefix: `${Key}/` }));
  return (r.Contents ?? []).map((o) => o.Key!.slice(Key.length + 1)).sort();
}

/** The error document a run left at its output prefix, after checking it left nothing else. */
async function errorDocumentIn(out: string, run: ProcessResult): Promise<ErrorDocument> {
  expect(await keysUnder(out), `${run.stderr}${run.stdout}`).toEqual(["error.pb"]);
  return fromBinary(ErrorDocumentSchema, await getObject(`${out}/error.pb`));
}

function expectStorageError(doc: ErrorDocument, uri: string): void {
  expect(doc.error?.code).toBe("SYSTEM");
  expect(doc.error?.kind).toBe(ContainerError_Kind.RECOVERABLE);
  expect(doc.error?.origin).toBe(ExecutionError_ErrorKind.SYSTEM);
  expect(doc.error?.message).toContain(`StorageError: ${uri}: `);
}

/** The container's environment: flytekit's variables for this MinIO, and `extra`. */
function containerEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return { ...cleanEnv(), ...minio.env, HOME: mkdtempSync(join(tmpdir(), "flytekit-ts-home-")), FLYTEKIT_TS_EXIT_GRACE_MS: "0", ...extra };
}

interface TimedRun extends ProcessResult {
  ms: number;
}

/** flytekit-ts-execute for a task, with the node's bucket URIs; how long it took. */
async function runTask(module: string, task: string, at: ReturnType<typeof node>, env: NodeJS.ProcessEnv): Promise<TimedRun> {
  const args = [EXECUTE_BIN, ...executeArgs(at, module, task)];
  const started = Date.now();
  const run = await runProcess(process.execPath, args, { cwd: TEST_ROOT, env });
  return { ...run, ms: Date.now() - started };
}

const addInputs = () => toBinary(LiteralMapSchema, toLiteralMap({ x: Int, y: Int }, { x: 20, y: 22 }));

describe("storage faults of flytekit-ts-execute on MinIO", () => {
  it("a missing inputs object: a SYSTEM, RECOVERABLE error document naming the uri, and no outputs", async () => {
    const at = node("missing-inputs");
    const run = await runTask("support/entry-tasks.ts", "EntryTasks.add", at, containerEnv());
    expect(run.code, run.stderr).toBe(0);
    const doc = await errorDocumentIn(at.out, run);
    expectStorageError(doc, at.inputs);
    expect(doc.error?.message).toContain("could not read it: no object is there");
  });

  describe("a bucket the task's credentials may not use (a user whose policy allows only the flyte bucket)", () => {
    let restricted: Record<string, string>;
    beforeAll(async () => {
      restricted = await assumeRole(minio, {
        Version: "2012-10-17",
        Statement: [{ Effect: "Allow", Action: ["s3:*"], Resource: [`arn:aws:s3:::${BUCKET}`, `arn:aws:s3:::${BUCKET}/*`] }],
      });
    });

    it("inputs in the denied bucket: the error document says the request was denied, naming the uri", async () => {
      const at = { ...node("denied-inputs"), inputs: `s3://${LOCKED}/metadata/denied-inputs/inputs.pb` };
      await putObject(at.inputs, addInputs());
      const run = await runTask("support/entry-tasks.ts", "EntryTasks.add", at, containerEnv(restricted));
      expect(run.code, run.stderr).toBe(0);
      const doc = await errorDocumentIn(at.out, run);
      expectStorageError(doc, at.inputs);
      expect(doc.error?.message).toContain("could not read it: the request was denied (S3 AccessDenied (HTTP 403)");
    });

    it("a File output whose raw prefix is in the denied bucket: an error document, no outputs.pb, nothing in the bucket", async () => {
      const at = { ...node("denied-raw"), raw: `s3://${LOCKED}/raw/denied-raw` };
      await putObject(at.inputs, toBinary(LiteralMapSchema, toLiteralMap({ mib: Int }, { mib: 1 })));
      const run = await runTask("support/fault-tasks.ts", "Faults.big", at, containerEnv(restricted));
      expect(run.code, run.stderr).toBe(0);
      const doc = await errorDocumentIn(at.out, run);
      expect(doc.error?.message).toMatch(new RegExp(`StorageError: ${at.raw}/[0-9a-f]+/big\\.bin: `));
      expect(doc.error?.kind).toBe(ContainerError_Kind.RECOVERABLE);
      expect(doc.error?.origin).toBe(ExecutionError_ErrorKind.SYSTEM);
      expect(doc.error?.message).toContain("could not upload to it: the request was denied (S3 AccessDenied (HTTP 403)");
      expect(await keysUnder(at.raw)).toEqual([]);
    });

    it("and the policy is what denies: the same user reads and writes the flyte bucket", async () => {
      const at = node("allowed");
      await putObject(at.inputs, addInputs());
      const run = await runTask("support/entry-tasks.ts", "EntryTasks.add", at, containerEnv(restricted));
      expect(run.code, run.stderr).toBe(0);
      expect(await keysUnder(at.out), run.stderr).toEqual(["outputs.pb"]);
    });
  });

  it("wrong keys: not even the error document can be written, so the process exits 2 and says why, naming the prefix", async () => {
    const at = node("wrong-keys");
    await putObject(at.inputs, addInputs());
    const run = await runTask("support/entry-tasks.ts", "EntryTasks.add", at, containerEnv({ FLYTE_AWS_SECRET_ACCESS_KEY: "not-the-secret" }));
    expect(run.code, run.stderr).toBe(2);
    expect(run.stderr).toContain(`StorageError: ${at.inputs}: could not read it: the request was denied (S3 SignatureDoesNotMatch (HTTP 403)`);
    expect(run.stderr).toContain(`flytekit-ts-execute: could not write the error document to ${at.out}: ${at.out}/error.pb: could not write it: the request was denied`);
    expect(await keysUnder(at.out)).toEqual([]);
  });

  it("the server killed while a large File output uploads: exit 2, and after it restarts no outputs.pb and no object at the file's uri", async () => {
    const at = node("killed-mid-upload");
    await putObject(at.inputs, toBinary(LiteralMapSchema, toLiteralMap({ mib: Int }, { mib: 256 })));
    let run: TimedRun;
    // Through a proxy that counts what the task sends: the upload is in flight once 32 MiB of it went through.
    const counting = await stallingProxy(minio.server.port);
    try {
      const running = runTask("support/fault-tasks.ts", "Faults.big", at, containerEnv({ FLYTE_AWS_ENDPOINT: counting.endpoint, FLYTEKIT_TS_S3_PART_SIZE_MB: "5" }));
      const deadline = Date.now() + 60_000;
      while (counting.sent() < 32 * 1024 * 1024 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
      expect(counting.sent(), "the upload never got going").toBeGreaterThanOrEqual(32 * 1024 * 1024);
      await minio.halt();
      const halted = Date.now();
      run = await running;
      console.log(`killed mid-upload: flytekit-ts-execute ended ${Date.now() - halted} ms after the server was killed (${run.ms} ms after it started)`);
    } finally {
      await minio.restart();
      await counting.close();
    }

    expect(run!.code, run!.stderr).toBe(2);
    expect(run!.stderr).toContain("!! Begin System Error Captured by Flyte !!");
    expect(run!.stderr).toMatch(new RegExp(`StorageError: ${at.raw}/[^:]+/big\\.bin: could not upload to it`));
    expect(run!.stderr).toContain(`flytekit-ts-execute: could not write the error document to ${at.out}`);
    expect(await keysUnder(at.out)).toEqual([]);
    expect(await keysUnder(at.raw)).toEqual([]);
    // What is left is an unfinished multipart upload (its abort could not reach the server either):
    // no reader sees it; a bucket lifecycle rule (AbortIncompleteMultipartUpload) removes its parts.
    const key = new RegExp(`StorageError: s3://${BUCKET}/(raw/killed-mid-upload/[0-9a-f]+/big\\.bin)`).exec(run!.stderr)![1]!;
    const left = await minio.client.send(new ListMultipartUploadsCommand({ Bucket: BUCKET, Prefix: key }));
    console.log(`killed mid-upload: unfinished multipart uploads left at ${key}: ${left.Uploads?.length ?? 0}`);
  }, 120_000);

  describe("a server that stops answering (a proxy that stalls), with the store's timeouts set small", () => {
    let proxy: StallingProxy;
    beforeAll(async () => {
      proxy = await stallingProxy(minio.server.port);
    });
    afterAll(async () => {
      await proxy?.close();
    });
    const small = () => containerEnv({ FLYTE_AWS_ENDPOINT: proxy.endpoint, FLYTEKIT_TS_S3_IDLE_TIMEOUT_MS: "1000", FLYTE_AWS_RETRIES: "1" });

    it("inputs behind the stall: an error document after the timeouts, and no outputs", async () => {
      const at = { ...node("slow-inputs"), inputs: `s3://${BUCKET}/stall/slow-inputs/inputs.pb` };
      await putObject(at.inputs, addInputs());
      const run = await runTask("support/entry-tasks.ts", "EntryTasks.add", at, small());
      console.log(`slow inputs: flytekit-ts-execute ended ${run.ms} ms after it started`);
      expect(run.code, run.stderr).toBe(0);
      const doc = await errorDocumentIn(at.out, run);
      expectStorageError(doc, at.inputs);
      // Its own timeout ended it, with the variable that sets it named, after both tries.
      expect(doc.error?.message).toContain(`${at.inputs}: could not read it: the server sent nothing for 1000 ms, the idle timeout (idleTimeoutMs; FLYTEKIT_TS_S3_IDLE_TIMEOUT_MS) (after 2 tries)`);
      expect(proxy.stalled()).toBeGreaterThanOrEqual(2);
    });

    it("everything behind the stall: exit 2 after the timeouts, naming the output prefix", async () => {
      const at = node("stall/slow-all");
      await putObject(at.inputs, addInputs());
      const run = await runTask("support/entry-tasks.ts", "EntryTasks.add", at, small());
      console.log(`slow everything: flytekit-ts-execute ended ${run.ms} ms after it started`);
      expect(run.code, run.stderr).toBe(2);
      expect(run.stderr).toContain(`flytekit-ts-execute: could not write the error document to ${at.out}: ${at.out}/error.pb: could not write it: the server sent nothing for 1000 ms`);
      expect(await keysUnder(at.out)).toEqual([]);
    });
  });
});

function bytesOf(data: SourceData): string | Uint8Array {
  return typeof data === "string" ? data : data instanceof ArrayBuffer ? new Uint8Array(data) : new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
}

/** SHA-256 (an HMAC when given a secret), in the shape the SDK's signer takes. */
class Sha256 {
  private readonly hash: Hash | Hmac;
  constructor(secret?: SourceData) {
    this.hash = secret === undefined ? createHash("sha256") : createHmac("sha256", bytesOf(secret));
  }
  update(data: SourceData): void {
    this.hash.update(bytesOf(data));
  }
  async digest(): Promise<Uint8Array> {
    return this.hash.digest();
  }
}

/** Temporary credentials of a MinIO user whose rights are `policy` (STS AssumeRole with a session policy, signed with the root keys). */
async function assumeRole(server: Minio, policy: object): Promise<Record<string, string>> {
  const body = new URLSearchParams({ Action: "AssumeRole", Version: "2011-06-15", DurationSeconds: "3600", Policy: JSON.stringify(policy) }).toString();
  const url = new URL(server.endpoint);
  const signer = new SignatureV4({ service: "sts", region: server.region, credentials: { accessKeyId: server.accessKeyId, secretAccessKey: server.secretAccessKey }, sha256: Sha256 });
  const signed = await signer.sign({
    method: "POST",
    protocol: url.protocol,
    hostname: url.hostname,
    port: Number(url.port),
    path: "/",
    headers: { host: url.host, "content-type": "application/x-www-form-urlencoded" },
    body,
  });
  const r = await fetch(server.endpoint, { method: "POST", headers: signed.headers as Record<string, string>, body });
  const xml = await r.text();
  const field = (name: string) => new RegExp(`<${name}>([^<]+)</${name}>`).exec(xml)?.[1];
  const [id, secret, token] = [field("AccessKeyId"), field("SecretAccessKey"), field("SessionToken")];
  if (!r.ok || id === undefined || secret === undefined || token === undefined) throw new Error(`AssumeRole failed (${r.status}): ${xml}`);
  // No FLYTE_AWS_* keys: the SDK's own chain reads the AWS_* variables, session token included.
  return { FLYTE_AWS_ACCESS_KEY_ID: "", FLYTE_AWS_SECRET_ACCESS_KEY: "", AWS_ACCESS_KEY_ID: id, AWS_SECRET_ACCESS_KEY: secret, AWS_SESSION_TOKEN: token };
}
