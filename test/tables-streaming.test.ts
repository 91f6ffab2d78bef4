// A table larger than the memory a task may use streams through it: flytekit-ts-execute runs a task
// that reads a Parquet table in batches and writes them as it goes (`new StructuredDataset(batches)`),
// and its peak resident memory, measured by the process itself (process.resourceUsage().maxRSS,
// reported at exit by support/report-max-rss.cjs), grows with the batch, not the table: an 8M-row
// table (~300 MiB of Arrow) takes about what a 1M-row one takes. The same copy made by reading the
// table whole first is measured too, so the measure is known to see a table held whole. pyarrow
// writes the input and checks the copy batch by batch (rows, sums, order, schema).
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { executeArgs, outputsOf, runExecute, TEST_ROOT, workArea } from "./support/execute.js";
import { ensureFlytekit, PY_DIR } from "./support/python.js";
import { datasetInputs, tableLiteral } from "./support/tables-interop.js";

const TS_MODULE = "support/table-tasks.ts";
const MiB = 1024 * 1024;
const SMALL_ROWS = 1_000_000;
const BIG_ROWS = 8_000_000;
let python: string;
let dir: string;

interface Written {
  rows: number;
  row_groups: number;
  bytes: number;
  arrow_bytes: number;
}
interface Checked {
  rows: number;
  id_sum: string;
  x_sum: number;
  b_count: number;
  s_bytes: number;
  in_order: boolean;
  schema: string;
}

/** Runs a function of test/interop/table_tasks.py with pyarrow alone (no task), its JSON answer (through clean_exit: pyarrow can abort at teardown). */
function py<T>(call: string): T {
  const script = `import clean_exit, json, table_tasks; clean_exit.run(lambda: print(json.dumps(table_tasks.${call})))`;
  const out = execFileSync(python, ["-c", script], { cwd: PY_DIR, env: { ...process.env, PYTHONPATH: PY_DIR, PYTHONDONTWRITEBYTECODE: "1" }, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
  return JSON.parse(out.trim().split("\n").pop()!) as T;
}

const tables: Record<"small" | "big", { folder: string; written: Written }> = {} as never;

beforeAll(() => {
  ({ python } = ensureFlytekit());
  dir = mkdtempSync(join(tmpdir(), "flytekit-ts-stream-"));
  for (const [name, rows] of [["small", SMALL_ROWS], ["big", BIG_ROWS]] as const) {
    const folder = join(dir, name);
    mkdirSync(folder);
    tables[name] = { folder, written: py<Written>(`write_numbers(${JSON.stringify(join(folder, "00000"))}, ${rows})`) };
  }
}, 600_000);

afterAll(() => {
  if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
});

interface Measured {
  peakMiB: number;
  output: string;
  checked: Checked;
}

/** Runs a copying task on a table in a process of its own, with a JS heap of `heapMiB`: its peak RSS and what pyarrow finds in its copy. */
async function measure(task: string, folder: string, heapMiB?: number): Promise<Measured> {
  const area = workArea(datasetInputs(folder, "parquet"));
  const report = join(area.dir, "rss.json");
  const options = [`--require ${join(TEST_ROOT, "support/report-max-rss.cjs")}`, heapMiB === undefined ? "" : `--max-old-space-size=${heapMiB}`].join(" ");
  const r = await runExecute(executeArgs(area, TS_MODULE, task), area.out, { env: { NODE_OPTIONS: options, FLYTEKIT_TS_TEST_RSS_REPORT: report } });
  const output = tableLiteral(outputsOf(r, `flytekit-ts-execute ${task}`).literals.o0, `${task} o0`).uri;
  const { maxRssKiB } = JSON.parse(readFileSync(report, "utf8")) as { maxRssKiB: number };
  const checked = py<Checked>(`check_numbers(${JSON.stringify(output)})`);
  rmSync(area.dir, { recursive: true, force: true });
  return { peakMiB: maxRssKiB / 1024, output, checked };
}

function expectedOf(rows: number): Omit<Checked, "x_sum" | "s_bytes"> {
  const n = BigInt(rows);
  return { rows, id_sum: String((n * (n - 1n)) / 2n), b_count: Math.ceil(rows / 3), in_order: true, schema: "id: int64\nx: double\ns: string\nb: bool\nat: timestamp[us]" };
}

describe("a table larger than the memory it may use streams through a task, batch in, batch out", () => {
  let small: Measured;
  let big: Measured;
  let whole: Measured;

  beforeAll(async () => {
    // One at a time: the machine's other work must not share these processes' measure.
    small = await measure("Tables.stream", tables.small.folder, 128);
    big = await measure("Tables.stream", tables.big.folder, 128);
    whole = await measure("Tables.whole", tables.big.folder);
    const arrow = tables.big.written.arrow_bytes / MiB;
    process.stderr.write(
      `streaming figures: big table ${arrow.toFixed(0)} MiB of Arrow (${(tables.big.written.bytes / MiB).toFixed(0)} MiB of Parquet, ${tables.big.written.row_groups} row groups), ` +
        `small ${(tables.small.written.arrow_bytes / MiB).toFixed(0)} MiB; peak RSS: stream small ${small.peakMiB.toFixed(0)} MiB, stream big ${big.peakMiB.toFixed(0)} MiB, whole big ${whole.peakMiB.toFixed(0)} MiB\n`,
    );
  }, 600_000);

  it("the copies hold every row, in order, with the same values and schema", () => {
    expect(small.checked).toMatchObject(expectedOf(SMALL_ROWS));
    expect(big.checked).toMatchObject(expectedOf(BIG_ROWS));
    expect(whole.checked).toMatchObject(expectedOf(BIG_ROWS));
    expect(big.checked.s_bytes).toBe(py<Checked>(`check_numbers(${JSON.stringify(tables.big.folder)})`).s_bytes);
  });

  it("peak memory is bounded by the batch, not the table: 8 times the rows cost less than a quarter of the difference in Arrow size", () => {
    const growth = tables.big.written.arrow_bytes / MiB - tables.small.written.arrow_bytes / MiB;
    expect(growth).toBeGreaterThan(250);
    expect(big.peakMiB - small.peakMiB, `stream small ${small.peakMiB.toFixed(0)} MiB, big ${big.peakMiB.toFixed(0)} MiB`).toBeLessThan(growth / 4);
    // And below the big table itself: it was never held whole.
    expect(big.peakMiB).toBeLessThan(tables.big.written.arrow_bytes / MiB);
  });

  it("and the measure sees a table held whole: the same copy through all() peaks above the streamed one by most of the table", () => {
    expect(whole.peakMiB - big.peakMiB, `whole ${whole.peakMiB.toFixed(0)} MiB, streamed ${big.peakMiB.toFixed(0)} MiB`).toBeGreaterThan((tables.big.written.arrow_bytes / MiB) * 0.6);
  });
});
