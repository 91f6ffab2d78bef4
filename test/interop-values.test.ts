// Values that cross a TypeScript task unchanged, measured against the real flytekit (1.16.24 and
// 1.16.31) in chains: a Python task (pyflyte-execute) writes them, a TypeScript task
// (flytekit-ts-execute) reads and returns them, and the next Python task reads them back. What the
// TypeScript task writes must be the bytes Python wrote: a dataclass field `by_key` (a TypeScript
// `byKey` with `@field({ name: "by_key" })`), naive and offset datetimes inside it, an untyped dict
// with int, float, bool and None keys and a `__proto__` key, and a string in `Union[Color, str]`.
import { equals } from "@bufbuild/protobuf";
import { LiteralSchema, type LiteralMap } from "@flytekit-ts/core/idl";
import { beforeAll, describe, expect, it } from "vitest";
import { executeArgs, outputsOf, runExecute, workArea, type ExecuteResult } from "./support/execute.js";
import { ensureFlytekit, ensureFlytekit1631, runPyflyteExecute } from "./support/python.js";

const TS_MODULE = "support/values-tasks.ts";
const EMPTY = new Uint8Array();
const pyflyte: Record<string, string> = {};

beforeAll(() => {
  pyflyte["1.16.24"] = ensureFlytekit().pyflyteExecute;
  pyflyte["1.16.31"] = ensureFlytekit1631().pyflyteExecute;
}, 600_000);

/** Runs a task of values_tasks.py with the real pyflyte-execute of a flytekit version. */
async function runPython(version: string, task: string, inputs: Uint8Array): Promise<ExecuteResult> {
  return runPyflyteExecute(pyflyte[version]!, "values_tasks", task, inputs);
}

async function runTypeScript(task: string, inputs: Uint8Array): Promise<ExecuteResult> {
  const area = workArea(inputs);
  return runExecute(executeArgs(area, TS_MODULE, task), area.out);
}

/** Each output's literal, as its protobuf bytes compare: the names that differ. */
function differing(a: LiteralMap, b: LiteralMap): string[] {
  const names = [...new Set([...Object.keys(a.literals), ...Object.keys(b.literals)])];
  return names.filter((n) => a.literals[n] === undefined || b.literals[n] === undefined || !equals(LiteralSchema, a.literals[n], b.literals[n]));
}

describe("values cross a TypeScript task unchanged (flytekit 1.16.24 and 1.16.31)", () => {
  let produced: LiteralMap;
  let producedBytes: Uint8Array;
  let passed: ExecuteResult;

  beforeAll(async () => {
    const [p24, p31] = await Promise.all([runPython("1.16.24", "produce", EMPTY), runPython("1.16.31", "produce", EMPTY)]);
    produced = outputsOf(p24, "pyflyte-execute produce (1.16.24)");
    producedBytes = p24.outputsBytes!;
    // Both releases write these values alike, so one pass-through answers for both.
    expect(differing(outputsOf(p31, "pyflyte-execute produce (1.16.31)"), produced)).toEqual([]);
    passed = await runTypeScript("ValuesTasks.passThrough", producedBytes);
  }, 120_000);

  it("a TypeScript pass-through reads each value as Python wrote it and writes Python's bytes back", () => {
    // passThrough fails unless it reads byKey, the datetimes, the Map keys and the strings it should.
    const outputs = outputsOf(passed, "flytekit-ts-execute values.passThrough");
    expect(differing(outputs, produced)).toEqual([]);
  });

  it("and the next Python task reads what it wrote itself, in both flytekit releases", async () => {
    const [c24, c31] = await Promise.all([runPython("1.16.24", "check", passed.outputsBytes!), runPython("1.16.31", "check", passed.outputsBytes!)]);
    expect(differing(outputsOf(c24, "pyflyte-execute check (1.16.24)"), produced)).toEqual([]);
    expect(differing(outputsOf(c31, "pyflyte-execute check (1.16.31)"), produced)).toEqual([]);
  });

  it("a value made anew is written in our own form, and the Python check tells it apart", async () => {
    // Without this, a check that accepted anything would prove nothing.
    const rebuilt = await runTypeScript("ValuesTasks.rebuild", producedBytes);
    const outputs = outputsOf(rebuilt, "flytekit-ts-execute values.rebuild");
    expect(differing(outputs, produced)).toEqual(["keyed", "loose"]);
    const r = await runPython("1.16.24", "check", rebuilt.outputsBytes!);
    expect(r.files).toEqual(["error.pb"]);
    const message = r.error!.error!.message;
    expect(message).toContain("naive=datetime.datetime(2024, 5, 1, 12, 0, tzinfo=datetime.timezone.utc)");
    expect(message).toContain("offset=datetime.datetime(2024, 5, 1, 10, 0, tzinfo=datetime.timezone.utc)");
    expect(message).toContain("loose: got {'7': 'str', '1.5': 'float', 'true': 'bool', 'null': 'none'");
  });
});
