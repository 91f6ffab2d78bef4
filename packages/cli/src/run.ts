// `flytekit-ts run`: a task of a module run locally from the command line, as pyflyte run runs one.
// FILE alone lists the module's tasks; TASK --help lists the task's inputs (a record's fields too);
// --json prints the outputs as one JSON document.
import { inspect } from "node:util";
import { FlyteError, LocalCache, withServices, type Task } from "@flytekit-ts/core";
import { RecordType, UnionType, type AnyFlyteType, type InputVariable } from "@flytekit-ts/core/extend";
import { isUserError, type LogSink } from "@flytekit-ts/core/internal";
import { CliError, discover, type DiscoveredTask } from "./discover.js";
import { readFlags } from "./flags.js";
import { outputsDocument } from "./json-output.js";
import { RUN_USAGE, UsageError } from "./usage.js";

export interface Console {
  out(line: string): void;
  err(line: string): void;
}

function show(value: unknown): string {
  return inspect(value, { depth: null, colors: false, breakLength: 100 });
}

/** Runs `flytekit-ts run ARGS`; returns the exit code. */
export async function run(argv: readonly string[], io: Console): Promise<number> {
  let at = 0;
  let json = false;
  for (; at < argv.length && argv[at]!.startsWith("-"); at++) {
    const a = argv[at]!;
    if (a === "--help" || a === "-h") {
      io.out(RUN_USAGE);
      return 0;
    }
    if (a === "--json") json = true;
    else throw new UsageError("run", { subject: "run", problem: `unknown option ${a}`, fix: "its options are --json, --help" });
  }
  const file = argv[at];
  if (file === undefined) throw new UsageError("run", { subject: "run", problem: "it needs a file", fix: "flytekit-ts run FILE [TASK [--INPUT VALUE]...]" });
  const found = await discover([file]);
  // --json may come between FILE and TASK too.
  for (; argv[at + 1] === "--json"; at++) json = true;
  const taskName = argv[at + 1];
  if (taskName === undefined || taskName === "--help" || taskName === "-h") {
    listTasks(file, found, io.out);
    // As pyflyte run FILE: the list, and exit 2 (a usage error) unless it was asked for.
    return taskName === undefined ? 2 : 0;
  }
  const d = found.find((t) => t.attributePath === taskName || t.task.name === taskName);
  if (d === undefined) {
    // As pyflyte's FlyteEntityNotFoundException: exit 1.
    throw new CliError({ subject: file, problem: `it has no task ${taskName} (tasks: ${found.map((t) => t.attributePath).join(", ") || "none"})`, fix: `flytekit-ts run ${file} lists them` });
  }
  const { task } = d;
  let rest = argv.slice(at + 2);
  if (rest.includes("--json") && !task.interface.inputsByName.has("json")) {
    json = true;
    rest = rest.filter((a) => a !== "--json");
  }
  if (rest.includes("--help") || rest.includes("-h")) {
    taskHelp(file, taskName, task, io.out);
    return 0;
  }
  const inputs = readFlags(task.interface.inputs, rest, task.name);
  const result = await invoke(task, inputs, json, io.err);
  const outputs = task.interface.outputs;
  const values = outputs.map((v) => ({ name: v.name, type: v.type, value: task.interface.returnsBareValue ? result : (result as Record<string, unknown>)[v.name] }));
  if (json) io.out(outputsDocument(values));
  else if (outputs.length === 0) io.out("(no outputs)");
  else for (const v of values) io.out(`${v.name}: ${v.type.toText(v.value)}`);
  return 0;
}

/**
 * Calls the task with the services of a local call, its log lines on stderr as pyflyte's are, and a
 * result from the local cache said there (pyflyte says nothing); with --json, what the task prints
 * with console.log goes to stderr too, so that stdout is the document.
 */
async function invoke(task: Task, inputs: Record<string, unknown>, json: boolean, err: (line: string) => void): Promise<unknown> {
  const logSink: LogSink = (_level, line) => err(line);
  const localCache = new LocalCache({
    onHit: (hit) => err(`cache hit: task '${hit.task}' (version ${hit.version})${hit.dir === undefined ? "" : `, from ${hit.dir}`}; FLYTE_LOCAL_CACHE_OVERWRITE=true runs it again`),
  });
  const saved = { log: console.log, info: console.info, debug: console.debug };
  if (json) console.log = console.info = console.debug = console.error;
  try {
    return await withServices({ logSink, localCache }, () => task.invoke(inputs));
  } catch (e) {
    // flytekit-ts's own errors say where and what; the task's own error is shown with its class.
    if (e instanceof FlyteError && !isUserError(e)) throw new CliError(e.fields, { cause: e });
    throw new CliError({ problem: e instanceof Error ? `${e.name}: ${e.message}` : String(e) }, { cause: e });
  } finally {
    Object.assign(console, saved);
  }
}

