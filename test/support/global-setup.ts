// The whole test run writes its temporary files (its own and those of the processes it starts)
// under one directory of its own, removed when the run ends: `npm test` leaves nothing in /tmp.
// Every process it starts is kept off AWS's instance metadata service.
import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";

const TEST_ROOT = join(import.meta.dirname, "..");

/**
 * `run`, `serialize` and `package` of a `.ts` module analyse its types first, and keep what they
 * found on disk (node_modules/.cache/flytekit-ts) until a file the analysis read changes, or the
 * CLI is built again. In this repository a module's program reaches the SDK's sources (test/'s
 * tsconfig resolves @flytekit-ts/* to src/), so a first analysis takes seconds: done here once, in
 * one program, for every module under test/support, each CLI run the tests start finds it done. The
 * built CLI does it (the cache is its own); without one there is nothing to warm.
 */
function warmSourceAnalysis(): void {
  const cli = join(TEST_ROOT, "..", "packages/cli/dist/bundle/main.js");
  if (!existsSync(cli)) return;
  const support = join(TEST_ROOT, "support");
  const files = readdirSync(support, { recursive: true, encoding: "utf8" })
    .filter((f) => f.endsWith(".ts") && !f.endsWith(".d.ts"))
    .map((f) => join(support, f));
  const script = `const { analyseSources } = await import(${JSON.stringify(pathToFileURL(cli).href)}); await analyseSources(process.argv.slice(1));`;
  try {
    execFileSync(process.execPath, ["--input-type=module", "-e", script, ...files], { cwd: TEST_ROOT, stdio: ["ignore", "ignore", "inherit"] });
  } catch {
    // Each run then analyses what it imports itself.
  }
}

export default function setup(): () => void {
  const dir = mkdtempSync(join(tmpdir(), "flytekit-ts-tests-"));
  process.env.TMPDIR = dir;
  // No test may reach beyond loopback: an AWS SDK (ours, or botocore under pyflyte-execute) that finds
  // no credentials would otherwise ask the instance metadata service at 169.254.169.254.
  process.env.AWS_EC2_METADATA_DISABLED = "true";
  warmSourceAnalysis();
  return () => rmSync(dir, { recursive: true, force: true });
}
