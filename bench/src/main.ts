// `npm run bench`: every figure is a ratio to a baseline measured in the same run.
import { VERSION } from "@flytekit-ts/core";
import { spawnSync } from "node:child_process";
import { cpus } from "node:os";
import { fileURLToPath } from "node:url";
import { report, type Row } from "./harness.js";
import { literalMapBench } from "./literal-map.js";
import { cacheHitBench } from "./cache-hit.js";
import { decorateBench } from "./decorate.js";
import { entrypointBench } from "./entrypoint.js";
import { serializeBench } from "./serialize.js";
import { importBench } from "./startup.js";
import { listCallBench, taskCallBench } from "./task-call.js";
import { s3Bench } from "./s3.js";
import { tablesBench } from "./tables.js";
import { analysisBench } from "./analysis.js";

const benches: [string, () => Row | Row[] | Promise<Row[]>][] = [
  ["literal-map", literalMapBench],
  ["task-call", taskCallBench],
  ["list-call", listCallBench],
  ["cache-hit", cacheHitBench],
  ["decorate", decorateBench],
  ["import", importBench],
  ["serialize", serializeBench],
  ["entrypoint", entrypointBench],
  // Generates two projects typed only by TypeScript and type-checks them about fifty times: about two minutes.
  ["analysis", analysisBench],
  // Starts MinIO (built once into .cache/servers) and moves 1 GiB through it: about two minutes.
  ["s3", s3Bench],
  // 1,000,000 rows written and read as Parquet, ours against pyarrow in flytekit's venv: about three minutes.
  ["tables", tablesBench],
];

// Each benchmark runs in a process of its own, so that one's heap does not weigh on the next;
// within it, the figure and its baseline are measured side by side.
const args = process.argv.slice(2);
if (args[0] === "--one") {
  const bench = benches.find(([name]) => name === args[1]);
  if (bench === undefined) throw new Error(`no benchmark ${args[1]}`);
  const rows = [await bench[1]()].flat();
  const missed = rows.map((row) => report(row)).filter((r) => !r.ok).length;
  process.exit(missed === 0 ? 0 : 3);
}
console.log(`flytekit-ts ${VERSION} benchmarks — node ${process.version}, ${cpus().length} × ${cpus()[0]?.model ?? "cpu"}`);
let missed = 0;
for (const [name] of benches) {
  if (args.length > 0 && !args.includes(name)) continue;
  const child = spawnSync(process.execPath, [...process.execArgv, fileURLToPath(import.meta.url), "--one", name], { stdio: "inherit" });
  if (child.status !== 0) missed++;
}
console.log(`\n${missed === 0 ? "all targets met" : `${missed} target(s) missed`}`);
