// S3 (AWS, and every S3-compatible store: MinIO, which Flyte's sandbox runs) as a Storage, over the
// AWS SDK v3. Configured as flytekit reads it (FLYTE_AWS_ENDPOINT, FLYTE_AWS_ACCESS_KEY_ID,
// FLYTE_AWS_SECRET_ACCESS_KEY, FLYTE_AWS_RETRIES, FLYTE_AWS_BACKOFF_SECONDS,
// FLYTE_AWS_ADDRESSING_STYLE, FLYTE_AWS_ENABLE_DEBUG); without explicit keys the SDK's own chain
// finds credentials (AWS_* variables, web identity / IRSA, shared profiles, container and instance
// metadata). This module is loaded only on the first use of an s3:// URI (the router's dynamic
// import), or by a user who imports @flytekit-ts/core/s3 to register a store of their own: nothing
// else may import it, so a task that touches only local files never parses the SDK.
import { GetObjectCommand, HeadObjectCommand, ListObjectsV2Command, PutObjectCommand, S3Client, type S3ClientConfig } from "@aws-sdk/client-s3";
import { Upload } from "@aws-sdk/lib-storage";
import { ConfiguredRetryStrategy } from "@smithy/core/retry";
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from "@smithy/types";
import { createReadStream, createWriteStream } from "node:fs";
import { readFile } from "node:fs/promises";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { RemoteStorage, type ListedObject, type ObjectClient, type ObjectLocation } from "./remote.js";
import { StorageError } from "./storage.js";

/** How an S3 store is reached. Every field is optional: what is left out comes from the SDK's defaults. */
export interface S3StoreOptions {
  /** An S3-compatible endpoint (`http://127.0.0.1:9000`); addressing is then path-style unless `forcePathStyle` is false. @default AWS's own endpoints */
  endpoint?: string;
  /** @default AWS_REGION, else AWS_DEFAULT_REGION, else "us-east-1" */
  region?: string;
  /** Static keys, or a provider; without them the SDK's default chain is used (env, web identity, profiles, container/instance metadata). */
  credentials?: AwsCredentialIdentity | AwsCredentialIdentityProvider;
  /** Send requests unsigned (a public bucket). @default false */
  anonymous?: boolean;
  /** Read without signing when no credentials can be found at all, as flytekit does for `exists` and `get`. @default true */
  anonymousFallback?: boolean;
  /** Path-style addressing (`endpoint/bucket/key`) rather than virtual-hosted (`bucket.endpoint/key`). @default true when `endpoint` is given */
  forcePathStyle?: boolean;
  /** Retries of a request that failed with throttling, a 5xx, a timeout or a dropped connection (the SDK's standard strategy). @default 3 */
  retries?: number;
  /** The longest wait between two tries, in ms; waits grow from 100 ms, doubling, with jitter. @default 5000 */
  maxBackoffMs?: number;
  /** How long to wait for a connection, in ms. @default 10000 */
  connectTimeoutMs?: number;
  /** How long a request may go without a byte moving on its connection (sent or received), in ms: a slow or dead server fails in bounded time, a large transfer that moves is never cut. @default 60000 */
  idleTimeoutMs?: number;
  /** Part size of a multipart upload, in bytes (at least 5 MiB; raised for files past 10,000 parts). @default 8 MiB */
  partSize?: number;
  /** Parts of one multipart upload in flight at once; memory held is about partSize × (queueSize + 1). @default 4 */
  queueSize?: number;
  /** Objects a directory upload or download moves at once. @default 8 */
  concurrency?: number;
  /** Log the SDK's requests (FLYTE_AWS_ENABLE_DEBUG). @default false */
  debug?: boolean;
  /** More of the SDK's client configuration, applied last. */
  clientConfig?: S3ClientConfig;
}

// The SDK warns on every start under Node 20 that its releases after January 2027 need Node 22; a
// task's log is no place for that (the dependency range is ours to keep). A user's own setting wins.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true";

const MIB = 1024 * 1024;
const MIN_PART = 5 * MIB;
const MAX_PARTS = 10_000;
export const S3_DEFAULTS = {
  region: "us-east-1",
  retries: 3,
  maxBackoffMs: 5_000,
  connectTimeoutMs: 10_000,
  idleTimeoutMs: 60_000,
  partSize: 8 * MIB,
  queueSize: 4,
} as const;

/** An S3 error as the SDK throws it (a service exception, a network error, a credentials error). */
interface SdkError {
  name?: string;
  message?: string;
  code?: string;
  Code?: string;
  $metadata?: { httpStatusCode?: number; attempts?: number };
  $response?: { headers?: Record<string, string | undefined> };
}

