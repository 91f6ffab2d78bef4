import { Table, tableFromArrays, Utf8, vectorFromArray } from "apache-arrow";
import { existsSync, mkdtempSync, readdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { Dataset, Dict, Float, FlyteSchema, Int, List, Schema, Str, StructuredDataset } from "../index.js";
import { functionTask } from "../tasks/function-form.js";
import { RecoverableError, TaskInputError, TaskOutputError } from "../tasks/errors.js";

function people(): Table {
  return tableFromArrays({ id: BigInt64Array.from([1n, 2n, 3n]), score: Float64Array.from([0.5, 1.5, NaN]) }).assign(new Table({ name: vectorFromArray(["ada", "bob", "cy"], new Utf8()) }));
}

describe("Dataset: tables written and read as files", () => {
  it("writes a returned Table as flytekit lays it out (a folder holding the Parquet part file 00000) and reads it back", async () => {
    const make = functionTask({ name: "make", outputs: Dataset }, async () => people());
    const sd = (await make({})) as StructuredDataset;
    expect(sd).toBeInstanceOf(StructuredDataset);
    expect(sd.fileFormat).toBe("parquet");
    expect(readdirSync(sd.uri!)).toEqual(["00000"]);
    const t = await sd.all();
    expect(t.numRows).toBe(3);
    expect(t.schema.fields.map((f) => f.name)).toEqual(["id", "score", "name"]);
    expect(t.getChild("name")!.toArray()).toEqual(["ada", "bob", "cy"]);
  });

  it("gives a task typed to take a whole table an Arrow Table, read before its body runs", async () => {
    const count = functionTask({ name: "count", inputs: { t: Dataset.asTable() }, outputs: Int }, async ({ t }) => (t as Table).numRows);
    expect(await count({ t: people() })).toBe(3);
  });

  it("reads only the declared columns, in the declared order, from a wider table", async () => {
    const pick = functionTask({ name: "pick", inputs: { t: Dataset.withColumns({ name: Str, id: Int }) }, outputs: Str }, async ({ t }) => {
      const table = await (t as StructuredDataset).all();
      return table.schema.fields.map((f) => `${f.name}:${String(f.type)}`).join(",");
    });
    expect(await pick({ t: people() })).toBe("name:Utf8,id:Int64");
  });

  it("names the task, the input, the column and both types when a declared column does not fit", async () => {
    const wrong = functionTask({ name: "wrong", inputs: { t: Dataset.withColumns({ name: Int }) }, outputs: Int }, async ({ t }) => (await (t as StructuredDataset).all()).numRows);
    const error = await Promise.resolve(wrong({ t: people() })).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TaskInputError);
    expect((error as Error).message).toMatch(/^task 'wrong', input 't', column 'name': expected Int, got Utf8/);
  });

  it("says which columns there are when a declared column is missing", async () => {
    const missing = functionTask({ name: "missing", inputs: { t: Dataset.withColumns({ age: Int }).asTable() }, outputs: Int }, async ({ t }) => (t as Table).numRows);
    const error = await Promise.resolve(missing({ t: people() })).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TaskInputError);
    expect((error as Error).message).toMatch(/^task 'missing', input 't', column 'age': expected Int, got nothing: .*its columns: id, score, name/);
  });

  it("refuses an output table that lacks a declared column, leaving no files", async () => {
    const bad = functionTask({ name: "bad", outputs: Dataset.withColumns({ age: Int }) }, async () => people());
    const error = await Promise.resolve(bad({})).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TaskOutputError);
    expect((error as Error).message).toMatch(/^task 'bad', output 'o0', column 'age': expected Int, got nothing/);
  });

  it("streams record batches a task yields into the file, and reads them back in batches", async () => {
    async function* batches() {
      for (let i = 0; i < 5; i++) yield tableFromArrays({ n: Int32Array.from({ length: 1000 }, (_, j) => i * 1000 + j) }).batches[0]!;
    }
    const stream = functionTask({ name: "stream", outputs: Dataset }, async () => new StructuredDataset(batches()));
    const sd = (await stream({})) as StructuredDataset;
    let rows = 0;
    let last = -1;
    for await (const b of sd.iter()) {
      rows += b.numRows;
      last = b.getChild("n")!.get(b.numRows - 1) as number;
    }
    expect(rows).toBe(5000);
    expect(last).toBe(4999);
  });

  it("refuses an empty folder, naming it", async () => {
    const dir = mkdtempSync(join(tmpdir(), "empty-table-"));
    const read = functionTask({ name: "read", inputs: { t: Dataset }, outputs: Int }, async ({ t }) => (await (t as StructuredDataset).all()).numRows);
    const error = await Promise.resolve(read({ t: new StructuredDataset(dir, { fileFormat: "parquet" }) })).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TaskInputError);
    expect((error as Error).message).toContain("a folder with nothing in it");
  });

  it("refuses a file that is not Parquet, naming the file", async () => {
    const dir = mkdtempSync(join(tmpdir(), "bad-table-"));
    writeFileSync(join(dir, "00000"), "id,name\n1,a\n");
    const read = functionTask({ name: "read2", inputs: { t: Dataset.asTable() }, outputs: Int }, async ({ t }) => (t as Table).numRows);
    const error = await Promise.resolve(read({ t: new StructuredDataset(dir, { fileFormat: "parquet" }) })).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TaskInputError);
    expect((error as Error).message).toContain(join(dir, "00000"));
  });

  it("writes and reads a FlyteSchema the same way", async () => {
    const make = functionTask({ name: "schema", outputs: Schema.withColumns({ id: Int, score: Float }) }, async () => new FlyteSchema(people()));
    const schema = (await make({})) as FlyteSchema;
    expect(readdirSync(schema.uri!)).toEqual(["00000"]);
    const t = await schema.all();
    expect(t.schema.fields.map((f) => f.name)).toEqual(["id", "score"]);
    expect(existsSync(schema.uri!)).toBe(true);
  });

  it("writes CSV as flytekit's pandas encoder does (the file .csv in the folder) and reads it with declared types", async () => {
    const make = functionTask({ name: "csv", outputs: Dataset.withFormat("csv") }, async () => people());
    const sd = (await make({})) as StructuredDataset;
    expect(sd.fileFormat).toBe("csv");
    expect(readdirSync(sd.uri!)).toEqual([".csv"]);
    const read = functionTask({ name: "csvRead", inputs: { t: Dataset.with({ format: "csv", columns: { id: Int, name: Str } }).asTable() }, outputs: Str }, async ({ t }) =>
      (t as Table).schema.fields.map((f) => `${f.name}:${String(f.type)}`).join(","),
    );
    expect(await read({ t: sd })).toBe("id:Int64,name:Utf8");
  });

  it("refuses a CSV whose row has too many fields, naming the task, the input and the line", async () => {
    const dir = mkdtempSync(join(tmpdir(), "ragged-"));
    writeFileSync(join(dir, ".csv"), "id,name\n1,a\n2,b,extra\n");
    const read = functionTask({ name: "ragged", inputs: { t: Dataset.withFormat("csv").asTable() }, outputs: Int }, async ({ t }) => (t as Table).numRows);
    const error = await Promise.resolve(read({ t: new StructuredDataset(dir, { fileFormat: "csv" }) })).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TaskInputError);
    expect((error as Error).message).toMatch(/^task 'ragged', input 't'/);
    expect((error as Error).message).toMatch(/line 3/);
  });

  it("a generator of batches the task returns that throws is the task's own error: a RecoverableError is retried", async () => {
    let attempts = 0;
    async function* flaky() {
      yield people().batches[0]!;
      if (++attempts === 1) throw new RecoverableError("the source hiccuped");
      yield people().batches[0]!;
    }
    const stream = functionTask({ name: "flakyStream", outputs: Dataset, retries: 1 }, async () => new StructuredDataset(flaky()));
    const sd = (await stream({})) as StructuredDataset;
    expect(attempts).toBe(2);
    expect((await sd.all()).numRows).toBe(6);
    async function* broken() {
      yield people().batches[0]!;
      throw new Error("boom");
    }
    const fails = functionTask({ name: "brokenStream", outputs: Dataset }, async () => new StructuredDataset(broken()));
    const error = await Promise.resolve(fails({})).catch((e: unknown) => e);
    expect((error as Error).message).toBe("Error encountered while executing 'brokenStream':\n  boom");
  });

  it("gives whole Tables inside a List and a Dict, read before the body runs, and keeps a task without tables synchronous", async () => {
    const sizes = functionTask({ name: "sizes", inputs: { ts: List(Dataset.asTable()), byName: Dict(Dataset.asTable()) }, outputs: Str }, async ({ ts, byName }) =>
      [...(ts as Table[]), ...Object.values(byName as Record<string, Table>)].map((t) => (t instanceof Table ? t.numRows : "not a Table")).join(","),
    );
    expect(await sizes({ ts: [people(), people()], byName: { a: people() } })).toBe("3,3,3");
    const plain = functionTask({ name: "plain", inputs: { xs: List(Int) }, outputs: Int }, ({ xs }) => (xs as number[]).length);
    expect(plain({ xs: [1, 2] })).toBe(2);
  });

  it("reads only the columns the literal names when the type declares none, as flytekit's decoders do", async () => {
    const make = functionTask({ name: "wide", outputs: Dataset }, async () => people());
    const sd = (await make({})) as StructuredDataset;
    const literal = Dataset.withColumns({ name: Str }).toLiteral(sd.uri!);
    const read = Dataset.fromLiteral(literal) as StructuredDataset;
    expect((await read.all()).schema.fields.map((f) => f.name)).toEqual(["name"]);
  });
});
