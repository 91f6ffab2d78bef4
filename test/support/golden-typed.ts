// The golden cases typed by TypeScript alone (test/fixtures/golden-typed): their sources analysed
// in-process, as `flytekit-ts run` analyses a `.ts` source, each module's manifest registered, and
// then the modules imported. The fixture's tsconfig turns decorators' type metadata off, so a type
// reaches a task only through the analysis: a test that passes with them passes on TypeScript's
// types, not on tokens and not on reflect-metadata.
import { codeHash, formatDiagnostic, MANIFEST_FORMAT, PINNED_TYPESCRIPT, registerManifest, SourceAnalysis } from "@flytekit-ts/core/analysis";
import { readFileSync } from "node:fs";
import { basename, join } from "node:path";
import { TEST_ROOT } from "./execute.js";

const SRC = join(TEST_ROOT, "fixtures/golden-typed/src");
const MODULES = ["types.ts", "literals.ts", "golden-tasks.ts"].map((f) => join(SRC, f));

const analyses = new SourceAnalysis().analyse(MODULES);
const diagnostics = [...analyses.values()].flatMap((a) => a.diagnostics);
if (diagnostics.length > 0) throw new Error(`the golden cases typed by TypeScript do not analyse:\n${diagnostics.map((d) => formatDiagnostic(d)).join("\n")}`);
for (const [file, analysis] of analyses) {
  registerManifest(file, {
    format: MANIFEST_FORMAT,
    compiler: `typescript ${PINNED_TYPESCRIPT}`,
    source: basename(file),
    hash: codeHash(readFileSync(file)),
    tasks: analysis.tasks,
    records: analysis.records,
  });
}

/** The modules that the analysis found tasks in, by file name. */
export const analysedModules = [...analyses.keys()].map((f) => basename(f)).sort();

export const { Literals } = await import("../fixtures/golden-typed/src/literals.js");
export const { GoldenTasks } = await import("../fixtures/golden-typed/src/golden-tasks.js");
/** The typed declarations' enum and records. */
export const GoldenTypes = await import("../fixtures/golden-typed/src/types.js");
