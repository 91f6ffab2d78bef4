// The `flytekit-ts` command: build a project's modules with their manifests, serialize and package
// tasks for registration, run one locally.
import { existsSync, mkdirSync, mkdtempSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import { basename, dirname, join, resolve } from "node:path";
import { FlyteError, ImageConfig, ReferenceTask, SerializationSettings, VERSION } from "@flytekit-ts/core";
import { gzip, ImageError, manifestPathOf, tar } from "@flytekit-ts/core/internal";
import { create, toJsonText } from "@flytekit-ts/core/idl";
import { TaskSpecSchema, taskSpecToBinary, toTaskSpec } from "@flytekit-ts/core/registration";
import { CliError, discover, type DiscoveredTask } from "./discover.js";
import { fastPackage } from "./fast-package.js";
import { run, type Console } from "./run.js";
import { COMMAND_NAMES, COMMAND_USAGE, UsageError, USAGE, type CommandName } from "./usage.js";
import { checkEnvName, checkIdentifier, checkImage, checkVersion } from "./validate.js";

interface Options {
  positional: string[];
  flags: Map<string, string[]>;
  switches: Set<string>;
}

const SETTINGS_FLAGS = ["--project", "--domain", "--version", "--image", "--env", "--distribution", "--dest-dir"];
const COMMANDS: Record<"serialize" | "package", { flags: readonly string[]; switches: readonly string[] }> = {
  serialize: { flags: ["--out", ...SETTINGS_FLAGS], switches: ["--json", "--fast"] },
  package: { flags: ["--output", "--source", ...SETTINGS_FLAGS], switches: ["--fast", "-f", "--force"] },
};

/** A command's options; an option it does not know is an error that lists the ones it does. */
function parseOptions(command: "serialize" | "package", argv: readonly string[]): Options {
  const known = COMMANDS[command]!;
  const positional: string[] = [];
  const flags = new Map<string, string[]>();
  const switches = new Set<string>();
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (known.switches.includes(a)) switches.add(a);
    else if (a.startsWith("-")) {
      const eq = a.indexOf("=");
      const name = eq >= 0 ? a.slice(0, eq) : a;
      if (!known.flags.includes(name)) {
        throw new UsageError(command, { subject: command, problem: `unknown option ${name}`, fix: `its options are ${[...known.flags, ...known.switches].join(", ")}` });
      }
      const value = eq >= 0 ? a.slice(eq + 1) : argv[++i];
      if (value === undefined) throw new UsageError(command, { subject: name, expected: "a value", got: "nothing" });
      flags.set(name, [...(flags.get(name) ?? []), value]);
    } else positional.push(a);
  }
  return { positional, flags, switches };
}

function one(options: Options, name: string, fallback = ""): string {
  const values = options.flags.get(name) ?? [];
  if (values.length > 1) throw new CliError({ subject: name, problem: "it is given more than once" });
  return values[0] ?? fallback;
}

function imagesFrom(values: readonly string[]): ImageConfig {
  try {
    return ImageConfig.fromFlags(values);
  } catch (e) {
    if (e instanceof ImageError) throw new CliError({ subject: `--image ${values.join(" --image ")}`, problem: e.problem, fix: e.fix }, { cause: e });
    throw e;
  }
}

function settingsFrom(options: Options, fastDestination?: string): SerializationSettings {
  const env: Record<string, string> = {};
  for (const kv of options.flags.get("--env") ?? []) {
    const eq = kv.indexOf("=");
    if (eq <= 0) throw new CliError({ subject: "--env", expected: "KEY=VALUE", got: JSON.stringify(kv) });
    env[checkEnvName(kv.slice(0, eq), kv)] = kv.slice(eq + 1);
  }
  return new SerializationSettings({
    project: checkIdentifier("--project", one(options, "--project")),
    domain: checkIdentifier("--domain", one(options, "--domain")),
    version: checkVersion(one(options, "--version")),
    imageConfig: imagesFrom((options.flags.get("--image") ?? []).map(checkImage)),
    env: Object.keys(env).length === 0 ? undefined : env,
    fastSerialization: options.switches.has("--fast")
      ? { enabled: true, distribution: options.flags.get("--distribution")?.[0], destinationDir: options.flags.get("--dest-dir")?.[0] ?? fastDestination }
      : undefined,
  });
}

