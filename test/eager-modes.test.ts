// Eager tasks compiled by tsc with TypeScript's two decorator modes (test/fixtures/eager-modes)
// behave the same: locally (sequential calls, Promise.all, nested, an inner failure, the run's
// records, a launcher given with withServices), through `flytekit-ts serialize` (byte for byte), and
// in the container, where without a launcher the inner calls run inline.
import { toLiteralMap } from "@flytekit-ts/core/internal";
import { Int } from "@flytekit-ts/core";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { compileFixture, LEGACY_DECORATORS, reportOf, serializeCompiled, STANDARD_DECORATORS, TSC_INIT_CHECKS, type CompiledProject } from "./support/compile.js";
import { cleanEnv, EXECUTE_BIN, fillTemplates, readOutputs, runProcess, TEST_ROOT, workArea } from "./support/execute.js";

const FIXTURE = join(TEST_ROOT, "fixtures/eager-modes");
const MODULE = "fixtures.eager-modes.pipelines";
const MODES = { legacy: LEGACY_DECORATORS, standard: STANDARD_DECORATORS } as const;
type Mode = keyof typeof MODES;
const projects = {} as Record<Mode, CompiledProject>;
const SLOW = 300_000;

beforeAll(async () => {
  await Promise.all(
    (Object.keys(MODES) as Mode[]).map(async (mode) => {
      projects[mode] = await compileFixture(FIXTURE, { compilerOptions: { ...TSC_INIT_CHECKS, ...MODES[mode] }, label: `eager-${mode}` });
    }),
  );
}, SLOW);

const report = (mode: Mode) => reportOf(projects[mode], "local.js");
const serialize = (mode: Mode) => serializeCompiled(projects[mode], "pipelines.js");

describe("eager tasks compiled with legacy and with standard decorators", () => {
  it("run locally the same: sequential, Promise.all, nested, an inner failure, the records, a launcher", async () => {
    const legacy = await report("legacy");
    const standard = await report("standard");
    expect(legacy).toEqual({
      sequential: 8,
      fan: 2 + 4 + 101,
      // nested(1): sequential(1) = 4, then flaky(4) = 4 after one retry.
      nested: 4,
      failing:
        `Error encountered while executing '${MODULE}.Flows.failing':\n  task '${MODULE}.Steps.fail', called from eager task '${MODULE}.Flows.failing': ` +
        `it failed: Error encountered while executing '${MODULE}.Steps.fail':\n  refused it`,
      viaInstance: 42,
      eagerClass: 8,
      isEager: [true, true, true, true, true, true],
      recorded: 4 + 3,
      calls: [
        {
          task: "Flows.nested",
          attempts: 1,
          ok: true,
          calls: [
            { task: "Flows.sequential", attempts: 1, ok: true, calls: [
              { task: "Steps.add", attempts: 1, ok: true },
              { task: "Steps.double", attempts: 1, ok: true },
            ] },
            { task: "Steps.flaky", attempts: 2, ok: true },
          ],
        },
        { task: "Steps.add", attempts: 1, ok: true },
      ],
      launchedResult: 1000,
      launched: [
        ["Steps.add", "Flows.sequential", ["x", "y"]],
        ["Steps.double", "Flows.sequential", ["x"]],
      ],
    });
    expect(standard).toEqual(legacy);
  }, SLOW);

  it("serialize to the same templates, byte for byte, each eager with _F_SS_C", async () => {
    const legacy = await serialize("legacy");
    const standard = await serialize("standard");
    expect([...standard.keys()]).toEqual([...legacy.keys()]);
    for (const [file, { bytes }] of legacy) expect(Buffer.compare(standard.get(file)!.bytes, bytes), file).toBe(0);
    const eagerOnes = [...legacy.values()].filter((t) => t.template.metadata?.isEager).map((t) => t.template.id!.name.slice(MODULE.length + 1));
    expect(eagerOnes.sort()).toEqual(["EagerClass", "Flows.failing", "Flows.fan", "Flows.nested", "Flows.recorded", "Flows.sequential", "Flows.viaInstance"]);
    const fan = [...legacy.values()].find((t) => t.template.id!.name === `${MODULE}.Flows.fan`)!.template;
    expect(fan.target.case === "container" && fan.target.value.env.map((e) => e.key)).toEqual(["_F_SS_C", "a"]);
    expect(fan.metadata?.generatesDeck).toBe(true);
  }, SLOW);

  it("run in the container: an eager task found by the resolver, whose inner calls go to FlyteAdmin (none configured here: the error names what is missing)", async () => {
    for (const mode of Object.keys(MODES) as Mode[]) {
      const templates = await serialize(mode);
      const template = [...templates.values()].find((t) => t.template.id!.name === `${MODULE}.Flows.nested`)!.template;
      const area = workArea(toLiteralMap({ x: Int }, { x: 1 }));
      const args = template.target.case === "container" ? template.target.value.args : [];
      const filled = fillTemplates(args.slice(1), { inputs: area.inputs, outputPrefix: area.out, raw: area.raw, checkpoint: area.cp, previous: '""' });
      const r = readOutputs(area.out, await runProcess(process.execPath, [EXECUTE_BIN, ...filled], { cwd: projects[mode].dir, env: cleanEnv() }));
      // The eager task ran (its deck is written) and its first inner call asked for FlyteAdmin
      // (test/eager-admin.test.ts runs them under the stand-in).
      expect(r.files, `${mode}: ${r.stderr}`).toEqual(["deck.html", "error.pb"]);
      expect(r.error!.error!.message).toContain(`called from eager task '${MODULE}.Flows.nested'`);
      expect(r.error!.error!.message).toContain("FLYTE_PLATFORM_URL is not set");
    }
  }, SLOW);
});
