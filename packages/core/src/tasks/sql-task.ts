// SQL tasks (flytekit's base_sql_task.py): a query template whose `{{ .inputs.name }}` placeholders
// are filled with the task's inputs. Query tasks that a Flyte backend plugin runs (BigQuery,
// Snowflake, Athena) extend SQLTask; tasks that run their query in a container of their own
// (SQLite3Task) use the same template rules.
import type { JsonObject } from "@bufbuild/protobuf";
import type { TaskExecutionContext } from "../context/context.js";
import type { Container, Sql } from "../idl/gen/flyteidl/core/tasks_pb.js";
import { SimpleType } from "../idl/gen/flyteidl/core/types_pb.js";
import { Interface } from "../interface/interface.js";
import { inputsOf, outputsOf, type InputsSpec, type OutputsSpec } from "./infer.js";
import type { SerializationSettings } from "../serialize/settings.js";
import { FlyteDirectory, FlyteFile } from "../types/blob.js";
import { DictType, ListType } from "../types/collections.js";
import { RecordType } from "../types/record.js";
import { isoformatUtc } from "../types/time.js";
import type { AnyFlyteType } from "../types/type.js";
import { UnionType } from "../types/union.js";
import { NotRunnableLocallyError, TaskDefinitionError } from "./errors.js";
import { checkOptionNames, compileTaskOptions, optionNamesIn, type OptionGroup, type TaskOptions, type TaskOptionsIn } from "./options.js";
import { Task } from "./task.js";

/** What Python's `\s` and `str.strip()` take for whitespace (JavaScript's `\s` differs a little). */
const PY_WS = "\\t\\n\\v\\f\\r\\x1c-\\x1f \\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000";

/** flytekit's placeholder pattern, `({{\s*.inputs.(\w+)\s*}})` case-insensitive: its `.`s are any character but a newline. */
const INPUT_PATTERN = new RegExp(`(\\{\\{[${PY_WS}]*[^\\n]inputs[^\\n]([\\p{L}\\p{N}_]+)[${PY_WS}]*\\}\\})`, "giu");
const WS_RUN = new RegExp(`[${PY_WS}]+`, "gu");
const WS_EDGES = new RegExp(`^[${PY_WS}]+|[${PY_WS}]+$`, "gu");

/** A query template as flytekit keeps it: newlines and tabs become spaces, runs of whitespace one space, trimmed. */
export function normalizeQueryTemplate(template: string, where: { task?: string; subject?: string } = {}): string {
  if (typeof template !== "string") throw new TaskDefinitionError({ ...where, expected: "a query template (a string)", got: typeof template === "undefined" ? "nothing" : (JSON.stringify(template) ?? String(template)) });
  return template.replace(/[\n\t]/g, " ").replace(WS_RUN, " ").replace(WS_EDGES, "");
}

/** A float as Python's repr writes it: the shortest round-trip digits, `2.0`, `1e+16`, `1e-05`. */
export function pythonFloat(x: number): string {
  if (Number.isNaN(x)) return "nan";
  if (!Number.isFinite(x)) return x > 0 ? "inf" : "-inf";
  if (x === 0) return Object.is(x, -0) ? "-0.0" : "0.0";
  const [mantissa, exponent] = x.toExponential().split("e") as [string, string];
  const exp = Number(exponent);
  const digits = mantissa.replace("-", "").replace(".", "");
  const sign = x < 0 ? "-" : "";
  if (exp < -4 || exp >= 16) {
    const m = digits.length > 1 ? `${digits[0]}.${digits.slice(1)}` : digits;
    return `${sign}${m}e${exp < 0 ? "-" : "+"}${String(Math.abs(exp)).padStart(2, "0")}`;
  }
  if (exp >= 0) return `${sign}${digits.slice(0, exp + 1).padEnd(exp + 1, "0")}.${digits.slice(exp + 1) || "0"}`;
  return `${sign}0.${"0".repeat(-exp - 1)}${digits}`;
}

/** A duration as Python's str(timedelta) writes it: `0:01:30`, `2 days, 0:00:05.000007`, `-1 day, 23:59:59`. */
function pythonTimedelta(d: { seconds: number | bigint; nanos?: number }): string {
  const total = BigInt(d.seconds) * 1_000_000n + BigInt(Math.trunc((d.nanos ?? 0) / 1000));
  const day = 86_400_000_000n;
  let days = total / day;
  let rest = total % day;
  if (rest < 0n) {
    rest += day;
    days -= 1n;
  }
  const h = rest / 3_600_000_000n;
  const m = (rest % 3_600_000_000n) / 60_000_000n;
  const s = (rest % 60_000_000n) / 1_000_000n;
  const us = rest % 1_000_000n;
  const clock = `${h}:${String(m).padStart(2, "0")}:${String(s).padStart(2, "0")}${us === 0n ? "" : `.${String(us).padStart(6, "0")}`}`;
  return days === 0n ? clock : `${days} day${days === 1n || days === -1n ? "" : "s"}, ${clock}`;
}

