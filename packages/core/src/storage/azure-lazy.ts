// A Storage for abfs:// URIs with explicit options, which users register up front
// (`registerStorage("abfs", azureStorage({...}))`) without loading the Azure SDK: the store (azure.ts,
// its own chunk in the bundle) loads on the first call.
import type { AzureStorageOptions } from "./azure-config.js";
import type { Storage } from "./storage.js";

/**
 * A Storage for abfs:// and abfss:// URIs with these options, to register for both schemes
 * (`registerStorage("abfs", store); registerStorage("abfss", store)`). The Azure SDK loads on
 * its first use, not here.
 */
export function azureStorage(options: AzureStorageOptions = {}): Storage {
  let loaded: Promise<Storage> | undefined;
  const store = (): Promise<Storage> => {
    loaded ??= import("./azure.js").then((m) => new m.AzureBlobStorage(options)).catch((e: unknown) => {
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
