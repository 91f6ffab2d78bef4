// Offloaded literals (flytekit 1.16, bin/entrypoint.py and core/type_engine.py). A cluster with
// literal offloading passes a large value as an `offloaded_metadata` literal (uri, size_bytes,
// inferred_type): the Literal itself is a serialized proto at the uri. We read those in place of the
// literal, wherever they sit in the inputs (at the top, in a collection, in a map). On the way out,
// an output whose serialized literal reaches the threshold goes to
// `<output-prefix>/<name>_offloaded_metadata.pb`, and outputs.pb carries the offloaded_metadata
// literal in its place, with flytekit's hash of the literal and the output's declared type.
//
// The threshold (see `offloadLimits`): `_F_L_MIN_SIZE_MB` in the pod turns offloading on, as in
// flytekit; the task's `maxInlineIoBytes` may lower it, or turn offloading on where the cluster says
// nothing. The hard limit (`_F_L_MAX_SIZE_MB`, default 1000 MiB) refuses any input or output
// literal of that size or more.
import { toBinary } from "@bufbuild/protobuf";
import { brand, DocumentError, FlyteError } from "../errors/flyte-error.js";
import { create, decode } from "../idl/codec.js";
import { LiteralMapSchema, LiteralSchema, type Literal, type LiteralMap } from "../idl/gen/flyteidl/core/literals_pb.js";
import { SimpleType, type LiteralType } from "../idl/gen/flyteidl/core/types_pb.js";
import { joinUri, StorageError, type Storage } from "../storage/storage.js";
import { TaskInputError } from "../tasks/errors.js";
import { describeLiteral } from "../types/literals.js";
import { computeHashString } from "./pbhash.js";

const MIB = 1024 * 1024;
/** flytekit's default for `_F_L_MIN_SIZE_MB` (used when the variable is set but empty). */
export const DEFAULT_MIN_OFFLOAD_MB = 10;
/** flytekit's default for `_F_L_MAX_SIZE_MB`. */
export const DEFAULT_MAX_OFFLOAD_MB = 1000;
/** How deep an offloaded literal may point at another (one that points at itself is refused, not followed for ever). */
const MAX_OFFLOAD_DEPTH = 8;

/** An input or output literal at or past the hard limit: SYSTEM and NON_RECOVERABLE (flytekit's ValueError is recoverable, but the literal is as big on a retry). */
export class LiteralSizeError extends FlyteError {}
brand(LiteralSizeError, "LiteralSizeError");

/** `_F_L_MIN_SIZE_MB` or `_F_L_MAX_SIZE_MB` is not a whole number of MiB. */
export class OffloadSettingError extends FlyteError {}
brand(OffloadSettingError, "OffloadSettingError");

/** The sizes that decide offloading, in bytes. */
export interface OffloadLimits {
  /** Outputs whose serialized literal is at least this are offloaded; undefined: none are. */
  readonly threshold: number | undefined;
  /** No input or output literal may be this or more. */
  readonly hardLimit: number;
  /** Where the hard limit came from, for messages: `_F_L_MAX_SIZE_MB=1000 (the default)`. */
  readonly hardLimitSource: string;
}

function mebibytes(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw.trim() === "") return fallback;
  if (!/^\s*\d+\s*$/.test(raw)) throw new OffloadSettingError({ subject: `environment variable ${name}`, expected: "a whole number of MiB", got: JSON.stringify(raw) });
  return Number(raw) * MIB;
}

/**
 * The threshold and the hard limit for a task in a container.
 *
 * - `_F_L_MIN_SIZE_MB` set (the cluster has offloading on): the threshold is that many MiB (10 when
 *   it is empty, as flytekit's default), or the task's `maxInlineIoBytes` when that is smaller.
 * - not set: the task's `maxInlineIoBytes` when it set one; otherwise nothing is offloaded, as in
 *   flytekit: a cluster without offloading gets every output inline, as it expects.
 * - the hard limit is `_F_L_MAX_SIZE_MB` MiB (1000 when unset), and applies whether or not
 *   offloading is on (flytekit checks it only when it is on; past it, no cluster takes the literal).
 */
