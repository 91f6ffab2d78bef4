// A raw container task's outputs read back from the files it left, as Flyte CoPilot's uploader reads
// them (flytecopilot/data/upload.go and flyteidl's coreutils/literals.go, v1.16.8): `_ERROR` first;
// then per output `<name>` or exactly one `<name>.*`; a simple type from a file of at most 1024 bytes,
// trimmed of spaces, newlines and tabs and parsed by Go's rules; a file or a folder uploaded under the
// raw output prefix. What CoPilot cannot upload (lists, maps, unions, enums, datasets) is refused when
// the task is declared (checkOutputTypes).
import { mkdirSync, readdirSync, readFileSync, statSync, type Stats } from "node:fs";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { brand } from "../errors/flyte-error.js";
import { RecoverableError, TaskDefinitionError, TaskOutputError } from "../errors/task-errors.js";
import { create } from "../idl/codec.js";
import type { Literal, LiteralMap } from "../idl/gen/flyteidl/core/literals_pb.js";
import { BlobType_BlobDimensionality, ErrorSchema, SimpleType, type LiteralType } from "../idl/gen/flyteidl/core/types_pb.js";
import type { Interface, OutputVariable } from "../interface/interface.js";
import { isRemotePath, joinUri, type Storage } from "../storage/storage.js";
import { binaryLiteral, blobLiteral, genericLiteral, literalMapOf, noneLiteral, pbDurationOf, primitiveLiteral, scalarLiteral, timestampOf } from "../types/literals.js";
import { parseGoBool, parseGoDuration, parseGoFloat, parseGoInt, parseGoRfc3339 } from "./go.js";

/** The file a container writes to fail its task, with the reason as its text. */
export const ERROR_FILE = "_ERROR";
/** The largest `_ERROR` file CoPilot reads. */
export const MAX_ERROR_FILE_SIZE = 1024 * 1024;
/** The largest file CoPilot reads a simple value from. */
export const MAX_PRIMITIVE_SIZE = 1024;

/**
 * The container reported its failure in `_ERROR`. On Flyte CoPilot's uploader then fails with
 * `User Error: <text>` and writes an error document of kind RECOVERABLE, so the task's `retries`
 * apply; they do locally too.
 */
export class ContainerReportedError extends RecoverableError {
  declare readonly task: string;
  /** The text of the `_ERROR` file. */
  declare readonly text: string;

  constructor(task: string, text: string) {
    super({ task, problem: `the container reported an error in ${ERROR_FILE}: ${text}` });
    Object.defineProperty(this, "text", { value: text, enumerable: false });
  }
}
brand(ContainerReportedError, "ContainerReportedError");

/** Names of the simple types as Flyte names them (SimpleType). */
const SIMPLE_NAMES: Partial<Record<SimpleType, string>> = {
  [SimpleType.NONE]: "NONE",
  [SimpleType.INTEGER]: "INTEGER",
  [SimpleType.FLOAT]: "FLOAT",
  [SimpleType.STRING]: "STRING",
  [SimpleType.BOOLEAN]: "BOOLEAN",
  [SimpleType.DATETIME]: "DATETIME",
  [SimpleType.DURATION]: "DURATION",
  [SimpleType.BINARY]: "BINARY",
  [SimpleType.ERROR]: "ERROR",
  [SimpleType.STRUCT]: "STRUCT",
};

/** Whether CoPilot 1.16.8's uploader can make an output of this type: a simple type or a blob. */
function uploadable(type: LiteralType): boolean {
  return type.type.case === "simple" || type.type.case === "blob";
}

/**
 * Refuses, when a raw container task is declared, an output CoPilot cannot upload: anything but a
 * simple type (Int, Float, Str, Bool, Datetime, Duration, Json and records, None) or a File or
 * Directory. On Flyte 1.16.8 such a task fails after its container has run (`currently CoPilot
 * uploader does not support [..]`); refusing it here keeps "works locally, works on the cluster".
 */
