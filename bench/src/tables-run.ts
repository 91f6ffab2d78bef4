// One side of the tables bench, ours, in a process of its own (bench/python/tables_bench.py is
// pyarrow's): `node dist/tables-run.js <mode> <table.arrow> <file.parquet> [rowGroupSize batchSize]`.
// Prints one JSON line.
//   write-time  the first write (loading the Parquet codec and parquet-wasm with it), then WARM more: {"first": ns, "warm": [ns...]}
//   read-time   the first read (loading apache-arrow, the codec, parquet-wasm), then WARM more, each into a whole Table
//   write-mem   one write, after a small one has loaded everything: {"baseline": rss, "peak": maxRSS, "wasm": bytes}
//   read-mem    one read into a whole Table, the same way
//   stream-write-mem N   the table's rows N times over, as batches of 65,536 made on the fly (the table is held, as the baseline):
//                        {"baseline", "peak", "wasm", "rows"}: memory should not grow with N
//   stream-read-mem      the file read batch by batch, nothing kept
// The table is read from an Arrow IPC file, as pyarrow's side reads it: the same data, the same size.
import { loadArrow, loadParquet, tableCodec } from "@flytekit-ts/core/internal";
import type { RecordBatch, Table } from "apache-arrow";
import { readFileSync, rmSync } from "node:fs";

const WARM = 5;
const [mode, arrowFile, parquetFile, rowGroupArg, batchArg] = process.argv.slice(2) as [string, string, string, string?, string?];
const rowGroupSize = rowGroupArg === undefined || mode.startsWith("stream-") ? undefined : Number(rowGroupArg);
const batchSize = batchArg === undefined ? undefined : Number(batchArg);

function gc(): void {
  (globalThis as { gc?: () => void }).gc?.();
}

async function codec() {
  const loading = tableCodec("parquet");
  if (loading === undefined) throw new Error("no parquet codec");
  return loading;
}

async function loadTable(): Promise<Table> {
  const arrow = await loadArrow();
  return arrow.tableFromIPC(readFileSync(arrowFile));
}

async function write(table: Table, path = parquetFile): Promise<void> {
  await (await codec()).write(path, table.batches, rowGroupSize === undefined ? {} : { rowGroupSize });
}

async function read(path = parquetFile): Promise<Table> {
  const [arrow, parquet] = await Promise.all([loadArrow(), codec()]);
  const batches: RecordBatch[] = [];
  for await (const batch of parquet.read(path, batchSize === undefined ? {} : { batchSize })) batches.push(batch);
  return new arrow.Table(batches);
}

async function time(fn: () => Promise<unknown>): Promise<number> {
  const start = process.hrtime.bigint();
  await fn();
  return Number(process.hrtime.bigint() - start);
}

/** A small table's write and read: everything loaded and instantiated before the baseline is taken. */
async function warmUp(table: Table): Promise<void> {
  const small = `${parquetFile}.warm`;
  await write(table, small);
  await read(small);
  rmSync(small, { force: true });
}

async function wasmBytes(): Promise<number> {
  return (await loadParquet()).wasm.wasmMemory().buffer.byteLength;
}

let out: Record<string, unknown>;
if (mode === "write-time") {
  const table = await loadTable();
  const first = await time(() => write(table));
  const warm: number[] = [];
  for (let i = 0; i < WARM; i++) {
    gc();
    warm.push(await time(() => write(table)));
  }
  out = { first, warm };
} else if (mode === "read-time") {
  let rows = 0;
  const first = await time(async () => void (rows = (await read()).numRows));
  const warm: number[] = [];
  for (let i = 0; i < WARM; i++) {
    gc();
    warm.push(await time(() => read()));
  }
  out = { first, warm, rows };
} else if (mode === "write-mem" || mode === "read-mem") {
  // The baseline: everything loaded (a write and a read of a two-row table), nothing of the big table held.
  const arrow = await loadArrow();
  await warmUp(
    new arrow.Table({
      id: arrow.vectorFromArray([1n, 2n], new arrow.Int64()),
      x: arrow.vectorFromArray([0.5, 1.5], new arrow.Float64()),
      name: arrow.vectorFromArray(["a", "b"], new arrow.Utf8()),
      flag: arrow.vectorFromArray([true, false], new arrow.Bool()),
      at: arrow.makeVector({ type: new arrow.TimestampMicrosecond(), data: new BigInt64Array([1n, 2n]) }),
    }),
  );
  gc();
  const baseline = process.memoryUsage.rss();
  if (mode === "write-mem") {
    // The file's bytes were read before the baseline; the table below is what the write is given.
    const table = arrow.tableFromIPC(readFileSync(arrowFile));
    await write(table);
  } else {
    const table = await read();
    if (table.numRows === 0) throw new Error("nothing read");
  }
  out = { baseline, peak: process.resourceUsage().maxRSS * 1024, wasm: await wasmBytes() };
} else if (mode === "stream-write-mem" || mode === "stream-read-mem") {
  const arrow = await loadArrow();
  const table = arrow.tableFromIPC(readFileSync(arrowFile));
  await warmUp(table.slice(0, 2));
  gc();
  const baseline = process.memoryUsage.rss();
  let rows = 0;
  if (mode === "stream-write-mem") {
    const times = Number(rowGroupArg ?? 1);
    async function* batches(): AsyncGenerator<RecordBatch> {
      for (let k = 0; k < times; k++) for (let at = 0; at < table.numRows; at += 65_536) yield* table.slice(at, at + 65_536).batches;
    }
    rows = (await (await codec()).write(parquetFile, batches())).rows;
  } else {
    for await (const batch of (await codec()).read(parquetFile)) rows += batch.numRows;
  }
  out = { baseline, peak: process.resourceUsage().maxRSS * 1024, wasm: await wasmBytes(), rows };
} else {
  throw new Error(`unknown mode ${mode}`);
}
console.log(JSON.stringify(out));
