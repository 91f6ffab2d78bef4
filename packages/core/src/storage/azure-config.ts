// What the Azure store is configured with, read from the environment as flytekit and adlfs read it,
// and what an abfs:// URI names. Nothing here loads the Azure SDK: the store itself (azure.ts) is
// its own chunk, loaded on the first abfs:// or abfss:// URI (or by `azureStorage(options)`,
// stores.ts, on its first use).
import { envInt } from "./env.js";
import { StorageConfigError, StorageError } from "./storage.js";

/** A token credential, as `@azure/identity` makes them (structurally: no import of the SDK here). */
export interface AzureTokenCredential {
  getToken(scopes: string | string[], options?: object): Promise<{ token: string; expiresOnTimestamp: number } | null>;
}

/** How the Azure store reaches Blob Storage (ADLS Gen2 accounts through the Blob API). */
export interface AzureStorageOptions {
  /**
   * A connection string (`AccountName=...;AccountKey=...;BlobEndpoint=...`, or `UseDevelopmentStorage=true`):
   * its account, endpoint and key or SAS win over the options below, as in adlfs.
   */
  connectionString?: string;
  /** The account of `abfs://container/path` URIs (a URI `abfs://container@account.dfs.core.windows.net/path` names its own). */
  accountName?: string;
  /** The account's shared key. */
  accountKey?: string;
  /** A shared access signature (with or without its leading "?"). */
  sasToken?: string;
  /** The blob endpoint of the configured account, e.g. `https://myaccount.blob.core.chinacloudapi.cn`; by default `https://<account>.blob.core.windows.net`. */
  blobEndpoint?: string;
  /** A service principal: tenant, client (application) id and secret. A client id alone names a managed or workload identity. */
  tenantId?: string;
  clientId?: string;
  clientSecret?: string;
  /** A credential of one's own (any `@azure/identity` credential); wins over the identity options above. */
  credential?: AzureTokenCredential;
  /** Unsigned requests (a public container), when no key, SAS or service principal is configured. @default false */
  anonymous?: boolean;
  /**
   * How long a request may go without a byte moving (sent or received), in ms: a silent or stalled
   * server fails in bounded time (and the try is retried), a large transfer that moves is never cut.
   * @default 60_000 (FLYTEKIT_TS_AZURE_IDLE_TIMEOUT_MS)
   */
  idleTimeoutMs?: number;
  /** Retries of a request after its first try, on 5xx, throttling, timeouts and network errors. @default 4 (FLYTEKIT_TS_AZURE_RETRIES) */
  retries?: number;
  /** The first retry's delay, in ms; it doubles per try up to `maxBackoffMs`, with jitter. @default 500 */
  retryDelayMs?: number;
  /** The longest wait between two tries, in ms. @default 30_000 */
  maxBackoffMs?: number;
  /** Block size of an upload, in bytes: a file or a write up to this size goes in one request, a larger one in blocks of it. @default 8 MiB */
  partSize?: number;
  /** Blocks of one upload in flight at once; memory held is about partSize × queueSize. @default 4 */
  queueSize?: number;
  /** Objects a directory upload or download moves at once. @default 8 */
  concurrency?: number;
}

/** The first of the names that is set to something other than "" in `env`. */
function first(env: NodeJS.ProcessEnv, ...names: string[]): string | undefined {
  for (const name of names) {
    const value = env[name];
    if (value !== undefined && value !== "") return value;
  }
  return undefined;
}

/**
 * The options the environment gives, in flytekit's names first (`FLYTE_AZURE_*`, what Flyte puts in
 * a pod, which flytekit passes to adlfs explicitly), then adlfs's own (`AZURE_STORAGE_*`).
 * `AZURE_CLIENT_ID`, `AZURE_TENANT_ID`, `AZURE_FEDERATED_TOKEN_FILE` and the rest of the standard
 * chain are read by `@azure/identity` itself, when no key, SAS or connection string is given.
 * Ours: FLYTEKIT_TS_AZURE_IDLE_TIMEOUT_MS (`idleTimeoutMs`) and FLYTEKIT_TS_AZURE_RETRIES (`retries`).
 */
