// CoPilot's data contract with remote files: a raw container task's File and Directory inputs in a
// real MinIO (S3) fetched into the input folder, and its file outputs uploaded under an s3:// raw
// output prefix, through the S3 store, as on a cluster.
import { s3Storage, type Storage } from "@flytekit-ts/core/extend";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { writeInputs } from "../packages/core/src/copilot/inputs.js";
import { readOutputs } from "../packages/core/src/copilot/outputs.js";
import { decode } from "../packages/core/src/idl/codec.js";
import { LiteralMapSchema } from "../packages/core/src/idl/gen/flyteidl/core/literals_pb.js";
import { Interface } from "../packages/core/src/interface/interface.js";
import { Directory, File } from "../packages/core/src/types/blob.js";
import { List } from "../packages/core/src/types/collections.js";
import { fromLiteralMap, toLiteralMap } from "../packages/core/src/types/engine.js";
import { startMinio, type Minio } from "./support/minio.js";

let minio: Minio;
let store: Storage;
let scratch: string;

beforeAll(async () => {
  minio = await startMinio(["data"]);
  store = s3Storage({ endpoint: minio.endpoint, credentials: { accessKeyId: minio.accessKeyId, secretAccessKey: minio.secretAccessKey } });
  scratch = mkdtempSync(join(tmpdir(), "flytekit-ts-copilot-s3-"));
}, 600_000);

afterAll(async () => {
  await minio?.stop();
  if (scratch) rmSync(scratch, { recursive: true, force: true });
});

describe("CoPilot's contract with files in S3", () => {
  it("fetches File, Directory and a list of Files from s3:// into the input folder; inputs.pb names the local copies", async () => {
    await store.write("s3://data/in/report.csv", new TextEncoder().encode("a,b\n1,2\n"));
    await store.write("s3://data/in/folder/top.txt", new TextEncoder().encode("top"));
    await store.write("s3://data/in/folder/sub/deep.txt", new TextEncoder().encode("deep"));
    await store.write("s3://data/in/x0", new TextEncoder().encode("zero"));
    const types = { f: File, d: Directory, fs: List(File) };
    const inputs = toLiteralMap(types, { f: "s3://data/in/report.csv", d: "s3://data/in/folder", fs: ["s3://data/in/x0"] });
    const iface = new Interface(
      Object.entries(types).map(([name, type]) => ({ name, type, optional: false, hasDefaultValue: false, description: "" })),
      [],
    );
    const dir = join(scratch, "inputs");
    await writeInputs("t", inputs, iface, dir, "JSON", store);
    expect(readFileSync(join(dir, "f"), "utf8")).toBe("a,b\n1,2\n");
    expect(readFileSync(join(dir, "d", "top.txt"), "utf8")).toBe("top");
    expect(readFileSync(join(dir, "d", "sub", "deep.txt"), "utf8")).toBe("deep");
    expect(readFileSync(join(dir, "fs", "0"), "utf8")).toBe("zero");
    const local = fromLiteralMap(types, decode(LiteralMapSchema, readFileSync(join(dir, "inputs.pb"))));
    expect([local.f.path, local.d.path, local.fs[0]!.path]).toEqual([join(dir, "f"), join(dir, "d"), join(dir, "fs", "0")]);
  });

  it("uploads a file and a folder's files (flattened) under an s3:// raw output prefix, as our File and Directory", async () => {
    const out = join(scratch, "outputs");
    mkdirSync(join(out, "d", "sub"), { recursive: true });
    writeFileSync(join(out, "f.csv"), "x,y\n");
    writeFileSync(join(out, "d", "a.txt"), "A");
    writeFileSync(join(out, "d", "sub", "b.txt"), "B");
    const types = { f: File, d: Directory };
    const iface = new Interface([], Object.entries(types).map(([name, type]) => ({ name, type, description: "" })));
    const literals = await readOutputs("t", iface, out, "s3://data/raw/attempt-1", store);
    const natives = fromLiteralMap(types, literals, "output");
    expect([natives.f.path, natives.d.path]).toEqual(["s3://data/raw/attempt-1/f", "s3://data/raw/attempt-1/d"]);
    expect(new TextDecoder().decode(await store.read("s3://data/raw/attempt-1/f"))).toBe("x,y\n");
    expect(new TextDecoder().decode(await store.read("s3://data/raw/attempt-1/d/a.txt"))).toBe("A");
    expect(new TextDecoder().decode(await store.read("s3://data/raw/attempt-1/d/b.txt"))).toBe("B");
    expect(await store.exists("s3://data/raw/attempt-1/d/sub/b.txt")).toBe(false);
  });
});
