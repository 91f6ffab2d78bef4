import { describe, expect, expectTypeOf, it } from "vitest";
import { field } from "./field.js";
import { task } from "./task.js";
import { taskStore, bindArguments, nativeInputs } from "@flytekit-ts/core/internal";
import { FunctionTask, LOCAL_CONVERSION } from "@flytekit-ts/core/extend";
import { Bool, Dict, Float, Int, Json, List, Optional, Str, TaskDefinitionError, TaskInputError, taskOf, TaskOutputError } from "@flytekit-ts/core";

class Point {
  @field() x!: number;
  @field() y!: number;
}

class Pipelines {
  @task({ inputs: { x: Int, y: Int }, outputs: Int })
  static add(x: number, y: number): number {
    return x + y;
  }

  @task()
  static greet(name: string, punctuation: string = "!"): string {
    return `hello ${name}${punctuation}`;
  }

  @task()
  static norm(p: Point): number {
    return Math.hypot(p.x, p.y);
  }

  @task({ inputs: { xs: List(Int) }, outputs: { total: Int, mean: Float } })
  static stats(xs: number[]): { total: number; mean: number } {
    const total = xs.reduce((a, b) => a + b, 0);
    return { total, mean: total / Math.max(xs.length, 1) };
  }

  @task({ outputs: Float })
  static async half(x: number): Promise<number> {
    await new Promise((r) => setTimeout(r, 1));
    return x / 2;
  }

  @task()
  static nothing(flag: boolean): void {
    void flag;
  }

  static helper(): number {
    return 10;
  }

  @task({ outputs: Int })
  static usesThis(): number {
    return this.helper();
  }
}

class Counter {
  base = 100;

  @task({ inputs: { n: Int }, outputs: Int })
  bump(n: number): number {
    this.base += n;
    return this.base;
  }
}

@task({ inputs: { a: Str, times: Int }, outputs: Str })
class Repeat {
  sep = "-";
  run(a: string, times: number): string {
    return Array.from({ length: times }, () => a).join(this.sep);
  }
}

describe("@task on a static method", () => {
  it("stays callable with its own signature and runs through the type engine", () => {
    expect(Pipelines.add(1, 2)).toBe(3);
    expect(Pipelines.greet("ts")).toBe("hello ts!");
    expect(Pipelines.greet("ts", "?")).toBe("hello ts?");
    expect(Pipelines.stats([1, 2, 3])).toEqual({ total: 6, mean: 2 });
    expect(Pipelines.nothing(true)).toBeUndefined();
    expect(Pipelines.usesThis()).toBe(10);
    expectTypeOf(Pipelines.add).toEqualTypeOf<(x: number, y: number) => number>();
  });

  it("keeps async methods async and sync methods sync", async () => {
    const pending = Pipelines.half(3);
    expect(pending).toBeInstanceOf(Promise);
    expect(await pending).toBe(1.5);
    expect(Pipelines.add(1, 1)).toBe(2);
  });

  it("gives a record argument back as an instance of its class", () => {
    expect(Pipelines.norm(Object.assign(new Point(), { x: 3, y: 4 }))).toBe(5);
    expect(Pipelines.norm({ x: 3, y: 4 } as Point)).toBe(5);
  });

  it("is named <module>.<Class>.<member>", () => {
    expect(taskOf(Pipelines.add).name).toBe("task.test.Pipelines.add");
    expect(taskOf(Pipelines.half).name).toBe("task.test.Pipelines.half");
  });

  it("infers the interface from metadata, with explicit declarations winning", () => {
    const greet = taskOf(Pipelines.greet);
    expect(greet.interface.inputs.map((v) => [v.name, v.type, v.optional])).toEqual([
      ["name", Str, false],
      ["punctuation", Str, true],
    ]);
    expect(greet.interface.outputs.map((v) => [v.name, v.type])).toEqual([["o0", Str]]);
    // Number reflects as Float; the explicit Int wins.
    expect(taskOf(Pipelines.add).interface.inputs.map((v) => v.type)).toEqual([Int, Int]);
    expect(taskOf(Pipelines.stats).interface.outputs.map((v) => [v.name, v.type])).toEqual([
      ["total", Int],
      ["mean", Float],
    ]);
    expect(taskOf(Pipelines.nothing).interface.outputs).toEqual([]);
    expect(taskOf(Pipelines.add)).toBeInstanceOf(FunctionTask);
  });

  it("has a typed call by input name", () => {
    const add = taskOf<{ x: number; y: number }, typeof Pipelines.add>(Pipelines.add);
    expect(add.invoke({ x: 2, y: 5 })).toBe(7);
    expect(add.call(2, 5)).toBe(7);
    expectTypeOf(add.invoke).parameter(0).toEqualTypeOf<{ x: number; y: number }>();
    expectTypeOf(add.call).returns.toEqualTypeOf<number>();
  });
});

