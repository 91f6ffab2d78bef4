// The analysis of a project's sources, as `run`, `serialize` and `package` do it in-process for
// `.ts` modules: the files' tsconfig.json read as tsc reads it (none: tsc's defaults), ONE program
// for all of them, and on the next call the previous program reused (`oldProgram`) with the same
// source files (parsed once, re-parsed only when their text changed), so that analysing again after
// one file was edited costs the new checker's work on what the analysis asks, not a new program.
import { readFileSync, statSync } from "node:fs";
import { dirname, isAbsolute, relative, resolve } from "node:path";
import type * as TS from "typescript";
import { formatError } from "../errors/flyte-error.js";
import { findTsconfig, readTsconfig } from "../loader/compiler-options.js";
import { pinnedTypeScript, type TypeScriptApi } from "../loader/pinned-typescript.js";
import { analyseProgram, type AnalyseOptions, type ModuleAnalysis } from "./analyse.js";
import type { ManifestDiagnostic } from "./manifest.js";

/** A diagnostic as tsc prints one: `src/x.ts(12,5): error FTS1001: task 'x.Pipelines.add', input 'f': ...; fix`. */
export function formatDiagnostic(d: ManifestDiagnostic, cwd: string = process.cwd()): string {
  const shown = relative(cwd, d.file);
  const file = shown.startsWith("..") || isAbsolute(shown) ? d.file : shown;
  return `${file}(${d.line},${d.column}): error ${d.code}: ${formatError({ task: d.task, subject: d.subject, problem: d.problem, fix: d.fix })}`;
}

interface CachedFile {
  /** The text the source files below were parsed from (user files), or the stat that stood for it (dependencies). */
  text?: string;
  stamp?: string;
  /** Checked in this generation of the cache. */
  checked: number;
  parsed: Map<string, TS.SourceFile>;
}

/**
 * Source files parsed once and handed to every program made through `hostFor`, until their text
 * changes. A file under node_modules (and TypeScript's own lib files) is checked by its size and
 * modification time; the project's own files by their text, each at most once per `refresh()`.
 */
export class SourceFileCache {
  private readonly files = new Map<string, CachedFile>();
  private generation = 0;

  constructor(readonly ts: TypeScriptApi) {}

  /** Starts a new generation: every file is checked again when a program asks for it. */
  refresh(): void {
    this.generation++;
  }

  /** A compiler host for `options` whose source files come from this cache. */
  hostFor(options: TS.CompilerOptions): TS.CompilerHost {
    const ts = this.ts;
    const host = ts.createCompilerHost(options, true);
    const optionKey = [options.moduleDetection, options.jsx, options.alwaysStrict ?? options.strict, options.target, options.module].join(",");
    host.getSourceFile = (fileName, languageVersionOrOptions, onError) => {
      const settings = typeof languageVersionOrOptions === "object" ? languageVersionOrOptions : { languageVersion: languageVersionOrOptions };
      const isDeclaration = /\.d\.[cm]?ts$/.test(fileName);
      const key = `${settings.languageVersion}|${settings.impliedNodeFormat}|${settings.jsDocParsingMode}${isDeclaration ? "" : `|${optionKey}`}`;
      const entry = this.current(fileName);
      if (entry === undefined) {
        onError?.(`cannot read ${fileName}`);
        return undefined;
      }
      let file = entry.parsed.get(key);
      if (file === undefined) {
        const text = entry.text ?? readText(fileName);
        if (text === undefined) return undefined;
        file = ts.createSourceFile(fileName, text, languageVersionOrOptions, true);
        entry.parsed.set(key, file);
      }
      return file;
    };
    return host;
  }

  private current(fileName: string): CachedFile | undefined {
    let entry = this.files.get(fileName);
    if (entry !== undefined && entry.checked === this.generation) return entry;
    const dependency = /[\\/]node_modules[\\/]/.test(fileName);
    if (dependency) {
      const stamp = stampOf(fileName);
      if (stamp === undefined) return undefined;
      if (entry === undefined || entry.stamp !== stamp) entry = { stamp, checked: this.generation, parsed: new Map() };
    } else {
      const text = readText(fileName);
      if (text === undefined) return undefined;
      if (entry === undefined || entry.text !== text) entry = { text, checked: this.generation, parsed: new Map() };
    }
    entry.checked = this.generation;
    this.files.set(fileName, entry);
    return entry;
  }
}

function readText(file: string): string | undefined {
  try {
    return readFileSync(file, "utf8");
  } catch {
    return undefined;
  }
}

function stampOf(file: string): string | undefined {
  try {
    const s = statSync(file);
    return `${s.size}:${s.mtimeMs}`;
  } catch {
    return undefined;
  }
}

/** One tsconfig's program, kept for the next call. */
interface ProjectProgram {
  tsconfig: string | undefined;
  /** The text of the tsconfig when read (read again when it changes). */
  configText: string | undefined;
  options: TS.CompilerOptions;
  references: readonly TS.ProjectReference[] | undefined;
  roots: Set<string>;
  program: TS.Program | undefined;
  host: TS.CompilerHost;
}

