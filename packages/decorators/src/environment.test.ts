// `@env.task` (core's TaskEnvironment, declared on class members through this package) in both of
// TypeScript's decorator modes: legacy, as this package's tests are compiled, and standard, applied
// here as TypeScript's standard emit applies it (see standard.test.ts).
import { describe, expect, it } from "vitest";
import { Cache, Int, Resources, RetryStrategy, ReusePolicy, Str, TaskDefinitionError, TaskEnvironment, taskOf } from "@flytekit-ts/core";
import { symbolMetadata } from "@flytekit-ts/core/internal";
import "./index.js";

const env = new TaskEnvironment({ name: "deco", image: "ghcr.io/me/deco:1", env: { STAGE: "test" }, resources: new Resources({ cpu: "2" }), queue: "q", cache: new Cache({ version: "e1" }) });

class Legacy {
  @env.task
  static add(x: number, y: number): number {
    return x + y;
  }

  @env.task({ outputs: Str, retries: new RetryStrategy({ count: 2, backoff: { base: 1 } }), queue: "fast", cache: false })
  async shout(word: string): Promise<string> {
    return `${word}!`;
  }
}

describe("@env.task, legacy decorators", () => {
  it("declares a task named <env>.<Class>.<member> with the environment's settings", () => {
    const add = taskOf(Legacy.add);
    expect(add.name).toBe("deco.Legacy.add");
    expect(add.shortName).toBe("add");
    const s = add.settings;
    expect([s.containerImage, s.environment, s.resources.requests.cpu, s.flyte2.queue, s.metadata.cacheVersion]).toEqual(["ghcr.io/me/deco:1", { STAGE: "test" }, "2", "q", "e1"]);
    expect(Legacy.add(1, 2)).toBe(3);
  });

  it("with options: the task's own win, and the environment's fill in the rest", async () => {
    const shout = taskOf(Legacy.prototype.shout);
    expect(shout.name).toBe("deco.Legacy.shout");
    const s = shout.settings;
    expect([s.flyte2.queue, s.metadata.cache, s.metadata.retries, s.flyte2.backoff?.base, s.environment]).toEqual(["fast", false, 2, { seconds: 1, nanos: 0 }, { STAGE: "test" }]);
    expect(await new Legacy().shout("hi")).toBe("hi!");
    expect(await shout.aio("ho")).toBe("ho!");
    expect(await shout.forward("raw")).toBe("raw!");
  });

  it("refuses at declaration what is set on the environment only", () => {
    expect(() => {
      class Bad {
        @env.task({ environment: { A: "1" } } as never)
        static f(): number {
          return 1;
        }
      }
      return Bad;
    }).toThrow(TaskDefinitionError);
  });

  it("lists the environment's tasks", () => {
    expect(env.tasks.map((t) => t.name).sort()).toEqual(["deco.Legacy.add", "deco.Legacy.shout"]);
  });
});

type Decorator = (value: unknown, context: object) => unknown;

/** Applies standard method decorators as TypeScript's emit does (static members first), then runs the initializers. */
function decorateStandard(cls: Function, members: { name: string; static?: boolean; decorator: unknown }[]): void {
  const metadata = Object.create(null) as object;
  const initializers: Function[] = [];
  for (const m of [...members.filter((x) => x.static), ...members.filter((x) => !x.static)]) {
    const holder = (m.static ? cls : cls.prototype) as Record<string, unknown>;
    const context = {
      kind: "method",
      name: m.name,
      static: m.static === true,
      private: false,
      access: { has: () => true, get: () => undefined },
      metadata,
      addInitializer: (f: Function) => (m.static ? initializers : []).push(f),
    };
    const result = (m.decorator as Decorator)(holder[m.name], context);
    if (typeof result === "function") Object.defineProperty(holder, m.name, { value: result, writable: true, configurable: true });
  }
  Object.defineProperty(cls, symbolMetadata(), { value: metadata, configurable: true, writable: true, enumerable: true });
  for (const f of initializers) f.call(cls);
}

describe("@env.task, standard decorators", () => {
  const warm = new TaskEnvironment({ name: "std", reusable: new ReusePolicy({ replicas: 2, concurrency: 3 }), interruptible: true });

  it("declares the same tasks, bare and with options", async () => {
    class Standard {
      static triple(x: number): number {
        return 3 * x;
      }
      async twice(x: number): Promise<number> {
        return 2 * x;
      }
    }
    decorateStandard(Standard, [
      { name: "triple", static: true, decorator: warm.task({ inputs: { x: Int }, outputs: Int, interruptible: false, shortName: "x3" }) },
      { name: "twice", decorator: warm.task({ inputs: { x: Int }, outputs: Int }) },
    ]);
    // A standard decorator on a synchronous method of a reusable environment with concurrency 3 is
    // refused when the task is built (flyte-sdk's rule), as with legacy decorators.
    expect(() => taskOf(Standard.triple)).toThrow(/Reusable environments with concurrency greater than 1 are only supported for async tasks/);
    const twice = taskOf(Standard.prototype.twice);
    expect([twice.name, twice.shortName, twice.settings.flyte2.reusePolicy?.concurrency, twice.metadata.interruptible]).toEqual(["std.Standard.twice", "twice", 3, true]);
    expect(await new Standard().twice(4)).toBe(8);
  });

  it("bare @env.task (the method is bound to its environment, as a decorator needs)", () => {
    const plain = new TaskEnvironment({ name: "plain", queue: "bare-q" });
    let pinged = 0;
    class Bare {
      static ping(): void {
        pinged++;
      }
    }
    decorateStandard(Bare, [{ name: "ping", static: true, decorator: plain.task }]);
    const ping = taskOf(Bare.ping);
    expect([ping.name, ping.settings.flyte2.queue]).toEqual(["plain.Bare.ping", "bare-q"]);
    Bare.ping();
    expect(pinged).toBe(1);
  });
});
