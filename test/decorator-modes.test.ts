// The same modules compiled by tsc with TypeScript's two decorator modes, legacy
// (experimentalDecorators + emitDecoratorMetadata) and standard (TC39, what `tsc --init` gives),
// behave the same: locally, through `flytekit-ts serialize`, and in the container through the
// args serialize wrote. Standard decorators carry no type metadata, so the fixtures declare their
// tokens; where one is missing, standard mode says which to declare.
import { type TaskTemplate } from "@flytekit-ts/core/idl";
import { fromLiteralMap, toLiteralMap } from "@flytekit-ts/core/internal";
import { Float, Int, List, Str } from "@flytekit-ts/core";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { compileFixture, LEGACY_DECORATORS, reportOf, serializeCompiled, STANDARD_DECORATORS, TSC_INIT_CHECKS, type CompiledProject } from "./support/compile.js";
import { cleanEnv, fillTemplates, readOutputs, runProcess, TEST_ROOT, workArea, EXECUTE_BIN } from "./support/execute.js";

const FIXTURE = join(TEST_ROOT, "fixtures/decorator-modes");
const MODULE = "fixtures.decorator-modes.pipelines";
const MODES = { legacy: LEGACY_DECORATORS, standard: STANDARD_DECORATORS } as const;
type Mode = keyof typeof MODES;
const projects = {} as Record<Mode, CompiledProject>;
let esnext: CompiledProject;

// Each test starts processes (tsc, node, the CLI, the entrypoint): generous limits, never a timing assertion.
const SLOW = 300_000;

beforeAll(async () => {
  await Promise.all([
    ...(Object.keys(MODES) as Mode[]).map(async (mode) => {
      // With the checks a project made by `tsc --init` has: the decorators' types hold under them.
      projects[mode] = await compileFixture(FIXTURE, { compilerOptions: { ...TSC_INIT_CHECKS, ...MODES[mode] }, label: mode });
    }),
    (async () => {
      esnext = await compileFixture(FIXTURE, { compilerOptions: { ...STANDARD_DECORATORS, target: "ESNext" }, label: "esnext" });
    })(),
  ]);
}, SLOW);

const report = (mode: Mode, module: string) => reportOf(projects[mode], module);
const serialize = (mode: Mode) => serializeCompiled(projects[mode], "pipelines.js");

/** Runs a serialized task in its container: flytekit-ts-execute with the args serialize wrote, in the project's directory. */
async function execute(mode: Mode, template: TaskTemplate, inputs: Parameters<typeof workArea>[0]) {
  const area = workArea(inputs);
  const args = template.target.case === "container" ? template.target.value.args : [];
  expect(args[0]).toBe("flytekit-ts-execute");
  const filled = fillTemplates(args.slice(1), { inputs: area.inputs, outputPrefix: area.out, raw: area.raw, checkpoint: area.cp, previous: '""' });
  const result = await runProcess(process.execPath, [EXECUTE_BIN, ...filled], { cwd: projects[mode].dir, env: cleanEnv() });
  return readOutputs(area.out, result);
}

