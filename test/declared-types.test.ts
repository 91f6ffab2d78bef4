// What a task declares against what TypeScript's metadata says of the method: a token that
// contradicts the reflected type is refused when the task is built (naming the task, the place, the
// token, the TypeScript type and the fix); one that only says more than TypeScript can (an enum, an
// Optional, a union, a path for a File, a plugin's type) is taken. And the hints for what TypeScript
// erased say what is knowable instead of guessing.
import { field, task } from "@flytekit-ts/decorators";
import { describe, expect, it } from "vitest";
import {
  Datetime,
  Dict,
  Directory,
  Duration,
  Enum,
  File,
  Float,
  FlyteFile,
  Int,
  Json,
  List,
  Optional,
  Str,
  TaskDefinitionError,
  TaskInputError,
  taskOf,
  Union,
  type DurationValue,
} from "@flytekit-ts/core";
import { Money, MoneyToken } from "./support/money.js";

enum Color {
  Red = "red",
  Blue = "blue",
}

class Point {
  @field() x!: number;
  @field() y!: number;
}

interface PointLike {
  x: number;
}

const nameOf = (type: { name: string }) => type.name;
const typesOf = (handle: Function) => {
  const t = taskOf(handle as never);
  return { inputs: t.interface.inputs.map((v) => nameOf(v.type)), outputs: t.interface.outputs.map((v) => nameOf(v.type)) };
};

class Contradictions {
  @task({ outputs: Int })
  static label(): string {
    return "a";
  }

  @task({ inputs: { n: Str } })
  static count(n: number): number {
    return n;
  }

  @task({ inputs: { n: Point } })
  static scale(n: number): number {
    return n;
  }

  @task({ inputs: { flag: Int } })
  static flag(flag: boolean): boolean {
    return flag;
  }

  @task({ inputs: { xs: Dict(Int) } })
  static sum(xs: number[]): number {
    return xs.length;
  }

  @task({ inputs: { at: Datetime } })
  static when(at: string): string {
    return at;
  }

  @task({ inputs: { c: Enum(Color) } })
  static shade(c: number): number {
    return c;
  }

  @task({ inputs: { n: Optional(Str) } })
  static maybe(n: number): number {
    return n;
  }

  @task({ inputs: { m: Json } })
  static fromSet(m: Set<number>): number {
    return m.size;
  }

  @task({ inputs: { amount: MoneyToken } })
  static pay(amount: number): number {
    return amount;
  }

  @task({ outputs: { total: Str } })
  static total(): number {
    return 1;
  }
}

class Compatible {
  @task({ inputs: { n: Int }, outputs: Int })
  static whole(n: number): number {
    return n;
  }

  @task({ inputs: { n: Int } })
  static big(n: bigint): bigint {
    return n;
  }

  @task({ inputs: { c: Enum(Color) }, outputs: Enum(Color) })
  static shade(c: Color): Color {
    return c;
  }

  @task({ inputs: { s: Optional(Str), t: Optional(Str), v: Union(Int, Str) } })
  static optional(s?: string, t: string | null = null, v: number | string = 1): string {
    return `${s}${t}${v}`;
  }

  @task({ inputs: { f: File, g: File.withFormat("csv"), d: Directory, h: File } })
  static paths(f: string, g: string, d: string, h: FlyteFile): string {
    return `${f}${g}${d}${h.path}`;
  }

  @task({ inputs: { at: Datetime, span: Duration } })
  static when(at: Date, span: DurationValue): number {
    return at.getTime() + span.seconds;
  }

  // Json holds a Map: how a Python dict with int keys comes and goes.
  @task({ inputs: { j: Json, m: Dict(Int), o: Dict(Int), xs: List(Int), ys: Optional(List(Int)), k: Json } })
  static collections(j: Record<string, unknown>, m: Map<string, number>, o: Record<string, number>, xs: number[], ys?: number[], k?: Map<number, string>): number {
    return Object.keys(j).length + m.size + Object.keys(o).length + xs.length + (ys?.length ?? 0) + (k?.size ?? 0);
  }

  @task({ inputs: { p: () => Point, q: Point }, outputs: Point })
  static records(p: Point, q: Point): Point {
    return Object.assign(new Point(), { x: p.x + q.x, y: p.y + q.y });
  }

  @task({ outputs: Str })
  static async later(): Promise<string> {
    return "a";
  }

  @task({ inputs: { amount: MoneyToken }, outputs: MoneyToken })
  static pay(amount: Money): Money {
    return amount;
  }

  @task({ outputs: { total: Int } })
  static total(): number {
    return 1;
  }
}