describe("@task on an instance method", () => {
  it("runs on a new instance for every call, as in its container", () => {
    const c = new Counter();
    c.base = 0;
    expect(c.bump(1)).toBe(101);
    expect(c.bump(1)).toBe(101);
    expect(taskOf(Counter.prototype.bump).name).toBe("task.test.Counter.bump");
  });

  it("needs a constructor without arguments, and says so", () => {
    expect(() => {
      class NeedsArgs {
        constructor(readonly factor: number) {}
        @task({ inputs: { x: Int }, outputs: Int })
        scale(x: number): number {
          return x * this.factor;
        }
      }
      return NeedsArgs;
    }).toThrow(
      "@task() on NeedsArgs.scale: class NeedsArgs needs a constructor without arguments: flytekit-ts creates the instance an instance-method task runs on (a new one for every call, locally and in its container); give the constructor's parameters defaults, or make the task a static method",
    );
  });
});

describe("@task on a class with a run method", () => {
  it("makes run the task, on a new instance per call", () => {
    const r = new Repeat();
    r.sep = "+";
    expect(r.run("a", 3)).toBe("a-a-a");
    expect(taskOf(Repeat).name).toBe("task.test.Repeat");
    expect(taskOf(Repeat).call("b", 2)).toBe("b-b");
    expect(taskOf(Repeat)).toBe(taskOf(Repeat.prototype.run));
  });

  it("needs a run method", () => {
    expect(() => {
      @task()
      class NoRun {}
      return NoRun;
    }).toThrow("@task() on class NoRun: a task class needs a run method, whose parameters are the task's inputs");
  });

  it("says how to declare the interface when run carries no metadata", () => {
    @task()
    class Undeclared {
      run(x: number): number {
        return x;
      }
    }
    expect(() => taskOf(Undeclared).interface).toThrow(/^task 'task\.test\.Undeclared': TypeScript emitted no type metadata for it/);
  });
});

