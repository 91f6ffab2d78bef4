// The local cache: a task with a cache version answers a repeated call from disk, keyed like
// flytekit's (task name, version and inputs). FLYTE_LOCAL_CACHE_ENABLED=false switches it off,
// FLYTE_LOCAL_CACHE_OVERWRITE=true reruns and replaces.
import { Cache, Int, LocalCache, withServices } from "@flytekit-ts/core";
import { task } from "@flytekit-ts/decorators";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

let runs = 0;

export const slowSquare = task(
  { name: "examples.slow_square", inputs: { x: Int, note: Int }, outputs: Int, cache: new Cache({ version: "1", ignoredInputs: ["note"] }) },
  ({ x }) => {
    runs++;
    return Number(x) * Number(x);
  },
);

export async function main(): Promise<void> {
  // A directory of its own, so that every run of the examples starts cold.
  const localCache = new LocalCache({ dir: mkdtempSync(join(tmpdir(), "flytekit-ts-example-cache-")) });
  const results = withServices({ localCache }, () => [slowSquare({ x: 12, note: 1 }), slowSquare({ x: 12, note: 2 }), slowSquare({ x: 13, note: 1 })]);
  console.log(`results ${JSON.stringify(results)} from ${runs} runs (note is not part of the key)`);
  localCache.clear();
}