/** What a bodiless answer (HEAD) says, when the SDK could not read a code from it. */
const STATUS_CODES: Record<number, string> = { 403: "Forbidden", 404: "NotFound" };

const MISSING = new Set(["NoSuchKey", "NotFound", "NoSuchBucket"]);
const DENIED = new Set(["AccessDenied", "Forbidden", "InvalidAccessKeyId", "SignatureDoesNotMatch", "ExpiredToken", "InvalidToken", "AllAccessDisabled", "AccountProblem", "CredentialsProviderError"]);

/** Whether the SDK found no credentials to sign with. */
function noCredentials(e: unknown): boolean {
  return (e as SdkError | undefined)?.name === "CredentialsProviderError";
}

/** S3's side of a RemoteStorage: one object or one listing per call, on one SDK client. */
export class S3ObjectClient implements ObjectClient {
  readonly scheme = "s3";
  /** The SDK client every request goes through. */
  readonly client: S3Client;
  private unsigned: S3Client | undefined;
  private readonly options: S3StoreOptions;

  constructor(options: S3StoreOptions = {}) {
    this.options = options;
    this.client = new S3Client(this.config(options.anonymous ?? false));
  }

  /** The SDK configuration for these options (unsigned: no credentials are looked up, nothing is signed). */
  private config(unsigned: boolean): S3ClientConfig {
    const o = this.options;
    const retries = o.retries ?? S3_DEFAULTS.retries;
    const cap = o.maxBackoffMs ?? S3_DEFAULTS.maxBackoffMs;
    const config: S3ClientConfig = {
      region: o.region ?? S3_DEFAULTS.region,
      retryStrategy: new ConfiguredRetryStrategy(retries + 1, (attempt) => {
        const full = Math.min(cap, 100 * 2 ** (attempt - 1));
        return full / 2 + (Math.random() * full) / 2;
      }),
      // socketTimeout is the SDK's inactivity timeout (its requestTimeout only warns, and would cut a long transfer).
      requestHandler: { connectionTimeout: o.connectTimeoutMs ?? S3_DEFAULTS.connectTimeoutMs, socketTimeout: o.idleTimeoutMs ?? S3_DEFAULTS.idleTimeoutMs },
    };
    if (o.endpoint !== undefined) {
      config.endpoint = o.endpoint;
      config.forcePathStyle = o.forcePathStyle ?? true;
      // Many S3-compatible stores do not take the flexible checksums AWS's own endpoints do.
      if (process.env.AWS_REQUEST_CHECKSUM_CALCULATION === undefined) config.requestChecksumCalculation = "WHEN_REQUIRED";
      if (process.env.AWS_RESPONSE_CHECKSUM_VALIDATION === undefined) config.responseChecksumValidation = "WHEN_REQUIRED";
    } else {
      if (o.forcePathStyle !== undefined) config.forcePathStyle = o.forcePathStyle;
      // A bucket in another region than the one configured is still reached.
      config.followRegionRedirects = true;
    }
    if (unsigned) {
      config.credentials = { accessKeyId: "", secretAccessKey: "" };
      config.signer = { sign: async (request) => request };
    } else if (o.credentials !== undefined) {
      config.credentials = o.credentials;
    }
    if (o.debug) config.logger = console;
    return { ...config, ...o.clientConfig };
  }

  /** A read, tried once more unsigned when no credentials could be found (flytekit's anonymous fallback). */
  private async reading<T>(op: (client: S3Client) => Promise<T>): Promise<T> {
    try {
      return await op(this.client);
    } catch (e) {
      if (!noCredentials(e) || this.options.anonymous || this.options.anonymousFallback === false) throw e;
      this.unsigned ??= new S3Client(this.config(true));
      return await op(this.unsigned);
    }
  }