/** pyflyte's file index width, computed as it does (ceil(log(n, 10)): 10 files get one digit, 11 get two). */
export function indexWidth(count: number): number {
  return count === 0 ? 0 : Math.ceil(Math.log(count) / Math.log(10));
}

/** Names each reference task on stderr: registered elsewhere, it has no file of its own here. */
function tellSkipped(found: readonly DiscoveredTask[], err: (line: string) => void): void {
  for (const d of found) {
    if (d.task instanceof ReferenceTask) err(`Skipped reference task '${d.task.name}' (${d.attributePath} in ${d.file}): it is registered elsewhere, and referred to by its id`);
  }
}

/** Every registrable task as its TaskSpec file (reference tasks are registered elsewhere). */
export function taskSpecFiles(found: readonly DiscoveredTask[], settings: SerializationSettings, json: boolean): { name: string; data: Uint8Array; label: string }[] {
  const registrable = found.filter((d) => !(d.task instanceof ReferenceTask));
  const width = indexWidth(registrable.length);
  return registrable.flatMap((d, i) => {
    let spec;
    try {
      spec = toTaskSpec(d.task, settings);
    } catch (e) {
      const fields = e instanceof FlyteError ? e.fields : { problem: e instanceof Error ? e.message : String(e) };
      throw new CliError({ ...fields, task: d.task.name, fix: [fields.fix, `(${d.attributePath} in ${d.file})`].filter((f) => f !== undefined).join(" ") }, { cause: e });
    }
    const stem = `${String(i).padStart(width, "0")}_${d.task.name}_1`;
    const files = [{ name: `${stem}.pb`, data: taskSpecToBinary(spec), label: d.task.name }];
    if (json) files.push({ name: `${stem}.json`, data: Buffer.from(`${toJsonText(TaskSpecSchema, create(TaskSpecSchema, spec), 2)}\n`), label: d.task.name });
    return files;
  });
}