export function offloadLimits(env: NodeJS.ProcessEnv, maxInlineIoBytes: number | undefined): OffloadLimits {
  const clusterOn = env._F_L_MIN_SIZE_MB !== undefined;
  const cluster = clusterOn ? mebibytes(env, "_F_L_MIN_SIZE_MB", DEFAULT_MIN_OFFLOAD_MB * MIB) : undefined;
  const threshold = cluster === undefined ? maxInlineIoBytes : maxInlineIoBytes === undefined ? cluster : Math.min(cluster, maxInlineIoBytes);
  const hardLimit = mebibytes(env, "_F_L_MAX_SIZE_MB", DEFAULT_MAX_OFFLOAD_MB * MIB);
  const rawMax = env._F_L_MAX_SIZE_MB;
  const hardLimitSource = rawMax === undefined || rawMax.trim() === "" ? `_F_L_MAX_SIZE_MB unset: flytekit's default of ${DEFAULT_MAX_OFFLOAD_MB} MiB` : `_F_L_MAX_SIZE_MB=${rawMax.trim()}`;
  return { threshold, hardLimit, hardLimitSource };
}

function tooLarge(task: string, subject: string, size: number, limits: OffloadLimits, path = ""): LiteralSizeError {
  return new LiteralSizeError({
    task,
    subject,
    path,
    problem: `its literal is ${size} bytes, at or past the hard limit of ${limits.hardLimit} bytes (${limits.hardLimitSource})`,
    fix: "pass large data as a File, a Directory or a dataset, or raise _F_L_MAX_SIZE_MB on the cluster",
  });
}

// --- inputs ---------------------------------------------------------------------------------

const PRIMITIVE_OF: Partial<Record<SimpleType, string>> = {
  [SimpleType.INTEGER]: "integer",
  [SimpleType.FLOAT]: "floatValue",
  [SimpleType.STRING]: "stringValue",
  [SimpleType.BOOLEAN]: "boolean",
  [SimpleType.DATETIME]: "datetime",
  [SimpleType.DURATION]: "duration",
};
const SCALAR_OF: Partial<Record<SimpleType, readonly string[]>> = {
  [SimpleType.NONE]: ["noneType"],
  [SimpleType.BINARY]: ["binary"],
  [SimpleType.ERROR]: ["error"],
  [SimpleType.STRUCT]: ["generic", "binary"],
};

/** Where a literal contradicts a type (`[2]`, `["k"]`) and what it is there, or undefined when nothing does. Unions, and literals still offloaded, fit anything. */
export function contradiction(literal: Literal, type: LiteralType | undefined, path = ""): { path: string; expected: string; got: string } | undefined {
  const t = type?.type;
  const v = literal.value;
  if (t === undefined || t.case === undefined || t.case === "unionType" || v.case === "offloadedMetadata") return undefined;
  const scalar = v.case === "scalar" ? v.value.value : undefined;
  if (scalar?.case === "union") return undefined;
  const miss = (expected: string) => ({ path, expected, got: describeLiteral(literal) });
  switch (t.case) {
    case "collectionType": {
      if (v.case !== "collection") return miss("a collection");
      for (const [i, item] of v.value.literals.entries()) {
        const inner = contradiction(item, t.value, `${path}[${i}]`);
        if (inner !== undefined) return inner;
      }
      return undefined;
    }
    case "mapValueType": {
      if (v.case !== "map") return miss("a map");
      for (const [k, item] of Object.entries(v.value.literals)) {
        const inner = contradiction(item, t.value, `${path}[${JSON.stringify(k)}]`);
        if (inner !== undefined) return inner;
      }
      return undefined;
    }
    case "simple": {
      const primitive = PRIMITIVE_OF[t.value];
      if (primitive !== undefined) {
        return scalar?.case === "primitive" && scalar.value.value.case === primitive ? undefined : miss(`a ${SimpleType[t.value]} primitive`);
      }
      const scalars = SCALAR_OF[t.value];
      return scalars === undefined || (scalar !== undefined && scalars.includes(scalar.case!)) ? undefined : miss(`a ${SimpleType[t.value]} scalar`);
    }
    case "blob":
      return scalar?.case === "blob" ? undefined : miss("a blob");
    case "schema":
      return scalar?.case === "schema" ? undefined : miss("a schema");
    case "structuredDatasetType":
      return scalar?.case === "structuredDataset" ? undefined : miss("a structured dataset");
    case "enumType":
      return scalar?.case === "primitive" && scalar.value.value.case === "stringValue" ? undefined : miss("an enum value (a string)");
  }
  return undefined;
}

