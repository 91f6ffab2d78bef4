// Random messages of every IDL type, for the tests of the fast encoder and create (test-only).
import { type DescField, type DescMessage, type JsonValue, ScalarType } from "@bufbuild/protobuf";
import { nestedTypes } from "@bufbuild/protobuf/reflect";
import * as admin from "./admin.js";
import * as core from "./core.js";
import { isWrapperDesc } from "./binary.js";
import * as event from "./event.js";

/** Every message type of flyteidl.core, admin and event (and the google.protobuf types they use). */
export function allMessages(): DescMessage[] {
  const seen = new Set<string>();
  const out: DescMessage[] = [];
  const visit = (m: DescMessage) => {
    if (seen.has(m.typeName)) return;
    seen.add(m.typeName);
    out.push(m);
    for (const f of m.fields) if (f.message !== undefined) visit(f.message);
  };
  for (const ns of [core, admin, event] as Record<string, unknown>[]) {
    for (const value of Object.values(ns)) {
      const file = value as { kind?: string };
      if (file?.kind !== "file") continue;
      for (const t of nestedTypes(file as Parameters<typeof nestedTypes>[0])) if (t.kind === "message") visit(t);
    }
  }
  return out;
}

/** A small seeded generator, so that a failure is reproducible. */
export function rng(seed: number) {
  let s = seed >>> 0;
  const next = () => {
    s = (Math.imul(s ^ (s >>> 15), 0x2c1b3c6d) + 0x9e3779b9) >>> 0;
    s = (s ^ (s >>> 13)) >>> 0;
    return s / 2 ** 32;
  };
  return {
    next,
    int: (n: number) => Math.floor(next() * n),
    pick: <T>(xs: readonly T[]): T => xs[Math.floor(next() * xs.length)]!,
    chance: (p: number) => next() < p,
  };
}
export type Rng = ReturnType<typeof rng>;

const STRINGS = ["", "a", "task", "ünïcödé", "✓ 世界", "emoji 🚀", "lone \ud800 surrogate", "x".repeat(200)];

function scalar(type: ScalarType, r: Rng): unknown {
  switch (type) {
    case ScalarType.STRING:
      return r.pick(STRINGS);
    case ScalarType.BYTES:
      return Uint8Array.from({ length: r.int(4) * 70 }, () => r.int(256));
    case ScalarType.BOOL:
      return r.chance(0.5);
    case ScalarType.DOUBLE:
      return r.pick([0, -0, 1.5, -2.25, 1e300, Number.NaN, Number.POSITIVE_INFINITY, r.next() * 1e6]);
    case ScalarType.FLOAT:
      return Math.fround(r.pick([0, -0, 1.5, -3.75, 1e20, r.next() * 1000]));
    case ScalarType.INT32:
    case ScalarType.SINT32:
    case ScalarType.SFIXED32:
      return r.pick([0, 1, -1, 127, 128, 300, -300, 2 ** 31 - 1, -(2 ** 31)]);
    case ScalarType.UINT32:
    case ScalarType.FIXED32:
      return r.pick([0, 1, 127, 128, 16384, 2 ** 32 - 1]);
    case ScalarType.INT64:
    case ScalarType.SINT64:
    case ScalarType.SFIXED64:
      return r.pick([0n, 1n, -1n, 2n ** 31n, 2n ** 53n + 1n, -(2n ** 63n), 2n ** 63n - 1n]);
    case ScalarType.UINT64:
    case ScalarType.FIXED64:
      return r.pick([0n, 1n, 2n ** 32n, 2n ** 64n - 1n]);
  }
}

function json(r: Rng, depth: number): JsonValue {
  const kind = r.int(depth > 2 ? 4 : 6);
  switch (kind) {
    case 0:
      return null;
    case 1:
      return r.pick([0, -0, 2.5, -1e10]);
    case 2:
      return r.pick(STRINGS);
    case 3:
      return r.chance(0.5);
    case 4:
      return Array.from({ length: r.int(3) }, () => json(r, depth + 1));
    default:
      return jsonObject(r, depth + 1);
  }
}

function jsonObject(r: Rng, depth: number): { [k: string]: JsonValue } {
  return Object.fromEntries(Array.from({ length: r.int(4) }, (_, i) => [`${r.pick(STRINGS)}${i}`, json(r, depth)]));
}

const isStruct = (m: DescMessage) => m.typeName === "google.protobuf.Struct";

function messageValue(field: DescField, m: DescMessage, r: Rng, depth: number, singular: boolean): unknown {
  if (isStruct(m) && field.parent.typeName !== "google.protobuf.Value") return jsonObject(r, depth);
  if (singular && field.oneof === undefined && isWrapperDesc(m)) return scalar(m.fields[0]!.scalar!, r);
  return init(m, r, depth + 1);
}

function fieldValue(field: DescField, r: Rng, depth: number): unknown {
  switch (field.fieldKind) {
    case "scalar":
      return scalar(field.scalar, r);
    case "enum":
      return r.pick(field.enum.values).number;
    case "message":
      return messageValue(field, field.message, r, depth, true);
    case "list":
      return Array.from({ length: r.int(4) }, () =>
        field.listKind === "scalar" ? scalar(field.scalar, r) : field.listKind === "enum" ? r.pick(field.enum.values).number : messageValue(field, field.message, r, depth, false),
      );
    case "map": {
      const key = () => {
        const k = scalar(field.mapKey, r);
        return String(k);
      };
      return Object.fromEntries(
        Array.from({ length: r.int(4) }, () => [
          key(),
          field.mapKind === "scalar" ? scalar(field.scalar, r) : field.mapKind === "enum" ? r.pick(field.enum.values).number : messageValue(field, field.message, r, depth, false),
        ]),
      );
    }
  }
}

export function init(desc: DescMessage, r: Rng, depth = 0): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (depth > 4) return out;
  for (const oneof of desc.oneofs) {
    if (r.chance(0.3)) continue;
    const f = r.pick(oneof.fields);
    out[oneof.localName] = { case: f.localName, value: fieldValue(f, r, depth) };
  }
  for (const f of desc.fields) {
    if (f.oneof !== undefined || r.chance(0.35)) continue;
    out[f.localName] = fieldValue(f, r, depth);
  }
  return out;
}

/**
 * A small seeded random source (mulberry32): the same numbers in [0, 1) on every machine, for the
 * tests that generate their cases (fuzzing, random tables, random values).
 */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
