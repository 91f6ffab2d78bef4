// Converting a LiteralMap of 100,000 mixed values to literals and back, against encoding and
// decoding the same already-built message with @bufbuild/protobuf alone.
import { fromBinary, toBinary } from "@bufbuild/protobuf";
import { defineRecord, Dict, Float, Int, List, Str, type TypeSpec } from "@flytekit-ts/core";
import { fromLiteralMap, toLiteralMap } from "@flytekit-ts/core/internal";
import { LiteralMapSchema } from "@flytekit-ts/core/idl";
import { measure, report, type Row } from "./harness.js";

class Point {
  x: number | bigint = 0;
  y = 0;
  label = "";
}
defineRecord(Point, { x: Int, y: Float, label: Str });

const SIZE = 100_000;

function build(): { types: Record<string, TypeSpec>; values: Record<string, unknown> } {
  const types: Record<string, TypeSpec> = {};
  const values: Record<string, unknown> = {};
  const kinds: [TypeSpec, (i: number) => unknown][] = [
    [Int, (i) => i],
    [Float, (i) => i + 0.5],
    [Str, (i) => `value-${i}`],
    [List(Int), (i) => [i, i + 1, i + 2]],
    [Dict(Float), (i) => ({ a: i * 0.25, b: -i })],
    [List(Dict(Str)), (i) => [{ k: `v${i}` }]],
    [Point, (i) => Object.assign(new Point(), { x: i, y: i / 3, label: `p${i}` })],
  ];
  for (let i = 0; i < SIZE; i++) {
    const [type, make] = kinds[i % kinds.length]!;
    types[`v${i}`] = type;
    values[`v${i}`] = make(i);
  }
  return { types, values };
}

export function literalMapBench(): Row {
  const { types, values } = build();
  const map = toLiteralMap(types, values);
  const ours = measure(() => fromLiteralMap(types, toLiteralMap(types, values)), { samples: 9, warmup: 3, gcBetweenSamples: true });
  const baseline = measure(() => fromBinary(LiteralMapSchema, toBinary(LiteralMapSchema, map)), { samples: 9, warmup: 3, gcBetweenSamples: true });
  return {
    name: `LiteralMap of ${SIZE.toLocaleString("en")} mixed values (ints, floats, strings, lists, dicts, records): native → literals → native`,
    ours,
    baselineName: "protobuf-es toBinary + fromBinary of the same LiteralMap",
    baseline,
    targetRatio: 3,
  };
}
