// A user's project compiled by the TypeScript it has (5.x, 6.x, 7.x, the native compiler without a
// JavaScript API) in each decorator mode, then run every way a user runs it: `node` on tsc's output
// (local calls), `flytekit-ts run` and `flytekit-ts serialize` on the output and on the sources,
// and `flytekit-ts-execute` on both. The sources go through the SDK's loader, which compiles them
// with core's own TypeScript under the project's tsconfig; every route must give the same results
// and the same TaskTemplates. One module (typed.ts) has no tokens at all: its types reach the tasks
// through the manifests `flytekit-ts build --no-emit` writes beside tsc's output (core's pinned
// TypeScript 6.0.3 reads them, whichever compiler emitted the code: 7.x has no JavaScript API), and,
// for the sources, through the CLI's own analysis.
import { fromBinary } from "@bufbuild/protobuf";
import { Float, Int, List, Str } from "@flytekit-ts/core";
import { SimpleType, TaskTemplateSchema } from "@flytekit-ts/core/idl";
import { createHash } from "node:crypto";
import { fromLiteralMap, toLiteralMap } from "@flytekit-ts/core/internal";
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { CLI_BIN, cleanEnv, EXECUTE_BIN, executeArgs, readOutputs, REPO_ROOT, runProcess, workArea } from "./support/execute.js";
import { ensureTypeScript, tscOf, TYPESCRIPT_VERSIONS } from "./support/typescript.js";

/**
 * The decorator modes a project can compile in: its tsconfig's decorator options, and the modules
 * of the project (test/support/user-project/src) that compile in it. Adding a mode is one entry.
 */
const MODES: Record<string, { compilerOptions: Record<string, unknown>; modules: string[] }> = {
  legacy: { compilerOptions: { experimentalDecorators: true, emitDecoratorMetadata: true }, modules: ["tasks", "inferred", "typed"] },
  standard: { compilerOptions: {}, modules: ["tasks", "typed"] },
};

const PROJECT = join(import.meta.dirname, "support", "user-project");

/** What every route must give, by module. */
const RESULTS: Record<string, Record<string, unknown>> = {
  tasks: { distance: 5, total: { total: 6, fields: "declared,initialised" }, shout: "HI" },
  inferred: { scale: "s=3" },
  typed: {
    twice: 42,
    // `n: int`: the manifest's Int, even where the legacy metadata says Number (a Float).
    twiceHalf: { error: "TaskInputError: task 'typed.Typed.twice', input 'n': expected Int, got 1.5 (number)" },
    convert: { value: 32.81, unit: "ft", note: null },
    summary: { total: 6, label: "none" },
  },
};
const resultsOf = (modules: readonly string[]) => Object.assign({}, ...modules.map((m) => RESULTS[m]));

/** A fresh project: the sources, a tsconfig for the mode, and node_modules with our packages and the project's own typescript. */
function makeProject(version: string, mode: string): string {
  const dir = mkdtempSync(join(tmpdir(), `flytekit-ts-project-${version}-${mode}-`));
  cpSync(join(PROJECT, "package.json"), join(dir, "package.json"));
  cpSync(join(PROJECT, "src"), join(dir, "src"), { recursive: true });
  const { compilerOptions, modules } = MODES[mode]!;
  const tsconfig = {
    compilerOptions: {
      target: "ES2022", module: "nodenext", moduleResolution: "nodenext", strict: true, types: ["node"],
      outDir: "out", rootDir: "src", sourceMap: true, skipLibCheck: false, ...compilerOptions,
    },
    files: [...modules, "main"].map((m) => `src/${m}.ts`),
  };
  writeFileSync(join(dir, "tsconfig.json"), JSON.stringify(tsconfig, null, 2));
  mkdirSync(join(dir, "node_modules", "@types"), { recursive: true });
  symlinkSync(join(REPO_ROOT, "node_modules", "@flytekit-ts"), join(dir, "node_modules", "@flytekit-ts"));
  symlinkSync(join(REPO_ROOT, "node_modules", "@types", "node"), join(dir, "node_modules", "@types", "node"));
  symlinkSync(ensureTypeScript(version), join(dir, "node_modules", "typescript"));
  return dir;
}

