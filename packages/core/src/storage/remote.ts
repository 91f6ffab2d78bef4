// A remote object store (s3, gs, abfs) as a Storage. Each cloud's client implements the small
// ObjectClient surface (one object, one listing); what makes it a Storage is here, once for all of
// them: a directory is every object under a prefix, copied in parallel with a bound; a download
// lands in a temporary file renamed into place; every failure is a StorageError naming the uri.
import { randomBytes } from "node:crypto";
import { mkdirSync, readdirSync, renameSync, rmSync, statSync } from "node:fs";
import { basename, dirname, isAbsolute, join, relative, resolve, sep } from "node:path";
import { StorageError, type Storage } from "./storage.js";

/** An object in a listing: its key (the path under the bucket) and size in bytes. */
export interface ListedObject {
  key: string;
  size: number;
}

/** Where an object lives in a store: its bucket (or container) and key. */
export interface ObjectLocation {
  bucket: string;
  key: string;
}

/**
 * What a cloud's client does for RemoteStorage. Each method works on one object (or lists one
 * prefix) and throws the client's own error; RemoteStorage names the uri and classifies it with
 * `describe`. Clients retry throttling and 5xx answers themselves (each SDK's retry policy,
 * configured by the store) and bound each request's time.
 */
export interface ObjectClient {
  /** The scheme(s) it serves, for messages: "s3", "gs", "abfs". */
  readonly scheme: string;
  /** Splits a uri of its scheme into bucket and key; throws a StorageError for a malformed one. */
  locate(uri: string): ObjectLocation;
  /** A uri for a key in a bucket, as `locate` reads it. */
  uriOf(bucket: string, key: string, like: string): string;
  /** The whole object (small ones: inputs.pb, a template). */
  get(at: ObjectLocation): Promise<Uint8Array>;
  /** Writes an object whole in one request; the store makes it visible at once or not at all. */
  put(at: ObjectLocation, bytes: Uint8Array): Promise<void>;
  /** Streams a local file to an object (multipart when large); never holds the file in memory. */
  putFile(localPath: string, at: ObjectLocation, size: number): Promise<void>;
  /** Streams an object into a local file (which the caller renames into place). */
  getToFile(at: ObjectLocation, localPath: string): Promise<void>;
  /** The object's size, or undefined when there is none at that key. */
  head(at: ObjectLocation): Promise<{ size: number } | undefined>;
  /** Every object whose key starts with `prefix` (a "directory" when it ends with "/"), at any depth. */
  list(bucket: string, prefix: string): AsyncIterable<ListedObject>;
  /** What went wrong, in words, and whether the object was missing or the request denied. */
  describe(error: unknown): { problem: string; missing?: boolean; denied?: boolean };
}

/** How many objects a directory upload or download moves at once. */
export const DEFAULT_TRANSFER_CONCURRENCY = 8;

/** Runs `work` over `items` with at most `limit` at once; the first failure stops new work and is thrown once all started work settles. */
export async function eachLimited<T>(items: readonly T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  let failure: { error: unknown } | undefined;
  const worker = async () => {
    while (failure === undefined && next < items.length) {
      const item = items[next++] as T;
      try {
        await work(item);
      } catch (e) {
        failure ??= { error: e };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(Math.max(1, limit), items.length) }, worker));
  if (failure !== undefined) throw failure.error;
}

/**
 * What a local directory holds, as paths relative to it with "/" separators: its files, and the
 * directories that hold nothing ("" for the directory itself when it is empty).
 */
function localTree(root: string): { files: string[]; emptyDirs: string[] } {
  const files: string[] = [];
  const emptyDirs: string[] = [];
  const walk = (dir: string) => {
    const entries = readdirSync(dir, { withFileTypes: true });
    let holds = false;
    for (const entry of entries) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) {
        walk(path);
        holds = true;
      } else if (entry.isFile() || statSync(path).isFile()) {
        files.push(relative(root, path).split(sep).join("/"));
        holds = true;
      }
    }
    if (!holds) emptyDirs.push(relative(root, dir).split(sep).join("/"));
  };
  walk(root);
  return { files: files.sort(), emptyDirs: emptyDirs.sort() };
}

/** Where a key's path under a downloaded directory lands, or undefined when it would leave `root` (a `..` in the key, say). */
function inside(root: string, rel: string): string | undefined {
  const target = resolve(root, ...rel.split("/"));
  const back = relative(root, target);
  return back === "" || back.startsWith("..") || isAbsolute(back) ? undefined : target;
}

/** A remote object store as a Storage, over one cloud's ObjectClient. */
export class RemoteStorage implements Storage {
  constructor(
    readonly client: ObjectClient,
    private readonly options: { concurrency?: number } = {},
  ) {}

  private get concurrency(): number {
    return this.options.concurrency ?? DEFAULT_TRANSFER_CONCURRENCY;
  }

  /** The client's error as a StorageError naming the uri and what was being done. */
  private failed(uri: string, doing: string, e: unknown): StorageError {
    if (e instanceof StorageError) return e;
    const { problem, missing, denied } = this.client.describe(e);
    const what = missing ? "no object is there" : denied ? "the request was denied" : problem;
    const detail = missing || denied ? ` (${problem})` : "";
    return new StorageError({ subject: uri, problem: `could not ${doing} it: ${what}${detail}` }, { cause: e });
  }