function signature(task: Task): string {
  const inputs = task.interface.inputs.map((v) => `${v.name}${v.optional ? "?" : ""}: ${v.type.name}`).join(", ");
  const outputs = task.interface.outputs.map((v) => (task.interface.returnsBareValue ? v.type.name : `${v.name}: ${v.type.name}`)).join(", ");
  return `(${inputs}) -> ${outputs === "" ? "nothing" : outputs}`;
}

/** `run FILE`: the module's tasks, each with its inputs and outputs, and how to run one. */
function listTasks(file: string, found: readonly DiscoveredTask[], out: (line: string) => void): void {
  out(`Usage: flytekit-ts run ${file} TASK [--INPUT VALUE]...`);
  out("");
  if (found.length === 0) {
    out(`${file} exports no tasks.`);
    return;
  }
  out(`Tasks in ${file}:`);
  const width = Math.max(...found.map((d) => d.attributePath.length));
  for (const d of found) {
    const short = d.task.settings.docs.short;
    out(`  ${d.attributePath.padEnd(width)}  ${signature(d.task)}${short === undefined ? "" : `  ${short}`}`);
  }
  out("");
  const first = found[0]!;
  const example = first.task.interface.inputs.filter((v) => !v.optional).map((v) => ` --${v.name} VALUE`).join("");
  out(`Run one:         flytekit-ts run ${file} ${first.attributePath}${example}`);
  out(`See its inputs:  flytekit-ts run ${file} ${first.attributePath} --help`);
}

function defaultText(v: InputVariable): string {
  if (v.hasDefaultValue) return ` (default: ${show(v.defaultValue)})`;
  if (v.parameterDefaultText !== undefined) return ` (default: ${v.parameterDefaultText})`;
  return v.optional ? " (optional)" : "";
}

/** The record an input takes, also when it is Optional. */
function recordOf(type: AnyFlyteType): RecordType<unknown> | undefined {
  if (type instanceof RecordType) return type as RecordType<unknown>;
  const inner = type instanceof UnionType ? type.optionalOf : undefined;
  return inner instanceof RecordType ? (inner as RecordType<unknown>) : undefined;
}

/** A record's fields, as its JSON names them (nested records indented under their field). */
function recordFields(record: RecordType<unknown>, indent: string, out: (line: string) => void, seen: ReadonlySet<RecordType<unknown>>): void {
  for (const f of record.fields) {
    const dflt = f.hasDefault ? ` (default: ${show(f.defaultValue)})` : f.type.acceptsNone ? " (optional)" : " (required)";
    out(`${indent}${f.name}: ${f.type.name}${dflt}`);
    const inner = recordOf(f.type);
    if (inner !== undefined && !seen.has(inner)) recordFields(inner, `${indent}  `, out, new Set([...seen, inner]));
  }
}

/** `run FILE TASK --help`: the task's inputs and outputs. */
function taskHelp(file: string, taskName: string, task: Task, out: (line: string) => void): void {
  out(`Usage: flytekit-ts run ${file} ${taskName} ${task.interface.inputs.map((v) => (v.optional ? `[--${v.name} ${v.type.name}]` : `--${v.name} ${v.type.name}`)).join(" ")}`);
  out("");
  out(`${task.name}${task.settings.docs.short === undefined ? "" : `: ${task.settings.docs.short}`}`);
  out("");
  out("Inputs:");
  for (const v of task.interface.inputs) {
    out(`  --${v.name} ${v.type.name}  ${v.type.textHint}${defaultText(v)}${v.description !== v.name ? `  ${v.description}` : ""}`);
    const record = recordOf(v.type);
    if (record !== undefined) {
      out(`      a JSON object of ${record.name}'s fields (a Datetime as an ISO 8601 string, a Duration as seconds):`);
      recordFields(record, "        ", out, new Set([record]));
    }
  }
  out("Outputs:");
  for (const v of task.interface.outputs) out(`  ${v.name}: ${v.type.name}`);
}
