// Every literal we write must be what Python flytekit 1.16.24 writes for the same value, and every
// literal it wrote must read back into the TypeScript value we expect. golden/ holds what flytekit
// itself wrote (see golden/README.md); vectors/flytekit-types.json holds more cases written the
// same way by test/interop/gen_type_vectors.py. Every case is declared twice where TypeScript can
// say its type: with tokens (below), and by TypeScript's types alone (test/fixtures/golden-typed,
// analysed in-process: test/support/golden-typed.ts); both must write flytekit's bytes.
import "reflect-metadata";
import { equals, fromBinary, toBinary, toJson } from "@bufbuild/protobuf";
import { LiteralSchema, LiteralTypeSchema, type Literal, type LiteralType } from "@flytekit-ts/core/idl";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { Color, ColorType, Event, Inventory, Line, Point } from "./support/golden-types.js";
import { nanosOfSecond, parseIsoDatetime, typeOf } from "@flytekit-ts/core/internal";
import { type AnyFlyteType } from "@flytekit-ts/core/extend";
import { GoldenTypes, Literals } from "./support/golden-typed.js";
import { Bool, Dataset, Datetime, Dict, Directory, Duration, File, Float, FlyteDirectory, FlyteFile, Int, Json, List, None, Optional, Str, StructuredDataset, taskOf, Union, type TaskLike } from "@flytekit-ts/core";

const here = import.meta.dirname;

interface Case {
  /** The declared type. */
  type: AnyFlyteType;
  /** The value Python converted, as TypeScript writes it. */
  value: unknown;
  /** What reading flytekit's literal must give (defaults to `value`). */
  read?: unknown;
}

function line(): Line {
  return Object.assign(new Line(), { a: Point.of(1, 2.5), b: Point.of(-3, 0), label: "diag", tags: ["t1", "t2"] });
}

const goldenCases: Record<string, Case> = {
  int_0: { type: Int, value: 0 },
  int_42: { type: Int, value: 42 },
  int_max_int64: { type: Int, value: 2n ** 63n - 1n },
  float_1_5: { type: Float, value: 1.5 },
  float_nan: { type: Float, value: Number.NaN },
  str_unicode: { type: Str, value: "héllo ✓ 🚀" },
  bool_true: { type: Bool, value: true },
  // A Date holds milliseconds; Python's value has microseconds, which parseIsoDatetime keeps.
  datetime_utc: { type: Datetime, value: parseIsoDatetime("2024-05-06T07:08:09.123456+00:00"), read: new Date("2024-05-06T07:08:09.123Z") },
  timedelta_90s_5us: { type: Duration, value: { seconds: 90, nanos: 5000 } },
  list_int: { type: List(Int), value: [1, 2, 3] },
  dict_str_int: { type: Dict(Int), value: { a: 1, b: 2 } },
  optional_int_none: { type: Optional(Int), value: null },
  optional_int_5: { type: Optional(Int), value: 5 },
  union_int_str_3: { type: Union(Int, Str), value: 3 },
  enum_color_red: { type: ColorType, value: Color.RED },
  dataclass_point: { type: typeOf(Point), value: Point.of(1, 2.5) },
  dataclass_line: { type: typeOf(Line), value: line() },
  untyped_dict: { type: Json, value: { a: 1, b: [1, 2], c: { d: null } } },
};

const extraCases: Record<string, Case> = {
  flytefile_remote: { type: File, value: new FlyteFile("s3://bucket/key.csv") },
  flytefile_csv_remote: { type: File.withFormat("csv"), value: new FlyteFile("s3://bucket/key.csv") },
  flytefile_remote_str: { type: File, value: "s3://bucket/key.csv", read: new FlyteFile("s3://bucket/key.csv") },
  flytedirectory_remote: { type: Directory, value: new FlyteDirectory("s3://bucket/dir") },
  structured_dataset_remote: { type: Dataset, value: new StructuredDataset("s3://bucket/data.parquet") },
};