  async read(uri: string): Promise<Uint8Array> {
    const at = this.client.locate(uri);
    try {
      return await this.client.get(at);
    } catch (e) {
      throw this.failed(uri, "read", e);
    }
  }

  async write(uri: string, bytes: Uint8Array): Promise<void> {
    const at = this.client.locate(uri);
    try {
      await this.client.put(at, bytes);
    } catch (e) {
      throw this.failed(uri, "write", e);
    }
  }

  async upload(localPath: string, uri: string): Promise<void> {
    const at = this.client.locate(uri);
    let stats;
    try {
      stats = statSync(localPath);
    } catch (e) {
      throw new StorageError({ subject: uri, problem: `could not upload ${localPath} to it: ${e instanceof Error ? e.message : String(e)}` }, { cause: e });
    }
    if (!stats.isDirectory()) {
      try {
        await this.client.putFile(localPath, at, stats.size);
      } catch (e) {
        throw this.failed(uri, "upload to", e);
      }
      return;
    }
    const prefix = at.key === "" || at.key.endsWith("/") ? at.key : `${at.key}/`;
    const tree = localTree(localPath);
    // An empty directory is a folder marker (an empty object whose key ends in "/", as the clouds'
    // consoles make them): without one, an empty Directory output would read back as nothing there.
    const markers = tree.emptyDirs.map((rel) => (rel === "" ? prefix : `${prefix}${rel}/`)).filter((key) => key !== "");
    await eachLimited(markers, this.concurrency, async (key) => {
      try {
        await this.client.put({ bucket: at.bucket, key }, new Uint8Array(0));
      } catch (e) {
        throw this.failed(this.client.uriOf(at.bucket, key, uri), "upload to", e);
      }
    });
    await eachLimited(tree.files, this.concurrency, async (rel) => {
      const key = prefix + rel;
      const path = join(localPath, ...rel.split("/"));
      try {
        await this.client.putFile(path, { bucket: at.bucket, key }, statSync(path).size);
      } catch (e) {
        throw this.failed(this.client.uriOf(at.bucket, key, uri), "upload to", e);
      }
    });
  }

  async download(uri: string, localPath: string): Promise<void> {
    const at = this.client.locate(uri);
    // A key that names an object is a file; otherwise it is the prefix of a directory.
    let head: { size: number } | undefined;
    try {
      head = at.key === "" || at.key.endsWith("/") ? undefined : await this.client.head(at);
    } catch (e) {
      throw this.failed(uri, "download", e);
    }
    if (head !== undefined) {
      await this.fetchFile(uri, at, localPath);
      return;
    }
    const prefix = at.key === "" || at.key.endsWith("/") ? at.key : `${at.key}/`;
    const objects: ListedObject[] = [];
    const markers: string[] = [];
    try {
      for await (const object of this.client.list(at.bucket, prefix)) {
        // A folder marker ("dir/") holds nothing to copy, but says the directory is there.
        if (object.key.endsWith("/")) markers.push(object.key);
        else objects.push(object);
      }
    } catch (e) {
      throw this.failed(uri, "list", e);
    }
    if (objects.length === 0 && markers.length === 0) throw new StorageError({ subject: uri, problem: "could not download it: no object is there, and no object is under it" });
    const root = resolve(localPath);
    mkdirSync(root, { recursive: true });
    for (const marker of markers) {
      const rel = marker.slice(prefix.length).replace(/\/+$/, "");
      const target = rel === "" ? root : inside(root, rel);
      if (target === undefined) throw new StorageError({ subject: this.client.uriOf(at.bucket, marker, uri), problem: `refusing to download it: its key leads out of ${root}` });
      mkdirSync(target, { recursive: true });
    }
    await eachLimited(objects, this.concurrency, async (object) => {
      const target = inside(root, object.key.slice(prefix.length));
      if (target === undefined) {
        throw new StorageError({ subject: this.client.uriOf(at.bucket, object.key, uri), problem: `refusing to download it: its key leads out of ${root}` });
      }
      await this.fetchFile(this.client.uriOf(at.bucket, object.key, uri), { bucket: at.bucket, key: object.key }, target);
    });
  }

  /** Streams one object into a temporary file beside `target`, renamed into place when whole. */
  private async fetchFile(uri: string, at: ObjectLocation, target: string): Promise<void> {
    mkdirSync(dirname(target), { recursive: true });
    const temp = join(dirname(target), `.${basename(target)}.${process.pid}.${randomBytes(4).toString("hex")}.part`);
    try {
      await this.client.getToFile(at, temp);
      renameSync(temp, target);
    } catch (e) {
      rmSync(temp, { force: true });
      throw this.failed(uri, "download", e);
    }
  }

  async exists(uri: string): Promise<boolean> {
    const at = this.client.locate(uri);
    try {
      if (at.key !== "" && !at.key.endsWith("/") && (await this.client.head(at)) !== undefined) return true;
      const prefix = at.key === "" || at.key.endsWith("/") ? at.key : `${at.key}/`;
      for await (const _ of this.client.list(at.bucket, prefix)) return true;
      return false;
    } catch (e) {
      throw this.failed(uri, "look for", e);
    }
  }
}
