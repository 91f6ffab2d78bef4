// The tables rows: 1,000,000 rows × 5 columns (int64, float64, string, bool, timestamp[us]) written
// to Parquet and read back through our codec (parquet-wasm), against pyarrow 26 doing the same in
// the same run (flytekit's venv, test/support/python.ts). Each side runs in processes of its own
// (dist/tables-run.js, python/tables_bench.py), alternately first, on the same Arrow IPC file:
// warm times (the median of every warm call), first calls (loading the Parquet libraries with
// them), and the peak RSS of one write and one read above the process's baseline (taken with
// everything loaded), against the table's Arrow size.
import { registerTypeScriptLoader } from "@flytekit-ts/core/internal";
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import type { Measurement, Row } from "./harness.js";
import { formatBytes } from "./harness.js";

const BENCH_ROOT = join(dirname(fileURLToPath(import.meta.url)), "..");
const REPO_ROOT = join(BENCH_ROOT, "..");
const ROWS = 1_000_000;

async function venvPython(): Promise<string> {
  registerTypeScriptLoader();
  const { ensureFlytekit } = (await import(pathToFileURL(join(REPO_ROOT, "test/support/python.ts")).href)) as { ensureFlytekit: () => { python: string } };
  return ensureFlytekit().python;
}

/**
 * The bench's table, written as an Arrow IPC file: random int64 ids, float64 values, strings of a
 * word and a number (about 10 bytes, some 680,000 distinct), booleans, and timestamps a second
 * apart. Deterministic (a seeded generator). Returns its size in Arrow (every buffer's bytes).
 */
async function makeTable(path: string): Promise<number> {
  const { loadArrow } = await import("@flytekit-ts/core/internal");
  const arrow = await loadArrow();
  let seed = 42;
  // mulberry32
  const random = () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const words = ["alpha", "beta", "gamma", "delta", "epsilon", "zeta", "eta", "theta", "iota", "kappa", "lambda", "mu"];
  const ids = new BigInt64Array(ROWS);
  const xs = new Float64Array(ROWS);
  const at = new BigInt64Array(ROWS);
  const flags = new Uint8Array(Math.ceil(ROWS / 8));
  const offsets = new Int32Array(ROWS + 1);
  const text = Buffer.alloc(ROWS * 16);
  let length = 0;
  for (let i = 0; i < ROWS; i++) {
    ids[i] = BigInt(Math.floor(random() * 1e12));
    xs[i] = random() * 1000;
    at[i] = 1_700_000_000_000_000n + BigInt(i) * 1_000_000n + BigInt(Math.floor(random() * 1e6));
    if (random() < 0.5) flags[i >> 3]! |= 1 << (i & 7);
    length += text.write(`${words[Math.floor(random() * words.length)]}-${Math.floor(random() * 100_000)}`, length, "latin1");
    offsets[i + 1] = length;
  }
  const fields = [
    new arrow.Field("id", new arrow.Int64(), true),
    new arrow.Field("x", new arrow.Float64(), true),
    new arrow.Field("name", new arrow.Utf8(), true),
    new arrow.Field("flag", new arrow.Bool(), true),
    new arrow.Field("at", new arrow.TimestampMicrosecond(), true),
  ];
  const children = [
    arrow.makeData({ type: new arrow.Int64(), length: ROWS, data: ids }),
    arrow.makeData({ type: new arrow.Float64(), length: ROWS, data: xs }),
    arrow.makeData({ type: new arrow.Utf8(), length: ROWS, data: new Uint8Array(text.buffer, text.byteOffset, length).slice(), valueOffsets: offsets }),
    arrow.makeData({ type: new arrow.Bool(), length: ROWS, data: flags }),
    arrow.makeData({ type: new arrow.TimestampMicrosecond(), length: ROWS, data: at }),
  ];
  const schema = new arrow.Schema(fields);
  const table = new arrow.Table([new arrow.RecordBatch(schema, arrow.makeData({ type: new arrow.Struct(fields), length: ROWS, children }))]);
  writeFileSync(path, arrow.tableToIPC(table, "file"));
  return table.batches.reduce((n, b) => n + b.data.byteLength, 0);
}

interface Times {
  first: number;
  warm: number[];
}
interface Memory {
  baseline: number;
  peak: number;
  wasm?: number;
}

function summary(values: number[]): Measurement {
  const sorted = [...values].sort((a, b) => a - b);
  return { medianNs: sorted[Math.floor(sorted.length / 2)]!, minNs: sorted[0]!, samples: sorted.length };
}

