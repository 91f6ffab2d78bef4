// "@flytekit-ts/core/analysis": the analysis of tasks' TypeScript types and the compiler it runs,
// for flytekit-ts's CLI (`build`, and `run`/`serialize`/`package` of `.ts` sources). Not an API: it
// changes with the CLI. A subpath of its own, loaded by import() only when there is TypeScript to
// read, so that neither a run of compiled JavaScript nor a user's program (whose compiler reads
// `@flytekit-ts/core/internal`'s typings through the decorators') pays for TypeScript's typings.
export { analyseProgram, type AnalyseOptions, type ModuleAnalysis } from "./analyse.js";
export { formatDiagnostic, SourceAnalysis, type SourceAnalysisOptions } from "./project.js";
export { codeHash, registerManifest } from "./registry.js";
export { MANIFEST_FORMAT, manifestPathOf, type ManifestDiagnostic, type TaskManifest } from "./manifest.js";
export { PINNED_TYPESCRIPT, pinnedTypeScript, type TypeScriptApi } from "../loader/pinned-typescript.js";
export { findTsconfig, projectTypeScriptMajor } from "../loader/compiler-options.js";
export { cacheDirFor, cacheKeyParts } from "../loader/ts-hooks.js";
