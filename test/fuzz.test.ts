// A seeded, bounded fuzz test of everything that reads what a container is handed: thousands of
// mutated LiteralMaps through the codec and real tasks' dispatchExecute (every built-in type), and
// mutated TaskTemplates through the codec and ExecutableTemplateShimTask. Whatever a mutation
// does, the SDK either reads it or throws one of its own errors (a FlyteError): never a TypeError,
// a RangeError or a hang. Reproducible: a failure names its seed and case.
import { Bool, Datetime, Dataset, defineRecord, Dict, Directory, Duration, Enum, File, Float, FlyteError, ImageConfig, Int, Json, List, Optional, SerializationSettings, Str, taskOf, toTaskTemplate, Union, type Task } from "@flytekit-ts/core";
import { ExecutableTemplateShimTask, ShimTaskExecutor } from "@flytekit-ts/core/extend";
import { decode, encode, LiteralMapSchema, TaskTemplateSchema, type TaskTemplate } from "@flytekit-ts/core/idl";
import { containerServices, TaskExecutionContext, toLiteralMap } from "@flytekit-ts/core/internal";
import { task } from "@flytekit-ts/decorators";
import { fromBinary, fromJson, toBinary, toJson, type DescMessage, type JsonValue } from "@bufbuild/protobuf";
import { describe, expect, it } from "vitest";
import { seededRandom } from "../packages/core/src/idl/testing.js";

const SEED = 0x5eed_f1e7;
const MAPS = 3000;
const TEMPLATES = 2000;


/** One to three edits: a flipped bit, a replaced byte, a cut, an insertion of random bytes, a repeated slice; sometimes a truncation. */
function mutateBytes(bytes: Uint8Array, rand: () => number): Uint8Array {
  const out = Array.from(bytes);
  const at = () => Math.floor(rand() * Math.max(1, out.length));
  const edits = 1 + Math.floor(rand() * rand() * 3);
  for (let e = 0; e < edits; e++) {
    switch (Math.floor(rand() * 5)) {
      case 0:
        if (out.length > 0) out[at()]! ^= 1 << Math.floor(rand() * 8);
        break;
      case 1:
        if (out.length > 0) out[at()] = Math.floor(rand() * 256);
        break;
      case 2:
        out.splice(at(), 1 + Math.floor(rand() * 8));
        break;
      case 3:
        out.splice(at(), 0, ...Array.from({ length: 1 + Math.floor(rand() * 8) }, () => Math.floor(rand() * 256)));
        break;
      default: {
        const from = at();
        out.splice(at(), 0, ...out.slice(from, from + 1 + Math.floor(rand() * 16)));
      }
    }
  }
  if (rand() < 0.05) out.length = Math.floor(rand() * out.length);
  return Uint8Array.from(out);
}

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** Every subtree of a JSON value, with a way to replace it in its parent. */
function nodes(value: Json, out: { node: Json; set?: (v: Json | undefined) => void }[] = [], set?: (v: Json | undefined) => void) {
  out.push({ node: value, set });
  if (Array.isArray(value)) value.forEach((v, i) => nodes(v, out, (n) => (n === undefined ? value.splice(i, 1) : (value[i] = n))));
  else if (value !== null && typeof value === "object") {
    for (const key of Object.keys(value)) nodes(value[key]!, out, (n) => (n === undefined ? delete value[key] : (value[key] = n)));
  }
  return out;
}

const ODD_VALUES: Json[] = ["", "-1", "NaN", "1e309", "99999999999999999999999", "-9223372036854775809", "\u0000", "../../etc/passwd", "s3://", "file:///", -1, 0, 1e308, 2 ** 53 + 1, true, null, [], {}];

/**
 * An edit of a message's structure, through its protobuf JSON: a field removed, a subtree replaced
 * by one from another document (an Int where a record was, a blob where a list was), a subtree
 * repeated, or a leaf replaced by an odd value. What no longer parses as the message is skipped.
 */
