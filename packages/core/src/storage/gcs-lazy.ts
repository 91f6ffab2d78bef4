// A Storage for gs:// URIs with explicit options, which users register up front
// (`registerStorage("gs", gcsStorage({...}))`) without loading the Google client: the store (gcs.ts,
// its own chunk in the bundle) loads on the first call.
import type { GcsStorageOptions } from "./gcs-config.js";
import type { Storage } from "./storage.js";

/** A Storage for gs:// URIs with these options. The Google client loads on its first use, not here. */
export function gcsStorage(options: GcsStorageOptions = {}): Storage {
  let loaded: Promise<Storage> | undefined;
  const store = (): Promise<Storage> => {
    loaded ??= import("./gcs.js").then((m) => new m.GcsStorage(options)).catch((e: unknown) => {
      loaded = undefined;
      throw e;
    });
    return loaded;
  };
  return {
    read: async (uri) => (await store()).read(uri),
    write: async (uri, bytes) => (await store()).write(uri, bytes),
    upload: async (path, uri) => (await store()).upload(path, uri),
    download: async (uri, path) => (await store()).download(uri, path),
    exists: async (uri) => (await store()).exists(uri),
  };
}
