// The code tarball of fast registration (flytekit's fast_package): the source directory, without
// what never belongs in it (.git, node_modules: the image has its own) and without what
// `.flyteignore` lists, named after a digest of what it holds: fast<md5>.tar.gz.
import { createHash } from "node:crypto";
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { isAbsolute, join, relative, resolve, sep } from "node:path";
import { gzip, tar } from "@flytekit-ts/core/internal";

const ALWAYS_IGNORED = [".git", "node_modules"];

/** A .flyteignore pattern (gitignore's syntax, without negation) as a test on a relative path. */
function patternTest(line: string): ((path: string, isDirectory: boolean) => boolean) | undefined {
  let p = line.trim();
  if (p === "" || p.startsWith("#") || p.startsWith("!")) return undefined;
  const directoryOnly = p.endsWith("/");
  if (directoryOnly) p = p.slice(0, -1);
  const anchored = p.startsWith("/") || p.includes("/");
  if (p.startsWith("/")) p = p.slice(1);
  const source = p
    .split("")
    .map((c, i, all) => {
      if (c === "*") return all[i + 1] === "*" ? "" : all[i - 1] === "*" ? ".*" : "[^/]*";
      if (c === "?") return "[^/]";
      return /[.+^${}()|[\]\\]/.test(c) ? `\\${c}` : c;
    })
    .join("");
  const re = new RegExp(anchored ? `^${source}$` : `(^|/)${source}$`);
  return (path, isDirectory) => (!directoryOnly || isDirectory) && re.test(path);
}

/** The files of `source` that go into the tarball, as sorted relative paths with '/' separators. */
export function fastPackageFiles(source: string, exclude: readonly string[] = []): string[] {
  const root = resolve(source);
  const ignoreFile = join(root, ".flyteignore");
  const tests = (existsSync(ignoreFile) ? readFileSync(ignoreFile, "utf8").split("\n") : []).map(patternTest).filter((t) => t !== undefined);
  const excluded = new Set(exclude.map((e) => resolve(e)));
  const files: string[] = [];
  const walk = (dir: string) => {
    for (const name of readdirSync(dir).sort()) {
      const path = join(dir, name);
      if (excluded.has(path) || ALWAYS_IGNORED.includes(name)) continue;
      const rel = relative(root, path).split(sep).join("/");
      const isDirectory = statSync(path).isDirectory();
      if (tests.some((t) => t(rel, isDirectory))) continue;
      if (isDirectory) walk(path);
      else files.push(rel);
    }
  };
  walk(root);
  return files;
}

/** The order of the walk: folder by folder, names sorted within each. */
function walkOrder(a: string, b: string): number {
  const x = a.split("/");
  const y = b.split("/");
  for (let i = 0; i < Math.min(x.length, y.length); i++) {
    if (x[i] !== y[i]) return x[i]! < y[i]! ? -1 : 1;
  }
  return x.length - y.length;
}

/**
 * The tarball: its name (`fast<md5 of paths and contents>.tar.gz`), bytes and file count. `added`
 * are files made for it (by absolute path: the manifest the CLI's analysis made for a TypeScript
 * source, beside it), packed in their place among the source's, over a file of that path; those
 * outside the source directory are left out, as their modules are.
 */
export function fastPackage(source: string, exclude: readonly string[] = [], now = Date.now(), added: ReadonlyMap<string, Uint8Array> = new Map()): { name: string; data: Buffer; files: string[] } {
  const root = resolve(source);
  const made = new Map<string, Uint8Array>();
  for (const [path, data] of added) {
    const rel = relative(root, resolve(path));
    if (rel !== "" && !rel.startsWith("..") && !isAbsolute(rel)) made.set(rel.split(sep).join("/"), data);
  }
  const files = [...new Set([...fastPackageFiles(root, exclude), ...made.keys()])].sort(walkOrder);
  const digest = createHash("md5");
  const members = files.map((rel) => {
    const data = made.get(rel) ?? readFileSync(join(root, rel));
    digest.update(rel).update(data);
    return { name: rel, data };
  });
  const name = `fast${digest.digest("hex")}.tar.gz`;
  return { name, data: gzip(tar(members, now), name, now), files };
}
