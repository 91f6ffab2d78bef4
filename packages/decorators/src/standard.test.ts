// The standard (TC39) front-end, applied as TypeScript's emit applies standard decorators (this
// package's tests are compiled with legacy ones; test/decorator-modes.test.ts runs tsc's own emit):
// member decorators get (value, context) without the class, share one metadata object that becomes
// the class's Symbol.metadata, and their static and class initializers run once the class is defined.
import { describe, expect, it } from "vitest";
import { Float, Int, Str, taskOf } from "@flytekit-ts/core";
import { recordType, symbolMetadata, taskStore } from "@flytekit-ts/core/internal";
import { echo, field, task } from "./index.js";

type Decorator = (value: unknown, context: object) => unknown;
interface Member {
  name: string;
  kind?: "method" | "field" | "getter";
  static?: boolean;
  private?: boolean;
  decorators: unknown[];
}

/** Decorates `cls` as TypeScript's standard emit does: static members, then instance ones, then the class. */
function decorate(cls: Function, members: Member[], classDecorators: unknown[] = [], options: { metadata?: boolean } = {}): Function {
  const metadata = options.metadata === false ? undefined : Object.create(null);
  const staticInitializers: Function[] = [];
  const classInitializers: Function[] = [];
  const ordered = [...members.filter((m) => m.static), ...members.filter((m) => !m.static)];
  for (const m of ordered) {
    const kind = m.kind ?? "method";
    const holder = (m.static ? cls : cls.prototype) as Record<string, unknown>;
    for (const d of [...m.decorators].reverse()) {
      const context = {
        kind,
        name: m.private ? `#${m.name}` : m.name,
        static: m.static === true,
        private: m.private === true,
        access: { has: () => true, get: () => undefined },
        metadata,
        addInitializer: (f: Function) => (m.static ? staticInitializers : []).push(f),
      };
      const result = (d as Decorator)(kind === "field" ? undefined : holder[m.name], context);
      if (kind === "method" && typeof result === "function") Object.defineProperty(holder, m.name, { value: result, writable: true, configurable: true });
    }
  }
  for (const d of classDecorators) {
    (d as Decorator)(cls, { kind: "class", name: cls.name, metadata, addInitializer: (f: Function) => classInitializers.push(f) });
  }
  if (metadata !== undefined) Object.defineProperty(cls, symbolMetadata(), { value: metadata, configurable: true, writable: true, enumerable: true });
  for (const f of [...staticInitializers, ...classInitializers]) f.call(cls);
  return cls;
}