function mutateTree(json: Json, pool: readonly Json[], rand: () => number): Json {
  const copy = structuredClone(json);
  const edits = 1 + Math.floor(rand() * 3);
  for (let e = 0; e < edits; e++) {
    const all = nodes(copy).filter((n) => n.set !== undefined);
    if (all.length === 0) break;
    const target = all[Math.floor(rand() * all.length)]!;
    const pick = <T,>(xs: readonly T[]) => xs[Math.floor(rand() * xs.length)]!;
    switch (Math.floor(rand() * 4)) {
      case 0:
        target.set!(undefined);
        break;
      case 1:
        target.set!(structuredClone(pick(pool)));
        break;
      case 2:
        if (Array.isArray(target.node)) target.node.push(...structuredClone(target.node));
        else target.set!(structuredClone(pick(pool)));
        break;
      default:
        target.set!(pick(ODD_VALUES));
    }
  }
  return copy;
}

/** A mutant of a base document: half of them byte edits, half structure edits (re-encoded). */
function mutant<D extends DescMessage>(schema: D, base: Uint8Array, pool: readonly Json[], rand: () => number): Uint8Array {
  if (rand() < 0.5) return mutateBytes(base, rand);
  const json = toJson(schema, fromBinary(schema, base)) as Json;
  for (let tries = 0; tries < 5; tries++) {
    try {
      return toBinary(schema, fromJson(schema, mutateTree(json, pool, rand) as JsonValue));
    } catch {
      // not the message any more: try another edit
    }
  }
  return mutateBytes(base, rand);
}

/** Subtrees of the documents' JSON, to graft into others. */
function poolOf<D extends DescMessage>(schema: D, documents: readonly Uint8Array[]): Json[] {
  return documents.flatMap((d) => nodes(toJson(schema, fromBinary(schema, d)) as Json).map((n) => n.node));
}

class Point {
  x!: number;
  label!: string | null;
  tags!: string[];
}
defineRecord(Point, { x: Int, label: Optional(Str), tags: List(Str) });
const Colour = Enum({ Red: "red", Green: "green", Blue: "blue" }, "Colour");

/** Tasks that give back what they were given: a failure can only be the SDK's. */
class Echoes {
  @task({ inputs: { a: Int, b: Float, c: Str, d: Bool }, outputs: { a: Int, b: Float, c: Str, d: Bool } })
  static scalars(a: number, b: number, c: string, d: boolean) {
    return { a, b, c, d };
  }

  @task({ inputs: { xs: List(Int), m: Dict(List(Str)), j: Json }, outputs: { xs: List(Int), m: Dict(List(Str)), j: Json } })
  static collections(xs: number[], m: Record<string, string[]>, j: Record<string, unknown>) {
    return { xs, m, j };
  }

  @task({ inputs: { p: Point, ps: List(Point), o: Optional(Point) }, outputs: { p: Point, ps: List(Point), o: Optional(Point) } })
  static records(p: Point, ps: Point[], o: Point | null) {
    return { p, ps, o };
  }

  @task({ inputs: { u: Union(Int, Str, List(Float)), e: Colour, t: Datetime, d: Duration }, outputs: { u: Union(Int, Str, List(Float)), e: Colour, t: Datetime, d: Duration } })
  static variants(u: unknown, e: string, t: Date, d: unknown) {
    return { u, e, t, d };
  }

  @task({ inputs: { f: File, dir: Directory, ds: Dataset }, outputs: { f: File, dir: Directory, ds: Dataset } })
  static references(f: unknown, dir: unknown, ds: unknown) {
    return { f, dir, ds };
  }
}

const point = Object.assign(new Point(), { x: 3, label: "p", tags: ["a", "b"] });
const cases: { task: Task; inputs: Record<string, unknown>; types: Record<string, unknown> }[] = [
  { task: taskOf(Echoes.scalars), types: { a: Int, b: Float, c: Str, d: Bool }, inputs: { a: 7, b: 2.5, c: "héllo", d: true } },
  { task: taskOf(Echoes.collections), types: { xs: List(Int), m: Dict(List(Str)), j: Json }, inputs: { xs: [1, 2, 3], m: { k: ["v", "w"] }, j: { n: 1, s: "x", l: [1, { d: null }] } } },
  { task: taskOf(Echoes.records), types: { p: Point, ps: List(Point), o: Optional(Point) }, inputs: { p: point, ps: [point, point], o: null } },
  { task: taskOf(Echoes.variants), types: { u: Union(Int, Str, List(Float)), e: Colour, t: Datetime, d: Duration }, inputs: { u: [1.5, 2], e: "green", t: new Date(1_700_000_000_000), d: { seconds: 1, nanos: 500_000_000 } } },
  {
    task: taskOf(Echoes.references),
    types: { f: File, dir: Directory, ds: Dataset },
    inputs: { f: "s3://bucket/a/file.txt", dir: "s3://bucket/a/dir", ds: "s3://bucket/a/table" },
  },
];

