// Where a task's inputs, outputs and files live. Local paths and file:// URIs are built in;
// remote stores (s3, gs, abfs, ...) plug in by scheme with registerStorage, and nothing else in
// flytekit-ts needs to change for them.
import { randomBytes } from "node:crypto";
import { cpSync, existsSync, mkdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import { basename, dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

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

/** A store's error: which URI, and what went wrong. */
export class StorageError extends Error {
  override name = "StorageError";
}

/** Local files, by path or file:// URI. Writes go to a temporary file renamed into place. */
export class LocalStorage implements Storage {
  private path(uri: string): string {
    return uri.startsWith("file://") ? fileURLToPath(uri) : resolve(uri);
  }

  async read(uri: string): Promise<Uint8Array> {
    return readFileSync(this.path(uri));
  }

  async write(uri: string, bytes: Uint8Array): Promise<void> {
    const target = this.path(uri);
    mkdirSync(dirname(target), { recursive: true });
    const temp = join(dirname(target), `.${basename(target)}.${process.pid}.${randomBytes(4).toString("hex")}.tmp`);
    try {
      writeFileSync(temp, bytes);
      renameSync(temp, target);
    } catch (e) {
      rmSync(temp, { force: true });
      throw e;
    }
  }

  async upload(localPath: string, uri: string): Promise<void> {
    const target = this.path(uri);
    mkdirSync(dirname(target), { recursive: true });
    cpSync(localPath, target, { recursive: statSync(localPath).isDirectory() });
  }

  async download(uri: string, localPath: string): Promise<void> {
    const source = this.path(uri);
    mkdirSync(dirname(localPath), { recursive: true });
    cpSync(source, localPath, { recursive: statSync(source).isDirectory() });
  }

  async exists(uri: string): Promise<boolean> {
    return existsSync(this.path(uri));
  }
}

/** Objects served over HTTP(S), read-only (a database a SQLite task downloads, say). */
export class HttpStorage implements Storage {
  private async fetchOk(uri: string, method = "GET"): Promise<Response> {
    let response: Response;
    try {
      response = await fetch(uri, { method, redirect: "follow" });
    } catch (e) {
      throw new StorageError(`could not fetch ${uri}: ${e instanceof Error ? e.message : String(e)}`, { cause: e });
    }
    if (!response.ok) throw new StorageError(`could not fetch ${uri}: HTTP ${response.status} ${response.statusText}`);
    return response;
  }

  async read(uri: string): Promise<Uint8Array> {
    return new Uint8Array(await (await this.fetchOk(uri)).arrayBuffer());
  }

  async write(uri: string): Promise<void> {
    throw new StorageError(`cannot write ${uri}: HTTP(S) URIs are read-only`);
  }

  async upload(_localPath: string, uri: string): Promise<void> {
    throw new StorageError(`cannot upload to ${uri}: HTTP(S) URIs are read-only`);
  }

  async download(uri: string, localPath: string): Promise<void> {
    const bytes = await this.read(uri);
    mkdirSync(dirname(localPath), { recursive: true });
    writeFileSync(localPath, bytes);
  }

  async exists(uri: string): Promise<boolean> {
    try {
      await this.fetchOk(uri, "HEAD");
      return true;
    } catch {
      return false;
    }
  }
}

const SCHEME = /^([a-z][a-z0-9+.-]*):\/\//i;
const STORES = Symbol.for("flytekit-ts.storage");
const stores: Map<string, Storage> = ((globalThis as Record<symbol, unknown>)[STORES] as Map<string, Storage> | undefined) ??
  ((globalThis as Record<symbol, unknown>)[STORES] = new Map<string, Storage>()) as Map<string, Storage>;
const local = new LocalStorage();
const http = new HttpStorage();
if (!stores.has("http")) stores.set("http", http);
if (!stores.has("https")) stores.set("https", http);

/** Makes `storage` serve URIs of a scheme: `registerStorage("s3", new S3Storage(...))`. */
export function registerStorage(scheme: string, storage: Storage): void {
  stores.set(scheme.toLowerCase(), storage);
}

/** The store for a URI: local for paths and file://, else the one registered for its scheme. */
export function storageFor(uri: string): Storage {
  const m = SCHEME.exec(uri);
  if (m === null || m[1]!.toLowerCase() === "file") return local;
  const store = stores.get(m[1]!.toLowerCase());
  if (store === undefined) {
    throw new StorageError(`no storage is registered for ${m[1]}:// URIs (${uri}); register one with registerStorage("${m[1]}", ...)`);
  }
  return store;
}

/** A URI under a prefix: `joinUri("s3://b/out", "outputs.pb")`. */
export function joinUri(prefix: string, ...parts: string[]): string {
  if (SCHEME.test(prefix)) return [prefix.replace(/\/+$/, ""), ...parts.map((p) => p.replace(/^\/+|\/+$/g, ""))].join("/");
  return join(prefix, ...parts);
}
