import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { describe, expect, it } from "vitest";
import * as core from "../index.js";
import { formatError } from "./flyte-error.js";

describe("the one error format", () => {
  it("is <where>: <what>[; <fix>], where is the task then the part, what is expected/got or the problem", () => {
    expect(formatError({ task: "math.add", subject: "input 'x'", expected: "Int", got: '"abc" (string)' })).toBe(`task 'math.add', input 'x': expected Int, got "abc" (string)`);
    expect(formatError({ task: "t", subject: "output 'o0'", path: "[2].name", expected: "Str", got: "1 (number)", problem: "why" })).toBe(
      "task 't', output 'o0'[2].name: expected Str, got 1 (number): why",
    );
    expect(formatError({ subject: "record Point, field 'x'", problem: "no type metadata", fix: "declare it: @field(Float)" })).toBe(
      "record Point, field 'x': no type metadata; declare it: @field(Float)",
    );
    expect(formatError({ task: "t", problem: "it timed out" })).toBe("task 't': it timed out");
    expect(formatError({ problem: "just this" })).toBe("just this");
  });

  it("is what the error classes write, their fields kept for code that reads them", () => {
    const e = new core.TaskInputError({ task: "t", input: "x", expected: "Int", got: "1.5 (number)" });
    expect(e.message).toBe("task 't', input 'x': expected Int, got 1.5 (number)");
    expect([e.name, e.task, e.input, e.subject, e.expected, e.got]).toEqual(["TaskInputError", "t", "x", "input 'x'", "Int", "1.5 (number)"]);
    expect(e.fields).toEqual({ task: "t", subject: "input 'x'", expected: "Int", got: "1.5 (number)" });
    // A user's own errors take a message, as ever.
    expect(new core.RecoverableError("try again").message).toBe("try again");
    expect(new core.RecoverableError("try again").errorCode).toBe("USER:Recoverable");
    // Printing an error shows its message and stack, not its fields.
    expect(Object.keys(e)).toEqual([]);
  });
});

describe("instanceof across two copies of the package", () => {
  // Tests load core from its sources; the bundle that programs load is a second copy of it.
  const bundle = () => import(pathToFileURL(join(import.meta.dirname, "../../dist/bundle/index.js")).href) as Promise<typeof core>;

  it("holds for every error class, both ways, and still tells classes apart", async () => {
    const other = await bundle();
    expect(other.RecoverableError).not.toBe(core.RecoverableError);
    expect(new other.RecoverableError("x")).toBeInstanceOf(core.RecoverableError);
    expect(new core.RecoverableError("x")).toBeInstanceOf(other.RecoverableError);
    expect(new other.TaskTimeoutError("t", 5)).toBeInstanceOf(core.RecoverableError);
    expect(new other.TaskInputError({ task: "t" })).toBeInstanceOf(core.FlyteError);
    expect(new other.RecoverableError("x")).not.toBeInstanceOf(core.TaskTimeoutError);
    expect(new other.TaskDefinitionError("x")).not.toBeInstanceOf(core.TypeTransformerError);
    expect(new Error("plain")).not.toBeInstanceOf(core.FlyteError);
    expect(null).not.toBeInstanceOf(core.FlyteError);
  });

  it("so a RecoverableError from the other copy is retried by a local call", async () => {
    const other = await bundle();
    class Flaky extends other.RecoverableError {}
    let calls = 0;
    const flaky = core.functionTask({ name: "copies.flaky", outputs: core.Int, retries: 2 }, () => {
      calls++;
      if (calls < 3) throw new Flaky(`attempt ${calls}`);
      return calls;
    });
    expect(flaky()).toBe(3);
  });

  it("holds for tasks too: a task the other copy made is a Task here", async () => {
    const other = await bundle();
    const t = other.functionTask({ name: "copies.t", outputs: other.Int }, () => 1);
    expect(t.task).toBeInstanceOf(core.Task);
    expect(core.taskOf(t)).toBe(t.task);
  });
});