/** A string as Python's repr writes it: `'x'`, or `"it's"`. */
function pyRepr(s: string): string {
  return s.includes("'") && !s.includes('"') ? `"${s}"` : `'${s.replace(/\\/g, "\\\\").replace(/'/g, "\\'")}'`;
}

/** Whether a number of this type is a Python float (Float, or a union such as Optional(Float) holding one). */
function isFloatType(type: AnyFlyteType | undefined): boolean {
  if (type === undefined) return false;
  if (isSimple(type, SimpleType.FLOAT)) return true;
  return type instanceof UnionType && type.variants.some((v) => isSimple(v, SimpleType.FLOAT)) && !type.variants.some((v) => isSimple(v, SimpleType.INTEGER));
}

function isSimple(type: AnyFlyteType, simple: SimpleType): boolean {
  const t = type.literalType.type;
  return t.case === "simple" && t.value === simple;
}

/** Inside a container Python writes repr(): strings quoted. */
function pythonRepr(value: unknown, type: AnyFlyteType | undefined): string {
  return typeof value === "string" ? pyRepr(value) : pythonStr(value, type);
}

/**
 * A value as Python's `str()` writes it, which is how flytekit fills a query template: `True`,
 * `None`, `2.0` for a float, `2024-01-02 03:04:05.678000+00:00`, `0:01:30`, `[1, 2]`, `{'a': 1}`,
 * `Point(x=1, y=2.5)`, a file's path. `type` (the input's declared type) tells floats from ints.
 */
export function pythonStr(value: unknown, type?: AnyFlyteType): string {
  if (value === null || value === undefined) return "None";
  if (typeof value === "boolean") return value ? "True" : "False";
  if (typeof value === "number") return isFloatType(type) || !Number.isInteger(value) ? pythonFloat(value) : String(value);
  if (typeof value === "bigint") return value.toString();
  if (typeof value === "string") return value;
  if (value instanceof Date) return isoformatUtc(value).replace("T", " ");
  if (value instanceof FlyteFile || value instanceof FlyteDirectory) return value.path;
  if (Array.isArray(value)) {
    const element = type instanceof ListType ? (type.element as AnyFlyteType) : undefined;
    return `[${value.map((v) => pythonRepr(v, element)).join(", ")}]`;
  }
  if (typeof value === "object" && "seconds" in value && Object.keys(value).every((k) => k === "seconds" || k === "nanos")) {
    return pythonTimedelta(value as { seconds: number | bigint; nanos?: number });
  }
  if (typeof value === "object") {
    const proto = Object.getPrototypeOf(value) as { constructor?: { name?: string } } | null;
    const entries = value instanceof Map ? [...(value as Map<string, unknown>).entries()] : Object.entries(value);
    if (proto === Object.prototype || proto === null || value instanceof Map) {
      const inner = type instanceof DictType ? (type.value as AnyFlyteType) : undefined;
      return `{${entries.map(([k, v]) => `${pyRepr(k)}: ${pythonRepr(v, inner)}`).join(", ")}}`;
    }
    // A record, as a dataclass's repr: `Point(x=1, y=2.5)`.
    // Fields by their Flyte names, as the dataclass names them.
    const fields = new Map(type instanceof RecordType ? type.fields.map((f) => [f.property, f]) : []);
    return `${proto.constructor?.name ?? "object"}(${entries.map(([k, v]) => `${fields.get(k)?.name ?? k}=${pythonRepr(v, fields.get(k)?.type)}`).join(", ")})`;
  }
  return String(value);
}

/**
 * Fills a query template with inputs, with flytekit's rules: every placeholder must name an input,
 * and every input must be used. `types` (the inputs' declared types) writes floats as Python does.
 */
export function interpolateQuery(template: string, inputs: Readonly<Record<string, unknown>>, types: Readonly<Record<string, AnyFlyteType>> = {}): string {
  let query = template;
  const matched = new Set<string>();
  for (const m of template.matchAll(INPUT_PATTERN)) {
    const [, expr, name] = m as unknown as [string, string, string];
    if (!Object.hasOwn(inputs, name)) {
      throw new TaskDefinitionError({ subject: "the query", problem: `Variable ${name} in Query (part of ${expr}) not found in inputs dict_keys([${Object.keys(inputs).map(pyRepr).join(", ")}])` });
    }
    matched.add(name);
    query = query.split(expr).join(pythonStr(inputs[name], types[name]));
  }
  const extra = Object.keys(inputs).filter((k) => !matched.has(k));
  if (extra.length > 0) throw new TaskDefinitionError({ subject: "the query", problem: `Extra Inputs have no matches in query template - missing {${extra.map(pyRepr).join(", ")}}` });
  return query;
}

