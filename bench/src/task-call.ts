// A local call of a trivial (Int, Int) -> Int task, and of one with a 10,000-element List(Int)
// input, each against a plain call of the same function.
import { Int, List, taskOf } from "@flytekit-ts/core";
import { task } from "@flytekit-ts/decorators";
import { measure, type Row } from "./harness.js";

class Bench {
  @task({ inputs: { x: Int, y: Int }, outputs: Int })
  static add(x: number, y: number): number {
    return x + y;
  }

  @task({ inputs: { xs: List(Int) }, outputs: Int })
  static total(xs: number[]): number {
    let sum = 0;
    for (const x of xs) sum += x;
    return sum;
  }
}

function plainAdd(x: number, y: number): number {
  return x + y;
}

function plainTotal(xs: number[]): number {
  let sum = 0;
  for (const x of xs) sum += x;
  return sum;
}

let sink = 0;

export function taskCallBench(): Row {
  taskOf(Bench.add); // build the task before timing
  const ours = measure(() => (sink += Bench.add(1, 2)), { batch: 20_000, samples: 15 });
  const baseline = measure(() => (sink += plainAdd(1, 2)), { batch: 20_000, samples: 15 });
  return {
    name: "local call of a trivial (Int, Int) -> Int task",
    ours,
    baselineName: "a plain function call",
    baseline,
    targetNs: 5_000,
    note: "Python flytekit 1.16 takes about 1,560 µs per call here",
  };
}

export function listCallBench(): Row {
  const xs = Array.from({ length: 10_000 }, (_, i) => i);
  taskOf(Bench.total);
  const ours = measure(() => (sink += Bench.total(xs)), { batch: 20, samples: 15 });
  const baseline = measure(() => (sink += plainTotal(xs)), { batch: 2_000, samples: 15 });
  return {
    name: "local call with a 10,000-element List(Int) input",
    ours,
    baselineName: "a plain function call on the same array",
    baseline,
    targetNs: 3_000_000,
    note: "Python flytekit 1.16 takes about 307 ms per call here",
  };
}

export function sinkValue(): number {
  return sink;
}
