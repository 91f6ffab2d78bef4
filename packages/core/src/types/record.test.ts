import { Exclude, Transform } from "class-transformer";
import { describe, expect, it } from "vitest";
import { FlyteTypeError } from "./errors.js";
import { Json } from "./json.js";
import { binaryLiteral, genericLiteral } from "./literals.js";
import { decodeMsgpack } from "./msgpack.js";
import { defineRecord, defineRecordField, isRecordClass, recordType } from "./record.js";
import { Float, Int, Str } from "./scalars.js";
import { Dict, List, Optional } from "./builtins.js";
import { typeOf } from "./spec.js";
import { Datetime } from "./time.js";
import { errorOf, overTheWire, roundTrip } from "./testing.js";

class Point {
  x: number | bigint = 0;
  y = 0;
  get norm(): number {
    return Math.hypot(Number(this.x), this.y);
  }
}
defineRecord(Point, { x: Int, y: Float });

class Line {
  a!: Point;
  b!: Point;
  label: string | null = null;
  tags: string[] = [];
}
defineRecord(Line, { a: Point, b: Point, label: Optional(Str), tags: List(Str) });

function msgpackOf(literal: ReturnType<typeof Int.toLiteral>): unknown {
  const v = literal.value;
  if (v.case !== "scalar" || v.value.value.case !== "binary") throw new Error("not binary");
  return decodeMsgpack(v.value.value.value.value, "test");
}

const point = (x: number, y: number) => Object.assign(new Point(), { x, y });

