// Azure Blob Storage (and ADLS Gen2 accounts, through the Blob API) as a Storage, over the official
// SDK (@azure/storage-blob). Loaded only on the first abfs:// or abfss:// URI: the bundle makes this
// module a chunk of its own with the SDK in it, and @azure/identity (large, slow to load) a further
// chunk, imported only when no key, SAS, connection string or anonymous access is configured.
import {
  AnonymousCredential,
  BlobServiceClient,
  newPipeline,
  StorageRetryPolicyType,
  StorageSharedKeyCredential,
  type ContainerClient,
  type StoragePipelineOptions,
} from "@azure/storage-blob";
import { createWriteStream } from "node:fs";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { azureOptionsFromEnv, parseAzureUri, parseConnectionString, type AzureStorageOptions, type AzureTokenCredential } from "./azure-config.js";
import { idleGuard } from "./idle.js";
import { RemoteStorage, type ListedObject, type ObjectClient, type ObjectLocation } from "./remote.js";
import { StorageConfigError, type Storage } from "./storage.js";

const MiB = 1024 * 1024;
const DEFAULTS = {
  idleTimeoutMs: 60_000,
  retries: 4,
  retryDelayMs: 500,
  maxBackoffMs: 30_000,
  partSize: 8 * MiB,
  queueSize: 4,
};

const NO_ACCOUNT =
  "it names no storage account, and none is configured: name it in the URI (abfs://<container>@<account>.dfs.core.windows.net/<path>), " +
  "or set FLYTE_AZURE_STORAGE_ACCOUNT_NAME (or AZURE_STORAGE_ACCOUNT_NAME, or AZURE_STORAGE_CONNECTION_STRING)";

/** Azurite's (and the legacy emulator's) development account, as `UseDevelopmentStorage=true` names it. */
const DEVELOPMENT_ACCOUNT = "devstoreaccount1";
const DEVELOPMENT_KEY = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

/** The request as a pipeline policy of the SDK's compatibility layer sees it. */
interface LegacyRequest {
  timeout: number;
  abortSignal?: AbortSignalLike;
  onUploadProgress?: (progress: { loadedBytes: number }) => void;
  onDownloadProgress?: (progress: { loadedBytes: number }) => void;
  body?: unknown;
}

interface AbortSignalLike {
  readonly aborted: boolean;
  addEventListener(type: "abort", listener: () => void): void;
  removeEventListener(type: "abort", listener: () => void): void;
}

type Credential = StorageSharedKeyCredential | AnonymousCredential | AzureTokenCredential;

/** How to reach one account: its blob endpoint (a SAS, if any, in its query) and the credential that signs. */
interface AccountAccess {
  url: string;
  credential: () => Promise<Credential>;
}

/** The account, endpoint and credential that the configuration names (the account of `abfs://container/path`). */
interface Configured {
  account?: string;
  /** The configured account's access, when the configuration says where it is (a connection string, an endpoint, an account name). */
  access?: AccountAccess;
  /** How to reach an account the configuration does not name (a URI's `container@account...`), at its endpoint. */
  forOther: (account: string, endpoint: string) => AccountAccess;
}

/** The ObjectClient of Azure Blob Storage: one BlobServiceClient per account. */
export class AzureObjectClient implements ObjectClient {
  readonly scheme = "abfs";
  private readonly configured: Configured;
  private readonly services = new Map<string, BlobServiceClient>();
  private identity?: Promise<AzureTokenCredential>;
  private readonly settings: typeof DEFAULTS;

  constructor(private readonly options: AzureStorageOptions = {}) {
    this.settings = { ...DEFAULTS };
    for (const key of Object.keys(DEFAULTS) as (keyof typeof DEFAULTS)[]) {
      const value = options[key];
      if (value !== undefined) {
        if (!(Number.isFinite(value) && (value > 0 || (key === "retries" && value === 0)))) throw new StorageConfigError({ subject: "Azure Blob Storage options", problem: `${key} must be a ${key === "retries" ? "non-negative" : "positive"} number`, got: String(value) });
        this.settings[key] = value;
      }
    }
    this.configured = this.configure();
  }

