// `flytekit-ts build`: type-checks, analyses and compiles a TypeScript project with core's pinned
// TypeScript, as `tsc -b` builds it (the projects it references first, each from its own program),
// and writes beside each compiled module that declares tasks its manifest (`<module>.js.flyte.json`):
// the tasks' interfaces read from their types by the analysis, and a hash of the module's code as
// written. With --no-emit it compiles nothing and hashes the JavaScript the project's own compiler
// wrote at the paths its tsconfig gives (TypeScript 7's tsc, which has no JavaScript API).
import { existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { dirname, join, relative, resolve, sep } from "node:path";
import {
  analyseProgram,
  codeHash,
  formatDiagnostic,
  MANIFEST_FORMAT,
  manifestPathOf,
  pinnedTypeScript,
  projectTypeScriptMajor,
  type ManifestDiagnostic,
  type ModuleAnalysis,
  type TaskManifest,
  type TypeScriptApi,
} from "@flytekit-ts/core/analysis";
import { CliError } from "./discover.js";
import { manifestText, writeAtomically } from "./manifests.js";
import { BUILD_USAGE, UsageError } from "./usage.js";
import type { Console } from "./run.js";

type Program = ReturnType<TypeScriptApi["createProgram"]>;
type ParsedCommandLine = NonNullable<ReturnType<TypeScriptApi["getParsedCommandLineOfConfigFile"]>>;
type Diagnostic = ReturnType<Program["getSemanticDiagnostics"]>[number];

interface BuildArgs {
  /** The tsconfig.json, absolute. */
  tsconfig: string;
  /** Hash what the project's own compiler emitted instead of compiling. */
  noEmit: boolean;
}

function parseBuildArgs(argv: readonly string[]): BuildArgs | "help" {
  let project: string | undefined;
  let noEmit = false;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === "--help" || a === "-h") return "help";
    if (a === "--no-emit") noEmit = true;
    else if (a === "-p" || a.startsWith("-p=")) {
      const value = a === "-p" ? argv[++i] : a.slice(3);
      if (value === undefined || value === "") throw new UsageError("build", { subject: "-p", expected: "a tsconfig.json or its folder", got: "nothing" });
      if (project !== undefined) throw new UsageError("build", { subject: "-p", problem: "it is given more than once", fix: "build one project (its tsconfig's references are built with it)" });
      project = value;
    } else if (a.startsWith("-")) throw new UsageError("build", { subject: "build", problem: `unknown option ${a}`, fix: "its options are -p, --no-emit, --help" });
    else throw new UsageError("build", { subject: "build", problem: `it takes no modules (got ${JSON.stringify(a)})`, fix: "it builds the project of -p TSCONFIG (default ./tsconfig.json), every module of it" });
  }
  const given = resolve(project ?? "tsconfig.json");
  const tsconfig = existsSync(given) && statSync(given).isDirectory() ? join(given, "tsconfig.json") : given;
  if (!existsSync(tsconfig)) {
    throw new CliError({
      subject: project === undefined ? "build" : `-p ${project}`,
      problem: `${relative(process.cwd(), tsconfig) || tsconfig} was not found`,
      fix: project === undefined ? "run it in the project's folder, or name the project's tsconfig.json with -p" : "name a tsconfig.json, or the folder that holds one",
    });
  }
  return { tsconfig, noEmit };
}

/** A path as the user reads it: relative to the working directory, with "/". */
function shown(path: string): string {
  const rel = relative(process.cwd(), path);
  return (rel === "" || rel.startsWith(`..${sep}..`) ? path : rel).split(sep).join("/");
}

/** The source files of a program that are the project's own (what its compiler emits). */
function ownSources(program: Program): string[] {
  return program
    .getSourceFiles()
    .filter((sf) => !sf.isDeclarationFile && !program.isSourceFileFromExternalLibrary(sf) && !program.isSourceFileDefaultLibrary(sf))
    .map((sf) => sf.fileName);
}

/** The JavaScript file the project's compiler emits for each TypeScript source of `program`, as tsc names it. */
function outputsOf(ts: TypeScriptApi, program: Program): Map<string, string> {
  const fileNames = ownSources(program);
  const commandLine = { options: program.getCompilerOptions(), fileNames, errors: [] };
  const outputs = new Map<string, string>();
  for (const file of fileNames) {
    if (!/\.[cm]?tsx?$/.test(file)) continue;
    const js = ts.getOutputFileNames(commandLine, file, !ts.sys.useCaseSensitiveFileNames).find((o) => /\.[cm]?jsx?$/.test(o));
    if (js !== undefined) outputs.set(resolve(file), resolve(js));
  }
  return outputs;
}

/** The deepest folder that holds every file (TypeScript 5's default `rootDir`). */
function commonFolderOf(files: readonly string[]): string | undefined {
  let common: string[] | undefined;
  for (const file of files) {
    const parts = dirname(resolve(file)).split(sep);
    if (common === undefined) common = parts;
    else {
      let i = 0;
      while (i < common.length && i < parts.length && common[i] === parts[i]) i++;
      common = common.slice(0, i);
    }
  }
  return common === undefined ? undefined : common.join(sep) || sep;
}

