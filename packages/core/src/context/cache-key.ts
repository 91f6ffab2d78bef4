// The local cache key, computed exactly as flytekit computes it (flytekit/core/local_cache.py), so
// the same task and inputs give the same key in both SDKs:
//   "{task name}-{cache version}-{joblib.hash(bytes)}"
// where bytes is the deterministic serialization (map keys sorted) of the input LiteralMap without
// the ignored inputs, with every literal that carries a `hash` replaced by a literal of that hash
// alone, and joblib.hash of bytes is the MD5 of joblib's pickle stream of those bytes.
import { encode } from "../idl/codec.js";
import { createHash } from "node:crypto";
import { LiteralMapSchema, type Literal, type LiteralMap } from "../idl/gen/flyteidl/core/literals_pb.js";
import { collectionLiteral, literalMapOf, literalOf, mapLiteral } from "../types/literals.js";

/** A literal with hashes put in place of the values they stand for. */
function hashPlacement(literal: Literal): Literal {
  if (literal.hash !== "") return { ...literalOf({ case: undefined }), hash: literal.hash };
  const v = literal.value;
  if (v.case === "collection") return collectionLiteral(v.value.literals.map(hashPlacement));
  if (v.case === "map") {
    const out: Record<string, Literal> = {};
    for (const [k, l] of Object.entries(v.value.literals)) out[k] = hashPlacement(l);
    return mapLiteral(out);
  }
  return literal;
}

/** Compares strings by code point, as UTF-8 bytes compare (protobuf's deterministic map order). */
function byCodePoint(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.codePointAt(i)!;
    const y = b.codePointAt(i)!;
    if (x !== y) return x - y;
    if (x > 0xffff) i++;
  }
  return a.length - b.length;
}

/**
 * A copy of a message with every object's keys in sorted order. protobuf-es writes map entries
 * (and Struct fields) in key order, so this gives protobuf's deterministic serialization; the
 * order of a message's own properties does not matter to the encoder.
 */
export function sortedCopy<T>(value: T): T {
  if (typeof value !== "object" || value === null || ArrayBuffer.isView(value)) return value;
  if (Array.isArray(value)) return value.map(sortedCopy) as T;
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(value).sort(byCodePoint)) out[key] = sortedCopy((value as Record<string, unknown>)[key]);
  return out as T;
}

/** Protobuf's deterministic bytes of a LiteralMap: map keys sorted, at every depth. */
export function deterministicBytes(map: LiteralMap): Uint8Array {
  return encode(LiteralMapSchema, sortedCopy(map));
}

/** joblib.hash(b) for a bytes object: the MD5 of the pickle (protocol 3) of those bytes. */
export function joblibHashBytes(bytes: Uint8Array): string {
  const header =
    bytes.length < 256
      ? Buffer.from([0x80, 0x03, 0x43, bytes.length])
      : Buffer.concat([Buffer.from([0x80, 0x03, 0x42]), Buffer.from(new Uint32Array([bytes.length]).buffer)]);
  return createHash("md5").update(header).update(bytes).update(Buffer.from([0x2e])).digest("hex");
}

/** The input bytes the cache key hashes: ignored inputs dropped, hashes in place, keys sorted. */
export function hashedInputs(inputs: LiteralMap, ignoredInputs: readonly string[]): Uint8Array {
  const kept: Record<string, Literal> = {};
  for (const [name, literal] of Object.entries(inputs.literals)) {
    if (!ignoredInputs.includes(name)) kept[name] = hashPlacement(literal);
  }
  return deterministicBytes(literalMapOf(kept));
}

/** flytekit's local cache key for a task call. */
export function localCacheKey(taskName: string, cacheVersion: string, inputs: LiteralMap, ignoredInputs: readonly string[]): string {
  return `${taskName}-${cacheVersion}-${joblibHashBytes(hashedInputs(inputs, ignoredInputs))}`;
}
