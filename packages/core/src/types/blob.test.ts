import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { Directory, File, FlyteDirectory, FlyteFile } from "./blob.js";
import { describeValue } from "./describe.js";
import { decodeMsgpack, MsgpackWriter } from "./msgpack.js";
import { errorOf, overTheWire, roundTrip } from "./testing.js";

const dir = mkdtempSync(join(tmpdir(), "flytekit-ts-blob-"));
const file = join(dir, "data.csv");
writeFileSync(file, "a,b\n1,2\n");

function blobOf(literal: ReturnType<typeof File.toLiteral>) {
  const v = literal.value;
  if (v.case !== "scalar" || v.value.value.case !== "blob") throw new Error("not a blob");
  return v.value.value.value;
}

describe("File and Directory", () => {
  it("declare Flyte blobs: single and multipart, with a format", () => {
    expect(File.literalType.type).toMatchObject({ case: "blob", value: { format: "", dimensionality: 0 } });
    expect(File.withFormat("csv").literalType.type).toMatchObject({ case: "blob", value: { format: "csv", dimensionality: 0 } });
    expect(Directory.literalType.type).toMatchObject({ case: "blob", value: { format: "", dimensionality: 1 } });
    expect([File.tag, Directory.tag]).toEqual(["FlyteFilePath", "FlyteDirectory"]);
    expect(File.withFormat("csv").name).toBe('File("csv")');
  });

  it("write a local file as its absolute path and read it back as a FlyteFile", () => {
    const back = roundTrip(File, new FlyteFile(file)) as FlyteFile;
    expect(back).toBeInstanceOf(FlyteFile);
    expect(back.path).toBe(file);
    const relative = roundTrip(File, join(dir, ".", "data.csv")) as FlyteFile;
    expect(relative.path).toBe(file);
  });

  it("write a remote URI as it is, with the declared format", () => {
    const blob = blobOf(overTheWire(File.withFormat("csv").toLiteral("s3://bucket/key.csv")));
    expect(blob.uri).toBe("s3://bucket/key.csv");
    expect(blob.metadata?.type?.format).toBe("csv");
    const back = File.fromLiteral(File.toLiteral("s3://bucket/key.csv"));
    expect(back.isRemote).toBe(true);
    expect(back.remoteSource).toBe("s3://bucket/key.csv");
    // Passed on unchanged, it keeps its URI.
    expect(blobOf(File.toLiteral(back)).uri).toBe("s3://bucket/key.csv");
  });

  it("write a directory and refuse a file where a directory is declared, and the reverse", () => {
    expect((roundTrip(Directory, new FlyteDirectory(dir)) as FlyteDirectory).path).toBe(dir);
    expect(errorOf(() => Directory.toLiteral(file)).message).toBe(`value: expected Directory, got ${describeValue(file)}: ${file} is a file`);
    expect(errorOf(() => File.toLiteral(dir)).message).toBe(`value: expected File, got ${JSON.stringify(dir)} (string): ${dir} is a directory`);
    expect(errorOf(() => File.fromLiteral(Directory.toLiteral(dir))).message).toMatch(/expected File, got a blob literal .*: it is a directory/);
  });

  it("refuse a local path with nothing there", () => {
    const missing = join(dir, "nope.txt");
    expect(errorOf(() => File.toLiteral(missing)).message).toBe(
      `value: expected File, got ${describeValue(missing)}: there is nothing at ${missing}`,
    );
    expect(errorOf(() => File.toLiteral(42)).message).toBe("value: expected File, got 42 (number)");
  });

  it("are written inside a dataclass as {path}", () => {
    const w = new MsgpackWriter();
    File.writeMsgpack(w, "s3://b/k.csv");
    const raw = decodeMsgpack(w.finish(), "File");
    expect(raw).toEqual({ path: "s3://b/k.csv" });
    expect(File.fromMsgpack(raw).path).toBe("s3://b/k.csv");
  });
});
