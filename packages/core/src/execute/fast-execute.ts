// flytekit-ts-fast-execute: fast registration's first step in the container (flytekit's
// pyflyte-fast-execute). It fetches the code tarball, unpacks it into the destination directory,
// and runs the task's command there, telling it where the code came from.
import { spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, isAbsolute, join, normalize, resolve, sep } from "node:path";
import { fileURLToPath } from "node:url";
import { gunzip, untar } from "../archive/tar.js";
import { containerServices } from "../context/services.js";
import { FlyteError } from "../errors/flyte-error.js";
import { EXECUTE_COMMAND } from "../serialize/entrypoint-args.js";

/**
 * Unpacks a .tar.gz (or .tar) into a directory; refuses entries that would land outside it. The
 * whole archive is read and checked before anything is written. `name` names the archive in errors.
 */
export function unpack(archive: Buffer, dest: string, name?: string): void {
  const tarBytes = archive[0] === 0x1f && archive[1] === 0x8b ? gunzip(archive, name) : archive;
  const root = resolve(dest);
  for (const entry of untar(tarBytes, name)) {
    const target = resolve(root, normalize(entry.path));
    if (isAbsolute(entry.path) || (target !== root && !target.startsWith(root + sep))) {
      throw new FlyteError({ subject: `${name === undefined ? "archive" : `archive ${name}`}, member '${entry.path}'`, problem: `refusing to unpack it: it is outside ${root}` });
    }
    if (entry.type === "directory") mkdirSync(target, { recursive: true });
    else {
      mkdirSync(dirname(target), { recursive: true });
      writeFileSync(target, entry.data, { mode: entry.mode });
    }
  }
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
  const local = join(mkdtempSync(join(tmpdir(), "flytekit-ts-fast-")), "code.tar.gz");
  await containerServices().storage.download(distribution, local);
  try {
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