  /** Reads the options into the configured account's access and the credential for others, as adlfs orders them. */
  private configure(): Configured {
    const o = this.options;
    const shared = (account: string, key: string) => {
      const credential = new StorageSharedKeyCredential(account, key);
      return () => Promise.resolve(credential);
    };
    const anonymous = () => Promise.resolve(new AnonymousCredential());
    const withSas = (url: string, sas: string | undefined) => (sas === undefined ? url : `${url.replace(/\?.*$/, "")}?${sas.replace(/^\?/, "")}`);
    const identity = () => this.tokenCredential();
    // What signs a request when no key or SAS is at hand: a credential, a service principal, anonymity, or the identity chain.
    const unkeyed: () => Promise<Credential> = o.anonymous === true && o.credential === undefined && o.clientSecret === undefined ? anonymous : identity;
    // Another account than the configured one is reached with a token, or anonymously: a key or SAS is one account's.
    const other = (_account: string, endpoint: string): AccountAccess => ({ url: endpoint, credential: unkeyed });

    if (o.connectionString !== undefined) {
      const parts = parseConnectionString(o.connectionString);
      const development = parts.get("usedevelopmentstorage")?.toLowerCase() === "true";
      const account = parts.get("accountname") ?? (development ? DEVELOPMENT_ACCOUNT : undefined);
      const key = parts.get("accountkey") ?? (development ? DEVELOPMENT_KEY : undefined);
      const protocol = parts.get("defaultendpointsprotocol") ?? "https";
      const endpoint =
        parts.get("blobendpoint") ??
        (development ? `http://127.0.0.1:10000/${DEVELOPMENT_ACCOUNT}` : account !== undefined ? `${protocol}://${account}.blob.${parts.get("endpointsuffix") ?? "core.windows.net"}` : undefined);
      if (endpoint === undefined) {
        throw new StorageConfigError({ subject: "AZURE_STORAGE_CONNECTION_STRING", problem: "it names neither an account (AccountName=) nor a blob endpoint (BlobEndpoint=)" });
      }
      const sas = parts.get("sharedaccesssignature");
      const credential = key !== undefined && account !== undefined ? shared(account, key) : sas !== undefined ? anonymous : unkeyed;
      return { account: account?.toLowerCase() ?? accountOfEndpoint(endpoint), access: { url: withSas(endpoint, sas), credential }, forOther: other };
    }

    const account = o.accountName?.toLowerCase() ?? (o.blobEndpoint !== undefined ? accountOfEndpoint(o.blobEndpoint) : undefined);
    const keyed = (name: string) =>
      o.accountKey !== undefined ? shared(name, o.accountKey) : o.sasToken !== undefined ? anonymous : o.clientSecret !== undefined ? identity : unkeyed;
    if (account === undefined && o.blobEndpoint === undefined) {
      // No account configured: a key or SAS is for whichever account a URI names.
      return { forOther: (name, endpoint) => ({ url: withSas(endpoint, o.sasToken), credential: keyed(name) }) };
    }
    const url = withSas(o.blobEndpoint?.replace(/\/+$/, "") ?? `https://${account}.blob.core.windows.net`, o.sasToken);
    if (o.accountKey !== undefined && account === undefined) {
      throw new StorageConfigError({ subject: "Azure Blob Storage options", problem: "an account key was given without the account's name", fix: "set FLYTE_AZURE_STORAGE_ACCOUNT_NAME (or AZURE_STORAGE_ACCOUNT_NAME)" });
    }
    return { account, access: { url, credential: keyed(account ?? "") }, forOther: other };
  }

  /** The token credential: the given one, a service principal, or the standard chain (environment, workload identity, managed identity, developer tools). */
  private tokenCredential(): Promise<AzureTokenCredential> {
    const o = this.options;
    if (o.credential !== undefined) return Promise.resolve(o.credential);
    this.identity ??= import("@azure/identity").then((identity) => {
      if (o.tenantId !== undefined && o.clientId !== undefined && o.clientSecret !== undefined) {
        return new identity.ClientSecretCredential(o.tenantId, o.clientId, o.clientSecret);
      }
      const ids = o.clientId === undefined ? {} : { managedIdentityClientId: o.clientId, workloadIdentityClientId: o.clientId };
      return new identity.DefaultAzureCredential({ ...ids, ...(o.tenantId === undefined ? {} : { tenantId: o.tenantId }) });
    });
    return this.identity;
  }

