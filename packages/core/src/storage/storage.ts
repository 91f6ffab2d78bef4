// Where a task's inputs, outputs and files live: a store of objects by URI. Local paths and file://
// are built in, http(s) is read-only; a remote store (s3, gs, abfs, ...) is one class implementing
// Storage, registered for its scheme with registerStorage.
import { basename, join } from "node:path";
import { brand, FlyteError } from "../errors/flyte-error.js";

/** A store of objects by URI. */
export interface Storage {
  /** The object's bytes. */
  read(uri: string): Promise<Uint8Array>;
  /** Writes an object whole: a reader sees the old object or the new one, never a part. */
  write(uri: string, bytes: Uint8Array): Promise<void>;
  /** Copies a local file, or a directory and what it holds, to `uri`. */
  upload(localPath: string, uri: string): Promise<void>;
  /** Copies the object (a file, or a directory prefix) at `uri` to a local path. */
  download(uri: string, localPath: string): Promise<void>;
  exists(uri: string): Promise<boolean>;
}

/** A store could not do what was asked: the uri, and what went wrong. */
export class StorageError extends FlyteError {}
brand(StorageError, "StorageError");

/**
 * A store is configured wrongly (a connection string naming no account, a key without its account,
 * a bad option or environment variable): trying again cannot help, unlike most StorageErrors.
 */
export class StorageConfigError extends StorageError {}
brand(StorageConfigError, "StorageConfigError");

const SCHEME = /^([a-z][a-z0-9+.-]*):\/\//i;

/** The scheme of a URI (`s3`), or undefined for a local path. */
export function schemeOf(uri: string): string | undefined {
  return SCHEME.exec(uri)?.[1]?.toLowerCase();
}

/** Whether a path names a remote object (`s3://`, `gs://`, `abfs://`, ...) rather than a local file. */
export function isRemotePath(path: string): boolean {
  const scheme = schemeOf(path);
  return scheme !== undefined && scheme !== "file";
}

/**
 * The last segment of a uri's path as written: query and fragment left out, percent-escapes decoded
 * (unless that would put a "/" or a NUL in it), "." and ".." kept (a URL parser would resolve them
 * away); "" when the path has none.
 */
export function uriFileName(uri: string): string {
  const name = basename(uri.replace(/[?#].*$/s, "").replace(/^[a-z][a-z0-9+.-]*:\/\/[^/]*/i, ""));
  try {
    const decoded = decodeURIComponent(name);
    return decoded.includes("/") || decoded.includes("\0") ? name : decoded;
  } catch {
    return name;
  }
}

/** A URI under a prefix: `joinUri("s3://b/out", "outputs.pb")`. */
export function joinUri(prefix: string, ...parts: string[]): string {
  if (SCHEME.test(prefix)) return [prefix.replace(/\/+$/, ""), ...parts.map((p) => p.replace(/^\/+|\/+$/g, ""))].join("/");
  return join(prefix, ...parts);
}
