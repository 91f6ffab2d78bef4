// A small benchmark harness: each figure is a ratio to a baseline measured in the same run, on
// the same machine, right next to it. Absolute times are printed for context only.

export interface Measurement {
  /** Median time of one call, in nanoseconds. */
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

/** Prints one figure: the ratio first, then the times it comes from. */
export function report(row: Row): { ratio: number; ok: boolean } {
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
