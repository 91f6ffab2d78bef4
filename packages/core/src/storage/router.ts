// Stores by URI scheme. A task reaches storage through its execution context, whose `storage` is a
// router: it serves local paths and file:// itself and hands every other URI to the store
// registered for its scheme. Registrations are process-wide (as TaskPlugins are), and a router made
// before a registration sees it. The cloud stores (s3, gs, abfs) are built in but loaded on the
// first use of their scheme, configured from the environment as flytekit reads it: a task that
// touches only local files never loads a cloud's client.
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

/** The built-in stores, made on first use of one of their schemes (each module loads its cloud's client). */
const BUILTIN: Record<string, () => Promise<Storage>> = {
  s3: () => import("./s3.js").then((m) => m.s3StorageFromEnv()),
  gs: () => import("./gcs.js").then((m) => m.gcsStorageFromEnv()),
  abfs: () => import("./azure.js").then((m) => m.azureStorageFromEnv()),
  abfss: () => import("./azure.js").then((m) => m.azureStorageFromEnv()),
};
const loading = new Map<string, Promise<Storage>>();

/** The built-in store for a scheme, made once (a failed load is tried again on the next use). */
function builtinStore(scheme: string): Promise<Storage> | undefined {
  const make = BUILTIN[scheme];
  if (make === undefined) return undefined;
  let pending = loading.get(scheme);
  if (pending === undefined) {
    pending = make().then(
      (store) => {
        // A registration made meanwhile wins.
        if (!registered.has(scheme)) registered.set(scheme, store);
        return registered.get(scheme) as Storage;
      },
      (e: unknown) => {
        loading.delete(scheme);
        throw e;
      },
    );
    loading.set(scheme, pending);
  }
  return pending;
}

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

  /** The store registered for a URI (a built-in store not yet loaded is not: see `resolve`). */
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

  /** The store for a URI, loading the built-in one for its scheme on first use. */
  async resolve(uri: string): Promise<Storage> {
    const scheme = schemeOf(uri);
    if (scheme !== undefined && scheme !== "file" && !this.stores.has(scheme) && this.stores === registered) {
      const builtin = builtinStore(scheme);
      if (builtin !== undefined) return builtin;
    }
    return this.storeFor(uri);
  }

  private async call<T>(uri: string, op: (store: Storage) => Promise<T>): Promise<T> {
    return op(await this.resolve(uri));
  }
}

/** The router over the process-wide registrations: what local calls and containers use unless told otherwise. */
export const defaultStorage: StorageRouter = new StorageRouter();
