// GCS as a Storage. Not built yet: its helper replaces this file.
import { StorageError, type Storage } from "./storage.js";

/** The store for this scheme, configured from the environment. */
export function gcsStorageFromEnv(): Storage {
  throw new StorageError({ subject: "GCS", problem: "not built yet" });
}
