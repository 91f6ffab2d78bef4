// The TypeScript side of the interop tests (test/interop.test.ts): the same two tasks as
// test/interop/interop_tasks.py, run by flytekit-ts-execute. `produce` writes one value of every
// kind; `check` reads them, fails unless each is what `produce` writes, and writes them back.
import { field, task } from "@flytekit-ts/decorators";
import { isDeepStrictEqual } from "node:util";
import { Datetime, Dict, Enum, Float, Int, List, Optional, Str, Union } from "@flytekit-ts/core";

export enum Color {
  RED = "red",
  GREEN = "green",
  BLUE = "blue",
}

/** flytekit's `@dataclass class Inner`. */
export class Inner {
  @field() note!: string;
  @field() weight!: number;
}

/** flytekit's `@dataclass class Point`, fields in the same order. */
export class Point {
  @field(Int) x!: number;
  @field(Float) y!: number;
  @field() label!: string;
  @field(List(Str)) tags!: string[];
  @field() inner!: Inner;
  @field(Optional(Int)) maybe: number | null = null;
}

const VALUES = {
  i: Int,
  big: Int,
  f: Float,
  whole: Float,
  s: Str,
  l: List(Int),
  m: Dict(Float),
  nested: List(Dict(Int)),
  o: Optional(Int),
  n: Optional(Str),
  u: Union(Int, Str),
  p: Point,
  c: Enum(Color),
  t: Datetime,
};

export interface Values {
  i: number;
  big: number | bigint;
  f: number;
  whole: number;
  s: string;
  l: number[];
  m: Record<string, number>;
  nested: Record<string, number>[];
  o: number | null;
  n: string | null;
  u: number | string;
  p: Point;
  c: Color;
  t: Date;
}

const record = <T extends object>(cls: new () => T, values: Partial<T>): T => Object.assign(new cls(), values);

export function expected(): Values {
  return {
    i: -42,
    big: 2n ** 53n + 1n,
    f: 3.141592653589793,
    whole: 2.0,
    s: "héllo ✓ 世界",
    l: [1, -2, 3],
    m: { a: 1.5, b: -0.25 },
    nested: [{ x: 1 }, { y: 2, z: 3 }],
    o: 7,
    n: null,
    u: "text",
    p: record(Point, { x: 1, y: 2.0, label: "p", tags: ["a", "b"], inner: record(Inner, { note: "deep", weight: 0.5 }), maybe: null }),
    c: Color.GREEN,
    t: new Date("2026-11-21T08:30:15.123Z"),
  };
}

function show(value: unknown): string {
  return JSON.stringify(value, (_k, v: unknown) => (typeof v === "bigint" ? `${v}n` : v));
}

export class Interop {
  @task({ name: "interop.produce", outputs: VALUES })
  static produce(): Values {
    return expected();
  }

  @task({ name: "interop.check", inputs: VALUES, outputs: VALUES })
  static check(i: number, big: number | bigint, f: number, whole: number, s: string, l: number[], m: Record<string, number>, nested: Record<string, number>[], o: number | null, n: string | null, u: number | string, p: Point, c: Color, t: Date): Values {
    const got: Values = { i, big, f, whole, s, l, m, nested, o, n, u, p, c, t };
    const want = expected();
    const wrong: string[] = [];
    for (const key of Object.keys(want) as (keyof Values)[]) {
      const a = got[key];
      const b = want[key];
      // Records must come back as instances of their class, not as plain objects.
      const sameClass = typeof b !== "object" || b === null || Object.getPrototypeOf(a) === Object.getPrototypeOf(b);
      if (!isDeepStrictEqual(a, b) || !sameClass) wrong.push(`${key}: got ${show(a)}, expected ${show(b)}`);
    }
    if (!(p.inner instanceof Inner)) wrong.push("p.inner: not an Inner");
    if (wrong.length > 0) throw new Error(`TypeScript read other values than produce writes: ${wrong.join("; ")}`);
    return got;
  }
}