describe("record classes (flytekit's dataclasses)", () => {
  it("declare STRUCT with mashumaro's JSON schema, the field types and the msgpack annotation", () => {
    const lt = recordType(Line).literalType;
    expect(lt.type).toEqual({ case: "simple", value: 9 });
    expect(lt.annotation?.annotations).toEqual({ "cache-key-metadata": { "serialization-format": "msgpack" } });
    expect(lt.metadata).toEqual({
      additionalProperties: false,
      properties: {
        a: recordType(Point).jsonSchema(),
        b: recordType(Point).jsonSchema(),
        label: { anyOf: [{ type: "string" }, { type: "null" }], default: null },
        tags: { items: { type: "string" }, type: "array" },
      },
      required: ["a", "b"],
      title: "Line",
      type: "object",
    });
    expect(Object.keys(lt.structure?.dataclassType ?? {})).toEqual(["a", "b", "label", "tags"]);
    expect(lt.structure?.dataclassType.label?.type.case).toBe("unionType");
    expect(recordType(Point).tag).toBe("Object-Dataclass-Transformer");
  });

  it("round-trip into real instances of the class, nested ones too", () => {
    const line = Object.assign(new Line(), { a: point(1, 2.5), b: point(-3, 0), label: "diag", tags: ["t1"] });
    const back = roundTrip(recordType(Line), line) as Line;
    expect(back).toBeInstanceOf(Line);
    expect(back.a).toBeInstanceOf(Point);
    expect(back.a.norm).toBeCloseTo(Math.hypot(1, 2.5));
    expect(back).toEqual(line);
  });

  it("write fields in declaration order, Float fields as float64 even when whole", () => {
    const bytes = recordType(Point).toLiteral(point(1, 2));
    expect(msgpackOf(bytes)).toEqual({ x: 1, y: 2 });
    const v = bytes.value;
    const raw = v.case === "scalar" && v.value.value.case === "binary" ? Buffer.from(v.value.value.value.value).toString("hex") : "";
    expect(raw).toBe("82a17801a179cb4000000000000000");
  });

  it("accept a plain object whose fields fit, filling defaults", () => {
    const back = roundTrip(recordType(Line), { a: { x: 1, y: 2 }, b: { x: 3, y: 4 } }) as Line;
    expect(back).toBeInstanceOf(Line);
    expect(back.a).toBeInstanceOf(Point);
    expect(back.label).toBeNull();
    expect(back.tags).toEqual([]);
  });

  it("refuse a plain object with a field the record does not declare, or of the wrong class", () => {
    expect(errorOf(() => recordType(Point).toLiteral({ x: 1, y: 2, z: 3 })).message).toBe(
      'value: expected Point, got {"x":1,"y":2,"z":3} (object): it has a field "z" that Point does not declare (fields: x, y)',
    );
    expect(errorOf(() => recordType(Point).toLiteral(new Line())).message).toMatch(/^value: expected Point, got .* \(Line\)$/);
    expect(errorOf(() => recordType(Point).toLiteral([1, 2])).message).toBe("value: expected Point, got [1,2] (array)");
  });

  it("name the field that does not fit, however deep", () => {
    expect(errorOf(() => recordType(Line).toLiteral({ a: { x: 1.5, y: 2 }, b: { x: 1, y: 1 } })).message).toBe(
      ".a.x: expected Int, got 1.5 (number)",
    );
    expect(errorOf(() => recordType(Line).toLiteral({ a: { x: 1, y: 2 } })).message).toBe('.b: expected Point, got nothing: field "b" of Line is missing');
    expect(errorOf(() => recordType(Line).toLiteral({ a: point(1, 1), b: point(1, 1), tags: ["a", 2] })).message).toBe(
      '.tags[1]: expected Str, got 2 (number)',
    );
  });

  it("read what is missing from the data as the field's default, or refuse it when there is none", () => {
    const lit = binaryLiteral(new Uint8Array(Buffer.from("82a16182a17801a179cb4000000000000000a16282a17802a179cb4000000000000000", "hex")), "msgpack");
    const back = recordType(Line).fromLiteral(lit);
    expect(back.tags).toEqual([]);
    expect(back.label).toBeNull();
    const noB = binaryLiteral(new Uint8Array(Buffer.from("81a16182a17801a179cb4000000000000000", "hex")), "msgpack");
    expect(errorOf(() => recordType(Line).fromLiteral(noB)).message).toBe('.b: expected Point, got nothing: field "b" of Line is missing');
  });

  it("ignore fields in the data the class does not declare (a newer producer)", () => {
    const lit = binaryLiteral(new Uint8Array(Buffer.from("83a17801a179cb4000000000000000a17a03", "hex")), "msgpack");
    const back = recordType(Point).fromLiteral(lit);
    expect(back).toEqual(point(1, 2));
    expect(Object.keys(back)).toEqual(["x", "y"]);
  });

  it("read the protobuf Struct form older flytekit versions and Flyte's console write", () => {
    expect(recordType(Point).fromLiteral(genericLiteral({ x: 3, y: 0.5 }))).toEqual(point(3, 0.5));
  });

  it("keep field types through lists and dicts of records", () => {
    const t = Dict(List(Point));
    const back = roundTrip(t, { k: [point(1, 1)] }) as Record<string, Point[]>;
    expect(back.k![0]).toBeInstanceOf(Point);
    expect(overTheWire(t.toLiteral({})).value.case).toBe("map");
  });

  it("apply the class's own class-transformer decorators when building instances", () => {
    class Tagged {
      @Transform(({ value }) => (value as string).toUpperCase(), { toClassOnly: true })
      name = "";
      @Exclude({ toClassOnly: true })
      secret = "initial";
    }
    defineRecord(Tagged, { name: Str, secret: Str });
    const back = roundTrip(recordType(Tagged), Object.assign(new Tagged(), { name: "abc", secret: "s" })) as Tagged;
    expect(back.name).toBe("ABC");
    expect(back.secret).toBe("initial");
  });

  it("include defaults that are JSON scalars in the schema", () => {
    class Defaults {
      n: number | bigint = 3;
      f = 1.5;
      s = "x";
      b = true;
      when: Date = new Date(0);
      nan = Number.NaN;
      when2!: Date;
    }
    defineRecord(Defaults, { n: Int, f: Float, s: Str, b: typeOf(Boolean), when: Datetime, nan: Float, when2: Datetime });
    const schema = recordType(Defaults).jsonSchema();
    expect(schema.properties).toEqual({
      n: { type: "integer", default: 3 },
      f: { type: "number", default: 1.5 },
      s: { type: "string", default: "x" },
      b: { type: "boolean", default: true },
      when: { type: "string", format: "date-time" },
      nan: { type: "number" },
      when2: { type: "string", format: "date-time" },
    });
    expect(schema.required).toEqual(["when2"]);
  });

  it("put a subclass's fields after its base class's", () => {
    class Base {
      id = "";
    }
    class Derived extends Base {
      extra = 0;
    }
    defineRecord(Base, { id: Str });
    defineRecord(Derived, { extra: Int });
    expect(recordType(Derived).fields.map((f) => f.name)).toEqual(["id", "extra"]);
    const back = roundTrip(recordType(Derived), Object.assign(new Derived(), { id: "a", extra: 2 }));
    expect(back).toBeInstanceOf(Derived);
    expect(back).toEqual(Object.assign(new Derived(), { id: "a", extra: 2 }));
  });

  it("hold free-form objects in a Json field", () => {
    class WithJson {
      extra: Record<string, unknown> = {};
    }
    defineRecord(WithJson, { extra: Json });
    expect(roundTrip(recordType(WithJson), { extra: { a: [1, "x"] } })).toEqual(Object.assign(new WithJson(), { extra: { a: [1, "x"] } }));
  });
});