const vectorCases: Record<string, Case> = {
  none: { type: None, value: null },
  int_neg: { type: Int, value: -7 },
  int_min_int64: { type: Int, value: -(2n ** 63n) },
  int_2_pow_53_plus_1: { type: Int, value: 2n ** 53n + 1n },
  float_neg_inf: { type: Float, value: Number.NEGATIVE_INFINITY },
  float_inf: { type: Float, value: Number.POSITIVE_INFINITY },
  float_0: { type: Float, value: 0 },
  str_empty: { type: Str, value: "" },
  bool_false: { type: Bool, value: false },
  datetime_before_1970: { type: Datetime, value: new Date("1969-12-31T23:59:59.999Z") },
  datetime_epoch: { type: Datetime, value: new Date(0) },
  timedelta_neg_1us: { type: Duration, value: { seconds: 0, nanos: -1000 } },
  timedelta_neg_day_plus_5s: { type: Duration, value: { seconds: -86395, nanos: 0 } },
  timedelta_zero: { type: Duration, value: { seconds: 0, nanos: 0 } },
  list_empty: { type: List(Int), value: [] },
  dict_empty: { type: Dict(Int), value: {} },
  list_list_str: { type: List(List(Str)), value: [["a"], [], ["b", "c"]] },
  dict_str_list_float: { type: Dict(List(Float)), value: { z: [1.5], a: [] } },
  optional_list_dict_int: { type: Optional(List(Dict(Int))), value: [{ a: 1 }, {}] },
  optional_list_dict_int_none: { type: Optional(List(Dict(Int))), value: null },
  list_optional_int: { type: List(Optional(Int)), value: [1, null] },
  union_int_str_x: { type: Union(Int, Str), value: "x" },
  union_int_str_float_2_5: { type: Union(Int, Str, Float), value: 2.5 },
  optional_float_none: { type: Optional(Float), value: null },
  optional_bool_true: { type: Optional(Bool), value: true },
  optional_str_s: { type: Optional(Str), value: "s" },
  optional_datetime: { type: Optional(Datetime), value: new Date("2020-02-29T12:00:00Z") },
  optional_timedelta: { type: Optional(Duration), value: { seconds: 1, nanos: 500_000_000 } },
  optional_enum: { type: Optional(ColorType), value: Color.GREEN },
  optional_dataclass: { type: Optional(Point), value: Point.of(3, -0.5) },
  optional_untyped_dict: { type: Optional(Json), value: { k: "v" } },
  optional_dict_str_int: { type: Optional(Dict(Int)), value: { a: 1 } },
  list_dataclass: { type: List(Point), value: [Point.of(1, 2), Point.of(2, 3.25)] },
  dict_dataclass: { type: Dict(Point), value: { p: Point.of(0, 0) } },
  enum_blue: { type: ColorType, value: Color.BLUE },
  dataclass_inventory: { type: typeOf(Inventory), value: Object.assign(new Inventory(), { counts: { b: 2, a: 1 }, color: Color.GREEN }) },
  dataclass_event: {
    type: typeOf(Event),
    value: Object.assign(new Event(), {
      name: "e",
      at: new Date("2024-01-02T03:04:05.123Z"),
      took: { seconds: 90, nanos: 500_000 },
      points: [Point.of(1, 2)],
      by_name: { k: Point.of(-1, 0.5) },
      maybe: null,
      extra: { a: [1, 2.5, "x", true, null], b: { c: 2.5 } },
      weight: 2.0,
    }),
  },
  untyped_dict_scalars: {
    type: Json,
    value: { int: 1, neg: -200, big: 2 ** 40, float: 2.5, whole_float: 2.0, str: "héllo", bool: false, none: null, list: [1, [2, 3]], nested: { x: {} } },
  },
  untyped_dict_empty: { type: Json, value: {} },
};

/**
 * The cases TypeScript's types cannot say, declared with tokens only: each with what it needs.
 * Every other case is declared by types too (test/fixtures/golden-typed/src/literals.ts).
 */
const tokenOnly: Record<string, string> = {
  timedelta_90s_5us: "a duration: TypeScript has no type for one (a DurationValue is an object), so Duration is a token",
  timedelta_neg_1us: "a duration (Duration)",
  timedelta_neg_day_plus_5s: "a duration (Duration)",
  timedelta_zero: "a duration (Duration)",
  optional_timedelta: "a duration (Duration)",
  untyped_dict: "an untyped dict: `unknown` and `any` are refused (FTS1003, FTS1004), so Json is a token",
  untyped_dict_scalars: "an untyped dict (Json)",
  untyped_dict_empty: "an untyped dict (Json)",
  optional_untyped_dict: "an untyped dict (Json)",
  dataclass_event: "a record whose fields include a duration and an untyped dict (Duration, Json)",
  flytefile_csv_remote: "a file's format: FlyteFile says no format, so File.withFormat(\"csv\") is a token",
  none: "None as a whole type: `null` or `void` alone is refused (FTS1020), so None is a token",
};

