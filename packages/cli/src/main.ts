// The `flytekit-ts` command: serialize and package tasks for registration, run one locally.
import { existsSync, mkdirSync, mkdtempSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import { basename, dirname, join, resolve } from "node:path";
import { inspect } from "node:util";
import { FlyteError, ImageConfig, ReferenceTask, SerializationSettings, VERSION } from "@flytekit-ts/core";
import { gzip, ImageError, isUserError, tar } from "@flytekit-ts/core/internal";
import { create, toJsonText } from "@flytekit-ts/core/idl";
import { TaskSpecSchema, taskSpecToBinary, toTaskSpec } from "@flytekit-ts/core/registration";
import { CliError, discover, type DiscoveredTask } from "./discover.js";
import { readFlags } from "./flags.js";
import { fastPackage } from "./fast-package.js";
import { checkEnvName, checkIdentifier, checkImage, checkVersion } from "./validate.js";

const USAGE = `flytekit-ts ${VERSION}

Usage:
  flytekit-ts serialize --out DIR [options] MODULES...   write one flyteidl.admin.TaskSpec file per task
  flytekit-ts package [--output FILE] [-f] [options] MODULES...
                                                        the same files in a flyte-package.tgz for flytectl register files
  flytekit-ts run FILE TASK [--input value ...]          run one task locally; TASK --help lists its inputs

Options:
  --project P --domain D --version V    where the tasks are registered (default: empty, as pyflyte package)
  --image IMAGE | --image NAME=IMAGE    the default image, and named ones for {{.images.NAME.fqn}} templates
  --env KEY=VALUE                       an environment variable for every task's container
  --json                                (serialize) a readable .json beside each .pb
  --fast [--distribution URI] [--dest-dir DIR]
                                        fast registration: the container unpacks the code first; package adds
                                        the code (--source DIR, default .; .git, node_modules and .flyteignore
                                        patterns left out) and defaults --dest-dir to /root, as pyflyte package
Modules are TypeScript sources (compiled by the SDK's own TypeScript under the project's tsconfig.json) or compiled JavaScript.`;

interface Options {
  positional: string[];
  flags: Map<string, string[]>;
  switches: Set<string>;
}

const SETTINGS_FLAGS = ["--project", "--domain", "--version", "--image", "--env", "--distribution", "--dest-dir"];
const COMMANDS: Record<string, { flags: readonly string[]; switches: readonly string[] }> = {
  serialize: { flags: ["--out", ...SETTINGS_FLAGS], switches: ["--json", "--fast"] },
  package: { flags: ["--output", "--source", ...SETTINGS_FLAGS], switches: ["--fast", "-f", "--force"] },
};

/** A command's options; an option it does not know is an error that lists the ones it does. */
function parseOptions(command: string, argv: readonly string[]): Options {
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
        throw new CliError({ subject: command, problem: `unknown option ${name}`, fix: `its options are ${[...known.flags, ...known.switches].join(", ")}` });
      }
      const value = eq >= 0 ? a.slice(eq + 1) : argv[++i];
      if (value === undefined) throw new CliError({ subject: name, expected: "a value", got: "nothing" });
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

async function serialize(argv: readonly string[], out: (line: string) => void): Promise<void> {
  const options = parseOptions("serialize", argv);
  const dir = one(options, "--out");
  if (dir === "") throw new CliError({ subject: "serialize", problem: "--out DIR is required" });
  if (options.positional.length === 0) throw new CliError({ subject: "serialize", problem: "no module given", fix: "name at least one module" });
  const settings = settingsFrom(options);
  const found = await discover(options.positional);
  const files = taskSpecFiles(found, settings, options.switches.has("--json"));
  if (files.length === 0) {
    // As pyflyte: a warning, nothing written, and not a failure.
    out(`No flyte objects found in ${options.positional.join(", ")}`);
    return;
  }
  writeAll(dir, files);
  out(`Successfully serialized ${files.filter((f) => f.name.endsWith(".pb")).length} flyte entities into ${dir}`);
  for (const f of files) out(`  ${f.label} -> ${f.name}`);
}

async function packageCommand(argv: readonly string[], out: (line: string) => void): Promise<void> {
  const options = parseOptions("package", argv);
  const output = resolve(one(options, "--output", "flyte-package.tgz"));
  if (options.positional.length === 0) throw new CliError({ subject: "package", problem: "no module given", fix: "name at least one module" });
  if (existsSync(output) && !options.switches.has("-f") && !options.switches.has("--force")) {
    throw new CliError({ subject: output, problem: "it already exists", fix: "pass -f to overwrite it" });
  }
  const fast = options.switches.has("--fast");
  // pyflyte package's in-container source path: where the image has the code (COPY . /root).
  const settings = settingsFrom(options, "/root");
  const found = await discover(options.positional);
  const files: { name: string; data: Uint8Array; label: string }[] = taskSpecFiles(found, settings, false);
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
    const code = fastPackage(source, [output]);
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

function show(value: unknown): string {
  return inspect(value, { depth: null, colors: false, breakLength: 100 });
}

async function run(argv: readonly string[], out: (line: string) => void): Promise<void> {
  const [file, taskName, ...rest] = argv;
  if (file === undefined || taskName === undefined || file.startsWith("-")) throw new CliError({ subject: "run", problem: "it needs a file and a task", fix: "flytekit-ts run FILE TASK [--input value ...]" });
  const found = await discover([file]);
  const d = found.find((t) => t.attributePath === taskName || t.task.name === taskName);
  if (d === undefined) {
    throw new CliError({ subject: file, problem: `it has no task ${taskName} (tasks: ${found.map((t) => t.attributePath).join(", ") || "none"})` });
  }
  const { task } = d;
  if (rest.includes("--help") || rest.includes("-h")) {
    out(`Usage: flytekit-ts run ${file} ${taskName} ${task.interface.inputs.map((v) => (v.optional ? `[--${v.name} ${v.type.name}]` : `--${v.name} ${v.type.name}`)).join(" ")}`);
    out("");
    out(`${task.name}${task.settings.docs.short === undefined ? "" : `: ${task.settings.docs.short}`}`);
    out("");
    out("Inputs:");
    for (const v of task.interface.inputs) {
      const dflt = v.hasDefaultValue
        ? ` (default: ${show(v.defaultValue)})`
        : v.parameterDefaultText !== undefined
          ? ` (default: ${v.parameterDefaultText})`
          : v.optional
            ? " (optional)"
            : "";
      out(`  --${v.name} ${v.type.name}  ${v.type.textHint}${dflt}${v.description !== v.name ? `  ${v.description}` : ""}`);
    }
    out("Outputs:");
    for (const v of task.interface.outputs) out(`  ${v.name}: ${v.type.name}`);
    return;
  }
  const inputs = readFlags(task.interface.inputs, rest, task.name);
  let result: unknown;
  try {
    result = await task.invoke(inputs);
  } catch (e) {
    // flytekit-ts's own errors say where and what; the task's own error is shown with its class.
    if (e instanceof FlyteError && !isUserError(e)) throw new CliError(e.fields, { cause: e });
    throw new CliError({ problem: e instanceof Error ? `${e.name}: ${e.message}` : String(e) }, { cause: e });
  }
  const outputs = task.interface.outputs;
  if (outputs.length === 0) out("(no outputs)");
  else if (task.interface.returnsBareValue) out(`o0: ${outputs[0]!.type.toText(result)}`);
  else for (const v of outputs) out(`${v.name}: ${v.type.toText((result as Record<string, unknown>)[v.name])}`);
}

/** Runs the command; returns its exit code. */
export async function main(argv: readonly string[], out: (line: string) => void = (l) => console.log(l), err: (line: string) => void = (l) => console.error(l)): Promise<number> {
  const [command, ...rest] = argv;
  try {
    switch (command) {
      case "serialize":
        await serialize(rest, out);
        return 0;
      case "package":
        await packageCommand(rest, out);
        return 0;
      case "run":
        await run(rest, out);
        return 0;
      case undefined:
      case "--help":
      case "-h":
      case "help":
        out(USAGE);
        return command === undefined ? 2 : 0;
      case "--version":
        out(VERSION);
        return 0;
      default:
        err(`flytekit-ts: unknown command ${JSON.stringify(command)}\n\n${USAGE}`);
        return 2;
    }
  } catch (e) {
    if (e instanceof CliError) {
      err(`flytekit-ts: ${e.message}`);
      return 1;
    }
    throw e;
  }
}

export { parseFlag, readFlags } from "./flags.js";
