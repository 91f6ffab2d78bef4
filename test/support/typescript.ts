// TypeScript compilers as users' projects have them, for the tests that compile a project with
// each: `typescript@<version>` from the npm registry in a directory of the repository's own
// (.cache/typescript/<version>, ignored by git), installed once and reused.
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { REPO_ROOT } from "./execute.js";

/** The releases a user's project may have: the last 5.x, 6.x (the last with a JavaScript API), 7.x (the native compiler). */
export const TYPESCRIPT_VERSIONS = ["5.9.3", "6.0.3", "7.0.2"] as const;

const CACHE = join(REPO_ROOT, ".cache", "typescript");

/** The directory of `typescript@version` (its package), installing it first when it is not there. */
export function ensureTypeScript(version: string): string {
  const dir = join(CACHE, version);
  const pkg = join(dir, "node_modules", "typescript");
  if (existsSync(join(pkg, "package.json")) && (JSON.parse(readFileSync(join(pkg, "package.json"), "utf8")) as { version: string }).version === version) return pkg;
  process.stderr.write(`installing typescript ${version} into .cache/typescript/${version} (once)\n`);
  mkdirSync(CACHE, { recursive: true });
  // Installed beside, then renamed into place: two test files asking at once both end with one copy.
  const staging = mkdtempSync(join(CACHE, `.${version}-`));
  writeFileSync(join(staging, "package.json"), JSON.stringify({ private: true }));
  execFileSync("npm", ["install", "--no-audit", "--no-fund", "--loglevel=error", `typescript@${version}`], { cwd: staging, stdio: ["ignore", "ignore", "inherit"] });
  try {
    renameSync(staging, dir);
  } catch {
    rmSync(staging, { recursive: true, force: true });
  }
  return pkg;
}

/** The command that runs a version's `tsc`. */
export function tscOf(version: string): string[] {
  return [process.execPath, join(ensureTypeScript(version), "bin", "tsc")];
}