const env = () => ({ ...cleanEnv(), FLYTEKIT_TS_CACHE_DIR: "off" });
/** For a test that starts processes (tsc, the CLI, each analysing sources): generous, never a timing assertion. */
const SLOW = 300_000;
const node = (args: readonly string[], cwd: string) => runProcess(process.execPath, args, { cwd, env: env() });
/**
 * The CLI in a project's folder. Its caches (the loader's transpiled modules, the analysis of a
 * source's types) in a folder of the project's own, as a user's are in theirs: a source is
 * analysed once, not by each command that loads it (node_modules links the repository's, whose
 * .cache the tests must not share).
 */
const cli = (args: readonly string[], cwd: string) =>
  runProcess(process.execPath, [CLI_BIN, ...args], { cwd, env: { ...env(), FLYTEKIT_TS_CACHE_DIR: join(cwd, ".flytekit-ts-cache") } });

/** Every TaskSpec `flytekit-ts serialize` writes for a module, by file name, as hex. */
async function serialized(dir: string, module: string): Promise<Record<string, string>> {
  const out = mkdtempSync(join(tmpdir(), "flytekit-ts-specs-"));
  const r = await cli(["serialize", "--out", out, "--project", "p", "--domain", "d", "--version", "v1", "--image", "img:1", module], dir);
  expect(r.code, r.stderr).toBe(0);
  return Object.fromEntries(readdirSync(out).sort().map((f) => [f, readFileSync(join(out, f)).toString("hex")]));
}

/** `total` run in a container from `module`: its outputs.pb. */
async function executeTotal(dir: string, module: string): Promise<Buffer> {
  const area = workArea(toLiteralMap({ xs: List(Int) }, { xs: [1, 2, 3] }));
  const r = readOutputs(area.out, await runProcess(process.execPath, [EXECUTE_BIN, ...executeArgs(area, module, "Geometry.total")], { cwd: dir, env: env() }));
  expect(r.files, r.stderr).toEqual(["outputs.pb"]);
  expect(fromLiteralMap({ total: Int, fields: Str }, r.outputs!, "output")).toEqual(RESULTS.tasks!.total);
  return Buffer.from(r.outputsBytes!);
}

const templatesSeen = new Map<string, Record<string, string>>();
const specsSeen = new Map<string, Record<string, string>>();

beforeAll(() => {
  for (const version of TYPESCRIPT_VERSIONS) ensureTypeScript(version);
}, 300_000);

