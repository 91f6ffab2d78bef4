// The real Python SDKs, for interop tests, each in a virtualenv of the repository's own (under
// .cache/, ignored by git), installed once from PyPI with the versions frozen in a constraints file
// of test/interop/: flytekit 1.16.24 (the main one), flytekit 1.16.31 (the union and enum rules it
// changed), and Flyte 2's `flyte` 2.12. Python missing is a failure, never a skip.
import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { withCacheLock } from "./cache-lock.js";
import { cleanEnv, readOutputs, REPO_ROOT, runProcess, TEST_ROOT, workArea, type ExecuteResult } from "./execute.js";
import type { LiteralMap } from "@flytekit-ts/core/idl";

/** A Python package pinned to a version, in a venv of its own. */
interface PythonSdk {
  /** The distribution on PyPI, and the module that says its version. */
  package: string;
  module: string;
  version: string;
  venv: string;
  constraints: string;
  /** More packages installed with it (pinned in the constraints file), each checked by `import`: pandas and pyarrow for the table interop, kubernetes for pod templates. */
  extras?: readonly { package: string; module: string }[];
}

export const FLYTEKIT_VERSION = "1.16.24";
export const VENV = join(REPO_ROOT, ".cache/python-venv");

const FLYTEKIT: PythonSdk = {
  package: "flytekit",
  module: "flytekit",
  version: FLYTEKIT_VERSION,
  venv: VENV,
  constraints: "constraints.txt",
  extras: [
    { package: "pandas", module: "pandas" },
    { package: "pyarrow", module: "pyarrow" },
    { package: "kubernetes", module: "kubernetes" },
  ],
};
const FLYTEKIT_1_16_31: PythonSdk = {
  package: "flytekit",
  module: "flytekit",
  version: "1.16.31",
  venv: join(REPO_ROOT, ".cache/python-venv-flytekit-1.16.31"),
  constraints: "constraints-flytekit-1.16.31.txt",
};
const FLYTE_2: PythonSdk = {
  package: "flyte",
  module: "flyte",
  version: "2.12.1",
  venv: join(REPO_ROOT, ".cache/python-venv-flyte-2.12"),
  constraints: "constraints-flyte-2.12.txt",
};

function installedVersion(python: string, module: string, extras: readonly string[] = []): string | undefined {
  if (!existsSync(python)) return undefined;
  try {
    const imports = [module, ...extras].join(", ");
    return execFileSync(python, ["-c", `import ${imports}; print(${module}.__version__)`], { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] }).trim();
  } catch {
    return undefined;
  }
}

/** The venv's python, installing the SDK first when it is not there (once per machine). */
function ensure(sdk: PythonSdk): string {
  const python = join(sdk.venv, "bin", "python");
  const extras = (sdk.extras ?? []).map((e) => e.module);
  if (installedVersion(python, sdk.module, extras) === sdk.version) return python;
  return withCacheLock(sdk.venv, () => (installedVersion(python, sdk.module, extras) === sdk.version ? python : install(sdk, python)));
}

function install(sdk: PythonSdk, python: string): string {
  let system: string;
  try {
    system = execFileSync("sh", ["-c", "command -v python3"], { encoding: "utf8" }).trim();
  } catch {
    throw new Error(`the interop tests need Python 3 (python3 on PATH) to install ${sdk.package}; none was found`);
  }
  // Said once, on the first run of a machine: the install takes a minute or so.
  process.stderr.write(`installing ${sdk.package} ${sdk.version} into ${relative(REPO_ROOT, sdk.venv)} for the interop tests (once, about a minute)\n`);
  rmSync(sdk.venv, { recursive: true, force: true });
  execFileSync(system, ["-m", "venv", sdk.venv], { stdio: "inherit" });
  const constraints = join(REPO_ROOT, "test/interop", sdk.constraints);
  const extras = (sdk.extras ?? []).map((e) => e.package);
  execFileSync(python, ["-m", "pip", "install", "--disable-pip-version-check", "--quiet", "-c", constraints, `${sdk.package}==${sdk.version}`, ...extras], { stdio: "inherit" });
  const version = installedVersion(python, sdk.module, (sdk.extras ?? []).map((e) => e.module));
  if (version !== sdk.version) throw new Error(`installing ${sdk.package}==${sdk.version} into ${sdk.venv} left ${version ?? `no ${sdk.package}`}`);
  return python;
}

/** flytekit 1.16.24's python and pyflyte-execute. */
export function ensureFlytekit(): { python: string; pyflyteExecute: string } {
  const python = ensure(FLYTEKIT);
  return { python, pyflyteExecute: join(VENV, "bin", "pyflyte-execute") };
}

/** flytekit 1.16.31's python and pyflyte-execute (the release that changed how enums and unions take strings). */
export function ensureFlytekit1631(): { python: string; pyflyteExecute: string } {
  const python = ensure(FLYTEKIT_1_16_31);
  return { python, pyflyteExecute: join(FLYTEKIT_1_16_31.venv, "bin", "pyflyte-execute") };
}

/** Flyte 2's python, with `flyte` 2.12 installed. */
export function ensureFlyte2(): { python: string; version: string } {
  return { python: ensure(FLYTE_2), version: FLYTE_2.version };
}

/** Where the Python modules of the interop tests live (test/interop). */
export const PY_DIR = join(TEST_ROOT, "interop");

/** Runs a task of a Python module in test/interop with a real pyflyte-execute, as Flyte starts it (with `options.env` over a clean environment): its outputs or error document. */
export async function runPyflyteExecute(pyflyteExecute: string, module: string, task: string, inputs: LiteralMap | Uint8Array, options: { env?: NodeJS.ProcessEnv } = {}): Promise<ExecuteResult> {
  const area = workArea(inputs);
  const home = mkdtempSync(join(tmpdir(), "flytekit-ts-pyhome-"));
  const args = [
    "--inputs", area.inputs,
    "--output-prefix", area.out,
    "--raw-output-data-prefix", area.raw,
    "--checkpoint-path", area.cp,
    "--prev-checkpoint", '""',
    "--resolver", "flytekit.core.python_auto_container.default_task_resolver",
    "--", "task-module", module, "task-name", task,
  ];
  const env = { ...cleanEnv(), PYTHONPATH: PY_DIR, HOME: home, PYTHONDONTWRITEBYTECODE: "1", ...options.env };
  return readOutputs(area.out, await runProcess(pyflyteExecute, args, { cwd: PY_DIR, env }));
}