describe("declaring records", () => {
  it("refuses a class without declared fields, saying how to declare them", () => {
    class Plain {}
    expect(isRecordClass(Plain)).toBe(false);
    expect(() => typeOf(Plain)).toThrow(
      "type: class Plain is not a Flyte type; declare its fields with @field() (from @flytekit-ts/decorators) or defineRecord(Plain, { ... }) to use it as a record",
    );
  });

  it("needs a constructor without arguments", () => {
    class NeedsArgs {
      n: number;
      constructor(v: { n: number }) {
        this.n = v.n;
      }
    }
    defineRecord(NeedsArgs, { n: Int });
    const e = errorOf(() => recordType(NeedsArgs).literalType);
    expect(e).toBeInstanceOf(FlyteTypeError);
    expect(e.message).toMatch(/^record class NeedsArgs: `new NeedsArgs\(\)` failed \(.*\); a record class needs a constructor that takes no arguments$/);
  });

  it("refuses a field added after the record was first used", () => {
    class Late {
      a = 0;
    }
    defineRecord(Late, { a: Int });
    void recordType(Late).literalType;
    expect(() => defineRecordField(Late, "b", Int)).toThrow(
      "record class Late, field 'b': it was declared after Late was first used as a Flyte type; declare every field before the class is used",
    );
  });

  it("names the field whose type cannot be used", () => {
    class BadField {
      xs: number[] = [];
    }
    defineRecord(BadField, { xs: Array as never });
    expect(() => recordType(BadField).fields).toThrow(
      "record class BadField, field 'xs': Array does not say which Flyte type it holds; write List(Int), List(Str), ...",
    );
  });

  it("resolves a thunk for a class declared further down", () => {
    class Tree {
      children: Leaf[] = [];
    }
    defineRecord(Tree, { children: () => List(Leaf) });
    class Leaf {
      v = 0;
    }
    defineRecord(Leaf, { v: Int });
    const back = roundTrip(recordType(Tree), { children: [{ v: 1 }] }) as Tree;
    expect(back.children[0]).toBeInstanceOf(Leaf);
  });
});