/** Runs `run`; returns a description of what it threw when that is not the SDK's own error. */
async function foreign(run: () => unknown): Promise<string | undefined> {
  try {
    await run();
    return undefined;
  } catch (e) {
    if (e instanceof FlyteError) return undefined;
    return e instanceof Error ? `${e.name}: ${e.message}\n${e.stack?.split("\n").slice(1, 4).join("\n")}` : `a thrown ${typeof e}: ${String(e)}`;
  }
}

const services = containerServices({});

/** The start of a document's bytes, for a failure's message (the seed and case reproduce it whole). */
function hex(bytes: Uint8Array): string {
  const text = Buffer.from(bytes).toString("hex");
  return text.length > 160 ? `${text.slice(0, 160)}… (${bytes.length} bytes)` : text;
}

describe(`fuzzing what a container is handed (seed ${SEED.toString(16)})`, () => {
  it(`${MAPS} mutated LiteralMaps through the codec and dispatchExecute: the SDK's own errors only`, async () => {
    const rand = seededRandom(SEED);
    const bases = cases.map((c) => encode(LiteralMapSchema, toLiteralMap(c.types as never, c.inputs as never)));
    const pool = poolOf(LiteralMapSchema, bases);
    const failures: string[] = [];
    let decoded = 0;
    for (let i = 0; i < MAPS; i++) {
      const k = i % cases.length;
      const bytes = mutant(LiteralMapSchema, bases[k]!, pool, rand);
      const { task: t } = cases[k]!;
      const failure = await foreign(() => {
        const inputs = decode(LiteralMapSchema, bytes, "inputs");
        decoded++;
        return t.dispatchExecute(inputs, new TaskExecutionContext({ taskName: t.name, services }));
      });
      if (failure !== undefined) failures.push(`case ${i} (${t.name}, bytes ${hex(bytes)}): ${failure}`);
    }
    expect(failures.slice(0, 5).join("\n\n")).toBe("");
    // The mutations are small: many documents still decode and reach the types.
    expect(decoded).toBeGreaterThan(MAPS / 3);
  });

  it(`${TEMPLATES} mutated TaskTemplates through the codec and ExecutableTemplateShimTask: the SDK's own errors only`, async () => {
    class Passthrough extends ShimTaskExecutor {
      static override location = "fuzz#Passthrough";
      executeFromModel(_t: TaskTemplate, inputs: Readonly<Record<string, unknown>>): unknown {
        return Object.values(inputs)[0];
      }
    }
    const settings = new SerializationSettings({ project: "p", domain: "d", version: "v1", imageConfig: ImageConfig.auto("docker.io/xyz:1") });
    const templates = cases.map((c) => encode(TaskTemplateSchema, toTaskTemplate(c.task, settings)));
    const inputs = cases.map((c) => toLiteralMap(c.types as never, c.inputs as never));
    const pool = poolOf(TaskTemplateSchema, templates);
    const rand = seededRandom(SEED ^ 0xa5a5);
    const failures: string[] = [];
    let built = 0;
    for (let i = 0; i < TEMPLATES; i++) {
      const k = i % cases.length;
      const bytes = mutant(TaskTemplateSchema, templates[k]!, pool, rand);
      const failure = await foreign(() => {
        const shim = new ExecutableTemplateShimTask(decode(TaskTemplateSchema, bytes, "task template"), Passthrough);
        built++;
        return shim.dispatchExecute(inputs[k]!, new TaskExecutionContext({ taskName: shim.name, services }));
      });
      if (failure !== undefined) failures.push(`case ${i} (template of ${cases[k]!.task.name}, bytes ${hex(bytes)}): ${failure}`);
    }
    expect(failures.slice(0, 5).join("\n\n")).toBe("");
    expect(built).toBeGreaterThan(TEMPLATES / 3);
  });
});
