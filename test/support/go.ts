// Small Go programs that tests compare flytekit-ts with (packages/core/src/copilot/__fixtures__/go*):
// each a folder with main.go, go.mod and a committed go.sum. Built once per machine into the
// repository's ignored .cache/ (keyed by a hash of the folder's files), with the modules downloaded
// from the Go module proxy into .cache/go-mod and compiled into .cache/go-build; go.sum pins their
// hashes (the checksum database is not asked: CI reaches the proxy only). Go missing is a failure,
// never a skip. FLYTEKIT_TS_GO_CACHE moves the three caches to another folder (an empty one
// measures a fresh machine).
import { execFile, execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync } from "node:fs";
import { basename, join, relative } from "node:path";
import { promisify } from "node:util";
import { withAsyncCacheLock } from "./cache-lock.js";

const run = promisify(execFile);
const REPO_ROOT = join(import.meta.dirname, "..", "..");
const CACHE = process.env.FLYTEKIT_TS_GO_CACHE ?? join(REPO_ROOT, ".cache");

/** The environment every build runs in: the repository's caches, the proxy, go.sum's hashes, this Go. */
export function goEnv(): NodeJS.ProcessEnv {
  const proxy = process.env.GOPROXY;
  return {
    ...process.env,
    GOMODCACHE: join(CACHE, "go-mod"),
    GOCACHE: join(CACHE, "go-build"),
    GOPROXY: proxy !== undefined && proxy !== "" && proxy !== "off" ? proxy : "https://proxy.golang.org",
    GOSUMDB: "off",
    GOFLAGS: "-mod=readonly",
    GOTOOLCHAIN: "local",
    GOWORK: "off",
    CGO_ENABLED: "0",
  };
}

/** A hash of the program's folder (its sources, go.mod and go.sum), naming the binary built from it. */
function sourceHash(dir: string): string {
  const hash = createHash("sha256");
  for (const name of readdirSync(dir).sort()) hash.update(`${name}\0`).update(readFileSync(join(dir, name))).update("\0");
  return hash.digest("hex").slice(0, 16);
}

async function build(dir: string, binary: string): Promise<void> {
  const name = relative(REPO_ROOT, dir);
  for (const file of ["go.mod", "go.sum"]) {
    if (!existsSync(join(dir, file))) throw new Error(`the Go program ${name} has no ${file}; every program there pins its modules in a committed go.mod and go.sum`);
  }
  const env = goEnv();
  try {
    await run("go", ["version"], { env });
  } catch {
    throw new Error(`the Go comparison tests need Go (go on PATH) to build ${name}; none was found (install Go 1.22 or later)`);
  }
  // Said once, on the first run of a machine: the download and the standard library's build take a while.
  process.stderr.write(`building ${name} into ${relative(REPO_ROOT, binary)} for the Go comparison tests (once)\n`);
  mkdirSync(join(binary, ".."), { recursive: true });
  const partial = `${binary}.partial`;
  try {
    await run("go", ["build", "-trimpath", "-buildvcs=false", "-o", partial, "."], { cwd: dir, env, timeout: 600_000 });
  } catch (e) {
    const { stderr } = e as { stderr?: string };
    throw new Error(`building the Go program ${name} failed: ${stderr?.trim() || (e as Error).message}`);
  }
  renameSync(partial, binary);
}

/**
 * The Go program in `dir`, built on first use: a function that runs it with `input` as JSON on its
 * standard input and returns what it prints, parsed as JSON.
 */
export async function goProgram(dir: string): Promise<(input: unknown) => unknown> {
  const binary = join(CACHE, "go-programs", `${basename(dir)}-${sourceHash(dir)}`);
  if (!existsSync(binary)) await withAsyncCacheLock(binary, async () => (existsSync(binary) ? undefined : build(dir, binary)));
  return (input) => JSON.parse(execFileSync(binary, { input: JSON.stringify(input), encoding: "utf8", maxBuffer: 64 << 20 })) as unknown;
}
