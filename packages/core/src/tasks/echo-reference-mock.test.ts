import { describe, expect, it } from "vitest";
import { Interface } from "../interface/interface.js";
import { restoreAllMocks } from "../testing/mock.js";
import { EchoTask } from "./echo-task.js";
import { NotRunnableLocallyError } from "./errors.js";
import { functionTask } from "./function-form.js";
import { taskOf } from "./handles.js";
import { mockTask } from "../testing/mock.js";
import { defaultTaskSettings } from "./options.js";
import { ReferenceTask } from "./reference-task.js";
import { Float, Int, List, Optional, Str } from "../index.js";

describe("EchoTask", () => {
  it("mirrors its inputs as outputs o0, o1, ... with no container", () => {
    const echo = new EchoTask({ name: "echo", inputs: { a: Optional(Float) } });
    expect([echo.name, echo.taskType]).toEqual(["echo", "echo"]);
    expect(echo.interface.outputs.map((v) => [v.name, v.type.name])).toEqual([["o0", "Optional(Float)"]]);
    expect(echo.invoke({ a: 1.8 })).toBe(1.8);
    expect(echo.invoke({ a: null })).toBeNull();
  });

  it("returns an object of outputs for several inputs", () => {
    const echo = new EchoTask({ name: "echo2", inputs: { a: Float, b: Str } });
    expect(echo.call(1.8, "x")).toEqual({ o0: 1.8, o1: "x" });
  });

  it("checks its arguments like any task", () => {
    const echo = new EchoTask({ name: "echo3", inputs: { a: Int } });
    expect(() => echo.invoke({ a: "x" })).toThrow("task 'echo3', input 'a': expected Int, got \"x\" (string)");
    expect(() => new EchoTask({ name: "e", inputs: {}, extra: 1 } as never)).toThrow("task 'e': Unrecognized argument(s) for task: extra; it takes inputs, name");
  });
});

describe("ReferenceTask", () => {
  const iface = new Interface([{ name: "a", type: List(Str), optional: false, hasDefaultValue: false, description: "a" }], [{ name: "o0", type: Str, description: "o0" }]);
  const ref = new ReferenceTask({
    reference: { project: "flytesnacks", domain: "development", name: "recipes.aaa.simple.join_strings", version: "553018f39e519bdb2597b652639c30ce16b99c79" },
    interface: iface,
    settings: defaultTaskSettings("ref"),
  });

  it("keeps its identity exactly as given", () => {
    expect(ref.reference).toEqual({
      project: "flytesnacks",
      domain: "development",
      name: "recipes.aaa.simple.join_strings",
      version: "553018f39e519bdb2597b652639c30ce16b99c79",
    });
    expect(ref.name).toBe("recipes.aaa.simple.join_strings");
  });

  it("cannot run locally until it is mocked", () => {
    expect(() => ref.invoke({ a: ["x"] })).toThrow(NotRunnableLocallyError);
    expect(() => ref.invoke({ a: ["x"] })).toThrow(/^task 'recipes\.aaa\.simple\.join_strings': Remote reference entities cannot be run locally\. You must mock this out/);
    const mock = mockTask(ref).returns("hello");
    try {
      expect(ref.invoke({ a: ["x", "y"] })).toBe("hello");
      expect(mock.calls).toEqual([{ a: ["x", "y"] }]);
    } finally {
      mock.restore();
    }
    expect(() => ref.invoke({ a: ["x"] })).toThrow(NotRunnableLocallyError);
  });

  it("still checks inputs and outputs against its types when mocked", () => {
    using _mock = mockTask(ref).returns(42);
    expect(() => ref.invoke({ a: "not a list" })).toThrow("input 'a': expected List(Str), got \"not a list\" (string)");
    expect(() => ref.invoke({ a: [] })).toThrow("output 'o0': expected Str, got 42 (number)");
  });

  it("needs every part of its identity", () => {
    expect(() => new ReferenceTask({ reference: { project: "p", domain: "d", name: "n", version: "" }, interface: iface, settings: defaultTaskSettings("x") })).toThrow(
      'reference task, version: expected a non-empty string, got ""',
    );
  });
});

describe("mockTask", () => {
  it("replaces an ordinary task's body, by implementation or error, until restored", () => {
    const double = functionTask({ name: "double", inputs: { x: Int }, outputs: Int }, ({ x }) => Number(x) * 2);
    expect(double({ x: 2 })).toBe(4);
    const mock = mockTask(double).implementation(({ x }) => Number(x) + 100);
    expect(double({ x: 2 })).toBe(102);
    mock.throws(new RangeError("nope"));
    expect(() => double({ x: 2 })).toThrow(RangeError);
    restoreAllMocks();
    expect(double({ x: 2 })).toBe(4);
    expect(taskOf(double)).toBe(double.task);
  });

  it("refuses what is not a task", () => {
    expect(() => mockTask(() => 1)).toThrow("mockTask(): expected a task, got (anonymous function); declare it with @task() or build it with task({ ... }, fn)");
  });
});