describe("fields named otherwise in Flyte (a Python dataclass's snake_case)", () => {
  class Keyed {
    byKey = 0;
    label = "";
    when: Date | null = null;
  }
  const keyed = defineRecord(Keyed, { byKey: { type: Int, name: "by_key" }, label: Str, when: { type: Optional(Datetime), name: "when_at" } });

  it("write the Flyte name as the MessagePack key, in the schema and in the field types", () => {
    const value = Object.assign(new Keyed(), { byKey: 3, label: "x" });
    expect(msgpackOf(keyed.toLiteral(value))).toEqual({ by_key: 3, label: "x", when_at: null });
    expect(Object.keys(keyed.literalType.structure?.dataclassType ?? {})).toEqual(["by_key", "label", "when_at"]);
    expect(keyed.jsonSchema()).toEqual({
      additionalProperties: false,
      properties: { by_key: { type: "integer", default: 0 }, label: { type: "string", default: "" }, when_at: { anyOf: [{ type: "string", format: "date-time" }, { type: "null" }], default: null } },
      title: "Keyed",
      type: "object",
    });
    expect(keyed.fields.map((f) => [f.name, f.property])).toEqual([["by_key", "byKey"], ["label", "label"], ["when_at", "when"]]);
  });

  it("read the Flyte name into the property", () => {
    const back = roundTrip(keyed, Object.assign(new Keyed(), { byKey: 7, label: "y", when: new Date("2024-05-01T12:00:00Z") }));
    expect(back).toBeInstanceOf(Keyed);
    expect(back).toEqual(Object.assign(new Keyed(), { byKey: 7, label: "y", when: new Date("2024-05-01T12:00:00Z") }));
    expect(Object.keys(back as object)).toEqual(["byKey", "label", "when"]);
  });

  it("read a command line's JSON by the Flyte names, as pyflyte takes a dataclass", () => {
    expect(msgpackOf(keyed.toLiteral(keyed.fromText('{"by_key": 4, "label": "z"}')))).toEqual({ by_key: 4, label: "z", when_at: null });
  });

  it("take a plain object by either name, but not by both", () => {
    expect(msgpackOf(keyed.toLiteral({ by_key: 1, label: "a" }))).toEqual({ by_key: 1, label: "a", when_at: null });
    expect(msgpackOf(keyed.toLiteral({ byKey: 2, label: "a" }))).toEqual({ by_key: 2, label: "a", when_at: null });
    expect(errorOf(() => keyed.toLiteral({ byKey: 1, by_key: 1, label: "a" })).message).toContain('it gives field "by_key" (property byKey) twice, by both names');
    expect(errorOf(() => keyed.toLiteral({ bykey: 1 })).message).toContain('(fields: by_key (property byKey), label, when_at (property when))');
  });

  it("name both when a field is missing", () => {
    const bytes = new Uint8Array([0x81, 0xa5, ...new TextEncoder().encode("label"), 0xa1, 0x61]);
    class Strict {
      byKey!: number;
    }
    const strict = defineRecord(Strict, { byKey: { type: Int, name: "by_key" } });
    expect(errorOf(() => strict.fromLiteral(binaryLiteral(bytes, "msgpack"))).message).toBe(
      '.byKey: expected Int, got nothing: field "by_key" (property byKey) of Strict is missing',
    );
    // Going in (a flag's JSON, a plain object) the same words: the Flyte name, and that it is missing.
    expect(errorOf(() => strict.toLiteral({})).message).toBe(
      '.byKey: expected Int, got nothing: field "by_key" (property byKey) of Strict is missing',
    );
    expect(errorOf(() => strict.toLiteral(new Strict())).message).toContain('field "by_key" (property byKey) of Strict is missing');
  });

  it("refuse a Flyte name another field has, and an empty one", () => {
    class Clash {
      a = 0;
      b = 0;
    }
    defineRecord(Clash, { a: Int, b: { type: Int, name: "a" } });
    expect(() => recordType(Clash).fields).toThrow(`record class Clash, field 'b': its Flyte name "a" is already the name of field 'a'; give each field a name of its own`);
    class Swap {
      a = 0;
      b = 0;
    }
    defineRecord(Swap, { a: { type: Int, name: "b" }, b: { type: Int, name: "c" } });
    expect(() => recordType(Swap).fields).toThrow(`record class Swap, field 'a': its Flyte name "b" is already the property of field 'b'`);
    class Empty {
      byKey = 0;
    }
    expect(() => defineRecord(Empty, { byKey: { type: Int, name: "" } })).toThrow(`record class Empty, field 'byKey': expected a field name (a non-empty string), got ""; @field({ name: "by_key" })`);
  });
});
