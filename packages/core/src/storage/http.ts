// Objects served over HTTP(S), read-only.
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import { StorageError, type Storage } from "./storage.js";

/** Objects served over HTTP(S), read-only (a database a SQLite task downloads, say). */
export class HttpStorage implements Storage {
  private async fetchOk(uri: string, method = "GET"): Promise<Response> {
    let response: Response;
    try {
      response = await fetch(uri, { method, redirect: "follow" });
    } catch (e) {
      throw new StorageError({ subject: uri, problem: `could not fetch it: ${e instanceof Error ? e.message : String(e)}` }, { cause: e });
    }
    if (!response.ok) throw new StorageError({ subject: uri, problem: `could not fetch it: HTTP ${response.status} ${response.statusText}`.trimEnd() });
    return response;
  }

  async read(uri: string): Promise<Uint8Array> {
    return new Uint8Array(await (await this.fetchOk(uri)).arrayBuffer());
  }

  async write(uri: string): Promise<void> {
    throw new StorageError({ subject: uri, problem: "cannot write it: HTTP(S) URIs are read-only" });
  }

  async upload(_localPath: string, uri: string): Promise<void> {
    throw new StorageError({ subject: uri, problem: "cannot upload to it: HTTP(S) URIs are read-only" });
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
