// A small benchmark harness: each figure is a ratio to a baseline measured in the same run, on
// the same machine, right next to it. Absolute times are printed for context only.

export interface Measurement {
  /** Median time of one call, in nanoseconds (in bytes, for a Row whose unit is `bytes`). */
  medianNs: number;
  /** Fastest sample, in nanoseconds per call. */
  minNs: number;
  samples: number;
}

function gc(): void {
  (globalThis as { gc?: () => void }).gc?.();
}

/**
 * Times `fn`, run `batch` times per sample, over `samples` samples after `warmup` calls; returns
 * the median and the fastest time per call.
 */
export function measure(
  fn: () => unknown,
  options: { batch?: number; samples?: number; warmup?: number; gcBetweenSamples?: boolean; before?: () => void } = {},
): Measurement {
  const batch = options.batch ?? 1;
  const samples = options.samples ?? 15;
  const warmup = options.warmup ?? Math.max(3, batch);
  for (let i = 0; i < warmup; i++) fn();
  gc();
  const times: number[] = [];
  for (let s = 0; s < samples; s++) {
    // A sample that allocates much should not pay for the garbage of the one before it.
    options.before?.();
    if (options.gcBetweenSamples === true) gc();
    const start = process.hrtime.bigint();
    for (let i = 0; i < batch; i++) fn();
    times.push(Number(process.hrtime.bigint() - start) / batch);
  }
  times.sort((a, b) => a - b);
  return { medianNs: times[Math.floor(times.length / 2)]!, minNs: times[0]!, samples };
}

export function formatNs(ns: number): string {
  if (ns < 1_000) return `${ns.toFixed(0)} ns`;
  if (ns < 1_000_000) return `${(ns / 1_000).toFixed(2)} µs`;
  if (ns < 1_000_000_000) return `${(ns / 1_000_000).toFixed(2)} ms`;
  return `${(ns / 1_000_000_000).toFixed(2)} s`;
}

export interface Row {
  name: string;
  /**
   * What the measurements count: time per call in nanoseconds (the default; lower is better),
   * `bytes` (peak memory; lower is better), or `throughput`: the time to move `bytes`, reported as
   * MiB/s and as the ratio of our throughput to the baseline's (higher is better).
   */
  unit?: "time" | "bytes" | "throughput";
  /** For `throughput`: the bytes moved in one measured call. */
  bytes?: number;
  /** For `throughput`: the least our throughput may be, as a fraction of the baseline's. */
  minThroughputRatio?: number;
  ours: Measurement;
  baselineName: string;
  baseline: Measurement;
  /** The most `ours / baseline` may be. */
  targetRatio?: number;
  /** The most one call may take, in nanoseconds, on the reference 2-core machine. */
  targetNs?: number;
  /** The most one call may take beyond the baseline, in nanoseconds. */
  targetDeltaNs?: number;
  note?: string;
}

export function formatBytes(bytes: number): string {
  return `${(bytes / 1024 / 1024).toFixed(0)} MiB`;
}

/** Prints one figure: the ratio first, then the times it comes from. */
export function report(row: Row): { ratio: number; ok: boolean } {
  if (row.unit === "throughput") return reportThroughput(row);
  if (row.unit === "bytes") return reportBytes(row);
  const ratio = row.ours.medianNs / row.baseline.medianNs;
  const ratioOk = row.targetRatio === undefined || ratio <= row.targetRatio;
  const delta = row.ours.medianNs - row.baseline.medianNs;
  const timeOk =
    (row.targetNs === undefined || row.ours.medianNs <= row.targetNs) && (row.targetDeltaNs === undefined || delta <= row.targetDeltaNs);
  const targets = [
    row.targetRatio === undefined ? "" : `ratio ≤ ${row.targetRatio}×`,
    row.targetNs === undefined ? "" : `time ≤ ${formatNs(row.targetNs)}`,
    row.targetDeltaNs === undefined ? "" : `time over the baseline ≤ ${formatNs(row.targetDeltaNs)} (measured ${formatNs(delta)})`,
  ].filter((t) => t !== "");
  console.log(`\n${row.name}`);
  console.log(`  ratio     ${ratio.toFixed(2)}× ${row.baselineName}`);
  console.log(`  ours      ${formatNs(row.ours.medianNs)} median (${formatNs(row.ours.minNs)} best, ${row.ours.samples} samples)`);
  console.log(`  baseline  ${formatNs(row.baseline.medianNs)} median (${formatNs(row.baseline.minNs)} best)`);
  if (targets.length > 0) console.log(`  target    ${targets.join(", ")}: ${ratioOk && timeOk ? "met" : "MISSED"}`);
  if (row.note !== undefined) console.log(`  note      ${row.note}`);
  return { ratio, ok: ratioOk && timeOk };
}

function mibPerSecond(bytes: number, ns: number): string {
  return `${(bytes / 1024 / 1024 / (ns / 1e9)).toFixed(0)} MiB/s`;
}

/** A transfer: our throughput as a fraction of the baseline's (time is the measurement; the ratio is inverted). */
function reportThroughput(row: Row): { ratio: number; ok: boolean } {
  const bytes = row.bytes ?? 0;
  const ratio = row.baseline.medianNs / row.ours.medianNs;
  const ok = row.minThroughputRatio === undefined || ratio >= row.minThroughputRatio;
  console.log(`\n${row.name}`);
  console.log(`  ratio     ${ratio.toFixed(2)}× the throughput of ${row.baselineName}`);
  console.log(`  ours      ${mibPerSecond(bytes, row.ours.medianNs)} median (${mibPerSecond(bytes, row.ours.minNs)} best, ${row.ours.samples} samples; ${formatNs(row.ours.medianNs)})`);
  console.log(`  baseline  ${mibPerSecond(bytes, row.baseline.medianNs)} median (${mibPerSecond(bytes, row.baseline.minNs)} best; ${formatNs(row.baseline.medianNs)})`);
  if (row.minThroughputRatio !== undefined) console.log(`  target    throughput ratio ≥ ${row.minThroughputRatio}×: ${ok ? "met" : "MISSED"}`);
  if (row.note !== undefined) console.log(`  note      ${row.note}`);
  return { ratio, ok };
}

/** A peak of memory (bytes in place of nanoseconds), against a baseline. */
function reportBytes(row: Row): { ratio: number; ok: boolean } {
  const ratio = row.ours.medianNs / row.baseline.medianNs;
  const ok = row.targetRatio === undefined || ratio <= row.targetRatio;
  console.log(`\n${row.name}`);
  console.log(`  ratio     ${ratio.toFixed(2)}× ${row.baselineName}`);
  console.log(`  ours      ${formatBytes(row.ours.medianNs)} median (${formatBytes(row.ours.minNs)} least, ${row.ours.samples} samples)`);
  console.log(`  baseline  ${formatBytes(row.baseline.medianNs)} median (${formatBytes(row.baseline.minNs)} least)`);
  if (row.targetRatio !== undefined) console.log(`  target    ratio ≤ ${row.targetRatio}×: ${ok ? "met" : "MISSED"}`);
  if (row.note !== undefined) console.log(`  note      ${row.note}`);
  return { ratio, ok };
}
