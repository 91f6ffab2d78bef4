// The s3:// store's options and how the environment sets them, without the AWS SDK: this module is
// imported by the package's entry points (extend.ts), s3.ts is not.
import type { S3ClientConfig } from "@aws-sdk/client-s3";
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from "@smithy/types";
import { envFlag, envInt } from "./env.js";
import { StorageConfigError } from "./storage.js";

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

export const MIB = 1024 * 1024;
export const MIN_PART = 5 * MIB;
export const MAX_PARTS = 10_000;
export const S3_DEFAULTS = {
  region: "us-east-1",
  retries: 3,
  maxBackoffMs: 5_000,
  connectTimeoutMs: 10_000,
  idleTimeoutMs: 60_000,
  partSize: 8 * MIB,
  queueSize: 4,
} as const;

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
    throw new StorageConfigError({ subject: "S3 configuration", problem: `${keyId ? "FLYTE_AWS_ACCESS_KEY_ID" : "FLYTE_AWS_SECRET_ACCESS_KEY"} is set but ${missing} is not`, fix: "set both, or neither to use the AWS SDK's default credentials" });
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
