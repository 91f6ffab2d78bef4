import { describe, expect, it } from "vitest";
import { create } from "../../idl/codec.js";
import { LiteralMapSchema, type Literal } from "../../idl/gen/flyteidl/core/literals_pb.js";
import { BlobType_BlobDimensionality } from "../../idl/gen/flyteidl/core/types_pb.js";
import type { Storage } from "../../storage/storage.js";
import { uploadLocalInputs } from "./local-files.js";

const blob = (uri: string, dimensionality = BlobType_BlobDimensionality.SINGLE) =>
  ({ value: { case: "scalar", value: { value: { case: "blob", value: { uri, metadata: { type: { format: "", dimensionality } } } } } } }) as Literal;
const uriOf = (l: Literal | undefined) => (l?.value.case === "scalar" && l.value.value.value.case === "blob" ? l.value.value.value.value.uri : undefined);

function recording() {
  const uploads: [string, string][] = [];
  return { uploads, storage: { upload: async (from: string, to: string) => void uploads.push([from, to]) } as unknown as Storage };
}

describe("an inner task's inputs that name local paths", () => {
  const inputs = () =>
    create(LiteralMapSchema, {
      literals: {
        file: blob("/tmp/work/report.csv"),
        dir: blob("file:///tmp/work/parts", BlobType_BlobDimensionality.MULTIPART),
        remote: blob("s3://bucket/already/there.txt"),
        list: { value: { case: "collection", value: { literals: [blob("/tmp/work/a.txt")] } } } as Literal,
      },
    });

  it("are uploaded under the raw output prefix, and the literals sent name the uploads; remote ones stay", async () => {
    const { uploads, storage } = recording();
    const given = inputs();
    const sent = await uploadLocalInputs(given, storage, "s3://bucket/raw/eager1");
    expect(uploads.map(([from]) => from).sort()).toEqual(["/tmp/work/a.txt", "/tmp/work/parts", "/tmp/work/report.csv"]);
    expect(uriOf(sent.literals.file)).toMatch(/^s3:\/\/bucket\/raw\/eager1\/[0-9a-f]{32}\/report\.csv$/);
    expect(uriOf(sent.literals.dir)).toMatch(/^s3:\/\/bucket\/raw\/eager1\/[0-9a-f]{32}$/);
    expect(uriOf(sent.literals.remote)).toBe("s3://bucket/already/there.txt");
    const inList = sent.literals.list!.value.case === "collection" ? sent.literals.list!.value.value.literals[0] : undefined;
    expect(uriOf(inList)).toMatch(/^s3:\/\/bucket\/raw\/eager1\/[0-9a-f]{32}\/a\.txt$/);
    for (const [, to] of uploads) expect([uriOf(sent.literals.file), uriOf(sent.literals.dir), uriOf(inList)]).toContain(to);
    // What the body gave is left as it was (the execution's name is made from it).
    expect(uriOf(given.literals.file)).toBe("/tmp/work/report.csv");
  });

  it("are left as they are when the raw output prefix is local (a pod of this machine reads them)", async () => {
    const { uploads, storage } = recording();
    const given = inputs();
    expect(await uploadLocalInputs(given, storage, "/tmp/raw")).toBe(given);
    expect(uploads).toEqual([]);
  });
});