for (const version of TYPESCRIPT_VERSIONS) {
  for (const mode of Object.keys(MODES)) {
    describe(`a project with TypeScript ${version}, ${mode} decorators`, () => {
      let dir = "";
      const { modules } = MODES[mode]!;

      beforeAll(async () => {
        dir = makeProject(version, mode);
        const [command, ...args] = tscOf(version);
        const r = await runProcess(command!, [...args, "-p", "."], { cwd: dir, env: env() });
        expect(r.stdout + r.stderr, `tsc ${version}`).toBe("");
        // The manifests beside tsc's output, read by core's pinned TypeScript: what the project's compiler emitted is hashed, not rewritten.
        const js = readFileSync(join(dir, "out/typed.js"));
        const built = await cli(["build", "--no-emit"], dir);
        expect(built.code, built.stdout + built.stderr).toBe(0);
        expect(readFileSync(join(dir, "out/typed.js")).equals(js)).toBe(true);
      }, 120_000);

      it("flytekit-ts build --no-emit wrote the typed module's manifest beside tsc's output, for the code tsc wrote", () => {
        const manifest = JSON.parse(readFileSync(join(dir, "out/typed.js.flyte.json"), "utf8")) as { hash: string; source: string; compiler: string; tasks: Record<string, unknown> };
        expect(manifest.hash).toBe(`sha256:${createHash("sha256").update(readFileSync(join(dir, "out/typed.js"))).digest("hex")}`);
        expect([manifest.source, manifest.compiler]).toEqual(["../src/typed.ts", "typescript 6.0.3"]);
        expect(Object.keys(manifest.tasks).sort()).toEqual(["Typed.convert", "Typed.summary", "Typed.twice"]);
      });

      it("node on tsc's output gives the results, and TaskTemplates that every version and mode agree on", async () => {
        const r = await node(["out/main.js", JSON.stringify(modules)], dir);
        expect(r.code, r.stderr).toBe(0);
        expect(r.stderr).toBe("");
        const { results, templates } = JSON.parse(r.stdout) as { results: Record<string, unknown>; templates: Record<string, string> };
        expect(results).toEqual(resultsOf(modules));
        for (const [name, hex] of Object.entries(templates)) {
          if (!templatesSeen.has(name)) templatesSeen.set(name, { [`${version} ${mode}`]: hex });
          expect(hex, `${name} under ${version} ${mode} against ${JSON.stringify(Object.keys(templatesSeen.get(name)!))}`).toBe(Object.values(templatesSeen.get(name)!)[0]);
        }
        expect(Object.keys(templates).sort()).toEqual(
          ["tasks.Geometry.distance", "tasks.Geometry.total", "typed.Typed.convert", "typed.Typed.summary", "typed.Typed.twice", ...(modules.includes("inferred") ? ["inferred.Inferred.scale"] : [])].sort(),
        );
        // A string enum is an Enum, an int an Int, an interface a record: TypeScript's types, not the metadata's.
        const convert = fromBinary(TaskTemplateSchema, Buffer.from(templates["typed.Typed.convert"]!, "hex")).interface!;
        const to = convert.inputs!.variables["to"]!.type!.type;
        expect(to.case === "enumType" && to.value.values).toEqual(["m", "ft"]);
        const twice = fromBinary(TaskTemplateSchema, Buffer.from(templates["typed.Typed.twice"]!, "hex")).interface!;
        expect(twice.inputs!.variables["n"]!.type!.type).toEqual({ case: "simple", value: SimpleType.INTEGER });
        expect(convert.inputs!.variables["reading"]!.type!.metadata?.title).toBe("Reading");
      });

      it("flytekit-ts serialize writes the same TaskSpecs from the sources (through the loader) as from tsc's output", { timeout: SLOW }, async () => {
        for (const m of modules) {
          const compiled = await serialized(dir, `out/${m}.js`);
          expect(Object.keys(compiled).length).toBeGreaterThan(0);
          // The one difference: the module a container imports (the loader args), `src/m.ts` or
          // `out/m.js`, of one length, so that the bytes around it are the same.
          const fromSources = Object.entries(await serialized(dir, `src/${m}.ts`)).map(([f, hex]) => [f, hex.replaceAll(Buffer.from(`src/${m}.ts`).toString("hex"), Buffer.from(`out/${m}.js`).toString("hex"))]);
          expect(Object.fromEntries(fromSources)).toEqual(compiled);
          if (!specsSeen.has(m)) specsSeen.set(m, compiled);
          expect(compiled).toEqual(specsSeen.get(m));
        }
      });

      it("flytekit-ts run gives the same outputs from the sources as from tsc's output", { timeout: SLOW }, async () => {
        const cases: [string, string[], string][] = [
          ["tasks", ["Geometry.distance", "--a", '{"x":0,"y":0}', "--b", '{"x":3,"y":4}'], "o0: 5"],
          ["tasks", ["Geometry.total", "--xs", "[1,2,3]"], "total: 6\nfields: 'declared,initialised'"],
          ["inferred", ["Inferred.scale", "--x", "2", "--factor", "1.5", "--label", "s"], "o0: 's=3'"],
          ["typed", ["Typed.twice", "--n", "21"], "o0: 42"],
          ["typed", ["Typed.convert", "--reading", '{"value":10,"unit":"m","note":null}', "--to", "ft"], "o0: { value: 32.81, unit: 'ft', note: null }"],
        ];
        for (const [m, args, expected] of cases.filter(([m]) => modules.includes(m))) {
          for (const file of [`out/${m}.js`, `src/${m}.ts`]) {
            const r = await cli(["run", file, ...args], dir);
            expect(r.code, `${file}: ${r.stderr}`).toBe(0);
            expect(r.stdout.trim(), file).toBe(expected);
            expect(r.stderr, file).toBe("");
          }
        }
        // An int refuses 1.5, from the manifest beside the JavaScript and from the analysis of the source alike.
        for (const file of ["out/typed.js", "src/typed.ts"]) {
          const r = await cli(["run", file, "Typed.twice", "--n", "1.5"], dir);
          expect(r.code, file).not.toBe(0);
          expect(r.stderr, file).toContain("1.5");
          expect(r.stderr, file).toContain("Int");
        }
      });

      it("flytekit-ts-execute writes the same outputs.pb from the sources as from tsc's output", { timeout: SLOW }, async () => {
        expect((await executeTotal(dir, "src/tasks.ts")).equals(await executeTotal(dir, "out/tasks.js"))).toBe(true);
      });

      it("flytekit-ts-execute runs the typed task from tsc's output with its manifest, and refuses a Float for its int", { timeout: SLOW }, async () => {
        const run = async (inputs: Parameters<typeof toLiteralMap>[0], values: Record<string, unknown>) => {
          const area = workArea(toLiteralMap(inputs, values as never));
          return readOutputs(area.out, await runProcess(process.execPath, [EXECUTE_BIN, ...executeArgs(area, "out/typed.js", "Typed.twice")], { cwd: dir, env: env() }));
        };
        const ok = await run({ n: Int }, { n: 21 });
        expect(ok.files, ok.stderr).toEqual(["outputs.pb"]);
        expect(fromLiteralMap({ o0: Int }, ok.outputs!, "output")).toEqual({ o0: 42 });
        const refused = await run({ n: Float }, { n: 1.5 });
        expect(refused.files).toEqual(["error.pb"]);
      });
    });
  }
}

