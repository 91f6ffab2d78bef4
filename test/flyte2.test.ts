// What a Flyte 2 task (the `flyte` package, 2.12) can exchange with a TypeScript task today, checked
// against the real package: for each row of the README's statement ("Flyte 2"), Flyte 2's type engine
// reads the LiteralType and Literal flytekit-ts writes, and writes its own for us to read. Each
// outcome is pinned exactly, so the test fails when the statement stops being true (either way).
import { fromBinary, toBinary } from "@bufbuild/protobuf";
import { LiteralSchema, LiteralTypeSchema } from "@flytekit-ts/core/idl";
import { Bool, Dataset, Datetime, defineRecord, Dict, Directory, Duration, Enum, File, Float, FlyteDirectory, FlyteFile, Int, Json, List, None, Optional, Str, StructuredDataset, Union } from "@flytekit-ts/core";
import type { AnyFlyteType } from "@flytekit-ts/core/extend";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { REPO_ROOT, runProcess, TEST_ROOT } from "./support/execute.js";
import { ensureFlyte2 } from "./support/python.js";

enum Color {
  RED = "red",
  GREEN = "green",
}

/** An enum whose members are named as their values. */
enum Level {
  LOW = "LOW",
  HIGH = "HIGH",
}

class Point {
  x = 0;
  label = "";
}
const point = defineRecord(Point, { x: Int, label: Str });

/** One row of the statement: our token and value, the Python type and value Flyte 2 uses for it. */
interface Row {
  row: string;
  token: AnyFlyteType;
  value: unknown;
  type: string;
  python: string;
}

const ROWS: Row[] = [
  { row: "`Int`", token: Int, value: 42, type: "int", python: "42" },
  { row: "`Float`", token: Float, value: 2.5, type: "float", python: "2.5" },
  { row: "`Str`", token: Str, value: "héllo", type: "str", python: "'héllo'" },
  { row: "`Bool`", token: Bool, value: true, type: "bool", python: "True" },
  { row: "`Datetime`", token: Datetime, value: new Date("2024-05-01T12:00:00.123Z"), type: "datetime.datetime", python: "datetime.datetime(2024, 5, 1, 12, 0, 0, 123000, tzinfo=datetime.timezone.utc)" },
  { row: "`Duration`", token: Duration, value: { seconds: 90, nanos: 500_000_000 }, type: "datetime.timedelta", python: "datetime.timedelta(seconds=90.5)" },
  { row: "`None`", token: None, value: null, type: "type(None)", python: "None" },
  { row: "`List(T)`", token: List(Int) as AnyFlyteType, value: [1, 2], type: "typing.List[int]", python: "[1, 2]" },
  { row: "`Dict(T)`", token: Dict(Float) as AnyFlyteType, value: { a: 1.5 }, type: "typing.Dict[str, float]", python: "{'a': 1.5}" },
  { row: "`Optional(T)`", token: Optional(Int) as AnyFlyteType, value: 7, type: "typing.Optional[int]", python: "7" },
  { row: "`Union(A, B)`", token: Union(Int, Str) as AnyFlyteType, value: "x", type: "typing.Union[int, str]", python: "'x'" },
  { row: "`Enum(E)`", token: Enum(Color) as AnyFlyteType, value: Color.GREEN, type: "Color", python: "Color.GREEN" },
  { row: '`Enum(E)` whose members are named as their values (`LOW = "LOW"`)', token: Enum(Level) as AnyFlyteType, value: Level.HIGH, type: "Level", python: "Level.HIGH" },
  { row: "`Json`", token: Json as AnyFlyteType, value: { a: 1, b: [1, "x"] }, type: "dict", python: "{'a': 1, 'b': [1, 'x']}" },
  { row: "a record class", token: point as AnyFlyteType, value: Object.assign(new Point(), { x: 1, label: "p" }), type: "Point", python: "Point(x=1, label='p')" },
  { row: "`File`", token: File, value: new FlyteFile("s3://bucket/data.csv"), type: "flyte.io.File", python: "flyte.io.File(path='s3://bucket/data.csv')" },
  { row: "`Directory`", token: Directory, value: new FlyteDirectory("s3://bucket/dir"), type: "flyte.io.Dir", python: "flyte.io.Dir(path='s3://bucket/dir')" },
  { row: "`Dataset`", token: Dataset, value: new StructuredDataset("s3://bucket/table", { fileFormat: "parquet" }), type: "flyte.io.DataFrame", python: "flyte.io.DataFrame(uri='s3://bucket/table', format='parquet')" },
];

interface Outcome {
  guess: string;
  read: string;
  same_type: boolean;
  written: string;
}

let results: Record<string, Outcome>;

beforeAll(async () => {
  const { python } = ensureFlyte2();
  const dir = mkdtempSync(join(tmpdir(), "flytekit-ts-flyte2-"));
  const cases = ROWS.map((r) => ({
    row: r.row,
    type: r.type,
    value: r.python,
    literal_type: Buffer.from(toBinary(LiteralTypeSchema, r.token.literalType)).toString("base64"),
    literal: Buffer.from(toBinary(LiteralSchema, r.token.toLiteral(r.value))).toString("base64"),
  }));
  writeFileSync(join(dir, "cases.json"), JSON.stringify(cases));
  // One Python process for every row.
  const r = await runProcess(python, [join(TEST_ROOT, "interop/flyte2_probe.py"), join(dir, "cases.json")], { cwd: dir, env: { ...process.env, HOME: dir, PYTHONDONTWRITEBYTECODE: "1" } });
  expect(r.code, r.stderr).toBe(0);
  results = JSON.parse(r.stdout) as Record<string, Outcome>;
}, 600_000);

