// A raw container task's inputs laid out as files, as Flyte CoPilot's downloader lays them out
// (flytecopilot/data/download.go, v1.16.8): one entry per input named exactly like it; primitives as
// Go writes them, a file's bytes, a directory's files, lists as folders 0..n-1, maps as folders per
// key; then inputs.pb (always, the files' URIs replaced by their local paths) and inputs.json or
// inputs.yaml (Go's json.Marshal of the values; YAML as ghodss/yaml turns that JSON into YAML).
import { mkdirSync, writeFileSync } from "node:fs";
import { join, posix, relative } from "node:path";
import { FlyteError } from "../errors/flyte-error.js";
import { TaskInputError } from "../errors/task-errors.js";
import { decode, encode } from "../idl/codec.js";
import { LiteralMapSchema, LiteralSchema, type Literal, type LiteralMap, type Primitive, type Scalar } from "../idl/gen/flyteidl/core/literals_pb.js";
import type { Interface } from "../interface/interface.js";
import type { Storage } from "../storage/storage.js";
import { literalMapOf, literalOf } from "../types/literals.js";
import { durationNanos, durationString, formatFloatF, GoJsonError, goJson, timestampString, type GoValue } from "./go.js";
import type { MetadataFormat } from "./spec.js";
import { GoYamlError, goYaml } from "./yaml.js";

/** The names CoPilot gives its metadata files in the input folder; an input may not be named so. */
export const METADATA_FILES = ["inputs.pb", "inputs.json", "inputs.yaml"] as const;

/** How writeInputs writes. */
export interface WriteInputsOptions {
  /**
   * Where the container sees `dir` (its input data dir, `/var/flyte/inputs`): the paths of files
   * and folders in inputs.pb, inputs.json and inputs.yaml are written under it, as CoPilot writes
   * them in the pod. @default `dir` itself
   */
  pathsAs?: string;
}

/** Where files are fetched from, and how a local path is named in the metadata files. */
interface Io {
  storage: Storage;
  shown(path: string): string;
}

/** An input cannot be laid out as CoPilot lays it out. */
class InputLayoutError extends Error {}

/**
 * Writes the inputs into `dir` as CoPilot does before a raw container starts. `iface` names the
 * inputs (for the checks); the literals are written as they are (a union as its value). Blobs are
 * fetched through `storage` (a local path, or any URI it serves); the metadata files name them by
 * their paths under `options.pathsAs` when given (where a container sees `dir`). Errors are
 * TaskInputErrors naming the task and the input.
 */
export async function writeInputs(
  task: string,
  inputs: LiteralMap,
  iface: Interface,
  dir: string,
  format: MetadataFormat,
  storage: Storage,
  options: WriteInputsOptions = {},
): Promise<void> {
  const seenAs = options.pathsAs;
  const io: Io = { storage, shown: (path) => (seenAs === undefined ? path : posix.join(seenAs, relative(dir, path))) };
  const names = [...new Set([...iface.inputs.map((v) => v.name), ...Object.keys(inputs.literals)])];
  for (const name of names) {
    if ((METADATA_FILES as readonly string[]).includes(name)) {
      throw new TaskInputError({
        task,
        input: name,
        problem: `CoPilot writes its metadata file ${name} into the input folder, where this input's file would go`,
        fix: "rename the input",
      });
    }
    if (name === "" || name === "." || name === ".." || name.includes("/") || name.includes("\0")) {
      throw new TaskInputError({ task, input: name, problem: "an input's name is a file name in the input folder: it cannot be empty, '.', '..' or hold '/'", fix: "rename the input" });
    }
  }
  mkdirSync(dir, { recursive: true });
  const values = new Map<string, GoValue>();
  const local: Record<string, Literal> = {};
  for (const name of Object.keys(inputs.literals).sort()) {
    try {
      const [value, literal] = await writeLiteral(inputs.literals[name]!, join(dir, name), io);
      values.set(name, value);
      local[name] = literal;
    } catch (e) {
      if (e instanceof InputLayoutError) throw new TaskInputError({ task, input: name, problem: e.message }, { cause: e });
      if (e instanceof FlyteError) throw new TaskInputError({ task, input: name, problem: `could not be written into the input folder: ${e.message}` }, { cause: e });
      throw e;
    }
  }
  writeFileSync(join(dir, "inputs.pb"), encode(LiteralMapSchema, literalMapOf(local)));
  if (format === "PROTO") return;
  let json: string;
  try {
    json = goJson(values);
  } catch (e) {
    if (!(e instanceof GoJsonError)) throw e;
    const culprit = [...values.entries()].find(([, v]) => {
      try {
        goJson(v);
        return false;
      } catch {
        return true;
      }
    })?.[0];
    throw new TaskInputError(
      {
        task,
        input: culprit,
        problem: `inputs.${format === "JSON" ? "json" : "yaml"} cannot hold it: Go's json.Marshal fails (${e.message}), and so does CoPilot's download on Flyte`,
        fix: 'pass a finite number, or use metadataFormat "PROTO" (the input file itself is written either way)',
      },
      { cause: e },
    );
  }
  if (format === "JSON") writeFileSync(join(dir, "inputs.json"), json);
  else {
    let yaml: string;
    try {
      yaml = goYaml(json);
    } catch (e) {
      if (!(e instanceof GoYamlError)) throw e;
      throw new TaskInputError({ task, problem: `inputs.yaml cannot hold the inputs: go-yaml fails to read their JSON back (${e.message}), and so does CoPilot's download on Flyte`, fix: 'use metadataFormat "JSON" or "PROTO"' }, { cause: e });
    }
    writeFileSync(join(dir, "inputs.yaml"), yaml);
  }
}

