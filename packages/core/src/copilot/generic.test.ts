// A generic (google.protobuf.Struct) through CoPilot's contract, compared with protobuf-go itself:
// a STRUCT output's text read as jsonpb reads it (readOutputs), then that Struct written as an input
// (writeInputs: jsonpb's text in the file, Go's json.Marshal in inputs.json). The Go program in
// __fixtures__/gopb (github.com/golang/protobuf v1.5.4, google.golang.org/protobuf v1.36.6) is built
// once into .cache/ with the modules fetched from the Go module proxy and checked against the
// committed go.sum. Go missing is a failure.
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { Interface } from "../interface/interface.js";
import { LocalStorage } from "../storage/local.js";
import { Json } from "../types/json.js";
import { writeInputs } from "./inputs.js";
import { readOutputs } from "./outputs.js";

/** A Go program of __fixtures__, built once by the shared builder (test/support/go.ts, loaded by path: it is outside core's layers). */
async function goProgram(name: string): Promise<(input: unknown) => unknown> {
  const { goProgram: build } = (await import(join(import.meta.dirname, "../../../../test/support/go.ts"))) as { goProgram(dir: string): Promise<(input: unknown) => unknown> };
  return build(join(import.meta.dirname, "__fixtures__", name));
}

const TEXTS = [
  "{}", '{"a":1}', ' {"a": 1} ', '{"b":[1,"x",null,true],"a":{"n":1.5e-7}}', '{"é":1,"e":2,"z":3,"A":4,"😀":5,"\\uffff":6}', '{"a":1e21,"b":1e20,"c":0.1,"d":-0,"e":1E5}',
  '{"big":12345678901234567890}', '{"max":1.7976931348623157e308}', '{"over":1e400}', '{"under":1e-400}', '{"s":"<a>&\\u2028\\u0000\\t\\"q\\"\\\\"}', '{"a":1,"a":2}',
  "[1]", '"x"', "null", "true", '{"a":NaN}', '{"a":01}', '{"a":1,}', '{"a":1}x', '{"deep":{"x":{"y":[[],{},[{"z":null}]]}}}', '{"n":-1.25e-300}', '{"a":.5}', "",
];

describe("a Struct through CoPilot's contract, compared with protobuf-go", () => {
  let theirs: { ok: boolean; file?: string; value?: string }[];
  beforeAll(async () => {
    theirs = (await goProgram("gopb"))(TEXTS) as { ok: boolean; file?: string; value?: string }[];
  }, 600_000);

  it("reads a STRUCT output as jsonpb does, and writes the Struct as an input as jsonpb and json.Marshal do", async () => {
    const storage = new LocalStorage();
    const ours: { ok: boolean; file?: string; value?: string }[] = [];
    for (const text of TEXTS) {
      const root = mkdtempSync(join(tmpdir(), "copilot-generic-"));
      mkdirSync(join(root, "out"));
      writeFileSync(join(root, "out", "g"), text);
      let outputs;
      try {
        outputs = await readOutputs("t", new Interface([], [{ name: "g", type: Json, description: "" }]), join(root, "out"), join(root, "raw"), storage);
      } catch {
        ours.push({ ok: false });
        continue;
      }
      const dir = join(root, "in");
      await writeInputs("t", outputs, new Interface([{ name: "g", type: Json, optional: false, hasDefaultValue: false, description: "" }], []), dir, "JSON", storage);
      ours.push({ ok: true, file: readFileSync(join(dir, "g"), "utf8"), value: readFileSync(join(dir, "inputs.json"), "utf8") });
    }
    expect(ours.map((r, i) => [TEXTS[i], r])).toEqual(theirs.map((r, i) => [TEXTS[i], r]));
  });
});
