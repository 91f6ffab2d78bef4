// A query's rows as an Arrow table: the types pandas' read_sql_query gives (checked against the
// real pandas in test/sqlite-tables.test.ts), declared columns as a projection and a check, and
// the errors that name the task, `results`, the column and both types.
import * as arrow from "apache-arrow";
import initSqlJs from "sql.js";
import { describe, expect, it } from "vitest";
import { Bool, Dataset, Datetime, Duration, Float, Int, List, Schema, Str } from "@flytekit-ts/core";
import { TaskOutputError } from "@flytekit-ts/core";
import { queryTable, rowsToTable, SQLite3Config, SQLite3Task } from "./index.js";
import { declaredColumns, sqliteTimeMicros, type ResultColumn } from "./table.js";

const SQL = await initSqlJs();

/** The table of a query against a fresh in-memory database (set up by `setup`). */
async function tableOf(query: string, declared?: ResultColumn[], setup = "", options: { batchSize?: number; maxBatchBytes?: number } = {}): Promise<arrow.Table> {
  const db = new SQL.Database();
  try {
    if (setup !== "") db.run(setup);
    return await queryTable(db, query, { task: "q", declared, ...options });
  } finally {
    db.close();
  }
}

const columnsOf = (t: arrow.Table) => t.schema.fields.map((f) => `${f.name}: ${f.type}`);
const valuesOf = (t: arrow.Table, name: string) => [...(t.getChild(name) ?? [])];

/** The declared columns of a Schema or Dataset token, as the executor reads them from its template. */
function declared(type: { literalType: Parameters<typeof declaredColumns>[0] }): ResultColumn[] {
  const d = declaredColumns(type.literalType);
  if ("problem" in d) throw new Error(d.problem);
  return d.columns;
}

describe("rowsToTable: the types pandas' read_sql_query gives, as Arrow", () => {
  it("INTEGER is Int64 (past 2^53 exact), REAL Float64, TEXT Utf8, BLOB Binary, NULL a null in any of them", async () => {
    const t = await tableOf(
      "select 1 as i, 1.5 as r, 'é' as s, x'00ff' as b union all select 9007199254740993, null, null, null union all select null, -2.0, '', x''",
    );
    expect(columnsOf(t)).toEqual(["i: Int64", "r: Float64", "s: Utf8", "b: Binary"]);
    expect(t.schema.fields.every((f) => f.nullable)).toBe(true);
    expect(valuesOf(t, "i")).toEqual([1n, 9007199254740993n, null]);
    expect(valuesOf(t, "r")).toEqual([1.5, null, -2]);
    expect(valuesOf(t, "s")).toEqual(["é", null, ""]);
    expect(valuesOf(t, "b")).toEqual([new Uint8Array([0, 255]), null, new Uint8Array([])]);
    expect(t.getChild("i")!.nullCount).toBe(1);
  });

  it("INTEGER with REAL is Float64, TEXT with BLOB is Binary (the text's UTF-8), only NULLs (or no rows) Null", async () => {
    const t = await tableOf("select 1 as n, 'a' as tb, null as z union all select 2.5, x'01', null");
    expect(columnsOf(t)).toEqual(["n: Float64", "tb: Binary", "z: Null"]);
    expect(valuesOf(t, "n")).toEqual([1, 2.5]);
    expect(valuesOf(t, "tb")).toEqual([new Uint8Array([0x61]), new Uint8Array([1])]);
    expect(valuesOf(t, "z")).toEqual([null, null]);
    const empty = await tableOf("select 1 as a, 'x' as b where 0");
    expect(columnsOf(empty)).toEqual(["a: Null", "b: Null"]);
    expect(empty.numRows).toBe(0);
  });

  it("keeps the query's column names and order, names that look like numbers included", async () => {
    const t = await tableOf("select 3 as b, 1, 2 as a, 'x' as \"with space\"");
    expect(t.schema.fields.map((f) => f.name)).toEqual(["b", "1", "a", "with space"]);
    // By position (a row object would list "1" first: JavaScript orders integer-like keys first).
    expect(t.schema.fields.map((_, i) => t.getChildAt(i)!.get(0))).toEqual([3n, 1n, 2n, "x"]);
  });

  it("refuses a column mixing numbers with text or blobs (pyarrow refuses pandas' objects too), and two columns of one name", async () => {
    await expect(tableOf("select 1 as c union all select 'a'")).rejects.toThrow(
      "task 'q', output 'results', column 'c': it mixes INTEGER and TEXT values (rows 1 and 2), which no Arrow column holds (pandas keeps them as Python objects, and pyarrow refuses to write those, so flytekit's SQLite3Task fails on it too); cast it to one type in the query (CAST(... AS TEXT)), or declare its columns with outputSchemaType",
    );
    await expect(tableOf("select x'01' as c union all select null union all select 2.5")).rejects.toThrow("column 'c': it mixes BLOB and REAL values (rows 1 and 3)");
    await expect(tableOf("select 1 as c union all select 'a'")).rejects.toBeInstanceOf(TaskOutputError);
    await expect(tableOf("select 1 as a, 2 as a")).rejects.toThrow(
      "task 'q', output 'results': the query gives two columns named 'a', and a table's columns need names of their own (pandas' DataFrame of it cannot be written either); name them apart with AS",
    );
    await expect(tableOf("create table x (a)")).rejects.toThrow("task 'q', output 'results': the query returns no columns (it is not a SELECT)");
  });

  it("cuts the rows into record batches of batchSize rows, and fewer where text would pass 32-bit offsets", async () => {
    const t = await tableOf("with recursive n(i) as (select 1 union all select i + 1 from n where i < 5) select i, 'abc' as s from n", undefined, "", { batchSize: 2 });
    expect(t.batches.map((b) => b.numRows)).toEqual([2, 2, 1]);
    expect(valuesOf(t, "i")).toEqual([1n, 2n, 3n, 4n, 5n]);
    expect(valuesOf(t, "s")).toEqual(["abc", "abc", "abc", "abc", "abc"]);
    // 'abc' counts 9 bytes (3 a UTF-16 unit, the most UTF-8 takes): 20 bytes hold two.
    const small = await tableOf("with recursive n(i) as (select 1 union all select i + 1 from n where i < 5) select i, 'abc' as s from n", undefined, "", { maxBatchBytes: 20 });
    expect(small.batches.map((b) => b.numRows)).toEqual([2, 2, 1]);
    expect(valuesOf(small, "s")).toHaveLength(5);
    expect((await tableOf("select 1 as a where 0")).batches.map((b) => b.numRows)).toEqual([0]);
  });

  it("takes rows given directly, as sql.js's statements give them", () => {
    const t = rowsToTable(arrow, ["a", "b"], [[1n, "x"], [null, null]], { task: "direct" });
    expect(columnsOf(t)).toEqual(["a: Int64", "b: Utf8"]);
    expect(t).toBeInstanceOf(arrow.Table);
  });
});

