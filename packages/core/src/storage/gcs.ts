// Google Cloud Storage (gs://bucket/key) as a Storage, over the official client,
// @google-cloud/storage. This module is loaded only on the first use of a gs:// URI (the router's
// dynamic import, or gcsStorage() in stores.ts: a chunk of its own in the bundle): nothing else
// may import it statically.
//
// Credentials are the client's own chain (google-auth-library's defaults): the key file named by
// GOOGLE_APPLICATION_CREDENTIALS, then application default credentials (`gcloud auth
// application-default login`), then the metadata server (GCE, and GKE workload identity). With
// STORAGE_EMULATOR_HOST set (an emulator such as fake-gcs-server, as the client and Python's gcsfs
// both read it) requests carry no credentials. flytekit's GCSConfig holds only gsutil_parallelism,
// which has no counterpart here. No project id is needed: object operations never ask for one.
import { Storage as GoogleStorage, IdempotencyStrategy, type CreateWriteStreamOptions, type File, type StorageOptions } from "@google-cloud/storage";
import { createReadStream, createWriteStream, existsSync, readFileSync, statSync } from "node:fs";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { RemoteStorage, type ListedObject, type ObjectClient, type ObjectLocation } from "./remote.js";
import { idleGuard } from "./idle.js";
import { endpointUrl, gcsOptionsFromEnv, type GcsStorageOptions } from "./gcs-config.js";
import { StorageError } from "./storage.js";

const MiB = 1024 * 1024;

/** No client-side timeout for uploads (Node's longest timer, about 24.8 days): see the constructor. */
const NO_CLIENT_TIMEOUT = 2_147_483_647;

const RETRYABLE_NETWORK = new Set(["ECONNRESET", "ETIMEDOUT", "EPIPE", "ECONNABORTED", "ESOCKETTIMEDOUT", "ERR_STREAM_PREMATURE_CLOSE", "EAI_AGAIN", "ERR_SHORT_DOWNLOAD"]);

/** The HTTP status an error of the client carries (ApiError's `code`, a gaxios error's `status`), if any. */
function statusOf(error: unknown): number | undefined {
  const e = error as { code?: unknown; status?: unknown; response?: { status?: unknown } } | null;
  if (e === null || typeof e !== "object") return undefined;
  for (const value of [e.code, e.status, e.response?.status]) if (typeof value === "number") return value;
  return undefined;
}

/** Whether repeating a request that failed this way may succeed: throttling, a server error, a cut connection. */
function retryable(error: unknown): boolean {
  const status = statusOf(error);
  if (status !== undefined) return status === 408 || status === 429 || status >= 500;
  const code = (error as { code?: unknown } | null)?.code;
  const message = error instanceof Error ? error.message : "";
  return (typeof code === "string" && RETRYABLE_NETWORK.has(code)) || /socket hang up|premature close|network timeout|timed? ?out/i.test(message);
}

/** The bytes in slices of at most 1 MiB (one empty slice for no bytes), as views: nothing is copied. */
function* slices(body: Buffer): Generator<Buffer> {
  if (body.length === 0) yield body;
  for (let i = 0; i < body.length; i += MiB) yield body.subarray(i, i + MiB);
}

/** Google Cloud Storage, one object at a time, for RemoteStorage. */
export class GcsClient implements ObjectClient {
  readonly scheme = "gs";
  readonly storage: GoogleStorage;
  private readonly uploads: GoogleStorage;
  private readonly threshold: number;
  private readonly chunkSize: number | undefined;
  private readonly retries: number;
  private readonly timeoutMs: number;

