import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { RemoteStorage, type ListedObject, type ObjectClient, type ObjectLocation } from "./remote.js";
import { StorageError } from "./storage.js";

/** Objects in memory, by key: RemoteStorage's own rules (what a directory is, where a key lands) need no server. */
class MemoryClient implements ObjectClient {
  readonly scheme = "mem";
  readonly objects = new Map<string, Uint8Array>();
  locate(uri: string): ObjectLocation {
    const m = /^mem:\/\/([^/]+)\/?(.*)$/s.exec(uri);
    if (m === null) throw new StorageError({ subject: uri, problem: "not a mem:// uri" });
    return { bucket: m[1]!, key: m[2]! };
  }
  uriOf(bucket: string, key: string): string {
    return `mem://${bucket}/${key}`;
  }
  async get(at: ObjectLocation): Promise<Uint8Array> {
    const bytes = this.objects.get(at.key);
    if (bytes === undefined) throw Object.assign(new Error("NoSuchKey"), { missing: true });
    return bytes;
  }
  async put(at: ObjectLocation, bytes: Uint8Array): Promise<void> {
    this.objects.set(at.key, bytes);
  }
  async putFile(localPath: string, at: ObjectLocation): Promise<void> {
    this.objects.set(at.key, readFileSync(localPath));
  }
  async getToFile(at: ObjectLocation, localPath: string): Promise<void> {
    writeFileSync(localPath, await this.get(at));
  }
  async head(at: ObjectLocation): Promise<{ size: number } | undefined> {
    const bytes = this.objects.get(at.key);
    return bytes === undefined ? undefined : { size: bytes.length };
  }
  async *list(_bucket: string, prefix: string): AsyncIterable<ListedObject> {
    for (const [key, bytes] of [...this.objects].sort()) if (key.startsWith(prefix)) yield { key, size: bytes.length };
  }
  describe(error: unknown): { problem: string; missing?: boolean } {
    return { problem: String(error), missing: (error as { missing?: boolean }).missing };
  }
}

describe("RemoteStorage", () => {
  it("refuses a listed key that would land outside the directory, naming it, and writes nothing outside", async () => {
    const client = new MemoryClient();
    client.objects.set("dirs/evil/ok.txt", new TextEncoder().encode("ok"));
    client.objects.set("dirs/evil/../../escape.txt", new TextEncoder().encode("x"));
    const root = mkdtempSync(join(tmpdir(), "flytekit-ts-remote-"));
    const store = new RemoteStorage(client);
    await expect(store.download("mem://b/dirs/evil", join(root, "in", "evil"))).rejects.toThrow(
      `mem://b/dirs/evil/../../escape.txt: refusing to download it: its key leads out of ${join(root, "in", "evil")}`,
    );
    expect(readdirSync(root)).toEqual(["in"]);
    expect(readdirSync(join(root, "in"))).toEqual(["evil"]);
  });

  it("a directory is its objects and its folder markers; nothing at all under a prefix is an error", async () => {
    const client = new MemoryClient();
    const store = new RemoteStorage(client);
    const root = mkdtempSync(join(tmpdir(), "flytekit-ts-remote-"));
    client.objects.set("d/", new Uint8Array());
    client.objects.set("d/sub/", new Uint8Array());
    await store.download("mem://b/d", join(root, "d"));
    expect(readdirSync(join(root, "d"))).toEqual(["sub"]);
    expect(await store.exists("mem://b/d")).toBe(true);
    await expect(store.download("mem://b/none", join(root, "none"))).rejects.toThrow("mem://b/none: could not download it: no object is there, and no object is under it");
  });
});
