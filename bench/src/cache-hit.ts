// A local cache hit, against reading the stored entry's bytes from disk and decoding them (the
// baseline skips the entry's header and checksum).
import { fromBinary } from "@bufbuild/protobuf";
import { functionTask, Int, LocalCache, TypeEngine, withServices } from "@flytekit-ts/core";
import { DiskCacheStore, LOCAL_CACHE_HEADER_BYTES, localCacheKey } from "@flytekit-ts/core/internal";
import { LiteralMapSchema } from "@flytekit-ts/core/idl";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { measure, type Row } from "./harness.js";

export function cacheHitBench(): Row {
  const dir = mkdtempSync(join(tmpdir(), "flytekit-ts-bench-cache-"));
  return withServices({ localCache: new LocalCache({ dir }) }, () => {
  try {
    const square = functionTask({ name: "bench.square", inputs: { x: Int }, outputs: Int, cache: true, cacheVersion: "1" }, ({ x }) => Number(x) ** 2);
    square({ x: 12 });
    const file = new DiskCacheStore(dir).fileOf(localCacheKey("bench.square", "1", TypeEngine.toLiteralMap({ x: Int }, { x: 12 }), []));
    let sink = 0;
    const ours = measure(() => (sink += Number(square({ x: 12 }))), { batch: 2_000, samples: 15 });
    const baseline = measure(() => (sink += fromBinary(LiteralMapSchema, readFileSync(file).subarray(LOCAL_CACHE_HEADER_BYTES)).literals.o0 === undefined ? 0 : 1), {
      batch: 2_000,
      samples: 15,
    });
    if (sink === 0) throw new Error("unreachable");
    return {
      name: "local cache hit of an (Int) -> Int task",
      ours,
      baselineName: "readFileSync + fromBinary of the stored entry's bytes",
      baseline,
      targetNs: 50_000,
      note: "Python flytekit 1.16 takes about 575 µs per hit here",
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  });
}
