// A real headless Chromium for the tests that open what flytekit-ts writes for a person (decks):
// Debian's `chromium` package, installed once into the repository's ignored .cache/chromium without
// root. The machine's apt says which packages it lacks (`apt-get -s install chromium`) and fetches
// them (`apt-get download`); each .deb is unpacked with `dpkg-deb -x` into .cache/chromium/root, and
// the browser runs from there with LD_LIBRARY_PATH pointing at the libraries unpacked beside it.
// On a machine whose apt lists were never fetched, the same is done by reading the Packages index
// of the Debian archives that /etc/apt names (and nothing else). Two test files asking at once end
// with one copy: the first installs, the others wait on a lock and find it there.
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";
import { gunzipSync } from "node:zlib";
import { withAsyncCacheLock } from "./cache-lock.js";

const REPO_ROOT = join(import.meta.dirname, "..", "..");
export const CHROMIUM_CACHE = join(REPO_ROOT, ".cache", "chromium");
const ROOT = join(CHROMIUM_CACHE, "root");
const READY = join(CHROMIUM_CACHE, "ready.json");
const BINARY = join(ROOT, "usr", "lib", "chromium", "chromium");

/** How to start the installed Chromium. */
export interface ChromiumInstall {
  /** The browser's executable (not Debian's wrapper script). */
  executablePath: string;
  /** The environment it needs: the unpacked libraries on LD_LIBRARY_PATH. */
  env: Record<string, string>;
  /** Its version, as `chromium --version` prints it. */
  version: string;
  /** The packages unpacked (those this machine lacked). */
  packages: string[];
}

/** Every directory of the unpacked tree that holds shared libraries (pulseaudio keeps its own in a subdirectory). */
function libraryDirs(dir: string, out: string[] = []): string[] {
  let holds = false;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.isDirectory()) libraryDirs(join(dir, entry.name), out);
    else if (/\.so(\.|$)/.test(entry.name)) holds = true;
  }
  if (holds) out.push(dir);
  return out;
}

function libraryPath(dirs: readonly string[]): string {
  return [...dirs, process.env.LD_LIBRARY_PATH ?? ""].filter((d) => d !== "").join(":");
}

function installed(): ChromiumInstall {
  const ready = JSON.parse(readFileSync(READY, "utf8")) as { version: string; packages: string[]; libraries: string[] };
  return { executablePath: BINARY, env: { LD_LIBRARY_PATH: libraryPath(ready.libraries.map((d) => join(ROOT, d))) }, version: ready.version, packages: ready.packages };
}

/** Chromium from Debian's package, installed into .cache/chromium on first use. */
export async function ensureChromium(): Promise<ChromiumInstall> {
  if (existsSync(READY) && existsSync(BINARY)) return installed();
  return withAsyncCacheLock(CHROMIUM_CACHE, async () => {
    if (existsSync(READY) && existsSync(BINARY)) return installed();
    await install();
    return installed();
  });
}

