// Local files, by path or file:// URI.
import { randomBytes } from "node:crypto";
import { cpSync, existsSync, mkdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import { basename, dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import type { Storage } from "./storage.js";

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
