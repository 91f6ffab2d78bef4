// A mocked task is called as the task is: a mock of an async task returns a Promise, whatever the
// mock does (returns, implementation, throws), and still goes through the task's types.
import { afterEach, describe, expect, it } from "vitest";
import { functionTask } from "../tasks/function-form.js";
import { TaskOutputError } from "../tasks/errors.js";
import { Interface } from "../interface/interface.js";
import { defaultTaskSettings } from "../tasks/options.js";
import { ReferenceTask } from "../tasks/reference-task.js";
import { Int, Str } from "../index.js";
import { mockTask, restoreAllMocks } from "./mock.js";

afterEach(() => restoreAllMocks());

describe("mockTask on an async task", () => {
  const fetchCount = functionTask({ name: "mock.fetch_count", inputs: { n: Int }, outputs: Int }, async ({ n }) => Number(n) + 1);

  it("returns a Promise of the mocked value, as the task does", async () => {
    const mock = mockTask(fetchCount).returns(41);
    const result = fetchCount({ n: 1 });
    expect(result).toBeInstanceOf(Promise);
    expect(await result).toBe(41);
    expect(mock.calls).toEqual([{ n: 1 }]);
  });

  it("returns a Promise from a synchronous implementation, and takes an async one", async () => {
    mockTask(fetchCount).implementation(({ n }) => Number(n) * 10);
    const sync = fetchCount({ n: 2 });
    expect(sync).toBeInstanceOf(Promise);
    expect(await sync).toBe(20);
    mockTask(fetchCount).implementation(async ({ n }) => Number(n) * 100);
    expect(await fetchCount({ n: 2 })).toBe(200);
  });

  it("rejects, rather than throws, with what throws() is given", async () => {
    mockTask(fetchCount).throws(new RangeError("down"));
    let result: unknown;
    expect(() => {
      result = fetchCount({ n: 1 });
    }).not.toThrow();
    expect(result).toBeInstanceOf(Promise);
    await expect(result).rejects.toThrow(RangeError);
    await expect(fetchCount({ n: 1 })).rejects.toThrow("Error encountered while executing 'mock.fetch_count':\n  down");
  });

  it("still checks the mocked value against the outputs, in the Promise", async () => {
    mockTask(fetchCount).returns("many");
    const result = fetchCount({ n: 1 });
    expect(result).toBeInstanceOf(Promise);
    await expect(result).rejects.toThrow(TaskOutputError);
    await expect(fetchCount({ n: 1 })).rejects.toThrow("task 'mock.fetch_count', output 'o0': expected Int, got \"many\" (string)");
  });

  it("leaves a synchronous task synchronous", () => {
    const double = functionTask({ name: "mock.double", inputs: { n: Int }, outputs: Int }, ({ n }) => Number(n) * 2);
    mockTask(double).returns(5);
    expect(double({ n: 1 })).toBe(5);
    mockTask(double).throws(new RangeError("no"));
    expect(() => double({ n: 1 })).toThrow(RangeError);
  });

  it("makes a mocked async reference task return a Promise", async () => {
    const iface = new Interface([{ name: "a", type: Str, optional: false, hasDefaultValue: false, description: "a" }], [{ name: "o0", type: Str, description: "o0" }]);
    const reference = { project: "p", domain: "d", name: "mock.remote", version: "v1" };
    const ref = new ReferenceTask({ reference, interface: iface, settings: defaultTaskSettings("mock.remote"), isAsync: true });
    mockTask(ref).returns("hello");
    const result = ref.invoke({ a: "x" });
    expect(result).toBeInstanceOf(Promise);
    expect(await result).toBe("hello");
  });
});
