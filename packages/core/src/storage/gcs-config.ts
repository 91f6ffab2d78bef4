// The gs:// store's options and how the environment sets them, without the Google client: this module
// is imported by the package's entry points (extend.ts), gcs.ts is not.

/** How the gs:// store reaches Google Cloud Storage. Every option has a default fit for a pod on GKE. */
export interface GcsStorageOptions {
  /**
   * An emulator's origin, e.g. `http://127.0.0.1:4443` for fake-gcs-server. Requests to it carry
   * no credentials.
   * @default STORAGE_EMULATOR_HOST (through gcsStorageFromEnv), else `https://storage.googleapis.com`
   * @format URL origin; `host:port` alone means http, as gcsfs reads STORAGE_EMULATOR_HOST
   */
  endpoint?: string;
  /**
   * Send no credentials at all (a public bucket). With an `endpoint` this is implied.
   * @default false
   */
  anonymous?: boolean;
  /**
   * A service account's JSON key file.
   * @default the client's chain: GOOGLE_APPLICATION_CREDENTIALS, application default credentials, the metadata server
   */
  keyFilename?: string;
  /**
   * The project billed for requester-pays buckets and bucket listings; object reads and writes need none.
   * @default none
   */
  projectId?: string;
  /**
   * Retries of a request answered 408, 429 or 5xx, or cut off, with exponential backoff (uploads
   * too: a write replaces a whole object, so repeating it is safe).
   * @default 5
   */
  maxRetries?: number;
  /**
   * How long one request may take before it fails (and is retried); an upload fails when it
   * makes no progress (no answer, no bytes taken) for this long.
   * @default 60000
   * @format milliseconds
   */
  requestTimeoutMs?: number;
  /**
   * A file up to this size is uploaded whole in one request (read into memory, retried by the
   * client); a larger one is streamed from disk in a resumable session, started again from the
   * file on a failure the session cannot resume from.
   * @default 8 MiB
   * @format bytes
   */
  resumableThresholdBytes?: number;
  /**
   * Sends a resumable session's bytes in requests of this size, each kept in memory until the
   * server has it and retried on its own; unset, the session is one streamed request (as fast as
   * the client's own `bucket.upload`; fake-gcs-server takes chunked sessions 4× slower).
   * @default unset: one request
   * @format bytes, a multiple of 256 KiB
   */
  chunkSizeBytes?: number;
  /**
   * How many objects a directory upload or download moves at once.
   * @default 8
   */
  concurrency?: number;
}

/** The endpoint as gcsfs reads STORAGE_EMULATOR_HOST: `host:port` means http; no trailing slash. */
export function endpointUrl(value: string): string {
  const url = /^https?:\/\//i.test(value) ? value : `http://${value}`;
  return url.replace(/\/+$/, "");
}

/** The options the environment gives: STORAGE_EMULATOR_HOST (an emulator, no credentials); the rest is the client's credential chain. */
export function gcsOptionsFromEnv(env: NodeJS.ProcessEnv = process.env): GcsStorageOptions {
  const emulator = env.STORAGE_EMULATOR_HOST;
  return emulator !== undefined && emulator !== "" && emulator !== "default" ? { endpoint: emulator } : {};
}

