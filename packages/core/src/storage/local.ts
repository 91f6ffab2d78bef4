// Local files, by path or file:// URI.
import { randomBytes } from "node:crypto";
import { cpSync, existsSync, mkdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import { basename, dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { StorageError, type Storage } from "./storage.js";

/** A file system error as a StorageError naming the uri (the system's error stays its cause). */
function failed(uri: string, e: unknown): never {
  throw new StorageError({ subject: uri, problem: e instanceof Error ? e.message : String(e) }, { cause: e });
}

/** Local files, by path or file:// URI. Writes go to a temporary file renamed into place. */
export class LocalStorage implements Storage {
  private path(uri: string): string {
    return uri.startsWith("file://") ? fileURLToPath(uri) : resolve(uri);
  }

  async read(uri: string): Promise<Uint8Array> {
    try {
      return readFileSync(this.path(uri));
    } catch (e) {
      failed(uri, e);
    }
  }

  async write(uri: string, bytes: Uint8Array): Promise<void> {
    try {
      this.writeWhole(uri, bytes);
    } catch (e) {
      failed(uri, e);
    }
  }

  private writeWhole(uri: string, bytes: Uint8Array): void {
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
    copy(uri, () => [localPath, this.path(uri)]);
  }

  async download(uri: string, localPath: string): Promise<void> {
    copy(uri, () => [this.path(uri), localPath]);
  }

  async exists(uri: string): Promise<boolean> {
    return existsSync(this.path(uri));
  }
}

/** Copies a file, or a directory and what it holds, between the paths given; a failure (the paths' too) is a StorageError naming `uri`. */
function copy(uri: string, paths: () => [from: string, to: string]): void {
  try {
    const [from, to] = paths();
    mkdirSync(dirname(to), { recursive: true });
    cpSync(from, to, { recursive: statSync(from).isDirectory() });
  } catch (e) {
    failed(uri, e);
  }
}
