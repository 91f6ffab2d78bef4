// @eager in both decorator modes: legacy here (this package's tests are compiled with legacy
// decorators), standard applied as TypeScript's emit applies it; and the function form.
import { describe, expect, it } from "vitest";
import { currentContext, Int, taskOf, TaskDefinitionError } from "@flytekit-ts/core";
import { EagerTask } from "@flytekit-ts/core/extend";
import { eager, task } from "./index.js";

class Steps {
  @task({ inputs: { x: Int }, outputs: Int })
  static inc(x: number): number {
    return x + 1;
  }
}

describe("@eager, legacy decorators", () => {
  it("makes an eager task of an async static method: it awaits the tasks it calls", async () => {
    class Flow {
      @eager({ inputs: { x: Int }, outputs: Int })
      static async twice(x: number): Promise<number> {
        const a = await Steps.inc(x);
        const calls = currentContext().eager!.calls.map((c) => c.task);
        expect(calls).toEqual([taskOf(Steps.inc).name]);
        return await Steps.inc(a);
      }
    }
    expect(await Flow.twice(1)).toBe(3);
    const t = taskOf(Flow.twice);
    expect(t).toBeInstanceOf(EagerTask);
    expect([t.isEager, t.metadata.generatesDeck]).toEqual([true, true]);
  });

  it("refuses a method that is not async, when it is declared, naming the task", () => {
    expect(() => {
      class Flow {
        @eager({ inputs: { x: Int }, outputs: Int })
        static notAsync(x: number): number {
          return x;
        }
      }
      return Flow;
    }).toThrow(/^task '.*Flow\.notAsync': an eager task's function must be async/);
  });

  it("bare @eager is @eager(): a method with no inputs and no outputs", async () => {
    let ran = false;
    class Flow {
      @eager
      static async noop(): Promise<void> {
        ran = (currentContext().eager?.calls.length ?? -1) === 0;
      }
    }
    // Legacy metadata reflects Promise, which says nothing of what it resolves to: the fix is named.
    expect(() => taskOf(Flow.noop)).toThrow(/outputs: \{\} for Promise<void>/);
    expect(ran).toBe(false);
  });

  it("refuses @eager() called as a function", () => {
    expect(() => (eager({}) as unknown as (x: number) => void)(1)).toThrow(TaskDefinitionError);
  });
});

type Decorator = (value: unknown, context: object) => unknown;

/** A static method decorated as TypeScript's standard emit does: the decorator, then the class's metadata, then the static initializers. */
function decorateStatic(cls: Function, name: string, decorator: unknown): void {
  const metadata = Object.create(null) as object;
  const initializers: Function[] = [];
  const holder = cls as unknown as Record<string, unknown>;
  const context = { kind: "method", name, static: true, private: false, access: { has: () => true, get: () => undefined }, metadata, addInitializer: (f: Function) => initializers.push(f) };
  const result = (decorator as Decorator)(holder[name], context);
  if (typeof result === "function") Object.defineProperty(holder, name, { value: result, writable: true, configurable: true });
  Object.defineProperty(cls, (Symbol as unknown as { metadata: symbol }).metadata, { value: metadata, configurable: true });
  for (const f of initializers) f.call(cls);
}

describe("@eager, standard decorators", () => {
  it("bare and with options: typed by tokens, no outputs when none are declared", async () => {
    const seen: string[][] = [];
    class Flow {
      static async bare(): Promise<void> {
        await Steps.inc(1);
        seen.push(currentContext().eager!.calls.map((c) => c.task));
      }
      static async withOptions(x: number): Promise<number> {
        return await Steps.inc(x);
      }
    }
    decorateStatic(Flow, "bare", eager);
    decorateStatic(Flow, "withOptions", eager({ inputs: { x: Int }, outputs: Int }));
    expect(await Flow.bare()).toBeUndefined();
    expect(seen).toEqual([[taskOf(Steps.inc).name]]);
    expect(await Flow.withOptions(41)).toBe(42);
    expect(taskOf(Flow.withOptions).isEager).toBe(true);
    expect(taskOf(Flow.bare).interface.outputs).toEqual([]);
  });

  it("refuses a method that is not async", () => {
    class Flow {
      static sync(): number {
        return 1;
      }
    }
    expect(() => decorateStatic(Flow, "sync", eager({ outputs: Int }))).toThrow(/an eager task's function must be async/);
  });
});

describe("eager(options, fn), the function form", () => {
  it("makes an eager task of an async function", async () => {
    const flow = eager({ name: "eager.form", inputs: { x: Int }, outputs: Int }, async ({ x }) => Number(await Steps.inc(Number(x))) * 10);
    expect(await flow({ x: 1 })).toBe(20);
    expect(flow.task.isEager).toBe(true);
  });

  it("refuses a function that is not async", () => {
    expect(() => eager({ name: "eager.sync-form", outputs: Int }, (() => 1) as never)).toThrow(
      "task 'eager.sync-form': an eager task's function must be async: the tasks it calls return Promises, which it awaits; declare it `async` (async run(...) { ... })",
    );
  });
});