/** The type of the one input `v` of the task that declares `name` by TypeScript's types alone. */
function typedType(name: string): AnyFlyteType {
  const handle = (Literals as unknown as Record<string, TaskLike | undefined>)[name];
  if (handle === undefined) throw new Error(`test/fixtures/golden-typed/src/literals.ts declares no task ${name}`);
  return taskOf(handle).interface.inputsByName.get("v")!.type as AnyFlyteType;
}

/** The values TypeScript's types say otherwise: instances of the typed declarations' classes (an interface's: a plain object), a Map. */
const { Point: TypedPoint, Line: TypedLine } = GoldenTypes;
const typedValues: Record<string, unknown> = {
  dataclass_point: TypedPoint.of(1, 2.5),
  dataclass_line: Object.assign(new TypedLine(), { a: TypedPoint.of(1, 2.5), b: TypedPoint.of(-3, 0), label: "diag", tags: ["t1", "t2"] }),
  optional_dataclass: TypedPoint.of(3, -0.5),
  list_dataclass: [TypedPoint.of(1, 2), TypedPoint.of(2, 3.25)],
  dict_dataclass: { p: TypedPoint.of(0, 0) },
  dataclass_inventory: { counts: { b: 2, a: 1 }, color: Color.GREEN },
  // Declared as a Map<string, int>: a Map it takes, a Map it reads back.
  optional_dict_str_int: new Map([["a", 1]]),
};

/** A case as declared by TypeScript's types: the typed task's input type, and the typed records' values. */
function typedCase(name: string, c: Case): Case | undefined {
  if (tokenOnly[name] !== undefined) return undefined;
  const value = name in typedValues ? typedValues[name] : c.value;
  return { type: typedType(name), value, ...(c.read === undefined ? {} : { read: c.read }) };
}

/** Where we write differently from flytekit on purpose; every entry is explained. */
const knownDifferences: Record<string, string> = {
  // JavaScript has one number type, so an untyped 2.0 is the integer 2: we write 02 where Python
  // writes cb4000000000000000. A record's Float field does not have this problem.
  untyped_dict_scalars: "whole_float",
};

function equalMessages<T extends LiteralType | Literal>(schema: typeof LiteralSchema | typeof LiteralTypeSchema, a: T, b: T): boolean {
  // NaN != NaN, so messages with NaN compare by their bytes.
  return equals(schema as never, a as never, b as never) || Buffer.compare(toBinary(schema as never, a as never), toBinary(schema as never, b as never)) === 0;
}

function checkCase(name: string, c: Case, goldenType: LiteralType, goldenLiteral: Literal): void {
  // The declared type is the LiteralType flytekit wrote (on a mismatch, the JSON shows where).
  if (!equalMessages(LiteralTypeSchema, c.type.literalType, goldenType)) {
    expect(toJson(LiteralTypeSchema, c.type.literalType), `${name}: LiteralType`).toEqual(toJson(LiteralTypeSchema, goldenType));
  }

  // flytekit's literal reads back into the TypeScript value.
  const read = c.type.fromLiteral(goldenLiteral);
  const expected = c.read ?? c.value;
  if (typeof expected === "number" && Number.isNaN(expected)) expect(read).toBeNaN();
  else expect(read, `${name}: read`).toEqual(expected);
  if (expected !== null && typeof expected === "object" && !(expected instanceof Date)) {
    expect(Object.getPrototypeOf(read), `${name}: class`).toBe(Object.getPrototypeOf(expected));
  }

  // Our literal for the value is flytekit's literal.
  if (knownDifferences[name] !== undefined) return;
  const ours = c.type.toLiteral(c.value);
  if (!equalMessages(LiteralSchema, ours, goldenLiteral)) {
    expect(toBinary(LiteralSchema, ours), `${name}: Literal`).toEqual(toBinary(LiteralSchema, goldenLiteral));
  }
}