  locate(uri: string): ObjectLocation {
    const m = /^s3:\/\/([^/?#]+)(?:\/(.*))?$/is.exec(uri);
    if (m === null) {
      throw new StorageError({ subject: uri, problem: "not an S3 URI", expected: "s3://<bucket>/<key>", fix: "write it as s3://<bucket>/<key>" });
    }
    return { bucket: m[1] as string, key: m[2] ?? "" };
  }

  uriOf(bucket: string, key: string): string {
    return `s3://${bucket}/${key}`;
  }

  async get(at: ObjectLocation): Promise<Uint8Array> {
    return this.reading(async (client) => {
      const r = await client.send(new GetObjectCommand({ Bucket: at.bucket, Key: at.key }));
      return r.Body === undefined ? new Uint8Array() : await r.Body.transformToByteArray();
    });
  }

  async put(at: ObjectLocation, bytes: Uint8Array): Promise<void> {
    await this.client.send(new PutObjectCommand({ Bucket: at.bucket, Key: at.key, Body: bytes, ContentLength: bytes.length }));
  }

  /** The part size for a file: the configured one, raised so that no upload needs more than 10,000 parts. */
  partSizeFor(size: number): number {
    const wanted = Math.max(MIN_PART, this.options.partSize ?? S3_DEFAULTS.partSize);
    return Math.max(wanted, Math.ceil(size / MAX_PARTS));
  }

  async putFile(localPath: string, at: ObjectLocation, size: number): Promise<void> {
    const partSize = this.partSizeFor(size);
    if (size <= partSize) {
      // One request; the file is no larger than a part, which a multipart upload would hold anyway.
      const body = await readFile(localPath);
      await this.client.send(new PutObjectCommand({ Bucket: at.bucket, Key: at.key, Body: body, ContentLength: body.length }));
      return;
    }
    // Multipart: lib-storage reads the stream a part at a time, with at most queueSize parts in flight,
    // and aborts the upload (no parts left behind) when one fails.
    const upload = new Upload({
      client: this.client,
      params: { Bucket: at.bucket, Key: at.key, Body: createReadStream(localPath, { highWaterMark: MIB }) },
      partSize,
      queueSize: this.options.queueSize ?? S3_DEFAULTS.queueSize,
      leavePartsOnError: false,
    });
    await upload.done();
  }

  async getToFile(at: ObjectLocation, localPath: string): Promise<void> {
    await this.reading(async (client) => {
      const r = await client.send(new GetObjectCommand({ Bucket: at.bucket, Key: at.key }));
      const body = r.Body === undefined ? Readable.from([]) : (r.Body as Readable);
      const file = createWriteStream(localPath);
      await pipeline(body, file);
      // A body cut short by a connection closed cleanly is caught here, not renamed into place.
      if (r.ContentLength !== undefined && file.bytesWritten !== r.ContentLength) {
        throw new StorageError({ subject: `s3://${at.bucket}/${at.key}`, problem: `the download ended after ${file.bytesWritten} of ${r.ContentLength} bytes` });
      }
    });
  }

  async head(at: ObjectLocation): Promise<{ size: number } | undefined> {
    try {
      const r = await this.reading((client) => client.send(new HeadObjectCommand({ Bucket: at.bucket, Key: at.key })));
      return { size: r.ContentLength ?? 0 };
    } catch (e) {
      const err = e as SdkError;
      if (err.name === "NotFound" || err.name === "NoSuchKey" || (err.$metadata?.httpStatusCode === 404 && err.name !== "NoSuchBucket")) return undefined;
      throw e;
    }
  }

  async *list(bucket: string, prefix: string): AsyncIterable<ListedObject> {
    let token: string | undefined;
    do {
      const page = await this.reading((client) => client.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, ContinuationToken: token })));
      for (const o of page.Contents ?? []) if (o.Key !== undefined) yield { key: o.Key, size: o.Size ?? 0 };
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token !== undefined);
  }

  describe(error: unknown): { problem: string; missing?: boolean; denied?: boolean } {
    const e = (error ?? {}) as SdkError;
    const status = e.$metadata?.httpStatusCode;
    let code = e.Code ?? e.code ?? e.name ?? "Error";
    if (code === "Unknown" || code === "UnknownError") {
      // MinIO names the error in a header even where there is no body; else the status says it.
      code = e.$response?.headers?.["x-minio-error-code"] ?? (status !== undefined ? STATUS_CODES[status] : undefined) ?? code;
    }
    const message = e.message && e.message !== code && e.message !== "UnknownError" ? `: ${e.message}` : "";
    if (code === "CredentialsProviderError") {
      return { problem: `no AWS credentials were found${message} (set FLYTE_AWS_ACCESS_KEY_ID and FLYTE_AWS_SECRET_ACCESS_KEY, or AWS credentials the SDK's default chain reads)`, denied: true };
    }
    // How many tries the SDK made (its retry middleware counts them on the error it gives up with).
    const tries = e.$metadata?.attempts !== undefined && e.$metadata.attempts > 1 ? ` (after ${e.$metadata.attempts} tries)` : "";
    if (status === undefined && e.name === "TimeoutError") {
      // The SDK's own words name its option, not the variable that sets it.
      const idle = /timed out after (\d+) ms of inactivity/.exec(e.message ?? "");
      if (idle) return { problem: `the server sent nothing for ${idle[1]} ms, the idle timeout (idleTimeoutMs; FLYTEKIT_TS_S3_IDLE_TIMEOUT_MS)${tries}` };
      const connect = /did not establish a connection with the server within the configured timeout of (\d+) ms/.exec(e.message ?? "");
      if (connect) return { problem: `no connection to the server within ${connect[1]} ms, the connect timeout (connectTimeoutMs; FLYTEKIT_TS_S3_CONNECT_TIMEOUT_MS)${tries}` };
    }
    const problem = (status !== undefined ? `S3 ${code} (HTTP ${status})${message}` : `${code}${message}`) + tries;
    const missing = MISSING.has(code) || (status === 404 && !DENIED.has(code));
    const denied = !missing && (DENIED.has(code) || status === 403);
    return { problem, missing, denied };
  }
}

