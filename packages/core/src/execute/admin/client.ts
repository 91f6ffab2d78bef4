// FlyteAdmin's AdminService over gRPC: Connect's client on an HTTP/2 transport (h2c for an
// insecure endpoint, TLS otherwise), generated from flyteidl's service/admin.proto. Loaded only by
// an eager task's launcher (see ../admin-launcher.ts): a plain task never loads it.
import { Code, ConnectError, createClient, type Client, type Interceptor } from "@connectrpc/connect";
import { createGrpcTransport } from "@connectrpc/connect-node";
import { readFileSync } from "node:fs";
import { AdminService } from "../../idl/gen/flyteidl/service/admin_pb.js";
import { delay } from "../../tasks/promise.js";
import { AdminConfigError, adminBaseUrl, type AdminConfig } from "./config.js";

export type AdminClient = Client<typeof AdminService>;

/** How calls are retried: flytekit retries a failed call 3 times (`rpc_retries`). */
export interface RetryPolicy {
  /** Further tries after the first. */
  retries: number;
  /** The first wait, in ms; each next one doubles, up to `maxDelayMs`. */
  baseDelayMs: number;
  maxDelayMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = { retries: 3, baseDelayMs: 500, maxDelayMs: 8000 };

/** The codes a later try may not meet: the server or the way to it was unavailable, busy, or slow. */
const TRANSIENT = new Set([Code.Unavailable, Code.ResourceExhausted, Code.DeadlineExceeded]);

/**
 * Retries a call that failed with a transient code (each method an eager task calls is safe to
 * repeat: a repeated create is ALREADY_EXISTS). The wait between tries ends, rejecting, when the
 * call's signal aborts.
 */
export function retrying(policy: RetryPolicy, sleep: (ms: number, signal: AbortSignal) => Promise<void> = delay): Interceptor {
  return (next) => async (request) => {
    for (let attempt = 0; ; attempt++) {
      try {
        return await next(request);
      } catch (e) {
        const code = ConnectError.from(e).code;
        if (attempt >= policy.retries || !TRANSIENT.has(code) || request.signal.aborted) throw e;
        await sleep(Math.min(policy.baseDelayMs * 2 ** attempt, policy.maxDelayMs), request.signal);
      }
    }
  };
}

/** A client of FlyteAdmin at `config`'s endpoint. */
export function createAdminClient(config: AdminConfig, options: { retry?: RetryPolicy; timeoutMs?: number } = {}): AdminClient {
  let ca: Buffer | undefined;
  if (!config.insecure && config.caCertFilePath !== undefined) {
    try {
      ca = readFileSync(config.caCertFilePath);
    } catch (e) {
      throw new AdminConfigError({ subject: `FlyteAdmin CA certificate ${config.caCertFilePath}`, problem: `cannot be read: ${(e as Error).message}` });
    }
  }
  const transport = createGrpcTransport({
    baseUrl: adminBaseUrl(config),
    nodeOptions: config.insecure ? {} : { ...(ca === undefined ? {} : { ca }), rejectUnauthorized: !config.insecureSkipVerify },
    // flytekit gives each call a deadline when it syncs an execution; one call never takes long.
    defaultTimeoutMs: options.timeoutMs ?? 60_000,
    interceptors: [retrying(options.retry ?? DEFAULT_RETRY)],
  });
  return createClient(AdminService, transport);
}