  private pipelineOptions(): StoragePipelineOptions {
    const s = this.settings;
    return {
      retryOptions: {
        retryPolicyType: StorageRetryPolicyType.EXPONENTIAL,
        maxTries: s.retries + 1,
        // No tryTimeoutInMs: it is sent as the service's own limit on the whole request, which would
        // cut a slow upload that still moves. requestPolicy bounds silence instead.
        retryDelayInMs: s.retryDelayMs,
        maxRetryDelayInMs: s.maxBackoffMs,
      },
      userAgentOptions: { userAgentPrefix: "flytekit-ts" },
    };
  }

  /**
   * A policy around each request (outside the SDK's own retries of 500, 503 and network errors): it
   * aborts a try when no byte has moved for idleTimeoutMs (request body sent, or answer received,
   * until the answer is in hand; a streamed download's body is then watched by idleGuard), so a
   * slow transfer that moves is never cut while a silent server fails in bounded time; and it
   * retries with backoff what the SDK does not: throttling (429), gateways' 502 and 504, and a try
   * that went silent. (The SDK's own per-request `timeout` bounds the whole try, body included.)
   */
  private requestPolicy(): object {
    const s = this.settings;
    const retried = new Set([429, 502, 504]);
    return {
      create(next: { sendRequest(request: LegacyRequest): Promise<{ status: number }> }) {
        return {
          async sendRequest(request: LegacyRequest) {
            const caller = request.abortSignal;
            const onUpload = request.onUploadProgress;
            const onDownload = request.onDownloadProgress;
            request.timeout = 0;
            // A body in memory is sent in slices, so that its progress is seen as it moves (whole, it is one event).
            if (ArrayBuffer.isView(request.body)) request.body = inSlices(request.body);
            for (let attempt = 1; ; attempt++) {
              // This try's own abort: the caller's abort, or silence for idleTimeoutMs.
              const abort = new AbortController();
              let silent = false;
              let settled = false;
              const timer = setTimeout(() => {
                silent = true;
                abort.abort();
              }, s.idleTimeoutMs);
              const moved = () => {
                if (!settled) timer.refresh();
              };
              const follow = () => abort.abort();
              if (caller?.aborted === true) abort.abort();
              caller?.addEventListener("abort", follow);
              request.abortSignal = abort.signal;
              request.onUploadProgress = (progress) => {
                moved();
                onUpload?.(progress);
              };
              request.onDownloadProgress = (progress) => {
                moved();
                onDownload?.(progress);
              };
              let streamed = false;
              try {
                const response = await next.sendRequest(request);
                streamed = (response as { readableStreamBody?: unknown }).readableStreamBody !== undefined;
                if (!retried.has(response.status) || attempt > s.retries) return response;
              } catch (e) {
                if (!(attempt <= s.retries && ((silent && caller?.aborted !== true) || retried.has(statusOf(e) ?? 0)))) throw e;
              } finally {
                settled = true;
                clearTimeout(timer);
                // A streamed body is still read after this: the caller's abort must still reach it.
                if (!streamed) caller?.removeEventListener("abort", follow);
              }
              const delay = Math.min(s.retryDelayMs * 2 ** (attempt - 1), s.maxBackoffMs);
              await new Promise((r) => setTimeout(r, delay * (0.8 + Math.random() * 0.4)));
            }
          },
        };
      },
    };
  }

  /** The service client for the account a location names (the configured one when it names none). */
  private async service(bucket: string): Promise<BlobServiceClient> {
    const { account, endpoint } = parseAzureUri(`abfs://${bucket}`);
    const c = this.configured;
    let id: string;
    let access: AccountAccess;
    if (account === undefined || account === c.account || (c.account === undefined && c.access !== undefined)) {
      if (c.access === undefined) {
        // locate() refuses such a URI first (a StorageConfigError naming it); this guards any other way in.
        throw new Error(NO_ACCOUNT);
      }
      id = "";
      access = c.access;
    } else {
      id = account;
      access = c.forOther(account, endpoint as string);
    }
    let service = this.services.get(id);
    if (service === undefined) {
      const pipeline = newPipeline(await access.credential(), this.pipelineOptions());
      (pipeline.factories as object[]).push(this.requestPolicy());
      service = new BlobServiceClient(access.url, pipeline);
      this.services.set(id, service);
    }
    return service;
  }