describe("a project whose tsconfig leaves out emitDecoratorMetadata", () => {
  it("runs from the sources (the CLI analyses their types); from tsc's output only with a manifest, and without one the error names the tsconfig setting and the build", async () => {
    const dir = makeProject("7.0.2", "legacy");
    const tsconfig = JSON.parse(readFileSync(join(dir, "tsconfig.json"), "utf8")) as { compilerOptions: Record<string, unknown> };
    delete tsconfig.compilerOptions.emitDecoratorMetadata;
    writeFileSync(join(dir, "tsconfig.json"), JSON.stringify(tsconfig));
    const [command, ...args] = tscOf("7.0.2");
    expect((await runProcess(command!, [...args, "-p", "."], { cwd: dir, env: env() })).code).toBe(0);
    const scale = (file: string) => cli(["run", file, "Inferred.scale", "--x", "2", "--factor", "1.5", "--label", "s"], dir);
    const fromSources = await scale("src/inferred.ts");
    expect(fromSources.stdout.trim(), fromSources.stderr).toBe("o0: 's=3'");
    const unbuilt = await scale("out/inferred.js");
    expect(unbuilt.code).toBe(1);
    expect(unbuilt.stderr).toContain(`task 'inferred.Inferred.scale': TypeScript emitted no type metadata for it`);
    expect(unbuilt.stderr).toContain(`${join(dir, "tsconfig.json")} does not set "emitDecoratorMetadata": true (flytekit-ts's loader compiles .ts sources as tsc does)`);
    expect(unbuilt.stderr).toContain("flytekit-ts build");
    expect((await cli(["build", "--no-emit"], dir)).code).toBe(0);
    const built = await scale("out/inferred.js");
    expect(built.stdout.trim(), built.stderr).toBe("o0: 's=3'");
  }, SLOW);
});