export function azureOptionsFromEnv(env: NodeJS.ProcessEnv = process.env): AzureStorageOptions {
  const options: AzureStorageOptions = {
    connectionString: first(env, "AZURE_STORAGE_CONNECTION_STRING"),
    accountName: first(env, "FLYTE_AZURE_STORAGE_ACCOUNT_NAME", "AZURE_STORAGE_ACCOUNT_NAME"),
    accountKey: first(env, "FLYTE_AZURE_STORAGE_ACCOUNT_KEY", "AZURE_STORAGE_ACCOUNT_KEY"),
    sasToken: first(env, "AZURE_STORAGE_SAS_TOKEN"),
    tenantId: first(env, "FLYTE_AZURE_TENANT_ID", "AZURE_STORAGE_TENANT_ID"),
    clientId: first(env, "FLYTE_AZURE_CLIENT_ID", "AZURE_STORAGE_CLIENT_ID"),
    clientSecret: first(env, "FLYTE_AZURE_CLIENT_SECRET", "AZURE_STORAGE_CLIENT_SECRET"),
    // adlfs: anything but false, 0, f or "" is true.
    anonymous: !["false", "0", "f", ""].includes((env.AZURE_STORAGE_ANON ?? "").toLowerCase()),
    idleTimeoutMs: envInt(env, "FLYTEKIT_TS_AZURE_IDLE_TIMEOUT_MS", 1),
    retries: envInt(env, "FLYTEKIT_TS_AZURE_RETRIES", 0),
  };
  for (const key of Object.keys(options) as (keyof AzureStorageOptions)[]) if (options[key] === undefined) delete options[key];
  return options;
}

/** A connection string's parts, by lower-case name. */
export function parseConnectionString(text: string): Map<string, string> {
  const parts = new Map<string, string>();
  for (const part of text.split(";")) {
    const at = part.indexOf("=");
    if (at <= 0) continue;
    parts.set(part.slice(0, at).trim().toLowerCase(), part.slice(at + 1).trim());
  }
  return parts;
}

/** Where an abfs:// URI points: its container, the account its host names (if any), and the blob key. */
export interface AzureLocation {
  container: string;
  /** The account a URI's host names (`container@account.dfs.core.windows.net`), else undefined. */
  account?: string;
  /** That account's blob endpoint (`https://account.blob.core.windows.net`). */
  endpoint?: string;
  key: string;
}

// The key is the rest of the URI as written, "?" and "#" included (as S3's and GCS's): a file named
// `report#1.csv` is the blob `.../report#1.csv`, the key flytekit (fsspec) reads back.
const AZURE_URI = /^(abfss?):\/\/([^/?#]*)(?:\/(.*))?$/is;
const ACCOUNT_HOST = /^([a-z0-9]+)\.(?:dfs|blob)\.([a-z0-9.-]+)$/i;

/**
 * Reads an abfs:// or abfss:// URI as flytekit and adlfs write it: `abfs://container/path`
 * (the configured account) or `abfs://container@account.dfs.core.windows.net/path` (the
 * Blob endpoint of that account, in the same cloud).
 */
export function parseAzureUri(uri: string): AzureLocation {
  const match = AZURE_URI.exec(uri);
  const authority = match?.[2] ?? "";
  const at = authority.indexOf("@");
  const container = at >= 0 ? authority.slice(0, at) : authority;
  const host = at >= 0 ? authority.slice(at + 1) : undefined;
  const expected = "abfs://<container>/<path> or abfs://<container>@<account>.dfs.core.windows.net/<path>";
  if (match === null || container === "") {
    throw new StorageError({ subject: uri, problem: "not an Azure Blob Storage URI: it names no container", fix: `write it as ${expected}` });
  }
  const key = match[3] ?? "";
  if (host === undefined) return { container, key };
  const account = ACCOUNT_HOST.exec(host);
  if (account === null) {
    throw new StorageError({
      subject: uri,
      problem: `its host ${JSON.stringify(host)} is not a storage account's (<account>.dfs.<cloud suffix> or <account>.blob.<cloud suffix>)`,
      fix: `write it as ${expected}; an emulator's endpoint is given by AZURE_STORAGE_CONNECTION_STRING (BlobEndpoint=...)`,
    });
  }
  const name = (account[1] as string).toLowerCase();
  return { container, account: name, endpoint: `https://${name}.blob.${(account[2] as string).toLowerCase()}`, key };
}