  private async container(bucket: string): Promise<ContainerClient> {
    const container = bucket.includes("@") ? bucket.slice(0, bucket.indexOf("@")) : bucket;
    return (await this.service(bucket)).getContainerClient(container);
  }

  locate(uri: string): ObjectLocation {
    const at = parseAzureUri(uri);
    if (at.account === undefined && this.configured.access === undefined) throw new StorageConfigError({ subject: uri, problem: NO_ACCOUNT });
    const authority = /^abfss?:\/\/([^/?#]*)/i.exec(uri)?.[1] as string;
    return { bucket: authority, key: at.key };
  }

  uriOf(bucket: string, key: string, like: string): string {
    const scheme = /^(abfss?):/i.exec(like)?.[1]?.toLowerCase() ?? "abfs";
    return `${scheme}://${bucket}/${key}`;
  }

  async get(at: ObjectLocation): Promise<Uint8Array> {
    const blob = (await this.container(at.bucket)).getBlobClient(at.key);
    const response = await blob.download(0, undefined, { maxRetryRequests: this.settings.retries });
    const chunks: Buffer[] = [];
    await pipeline(response.readableStreamBody as Readable, idleGuard(this.settings.idleTimeoutMs), async function* (source: AsyncIterable<Buffer>) {
      for await (const chunk of source) chunks.push(chunk);
    });
    return Buffer.concat(chunks);
  }

  async put(at: ObjectLocation, bytes: Uint8Array): Promise<void> {
    const blob = (await this.container(at.bucket)).getBlockBlobClient(at.key);
    // Up to one block in one request; above it, blocks of partSize (queueSize in flight), each a try
    // of its own, committed at the end: a reader sees the old blob or the new one.
    const s = this.settings;
    await blob.uploadData(bytes, { blockSize: s.partSize, maxSingleShotSize: s.partSize, concurrency: s.queueSize });
  }

  async putFile(localPath: string, at: ObjectLocation): Promise<void> {
    const blob = (await this.container(at.bucket)).getBlockBlobClient(at.key);
    // Each block is read from the file as a stream of its own range: at most queueSize blocks are in flight.
    // A file no larger than a block goes in one request; a larger one is staged block by block and committed at the end.
    await blob.uploadFile(localPath, { blockSize: this.settings.partSize, maxSingleShotSize: this.settings.partSize, concurrency: this.settings.queueSize });
  }

  async getToFile(at: ObjectLocation, localPath: string): Promise<void> {
    const blob = (await this.container(at.bucket)).getBlobClient(at.key);
    // One streamed GET; a connection that breaks resumes at the byte it reached (the SDK's retriable stream).
    const response = await blob.download(0, undefined, { maxRetryRequests: this.settings.retries });
    await pipeline(response.readableStreamBody as Readable, idleGuard(this.settings.idleTimeoutMs), createWriteStream(localPath));
  }

  async head(at: ObjectLocation): Promise<{ size: number } | undefined> {
    const blob = (await this.container(at.bucket)).getBlobClient(at.key);
    try {
      const properties = await blob.getProperties();
      // A directory of a hierarchical-namespace account (ADLS Gen2) is a blob marked as a folder.
      if (properties.metadata?.hdi_isfolder === "true") return undefined;
      return { size: properties.contentLength ?? 0 };
    } catch (e) {
      if (statusOf(e) === 404 && !/container/i.test(codeOf(e) ?? "")) return undefined;
      throw e;
    }
  }

  async *list(bucket: string, prefix: string): AsyncIterable<ListedObject> {
    const container = await this.container(bucket);
    for await (const blob of container.listBlobsFlat({ prefix, includeMetadata: true })) {
      // A directory of a hierarchical-namespace account is a blob marked as a folder: listed as a
      // folder marker ("dir/"), so an empty one still reads back as a directory.
      if (blob.metadata?.hdi_isfolder === "true") yield { key: `${blob.name.replace(/\/+$/, "")}/`, size: 0 };
      else yield { key: blob.name, size: blob.properties.contentLength ?? 0 };
    }
  }

  describe(error: unknown): { problem: string; missing?: boolean; denied?: boolean } {
    const status = statusOf(error);
    const code = codeOf(error);
    const message = error instanceof Error ? firstLine(error.message) : String(error);
    const name = error instanceof Error ? error.name : "";
    if (name === "CredentialUnavailableError" || name === "AuthenticationError" || name === "AggregateAuthenticationError") {
      return {
        problem:
          `no Azure credential could sign the request (${message}); give the account's key (FLYTE_AZURE_STORAGE_ACCOUNT_KEY), a SAS ` +
          "(AZURE_STORAGE_SAS_TOKEN), a connection string (AZURE_STORAGE_CONNECTION_STRING), a service principal (FLYTE_AZURE_TENANT_ID, " +
          "FLYTE_AZURE_CLIENT_ID, FLYTE_AZURE_CLIENT_SECRET), or run where a workload or managed identity is set up",
        denied: true,
      };
    }
    if (name === "AbortError") {
      return { problem: `no byte moved for ${this.settings.idleTimeoutMs} ms, ${this.settings.retries + 1} tries` };
    }
    if (code === "ETIMEDOUT" && /no data came/.test(message)) return { problem: `the download stalled: ${message}` };
    const said = [code, status === undefined ? undefined : `HTTP ${status}`].filter((x) => x !== undefined).join(", ");
    const problem = said === "" ? message : `${said}: ${message}`;
    if (status === 404 || code === "BlobNotFound" || code === "ContainerNotFound" || code === "ResourceNotFound") return { problem, missing: true };
    if (status === 403 || status === 401 || code === "AuthenticationFailed" || code === "AuthorizationFailure" || code?.startsWith("AuthorizationPermission") === true) return { problem, denied: true };
    return { problem };
  }
}

/** The account an endpoint's host names (`https://acct.blob.core.windows.net`), or, for an emulator's path-style endpoint, its first path segment. */
function accountOfEndpoint(endpoint: string): string | undefined {
  try {
    const url = new URL(endpoint);
    const host = /^([a-z0-9]+)\.blob\./i.exec(url.hostname)?.[1];
    return (host ?? url.pathname.split("/").find((s) => s !== ""))?.toLowerCase();
  } catch {
    return undefined;
  }
}

/** A body in memory as a stream of 64 KiB slices, made anew for each try. */
function inSlices(bytes: ArrayBufferView): () => Readable {
  const whole = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const slice = 64 * 1024;
  return () =>
    Readable.from(
      (function* () {
        for (let at = 0; at < whole.length; at += slice) yield whole.subarray(at, at + slice);
      })(),
      { objectMode: false },
    );
}

function statusOf(error: unknown): number | undefined {
  const status = (error as { statusCode?: unknown } | undefined)?.statusCode;
  return typeof status === "number" ? status : undefined;
}

/** The service's error code (`BlobNotFound`, `AuthenticationFailed`), from the error or its response's x-ms-error-code. */
function codeOf(error: unknown): string | undefined {
  const e = error as { code?: unknown; details?: { errorCode?: unknown }; response?: { headers?: { get?(name: string): string | undefined } } } | undefined;
  const fromDetails = e?.details?.errorCode;
  if (typeof fromDetails === "string") return fromDetails;
  const fromHeader = e?.response?.headers?.get?.("x-ms-error-code");
  if (typeof fromHeader === "string") return fromHeader;
  return typeof e?.code === "string" ? e.code : undefined;
}

function firstLine(text: string): string {
  return text.split("\n")[0]?.trim() ?? text;
}

/** Azure Blob Storage as a Storage, with explicit options: `registerStorage("abfs", new AzureBlobStorage({ connectionString }))`. */
export class AzureBlobStorage extends RemoteStorage {
  constructor(options: AzureStorageOptions = {}) {
    super(new AzureObjectClient(options), options.concurrency === undefined ? {} : { concurrency: options.concurrency });
  }
}

/** The store for abfs:// and abfss:// URIs, configured from the environment as flytekit and adlfs read it (see azureOptionsFromEnv). */
export function azureStorageFromEnv(env: NodeJS.ProcessEnv = process.env): Storage {
  return new AzureBlobStorage(azureOptionsFromEnv(env));
}
