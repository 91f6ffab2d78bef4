import { mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { TaskInputError } from "../errors/task-errors.js";
import { decode } from "../idl/codec.js";
import { LiteralMapSchema, type LiteralMap } from "../idl/gen/flyteidl/core/literals_pb.js";
import { Interface, type InputVariable } from "../interface/interface.js";
import { LocalStorage } from "../storage/local.js";
import { Directory, File } from "../types/blob.js";
import { Dict, List } from "../types/collections.js";
import { fromLiteralMap, toLiteralMap, type TypeMap } from "../types/engine.js";
import { Json } from "../types/json.js";
import { genericLiteral, literalMapOf, primitiveLiteral } from "../types/literals.js";
import { Bool, Float, Int, None, Str } from "../types/scalars.js";
import { Datetime, duration, Duration } from "../types/time.js";
import { resolveType } from "../types/spec.js";
import { Optional } from "../types/union.js";
import { METADATA_FILES, writeInputs } from "./inputs.js";

const storage = new LocalStorage();
const scratch = () => mkdtempSync(join(tmpdir(), "copilot-in-"));

function ifaceOf(types: TypeMap): Interface {
  const inputs: InputVariable[] = Object.entries(types).map(([name, spec]) => ({ name, type: resolveType(spec), optional: false, hasDefaultValue: false, description: "" }));
  return new Interface(inputs, []);
}

async function layout(types: TypeMap, values: Record<string, unknown>, format: "JSON" | "YAML" | "PROTO" = "JSON"): Promise<{ dir: string; map: LiteralMap }> {
  const dir = join(scratch(), "inputs");
  const map = toLiteralMap(types, values as never);
  await writeInputs("my.task", map, ifaceOf(types), dir, format, storage);
  return { dir, map };
}

const text = (path: string) => readFileSync(path, "utf8");

describe("writeInputs: one entry per input, as CoPilot's downloader writes it", () => {
  it("writes an int in base 10, a float in Go's 'f' form (never an exponent), a bool as true/false", async () => {
    const { dir } = await layout(
      { i: Int, neg: Int, big: Int, a: Float, b: Float, c: Float, d: Float, e: Float, nan: Float, inf: Float, ninf: Float, t: Bool, f: Bool },
      { i: 42, neg: -7, big: 9223372036854775807n, a: 3, b: 1.5, c: 1e21, d: 1e-7, e: 0.1, nan: NaN, inf: Infinity, ninf: -Infinity, t: true, f: false },
      "PROTO",
    );
    const got = Object.fromEntries(["i", "neg", "big", "a", "b", "c", "d", "e", "nan", "inf", "ninf", "t", "f"].map((n) => [n, text(join(dir, n))]));
    expect(got).toEqual({ i: "42", neg: "-7", big: "9223372036854775807", a: "3", b: "1.5", c: "1000000000000000000000", d: "0.0000001", e: "0.1", nan: "NaN", inf: "+Inf", ninf: "-Inf", t: "true", f: "false" });
  });

  it("writes a string's bytes as they are, with no newline added", async () => {
    const { dir } = await layout({ s: Str, empty: Str, multi: Str }, { s: "héllo 😀", empty: "", multi: "a\nb\n" });
    expect(readFileSync(join(dir, "s"))).toEqual(Buffer.from("héllo 😀", "utf8"));
    expect(text(join(dir, "empty"))).toBe("");
    expect(text(join(dir, "multi"))).toBe("a\nb\n");
  });

  it("writes a datetime in RFC 3339 UTC as ptypes.TimestampString does (fraction only as long as needed)", async () => {
    const { dir } = await layout({ a: Datetime, b: Datetime }, { a: new Date("2024-01-02T03:04:05.120Z"), b: new Date("1999-12-31T23:59:59Z") });
    expect([text(join(dir, "a")), text(join(dir, "b"))]).toEqual(["2024-01-02T03:04:05.12Z", "1999-12-31T23:59:59Z"]);
  });

  it("writes a duration as Go's Duration.String(), and null in inputs.json (CoPilot's shadowed variable)", async () => {
    const { dir } = await layout(
      { a: Duration, b: Duration, c: Duration, d: Duration, e: Duration },
      { a: duration({ minutes: 5 }), b: duration({ hours: 1, minutes: 2, seconds: 3.5 }), c: duration({ nanoseconds: 1500 }), d: duration({}), e: duration({ seconds: -90 }) },
    );
    expect(["a", "b", "c", "d", "e"].map((n) => text(join(dir, n)))).toEqual(["5m0s", "1h2m3.5s", "1.5µs", "0s", "-1m30s"]);
    expect(text(join(dir, "inputs.json"))).toBe('{"a":null,"b":null,"c":null,"d":null,"e":null}');
  });

  it("writes none as the text null, and a union (an Optional) as its value", async () => {
    const { dir } = await layout({ n: Optional(Int), some: Optional(Int), nothing: None }, { n: null, some: 5, nothing: null });
    expect([text(join(dir, "n")), text(join(dir, "some")), text(join(dir, "nothing"))]).toEqual(["null", "5", "null"]);
    expect(text(join(dir, "inputs.json"))).toBe('{"n":null,"nothing":null,"some":5}');
  });

  it("writes a file's bytes at <name>, a directory as a folder with its files at their relative paths", async () => {
    const src = scratch();
    writeFileSync(join(src, "data.csv"), "a,b\n1,2\n");
    mkdirSync(join(src, "dir", "sub"), { recursive: true });
    writeFileSync(join(src, "dir", "top.txt"), "top");
    writeFileSync(join(src, "dir", "sub", "deep.txt"), "deep");
    const { dir, map } = await layout({ f: File, d: Directory }, { f: join(src, "data.csv"), d: join(src, "dir") });
    expect(statSync(join(dir, "f")).isFile()).toBe(true);
    expect(text(join(dir, "f"))).toBe("a,b\n1,2\n");
    expect(text(join(dir, "d", "top.txt"))).toBe("top");
    expect(text(join(dir, "d", "sub", "deep.txt"))).toBe("deep");
    // inputs.pb: the same literals, each blob's URI replaced by its local path.
    const pb = decode(LiteralMapSchema, readFileSync(join(dir, "inputs.pb")));
    const uri = (name: string) => {
      const v = pb.literals[name]!.value;
      return v.case === "scalar" && v.value.value.case === "blob" ? v.value.value.value.uri : undefined;
    };
    expect([uri("f"), uri("d")]).toEqual([join(dir, "f"), join(dir, "d")]);
    expect(Object.keys(pb.literals).sort()).toEqual(Object.keys(map.literals).sort());
    // The local literals read back as our File and Directory, at the local paths.
    const natives = fromLiteralMap({ f: File, d: Directory }, pb);
    expect([natives.f.path, natives.d.path]).toEqual([join(dir, "f"), join(dir, "d")]);
    expect(text(join(dir, "inputs.json"))).toBe(JSON.stringify({ d: join(dir, "d"), f: join(dir, "f") }));
  });

  it("names files as the container sees them when told where it mounts the folder (pathsAs)", async () => {
    const src = scratch();
    writeFileSync(join(src, "data.csv"), "x");
    const types = { f: File, fs: List(File) };
    const map = toLiteralMap(types, { f: join(src, "data.csv"), fs: [join(src, "data.csv")] });
    for (const format of ["JSON", "YAML"] as const) {
      const dir = join(scratch(), "in");
      await writeInputs("t", map, ifaceOf(types), `${dir}/`, format, storage, { pathsAs: "/var/flyte/inputs/" });
      expect(text(join(dir, "f"))).toBe("x");
      const pb = fromLiteralMap(types, decode(LiteralMapSchema, readFileSync(join(dir, "inputs.pb"))));
      expect([pb.f.path, pb.fs[0]!.path]).toEqual(["/var/flyte/inputs/f", "/var/flyte/inputs/fs/0"]);
      expect(text(join(dir, format === "JSON" ? "inputs.json" : "inputs.yaml"))).toBe(
        format === "JSON" ? '{"f":"/var/flyte/inputs/f","fs":["/var/flyte/inputs/fs/0"]}' : "f: /var/flyte/inputs/f\nfs:\n- /var/flyte/inputs/fs/0\n",
      );
    }
  });

  it("writes a list as a folder of entries 0..n-1 (nested lists nest), a dict as a folder per key", async () => {
    const { dir } = await layout({ xs: List(Int), grid: List(List(Float)), m: Dict(Str), empty: List(Int) }, { xs: [10, 20, 30], grid: [[1.5], [], [2, 3]], m: { x: "1", y: "two" }, empty: [] });
    expect(readdirSync(join(dir, "xs")).sort()).toEqual(["0", "1", "2"]);
    expect(["0", "1", "2"].map((i) => text(join(dir, "xs", i)))).toEqual(["10", "20", "30"]);
    expect(text(join(dir, "grid", "0", "0"))).toBe("1.5");
    expect(readdirSync(join(dir, "grid", "1"))).toEqual([]);
    expect(text(join(dir, "grid", "2", "1"))).toBe("3");
    expect([text(join(dir, "m", "x")), text(join(dir, "m", "y"))]).toEqual(["1", "two"]);
    expect(readdirSync(join(dir, "empty"))).toEqual([]);
    expect(text(join(dir, "inputs.json"))).toBe('{"empty":[],"grid":[[1.5],[],[2,3]],"m":{"x":"1","y":"two"},"xs":[10,20,30]}');
  });

  it("writes a MessagePack binary's raw bytes (base64 in inputs.json), a generic Struct as protobuf JSON (in the file and in inputs.json)", async () => {
    const map = toLiteralMap({ d: Json }, { d: { a: 1 } });
    const bytes = (map.literals.d!.value.value as { value: { value: { value: Uint8Array } } }).value.value.value;
    const generic = literalMapOf({ d: map.literals.d!, g: genericLiteral({ b: [1, "x", null, true], a: { n: 1.5 } }) });
    const dir = join(scratch(), "in");
    await writeInputs("t", generic, ifaceOf({ d: Json, g: Json }), dir, "JSON", storage);
    expect(new Uint8Array(readFileSync(join(dir, "d")))).toEqual(bytes);
    expect(text(join(dir, "g"))).toBe('{"a":{"n":1.5},"b":[1,"x",null,true]}');
    expect(JSON.parse(text(join(dir, "inputs.json"))).d).toBe(Buffer.from(bytes).toString("base64"));
    // encoding/json of a *structpb.Struct calls its MarshalJSON (protojson): the same JSON as the file.
    expect(JSON.parse(text(join(dir, "inputs.json"))).g).toEqual({ a: { n: 1.5 }, b: [1, "x", null, true] });
  });

  it("writes inputs.json as Go's json.Marshal: keys sorted, <>& escaped, Go's floats, datetimes in RFC 3339", async () => {
    const { dir } = await layout(
      { z: Str, a: Float, "b<": Str, n: Int, when: Datetime, tiny: Float, t: Bool },
      { z: "x<y>&z\u2028", a: 1e21, "b<": "q", n: -3, when: new Date("2024-01-02T03:04:05.5Z"), tiny: 1e-7, t: true },
    );
    expect(text(join(dir, "inputs.json"))).toBe('{"a":1e+21,"b\\u003c":"q","n":-3,"t":true,"tiny":1e-7,"when":"2024-01-02T03:04:05.5Z","z":"x\\u003cy\\u003e\\u0026z\\u2028"}');
    expect(readdirSync(dir).sort()).toEqual(["a", "b<", "inputs.json", "inputs.pb", "n", "t", "tiny", "when", "z"]);
  });

  it("writes only inputs.pb for PROTO, and inputs.yaml for YAML", async () => {
    const proto = await layout({ x: Int }, { x: 1 }, "PROTO");
    expect(readdirSync(proto.dir).sort()).toEqual(["inputs.pb", "x"]);
    const yaml = await layout({ x: Int }, { x: 1 }, "YAML");
    expect(readdirSync(yaml.dir).sort()).toEqual(["inputs.pb", "inputs.yaml", "x"]);
    expect(text(join(yaml.dir, "inputs.yaml"))).toBe("x: 1\n");
  });

  it("writes inputs.yaml as ghodss/yaml does: go-yaml v2's block style, quoting only what would read back otherwise", async () => {
    const { dir } = await layout(
      { s: Str, yes: Str, num: Str, empty: Str, colon: Str, hash: Str, lead: Str, multi: Str, when: Datetime, f: Float, big: Float, i: Int, xs: List(Int), none: List(Int), m: Dict(List(Str)), nm: Dict(Int), tab: Str },
      {
        s: "hello world",
        yes: "yes",
        num: "123",
        empty: "",
        colon: "a: b",
        hash: "#x",
        lead: " x",
        multi: "line1\nline2",
        when: new Date("2024-01-02T03:04:05Z"),
        f: 1.5,
        big: 1e21,
        i: 7,
        xs: [1, 2],
        none: [],
        m: { k: ["a", "b"] },
        nm: {},
        tab: "a\tb",
      },
      "YAML",
    );
    expect(text(join(dir, "inputs.yaml"))).toBe(
      [
        "big: 1e+21",
        "colon: 'a: b'", // plain would read as a map: single quotes (libyaml's analysis)
        'empty: ""',
        "f: 1.5",
        "hash: '#x'",
        "i: 7",
        "lead: ' x'",
        "m:",
        "  k:",
        "  - a",
        "  - b",
        "multi: |-",
        "  line1",
        "  line2",
        "nm: {}",
        "none: []",
        'num: "123"',
        "s: hello world",
        'tab: "a\\tb"',
        'when: "2024-01-02T03:04:05Z"',
        "xs:",
        "- 1",
        "- 2",
        '"yes": "yes"', // a key that reads as a bool is quoted too
        "",
      ].join("\n"),
    );
  });

  it("refuses a NaN or infinite float in inputs.json or inputs.yaml (Go's json.Marshal fails, so does CoPilot), naming the task and the input", async () => {
    await expect(layout({ ok: Float, bad: Float }, { ok: 1, bad: NaN })).rejects.toThrow(TaskInputError);
    await expect(layout({ ok: Float, bad: Float }, { ok: 1, bad: Infinity }, "YAML")).rejects.toThrow(/^task 'my\.task', input 'bad': inputs\.yaml cannot hold it: Go's json\.Marshal fails \(json: unsupported value: \+Inf\)/);
    await expect(layout({ bad: List(Float) }, { bad: [1, NaN] })).rejects.toThrow(/input 'bad'/);
    await expect(layout({ bad: Float }, { bad: NaN }, "PROTO")).resolves.toBeDefined();
  });

  it("refuses with YAML a dict key holding U+0085, which go-yaml cannot read back (CoPilot's download fails)", async () => {
    await expect(layout({ m: Dict(Int) }, { m: { "a\u0085b": 1 } }, "YAML")).rejects.toThrow(/^task 'my\.task': inputs\.yaml cannot hold the inputs: go-yaml fails/);
    await expect(layout({ m: Dict(Int) }, { m: { "a\u0085b": 1 } }, "JSON")).resolves.toBeDefined();
  });

  it("refuses an input named like a metadata file", async () => {
    for (const name of METADATA_FILES) {
      const types = { [name]: Int };
      const dir = join(scratch(), "in");
      await expect(writeInputs("my.task", toLiteralMap(types, { [name]: 1 }), ifaceOf(types), dir, "PROTO", storage)).rejects.toThrow(
        new RegExp(`^task 'my\\.task', input '${name.replace(".", "\\.")}': CoPilot writes its metadata file ${name.replace(".", "\\.")} into the input folder`),
      );
    }
  });

  it("names the input when a file cannot be fetched", async () => {
    const map = literalMapOf({ f: toLiteralMap({ f: File }, { f: "s3://no-such-bucket-here/x" }).literals.f! });
    const failing = { ...storage, download: async () => Promise.reject(new TaskInputError({ task: "x", problem: "gone" })) } as unknown as LocalStorage;
    await expect(writeInputs("my.task", map, ifaceOf({ f: File }), join(scratch(), "in"), "JSON", failing)).rejects.toThrow(/^task 'my\.task', input 'f': could not be written into the input folder/);
  });

  it("writes a primitive literal the interface calls by another name as CoPilot does (it follows the literals)", async () => {
    const dir = join(scratch(), "in");
    await writeInputs("t", literalMapOf({ x: primitiveLiteral({ case: "integer", value: 5n }) }), ifaceOf({ x: Int }), dir, "JSON", storage);
    expect(text(join(dir, "x"))).toBe("5");
  });
});
