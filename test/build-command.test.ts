// `flytekit-ts build` as a user runs it on a project whose tasks carry no tokens: the manifests it
// writes beside the compiled modules, and everything that reads them (a local call from node, `run`,
// `serialize`, the container); `run`, `serialize` and `package` of the sources, typed in-process; the
// errors (a type the analysis refuses, a type error, code changed since its manifest), --no-emit
// after the project's own compiler (TypeScript 7), project references. Real processes throughout.
import { fromBinary, toBinary } from "@bufbuild/protobuf";
import { admin, TaskTemplateSchema, type TaskTemplate } from "@flytekit-ts/core/idl";
import { fromLiteralMap, gunzip, toLiteralMap, untar } from "@flytekit-ts/core/internal";
import { Float, Int } from "@flytekit-ts/core";
import { createHash } from "node:crypto";
import { appendFileSync, existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { cleanEnv, EXECUTE_BIN, fillTemplates, readOutputs, REPO_ROOT, runProcess, TEST_ROOT, workArea, type ExecuteResult } from "./support/execute.js";
import { tscOf } from "./support/typescript.js";
import { cliIn, TOKEN_PIPELINES, tsconfig, TYPED_PIPELINES, typedProject, writeProject } from "./support/typed-project.js";

// Each test starts processes (the compiler, node, the CLI, the entrypoint): generous limits, never a timing assertion.
const SLOW = 300_000;
const MODULE = "pipelines";
const FAST_BIN = join(REPO_ROOT, "packages/core/bin/flytekit-ts-fast-execute.js");
const SETTINGS = ["--project", "p", "--domain", "d", "--version", "v1", "--image", "ghcr.io/acme/app:v1"];

const sha256 = (bytes: Uint8Array) => `sha256:${createHash("sha256").update(bytes).digest("hex")}`;
const json = (path: string) => JSON.parse(readFileSync(path, "utf8")) as Record<string, unknown>;
const lastJson = (stdout: string) => JSON.parse(stdout.trim().split("\n").at(-1)!) as Record<string, unknown>;

/** `flytekit-ts serialize` of modules of a project: each file's bytes and template, by file name. */
async function serialize(dir: string, modules: readonly string[], extra: readonly string[] = []): Promise<Map<string, { bytes: Buffer; template: TaskTemplate }>> {
  const out = mkdtempSync(join(dir, "specs-"));
  const r = await cliIn(dir, ["serialize", "--out", out, ...SETTINGS, ...extra, ...modules]);
  expect(r.code, r.stderr).toBe(0);
  return new Map(
    readdirSync(out)
      .sort()
      .map((f) => {
        const bytes = readFileSync(join(out, f));
        return [f, { bytes, template: fromBinary(admin.TaskSpecSchema, bytes).template! }];
      }),
  );
}

/** A template with its container's module path taken out (the one thing a source and its JavaScript differ in). */
function withoutModule(template: TaskTemplate): Uint8Array {
  const copy = fromBinary(TaskTemplateSchema, toBinary(TaskTemplateSchema, template));
  if (copy.target.case === "container") copy.target.value.args = copy.target.value.args.map((a) => (/^(app\/)?(src|dist)\/pipelines\.[jt]s$/.test(a) ? "MODULE" : a));
  return toBinary(TaskTemplateSchema, copy);
}

/** Runs a serialized task as its container does, in the project's folder. */
async function execute(dir: string, template: TaskTemplate, inputs: Parameters<typeof workArea>[0], env: NodeJS.ProcessEnv = {}): Promise<ExecuteResult> {
  const area = workArea(inputs);
  const args = template.target.case === "container" ? template.target.value.args : [];
  expect(args[0]).toBe("flytekit-ts-execute");
  const filled = fillTemplates(args.slice(1), { inputs: area.inputs, outputPrefix: area.out, raw: area.raw, checkpoint: area.cp, previous: '""' });
  return readOutputs(area.out, await runProcess(process.execPath, [EXECUTE_BIN, ...filled], { cwd: dir, env: { ...cleanEnv(), ...env } }));
}

const templateOf = (specs: Map<string, { template: TaskTemplate }>, member: string) => [...specs.values()].find((s) => s.template.id!.name === `${MODULE}.Pipelines.${member}`)!.template;

/**
 * What a process loads, reported by the preloads of test/support/report-loaded-*: `env` for the
 * process; then what of the TypeScript compiler (CommonJS) and of the analysis' bundle (an ES
 * module) it loaded.
 */
function loadReport(): { env: NodeJS.ProcessEnv; compilerOrAnalysis(): string[] } {
  const dir = mkdtempSync(join(project, "loaded-"));
  const cjs = join(dir, "loaded.json");
  const esm = join(dir, "esm.txt");
  return {
    env: {
      NODE_OPTIONS: `--require ${join(TEST_ROOT, "support/report-loaded-modules.cjs")} --import ${join(TEST_ROOT, "support/report-loaded-esm.mjs")}`,
      FLYTEKIT_TS_TEST_LOADED_REPORT: cjs,
      FLYTEKIT_TS_TEST_LOADED_ESM_REPORT: esm,
    },
    compilerOrAnalysis: () => {
      const modules = [...(JSON.parse(readFileSync(cjs, "utf8")) as string[]), ...readFileSync(esm, "utf8").split("\n")];
      expect(modules.filter((m) => m.includes("flytekit-ts/core") || m.includes("packages/core")).length).toBeGreaterThan(0);
      return modules.filter((m) => /[\\/]typescript[\\/]|[\\/]bundle[\\/]analysis\.js$/.test(m));
    },
  };
}

let project = "";
let built: Awaited<ReturnType<typeof cliIn>>;

beforeAll(async () => {
  project = typedProject();
  built = await cliIn(project, ["build"]);
}, SLOW);

describe("flytekit-ts build on a project whose tasks carry no tokens", () => {
  it("compiles the project and writes beside each module that declares tasks its manifest, hashed over the JavaScript as written", () => {
    expect(built.code, built.stderr + built.stdout).toBe(0);
    expect(built.stderr).toBe("");
    expect(built.stdout.trim()).toBe("flytekit-ts build: 1 module, 4 tasks, manifests beside dist/");
    expect(readdirSync(join(project, "dist")).sort()).toEqual(["local.js", "local.js.map", "pipelines.js", "pipelines.js.flyte.json", "pipelines.js.map"]);
    const manifest = json(join(project, "dist/pipelines.js.flyte.json"));
    expect(manifest).toMatchObject({ format: 1, compiler: "typescript 6.0.3", source: "../src/pipelines.ts", hash: sha256(readFileSync(join(project, "dist/pipelines.js"))) });
    expect(Object.keys(manifest.tasks as object).sort()).toEqual(["Pipelines.add", "Pipelines.measure", "Pipelines.paint", "Pipelines.pick"]);
    expect((manifest.tasks as Record<string, unknown>)["Pipelines.add"]).toMatchObject({ inputs: { x: "Int", y: "Int" }, outputs: [{ name: "o0", type: "Int" }] });
    expect((manifest.tasks as Record<string, unknown>)["Pipelines.measure"]).toMatchObject({
      outputs: [
        { name: "total", type: "Float" },
        { name: "count", type: "Int" },
      ],
    });
  });

  it("the compiled module runs under node typed from its manifest, the inputs checked by the types", async () => {
    const r = await runProcess(process.execPath, [join(project, "dist/local.js")], { cwd: project, env: cleanEnv() });
    expect(r.code, r.stderr).toBe(0);
    expect(lastJson(r.stdout)).toEqual({
      add: 3,
      paint: "green x1",
      pick: "str a",
      measure: { total: 10, count: 1 },
      badAdd: { error: expect.stringContaining(`task '${MODULE}.Pipelines.add', input 'x': expected Int, got 1.5`) },
    });
  });

  it("run reads the types of the compiled module from its manifest, and of the source by analysing it, alike", async () => {
    for (const module of ["dist/pipelines.js", "src/pipelines.ts"]) {
      const loaded = loadReport();
      const add = await cliIn(project, ["run", module, "Pipelines.add", "--x", "1", "--y", "2"], loaded.env);
      expect(add.code, `${module}: ${add.stderr}`).toBe(0);
      expect(add.stdout.trim()).toBe("o0: 3");
      // Compiled JavaScript runs without the compiler or the analysis.
      if (module.endsWith(".js")) expect(loaded.compilerOrAnalysis()).toEqual([]);
      const notInt = await cliIn(project, ["run", module, "Pipelines.add", "--x", "1.5", "--y", "2"]);
      expect(notInt.code, module).toBe(1);
      expect(notInt.stderr, module).toContain("--x: expected Int");
      const pick = await cliIn(project, ["run", module, "Pipelines.pick", "--value", "7"]);
      expect(pick.stdout.trim(), `${module}: ${pick.stderr}`).toBe("o0: 'int 7'");
      const paint = await cliIn(project, ["run", module, "Pipelines.paint", "--color", "blue"]);
      expect(paint.code, module).toBe(1);
      expect(paint.stderr, module).toContain(`task '${MODULE}.Pipelines.paint', --color: expected Color (one of red|green), got "blue"`);
      const list = await cliIn(project, ["run", module]);
      expect(list.stdout, module).toMatch(/Pipelines\.add +\(x: Int, y: Int\) -> Int/);
      expect(list.stdout, module).toMatch(/Pipelines\.measure +\(points: List\(Point\), scale: Float\) -> total: Float, count: Int/);
    }
  }, SLOW);

  it("serialize of the source and of the compiled module give the same templates, byte for byte the tasks declared with tokens", async () => {
    const fromSource = await serialize(project, ["src/pipelines.ts"]);
    const fromJs = await serialize(project, ["dist/pipelines.js"]);
    const tokens = writeProject({ "tsconfig.json": tsconfig(), "src/pipelines.ts": TOKEN_PIPELINES }, "tokens");
    const declared = await serialize(tokens, ["src/pipelines.ts"]);
    expect([...fromSource.keys()]).toEqual([...declared.keys()]);
    expect([...fromJs.keys()]).toEqual([...declared.keys()]);
    for (const [file, spec] of declared) {
      expect(Buffer.from(fromSource.get(file)!.bytes).toString("hex"), file).toBe(spec.bytes.toString("hex"));
      expect(Buffer.from(withoutModule(fromJs.get(file)!.template)).toString("hex"), file).toBe(Buffer.from(withoutModule(spec.template)).toString("hex"));
    }
  }, SLOW);

  it("the container runs the compiled task typed from its manifest, and never loads the TypeScript compiler", async () => {
    const specs = await serialize(project, ["dist/pipelines.js"]);
    const loaded = loadReport();
    const r = await execute(project, templateOf(specs, "add"), toLiteralMap({ x: Int, y: Int }, { x: 40, y: 2 }), loaded.env);
    expect(r.files, r.error?.error?.message ?? r.stderr).toEqual(["outputs.pb"]);
    expect(fromLiteralMap({ o0: Int }, r.outputs!, "output")).toEqual({ o0: 42 });
    expect(loaded.compilerOrAnalysis()).toEqual([]);
    const measure = await execute(project, templateOf(specs, "measure"), toLiteralMap({ scale: Float }, { scale: 1 }));
    // A record input read from its literal: the points list is missing, and that is what it says.
    expect(measure.error?.error?.message).toContain("input 'points'");
  }, SLOW);
});

describe("flytekit-ts build refuses, tsc-style", () => {
  it("a module edited after its build is refused with the fix: build again", async () => {
    const dir = typedProject("stale");
    expect((await cliIn(dir, ["build"])).code).toBe(0);
    appendFileSync(join(dir, "dist/pipelines.js"), "\n// edited\n");
    const local = await runProcess(process.execPath, [join(dir, "dist/local.js")], { cwd: dir, env: cleanEnv() });
    const run = await cliIn(dir, ["run", "dist/pipelines.js", "Pipelines.add", "--x", "1", "--y", "2"]);
    for (const r of [local, run]) {
      expect(r.stdout + r.stderr).toContain("pipelines.js.flyte.json");
      expect(r.stdout + r.stderr).toContain("flytekit-ts build");
    }
    expect(run.code).toBe(1);
    // Built again, it runs.
    expect((await cliIn(dir, ["build"])).code).toBe(0);
    expect((await cliIn(dir, ["run", "dist/pipelines.js", "Pipelines.add", "--x", "1", "--y", "2"])).stdout.trim()).toBe("o0: 3");
  }, SLOW);

  it("a task type the analysis refuses: exit 1, file(line,col): error FTS..., no manifest for its module (the earlier one removed)", async () => {
    const dir = typedProject("refused");
    expect((await cliIn(dir, ["build"])).code).toBe(0);
    expect(existsSync(join(dir, "dist/pipelines.js.flyte.json"))).toBe(true);
    const source = `${readFileSync(join(dir, "src/pipelines.ts"), "utf8")}
export class Callbacks {
  @task()
  static apply(f: (n: number) => string): string {
    return f(1);
  }
}
`;
    writeFileSync(join(dir, "src/pipelines.ts"), source);
    const line = source.split("\n").findIndex((l) => l.includes("f: (n: number) => string")) + 1;
    const r = await cliIn(dir, ["build"]);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe("");
    expect(r.stderr).toMatch(new RegExp(`^src/pipelines\\.ts\\(${line},\\d+\\): error FTS\\d{4}: task '${MODULE}\\.Callbacks\\.apply', input 'f': .*; .*$`, "m"));
    expect(r.stderr.trim().split("\n").at(-1)).toBe("flytekit-ts build: 1 error; no manifest for src/pipelines.ts");
    // The JavaScript is emitted (noEmitOnError is off), without a manifest: its tasks are refused, not typed from old types.
    expect(readFileSync(join(dir, "dist/pipelines.js"), "utf8")).toContain("class Callbacks");
    expect(existsSync(join(dir, "dist/pipelines.js.flyte.json"))).toBe(false);
  }, SLOW);

  it("a type error: exit 1, printed as tsc prints it", async () => {
    const dir = typedProject("type-error");
    writeFileSync(join(dir, "src/pipelines.ts"), `${readFileSync(join(dir, "src/pipelines.ts"), "utf8")}\nexport const wrong: number = "text";\n`);
    const r = await cliIn(dir, ["build"]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^src\/pipelines\.ts\(\d+,14\): error TS2322: Type 'string' is not assignable to type 'number'\.$/m);
    expect(r.stderr.trim().split("\n").at(-1)).toBe("flytekit-ts build: 1 error; 1 manifest written beside dist/");
    // With noEmitOnError, nothing is emitted: the JavaScript of the last build and its manifest stay as they were.
    writeFileSync(join(dir, "tsconfig.json"), tsconfig({ noEmitOnError: true }));
    const js = readFileSync(join(dir, "dist/pipelines.js"));
    const manifest = readFileSync(join(dir, "dist/pipelines.js.flyte.json"));
    writeFileSync(join(dir, "src/pipelines.ts"), `${readFileSync(join(dir, "src/pipelines.ts"), "utf8")}\nexport const more: number = "text";\n`);
    const kept = await cliIn(dir, ["build"]);
    expect(kept.code).toBe(1);
    expect(kept.stderr.trim().split("\n").at(-1)).toBe('flytekit-ts build: 2 errors; no JavaScript emitted for tsconfig.json ("noEmitOnError": true), its manifests left as they were');
    expect(readFileSync(join(dir, "dist/pipelines.js")).equals(js)).toBe(true);
    expect(readFileSync(join(dir, "dist/pipelines.js.flyte.json")).equals(manifest)).toBe(true);
  }, SLOW);

  it("usage: --help, an unknown option (exit 2), a tsconfig that is not there (exit 1)", async () => {
    const help = await cliIn(project, ["build", "--help"]);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain("Usage: flytekit-ts build [-p TSCONFIG] [--no-emit]");
    const unknown = await cliIn(project, ["build", "--watch"]);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toBe("flytekit-ts: build: unknown option --watch; its options are -p, --no-emit, --help\nTry 'flytekit-ts build --help' for help.\n");
    const missing = await cliIn(project, ["build", "-p", "nowhere/tsconfig.json"]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain("flytekit-ts: -p nowhere/tsconfig.json: nowhere/tsconfig.json was not found");
  });
});

describe("flytekit-ts build --no-emit, after the project's own compiler", () => {
  it("hashes what TypeScript 7's tsc emitted and writes the manifests the emitting build writes", async () => {
    const dir = typedProject("tsc7");
    const [node, tsc] = tscOf("7.0.2");
    const missing = await cliIn(dir, ["build", "--no-emit"]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain("flytekit-ts: dist/pipelines.js: it was not found (the JavaScript of src/pipelines.ts): --no-emit reads what the project's compiler emitted; run the project's tsc first");
    const compiled = await runProcess(node!, [tsc!, "-p", "tsconfig.json"], { cwd: dir, env: cleanEnv() });
    expect(compiled.code, compiled.stdout + compiled.stderr).toBe(0);
    const js = readFileSync(join(dir, "dist/pipelines.js"));
    const r = await cliIn(dir, ["build", "--no-emit"]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout.trim()).toBe("flytekit-ts build: 1 module, 4 tasks, manifests beside dist/");
    // Nothing of tsc's was rewritten.
    expect(readFileSync(join(dir, "dist/pipelines.js")).equals(js)).toBe(true);
    const manifest = json(join(dir, "dist/pipelines.js.flyte.json"));
    const emitted = json(join(project, "dist/pipelines.js.flyte.json"));
    expect(manifest.hash).toBe(sha256(js));
    expect({ ...manifest, hash: undefined }).toEqual({ ...emitted, hash: undefined });
    const run = await cliIn(dir, ["run", "dist/pipelines.js", "Pipelines.add", "--x", "1", "--y", "2"]);
    expect(run.stdout.trim(), run.stderr).toBe("o0: 3");
  }, SLOW);
});

describe("flytekit-ts build --no-emit of a TypeScript 5 project", () => {
  it("finds the JavaScript where TypeScript 5 put it: without rootDir, in the sources' common folder's place", async () => {
    // The project's own typescript is the repository's 5.9.3 (node_modules is linked to it).
    const dir = writeProject({ "tsconfig.json": tsconfig({ rootDir: undefined }), "src/pipelines.ts": TYPED_PIPELINES }, "tsc5");
    const [node, tsc] = tscOf("5.9.3");
    const compiled = await runProcess(node!, [tsc!, "-p", "tsconfig.json"], { cwd: dir, env: cleanEnv() });
    expect(compiled.code, compiled.stdout + compiled.stderr).toBe(0);
    expect(readdirSync(join(dir, "dist"))).toContain("pipelines.js");
    const r = await cliIn(dir, ["build", "--no-emit"]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout.trim()).toBe("flytekit-ts build: 1 module, 4 tasks, manifests beside dist/");
    expect(json(join(dir, "dist/pipelines.js.flyte.json")).hash).toBe(sha256(readFileSync(join(dir, "dist/pipelines.js"))));
    // Emitting, the SDK's TypeScript 6 asks for rootDir, as tsc 6 does.
    const emitting = await cliIn(dir, ["build"]);
    expect(emitting.code).toBe(1);
    expect(emitting.stderr).toContain("error TS5011: The common source directory of 'tsconfig.json' is './src'. The 'rootDir' setting must be explicitly set");
  }, SLOW);
});

describe("flytekit-ts build of project references", () => {
  it("builds the referenced project first; the app's task takes the library's interface record", async () => {
    const dir = writeProject(
      {
        "lib/tsconfig.json": tsconfig({ composite: true }),
        "lib/src/geo.ts": "export interface Point {\n  x: number;\n  y: number;\n}\n\nexport const ORIGIN: Point = { x: 0, y: 0 };\n",
        "app/tsconfig.json": tsconfig({}, { include: ["src"], references: [{ path: "../lib" }] }),
        "app/src/pipelines.ts": [
          'import type { int } from "@flytekit-ts/core";',
          'import { task } from "@flytekit-ts/decorators";',
          'import type { Point } from "../../lib/src/geo.js";',
          "",
          "export class Pipelines {",
          "  @task()",
          "  static norm(p: Point, times: int): number {",
          "    return Math.hypot(p.x, p.y) * times;",
          "  }",
          "}",
          "",
        ].join("\n"),
      },
      "references",
    );
    const r = await cliIn(dir, ["build", "-p", "app"]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout.trim()).toBe("flytekit-ts build: 1 module, 1 task, manifests beside app/dist/");
    expect(readdirSync(join(dir, "lib/dist")).sort()).toEqual(["geo.d.ts", "geo.js", "geo.js.map"]);
    const manifest = json(join(dir, "app/dist/pipelines.js.flyte.json"));
    const records = Object.values(manifest.records as Record<string, { name: string; fields: unknown[] }>);
    expect(records).toEqual([
      expect.objectContaining({
        name: "Point",
        kind: "interface",
        fields: [
          { name: "x", type: "Float" },
          { name: "y", type: "Float" },
        ],
      }),
    ]);
    for (const module of ["dist/pipelines.js", "src/pipelines.ts"]) {
      const run = await cliIn(join(dir, "app"), ["run", module, "Pipelines.norm", "--p", '{"x":3,"y":4}', "--times", "2"]);
      expect(run.stdout.trim(), `${module}: ${run.stderr}`).toBe("o0: 10");
    }
    // The source, analysed in-process (the library read from its sources), and the build (the
    // library read from its declarations) give the app's task one interface.
    const fromJs = await serialize(join(dir, "app"), ["dist/pipelines.js"]);
    const fromSource = await serialize(join(dir, "app"), ["src/pipelines.ts"]);
    expect([...fromSource.keys()]).toEqual([...fromJs.keys()]);
    for (const [file, spec] of fromJs) expect(Buffer.from(withoutModule(fromSource.get(file)!.template)).toString("hex"), file).toBe(Buffer.from(withoutModule(spec.template)).toString("hex"));
  }, SLOW);
});

describe("flytekit-ts package --fast of TypeScript sources", () => {
  it("puts each analysed source's manifest beside it in the code, and the container runs the task from it", async () => {
    const dir = typedProject("package");
    const output = join(dir, "flyte-package.tgz");
    const r = await cliIn(dir, ["package", "--fast", "--output", output, ...SETTINGS, "src/pipelines.ts"]);
    expect(r.code, r.stderr).toBe(0);
    const members = untar(gunzip(readFileSync(output), output));
    const code = members.find((m) => /^fast[0-9a-f]{32}\.tar\.gz$/.test(m.path))!;
    const files = untar(gunzip(code.data, code.path));
    expect(files.map((f) => f.path)).toEqual(["package.json", "src/local.ts", "src/pipelines.ts", "src/pipelines.ts.flyte.json", "tsconfig.json"]);
    const manifest = JSON.parse(Buffer.from(files.find((f) => f.path === "src/pipelines.ts.flyte.json")!.data).toString("utf8")) as Record<string, unknown>;
    expect(manifest).toMatchObject({ format: 1, compiler: "typescript 6.0.3", source: "pipelines.ts", hash: sha256(readFileSync(join(dir, "src/pipelines.ts"))) });
    expect(Object.keys(manifest.tasks as object).sort()).toEqual(["Pipelines.add", "Pipelines.measure", "Pipelines.paint", "Pipelines.pick"]);

    const spec = fromBinary(admin.TaskSpecSchema, members.find((m) => m.path.includes("Pipelines.add"))!.data);
    const args = spec.template!.target.case === "container" ? spec.template!.target.value.args : [];
    const tarball = join(dir, code.path);
    writeFileSync(tarball, code.data);
    // Unpacked inside the project, where Node finds @flytekit-ts/* as an image would.
    const run = async (dest: string) => {
      const area = workArea(toLiteralMap({ x: Int, y: Int }, { x: 40, y: 2 }));
      const filled = fillTemplates(args, { inputs: area.inputs, outputPrefix: area.out, raw: area.raw, checkpoint: area.cp, previous: '""' }).map((a) =>
        a === "{{ .remote_package_path }}" ? `file://${tarball}` : a === "/root" ? dest : a,
      );
      return readOutputs(area.out, await runProcess(process.execPath, [FAST_BIN, ...filled.slice(1)], { cwd: area.dir, env: cleanEnv() }));
    };
    const ran = await run(mkdtempSync(join(dir, "root-")));
    expect(ran.files, ran.error?.error?.message ?? ran.stderr).toEqual(["outputs.pb"]);
    expect(fromLiteralMap({ o0: Int }, ran.outputs!, "output")).toEqual({ o0: 42 });
  }, SLOW);
});

describe("run of a TypeScript source keeps its analysis between runs", () => {
  it("a second run reads it from the cache without loading the compiler; an edit of a module the source imports is seen", async () => {
    const dir = writeProject(
      {
        "tsconfig.json": tsconfig(),
        "src/geo.ts": "export interface Point {\n  x: number;\n  y: number;\n}\n",
        "src/tasks.ts": [
          'import { task } from "@flytekit-ts/decorators";',
          'import type { Point } from "./geo.js";',
          "",
          "export class Tasks {",
          "  @task()",
          "  static norm(p: Point): number {",
          "    return Math.hypot(p.x, Number(p.y));",
          "  }",
          "}",
          "",
        ].join("\n"),
      },
      "cache",
    );
    const env = { FLYTEKIT_TS_CACHE_DIR: mkdtempSync(join(dir, "cache-")) };
    const first = await cliIn(dir, ["run", "src/tasks.ts", "Tasks.norm", "--help"], env);
    expect(first.stdout, first.stderr).toContain("        y: Float (required)");
    const loaded = loadReport();
    const second = await cliIn(dir, ["run", "src/tasks.ts", "Tasks.norm", "--p", '{"x":3,"y":4}'], { ...env, ...loaded.env });
    expect(second.stdout.trim(), second.stderr).toBe("o0: 5");
    expect(loaded.compilerOrAnalysis().filter((m) => m.includes("typescript"))).toEqual([]);
    writeFileSync(join(dir, "src/geo.ts"), "export interface Point {\n  x: number;\n  y: string;\n}\n");
    const edited = await cliIn(dir, ["run", "src/tasks.ts", "Tasks.norm", "--help"], env);
    expect(edited.stdout, edited.stderr).toContain("        y: Str (required)");
  }, SLOW);
});
