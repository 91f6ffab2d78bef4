// Runs flytekit-ts-execute as Flyte does: a process of its own, started with a container's args,
// in the directory the task modules are found from (the package root, here test/). Test-only.
import { fromBinary, toBinary } from "@bufbuild/protobuf";
import { ErrorDocumentSchema, LiteralMapSchema, type ErrorDocument, type LiteralMap } from "@flytekit-ts/core/idl";
import { spawn } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect } from "vitest";

export const TEST_ROOT = join(import.meta.dirname, "..");
export const REPO_ROOT = join(TEST_ROOT, "..");
export const EXECUTE_BIN = join(REPO_ROOT, "packages/core/bin/flytekit-ts-execute.js");
export const CLI_BIN = join(REPO_ROOT, "packages/cli/bin/flytekit-ts.js");

export interface ProcessResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs a command to its end, collecting what it printed. */
export function runProcess(command: string, args: readonly string[], options: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): Promise<ProcessResult> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(command, args, { cwd: options.cwd ?? TEST_ROOT, env: options.env ?? process.env, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    child.on("error", reject);
    child.on("close", (code) => resolvePromise({ code, stdout, stderr }));
  });
}

/** The container args of a template with Flyte's templates filled in. */
export function fillTemplates(args: readonly string[], paths: { inputs: string; outputPrefix: string; raw?: string; checkpoint?: string; previous?: string }): string[] {
  const values: Record<string, string | undefined> = {
    "{{.input}}": paths.inputs,
    "{{.outputPrefix}}": paths.outputPrefix,
    "{{.rawOutputDataPrefix}}": paths.raw,
    "{{.checkpointOutputPrefix}}": paths.checkpoint,
    "{{.prevCheckpointPrefix}}": paths.previous,
  };
  // A template Flyte has no value for stays as it is, as propeller leaves it.
  return args.map((a) => values[a] ?? a);
}

/** A temporary work area: inputs.pb, out/, raw/, cp/. */
export function workArea(inputs?: LiteralMap | Uint8Array): { dir: string; inputs: string; out: string; raw: string; cp: string } {
  const dir = mkdtempSync(join(tmpdir(), "flytekit-ts-entry-"));
  const area = { dir, inputs: join(dir, "inputs.pb"), out: join(dir, "out"), raw: join(dir, "raw"), cp: join(dir, "cp") };
  if (inputs !== undefined) writeFileSync(area.inputs, inputs instanceof Uint8Array ? inputs : toBinary(LiteralMapSchema, inputs));
  mkdirSync(area.raw);
  return area;
}

export interface ExecuteResult extends ProcessResult {
  /** The output prefix. */
  outDir: string;
  /** The files the entrypoint left in the output prefix. */
  files: string[];
  outputsBytes?: Uint8Array;
  outputs?: LiteralMap;
  error?: ErrorDocument;
  errorFile?: string;
}

/** Reads back what an execution wrote into its output prefix. */
export function readOutputs(out: string, result: ProcessResult): ExecuteResult {
  const files = existsSync(out) ? readdirSync(out).sort() : [];
  const r: ExecuteResult = { ...result, outDir: out, files };
  if (files.includes("outputs.pb")) {
    r.outputsBytes = readFileSync(join(out, "outputs.pb"));
    r.outputs = fromBinary(LiteralMapSchema, r.outputsBytes);
  }
  const errorFile = files.find((f) => /^error(-[0-9a-f]{32})?\.pb$/.test(f));
  if (errorFile !== undefined) {
    r.errorFile = errorFile;
    r.error = fromBinary(ErrorDocumentSchema, readFileSync(join(out, errorFile)));
  }
  return r;
}

/** flytekit-ts-execute's args for a task in a module, as serialize writes them. */
export function executeArgs(area: { inputs: string; out: string; raw: string; cp: string }, module: string, name: string, resolver = "flytekit-ts.DefaultTaskResolver"): string[] {
  return [
    "--inputs", area.inputs,
    "--output-prefix", area.out,
    "--raw-output-data-prefix", area.raw,
    "--checkpoint-path", area.cp,
    "--prev-checkpoint", '""',
    "--resolver", resolver,
    "--", "task-module", module, "task-name", name,
  ];
}

/** Runs flytekit-ts-execute with `args` and reads back its outputs. */
export async function runExecute(args: readonly string[], out: string, options: { env?: NodeJS.ProcessEnv; cwd?: string } = {}): Promise<ExecuteResult> {
  const env = { ...cleanEnv(), ...options.env };
  const result = await runProcess(process.execPath, [EXECUTE_BIN, ...args], { env, cwd: options.cwd });
  return readOutputs(out, result);
}

/** The test process's environment without Flyte's variables (a test sets the ones it means). */
export function cleanEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (k.startsWith("FLYTE_") || k.startsWith("_F_") || k.startsWith("VITEST") || k === "NODE_OPTIONS") continue;
    env[k] = v;
  }
  return env;
}

/** The outputs a run wrote, failing the test with what it wrote instead (its error, its output) when that is not outputs.pb alone. */
export function outputsOf(r: ExecuteResult, who: string): LiteralMap {
  const detail = r.error?.error?.message ?? r.stderr + r.stdout;
  expect(r.files, `${who} wrote ${r.files.join(", ") || "nothing"}: ${detail}`).toEqual(["outputs.pb"]);
  return r.outputs!;
}