/** What flytekit-ts reads from Flyte 2's literal for a row: the value, or the error's message. */
function weRead(row: Row): unknown {
  const written = results[row.row]!.written;
  if (written.startsWith("error: ")) return written;
  try {
    return row.token.fromLiteral(fromBinary(LiteralSchema, Buffer.from(written, "base64")));
  } catch (e) {
    return `error: ${(e as Error).message}`;
  }
}

/** Exactly what each side makes of the other's, as the README's statement says it. */
const PINNED: Record<string, { guess: string; read: string; sameType: boolean; weRead: unknown }> = {
  "`Int`": { guess: "int", read: "42", sameType: true, weRead: 42 },
  "`Float`": { guess: "float", read: "2.5", sameType: true, weRead: 2.5 },
  "`Str`": { guess: "str", read: "'héllo'", sameType: true, weRead: "héllo" },
  "`Bool`": { guess: "bool", read: "True", sameType: true, weRead: true },
  "`Datetime`": { guess: "datetime", read: "datetime.datetime(2024, 5, 1, 12, 0, 0, 123000, tzinfo=datetime.timezone.utc)", sameType: true, weRead: new Date("2024-05-01T12:00:00.123Z") },
  "`Duration`": { guess: "timedelta", read: "datetime.timedelta(seconds=90, microseconds=500000)", sameType: true, weRead: { seconds: 90, nanos: 500_000_000 } },
  "`None`": { guess: "NoneType", read: "None", sameType: true, weRead: null },
  "`List(T)`": { guess: "typing.List[int]", read: "[1, 2]", sameType: true, weRead: [1, 2] },
  "`Dict(T)`": { guess: "typing.Dict[str, float]", read: "{'a': 1.5}", sameType: true, weRead: { a: 1.5 } },
  "`Optional(T)`": { guess: "typing.Optional[int]", read: "7", sameType: true, weRead: 7 },
  "`Union(A, B)`": { guess: "typing.Union[int, str]", read: "'x'", sameType: true, weRead: "x" },
  // Flyte 2 puts the member's name on the wire and in its EnumType; we (and flytekit 1.16) the value.
  "`Enum(E)`": {
    guess: "DynamicEnum",
    read: "error: KeyError: 'green'",
    sameType: false,
    weRead: 'error: value: expected Enum("red" | "green"), got a string literal "GREEN": not one of "red", "green"',
  },
  '`Enum(E)` whose members are named as their values (`LOW = "LOW"`)': { guess: "DynamicEnum", read: "<Level.HIGH: 'HIGH'>", sameType: true, weRead: "HIGH" },
  "`Json`": { guess: "dict", read: "{'a': 1, 'b': [1, 'x']}", sameType: true, weRead: { a: 1, b: [1, "x"] } },
  // The same MessagePack both ways; but Flyte 2 tags its dataclass types and guesses none without the tag.
  "a record class": {
    guess: "error: ValueError: No transformers could reverse Flyte literal type simple: STRUCT",
    read: "Point(x=1, label='p')",
    sameType: false,
    weRead: Object.assign(new Point(), { x: 1, label: "p" }),
  },
  "`File`": { guess: "File", read: "File(path='s3://bucket/data.csv')", sameType: true, weRead: new FlyteFile("s3://bucket/data.csv") },
  "`Directory`": { guess: "Dir", read: "Dir(path='s3://bucket/dir')", sameType: true, weRead: new FlyteDirectory("s3://bucket/dir") },
  "`Dataset`": { guess: "DataFrame", read: "DataFrame(uri='s3://bucket/table', format='parquet')", sameType: true, weRead: new StructuredDataset("s3://bucket/table", { fileFormat: "parquet" }) },
};

/** The README's statement: its "Flyte 2" table, a row per token (a cell may list several), yes or no per column. */
function statement(): Map<string, boolean[]> {
  const readme = readFileSync(join(REPO_ROOT, "README.md"), "utf8");
  const section = /^### Flyte 2$([\s\S]*?)^#/m.exec(readme)?.[1];
  if (section === undefined) throw new Error('README.md has no "### Flyte 2" section');
  const rows = new Map<string, boolean[]>();
  for (const line of section.split("\n").filter((l) => l.startsWith("| ") && !l.startsWith("| token") && !l.startsWith("| ---"))) {
    const [first, ...cells] = line.split(" | ").map((c) => c.replace(/^\| |\s*\|$/g, "").trim());
    for (const name of first!.split(/, (?=`)/)) rows.set(name, cells.map((c) => c.startsWith("yes")));
  }
  return rows;
}

describe("Flyte 2 (flyte 2.12) and flytekit-ts", () => {
  it("the README states a row for every type token, and only those", () => {
    expect([...statement().keys()].sort()).toEqual(ROWS.map((r) => r.row).sort());
  });

  for (const row of ROWS) {
    it(`${row.row}: what Flyte 2 reads and writes is what the README says`, () => {
      const got = results[row.row]!;
      const ours = weRead(row);
      expect({ guess: got.guess, read: got.read, sameType: got.same_type, weRead: ours }).toEqual(PINNED[row.row]);
      const [sameType, flyteReads, weReadIt, guesses] = statement().get(row.row)!;
      expect({ sameType, flyteReads, weReadIt, guesses }).toEqual({
        sameType: got.same_type,
        flyteReads: !got.read.startsWith("error: "),
        weReadIt: !(typeof ours === "string" && ours.startsWith("error: ")),
        guesses: !got.guess.startsWith("error: "),
      });
    });
  }
});
