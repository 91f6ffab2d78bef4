// Tables that cannot be read as they say, through the container contract (flytekit-ts-execute on
// local files): a file that is not Parquet or is cut short, a declared column the file lacks or
// holds as another type, an empty folder, a CSV with ragged rows. Each is one error document,
// SYSTEM and NON_RECOVERABLE (no retry reads it any better), whose message names the task, the
// input, the column and both types, or the file; whether the table is read before the task's code
// (a Table parameter) or by it (a StructuredDataset's all() or iter()). And an output that fails
// while being written leaves nothing at the output uri. The folders are written by pyarrow
// (test/interop/table_tasks.py's write_bad_inputs).
import { ContainerError_Kind, ExecutionError_ErrorKind, type LiteralMap } from "@flytekit-ts/core/idl";
import { existsSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { executeArgs, outputsOf, runExecute, workArea, type ExecuteResult } from "./support/execute.js";
import { datasetInputs, schemaInputs, writeBadInputs } from "./support/tables-interop.js";
import { Int } from "@flytekit-ts/core";

const TS_MODULE = "support/table-tasks.ts";
const SYSTEM_FINAL = { code: "SYSTEM", kind: ContainerError_Kind.NON_RECOVERABLE, origin: ExecutionError_ErrorKind.SYSTEM };
let folders: Record<string, string>;

beforeAll(() => {
  folders = writeBadInputs();
}, 600_000);

async function run(task: string, inputs: LiteralMap | Uint8Array): Promise<ExecuteResult & { raw: string }> {
  const area = workArea(inputs);
  return { ...(await runExecute(executeArgs(area, TS_MODULE, task), area.out)), raw: area.raw };
}

/** The message of the one error document a run left, checked to be SYSTEM, NON_RECOVERABLE, with no outputs.pb. */
function systemError(r: ExecuteResult, who: string): string {
  expect(r.files, `${who}: ${r.error?.error?.message ?? r.stderr}`).toEqual(["error.pb"]);
  expect(r.error!.error, `${who}: ${r.error!.error!.message}`).toMatchObject(SYSTEM_FINAL);
  return r.error!.error!.message;
}

/** Every file under a folder, relative to it. */
function filesUnder(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true, encoding: "utf8" }).filter((f) => statSync(join(dir, f)).isFile()).sort();
}

const READERS = ["Tables.count", "Tables.countBatches", "Tables.countWhole"] as const;

describe("a Parquet table that cannot be read: one clear SYSTEM, NON_RECOVERABLE error, however the task reads it", () => {
  it("the good table is read (the cases below fail for what they are, not for the task)", async () => {
    for (const task of READERS) {
      const r = await run(task, datasetInputs(folders.good!, "parquet"));
      expect(Int.fromLiteral(outputsOf(r, task).literals.o0!), task).toBe(3);
    }
  });

  it.each([
    ["not-parquet", "a CSV file where Parquet is said"],
    ["truncated", "the first half of a Parquet file"],
    ["footer-only", "the last 64 bytes of a Parquet file"],
  ])("%s (%s): the task, the input and the file", async (name) => {
    for (const task of READERS) {
      const message = systemError(await run(task, datasetInputs(folders[name]!, "parquet")), `${task} ${name}`);
      expect(message).toContain(`support.table-tasks.${task}`);
      expect(message).toContain("input 'df'");
      expect(message).toContain(join(folders[name]!, "00000"));
      expect(message).toMatch(/parquet/i);
    }
  });

  it("a second part file that is not Parquet, after a good one: that file is named", async () => {
    for (const task of READERS) {
      const message = systemError(await run(task, datasetInputs(folders["second-part-bad"]!, "parquet")), task);
      expect(message).toContain("input 'df'");
      expect(message).toContain(join(folders["second-part-bad"]!, "00001"));
    }
  });

  it("a declared column the file lacks: the task, the input, the column, its declared type and the columns the file has", async () => {
    for (const task of READERS) {
      const message = systemError(await run(task, datasetInputs(folders["lacks-name"]!, "parquet")), task);
      expect(message).toContain(`support.table-tasks.${task}`);
      expect(message).toContain("input 'df'");
      expect(message).toContain("column 'name'");
      expect(message).toContain("Str");
      expect(message).toContain("label");
    }
  });

  it.each([
    ["name-is-int", "name", "Str", /int64/i],
    ["id-is-float", "id", "Int", /double|float/i],
    ["id-is-timestamp", "id", "Int", /timestamp/i],
    ["parts-disagree", "id", "Int", /utf8|string/i],
  ] as const)("%s: a column whose type contradicts the declaration names the column and both types", async (name, column, declared, found) => {
    for (const task of READERS) {
      const message = systemError(await run(task, datasetInputs(folders[name]!, "parquet")), `${task} ${name}`);
      expect(message).toContain(`support.table-tasks.${task}`);
      expect(message).toContain("input 'df'");
      expect(message).toContain(`column '${column}'`);
      expect(message).toContain(declared);
      expect(message).toMatch(found);
    }
  });

  it.each(["empty", "only-hidden"])("%s: a folder without part files is no table, and the folder is named", async (name) => {
    for (const task of READERS) {
      const message = systemError(await run(task, datasetInputs(folders[name]!, "parquet")), `${task} ${name}`);
      expect(message).toContain("input 'df'");
      expect(message).toContain(folders[name]!);
    }
  });

  it("a uri where nothing is: the input and the uri", async () => {
    const nowhere = join(folders.good!, "..", "no-such-table");
    const r = await run("Tables.count", datasetInputs(nowhere, "parquet"));
    expect(r.files).toEqual(["error.pb"]);
    expect(r.error!.error!.message).toContain("input 'df'");
    expect(r.error!.error!.message).toContain(nowhere);
  });

  it("a FlyteSchema is checked the same way", async () => {
    expect(Int.fromLiteral(outputsOf(await run("Tables.countSchema", schemaInputs(folders.good!)), "countSchema good").literals.o0!)).toBe(3);
    const notParquet = systemError(await run("Tables.countSchema", schemaInputs(folders["not-parquet"]!)), "countSchema not-parquet");
    expect(notParquet).toContain("input 's'");
    expect(notParquet).toContain(join(folders["not-parquet"]!, "00000"));
    const lacks = systemError(await run("Tables.countSchema", schemaInputs(folders["lacks-name"]!)), "countSchema lacks-name");
    expect(lacks).toContain("input 's'");
    expect(lacks).toContain("column 'name'");
  });
});

