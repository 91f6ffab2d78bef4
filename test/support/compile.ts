// Compiles a directory of TypeScript fixtures with tsc, as a user's project is compiled, into a
// project of its own under the test run's TMPDIR: the compiled modules (with source maps, so task
// names trace back to the fixture sources), a package.json (`"type": "module"`, the package root
// the container's working directory is) and node_modules linked to the repository's (where
// @flytekit-ts/* are the workspace packages' dist). Test-only; reusable for other compilers.
import { fromBinary } from "@bufbuild/protobuf";
import { admin, type TaskTemplate } from "@flytekit-ts/core/idl";
import { mkdtempSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { CLI_BIN, cleanEnv, REPO_ROOT, runProcess, type ProcessResult } from "./execute.js";

/** tsc's decorator options for TypeScript's legacy decorators, with their type metadata. */
export const LEGACY_DECORATORS = { experimentalDecorators: true, emitDecoratorMetadata: true } as const;
/** tsc's decorator options for standard (TC39) decorators, what `tsc --init` gives. */
export const STANDARD_DECORATORS = { experimentalDecorators: false, emitDecoratorMetadata: false } as const;

/**
 * The checks `tsc --init` (TypeScript 5.9) turns on besides `strict`, as a new project has them.
 * Its `"target": "esnext"` is left out: with standard decorators, tsc leaves the `@` syntax at
 * ESNext, which Node cannot parse; ES2022 (the default here) lowers them.
 */
export const TSC_INIT_CHECKS = {
  noUncheckedIndexedAccess: true,
  exactOptionalPropertyTypes: true,
  verbatimModuleSyntax: true,
  isolatedModules: true,
  noUncheckedSideEffectImports: true,
  moduleDetection: "force",
} as const;

/** The repository's TypeScript compiler (its devDependency). */
export const REPO_TSC = join(REPO_ROOT, "node_modules/typescript/bin/tsc");

export interface CompileOptions {
  /** Compiler options over the defaults (ES2022, NodeNext, strict, source maps): the decorator mode above, a target, ... */
  compilerOptions: Readonly<Record<string, unknown>>;
  /** The tsc to run: the path of a compiler's command-line script, run with this Node. @default the repository's */
  tsc?: string;
  /** A word in the temporary directory's name. */
  label?: string;
}

export interface CompiledProject {
  /** The project's directory: the compiled modules, package.json, node_modules. */
  dir: string;
  /** What tsc printed. */
  compiler: ProcessResult;
}

/**
 * Compiles every `.ts` file of `fixtureDir` with `options`; throws, with tsc's output, when tsc
 * reports an error. The project's modules are `<dir>/<name>.js`, as the fixtures are named.
 */
export async function compileFixture(fixtureDir: string, options: CompileOptions): Promise<CompiledProject> {
  const dir = mkdtempSync(join(tmpdir(), `flytekit-ts-compiled-${options.label ?? "fixture"}-`));
  writeFileSync(join(dir, "package.json"), JSON.stringify({ name: "compiled-fixture", private: true, type: "module" }));
  symlinkSync(join(REPO_ROOT, "node_modules"), join(dir, "node_modules"), "dir");
  const tsconfig = {
    compilerOptions: {
      target: "ES2022",
      module: "NodeNext",
      moduleResolution: "NodeNext",
      strict: true,
      skipLibCheck: true,
      sourceMap: true,
      types: ["node"],
      lib: ["ES2023", "ESNext.Disposable"],
      ...options.compilerOptions,
      rootDir: fixtureDir,
      outDir: dir,
    },
    include: [join(fixtureDir, "**/*.ts")],
  };
  writeFileSync(join(dir, "tsconfig.json"), JSON.stringify(tsconfig, null, 2));
  const compiler = await runProcess(process.execPath, [options.tsc ?? REPO_TSC, "-p", join(dir, "tsconfig.json")], { cwd: dir, env: cleanEnv() });
  if (compiler.code !== 0) throw new Error(`tsc failed on ${fixtureDir} with ${JSON.stringify(options.compilerOptions)}:\n${compiler.stdout}${compiler.stderr}`);
  return { dir, compiler };
}

/** Runs a compiled module of a project with Node, in the project's directory. */
export function runCompiled(project: CompiledProject, module: string, env: NodeJS.ProcessEnv = {}): Promise<ProcessResult> {
  return runProcess(process.execPath, [join(project.dir, module)], { cwd: project.dir, env: { ...cleanEnv(), ...env } });
}

/** What a fixture module printed last, as JSON (the fixtures' report); the module must exit 0. */
export async function reportOf(project: CompiledProject, module: string): Promise<Record<string, unknown>> {
  const r = await runCompiled(project, module);
  if (r.code !== 0) throw new Error(`${module} exited ${r.code}: ${r.stderr}`);
  return JSON.parse(r.stdout.trim().split("\n").at(-1)!) as Record<string, unknown>;
}

/** The TaskSpecs `flytekit-ts serialize` writes for a module of the project, by file name. */
export type Serialized = Map<string, { bytes: Buffer; template: TaskTemplate }>;
const serialized = new Map<string, Promise<Serialized>>();

/** `flytekit-ts serialize` of a module of the project (p/d/v1, image ghcr.io/acme/app:v1), run once per project and module. */
export function serializeCompiled(project: CompiledProject, module: string): Promise<Serialized> {
  const key = `${project.dir}\0${module}`;
  let done = serialized.get(key);
  if (done === undefined) serialized.set(key, (done = serializeOnce(project, module)));
  return done;
}

async function serializeOnce(project: CompiledProject, module: string): Promise<Serialized> {
  const out = mkdtempSync(join(project.dir, "specs-"));
  const r = await runProcess(process.execPath, [CLI_BIN, "serialize", "--out", out, "--project", "p", "--domain", "d", "--version", "v1", "--image", "ghcr.io/acme/app:v1", module], {
    cwd: project.dir,
    env: cleanEnv(),
  });
  if (r.code !== 0) throw new Error(`flytekit-ts serialize ${module} exited ${r.code}: ${r.stderr}`);
  return new Map(
    readdirSync(out)
      .sort()
      .map((f) => {
        const bytes = readFileSync(join(out, f));
        return [f, { bytes, template: fromBinary(admin.TaskSpecSchema, bytes).template! }];
      }),
  );
}