export interface SourceAnalysisOptions extends AnalyseOptions {
  /** The compiler. @default core's pinned TypeScript */
  ts?: TypeScriptApi;
  /** Where parsed source files are kept, to share them with other analyses (of the same compiler). @default one of its own */
  cache?: SourceFileCache;
}

/**
 * The analysis of `.ts` sources for an in-process run: `analyse(files)` gives the tasks of each
 * file (and of the files they import) as `analyseProgram` does, from one program per tsconfig.json
 * kept for the next call.
 */
export class SourceAnalysis {
  private readonly ts: TypeScriptApi;
  private readonly cache: SourceFileCache;
  private readonly projects = new Map<string, ProjectProgram>();
  private readonly configs = new Map<string, { text: string | undefined; parsed: TS.ParsedCommandLine }>();
  private readonly options: AnalyseOptions;

  constructor(options: SourceAnalysisOptions = {}) {
    this.ts = options.cache?.ts ?? options.ts ?? pinnedTypeScript();
    this.cache = options.cache ?? new SourceFileCache(this.ts);
    this.options = options.projectRoot === undefined ? {} : { projectRoot: options.projectRoot };
  }

  /** The tasks of every source file that declares any, of the programs `files` belong to, by absolute path. */
  analyse(files: readonly string[]): Map<string, ModuleAnalysis> {
    this.cache.refresh();
    const byProject = new Map<string, string[]>();
    for (const file of files) {
      const absolute = resolve(file);
      const tsconfig = this.tsconfigOf(absolute) ?? "";
      const list = byProject.get(tsconfig) ?? [];
      list.push(absolute);
      byProject.set(tsconfig, list);
    }
    const out = new Map<string, ModuleAnalysis>();
    for (const [tsconfig, roots] of byProject) {
      const program = this.programFor(tsconfig === "" ? undefined : tsconfig, roots);
      for (const analysis of analyseProgram(this.ts, program, this.options)) out.set(resolve(analysis.file), analysis);
    }
    return out;
  }

  /**
   * The tsconfig.json a file is compiled with, as an editor finds it: the nearest one above it, or,
   * when that one is a solution (`"files": []` and `references`, as Vite's templates have it) that
   * does not hold the file, the referenced project that does.
   */
  tsconfigOf(file: string): string | undefined {
    const nearest = findTsconfig(dirname(file));
    if (nearest === undefined) return undefined;
    const seen = new Set<string>();
    const holding = (tsconfig: string): string | undefined => {
      if (seen.has(tsconfig)) return undefined;
      seen.add(tsconfig);
      const parsed = this.parsed(tsconfig);
      if (parsed === undefined) return undefined;
      if (parsed.fileNames.some((f) => resolve(f) === file)) return tsconfig;
      for (const reference of parsed.projectReferences ?? []) {
        const found = holding(this.ts.resolveProjectReferencePath(reference));
        if (found !== undefined) return found;
      }
      return undefined;
    };
    return holding(nearest) ?? nearest;
  }

  private parsed(tsconfig: string): TS.ParsedCommandLine | undefined {
    const text = readText(tsconfig);
    if (text === undefined) return undefined;
    const cached = this.configs.get(tsconfig);
    if (cached !== undefined && cached.text === text) return cached.parsed;
    const parsed = readTsconfig(tsconfig, this.ts);
    this.configs.set(tsconfig, { text, parsed });
    return parsed;
  }

  /** The program of a tsconfig with these roots besides the ones it had, made from the previous one. */
  programFor(tsconfig: string | undefined, roots: readonly string[]): TS.Program {
    const ts = this.ts;
    const key = tsconfig ?? "";
    let project = this.projects.get(key);
    const configText = tsconfig === undefined ? undefined : readText(tsconfig);
    if (project === undefined || project.configText !== configText) {
      const parsed = tsconfig === undefined ? undefined : this.parsed(tsconfig);
      const options: TS.CompilerOptions = parsed?.options ?? {};
      const references = parsed?.projectReferences;
      const host = this.cache.hostFor(options);
      // Referenced projects are read from their sources, as an editor reads them: no build of them first.
      if (references !== undefined && references.length > 0) Object.assign(host, { useSourceOfProjectReferenceRedirect: () => true });
      project = { tsconfig, configText, options, references, roots: new Set(project?.roots), program: undefined, host };
      this.projects.set(key, project);
    }
    for (const root of roots) project.roots.add(root);
    const program = ts.createProgram({
      rootNames: [...project.roots],
      options: project.options,
      host: project.host,
      ...(project.references === undefined ? {} : { projectReferences: project.references }),
      ...(project.program === undefined ? {} : { oldProgram: project.program }),
    });
    project.program = program;
    return program;
  }
}
