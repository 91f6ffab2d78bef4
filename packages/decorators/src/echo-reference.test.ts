import { describe, expect, it } from "vitest";
import { echo } from "./echo.js";
import { referenceTask } from "./reference-task.js";
import { EchoTask, Float, List, mockTask, NotRunnableLocallyError, Optional, ReferenceTask, Str, taskOf } from "@flytekit-ts/core";

class Flows {
  @echo({ name: "echo", inputs: { a: Optional(Float) } })
  static passthrough(a: number | null): number | null {
    throw new Error(`the body of an echo task never runs (${a})`);
  }

  @echo()
  static pair(a: number, b: string): { o0: number; o1: string } {
    throw new Error(`never runs ${a} ${b}`);
  }
}

class Remote {
  @referenceTask({
    project: "flytesnacks",
    domain: "development",
    name: "recipes.aaa.simple.join_strings",
    version: "553018f39e519bdb2597b652639c30ce16b99c79",
    inputs: { a: List(Str) },
  })
  static join(a: string[]): string {
    throw new Error(`never runs ${a.join()}`);
  }
}

describe("@echo", () => {
  it("declares an echo task whose outputs mirror the method's inputs", () => {
    const t = taskOf(Flows.passthrough);
    expect(t).toBeInstanceOf(EchoTask);
    expect([t.name, t.taskType]).toEqual(["echo", "echo"]);
    expect(t.interface.outputs.map((v) => [v.name, v.type.name])).toEqual([["o0", "Optional(Float)"]]);
    expect(Flows.passthrough(1.8)).toBe(1.8);
  });

  it("returns an object for several inputs and is named after its method by default", () => {
    expect(Flows.pair(1.8, "x")).toEqual({ o0: 1.8, o1: "x" });
    expect(taskOf(Flows.pair).name).toBe("echo-reference.test.Flows.pair");
  });
});

describe("@referenceTask", () => {
  it("declares a reference with the method's interface; its identity is exactly as given", () => {
    const t = taskOf(Remote.join) as unknown as ReferenceTask;
    expect(t).toBeInstanceOf(ReferenceTask);
    expect(t.reference).toEqual({
      project: "flytesnacks",
      domain: "development",
      name: "recipes.aaa.simple.join_strings",
      version: "553018f39e519bdb2597b652639c30ce16b99c79",
    });
    expect(t.interface.inputs.map((v) => v.type.name)).toEqual(["List(Str)"]);
    expect(t.interface.outputs.map((v) => v.type.name)).toEqual(["Str"]);
  });

  it("refuses to run locally, saying to mock it; runs the mock once mocked", () => {
    expect(() => Remote.join(["a"])).toThrow(NotRunnableLocallyError);
    expect(() => Remote.join(["a"])).toThrow(/You must mock this out/);
    {
      using mock = mockTask(Remote.join).implementation(({ a }) => (a as string[]).join("+"));
      expect(Remote.join(["a", "b"])).toBe("a+b");
      expect(mock.calls).toEqual([{ a: ["a", "b"] }]);
    }
    expect(() => Remote.join(["a"])).toThrow(NotRunnableLocallyError);
  });
});
