// A generic (google.protobuf.Struct) through CoPilot's contract, compared with protobuf-go itself:
// a STRUCT output's text read as jsonpb reads it (readOutputs), then that Struct written as an input
// (writeInputs: jsonpb's text in the file, Go's json.Marshal in inputs.json). The Go program in
// __fixtures__/gopb is built offline (GOPROXY=off) when github.com/golang/protobuf v1.5.4 and
// google.golang.org/protobuf v1.36.6 are in Go's module cache, and skipped otherwise.
import { execFileSync, spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { beforeAll, describe, expect, it } from "vitest";
import { Interface } from "../interface/interface.js";
import { LocalStorage } from "../storage/local.js";
import { Json } from "../types/json.js";
import { writeInputs } from "./inputs.js";
import { readOutputs } from "./outputs.js";

const HERE = dirname(fileURLToPath(import.meta.url));
const MODULE = join(HERE, "__fixtures__", "gopb");
const REPO = resolve(HERE, "../../../..");
const MOD_CACHE = (() => {
  const r = spawnSync("go", ["env", "GOMODCACHE"], { encoding: "utf8" });
  return r.status === 0 ? r.stdout.trim() : undefined;
})();
const HAS_MODULES =
  MOD_CACHE !== undefined && existsSync(join(MOD_CACHE, "github.com", "golang", "protobuf@v1.5.4")) && existsSync(join(MOD_CACHE, "google.golang.org", "protobuf@v1.36.6"));

function runGoPb(texts: string[]): { ok: boolean; file?: string; value?: string }[] {
  const hash = createHash("sha256").update(readFileSync(join(MODULE, "main.go"))).update(readFileSync(join(MODULE, "go.mod"))).digest("hex").slice(0, 16);
  const binary = join(REPO, ".cache", "copilot-gofmt", `gopb-${hash}`);
  if (!existsSync(binary)) {
    mkdirSync(dirname(binary), { recursive: true });
    const env = { ...process.env, GOCACHE: process.env.GOCACHE ?? join(REPO, ".cache", "go-build"), GOPROXY: "off", GOFLAGS: "-mod=readonly", GOSUMDB: "off" };
    execFileSync("go", ["build", "-o", binary, "."], { cwd: MODULE, env, stdio: "pipe", timeout: 300_000 });
  }
  return JSON.parse(execFileSync(binary, { input: JSON.stringify(texts), encoding: "utf8" })) as { ok: boolean; file?: string; value?: string }[];
}

const TEXTS = [
  "{}", '{"a":1}', ' {"a": 1} ', '{"b":[1,"x",null,true],"a":{"n":1.5e-7}}', '{"é":1,"e":2,"z":3,"A":4,"😀":5,"\\uffff":6}', '{"a":1e21,"b":1e20,"c":0.1,"d":-0,"e":1E5}',
  '{"big":12345678901234567890}', '{"max":1.7976931348623157e308}', '{"over":1e400}', '{"under":1e-400}', '{"s":"<a>&\\u2028\\u0000\\t\\"q\\"\\\\"}', '{"a":1,"a":2}',
  "[1]", '"x"', "null", "true", '{"a":NaN}', '{"a":01}', '{"a":1,}', '{"a":1}x', '{"deep":{"x":{"y":[[],{},[{"z":null}]]}}}', '{"n":-1.25e-300}', '{"a":.5}', "",
];

describe.skipIf(!HAS_MODULES)("a Struct through CoPilot's contract, compared with protobuf-go", () => {
  let theirs: { ok: boolean; file?: string; value?: string }[];
  beforeAll(() => {
    theirs = runGoPb(TEXTS);
  }, 300_000);

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