describe("a project without a tsconfig.json", () => {
  it("loads its sources as tsc compiles a file without one (standard decorators), types their tasks from TypeScript's types, and a parameter without a type is told why", async () => {
    const dir = mkdtempSync(join(tmpdir(), "flytekit-ts-project-no-tsconfig-"));
    writeFileSync(join(dir, "package.json"), JSON.stringify({ type: "module" }));
    mkdirSync(join(dir, "node_modules"));
    symlinkSync(join(REPO_ROOT, "node_modules", "@flytekit-ts"), join(dir, "node_modules", "@flytekit-ts"));
    const imports = 'import { Int } from "@flytekit-ts/core";\nimport { task } from "@flytekit-ts/decorators";\n';
    writeFileSync(join(dir, "ok.ts"), `${imports}export class T {\n  @task({ inputs: { x: Int }, outputs: Int }) static twice(x: number): number { return 2 * x; }\n}\n`);
    writeFileSync(join(dir, "typed.ts"), `${imports}export class T {\n  @task() static half(x: number): number { return x / 2; }\n}\nvoid Int;\n`);
    writeFileSync(join(dir, "m.ts"), `${imports}export class T {\n  @task() static half(x): number { return x / 2; }\n}\nvoid Int;\n`);
    const twice = await cli(["run", "ok.ts", "T.twice", "--x", "21"], dir);
    expect(twice.stdout.trim(), twice.stderr).toBe("o0: 42");
    const typed = await cli(["run", "typed.ts", "T.half", "--x", "1"], dir);
    expect(typed.stdout.trim(), typed.stderr).toBe("o0: 0.5");
    const half = await cli(["run", "m.ts", "T.half", "--x", "1"], dir);
    expect(half.code).toBe(1);
    expect(half.stderr).toContain("task 'm.T.half', input 'x': it has neither a type nor a default, so its type is `any` (m.ts:4:23, FTS1021); give it a type");
  }, SLOW);
});

/** A copy of a project of test/fixtures/typed-projects, with node_modules holding our packages, @types/node and the project's own typescript. */
function copyProject(name: string, version: string): string {
  const dir = mkdtempSync(join(tmpdir(), `flytekit-ts-project-${name}-${version}-`));
  cpSync(join(import.meta.dirname, "fixtures", "typed-projects", name), dir, { recursive: true });
  mkdirSync(join(dir, "node_modules", "@types"), { recursive: true });
  symlinkSync(join(REPO_ROOT, "node_modules", "@flytekit-ts"), join(dir, "node_modules", "@flytekit-ts"));
  symlinkSync(join(REPO_ROOT, "node_modules", "@types", "node"), join(dir, "node_modules", "@types", "node"));
  symlinkSync(ensureTypeScript(version), join(dir, "node_modules", "typescript"));
  return dir;
}

async function tsc(version: string, args: readonly string[], cwd: string): Promise<void> {
  const [command, ...script] = tscOf(version);
  const r = await runProcess(command!, [...script, ...args], { cwd, env: env() });
  expect(r.stdout + r.stderr, `tsc ${version} ${args.join(" ")}`).toBe("");
  expect(r.code).toBe(0);
}

