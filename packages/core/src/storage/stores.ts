// The cloud stores with explicit options, which users register up front
// (`registerStorage("s3", s3Storage({...}))`) without loading a cloud's SDK: each store module
// (s3.ts, gcs.ts, azure.ts, a chunk of its own in the bundle) loads on the store's first call.
import type { AzureStorageOptions } from "./azure-config.js";
import type { GcsStorageOptions } from "./gcs-config.js";
import type { S3StoreOptions } from "./s3-config.js";
import type { Storage } from "./storage.js";

/** A Storage that makes its real store on its first call (a failed load is tried again on the next). */
export function lazyStorage(load: () => Promise<Storage>): Storage {
  let loaded: Promise<Storage> | undefined;
  const store = (): Promise<Storage> => {
    loaded ??= load().catch((e: unknown) => {
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

/** A Storage for s3:// URIs with these options. The AWS SDK loads on its first use, not here. */
export function s3Storage(options: S3StoreOptions = {}): Storage {
  return lazyStorage(() => import("./s3.js").then((m) => new m.S3Storage(options)));
}

/** A Storage for gs:// URIs with these options. The Google client loads on its first use, not here. */
export function gcsStorage(options: GcsStorageOptions = {}): Storage {
  return lazyStorage(() => import("./gcs.js").then((m) => new m.GcsStorage(options)));
}

/**
 * A Storage for abfs:// and abfss:// URIs with these options, to register for both schemes
 * (`registerStorage("abfs", store); registerStorage("abfss", store)`). The Azure SDK loads on its
 * first use, not here.
 */
export function azureStorage(options: AzureStorageOptions = {}): Storage {
  return lazyStorage(() => import("./azure.js").then((m) => new m.AzureBlobStorage(options)));
}
