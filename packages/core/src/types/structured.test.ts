import { describe, expect, it } from "vitest";
import { Int, Str } from "./scalars.js";
import { Dataset, StructuredDataset } from "./structured.js";
import { errorOf, overTheWire, roundTrip } from "./testing.js";

describe("Dataset (StructuredDataset by reference)", () => {
  it("declares a structured dataset type, with columns and format when given", () => {
    expect(Dataset.literalType.type).toMatchObject({ case: "structuredDatasetType", value: { columns: [], format: "" } });
    const t = Dataset.withColumns({ a: Int, b: Str }).withFormat("parquet");
    expect(t.literalType.type.case === "structuredDatasetType" && t.literalType.type.value.columns.map((c) => c.name)).toEqual(["a", "b"]);
    expect(t.name).toBe('Dataset("parquet"; a, b)');
  });

  it("round-trips a remote table by its uri, keeping its format", () => {
    const back = roundTrip(Dataset, new StructuredDataset("s3://b/d.parquet", { fileFormat: "parquet" })) as StructuredDataset;
    expect(back).toBeInstanceOf(StructuredDataset);
    expect([back.uri, back.fileFormat]).toEqual(["s3://b/d.parquet", "parquet"]);
    const lit = overTheWire(Dataset.toLiteral("s3://b/d.parquet"));
    expect(lit.value.case === "scalar" && lit.value.value.value.case === "structuredDataset" && lit.value.value.value.value.uri).toBe(
      "s3://b/d.parquet",
    );
  });

  it("refuses other values", () => {
    expect(errorOf(() => Dataset.toLiteral(3)).message).toBe("value: expected Dataset, got 3 (number): a table is an Arrow Table, record batches, a StructuredDataset or a uri");
    expect(errorOf(() => Dataset.toLiteral([1, 2])).message).toMatch(/^value: expected Dataset, got \[1,2\]/);
  });
});
