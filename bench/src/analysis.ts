// What reading a task's interface from TypeScript's own types costs: generated projects typed only
// by TypeScript (one module of 50 tasks; 200 modules of 1,000 tasks), analysed on the program a
// type-check makes, against `tsc --noEmit` of the same code in the same run (core's pinned
// TypeScript 6.0.3 in this process, the same options; the real tsc command line for context).
// Cold: a new program, a full check, then the analysis. Warm: one file edited, the program rebuilt
// from the one before (as a watch does), that file re-analysed, against re-checking it. And the
// run-time side: reading a module's manifest, against reading its bytes.
import { analyseProgram, codeHash, MANIFEST_FORMAT, manifestPathOf, PINNED_TYPESCRIPT, pinnedTypeScript, type ModuleAnalysis, type TypeScriptApi } from "@flytekit-ts/core/analysis";
import { manifestFor } from "@flytekit-ts/core/internal";
import { readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { formatNs, type Measurement, type Row } from "./harness.js";
import { manyModuleProject, singleModuleProject, type GeneratedProject } from "./analysis-projects.js";
import { execFileSync } from "node:child_process";

// Core's compiler (6.0.3), whose types are not the repository's own typescript (5.9.3): named from its API.
type Program = ReturnType<TypeScriptApi["createProgram"]>;
type Diagnostic = ReturnType<TypeScriptApi["getPreEmitDiagnostics"]>[number];
type ParsedCommandLine = NonNullable<ReturnType<TypeScriptApi["getParsedCommandLineOfConfigFile"]>>;
type CompilerOptions = ParsedCommandLine["options"];
type CompilerHost = ReturnType<TypeScriptApi["createCompilerHost"]>;
type SourceFile = NonNullable<ReturnType<Program["getSourceFile"]>>;

function gc(): void {
  (globalThis as { gc?: () => void }).gc?.();
}

function summary(times: number[]): Measurement {
  const sorted = [...times].sort((a, b) => a - b);
  return { medianNs: sorted[Math.floor(sorted.length / 2)]!, minNs: sorted[0]!, samples: sorted.length };
}

const now = (): number => Number(process.hrtime.bigint());
const ms = (ns: number): string => `${(ns / 1e6).toFixed(0)} ms`;
const pct = (part: number, whole: number): string => `${((100 * part) / whole).toFixed(1)}%`;

/** The project's tsconfig as tsc -p reads it. */
function commandLine(ts: TypeScriptApi, dir: string): ParsedCommandLine {
  const parsed = ts.getParsedCommandLineOfConfigFile(join(dir, "tsconfig.json"), { noEmit: true }, {
    ...ts.sys,
    onUnRecoverableConfigFileDiagnostic: (d) => {
      throw new Error(ts.flattenDiagnosticMessageText(d.messageText, "\n"));
    },
  });
  if (parsed === undefined || parsed.errors.length > 0) throw new Error(`tsconfig of ${dir}: ${JSON.stringify(parsed?.errors.map((e) => e.messageText))}`);
  return parsed;
}

/** Throws with tsc's text when the program has errors: the generated code must type-check. */
function expectClean(ts: TypeScriptApi, diagnostics: readonly Diagnostic[], what: string): void {
  if (diagnostics.length === 0) return;
  const text = ts.formatDiagnostics(diagnostics.slice(0, 10), { getCanonicalFileName: (f) => f, getCurrentDirectory: () => process.cwd(), getNewLine: () => "\n" });
  throw new Error(`${what} does not type-check:\n${text}`);
}

function countTasks(analyses: readonly ModuleAnalysis[], project: GeneratedProject, what: string): void {
  const inProject = analyses.filter((a) => a.file.startsWith(project.dir));
  const tasks = inProject.reduce((n, a) => n + Object.keys(a.tasks).length, 0);
  const diagnostics = inProject.flatMap((a) => a.diagnostics);
  const typed = inProject.flatMap((a) => Object.values(a.tasks)).filter((t) => (t.errors ?? []).length === 0).length;
  if (tasks !== project.tasks || typed !== project.tasks || diagnostics.length > 0) {
    throw new Error(`${what}: the analysis found ${tasks} tasks (${typed} typed) of ${project.tasks}, diagnostics ${JSON.stringify(diagnostics.slice(0, 3))}`);
  }
}

/** A command run `runs` times after one run to warm the disk cache: its wall time. */
function timeCommand(args: string[], runs: number, cwd: string): Measurement {
  const times: number[] = [];
  for (let i = -1; i < runs; i++) {
    const t0 = now();
    execFileSync(process.execPath, args, { cwd, stdio: "ignore" });
    if (i >= 0) times.push(now() - t0);
  }
  return summary(times);
}

interface ColdFigures {
  program: Measurement;
  check: Measurement;
  withAnalysis: Measurement;
  analysis: Measurement;
  typeCheckOnly: Measurement;
  analyses: ModuleAnalysis[];
}

/** `samples` cold runs: a new program (a new host: lib files parsed again, as tsc does), the full check, then the analysis. */
function cold(ts: TypeScriptApi, project: GeneratedProject, samples: number, what: string): ColdFigures {
  const config = commandLine(ts, project.dir);
  const program: number[] = [];
  const check: number[] = [];
  const typeCheckOnly: number[] = [];
  const analysis: number[] = [];
  const withAnalysis: number[] = [];
  let analyses: ModuleAnalysis[] = [];
  // One warm-up run, unmeasured: the compiler's own code compiled by V8.
  for (let s = -1; s < samples; s++) {
    gc();
    const t0 = now();
    const p = ts.createProgram({ rootNames: config.fileNames, options: config.options, projectReferences: config.projectReferences });
    const t1 = now();
    const diagnostics = ts.getPreEmitDiagnostics(p);
    const t2 = now();
    analyses = analyseProgram(ts, p);
    const t3 = now();
    if (s === -1) {
      expectClean(ts, diagnostics, what);
      countTasks(analyses, project, what);
      continue;
    }
    program.push(t1 - t0);
    typeCheckOnly.push(t2 - t1);
    check.push(t2 - t0);
    analysis.push(t3 - t2);
    withAnalysis.push(t3 - t0);
  }
  return { program: summary(program), check: summary(check), typeCheckOnly: summary(typeCheckOnly), analysis: summary(analysis), withAnalysis: summary(withAnalysis), analyses };
}

/**
 * A compiler host that keeps each parsed file while its size and modification time stay the same,
 * as a watch's host keeps files no watcher reported changed.
 */
function cachingHost(ts: TypeScriptApi, options: CompilerOptions): CompilerHost {
  const host = ts.createCompilerHost(options);
  const cache = new Map<string, { stamp: string; file: SourceFile }>();
  const getSourceFile = host.getSourceFile.bind(host);
  host.getSourceFile = (fileName, languageVersion, onError, shouldCreate) => {
    let stamp: string;
    try {
      const stat = statSync(fileName);
      stamp = `${stat.size}:${stat.mtimeMs}`;
    } catch {
      return undefined;
    }
    const held = cache.get(fileName);
    if (held !== undefined && held.stamp === stamp && shouldCreate !== true) return held.file;
    const file = getSourceFile(fileName, languageVersion, onError, shouldCreate);
    if (file !== undefined) cache.set(fileName, { stamp, file });
    return file;
  };
  return host;
}

interface WarmFigures {
  recheck: Measurement;
  reanalyse: Measurement;
  recheckFile: Measurement;
  rebuild: Measurement;
}

/**
 * `samples` edits of one file (a statement added to a task's body), each followed by rebuilds from
 * the program before, each chain on its own host (so that none finds the edited file parsed by
 * another): re-checking the program (what the type-check of a build after the edit does),
 * re-analysing it (what the analysis of that build does: the new program's checker asked only
 * what the tasks' types need), and, for context, re-checking the edited file alone (what a
 * watch re-checks for a file nothing imports) and the rebuild alone.
 */
function warm(ts: TypeScriptApi, project: GeneratedProject, edited: string, samples: number, what: string): WarmFigures {
  const config = commandLine(ts, project.dir);
  const original = readFileSync(edited, "utf8");
  const chains = ["recheck", "reanalyse", "file", "rebuild"].map(() => {
    const host = cachingHost(ts, config.options);
    const program = ts.createProgram({ rootNames: config.fileNames, options: config.options, projectReferences: config.projectReferences, host });
    ts.getPreEmitDiagnostics(program);
    return { host, program };
  });
  const times: number[][] = chains.map(() => []);
  const rebuild = (chain: (typeof chains)[number]) => {
    chain.program = ts.createProgram({ rootNames: config.fileNames, options: config.options, projectReferences: config.projectReferences, host: chain.host, oldProgram: chain.program });
    return chain.program;
  };
  const steps: ((p: Program) => unknown)[] = [
    (p) => ts.getPreEmitDiagnostics(p),
    (p) => analyseProgram(ts, p),
    (p) => ts.getPreEmitDiagnostics(p, p.getSourceFile(edited)),
    () => undefined,
  ];
  try {
    for (let s = -1; s < samples; s++) {
      // Each edit new text, so that no chain finds it parsed already.
      writeFileSync(edited, original.replace(/(\n\s+return )/, `\n    void ${"1".repeat(s + 2)};$1`));
      const results = chains.map((chain, k) => {
        gc();
        const t0 = now();
        const result = steps[k]!(rebuild(chain));
        times[k]!.push(now() - t0);
        return result;
      });
      if (s === -1) {
        expectClean(ts, results[0] as Diagnostic[], `${what} after an edit`);
        countTasks(results[1] as ModuleAnalysis[], project, `${what} after an edit`);
        for (const t of times) t.length = 0;
      }
    }
  } finally {
    writeFileSync(edited, original);
  }
  const [recheck, reanalyse, recheckFile, rebuilt] = times.map(summary);
  return { recheck: recheck!, reanalyse: reanalyse!, recheckFile: recheckFile!, rebuild: rebuilt! };
}

/** The manifest a build writes for a module's analysis (its hash taken of the source's bytes in place of emitted code). */
function writeManifest(ts: TypeScriptApi, analysis: ModuleAnalysis, moduleFile: string): string {
  const manifest = {
    format: MANIFEST_FORMAT,
    compiler: `typescript ${ts.version}`,
    source: relative(dirname(moduleFile), analysis.file).split("\\").join("/"),
    hash: codeHash(readFileSync(moduleFile)),
    tasks: analysis.tasks,
    records: analysis.records,
  };
  const path = manifestPathOf(moduleFile);
  writeFileSync(path, JSON.stringify(manifest));
  return path;
}

function coldRows(ts: TypeScriptApi, project: GeneratedProject, title: string, samples: number): { rows: Row[]; figures: ColdFigures } {
  const figures = cold(ts, project, samples, title);
  const cli = timeCommand([join(dirname(ts.sys.getExecutingFilePath()), "..", "bin", "tsc"), "-p", project.dir, "--noEmit"], 3, project.dir);
  const rows: Row[] = [
    {
      name: `${title}, cold: a new program, the full check and the analysis`,
      ours: figures.withAnalysis,
      baselineName: `tsc --noEmit in this process (typescript ${PINNED_TYPESCRIPT}: the program, then getPreEmitDiagnostics)`,
      baseline: figures.check,
      targetRatio: 1.15,
      note:
        `the analysis alone ${formatNs(figures.analysis.medianNs)} (${formatNs(figures.analysis.minNs)} best), ${pct(figures.analysis.medianNs, figures.check.medianNs)} of the check; ` +
        `the program ${ms(figures.program.medianNs)}, the check after it ${ms(figures.typeCheckOnly.medianNs)} (the analysis is ${pct(figures.analysis.medianNs, figures.typeCheckOnly.medianNs)} of that); ` +
        `the tsc --noEmit command line takes ${ms(cli.medianNs)} (${ms(cli.minNs)} best, ${cli.samples} runs)`,
    },
  ];
  return { rows, figures };
}

function warmRow(ts: TypeScriptApi, project: GeneratedProject, edited: string, title: string, samples: number): Row {
  const figures = warm(ts, project, edited, samples, title);
  return {
    name: `${title}, warm: one file edited, the program rebuilt from the one before, its tasks analysed again`,
    ours: figures.reanalyse,
    baselineName: "the same rebuild, the program checked again (getPreEmitDiagnostics)",
    baseline: figures.recheck,
    note:
      `the rebuild alone ${formatNs(figures.rebuild.medianNs)}; with the edited file re-checked alone (as a watch re-checks a file nothing imports) ` +
      `${formatNs(figures.recheckFile.medianNs)}`,
  };
}

/**
 * Reads a module's manifest as a task's first use does (`manifestFor`: read, parsed, its shape and
 * format checked, the module's bytes hashed and compared), the verdict it keeps forgotten first.
 */
function readManifest(file: string): unknown {
  ((globalThis as Record<symbol, unknown>)[Symbol.for("flytekit-ts.manifests")] as { verdicts: Map<string, unknown> } | undefined)?.verdicts.delete(file);
  return manifestFor(file);
}

function manifestRows(ts: TypeScriptApi, single: ColdFigures, singleProject: GeneratedProject, many: ColdFigures, manyProject: GeneratedProject): Row[] {
  const reads = (fn: () => unknown, n: number): Measurement => {
    for (let i = 0; i < 20; i++) fn();
    const times: number[] = [];
    for (let s = 0; s < 15; s++) {
      const t0 = now();
      for (let i = 0; i < n; i++) fn();
      times.push((now() - t0) / n);
    }
    return summary(times);
  };
  const rows: Row[] = [];
  // The 50-task module's manifest, beside the module (its source stands for its code here).
  const file = singleProject.files[0]!;
  const path = writeManifest(ts, single.analyses.find((a) => a.file === file)!, file);
  if (readManifest(file) === undefined) throw new Error(`no manifest read for ${file}`);
  rows.push({
    name: `reading a 50-task module's manifest (${(readFileSync(path).length / 1024).toFixed(1)} KB) at run time: read, parsed, checked, the module's hash compared`,
    ours: reads(() => readManifest(file), 200),
    baselineName: "fs.readFileSync of the manifest",
    baseline: reads(() => readFileSync(path), 200),
  });
  // All 1,000 tasks of the project in one manifest, as a module of 1,000 tasks would have it.
  const module = join(manyProject.dir, "all.js");
  writeFileSync(module, "export {};\n");
  const all = { format: MANIFEST_FORMAT, compiler: `typescript ${ts.version}`, source: "all.ts", hash: codeHash(readFileSync(module)), tasks: {} as Record<string, unknown>, records: {} as Record<string, unknown> };
  for (const a of many.analyses.filter((m) => m.file.startsWith(manyProject.dir))) {
    const prefix = relative(manyProject.dir, a.file).replace(/\W/g, "_");
    for (const [k, t] of Object.entries(a.tasks)) all.tasks[`${prefix}_${k}`] = t;
    Object.assign(all.records, a.records);
  }
  const big = manifestPathOf(module);
  writeFileSync(big, JSON.stringify(all));
  if (readManifest(module) === undefined) throw new Error(`no manifest read for ${module}`);
  rows.push({
    name: `reading one manifest of 1,000 tasks (${(readFileSync(big).length / 1024).toFixed(0)} KB) at run time, as above`,
    ours: reads(() => readManifest(module), 10),
    baselineName: "fs.readFileSync of it",
    baseline: reads(() => readFileSync(big), 10),
  });
  return rows;
}

export function analysisBench(): Row[] {
  const ts = pinnedTypeScript();
  const single = singleModuleProject(50);
  const many = manyModuleProject(200, 5);
  try {
    const singleCold = coldRows(ts, single, "one module of 50 tasks", 9);
    const manyCold = coldRows(ts, many, "200 modules, 1,000 tasks", 5);
    return [
      ...singleCold.rows,
      warmRow(ts, single, single.files[0]!, "one module of 50 tasks", 9),
      ...manyCold.rows,
      warmRow(ts, many, many.files[100]!, "200 modules, 1,000 tasks", 7),
      ...manifestRows(ts, singleCold.figures, single, manyCold.figures, many),
    ];
  } finally {
    rmSync(single.dir, { recursive: true, force: true });
    rmSync(many.dir, { recursive: true, force: true });
  }
}