describe("a declared token that contradicts TypeScript's type", () => {
  it("is refused when the task is built, naming the task, the place, the token, the TypeScript type and the fix", () => {
    expect(() => taskOf(Contradictions.label)).toThrow(TaskDefinitionError);
    expect(() => taskOf(Contradictions.label)).toThrow(
      "task 'declared-types.test.Contradictions.label', return type: it is declared Int, but TypeScript reflects the return type as String (string), " +
        "which Int does not hold; declare outputs: Str, or Enum(E) for a string enum E; or change the return type to a type Int holds",
    );
    expect(() => taskOf(Contradictions.count)).toThrow(
      "task 'declared-types.test.Contradictions.count', parameter 0 'n': it is declared Str, but TypeScript reflects the parameter as Number (number), " +
        "which Str does not hold; declare inputs: { n: Float } (or Int); or change the parameter to a type Str holds",
    );
  });

  it("is refused for records, enums, unions, collections, dates and a plugin's type alike", () => {
    const refused: [Function, RegExp][] = [
      [Contradictions.scale, /parameter 0 'n': it is declared Point, but TypeScript reflects the parameter as Number \(number\)/],
      [Contradictions.flag, /parameter 0 'flag': it is declared Int, .* as Boolean \(boolean\).*; declare inputs: \{ flag: Bool \}/],
      [Contradictions.sum, /parameter 0 'xs': it is declared Dict\(Int\), .* as Array \(an array\).*; declare inputs: \{ xs: List\(\.\.\.\) \}/],
      [Contradictions.when, /parameter 0 'at': it is declared Datetime, .* as String \(string\)/],
      [Contradictions.shade, /parameter 0 'c': it is declared Enum\(.*\), .* as Number \(number\)/],
      [Contradictions.maybe, /parameter 0 'n': it is declared Optional\(Str\), .* as Number \(number\)/],
      [Contradictions.fromSet, /parameter 0 'm': it is declared Json, .* as Set \(a Set\).*; declare inputs: \{ m: List\(\.\.\.\) \}/],
      // A plugin's type registers what it holds; it is checked without a word of its own.
      [Contradictions.pay, /parameter 0 'amount': it is declared Money, .* as Number \(number\)/],
      // One named output is the value returned.
      [Contradictions.total, /return type: it is declared Str, .* as Number \(number\).*; declare outputs: \{ total: Float \} \(or Int\)/],
    ];
    for (const [handle, message] of refused) expect(() => taskOf(handle as never), handle.name).toThrow(message);
  });
});

describe("a declared token that says more than TypeScript can", () => {
  it("is taken: Int on a number or bigint, Enum on an enum, Optional and Union, paths for files, dates, collections, records, promises, a plugin's type", () => {
    expect(typesOf(Compatible.whole)).toEqual({ inputs: ["Int"], outputs: ["Int"] });
    expect(typesOf(Compatible.big).inputs).toEqual(["Int"]);
    expect(typesOf(Compatible.shade).inputs[0]).toMatch(/^Enum\(/);
    expect(typesOf(Compatible.optional).inputs).toEqual(["Optional(Str)", "Optional(Str)", "Union(Int, Str)"]);
    expect(typesOf(Compatible.paths).inputs).toEqual(["File", 'File("csv")', "Directory", "File"]);
    expect(typesOf(Compatible.when).inputs).toEqual(["Datetime", "Duration"]);
    expect(typesOf(Compatible.collections).inputs).toEqual(["Json", "Dict(Int)", "Dict(Int)", "List(Int)", "Optional(List(Int))", "Json"]);
    expect(typesOf(Compatible.records)).toEqual({ inputs: ["Point", "Point"], outputs: ["Point"] });
    expect(typesOf(Compatible.later).outputs).toEqual(["Str"]);
    expect(typesOf(Compatible.pay)).toEqual({ inputs: ["Money"], outputs: ["Money"] });
    expect(typesOf(Compatible.total).outputs).toEqual(["Int"]);
    expect(Compatible.shade(Color.Blue)).toBe("blue");
  });
});

describe("a string enum parameter", () => {
  class Palette {
    @task()
    static plain(c: Color): string {
      return c;
    }
  }

  it("is reflected as String, so without Enum(Color) its input is a Str (the README says so)", () => {
    expect(typesOf(Palette.plain).inputs).toEqual(["Str"]);
    expect(typesOf(Compatible.shade).inputs[0]).not.toBe("Str");
  });
});

describe("hints for what TypeScript erased", () => {
  class Erased {
    @task()
    static byInterface(p: PointLike): number {
      return p.x;
    }

    @task()
    static byDefault(label = "x"): string {
      return label;
    }

    @task()
    static async later(n: number): Promise<string> {
      return String(n);
    }

    @task()
    static greet(name?: string): string {
      return `hi ${name ?? ""}`;
    }
  }

  it("list the choices for an interface rather than propose a number", () => {
    let message = "";
    try {
      taskOf(Erased.byInterface);
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message).toMatch(/^task 'declared-types\.test\.Erased\.byInterface', parameter 0 'p': TypeScript reflects this type as Object/);
    expect(message).toContain("declare it explicitly: inputs: { p: <token> }, the token for its TypeScript type: a record class (for an interface or an object type");
    expect(message).toContain("Json (a free-form object)");
    expect(message).not.toContain("Float");
  });

  it("propose the type of a parameter's default, when that is all it has", () => {
    expect(() => taskOf(Erased.byDefault)).toThrow(/inputs: \{ label: Str \}, the type of its default "x" .*; or annotate it: label: string = "x"; or build with `flytekit-ts build` \(types from TypeScript\)$/);
  });

  it("do not claim an async method returns an Int", () => {
    let message = "";
    try {
      taskOf(Erased.later);
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message).toContain("declare what it resolves to: outputs: <token> (Float or Int for Promise<number>, Str for Promise<string>");
    expect(message).not.toContain("o0: Int");
  });

  it("tell an optional parameter (x?: string, reflected as String) left out to declare Optional", () => {
    expect(() => (Erased.greet as () => string)()).toThrow(TaskInputError);
    expect(() => (Erased.greet as () => string)()).toThrow(
      "task 'declared-types.test.Erased.greet', input 'name': expected Str, got nothing: it is required; pass it; or, if it may be left out (name?: ...), declare inputs: { name: Optional(Str) }",
    );
  });
});