  constructor(options: GcsStorageOptions = {}) {
    this.threshold = options.resumableThresholdBytes ?? 8 * MiB;
    this.chunkSize = options.chunkSizeBytes;
    if (this.chunkSize !== undefined && (this.chunkSize <= 0 || this.chunkSize % (256 * 1024) !== 0)) {
      throw new StorageError({ subject: "the gs:// store's chunkSizeBytes", problem: "not a positive multiple of 256 KiB", got: String(options.chunkSizeBytes), expected: "e.g. 8388608 (8 MiB)" });
    }
    this.retries = options.retries ?? 5;
    this.timeoutMs = options.idleTimeoutMs ?? 60_000;
    const endpoint = options.endpoint === undefined ? undefined : endpointUrl(options.endpoint);
    const config: StorageOptions = {
      retryOptions: {
        autoRetry: this.retries > 0,
        maxRetries: Math.max(1, this.retries),
        retryDelayMultiplier: 2,
        maxRetryDelay: 32,
        totalTimeout: 600,
        // The client's own test, widened to every 408/429/5xx and cut connection.
        retryableErrorFn: retryable,
        idempotencyStrategy: IdempotencyStrategy.RetryAlways,
      },
    };
    if (options.keyFilename !== undefined) config.keyFilename = options.keyFilename;
    if (options.projectId !== undefined) config.projectId = options.projectId;
    if (endpoint !== undefined) {
      config.apiEndpoint = endpoint;
    } else if (options.anonymous === true) {
      // A custom endpoint is what makes the client send no credentials; the slash makes the default one custom.
      config.apiEndpoint = "https://storage.googleapis.com/";
    }
    const make = (timeout: number) => {
      const storage = new GoogleStorage({ ...config, timeout });
      if (endpoint !== undefined) {
        // The client takes STORAGE_EMULATOR_HOST from process.env as the JSON API's whole base (gcsfs and
        // the real API put /storage/v1 after the host): say where it is ourselves.
        const service = storage as unknown as { baseUrl: string; apiEndpoint: string; customEndpoint: boolean };
        service.baseUrl = `${endpoint}/storage/v1`;
        service.apiEndpoint = endpoint;
        service.customEndpoint = true;
      }
      return storage;
    };
    this.storage = make(this.timeoutMs);
    // The client applies its one timeout to every request, from the first byte sent to the answer's
    // headers (a request's own is overridden): a one-request upload of a large body that keeps moving
    // would be cut by it. Uploads go through a client without it; send()'s watchdog bounds them.
    this.uploads = make(NO_CLIENT_TIMEOUT);
  }