describe("interface inference errors", () => {
  it("names class, method, parameter index and name, what was reflected, and the fix", () => {
    class Erased {
      @task({ outputs: Int })
      static sum(xs: number[]): number {
        return xs.length;
      }
    }
    expect(() => Erased.sum([1])).toThrow(
      "task 'task.test.Erased.sum', parameter 0 'xs': TypeScript reflects this type as Array, which does not say what the array holds (arrays lose their element type at run time); declare it explicitly: inputs: { xs: List(Int) } (the token for what the array holds)",
    );
    expect(() => Erased.sum([1])).toThrow(TaskDefinitionError);
    // A task given a name of its own is found by its method too.
    class Named {
      @task({ name: "totals", outputs: Int })
      static sum(xs: number[]): number {
        return xs.length;
      }
    }
    expect(() => Named.sum([1])).toThrow(/^task 'totals', Named\.sum, parameter 0 'xs': TypeScript reflects this type as Array/);
  });

  it("refuses unions, maps and untyped defaults reflected as Object", () => {
    class Erased {
      @task()
      static pick(v: string | number): string {
        return String(v);
      }

      @task()
      static withDefault(x: number, scale = 2): number {
        return x * scale;
      }
    }
    expect(() => taskOf(Erased.pick)).toThrow(/^task 'task\.test\.Erased\.pick', parameter 0 'v': TypeScript reflects this type as Object/);
    expect(() => taskOf(Erased.withDefault)).toThrow(/parameter 1 'scale': .*inputs: \{ scale: Float \} \(or Int\), the type of its default 2 .*; or annotate it: scale: number = 2; or build with `flytekit-ts build` \(types from TypeScript\)$/);
  });

  it("asks async methods for their outputs", () => {
    class Async {
      @task()
      static async get(x: number): Promise<number> {
        return x;
      }
    }
    expect(() => taskOf(Async.get)).toThrow(
      "task 'task.test.Async.get', return type: it is async, and TypeScript reflects its return type as Promise, which does not say what it resolves to; " +
        "declare what it resolves to: outputs: <token> (Float or Int for Promise<number>, Str for Promise<string>, the record class for Promise<Point>), " +
        "named outputs: { a: Int, b: Str }, or outputs: {} for Promise<void>",
    );
  });

  it("refuses an erased return type", () => {
    class Erased {
      @task()
      static pair(): number[] {
        return [1, 2];
      }
    }
    expect(() => taskOf(Erased.pair)).toThrow(/^task 'task\.test\.Erased\.pair', return type: TypeScript reflects this type as Array.*; declare it explicitly: outputs: \{ o0: List\(Int\) \}/);
  });

  it("refuses inputs that are not parameters", () => {
    class Typo {
      @task({ inputs: { y: Int } })
      static f(x: number): number {
        return x;
      }
    }
    expect(() => taskOf(Typo.f)).toThrow("task 'task.test.Typo.f', input 'y': inputs declares it, but it is not a parameter (parameters: x)");
  });

  it("says when metadata is missing entirely that the toolchain likely dropped it", () => {
    class NoMeta {
      static f(x: number): number {
        return x;
      }
    }
    const descriptor = Object.getOwnPropertyDescriptor(NoMeta, "f")!;
    const decorated = task()(NoMeta, "f", descriptor) as PropertyDescriptor;
    Object.defineProperty(NoMeta, "f", decorated);
    expect(() => NoMeta.f(1)).toThrow(/TypeScript emitted no type metadata for it.*tsx, esbuild and Vite 7 do/);
  });

  it("refuses an unknown option when the class is declared, naming it", () => {
    expect(() => {
      class Opt {
        @task({ template: "x" } as never)
        static f(x: number): number {
          return x;
        }
      }
      return Opt;
    }).toThrow(/^task 'task\.test\.Opt\.f': Unrecognized argument\(s\) for task: template; it takes accelerator, annotations, /);
  });

  it("checks options when the class is declared, not at the first call", () => {
    expect(() => {
      class Cached {
        @task({ cache: true })
        static f(x: number): number {
          return x;
        }
      }
      return Cached;
    }).toThrow("task 'task.test.Cached.f', option 'cache': If version is not defined then at least one cache policy needs to be set");
  });

  it("refuses accessors and fields", () => {
    expect(() => {
      class Acc {
        @(task() as MethodDecorator)
        static get value(): number {
          return 1;
        }
      }
      return Acc;
    }).toThrow("@task() on Acc.value: it decorates methods, not properties or accessors");
  });
});

