import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { TaskDefinitionError, TaskOutputError } from "../errors/task-errors.js";
import type { LiteralMap } from "../idl/gen/flyteidl/core/literals_pb.js";
import { BlobType_BlobDimensionality } from "../idl/gen/flyteidl/core/types_pb.js";
import { Interface, type OutputVariable } from "../interface/interface.js";
import { LocalStorage } from "../storage/local.js";
import { Directory, File, FlyteDirectory, FlyteFile } from "../types/blob.js";
import { Dict, List } from "../types/collections.js";
import { fromLiteralMap, type TypeMap } from "../types/engine.js";
import { Enum } from "../types/enum.js";
import { Json } from "../types/json.js";
import { Bool, Float, Int, None, Str } from "../types/scalars.js";
import { resolveType } from "../types/spec.js";
import { Datetime, Duration } from "../types/time.js";
import { Optional } from "../types/union.js";
import { defineRecord } from "../types/record.js";
import { checkOutputTypes, ContainerReportedError, readOutputs } from "./outputs.js";

class Point {
  x: number | bigint = 0;
  label = "";
}
defineRecord(Point, { x: Int, label: Str });

const storage = new LocalStorage();
const scratch = () => mkdtempSync(join(tmpdir(), "copilot-out-"));

function ifaceOf(types: TypeMap): Interface {
  const outputs: OutputVariable[] = Object.entries(types).map(([name, spec]) => ({ name, type: resolveType(spec), description: "" }));
  return new Interface([], outputs);
}

/** Writes the files into a fresh output folder and reads the outputs back. */
async function read(types: TypeMap, files: Record<string, string | Uint8Array>): Promise<{ map: LiteralMap; dir: string; raw: string }> {
  const root = scratch();
  const dir = join(root, "out");
  const raw = join(root, "raw");
  mkdirSync(dir);
  for (const [name, content] of Object.entries(files)) {
    mkdirSync(join(dir, name, ".."), { recursive: true });
    writeFileSync(join(dir, name), content);
  }
  return { map: await readOutputs("my.task", ifaceOf(types), dir, raw, storage), dir, raw };
}

/** The outputs as our type engine reads them, the round trip a task makes. */
async function natives(types: TypeMap, files: Record<string, string | Uint8Array>): Promise<Record<string, unknown>> {
  return fromLiteralMap(types, (await read(types, files)).map, "output") as Record<string, unknown>;
}

