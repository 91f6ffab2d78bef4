// The gs:// store's options and how the environment sets them, without the Google client: this module
// is imported by the package's entry points (extend.ts), gcs.ts is not.
import { envFlag, envInt } from "./env.js";

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
   * @default false (FLYTEKIT_TS_GCS_ANONYMOUS=true through gcsOptionsFromEnv)
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
   * Retries after the first try of a request answered 408, 429 or 5xx, or cut off, or idle for
   * `idleTimeoutMs`, with exponential backoff (uploads too: a write replaces a whole object, so
   * repeating it is safe; a download goes on from the bytes it has).
   * @default 5 (FLYTEKIT_TS_GCS_RETRIES through gcsOptionsFromEnv)
   */
  retries?: number;
  /**
   * A request fails (and is retried) when no byte moves for this long: no answer, no bytes sent
   * or received. Reads, writes, uploads and downloads alike: a slow transfer that keeps moving is
   * never cut, a stalled one fails in bounded time.
   * @default 60000 (FLYTEKIT_TS_GCS_IDLE_TIMEOUT_MS through gcsOptionsFromEnv)
   * @format milliseconds
   */
  idleTimeoutMs?: number;
  /**
   * A file (or `write()`'s bytes) up to this size is uploaded whole in one request, retried from
   * the start; a larger one goes in a resumable session (a file streamed from disk), started again
   * from the start on a failure the session cannot resume from.
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

/**
 * The options the environment gives: STORAGE_EMULATOR_HOST (an emulator, no credentials), and our
 * own FLYTEKIT_TS_GCS_IDLE_TIMEOUT_MS, FLYTEKIT_TS_GCS_RETRIES and FLYTEKIT_TS_GCS_ANONYMOUS; the
 * credentials are the client's chain. A bad value is a StorageError naming the variable.
 */
export function gcsOptionsFromEnv(env: NodeJS.ProcessEnv = process.env): GcsStorageOptions {
  const options: GcsStorageOptions = {};
  const emulator = env.STORAGE_EMULATOR_HOST;
  if (emulator !== undefined && emulator !== "" && emulator !== "default") options.endpoint = emulator;
  const idle = envInt(env, "FLYTEKIT_TS_GCS_IDLE_TIMEOUT_MS", 1);
  if (idle !== undefined) options.idleTimeoutMs = idle;
  const retries = envInt(env, "FLYTEKIT_TS_GCS_RETRIES", 0);
  if (retries !== undefined) options.retries = retries;
  if (envFlag(env, "FLYTEKIT_TS_GCS_ANONYMOUS")) options.anonymous = true;
  return options;
}