describe("local calls: errors before the body runs", () => {
  let ran = 0;
  class Strict {
    @task({ inputs: { x: Int, y: Int }, outputs: Int })
    static add(x: number, y: number): number {
      ran++;
      return x + y;
    }

    @task({ inputs: { xs: List(Int), opt: Optional(Str) }, outputs: Int })
    static count(xs: number[], opt: string | null): number {
      ran++;
      return xs.length + (opt?.length ?? 0);
    }

    @task()
    static flag(b: boolean): boolean {
      ran++;
      return !b;
    }
  }

  it("converts arguments, naming the task and argument", () => {
    expect(() => Strict.add("hello" as never, 2)).toThrow(
      "task 'task.test.Strict.add', input 'x': expected Int, got \"hello\" (string)",
    );
    expect(() => Strict.add(1.5, 2)).toThrow("task 'task.test.Strict.add', input 'x': expected Int, got 1.5 (number)");
    expect(() => Strict.flag(1 as never)).toThrow("input 'b': expected Bool, got 1 (number)");
    expect(() => Strict.count([1, 2, 3, 1.5], null)).toThrow("task 'task.test.Strict.count', input 'xs'[3]: expected Int, got 1.5 (number)");
    expect(() => Strict.add(null as never, 2)).toThrow("input 'x': expected Int, got null");
    expect(() => Strict.add(undefined as never, 2)).toThrow("task 'task.test.Strict.add', input 'x': expected Int, got nothing: it is required");
    expect(() => (Strict.add as (...args: unknown[]) => unknown)(1, 2, 3)).toThrow("task 'task.test.Strict.add': expected at most 2 arguments, got 3");
    expect(ran).toBe(0);
    const e = (() => {
      try {
        Strict.add("a" as never, 1);
      } catch (err) {
        return err;
      }
    })() as TaskInputError;
    expect(e).toBeInstanceOf(TaskInputError);
    expect([e.task, e.input]).toEqual(["task.test.Strict.add", "x"]);
  });

  it("lets an Optional input be left out or null", () => {
    expect(Strict.count([1], null)).toBe(1);
    expect(Strict.count([1], undefined as never)).toBe(1);
    expect(Strict.count([1], "ab")).toBe(3);
  });

  it("checks named calls: unexpected, duplicate and missing arguments", () => {
    const add = taskOf(Strict.add);
    expect(add.invoke({ x: 1, y: 2 })).toBe(3);
    expect(() => add.invoke({ x: 1, y: 2, z: 3 })).toThrow("task 'task.test.Strict.add', input 'z': no such input (inputs: x, y)");
    expect(() => add.localCall([1], { x: 2, y: 3 })).toThrow("task 'task.test.Strict.add', input 'x': it is given twice, by position and by name");
    expect(add.localCall([1], { y: 3 })).toBe(4);
    expect(() => add.invoke({ x: 1 })).toThrow("task 'task.test.Strict.add', input 'y': expected Int, got nothing: it is required");
  });
});

