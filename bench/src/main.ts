// `npm run bench`: every figure is a ratio to a baseline measured in the same run.
import { VERSION } from "@flytekit-ts/core";
import { cpus } from "node:os";
import { report, type Row } from "./harness.js";
import { literalMapBench } from "./literal-map.js";
import { cacheHitBench } from "./cache-hit.js";
import { decorateBench } from "./decorate.js";
import { importBench } from "./startup.js";
import { listCallBench, taskCallBench } from "./task-call.js";

const benches: [string, () => Row][] = [
  ["literal-map", literalMapBench],
  ["task-call", taskCallBench],
  ["list-call", listCallBench],
  ["cache-hit", cacheHitBench],
  ["decorate", decorateBench],
  ["import", importBench],
];

const only = process.argv.slice(2);
console.log(`flytekit-ts ${VERSION} benchmarks — node ${process.version}, ${cpus().length} × ${cpus()[0]?.model ?? "cpu"}`);
let missed = 0;
for (const [name, bench] of benches) {
  if (only.length > 0 && !only.includes(name)) continue;
  const { ok } = report(bench());
  if (!ok) missed++;
}
console.log(`\n${missed === 0 ? "all targets met" : `${missed} target(s) missed`}`);
