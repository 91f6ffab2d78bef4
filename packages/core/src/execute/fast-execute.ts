// flytekit-ts-fast-execute: fast registration's first step in the container (flytekit's
// pyflyte-fast-execute). It fetches the code tarball, unpacks it into the destination directory,
// and runs the task's command there, telling it where the code came from.
import { spawn } from "node:child_process";
import { lstatSync, mkdirSync, readFileSync, readlinkSync, realpathSync, statSync, unlinkSync, writeFileSync } from "node:fs";
import { isAbsolute, join, normalize, relative, resolve, sep } from "node:path";
import { fileURLToPath } from "node:url";
import { gunzip, untar, type TarEntry } from "../archive/tar.js";
import { containerServices } from "../context/services.js";
import { FlyteError } from "../errors/flyte-error.js";
import { EXECUTE_COMMAND } from "../serialize/entrypoint-args.js";
import { makeTempDir } from "../storage/temp.js";

/** Whether a real path is the root or inside it. */
function inside(root: string, path: string): boolean {
  return path === root || path.startsWith(root + sep);
}

/**
 * Unpacks a .tar.gz (or .tar) into a directory, as flytekit's fast registration does with GNU tar,
 * but refusing what would land outside it: a member whose path leaves the directory, and one that
 * would be written through a symbolic link already in the directory that leads out of it (Python's
 * tarfile "data" filter's rule: a link inside the directory that stays inside it is followed). A
 * file member replaces what is at its path, a symbolic link included (removed, never written
 * through), as GNU tar does. The whole archive is read and checked before anything is written.
 * `name` names the archive in errors.
 */
export function unpack(archive: Buffer, dest: string, name?: string): void {
  const tarBytes = archive[0] === 0x1f && archive[1] === 0x8b ? gunzip(archive, name) : archive;
  const entries = untar(tarBytes, name);
  mkdirSync(dest, { recursive: true });
  const root = realpathSync(dest);
  // Directories already made or checked in this run (the archive makes no links, so they stay good).
  const checked = new Set<string>([root]);
  for (const entry of entries) {
    const refuse = (problem: string, cause?: unknown): never => {
      throw new FlyteError({ subject: `${name === undefined ? "archive" : `archive ${name}`}, member '${entry.path}'`, problem }, cause === undefined ? undefined : { cause });
    };
    const target = resolve(root, normalize(entry.path));
    if (isAbsolute(entry.path) || !inside(root, target)) refuse(`refusing to unpack it: it is outside ${root}`);
    const parts = relative(root, target).split(sep).filter((p) => p !== "");
    if (entry.type === "file" && parts.length === 0) refuse(`refusing to unpack it: a file cannot replace ${root} itself`);
    try {
      let dir = root;
      for (const part of entry.type === "directory" ? parts : parts.slice(0, -1)) {
        dir = join(dir, part);
        if (checked.has(dir)) continue;
        enterDirectory(dir, root, refuse);
        checked.add(dir);
      }
      if (entry.type === "file") writeMember(target, entry, root, refuse);
    } catch (e) {
      if (e instanceof FlyteError) throw e;
      refuse(`could not unpack it: ${e instanceof Error ? e.message : String(e)}`, e);
    }
  }
}

/** Makes a directory of a member's path, or checks the one there: a directory, or a symbolic link whose real path is a directory inside the root. */
function enterDirectory(dir: string, root: string, refuse: (problem: string) => never): void {
  const what = relative(root, dir);
  let stat;
  try {
    stat = lstatSync(dir);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== "ENOENT") throw e;
    mkdirSync(dir);
    return;
  }
  if (stat.isDirectory()) return;
  if (!stat.isSymbolicLink()) refuse(`refusing to unpack it: ${what} is in the way (it is a file, not a directory)`);
  let real: string;
  try {
    real = realpathSync(dir);
  } catch {
    return refuse(`refusing to unpack it: ${what} is a symbolic link to ${readlinkSync(dir)}, which does not exist`);
  }
  if (!inside(root, real)) refuse(`refusing to unpack it: ${what} is a symbolic link to ${real}, outside ${root}`);
  if (!statSync(real).isDirectory()) refuse(`refusing to unpack it: ${what} is a symbolic link to ${real}, which is not a directory`);
}

/** Writes a file member: what is at its path (a file, a symbolic link) is removed first, so a link is never written through. */
function writeMember(target: string, entry: TarEntry, root: string, refuse: (problem: string) => never): void {
  let existing;
  try {
    existing = lstatSync(target);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== "ENOENT") throw e;
  }
  if (existing?.isDirectory()) refuse(`refusing to unpack it: ${relative(root, target)} is a directory in the destination`);
  if (existing !== undefined) unlinkSync(target);
  // "wx": created here, never opened through whatever appeared at the path since. No set-id bits.
  writeFileSync(target, entry.data, { mode: entry.mode & 0o777, flag: "wx" });
}

/** The command: `--additional-distribution X --dest-dir D -- <command...>`; returns the command's exit code. */
export async function fastExecuteMain(argv: readonly string[]): Promise<number> {
  const dashes = argv.indexOf("--");
  const options = dashes < 0 ? argv : argv.slice(0, dashes);
  const command = dashes < 0 ? [] : argv.slice(dashes + 1);
  let distribution: string | undefined;
  let destDir: string | undefined;
  for (let i = 0; i < options.length; i++) {
    if (options[i] === "--additional-distribution") distribution = options[++i];
    else if (options[i] === "--dest-dir") destDir = options[++i];
    else {
      console.error(`flytekit-ts-fast-execute: unknown option ${options[i]}`);
      return 2;
    }
  }
  if (distribution === undefined || command.length === 0) {
    console.error("flytekit-ts-fast-execute: --additional-distribution X [--dest-dir D] -- <command...>");
    return 2;
  }
  const dest = destDir === undefined || destDir === "{{ .dest_dir }}" ? process.cwd() : resolve(destDir);
  mkdirSync(dest, { recursive: true });
  // The tarball is needed only until it is unpacked; the directory goes when the process exits.
  const local = join(makeTempDir("fast"), "code.tar.gz");
  try {
    // A missing or denied archive, or a store that cannot be reached, is a StorageError naming the uri.
    await containerServices().storage.download(distribution, local);
    unpack(readFileSync(local), dest, distribution);
  } catch (e) {
    if (!(e instanceof FlyteError)) throw e;
    console.error(`flytekit-ts-fast-execute: ${e.message}`);
    return 1;
  }

  const args = [...command];
  const at = args.indexOf("--resolver");
  args.splice(at < 0 ? args.length : at, 0, "--dynamic-addl-distro", distribution, "--dynamic-dest-dir", dest);
  // Our own entrypoint runs with this Node, whether or not it is on PATH.
  const [program, ...rest] =
    args[0] === EXECUTE_COMMAND ? [process.execPath, fileURLToPath(new URL("../../bin/flytekit-ts-execute.js", import.meta.url)), ...args.slice(1)] : args;
  return new Promise<number>((done) => {
    const child = spawn(program!, rest, { cwd: dest, stdio: "inherit" });
    const forward = () => child.kill("SIGTERM");
    process.on("SIGTERM", forward);
    child.on("exit", (code, signal) => {
      process.off("SIGTERM", forward);
      done(code ?? (signal === null ? 1 : 128 + 15));
    });
    child.on("error", (e) => {
      console.error(`flytekit-ts-fast-execute: could not start ${program}: ${e.message}`);
      done(127);
    });
  });
}
