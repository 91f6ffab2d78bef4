// Stores by URI scheme. A task reaches storage through its execution context, whose `storage` is a
// router: it serves local paths and file:// itself and hands every other URI to the store
// registered for its scheme. Registrations are process-wide (as TaskPlugins are), and a router made
// before a registration sees it.
import { HttpStorage } from "./http.js";
import { LocalStorage } from "./local.js";
import { schemeOf, StorageError, type Storage } from "./storage.js";

const KEY = Symbol.for("flytekit-ts.storage");
// Kept on globalThis so that two copies of the package share one registry.
const registered: Map<string, Storage> = ((globalThis as Record<symbol, unknown>)[KEY] as Map<string, Storage> | undefined) ??
  ((globalThis as Record<symbol, unknown>)[KEY] = new Map<string, Storage>()) as Map<string, Storage>;
const http = new HttpStorage();
if (!registered.has("http")) registered.set("http", http);
if (!registered.has("https")) registered.set("https", http);

/** Makes `storage` serve URIs of a scheme, in every context: `registerStorage("s3", new S3Storage(...))`. */
export function registerStorage(scheme: string, storage: Storage): void {
  if (!/^[a-z][a-z0-9+.-]*$/i.test(scheme)) throw new StorageError({ subject: `scheme ${JSON.stringify(scheme)}`, problem: "not a URI scheme", fix: 'give it without "://", e.g. registerStorage("s3", ...)' });
  registered.set(scheme.toLowerCase(), storage);
}

/** A Storage that hands each URI to the store for its scheme: local paths and file:// to local files. */
export class StorageRouter implements Storage {
  private readonly local = new LocalStorage();

  /** `stores`, by lower-case scheme; the process-wide registrations by default. */
  constructor(private readonly stores: ReadonlyMap<string, Storage> = registered) {}

  /** The store for a URI. */
  storeFor(uri: string): Storage {
    const scheme = schemeOf(uri);
    if (scheme === undefined || scheme === "file") return this.local;
    const store = this.stores.get(scheme);
    if (store === undefined) {
      throw new StorageError({
        subject: uri,
        problem: `no storage is registered for ${scheme}:// URIs`,
        fix: `register one with registerStorage("${scheme}", ...)`,
      });
    }
    return store;
  }

  read(uri: string): Promise<Uint8Array> {
    return this.call(uri, (s) => s.read(uri));
  }

  write(uri: string, bytes: Uint8Array): Promise<void> {
    return this.call(uri, (s) => s.write(uri, bytes));
  }

  upload(localPath: string, uri: string): Promise<void> {
    return this.call(uri, (s) => s.upload(localPath, uri));
  }

  download(uri: string, localPath: string): Promise<void> {
    return this.call(uri, (s) => s.download(uri, localPath));
  }

  exists(uri: string): Promise<boolean> {
    return this.call(uri, (s) => s.exists(uri));
  }

  private async call<T>(uri: string, op: (store: Storage) => Promise<T>): Promise<T> {
    return op(this.storeFor(uri));
  }
}

/** The router over the process-wide registrations: what local calls and containers use unless told otherwise. */
export const defaultStorage: StorageRouter = new StorageRouter();