export function checkOutputTypes(task: string, iface: Interface): void {
  for (const output of iface.outputs) {
    if (uploadable(output.type.literalType)) continue;
    throw new TaskDefinitionError({
      task,
      subject: `output '${output.name}'`,
      problem: `a raw container task cannot return a ${output.type.name}: Flyte's CoPilot uploader reads back only simple values (Int, Float, Str, Bool, Datetime, Duration, Json, records) and files or directories, and fails the task on Flyte for anything else`,
      fix: `write it as a File or a Directory (a list as files in a folder) and declare the output as File or Directory, or as one simple output per value`,
    });
  }
}

/**
 * Reads the outputs a raw container left in `dir`, as CoPilot's uploader does: `_ERROR` fails the
 * task with its text; each output of `iface` is read from `<name>` or the one `<name>.*`; files are
 * uploaded through `storage` under `rawOutputPrefix/<name>`. Errors are TaskOutputErrors naming the
 * task, the output, what was expected and what came.
 */
export async function readOutputs(task: string, iface: Interface, dir: string, rawOutputPrefix: string, storage: Storage): Promise<LiteralMap> {
  const errorPath = join(dir, ERROR_FILE);
  const errorStat = statSync(errorPath, { throwIfNoEntry: false });
  if (errorStat !== undefined) {
    if (errorStat.isDirectory()) throw new TaskOutputError({ task, subject: errorPath, problem: `${ERROR_FILE} is a directory; CoPilot fails the task when it is` });
    if (errorStat.size > MAX_ERROR_FILE_SIZE) {
      throw new TaskOutputError({ task, subject: errorPath, problem: `the error file is ${errorStat.size} bytes, more than CoPilot reads (${MAX_ERROR_FILE_SIZE}); CoPilot fails the task with "error file too large"` });
    }
    throw new ContainerReportedError(task, readFileSync(errorPath, "utf8"));
  }
  const literals: Record<string, Literal> = {};
  for (const output of iface.outputs) literals[output.name] = await readOutput(task, output, dir, rawOutputPrefix, storage);
  return literalMapOf(literals);
}

