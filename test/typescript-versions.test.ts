// A user's project compiled by the TypeScript it has (5.x, 6.x, 7.x, the native compiler without a
// JavaScript API) in each decorator mode, then run every way a user runs it: `node` on tsc's output
// (local calls), `flytekit-ts run` and `flytekit-ts serialize` on the output and on the sources,
// and `flytekit-ts-execute` on both. The sources go through the SDK's loader, which compiles them
// with core's own TypeScript under the project's tsconfig; every route must give the same results
// and the same TaskTemplates.
import { Int, List, Str } from "@flytekit-ts/core";
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
  legacy: { compilerOptions: { experimentalDecorators: true, emitDecoratorMetadata: true }, modules: ["tasks", "inferred"] },
  standard: { compilerOptions: {}, modules: ["tasks"] },
};

const PROJECT = join(import.meta.dirname, "support", "user-project");

/** What every route must give. */
const RESULTS: Record<string, unknown> = { distance: 5, total: { total: 6, fields: "declared,initialised" }, shout: "HI", scale: "s=3" };

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
const node = (args: readonly string[], cwd: string) => runProcess(process.execPath, args, { cwd, env: env() });
const cli = (args: readonly string[], cwd: string) => node([CLI_BIN, ...args], cwd);

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
  expect(fromLiteralMap({ total: Int, fields: Str }, r.outputs!, "output")).toEqual(RESULTS.total);
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
      }, 120_000);

      it("node on tsc's output gives the results, and TaskTemplates that every version and mode agree on", async () => {
        const r = await node(["out/main.js", JSON.stringify(modules)], dir);
        expect(r.code, r.stderr).toBe(0);
        expect(r.stderr).toBe("");
        const { results, templates } = JSON.parse(r.stdout) as { results: Record<string, unknown>; templates: Record<string, string> };
        expect(results).toEqual(Object.fromEntries(Object.entries(RESULTS).filter(([k]) => k !== "scale" || modules.includes("inferred"))));
        for (const [name, hex] of Object.entries(templates)) {
          if (!templatesSeen.has(name)) templatesSeen.set(name, { [`${version} ${mode}`]: hex });
          expect(hex, `${name} under ${version} ${mode} against ${JSON.stringify(Object.keys(templatesSeen.get(name)!))}`).toBe(Object.values(templatesSeen.get(name)!)[0]);
        }
        expect(Object.keys(templates).sort()).toEqual(["tasks.Geometry.distance", "tasks.Geometry.total", ...(modules.includes("inferred") ? ["inferred.Inferred.scale"] : [])].sort());
      });

      it("flytekit-ts serialize writes the same TaskSpecs from the sources (through the loader) as from tsc's output", async () => {
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

      it("flytekit-ts run gives the same outputs from the sources as from tsc's output", async () => {
        const cases: [string, string[], string][] = [
          ["tasks", ["Geometry.distance", "--a", '{"x":0,"y":0}', "--b", '{"x":3,"y":4}'], "o0: 5"],
          ["tasks", ["Geometry.total", "--xs", "[1,2,3]"], "total: 6\nfields: 'declared,initialised'"],
          ["inferred", ["Inferred.scale", "--x", "2", "--factor", "1.5", "--label", "s"], "o0: 's=3'"],
        ];
        for (const [m, args, expected] of cases.filter(([m]) => modules.includes(m))) {
          for (const file of [`out/${m}.js`, `src/${m}.ts`]) {
            const r = await cli(["run", file, ...args], dir);
            expect(r.code, `${file}: ${r.stderr}`).toBe(0);
            expect(r.stdout.trim(), file).toBe(expected);
            expect(r.stderr, file).toBe("");
          }
        }
        // Each run of a source analyses its types first, in a program of its own (the cache is off here): seconds each.
      }, 180_000);

      it("flytekit-ts-execute writes the same outputs.pb from the sources as from tsc's output", async () => {
        expect((await executeTotal(dir, "src/tasks.ts")).equals(await executeTotal(dir, "out/tasks.js"))).toBe(true);
      });
    });
  }
}

describe("a project whose tsconfig leaves out emitDecoratorMetadata", () => {
  it("runs from the sources (typed by their TypeScript types); tsc's output, with no manifest, fails and the error names the tsconfig setting", async () => {
    const dir = makeProject("7.0.2", "legacy");
    const tsconfig = JSON.parse(readFileSync(join(dir, "tsconfig.json"), "utf8")) as { compilerOptions: Record<string, unknown> };
    delete tsconfig.compilerOptions.emitDecoratorMetadata;
    writeFileSync(join(dir, "tsconfig.json"), JSON.stringify(tsconfig));
    const [command, ...args] = tscOf("7.0.2");
    expect((await runProcess(command!, [...args, "-p", "."], { cwd: dir, env: env() })).code).toBe(0);
    const flags = ["Inferred.scale", "--x", "2", "--factor", "1.5", "--label", "s"];
    const source = await cli(["run", "src/inferred.ts", ...flags], dir);
    expect(source.stdout.trim(), source.stderr).toBe("o0: 's=3'");
    const compiled = await cli(["run", "out/inferred.js", ...flags], dir);
    expect(compiled.code).toBe(1);
    expect(compiled.stderr).toContain(`task 'inferred.Inferred.scale': TypeScript emitted no type metadata for it`);
    expect(compiled.stderr).toContain(`${join(dir, "tsconfig.json")} does not set "emitDecoratorMetadata": true (flytekit-ts's loader compiles .ts sources as tsc does)`);
  }, 120_000);
});

describe("a project without a tsconfig.json", () => {
  it("loads its sources as tsc compiles a file without one (standard decorators), a task without tokens typed by its TypeScript types", async () => {
    const dir = mkdtempSync(join(tmpdir(), "flytekit-ts-project-no-tsconfig-"));
    writeFileSync(join(dir, "package.json"), JSON.stringify({ type: "module" }));
    mkdirSync(join(dir, "node_modules"));
    symlinkSync(join(REPO_ROOT, "node_modules", "@flytekit-ts"), join(dir, "node_modules", "@flytekit-ts"));
    const imports = 'import { Int } from "@flytekit-ts/core";\nimport { task } from "@flytekit-ts/decorators";\n';
    writeFileSync(join(dir, "ok.ts"), `${imports}export class T {\n  @task({ inputs: { x: Int }, outputs: Int }) static twice(x: number): number { return 2 * x; }\n}\n`);
    writeFileSync(join(dir, "m.ts"), `${imports}export class T {\n  @task() static half(x: number): number { return x / 2; }\n}\nvoid Int;\n`);
    const twice = await cli(["run", "ok.ts", "T.twice", "--x", "21"], dir);
    expect(twice.stdout.trim(), twice.stderr).toBe("o0: 42");
    // No tokens, and standard decorators carry no metadata: the task is typed by its TypeScript types, which run reads from the source.
    const half = await cli(["run", "m.ts", "T.half", "--x", "1"], dir);
    expect(half.stdout.trim(), half.stderr).toBe("o0: 0.5");
  }, 120_000);
});