describe("a CSV table that cannot be read", () => {
  it("the good one is read", async () => {
    expect(Int.fromLiteral(outputsOf(await run("Tables.countCsv", datasetInputs(folders["good-csv"]!, "csv")), "countCsv").literals.o0!)).toBe(2);
  });

  it.each([
    ["ragged-short-csv", "a row with one field of two"],
    ["ragged-long-csv", "a row with three fields of two"],
  ])("%s (%s): the file and the row", async (name) => {
    const message = systemError(await run("Tables.countCsv", datasetInputs(folders[name]!, "csv")), name);
    expect(message).toContain("support.table-tasks.Tables.countCsv");
    expect(message).toContain("input 'df'");
    expect(message).toContain(join(folders[name]!, ".csv"));
    expect(message).toMatch(/\b(line|row|record) \d+/i);
  });

  it("a value that is not of its column's declared type: the column, the type and the value", async () => {
    const message = systemError(await run("Tables.countCsv", datasetInputs(folders["csv-id-not-int"]!, "csv")), "csv-id-not-int");
    expect(message).toContain("input 'df'");
    // The codec's own words: the file, the line, the column, the type and the text.
    expect(message).toMatch(/column ['"]id['"]/);
    expect(message).toContain("Int");
    expect(message).toContain("seven");
  });

  it("a declared column the header lacks", async () => {
    const message = systemError(await run("Tables.countCsv", datasetInputs(folders["csv-lacks-name"]!, "csv")), "csv-lacks-name");
    expect(message).toContain("column 'name'");
    expect(message).toContain("label");
  });

  it("a folder without flytekit's `.csv` file: the folder and the file it looked for", async () => {
    const message = systemError(await run("Tables.countCsv", datasetInputs(folders["csv-missing-file"]!, "csv")), "csv-missing-file");
    expect(message).toContain(folders["csv-missing-file"]!);
    expect(message).toContain(".csv");
  });
});

describe("an output that fails while being written leaves nothing at the output uri", () => {
  it.each([
    ["Tables.failMidway", "as Parquet"],
    ["Tables.failMidwayCsv", "as CSV"],
    ["Tables.failMidwaySchema", "as a FlyteSchema"],
  ])("%s (the task's own generator of batches throws after two, %s): the task's error (USER), as if its body threw, and no file under the raw output prefix", async (task) => {
    const r = await run(task, new Uint8Array());
    expect(r.files, r.stderr).toEqual(["error.pb"]);
    expect(r.error!.error).toMatchObject({ kind: ContainerError_Kind.NON_RECOVERABLE, origin: ExecutionError_ErrorKind.USER });
    // As any error the task's code throws: flytekit's Trace/Message form of the error itself.
    expect(r.error!.error!.message).toMatch(/^Trace:[\s\S]*Message:\s+Error: the source failed after 2 batches/);
    expect(filesUnder(r.raw)).toEqual([]);
  });

  it.each([
    ["Tables.mixedSchemas", "a second batch whose column type contradicts the first's", "column 'id'"],
    ["Tables.wrongColumnType", "a declared Int column given as strings", "column 'id'"],
    ["Tables.lacksDeclaredColumn", "a declared column the table lacks", "column 'missing'"],
  ])("%s (%s): SYSTEM, NON_RECOVERABLE, naming the output, and no file under the raw output prefix", async (task, _what, says) => {
    // flytekit raises any failure to convert an output as FlyteNonRecoverableSystemException: a retry writes the same.
    const r = await run(task, new Uint8Array());
    const message = systemError(r, task);
    expect(message).toContain(`support.table-tasks.${task}`);
    expect(message).toContain("output 'o0'");
    expect(message).toContain(says);
    expect(filesUnder(r.raw)).toEqual([]);
  });

  it("both types are named: the declared one and the table's, or the first batch's and the later one's", async () => {
    const wrong = systemError(await run("Tables.wrongColumnType", new Uint8Array()), "wrongColumnType");
    expect(wrong).toContain("expected Int");
    expect(wrong).toMatch(/utf8|string/i);
    const mixed = systemError(await run("Tables.mixedSchemas", new Uint8Array()), "mixedSchemas");
    expect(mixed).toMatch(/int64/i);
    expect(mixed).toMatch(/utf8|string/i);
  });
});

describe("a bad input read while an output streams from it", () => {
  it("is the input's error, not the output's: the task, the input and the file", async () => {
    const r = await run("Tables.stream", datasetInputs(folders["not-parquet"]!, "parquet"));
    const message = systemError(r, "stream");
    expect(message).toContain("support.table-tasks.Tables.stream");
    expect(message).toContain("input 'df'");
    expect(message).not.toContain("output 'o0'");
    expect(message).toContain(join(folders["not-parquet"]!, "00000"));
    expect(filesUnder(r.raw)).toEqual([]);
  });
});
