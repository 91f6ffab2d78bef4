import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { LocalStorage } from "./local.js";
import { defaultStorage, registerStorage, StorageRouter } from "./router.js";
import { joinUri, StorageError, type Storage } from "./storage.js";

const dir = () => mkdtempSync(join(tmpdir(), "flytekit-ts-storage-"));

describe("LocalStorage", () => {
  it("writes whole: a reader sees the old file or the new one, and a failed write leaves nothing behind", async () => {
    const d = dir();
    const target = join(d, "outputs.pb");
    const store = new LocalStorage();
    await store.write(target, Uint8Array.of(1, 2, 3));
    await store.write(`file://${target}`, Uint8Array.of(4, 5));
    expect([...readFileSync(target)]).toEqual([4, 5]);
    expect(readdirSync(d)).toEqual(["outputs.pb"]);

    // The rename into place fails (the target is a directory that holds a file): no temporary file remains.
    const blocked = join(d, "blocked.pb");
    mkdirSync(blocked);
    writeFileSync(join(blocked, "keep"), "x");
    await expect(store.write(blocked, Uint8Array.of(9))).rejects.toThrow();
    expect(readdirSync(d).sort()).toEqual(["blocked.pb", "outputs.pb"]);
    expect(readdirSync(blocked)).toEqual(["keep"]);
  });

  it("uploads and downloads files and directories", async () => {
    const d = dir();
    mkdirSync(join(d, "src", "nested"), { recursive: true });
    writeFileSync(join(d, "src", "a.txt"), "a");
    writeFileSync(join(d, "src", "nested", "b.txt"), "b");
    const store = new LocalStorage();
    await store.upload(join(d, "src"), join(d, "remote", "dir"));
    await store.download(`file://${join(d, "remote", "dir")}`, join(d, "back"));
    expect(readFileSync(join(d, "back", "nested", "b.txt"), "utf8")).toBe("b");
    expect(await store.exists(join(d, "remote", "dir", "a.txt"))).toBe(true);
    expect(await store.exists(join(d, "nothing"))).toBe(false);
  });
});

describe("stores by scheme", () => {
  it("serves local paths and file:// itself, a registered store its scheme, and names what is missing (a scheme with no built-in store: s3, gs and abfs have theirs)", async () => {
    const router = new StorageRouter();
    expect(router.storeFor("/tmp/x")).toBeInstanceOf(LocalStorage);
    expect(router.storeFor("file:///tmp/x")).toBeInstanceOf(LocalStorage);
    expect(() => router.storeFor("mem://bucket/x")).toThrow(StorageError);
    expect(() => router.storeFor("mem://bucket/x")).toThrow('mem://bucket/x: no storage is registered for mem:// URIs; register one with registerStorage("mem", ...)');
    await expect(router.read("mem://bucket/x")).rejects.toThrow(StorageError);
    const fake = { read: async () => Uint8Array.of(7) } as unknown as Storage;
    registerStorage("MEM", fake);
    // A router made before the registration sees it, and so does the default one.
    expect(router.storeFor("mem://bucket/x")).toBe(fake);
    expect(defaultStorage.storeFor("mem://bucket/y")).toBe(fake);
    expect([...(await router.read("mem://bucket/x"))]).toEqual([7]);
    expect(() => registerStorage("mem://", fake)).toThrow('scheme "mem://": not a URI scheme; give it without "://"');
  });

  it("joins URIs and paths", () => {
    expect(joinUri("s3://bucket/out/", "/outputs.pb")).toBe("s3://bucket/out/outputs.pb");
    expect(joinUri("/tmp/out", "outputs.pb")).toBe("/tmp/out/outputs.pb");
  });
});