describe("rowsToTable: declared columns are a projection with the declared types", () => {
  const setup = "create table t (id integer, name text, price real, ok integer, at text, extra blob); insert into t values (1, 'a', 2.5, 1, '2024-05-01 12:30:00', x'01'), (2, null, null, 0, '2024-05-01T12:30:00.123456Z', null)";

  it("keeps only the declared columns, in the declared order, typed Int64, Float64, Utf8, Bool, Timestamp(us), Duration(us) as core writes them", async () => {
    const cols = declared(Schema.withColumns({ ok: Bool, at: Datetime, name: Str, price: Float, id: Int }));
    const t = await tableOf("select * from t", cols, setup);
    expect(columnsOf(t)).toEqual(["ok: Bool", "at: Timestamp<MICROSECOND>", "name: Utf8", "price: Float64", "id: Int64"]);
    expect(valuesOf(t, "ok")).toEqual([true, false]);
    expect(valuesOf(t, "at")).toEqual([Date.UTC(2024, 4, 1, 12, 30), Date.UTC(2024, 4, 1, 12, 30, 0, 123) + 0.456]);
    expect(t.getChild("at")!.data[0]!.values).toEqual(new BigInt64Array([1714566600000000n, 1714566600123456n]));
    expect(valuesOf(t, "name")).toEqual(["a", null]);
    expect(valuesOf(t, "price")).toEqual([2.5, null]);
    expect(valuesOf(t, "id")).toEqual([1n, 2n]);
    const ds = await tableOf("select id, price from t", declared(Dataset.withColumns({ price: Float })), setup);
    expect(columnsOf(ds)).toEqual(["price: Float64"]);
    const nulls = await tableOf("select null as d", declared(Schema.withColumns({ d: Duration })));
    expect(columnsOf(nulls)).toEqual(["d: Duration<MICROSECOND>"]);
  });

  it("converts what the declared type holds exactly: a whole REAL as Int, an INTEGER as Float", async () => {
    const t = await tableOf("select 2.0 as i, 3 as f, 9007199254740992 * 4 as g", declared(Dataset.withColumns({ i: Int, f: Float, g: Float })));
    expect(valuesOf(t, "i")).toEqual([2n]);
    expect(valuesOf(t, "f")).toEqual([3]);
    expect(valuesOf(t, "g")).toEqual([2 ** 55]);
  });

  it("refuses a declared column the query lacks, naming the task, results, the column and its type", async () => {
    await expect(tableOf("select id, name from t", declared(Schema.withColumns({ id: Int, Genre: Str })), setup)).rejects.toThrow(
      "task 'q', output 'results', column 'Genre': expected a column of Str, got none: the query gives no column named 'Genre' (its columns: id, name); select it, or name it with AS",
    );
    // Names are matched exactly, as pandas matches them.
    await expect(tableOf("select id as ID from t", declared(Schema.withColumns({ id: Int })), setup)).rejects.toThrow("column 'id': expected a column of Int, got none");
    // A declared name given twice by the query is refused; another name given twice is not kept, so it is no matter.
    await expect(tableOf("select 1 as a, 2 as a", declared(Schema.withColumns({ a: Int })))).rejects.toThrow("the query gives two columns named 'a'");
    expect(columnsOf(await tableOf("select 1 as a, 2 as b, 3 as b", declared(Schema.withColumns({ a: Int }))))).toEqual(["a: Int64"]);
  });

  it("refuses a value its declared type cannot hold, naming the column, both types, the value and the row, with the cast that fixes it", async () => {
    const cases: [string, ResultColumn[], string][] = [
      ["select 1 as c union all select 2.5", declared(Schema.withColumns({ c: Int })), "column 'c': expected Int, got REAL 2.5 (row 2): it is not a whole number in Int's range; cast it in the query: CAST(c AS INTEGER) AS c"],
      ["select 'x' as c", declared(Schema.withColumns({ c: Int })), `column 'c': expected Int, got TEXT "x" (row 1); cast it in the query: CAST(c AS INTEGER) AS c`],
      ["select 9007199254740993 as c", declared(Schema.withColumns({ c: Float })), "column 'c': expected Float, got INTEGER 9007199254740993 (row 1): a Float (float64) cannot hold it exactly; cast it in the query: CAST(c AS REAL) AS c"],
      ["select 7 as \"my col\"", declared(Schema.withColumns({ "my col": Str })), `column 'my col': expected Str, got INTEGER 7 (row 1); cast it in the query: CAST("my col" AS TEXT) AS "my col"`],
      ["select x'01' as c", declared(Schema.withColumns({ c: Str })), "column 'c': expected Str, got BLOB of 1 bytes (row 1)"],
      ["select 2 as c", declared(Schema.withColumns({ c: Bool })), "column 'c': expected Bool, got INTEGER 2 (row 1): SQLite has no booleans; a Bool column takes the INTEGERs 0 and 1; write it as 0 or 1 in the query: (c <> 0) AS c"],
      ["select 1.0 as c", declared(Schema.withColumns({ c: Bool })), "column 'c': expected Bool, got REAL 1.0 (row 1)"],
      ["select 1714566600 as c", declared(Schema.withColumns({ c: Datetime })), "column 'c': expected Datetime, got INTEGER 1714566600 (row 1): SQLite keeps dates as text (YYYY-MM-DD HH:MM:SS.SSS), which is what a Datetime column takes; write it as SQLite's date text in the query: datetime(c, 'unixepoch') AS c for seconds since 1970, datetime(c) for a Julian day"],
      ["select '01/05/2024' as c", declared(Schema.withColumns({ c: Datetime })), `column 'c': expected Datetime, got TEXT "01/05/2024" (row 1): it is not a date as SQLite writes them`],
      ["select 5 as c", declared(Schema.withColumns({ c: Duration })), "column 'c': expected Duration, got INTEGER 5 (row 1): SQLite has no durations, and a number does not say its unit"],
    ];
    for (const [query, cols, message] of cases) {
      const error = await tableOf(query, cols).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error, query).toBeInstanceOf(TaskOutputError);
      expect((error as Error).message, query).toContain(`task 'q', output 'results', ${message}`);
    }
  });

  it("refuses, where the task is declared, a column no SQLite value can fill", () => {
    expect(
      () => new SQLite3Task({ name: "lists", queryTemplate: "select 1", outputSchemaType: Dataset.withColumns({ a: Int, xs: List(Int) }), taskConfig: new SQLite3Config({ uri: "db" }) }),
    ).toThrow(
      "task 'lists', option 'outputSchemaType', column 'xs': a query's column can only be Int, Float, Str, Bool, Datetime or Duration (a SQLite value is a number, a text, a blob or NULL)",
    );
  });
});

describe("sqliteTimeMicros: SQLite's time text", () => {
  it("reads SQLite's formats, UTC unless a zone is given, to the microsecond", () => {
    expect(sqliteTimeMicros("2024-05-01")).toBe(1714521600000000n);
    expect(sqliteTimeMicros("2024-05-01 12:30")).toBe(1714566600000000n);
    expect(sqliteTimeMicros("2024-05-01T12:30:00.5")).toBe(1714566600500000n);
    expect(sqliteTimeMicros("2024-05-01 12:30:00.123456000")).toBe(1714566600123456n);
    expect(sqliteTimeMicros("2024-05-01 14:30:00+02:00")).toBe(1714566600000000n);
    expect(sqliteTimeMicros("2024-05-01 10:00:00-0230")).toBe(1714566600000000n);
    // Python: (datetime(99, 1, 1) - datetime(1970, 1, 1)) in microseconds (Date.UTC would read 1999).
    expect(sqliteTimeMicros("0099-01-01")).toBe(-59042995200000000n);
    expect(sqliteTimeMicros("2024-02-30")).toBe("it is not a date of the calendar");
    expect(sqliteTimeMicros("2024-05-01 12:30:00.1234567")).toMatch(/finer than a microsecond/);
  });
});
