// fake-gcs-server (github.com/fsouza/fake-gcs-server), a Google Cloud Storage emulator, on
// 127.0.0.1 for the gs:// tests: built once into .cache/servers, started on a port of its own with
// its objects in memory, buckets made over its JSON API. `env` is what both our entrypoint and
// Python's flytekit (gcsfs) need to reach it: STORAGE_EMULATOR_HOST, which the Node client and gcsfs
// both read, and which makes both send no credentials.
import { ensureGoTool, freePort, startServer, type RunningServer } from "./servers.js";

export const FAKE_GCS_VERSION = "v1.56.1";

export interface FakeGcs {
  server: RunningServer;
  /** http://127.0.0.1:<port> */
  endpoint: string;
  /** The environment a process needs to use it for gs:// URIs (ours and flytekit's alike). */
  env: Record<string, string>;
  /** Makes a bucket (an existing one is left as it is). */
  createBucket(name: string): Promise<void>;
  stop(): Promise<void>;
}

/** Starts fake-gcs-server with `buckets` made, ready to serve. */
export async function startFakeGcs(buckets: readonly string[] = []): Promise<FakeGcs> {
  const binary = ensureGoTool("fake-gcs-server", "github.com/fsouza/fake-gcs-server", FAKE_GCS_VERSION);
  const port = await freePort();
  const endpoint = `http://127.0.0.1:${port}`;
  const server = await startServer({
    name: "fake-gcs-server",
    command: binary,
    args: ["-scheme", "http", "-host", "127.0.0.1", "-port", String(port), "-public-host", `127.0.0.1:${port}`, "-backend", "memory", "-log-level", "error"],
    port,
    ready: async () => (await fetch(`${endpoint}/storage/v1/b`)).ok,
  });
  const createBucket = async (name: string) => {
    const res = await fetch(`${endpoint}/storage/v1/b`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ name }) });
    if (!res.ok && res.status !== 409) throw new Error(`fake-gcs-server did not make bucket ${name}: ${res.status} ${await res.text()}`);
  };
  for (const b of buckets) await createBucket(b);
  return {
    server,
    endpoint,
    env: { STORAGE_EMULATOR_HOST: endpoint },
    createBucket,
    stop: () => server.stop(),
  };
}