describe("local calls: errors from the body and its result", () => {
  class CustomError extends Error {
    override name = "CustomError";
    readonly code = 42;
  }
  class Failing {
    @task({ inputs: { x: Int }, outputs: Int })
    static boom(x: number): number {
      throw new CustomError(`boom ${x}`);
    }

    @task({ inputs: { x: Int }, outputs: Int })
    static async asyncBoom(x: number): Promise<number> {
      await Promise.resolve();
      throw new CustomError(`async boom ${x}`);
    }

    @task({ outputs: Int })
    static wrongOutput(): number {
      return "hello" as never;
    }

    @task({ outputs: { a: Int, b: Str } })
    static wrongSecond(): { a: number; b: string } {
      return { a: 1, b: 2 as never };
    }

    @task({ outputs: { a: Int } })
    static extra(): { a: number } {
      return { a: 1, c: 2 } as never;
    }

    @task()
    static saysNothing(): void {
      return 5 as never;
    }
  }

  it("re-throws a user error as its own type, prefixed with the task name, the original as cause", async () => {
    let caught: unknown;
    try {
      Failing.boom(3);
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(CustomError);
    expect((caught as CustomError).message).toBe("Error encountered while executing 'task.test.Failing.boom':\n  boom 3");
    expect((caught as CustomError).code).toBe(42);
    expect(((caught as Error).cause as Error).message).toBe("boom 3");
    await expect(Failing.asyncBoom(1)).rejects.toThrow(CustomError);
    await expect(Failing.asyncBoom(1)).rejects.toThrow("Error encountered while executing 'task.test.Failing.asyncBoom':\n  async boom 1");
  });

  it("names the output and position that does not fit", () => {
    expect(() => Failing.wrongOutput()).toThrow(
      "task 'task.test.Failing.wrongOutput', output 'o0': expected Int, got \"hello\" (string)",
    );
    expect(() => Failing.wrongSecond()).toThrow("task 'task.test.Failing.wrongSecond', output 'b': expected Str, got 2 (number)");
    expect(() => Failing.extra()).toThrow("task 'task.test.Failing.extra', output 'c': the task returned it, but its outputs are a");
    expect(() => Failing.saysNothing()).toThrow(TaskOutputError);
    expect(() => Failing.saysNothing()).toThrow(/declares no outputs but returned 5 \(number\)/);
  });
});

describe("the function form (no metadata at all)", () => {
  const add = task({ name: "math.add", inputs: { x: Int, y: Int }, outputs: Int }, ({ x, y }) => Number(x) + Number(y));
  const greet = task(
    { name: "greet", inputs: { who: Str, punct: { type: Str, default: "!" } }, outputs: { text: Str, length: Int } },
    ({ who, punct }) => ({ text: `hi ${who}${punct}`, length: who.length }),
  );
  const later = task({ name: "later", inputs: { n: Optional(Int) }, outputs: Json }, async ({ n }) => ({ n }));

  it("is called with its inputs by name and typed from its tokens", async () => {
    expect(add({ x: 1, y: 2 })).toBe(3);
    expect(greet({ who: "ts" })).toEqual({ text: "hi ts!", length: 2 });
    expect(greet({ who: "ts", punct: "?" })).toEqual({ text: "hi ts?", length: 2 });
    expect(await later({ n: 3 })).toEqual({ n: 3 });
    expect(await later()).toEqual({ n: null });
    expectTypeOf(add).parameter(0).toEqualTypeOf<{ x: number | bigint; y: number | bigint }>();
    expectTypeOf(add).returns.toEqualTypeOf<number | bigint>();
    expectTypeOf(greet).returns.toEqualTypeOf<{ text: string; length: number | bigint }>();
    expectTypeOf(later).returns.toEqualTypeOf<Promise<import("@flytekit-ts/core").JsonRecord | import("@flytekit-ts/core").JsonMap>>();
    expect(taskOf(add).name).toBe("math.add");
    expect(add.task.interface.inputs.map((v) => v.name)).toEqual(["x", "y"]);
  });

  it("applies declared defaults where the task runs, as flytekit leaves defaults to the function", () => {
    // Only what the caller passed is sent (and keys the cache); the body still sees the default.
    const map = bindArguments(greet.task, [], { who: "a" });
    expect(Object.keys(map.literals)).toEqual(["who"]);
    expect(nativeInputs(greet.task, map, LOCAL_CONVERSION)).toEqual({ who: "a", punct: "!" });
  });

  it("names a named function after its module", () => {
    const named = task({ inputs: { x: Bool }, outputs: Bool }, function negate({ x }) {
      return !x;
    });
    expect(named.task.name).toBe("task.test.negate");
    expect(named({ x: true })).toBe(false);
  });

  it("needs a name for an anonymous function", () => {
    expect(() => task({ inputs: { x: Int } }, () => undefined)).toThrow(
      /^task\(options, fn\) at packages\/decorators\/src\/task\.test\.ts:\d+:\d+: an anonymous function needs a name; pass \{ name: "\.\.\." \}, or a named function \(function add\(\.\.\.\) \{\}\)$/,
    );
  });

  it("checks declared defaults against their type", () => {
    expect(() => task({ name: "bad", inputs: { x: { type: Int, default: "a" } } }, () => undefined)).toThrow(
      "task 'bad', input 'x': expected Int, got \"a\" (string): its default does not fit its type",
    );
  });
});

describe("the store", () => {
  it("builds each task once, and again after clear()", () => {
    const first = taskOf(Pipelines.add);
    expect(taskOf(Pipelines.add)).toBe(first);
    expect(taskStore.entries().some((e) => e.declaration.member === "add")).toBe(true);
    taskStore.clear();
    expect(taskStore.entries()).toEqual([]);
    const rebuilt = taskOf(Pipelines.add);
    expect(rebuilt).not.toBe(first);
    expect(Pipelines.add(2, 2)).toBe(4);
  });
});

describe("records and dicts through a task", () => {
  class Shapes {
    @task({ inputs: { points: List(Point), weights: Dict(Float) }, outputs: List(Point) })
    static shift(points: Point[], weights: Record<string, number>): Point[] {
      return points.map((p) => Object.assign(new Point(), { x: p.x + (weights.dx ?? 0), y: p.y }));
    }
  }

  it("round-trips them", () => {
    const out = Shapes.shift([Object.assign(new Point(), { x: 1, y: 2 })], new Map([["dx", 1]]) as never);
    expect(out[0]).toBeInstanceOf(Point);
    expect(out).toEqual([Object.assign(new Point(), { x: 2, y: 2 })]);
  });
});