export async function tablesBench(): Promise<Row[]> {
  const python = await venvPython();
  const work = mkdtempSync(join(tmpdir(), "flytekit-ts-bench-tables-"));
  try {
    const arrowFile = join(work, "table.arrow");
    const arrowBytes = await makeTable(arrowFile);
    const oursFile = join(work, "ours.parquet");
    const pyFile = join(work, "pyarrow.parquet");
    const ours = (mode: string, file = oursFile, ...more: string[]) =>
      JSON.parse(execFileSync(process.execPath, ["--expose-gc", join(BENCH_ROOT, "dist/tables-run.js"), mode, arrowFile, file, ...more], { cwd: BENCH_ROOT, encoding: "utf8" })) as Times & Memory;
    const pyarrow = (mode: string) =>
      JSON.parse(execFileSync(python, [join(BENCH_ROOT, "python/tables_bench.py"), mode, arrowFile, pyFile], { cwd: BENCH_ROOT, encoding: "utf8" })) as Times & Memory;
    // FLYTEKIT_TS_BENCH_TABLES_ROUNDS: processes of each kind (each makes 1 first call and 5 warm ones).
    const rounds = Number(process.env.FLYTEKIT_TS_BENCH_TABLES_ROUNDS ?? 3);
    const runs: Record<string, (Times & Memory)[]> = {};
    const run = (key: string, fn: () => Times & Memory) => (runs[key] ??= []).push(fn());
    for (let round = 0; round < rounds; round++) {
      // Who goes first alternates: the machine's load then weighs on both alike.
      const sides: [string, (mode: string) => Times & Memory][] = [["ours", (m) => ours(m)], ["pyarrow", pyarrow]];
      if (round % 2 === 1) sides.reverse();
      for (const mode of ["write-time", "read-time", "write-mem", "read-mem"]) for (const [side, fn] of sides) run(`${side} ${mode}`, () => fn(mode));
      // Our codec on pyarrow's file: one row group of 1,000,000 rows, decoded whole before its first batch.
      run("ours read-mem pyarrow's file", () => ours("read-mem", pyFile));
      run("ours read-time pyarrow's file", () => ours("read-time", pyFile));
    }
    // Streamed: the same rows 1 and 4 times over, written as batches made on the fly and read batch by batch.
    const streamed = join(work, "streamed.parquet");
    for (let round = 0; round < rounds; round++) {
      for (const times of [1, 4]) {
        run(`stream-write ${times}`, () => ours("stream-write-mem", streamed, String(times)));
        run(`stream-read ${times}`, () => ours("stream-read-mem", streamed));
      }
    }
    rmSync(streamed, { force: true });
    const warm = (key: string) => summary(runs[key]!.flatMap((r) => r.warm));
    const first = (key: string) => summary(runs[key]!.map((r) => r.first));
    const above = (key: string) => summary(runs[key]!.map((r) => r.peak - r.baseline));
    const wasm = (key: string) => formatBytes(summary(runs[key]!.map((r) => r.wasm ?? 0)).medianNs);
    const arrow: Measurement = { medianNs: arrowBytes, minNs: arrowBytes, samples: 1 };
    const table = `${ROWS.toLocaleString("en")} rows × 5 columns (${formatBytes(arrowBytes)} of Arrow)`;
    const sizes = `files: ours ${formatBytes(statSync(oursFile).size)}, pyarrow's ${formatBytes(statSync(pyFile).size)}`;
    return [
      { name: `Parquet write of ${table}, warm: our codec against pyarrow 26's write_table`, ours: warm("ours write-time"), baselineName: "pyarrow", baseline: warm("pyarrow write-time"), targetRatio: 2, note: sizes },
      { name: `Parquet read of the file each wrote, into one Table, warm: our codec against pyarrow 26's read_table`, ours: warm("ours read-time"), baselineName: "pyarrow", baseline: warm("pyarrow read-time"), targetRatio: 2 },
      { name: "Parquet write, first call in a fresh process (loading parquet-wasm / pyarrow.parquet)", ours: first("ours write-time"), baselineName: "pyarrow", baseline: first("pyarrow write-time"), note: "no target: for the record" },
      { name: "Parquet read, first call in a fresh process (loading apache-arrow and parquet-wasm / pyarrow)", ours: first("ours read-time"), baselineName: "pyarrow", baseline: first("pyarrow read-time"), note: "no target: for the record" },
      {
        name: "Parquet write, peak RSS above the process's baseline (the table given included) against the table's Arrow size",
        unit: "bytes",
        ours: above("ours write-mem"),
        baselineName: "the Arrow size",
        baseline: arrow,
        targetRatio: 2,
        note: `pyarrow: ${formatBytes(above("pyarrow write-mem").medianNs)}; WebAssembly memory after it: ${wasm("ours write-mem")}`,
      },
      {
        name: "Parquet read, peak RSS above the process's baseline (the Table read included) against the table's Arrow size",
        unit: "bytes",
        ours: above("ours read-mem"),
        baselineName: "the Arrow size",
        baseline: arrow,
        targetRatio: 2,
        note: `pyarrow: ${formatBytes(above("pyarrow read-mem").medianNs)}; WebAssembly memory after it: ${wasm("ours read-mem")}`,
      },
      ...(["write", "read"] as const).map((verb): Row => ({
        name: `Parquet ${verb}, streamed (batch by batch, none kept): peak RSS above the baseline for 4,000,000 rows against 1,000,000`,
        unit: "bytes",
        ours: above(`stream-${verb} 4`),
        baselineName: "the same with 1,000,000 rows",
        baseline: above(`stream-${verb} 1`),
        targetRatio: 1.5,
        note: `bounded by the row group, not the file; WebAssembly memory ${wasm(`stream-${verb} 4`)} and ${wasm(`stream-${verb} 1`)}`,
      })),
      {
        name: "Parquet read of pyarrow's file (one row group of 1,000,000 rows) through our codec, warm, against pyarrow reading it",
        ours: warm("ours read-time pyarrow's file"),
        baselineName: "pyarrow",
        baseline: warm("pyarrow read-time"),
        note: `no target: for the record; peak RSS above the baseline ${formatBytes(above("ours read-mem pyarrow's file").medianNs)} (a row group is decoded whole in WebAssembly: ${wasm("ours read-mem pyarrow's file")})`,
      },
    ];
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
