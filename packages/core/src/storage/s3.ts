// S3 (AWS, and every S3-compatible store: MinIO, which Flyte's sandbox runs) as a Storage, over the
// AWS SDK v3. Configured as flytekit reads it (FLYTE_AWS_ENDPOINT, FLYTE_AWS_ACCESS_KEY_ID,
// FLYTE_AWS_SECRET_ACCESS_KEY, FLYTE_AWS_RETRIES, FLYTE_AWS_BACKOFF_SECONDS,
// FLYTE_AWS_ADDRESSING_STYLE, FLYTE_AWS_ENABLE_DEBUG); without explicit keys the SDK's own chain
// finds credentials (AWS_* variables, web identity / IRSA, shared profiles, container and instance
// metadata). This module is loaded only on the first use of an s3:// URI (the router's dynamic
// import), or by s3Storage() (stores.ts) on its first use: nothing else may import it, so a task
// that touches only local files never parses the SDK.
import { GetObjectCommand, HeadObjectCommand, ListObjectsV2Command, PutObjectCommand, S3Client, type S3ClientConfig } from "@aws-sdk/client-s3";
import { Upload } from "@aws-sdk/lib-storage";
import { ConfiguredRetryStrategy } from "@smithy/core/retry";
import { createReadStream, createWriteStream, statSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { RemoteStorage, type ListedObject, type ObjectClient, type ObjectLocation } from "./remote.js";
import { MAX_PARTS, MIB, MIN_PART, S3_DEFAULTS, s3OptionsFromEnv, type S3StoreOptions } from "./s3-config.js";
import { StorageError } from "./storage.js";

// The SDK warns on every start under Node 20 that its releases after January 2027 need Node 22; a
// task's log is no place for that (the dependency range is ours to keep). A user's own setting wins.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true";

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

  /**
   * Streams the object into the file. A body cut part way (a dropped connection, a stalled one past
   * the idle timeout) goes on from the bytes already on disk with a ranged GET pinned to the first
   * answer's ETag (an object replaced meanwhile fails with 412 rather than giving a mixed file), up
   * to `retries` times; the SDK's own retries cover only the request, not its body.
   */
  async getToFile(at: ObjectLocation, localPath: string): Promise<void> {
    const retries = this.options.retries ?? S3_DEFAULTS.retries;
    await this.reading(async (client) => {
      let etag: string | undefined;
      let total: number | undefined;
      let written = 0;
      for (let resumes = 0; ; resumes++) {
        const ranged = written > 0;
        const r = await client.send(
          new GetObjectCommand({ Bucket: at.bucket, Key: at.key, Range: ranged ? `bytes=${written}-` : undefined, IfMatch: ranged ? etag : undefined }),
        );
        if (!ranged) {
          etag = r.ETag;
          total = r.ContentLength;
        }
        const body = r.Body === undefined ? Readable.from([]) : (r.Body as Readable);
        let cut: unknown;
        try {
          await pipeline(body, createWriteStream(localPath, { flags: ranged ? "a" : "w" }));
        } catch (e) {
          cut = e;
        }
        written = statSync(localPath, { throwIfNoEntry: false })?.size ?? 0;
        const short = total !== undefined && written < total;
        if (cut === undefined && !short) break;
        // Whole, or nothing more to ask for: the check below says what is wrong.
        if (resumes >= retries || etag === undefined || !short) {
          if (cut !== undefined) throw cut;
          break;
        }
        await new Promise((done) => setTimeout(done, Math.min(100 * 2 ** resumes, this.options.maxBackoffMs ?? S3_DEFAULTS.maxBackoffMs)));
      }
      // A body cut short by a connection closed cleanly is caught here, not renamed into place.
      if (total !== undefined && written !== total) {
        throw new StorageError({ subject: `s3://${at.bucket}/${at.key}`, problem: `the download ended after ${written} of ${total} bytes` });
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

/** The store for s3:// URIs, configured from the environment as flytekit reads it. */
export function s3StorageFromEnv(env: NodeJS.ProcessEnv = process.env): S3Storage {
  return new S3Storage(s3OptionsFromEnv(env));
}