async function readOutput(task: string, output: OutputVariable, dir: string, rawOutputPrefix: string, storage: Storage): Promise<Literal> {
  const name = output.name;
  const type = output.type.literalType;
  const fail = (fields: { expected?: string; got?: string; problem?: string; fix?: string }) => new TaskOutputError({ task, output: name, ...fields });
  const kind = type.type;
  if (kind.case !== "simple" && kind.case !== "blob") {
    throw fail({ problem: `CoPilot cannot read back a ${output.type.name} output (only simple values, files and directories)`, fix: "declare it as a File or a Directory" });
  }
  const expected = kind.case === "simple" ? `${output.type.name} (${SIMPLE_NAMES[kind.value] ?? "?"})` : output.type.name;
  const found = locate(dir, name);
  if (typeof found === "string") throw fail({ expected: `${expected} in ${join(dir, name)}`, got: found, fix: `write the file ${join(dir, name)} (or ${name}.<extension>)` });
  const [path, stat] = found;

  if (kind.case === "blob") {
    const wantsDirectory = kind.value.dimensionality === BlobType_BlobDimensionality.MULTIPART;
    const uri = joinUri(rawOutputPrefix, name);
    if (stat.isDirectory() !== wantsDirectory) {
      throw fail({ expected: wantsDirectory ? `a directory (${expected})` : `a file (${expected})`, got: `${stat.isDirectory() ? "a directory" : "a file"} at ${path}`, fix: `declare the output as ${stat.isDirectory() ? "Directory" : "File"}, or write ${wantsDirectory ? "a folder" : "one file"} there` });
    }
    if (!wantsDirectory) {
      await storage.upload(path, uri);
      return blobLiteral(uri, "", BlobType_BlobDimensionality.SINGLE);
    }
    // CoPilot uploads every file under the folder to <prefix>/<name>/<file name>: subfolders are flattened.
    const files = regularFiles(path);
    const seen = new Map<string, string>();
    for (const file of files) {
      const base = file.slice(file.lastIndexOf("/") + 1);
      const other = seen.get(base);
      if (other !== undefined) {
        throw fail({
          problem: `the folder ${path} holds two files named ${JSON.stringify(base)} (${relative(path, other)} and ${relative(path, file)}); CoPilot uploads a folder's files flattened by name, so one would overwrite the other`,
          fix: "give the files distinct names, or put them in one folder level",
        });
      }
      seen.set(base, file);
    }
    for (const [base, file] of seen) await storage.upload(file, joinUri(uri, base));
    // An empty folder uploads nothing; a local prefix still gets the (empty) folder a Directory names.
    if (seen.size === 0 && !isRemotePath(uri)) mkdirSync(uri.startsWith("file://") ? fileURLToPath(uri) : uri, { recursive: true });
    return blobLiteral(uri, "", BlobType_BlobDimensionality.MULTIPART);
  }

  if (stat.isDirectory()) throw fail({ expected: `a file holding ${expected}`, got: `a directory at ${path}` });
  if (stat.size > MAX_PRIMITIVE_SIZE) {
    throw fail({ expected: `${expected}, a file of at most ${MAX_PRIMITIVE_SIZE} bytes`, got: `${stat.size} bytes in ${path}, starting ${firstBytes(readFileSync(path))}`, fix: "write a large value as a File output" });
  }
  const bytes = readFileSync(path);
  const got = () => `${firstBytes(bytes)} in ${path}`;
  let raw: string;
  try {
    raw = new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    if (kind.value !== SimpleType.BINARY) throw fail({ expected: `${expected} as UTF-8 text`, got: `bytes that are not UTF-8 in ${path}: ${firstBytes(bytes)}` });
    raw = "";
  }
  const text = trimGo(raw);
  switch (kind.value) {
    case SimpleType.INTEGER: {
      const v = parseGoInt(text);
      if (v === undefined) throw fail({ expected: `${expected}: a whole number within int64, digits only (Go's strconv.ParseInt)`, got: got() });
      return primitiveLiteral({ case: "integer", value: v });
    }
    case SimpleType.FLOAT: {
      const v = parseGoFloat(text);
      if (v === undefined) throw fail({ expected: `${expected}: a number within float64 (Go's strconv.ParseFloat: 1.5, 1e3, NaN, Inf)`, got: got() });
      return primitiveLiteral({ case: "floatValue", value: v });
    }
    case SimpleType.BOOLEAN: {
      const v = parseGoBool(text);
      if (v === undefined) throw fail({ expected: `${expected}: one of 1 t T TRUE true True 0 f F FALSE false False (Go's strconv.ParseBool)`, got: got() });
      return primitiveLiteral({ case: "boolean", value: v });
    }
    case SimpleType.STRING:
      return primitiveLiteral({ case: "stringValue", value: text });
    case SimpleType.DURATION: {
      const v = parseGoDuration(text);
      if (v === undefined) throw fail({ expected: `${expected}: a Go duration such as 300ms, 1h2m3s, -1.5h (Go's time.ParseDuration)`, got: got() });
      const seconds = v / 1_000_000_000n;
      return primitiveLiteral({ case: "duration", value: pbDurationOf(seconds, Number(v - seconds * 1_000_000_000n)) });
    }
    case SimpleType.DATETIME: {
      const v = parseGoRfc3339(text);
      if (v === undefined) throw fail({ expected: `${expected}: an RFC 3339 time such as 2024-01-02T03:04:05Z or 2024-01-02T03:04:05.5+02:00 (Go's time.Parse(time.RFC3339))`, got: got() });
      return primitiveLiteral({ case: "datetime", value: timestampOf(v.seconds, v.nanos) });
    }
    case SimpleType.STRUCT: {
      let value: unknown;
      try {
        value = JSON.parse(firstJsonValue(text));
      } catch {
        value = undefined;
      }
      if (value === null) value = {}; // jsonpb reads `null` as an empty Struct
      // jsonpb refuses a number a float64 cannot hold (1e400), which JSON.parse reads as Infinity.
      if (typeof value !== "object" || value === null || Array.isArray(value) || !allFinite(value)) throw fail({ expected: `${expected}: a JSON object (numbers within float64)`, got: got() });
      return genericLiteral(value as never);
    }
    case SimpleType.BINARY:
      return binaryLiteral(trimBytes(bytes), "");
    case SimpleType.NONE:
      return noneLiteral();
    case SimpleType.ERROR:
      return scalarLiteral({ case: "error", value: create(ErrorSchema, { message: text }) });
    default:
      throw fail({ problem: "CoPilot cannot read this simple type" });
  }
}