describe("readOutputs: each output read back as CoPilot's uploader reads it", () => {
  it("reads simple values trimmed of spaces, newlines and tabs, parsed by Go's rules, as our types' values", async () => {
    const got = await natives(
      { i: Int, big: Int, f: Float, e: Float, nan: Float, inf: Float, b: Bool, t: Bool, s: Str, d: Duration, w: Datetime, j: Json },
      {
        i: " 42\n",
        big: "9223372036854775807",
        f: "\t1.5 \n",
        e: "1e3",
        nan: "NaN",
        inf: "-inf",
        b: "F",
        t: "1",
        s: "  hello world \n\n",
        d: "1h2m3.5s",
        w: "2024-01-02T03:04:05.5+02:00\n",
        j: '{"a": 1, "b": [true, null, "x"]}',
      },
    );
    expect(got.i).toBe(42);
    expect(got.big).toBe(9223372036854775807n);
    expect(got.f).toBe(1.5);
    expect(got.e).toBe(1000);
    expect(got.nan).toBeNaN();
    expect(got.inf).toBe(-Infinity);
    expect([got.b, got.t]).toEqual([false, true]);
    expect(got.s).toBe("hello world");
    expect(got.d).toEqual({ seconds: 3723, nanos: 500_000_000 });
    expect((got.w as Date).toISOString()).toBe("2024-01-02T01:04:05.500Z");
    expect(got.j).toEqual({ a: 1, b: [true, null, "x"] });
  });

  it("reads a record (a STRUCT, which CoPilot uploads as a generic Struct) from a JSON object, as our record class", async () => {
    const got = await natives({ p: Point }, { "p.json": '{"x": 3, "label": "a<b"}\n' });
    expect(got.p).toBeInstanceOf(Point);
    expect(got.p).toEqual(Object.assign(new Point(), { x: 3, label: "a<b" }));
    await expect(read({ p: Point }, { p: "not json" })).rejects.toThrow(/output 'p': expected Point \(STRUCT\): a JSON object \(numbers within float64\), got "not json"/);
  });

  it("reads none, and a duration's fraction to the nanosecond with Go's units (µs, negative)", async () => {
    const got = await natives({ n: None, us: Duration, neg: Duration }, { n: "anything", us: "1.5µs", neg: "-1.5h" });
    expect(got.n).toBeNull();
    expect(got.us).toEqual({ seconds: 0, nanos: 1500 });
    expect(got.neg).toEqual({ seconds: -5400, nanos: 0 });
  });

  it("trims only spaces, newlines and tabs: a carriage return stays (and an Int then fails)", async () => {
    expect((await natives({ s: Str }, { s: "x\r\n" })).s).toBe("x\r");
    await expect(read({ i: Int }, { i: "3\r\n" })).rejects.toThrow(/output 'i': expected Int \(INTEGER\): a whole number/);
  });

  it("refuses text Go refuses, naming the task, the output, the expected type and the file's first bytes", async () => {
    const cases: [TypeMap, string, RegExp][] = [
      [{ o: Int }, "3.0", /^task 'my\.task', output 'o': expected Int \(INTEGER\): a whole number within int64, digits only \(Go's strconv\.ParseInt\), got "3\.0" in \/.*\/out\/o$/],
      [{ o: Int }, "1e3", /got "1e3"/],
      [{ o: Int }, "9223372036854775808", /expected Int/],
      [{ o: Float }, "1,5", /output 'o': expected Float \(FLOAT\)/],
      [{ o: Float }, "1e400", /expected Float/],
      [{ o: Bool }, "yes", /output 'o': expected Bool \(BOOLEAN\): one of 1 t T TRUE true True 0 f F FALSE false False/],
      [{ o: Duration }, "5 minutes", /expected Duration \(DURATION\): a Go duration/],
      [{ o: Duration }, "1d", /got "1d"/],
      [{ o: Datetime }, "2024-01-02 03:04:05", /expected Datetime \(DATETIME\): an RFC 3339 time/],
      [{ o: Datetime }, "2024-01-02T03:04:05", /expected Datetime/],
      [{ o: Json }, "[1, 2]", /expected Json \(STRUCT\): a JSON object/],
      [{ o: Json }, '{"a": 1e400}', /expected Json \(STRUCT\): a JSON object \(numbers within float64\), got "\{\\"a\\": 1e400\}"/],
    ];
    for (const [types, content, message] of cases) {
      const error = await read(types, { o: content }).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error, content).toBeInstanceOf(TaskOutputError);
      expect((error as Error).message, content).toMatch(message);
      expect((error as TaskOutputError).output).toBe("o");
    }
  });

  it("refuses a simple value's file over 1024 bytes (1024 is fine), quoting its start", async () => {
    expect((await natives({ s: Str }, { s: "x".repeat(1024) })).s).toHaveLength(1024);
    await expect(read({ s: Str }, { s: "y".repeat(1025) })).rejects.toThrow(/output 's': expected Str \(STRING\), a file of at most 1024 bytes, got 1025 bytes in .*, starting "y{64}"…; write a large value as a File output/);
  });

  it("refuses a folder where a simple value is expected, and a missing file", async () => {
    await expect(read({ o: Int }, { "o/inner": "1" })).rejects.toThrow(/output 'o': expected a file holding Int \(INTEGER\), got a directory at /);
    await expect(read({ o: Int, other: Int }, { other: "1" })).rejects.toThrow(/^task 'my\.task', output 'o': expected Int \(INTEGER\) in .*\/out\/o, got no file: CoPilot looks for o or one o\.\* and found neither; write the file/);
  });

  it("finds <name> first, else the one <name>.* (any extension), and refuses two", async () => {
    expect((await natives({ o: Int }, { "o.txt": "7" })).o).toBe(7);
    expect((await natives({ o: Int }, { o: "1", "o.txt": "2", "o.json": "3" })).o).toBe(1);
    await expect(read({ o: Int }, { "o.txt": "2", "o.json": "3" })).rejects.toThrow(/got 2 files matching o\.\* \(o\.json, o\.txt\), where CoPilot takes exactly one/);
    await expect(read({ o: Int }, { "ox": "2" })).rejects.toThrow(/found neither/);
  });

  it("fails with _ERROR's text before reading any output; refuses an _ERROR over 1 MiB", async () => {
    const error = await read({ o: Int }, { _ERROR: "disk full\n", o: "1" }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ContainerReportedError);
    expect((error as ContainerReportedError).text).toBe("disk full\n");
    expect((error as Error).message).toBe("task 'my.task': the container reported an error in _ERROR: disk full\n");
    // _ERROR wins even when an output is missing or wrong.
    await expect(read({ o: Int }, { _ERROR: "boom" })).rejects.toThrow(ContainerReportedError);
    await expect(read({ o: Int }, { _ERROR: "x".repeat(1024 * 1024 + 1) })).rejects.toThrow(/more than CoPilot reads/);
    await expect(read({ o: Int }, { _ERROR: "x".repeat(1024 * 1024), o: "1" })).rejects.toThrow(ContainerReportedError);
  });

  it("uploads a file to <raw output prefix>/<name> as a SINGLE blob with format \"\", which reads back as our FlyteFile", async () => {
    const { map, raw } = await read({ report: File.withFormat("csv") }, { "report.csv": "a,b\n" });
    const v = map.literals.report!.value;
    expect(v.case === "scalar" && v.value.value.case === "blob" ? v.value.value.value : undefined).toMatchObject({
      uri: join(raw, "report"),
      metadata: { type: { format: "", dimensionality: BlobType_BlobDimensionality.SINGLE } },
    });
    expect(readFileSync(join(raw, "report"), "utf8")).toBe("a,b\n");
    const file = fromLiteralMap({ report: File }, map, "output").report;
    expect(file).toBeInstanceOf(FlyteFile);
    expect(file.path).toBe(join(raw, "report"));
  });

  it("uploads a folder's files, flattened by name, under <prefix>/<name>/ as a MULTIPART blob that reads back as our FlyteDirectory", async () => {
    const { map, raw } = await read({ d: Directory }, { "d/a.txt": "A", "d/sub/b.txt": "B", "d/sub/deeper/c.txt": "C" });
    expect(readdirSync(join(raw, "d")).sort()).toEqual(["a.txt", "b.txt", "c.txt"]);
    expect(readFileSync(join(raw, "d", "c.txt"), "utf8")).toBe("C");
    const dir = fromLiteralMap({ d: Directory }, map, "output").d;
    expect(dir).toBeInstanceOf(FlyteDirectory);
    expect(dir.path).toBe(join(raw, "d"));
    // A hidden file is a file like any other; an empty folder is an empty directory.
    const hidden = await read({ d: Directory }, { "d/.keep": "" });
    expect(readdirSync(join(hidden.raw, "d"))).toEqual([".keep"]);
    const root = scratch();
    mkdirSync(join(root, "out", "d"), { recursive: true });
    const empty = await readOutputs("t", ifaceOf({ d: Directory }), join(root, "out"), join(root, "raw"), storage);
    expect(readdirSync(fromLiteralMap({ d: Directory }, empty, "output").d.path)).toEqual([]);
  });

  it("refuses two files of one name in a folder (flattening would lose one), and a file or folder of the wrong kind", async () => {
    await expect(read({ d: Directory }, { "d/x/a.txt": "1", "d/y/a.txt": "2" })).rejects.toThrow(/output 'd': the folder .* holds two files named "a\.txt" \(x\/a\.txt and y\/a\.txt\)/);
    await expect(read({ f: File }, { "f/a.txt": "1" })).rejects.toThrow(/output 'f': expected a file \(File\), got a directory at .*; declare the output as Directory/);
    await expect(read({ d: Directory }, { d: "1" })).rejects.toThrow(/output 'd': expected a directory \(Directory\), got a file at/);
  });
});

describe("checkOutputTypes: what CoPilot 1.16.8 cannot upload is refused when the task is declared", () => {
  it("takes simple values, Json and records (STRUCT), files and directories", () => {
    expect(() => checkOutputTypes("t", ifaceOf({ a: Int, b: Float, c: Str, d: Bool, e: Datetime, f: Duration, g: Json, h: File, i: Directory, j: None, k: Point }))).not.toThrow();
  });

  it("refuses lists, dicts, Optionals and enums, naming the task, the output, its type and the fix", () => {
    for (const type of [List(Int), Dict(Str), Optional(Int), Enum({ RED: "red", GREEN: "green" }, "Color"), List(File)]) {
      const error = (() => {
        try {
          checkOutputTypes("my.task", ifaceOf({ ok: Int, out: type }));
        } catch (e) {
          return e;
        }
        return undefined;
      })();
      expect(error).toBeInstanceOf(TaskDefinitionError);
      expect((error as Error).message).toMatch(
        new RegExp(`^task 'my\\.task', output 'out': a raw container task cannot return a ${resolveType(type).name.replace(/[()[\]]/g, "\\$&")}: Flyte's CoPilot uploader .*; write it as a File or a Directory`),
      );
    }
  });
});
