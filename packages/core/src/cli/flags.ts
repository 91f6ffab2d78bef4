// Command-line values for a task's inputs, read by their declared types (`flytekit-ts run`).
import type { InputVariable } from "../interface/interface.js";
import { FlyteDirectory, FlyteFile } from "../types/blob.js";
import { parseIsoDatetime } from "../types/time.js";
import type { AnyFlyteType } from "../types/type.js";
import { UnionType } from "../types/union.js";
import { CliError } from "./discover.js";

/** The T of an Optional(T): a flag gives a T, and leaving the flag out gives none. */
function optionalInner(type: AnyFlyteType): AnyFlyteType | undefined {
  if (!(type instanceof UnionType)) return undefined;
  const some = type.variants.filter((v) => v.name !== "None");
  return some.length === 1 && some.length < type.variants.length ? some[0] : undefined;
}

/** How a type is written on the command line, for --help. */
export function flagHint(type: AnyFlyteType): string {
  const inner = optionalInner(type);
  if (inner !== undefined) return `${flagHint(inner)}; leave it out for none`;
  switch (type.name) {
    case "Int":
      return "integer";
    case "Float":
      return "number";
    case "Str":
      return "text";
    case "Bool":
      return "true|false";
    case "Datetime":
      return "ISO 8601 date-time";
    case "Duration":
      return "seconds, e.g. 90 or 1.5";
    case "File":
    case "Directory":
      return "path or URI";
    default:
      return "JSON";
  }
}

/** Reads one flag's text as a value of the input's type, or throws naming the input and the type. */
export function parseFlag(input: InputVariable, text: string): unknown {
  const inner = optionalInner(input.type);
  if (inner !== undefined) return parseFlag({ ...input, type: inner }, text);
  const type = input.type;
  const fail = (detail = ""): never => {
    throw new CliError(`--${input.name} expects ${type.name} (${flagHint(type)}), got ${JSON.stringify(text)}${detail === "" ? "" : `: ${detail}`}`);
  };
  switch (type.name) {
    case "Int": {
      if (!/^[+-]?\d+$/.test(text.trim())) fail();
      const big = BigInt(text.trim());
      return big >= BigInt(Number.MIN_SAFE_INTEGER) && big <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(big) : big;
    }
    case "Float": {
      const n = Number(text);
      if (text.trim() === "" || (Number.isNaN(n) && text.trim().toLowerCase() !== "nan")) fail();
      return n;
    }
    case "Str":
      return text;
    case "Bool": {
      const t = text.trim().toLowerCase();
      if (["true", "1", "yes", "y"].includes(t)) return true;
      if (["false", "0", "no", "n"].includes(t)) return false;
      return fail();
    }
    case "Datetime":
      return parseIsoDatetime(text.trim()) ?? fail();
    case "Duration": {
      const seconds = Number(text.trim().replace(/s$/, ""));
      if (!Number.isFinite(seconds)) fail();
      const whole = Math.trunc(seconds);
      return { seconds: whole, nanos: Math.round((seconds - whole) * 1e9) };
    }
    case "File":
      return new FlyteFile(text);
    case "Directory":
      return new FlyteDirectory(text);
  }
  if (type.name.startsWith("Enum(") || type.literalType.type.case === "enumType") return text;
  // Lists, dicts, records, unions and JSON: the value as JSON.
  try {
    return JSON.parse(text) as unknown;
  } catch (e) {
    return fail(`not valid JSON (${(e as Error).message})`);
  }
}

/** Splits `--name value` and `--name=value` pairs into named texts; refuses what is not an input. */
export function readFlags(inputs: readonly InputVariable[], argv: readonly string[], task: string): Record<string, unknown> {
  const values: Record<string, unknown> = {};
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (!a.startsWith("--")) throw new CliError(`unexpected argument ${JSON.stringify(a)}: inputs are given as --name value`);
    const eq = a.indexOf("=");
    const name = eq >= 0 ? a.slice(2, eq) : a.slice(2);
    const input = inputs.find((v) => v.name === name);
    if (input === undefined) {
      throw new CliError(`task '${task}' has no input --${name} (inputs: ${inputs.map((v) => `--${v.name}`).join(", ") || "none"})`);
    }
    const text = eq >= 0 ? a.slice(eq + 1) : argv[++i];
    if (text === undefined) throw new CliError(`--${name} needs a value (${input.type.name})`);
    if (name in values) throw new CliError(`--${name} is given twice`);
    values[name] = parseFlag(input, text);
  }
  return values;
}