/**
 * A tsconfig as the project's own compiler reads it, where that is TypeScript 5 (for --no-emit: its
 * JavaScript is where its compiler put it). TypeScript 6 takes the tsconfig's folder as the default
 * `rootDir` (and says so, TS5011, where 5 would have used the sources' common folder), and refuses
 * options 6 deprecates; 5 did neither. So a 5.x project without `rootDir` gets the one 5 computes,
 * and its deprecated options are let through, as the loader lets them through.
 */
function asCompiledByItsCompiler(parsed: ParsedCommandLine, tsconfig: string): ParsedCommandLine {
  if (projectTypeScriptMajor(dirname(tsconfig)) !== 5) return parsed;
  const options = { ...parsed.options, ignoreDeprecations: "6.0" };
  if (options.rootDir === undefined && options.composite !== true && (options.outDir !== undefined || options.declarationDir !== undefined)) {
    const rootDir = commonFolderOf(parsed.fileNames.filter((f) => !/\.d\.[cm]?ts$/.test(f)));
    if (rootDir !== undefined) options.rootDir = rootDir;
  }
  return { ...parsed, options };
}

/** What one build found and did. */
interface BuildTally {
  /** Errors of any kind: the compiler's, the analysis', a missing output. */
  errors: number;
  /** Manifests written: the module file (JavaScript) of each, and its task count. */
  written: { module: string; tasks: number }[];
  /** Modules with an error of their tasks' types: no manifest (an earlier one removed). */
  refused: string[];
  /** Projects whose JavaScript the compiler did not emit (noEmitOnError with errors, or noEmit). */
  notEmitted: string[];
}

/**
 * The manifest of a module: the analysis' tasks and records, the compiler that read them, where the
 * source is from the manifest, and the hash of the code as it is on disk beside it.
 */
function moduleManifest(analysis: ModuleAnalysis, compiler: string, manifestDir: string, code: Uint8Array): TaskManifest {
  return {
    format: MANIFEST_FORMAT,
    compiler,
    source: relative(manifestDir, analysis.file).split(sep).join("/"),
    hash: codeHash(code),
    tasks: analysis.tasks,
    records: analysis.records,
  };
}

/**
 * After a project's program was made (and its JavaScript emitted, unless --no-emit): writes the
 * manifest of each module that declares tasks and analysed without error, beside its JavaScript;
 * removes the manifest beside JavaScript that was (re)written for a module that has none now (no
 * tasks, or an error), so that a run never reads types older than its code.
 */
function writeManifests(
  ts: TypeScriptApi,
  program: Program,
  analyses: readonly ModuleAnalysis[],
  emitted: ReadonlySet<string> | "no-emit",
  tally: BuildTally,
  err: (line: string) => void,
): void {
  const compiler = `typescript ${ts.version}`;
  const byFile = new Map(analyses.map((a) => [resolve(a.file), a]));
  for (const [file, js] of outputsOf(ts, program)) {
    const analysis = byFile.get(file);
    const fresh = emitted === "no-emit" || emitted.has(js);
    const failed = analysis !== undefined && analysis.diagnostics.length > 0;
    if (analysis === undefined || failed) {
      // Old types beside new code (or beside code whose types are wrong now) must not be read.
      if (fresh) rmSync(manifestPathOf(js), { force: true });
      if (failed) tally.refused.push(shown(file));
      continue;
    }
    if (emitted !== "no-emit" && !fresh) continue;
    if (!existsSync(js)) {
      tally.errors++;
      err(`flytekit-ts: ${shown(js)}: it was not found (the JavaScript of ${shown(file)}): --no-emit reads what the project's compiler emitted; run the project's tsc first`);
      continue;
    }
    const manifest = moduleManifest(analysis, compiler, dirname(js), readFileSync(js));
    writeAtomically(manifestPathOf(js), manifestText(manifest));
    tally.written.push({ module: js, tasks: Object.keys(analysis.tasks).length });
  }
}

/** The folders that hold some files, a folder inside another counted with it: "dist/", "app/dist/, lib/dist/". */
function folders(files: readonly string[]): string {
  const dirs = [...new Set(files.map((f) => dirname(f)))].sort();
  const outer = dirs.filter((d) => !dirs.some((o) => o !== d && d.startsWith(`${o}${sep}`)));
  return outer
    .map((d) => {
      const folder = shown(d);
      return folder === "" || folder === "." ? "./" : `${folder}/`;
    })
    .join(", ");
}

function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

