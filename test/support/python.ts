// The real Python flytekit, for interop tests: flytekit==1.16.24 in a virtualenv of the
// repository's own (.cache/python-venv, ignored by git), installed once from PyPI with the versions
// frozen in test/interop/constraints.txt. Python missing is a failure, never a skip.
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, rmSync, statSync } from "node:fs";
import { dirname, join } from "node:path";
import { REPO_ROOT } from "./execute.js";

export const FLYTEKIT_VERSION = "1.16.24";
export const VENV = join(REPO_ROOT, ".cache/python-venv");
const CONSTRAINTS = join(REPO_ROOT, "test/interop/constraints.txt");

function installedVersion(python: string): string | undefined {
  if (!existsSync(python)) return undefined;
  try {
    return execFileSync(python, ["-c", "import flytekit; print(flytekit.__version__)"], { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] }).trim();
  } catch {
    return undefined;
  }
}

/** The venv's python and pyflyte-execute, installing flytekit first when it is not there. */
export function ensureFlytekit(): { python: string; pyflyteExecute: string } {
  const python = join(VENV, "bin", "python");
  const pyflyteExecute = join(VENV, "bin", "pyflyte-execute");
  if (installedVersion(python) === FLYTEKIT_VERSION && existsSync(pyflyteExecute)) return { python, pyflyteExecute };
  // Two test files may ask at once on a fresh machine: one installs, the other waits for it (a venv
  // cannot be built aside and renamed into place: its scripts name its path).
  const lock = `${VENV}.lock`;
  mkdirSync(dirname(lock), { recursive: true });
  for (;;) {
    try {
      mkdirSync(lock);
      break;
    } catch {
      // A lock older than the longest install is left by a run that was killed.
      const since = statSync(lock, { throwIfNoEntry: false })?.mtimeMs;
      if (since !== undefined && Date.now() - since > 10 * 60_000) rmSync(lock, { recursive: true, force: true });
      else Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 1000);
    }
  }
  try {
    if (installedVersion(python) === FLYTEKIT_VERSION && existsSync(pyflyteExecute)) return { python, pyflyteExecute };
    install(python);
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
  return { python, pyflyteExecute };
}

function install(python: string): void {
  let system: string;
  try {
    system = execFileSync("sh", ["-c", "command -v python3"], { encoding: "utf8" }).trim();
  } catch {
    throw new Error("the interop tests need Python 3 (python3 on PATH) to install flytekit; none was found");
  }
  // The one line a first run prints: what it installs, where, and that it happens once.
  process.stderr.write(`installing flytekit ${FLYTEKIT_VERSION} into .cache/python-venv (once, ~40 s)\n`);
  rmSync(VENV, { recursive: true, force: true });
  execFileSync(system, ["-m", "venv", VENV], { stdio: "inherit" });
  execFileSync(python, ["-m", "pip", "install", "--disable-pip-version-check", "--quiet", "-c", CONSTRAINTS, `flytekit==${FLYTEKIT_VERSION}`], { stdio: "inherit" });
  const version = installedVersion(python);
  if (version !== FLYTEKIT_VERSION) throw new Error(`installing flytekit==${FLYTEKIT_VERSION} into ${VENV} left ${version ?? "no flytekit"}`);
}
