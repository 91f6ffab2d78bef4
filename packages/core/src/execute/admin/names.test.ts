import { describe, expect, it } from "vitest";
import { create } from "../../idl/codec.js";
import { LiteralMapSchema } from "../../idl/gen/flyteidl/core/literals_pb.js";
import { dnsify, executionName, executionPrefix } from "./names.js";

const int = (n: number) => ({ value: { case: "scalar" as const, value: { value: { case: "primitive" as const, value: { value: { case: "integer" as const, value: BigInt(n) } } } } } });
const inputs = (x: number, y: number) => create(LiteralMapSchema, { literals: { x: int(x), y: int(y) } });

describe("dnsify", () => {
  it("gives what flytekit 1.16.24's _dnsify gives (printed by it)", () => {
    const vectors: Record<string, string> = {
      "e-pipeline-eager": "e-pipeline-eager",
      "e-Pipeline_X-ab.c": "e-pipeline-x-ab-c",
      __Abc: "abc",
      ["a".repeat(70)]: "e93442db5d-aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
      "e-pipeline-eager-add-16131a336013e3a4": "e-pipeline-eager-add-16131a336013e3a4",
      HTTPServer: "h-t-t-p-server",
      "my.module.Task_Name": "my-module-task-name",
      "x--y__z..": "x--y--z-",
      "ÄbcÉ": "äbc-é",
      "e-fanOut-eager-add-0123456789abcdef": "e-fan-out-eager-add-0123456789abcdef",
      [`${"ab".repeat(40)}CamelCase`]: "cd53e61440-bababababababababababababababababababababab-camel-case",
    };
    for (const [value, want] of Object.entries(vectors)) expect(dnsify(value), value).toBe(want);
  });
});

describe("execution names", () => {
  const prefix = executionPrefix("workflows.flows.Pipelines.pipeline", "f8a2c9e1b0");

  it("start as flytekit's: e-<eager task's short name, 8>-<eager execution, 5>-<inner task's short name, 8>-<16 hex>", () => {
    expect(prefix).toBe("e-pipeline-f8a2c");
    expect(executionName(prefix, "f8a2c9e1b0", "workflows.flows.Pipelines.addNumbers", 0, inputs(1, 2))).toMatch(/^e-pipeline-f8a2c-add-numbe-[0-9a-f]{16}$/);
  });

  it("are the same for the same call, and differ by eager execution, task, index and inputs", () => {
    const name = (tag: string, task: string, index: number, x: number) => executionName(executionPrefix("m.pipeline", tag), tag, task, index, inputs(x, 1));
    const base = name("exec1", "m.add", 0, 5);
    expect(name("exec1", "m.add", 0, 5)).toBe(base);
    const others = [name("exec2", "m.add", 0, 5), name("exec1", "m.add2", 0, 5), name("exec1", "m.add", 1, 5), name("exec1", "m.add", 0, 6)];
    expect(new Set([base, ...others]).size).toBe(5);
  });

  it("fit a DNS label of 63 characters", () => {
    const long = executionName(executionPrefix("m.aVeryLongEagerTaskName", "x".repeat(40)), "x".repeat(40), "m.AnotherVeryLongTaskName", 3, inputs(1, 1));
    expect(long.length).toBeLessThanOrEqual(63);
    expect(long).toMatch(/^[a-z0-9]([a-z0-9-]*[a-z0-9])?$/);
  });
});