describe("a module compiled with legacy and with standard decorators", () => {
  it("runs locally the same: results, task names, interfaces, errors, mocks", async () => {
    const legacy = await report("legacy", "local.js");
    const standard = await report("standard", "local.js");
    expect(legacy).toMatchObject({
      add: 3,
      addByName: 7,
      addBadInput: { error: `_TaskInputError: task '${MODULE}.Pipelines.add', input 'x': expected Int, got "one" (string)` },
      distance: 10,
      stats: { total: 6, mean: 2 },
      at: { isPoint: true, x: 1, y: 2, label: "here" },
      ping: null,
      scale: 40,
      scaleByName: 50,
      same: "echo",
      repeat: "ab-ab-ab",
      greet: "hello, flyte",
      counterCall: 105,
      mockedAdd: [42, [{ x: 1, y: 2 }]],
      unmockedAdd: 3,
      half: 2.5,
      mockedHalf: 7,
    });
    expect(legacy.names).toEqual(
      ["Pipelines.add", "Pipelines.distance", "Pipelines.stats", "Pipelines.half", "Pipelines.at", "Pipelines.ping", "Pipelines.scale", "Pipelines.same", "Counter.bump", "Repeat", "Greet"].map(
        (n) => `${MODULE}.${n}`,
      ),
    );
    expect(legacy.interfaces).toEqual({
      [`${MODULE}.Pipelines.add`]: { inputs: ["x:Int", "y:Int"], outputs: ["o0:Int"] },
      [`${MODULE}.Pipelines.distance`]: { inputs: ["a:Point", "b:Point", "scale:Float?"], outputs: ["o0:Float"] },
      [`${MODULE}.Pipelines.stats`]: { inputs: ["xs:List(Int)"], outputs: ["total:Int", "mean:Float"] },
      [`${MODULE}.Pipelines.ping`]: { inputs: [], outputs: [] },
      [`${MODULE}.Repeat`]: { inputs: ["word:Str", "times:Int"], outputs: ["o0:Str"] },
    });

    // The one difference: a class with only instance-method tasks is not known to flytekit-ts under
    // standard decorators until it is used (here by `new Counter()`), and taskOf says so.
    expect(legacy.counterBeforeUse).toBe(`${MODULE}.Counter.bump`);
    expect(standard.counterBeforeUse).toEqual({
      error:
        `TaskDefinitionError: taskOf(), instance method 'bump' of module ${MODULE}: its class is not known yet: a standard (TC39) decorator on an instance method is not given its class, ` +
        "and flytekit-ts learns it when the class is first used (an instance made or called, a static task of the class declared, the CLI or the container finding it in the module's exports); " +
        "make an instance of the class first, or declare the task as a static method",
    });
    expect({ ...standard, counterBeforeUse: undefined }).toEqual({ ...legacy, counterBeforeUse: undefined });
  }, SLOW);

  it("serializes to the same TaskTemplates, byte for byte, in the same order", async () => {
    const legacy = await serialize("legacy");
    const standard = await serialize("standard");
    expect([...standard.keys()]).toEqual([...legacy.keys()]);
    // In the order legacy decorators declare them (instance methods, then static ones), in both modes.
    expect([...legacy.keys()].slice(0, 2)).toEqual([`00_${MODULE}.Pipelines.scale_1.pb`, `01_${MODULE}.Pipelines.add_1.pb`]);
    expect(legacy.size).toBe(12);
    // The raw container task (@containerTask on a class) is among them, in both modes.
    const raw = [...legacy.values()].find((t) => t.template.id!.name === `${MODULE}.EllipseArea`)!.template;
    expect(raw.type).toBe("raw-container");
    for (const [file, { bytes }] of legacy) expect(Buffer.compare(standard.get(file)!.bytes, bytes), file).toBe(0);
  }, SLOW);

  it("runs in the container the same, found by the resolver from the args serialize wrote", async () => {
    const cases: [string, Parameters<typeof workArea>[0], (outputs: ReturnType<typeof readOutputs>) => void][] = [
      ["Pipelines.add", toLiteralMap({ x: Int, y: Int }, { x: 2, y: 5 }), (r) => expect(fromLiteralMap({ o0: Int }, r.outputs!)).toEqual({ o0: 7 })],
      ["Pipelines.stats", toLiteralMap({ xs: List(Int) }, { xs: [1, 2, 3, 4] }), (r) => expect(fromLiteralMap({ total: Int, mean: Float }, r.outputs!)).toEqual({ total: 10, mean: 2.5 })],
      ["Pipelines.half", toLiteralMap({ n: Float }, { n: 9 }), (r) => expect(fromLiteralMap({ o0: Float }, r.outputs!)).toEqual({ o0: 4.5 })],
      ["Pipelines.scale", toLiteralMap({ n: Int }, { n: 3 }), (r) => expect(fromLiteralMap({ o0: Int }, r.outputs!)).toEqual({ o0: 30 })],
      // Counter has instance-method tasks only: the resolver's walk through the module's exports finds its class.
      ["Counter.bump", toLiteralMap({ n: Int }, { n: 1 }), (r) => expect(fromLiteralMap({ o0: Int }, r.outputs!)).toEqual({ o0: 101 })],
      ["Repeat", toLiteralMap({ word: Str, times: Int }, { word: "x", times: 2 }), (r) => expect(fromLiteralMap({ o0: Str }, r.outputs!)).toEqual({ o0: "x-x" })],
    ];
    const templates = { legacy: await serialize("legacy"), standard: await serialize("standard") };
    for (const [path, inputs, check] of cases) {
      const outputs: Record<string, string> = {};
      for (const mode of Object.keys(MODES) as Mode[]) {
        const template = [...templates[mode].values()].find((t) => t.template.id!.name === `${MODULE}.${path}`)!.template;
        expect(template.target.case === "container" && template.target.value.args.slice(-4)).toEqual(["task-module", "pipelines.js", "task-name", path]);
        const r = await execute(mode, template, inputs);
        expect(r.files, `${mode} ${path}: ${r.stderr}`).toEqual(["outputs.pb"]);
        check(r);
        outputs[mode] = Buffer.from(r.outputsBytes!).toString("hex");
      }
      expect(outputs.standard, path).toBe(outputs.legacy);
    }
  }, SLOW);

  it("starts a compiled module's task in the container without loading the TypeScript compiler (it is for .ts sources only)", async () => {
    for (const mode of Object.keys(MODES) as Mode[]) {
      const template = [...(await serialize(mode)).values()].find((t) => t.template.id!.name === `${MODULE}.Pipelines.add`)!.template;
      const area = workArea(toLiteralMap({ x: Int, y: Int }, { x: 1, y: 2 }));
      const args = template.target.case === "container" ? template.target.value.args : [];
      const filled = fillTemplates(args.slice(1), { inputs: area.inputs, outputPrefix: area.out, raw: area.raw, checkpoint: area.cp, previous: '""' });
      const report = join(area.dir, "loaded.json");
      const env = { ...cleanEnv(), NODE_OPTIONS: `--require ${join(TEST_ROOT, "support/report-loaded-modules.cjs")}`, FLYTEKIT_TS_TEST_LOADED_REPORT: report };
      const r = readOutputs(area.out, await runProcess(process.execPath, [EXECUTE_BIN, ...filled], { cwd: projects[mode].dir, env }));
      expect(r.files, `${mode}: ${r.stderr}`).toEqual(["outputs.pb"]);
      const loaded = JSON.parse(readFileSync(report, "utf8")) as string[];
      expect(loaded.length, mode).toBeGreaterThan(0);
      expect(loaded.filter((m) => /[\\/]typescript[\\/]/.test(m)), mode).toEqual([]);
    }
  }, SLOW);

  it("with tokens missing: legacy reads TypeScript's metadata, standard says which token to declare", async () => {
    expect(await report("legacy", "missing.js")).toEqual({ add: 3, twice: 4, norm: ["Untyped"] });
    const module = "fixtures.decorator-modes.missing";
    expect(await report("standard", "missing.js")).toEqual({
      add: {
        error:
          `TaskDefinitionError: task '${module}.Tasks.add', input 'x': no type: standard decorators carry no type metadata; ` +
          "declare it: @task({ inputs: { x: <token> } }) with the token of its type (Int, Float, Str, List(Str), a record class, ...); " +
          "or build with `flytekit-ts build` (types from TypeScript)",
      },
      // No outputs declared: none (a flytekit function without a return annotation), so a returned value is refused.
      twice: { error: `_TaskOutputError: task '${module}.Tasks.twice': it declares no outputs but returned 4 (number); declare outputs (or annotate the return type) or return nothing` },
      norm: {
        error:
          `TaskDefinitionError: task '${module}.Tasks.norm', record class Untyped, field 'x': no type: standard decorators carry no type metadata; ` +
          "declare it: @field(<token>) with the token of its type (Int, Float, Str, List(Str), () => OtherRecord, ...); or build with `flytekit-ts build` (types from TypeScript)",
      },
    });
  }, SLOW);

  it("compiles to decorators Node 20 runs at target ES2022; at ESNext tsc 5.9 leaves the @ syntax, which Node 20 cannot parse (the README says so)", () => {
    expect(readFileSync(join(projects.standard.dir, "pipelines.js"), "utf8")).toContain("__esDecorate(");
    expect(readFileSync(join(esnext.dir, "pipelines.js"), "utf8")).toMatch(/^\s*@task\(/m);
  });
});
