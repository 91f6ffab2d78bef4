// Azure Blob Storage as a Storage. Not built yet: its helper replaces this file.
import { StorageError, type Storage } from "./storage.js";

/** The store for this scheme, configured from the environment. */
export function azureStorageFromEnv(): Storage {
  throw new StorageError({ subject: "Azure Blob Storage", problem: "not built yet" });
}