describe("a monorepo of npm workspaces with project references, compiled by TypeScript 7.0.2's tsc -b", () => {
  let dir = "";
  beforeAll(async () => {
    dir = copyProject("monorepo", "7.0.2");
    // As npm links a workspace: node_modules/@mono/lib is the lib folder.
    mkdirSync(join(dir, "node_modules", "@mono"));
    symlinkSync(join(dir, "lib"), join(dir, "node_modules", "@mono", "lib"));
    await tsc("7.0.2", ["-b"], dir);
    const built = await cli(["build", "--no-emit", "-p", "app"], dir);
    expect(built.code, built.stdout + built.stderr).toBe(0);
  }, 120_000);

  it("the app's manifest holds the library's interface record and enum, read through the workspace package", () => {
    const manifest = JSON.parse(readFileSync(join(dir, "app/dist/tasks.js.flyte.json"), "utf8")) as { tasks: Record<string, { inputs: Record<string, unknown> }>; records: Record<string, { name: string; kind: string; fields: unknown[] }> };
    expect(Object.keys(manifest.tasks).sort()).toEqual(["App.label", "App.regrade"]);
    expect(Object.values(manifest.records)).toEqual([
      expect.objectContaining({
        name: "Sample",
        kind: "interface",
        fields: [
          { name: "id", type: "Int" },
          { name: "tags", type: { list: "Str" } },
          { name: "grade", type: { enum: ["good", "poor"], name: "Grade" } },
        ],
      }),
    ]);
    expect(manifest.tasks["App.regrade"]!.inputs.threshold).toBe("Int");
  });

  it("runs the app's tasks from its compiled JavaScript and from its sources, typed by the library's types", async () => {
    const sample = '{"id":7,"tags":["a","b"],"grade":"poor"}';
    for (const file of ["dist/tasks.js", "src/tasks.ts"]) {
      const label = await cli(["run", file, "App.label", "--sample", sample], join(dir, "app"));
      expect(label.stdout.trim(), `${file}: ${label.stderr}`).toBe("o0: '7:poor:a+b'");
      const regrade = await cli(["run", "--json", file, "App.regrade", "--sample", sample, "--threshold", "2"], join(dir, "app"));
      expect(JSON.parse(regrade.stdout), `${file}: ${regrade.stderr}`).toEqual({ o0: { id: 7, tags: ["a", "b"], grade: "good" } });
      const refused = await cli(["run", file, "App.label", "--sample", '{"id":7,"tags":[],"grade":"fine"}'], join(dir, "app"));
      expect(refused.code, file).not.toBe(0);
      expect(refused.stderr, file).toContain('"fine"');
    }
  }, SLOW);
});

describe("a project with path aliases (tsconfig paths), compiled by TypeScript 5.9.3's tsc", () => {
  let dir = "";
  beforeAll(async () => {
    dir = copyProject("aliases", "5.9.3");
    await tsc("5.9.3", ["-p", "."], dir);
    const built = await cli(["build", "--no-emit"], dir);
    expect(built.code, built.stdout + built.stderr).toBe(0);
  }, 120_000);

  it("the analysis follows the aliases to the records: a class imported as a value, an interface as a type", () => {
    const manifest = JSON.parse(readFileSync(join(dir, "dist/tasks.js.flyte.json"), "utf8")) as { records: Record<string, { name: string; kind: string; fields: unknown[] }> };
    const records = Object.fromEntries(Object.entries(manifest.records).map(([key, r]) => [key, [r.name, r.kind, r.fields]]));
    expect(records).toEqual({
      "src/shapes/circle.ts#Circle": ["Circle", "interface", [{ name: "centre", type: { record: "src/geo/point.ts#Point" } }, { name: "radius", type: "Float" }]],
      "src/geo/point.ts#Point": ["Point", "class", [{ name: "x", type: "Float" }, { name: "y", type: "Float" }, { name: "label", type: { optional: "Str" } }]],
    });
  });

  it("runs from the JavaScript, where Node resolves the value import through package.json imports (tsc does not rewrite aliases), and from the sources", async () => {
    // tsc left both aliases as written; the type-only one is gone.
    const js = readFileSync(join(dir, "dist/tasks.js"), "utf8");
    expect(js).toContain('from "#geo/point.js"');
    expect(js).not.toContain("@shapes/");
    for (const file of ["dist/tasks.js", "src/tasks.ts"]) {
      const reach = await cli(["run", file, "Shapes.reach", "--circle", '{"centre":{"x":3,"y":4,"label":null},"radius":1.5}'], dir);
      expect(reach.stdout.trim(), `${file}: ${reach.stderr}`).toBe("o0: 6.5");
      const origin = await cli(["run", "--json", file, "Shapes.origin", "--label", "o"], dir);
      expect(JSON.parse(origin.stdout), `${file}: ${origin.stderr}`).toEqual({ o0: { x: 0, y: 0, label: "o" } });
    }
  }, 120_000);
});