function holdsOffloaded(literal: Literal): boolean {
  const v = literal.value;
  switch (v.case) {
    case "offloadedMetadata":
      return true;
    case "collection":
      return v.value.literals.some(holdsOffloaded);
    case "map":
      return Object.values(v.value.literals).some(holdsOffloaded);
    case "scalar":
      return v.value.value.case === "union" && v.value.value.value.value !== undefined && holdsOffloaded(v.value.value.value.value);
    default:
      return false;
  }
}

interface Where {
  task: string;
  input: string;
  storage: Storage;
  limits: OffloadLimits;
}

/** The literal an offloaded_metadata literal stands for, read through storage and checked; the literal itself otherwise. Recurses into collections, maps and unions. */
async function resolve(literal: Literal, where: Where, path: string, depth: number): Promise<Literal> {
  const v = literal.value;
  switch (v.case) {
    case "collection": {
      if (!v.value.literals.some(holdsOffloaded)) return literal;
      const literals: Literal[] = [];
      for (const [i, item] of v.value.literals.entries()) literals.push(await resolve(item, where, `${path}[${i}]`, depth));
      return { ...literal, value: { case: "collection", value: { ...v.value, literals } } };
    }
    case "map": {
      if (!Object.values(v.value.literals).some(holdsOffloaded)) return literal;
      const literals: Record<string, Literal> = {};
      for (const [k, item] of Object.entries(v.value.literals)) literals[k] = await resolve(item, where, `${path}[${JSON.stringify(k)}]`, depth);
      return { ...literal, value: { case: "map", value: { ...v.value, literals } } };
    }
    case "scalar": {
      const s = v.value.value;
      if (s.case !== "union" || s.value.value === undefined || !holdsOffloaded(s.value.value)) return literal;
      const inner = await resolve(s.value.value, where, path, depth);
      return { ...literal, value: { case: "scalar", value: { ...v.value, value: { case: "union", value: { ...s.value, value: inner } } } } };
    }
    case "offloadedMetadata":
      break;
    default:
      return literal;
  }
  const meta = v.value;
  const subject = `input '${where.input}'`;
  const at = `${path === "" ? "" : `${path}: `}the offloaded literal at ${meta.uri}`;
  if (meta.uri === "") throw new DocumentError({ task: where.task, subject, path, problem: "an offloaded literal with no uri" });
  if (depth >= MAX_OFFLOAD_DEPTH) throw new DocumentError({ task: where.task, subject, path, problem: `${at} is offloaded ${MAX_OFFLOAD_DEPTH} levels deep: a chain that does not end` });
  // Refused before a byte is read: past the hard limit nothing would take it.
  if (meta.sizeBytes >= BigInt(where.limits.hardLimit)) throw tooLarge(where.task, subject, Number(meta.sizeBytes), where.limits, path);
  let bytes: Uint8Array;
  try {
    bytes = await where.storage.read(meta.uri);
  } catch (e) {
    throw new StorageError({ task: where.task, subject, problem: `${at} could not be read: ${e instanceof Error ? e.message : String(e)}` }, { cause: e });
  }
  if (bytes.length >= where.limits.hardLimit) throw tooLarge(where.task, subject, bytes.length, where.limits, path);
  let loaded: Literal;
  try {
    loaded = decode(LiteralSchema, bytes);
  } catch (e) {
    throw new DocumentError(
      { task: where.task, subject, expected: `${at} to hold a serialized flyteidl.core.Literal`, got: `${bytes.length} bytes that do not decode as one` },
      { cause: e },
    );
  }
  if (loaded.value.case === undefined) {
    throw new DocumentError({ task: where.task, subject, expected: `${at} to hold a serialized flyteidl.core.Literal`, got: `${bytes.length} bytes that decode as an empty literal` });
  }
  const wrong = contradiction(loaded, meta.inferredType);
  if (wrong !== undefined) {
    throw new TaskInputError({
      task: where.task,
      input: where.input,
      path: `${path}${wrong.path}`,
      expected: `${wrong.expected}, as ${at} declares in its inferred_type`,
      got: wrong.got,
    });
  }
  return resolve(loaded, where, path, depth + 1);
}

