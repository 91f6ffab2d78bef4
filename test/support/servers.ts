// Real object-store servers for the storage tests, on 127.0.0.1: each installed once from a registry
// the machines reach (the Go module proxy, the npm registry) into the repository's ignored .cache/,
// started by the test file that needs it on a port of its own, and stopped when the file ends.
// The store-specific parts (MinIO, fake-gcs-server, Azurite) build on what is here.
import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { createServer, connect } from "node:net";
import { join } from "node:path";
import { withCacheLock } from "./cache-lock.js";
import { REPO_ROOT } from "./execute.js";

export const SERVERS_CACHE = join(REPO_ROOT, ".cache", "servers");

/**
 * A Go program built from the Go module proxy at an exact version, kept at
 * .cache/servers/<name>-<version>/<name>: `go install module@version` (once per machine; the build
 * is said on stderr, as it takes minutes for MinIO). Two test files asking at once both end with
 * one copy (the first builds, the others wait for it).
 */
export function ensureGoTool(name: string, module: string, version: string): string {
  const dir = join(SERVERS_CACHE, `${name}-${version}`);
  const binary = join(dir, name);
  if (existsSync(binary)) return binary;
  return withCacheLock(dir, () => (existsSync(binary) ? binary : buildGoTool(name, module, version, dir, binary)));
}

function buildGoTool(name: string, module: string, version: string, dir: string, binary: string): string {
  process.stderr.write(`building ${module}@${version} into .cache/servers/ for the storage tests (once, a few minutes)\n`);
  mkdirSync(SERVERS_CACHE, { recursive: true });
  const staging = mkdtempSync(join(SERVERS_CACHE, `.${name}-`));
  try {
    execFileSync("go", ["install", `${module}@${version}`], {
      env: { ...process.env, GOBIN: staging, GOFLAGS: "-mod=mod", CGO_ENABLED: "0" },
      stdio: ["ignore", "ignore", "inherit"],
    });
    renameSync(staging, dir);
  } catch (e) {
    rmSync(staging, { recursive: true, force: true });
    if (!existsSync(binary)) throw e;
  }
  return binary;
}

/**
 * An npm package at an exact version, installed once into .cache/servers/<package>-<version>;
 * the path of its folder under node_modules.
 */
export function ensureNpmTool(pkg: string, version: string): string {
  const dir = join(SERVERS_CACHE, `${pkg.replace(/[@/]/g, "_")}-${version}`);
  const installed = join(dir, "node_modules", ...pkg.split("/"));
  if (existsSync(join(installed, "package.json"))) return installed;
  return withCacheLock(dir, () => (existsSync(join(installed, "package.json")) ? installed : installNpmTool(pkg, version, dir, installed)));
}

function installNpmTool(pkg: string, version: string, dir: string, installed: string): string {
  process.stderr.write(`installing ${pkg}@${version} into .cache/servers/ for the storage tests (once)\n`);
  mkdirSync(SERVERS_CACHE, { recursive: true });
  const staging = mkdtempSync(join(SERVERS_CACHE, `.${pkg.replace(/[@/]/g, "_")}-`));
  writeFileSync(join(staging, "package.json"), JSON.stringify({ private: true }));
  try {
    execFileSync("npm", ["install", "--no-audit", "--no-fund", "--loglevel=error", `${pkg}@${version}`], { cwd: staging, stdio: ["ignore", "ignore", "inherit"] });
    renameSync(staging, dir);
  } catch (e) {
    rmSync(staging, { recursive: true, force: true });
    if (!existsSync(join(installed, "package.json"))) throw e;
  }
  return installed;
}

/** A free TCP port on 127.0.0.1. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** Whether something accepts connections on the port. */
function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: "127.0.0.1", port });
    socket.once("connect", () => {
      socket.destroy();
      resolve(true);
    });
    socket.once("error", () => resolve(false));
  });
}

/** A server process the tests started. */
export interface RunningServer {
  port: number;
  process: ChildProcess;
  /** What it printed, for a failure's message. */
  output(): string;
  /** Stops it (SIGTERM, then SIGKILL after 5 s); resolves once it has exited. */
  stop(): Promise<void>;
}

/**
 * Starts a server and waits until `ready` says it serves (by default: its port accepts
 * connections), up to `timeoutMs`. A server that exits first, or is not ready in time, is an error
 * that carries what it printed.
 */
export async function startServer(options: {
  name: string;
  command: string;
  args: readonly string[];
  port: number;
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  ready?: () => Promise<boolean>;
  timeoutMs?: number;
}): Promise<RunningServer> {
  const child = spawn(options.command, options.args, { cwd: options.cwd, env: options.env ?? process.env, stdio: ["ignore", "pipe", "pipe"] });
  // A test process that ends without stopping it (a failed or killed worker) takes it along.
  const reap = () => child.kill("SIGKILL");
  process.once("exit", reap);
  child.once("exit", () => process.off("exit", reap));
  let printed = "";
  const keep = (d: Buffer) => {
    printed = (printed + d.toString()).slice(-20_000);
  };
  child.stdout?.on("data", keep);
  child.stderr?.on("data", keep);
  let exited: number | string | null | undefined;
  const exit = new Promise<void>((resolve) =>
    child.once("exit", (code, signal) => {
      exited = code ?? signal;
      resolve();
    }),
  );
  const server: RunningServer = {
    port: options.port,
    process: child,
    output: () => printed,
    async stop() {
      if (exited !== undefined) return;
      child.kill("SIGTERM");
      const timer = setTimeout(() => child.kill("SIGKILL"), 5_000);
      await exit;
      clearTimeout(timer);
    },
  };
  const ready = options.ready ?? (() => accepts(options.port));
  const deadline = Date.now() + (options.timeoutMs ?? 60_000);
  for (;;) {
    if (exited !== undefined) throw new Error(`${options.name} exited (${String(exited)}) before it served on port ${options.port}:\n${printed}`);
    if (await ready().catch(() => false)) return server;
    if (Date.now() > deadline) {
      await server.stop();
      throw new Error(`${options.name} did not serve on port ${options.port} within ${options.timeoutMs ?? 60_000} ms:\n${printed}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}
