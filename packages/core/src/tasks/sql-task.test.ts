import { describe, expect, it } from "vitest";
import { ImageConfig } from "../serialize/image.js";
import { SerializationSettings } from "../serialize/settings.js";
import { toTaskTemplate } from "../serialize/template.js";
import { Int, Str } from "../types/scalars.js";
import { interpolateQuery, normalizeQueryTemplate, pythonFloat, pythonStr, SQLTask } from "./sql-task.js";
import { FlyteFile } from "../types/blob.js";
import { Dict, List, Optional } from "../types/builtins.js";
import { Float } from "../types/scalars.js";
import { defineRecord } from "../types/record.js";

describe("query templates, by flytekit's rules (base_sql_task.py)", () => {
  it("collapse whitespace as Python's \\s and strip() do", () => {
    expect(normalizeQueryTemplate("\nselect *\nfrom tracks\nlimit {{.inputs.limit}}")).toBe("select * from tracks limit {{.inputs.limit}}");
    expect(normalizeQueryTemplate(" \\\nselect * \\\nfrom t")).toBe("\\ select * \\ from t");
    expect(normalizeQueryTemplate("a\t\tb \r\n c\u00a0d  ")).toBe("a b c d");
    expect(normalizeQueryTemplate("x\u2003y")).toBe("x y");
    expect(normalizeQueryTemplate("select 1\n")).toBe("select 1");
    // Python's whitespace, not JavaScript's: \x1c is one, \ufeff is not.
    expect(normalizeQueryTemplate("a\x1cb\ufeffc")).toBe("a b\ufeffc");
  });

  it("fill placeholders as flytekit does (the cases its behaviour was checked on)", () => {
    const cases: [string, Record<string, unknown>, string][] = [
      ["a {{.inputs.x}} b {{ .inputs.x }} c {{.INPUTS.x}}", { x: 1 }, "a 1 b 1 c 1"],
      ["{{xinputsyx}} / {{.inputs.x}}", { x: "v" }, "v / v"],
      ["{{.inputs.a}} {{.inputs.b}}", { a: null, b: true }, "None True"],
      ["{{.inputs.a-b}}", {}, "{{.inputs.a-b}}"],
      ["{{.inputs.x}}{{.inputs.xy}}", { x: 1, xy: 2 }, "12"],
      ["{{  .inputs.x\t}}", { x: 7 }, "7"],
      ["{{.inputs.é}}", { é: 1 }, "1"],
      ["{{ .Inputs.ds }}", { ds: new Date("2024-01-02T03:04:05.120Z") }, "2024-01-02 03:04:05.120000+00:00"],
    ];
    for (const [template, inputs, expected] of cases) expect(interpolateQuery(template, inputs), template).toBe(expected);
    expect(() => interpolateQuery("{{.inputs.missing}}", {})).toThrow("Variable missing in Query (part of {{.inputs.missing}}) not found in inputs dict_keys([])");
    expect(() => interpolateQuery("nothing", { x: 1 })).toThrow("Extra Inputs have no matches in query template - missing {'x'}");
    expect(() => interpolateQuery("{{.input.x}}", { x: 1 })).toThrow("Extra Inputs have no matches in query template - missing {'x'}");
  });

  it("write values as Python's str() does", () => {
    expect([2.0, 1.5, 1e20, 1e16, 1e15, 0.0001, 1e-5, 0.1 + 0.2, -0, Infinity, NaN].map(pythonFloat)).toEqual([
      "2.0", "1.5", "1e+20", "1e+16", "1000000000000000.0", "0.0001", "1e-05", "0.30000000000000004", "-0.0", "inf", "nan",
    ]);
    expect(pythonStr(2, Float)).toBe("2.0");
    expect(pythonStr(2, Optional(Float))).toBe("2.0");
    expect(pythonStr(2, Int)).toBe("2");
    expect(pythonStr(false)).toBe("False");
    expect(pythonStr(undefined)).toBe("None");
    expect(pythonStr(9007199254740993n)).toBe("9007199254740993");
    expect(pythonStr({ seconds: 90 })).toBe("0:01:30");
    expect(pythonStr({ seconds: 2 * 86400 + 5, nanos: 7000 })).toBe("2 days, 0:00:05.000007");
    expect(pythonStr({ seconds: -1 })).toBe("-1 day, 23:59:59");
    expect(pythonStr([1, 2], List(Int))).toBe("[1, 2]");
    expect(pythonStr([1, 2], List(Float))).toBe("[1.0, 2.0]");
    expect(pythonStr(["a", "it's"], List(Str))).toBe(`['a', "it's"]`);
    expect(pythonStr({ a: 1, b: null }, Dict(Optional(Int)))).toBe("{'a': 1, 'b': None}");
    expect(pythonStr(new FlyteFile("/tmp/x.csv"))).toBe("/tmp/x.csv");
    class Point {
      x!: number;
      y!: number;
    }
    const PointType = defineRecord(Point, { x: Int, y: Float });
    expect(pythonStr(Object.assign(new Point(), { x: 1, y: 2 }), PointType)).toBe("Point(x=1, y=2.0)");
    class Keyed {
      byKey!: number;
    }
    const KeyedType = defineRecord(Keyed, { byKey: { type: Float, name: "by_key" } });
    expect(pythonStr(Object.assign(new Keyed(), { byKey: 2 }), KeyedType)).toBe("Keyed(by_key=2.0)");
  });
});

class HiveQuery extends SQLTask<{ cluster: string }> {
  readonly taskType = "hive";
}

describe("SQLTask", () => {
  const settings = new SerializationSettings({ project: "p", domain: "d", version: "v", imageConfig: ImageConfig.auto("img:1") });

  it("serializes no container; the query is its plugin's to place", () => {
    const t = new HiveQuery({ name: "q", queryTemplate: "select * from t where ds = '{{ .inputs.ds }}'", inputs: { ds: Str }, outputs: { n: Int }, taskConfig: { cluster: "c" }, retries: 2 });
    const template = toTaskTemplate(t, settings);
    expect(template.type).toBe("hive");
    expect(template.target.case).toBeUndefined();
    expect(template.metadata?.retries?.retries).toBe(2);
    expect(t.getQuery({ ds: "2024-01-01" })).toBe("select * from t where ds = '2024-01-01'");
  });

  it("cannot run here: a local call says so, and how to mock it", () => {
    const t = new HiveQuery({ name: "q", queryTemplate: "select 1", taskConfig: { cluster: "c" } });
    expect(() => t.invoke({})).toThrow("task 'q': it is a hive query that Flyte runs with its backend plugin; it cannot run here; in tests, mock it: mockTask(task).returns(...)");
  });

  it("refuses options it does not take", () => {
    expect(() => new HiveQuery({ name: "q", queryTemplate: "x", taskConfig: { cluster: "c" }, containerImage: "i" } as never)).toThrow(
      /^task 'q': Unrecognized argument\(s\) for task: containerImage; it takes annotations, cache, /,
    );
  });
});