/** The names a query template's placeholders use, in order (each once). */
export function queryPlaceholders(template: string): string[] {
  return [...new Set([...template.matchAll(INPUT_PATTERN)].map((m) => m[2]!))];
}

/** The task options a query task takes: no container, so none of its image, resources, pod or decks. */
const SQL_TASK_GROUPS = ["cache", "run", "metadata", "docs", "secrets"] as const satisfies readonly OptionGroup[];
type SqlTaskGroup = (typeof SQL_TASK_GROUPS)[number];
const SQL_TASK_OPTIONS = optionNamesIn(SQL_TASK_GROUPS);

/** What a query task takes: its query, its config, its interface, and the task options that apply. */
export interface SQLTaskInit<Config> extends TaskOptionsIn<SqlTaskGroup> {
  name: string;
  /** The query; `{{ .inputs.name }}` placeholders are filled with the inputs (flytekit's rules). */
  queryTemplate: string;
  taskConfig: Config;
  /** The inputs, by name. @default none */
  inputs?: InputsSpec;
  /** The outputs. @default none */
  outputs?: OutputsSpec;
}

const SQL_INIT_NAMES = ["name", "queryTemplate", "taskConfig", "inputs", "outputs", ...SQL_TASK_OPTIONS];

/**
 * A query that a Flyte backend plugin runs (flytekit's SQLTask as its query plugins use it): no
 * container, the statement in the template's `sql` target and the config in `custom`. It cannot
 * run without its service: a local call says so, and how to mock it.
 */
export abstract class SQLTask<Config> extends Task {
  abstract override readonly taskType: string;
  readonly queryTemplate: string;
  readonly taskConfig: Config;

  constructor(init: SQLTaskInit<Config>, extraOptionNames: readonly string[] = []) {
    const name = init?.name;
    if (typeof name !== "string" || name === "") throw new TaskDefinitionError({ subject: new.target.name, expected: "a name", got: JSON.stringify(name) ?? String(name) });
    checkOptionNames(name, init, [...SQL_INIT_NAMES, ...extraOptionNames]);
    const docs = typeof init.docs === "string" ? { short: init.docs } : init.docs;
    const inputs = inputsOf(name, init.inputs ?? {}, docs);
    const outputs = init.outputs === undefined ? [] : outputsOf(name, init.outputs, docs);
    const options: Record<string, unknown> = {};
    for (const key of SQL_TASK_OPTIONS) if ((init as unknown as Record<string, unknown>)[key] !== undefined) options[key] = (init as unknown as Record<string, unknown>)[key];
    const settings = compileTaskOptions(name, options as TaskOptions, { inputNames: inputs.map((v) => v.name) });
    super({ name, interface: new Interface(inputs, outputs), settings });
    this.queryTemplate = normalizeQueryTemplate(init.queryTemplate, { task: name });
    this.taskConfig = init.taskConfig;
  }

  /** The query with the inputs filled in (what the backend plugin does in Flyte). */
  getQuery(inputs: Readonly<Record<string, unknown>>): string {
    return interpolateQuery(this.queryTemplate, inputs, Object.fromEntries(this.interface.inputs.map((v) => [v.name, v.type])));
  }

  /** The config for the backend plugin, in the template's `custom` (by plugin: BigQuery and Athena write one). */
  override getCustom(_settings?: SerializationSettings): JsonObject | undefined {
    return undefined;
  }

  /** The statement, in the template's `sql` target (by plugin: BigQuery and Snowflake write one). */
  override getSql(_settings: SerializationSettings): Sql | undefined {
    return undefined;
  }

  /** No container: Flyte's backend plugin runs the query. */
  override getContainer(_settings: SerializationSettings): Container | undefined {
    return undefined;
  }

  /** Not the user's code: the refusal to run is the SDK's. */
  protected override get bodyIsUserCode(): boolean {
    return false;
  }

  protected executeNative(_inputs: Record<string, unknown>, _context: TaskExecutionContext): unknown {
    throw new NotRunnableLocallyError({
      task: this.name,
      problem: `it is a ${this.taskType} query that Flyte runs with its backend plugin; it cannot run here`,
      fix: "in tests, mock it: mockTask(task).returns(...)",
    });
  }
}
