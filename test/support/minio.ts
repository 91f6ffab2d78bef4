// A real MinIO on 127.0.0.1 for the S3 tests: built once into .cache/servers (servers.ts), started
// per test file on a free port with a data directory in a temp folder and a root user of its own,
// ready once /minio/health/live answers, with the buckets asked for made. It gives the endpoint and
// keys, the environment flytekit-ts-execute reads and the one flytekit reads (FLYTE_AWS_*), and an
// SDK client for the test's own checks.
import { CreateBucketCommand, S3Client } from "@aws-sdk/client-s3";
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ensureGoTool, freePort, startServer, type RunningServer } from "./servers.js";

// The SDK's warning that its 2027 releases need Node 22 is not the test run's business.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true";

export const MINIO_MODULE = "github.com/minio/minio";
export const MINIO_VERSION = "v0.0.0-20260212201848-7aac2a2c5b7c";

export interface Minio {
  /** http://127.0.0.1:<port> */
  endpoint: string;
  accessKeyId: string;
  secretAccessKey: string;
  region: string;
  /**
   * What a process reaching this MinIO needs: flytekit's variables (FLYTE_AWS_*), read by both
   * pyflyte-execute and flytekit-ts-execute, and what keeps the AWS SDKs from looking anywhere else
   * (no instance metadata, no profiles of the machine's).
   */
  env: Record<string, string>;
  /** An SDK client signed with the root keys, for the test's own reads and writes. */
  client: S3Client;
  server: RunningServer;
  /** Makes more buckets. */
  makeBuckets(...names: string[]): Promise<void>;
  /** Kills the server process (SIGKILL: a crash, a node going away) and keeps its data; `restart` brings it back. */
  halt(): Promise<void>;
  /** Starts the server again on the same port, data directory and keys (after `halt`). */
  restart(): Promise<void>;
  /** Stops the server and removes its data. */
  stop(): Promise<void>;
}

/**
 * The environment that keeps an AWS SDK (JavaScript or botocore) from reaching beyond loopback or
 * reading the machine's own credentials: instance metadata off, profiles pointed at nothing.
 */
export const ISOLATED_AWS_ENV: Record<string, string> = {
  AWS_EC2_METADATA_DISABLED: "true",
  AWS_SHARED_CREDENTIALS_FILE: "/nonexistent/flytekit-ts-test/credentials",
  AWS_CONFIG_FILE: "/nonexistent/flytekit-ts-test/config",
};

/** Starts MinIO with `buckets` made. */
export async function startMinio(buckets: readonly string[] = []): Promise<Minio> {
  const binary = ensureGoTool("minio", MINIO_MODULE, MINIO_VERSION);
  const [port, consolePort] = [await freePort(), await freePort()];
  const data = mkdtempSync(join(tmpdir(), "flytekit-ts-minio-"));
  const accessKeyId = `root${randomBytes(4).toString("hex")}`;
  const secretAccessKey = randomBytes(16).toString("hex");
  const endpoint = `http://127.0.0.1:${port}`;
  const launch = () =>
    startServer({
      name: "minio",
      command: binary,
      args: ["server", data, "--address", `127.0.0.1:${port}`, "--console-address", `127.0.0.1:${consolePort}`, "--quiet"],
      port,
      env: {
        PATH: process.env.PATH ?? "",
        HOME: data,
        MINIO_ROOT_USER: accessKeyId,
        MINIO_ROOT_PASSWORD: secretAccessKey,
        MINIO_BROWSER: "off",
        MINIO_UPDATE: "off",
        MINIO_CI_CD: "1",
      },
      ready: async () => (await fetch(`${endpoint}/minio/health/live`)).ok,
    });
  const server = await launch();
  const region = "us-east-1";
  const client = new S3Client({ endpoint, region, forcePathStyle: true, credentials: { accessKeyId, secretAccessKey } });
  const minio: Minio = {
    endpoint,
    accessKeyId,
    secretAccessKey,
    region,
    env: {
      ...ISOLATED_AWS_ENV,
      FLYTE_AWS_ENDPOINT: endpoint,
      FLYTE_AWS_ACCESS_KEY_ID: accessKeyId,
      FLYTE_AWS_SECRET_ACCESS_KEY: secretAccessKey,
      AWS_REGION: region,
    },
    client,
    server,
    async makeBuckets(...names) {
      for (const name of names) await client.send(new CreateBucketCommand({ Bucket: name }));
    },
    async halt() {
      const child = minio.server.process;
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise((r) => child.once("exit", r));
      child.kill("SIGKILL");
      await exited;
    },
    async restart() {
      await minio.server.stop();
      minio.server = await launch();
    },
    async stop() {
      client.destroy();
      await minio.server.stop();
      rmSync(data, { recursive: true, force: true });
    },
  };
  try {
    await minio.makeBuckets(...buckets);
  } catch (e) {
    await minio.stop();
    throw e;
  }
  return minio;
}

/** A node's URIs in a bucket, as propeller lays them out: its inputs, output prefix, raw output prefix and checkpoint. */
export function nodeUris(bucket: string, name: string): { inputs: string; out: string; raw: string; cp: string } {
  const base = `s3://${bucket}/metadata/exec/${name}`;
  return { inputs: `${base}/inputs.pb`, out: `${base}/out`, raw: `s3://${bucket}/raw/${name}`, cp: `${base}/cp` };
}
