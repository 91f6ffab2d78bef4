// Azurite's blob service (Azure Storage's own emulator, npm `azurite`) on 127.0.0.1, for the Azure
// store's tests: installed once into .cache/servers/, started per test file on a port of its own
// with its data in a temporary folder, with the containers a test asks for. It serves the
// well-known development account (devstoreaccount1) under the path /devstoreaccount1.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { BlobServiceClient } from "@azure/storage-blob";
import { ensureNpmTool, freePort, startServer, type RunningServer } from "./servers.js";

export const AZURITE_VERSION = "3.35.0";

/** Azurite's fixed development account and its published key (the emulator's, not a secret). */
export const AZURITE_ACCOUNT = "devstoreaccount1";
export const AZURITE_KEY = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

export interface RunningAzurite {
  server: RunningServer;
  /** The blob endpoint: http://127.0.0.1:<port>/devstoreaccount1. */
  blobEndpoint: string;
  /** A connection string for the account, as the SDK and adlfs take it. */
  connectionString: string;
  /** What flytekit-ts's entrypoint needs to reach it (the connection string, as adlfs reads it). */
  env: Record<string, string>;
  /** What pyflyte-execute (flytekit through adlfs) needs to reach it, and to upload there at all. */
  pythonEnv: Record<string, string>;
  /** A client for the account, for a test to look at what a run wrote. */
  client: BlobServiceClient;
  stop(): Promise<void>;
}

/** A connection string for the development account at `blobEndpoint`, with `key` (Azurite's own by default). */
export function azuriteConnectionString(blobEndpoint: string, key = AZURITE_KEY): string {
  return `DefaultEndpointsProtocol=http;AccountName=${AZURITE_ACCOUNT};AccountKey=${key};BlobEndpoint=${blobEndpoint};`;
}

/**
 * Starts Azurite's blob service with `containers` made (private unless named in `publicContainers`,
 * which anyone may read); `stop()` ends it and removes its data.
 */
export async function startAzurite(options: { containers?: readonly string[]; publicContainers?: readonly string[] } = {}): Promise<RunningAzurite> {
  const azurite = ensureNpmTool("azurite", AZURITE_VERSION);
  const port = await freePort();
  const location = mkdtempSync(join(tmpdir(), "flytekit-ts-azurite-"));
  const blobEndpoint = `http://127.0.0.1:${port}/${AZURITE_ACCOUNT}`;
  const connectionString = azuriteConnectionString(blobEndpoint);
  const client = BlobServiceClient.fromConnectionString(connectionString, { retryOptions: { maxTries: 1 } });
  let server: RunningServer;
  try {
    server = await startServer({
      name: "azurite-blob",
      command: process.execPath,
      args: [
        join(azurite, "dist/src/blob/main.js"),
        "--blobHost", "127.0.0.1",
        "--blobPort", String(port),
        "--location", location,
        "--silent",
        "--skipApiVersionCheck",
        "--loose",
      ],
      port,
      // Serving: it answers a request for the account's properties (with any status).
      ready: async () => {
        try {
          await client.getAccountInfo();
          return true;
        } catch (e) {
          return typeof (e as { statusCode?: unknown }).statusCode === "number";
        }
      },
    });
  } catch (e) {
    rmSync(location, { recursive: true, force: true });
    throw e;
  }
  for (const name of options.containers ?? []) await client.createContainer(name);
  for (const name of options.publicContainers ?? []) await client.createContainer(name, { access: "container" });
  return {
    server,
    blobEndpoint,
    connectionString,
    env: { AZURE_STORAGE_CONNECTION_STRING: connectionString },
    // flytekit attaches the execution's metadata to every upload (persistence.attach_execution_metadata),
    // which adlfs 2026.8 passes to upload_blob beside its own: "upload_blob() got multiple values for
    // keyword argument 'metadata'", and no output file or outputs.pb is written. Off, as on a cluster.
    pythonEnv: { AZURE_STORAGE_CONNECTION_STRING: connectionString, FLYTE_PERSISTENCE_ATTACH_EXECUTION_METADATA: "false" },
    client,
    async stop() {
      await server.stop();
      rmSync(location, { recursive: true, force: true });
    },
  };
}