/** Writes one literal at `path`; returns its value for inputs.json and the literal for inputs.pb (blob URIs made local). */
async function writeLiteral(literal: Literal, path: string, io: Io): Promise<[GoValue, Literal]> {
  const v = literal.value;
  switch (v.case) {
    case "scalar": {
      const [value, scalar] = await writeScalar(v.value, path, io);
      return [value, scalar === v.value ? literal : literalOf({ case: "scalar", value: scalar })];
    }
    case "collection": {
      mkdirSync(path, { recursive: true });
      const values: GoValue[] = [];
      const literals: Literal[] = [];
      for (const [i, item] of v.value.literals.entries()) {
        try {
          const [value, written] = await writeLiteral(item, join(path, String(i)), io);
          values.push(value);
          literals.push(written);
        } catch (e) {
          if (e instanceof InputLayoutError) throw new InputLayoutError(`[${i}]: ${e.message}`);
          throw e;
        }
      }
      return [values, literalOf({ case: "collection", value: { ...v.value, literals } })];
    }
    case "map": {
      mkdirSync(path, { recursive: true });
      const values = new Map<string, GoValue>();
      const literals: Record<string, Literal> = {};
      for (const key of Object.keys(v.value.literals).sort()) {
        if (key === "" || key === "." || key === ".." || key.includes("/") || key.includes("\0")) {
          throw new InputLayoutError(`the map key ${JSON.stringify(key)} cannot be a file name in the input folder`);
        }
        try {
          const [value, written] = await writeLiteral(v.value.literals[key]!, join(path, key), io);
          values.set(key, value);
          literals[key] = written;
        } catch (e) {
          if (e instanceof InputLayoutError) throw new InputLayoutError(`[${JSON.stringify(key)}]: ${e.message}`);
          throw e;
        }
      }
      return [values, literalOf({ case: "map", value: literalMapOf(literals) })];
    }
    case "offloadedMetadata": {
      const bytes = await io.storage.read(v.value.uri);
      return writeLiteral(decode(LiteralSchema, bytes, `the offloaded literal at ${v.value.uri}`), path, io);
    }
    default:
      throw new InputLayoutError("it is an empty literal");
  }
}

async function writeScalar(scalar: Scalar, path: string, io: Io): Promise<[GoValue, Scalar]> {
  const s = scalar.value;
  switch (s.case) {
    case "primitive": {
      const [text, value] = primitiveText(s.value);
      writeFileSync(path, text);
      return [value, scalar];
    }
    case "blob": {
      await io.storage.download(s.value.uri, path);
      return [io.shown(path), { ...scalar, value: { case: "blob", value: { ...s.value, uri: io.shown(path) } } }];
    }
    case "schema": {
      await io.storage.download(s.value.uri, path);
      return [io.shown(path), { ...scalar, value: { case: "schema", value: { ...s.value, uri: io.shown(path) } } }];
    }
    case "binary":
      writeFileSync(path, s.value.value);
      return [s.value.value, scalar];
    case "noneType":
      writeFileSync(path, "null");
      return [null, scalar];
    case "error":
      writeFileSync(path, s.value.message);
      return [s.value.message, scalar];
    case "generic": {
      // The file is jsonpb's text of the Struct; inputs.json holds the same JSON (encoding/json
      // calls structpb.Struct's MarshalJSON, which is protojson: compact, keys sorted, Go's numbers).
      const value = structValue(s.value);
      writeFileSync(path, goJson(value));
      return [value, scalar];
    }
    case "union": {
      if (s.value.value === undefined) throw new InputLayoutError("it is a union with no value");
      const [value, written] = await writeLiteral(s.value.value, path, io);
      return [value, { ...scalar, value: { case: "union", value: { ...s.value, value: written } } }];
    }
    default:
      throw new InputLayoutError(`CoPilot cannot write a ${s.case ?? "empty"} scalar into the input folder`);
  }
}

/** A primitive's file text (CoPilot's) and its value in inputs.json (null for a duration, as CoPilot's shadowed variable leaves it). */
function primitiveText(p: Primitive): [string, GoValue] {
  const v = p.value;
  switch (v.case) {
    case "integer":
      return [v.value.toString(), v.value];
    case "floatValue":
      return [formatFloatF(v.value), v.value];
    case "boolean":
      return [v.value ? "true" : "false", v.value];
    case "stringValue":
      return [v.value, v.value];
    case "datetime": {
      const text = timestampString(v.value.seconds, v.value.nanos);
      if (text === undefined) throw new InputLayoutError(`its timestamp (seconds ${v.value.seconds}, nanos ${v.value.nanos}) is outside years 1 to 9999, which Go's time cannot hold`);
      return [text, text];
    }
    case "duration": {
      const nanos = durationNanos(v.value.seconds, v.value.nanos);
      if (typeof nanos === "string") throw new InputLayoutError(`Go's time.Duration cannot hold it: ${nanos}`);
      return [durationString(nanos), null];
    }
    default:
      return ["null", null];
  }
}

type JsonLike = null | boolean | number | string | JsonLike[] | { [key: string]: JsonLike };

/** A google.protobuf.Struct's value as protobuf JSON (what jsonpb writes into the input's file). */
function structValue(value: JsonLike): GoValue {
  if (value === null || typeof value === "boolean" || typeof value === "string") return value;
  if (typeof value === "number") return value;
  if (Array.isArray(value)) return value.map(structValue);
  return new Map(Object.entries(value).map(([k, v]) => [k, structValue(v)]));
}