async function install(): Promise<void> {
  const started = Date.now();
  process.stderr.write("installing Debian's chromium into .cache/chromium for the deck tests (once)\n");
  mkdirSync(CHROMIUM_CACHE, { recursive: true });
  const staging = mkdtempSync(join(CHROMIUM_CACHE, ".staging-"));
  try {
    const debs = join(staging, "debs");
    mkdirSync(debs);
    // FLYTEKIT_TS_CHROMIUM_FROM_INDEX=1 takes the fallback on a machine with apt lists too (to check it).
    const useApt = aptKnowsChromium() && process.env.FLYTEKIT_TS_CHROMIUM_FROM_INDEX !== "1";
    const packages = useApt ? downloadWithApt(debs) : await downloadFromIndex(debs);
    const root = join(staging, "root");
    mkdirSync(root);
    for (const deb of readdirSync(debs).filter((f) => f.endsWith(".deb"))) execFileSync("dpkg-deb", ["-x", join(debs, deb), root], { stdio: ["ignore", "ignore", "inherit"] });
    rmSync(ROOT, { recursive: true, force: true });
    renameSync(root, ROOT);
    const libraries = libraryDirs(ROOT).map((d) => relative(ROOT, d));
    const version = execFileSync(BINARY, ["--version"], { env: { ...process.env, LD_LIBRARY_PATH: libraryPath(libraries.map((d) => join(ROOT, d))) }, encoding: "utf8" }).trim();
    // Written last: its presence means the install is whole.
    writeFileSync(READY, JSON.stringify({ version, packages, libraries, seconds: (Date.now() - started) / 1000 }, null, 2));
    process.stderr.write(`installed ${version} (${packages.length} packages) in ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
}

/** Whether the machine's apt lists know the package (they are missing on a machine never `apt-get update`d). */
function aptKnowsChromium(): boolean {
  try {
    const out = execFileSync("apt-cache", ["policy", "chromium"], { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] });
    return /Candidate: (?!\(none\))\S+/.test(out);
  } catch {
    return false;
  }
}

/** The packages apt would install for chromium (what this machine lacks), downloaded into `dir`. */
function downloadWithApt(dir: string): string[] {
  const plan = execFileSync("apt-get", ["-s", "-q", "install", "--no-install-recommends", "chromium"], { encoding: "utf8", env: { ...process.env, LC_ALL: "C" } });
  const packages = [...plan.matchAll(/^Inst (\S+)/gm)].map((m) => m[1]!);
  if (!packages.includes("chromium")) throw new Error(`apt would not install chromium:\n${plan}`);
  execFileSync("apt-get", ["download", "-q", ...packages], { cwd: dir, stdio: ["ignore", "ignore", "inherit"] });
  return packages;
}

// ---- without apt lists: the archives' Packages index, read here ---------------------------------

interface Source {
  uri: string;
  suite: string;
  component: string;
}

interface Stanza {
  name: string;
  depends: string;
  provides: string;
  filename: string;
  uri: string;
}

/** The `deb` sources /etc/apt names, in either format (deb822 `.sources`, one-line `.list`). */
function aptSources(): Source[] {
  const out: Source[] = [];
  const files = ["/etc/apt/sources.list", ...listDir("/etc/apt/sources.list.d").map((f) => join("/etc/apt/sources.list.d", f))];
  for (const file of files) {
    let text: string;
    try {
      text = readFileSync(file, "utf8");
    } catch {
      continue;
    }
    if (file.endsWith(".sources")) {
      for (const block of text.split(/\n\s*\n/)) {
        const field = (k: string) => new RegExp(`^${k}:\\s*(.+)$`, "mi").exec(block)?.[1]?.trim().split(/\s+/) ?? [];
        if (!field("Types").includes("deb") || field("Enabled")[0] === "no") continue;
        for (const uri of field("URIs")) for (const suite of field("Suites")) for (const component of field("Components")) out.push({ uri, suite, component });
      }
    } else if (file.endsWith(".list")) {
      for (const line of text.split("\n")) {
        const words = line.replace(/#.*/, "").replace(/\[[^\]]*\]/, "").trim().split(/\s+/);
        if (words[0] !== "deb" || words.length < 4) continue;
        for (const component of words.slice(3)) out.push({ uri: words[1]!, suite: words[2]!, component });
      }
    }
  }
  return out;
}

function listDir(dir: string): string[] {
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
}

function architecture(): string {
  return execFileSync("dpkg", ["--print-architecture"], { encoding: "utf8" }).trim();
}

async function readIndex(sources: readonly Source[], arch: string): Promise<Map<string, Stanza>> {
  const byName = new Map<string, Stanza>();
  for (const s of sources) {
    const text = await fetchIndex(`${s.uri.replace(/\/$/, "")}/dists/${s.suite}/${s.component}/binary-${arch}/Packages`);
    if (text === undefined) continue;
    for (const block of text.split("\n\n")) {
      const field = (k: string) => new RegExp(`^${k}: (.*)$`, "m").exec(block)?.[1] ?? "";
      const name = field("Package");
      if (name === "") continue;
      // A later source (the security archive after the release) holds the newer build.
      byName.set(name, { name, depends: [field("Pre-Depends"), field("Depends")].filter((d) => d !== "").join(", "), provides: field("Provides"), filename: field("Filename"), uri: s.uri });
    }
  }
  return byName;
}

/** An index's text: Packages.xz (all an archive is sure to have; the security archive has only it), else Packages.gz. */
async function fetchIndex(base: string): Promise<string | undefined> {
  const xz = await fetch(`${base}.xz`);
  if (xz.ok) return execFileSync("xz", ["-dc"], { input: Buffer.from(await xz.arrayBuffer()), maxBuffer: 1 << 30 }).toString("utf8");
  const gz = await fetch(`${base}.gz`);
  if (gz.ok) return gunzipSync(Buffer.from(await gz.arrayBuffer())).toString("utf8");
  return undefined;
}

/** What dpkg has installed, with what those packages provide. */
function installedNames(): Set<string> {
  const out = execFileSync("dpkg-query", ["-W", "-f=${Package}\t${Status}\t${Provides}\n"], { encoding: "utf8" });
  const names = new Set<string>();
  for (const line of out.split("\n")) {
    const [name, status, provides] = line.split("\t");
    if (name === undefined || !status?.endsWith(" installed")) continue;
    names.add(name);
    for (const p of (provides ?? "").split(",")) if (p.trim() !== "") names.add(p.trim().split(/[\s(]/)[0]!);
  }
  return names;
}

async function downloadFromIndex(dir: string): Promise<string[]> {
  const sources = aptSources();
  if (sources.length === 0) throw new Error("no Debian archive is named in /etc/apt/sources.list or /etc/apt/sources.list.d: cannot install chromium");
  const index = await readIndex(sources, architecture());
  const providers = new Map<string, string>();
  for (const s of index.values()) for (const p of s.provides.split(",")) if (p.trim() !== "") providers.set(p.trim().split(/[\s(]/)[0]!, s.name);
  const have = installedNames();
  const chosen: string[] = [];
  const wanted = new Set<string>();
  const queue = ["chromium"];
  while (queue.length > 0) {
    const name = queue.shift()!;
    if (wanted.has(name)) continue;
    const stanza = index.get(name);
    if (stanza === undefined) throw new Error(`the Debian archives in /etc/apt have no package ${name}`);
    wanted.add(name);
    chosen.push(name);
    for (const group of stanza.depends.split(",")) {
      const alternatives = group.split("|").map((a) => a.trim().split(/[\s(:]/)[0]!).filter((a) => a !== "");
      if (alternatives.length === 0 || alternatives.some((a) => have.has(a) || wanted.has(a))) continue;
      const pick = alternatives.find((a) => index.has(a)) ?? alternatives.map((a) => providers.get(a)).find((p) => p !== undefined);
      if (pick === undefined) throw new Error(`no package in the Debian archives satisfies ${group.trim()} (for ${name})`);
      queue.push(pick);
    }
  }
  for (const name of chosen) {
    const s = index.get(name)!;
    const response = await fetch(`${s.uri.replace(/\/$/, "")}/${s.filename}`);
    if (!response.ok) throw new Error(`downloading ${name}: HTTP ${response.status}`);
    writeFileSync(join(dir, `${name}.deb`), Buffer.from(await response.arrayBuffer()));
  }
  return chosen;
}