/**
 * The first JSON value of a text, as the json.Decoder jsonpb reads with sees it: an object up to its
 * closing brace (what follows is never read), else the text as it is.
 */
function firstJsonValue(text: string): string {
  const start = text.search(/[^ \t\n\r]/);
  if (start < 0 || text[start] !== "{") return text;
  let depth = 0;
  for (let i = start; i < text.length; i++) {
    const c = text[i];
    if (c === '"') {
      for (i++; i < text.length && text[i] !== '"'; i++) if (text[i] === "\\") i++;
    } else if (c === "{" || c === "[") depth++;
    else if (c === "}" || c === "]") {
      depth--;
      if (depth === 0) return text.slice(start, i + 1);
    }
  }
  return text;
}

function allFinite(value: unknown): boolean {
  if (typeof value === "number") return Number.isFinite(value);
  if (Array.isArray(value)) return value.every(allFinite);
  if (typeof value === "object" && value !== null) return Object.values(value).every(allFinite);
  return true;
}

/** Go's `strings.Trim(s, " \n\t")`: only spaces, newlines and tabs (not \r) at either end. */
function trimGo(s: string): string {
  return s.replace(/^[ \n\t]+|[ \n\t]+$/g, "");
}

function trimBytes(bytes: Uint8Array): Uint8Array {
  const blank = (b: number) => b === 0x20 || b === 0x0a || b === 0x09;
  let start = 0;
  let end = bytes.length;
  while (start < end && blank(bytes[start]!)) start++;
  while (end > start && blank(bytes[end - 1]!)) end--;
  return bytes.slice(start, end);
}

/** The start of a file for a message: its first 64 bytes as JSON text (`"3.0\n"`), with `…` when there is more. */
function firstBytes(bytes: Uint8Array): string {
  const head = new TextDecoder().decode(bytes.subarray(0, 64));
  return `${JSON.stringify(head)}${bytes.length > 64 ? "…" : ""}`;
}

/**
 * CoPilot's IsFileReadable: `<name>` if it exists, else the one entry matching `<name>.*`; the
 * path and what is there, or why nothing is.
 */
function locate(dir: string, name: string): [string, Stats] | string {
  const exact = join(dir, name);
  const stat = statSync(exact, { throwIfNoEntry: false });
  if (stat !== undefined) return [exact, stat];
  let entries: string[];
  try {
    entries = readdirSync(dir);
  } catch {
    return `no output folder ${dir}`;
  }
  const matches = entries.filter((e) => e.startsWith(`${name}.`)).sort();
  if (matches.length === 0) return `no file: CoPilot looks for ${name} or one ${name}.* and found neither`;
  if (matches.length > 1) return `${matches.length} files matching ${name}.* (${matches.join(", ")}), where CoPilot takes exactly one`;
  const path = join(dir, matches[0]!);
  return [path, statSync(path)];
}

/** Every file under a folder (not the folders), in path order, as CoPilot's filepath.Walk finds them. */
function regularFiles(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...regularFiles(path));
    else out.push(path);
  }
  return out;
}
