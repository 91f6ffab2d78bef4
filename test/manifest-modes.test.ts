// A module compiled by tsc (legacy and standard decorators) whose tasks carry no tokens, with a
// manifest beside the compiled module (written here by hand, as `flytekit-ts build` writes it):
// the tasks take their types from it in a Node process of their own, through `serialize` and in
// the container; a manifest written for other code, or a damaged one, is refused; without one,
// TypeScript's metadata (legacy) or the tokens (standard) are what there is.
import { fromLiteralMap, toLiteralMap, codeHash, manifestPathOf, type TaskManifest } from "@flytekit-ts/core/internal";
import { Int } from "@flytekit-ts/core";
import { readFileSync, rmSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { compileFixture, LEGACY_DECORATORS, reportOf, serializeCompiled, STANDARD_DECORATORS, TSC_INIT_CHECKS, type CompiledProject } from "./support/compile.js";
import { cleanEnv, EXECUTE_BIN, fillTemplates, readOutputs, runProcess, TEST_ROOT, workArea } from "./support/execute.js";

const FIXTURE = join(TEST_ROOT, "fixtures/manifest-modes");
const MODULE = "fixtures.manifest-modes.pipelines";
const MODES = { legacy: LEGACY_DECORATORS, standard: STANDARD_DECORATORS } as const;
type Mode = keyof typeof MODES;
const projects = {} as Record<Mode, CompiledProject>;
const SLOW = 300_000;

beforeAll(async () => {
  await Promise.all(
    (Object.keys(MODES) as Mode[]).map(async (mode) => {
      projects[mode] = await compileFixture(FIXTURE, { compilerOptions: { ...TSC_INIT_CHECKS, ...MODES[mode] }, label: `manifest-${mode}` });
      writeFileSync(manifestPathOf(join(projects[mode].dir, "pipelines.js")), JSON.stringify(manifestOf(projects[mode])));
    }),
  );
}, SLOW);

/** The manifest a build writes beside the compiled pipelines.js: its hash, the tasks' types. */
function manifestOf(project: CompiledProject): TaskManifest {
  const point = "fixtures/manifest-modes/pipelines.ts#Point";
  return {
    format: 1,
    compiler: "typescript 5.9.3",
    source: relative(project.dir, join(FIXTURE, "pipelines.ts")),
    hash: codeHash(readFileSync(join(project.dir, "pipelines.js"))),
    tasks: {
      "Pipelines.add": { line: 19, inputs: { x: "Int", y: "Int" }, outputs: [{ name: "o0", type: "Int" }] },
      "Pipelines.paint": { line: 24, inputs: { color: { enum: ["red", "green"], name: "Color" } }, outputs: [{ name: "o0", type: "Str" }] },
      "Pipelines.move": { line: 29, inputs: { p: { record: point }, dx: "Float" }, outputs: [{ name: "o0", type: { record: point } }] },
      "Pipelines.stats": { line: 34, inputs: { xs: { list: "Int" } }, outputs: [{ name: "total", type: "Int" }, { name: "mean", type: "Float" }] },
    },
    records: {
      [point]: {
        name: "Point",
        kind: "interface",
        module: "fixtures/manifest-modes/pipelines.ts",
        fields: [
          { name: "x", type: "Float" },
          { name: "y", type: "Float" },
          { name: "label", type: { optional: "Str" } },
        ],
      },
    },
  };
}

const report = (mode: Mode) => reportOf(projects[mode], "report.js");

/** Runs `change` on the project's manifest file, then `run`, then puts the manifest back. */
async function withManifest<T>(mode: Mode, change: (path: string) => void, run: () => Promise<T>): Promise<T> {
  const path = manifestPathOf(join(projects[mode].dir, "pipelines.js"));
  const kept = readFileSync(path);
  try {
    change(path);
    return await run();
  } finally {
    writeFileSync(path, kept);
  }
}

describe("a compiled module with a manifest beside it, and no tokens", () => {
  it("runs locally in both decorator modes alike, with TypeScript's types: int is Int, an enum an Enum, an interface a record", async () => {
    const expected = {
      add: 3,
      addHalf: { error: `TaskInputError: task '${MODULE}.Pipelines.add', input 'x': expected Int, got 1.5 (number)` },
      paint: "painted red",
      purple: { error: `TaskInputError: task '${MODULE}.Pipelines.paint', input 'color': expected Color, got "purple" (string): not one of "red", "green"` },
      move: { x: 4, y: 2, label: null },
      stats: { total: 6, mean: 2 },
      interface: ["p:Point", "dx:Float", "o0:Point"],
    };
    expect(await report("legacy")).toEqual(expected);
    expect(await report("standard")).toEqual(expected);
  }, SLOW);

  it("serializes to the same templates in both modes, and the container runs the task from compiled JavaScript and its manifest", async () => {
    const legacy = await serializeCompiled(projects.legacy, "pipelines.js");
    const standard = await serializeCompiled(projects.standard, "pipelines.js");
    expect([...standard.keys()]).toEqual([...legacy.keys()]);
    for (const [file, { bytes }] of legacy) expect(Buffer.from(standard.get(file)!.bytes).equals(Buffer.from(bytes)), file).toBe(true);
    const add = [...standard.values()].find((t) => t.template.id!.name === `${MODULE}.Pipelines.add`)!.template;
    expect(add.interface!.inputs!.variables.x!.type!.type).toEqual({ case: "simple", value: 1 /* INTEGER */ });

    const area = workArea(toLiteralMap({ x: Int, y: Int }, { x: 40, y: 2 }));
    const args = add.target.case === "container" ? add.target.value.args : [];
    const filled = fillTemplates(args.slice(1), { inputs: area.inputs, outputPrefix: area.out, raw: area.raw, checkpoint: area.cp, previous: '""' });
    const r = readOutputs(area.out, await runProcess(process.execPath, [EXECUTE_BIN, ...filled], { cwd: projects.standard.dir, env: cleanEnv() }));
    expect(r.files, r.stderr).toEqual(["outputs.pb"]);
    expect(fromLiteralMap({ o0: Int }, r.outputs!)).toEqual({ o0: 42 });
  }, SLOW);

  it("refuses a manifest written for other code, naming the task, both hashes and the fix", async () => {
    const result = await withManifest(
      "standard",
      (path) => writeFileSync(path, JSON.stringify({ ...manifestOf(projects.standard), hash: codeHash("older code") })),
      () => report("standard"),
    );
    const now = codeHash(readFileSync(join(projects.standard.dir, "pipelines.js")));
    expect(result.add).toEqual({
      error:
        `TaskDefinitionError: task '${MODULE}.Pipelines.add': the manifest pipelines.js.flyte.json was written for other code (hash ${codeHash("older code")}), ` +
        `the module's code hashes to ${now}; rebuild with \`flytekit-ts build\``,
    });
    // Every task of the module, alike.
    expect(result.paint).toEqual({ error: (result.add as { error: string }).error.replace("Pipelines.add", "Pipelines.paint") });
  }, SLOW);

  it("refuses a damaged manifest and one of another format", async () => {
    const damaged = await withManifest("legacy", (path) => writeFileSync(path, JSON.stringify({ ...manifestOf(projects.legacy), tasks: { "Pipelines.add": { line: 1, inputs: { x: "int" } } } })), () => report("legacy"));
    expect(damaged.add).toEqual({
      error:
        `TaskDefinitionError: task '${MODULE}.Pipelines.add': the manifest pipelines.js.flyte.json is damaged: task "Pipelines.add", input 'x' names the type "int" (string), which is not one a manifest names; ` +
        "rebuild with `flytekit-ts build`",
    });
    const other = await withManifest("legacy", (path) => writeFileSync(path, JSON.stringify({ ...manifestOf(projects.legacy), format: 2 })), () => report("legacy"));
    expect(other.add).toEqual({
      error: `TaskDefinitionError: task '${MODULE}.Pipelines.add': the manifest pipelines.js.flyte.json is in format 2 (number), which this SDK does not read (it reads format 1); rebuild with \`flytekit-ts build\``,
    });
  }, SLOW);

  it("without a manifest: legacy falls back to TypeScript's metadata (int is a Float then), standard asks for tokens or a build", async () => {
    const legacy = await withManifest("legacy", (path) => rmSync(path), () => report("legacy"));
    expect(legacy.add).toBe(3);
    expect(legacy.addHalf).toBe(3.5);
    expect(legacy.purple).toBe("painted purple");
    expect((legacy.move as { error: string }).error).toMatch(/^TaskDefinitionError: task '[^']*Pipelines\.move', parameter 0 'p': TypeScript reflects this type as Object.*; or build with `flytekit-ts build` \(types from TypeScript\)$/);
    const standard = await withManifest("standard", (path) => rmSync(path), () => report("standard"));
    expect(standard.add).toEqual({
      error:
        `TaskDefinitionError: task '${MODULE}.Pipelines.add', input 'x': no type: standard decorators carry no type metadata; ` +
        "declare it: @task({ inputs: { x: <token> } }) with the token of its type (Int, Float, Str, List(Str), a record class, ...); or build with `flytekit-ts build` (types from TypeScript)",
    });
  }, SLOW);
});