/**
 * The inputs with every offloaded literal replaced by the one it stands for (read through
 * `storage`), and checked against the hard limit. `inputsSize` is the size of inputs.pb: when it is
 * under the limit, no inline literal can be past it, and none is measured.
 */
export async function loadOffloadedInputs(inputs: LiteralMap, options: { task: string; storage: Storage; limits: OffloadLimits; inputsSize: number }): Promise<LiteralMap> {
  const { task, storage, limits, inputsSize } = options;
  let changed = false;
  const literals: Record<string, Literal> = {};
  for (const [input, literal] of Object.entries(inputs.literals)) {
    if (inputsSize >= limits.hardLimit && literal.value.case !== "offloadedMetadata") {
      const size = toBinary(LiteralSchema, literal).length;
      if (size >= limits.hardLimit) throw tooLarge(task, `input '${input}'`, size, limits);
    }
    if (!holdsOffloaded(literal)) {
      literals[input] = literal;
      continue;
    }
    changed = true;
    literals[input] = await resolve(literal, { task, input, storage, limits }, "", 0);
  }
  return changed ? create(LiteralMapSchema, { literals }) : inputs;
}

// --- outputs --------------------------------------------------------------------------------

/** A file to write before outputs.pb. */
export interface OffloadedFile {
  readonly uri: string;
  readonly bytes: Uint8Array;
}

/**
 * The outputs as outputs.pb is to hold them, and the offloaded files to write first (flytekit's
 * `_dispatch_execute`): each output at or past the hard limit fails; each at or past the threshold
 * is written to `<output-prefix>/<name>_offloaded_metadata.pb` and replaced by an offloaded_metadata
 * literal (uri, size_bytes, inferred_type: the output's declared type; hash: the literal's own, else
 * flytekit's compute_hash_string of it).
 */
export function offloadOutputs(
  outputs: LiteralMap,
  options: { task: string; outputTypes: ReadonlyMap<string, LiteralType>; limits: OffloadLimits; outputPrefix: string },
): { outputs: LiteralMap; files: OffloadedFile[] } {
  const { task, outputTypes, limits, outputPrefix } = options;
  const files: OffloadedFile[] = [];
  const literals: Record<string, Literal> = {};
  for (const [name, literal] of Object.entries(outputs.literals)) {
    literals[name] = literal;
    const bytes = toBinary(LiteralSchema, literal);
    if (bytes.length >= limits.hardLimit) throw tooLarge(task, `output '${name}'`, bytes.length, limits);
    if (limits.threshold === undefined || bytes.length < limits.threshold) continue;
    const uri = joinUri(outputPrefix, `${name}_offloaded_metadata.pb`);
    files.push({ uri, bytes });
    literals[name] = create(LiteralSchema, {
      value: { case: "offloadedMetadata", value: { uri, sizeBytes: BigInt(bytes.length), inferredType: outputTypes.get(name) } },
      hash: literal.hash !== "" ? literal.hash : computeHashString(LiteralSchema, literal),
    });
  }
  return files.length === 0 ? { outputs, files } : { outputs: create(LiteralMapSchema, { literals }), files };
}
