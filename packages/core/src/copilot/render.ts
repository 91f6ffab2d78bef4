// `{{.inputs.x}}` in a raw container task's command and arguments, rendered as Flyte's propeller
// renders it before the pod starts (flyteplugins/go/tasks/pluginmachinery/core/template/template.go):
// anywhere inside an element, case-insensitive, `$Inputs` as well as `.Inputs`; each value in Go's
// text (fmt %v); a file or directory as its URI; a list as `[a,b]`; a map, a union (an Optional), a
// none, a generic Struct: an error, as propeller fails them.
import { FlyteError, brand } from "../errors/flyte-error.js";
import type { Literal, LiteralMap, Primitive } from "../idl/gen/flyteidl/core/literals_pb.js";
import { decodeMsgpack, MSGPACK_TAG } from "../types/msgpack.js";
import { durationNanos, formatFloatG, timestampString } from "./go.js";

/**
 * Propeller's input template regex, `(?i){{\s*[\.$]Inputs\.(?P<input_name>[^}\s]+)\s*}}`, with Go's
 * `\s` (ASCII space, \t, \n, \f, \r) and Go's Unicode case folding (the `u` flag: `ſ` matches `s`).
 */
const INPUT_TEMPLATE = /\{\{[\t\n\f\r ]*[.$]Inputs\.([^}\t\n\f\r ]+)[\t\n\f\r ]*\}\}/giu;

/** A command element names an input that cannot be rendered. */
export class TemplateRenderError extends FlyteError {}
brand(TemplateRenderError, "TemplateRenderError");

/** The inputs the elements name in `{{.inputs.x}}` templates, each once, in order of appearance. */
export function templateInputNames(elements: readonly string[]): string[] {
  const names = new Set<string>();
  for (const element of elements) for (const m of element.matchAll(INPUT_TEMPLATE)) names.add(m[1]!);
  return [...names];
}

/**
 * Every `{{.inputs.x}}` in each element replaced by the input's value as propeller writes it: an
 * integer and a float as Go's %v (`3`, `1.5`, `1e+21`), a bool `true`/`false`, a string verbatim, a
 * datetime RFC 3339 in UTC, a duration as the protobuf message's text (`seconds:300`), a file or
 * directory its URI, a list `[1,2,3]` (nested alike), a MessagePack value Go's %v of it.
 */
export function renderCommand(task: string, elements: readonly string[], inputs: LiteralMap): string[] {
  return elements.map((element) =>
    element.replace(INPUT_TEMPLATE, (whole: string, name: string) => {
      const literal = Object.hasOwn(inputs.literals, name) ? inputs.literals[name] : undefined;
      if (literal === undefined) {
        const known = Object.keys(inputs.literals);
        throw new TemplateRenderError({
          task,
          subject: `command element ${JSON.stringify(element)}`,
          problem: `${whole} names no input: the inputs are ${known.length === 0 ? "none" : known.map((k) => `'${k}'`).join(", ")}`,
          fix: "name a declared input (the name is case-sensitive)",
        });
      }
      try {
        return renderLiteral(literal);
      } catch (e) {
        if (!(e instanceof Unrenderable)) throw e;
        throw new TemplateRenderError({
          task,
          subject: `command element ${JSON.stringify(element)}`,
          problem: `input '${name}' cannot be written into a command: ${e.message}; Flyte's propeller fails the task the same way`,
          fix: "read it from the input folder instead (<input data dir>/" + name + ")",
        });
      }
    }),
  );
}

class Unrenderable extends Error {}

function renderLiteral(literal: Literal): string {
  const v = literal.value;
  switch (v.case) {
    case "collection":
      return `[${v.value.literals.map(renderLiteral).join(",")}]`;
    case "scalar":
      break;
    case "map":
      throw new Unrenderable("it is a map");
    default:
      throw new Unrenderable(`it is ${v.case === undefined ? "an empty literal" : `an ${v.case} literal`}`);
  }
  const s = v.value.value;
  switch (s.case) {
    case "primitive":
      return renderPrimitive(s.value);
    case "blob":
    case "schema":
      return s.value.uri;
    case "binary":
      if (s.value.tag !== MSGPACK_TAG) throw new Unrenderable(`it is a binary with tag ${JSON.stringify(s.value.tag)} (only MessagePack is rendered)`);
      return goPrint(decodeMsgpack(s.value.value, "a MessagePack input"));
    case "union":
      throw new Unrenderable("it is a union (an Optional) value");
    case "noneType":
      throw new Unrenderable("it is none");
    default:
      throw new Unrenderable(`it is a ${s.case ?? "empty"} scalar`);
  }
}

