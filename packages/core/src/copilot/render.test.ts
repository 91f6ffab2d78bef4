import { describe, expect, it } from "vitest";
import { BlobType_BlobDimensionality } from "../idl/gen/flyteidl/core/types_pb.js";
import { toLiteralMap } from "../types/engine.js";
import { blobLiteral, collectionLiteral, literalMapOf, mapLiteral, noneLiteral, pbDurationOf, primitiveLiteral, timestampOf } from "../types/literals.js";
import { Json } from "../types/json.js";
import { List } from "../types/collections.js";
import { Float, Int, Str } from "../types/scalars.js";
import { renderCommand, templateInputNames, TemplateRenderError } from "./render.js";

const int = (v: bigint) => primitiveLiteral({ case: "integer", value: v });
const float = (v: number) => primitiveLiteral({ case: "floatValue", value: v });
const str = (v: string) => primitiveLiteral({ case: "stringValue", value: v });

describe("renderCommand: propeller's {{.inputs.x}}", () => {
  const inputs = literalMapOf({
    a: float(3),
    b: float(1.5),
    big: float(1e21),
    small: float(1e-7),
    mid: float(1234567.5),
    n: int(-42n),
    huge: int(9223372036854775807n),
    s: str("hello world {{.inputs.a}}"),
    t: primitiveLiteral({ case: "boolean", value: true }),
    f: primitiveLiteral({ case: "boolean", value: false }),
    when: primitiveLiteral({ case: "datetime", value: timestampOf(1704164645n, 500_000_000) }),
    whole: primitiveLiteral({ case: "datetime", value: timestampOf(0n, 0) }),
    wait: primitiveLiteral({ case: "duration", value: pbDurationOf(300n, 0) }),
    tick: primitiveLiteral({ case: "duration", value: pbDurationOf(1n, 500_000_000) }),
    zero: primitiveLiteral({ case: "duration", value: pbDurationOf(0n, 0) }),
    file: blobLiteral("s3://bucket/data/x.csv", "csv", BlobType_BlobDimensionality.SINGLE),
    xs: collectionLiteral([int(1n), int(2n), int(3n)]),
    nested: collectionLiteral([collectionLiteral([float(0.5)]), collectionLiteral([])]),
    m: mapLiteral({ k: int(1n) }),
    none: noneLiteral(),
  });

  it("writes each value in Go's text", () => {
    const out = renderCommand(
      "t",
      ["{{.inputs.a}}", "{{.inputs.b}}", "{{.inputs.big}}", "{{.inputs.small}}", "{{.inputs.mid}}", "{{.inputs.n}}", "{{.inputs.huge}}", "{{.inputs.t}}", "{{.inputs.f}}"],
      inputs,
    );
    expect(out).toEqual(["3", "1.5", "1e+21", "1e-07", "1.2345675e+06", "-42", "9223372036854775807", "true", "false"]);
  });

  it("writes a string verbatim (a template inside it is not rendered again), a datetime in RFC 3339 UTC, a duration as the message's text", () => {
    expect(renderCommand("t", ["{{.inputs.s}}", "{{.inputs.when}}", "{{.inputs.whole}}", "{{.inputs.wait}}", "{{.inputs.tick}}", "[{{.inputs.zero}}]"], inputs)).toEqual([
      "hello world {{.inputs.a}}",
      "2024-01-02T03:04:05.5Z",
      "1970-01-01T00:00:00Z",
      "seconds:300",
      "seconds:1 nanos:500000000",
      "[]",
    ]);
  });

  it("writes a file as its URI and a list as [a,b] (nested alike)", () => {
    expect(renderCommand("t", ["{{.inputs.file}}", "{{.inputs.xs}}", "{{.inputs.nested}}"], inputs)).toEqual(["s3://bucket/data/x.csv", "[1,2,3]", "[[0.5],[]]"]);
  });

  it("replaces anywhere in an element, any number of times, case-insensitive, with spaces and $Inputs", () => {
    expect(renderCommand("t", ["--a={{.inputs.a}},b={{ .Inputs.b }}", "{{$inputs.n}}{{ .INPUTS.n\t}}", "{{.inputſ.n}}"], inputs)).toEqual(["--a=3,b=1.5", "-42-42", "-42"]);
  });

  it("leaves what is not a template as it is (Go's \\s is ASCII: a no-break space does not match)", () => {
    expect(renderCommand("t", ["{{.inputs}}", "{.inputs.a}", "{{.input.a}}", "{{\u00a0.inputs.a}}"], inputs)).toEqual(["{{.inputs}}", "{.inputs.a}", "{{.input.a}}", "{{\u00a0.inputs.a}}"]);
    // \v is not in Go's \s, so it belongs to the name, which names no input.
    expect(() => renderCommand("t", ["{{.inputs.a\u000b}}"], inputs)).toThrow(/names no input/);
  });

  it("refuses an unknown input, naming the task, the element and the inputs", () => {
    expect(() => renderCommand("my.task", ["run", "--x={{.inputs.A}}"], inputs)).toThrow(TemplateRenderError);
    expect(() => renderCommand("my.task", ["--x={{.inputs.A}}"], inputs)).toThrow(/^task 'my\.task', command element "--x=\{\{\.inputs\.A\}\}": \{\{\.inputs\.A\}\} names no input: the inputs are 'a', 'b'/);
  });

  it("refuses a map, a none and a union, as propeller does", () => {
    expect(() => renderCommand("t", ["{{.inputs.m}}"], inputs)).toThrow(/input 'm' cannot be written into a command: it is a map/);
    expect(() => renderCommand("t", ["{{.inputs.none}}"], inputs)).toThrow(/input 'none' cannot be written into a command: it is none/);
  });

  it("renders a MessagePack value as Go's %v of it (a dict as map[k:v], keys sorted)", () => {
    const lm = toLiteralMap({ d: Json, xs: List(Str), x: Int, y: Float }, { d: { b: [1, 2], a: "x" }, xs: ["p", "q"], x: 7, y: 2 });
    expect(renderCommand("t", ["{{.inputs.d}}", "{{.inputs.xs}}", "{{.inputs.x}}", "{{.inputs.y}}"], lm)).toEqual(["map[a:x b:[1 2]]", "[p,q]", "7", "2"]);
  });

  it("templateInputNames lists each named input once, in order", () => {
    expect(templateInputNames(["{{.inputs.b}}", "x={{ .Inputs.a }}/{{.inputs.b}}", "plain"])).toEqual(["b", "a"]);
  });
});
