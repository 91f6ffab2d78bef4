// S3 as a Storage. Not built yet: its helper replaces this file.
import { StorageError, type Storage } from "./storage.js";

/** The store for this scheme, configured from the environment. */
export function s3StorageFromEnv(): Storage {
  throw new StorageError({ subject: "S3", problem: "not built yet" });
}