/** Writes files into DIR all at once: into a temporary directory first, then moved in. */
function writeAll(dir: string, files: readonly { name: string; data: Uint8Array }[]): void {
  const target = resolve(dir);
  mkdirSync(dirname(target), { recursive: true });
  const staging = mkdtempSync(join(dirname(target), `.${basename(target)}.staging-`));
  try {
    for (const f of files) writeFileSync(join(staging, f.name), f.data);
    if (!existsSync(target)) {
      renameSync(staging, target);
      return;
    }
    if (!statSync(target).isDirectory()) throw new CliError({ subject: dir, problem: "it exists and is not a directory" });
    for (const f of readdirSync(staging)) renameSync(join(staging, f), join(target, f));
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
}

async function serialize(argv: readonly string[], { out, err }: Console): Promise<void> {
  const options = parseOptions("serialize", argv);
  const dir = one(options, "--out");
  if (dir === "") throw new UsageError("serialize", { subject: "serialize", problem: "--out DIR is required" });
  if (options.positional.length === 0) throw new UsageError("serialize", { subject: "serialize", problem: "no module given", fix: "name at least one module" });
  const settings = settingsFrom(options);
  const found = await discover(options.positional);
  const files = taskSpecFiles(found, settings, options.switches.has("--json"));
  tellSkipped(found, err);
  if (files.length === 0) {
    // As pyflyte: a warning, nothing written, and not a failure.
    out(`No flyte objects found in ${options.positional.join(", ")}`);
    return;
  }
  writeAll(dir, files);
  out(`Successfully serialized ${files.filter((f) => f.name.endsWith(".pb")).length} flyte entities into ${dir}`);
  for (const f of files) out(`  ${f.label} -> ${f.name}`);
}

async function packageCommand(argv: readonly string[], { out, err }: Console): Promise<void> {
  const options = parseOptions("package", argv);
  const output = resolve(one(options, "--output", "flyte-package.tgz"));
  if (options.positional.length === 0) throw new UsageError("package", { subject: "package", problem: "no module given", fix: "name at least one module" });
  if (existsSync(output) && !options.switches.has("-f") && !options.switches.has("--force")) {
    throw new CliError({ subject: output, problem: "it already exists", fix: "pass -f to overwrite it" });
  }
  const fast = options.switches.has("--fast");
  // pyflyte package's in-container source path: where the image has the code (COPY . /root).
  const settings = settingsFrom(options, "/root");
  const found = await discover(options.positional);
  const files: { name: string; data: Uint8Array; label: string }[] = taskSpecFiles(found, settings, false);
  tellSkipped(found, err);
  if (files.length === 0) {
    // As pyflyte: a warning, no archive, and not a failure.
    out(`No flyte objects found in ${options.positional.join(", ")}`);
    return;
  }
  const specs = files.length;
  out(`Successfully serialized ${specs} flyte entities`);
  for (const f of files) out(`  Packaging ${f.label} -> ${f.name}`);
  if (fast) {
    // The code travels in the archive too; flytectl uploads it and fills in {{ .remote_package_path }}.
    const source = one(options, "--source", ".");
    // The container reads a TypeScript source's task types from the manifest beside it, made here
    // by the analysis that typed them for serialization: it never needs the compiler's checker.
    const manifests = new Map<string, Uint8Array>();
    if (options.positional.some((m) => /\.[cm]?tsx?$/.test(m))) {
      const { analysedSources, manifestText } = await import("./manifests.js");
      for (const [file, manifest] of analysedSources()) manifests.set(manifestPathOf(file), Buffer.from(manifestText(manifest)));
    }
    const code = fastPackage(source, [output], Date.now(), manifests);
    files.push({ name: code.name, data: code.data, label: `${code.files.length} files of ${resolve(source)}` });
    out(`Fast mode enabled: compressed archive ${code.name} (${code.files.length} files)`);
  }
  const now = Date.now();
  const archive = gzip(tar(files, now), basename(output), now);
  const staging = `${output}.${process.pid}.tmp`;
  writeFileSync(staging, archive);
  renameSync(staging, output);
  out(`Successfully packaged ${specs} flyte objects into ${output}`);
}

/** Runs the command; returns its exit code. */
export async function main(argv: readonly string[], out: (line: string) => void = (l) => console.log(l), err: (line: string) => void = (l) => console.error(l)): Promise<number> {
  const [command, ...rest] = argv;
  const io: Console = { out, err };
  const wantsHelp = rest.includes("--help") || rest.includes("-h");
  try {
    switch (command) {
      case "serialize":
      case "package":
        if (wantsHelp) {
          out(COMMAND_USAGE[command]);
          return 0;
        }
        await (command === "serialize" ? serialize : packageCommand)(rest, io);
        return 0;
      case "run":
        return await run(rest, io);
      case "build":
        // The compiler and the analysis load only for a build.
        return await (await import("./build.js")).build(rest, io);
      case undefined:
        out(USAGE);
        return 2;
      case "--help":
      case "-h":
        out(USAGE);
        return 0;
      case "help": {
        const topic = rest[0];
        if (topic === undefined) out(USAGE);
        else if ((COMMAND_NAMES as readonly string[]).includes(topic)) out(COMMAND_USAGE[topic as CommandName]);
        else throw new UsageError(undefined, { subject: "help", problem: `unknown command ${JSON.stringify(topic)}`, fix: `the commands are ${COMMAND_NAMES.join(", ")}` });
        return 0;
      }
      case "--version":
        out(VERSION);
        return 0;
      default:
        throw new UsageError(undefined, {
          problem: command.startsWith("-") ? `unknown option ${command}` : `unknown command ${JSON.stringify(command)}`,
          fix: `the commands are ${COMMAND_NAMES.join(", ")}`,
        });
    }
  } catch (e) {
    if (e instanceof UsageError) {
      err(`flytekit-ts: ${e.message}`);
      err(e.hint);
      return 2;
    }
    if (e instanceof CliError) {
      err(`flytekit-ts: ${e.message}`);
      return 1;
    }
    throw e;
  }
}

export { parseFlag, readFlags } from "./flags.js";

/**
 * Analyses TypeScript sources as `run`, `serialize` and `package` do before importing them, which
 * fills the analysis' disk cache: the test run warms it once, in one program, for the modules its
 * CLI runs use (test/support/global-setup.ts).
 */
export async function analyseSources(files: readonly string[]): Promise<void> {
  (await import("./manifests.js")).analyseSources(files);
}