function renderPrimitive(p: Primitive): string {
  const v = p.value;
  switch (v.case) {
    case "integer":
      return v.value.toString();
    case "floatValue":
      return formatFloatG(v.value);
    case "boolean":
      return v.value ? "true" : "false";
    case "stringValue":
      return v.value;
    case "datetime": {
      const text = timestampString(v.value.seconds, v.value.nanos);
      if (text === undefined) throw new Unrenderable(`its timestamp (seconds ${v.value.seconds}, nanos ${v.value.nanos}) is outside years 1 to 9999`);
      return text;
    }
    case "duration":
      return durationProtoText(v.value.seconds, v.value.nanos);
    default:
      throw new Unrenderable("it is an empty primitive");
  }
}

/**
 * A google.protobuf.Duration as Go's `String()` of the message prints it (prototext, one line):
 * `seconds:300`, `seconds:1 nanos:500000000`, `` for zero. protobuf-go makes this text unstable on
 * purpose: between two fields a build may write two spaces instead of one (a protobuf-go binary
 * built here printed `seconds:1  nanos:500000000`), so only a whole number of seconds renders the
 * same in every propeller.
 */
export function durationProtoText(seconds: bigint, nanos: number): string {
  const parts: string[] = [];
  if (seconds !== 0n) parts.push(`seconds:${seconds}`);
  if (nanos !== 0) parts.push(`nanos:${nanos}`);
  return parts.join(" ");
}

/** Go's %v of a value MessagePack decoded into `any`: `[1 2 3]`, `map[a:1 b:x]` (keys sorted), `<nil>`, `true`. */
export function goPrint(value: unknown): string {
  if (value === null || value === undefined) return "<nil>";
  if (typeof value === "number") return Number.isInteger(value) && !Object.is(value, -0) && Math.abs(value) < 2 ** 63 ? String(value) : formatFloatG(value);
  if (typeof value === "bigint" || typeof value === "boolean") return String(value);
  if (typeof value === "string") return value;
  if (value instanceof Uint8Array) return `[${[...value].join(" ")}]`;
  if (Array.isArray(value)) return `[${value.map(goPrint).join(" ")}]`;
  const entries: [unknown, unknown][] = value instanceof Map ? [...(value as Map<unknown, unknown>).entries()] : Object.entries(value as object);
  entries.sort(([a], [b]) => compareKeys(a, b));
  return `map[${entries.map(([k, v]) => `${goPrint(k)}:${goPrint(v)}`).join(" ")}]`;
}

/** fmt's order of map keys: numbers by value, strings by bytes, numbers before strings. */
function compareKeys(a: unknown, b: unknown): number {
  const numeric = (x: unknown) => typeof x === "number" || typeof x === "bigint";
  if (numeric(a) && numeric(b)) return Number(a) < Number(b) ? -1 : Number(a) > Number(b) ? 1 : 0;
  if (numeric(a) !== numeric(b)) return numeric(a) ? -1 : 1;
  return Buffer.compare(Buffer.from(String(a)), Buffer.from(String(b)));
}

/**
 * Propeller's other templates in a raw container's command and arguments
 * (flyteplugins/go/tasks/pluginmachinery/utils/template.go `render`, filled before `{{.inputs.x}}`),
 * each `(?i){{\s*[.$]Name\s*}}`: the inputs.pb file, its folder, the output prefix, the raw output
 * prefix, the previous and the current checkpoint prefixes, the per-retry unique key, the task
 * template's path.
 */
export const PROPELLER_TEMPLATES = ["Input", "InputPrefix", "OutputPrefix", "RawOutputDataPrefix", "PrevCheckpointPrefix", "CheckpointOutputPrefix", "PerRetryUniqueKey", "TaskTemplatePath"] as const;
export type PropellerTemplate = (typeof PROPELLER_TEMPLATES)[number];

/** What each template is locally: its value, or why there is none (the run fails naming the template). */
export type PropellerValues = Readonly<Record<PropellerTemplate, string | { readonly none: string }>>;

const templateRegex = (name: string) => new RegExp(`\\{\\{[\\t\\n\\f\\r ]*[.$]${name}[\\t\\n\\f\\r ]*\\}\\}`, "giu");
const TEMPLATE_REGEXES = PROPELLER_TEMPLATES.map((name) => [name, templateRegex(name)] as const);

/** The propeller templates the elements use (to know what a run must prepare). */
export function propellerTemplatesIn(elements: readonly string[]): PropellerTemplate[] {
  return TEMPLATE_REGEXES.filter(([, re]) => elements.some((e) => e.match(re) !== null)).map(([name]) => name);
}

/** Each element with propeller's other templates replaced by their local values, as propeller replaces them (in its order). */
export function renderPropellerTemplates(task: string, elements: readonly string[], values: PropellerValues): string[] {
  return elements.map((element) => {
    let out = element;
    for (const [name, re] of TEMPLATE_REGEXES) {
      const value = values[name];
      out = out.replace(re, (whole) => {
        if (typeof value === "string") return value;
        throw new TemplateRenderError({
          task,
          subject: `command element ${JSON.stringify(element)}`,
          problem: `${whole} has no local equivalent: ${value.none}`,
          fix: "run it on Flyte, or leave the template out of the command",
        });
      });
    }
    return out;
  });
}
