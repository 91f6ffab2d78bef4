// Interop with the real Python flytekit 1.16.24, both ways: what pyflyte-execute writes as a
// Python task's outputs.pb is the inputs.pb of a TypeScript task run by flytekit-ts-execute, and the
// reverse, for ints (and int64 past 2^53), floats, strings, lists, maps, Optional, a union, a
// dataclass/record, an enum and a datetime. Each `check` task fails unless it reads exactly the
// values `produce` writes on the other side.
import { equals, fromBinary, toBinary } from "@bufbuild/protobuf";
import { LiteralMapSchema, type LiteralMap } from "@flytekit-ts/core/idl";
import { beforeAll, describe, expect, it } from "vitest";
import { executeArgs, outputsOf, runExecute, workArea, type ExecuteResult } from "./support/execute.js";
import { ensureFlytekit, runPyflyteExecute } from "./support/python.js";
import { expected, Interop } from "./support/interop-tasks.js";
import { fromLiteralMap } from "@flytekit-ts/core/internal";
import { Int, Str, taskOf } from "@flytekit-ts/core";

const TS_MODULE = "support/interop-tasks.ts";
let pyflyteExecute: string;

beforeAll(() => {
  ({ pyflyteExecute } = ensureFlytekit());
}, 600_000);

/** Runs a task of interop_tasks.py with the real pyflyte-execute. */
async function runPython(task: string, inputs: Uint8Array): Promise<ExecuteResult> {
  return runPyflyteExecute(pyflyteExecute, "interop_tasks", task, inputs);
}

/** Runs a task of interop-tasks.ts with flytekit-ts-execute. */
async function runTypeScript(task: string, inputs: Uint8Array): Promise<ExecuteResult> {
  const area = workArea(inputs);
  return runExecute(executeArgs(area, TS_MODULE, task), area.out);
}

const EMPTY = new Uint8Array();
let fromPython: Uint8Array;
let fromTypeScript: Uint8Array;

describe("Python flytekit and flytekit-ts read each other's literals", () => {
  beforeAll(async () => {
    const [py, ts] = await Promise.all([runPython("produce", EMPTY), runTypeScript("Interop.produce", EMPTY)]);
    outputsOf(py, "pyflyte-execute produce");
    outputsOf(ts, "flytekit-ts-execute produce");
    fromPython = py.outputsBytes!;
    fromTypeScript = ts.outputsBytes!;
  }, 120_000);

  it("both sides write the same LiteralMap for the same values", () => {
    const py = fromBinary(LiteralMapSchema, fromPython);
    const ts = fromBinary(LiteralMapSchema, fromTypeScript);
    expect(Object.keys(ts.literals).sort()).toEqual(Object.keys(py.literals).sort());
    for (const name of Object.keys(py.literals)) {
      expect(equals(LiteralMapSchema, { $typeName: "flyteidl.core.LiteralMap", literals: { [name]: ts.literals[name]! } }, { $typeName: "flyteidl.core.LiteralMap", literals: { [name]: py.literals[name]! } }), `output ${name}`).toBe(true);
    }
  });

  it("Python's outputs.pb is a TypeScript task's inputs.pb: it reads every value", async () => {
    const r = await runTypeScript("Interop.check", fromPython);
    const outputs = outputsOf(r, "flytekit-ts-execute check");
    // And the values read are the TypeScript ones, records as instances of their classes.
    const types = Object.fromEntries(taskOf(Interop.check).interface.outputs.map((v) => [v.name, v.type]));
    const values = fromLiteralMap(types, outputs, "output") as Record<string, unknown>;
    expect(values).toEqual(expected());
  });

  it("TypeScript's outputs.pb is a Python task's inputs.pb: it reads every value", async () => {
    const r = await runPython("check", fromTypeScript);
    outputsOf(r, "pyflyte-execute check");
  });

  it("and around again: Python → TypeScript → Python", async () => {
    const ts = await runTypeScript("Interop.check", fromPython);
    const py = await runPython("check", ts.outputsBytes ?? EMPTY);
    const back = outputsOf(py, "pyflyte-execute check");
    expect(equals(LiteralMapSchema, back, fromBinary(LiteralMapSchema, fromPython))).toBe(true);
  });

  it("a wrong value is caught: the Python check refuses what it does not expect", async () => {
    // The test would be worthless if check accepted anything: feed Python its own outputs with one value changed.
    const changed = fromBinary(LiteralMapSchema, fromPython);
    changed.literals.i = Int.toLiteral(-41);
    const r = await runPython("check", toBinary(LiteralMapSchema, changed));
    expect(r.files).toEqual(["error.pb"]);
    expect(r.error!.error!.message).toContain("i: got -41 (int), expected -42 (int)");
  });

  it("and the TypeScript check refuses what it does not expect", async () => {
    const changed = fromBinary(LiteralMapSchema, fromPython);
    changed.literals.s = Str.toLiteral("hello");
    const r = await runTypeScript("Interop.check", toBinary(LiteralMapSchema, changed));
    expect(r.files).toEqual(["error.pb"]);
    expect(r.error!.error!.message).toContain('s: got "hello", expected "héllo ✓ 世界"');
  });
});
