import { describe, expect, it } from "vitest";
import { decode } from "../idl/codec.js";
import { LiteralMapSchema } from "../idl/gen/flyteidl/core/literals_pb.js";
import { functionTask } from "../tasks/function-form.js";
import { fromLiteralMap } from "../types/engine.js";
import { Int, List, Str } from "../index.js";
import { inputsToBinary } from "./inputs.js";

const join = functionTask({ name: "inputs.join", inputs: { words: List(Str), times: Int }, outputs: Str }, ({ words, times }) => words.join(" ").repeat(Number(times)));

describe("inputsToBinary", () => {
  it("writes the inputs LiteralMap a container reads, converted by the task's interface", () => {
    const bytes = inputsToBinary(join, { words: ["a", "b"], times: 2 });
    const map = decode(LiteralMapSchema, bytes);
    expect(Object.keys(map.literals)).toEqual(["words", "times"]);
    expect(map.literals.times?.value.case).toBe("scalar");
    expect(fromLiteralMap({ words: List(Str), times: Int }, map)).toEqual({ words: ["a", "b"], times: 2 });
  });

  it("refuses what a local call refuses, naming the task and the input", () => {
    expect(() => inputsToBinary(join, { words: ["a"], times: 1.5 })).toThrow("task 'inputs.join', input 'times': expected Int, got 1.5 (number)");
    expect(() => inputsToBinary(join, { words: ["a"] })).toThrow("task 'inputs.join', input 'times': expected Int, got nothing: it is required");
    expect(() => inputsToBinary(join, { words: [], times: 1, extra: 1 })).toThrow("task 'inputs.join', input 'extra': no such input (inputs: words, times)");
  });
});