describe("standard decorators on methods", () => {
  it("importing the package defines Symbol.metadata, which TypeScript's emit needs to give decorators their metadata", () => {
    expect(typeof (Symbol as unknown as { metadata?: symbol }).metadata).toBe("symbol");
  });

  it("a static method's task is placed when its class is defined: named, typed by its tokens, callable", () => {
    class Pipelines {
      static add(x: number, y: number): number {
        return x + y;
      }
      bump(n: number): number {
        return n + 1;
      }
    }
    decorate(Pipelines, [
      { name: "add", static: true, decorators: [task({ inputs: { x: Int, y: Int }, outputs: Int })] },
      { name: "bump", decorators: [task({ inputs: { n: Int }, outputs: Int })] },
    ]);
    expect(Pipelines.add(1, 2)).toBe(3);
    expect(taskOf(Pipelines.add).name).toBe("standard.test.Pipelines.add");
    // The static method's initializer placed its instance sibling too.
    expect(taskOf(Pipelines.prototype.bump).name).toBe("standard.test.Pipelines.bump");
    expect(new Pipelines().bump(1)).toBe(2);
    // Legacy decorators' order of declarations: instance methods, then static ones.
    expect(taskOf(Pipelines.prototype.bump).declarationIndex).toBeLessThan(taskOf(Pipelines.add).declarationIndex);
  });

  it("an instance method's task waits for its class: taskOf says so, a call on an instance or finding the class places it", () => {
    class Counter {
      base = 10;
      bump(n: number): number {
        return this.base + n;
      }
      twice(n: number): number {
        return n * 2;
      }
    }
    decorate(Counter, [
      { name: "bump", decorators: [task({ inputs: { n: Int }, outputs: Int })] },
      { name: "twice", decorators: [task({ inputs: { n: Int }, outputs: Int })] },
    ]);
    expect(() => taskOf(Counter.prototype.bump)).toThrow(
      "taskOf(), instance method 'bump' of module standard.test: its class is not known yet: a standard (TC39) decorator on an instance method is not given its class",
    );
    const unbound = Counter.prototype.twice;
    expect(() => unbound.call(undefined, 1)).toThrow("@task() on twice (module standard.test): it was called without its class, which a standard decorator on an instance method is not given");
    expect(new Counter().bump(1)).toBe(11);
    expect(taskOf(Counter.prototype.bump).name).toBe("standard.test.Counter.bump");
    expect(taskOf(Counter.prototype.twice).name).toBe("standard.test.Counter.twice");

    class Found {
      go(): void {}
    }
    decorate(Found, [{ name: "go", decorators: [task] }]);
    expect([...taskStore.declarationsOf(Found).keys()]).toEqual(["go"]);
    expect(taskOf(Found.prototype.go).interface.inputs).toEqual([]);
  });

  it("a class decorator places its members, and a task class takes its types from its tokens", () => {
    class Repeat {
      run(word: string, times: number): string {
        return Array.from({ length: times }, () => word).join("-");
      }
    }
    decorate(Repeat, [], [task({ inputs: { word: Str, times: Int }, outputs: Str })]);
    expect(taskOf(Repeat).invoke({ word: "a", times: 2 })).toBe("a-a");

    class Untyped {
      run(word: string): string {
        return word;
      }
    }
    decorate(Untyped, [], [task]);
    expect(() => taskOf(Untyped)).toThrow(
      "task 'standard.test.Untyped', input 'word': no type: standard decorators carry no type metadata; declare it: @task({ inputs: { word: Int } }) with the token of its type",
    );
  });

  it("with no outputs declared a method has none, and a missing input token names the decorator and the input", () => {
    class Tasks {
      static add(x: number, y: number): number {
        return x + y;
      }
      static say(word: string): string {
        return word;
      }
    }
    decorate(Tasks, [
      { name: "add", static: true, decorators: [task({ inputs: { x: Int } })] },
      { name: "say", static: true, decorators: [echo()] },
    ]);
    expect(() => taskOf(Tasks.add)).toThrow("task 'standard.test.Tasks.add', input 'y': no type: standard decorators carry no type metadata; declare it: @task({ inputs: { y: Int } })");
    expect(() => taskOf(Tasks.say)).toThrow("task 'standard.test.Tasks.say', input 'word': no type: standard decorators carry no type metadata; declare it: @echo({ inputs: { word: Int } })");
  });

  it("refuses what a task cannot be: a field, an accessor, a private method, a decorator without metadata", () => {
    class Odd {
      static f(): void {}
    }
    expect(() => decorate(class A {}, [{ name: "x", kind: "field", decorators: [task()] }])).toThrow("@task() on x: it decorates methods and classes, not fields");
    expect(() => decorate(class B {}, [{ name: "g", kind: "getter", decorators: [task()] }])).toThrow("@task() on g: it decorates methods and classes, not accessors");
    expect(() => decorate(class C { h(): void {} }, [{ name: "h", private: true, decorators: [task()] }])).toThrow(
      "@task() on #h: a private method cannot be a task: a container could not reach it; make it public (h)",
    );
    expect(() => decorate(Odd, [{ name: "f", static: true, decorators: [task()] }], [], { metadata: false })).toThrow(
      "@task() on f: the standard decorator got no metadata object (context.metadata), through which flytekit-ts finds the member's class; compile with TypeScript 5.2 or later",
    );
  });
});

describe("standard decorators on record fields", () => {
  it("declares the fields when the class is first used as a type, in order, after a base class's", () => {
    class Base {
      id!: number;
    }
    decorate(Base, [{ name: "id", kind: "field", decorators: [field(Int)] }]);
    class Point extends Base {
      x!: number;
      label = "p";
    }
    decorate(Point, [
      { name: "x", kind: "field", decorators: [field({ type: Float })] },
      { name: "label", kind: "field", decorators: [field(Str)] },
    ]);
    expect(recordType(Point).fields.map((f) => [f.name, f.type.name, f.hasDefault])).toEqual([
      ["id", "Int", false],
      ["x", "Float", false],
      ["label", "Str", true],
    ]);
  });

  it("a field without a token fails every use of the class, saying which token to declare", () => {
    class Loose {
      x!: number;
    }
    decorate(Loose, [{ name: "x", kind: "field", decorators: [field] }]);
    const message = "record class Loose, field 'x': no type: standard decorators carry no type metadata; declare it: @field(Float) with the token of its type";
    expect(() => recordType(Loose)).toThrow(message);
    expect(() => recordType(Loose)).toThrow(message);
  });

  it("refuses static, private and accessor fields", () => {
    expect(() => decorate(class A {}, [{ name: "s", kind: "field", static: true, decorators: [field(Int)] }])).toThrow("@field() on static s: record fields are instance fields");
    expect(() => decorate(class B {}, [{ name: "p", kind: "field", private: true, decorators: [field(Int)] }])).toThrow("@field() on #p: record fields need public string names");
    expect(() => decorate(class C {}, [{ name: "g", kind: "getter", decorators: [field(Int)] }])).toThrow("@field() on g: it decorates fields, not getters");
  });
});
