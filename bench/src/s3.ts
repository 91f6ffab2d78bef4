// The s3:// rows: flytekit-ts-execute with its inputs and outputs in MinIO on loopback (against
// `node -e ''` and against the real pyflyte-execute on the same server), and a 1 GiB file moved
// through our store against the AWS SDK used directly (throughput, and peak memory against a
// 256 MiB file). MinIO is the tests' own (test/support/minio.ts: built once by `go install` into
// .cache/servers, started on a free port), and so is flytekit 1.16.24 (test/support/python.ts:
// installed once into .cache/python-venv); both are TypeScript, loaded through core's TS loader.
import { toBinary } from "@bufbuild/protobuf";
import { Int, TypeEngine } from "@flytekit-ts/core";
import { defaultStorage } from "@flytekit-ts/core/extend";
import { LiteralMapSchema } from "@flytekit-ts/core/idl";
import { registerTypeScriptLoader } from "@flytekit-ts/core/internal";
import { execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { closeSync, mkdtempSync, openSync, rmSync, writeSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import type { Measurement, Row } from "./harness.js";
import { timeProcess, timeProcessesInterleaved } from "./startup.js";

const BENCH_ROOT = join(dirname(fileURLToPath(import.meta.url)), "..");
const REPO_ROOT = join(BENCH_ROOT, "..");
const MiB = 1024 * 1024;
/** What flytekit (and flytekit-ts) write for Trivial.add(3, 4): {o0: 7}. */
const SEVEN = "0a0c0a026f3012060a040a020807";

/** The parts of test/support/minio.ts the bench uses. */
interface Minio {
  endpoint: string;
  env: Record<string, string>;
  stop(): Promise<void>;
}

async function testSupport(): Promise<{ startMinio: (buckets: string[]) => Promise<Minio>; ensureFlytekit: () => { pyflyteExecute: string } }> {
  registerTypeScriptLoader();
  const support = (name: string) => import(pathToFileURL(join(REPO_ROOT, "test/support", name)).href);
  const [{ startMinio }, { ensureFlytekit }] = await Promise.all([support("minio.ts"), support("python.ts")]);
  return { startMinio, ensureFlytekit };
}

function hexOf(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString("hex");
}

export async function s3Bench(): Promise<Row[]> {
  const { startMinio, ensureFlytekit } = await testSupport();
  const { pyflyteExecute } = ensureFlytekit();
  const minio = await startMinio(["bench"]);
  const work = mkdtempSync(join(tmpdir(), "flytekit-ts-bench-s3-"));
  // Every process from here on (and this one's own store) reaches this MinIO and nothing else.
  Object.assign(process.env, minio.env, { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true" });
  try {
    // FLYTEKIT_TS_BENCH_S3_ROUNDS=0: the start-up rows alone.
    const rounds = Number(process.env.FLYTEKIT_TS_BENCH_S3_ROUNDS ?? 3);
    return [...(await executeRows(pyflyteExecute, work)), ...(rounds > 0 ? transferRows(work, rounds) : [])];
  } finally {
    await minio.stop();
    rmSync(work, { recursive: true, force: true });
  }
}

async function executeRows(pyflyteExecute: string, work: string): Promise<Row[]> {
  await defaultStorage.write("s3://bench/exec/inputs.pb", toBinary(LiteralMapSchema, TypeEngine.toLiteralMap({ x: Int, y: Int }, { x: 3, y: 4 })));
  const bin = join(dirname(createRequire(import.meta.url).resolve("@flytekit-ts/core/package.json")), "bin/flytekit-ts-execute.js");
  const container = (out: string, resolver: string, module: string, task: string) => [
    "--inputs", "s3://bench/exec/inputs.pb",
    "--output-prefix", `s3://bench/${out}`,
    "--raw-output-data-prefix", "s3://bench/raw",
    "--checkpoint-path", `s3://bench/${out}-cp`,
    "--prev-checkpoint", '""',
    "--resolver", resolver,
    "--", "task-module", module, "task-name", task,
  ];
  const runs = 15;
  // The task as a container image ships it (compiled), and as TypeScript through core's loader.
  const [baseline, js, ts] = timeProcessesInterleaved(
    [
      { args: ["-e", ""], cwd: BENCH_ROOT },
      { args: [bin, ...container("out-js", "flytekit-ts.DefaultTaskResolver", "dist/entry-task.js", "Trivial.add")], cwd: BENCH_ROOT },
      { args: [bin, ...container("out-ts", "flytekit-ts.DefaultTaskResolver", "src/entry-task.ts", "Trivial.add")], cwd: BENCH_ROOT },
    ],
    runs,
  ) as [Measurement, Measurement, Measurement];
  const home = mkdtempSync(join(work, "pyhome-"));
  const python = timeProcess(container("out-py", "flytekit.core.python_auto_container.default_task_resolver", "bench_tasks", "add"), 5, join(BENCH_ROOT, "python"), {
    command: pyflyteExecute,
    env: { ...process.env, PYTHONPATH: join(BENCH_ROOT, "python"), HOME: home, PYTHONDONTWRITEBYTECODE: "1" },
  });
  // The runs must have worked: 3 + 4, written to MinIO by each.
  for (const out of ["out-js", "out-ts", "out-py"]) {
    const written = hexOf(await defaultStorage.read(`s3://bench/${out}/outputs.pb`));
    if (written !== SEVEN) throw new Error(`the ${out} runs wrote ${written} to s3://bench/${out}/outputs.pb, not the outputs of 3 + 4`);
  }
  const name = "flytekit-ts-execute, a trivial task, inputs and outputs in MinIO (s3://), whole process";
  return [
    { name: `${name}: the task compiled to JavaScript`, ours: js, baselineName: "node -e ''", baseline, targetRatio: 3 },
    { name: `${name}: the task as TypeScript (core's loader)`, ours: ts, baselineName: "node -e ''", baseline, targetRatio: 3 },
    {
      name: "flytekit-ts-execute against pyflyte-execute (flytekit 1.16.24), the same task and MinIO",
      ours: js,
      baselineName: "pyflyte-execute",
      baseline: python,
      note: "no target: for the record",
    },
  ];
}

/** A file of `mib` MiB that no store can compress or deduplicate. */
function bigFile(path: string, mib: number): string {
  const fd = openSync(path, "w");
  const block = randomBytes(MiB);
  for (let i = 0; i < mib; i++) {
    block.writeUInt32LE(i, 0);
    writeSync(fd, block);
  }
  closeSync(fd);
  return path;
}

interface Transfer {
  ns: number;
  maxRss: number;
}

function transfer(who: "ours" | "sdk", direction: "up" | "down", file: string, uri: string): Transfer {
  // Each starts with the page cache written back: the file the one before wrote (or MinIO stored)
  // is not flushed at this one's expense.
  execFileSync("sync");
  const out = execFileSync(process.execPath, [join(BENCH_ROOT, "dist/transfer.js"), who, direction, file, uri], { cwd: BENCH_ROOT, encoding: "utf8" });
  return JSON.parse(out) as Transfer;
}

function summary(values: number[]): Measurement {
  const sorted = [...values].sort((a, b) => a - b);
  return { medianNs: sorted[Math.floor(sorted.length / 2)]!, minNs: sorted[0]!, samples: sorted.length };
}

/** Each transfer in a process of its own, ours and the SDK's interleaved (alternately first), `rounds` times. */
function transfers(work: string, mib: number, rounds: number): Record<string, Transfer[]> {
  const file = bigFile(join(work, `${mib}.bin`), mib);
  const back = join(work, `${mib}.back`);
  const runs: Record<string, Transfer[]> = { "ours up": [], "sdk up": [], "ours down": [], "sdk down": [] };
  for (let round = 0; round < rounds; round++) {
    for (const direction of ["up", "down"] as const) {
      // Who goes first alternates: the one after a transfer meets a server still writing it back.
      for (const who of round % 2 === 0 ? (["ours", "sdk"] as const) : (["sdk", "ours"] as const)) {
        const uri = `s3://bench/big/${who}-${mib}.bin`;
        runs[`${who} ${direction}`]!.push(direction === "up" ? transfer(who, "up", file, uri) : transfer(who, "down", back, uri));
        if (direction === "down") {
          // What came back is what went up (its size, and a block from its end).
          const size = execFileSync("stat", ["-c", "%s", back], { encoding: "utf8" }).trim();
          if (Number(size) !== mib * MiB) throw new Error(`${who} downloaded ${size} bytes of ${uri}, not ${mib * MiB}`);
          rmSync(back);
        }
      }
    }
  }
  rmSync(file);
  return runs;
}

function transferRows(work: string, rounds: number): Row[] {
  const big = transfers(work, 1024, rounds);
  const small = transfers(work, 256, 1);
  const time = (runs: Transfer[]) => summary(runs.map((r) => r.ns));
  const rss = (runs: Transfer[]) => summary(runs.map((r) => r.maxRss));
  const mib = (runs: Transfer[]) => `${(rss(runs).medianNs / MiB).toFixed(0)} MiB`;
  const rows: Row[] = [];
  for (const direction of ["up", "down"] as const) {
    const verb = direction === "up" ? "upload" : "download";
    rows.push({
      name: `S3 ${verb} of a 1 GiB file to MinIO on loopback: our store (the router's s3) against the AWS SDK used directly`,
      unit: "throughput",
      bytes: 1024 * MiB,
      ours: time(big[`ours ${direction}`]!),
      baselineName: direction === "up" ? "@aws-sdk/lib-storage's Upload" : "GetObjectCommand piped to a file",
      baseline: time(big[`sdk ${direction}`]!),
      minThroughputRatio: 0.9,
    });
    rows.push({
      name: `S3 ${verb}, peak RSS of the whole process: a 1 GiB file against a 256 MiB one, through our store`,
      unit: "bytes",
      ours: rss(big[`ours ${direction}`]!),
      baselineName: "the same with 256 MiB",
      baseline: rss(small[`ours ${direction}`]!),
      targetRatio: 1.25,
      note: `the AWS SDK used directly peaks at ${mib(big[`sdk ${direction}`]!)} (1 GiB) and ${mib(small[`sdk ${direction}`]!)} (256 MiB)`,
    });
  }
  return rows;
}