describe("golden literals written by flytekit 1.16.24", () => {
  for (const folder of ["literals", "literals_extra"]) {
    const manifest = JSON.parse(readFileSync(join(here, "golden", folder, "manifest.json"), "utf8")) as {
      cases: { case: string; type_file: string; literal_file: string; refused?: boolean }[];
    };
    const cases = folder === "literals" ? goldenCases : extraCases;
    it(`covers every case in golden/${folder}`, () => {
      expect(manifest.cases.filter((c) => !c.refused).map((c) => c.case).sort()).toEqual(Object.keys(cases).sort());
    });
    for (const g of manifest.cases.filter((c) => !c.refused)) {
      const read = () => ({
        type: fromBinary(LiteralTypeSchema, readFileSync(join(here, "golden", folder, g.type_file))),
        literal: fromBinary(LiteralSchema, readFileSync(join(here, "golden", folder, g.literal_file))),
      });
      it(`${g.case}: same LiteralType, same Literal, reads back`, () => {
        const golden = read();
        checkCase(g.case, cases[g.case]!, golden.type, golden.literal);
      });
      if (tokenOnly[g.case] === undefined) {
        it(`${g.case}, typed by TypeScript alone: same LiteralType, same Literal, reads back`, () => {
          const golden = read();
          checkCase(g.case, typedCase(g.case, cases[g.case]!)!, golden.type, golden.literal);
        });
      }
    }
  }

  it("datetime_utc: keeps Python's microseconds through a Date read from its literal", () => {
    const golden = fromBinary(LiteralSchema, readFileSync(join(here, "golden/literals/datetime_utc.literal.pb")));
    const date = Datetime.fromLiteral(golden);
    expect(nanosOfSecond(date)).toBe(123_456_000);
    expect(toBinary(LiteralSchema, Datetime.toLiteral(date))).toEqual(toBinary(LiteralSchema, golden));
  });
});

describe("the golden cases typed by TypeScript alone (test/fixtures/golden-typed)", () => {
  it("declare every case but the token-only ones, and no other", () => {
    const all = [...Object.keys(goldenCases), ...Object.keys(extraCases), ...Object.keys(vectorCases)];
    const typed = Object.getOwnPropertyNames(Literals).filter((n) => typeof (Literals as unknown as Record<string, unknown>)[n] === "function");
    expect(typed.sort()).toEqual(all.filter((c) => tokenOnly[c] === undefined).sort());
    expect(Object.keys(tokenOnly).every((c) => all.includes(c))).toBe(true);
  });

  it("are typed from the analysis, not from TypeScript's metadata (the fixture's tsconfig emits none)", () => {
    expect(Reflect.getMetadata("design:paramtypes", Literals, "int_0")).toBeUndefined();
    expect(typedType("int_0").name).toBe("Int");
  });
});

describe("more literals written by flytekit 1.16.24 (vectors/flytekit-types.json)", () => {
  const vectors = JSON.parse(readFileSync(join(here, "vectors/flytekit-types.json"), "utf8")) as {
    flytekit_version: string;
    cases: { case: string; type_hex: string; literal_hex: string; msgpack_hex?: string }[];
  };

  it("were written by flytekit 1.16.24 and are all declared here", () => {
    expect(vectors.flytekit_version).toBe("1.16.24");
    expect(vectors.cases.map((c) => c.case).sort()).toEqual(Object.keys(vectorCases).sort());
  });

  for (const v of vectors.cases) {
    const goldenType = () => fromBinary(LiteralTypeSchema, Buffer.from(v.type_hex, "hex"));
    const goldenLiteral = () => fromBinary(LiteralSchema, Buffer.from(v.literal_hex, "hex"));
    it(`${v.case}: same LiteralType, same Literal, reads back`, () => {
      checkCase(v.case, vectorCases[v.case]!, goldenType(), goldenLiteral());
    });
    if (tokenOnly[v.case] === undefined) {
      it(`${v.case}, typed by TypeScript alone: same LiteralType, same Literal, reads back`, () => {
        checkCase(v.case, typedCase(v.case, vectorCases[v.case]!)!, goldenType(), goldenLiteral());
      });
    }
  }

  it("untyped_dict_scalars: differs only where JavaScript cannot tell 2.0 from 2", () => {
    const v = vectors.cases.find((c) => c.case === "untyped_dict_scalars")!;
    const ours = Json.toLiteral(vectorCases.untyped_dict_scalars!.value);
    const lit = ours.value;
    const hex = lit.case === "scalar" && lit.value.value.case === "binary" ? Buffer.from(lit.value.value.value.value).toString("hex") : "";
    // "whole_float": 2.0 is cb4000000000000000 in Python's bytes and 02 in ours; nothing else differs.
    expect(hex).toBe(v.msgpack_hex!.replace("ab77686f6c655f666c6f6174cb4000000000000000", "ab77686f6c655f666c6f617402"));
  });
});
