// @env.task compiled by tsc in both of TypeScript's decorator modes (legacy with metadata, and
// standard under `tsc --init`'s checks) behaves the same: locally, through `flytekit-ts serialize`,
// and in the container, found by the resolver from the args serialize wrote.
import { fromLiteralMap, toLiteralMap } from "@flytekit-ts/core/internal";
import { Int } from "@flytekit-ts/core";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { compileFixture, LEGACY_DECORATORS, reportOf, serializeCompiled, STANDARD_DECORATORS, TSC_INIT_CHECKS, type CompiledProject } from "./support/compile.js";
import { cleanEnv, EXECUTE_BIN, fillTemplates, readOutputs, runProcess, TEST_ROOT, workArea } from "./support/execute.js";

const FIXTURE = join(TEST_ROOT, "fixtures/environment-modes");
const MODES = { legacy: LEGACY_DECORATORS, standard: STANDARD_DECORATORS } as const;
type Mode = keyof typeof MODES;
const projects = {} as Record<Mode, CompiledProject>;
// Each test starts processes (tsc, node, the CLI, the entrypoint): generous limits, never a timing assertion.
const SLOW = 300_000;

beforeAll(async () => {
  await Promise.all(
    (Object.keys(MODES) as Mode[]).map(async (mode) => {
      projects[mode] = await compileFixture(FIXTURE, { compilerOptions: { ...TSC_INIT_CHECKS, ...MODES[mode] }, label: `env-${mode}` });
    }),
  );
}, SLOW);

const serialize = (mode: Mode) => serializeCompiled(projects[mode], "steps.js");

describe("@env.task compiled with legacy and with standard decorators", () => {
  it("runs locally the same, with the environment's settings and the tasks' own on top", async () => {
    const reports = {} as Record<Mode, unknown>;
    for (const mode of Object.keys(MODES) as Mode[]) {
      reports[mode] = await reportOf(projects[mode], "local.js");
    }
    expect(reports.legacy).toEqual({
      add: 3,
      double: 8,
      shout: "hey!",
      overridden: "now!",
      names: ["modes.Steps.add", "modes.Steps.double", "modes.shout"],
      shortNames: ["add", "twice", "shout"],
      queues: ["q", "fast", "q"],
      environment: { STAGE: "t" },
      retries: [1, 1],
      envTasks: ["modes.Steps.add", "modes.Steps.double", "modes.shout"],
    });
    expect(reports.standard).toEqual(reports.legacy);
  }, SLOW);

  it("serializes to the same templates, which a container runs", async () => {
    const templates = { legacy: await serialize("legacy"), standard: await serialize("standard") };
    expect([...templates.standard.keys()]).toEqual([...templates.legacy.keys()]);
    for (const [file, { bytes }] of templates.legacy) expect(Buffer.compare(templates.standard.get(file)!.bytes, bytes), file).toBe(0);
    const names = [...templates.legacy.values()].map((t) => t.template.id!.name).sort();
    expect(names).toEqual(["modes.Steps.add", "modes.Steps.double", "modes.shout"]);
    for (const mode of Object.keys(MODES) as Mode[]) {
      const template = [...templates[mode].values()].find((t) => t.template.id!.name === "modes.Steps.add")!.template;
      const container = template.target.case === "container" ? template.target.value : undefined;
      expect(container?.env.map((kv) => `${kv.key}=${kv.value}`)).toContain("STAGE=t");
      const area = workArea(toLiteralMap({ x: Int, y: Int }, { x: 2, y: 5 }));
      const filled = fillTemplates(container!.args.slice(1), { inputs: area.inputs, outputPrefix: area.out, raw: area.raw, checkpoint: area.cp, previous: '""' });
      const r = readOutputs(area.out, await runProcess(process.execPath, [EXECUTE_BIN, ...filled], { cwd: projects[mode].dir, env: cleanEnv() }));
      expect(r.files, `${mode}: ${r.stderr}`).toEqual(["outputs.pb"]);
      expect(fromLiteralMap({ o0: Int }, r.outputs!)).toEqual({ o0: 7 });
    }
  }, SLOW);
});