/** Runs `flytekit-ts build ARGS`; returns the exit code. */
export async function build(argv: readonly string[], { out, err }: Console): Promise<number> {
  const args = parseBuildArgs(argv);
  if (args === "help") {
    out(BUILD_USAGE);
    return 0;
  }
  const ts = pinnedTypeScript();
  const cwd = process.cwd();
  const pretty = process.stderr.isTTY === true && process.env.NO_COLOR === undefined;
  const formatHost = { getCurrentDirectory: () => cwd, getCanonicalFileName: (f: string) => f, getNewLine: () => "\n" };
  const tally: BuildTally = { errors: 0, written: [], refused: [], notEmitted: [] };
  const report = (d: Diagnostic): void => {
    if (d.category === ts.DiagnosticCategory.Error) tally.errors++;
    const text = pretty ? ts.formatDiagnosticsWithColorAndContext([d], formatHost) : ts.formatDiagnostic(d, formatHost);
    err(text.replace(/\n+$/, ""));
  };
  const host = ts.createSolutionBuilderHost(ts.sys, ts.createEmitAndSemanticDiagnosticsBuilderProgram, report, report);
  if (args.noEmit) {
    // Nothing of the project's is touched: not its JavaScript, nor its timestamps or build info.
    host.setModifiedTime = () => undefined;
    host.deleteFile = () => undefined;
    const parseHost = { ...ts.sys, onUnRecoverableConfigFileDiagnostic: report };
    host.getParsedCommandLine = (fileName) => {
      const parsed = ts.getParsedCommandLineOfConfigFile(fileName, undefined, parseHost);
      return parsed === undefined ? undefined : asCompiledByItsCompiler(parsed, fileName);
    };
  }
  // Every project is analysed every time: an up-to-date check would skip a project whose
  // manifests are missing or older than their analysis.
  const builder = ts.createSolutionBuilder(host, [args.tsconfig], { force: true });
  const analysisErrors: ManifestDiagnostic[] = [];
  for (let project = builder.getNextInvalidatedProject(); project !== undefined; project = builder.getNextInvalidatedProject()) {
    if (project.kind !== ts.InvalidatedProjectKind.Build) {
      project.done();
      continue;
    }
    const program = project.getProgram();
    const analyses = program === undefined ? [] : analyseProgram(ts, program);
    const emitted = new Set<string>();
    project.done(undefined, (name, text, writeByteOrderMark, onError) => {
      if (args.noEmit) return;
      try {
        const path = resolve(name);
        mkdirSync(dirname(path), { recursive: true });
        writeFileSync(path, writeByteOrderMark ? `\uFEFF${text}` : text);
        emitted.add(path);
      } catch (e) {
        onError?.((e as Error).message);
      }
    });
    for (const a of analyses) analysisErrors.push(...a.diagnostics);
    if (program === undefined) continue;
    const options = program.getCompilerOptions();
    if (!args.noEmit && analyses.length > 0 && (options.noEmit === true || options.emitDeclarationOnly === true)) {
      // Another compiler (esbuild, swc, TypeScript 7's tsc) makes its JavaScript.
      tally.errors++;
      err(
        `flytekit-ts: ${shown(project.project)}: it sets "${options.noEmit === true ? "noEmit" : "emitDeclarationOnly"}": true, so build emits no JavaScript to write manifests beside; ` +
          "compile the project with its own compiler, then run flytekit-ts build --no-emit (it reads the JavaScript at the paths the tsconfig gives)",
      );
      continue;
    }
    if (analyses.length > 0 && options.outFile !== undefined) {
      tally.errors++;
      err(`flytekit-ts: ${shown(project.project)}: it sets "outFile", which joins its modules into one file; tasks are loaded module by module (task-module names each), so build it without "outFile"`);
      continue;
    }
    // noEmitOnError with errors: the JavaScript of the last good build stays, and its manifests.
    if (!args.noEmit && ![...emitted].some((f) => /\.[cm]?jsx?$/.test(f))) {
      if (analyses.length > 0) tally.notEmitted.push(shown(project.project));
      continue;
    }
    writeManifests(ts, program, analyses, args.noEmit ? "no-emit" : emitted, tally, err);
  }
  for (const d of analysisErrors) err(formatDiagnostic(d, cwd));
  tally.errors += analysisErrors.length;

  const modules = tally.written.length;
  const tasks = tally.written.reduce((n, w) => n + w.tasks, 0);
  if (tally.errors > 0) {
    const parts = [`flytekit-ts build: ${plural(tally.errors, "error")}`];
    if (tally.refused.length > 0) parts.push(`no manifest for ${tally.refused.join(", ")}`);
    if (tally.notEmitted.length > 0) parts.push(`no JavaScript emitted for ${tally.notEmitted.join(", ")} ("noEmitOnError": true), its manifests left as they were`);
    if (modules > 0) parts.push(`${plural(modules, "manifest")} written beside ${folders(tally.written.map((w) => w.module))}`);
    err(parts.join("; "));
    return 1;
  }
  if (modules === 0) {
    out(`flytekit-ts build: no module of ${shown(args.tsconfig)} declares tasks; no manifest written`);
    return 0;
  }
  out(`flytekit-ts build: ${plural(modules, "module")}, ${plural(tasks, "task")}, manifests beside ${folders(tally.written.map((w) => w.module))}`);
  return 0;
}