  locate(uri: string): ObjectLocation {
    const match = /^gs:\/\/([^/?#]+)(?:\/(.*))?$/is.exec(uri);
    if (match === null) {
      throw new StorageError({ subject: uri, problem: "not a Google Cloud Storage URI", expected: "gs://<bucket>/<key>", got: uri });
    }
    return { bucket: match[1] as string, key: match[2] ?? "" };
  }

  uriOf(bucket: string, key: string): string {
    return `gs://${bucket}/${key}`;
  }

  private file(at: ObjectLocation): File {
    return this.storage.bucket(at.bucket).file(at.key);
  }

  async get(at: ObjectLocation): Promise<Uint8Array> {
    // The client's timeout ends when the answer's headers come: the body is bounded by idleGuard.
    return this.withRetries(async () => {
      const chunks: Buffer[] = [];
      await pipeline(this.file(at).createReadStream(), idleGuard(this.timeoutMs), async function* (source: AsyncIterable<Buffer>) {
        for await (const chunk of source) chunks.push(chunk);
      });
      return Buffer.concat(chunks);
    });
  }

  async put(at: ObjectLocation, bytes: Uint8Array): Promise<void> {
    // Fed in 1 MiB slices: each slice the request takes is progress that re-arms the watchdog, so a
    // large write that keeps moving is never cut (one chunk was one progress event for the whole body).
    // Past the threshold (write() carries offloaded outputs) it goes in a resumable session, as a file does.
    const body = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    await this.send(at, () => Readable.from(slices(body)), bytes.byteLength <= this.threshold ? { resumable: false } : this.resumable());
  }

  /** A resumable session's options: chunked when chunkSizeBytes is set, otherwise one streamed request. */
  private resumable(): CreateWriteStreamOptions {
    return { resumable: true, ...(this.chunkSize === undefined ? {} : { chunkSize: this.chunkSize }), metadata: { contentType: "application/octet-stream" } };
  }

  async putFile(localPath: string, at: ObjectLocation, size: number): Promise<void> {
    // A small file goes whole in one request; a large one streams from disk in a resumable
    // session (the client resumes it where the server says it stopped; when it cannot, the file
    // is sent again in a new session).
    if (size <= this.threshold) {
      await this.put(at, readFileSync(localPath));
      return;
    }
    await this.send(at, () => createReadStream(localPath, { highWaterMark: MiB }), this.resumable());
  }

  /**
   * Streams `source()` into the object, retried from the start on a retryable failure. The client
   * bounds no upload request's time (a resumable session's requests have no timeout at all), so a
   * watchdog does: an upload that makes no progress for `idleTimeoutMs` fails as timed out.
   */
  private send(at: ObjectLocation, source: () => Readable, options: CreateWriteStreamOptions): Promise<void> {
    return this.withRetries(
      () =>
        new Promise<void>((resolve, reject) => {
          const target = this.uploads.bucket(at.bucket).file(at.key).createWriteStream(options);
          let timer: NodeJS.Timeout | undefined;
          const arm = () => {
            clearTimeout(timer);
            timer = setTimeout(() => {
              const e = Object.assign(new Error(`no answer and no progress for ${this.timeoutMs} ms`), { code: "ETIMEDOUT" });
              target.destroy(e);
            }, this.timeoutMs);
          };
          target.on("progress", arm);
          arm();
          pipeline(source(), target).then(resolve, reject).finally(() => clearTimeout(timer));
        }),
    );
  }

  /** Runs `attempt` again after a retryable failure, with exponential backoff and jitter, up to `retries` times. */
  private async withRetries<T>(attempt: (n: number) => Promise<T>): Promise<T> {
    for (let n = 0; ; n++) {
      try {
        return await attempt(n);
      } catch (e) {
        if (n >= this.retries || !retryable(e)) throw e;
        await new Promise((r) => setTimeout(r, Math.min(32_000, 1000 * 2 ** n) * (0.5 + Math.random() / 2)));
      }
    }
  }

  async getToFile(at: ObjectLocation, localPath: string): Promise<void> {
    // One generation of the object, whole: its metadata names the generation every request reads
    // (so a resume after a cut never appends bytes of an object replaced meanwhile; that generation
    // is then gone, and the download fails) and the size the file must have at the end.
    const [metadata] = await this.file(at).getMetadata();
    const generation = metadata.generation === undefined || metadata.generation === null ? undefined : String(metadata.generation);
    const file = generation === undefined ? this.file(at) : this.storage.bucket(at.bucket).file(at.key, { generation });
    // A gzip-encoded object comes decompressed (the client asks for gzip): its stored size says nothing of the file's.
    const size = metadata.contentEncoding === "gzip" ? undefined : Number(metadata.size ?? 0);
    // A download cut off part way goes on from the bytes already in the file (a ranged read).
    await this.withRetries(async (n) => {
      const have = n === 0 || !existsSync(localPath) ? 0 : statSync(localPath).size;
      const source = file.createReadStream(have === 0 ? {} : { start: have, validation: false });
      try {
        await pipeline(source, idleGuard(this.timeoutMs), createWriteStream(localPath, { flags: have === 0 ? "w" : "a" }));
      } catch (e) {
        if (n > 0 && statusOf(e) === 404 && generation !== undefined) {
          throw Object.assign(new Error(`the object changed while it was downloaded (generation ${generation} is gone); download it again`), { cause: e });
        }
        throw e;
      }
      // An answer that ended early is resumed from where it stopped (a retry); one that gave more is refused.
      const got = statSync(localPath).size;
      if (size !== undefined && got !== size) {
        throw Object.assign(new Error(`the download ended with ${got} of the object's ${size} bytes`), { code: got < size ? "ERR_SHORT_DOWNLOAD" : "ERR_LONG_DOWNLOAD" });
      }
    });
  }

  async head(at: ObjectLocation): Promise<{ size: number } | undefined> {
    try {
      const [metadata] = await this.file(at).getMetadata();
      return { size: Number(metadata.size ?? 0) };
    } catch (e) {
      // A missing bucket is a 404 too: the listing that follows says so.
      if (statusOf(e) === 404) return undefined;
      throw e;
    }
  }

  async *list(bucket: string, prefix: string): AsyncIterable<ListedObject> {
    let pageToken: string | undefined;
    do {
      const [files, next] = await this.storage.bucket(bucket).getFiles({ prefix, autoPaginate: false, maxResults: 1000, pageToken });
      for (const f of files) yield { key: f.name, size: Number(f.metadata.size ?? 0) };
      pageToken = (next as { pageToken?: string } | null | undefined)?.pageToken;
    } while (pageToken !== undefined && pageToken !== "");
  }

  describe(error: unknown): { problem: string; missing?: boolean; denied?: boolean } {
    const status = statusOf(error);
    const problem = status === undefined ? messageOf(error) : `${status} ${messageOf(error)}`;
    return { problem, missing: status === 404, denied: status === 401 || status === 403 };
  }
}

/** The server's message for a failed request (ApiError), or the error's own. */
function messageOf(error: unknown): string {
  if (error instanceof Error) return error.message.trim() || error.name;
  return String(error);
}

/**
 * The gs:// store with explicit options. Users register it through `gcsStorage(options)`
 * (@flytekit-ts/core/extend), which loads this module on first use.
 */
export class GcsStorage extends RemoteStorage {
  constructor(options: GcsStorageOptions = {}) {
    super(new GcsClient(options), options.concurrency === undefined ? {} : { concurrency: options.concurrency });
  }
}

/** The store for gs:// URIs, configured from the environment as flytekit and gcsfs read it. */
export function gcsStorageFromEnv(env: NodeJS.ProcessEnv = process.env): GcsStorage {
  return new GcsStorage(gcsOptionsFromEnv(env));
}
