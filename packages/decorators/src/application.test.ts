// How the decorators read their arguments: a legacy or a standard application, or a decorator
// factory's own arguments; and the bare forms (`@task`, `@echo`, `@field`, `@taskExecutor`).
import { describe, expect, it } from "vitest";
import { Int, ShimTaskExecutor, Str, taskOf, TaskDefinitionError, FlyteTypeError } from "@flytekit-ts/core";
import { executorLocation, recordType, taskStore } from "@flytekit-ts/core/internal";
import { applicationOf, isStandardContext } from "./application.js";
import { customContainerTask, echo, field, referenceTask, task, taskExecutor } from "./index.js";

const methodContext = (name: string, isStatic = false) => ({
  kind: "method",
  name,
  static: isStatic,
  private: false,
  access: { has: () => true, get: () => undefined },
  metadata: {},
  addInitializer: () => {},
});

describe("applicationOf", () => {
  class C {
    m(): void {}
  }

  it("reads legacy applications: a class alone, or a member with its key (and descriptor, undefined for a field)", () => {
    const d = Object.getOwnPropertyDescriptor(C.prototype, "m")!;
    expect(applicationOf([C], true)).toEqual({ mode: "legacy", target: C });
    expect(applicationOf([C.prototype, "m", d], true)).toEqual({ mode: "legacy", target: C.prototype, key: "m", descriptor: d });
    expect(applicationOf([C.prototype, "x", undefined], false)).toEqual({ mode: "legacy", target: C.prototype, key: "x", descriptor: undefined });
    expect(applicationOf([C.prototype, "x"], false)).toEqual({ mode: "legacy", target: C.prototype, key: "x", descriptor: undefined });
  });

  it("reads standard applications by their context, whatever is decorated", () => {
    const method = methodContext("m");
    expect(applicationOf([C.prototype.m, method], true)).toEqual({ mode: "standard", value: C.prototype.m, context: method });
    const field = { kind: "field", name: "x", static: false, private: false, metadata: {}, addInitializer: () => {} };
    expect(applicationOf([undefined, field], false)).toEqual({ mode: "standard", value: undefined, context: field });
    expect(isStandardContext({ kind: "class", name: "C", addInitializer: () => {} })).toBe(true);
    expect(isStandardContext({ kind: "banana", name: "C", addInitializer: () => {} })).toBe(false);
  });

  it("leaves a factory's own arguments alone: options, a token, a thunk, a record class for @field", () => {
    expect(applicationOf([], true)).toBeUndefined();
    expect(applicationOf([{ inputs: { x: Int } }], true)).toBeUndefined();
    expect(applicationOf([Int], false)).toBeUndefined();
    expect(applicationOf([() => C], false)).toBeUndefined();
    // A lone class is the legacy class decorator only for decorators of classes.
    expect(applicationOf([C], false)).toBeUndefined();
    // The function form: options and a function.
    expect(applicationOf([{ name: "f" }, () => 1], true)).toBeUndefined();
    expect(applicationOf([{ kind: "method" }, { kind: "method" }], true)).toBeUndefined();
  });
});

describe("bare decorators", () => {
  it("@task is @task(), on a method and on a class", () => {
    class Bare {
      @task
      static ping(): void {}

      @task
      static twice(x: number): number {
        return x * 2;
      }
    }
    // On a class, TypeScript emits no metadata for `run`, so this task's types would be its tokens;
    // bare, it is declared as @task() declares it.
    @task
    class Run {
      run(word: string): string {
        return word.toUpperCase();
      }
    }
    expect(Bare.twice(4)).toBe(8);
    expect(taskOf(Bare.twice).name).toBe("application.test.Bare.twice");
    expect(taskOf(Bare.ping).interface.inputs).toEqual([]);
    expect([...taskStore.declarationsOf(Run).values()].map((e) => [e.declaration.kind, e.declaration.style, e.declaration.member])).toEqual([["function", "class", "run"]]);
  });

  it("@task applied by hand in standard mode is @task() too", () => {
    const fn = function twice(x: number): number {
      return x * 2;
    };
    const wrapper = task(fn as never, methodContext("twice") as never) as unknown as Function;
    expect(typeof wrapper).toBe("function");
    expect(wrapper.name).toBe("twice");
  });

  it("@echo and @field are @echo() and @field()", () => {
    class Point {
      @field x!: number;
    }
    class Echoes {
      @echo
      static same(word: string): string {
        return word;
      }
    }
    expect(recordType(Point).fields.map((f) => f.name)).toEqual(["x"]);
    expect(Echoes.same("w")).toEqual("w");
  });

  it("@taskExecutor is @taskExecutor()", () => {
    @taskExecutor
    class Exec extends ShimTaskExecutor {
      executeFromModel(): unknown {
        return 1;
      }
    }
    expect(executorLocation(Exec)).toBe("src/application.test.ts#Exec");
  });

  it("@referenceTask and @customContainerTask need their options, and say so", () => {
    expect(() => (referenceTask as unknown as (...a: unknown[]) => unknown)(class {}.prototype, "m", {})).toThrow(
      '@referenceTask: it needs the reference: the registered task\'s project, domain, name and version; @referenceTask({ project: "flytesnacks", domain: "development", name: "my.task", version: "v1" })',
    );
    expect(() => (customContainerTask as unknown as (...a: unknown[]) => unknown)(class {})).toThrow(/^@customContainerTask: it needs its options/);
  });

  it("the function form still takes options and a function", () => {
    const shout = task({ name: "shout", inputs: { text: Str }, outputs: Str }, ({ text }) => text.toUpperCase());
    expect(shout({ text: "hi" })).toBe("HI");
    expect(() => task({ name: "x" } as never, undefined as never)).toThrow(
      /^task\(options, fn\) at packages\/decorators\/src\/application\.test\.ts:\d+:\d+: expected the task's function as the second argument, got undefined$/,
    );
  });

  it("refuses what is neither options nor a decorated thing", () => {
    expect(() => task(42 as never)).toThrow(TaskDefinitionError);
    expect(() => task(42 as never)).toThrow('@task(): expected options to be an object, got 42; write @task() without options');
    expect(() => (task() as unknown as (...a: unknown[]) => unknown)("nothing")).toThrow(
      "@task(): it was called as a function, not applied as a decorator; write @task() above a class or method, or task(options, fn) for the function form",
    );
    expect(() => field("x" as never)).toThrow(FlyteTypeError);
    expect(() => field({ type: Int, alias: "y" } as never)).toThrow("@field(): unknown option 'alias'; give a type token, or { type, name }");
  });
});