/** An S3 store: `registerStorage("s3", new S3Storage({ endpoint, credentials }))`. */
export class S3Storage extends RemoteStorage {
  declare readonly client: S3ObjectClient;
  constructor(options: S3StoreOptions = {}) {
    super(new S3ObjectClient(options), { concurrency: options.concurrency });
  }
}

/** A whole number from an environment variable, or undefined when unset; a bad value is an error naming the variable. */
function envInt(env: NodeJS.ProcessEnv, name: string, min: number): number | undefined {
  const text = env[name]?.trim();
  if (text === undefined || text === "") return undefined;
  const n = Number(text);
  if (!Number.isInteger(n) || n < min) {
    throw new StorageError({ subject: `environment variable ${name}`, expected: `a whole number of at least ${min}`, got: JSON.stringify(text) });
  }
  return n;
}

function envFlag(env: NodeJS.ProcessEnv, name: string): boolean {
  return /^(1|true|yes|on)$/i.test(env[name]?.trim() ?? "");
}

/** The store's options as flytekit's S3Config reads them from the environment, with our own FLYTEKIT_TS_S3_* additions. */
export function s3OptionsFromEnv(env: NodeJS.ProcessEnv = process.env): S3StoreOptions {
  const options: S3StoreOptions = { region: env.AWS_REGION || env.AWS_DEFAULT_REGION || S3_DEFAULTS.region };
  const endpoint = env.FLYTE_AWS_ENDPOINT?.trim();
  if (endpoint) options.endpoint = endpoint;
  const keyId = env.FLYTE_AWS_ACCESS_KEY_ID?.trim();
  const secret = env.FLYTE_AWS_SECRET_ACCESS_KEY?.trim();
  if (keyId && secret) options.credentials = { accessKeyId: keyId, secretAccessKey: secret };
  else if (keyId || secret) {
    const missing = keyId ? "FLYTE_AWS_SECRET_ACCESS_KEY" : "FLYTE_AWS_ACCESS_KEY_ID";
    throw new StorageError({ subject: "S3 configuration", problem: `${keyId ? "FLYTE_AWS_ACCESS_KEY_ID" : "FLYTE_AWS_SECRET_ACCESS_KEY"} is set but ${missing} is not`, fix: "set both, or neither to use the AWS SDK's default credentials" });
  }
  // flytekit turns any addressing style into virtual-hosted; "path" is taken as asked.
  const style = env.FLYTE_AWS_ADDRESSING_STYLE?.trim().toLowerCase();
  if (style) options.forcePathStyle = style === "path";
  const retries = envInt(env, "FLYTE_AWS_RETRIES", 0);
  if (retries !== undefined) options.retries = retries;
  const backoff = envInt(env, "FLYTE_AWS_BACKOFF_SECONDS", 0);
  if (backoff !== undefined) options.maxBackoffMs = backoff * 1000;
  if (envFlag(env, "FLYTE_AWS_ENABLE_DEBUG")) options.debug = true;
  if (envFlag(env, "FLYTEKIT_TS_S3_ANONYMOUS")) options.anonymous = true;
  const connect = envInt(env, "FLYTEKIT_TS_S3_CONNECT_TIMEOUT_MS", 1);
  if (connect !== undefined) options.connectTimeoutMs = connect;
  const idle = envInt(env, "FLYTEKIT_TS_S3_IDLE_TIMEOUT_MS", 1);
  if (idle !== undefined) options.idleTimeoutMs = idle;
  const part = envInt(env, "FLYTEKIT_TS_S3_PART_SIZE_MB", 5);
  if (part !== undefined) options.partSize = part * MIB;
  return options;
}

/** The store for s3:// URIs, configured from the environment as flytekit reads it. */
export function s3StorageFromEnv(env: NodeJS.ProcessEnv = process.env): S3Storage {
  return new S3Storage(s3OptionsFromEnv(env));
}
